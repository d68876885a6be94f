#!/usr/bin/env python3
"""Differential test of the extended query protocol: the same scripted message sequences are sent
to sqlrited and to a PostgreSQL 15 this script starts, and the answers must match: the sequence of
message types, and the fields that are not server-specific (SQLSTATE, severity and message of
errors; column names, type OIDs and formats of RowDescription; ParameterDescription's OIDs; DataRow
values; command tags; ReadyForQuery's status). ParameterStatus, BackendKeyData and error positions
are left out.

Sequences: errors inside a pipeline (Parse, Bind and Execute errors, all skipped up to Sync, the
implicit transaction rolled back), a suspended portal outside and inside a block, Describe of an
unknown statement or portal, duplicate names, Close (also of missing names), one name space
with SQL's PREPARE / EXECUTE / DEALLOCATE, Flush, the empty
query, wrong format and parameter counts, bad binary parameters, parameter type inference, binary
results (records too), BEGIN inside a pipeline.

    extended_protocol_diff.py --sqlrited build/sqlrited [--pg-bin /usr/lib/postgresql/15/bin]
"""

import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import extended  # noqa: E402
import pgwire  # noqa: E402
import servers  # noqa: E402

MISSING = 2
P, B, D, E, C, S, H = (extended.P, extended.B, extended.D, extended.E, extended.C, extended.S,
                       extended.H)
exchange = extended.exchange
msg = pgwire.message


def Q(sql):
    return pgwire.query_message(sql)


def int4(v):
    return struct.pack('!i', v)


# (name, [(bytes to send, ReadyForQuery count to wait for)]) run in order on one connection.
SCRIPT = [
    ('setup', [(Q('create table d (a int4 primary key, b text, n numeric, f bool)') +
                Q("insert into d values (1, 'one', 1.5, true), (2, 'two', 2.25, false), "
                  "(3, 'three', 0, null), (4, 'four', -10000.5, true), (5, null, null, false)"),
                2)]),
    ('error inside a pipeline rolls back its earlier executes',
     [(P("insert into d values ($1, 'p')") + B(params=['10']) + E() +
       P('select 1 / (a - $1) from d where a = 1') + B(params=['1']) + E() +
       P("insert into d values (11, 'q')") + B() + E() + S, 1),
      (Q('select count(*) from d'), 1)]),
    ('parse error skips to Sync', [(P('selec 1') + B() + E() + S, 1)]),
    ('bind error (bad text parameter) skips to Sync',
     [(P('select a from d where a = $1') + B(params=['x']) + E() + S, 1)]),
    ('describe statement infers parameter types',
     [(P('select a, b from d where a = $1 and b = $2 limit $3', 's_inf') + D(b'S', 's_inf') +
       S, 1)]),
    ('declared int2 parameter compared to int4, binary result',
     [(P('select a from d where a = $1', types=[21]) + B(params=[b'\x00\x02'], pformats=[1],
                                                         rformats=[1]) + E() + S, 1)]),
    ('undetermined parameter type', [(P('select $1 is null') + S, 1)]),
    ('suspended portal outside a block dies at Sync',
     [(P('select a from d order by a') + B('p1') + E('p1', 2) + E('p1', 2) + S, 1),
      (E('p1', 2) + S, 1)]),
    ('suspended portal inside a block survives Sync',
     [(Q('begin'), 1),
      (P('select a from d order by a') + B('p2') + E('p2', 2) + S, 1),
      (E('p2', 3) + S, 1), (E('p2', 3) + S, 1),
      (Q('commit'), 1)]),
    ('describe of an unknown statement and portal',
     [(D(b'S', 'nope') + S, 1), (D(b'P', 'nope') + S, 1), (E('nope') + S, 1),
      (B('', 'nope') + S, 1)]),
    ('duplicate names and close',
     [(P('select 1', 'dup') + P('select 2', 'dup') + S, 1),
      (C(b'S', 'dup') + C(b'S', 'dup') + C(b'P', 'nope') + P('select 2', 'dup') + S, 1),
      (B('cur', 'dup') + B('cur', 'dup') + S, 1)]),
    ('one name space for Parse and PREPARE: Close frees a name for PREPARE and drops its statement',
     [(P('select $1::int4 + 1', 'ns1') + S, 1),
      (Q('execute ns1(41)'), 1),
      (Q('prepare ns1 as select 1'), 1),
      (C(b'S', 'ns1') + S, 1),
      (Q('execute ns1(1)'), 1),
      (Q('prepare ns1 as select 2'), 1),
      (P('select 3', 'ns1') + S, 1),
      (D(b'S', 'ns1') + B('', 'ns1') + E() + S, 1),
      (Q('prepare nsp(int4, text) as select $2 || $1'), 1),
      (D(b'S', 'nsp') + B('', 'nsp', params=['7', 'n']) + D(b'P') + E() + S, 1),
      (C(b'S', 'ns1') + S, 1),
      (Q('execute ns1'), 1),
      (P('select 4', 'ns1') + S, 1),
      (Q('deallocate ns1'), 1),
      (B('', 'ns1') + E() + S, 1),
      (P('select 5', 'ns2') + S, 1),
      (Q('prepare ns3 as select 6'), 1),
      (Q('deallocate all'), 1),
      (B('', 'ns2') + S, 1),
      (Q('execute ns3'), 1),
      (Q('execute nsp(1, 2)'), 1)]),
    ('flush sends what is buffered', [(P('select 42') + B() + E() + H, 0), (S, 1)]),
    ('empty query', [(P('') + B() + D(b'P') + E() + S, 1), (Q(''), 1)]),
    ('wrong parameter and format counts',
     [(P('select $1::int4, $2::int4', 'two') + S, 1),
      (B('', 'two', params=['1']) + S, 1),
      (B('', 'two', params=['1', '2'], pformats=[0, 0, 0]) + S, 1),
      (B('', 'two', params=['1', '2'], rformats=[0, 0, 0]) + S, 1),
      (B('', 'two', params=['1', '2'], pformats=[0, 1], rformats=[1, 0]) + S, 1),
      (B('', 'two', params=['1', int4(2)], pformats=[0, 1], rformats=[1, 0]) + D(b'P') + E() +
       S, 1)]),
    ('bad binary parameters',
     [(B('', 'two', params=[int4(1), int4(2) + b'x'], pformats=[1]) + S, 1),
      (B('', 'two', params=[int4(1), b'\x00\x01'], pformats=[1]) + S, 1)]),
    ('binary results of every type',
     [(P('select a, b, n, f, a::int8 as big, n::float8 as dbl from d order by a') +
       B(rformats=[1]) + D(b'P') + E() + S, 1)]),
    ('binary results of records (record_send)',
     [(P("select row(a, b, n, f), row(1, 'x', null::int, array[a]) as r from d order by a") +
       B(rformats=[1]) + D(b'P') + E() + S, 1)]),
    ('text and binary mixed per column',
     [(P('select a, b from d where a < $1 order by a') + B(params=['3'], rformats=[1, 0]) +
       D(b'P') + E() + S, 1)]),
    ('BEGIN inside a pipeline takes in the earlier statements',
     [(P("insert into d values ($1, 'r')") + B(params=['20']) + E() +
       P('begin') + B() + E() +
       P("insert into d values ($1, 'r')") + B(params=['1']) + E() + S, 1),
      (Q('rollback'), 1), (Q('select count(*) from d where a = 20'), 1)]),
    ('insert, update, delete with parameters and RETURNING',
     [(P('insert into d (a, b) values ($1, $2) returning a, b') + B(params=['30', 'x']) +
       D(b'P') + E() + P('update d set b = $2 where a = $1') + B(params=['30', 'y']) + E() +
       P('delete from d where a = $1') + B(params=['30']) + E() + S, 1)]),
    ('IS [NOT] DISTINCT FROM, BETWEEN SYMMETRIC and SIMILAR TO with parameters',
     [(P('select a from d where a is not distinct from $1 order by a', 'nd') + D(b'S', 'nd') +
       B('', 'nd', params=[None]) + E() + B('', 'nd', params=['2']) + E() +
       P('select a from d where b is distinct from $1 order by a') + B(params=['one']) + E() +
       P('select $1::int between symmetric $2 and $3, $4::text similar to $5, '
         '$4::text not similar to $5') + B(params=['5', '10', '1', 'abc', 'a%']) + D(b'P') +
       E() + S, 1)]),
    ('a simple Query after unsynced Executes commits them',
     [(P("insert into d values ($1, 'm')") + B(params=['40']) + E() +
       Q('select count(*) from d where a = 40'), 1), (S, 1),
      (Q('select count(*) from d where a = 40'), 1)]),
    ('as JDBC: SET with maxRows 1, SHOW, and a one-row select with maxRows 1',
     [(P("set application_name = 'diff'") + B() + E(max_rows=1) + S, 1),
      (P('show application_name') + B() + D(b'P') + E() + S, 1),
      (P('select 1') + B() + E(max_rows=1) + S, 1)]),
    ('a simple Query drops the unnamed statement, not the named ones',
     [(P('select 1') + P('select 2', 'kept') + S, 1), (Q('select 3'), 1),
      (B() + S, 1), (B('', 'kept') + E() + S, 1)]),
    ('COMMIT inside a pipeline ends the block\'s portals',
     [(Q('begin'), 1),
      (P('select a from d order by a') + B('p3') + E('p3', 1) + P('commit') + B() + E() +
       E('p3', 1) + S, 1)]),
    ('execute a finished portal again',
     [(P('select 1') + B('again') + E('again') + E('again') + S, 1)]),
    ('error inside an explicit block: E, then 25P02',
     [(Q('begin'), 1), (P('select 1 / (a - 1) from d where a = 1', 'before') + S, 1),
      (B('', 'before') + E() + S, 1),
      (P('select 1') + B() + E() + S, 1), (D(b'S', 'before') + S, 1),
      (P('rollback') + B() + D(b'P') + E() + S, 1)]),
    # exec_bind_message: in a failed block only COMMIT, ROLLBACK and ROLLBACK TO bind (25P02 for
    # SAVEPOINT, RELEASE, BEGIN, as for any other statement).
    ('which statements bind in a failed block',
     [(Q('begin'), 1), (Q('savepoint s1'), 1), (Q('select 1 / 0'), 1),
      (P('savepoint s2') + B() + E() + S, 1), (P('release s1') + B() + E() + S, 1),
      (P('begin') + B() + E() + S, 1), (P('rollback to s1') + B() + E() + S, 1),
      (Q('select 1 / 0'), 1), (P('commit') + B() + E() + S, 1)]),
    # PostgreSQL's implicit transactions: a Query of several statements (TBLOCK_IMPLICIT_INPROGRESS)
    # and the messages up to a Sync (TBLOCK_STARTED).
    ('COMMIT and ROLLBACK inside a Query of several statements',
     [(Q("insert into d values (60, 'i'); rollback; select count(*) from d where a = 60"), 1),
      (Q("insert into d values (61, 'i'); commit; select 1 / 0"), 1),
      (Q('select count(*) from d where a = 61'), 1),
      (Q("select 1; begin; insert into d values (62, 'i')"), 1), (Q('rollback'), 1),
      (Q('select count(*) from d where a = 62'), 1),
      (Q('select 1; savepoint s'), 1), (Q('select 1; release s'), 1),
      (Q('select 1; commit and chain'), 1), (Q('commit and chain'), 1),
      (Q('rollback and chain'), 1),
      (Q('select 1; declare c cursor for select 2; fetch c'), 1)]),
    ('COMMIT, ROLLBACK, SAVEPOINT and DECLARE in a pipeline without BEGIN',
     [(P("insert into d values (63, 'p')") + B() + E() + P('commit') + B() + E() + S, 1),
      (P("insert into d values (64, 'p')") + B() + E() + P('rollback') + B() + E() + S, 1),
      (Q('select count(*) from d where a in (63, 64)'), 1),
      (P('select 1') + B() + E() + P('savepoint s') + B() + E() + S, 1),
      (P('declare c cursor for select 1') + B() + E() + S, 1)]),
    ('a COMMIT by simple Query drops the block\'s portals',
     [(Q('begin'), 1), (P('select 1') + B('p9') + S, 1), (Q('commit'), 1), (E('p9') + S, 1)]),
    # PostgreSQL folds only immutable expressions: a statement kept across Executes reads the
    # TimeZone of each one (its literal was read once, at Parse).
    ('a prepared statement answers for the TimeZone set since it was prepared',
     [(P("select '2024-01-01 10:00+00'::timestamptz::text, "
         "timestamp '2024-01-01 10:00'::timestamptz::text, $1::timestamptz::date", 'tz') +
       B('', 'tz', params=['2024-01-01 02:00+00']) + E() + S, 1),
      (Q("set timezone = 'America/New_York'"), 1),
      (B('', 'tz', params=['2024-01-01 02:00+00']) + E() + S, 1),
      (B('', 'tz', params=['2024-01-01 02:00+00']) + E() + S, 1),
      (Q("set timezone = 'UTC'"), 1)]),
    # A simple Query of several statements prints each result's rows with the settings as they
    # were when that statement ran: a later SET in the string, or the end of a SET LOCAL's block,
    # does not change them.
    ('output settings of each statement in one simple Query',
     [(Q("select '\\x41'::bytea; set bytea_output = escape"), 1),
      (Q("select '\\x41'::bytea; reset bytea_output; select '\\x42'::bytea"), 1),
      (Q("begin; set local bytea_output = escape; select '\\x41'::bytea, "
         "array['\\x41'::bytea]; commit"), 1),
      (Q("set local bytea_output = escape; select '\\x41'::bytea"), 1),
      (Q("select '\\x41'::bytea"), 1),
      (Q("set timezone = 'UTC'; select '2024-01-01 10:00+00'::timestamptz; "
         "set timezone = 'Asia/Tokyo'; select '2024-01-01 10:00+00'::timestamptz"), 1),
      (Q("begin; set local timezone = 'America/New_York'; "
         "select '2024-01-01 10:00+00'::timestamptz; commit; "
         "select '2024-01-01 10:00+00'::timestamptz"), 1),
      (Q("set timezone = 'UTC'"), 1)]),
    # A message framed well whose body does not parse: an ERROR in that message (postgres.c's
    # pq_getmsg* errors), and the connection carries on.
    ('malformed bodies: Sync, Query, Parse, Describe, Execute, Flush, Close',
     [(msg(b'S', b'x'), 1), (Q('begin'), 1), (msg(b'S', b'x'), 1), (Q('rollback'), 1),
      (msg(b'Q', b'select 1'), 1), (msg(b'Q', b'select 1\0x'), 1),
      (msg(b'P', b'\0select 1') + B() + E() + S, 1), (msg(b'D', b'Xn\0') + S, 1),
      (msg(b'E', b'\0\0\0\0\0x') + S, 1), (msg(b'H', b'x') + S, 1),
      (msg(b'C', b'Sn\0x') + S, 1)]),
    ('malformed bodies inside blocks and pipelines',
     [(Q('begin'), 1), (P('select 1') + msg(b'P', b'\0sel') + S, 1), (Q('rollback'), 1),
      (P("insert into d values ($1, 'z')") + B(params=['50']) + E() + msg(b'Q', b'select'), 1),
      (S, 1), (Q('select count(*) from d where a = 50'), 1),
      (P("insert into d values ($1, 'z')") + B(params=['51']) + E() + msg(b'S', b'x'), 1),
      (Q('select count(*) from d where a = 51'), 1),
      (msg(b'd', b'junk') + msg(b'f', b'no terminator') + Q('select 1'), 1)]),
    ('MERGE with parameters: described, executed twice, its rows read back',
     [(Q('create table mt (id int primary key, v text, n int default 0)') +
       Q("insert into mt values (1, 'a', 1), (2, 'b', 2)"), 2),
      (P('merge into mt t using (select $1::int as id, $2::text as v) s on t.id = s.id '
         'when matched and $3 then update set v = s.v, n = t.n + 1 '
         'when matched then delete '
         'when not matched then insert (id, v) values (s.id, s.v)', 'm') + D(b'S', 'm') + S, 1),
      (B('', 'm', params=['1', 'x', 't']) + E() + B('', 'm', params=['2', 'y', 'f']) + E() +
       B('', 'm', params=['3', 'z', 'f']) + E() + S, 1),
      (Q('select * from mt order by id'), 1),
      (B('', 'm', params=['3', 'w', None]) + E() + B('', 'm', params=['3', None, 't']) + E() + S,
       1),
      (Q('select * from mt order by id'), 1)]),
]


def run(server):
    conn = pgwire.Connection(server.port)
    conn.startup()
    transcript = []
    for name, steps in SCRIPT:
        for data, syncs in steps:
            transcript.append((name, exchange(conn, data, syncs)))
    conn.close()
    return transcript


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = ap.parse_args()
    if not args.sqlrited or not os.path.exists(args.sqlrited):
        print('extended_protocol_diff: FAIL: no sqlrited binary')
        return MISSING
    reason = servers.Postgres.available(args.pg_bin)
    if reason:
        print(f'extended_protocol_diff: FAIL: {reason}')
        return MISSING
    transcripts = {}
    for server in (servers.Sqlrited(args.sqlrited), servers.Postgres(args.pg_bin)):
        try:
            server.start()
            transcripts[server.name] = run(server)
            if not server.alive():
                print(f'extended_protocol_diff: FAILED: {server.name} died\n{server.log()}')
                return 1
        except (servers.ServerError, pgwire.WireError, OSError) as e:
            print(f'extended_protocol_diff: FAILED: {server.name}: {e}\n{server.log()}')
            return 1
        finally:
            server.cleanup()
    ours, theirs = transcripts['sqlrited'], transcripts['postgres']
    failures = 0
    for (name, got), (_, want) in zip(ours, theirs):
        if got != want:
            failures += 1
            print(f'extended_protocol_diff: MISMATCH in "{name}"')
            for i in range(max(len(got), len(want))):
                g = got[i] if i < len(got) else None
                w = want[i] if i < len(want) else None
                print(f'  {"  " if g == w else "!="} sqlrited {g}\n     postgres {w}')
    if failures:
        print(f'extended_protocol_diff: {failures} of {len(ours)} exchanges differ')
        return 1
    print(f'extended_protocol_diff: ok ({len(ours)} exchanges match PostgreSQL 15)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
