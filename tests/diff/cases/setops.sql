-- Set operations: UNION, INTERSECT, EXCEPT with and without ALL, their precedence, NULLs as equal,
-- ORDER BY and LIMIT on the whole, column names and types from the branches, type resolution.

-- @setup
create table a (x int, y text);
create table b (x int, y text);
insert into a values (1, 'one'), (2, 'two'), (2, 'two'), (3, 'three'), (null, null), (null, null);
insert into b values (2, 'two'), (3, 'three'), (3, 'three'), (4, 'four'), (null, null);
-- @queries
select x from a union select x from b order by 1;
select x from a union all select x from b order by 1;
select x, y from a union select x, y from b order by 1, 2;
select x from a intersect select x from b order by 1;
select x from a intersect all select x from b order by 1;
select x from a except select x from b order by 1;
select x from a except all select x from b order by 1;
select x from b except all select x from a order by 1;
select x from a union select x from b intersect select x from a order by 1;
select x from a except select x from b union select 9 order by 1;
(select x from a except select x from b) union select 9 order by 1;
select x from a union select x from b except select 2 order by 1;
select 1 union select 1;
select 1 union all select 1;
select 1 as a union select 2 as b order by 1;
select 1 as a union select 2 order by a;
select 1 union select 2.5 order by 1;
select 1::smallint union select 2::bigint;
select 'a' union select 'b' order by 1;
select 'a'::varchar union select 'bb'::text order by 1;
select null union select 1 order by 1;
select null union select null;
select 1, 'x' union select 2, null order by 1;
select x from a union select x from b order by x desc nulls last;
select x from a union select x from b order by 1 limit 2;
select x from a union select x from b order by 1 offset 2;
select x from a union all select x from b order by 1 limit 3 offset 1;
(select x from a order by x limit 1) union all (select x from b order by x desc limit 1) order by 1;
select count(*) from (select x from a union select x from b) s;
select count(*) from (select x from a union all select x from b) s;
select count(*) from (select x, y from a intersect all select x, y from b) s;
select y from a where x > 1 union select y from b where x < 4 order by 1;
select x from a where false union select x from b where false;
select x from a union select x from b where false order by 1;
select 1 intersect select 2;
select 1 except select 1;
select x from a intersect select x from b intersect select 3 order by 1;
select x, count(*) from (select x from a union all select x from b) s group by x order by 1;
select x from a union select y from b;
select x, y from a union select x from b;
select 1 union select 'a';
select x from a union select x from b order by y;
select x from a union select x from b order by 2;
select true union select false order by 1;
select 1::int4 union select 2::numeric order by 1;
select 1.5::float8 union select 2 order by 1;
select date '2020-01-01' union select date '2021-01-01' order by 1;
values (1), (2) union values (2), (3) order by 1;
values (1, 'a'), (2, 'b') except values (2, 'b');
