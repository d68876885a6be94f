#!/usr/bin/python3
"""bench/join_order.py: 3- and 4-way joins of a 1M-row fact table with 1k-, 100- and 10-row
dimensions, written in the worst FROM order for a planner that joins in FROM order, timed on
sqlrited (one or more builds) beside PostgreSQL 15 on the same data.

    bench/join_order.py [--sqlrited PATH ...] [--rows N] [--repeat R]

Data (the same INSERT ... SELECT over generate_series on every server):

    f(id int, a int, b int, c int, v int)    N rows; a in 1..1000, b in 1..10, c in 1..100
    d1(id int primary key, cat int, name text)   1000 rows, cat = id % 10
    d2(id int primary key, name text)            10 rows
    d3(id int primary key, name text)            100 rows

Each server keeps the process that loaded the data (sqlrited's row counts, which its planner
estimates from, are counted as rows are written and start from nothing in a new process);
PostgreSQL runs VACUUM ANALYZE. Each query runs --repeat times per server (the best time is
reported), and every server's answer must equal PostgreSQL's, or the script exits 1.
"""

import argparse
import os
import sys
import tempfile
import time

import importlib.machinery
import importlib.util

HERE = os.path.dirname(os.path.abspath(__file__))


def load_bench_run():
    loader = importlib.machinery.SourceFileLoader('bench_run', os.path.join(HERE, 'run'))
    spec = importlib.util.spec_from_loader('bench_run', loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


bench_run = load_bench_run()

try:
    import psycopg2
except ImportError:  # Debian's psycopg2 belongs to /usr/bin/python3
    sys.exit('bench/join_order.py: psycopg2 is missing (run with /usr/bin/python3)')

QUERIES = [
    ('3-way, dimensions first',
     'select count(*), sum(f.v) from d1, f, d2 where f.a = d1.id and f.b = d2.id'),
    ('3-way, filtered dimension',
     "select count(*), sum(f.v) from d2, d1, f where f.a = d1.id and f.b = d2.id and d2.name = 'n3'"),
    ('4-way, dimensions first',
     'select count(*), sum(f.v), max(d3.name) from d1, d3, f, d2 '
     'where f.a = d1.id and f.c = d3.id and f.b = d2.id and d1.cat = 4'),
    ('4-way, explicit joins',
     'select count(*), sum(f.v) from d1 join d2 on d1.id = d2.id * 100 join f on f.a = d1.id '
     'join d3 on f.c = d3.id'),
]


def load(server, rows):
    server.psql('create table f (id int, a int, b int, c int, v int);'
                'create table d1 (id int primary key, cat int, name text);'
                'create table d2 (id int primary key, name text);'
                'create table d3 (id int primary key, name text)')
    server.psql("insert into d1 select i, i % 10, 'n' || i from generate_series(1, 1000) i")
    server.psql("insert into d2 select i, 'n' || i from generate_series(1, 10) i")
    server.psql("insert into d3 select i, 'n' || i from generate_series(1, 100) i")
    chunk = 250_000
    for lo in range(0, rows, chunk):
        hi = min(rows, lo + chunk) - 1
        server.psql(f'insert into f select i, 1 + (i::int8 * 7919) % 1000, 1 + (i * 31) % 10, '
                    f'1 + (i * 17) % 100, i % 1000 from generate_series({lo}, {hi}) i')
    if server.name == 'postgres':
        server.psql('vacuum analyze')


def run_query(server, sql):
    conn = psycopg2.connect(host='127.0.0.1', port=server.port, user='postgres', dbname='postgres')
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            start = time.perf_counter()
            cur.execute(sql)
            rows = cur.fetchall()
            took = time.perf_counter() - start
    finally:
        conn.close()
    return took, [tuple(str(v) for v in row) for row in rows]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--sqlrited', action='append', default=[],
                    help='a sqlrited binary (repeatable; default build/sqlrited)')
    ap.add_argument('--rows', type=int, default=1_000_000)
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--explain', action='store_true', help='print each server\'s plans')
    args = ap.parse_args()
    binaries = args.sqlrited or ['build/sqlrited']
    tmp = tempfile.mkdtemp(prefix='sqlrite-joinorder-')
    os.chmod(tmp, 0o755)  # PostgreSQL runs as its own user under it
    servers = []
    for i, binary in enumerate(binaries):
        sub = os.path.join(tmp, f's{i}')
        os.makedirs(sub)
        s = bench_run.Sqlrited(sub, 64, binary)
        s.label = binary
        servers.append(s)
    pg = bench_run.Postgres(os.path.join(tmp, 'pgroot'), 64)
    pg.label = 'postgres'
    os.makedirs(pg.tmp)
    servers.append(pg)
    errors = []
    try:
        for s in servers:
            s.start()
            start = time.monotonic()
            load(s, args.rows)
            print(f'join_order: {s.label} loaded in {time.monotonic() - start:.1f} s', flush=True)
        for name, sql in QUERIES:
            answers = {}
            line = [f'{name}:']
            for s in servers:
                best = None
                for _ in range(args.repeat):
                    took, rows = run_query(s, sql)
                    best = took if best is None else min(best, took)
                answers[s.label] = rows
                line.append(f'{s.label} {best:.3f} s')
                if args.explain:
                    _, plan = run_query(s, 'explain (costs off) ' + sql)
                    print(f'--- {s.label}: {sql}\n' + '\n'.join(r[0] for r in plan))
            print('join_order: ' + '; '.join(line) + f'; answer {answers["postgres"]}',
                  flush=True)
            for label, rows in answers.items():
                if rows != answers['postgres']:
                    errors.append(f'{name}: {label} answered {rows}, postgres '
                                  f'{answers["postgres"]}')
    finally:
        for s in servers:
            if getattr(s, 'pid', None) is not None:
                s.stop()
    for e in errors:
        print('join_order: ' + e, file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()
