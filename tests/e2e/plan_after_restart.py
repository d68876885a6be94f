#!/usr/bin/python3
"""After a restart, the planner still knows a big table from a small one, as PostgreSQL's does.

sqlrited counts live rows as it writes (engine/table_stats.h); a restarted process starts its
counts from each table's B+tree estimate (storage/btree.h, BTree::EstimateEntries). Without it,
every table written before the restart was sized by the never-counted default (estimate.h: ten
pages of rows of its columns' widths), so a wide 50,000-row table looked smaller than a narrow
100-row one and the hash join hashed the big one.

The same schema and data go to sqlrited and to a PostgreSQL 15 started here; both are restarted;
then EXPLAIN (COSTS OFF) of the join must be the same on both (PostgreSQL sizes the table from its
pages after a restart; it runs with enable_mergejoin off, as sqlrited has no merge join) with the
hash over the small table, and sqlrited's n_live_tup must be
within a factor of two of the real counts.

  plan_after_restart.py --sqlrited PATH [--pg-bin DIR]

Exit 0 on success, 1 on failure (a missing server is a failure).
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pgwire  # noqa: E402
import servers  # noqa: E402

BIG = 50000
SMALL = 100
SCHEMA = [
    # Wide rows for the big table, one narrow column for the small one: by column widths alone
    # the big table looks the smaller.
    'create table big (id int, g int, pad text, pad2 text, pad3 text)',
    f"insert into big select i, i % {SMALL}, 'pad ' || i, 'more ' || i, 'and more ' || i"
    f' from generate_series(1, {BIG}) i',
    'create table small (id int)',
    f'insert into small select i from generate_series(1, {SMALL}) i',
]
QUERY = 'explain (costs off) select count(*) from big b join small s on b.g = s.id'
# PostgreSQL merge-joins these two by its costs (sqlrited has no merge join); with merge joins
# off it hashes, as sqlrited does.
PG_SETTINGS = 'set enable_mergejoin = off; '


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def run(port, sql):
    conn = pgwire.Connection(port, timeout=60.0)
    conn.startup()
    try:
        rows, error = conn.simple_query(sql)
    finally:
        conn.close()
    expect(error is None, f'{sql!r} failed: {error}')
    return rows


def plan_after_restart(server, name, settings=''):
    server.start()
    for sql in SCHEMA:
        run(server.port, sql)
    expect(server.stop() == 0, f'{name} did not stop cleanly')
    server.start()
    return [row[0] for row in run(server.port, settings + QUERY)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sqlrited', required=True)
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = ap.parse_args()
    if not os.path.exists(args.sqlrited):
        print(f'plan_after_restart: FAIL: {args.sqlrited} not built')
        return 1
    why = servers.Postgres.available(args.pg_bin)
    if why:
        print(f'plan_after_restart: FAIL: PostgreSQL 15: {why}')
        return 1
    sqlrited = servers.Sqlrited(args.sqlrited)
    postgres = servers.Postgres(args.pg_bin)
    try:
        ours = plan_after_restart(sqlrited, 'sqlrited')
        theirs = plan_after_restart(postgres, 'PostgreSQL', PG_SETTINGS)
        print('sqlrited:\n  ' + '\n  '.join(ours))
        print('PostgreSQL:\n  ' + '\n  '.join(theirs))
        expect(ours == theirs, 'the plans differ')
        hashed = [line for line in ours if 'Seq Scan' in line]
        expect(hashed and 'small' in hashed[-1], 'the hash is not over the small table')
        counts = dict((r[0], int(r[1])) for r in run(
            sqlrited.port, 'select relname, n_live_tup from pg_stat_user_tables'))
        print(f'sqlrited n_live_tup after the restart: {counts}')
        for table, real in (('big', BIG), ('small', SMALL)):
            expect(real / 2 <= counts.get(table, 0) <= real * 2,
                   f'{table}: n_live_tup {counts.get(table)} is not within 2x of {real}')
    except (Failure, servers.ServerError, pgwire.WireError, OSError) as e:
        print(f'plan_after_restart: FAILED: {e}')
        print(sqlrited.log())
        return 1
    finally:
        sqlrited.cleanup()
        postgres.cleanup()
    print('plan_after_restart: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
