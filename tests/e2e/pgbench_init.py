#!/usr/bin/env python3
"""pgbench -i with every default step (drop, create, client-side COPY generation, vacuum, primary
keys: `alter table ... add primary key`) at scale 1 with --foreign-keys and then at scale 10 (--scale; 2 in the sanitizer builds),
followed by the builtin tpcb-like script and -S (select-only) with -M simple and -M prepared, on
sqlrited or PostgreSQL 15.

Passes when each pgbench run exits 0 with no failed transaction, the tables hold the rows the scale
says, each has its primary key (pg_indexes), the balances agree afterwards (accounts = tellers =
branches = history: every transaction applied whole), and after a restart the keys still find the
rows. Prints each step's time as pgbench reports it.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgwire  # noqa: E402
import servers  # noqa: E402

MISSING = 2


class Failure(Exception):
    pass


def sql(port, text):
    conn = pgwire.Connection(port)
    conn.startup()
    try:
        rows, error = conn.simple_query(text)
    finally:
        conn.close()
    if error:
        raise Failure(f'{text[:60]}: {error}')
    return rows


def run(cmd, what):
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    text = out.stdout + out.stderr
    if out.returncode != 0 or re.search(r'\berror\b|ERROR', text):
        raise Failure(f'{what}: exit {out.returncode}\n{text[-3000:]}')
    return text


def init(pgbench, port, scale, extra=()):
    what = f'pgbench -i -s {scale} {" ".join(extra)}'.strip()
    text = run([pgbench, '-i', '-s', str(scale), *extra, '-h', '127.0.0.1', '-p', str(port), '-U',
                'postgres', 'postgres'], what)
    done = re.search(r'^done in .*$', text, re.M)
    if not done or 'creating primary keys...' not in text or \
            ('--foreign-keys' in extra and 'creating foreign keys...' not in text):
        raise Failure(f'{what} did not run every step:\n{text[-3000:]}')
    print(f'pgbench_init: {what[len("pgbench "):]}: {done.group(0)}')
    expect = {'branches': scale, 'tellers': 10 * scale, 'accounts': 100000 * scale, 'history': 0}
    for table, count in expect.items():
        got = sql(port, f'select count(*) from pgbench_{table}')[0][0]
        if int(got) != count:
            raise Failure(f'pgbench_{table} holds {got} rows, not {count}')
    keys = [r[0] for r in sql(port, "select indexname from pg_indexes where tablename like "
                                    "'pgbench%' order by 1")]
    want = ['pgbench_accounts_pkey', 'pgbench_branches_pkey', 'pgbench_tellers_pkey']
    if keys != want:
        raise Failure(f'primary keys {keys}, not {want}')


def bench(pgbench, port, mode, script_args, transactions):
    cmd = [pgbench, '-h', '127.0.0.1', '-p', str(port), '-U', 'postgres', '-n', '-M', mode,
           '-c', '4', '-j', '2', '-t', str(transactions), *script_args, 'postgres']
    text = run(cmd, f'pgbench -M {mode} {" ".join(script_args)}')
    processed = re.search(r'number of transactions actually processed: (\d+)', text)
    failed = re.search(r'number of failed transactions: (\d+)', text)
    tps = re.search(r'tps = ([\d.]+)', text)
    if not processed or int(processed.group(1)) != 4 * transactions or \
            (failed and int(failed.group(1)) != 0):
        raise Failure(f'pgbench -M {mode} {" ".join(script_args)}:\n{text[-3000:]}')
    print(f'pgbench_init: -M {mode} {" ".join(script_args) or "tpcb-like"}: '
          f'{processed.group(1)} transactions, tps {tps.group(1) if tps else "?"}')


def check_balances(port):
    sums = [sql(port, f'select coalesce(sum({col}), 0) from pgbench_{table}')[0][0]
            for table, col in (('accounts', 'abalance'), ('tellers', 'tbalance'),
                               ('branches', 'bbalance'), ('history', 'delta'))]
    if len(set(sums)) != 1:
        raise Failure(f'balances disagree (accounts, tellers, branches, history): {sums}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', choices=['sqlrited', 'postgres'], required=True)
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    # The second init's scale (the sanitizer builds pass 2: 200,000 accounts, not a million).
    ap.add_argument('--scale', type=int, default=10)
    args = ap.parse_args()
    pgbench = os.path.join(args.pg_bin, 'pgbench')
    if not os.path.exists(pgbench):
        pgbench = shutil.which('pgbench')
    if not pgbench:
        print('pgbench_init: FAIL: pgbench not found (run scripts/setup)')
        return MISSING
    if args.server == 'sqlrited':
        if not args.sqlrited or not os.path.exists(args.sqlrited):
            print('pgbench_init: FAIL: no sqlrited binary')
            return MISSING
        server = servers.Sqlrited(args.sqlrited)
    else:
        reason = servers.Postgres.available(args.pg_bin)
        if reason:
            print(f'pgbench_init: FAIL: {reason}')
            return MISSING
        server = servers.Postgres(args.pg_bin)
    try:
        server.start()
        # --foreign-keys adds the foreign keys by ALTER TABLE ... ADD CONSTRAINT, each validated
        # against the rows; a row that breaks one must then be refused.
        init(pgbench, server.port, 1, ['--foreign-keys'])
        conn = pgwire.Connection(server.port)
        conn.startup()
        _, error = conn.simple_query('insert into pgbench_history values (1, 1, 100001, 5, '
                                     'null, null)')
        conn.close()
        if not error or error.get('C') != '23503':
            raise Failure(f'a history row with a missing account: {error}, not 23503')
        init(pgbench, server.port, args.scale)
        for mode in ('simple', 'prepared'):
            bench(pgbench, server.port, mode, [], 150)
            bench(pgbench, server.port, mode, ['-S'], 1000)
        check_balances(server.port)
        if not server.alive():
            raise Failure('the server died')
        server.stop()
        server.start()
        # An account of the last branch (branch b holds aids 100000 (b - 1) + 1 .. 100000 b).
        aid = 100000 * args.scale - 45679
        row = sql(server.port, f'select aid, bid from pgbench_accounts where aid = {aid}')
        if [list(r) for r in row] != [[str(aid), str(args.scale)]]:
            raise Failure(f'after a restart, aid {aid} reads {row}')
        check_balances(server.port)
    except (Failure, servers.ServerError, pgwire.WireError, OSError,
            subprocess.TimeoutExpired) as e:
        print(f'pgbench_init: FAILED: {e}')
        print(server.log())
        return 1
    finally:
        server.cleanup()
    print('pgbench_init: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
