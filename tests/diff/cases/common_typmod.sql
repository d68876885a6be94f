-- The common type of VALUES rows, set-operation branches, CASE arms, COALESCE / GREATEST
-- arguments and ARRAY[...] elements: an untyped literal takes the other inputs' type without
-- their typmod (it is read under none, and the result's typmod is then -1), and the result keeps
-- a typmod only when every input has it (PostgreSQL's select_common_typmod, exprTypmod).

-- @setup
create table ct_src (id int primary key, n numeric(3,1), v varchar(5), c char(3));
insert into ct_src values (1, 1.2, 'ab', 'x'), (2, 3.4, 'cde', 'yz');

-- @queries
values (1.234::numeric(3,1)), ('5.678');
values ('5.678'), (1.234::numeric(3,1));
values (1.234::numeric(3,1)), (2.345::numeric(3,1)), ('5.678');
values ('abcdefg'::varchar(3), 'a'::char(3)), ('abcdefgh', 'b');
values ('b'), ('a'::char(3)) order by 1;
select 1.234::numeric(3,1) union all select '5.678';
select '5.678' union all select 1.234::numeric(3,1);
select 1.234::numeric(3,1) union all select 2.345::numeric(3,1) union all select '5.678';
select n from ct_src union all select '5.678' order by 1;
select n from ct_src union select '5.678' order by 1;
select v from ct_src union all select 'abcdefghij' order by 1;
select n from ct_src intersect select '3.4' order by 1;
select case when false then 1.234::numeric(3,1) else '5.678' end;
select case when id = 1 then n else '5.678' end from ct_src order by id;
select coalesce(null::numeric(3,1), '5.678'), coalesce(n, '5.678') from ct_src order by id;
select array[1.234::numeric(3,1), '5.678'], array['5.678', n] from ct_src order by id;
select greatest(1.234::numeric(3,1), '5.678'), least('0.123', 1.234::numeric(3,1));
select lag(n, 1, '5.678') over (order by id) from ct_src order by id;
create table ct_values as values (1.234::numeric(3,1)), ('5.678');
create table ct_values2 as values (1.234::numeric(3,1), 'ab'::varchar(4)), (2.5::numeric(3,1), 'cd'::varchar(4));
create table ct_values3 as values (1.5::numeric(3,1)), (2.5::numeric(4,1));
create table ct_union as select n as a, v as b from ct_src union all select '5.678', 'xyz';
create table ct_union2 as select n as a, v as b from ct_src union all select n, v from ct_src;
create table ct_case as select case when id = 1 then n else n end as a, case when id = 1 then n else '2.5' end as b, case when id = 1 then n end as c from ct_src;
create table ct_coalesce as select coalesce(n, n) as a, coalesce(n, '2.5') as b, coalesce(null, n) as c, coalesce(v, v) as d from ct_src;
create table ct_array as select array[n, n] as a, array[n, '2.5'] as b, greatest(n, n) as c, greatest(n, '2.5') as d from ct_src;
select c.relname, a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a join pg_class c on c.oid = a.attrelid where c.relname like 'ct\_%' and c.relname <> 'ct_src' and c.relkind = 'r' and a.attnum > 0 order by c.relname, a.attnum;
select * from ct_values order by 1;
select * from ct_union order by 1;

-- Function results carry no typmod: ||, min / max and window functions over an array (or a
-- value) of a typmod'd type are plain numeric[] / character varying[] / numeric, so a
-- CREATE TABLE AS column takes values the element's typmod would reject.
create table ct_arrcat (n numeric(3,1), m numeric(5,2), v varchar(3), iv interval minute);
insert into ct_arrcat values (1.2, 3.45, 'ab', '5 min');
create table ct_arrcat_1 as select array[n] || array[m] a, array[v] || 'toolong'::varchar c, array[n] || n d, array[n] || null e, array[n] || array[]::numeric[] f, array[iv] || iv g, n || array[n] h, array[v] || array[v] i, array[n] j from ct_arrcat;
create table ct_arrcat_2 as select max(array[n]) a, min(array[v]) b, max(n) c, min(v) d, array_agg(n) e, max(iv) f, sum(n) g from ct_arrcat;
create table ct_arrcat_3 as select max(array[n]) over () a, first_value(array[n]) over () b, first_value(n) over () c, lag(n) over () d, lead(n, 1, 2.0) over () e, nth_value(array[v], 1) over () f, last_value(v) over () g from ct_arrcat;
select c.relname, a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a join pg_class c on c.oid = a.attrelid where c.relname like 'ct\_arrcat\__' and c.relkind = 'r' and a.attnum > 0 order by c.relname, a.attnum;
select * from ct_arrcat_1;
select array[n] || array[m], array[v] || 'toolong'::varchar, max(array[n]) over (), lag(n, 1, 2.55) over () from ct_arrcat;
select lag(v, 1, 'toolong') over (order by id), lag(n, 1, 12.345) over (order by id), first_value(c) over (order by id), max(c) over () from ct_src order by id;
create table ct_arrfn as select lag(v, 1, 'toolong') over (order by id) a, first_value(c) over () b, max(c) over () d, array[c] || c e, min(array[c]) over () f, array_append(array[n], n) g, array_cat(array[v], array[v]) h, array_prepend(n, array[n]) i, (array[n])[1:1] j, array_remove(array[n], 1.0) k from ct_src;
select attname, format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'ct_arrfn'::regclass and attnum > 0 order by attnum;
