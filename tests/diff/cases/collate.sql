-- COLLATE in expressions, ORDER BY and column definitions, on a database of the C locale (the
-- differential PostgreSQL's initdb --locale=C): "default", "C", "POSIX", ucs_basic and "C.utf8"
-- order text by its bytes; other names do not exist; COLLATE on a type without collations,
-- and two different explicit collations meeting, are errors.

-- @setup
create table co (id int primary key, s text, v varchar(10), i int);
insert into co values (1, 'b', 'b', 1), (2, 'B', 'B', 2), (3, 'a', 'a', 3), (4, 'é', 'é', 4), (5, 'Z', 'Z', 5), (6, '_', '_', 6), (7, null, null, 7), (8, 'ab', 'ab', 8), (9, 'a b', 'a b', 9), (10, '€', '€', 10);
create table cc (id int primary key, a text collate "C", b text collate "POSIX", c varchar(5) collate ucs_basic, d text collate "C.utf8", e text collate "default", f text collate pg_catalog."C");
insert into cc values (1, 'b', 'b', 'b', 'b', 'b', 'b'), (2, 'B', 'B', 'B', 'B', 'B', 'B'), (3, 'é', 'é', 'é', 'é', 'é', 'é'), (4, 'a', 'a', 'a', 'a', 'a', 'a');
-- @queries
select s from co order by s collate "C", id;
select s from co order by s collate "POSIX" desc, id;
select s from co order by s collate "default" nulls first, id;
select s from co order by s collate ucs_basic, id;
select s from co order by s collate "C.utf8", id;
select s from co order by s collate pg_catalog."C", id;
select v from co order by v collate "C", id;
select s::name from co order by s::name collate "POSIX", id;
select s collate "C" from co where id = 1;
select s collate "C" as x, pg_typeof(s collate "C") from co where id = 2;
select 'a' collate "C", pg_typeof('a' collate "C");
select 'a' collate "C" < 'b', 'B' collate "POSIX" < 'a', 'é' collate "C.utf8" > 'z', 'é' collate ucs_basic > 'z';
select id from co where s collate "C" = 'b' order by id;
select id from co where s collate "C" between 'a' and 'b' order by id;
select id from co where s collate "POSIX" in ('a', 'B') order by id;
select id from co where s collate "C" like 'a%' order by id;
select max(s collate "C"), min(s collate "POSIX") from co;
select string_agg(s, ',' order by s collate "C") from co;
select s collate "C" || 'x' from co where id = 3;
select upper(s collate "C"), lower(s collate "POSIX") from co where id in (1, 2) order by id;
select distinct s collate "C" from co order by 1;
select count(*) from co group by s collate "C" order by 1 limit 1;
select null collate "C";
select 'a' collate "C" = 'a' collate "C";
select ('a' collate "POSIX") collate "C" = 'b' collate "C";
select array['b', 'a'] collate "C";
select a, b, c, d, e, f from cc order by a, id;
select a from cc order by b desc;
select c from cc order by c;
select d from cc order by d;
select a from cc order by a collate "POSIX";
select attname, collname from pg_attribute join pg_collation on attcollation = pg_collation.oid where attrelid = 'cc'::regclass and attnum > 0 order by attnum;
select column_name, collation_name from information_schema.columns where table_name = 'cc' order by ordinal_position;
select collname, collprovider, collcollate from pg_collation where collname in ('default', 'C', 'POSIX', 'ucs_basic', 'C.utf8') order by collname;
select 'a' collate "en_US";
select 'a' collate "C.UTF-8";
select 'a' collate "c";
select 'a' collate public."C";
select 'a' collate nosuch.default;
select 1 collate "C";
select i collate "C" from co;
select now() collate "C";
select true collate "POSIX";
select 1.5 collate "C";
select ('a'::"char") collate "C";
select 'a' collate "C" = 'b' collate "POSIX";
select 'a' collate "C" || 'b' collate "POSIX";
select 'a' collate "C" < 'b' collate "default";
select 'a' collate ucs_basic < 'b' collate "C";
select s from co where s collate "C" in ('a' collate "POSIX");
select coalesce('a' collate "C", 'b' collate "POSIX");
select case when true then 'a' collate "C" else 'b' collate "POSIX" end;
select greatest('a' collate "C", 'b' collate "POSIX");
select 'a' collate "C" between 'a' and 'b' collate "POSIX";
select lower('a' collate "C") = 'a' collate "POSIX";
select length('a' collate "C") = length('b' collate "POSIX");
select ('a' collate "C")::text < 'b' collate "POSIX";
select array['a' collate "C", 'b' collate "POSIX"];
create table bad (x int collate "C");
create table bad (x text collate "en_US");
create table bad (x text[] collate "C");
