-- Each error reports its SQLSTATE (VERBOSITY verbose) and the session carries on after it.
\set VERBOSITY verbose
create table t(a int primary key, b text not null);
insert into t values (1, 'one');
selec 1;
select 1 as after_syntax_error;
select * from missing_table;
select 2 as after_undefined_table;
select nope from t;
select 3 as after_undefined_column;
create table t(a int);
select 4 as after_duplicate_table;
insert into t values (1, 'again');
select 5 as after_unique_violation;
insert into t values (2, null);
select 6 as after_not_null_violation;
insert into t values ('abc', 'x');
select 7 as after_bad_integer;
insert into t values ('1'::text, 'x');
select 8 as after_datatype_mismatch;
select 1 / 0;
select 9 as after_division_by_zero;
-- Query strings of one shape, literals of other lengths (sqlrited reuses the first one's parse):
-- positions and details must still be those of each string.
select 1 as a, nope from t where a = 'x';
select 12345 as a, nope from t where a = 'longer';
select a from t where a = 'x' and b = 1;
select a from t where a = 'longer' and b = 100;
insert into t values (7, 'seven'), (8, null);
insert into t values (70000, 'seventy thousand'), (80000, null);
select 10 as after_same_shape_errors;
-- Statements sent in one Query (psql's \;) are one implicit transaction: an error undoes them all.
insert into t values (20, 'twenty') \; insert into t values (21, 'twenty-one') \; select 1/0;
select count(*) as after_implicit_rollback from t where a >= 20;
insert into t values (22, 'a') \; insert into t values (23, 'b');
select a from t where a >= 20 order by a;
delete from t where a >= 20;
-- SET is transactional: a rolled-back block or implicit transaction takes it back, a savepoint
-- too, and SET LOCAL ends with its block.
begin;
set application_name = 'inside';
rollback;
show application_name;
set application_name = 'kept' \; select 1/0;
show application_name;
begin;
set local statement_timeout = '5s';
show statement_timeout;
commit;
show statement_timeout;
set local statement_timeout = '7s';
show statement_timeout;
begin;
set statement_timeout = '9s';
savepoint s;
set statement_timeout = '11s';
rollback to savepoint s;
show statement_timeout;
commit;
show statement_timeout;
reset statement_timeout;
select * from t order by a;
drop table t;
