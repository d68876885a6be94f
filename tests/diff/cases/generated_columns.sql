-- Generated columns (GENERATED ALWAYS AS (expr) STORED): computed on INSERT (VALUES, DEFAULT,
-- DEFAULT VALUES, INSERT ... SELECT), UPDATE, UPDATE ... FROM and ON CONFLICT DO UPDATE; seen by
-- NOT NULL, CHECK, keys and RETURNING; the refused writes (428C9); the refusals of CREATE TABLE
-- (42P17, 42P10, 0A000, 42803, 42804, 42601); ALTER TABLE ADD COLUMN ... GENERATED (existing rows
-- computed), DROP EXPRESSION, DROP COLUMN of a column a generated one reads (2BP01, CASCADE),
-- RENAME COLUMN, SET DEFAULT (42601), ALTER TYPE (0A000); the catalogs (pg_attribute.attgenerated,
-- pg_attrdef, information_schema.columns).

-- @setup
create table src (id int primary key, v int, t text);
insert into src values (1, 10, 'a'), (2, 20, 'b'), (3, null, 'c');

-- @queries
create table g (id int primary key, a int, b int generated always as (a * 2) stored, c text generated always as ('n' || id::text) stored);
insert into g values (1, 5);
insert into g (id, a) values (2, 7);
insert into g values (3, 1, default);
insert into g values (4, 2, default, default);
insert into g (id, a, b) values (5, 3, default), (6, 4, default);
select * from g order by id;
insert into g values (7, 1, 2);
insert into g (id, a, b) values (8, 1, 99);
insert into g (id, a, c) values (9, 1, 'x');
insert into g (id, a, b) values (10, 1, default), (11, 1, 5);
insert into g (id, b) select 12, 3;
insert into g (id, a) select id + 100, v from src;
select * from g where id > 100 order by id;
insert into g (id, a) values (20, null) returning *;
insert into g (id, a) values (21, 4) returning b, c, b + 1;
update g set a = a + 1 where id = 1 returning *;
update g set b = 3 where id = 1;
update g set b = default where id = 1 returning *;
update g set c = 'x';
update g set (a, b) = (100, default) where id = 2 returning *;
update g set (a, b) = (100, 5) where id = 2;
update g set a = src.v from src where g.id = src.id returning g.*;
select * from g order by id;
insert into g (id, a) values (1, 50) on conflict (id) do update set a = excluded.a returning *;
insert into g (id, a) values (1, 60) on conflict (id) do update set b = 1;
insert into g (id, a) values (1, 70) on conflict (id) do nothing returning *;
select id, a, b, c from g where b > 100 order by id;
delete from g where b is null returning *;
create table g_check (a int, b int generated always as (a + 1) stored check (b > 0), c int not null generated always as (a) stored);
insert into g_check (a) values (5);
insert into g_check (a) values (-5);
insert into g_check (a) values (null);
update g_check set a = -10;
select * from g_check;
create table g_key (a int, b int generated always as (a % 3) stored unique);
insert into g_key (a) values (1), (2);
insert into g_key (a) values (4);
update g_key set a = 5 where a = 1;
select * from g_key order by a;
create table g_def (a int default 7, b int generated always as (a * 10) stored);
insert into g_def default values;
insert into g_def values (default, default);
insert into g_def (a) values (null);
select * from g_def;
create table g_div (a int, b int generated always as (10 / a) stored);
insert into g_div values (2);
insert into g_div values (0);
update g_div set a = 0;
select * from g_div;
-- Refusals at CREATE TABLE.
create table bad1 (a int, b double precision generated always as (random()) stored);
create table bad2 (a int, b int generated always as (a) stored, c int generated always as (b) stored);
create table bad3 (a int, b int generated always as (b) stored);
create table bad4 (a int, b text generated always as (ctid::text) stored);
create table bad5 (a int, b int generated always as (sum(a)) stored);
create table bad6 (a int, b int generated always as ((select 1)) stored);
create table bad7 (a int, b int generated always as (nosuch) stored);
create table bad8 (a int, b int generated always as (a::text) stored);
create table bad9 (a int, b int generated always as (a) stored default 5);
create table bad10 (a int, b int default 5 generated always as (a) stored);
create table bad11 (a int, b int generated always as identity generated always as (a) stored);
create table bad12 (a int, b int generated always as (a) stored generated always as (a) stored);
create table bad13 (a timestamptz, b text generated always as (a::text) stored);
create table bad14 (a int, b int generated always as (row_number() over ()) stored);
create table ok1 (a text, b text generated always as (upper(a)) stored, d int generated always as (length(a)) stored);
insert into ok1 (a) values ('abc'), (null);
select * from ok1 order by a;
create table ok2 (a numeric, b numeric(5,1) generated always as (a * 2) stored);
insert into ok2 values (1.234);
insert into ok2 values (123456);
select * from ok2;
create table ok3 (a int, b int generated always as (a) stored primary key);
insert into ok3 values (1);
insert into ok3 values (1);
insert into ok3 values (null);
-- ALTER TABLE.
create table al (a int, b text);
insert into al values (1, 'x'), (2, 'y'), (null, 'z');
alter table al add column c int generated always as (a * 100) stored;
select * from al order by b;
alter table al add column d int generated always as (c + 1) stored;
alter table al add column e int generated always as (10 / (a - 1)) stored;
alter table al add column f int not null generated always as (a) stored;
select * from al order by b;
insert into al (a, b) values (3, 'w') returning *;
alter table al alter column c set default 5;
alter table al alter column c drop default;
alter table al alter column a type bigint;
alter table al alter column b drop expression;
alter table al alter column b drop expression if exists;
alter table al alter column nosuch drop expression;
alter table al rename column a to aa;
insert into al (aa, b) values (4, 'v') returning *;
alter table al drop column aa;
select column_name, is_generated, generation_expression from information_schema.columns where table_name = 'al' order by ordinal_position;
select attname, attgenerated, atthasdef from pg_attribute where attrelid = 'al'::regclass and attnum > 0 order by attnum;
alter table al alter column c drop expression;
insert into al (aa, b, c) values (5, 'u', 1) returning *;
select attname, attgenerated from pg_attribute where attrelid = 'al'::regclass and attnum > 0 order by attnum;
alter table al add column g int generated always as (aa + 1) stored;
alter table al drop column aa cascade;
select * from al order by b;
select column_name from information_schema.columns where table_name = 'al' order by ordinal_position;
-- The catalogs.
create table cat (a int, b int generated always as (a + 1) stored, c text generated always as (lower(x)) stored, x text);
select column_name, column_default, is_generated, generation_expression, is_updatable from information_schema.columns where table_name = 'cat' order by ordinal_position;
select attname, attgenerated, atthasdef from pg_attribute where attrelid = 'cat'::regclass and attnum > 0 order by attnum;
select a.attname, pg_get_expr(d.adbin, d.adrelid, true) from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum where d.adrelid = 'cat'::regclass order by d.adnum;
select count(*) from pg_attrdef where adrelid = 'g'::regclass;
