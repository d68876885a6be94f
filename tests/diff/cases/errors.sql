-- Errors: SQLSTATEs (and, where marked, the message) of the mistakes people and ORMs make: unknown
-- tables, columns, functions and types, ambiguity, type mismatches, bad input, overflow,
-- division by zero, cardinality, constraint violations, syntax, DDL mistakes, transaction states.

-- @setup
create table er (id int primary key, name text not null, qty int unique, ref int);
create table er2 (id int primary key, er_id int);
insert into er values (1, 'a', 10, null), (2, 'b', 20, 1);
insert into er2 values (1, 1), (2, 2);
-- @queries
-- @message
select * from nope;
-- @message
select nope from er;
-- @message
select er.nope from er;
-- @message
select x.id from er;
-- @message
select id from er, er2;
-- @message
select nope(1);
-- @message
select 1 + 'a';
-- @message
select 'a' + 'b';
-- @message
select 1 / 0;
-- @message
select 1.0 / 0;
-- @message
select 2147483647 + 1;
-- @message
select 'x'::int;
-- @message
select (select id from er);
-- @message
select 'a'::int8;
select 'abc'::date;
select 1::nosuchtype;
-- @message
insert into er values (1, 'dup', 30, null);
-- @message
insert into er values (3, null, 30, null);
-- @message
insert into er values (3, 'c', 10, null);
-- @message
insert into er (id, nope) values (3, 'x');
-- @message
insert into er values (3, 'c', 1, 1, 1);
insert into er (id, name) values (3);
insert into er (id, name) values ('x', 'y');
-- @message
update er set nope = 1;
update er set qty = 20 where id = 1;
update er set id = 'a';
delete from nope;
-- @message
selec 1;
-- @message
select 1 from;
select (1;
select 'unterminated;
select 1 where id = ;
-- @message
create table er (id int);
create table er3 (id int, id int);
create table er4 (id nosuch);
create table er5 (id int primary key, primary key (id));
drop table nope;
drop table if exists nope;
alter table nope add column x int;
alter table er add column name text;
alter table er drop column nope;
create index on nope (x);
select sum(name) from er;
select id from er group by name;
select id from er order by nope;
select id from er order by 5;
select id from er limit -1;
select id from er limit 'a';
select id from er offset -1;
select * from er where name;
select * from er where 1;
select id from er where id = 'abc';
select id from er where name = 1;
select id from er where id in ('1', 'x');
select * from er er;
select * from er a, er a;
select 1 from er having name = 'a';
select count(*) over (), count(*) from er;
values (1), (1, 2);
select cast(1 as text) + 1;
select now() + 1;
select date '2024-01-01' + date '2024-01-01';
select '{"a":1}'::json = '{"a":1}'::json;
select array[1] = 1;
select 'x' like 1;
select true > 'maybe';
select substring('abc' from 'x' for 'y');
begin;
select 1 / 0;
select 1;
rollback;
select 1;
commit;
rollback;
savepoint s;
begin;
begin;
savepoint s;
release savepoint nope;
rollback;
select id from er for update;
select id from er for share;
select $1;
select :x;
