#!/usr/bin/env python3
"""pgbench -M prepared and -M extended, 16 clients on 2 threads, against pgbench tables made by
plain SQL and COPY (pgbench -i needs DDL sqlrited does not have yet), on sqlrited or PostgreSQL 15.

Two workloads per mode: the builtin select-only script, and the tpcb-like updates and select
without the pgbench_history insert (the builtin inserts CURRENT_TIMESTAMP into a timestamp column,
which sqlrited lacks). Passes when every run completes with no failed transaction and the
balances agree afterwards (sum of accounts = tellers = branches: every transaction applied whole).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgwire  # noqa: E402
import servers  # noqa: E402

MISSING = 2
ACCOUNTS = 20000
TELLERS = 10
TPCB = """\\set aid random(1, 20000)
\\set bid 1
\\set tid random(1, 10)
\\set delta random(-5000, 5000)
BEGIN;
UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;
UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = :bid;
END;
"""


class Failure(Exception):
    pass


def sql(conn, text):
    rows, error = conn.simple_query(text)
    if error:
        raise Failure(f'{text[:60]}: {error}')
    return rows


def create_tables(port):
    conn = pgwire.Connection(port)
    conn.startup()
    sql(conn, 'create table pgbench_branches (bid int primary key, bbalance int, filler varchar(88))')
    sql(conn, 'create table pgbench_tellers (tid int primary key, bid int, tbalance int, '
              'filler varchar(84))')
    sql(conn, 'create table pgbench_accounts (aid int primary key, bid int, abalance int, '
              'filler varchar(84))')
    sql(conn, 'create table pgbench_history (tid int, bid int, aid int, delta int, mtime text, '
              'filler varchar(22))')
    sql(conn, 'insert into pgbench_branches values (1, 0, null)')
    sql(conn, 'insert into pgbench_tellers values ' +
        ','.join(f'({i}, 1, 0, null)' for i in range(1, TELLERS + 1)))
    # The accounts come in by COPY FROM STDIN, as pgbench -i loads them.
    copy_in(conn, 'copy pgbench_accounts from stdin',
            ''.join(f'{i}\t1\t0\t\\N\n' for i in range(1, ACCOUNTS + 1)).encode())
    conn.close()


def copy_in(conn, text, data):
    conn.send(pgwire.query_message(text))
    while True:
        msg = conn.read_message()
        if msg is None:
            raise Failure(f'{text}: the server closed the connection')
        kind, payload = msg
        if kind == b'G':
            conn.send(b''.join(pgwire.message(b'd', data[i:i + 65536])
                               for i in range(0, len(data), 65536)) + pgwire.message(b'c'))
        elif kind == b'E':
            raise Failure(f'{text}: {pgwire.parse_error_fields(payload)}')
        elif kind == b'C':
            if payload.rstrip(b'\0') != f'COPY {ACCOUNTS}'.encode():
                raise Failure(f'{text}: {payload!r}')
        elif kind == b'Z':
            return


def balances(port):
    conn = pgwire.Connection(port)
    conn.startup()
    sums = [sql(conn, f'select sum({col}) from pgbench_{table}')[0][0]
            for table, col in (('accounts', 'abalance'), ('tellers', 'tbalance'),
                               ('branches', 'bbalance'))]
    conn.close()
    return sums


def run_pgbench(pgbench, port, mode, script_args, transactions):
    cmd = [pgbench, '-h', '127.0.0.1', '-p', str(port), '-U', 'postgres', '-n', '-M', mode,
           '-c', '16', '-j', '2', '-t', str(transactions), *script_args, 'postgres']
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    text = out.stdout + out.stderr
    processed = re.search(r'number of transactions actually processed: (\d+)', text)
    failed = re.search(r'number of failed transactions: (\d+)', text)
    tps = re.search(r'tps = ([\d.]+)', text)
    if out.returncode != 0 or not processed or int(processed.group(1)) != 16 * transactions or \
            (failed and int(failed.group(1)) != 0):
        raise Failure(f'pgbench -M {mode} {" ".join(script_args)}: exit {out.returncode}\n{text}')
    print(f'pgbench_extended: -M {mode} {" ".join(script_args)}: '
          f'{processed.group(1)} transactions, tps {tps.group(1) if tps else "?"}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', choices=['sqlrited', 'postgres'], required=True)
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = ap.parse_args()
    pgbench = os.path.join(args.pg_bin, 'pgbench')
    if not os.path.exists(pgbench):
        pgbench = shutil.which('pgbench')
    if not pgbench:
        print('pgbench_extended: FAIL: pgbench not found (run scripts/setup)')
        return MISSING
    if args.server == 'sqlrited':
        if not args.sqlrited or not os.path.exists(args.sqlrited):
            print('pgbench_extended: FAIL: no sqlrited binary')
            return MISSING
        server = servers.Sqlrited(args.sqlrited)
    else:
        reason = servers.Postgres.available(args.pg_bin)
        if reason:
            print(f'pgbench_extended: FAIL: {reason}')
            return MISSING
        server = servers.Postgres(args.pg_bin)
    script_dir = tempfile.mkdtemp(prefix='sqlrite-pgbench-')
    try:
        server.start()
        create_tables(server.port)
        script = os.path.join(script_dir, 'tpcb-no-history.sql')
        with open(script, 'w', encoding='utf-8') as f:
            f.write(TPCB)
        for mode in ('prepared', 'extended'):
            run_pgbench(pgbench, server.port, mode, ['-b', 'select-only'], 500)
            run_pgbench(pgbench, server.port, mode, ['-f', script], 40)
        sums = balances(server.port)
        if len(set(sums)) != 1:
            raise Failure(f'balances disagree (accounts, tellers, branches): {sums}')
        if not server.alive():
            raise Failure('the server died')
    except (Failure, servers.ServerError, pgwire.WireError, OSError) as e:
        print(f'pgbench_extended: FAILED: {e}')
        print(server.log())
        return 1
    finally:
        server.cleanup()
        shutil.rmtree(script_dir, ignore_errors=True)
    print('pgbench_extended: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
