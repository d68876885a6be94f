-- Gaps of issue 10 closed in session 17: a CHECK or FOREIGN KEY added NOT VALID (pg_constraint's
-- convalidated, pg_get_constraintdef's " NOT VALID", information_schema's check_clause, a table
-- rewrite that does not test it, VALIDATE CONSTRAINT that does), the names in DROP's 2BP01 message
-- and DETAIL qualified when the search path does not find them, has_schema_privilege,
-- pg_postmaster_start_time, pg_get_ruledef, unnest and generate_subscripts of int2vector (SQLAlchemy),
-- server_version_num (sqlsmith), COALESCE / CASE of varchar staying varchar (a restored view reads
-- back the same).

-- @queries
create table al (a int, b int);
insert into al values (1, 5), (2, 6);
alter table al add constraint al_a_pos check (a > 100) not valid;
alter table al add constraint al_b check (b > 0);
select conname, convalidated, pg_get_constraintdef(oid) from pg_constraint where conrelid = 'al'::regclass order by 1;
select conname, pg_get_constraintdef(oid, true) from pg_constraint where conrelid = 'al'::regclass order by 1;
select check_clause from information_schema.check_constraints where constraint_name like 'al%' order by 1;
alter table al add primary key (a);
alter table al alter column b type bigint;
alter table al add column c int default 3, alter column a type bigint;
select * from al order by a;
alter table al validate constraint al_a_pos;
select conname, convalidated from pg_constraint where conrelid = 'al'::regclass order by 1;
delete from al;
alter table al validate constraint al_a_pos;
select conname, convalidated, pg_get_constraintdef(oid) from pg_constraint where conrelid = 'al'::regclass order by 1;
create table alp (id int primary key);
create table alc (pid int);
insert into alc values (7);
alter table alc add constraint alc_fk foreign key (pid) references alp not valid;
select convalidated, pg_get_constraintdef(oid) from pg_constraint where conname = 'alc_fk';
alter table alc validate constraint alc_fk;
create schema s3;
create table s3.t (a int);
create view vv as select a from s3.t;
create view vv2 as select * from vv;
drop table s3.t;
drop schema s3 cascade;
create schema s4;
create table s4.t (a int);
create view s4.w as select a from s4.t;
drop table s4.t;
set search_path = s4, public;
drop table t;
reset search_path;
select has_schema_privilege('public', 'usage'), has_schema_privilege('public', 'create, usage'), has_schema_privilege('postgres', 'pg_catalog', 'USAGE'), has_schema_privilege(2200::oid, 'usage'), has_schema_privilege(1::oid, 'usage');
select has_schema_privilege('public', 'usage with grant option'), has_schema_privilege('information_schema', 'usage');
select has_schema_privilege('nosuch', 'usage');
select has_schema_privilege('public', 'select');
select has_schema_privilege('nobody', 'public', 'usage');
select pg_postmaster_start_time() <= now(), pg_postmaster_start_time() > now() - interval '1 day', pg_typeof(pg_postmaster_start_time());
select pg_get_ruledef(0) is null, pg_get_ruledef(0, true) is null;
create table pk2 (a int, b text, c int, primary key (c, a));
SELECT a.attname FROM pg_attribute a JOIN (SELECT unnest(ix.indkey) attnum, generate_subscripts(ix.indkey, 1) ord FROM pg_index ix WHERE ix.indrelid = 'pk2'::regclass AND ix.indisprimary) k ON a.attnum=k.attnum WHERE a.attrelid = 'pk2'::regclass ORDER BY k.ord;
select unnest('1 3 2'::int2vector), generate_subscripts('1 3 2'::int2vector, 1), generate_subscripts('1 3 2'::int2vector, 1, true);
select unnest('{4,5}'::int2[]), generate_subscripts('{4,5}'::int2[], 1);
select generate_subscripts('{4,5}'::int2[], 2);
select current_setting('server_version_num')::int / 10000, setting::int / 10000 from pg_settings where name = 'server_version_num';
select pg_typeof(coalesce(null::varchar, 'x'::varchar)), pg_typeof(case when true then 'a'::varchar(2) else 'b'::varchar(4) end), pg_typeof(coalesce(null::varchar, 'x'::text)), pg_typeof(coalesce(null::text, 'x'::varchar));
select pg_typeof(coalesce('a'::char(2), 'b'::char(3))), coalesce('a'::char(2), 'b'::char(3)) || '|', pg_typeof(array['a'::varchar, 'b'::varchar]);
create table vc (note varchar(20));
create view vc_v as select coalesce(note, 'none') as n from vc;
select pg_get_viewdef('vc_v'::regclass);
create view vc_w as select coalesce(vc.note, 'none'::character varying) as n from vc;
select pg_get_viewdef('vc_w'::regclass), format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'vc_w'::regclass and attnum = 1;
