-- The prefix test: starts_with(text, text) and its operator text ^@ text (what the ORM's
-- PostgreSQL flavor sends for StartsWith): case-sensitive, literal (no wildcards), by characters,
-- on text, varchar and char(n) (whose padding its cast to text drops), NULL in NULL out; the
-- operator's column name and its type errors, in WHERE over an indexed column, in a view.

-- @setup
create table sw (id int primary key, name text, code varchar(8), tag char(4));
create index sw_name on sw (name);
insert into sw values (1, 'Ann', 'AN-1', 'An'), (2, 'ann', 'an%', 'an'), (3, 'Anna', 'A_', 'a'), (4, 'héllo', null, 'hé'), (5, null, '', null), (6, '%x', '_x', '%');
create view sw_an as select id, name from sw where name ^@ 'An';
-- @queries
select starts_with('hello', 'he'), starts_with('hello', 'lo'), starts_with('hello', ''), starts_with('', '');
select 'hello' ^@ 'he', 'hello' ^@ 'He', 'hello' ^@ 'hello!', '' ^@ 'a';
select starts_with(null, 'a'), null ^@ 'a', 'a' ^@ null, starts_with('a', null);
select id from sw where name ^@ 'An' order by id;
select id from sw where starts_with(name, 'An') order by id;
select id from sw where name ^@ 'a' order by id;
select id from sw where name ^@ '%' order by id;
select id from sw where name ^@ '_' order by id;
select id from sw where code ^@ 'an%' order by id;
select id from sw where code ^@ 'A_' order by id;
select id from sw where tag ^@ 'a' order by id;
select id from sw where starts_with(tag, 'An ') order by id;
select id from sw where name ^@ 'hé' order by id;
select id from sw where not name ^@ 'A' order by id;
select id, name ^@ '', code ^@ name, starts_with(code, '') from sw order by id;
select id from sw where "name" ^@ 'Ann' and id > 1 order by id;
select id from sw where name ^@ 'An' or code ^@ '_' order by id;
select id, case when name ^@ 'A' then 'upper' when name ^@ 'a' then 'lower' else 'other' end from sw order by id;
select count(*) filter (where name ^@ 'An'), count(*) from sw;
select id from sw order by name ^@ 'A', id;
select * from sw_an order by id;
select pg_typeof('a' ^@ 'b'), pg_typeof(starts_with('a', 'b'));
select 'abc' ^@ 'a' || 'x', ('abc' ^@ 'a') = true;
select 'abc' ^@ 'ab' as pre, starts_with('abc', 'ab') as fn;
select 1 ^@ 2;
select 'a' ^@ 1;
select 1 ^@ 'a';
select 'abc' ^@ 'a' ^@ 'b';
select id from sw where id ^@ '1';
select starts_with(1, 2);
select starts_with('a');
select starts_with('abc', 'a', 'b');
