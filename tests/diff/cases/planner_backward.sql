-- Backward index scans (issue 9): ORDER BY ... DESC LIMIT read from an index's (or the primary
-- key's) end, PostgreSQL's Index Scan Backward, for whole and bounded reads and for
-- multi-column indexes whose every column is reversed; NULLs come first when read backward,
-- as DESC puts them. EXPLAIN (costs off) of the shapes PostgreSQL 15 chooses for this data,
-- then the answers (which must not change whatever the plan).
-- @reference-plans

-- @setup
create table big (id int primary key, k int, a int, b int, s text);
insert into big select g, case when g % 997 = 0 then null else (g * 7919) % 100000 end, g % 100, (g * 31) % 1000, 'v' || g from generate_series(1, 100000) g;
create index big_k on big (k);
create index big_ab on big (a, b);
create index big_s on big (s);
create table tiny (id int primary key, v int);
create table empty (id int primary key, k int);
create index empty_k on empty (k);
analyze big;
analyze tiny;
analyze empty;

-- @queries
explain (costs off) select * from big order by k desc limit 10;
explain (costs off) select * from big order by id desc limit 5;
explain (costs off) select * from big where id < 500 order by id desc limit 5;
explain (costs off) select * from big where id between 100 and 500 order by id desc limit 5;
explain (costs off) select * from big where k < 100 order by k desc limit 5;
explain (costs off) select * from big where k >= 99000 order by k desc limit 5;
explain (costs off) select * from big order by a desc, b desc limit 5;
explain (costs off) select * from big where s > 'v9' order by s desc limit 5;
explain (costs off) select * from big order by k desc nulls last limit 5;
explain (costs off) select * from big order by k limit 5;
explain (costs off) select * from big where a = 42 order by b desc limit 5;
explain (costs off) select * from big where a = 42 order by b limit 5;
explain (costs off) select * from big where a = 42 order by a desc, b desc limit 5;
select k from big order by k desc limit 10;
select k from big order by k desc nulls first limit 3;
select id, k from big where k is not null order by k desc limit 10;
select id, k from big order by k desc nulls last limit 5;
select k from big order by k desc limit 10 offset 95;
select id, s from big order by id desc limit 5;
select id, s from big order by id desc limit 5 offset 99990;
select id from big where id < 500 order by id desc limit 5;
select id from big where id <= 500 order by id desc limit 5;
select id from big where id between 100 and 500 order by id desc limit 5;
select id from big where id between 100 and 103 order by id desc limit 10;
select id from big where id > 99997 order by id desc limit 10;
select id from big where id in (5, 3, 99999, 7, 50000) order by id desc limit 10;
select id from big where id in (5, 3, 99999, 7, 50000) order by id desc limit 2;
select id from big where id < 0 order by id desc limit 5;
select id from big where id > 100000 order by id desc limit 5;
select id, k from big where k < 100 order by k desc limit 5;
select id, k from big where k <= 100 order by k desc limit 5;
select id, k from big where k > 99990 order by k desc limit 20;
select id, k from big where k >= 99000 and k < 99003 order by k desc limit 5;
select id, k from big where k between 5 and 8 order by k desc limit 10;
select id, k from big where k in (5, 70000, 12, 99999) order by k desc limit 10;
select id, k from big where k < 0 order by k desc limit 5;
select id, k from big where k = 7 order by k desc limit 5;
select id, k from big where k < 100 and id % 2 = 0 order by k desc limit 5;
select a, b from big order by a desc, b desc limit 8;
select a, b from big order by a desc, b limit 5;
select a, b from big where a = 42 order by a desc, b desc limit 5;
select a, b from big where a = 42 order by b desc limit 5;
select a, b from big where a = 42 order by b limit 5;
select a, b from big where a = 42 and b < 500 order by b desc limit 5;
select a, b from big where 42 = a order by b desc limit 3 offset 2;
select a, b from big where a = 42 and a = 43 order by b desc limit 5;
select a, b from big where a in (1, 2) order by b desc limit 5;
select a, b from big where a = 1 or a = 2 order by b desc limit 5;
select a, b from big where a < 3 order by a desc, b desc limit 5;
select a, b from big where a in (1, 2) and b > 990 order by a desc, b desc limit 10;
select s from big where s > 'v9' order by s desc limit 5;
select s from big where s like 'v123%' order by s desc limit 5;
select id from tiny order by id desc limit 3;
select id, k from empty order by k desc limit 3;
select id from empty order by id desc limit 3;
begin;
insert into tiny select g, g * 2 from generate_series(1, 50) g;
select id, v from tiny order by id desc limit 3;
delete from tiny where id > 45 or id < 40;
select id, v from tiny order by id desc limit 10;
select id, v from tiny where id < 44 order by id desc limit 10;
rollback;
select count(*) from tiny;
