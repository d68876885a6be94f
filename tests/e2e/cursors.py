#!/usr/bin/env python3
"""SQL cursors (DECLARE / FETCH / MOVE / CLOSE), differentially: the same script goes to the server
under test and to a PostgreSQL 15 this script starts, and the answers must match message for
message: types, command tags, DataRow values, RowDescription (names, type OIDs, formats), errors
and notices (severity, SQLSTATE, message, detail, hint), ReadyForQuery's status. ParameterStatus,
BackendKeyData and error positions are left out.

The script: DECLARE outside a block (25P01), of a non-SELECT, of a missing table; a psycopg2
named cursor's exact statements; every FETCH and MOVE direction on a SCROLL cursor; NO SCROLL
and the default scrollability (a sort scrolls, an aggregate does not); duplicate and unknown
names; lifetimes (commit, rollback, WITH HOLD, savepoints, an aborted block, a held cursor
declared outside a block, a multi-statement query's implicit block); BINARY cursors; CLOSE ALL;
and through the extended protocol: FETCH in a pipeline (Describe of a FETCH portal, a FETCH
executed with a row limit), DECLARE in the implicit transaction of a pipeline (25P01), DECLARE
with a parameter, BEGIN then DECLARE in one pipeline, and a cursor used as a protocol portal
(Describe, Execute with a row limit, Close; Bind of a portal named as a cursor is 42P03).

    cursors.py --server sqlrited --sqlrited build/sqlrited [--pg-bin /usr/lib/postgresql/15/bin]
    cursors.py --server postgres [--pg-bin ...]

With --server postgres the transcript is only checked against the script's own expectations
(the SQLSTATEs it names), which keeps those honest; with sqlrited it is also compared with
PostgreSQL's. Exit 0 on success, 1 on a failure, also when a server is missing (never a skip).
"""

import argparse
import os
import socket
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import extended  # noqa: E402
import pgwire  # noqa: E402
import servers  # noqa: E402

MISSING = 1
P, B, D, E, C, S = extended.P, extended.B, extended.D, extended.E, extended.C, extended.S
# Errors keep their DETAIL and HINT too: the cursor errors compared carry them.
ERROR_FIELDS = ('V', 'C', 'M', 'D', 'H')


def Q(sql):
    return (pgwire.query_message(sql), 1)


def X(data):
    """An extended-protocol exchange ending in one Sync."""
    return (data + S, 1)


def exchange(conn, data, syncs):
    return extended.exchange(conn, data, syncs, error_fields=ERROR_FIELDS)


SCROLL_FETCHES = [
    'fetch next from s', 'fetch prior from s', 'fetch first from s', 'fetch last from s',
    'fetch absolute 3 from s', 'fetch absolute -2 from s', 'fetch absolute 0 from s',
    'fetch relative 2 from s', 'fetch relative -1 from s', 'fetch relative 0 from s',
    'fetch 2 from s', 'fetch all from s', 'fetch backward 2 from s', 'fetch backward all from s',
    'fetch forward all from s', 'fetch forward 0 from s', 'fetch 0 from s', 'fetch -1 from s',
    'fetch absolute 99 from s', 'fetch prior from s', 'fetch in s', 'fetch s',
    'fetch backward -2 from s', 'fetch forward -1 in s', 'fetch absolute -99 from s',
    'move 2 in s', 'fetch s', 'move backward all from s', 'fetch s', 'move forward all in s',
    'move 0 in s', 'fetch prior from s', 'move 0 in s', 'move absolute 2 in s', 'fetch s',
    'move last in s', 'fetch s', 'move prior in s', 'move first in s', 'move relative 3 in s',
    'move backward 10 in s', 'move forward 10 in s', 'move backward all in s', 'fetch all from s',
]

# (name, [(bytes, ReadyForQuery count)], {SQLSTATE that must appear in the case's answers})
SCRIPT = [
    ('setup', [Q('create table t (a int4 primary key, b text)'),
               Q("insert into t values (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four'), "
                 "(5, null)")], set()),
    ('declare outside a transaction block',
     [Q('declare c cursor for select a from t')], {'25P01'}),
    ('declare of a non-select is a syntax error',
     [Q("declare c cursor for insert into t values (9, 'z')")], {'42601'}),
    ('the query is analysed before the block is checked',
     [Q('declare c cursor for select * from nosuch')], {'42P01'}),
    ('psycopg2 named cursor',
     [Q('begin'),
      Q('declare "Named" cursor without hold for select a, b from t order by a'),
      Q('fetch forward 2 from "Named"'), Q('fetch forward 2000 from "Named"'),
      Q('fetch forward 2000 from "Named"'), Q('close "Named"'), Q('commit')], set()),
    ('every direction of a scroll cursor',
     [Q('begin'), Q('declare s scroll cursor for select a, b from t order by a')] +
     [Q(f) for f in SCROLL_FETCHES] + [Q('commit')], set()),
    ('a no scroll cursor only goes forward',
     [Q('begin'), Q('declare f no scroll cursor for select a from t order by a'),
      Q('fetch 2 from f'), Q('fetch prior from f'), Q('rollback'),
      Q('begin'), Q('declare f no scroll cursor for select a from t order by a'),
      Q('move backward all in f'), Q('fetch absolute 1 from f'), Q('fetch absolute 3 from f'),
      Q('fetch 0 from f'), Q('rollback'),
      Q('begin'), Q('declare f no scroll cursor for select a from t order by a'),
      Q('fetch 2 from f'), Q('fetch absolute 1 from f'), Q('rollback')], {'55000'}),
    ('default scrollability follows the plan',
     [Q('begin'), Q('declare g cursor for select a from t order by a'), Q('fetch 2 from g'),
      Q('fetch prior from g'), Q('declare w cursor for select a from t where a > 1'),
      Q('fetch w'), Q('fetch prior from w'),
      Q('declare l cursor for select a from t order by a limit 3'), Q('fetch all from l'),
      Q('fetch backward all from l'),
      Q('declare h cursor for select count(*) from t'), Q('fetch h'), Q('fetch prior from h'),
      Q('rollback'),
      Q('begin'), Q('declare k cursor for select distinct b from t order by b'), Q('fetch k'),
      Q('fetch prior from k'), Q('rollback'),
      Q('begin'), Q('declare n cursor for select 1'), Q('fetch n'), Q('fetch prior from n'),
      Q('rollback')], {'55000'}),
    ('duplicate and unknown cursors',
     [Q('begin'), Q('declare c cursor for select 1'), Q('declare c cursor for select 2'),
      Q('rollback'), Q('fetch nope'), Q('move nope'), Q('close nope'), Q('fetch next from nope')],
     {'42P03', '34000'}),
    ('cursors end with their transaction, held ones survive its commit',
     [Q('begin'), Q('declare c cursor for select a from t order by a'),
      Q('declare h cursor with hold for select a from t order by a'), Q('fetch 1 from h'),
      Q('commit'), Q('fetch c'), Q('fetch h'),
      Q('begin'), Q('declare h2 cursor with hold for select 1'), Q('fetch h'), Q('rollback'),
      Q('fetch h2'), Q('fetch h'),
      Q('begin'), Q('select 1/0'), Q('fetch h'), Q('rollback'), Q('fetch h'),
      Q('close h'), Q('fetch h')], {'34000', '25P02', '22012'}),
    ('a held cursor declared outside a block keeps its rows',
     [Q('declare h cursor with hold for select a from t order by a'), Q('fetch 2 from h'),
      Q("insert into t values (6, 'six')"), Q('fetch all from h'), Q('fetch prior from h'),
      Q('delete from t where a = 6'), Q('close all'), Q('fetch h')], {'34000'}),
    ('rollback to a savepoint drops the cursors declared after it',
     [Q('begin'), Q('declare a1 cursor for select 1'), Q('savepoint s'),
      Q('declare a2 cursor for select 2'), Q('fetch a2'), Q('rollback to s'), Q('fetch a1'),
      Q('fetch a2'), Q('rollback')], {'34000'}),
    ('a multi-statement query is a transaction block for DECLARE',
     [Q('declare m cursor for select a from t order by a; fetch 2 from m'), Q('fetch m')],
     {'34000'}),
    ('binary cursor',
     [Q('begin'), Q('declare bc binary cursor for select a, b from t order by a'),
      Q('fetch 2 from bc'), Q('move next in bc'), Q('fetch all from bc'), Q('rollback')],
     set()),
    ('close all and tags',
     [Q('begin'), Q('declare x1 cursor for select 1'), Q('declare x2 cursor for select 2'),
      Q('close x1'), Q('close all'), Q('fetch x2'), Q('rollback')], {'34000'}),
    ('fetch in a pipeline',
     [Q('begin'),
      X(P('declare p cursor for select a, b from t order by a') + B() + E() +
        P('fetch 2 from p') + B() + D(b'P') + E() +
        P('fetch next from p', 'fs') + B('', 'fs') + E() + B('', 'fs') + E() +
        P('move backward 1 in p') + B() + D(b'P') + E() + P('fetch all from p') + B() + E()),
      X(D(b'S', 'fs')),
      Q('commit')], set()),
    ('declare in the implicit transaction of a pipeline',
     [X(P('declare q cursor for select 1') + B() + E()),
      X(P('declare q cursor with hold for select a from t order by a') + B() + E() +
        P('fetch 2 from q') + B() + E()),
      Q('close q')], {'25P01'}),
    ('a fetch executed with a row limit',
     [Q('begin'), Q('declare p2 cursor for select a from t order by a'),
      X(P('fetch all from p2') + B('fp') + E('fp', 2) + E('fp', 2) + E('fp', 2)),
      Q('commit')], set()),
    ('declare with a parameter',
     [Q('begin'),
      X(P('declare pp cursor for select a from t where a > $1 order by a') + B(params=['3']) +
        E()),
      Q('fetch all from pp'), Q('commit')], set()),
    ('begin then declare in one pipeline',
     [X(P('begin') + B() + E() + P('declare pb cursor for select a from t order by a') + B() +
        E() + P('fetch pb') + B() + E()),
      Q('fetch pb'), Q('commit'), Q('fetch pb')], {'34000'}),
    ('a cursor used as a protocol portal',
     [Q('begin'), Q('declare pc cursor for select a, b from t order by a'),
      X(D(b'P', 'pc') + E('pc', 2) + E('pc', 2)), Q('fetch pc'),
      X(C(b'P', 'pc')), Q('fetch pc'), Q('rollback')], {'34000'}),
    ('a protocol portal and a cursor share names',
     [Q('begin'), Q('declare pn cursor for select 1'),
      X(P('select 2', 'sn') + B('pn', 'sn')), Q('rollback')], {'42P03'}),
]


def run(server):
    conn = pgwire.Connection(server.port)
    conn.startup()
    transcript = []
    for name, steps, _ in SCRIPT:
        for data, syncs in steps:
            transcript.append((name, exchange(conn, data, syncs)))
    conn.close()
    return transcript


def check_expectations(label, transcript):
    """Each case's named SQLSTATEs appear among its answers, and no case lost the connection."""
    failures = 0
    for name, _, codes in SCRIPT:
        answers = [m for case, ms in transcript if case == name for m in ms]
        seen = {m[2] for m in answers if m[0] == 'E'}
        missing = codes - seen
        if missing or ('<EOF>',) in answers:
            failures += 1
            print(f'cursors: {label}: "{name}": expected SQLSTATEs {sorted(missing)} missing '
                  f'(saw {sorted(seen)})')
    return failures


def run_server(server):
    try:
        server.start()
        transcript = run(server)
        if not server.alive():
            raise servers.ServerError(f'{server.name} died')
        return transcript
    finally:
        server.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', choices=('sqlrited', 'postgres'), required=True)
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = ap.parse_args()
    if args.server == 'sqlrited' and (not args.sqlrited or not os.path.exists(args.sqlrited)):
        print('cursors: FAIL: no sqlrited binary')
        return MISSING
    reason = servers.Postgres.available(args.pg_bin)
    if reason:
        print(f'cursors: FAIL: {reason}')
        return MISSING
    transcripts = {}
    kinds = ['postgres'] if args.server == 'postgres' else ['sqlrited', 'postgres']
    for kind in kinds:
        server = (servers.Sqlrited(args.sqlrited) if kind == 'sqlrited'
                  else servers.Postgres(args.pg_bin))
        try:
            transcripts[kind] = run_server(server)
        except (servers.ServerError, pgwire.WireError, OSError, socket.timeout) as e:
            print(f'cursors: FAILED: {kind}: {e}\n{server.log()}')
            return 1
    failures = sum(check_expectations(kind, t) for kind, t in transcripts.items())
    if args.server == 'sqlrited':
        ours, theirs = transcripts['sqlrited'], transcripts['postgres']
        for (name, got), (_, want) in zip(ours, theirs):
            if got != want:
                failures += 1
                print(f'cursors: MISMATCH in "{name}"')
                for i in range(max(len(got), len(want))):
                    g = got[i] if i < len(got) else None
                    w = want[i] if i < len(want) else None
                    print(f'  {"  " if g == w else "!="} sqlrited {g}\n     postgres {w}')
    if failures:
        print(f'cursors: {failures} failures')
        return 1
    total = len(transcripts[args.server])
    print(f'cursors: ok ({total} exchanges' +
          (', all matching PostgreSQL 15)' if args.server == 'sqlrited' else ')'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
