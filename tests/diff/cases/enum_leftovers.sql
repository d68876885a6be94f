-- Enum types, the rest of issue 10: ALTER TABLE ... ALTER COLUMN ... TYPE an_enum (USING c::an_enum,
-- the errors without USING, a bad value, a default that does not convert, back to text), and
-- DROP TYPE when views depend on the type (a view reading a column of the type, a view naming
-- the type in a cast, a view over such a view): RESTRICT's 2BP01, CASCADE dropping them.

-- @setup
create type mood as enum ('sad', 'ok', 'happy');
create table t (id int primary key, m text);
insert into t values (1, 'ok'), (2, 'happy'), (3, null);
create table bad (id int, m text);
insert into bad values (1, 'ok'), (2, 'grumpy');
create table with_default (id int, m text default 'ok');
create table numbers (id int, m int);

-- @queries
alter table t alter column m type mood;
alter table t alter column m type mood using m::mood;
select id, m, pg_typeof(m) from t order by id;
select m from t where m > 'sad' order by m;
select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 't'::regclass and attname = 'm';
insert into t values (4, 'sad');
insert into t values (5, 'grumpy');
alter table bad alter column m type mood using m::mood;
select id, m, pg_typeof(m) from bad order by id;
alter table with_default alter column m type mood using m::mood;
alter table numbers alter column m type mood;
alter table t alter column m type no_such_type using m::no_such_type;
alter table t alter column m type text;
select id, m, pg_typeof(m) from t order by id;
alter table t alter column m type mood using m::mood;
alter table t alter column m type mood[] using array[m];
select id, m from t order by id;
alter table t alter column m type mood using m[1];
select id, m from t order by id;

-- Views depending on the type.
create view v_t as select id, m from t;
create view v_named as select 'ok'::mood as x;
create view v_over as select x from v_named;
drop type mood;
drop type mood restrict;
begin;
drop type mood cascade;
select relname from pg_class where relname in ('v_t', 'v_named', 'v_over') order by 1;
select attname from pg_attribute where attrelid = 't'::regclass and attnum > 0 and not attisdropped order by attnum;
rollback;
drop view v_t;
drop type mood;
drop view v_over;
drop type mood;
drop view v_named;
drop type mood;
drop type mood cascade;
select relname from pg_class where relname in ('v_t', 'v_named', 'v_over') order by 1;
select attname from pg_attribute where attrelid = 't'::regclass and attnum > 0 and not attisdropped order by attnum;
select count(*) from pg_type where typname = 'mood';
create type mood2 as enum ('a', 'b');
create view v_only_cast as select cast('a' as mood2) as a, '{b}'::mood2[] as b;
drop type mood2;
drop type mood2 cascade;
select count(*) from pg_class where relname = 'v_only_cast';
-- An enum value as a JSON object key is its label (json[b]_build_object, json[b]_object_agg).
create type mood3 as enum ('sad', 'happy');
select jsonb_build_object('happy'::mood3, 1), json_build_object('sad'::mood3, 2);
select jsonb_object_agg(m, 1), json_object_agg(m, 2) from (values ('happy'::mood3), ('sad'::mood3)) v(m);
select json_build_object('sad'::mood3, 'happy'::mood3), jsonb_build_object('k', array['sad', 'happy']::mood3[]);
drop type mood3;
