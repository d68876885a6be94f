#!/usr/bin/python3
"""Differential test of joins and EXPLAIN: the same statements go to sqlrited and to a PostgreSQL 15
this script starts, and every answer must match: RowDescription (column names, type OIDs),
DataRows, command tags, and errors (severity, SQLSTATE, message, DETAIL).

Covered: INNER, LEFT, RIGHT, FULL and CROSS joins with ON, USING and NATURAL, over NULL keys,
duplicate keys and empty sides; parenthesised and chained joins; aliases; USING/NATURAL's merged
columns (SELECT * shows each once, first; a FULL join's merged column is the COALESCE of both);
joins mixed with comma lists, WHERE conditions above outer joins, grouping and ordering over joins;
equi-joins of different integer widths and of text with varchar; the errors: an ambiguous column
(42702), an unknown one (42703), a USING column missing on one side (42703), a duplicate alias
(42712), ON referring to a table outside the join (42P01). And EXPLAIN (COSTS OFF) for the plan
shapes whose choice does not depend on PostgreSQL's cost estimates (on these tables PostgreSQL
takes a Merge Join for a plain equi-join, a Bitmap Heap Scan for a key range: not compared).

Every query that returns several rows orders them completely, so the comparison is exact.

    join_diff.py --sqlrited build/sqlrited [--pg-bin /usr/lib/postgresql/15/bin]
"""

import argparse
import os
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
    'create table ta (x int, y int)',
    'create table tb (x int, y int)',
    'create table tc (x int, z int)',
    'insert into ta values (1, 1), (2, -1), (3, 5), (null, 2)',
    'insert into tb values (1, 10), (3, 30), (5, 50)',
    'insert into tc values (1, 100), (2, 200), (3, 300), (null, 1)',
]

QUERIES = [
    # Every join kind, ON, over NULL and duplicate keys.
    'select * from a join b on a.k = b.k order by a.x, b.y',
    'select * from a inner join b on a.k = b.k and b.y <> \'b1\' order by a.x, b.y',
    'select * from a left join b on a.k = b.k order by a.x, b.y',
    'select * from a right join b on a.k = b.k order by b.y, a.x',
    'select * from a full join b on a.k = b.k order by a.x nulls first, b.y',
    'select * from a full outer join b on a.k = b.k and a.x = \'a1\' order by a.x, b.y',
    'select * from a cross join c order by a.x, c.id',
    'select a.x, c.id from a left join c on a.k < c.k order by 1, 2',
    'select a.x, c.id from a full join c on a.k < c.k order by 1, 2',
    'select a.x, b.y from a left join b on true order by 1, 2',
    'select a.x, b.y from a left join b on false order by 1, 2',
    # Empty sides.
    'select * from a join e on a.k = e.k',
    'select * from a left join e on a.k = e.k order by a.x',
    'select * from e right join a on a.k = e.k order by a.x',
    'select * from e full join a on a.k = e.k order by a.x',
    'select count(*) from e cross join a',
    # USING and NATURAL: merged columns first, once.
    'select * from a join b using (k) order by a.x, b.y',
    'select * from a left join b using (k) order by a.x, b.y',
    'select * from a right join b using (k) order by b.y, a.x',
    'select * from a full join b using (k) order by k, a.x, b.y',
    'select k, a.k, b.k from a full join b using (k) order by 1, 2, 3',
    'select * from a natural join c order by c.id',
    'select * from a natural left join c order by a.x',
    'select * from a natural full join e order by x',
    'select a.*, c.* from a join c using (k) order by a.x',
    'select * from (a join b using (k)) join c using (k) order by a.x, b.y',
    'select k, count(*) from a join b using (k) group by k order by k',
    'select * from (a join b using (k)) join c on c.k = k order by a.x, b.y',
    'select k, x from a full join c using (k, x) where k is not null order by k, x',
    'select a1.x, a2.x from a a1 join a a2 on a1.k = a2.k and a1.x < a2.x order by 1, 2',
    'select a1.x, a2.x from a a1 join a a2 using (k) order by 1, 2',
    'select x from a join b using (k) join c using (k)',
    'select a.x from a join b on a.k = b.k join c on c.k = b.k where c.id > 15 order by 1',
    # Parenthesised and chained joins, aliases, comma lists.
    'select t1.x, t2.y, t3.id from a t1 join b t2 on t1.k = t2.k join c t3 on t3.k = t2.k '
    'order by 1, 2, 3',
    'select * from a left join (b join c on b.k = c.k) on a.k = b.k order by a.x, b.y',
    'select * from (a left join b on a.k = b.k) left join c on c.k = a.k order by a.x, b.y',
    'select a.x, c.id, e.z from a join c on a.k = c.k, e order by 1, 2',
    'select a.x, c.id from c, a left join b on a.k = b.k where c.k = a.k order by 1, 2',
    'select a.x, b.y from a left join b on a.k = b.k where b.y is null order by 1',
    'select a.x, b.y from a left join b on a.k = b.k where a.k > 1 order by 1, 2',
    'select a.x, b.y from a full join b on a.k = b.k where coalesce(a.k, b.k) >= 3 '
    'order by 1, 2',
    'select a.k, count(b.y), sum(b.k) from a left join b on a.k = b.k group by a.k '
    'order by a.k',
    'select a.x, b.y from a join b on a.x < b.y order by 1, 2 limit 4 offset 1',
    # Mixed types in keys; comma joins planned as hash joins.
    'select a.x, c.id from a, c where a.k = c.k order by 1, 2',
    'select a.x, b.y from a, b where a.x = b.y or a.k = b.k order by 1, 2',
    'select a.x, b.y, c.id from a, b, c where b.k = c.k and a.k = b.k and c.id > 5 '
    'order by 1, 2, 3',
    'select c.x, a.x from c join a on c.x = a.x order by 1',
    # Errors.
    'select k from a join b on a.k = b.k',
    'select a.nope from a join b on a.k = b.k',
    'select nope from a join b on a.k = b.k',
    'select * from a join b using (nope)',
    'select * from a join c using (x, x)',
    'select * from a join a on true',
    'select * from a join b on c.k = a.k, c',
    'select * from a join b on a.k',
    'select * from a join b on count(*) > 0',
    'select * from a join nosuch on true',
    # ON sees only its join's items: a name another FROM item also has is not ambiguous there.
    'select count(*) from ta join tc on y > 0 and ta.x = tc.x, tb',
    'select ta.x, tc.z, tb.y from ta join tc on y > 0 and ta.x = tc.x, tb where tb.x = ta.x '
    'order by 1',
    'select count(*) from tb, ta join tc on y > 0 and ta.x = tc.x',
    'select count(*) from tb, ta join tc on tb.y > 0 and ta.x = tc.x',
    'select count(*) from ta join tc on ta.x = tc.x join tb on y > 0',
    'select count(*) from ta join tc using (x) join tb on tb.x = x',
    'select count(*) from ta join tc using (x) join tb on tb.x = tc.x and z > 0',
    # GROUP BY over a USING column, compared as its value (a.x is x in an inner join).
    'select ta.x, count(*) from ta join tb using (x) group by x order by 1',
    'select x, count(*) from ta join tb using (x) group by ta.x order by 1',
    'select tb.x, count(*) from ta right join tb using (x) group by x order by 1',
    'select coalesce(ta.x, tb.x), count(*) from ta full join tb using (x) group by x '
    'order by 1',
    'select ta.x, count(*) from ta full join tb using (x) group by x',
    'select x, count(*) from ta left join tb using (x) group by tb.x',
    # FULL JOIN on a constant condition: a nested loop pairing all rows or none.
    'select * from ta full join tb on true order by 1, 2, 3, 4',
    'select * from ta full join tb on 1 = 1 order by 1, 2, 3, 4',
    'select * from ta full join tb on false order by 1, 2, 3, 4',
    'select * from ta full join tb on ta.x = tb.x and true order by 1, 2, 3, 4',
    'select * from ta full join tb on ta.y < tb.y',
    # EXPLAIN shapes that do not depend on costs.
    'explain (costs off) select * from a',
    'explain (costs off) select * from a where k = 1',
    'explain (costs off) select * from c where id = 10',
    'explain (costs off) select x from a order by x limit 2',
    'explain (costs off) select count(*) from a',
    'explain (costs off) select k, count(*) from a group by k',
    'explain (costs off) select 1',
    'explain (costs off) select * from a where 1 = 0',
    'explain (costs off) select * from a where 1 = 1 and k > 2',
    'explain (costs off) select * from a, b where a.k = b.k and b.y = \'b1\'',
    'explain (costs off) select * from a join c on a.k < c.k',
    'explain (costs off) select distinct x from a',
    'explain (costs off) select x from a order by x desc nulls last',
    'explain (costs off) select k, count(*) from a group by k having count(*) > 1',
    'explain (nonsense) select 1',
]


# The extended protocol (a parameter, Describe of the statement and of the portal) and EXPLAIN in a
# REPEATABLE READ block (read on the block's snapshot): (label, bytes).
P, B, D, E, S = extended.P, extended.B, extended.D, extended.E, extended.S


def Q(sql):
    return pgwire.query_message(sql)


EXTENDED = [
    ('extended: explain with $1',
     P('explain (costs off) select * from a where k = $1') + D(b'S') + B(params=[b'1']) +
     D(b'P') + E() + S),
    ('extended: using join with $1',
     P('select * from a join b using (k) where k = $1 order by a.x, b.y') + D(b'S') +
     B(params=[b'1']) + D(b'P') + E() + S),
    ('extended: left join on $1',
     P('select * from a left join b on a.k = b.k and b.y = $1 order by a.x, b.y') + D(b'S') +
     B(params=[b'b1']) + D(b'P') + E() + S),
    ('extended: full join on $1',
     P('select * from ta full join tb on $1 order by 1, 2, 3, 4') + B(params=[b't']) + E() + S),
    # A prepared SELECT keeps its plan: every value of its $1, then a DROP and a CREATE of its
    # table between two executions (the plan is made again over the new table). (Executing it
    # while tk does not exist fails at Bind in PostgreSQL, at Execute here: not compared.)
    ('extended: a kept plan across values and a schema change',
     Q('create table tk (x int primary key, y text)') +
     Q("insert into tk values (1, 'one'), (2, 'two')") +
     P('select y from tk where x = $1', name='kept') + S +
     B(stmt='kept', params=[b'1']) + E() + S + B(stmt='kept', params=[b'2']) + E() + S +
     B(stmt='kept', params=[b'3']) + E() + S + B(stmt='kept', params=[None]) + E() + S +
     Q('drop table tk') + Q('create table tk (z int, x int primary key, y text)') +
     Q("insert into tk values (0, 1, 'new')") + B(stmt='kept', params=[b'1']) + E() + S, 11),
    ('block: explain on the snapshot',
     pgwire.query_message('begin isolation level repeatable read; select 1; '
                          'explain (costs off) select count(*) from a where k > 1; commit')),
]


def run(server):
    conn = pgwire.Connection(server.port)
    conn.startup()
    for sql in SETUP:
        messages = extended.exchange(conn, Q(sql), 1, ERROR_FIELDS)
        if any(m[0] == 'E' for m in messages):
            raise pgwire.WireError(f'setup failed: {sql}: {messages}')
    transcript = [(sql, extended.exchange(conn, Q(sql), 1, ERROR_FIELDS)) for sql in QUERIES]
    transcript += [(label, extended.exchange(conn, data, syncs[0] if syncs else 1, ERROR_FIELDS))
                   for label, data, *syncs in EXTENDED]
    conn.close()
    return transcript


def run_server(server):
    try:
        server.start()
        transcript = run(server)
        if not server.alive():
            print(f'join_diff: FAILED: {server.name} died\n{server.log()}')
            return None
        return transcript
    except (servers.ServerError, pgwire.WireError, OSError) as e:
        print(f'join_diff: FAILED: {server.name}: {e}\n{server.log()}')
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
        print(f'join_diff: FAIL: {reason}')
        return MISSING
    if not args.sqlrited or not os.path.exists(args.sqlrited):
        print('join_diff: FAIL: no sqlrited binary')
        return MISSING
    ours = run_server(servers.Sqlrited(args.sqlrited))
    theirs = run_server(servers.Postgres(args.pg_bin))
    if ours is None or theirs is None:
        return 1
    failures = 0
    for (sql, got), (_, want) in zip(ours, theirs):
        if got != want:
            failures += 1
            print(f'join_diff: MISMATCH: {sql}')
            for i in range(max(len(got), len(want))):
                g = got[i] if i < len(got) else None
                w = want[i] if i < len(want) else None
                print(f'  {"  " if g == w else "!="} sqlrited {g}\n     postgres {w}')
    if failures:
        print(f'join_diff: {failures} of {len(ours)} statements differ from PostgreSQL 15')
        return 1
    print(f'join_diff: {len(ours)} statements match PostgreSQL 15')
    return 0


if __name__ == '__main__':
    sys.exit(main())
