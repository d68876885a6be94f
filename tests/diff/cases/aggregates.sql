-- Aggregates: count/sum/avg/min/max over every numeric type and their result types, empty input,
-- NULLs, DISTINCT, FILTER, ORDER BY inside (string_agg, array_agg), statistics, bool_and/or,
-- GROUP BY ordinals and expressions, HAVING, ROLLUP, CUBE, GROUPING SETS, GROUPING(), errors.

-- @setup
create table m (id int primary key, g text, h int, i2 smallint, i8 bigint, n numeric, f real, d double precision, b boolean, t text);
insert into m values
  (1, 'x', 1, 1, 10, 1.5, 1.5, 0.5, true, 'p'),
  (2, 'x', 2, 2, 20, 2.25, 2.5, 1.5, true, 'q'),
  (3, 'y', 1, 3, 30, null, null, 2.5, false, 'r'),
  (4, 'y', 2, null, 40, 4, 4.5, null, null, null),
  (5, 'z', 1, 5, null, 5.125, 5, 4.5, true, 's'),
  (6, null, 2, 6, 60, 6, 6, 5.5, false, 'p');
create table e (a int, b text);
-- @queries
select count(*), count(g), count(n), count(distinct g), count(distinct h) from m;
select sum(h), sum(i2), sum(i8), sum(n), sum(f), sum(d) from m;
select avg(h), avg(i2), avg(i8), avg(n), avg(f), avg(d) from m;
select min(h), max(h), min(i2), max(i8), min(n), max(n), min(f), max(d) from m;
select min(g), max(g), min(t), max(t) from m;
select count(*), sum(a), avg(a), min(a), max(a), string_agg(b, ','), array_agg(a), bool_and(a > 0) from e;
select count(*) from e group by a;
select sum(9223372036854775807::bigint) from m;
select sum(2147483647) from m;
select sum(i2) + 1, pg_typeof(sum(i2)), pg_typeof(sum(h)), pg_typeof(sum(i8)), pg_typeof(avg(h)), pg_typeof(sum(f)) from m;
select sum(distinct h), count(distinct (g, h)), avg(distinct h) from m;
select count(*) filter (where h = 1), sum(i8) filter (where g = 'x'), max(n) filter (where b) from m;
select g, count(*) filter (where b is not true) from m group by g order by g;
select string_agg(t, ',' order by t) from m;
select string_agg(t, ',' order by id desc) from m;
select string_agg(distinct t, '-' order by t) from m;
select g, string_agg(t, '' order by t desc) from m group by g order by g nulls first;
select array_agg(h order by id) from m;
select array_agg(distinct h order by h) from m;
select array_agg(t order by t nulls first) from m;
select bool_and(b), bool_or(b), every(b) from m;
select bool_and(b), bool_or(b) from m where g = 'x';
select stddev(d), stddev_samp(d), stddev_pop(d), variance(d), var_samp(d), var_pop(d) from m;
select stddev(h), variance(h), stddev_pop(n), var_pop(n) from m;
select stddev(h) from m where id = 1;
select percentile_cont(0.5) within group (order by d), percentile_disc(0.5) within group (order by d) from m;
select percentile_cont(array[0.25, 0.75]) within group (order by h) from m;
select mode() within group (order by h) from m;
select corr(h, d), covar_pop(h, d), regr_slope(d, h) from m;
select count(*) from m where false;
select max(id) from m where false;

-- GROUP BY
select g, count(*) from m group by g order by g;
select g, count(*) from m group by 1 order by 1 nulls first;
select h, sum(id) from m group by h order by h;
select h % 2 as odd, count(*) from m group by h % 2 order by 1;
select id % 3, sum(id) from m group by id % 3 order by 1;
select g, h, count(*) from m group by g, h order by g, h;
select upper(g), count(*) from m group by upper(g) order by 1;
select g is null, count(*) from m group by g is null order by 1;
select length(t), count(*) from m group by 1 order by 1;
select g from m group by g having count(*) > 1 order by g;
select g, sum(i8) from m group by g having sum(i8) > 25 order by g;
select g from m group by g having max(h) = 2 and min(h) = 1 order by 1;
select count(*) from m having count(*) > 3;
select count(*) from m having count(*) > 30;
select 1 from m having true;
select g, count(*) as c from m group by g order by c desc, g;
select g, avg(n)::numeric(10, 3) from m group by g order by g;
select distinct g from m order by g;
select distinct on (h) h, id from m order by h, id desc;
select distinct on (g) g, t from m order by g, t;
select distinct h % 2, b from m order by 1, 2;

-- ROLLUP, CUBE, GROUPING SETS
select g, h, count(*) from m group by rollup (g, h) order by g, h, 3;
select g, h, sum(id) from m group by cube (g, h) order by g, h, 3;
select g, h, count(*) from m group by grouping sets ((g), (h), ()) order by g, h, 3;
select g, count(*), grouping(g) from m group by rollup (g) order by g, 3;
select g, h, grouping(g, h), sum(id) from m group by cube (g, h) order by 3, g, h;
select h, b, count(*) from m group by grouping sets ((h, b), (h)) order by h, b, 3;
select g, sum(id) from m group by rollup (g) having sum(id) > 5 order by 1, 2;

-- errors
select g, count(*) from m;
select g, h from m group by g;
select count(*) from m group by 9;
select sum(g) from m;
select avg(t) from m;
select sum(count(*)) from m;
select id from m where count(*) > 1;
select string_agg(id, ',') from m;
select percentile_cont(2) within group (order by d) from m;
select count(*) from m group by nope;
select g from m group by g having h > 1;
-- pg_typeof is a constant, but the columns under it still count as read (42803 when ungrouped)
select pg_typeof(h), max(h) from m;
select pg_typeof(h), count(*) from m group by h order by h;
select pg_typeof(max(h)), pg_typeof(g) from m group by g order by g;
select pg_typeof(t) from m group by pg_typeof(t);
select g, pg_typeof(h) from m group by g having pg_typeof(h) = 'integer'::regtype;
select (select pg_typeof(m.h)) from m where id = 1;
select g, pg_typeof(h)::text from m group by g;
select pg_typeof(h)::text, count(*) from m;
select g from m group by g having pg_typeof(h)::text = 'integer';
select g from m group by g having pg_typeof(h) = 'integer'::regtype;
select pg_typeof(h)::text || 'x', count(*) from m group by h order by h;
select distinct on (h) id from m order by id;
-- bool_and / every / bool_or (booleans only; NULLs skipped; NULL over no row)
select bool_and(x), bool_or(x), every(x) from (values (true), (false), (null)) v(x);
select bool_and(x), bool_or(x) from (values (null::bool)) v(x);
select bool_and(x) filter (where x is not null), bool_or(not x) from (values (true), (true), (null)) v(x);
select bool_and(1);
select bool_or('t');
select g, bool_and(x) over (order by g), bool_or(x) over (order by g desc) from (values (1, true), (2, false), (3, true)) v(g, x) order by g;
