#!/usr/bin/python3
"""Scripted multi-session isolation scenarios, run against sqlrited and PostgreSQL 15.

A scenario is a list of steps, each run by one session (A, B, ...: each a real connection) in
order. Every step's outcome is recorded: its rows, command tags, notices, ParameterStatus and
error (SQLSTATE and message). A step marked `block` must still be unanswered after BLOCK_WAIT
(the runner checks that it blocks); a later step marked `unblocks` names the blocked session
whose answer must then arrive, and that answer is recorded with the step. Each step may also
carry an expectation (rows, or an SQLSTATE) checked on every server.

  isolation.py --server sqlrited --sqlrited PATH [--pg-bin DIR]
      runs HOLDING and SNAPSHOTS on sqlrited and on a PostgreSQL 15 it starts, and compares
      every outcome;
  isolation.py --server postgres [--pg-bin DIR]
      runs them on PostgreSQL, checking the expectations (the reference).

SNAPSHOTS are the scenarios of snapshot reads (a REPEATABLE READ block keeps its snapshot while
another session commits; a SERIALIZABLE write after a newer commit gets 40001; a REPEATABLE READ
block does not block writers). Documented difference (docs/decisions.md): sqlrited's first write
of such a block fails with 40001 after ANY newer commit, PostgreSQL's only when a row it writes
was changed; the scenarios here are ones where both agree.

Exit 0 on success, 1 on a failure (a missing server is a failure, never a skip).
"""

import argparse
import os
import select
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pgwire  # noqa: E402
import servers  # noqa: E402

BLOCK_WAIT = 0.5  # seconds a blocked step must stay unanswered
ANSWER_WAIT = 20.0  # seconds any answer may take (sanitizer builds included)

SETUP = ['drop table if exists t', 'create table t (k int primary key, v int)',
         'insert into t values (1, 1), (2, 2)']


class Failure(Exception):
    pass


def step(session, sql, expect=None, block=False, unblocks=None):
    """expect: a list of rows (lists of str), or an SQLSTATE string; None: only compared."""
    return {'session': session, 'sql': sql, 'expect': expect, 'block': block,
            'unblocks': unblocks}


def read_only_refusals():
    steps = [step('A', 'begin read only')]
    writes = [('insert into t values (3, 3)', '25006'),
              ('update t set v = 0', '25006'),
              ('delete from t', '25006'),
              ('create table u (a int)', '25006'),
              ('create table if not exists t (a int)', '25006'),
              ('drop table t', '25006'),
              ('drop table if exists nosuch', '25006'),
              ('truncate t', '25006'),
              ('copy t from stdin', '25006'),
              ('create role r1', '25006'),
              ('alter role postgres superuser', '25006'),
              ('drop role if exists r1', '25006'),
              ('create database d1', '25006'),
              ('drop database if exists d1', '25006'),
              # Parse analysis comes first for DML and COPY FROM.
              ('insert into nosuch values (1)', '42P01'),
              ('copy nosuch from stdin', '42P01')]
    for sql, code in writes:
        steps += [step('A', 'savepoint s'), step('A', sql, code), step('A', 'rollback to s')]
    steps += [step('A', 'select count(*) from t', [['2']]),
              step('A', 'copy t to stdout'),
              step('A', 'commit'),
              # Autocommit statements under default_transaction_read_only.
              step('A', 'set default_transaction_read_only = on'),
              step('A', 'show transaction_read_only', [['on']]),
              step('A', 'insert into t values (3, 3)', '25006'),
              step('A', 'create table u (a int)', '25006'),
              step('A', 'begin read write'),
              step('A', 'insert into t values (3, 3)'),
              step('A', 'commit'),
              step('A', 'reset default_transaction_read_only'),
              step('A', 'select count(*) from t', [['3']])]
    return steps


HOLDING = [
    ('read committed sees each new commit', [
        step('A', 'begin'),
        step('A', 'select v from t where k = 1', [['1']]),
        step('B', 'update t set v = 10 where k = 1'),
        step('A', 'select v from t where k = 1', [['10']]),
        step('B', 'insert into t values (3, 3)'),
        step('A', 'select count(*) from t', [['3']]),
        step('A', 'commit'),
    ]),
    ('read-only transactions refuse every write kind with 25006', read_only_refusals()),
    ('SET TRANSACTION and the transaction parameters', [
        step('A', 'set transaction read only'),  # WARNING 25P01
        step('A', 'reset transaction_isolation'),  # WARNING 25P01
        step('A', 'begin read only'),
        step('A', 'show transaction_read_only', [['on']]),
        step('A', 'set transaction read write'),  # before any query: allowed
        step('A', 'show transaction_read_only', [['off']]),
        step('A', 'select 1', [['1']]),
        step('A', 'set transaction read only'),  # read write -> read only: always allowed
        step('A', 'set transaction read write', '25001'),
        step('A', 'rollback'),
        step('A', 'begin'),
        step('A', 'select 1', [['1']]),
        step('A', 'set transaction isolation level read committed'),  # unchanged: allowed
        step('A', 'set transaction isolation level serializable', '25001'),
        step('A', 'rollback'),
        step('A', 'begin'),
        step('A', 'select 1', [['1']]),
        step('A', 'set transaction_isolation = \'repeatable read\'', '25001'),
        step('A', 'rollback'),
        step('A', 'begin'),
        step('A', 'set transaction deferrable'),
        step('A', 'select 1', [['1']]),
        step('A', 'set transaction not deferrable', '25001'),
        step('A', 'rollback'),
        step('A', 'begin read only'),
        step('A', 'savepoint s'),
        step('A', 'set transaction read write', '25001'),
        step('A', 'rollback'),
        step('A', 'begin'),
        step('A', 'savepoint s'),
        step('A', 'set transaction isolation level serializable', '25001'),
        step('A', 'rollback to s'),
        step('A', 'set transaction deferrable', '25001'),
        step('A', 'rollback'),
        step('A', 'begin isolation level repeatable read, read only, deferrable'),
        step('A', 'show transaction_isolation', [['repeatable read']]),
        step('A', 'show transaction_read_only', [['on']]),
        step('A', 'show transaction_deferrable', [['on']]),
        step('A', 'commit and chain'),
        step('A', 'show transaction_read_only', [['on']]),
        step('A', 'rollback'),
        step('A', 'start transaction read write isolation level read committed not deferrable'),
        step('A', 'show transaction_isolation', [['read committed']]),
        step('A', 'commit'),
        step('A', 'set session characteristics as transaction read only, deferrable'),
        step('A', 'show default_transaction_read_only', [['on']]),
        step('A', 'show transaction_deferrable', [['on']]),
        step('A', 'set transaction_read_only = off'),  # outside a block: the next one resets it
        step('A', 'show transaction_read_only', [['on']]),
        step('A', 'begin'),
        step('A', 'reset transaction_read_only'),
        step('A', 'show transaction_read_only', [['off']]),
        step('A', 'rollback'),
        step('A', 'reset all'),
        step('A', 'show default_transaction_read_only', [['off']]),
        step('A', 'set default_transaction_read_only = y'),
        step('A', 'show transaction_read_only', [['on']]),
        step('A', 'set default_transaction_read_only = of'),
        step('A', 'set default_transaction_deferrable = maybe', '22023'),
        step('A', 'set transaction_isolation = \'bogus\'', '22023'),
        step('A', 'show default_transaction_read_only', [['off']]),
    ]),
    ('a READ ONLY block does not block a writer', [
        step('A', 'begin read only'),
        step('A', 'select v from t where k = 1', [['1']]),
        step('B', 'update t set v = 20 where k = 1'),
        step('A', 'select v from t where k = 1', [['20']]),
        step('A', 'commit'),
        step('A', 'begin isolation level serializable, read only'),
        step('A', 'select count(*) from t', [['2']]),
        step('B', 'insert into t values (3, 3)'),
        step('B', 'begin'),
        step('B', 'delete from t where k = 3'),
        step('B', 'commit'),
        step('A', 'commit'),
    ]),
    ('a writer of a row waits for the open block that changed it', [
        step('A', 'begin'),
        step('A', 'update t set v = 30 where k = 1'),
        step('B', 'update t set v = v + 1 where k = 1', block=True),
        step('A', 'commit', unblocks='B'),
        step('A', 'select v from t where k = 1', [['31']]),
    ]),
    # sqlrited locks more than the rows (the writer slot: engine/analyze/row_locking.h); these
    # steps touch the locked row only, where both servers agree.
    ('SELECT FOR UPDATE holds its row until the block ends; NOWAIT fails at once', [
        step('A', 'begin'),
        step('A', 'select v from t where k = 1 for update', [['1']]),
        step('B', 'select v from t where k = 1 for update nowait', '55P03'),
        step('B', 'select v from t as x where k = 1 for share of x nowait', '55P03'),
        step('B', 'update t set v = v + 1 where k = 1', block=True),
        step('A', 'update t set v = 40 where k = 1'),
        step('A', 'commit', unblocks='B'),
        step('A', 'select v from t where k = 1', [['41']]),
        step('B', 'select k from t where k = 1 for no key update', [['1']]),
        step('B', 'select k from t where k = 1 for key share skip locked', [['1']]),
    ]),
    ('SELECT FOR UPDATE in a READ ONLY block is 25006 after analysis', [
        step('A', 'begin read only'),
        step('A', 'select nope from t for update', '42703'),
        step('A', 'rollback'),
        step('A', 'begin read only'),
        step('A', 'select * from t for update', '25006'),
        step('A', 'rollback'),
        step('A', 'begin read only'),
        step('A', 'select * from t for key share', '25006'),
        step('A', 'rollback'),
    ]),
]

SNAPSHOTS = [
    ('a REPEATABLE READ SELECT FOR UPDATE after a newer commit of its row gets 40001', [
        step('A', 'begin isolation level repeatable read'),
        step('A', 'select v from t where k = 2', [['2']]),
        step('B', 'update t set v = 22 where k = 2'),
        step('A', 'select v from t where k = 2 for update', '40001'),
        step('A', 'rollback'),
        step('A', 'select v from t where k = 2 for update', [['22']]),
    ]),
    ('a REPEATABLE READ block keeps its snapshot while another session commits', [
        step('A', 'begin isolation level repeatable read'),
        step('A', 'select v from t where k = 1', [['1']]),
        step('B', 'update t set v = 40 where k = 1'),
        step('A', 'select v from t where k = 1', [['1']]),
        step('A', 'commit'),
        step('A', 'select v from t where k = 1', [['40']]),
    ]),
    ('a REPEATABLE READ READ ONLY block keeps its snapshot', [
        step('A', 'begin isolation level repeatable read read only'),
        step('A', 'select count(*) from t', [['2']]),
        step('B', 'insert into t values (3, 3)'),
        step('A', 'select count(*) from t', [['2']]),
        step('A', 'commit'),
    ]),
    ('a SERIALIZABLE write after a newer commit gets 40001', [
        step('A', 'begin isolation level serializable'),
        step('A', 'select v from t where k = 1', [['1']]),
        step('B', 'update t set v = 50 where k = 1'),
        step('A', 'update t set v = 51 where k = 1', '40001'),
        step('A', 'rollback'),
        step('A', 'select v from t where k = 1', [['50']]),
    ]),
    ('a REPEATABLE READ block does not block writers', [
        step('A', 'begin isolation level repeatable read'),
        step('A', 'select count(*) from t', [['2']]),
        step('B', 'insert into t values (3, 3)'),
        step('B', 'update t set v = 60 where k = 2'),
        step('A', 'commit'),
    ]),
    ('the snapshot is taken by the first query, not by BEGIN', [
        step('A', 'begin isolation level repeatable read'),
        step('B', 'update t set v = 70 where k = 1'),
        step('A', 'select v from t where k = 1', [['70']]),
        step('B', 'update t set v = 71 where k = 1'),
        step('A', 'select v from t where k = 1', [['70']]),
        step('A', 'select v from t where k = 1; select count(*) from t', [['70'], ['2']]),
        step('A', 'rollback'),
    ]),
    ('a REPEATABLE READ write with no newer commit succeeds and sees its own changes', [
        step('A', 'begin isolation level repeatable read'),
        step('A', 'select v from t where k = 1', [['1']]),
        step('A', 'update t set v = 80 where k = 1'),
        step('A', 'select v from t order by k', [['80'], ['2']]),
        step('B', 'select v from t where k = 1', [['1']]),
        step('A', 'commit'),
        step('B', 'select v from t where k = 1', [['80']]),
    ]),
    ('a REPEATABLE READ write after a newer commit gets 40001 and the block is failed', [
        step('A', 'begin isolation level repeatable read'),
        step('A', 'select count(*) from t', [['2']]),
        step('B', 'update t set v = 95 where k = 2'),
        step('A', 'delete from t where k = 2', '40001'),
        step('A', 'select 1', '25P02'),
        step('A', 'rollback'),
        step('A', 'select v from t order by k', [['1'], ['95']]),
    ]),
    ('after 40001 and ROLLBACK TO, the block still reads its snapshot and a retry fails again', [
        step('A', 'begin isolation level repeatable read'),
        step('A', 'savepoint s'),
        step('A', 'select v from t where k = 1', [['1']]),
        step('B', 'update t set v = 10 where k = 1'),
        step('A', 'update t set v = v + 100 where k = 1', '40001'),
        step('A', 'rollback to s'),
        step('A', 'select v from t where k = 1', [['1']]),
        step('A', 'update t set v = v + 100 where k = 1', '40001'),
        step('A', 'rollback'),
        step('A', 'select v from t where k = 1', [['10']]),
    ]),
    ('a cursor in a REPEATABLE READ block reads its snapshot', [
        step('A', 'begin isolation level repeatable read'),
        step('A', 'select count(*) from t', [['2']]),
        step('B', 'insert into t values (3, 3)'),
        step('A', 'declare c cursor for select k from t order by k'),
        step('A', 'fetch all from c', [['1'], ['2']]),
        step('A', 'commit'),
    ]),
    ('COPY TO in a REPEATABLE READ block reads its snapshot and blocks no writer', [
        step('A', 'begin isolation level repeatable read read only'),
        step('A', 'select count(*) from t', [['2']]),
        step('B', 'insert into t values (3, 3)'),
        step('A', 'copy t to stdout'),
        step('B', 'update t set v = 7 where k = 1'),
        step('A', 'copy (select count(*) from t) to stdout'),
        step('A', 'commit'),
        step('A', 'begin isolation level repeatable read'),
        step('A', 'select count(*) from t', [['3']]),
        step('B', 'delete from t where k = 3'),
        step('A', 'copy t to stdout'),
        step('A', 'select count(*) from t', [['3']]),
        step('A', 'commit'),
    ]),
]


class Session:
    def __init__(self, port):
        self.conn = pgwire.Connection(port, timeout=ANSWER_WAIT)
        self.conn.startup()
        self.pending = False

    def send(self, sql):
        self.conn.send(pgwire.query_message(sql))
        self.pending = True

    def answered_within(self, seconds):
        if self.conn.buf:
            return True
        readable, _, _ = select.select([self.conn.sock], [], [], seconds)
        return bool(readable)

    def outcome(self):
        """The answer to the pending query, normalised: rows, tags, notices, error."""
        result = {'rows': [], 'tags': [], 'notices': [], 'status': [], 'error': None}
        messages = self.conn.read_until_ready()
        self.pending = False
        if not messages or messages[-1][0] != b'Z':
            raise Failure('the server closed the connection')
        for kind, payload in messages:
            if kind == b'D':
                result['rows'].append(pgwire.decode_data_row(payload))
            elif kind == b'C':
                result['tags'].append(payload.rstrip(b'\0').decode())
            elif kind == b'N':
                f = pgwire.parse_error_fields(payload)
                result['notices'].append((f.get('S'), f.get('C'), f.get('M')))
            elif kind == b'S':
                result['status'].append(tuple(payload.rstrip(b'\0').decode().split('\0')))
            elif kind == b'E':
                f = pgwire.parse_error_fields(payload)
                result['error'] = (f.get('S'), f.get('C'), f.get('M'))
            elif kind == b'G':
                raise Failure('unexpected CopyInResponse')
        return result

    def close(self):
        self.conn.close()


def check_expectation(where, st, outcome):
    expect = st['expect']
    if expect is None:
        if outcome['error'] is not None:
            raise Failure(f'{where}: {st["sql"]!r} failed: {outcome["error"]}')
        return
    if isinstance(expect, str):
        got = outcome['error'] and outcome['error'][1]
        if got != expect:
            raise Failure(f'{where}: {st["sql"]!r}: expected {expect}, got {outcome}')
        return
    if outcome['error'] is not None or outcome['rows'] != expect:
        raise Failure(f'{where}: {st["sql"]!r}: expected rows {expect}, got {outcome}')


def run_scenario(port, name, steps):
    """Runs one scenario on a fresh table; returns the list of (step index, session, outcome)."""
    setup = pgwire.Connection(port, timeout=ANSWER_WAIT)
    setup.startup()
    for sql in SETUP:
        _, error = setup.simple_query(sql)
        if error:
            raise Failure(f'{name}: setup {sql!r}: {error}')
    setup.close()
    sessions = {}
    record = []
    try:
        for i, st in enumerate(steps):
            where = f'{name}, step {i + 1} ({st["session"]})'
            s = sessions.get(st['session'])
            if s is None:
                s = sessions[st['session']] = Session(port)
            if s.pending:
                raise Failure(f'{where}: the session is still blocked')
            s.send(st['sql'])
            if st['block']:
                if s.answered_within(BLOCK_WAIT):
                    raise Failure(f'{where}: {st["sql"]!r} was expected to block; it answered '
                                  f'{s.outcome()}')
                record.append((i, st['session'], 'blocked'))
            else:
                if not s.answered_within(ANSWER_WAIT):
                    raise Failure(f'{where}: {st["sql"]!r} blocked (no answer in {ANSWER_WAIT} s)')
                outcome = s.outcome()
                check_expectation(where, st, outcome)
                record.append((i, st['session'], outcome))
            if st['unblocks']:
                other = sessions[st['unblocks']]
                if not other.answered_within(ANSWER_WAIT):
                    raise Failure(f'{where}: session {st["unblocks"]} is still blocked')
                outcome = other.outcome()
                if outcome['error'] is not None:
                    raise Failure(f'{where}: the unblocked statement failed: {outcome["error"]}')
                record.append((i, st['unblocks'], outcome))
        for key, s in sessions.items():
            if s.pending:
                raise Failure(f'{name}: session {key} still blocked at the end')
    finally:
        for s in sessions.values():
            s.close()
    return record


def compare(name, steps, ours, theirs):
    for (i, session, a), (_, _, b) in zip(ours, theirs):
        if a != b:
            raise Failure(f'{name}, step {i + 1} ({session}) {steps[i]["sql"]!r}:\n'
                          f'  sqlrited:   {a}\n  PostgreSQL: {b}')
    if len(ours) != len(theirs):
        raise Failure(f'{name}: {len(ours)} outcomes against PostgreSQL\'s {len(theirs)}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', choices=['sqlrited', 'postgres'], required=True)
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = ap.parse_args()
    reason = servers.Postgres.available(args.pg_bin)
    if reason:
        print(f'isolation: FAIL: {reason}')
        return 1
    if args.server == 'sqlrited' and not (args.sqlrited and os.path.exists(args.sqlrited)):
        print('isolation: FAIL: no sqlrited binary')
        return 1
    started = []
    try:
        pg = servers.Postgres(args.pg_bin)
        started.append(pg)
        pg.start()
        ours = None
        if args.server == 'sqlrited':
            ours = servers.Sqlrited(args.sqlrited)
            started.append(ours)
            ours.start()
        scenarios = HOLDING + SNAPSHOTS
        for name, steps in scenarios:
            reference = run_scenario(pg.port, name, steps)
            if ours:
                compare(name, steps, run_scenario(ours.port, name, steps), reference)
            print(f'isolation: ok: {name}')
        for server in started:
            if not server.alive():
                raise Failure(f'{server.name} died')
    except (Failure, servers.ServerError, OSError, pgwire.WireError) as e:
        print(f'isolation: FAILED: {e}')
        for server in started:
            print(server.log())
        return 1
    finally:
        for server in started:
            server.cleanup()
    print('isolation: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
