#!/usr/bin/python3
"""The functions of a session's own state, over the wire, on sqlrited or PostgreSQL 15:
  1. pg_backend_pid() is the process id of the session's BackendKeyData (the one a CancelRequest
     names), different for two sessions, the same for every statement of one (simple and
     extended protocol).
  2. setseed(x) makes random() reproducible: the same seed gives the same values in another
     session and again in the same one, whatever ran on other sessions meanwhile, in a snapshot
     read (a plain SELECT), through the extended protocol, inside a transaction block and in an
     INSERT ... SELECT; another seed gives others; a session that never seeded does not draw the
     seeded sequence.

  session_functions.py --server sqlrited --sqlrited PATH
  session_functions.py --server postgres [--pg-bin DIR]

Exit 0 on success, 1 on failure (a missing binary is a failure).
"""

import argparse
import os
import struct
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pgwire  # noqa: E402
import servers  # noqa: E402


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def connect(port):
    conn = pgwire.Connection(port, timeout=30.0)
    messages = conn.startup()
    key = next((p for k, p in messages if k == b'K'), None)
    expect(key is not None and len(key) == 8, 'no BackendKeyData')
    conn.backend_pid = struct.unpack('!I', key[:4])[0]
    return conn


def run(conn, sql):
    _, error = conn.simple_query(sql)
    expect(error is None, f'{sql!r} failed: {error}')


def one(conn, sql):
    rows, error = conn.simple_query(sql)
    expect(error is None, f'{sql!r} failed: {error}')
    expect(len(rows) == 1 and len(rows[0]) == 1, f'{sql!r}: {rows}')
    return rows[0][0]


def extended_one(conn, sql):
    """Parse, Bind, Execute, Sync of sql (no parameters, text results): its one value."""
    conn.send(pgwire.message(b'P', b'\0' + sql.encode() + b'\0' + struct.pack('!H', 0)) +
              pgwire.message(b'B', b'\0\0' + struct.pack('!HHH', 0, 0, 0)) +
              pgwire.message(b'E', b'\0' + struct.pack('!I', 0)) +
              pgwire.message(b'S'))
    rows = []
    for kind, payload in conn.read_until_ready():
        expect(kind != b'E', f'{sql!r} failed: {pgwire.parse_error_fields(payload)}')
        if kind == b'D':
            rows.append(pgwire.decode_data_row(payload))
    expect(len(rows) == 1 and len(rows[0]) == 1, f'{sql!r}: {rows}')
    return rows[0][0]


def draws(conn, seed, n=3):
    one(conn, f'select setseed({seed})::text')
    return [one(conn, 'select random()') for _ in range(n)]


def backend_pid(port):
    a, b = connect(port), connect(port)
    try:
        for conn in (a, b):
            expect(one(conn, 'select pg_backend_pid()') == str(conn.backend_pid),
                   f'pg_backend_pid() is not the BackendKeyData pid {conn.backend_pid}')
            expect(one(conn, 'select pg_backend_pid()') == str(conn.backend_pid),
                   'pg_backend_pid() changed between statements')
            expect(extended_one(conn, 'select pg_backend_pid()') == str(conn.backend_pid),
                   'pg_backend_pid() differs in the extended protocol')
        expect(a.backend_pid != b.backend_pid, 'two sessions share a pid')
    finally:
        a.close()
        b.close()


def setseed(port):
    a, b = connect(port), connect(port)
    try:
        first = draws(a, 0.5)
        expect(len(set(first)) == 3, f'random() repeats: {first}')
        expect(draws(b, 0.5) == first, 'another session seeded alike draws other values')
        one(b, 'select random()')  # the other session's draws do not move this one's
        expect(draws(a, 0.5) == first, 'the same session seeded again draws other values')
        expect(draws(a, -0.25) != first, 'another seed draws the same values')
        one(a, 'select setseed(0.5)::text')
        expect([extended_one(a, 'select random()') for _ in range(3)] == first,
               'the extended protocol draws other values')
        run(a, 'begin')
        expect(draws(a, 0.5) == first, 'a transaction block draws other values')
        run(a, 'commit')
        run(a, 'create table t (x float8)')
        one(a, 'select setseed(0.5)::text')
        run(a, 'insert into t select random() from generate_series(1, 3)')
        rows, error = a.simple_query('select x::text from t')
        expect(error is None and [r[0] for r in rows] == first,
               f'INSERT ... SELECT random() drew {rows} {error}, not {first}')
        run(a, 'drop table t')
        c = connect(port)
        try:
            expect([one(c, 'select random()') for _ in range(3)] != first,
                   'an unseeded session draws the seeded sequence')
        finally:
            c.close()
    finally:
        a.close()
        b.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', choices=['sqlrited', 'postgres'], required=True)
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = ap.parse_args()
    if args.server == 'sqlrited':
        if not args.sqlrited or not os.path.exists(args.sqlrited):
            print(f'session_functions: FAIL: {args.sqlrited} not built')
            return 1
        server = servers.Sqlrited(args.sqlrited)
    else:
        server = servers.Postgres(args.pg_bin)
    try:
        server.start()
        backend_pid(server.port)
        setseed(server.port)
    except (Failure, servers.ServerError, pgwire.WireError, OSError) as e:
        print(f'session_functions: FAILED: {e}')
        print(server.log())
        return 1
    finally:
        server.cleanup()
    print('session_functions: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
