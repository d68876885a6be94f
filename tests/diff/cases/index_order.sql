-- Index column directions and NULLS placement (issue 9): CREATE INDEX ... (a DESC, b ASC NULLS
-- FIRST, c DESC NULLS LAST) lays its tree out in that order, so an ORDER BY ... LIMIT that is
-- the index's order exactly (Index Scan) or exactly reversed (Index Scan Backward) reads it
-- without a Sort, mixed directions included; equality, IN, IS NULL and ranges read the right
-- entries of descending and NULLS FIRST columns; pg_get_indexdef and pg_index.indoption show the
-- options. A RIGHT JOIN whose left side has an index on the join key runs as PostgreSQL's
-- Nested Loop Left Join with the right side outer. EXPLAIN (costs off) only of the shapes
-- PostgreSQL 15 chooses for this data, then the answers (which must not change whatever the plan).
-- @reference-plans

-- @setup
create table big (id int primary key, k int, a int, b int, c int, s text);
insert into big select g, case when g % 997 = 0 then null else (g * 7919) % 100000 end, g % 100, case when g % 13 = 0 then null else (g * 31) % 1000 end, case when g % 17 = 0 then null else g % 7 end, case when g % 101 = 0 then null else 'v' || g end from generate_series(1, 100000) g;
create index big_kd on big (k desc);
create index big_abc on big (a desc, b asc nulls first, c desc nulls last);
create index big_sd on big (s desc nulls last);
create table small (id int primary key, k int, note text);
insert into small select g, case when g % 10 = 0 then null else (g * 7919) % 100000 end, 'n' || g from generate_series(1, 1000) g;
insert into small values (5001, 123456, 'nomatch'), (5002, null, 'nullkey');
create table u (x int, y text);
create unique index u_xd on u (x desc nulls last);
insert into u values (1, 'a'), (2, 'b'), (null, 'n1'), (null, 'n2'), (3, 'c');
analyze big;
analyze small;
analyze u;

-- @queries
-- The catalogs show the declared options.
select indexrelid::regclass::text, indoption::text from pg_index where indrelid in ('big'::regclass, 'u'::regclass) order by 1;
select indexname, indexdef from pg_indexes where tablename in ('big', 'u') order by 1;
select pg_get_indexdef('big_abc'::regclass, 2, true), pg_get_indexdef('big_abc'::regclass, 3, true);
-- Exactly the index's order: forward; exactly reversed: backward.
explain (costs off) select * from big order by k desc limit 5;
explain (costs off) select * from big order by k limit 5;
explain (costs off) select * from big order by k desc nulls last limit 5;
explain (costs off) select * from big order by a desc, b nulls first, c desc nulls last limit 5;
explain (costs off) select * from big order by a, b desc nulls last, c nulls first limit 5;
explain (costs off) select * from big order by a desc, b nulls first limit 5;
explain (costs off) select * from big order by a desc limit 5;
explain (costs off) select * from big where a = 5 order by b nulls first, c desc nulls last limit 5;
explain (costs off) select * from big where a = 5 order by b desc nulls last limit 5;
explain (costs off) select * from big order by s desc nulls last limit 3;
explain (costs off) select * from big order by s nulls first limit 3;
explain (costs off) select * from big order by s limit 3;
explain (costs off) select * from big where k = 7919;
select k from big order by k desc limit 5;
select id, k from big where k is not null order by k desc limit 5;
select id, k from big order by k limit 5;
select id, k from big order by k desc nulls last limit 5;
select k from big order by k nulls first limit 5;
select id, k from big where k > 0 order by k nulls first limit 5;
select id, a, b, c from big order by a desc, b nulls first, c desc nulls last, id limit 8;
select id, a, b, c from big order by a, b desc nulls last, c nulls first, id limit 8;
select id, a, b, c from big order by a desc, b nulls first, c desc nulls last limit 1;
select a, b, c from big order by a, b desc nulls last, c nulls first limit 6;
select a, b from big order by a desc, b nulls first limit 6;
select a, b from big order by a desc, b limit 6;
select a from big order by a desc limit 3;
select a, b, c from big where a = 5 order by b nulls first, c desc nulls last limit 6;
select a, b, c from big where a = 5 order by b desc nulls last, c nulls first limit 6;
select id, s from big order by s desc nulls last limit 3;
select s from big order by s nulls first limit 3;
select id, s from big where s < 'v2' order by s nulls first limit 3;
select id, s from big order by s limit 3;
select s from big order by s desc limit 3;
-- Equality, IN, IS NULL and ranges through descending and NULLS FIRST columns.
select id, k from big where k = 7919;
select id, k from big where k in (1, 7919, 15838, -5) order by id;
select count(*) from big where k is null;
select count(*), min(k), max(k) from big where k between 100 and 400;
select id, k from big where k > 99990 order by k desc limit 4;
select id, k from big where k >= 99990 order by k limit 4;
select id, k from big where k < 20 order by k desc limit 4;
select id, k from big where k <= 20 and k > 5 order by k;
select count(*) from big where a = 7 and b is null;
select id, a, b, c from big where a = 7 and b is null order by id limit 5;
select count(*) from big where a = 7 and b < 50;
select count(*) from big where a = 7 and b >= 990;
select count(*) from big where a = 7 and b = 217 and c is null;
select count(*) from big where a = 7 and b = 217 and c > 2;
select count(*) from big where a > 97;
select count(*) from big where a between 3 and 4 and b between 10 and 20;
select count(*) from big where s > 'v99990';
select count(*) from big where s is null;
-- The trees stay in step through writes and REINDEX.
begin;
update big set k = null where id between 1 and 20;
update big set k = -k where id between 21 and 30;
delete from big where a = 99 and b is null;
select k from big order by k nulls first limit 3;
select id, k from big where k is not null order by k desc limit 3;
select count(*) from big where k is null;
select id, k from big where k < 0 order by k limit 3;
select count(*) from big where a = 99 and b is null;
reindex index big_kd;
select id, k from big where k < 0 order by k desc limit 3;
rollback;
reindex table big;
select id, k from big order by k limit 3;
select a, b, c from big order by a, b desc nulls last, c nulls first limit 3;
-- A unique descending index: NULLs distinct, duplicates refused.
select x, y from u order by x desc nulls last, y;
select x from u order by x desc nulls last limit 4;
select x from u order by x nulls first limit 3;
insert into u values (2, 'dup');
insert into u values (null, 'n3');
select count(*) from u where x is null;
select x, y from u where x = 3;
select x, y from u where x >= 2 order by x;
-- RIGHT JOIN with an index on the left side's key: the right side outer.
explain (costs off) select * from big b right join small s on b.k = s.k where s.id < 5;
explain (costs off) select s.id, b.id from big b right join small s on b.k = s.k where s.id in (3, 10, 5001);
select * from big b right join small s on b.k = s.k where s.id < 5 order by s.id;
select s.id, s.k, b.id, b.k from big b right join small s on b.k = s.k where s.id in (3, 10, 5001, 5002) order by s.id;
select s.id, b.id from big b right join small s on b.k = s.k and b.a > 50 where s.id between 1 and 9 order by s.id;
select s.id, b.id from big b right join small s on b.k = s.k where s.id < 9 and b.id is null order by s.id;
select count(*), count(b.id) from big b right join small s on b.k = s.k;
select count(*) from big b right join small s on b.k = s.k where s.id = 42;
