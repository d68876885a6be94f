#!/usr/bin/env python3
"""Runs a real PostgreSQL driver's test program (psycopg2, node-postgres, pgjdbc) against a server
this script starts, and compares with PostgreSQL 15.

The program gets the server in PGHOST, PGPORT, PGUSER and PGDATABASE and SQLRITE_TEST_SERVER
(sqlrited or postgres). It asserts what it checks itself (exit status non-zero on a failed check)
and prints a transcript: one line per observation (values as the driver returned them, SQLSTATEs,
error fields), lines starting with '#' being commentary that is not compared.

  --server postgres: the program against a PostgreSQL 15 only (the reference run: its assertions
    are PostgreSQL's behaviour).
  --server sqlrited: the program against sqlrited, then against a PostgreSQL 15 this script also
    starts; both must pass and the transcripts must be equal line for line.

  --pending (with --server sqlrited): the feature the program checks is still being built: the
    program must stop with exit 3 (the server answered 0A000 for it) against sqlrited and pass
    against PostgreSQL. Once the feature works this FAILS, saying to drop --pending: a tripwire,
    never a quiet pass.

A missing server, driver or program FAILS (exit 2), never skips.

    drivers.py --server sqlrited --sqlrited build/sqlrited --pg-bin /usr/lib/postgresql/15/bin \
        -- /usr/bin/python3 tests/e2e/psycopg2_driver.py
"""

import argparse
import difflib
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import servers  # noqa: E402

MISSING = 2


PENDING = 3


def run_program(server, kind, program, timeout, pending=False):
    env = dict(os.environ, PGHOST='127.0.0.1', PGPORT=str(server.port), PGUSER='postgres',
               PGDATABASE='postgres', SQLRITE_TEST_SERVER=kind)
    try:
        done = subprocess.run(program, env=env, timeout=timeout, capture_output=True, text=True)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors='replace') if isinstance(e.stdout, bytes) else (e.stdout or '')
        print(f'drivers: FAILED: {program[-1]} against {kind} did not finish in {timeout:.0f} s')
        print(out)
        return None
    sys.stdout.write(f'---- {kind} ----\n{done.stdout}')
    if done.stderr:
        sys.stdout.write(f'---- {kind} stderr ----\n{done.stderr}')
    if pending and done.returncode == PENDING:
        return 'pending'
    if done.returncode != 0:
        print(f'drivers: FAILED: the program exited with {done.returncode} against {kind}')
        return None
    if not server.alive():
        print(f'drivers: FAILED: {kind} died')
        return None
    return [line for line in done.stdout.splitlines() if not line.startswith('#')]


def with_server(server, kind, program, timeout, pending=False):
    try:
        server.start()
        lines = run_program(server, kind, program, timeout, pending)
        if lines is None:
            print(server.log())
        return lines
    finally:
        server.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', choices=['sqlrited', 'postgres'], required=True)
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    ap.add_argument('--timeout', type=float, default=120.0)
    ap.add_argument('--need', action='append', default=[],
                    help='a file the program needs (a driver, a compiled class): missing fails')
    ap.add_argument('--pending', action='store_true',
                    help='sqlrited does not have the feature yet: expect the program\'s exit 3')
    ap.add_argument('program', nargs=argparse.REMAINDER)
    args = ap.parse_args()
    program = [a for a in args.program if a != '--']
    for path in program[:1] + [p for p in program[1:] if os.path.isabs(p) and ':' not in p] + args.need:
        if not os.path.exists(path):
            print(f'drivers: FAIL: {path} is missing (scripts/setup installs the drivers; the '
                  'build compiles and installs the test programs)')
            return MISSING
    reason = servers.Postgres.available(args.pg_bin)
    if reason:
        print(f'drivers: FAIL: {reason}')
        return MISSING
    if args.server == 'sqlrited' and (not args.sqlrited or not os.path.exists(args.sqlrited)):
        print('drivers: FAIL: no sqlrited binary')
        return MISSING

    reference = with_server(servers.Postgres(args.pg_bin), 'postgres', program, args.timeout)
    if reference is None:
        return 1
    if args.server == 'postgres':
        print('drivers: ok against PostgreSQL 15')
        return 0
    ours = with_server(servers.Sqlrited(args.sqlrited), 'sqlrited', program, args.timeout,
                       args.pending)
    if ours is None:
        return 1
    if args.pending:
        if ours == 'pending':
            print('drivers: ok, still pending: sqlrited answers 0A000 for this feature')
            return 0
        print('drivers: FAILED: the feature now works against sqlrited: drop --pending from '
              'its registration in tests/CMakeLists.txt so its transcript is compared')
        return 1
    if ours != reference:
        print('drivers: FAILED: the transcripts differ (--- postgres, +++ sqlrited)')
        sys.stdout.writelines(difflib.unified_diff([l + '\n' for l in reference],
                                                   [l + '\n' for l in ours],
                                                   'postgres', 'sqlrited'))
        return 1
    print(f'drivers: ok, {len(ours)} transcript lines equal to PostgreSQL 15\'s')
    return 0


if __name__ == '__main__':
    sys.exit(main())
