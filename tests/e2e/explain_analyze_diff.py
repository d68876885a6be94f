#!/usr/bin/python3
"""Differential test of EXPLAIN ANALYZE: the same statements go to sqlrited and to a PostgreSQL 15
this script starts, and every answer must match (RowDescription, DataRows, command tags, errors).

The queries are those whose plan shape already matches PostgreSQL's plain EXPLAIN (COSTS OFF)
(join_diff.py and the diff corpus's EXPLAIN cases), run as EXPLAIN (ANALYZE, COSTS OFF, TIMING
OFF, SUMMARY OFF): each node's actual rows and loops, Rows Removed by Filter / Join Filter, Sort
Method, a hashed aggregate's Batches, a Hash node's Buckets / Batches, loops of a nested loop's
inner side, of correlated SubPlans, InitPlans, CTE scans and LATERAL items, and nodes never
executed. The figures no two servers share are masked before comparing: memory and disk sizes
(kB), bucket counts, PostgreSQL's Buffers lines (BUFFERS is accepted and shows nothing here), and, for the runs with TIMING and SUMMARY on, the times themselves (their
shape is checked: three decimals, startup <= total).

Also: the options' errors (TIMING without ANALYZE, an unknown option), BUFFERS accepted, the
command tag (EXPLAIN) on the simple and extended protocols, EXPLAIN ANALYZE of INSERT / UPDATE /
DELETE really changing the table (and undone with a block that rolls back), and a read in a
REPEATABLE READ block.

    explain_analyze_diff.py --sqlrited build/sqlrited [--pg-bin /usr/lib/postgresql/15/bin]
"""

import argparse
import os
import re
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import extended  # noqa: E402
import pgwire  # noqa: E402
import servers  # noqa: E402

MISSING = 2
ERROR_FIELDS = ('V', 'C', 'M', 'D')

SETUP = [
    'create table a (k int, x text)',
    'create table b (k bigint, y varchar(10))',
    'create table c (id int primary key, k smallint, x text)',
    'create table e (k int, z text)',
    "insert into a values (1, 'a1'), (2, 'a2'), (null, 'anull'), (1, 'a1bis'), (4, 'a4')",
    "insert into b values (1, 'b1'), (3, 'b3'), (null, 'bnull'), (1, 'b1bis'), (4, 'b4')",
    "insert into c values (10, 1, 'c10'), (20, 2, 'c20'), (30, null, 'c30'), (40, 4, 'a4')",
    'create table t (id int, val int)',
    'create table u (id int, t_id int)',
    'insert into t values (1, 10), (2, 20), (3, 30)',
    'insert into u values (1, 1), (2, 1), (3, 2)',
    'create table p (id int, cat text)',
    "insert into p values (1, 'x'), (2, 'y'), (3, 'x'), (4, 'z'), (5, 'y')",
    'create table ev (k int, g int, f int)',
    'insert into ev select i, i % 3, i % 2 from generate_series(1, 12) i',
    'create table w (id int, v int)',
]

ANALYZE = 'explain (analyze, costs off, timing off, summary off) '

# Plan shapes that match PostgreSQL's plain EXPLAIN (COSTS OFF) on these tables.
SHAPES = [
    'select * from a',
    'select * from a where k = 1',
    'select * from a where k > 100',
    'select * from c where id = 10',
    'select * from c where id = 99',
    'select x from a order by x limit 2',
    'select x from a order by x',
    'select x from a order by x desc nulls last',
    'select count(*) from a',
    'select count(*) from e',
    'select k, count(*) from a group by k',
    'select k, count(*) from a group by k having count(*) > 1',
    'select 1',
    'select * from a where 1 = 0',
    'select * from a where 1 = 1 and k > 2',
    "select * from a, b where a.k = b.k and b.y = 'b1'",
    # The Hash node counts the rows in its table: not a NULL key.
    "select * from a, b where a.k = b.k and b.y > 'b'",
    "select * from b, a where a.k = b.k and a.x > 'a1'",
    "select * from a left join b on a.k = b.k and b.y = 'b1' where a.x <> 'zz'",
    'select * from a join c on a.k < c.k',
    'select * from e join c on e.k < c.k',
    'select distinct x from a',
    'select * from a limit 2',
    # Subqueries: an InitPlan runs once, a correlated SubPlan once per outer row.
    'select (select max(val) from t)',
    # (string_agg: a SubPlan on both; a count correlated by equality alone is a grouped join
    # here, a SubPlan in PostgreSQL)
    "select id, (select string_agg(u.id::text, ',') from u where u.t_id = t.id) from t",
    # Windows, DISTINCT ON, WITH TIES.
    'select id, row_number() over (order by id) from t order by id',
    'select k, sum(k) over () from ev',
    'select distinct on (cat) cat, id from p order by cat, id',
    'select cat from p order by cat fetch first 2 rows with ties',
    'select * from p order by cat limit 1',
    'select * from ev order by k limit 3 offset 2',
    'select k, count(*) from a group by k order by k',
    'select g, count(*) from ev group by rollup (g)',
    'select k, row_number() over (partition by g order by k) from ev',
    'select * from a where k = 1 limit 1',
    # Set operations and a nested loop's outer join; a function scan.
    'select id from t intersect select t_id from u',
    'select id from t union all select id from u',
    'select * from a left join c on a.k < c.k',
    'select * from generate_series(1, 3) g',
    'select * from t, u',
    'select count(*) from t having count(*) > 5',
    'select * from t where id = 1 or val = 30',
    'select * from t t1 where val > all (select val from t t2 where t2.id < t1.id)',
    'select * from t where val / (id - 2) > 0',
]

# EXPLAIN ANALYZE of writes: they run (the table is read back after them).
WRITES = [
    'insert into w values (1, 10)',
    'insert into w values (2, 20), (3, 30)',
    'insert into w default values',
    'update w set v = v + 1 where id = 1',
    'update w set v = 0',
    'update w x set v = 5 where x.id = 2',
    'delete from w where id > 2 returning id',
    'insert into w values (9, 9) returning *',
    'delete from w where id = 999',
    'update c set k = 3 where id = 20',
]

STATEMENTS = [ANALYZE + q for q in SHAPES] + [ANALYZE + q for q in WRITES] + [
    'select * from w order by id, v',
    'select * from c order by id',
    # Inside a block that rolls back, the write is undone with it.
    'begin',
    ANALYZE + 'delete from c where k > 1',
    'select count(*) from c',
    'rollback',
    'select count(*) from c',
    'explain analyze update w set v = 1 where id = 9',
    'explain (analyze, timing off, summary off) insert into w values (10, 10)',

    # The options: ANALYZE spelled both ways, BUFFERS accepted (nothing to show), a plain
    # EXPLAIN's SUMMARY, TIMING without ANALYZE, unknown options.
    'explain analyze select * from a where k = 1',
    'explain (analyze) select count(*) from a',
    'explain (analyze, buffers) select * from a where k > 1',
    'explain (analyze, buffers off, timing off) select * from a where k > 1',
    'explain (costs off, summary) select * from a',
    'explain (analyze, costs off, timing off) select * from a where k > 1',
    'explain (timing) select 1',
    'explain (timing off) select 1',
    'explain (analyze false, costs off) select 1',
    'explain (analyze, nonsense) select 1',
    'explain (analyze, costs off, timing off, summary off) select 1 / 0',
    'explain (analyze, costs off, timing off, summary off) select * from nosuch',
]


def mask(text):
    """The figures two servers do not share: memory and disk sizes, bucket counts, times."""
    text = re.sub(r'(Memory Usage|Memory|Disk Usage|Disk): \d+kB', r'\1: NkB', text)
    text = re.sub(r'Buckets: \d+', 'Buckets: N', text)
    text = re.sub(r'actual time=(\d+\.\d{3})\.\.(\d+\.\d{3})', 'actual time=T..T', text)
    text = re.sub(r'(Planning Time|Execution Time): \d+\.\d{3} ms', r'\1: T ms', text)
    text = re.sub(r'\(cost=[^)]*\)', '(cost=C)', text)
    return text


def masked(messages):
    out = []
    for m in messages:
        # BUFFERS: PostgreSQL's buffer counts, which SQLRite does not keep (it prints none).
        if m[0] == 'D' and isinstance(m[1][0], str) and \
                re.fullmatch(r'\s*(Buffers: .*|Planning:)', m[1][0]):
            continue
        if m[0] == 'D':
            out.append(('D', tuple(mask(v) if isinstance(v, str) else v for v in m[1])))
        else:
            out.append(m)
    return out


def check_times(messages):
    """Timing on: every actual time is startup..total with startup <= total, and the summary
    lines end the plan. Returns a complaint or None."""
    rows = [m[1][0] for m in messages if m[0] == 'D']
    if not rows:
        return 'no plan lines'
    for line in rows:
        for s, t in re.findall(r'actual time=(\d+\.\d{3})\.\.(\d+\.\d{3})', line):
            if float(s) > float(t):
                return f'startup after total: {line}'
    if 'actual time=' not in rows[0]:
        return f'no time on the top node: {rows[0]}'
    if not re.fullmatch(r'Planning Time: \d+\.\d{3} ms', rows[-2]) or \
            not re.fullmatch(r'Execution Time: \d+\.\d{3} ms', rows[-1]):
        return f'no summary: {rows[-2:]}'
    return None


TIMED = [
    'explain analyze select * from a where k = 1',
    'explain analyze delete from w where id = 10',
    'explain (analyze, costs off) select k, count(*) from a group by k',
]


def Q(sql):
    return pgwire.query_message(sql)


P, B, D, E, S = extended.P, extended.B, extended.D, extended.E, extended.S

EXTENDED = [
    ('extended: explain analyze with $1',
     P(ANALYZE + 'select * from a where k = $1') + D(b'S') + B(params=[b'1']) + D(b'P') + E() +
     S),
    ('extended: explain analyze of an insert and an update with $1',
     P(ANALYZE + 'insert into w values ($1, 1)') + D(b'S') + B(params=[b'77']) + D(b'P') + E() +
     S + P(ANALYZE + 'update w set v = $1 where id = 77') + B(params=[b'5']) + E() + S, 2),
    ('block: explain analyze on the snapshot',
     Q('begin isolation level repeatable read; select 1; ' + ANALYZE +
       'select count(*) from a where k > 1; commit')),
]


def run(server):
    conn = pgwire.Connection(server.port)
    conn.startup()
    for sql in SETUP:
        messages = extended.exchange(conn, Q(sql), 1, ERROR_FIELDS)
        if any(m[0] == 'E' for m in messages):
            raise pgwire.WireError(f'setup failed: {sql}: {messages}')
    transcript = [(sql, masked(extended.exchange(conn, Q(sql), 1, ERROR_FIELDS)))
                  for sql in STATEMENTS]
    transcript += [(label, masked(extended.exchange(conn, data, syncs[0] if syncs else 1,
                                                    ERROR_FIELDS)))
                   for label, data, *syncs in EXTENDED]
    timed = [(sql, extended.exchange(conn, Q(sql), 1, ERROR_FIELDS)) for sql in TIMED]
    conn.close()
    return transcript, timed


def run_server(server):
    try:
        server.start()
        result = run(server)
        if not server.alive():
            print(f'explain_analyze_diff: FAILED: {server.name} died\n{server.log()}')
            return None
        return result
    except (servers.ServerError, pgwire.WireError, OSError) as e:
        print(f'explain_analyze_diff: FAILED: {server.name}: {e}\n{server.log()}')
        return None
    finally:
        server.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = ap.parse_args()
    reason = servers.Postgres.available(args.pg_bin)
    if reason:
        print(f'explain_analyze_diff: FAIL: {reason}')
        return MISSING
    if not args.sqlrited or not os.path.exists(args.sqlrited):
        print('explain_analyze_diff: FAIL: no sqlrited binary')
        return MISSING
    ours = run_server(servers.Sqlrited(args.sqlrited))
    theirs = run_server(servers.Postgres(args.pg_bin))
    if ours is None or theirs is None:
        return 1
    failures = 0
    for (sql, got), (_, want) in zip(ours[0] + ours[1], theirs[0] + theirs[1]):
        got, want = masked(got), masked(want)
        if got != want:
            failures += 1
            print(f'explain_analyze_diff: MISMATCH: {sql}')
            for i in range(max(len(got), len(want))):
                g = got[i] if i < len(got) else None
                w = want[i] if i < len(want) else None
                print(f'  {"  " if g == w else "!="} sqlrited {g}\n     postgres {w}')
    for sql, messages in ours[1]:
        complaint = check_times(messages)
        if complaint:
            failures += 1
            print(f'explain_analyze_diff: TIMES: {sql}: {complaint}')
    total = len(ours[0]) + len(ours[1])
    if failures:
        print(f'explain_analyze_diff: {failures} of {total} statements differ from PostgreSQL 15')
        return 1
    print(f'explain_analyze_diff: {total} statements match PostgreSQL 15')
    return 0


if __name__ == '__main__':
    sys.exit(main())
