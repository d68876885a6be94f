-- Window partitions, set operations and WITH buffers past work_mem: with work_mem at its 64kB
-- minimum, window functions over partitions of thousands of rows (every frame kind, EXCLUDE,
-- lag/lead/nth_value/last_value), INTERSECT / EXCEPT [ALL] over inputs whose counts do not fit
-- hash_mem, a materialized WITH query read twice, and WITH RECURSIVE iterations of 20000 rows,
-- give PostgreSQL's rows.

-- @setup
create table w (id int primary key, p int, k int, v int, t text);
insert into w select i, i % 3, case when i % 97 = 0 then null else (i * 7919) % 2000 end, (i * 31) % 101, 'row ' || i from generate_series(1, 24000) i;
create table a (x int, y text);
insert into a select i % 9000, 'v' || (i % 9000) from generate_series(1, 30000) i;
insert into a values (null, null), (null, null), (null, 'n');
create table b (x int, y text);
insert into b select 4000 + i % 9000, 'v' || (4000 + i % 9000) from generate_series(1, 20000) i;
insert into b values (null, null), (null, 'n');
set work_mem = '64kB';
-- @queries
select count(*), sum(rn), sum(rk), sum(dr), sum(s), sum(fv), sum(lv), sum(nt) from (select row_number() over (partition by p order by k, id) rn, rank() over (partition by p order by k) rk, dense_rank() over (partition by p order by k) dr, sum(v) over (partition by p order by k) s, first_value(v) over (partition by p order by k, id) fv, last_value(v) over (partition by p order by k, id) lv, ntile(7) over (partition by p order by k, id) nt from w) q;
select p, k, id, row_number() over (partition by p order by k nulls first, id) rn, rank() over (partition by p order by k nulls first) rk, percent_rank() over (partition by p order by k nulls first) pr, cume_dist() over (partition by p order by k nulls first) cd from w order by p, k nulls first, id limit 20 offset 7990;
select id, lag(v) over o, lag(v, 500, -1) over o, lead(v, 1200) over o, lead(t, 3) over o from w window o as (order by id) order by id limit 15 offset 23990;
select id, sum(v) over (order by id rows between 5 preceding and 3 following exclude ties) s, nth_value(v, 2) over (order by id rows between 5 preceding and 3 following) n2, last_value(v) over (order by id rows between 5 preceding and 3 following exclude current row) lv from w order by id limit 12 offset 11995;
select sum(s), sum(n2), sum(lv), count(fv) from (select sum(v) over (partition by p order by k, id rows between 5 preceding and 3 following exclude ties) s, nth_value(v, 3) over (partition by p order by k, id rows between 2 preceding and 8 following) n2, last_value(v) over (partition by p order by k, id rows between unbounded preceding and 2 following) lv, first_value(v) over (partition by p order by k, id rows between 1 following and 4 following) fv from w) q;
select sum(s), sum(c), sum(fv), sum(lv) from (select sum(v) over (partition by p order by k groups between 2 preceding and 1 following exclude group) s, count(*) over (partition by p order by k groups between 1 following and 3 following) c, first_value(k) over (partition by p order by k groups between 1 preceding and current row exclude current row) fv, last_value(k) over (partition by p order by k groups between current row and 2 following exclude group) lv from w) q;
select sum(s), sum(c), count(n3), sum(lv) from (select sum(v) over (partition by p order by k range between 3 preceding and 2 following exclude current row) s, count(*) over (partition by p order by k desc range between 10 preceding and 10 following) c, nth_value(v, 3) over (partition by p order by k range between 3 preceding and 2 following) n3, last_value(k) over (partition by p order by k range between current row and 5 following exclude ties) lv from w) q;
select p, k, id, sum(v) over (partition by p order by k range between 3 preceding and 2 following) s, count(*) over (partition by p order by k groups between 1 preceding and 1 following exclude group) c from w where k is null or k < 3 order by p, k nulls first, id limit 40;
select p, count(*), sum(s) from (select p, sum(v) over (partition by p) s from w) q group by p order by p;
select count(*), count(distinct x) from (select x, y from a intersect select x, y from b) q;
select count(*), sum(x) from (select x, y from a intersect all select x, y from b) q;
select count(*), sum(x) from (select x, y from a except select x, y from b) q;
select count(*), sum(x) from (select x, y from a except all select x, y from b) q;
select x, y from (select x, y from a except select x, y from b) q order by x nulls first, y nulls first limit 10;
select x, y from (select x, y from a intersect all select x, y from b) q order by x desc nulls first, y limit 10;
select * from (select x, y from b except all select x, y from a) q order by x nulls first, y nulls first limit 10 offset 2000;
select count(*) from (select id from w except select id * 2 from w) q;
with c as materialized (select id, t, v from w where id % 2 = 0) select (select count(*) from c), (select max(t) from c), (select sum(c1.v) from c c1 join c c2 on c1.id = c2.id + 2);
with c as materialized (select id, t from w) select x.id, x.t, y.t from c x join c y on y.id = x.id + 1 order by x.id limit 5 offset 20000;
with recursive r(i, d, t) as (select i, 0, 'row ' || i from generate_series(1, 20000) i union all select i, d + 1, t from r where d < 3) select d, count(*), sum(i), min(t), max(t) from r group by d order by d;
with recursive r(i, d) as (select i, 0 from generate_series(1, 20000) i union select (i * 7) % 20011, least(d + 1, 2) from r where d < 4) select d, count(*), sum(i) from r group by d order by d;
select sum(a), sum(b), sum(c), sum(d), count(e) from (select lag(v, 300) over w a, lag(v, 900, 0) over w b, lead(v, 300) over w c, lead(v, 900, -1) over w d, nth_value(t, 5000) over (order by id rows between unbounded preceding and unbounded following) e from w window w as (order by id)) q;
