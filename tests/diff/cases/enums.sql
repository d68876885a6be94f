-- Enum types as ORMs create them: CREATE TYPE ... AS ENUM, columns, input errors (22P02), order by
-- declaration order, comparison, casts to and from text, enum functions, ALTER TYPE ... ADD VALUE.

-- @setup
create type mood as enum ('sad', 'ok', 'happy');
create table person (id int primary key, name text, m mood);
insert into person values (1, 'a', 'happy'), (2, 'b', 'sad'), (3, 'c', null), (4, 'd', 'ok'), (5, 'e', 'sad');
-- @queries
select name, m from person order by id;
select name, m from person order by m, id;
select name from person where m > 'sad' order by name;
select name from person where m = 'ok';
select 'happy'::mood, 'sad'::mood < 'happy'::mood, pg_typeof('ok'::mood);
select 'angry'::mood;
insert into person values (6, 'f', 'meh');
select m::text, 'ok'::text::mood from person where id = 1;
select m, count(*) from person group by m order by m;
select max(m), min(m) from person;
select enum_first(null::mood), enum_last(null::mood), enum_range(null::mood), enum_range('ok'::mood, null);
select m || '!' from person where id = 4;
alter type mood add value 'ecstatic' after 'happy';
select enum_range(null::mood);
insert into person values (7, 'g', 'ecstatic');
select name, m from person where m >= 'happy' order by m, name;
create type mood as enum ('x');
create type e2 as enum ();
select 'sad'::mood = 'sad';
select 1::mood;
select m from person where m = 'nope';
drop type mood;

-- Types: names, schemas, empty types, labels (length, duplicates), renames, comments.
create type e2 as enum ('x', 'y');
create type dup as enum ('a', 'b', 'a');
create type toolong as enum ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
create type emptylabel as enum ('');
select enum_range(null::emptylabel), ''::emptylabel;
select enum_range(null::e2), enum_first(null::e2), enum_last(null::e2);
create type person as enum ('p');
create schema s;
create type s.color as enum ('red', 'green', 'blue');
select 'red'::s.color, enum_range(null::s.color);
select 'red'::color;
select format_type('s.color'::regtype, null), format_type('mood'::regtype, null), format_type('_mood'::regtype, null);
select 'mood[]'::regtype, 's.color'::regtype, 'mood'::regtype = 'mood'::regtype;
alter type e2 rename to e3;
select enum_range(null::e3);
select 'x'::e2;
alter type e3 rename to mood;
alter type nope rename to x;
comment on type mood is 'how one feels';
select obj_description('mood'::regtype, 'pg_type');
comment on type mood is null;
select obj_description('mood'::regtype, 'pg_type');
comment on type nope is 'x';
-- The catalogs.
select t.typname, t.typtype, t.typlen, t.typbyval, t.typcategory, t.typdelim, t.typinput, a.typname, a.typcategory, a.typinput, a.typelem = t.oid, n.nspname from pg_type t join pg_type a on a.oid = t.typarray join pg_namespace n on n.oid = t.typnamespace where t.typtype = 'e' order by t.typname;
select t.typname, e.enumlabel, e.enumsortorder from pg_enum e join pg_type t on t.oid = e.enumtypid order by t.typname, e.enumsortorder;
select pg_type_is_visible('mood'::regtype), pg_type_is_visible('s.color'::regtype);
-- ADD VALUE: positions, sort orders, IF NOT EXISTS, errors.
alter type mood add value 'ok';
alter type mood add value if not exists 'ok';
alter type mood add value 'meh' before 'ok';
alter type mood add value 'awful' before 'sad';
alter type mood add value 'fine' after 'ok';
alter type mood add value 'x' before 'nope';
alter type mood add value 'x' after 'nope';
select enumlabel, enumsortorder from pg_enum where enumtypid = 'mood'::regtype order by enumsortorder;
select enum_range(null::mood), enum_range('meh'::mood, 'fine'::mood), enum_range(null, 'meh'::mood);
select name, m from person order by m desc, id;
select name from person where m between 'meh' and 'happy' order by m, name;
select name from person where m in ('ok', 'sad') order by name;
select m, m < 'ok', m = 'ok', m <> 'ok', m >= 'ok' from person where id <= 4 order by id;
-- RENAME VALUE: stored values follow.
alter type mood rename value 'ok' to 'alright';
alter type mood rename value 'nope' to 'x';
alter type mood rename value 'sad' to 'happy';
select name, m from person order by m, id;
select name from person where m = 'alright';
select 'ok'::mood;
-- Columns: defaults, NOT NULL, arrays, ADD COLUMN, casts, assignment errors.
create table t2 (id int primary key, m mood not null default 'meh', ms mood[], c s.color);
insert into t2 (id) values (1);
insert into t2 values (2, 'happy', '{sad,happy}', 'blue'), (3, 'awful', '{}', null);
insert into t2 values (4, null);
insert into t2 values (5, 'nope');
insert into t2 values (6, 'sad'::text);
insert into t2 values (7, 'sad', null, 'red'::s.color::text::s.color);
select * from t2 order by id;
select id, ms[1], array_length(ms, 1), 'sad' = any(ms) from t2 order by id;
select '{happy,sad}'::mood[], array['sad', 'happy']::mood[];
alter table t2 add column m2 mood default 'fine';
select id, m2 from t2 order by id;
update t2 set m = 'sad', c = 'green' where id = 1 returning m, c;
select m::text, c::text, m::text::mood, length(m::text) from t2 order by id;
select 'sad'::mood::varchar, cast('happy' as mood), 'alright'::text::mood;
select 'sad'::mood = 'sad'::text;
select 'sad'::mood = 'red'::s.color;
select 'sad'::mood + 1;
select 1::mood;
select 'sad'::mood::int;
-- Grouping, DISTINCT, aggregates, set operations, CASE, COALESCE, sorting with NULLs.
select m, count(*) from t2 group by m order by m;
select distinct m from t2 order by m desc;
select max(m), min(m), max(c), min(c) from t2;
select array_agg(m order by m), array_agg(distinct m order by m) from t2;
select m from t2 union select 'alright' order by 1;
select m from t2 intersect select 'sad'::mood;
select coalesce(c, 'red') from t2 order by id;
select 'sad'::mood union select 'red'::s.color;
select case when id = 1 then m else 'awful' end from t2 order by id;
select id, c from t2 order by c nulls first, id;
select id, m from t2 order by m desc, id;
select c, m, count(*) from t2 group by c, m order by 1, 2;
-- Indexes and keys over enums: the key order is the enum's.
create table keyed (m mood primary key, note text);
insert into keyed values ('happy', 'h'), ('awful', 'a'), ('meh', 'm');
insert into keyed values ('happy', 'again');
select * from keyed order by m;
select * from keyed where m = 'meh';
select * from keyed where m > 'awful' order by m;
create index t2_c on t2 (c, m);
select id from t2 where c = 'blue' and m = 'happy';
-- Transactions: a created type, an added value and a drop roll back.
begin;
create type tmp as enum ('t');
alter type mood add value 'zzz';
drop type s.color cascade;
rollback;
select typname from pg_type where typname in ('tmp', 'color') order by 1;
select 'zzz'::mood;
select c from t2 where id = 2;
-- DROP TYPE: dependents, RESTRICT, IF EXISTS, CASCADE.
drop type nope;
drop type if exists nope, alsonope;
drop type emptylabel, dup;
drop type s.color;
drop type s.color cascade;
select * from t2 order by id;
drop table keyed;
drop type mood;
drop type mood restrict;
-- Types in CASE / COALESCE / UNION beside another enum.
create type m2 as enum ('a');
select 'a'::m2 union select 'alright'::mood;
select coalesce('a'::m2, 'alright'::mood);
select 'alright'::mood union select 'x'::text;
-- enum_first / enum_last / enum_range read only their argument's type; its columns still count
-- as read (42803 when ungrouped)
create table enum_grouped (k int, m mood);
insert into enum_grouped values (1, 'ok'), (2, 'happy');
select enum_first(m), count(*) from enum_grouped;
select enum_range(m)::text, count(*) from enum_grouped group by m order by m;
select enum_last(m)::text, max(k) from enum_grouped;
select a.k, b.k from enum_grouped a join enum_grouped b on b.m = enum_last(a.m) order by 1, 2;
select a.k, b.k from enum_grouped a left join enum_grouped b on b.k = length(pg_typeof(a.m)::text) - 3 order by 1, 2;
select a.k, b.k from enum_grouped a join enum_grouped b on b.m = enum_first(a.m) and b.k <= a.k order by 1, 2;
select a.k from enum_grouped a where exists (select 1 from enum_grouped b where b.m = enum_last(a.m)) order by 1;
drop table enum_grouped;
