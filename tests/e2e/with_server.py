#!/usr/bin/env python3
"""Runs a client program against a server this script starts: the real sqlrited or a real
PostgreSQL 15 (servers.py), on a free loopback port and a temporary data directory. The program gets
the server in PGHOST, PGPORT, PGUSER and PGDATABASE; its exit status is the test's. A missing
server or program FAILS (exit 2), never skips.

    with_server.py --server sqlrited --sqlrited build/sqlrited -- ./libpq_extended
"""

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import servers  # noqa: E402

MISSING = 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', choices=['sqlrited', 'postgres'], required=True)
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    ap.add_argument('--timeout', type=float, default=240.0)
    ap.add_argument('program', nargs=argparse.REMAINDER)
    args = ap.parse_args()
    program = [a for a in args.program if a != '--']
    if not program or not os.path.exists(program[0]):
        print(f'with_server: FAIL: no program {program[:1]}')
        return MISSING
    if args.server == 'sqlrited':
        if not args.sqlrited or not os.path.exists(args.sqlrited):
            print('with_server: FAIL: no sqlrited binary')
            return MISSING
        server = servers.Sqlrited(args.sqlrited)
    else:
        reason = servers.Postgres.available(args.pg_bin)
        if reason:
            print(f'with_server: FAIL: {reason}')
            return MISSING
        server = servers.Postgres(args.pg_bin)
    try:
        server.start()
        env = dict(os.environ, PGHOST='127.0.0.1', PGPORT=str(server.port), PGUSER='postgres',
                   PGDATABASE='postgres', SQLRITE_TEST_SERVER=args.server)
        status = subprocess.run(program, env=env, timeout=args.timeout).returncode
        if not server.alive():
            print('with_server: FAILED: the server died')
            status = 1
        if status != 0:
            print(server.log())
        return status
    finally:
        server.cleanup()


if __name__ == '__main__':
    sys.exit(main())
