-- The schema public as PostgreSQL 15 treats it: ALTER SCHEMA public RENAME TO (its relations,
-- views and comment go along, it keeps its oid and owner; public no longer exists, so unqualified
-- CREATE has no schema), renamed back, DROP SCHEMA public [CASCADE] (2BP01 with its dependents
-- first), CREATE SCHEMA public afterwards (an ordinary schema), and the catalogs that show it.

-- @setup
create table t (id int primary key, v text);
insert into t values (1, 'one'), (2, 'two');
create view tv as select id, v from t where id > 0;
create schema other;
create view other.ov as select v from t;
comment on table t is 'In public';

-- @queries
select nspname, nspowner::regrole from pg_namespace where oid = 2200;
alter schema public rename to app;
select nspname, nspowner::regrole from pg_namespace where oid = 2200;
select count(*) from pg_namespace where nspname = 'public';
select * from t;
select * from app.t order by id;
select * from app.tv order by id;
select * from other.ov order by v;
select obj_description('app.t'::regclass, 'pg_class');
select obj_description(2200, 'pg_namespace');
select 'app'::regnamespace::oid, 2200::regnamespace;
select 'public'::regnamespace;
create table u (a int);
select current_schema();
set search_path = app;
insert into t values (3, 'three');
select count(*) from t;
reset search_path;
select schemaname, tablename from pg_tables where tablename = 't';
alter schema app rename to public;
select nspname from pg_namespace where oid = 2200;
select * from t order by id;
select * from tv order by id;
select * from other.ov order by v;
select obj_description('t'::regclass, 'pg_class');
select 'public'::regnamespace::oid;
drop schema public;
drop schema public cascade;
select count(*) from pg_namespace where nspname = 'public';
select * from other.ov;
create table w (a int);
drop schema public;
drop schema if exists public;
create schema public;
select nspowner::regrole, oid = 2200 from pg_namespace where nspname = 'public';
create table w (a int);
insert into w values (7);
select * from public.w;
select obj_description('public'::regnamespace, 'pg_namespace');
comment on schema public is 'A new public';
select obj_description('public'::regnamespace, 'pg_namespace');
drop schema public cascade;
select count(*) from pg_namespace where nspname = 'public';
