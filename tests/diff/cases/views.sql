-- Views: CREATE [OR REPLACE] VIEW with and without a column list, reading views in every place a
-- table can stand (joins, subqueries, WITH, set operations, aggregates, views over views),
-- OR REPLACE's column rules, DROP VIEW [IF EXISTS] [CASCADE], DROP TABLE of a table a view reads
-- (2BP01 / CASCADE), and the statements that refuse a view (42809).

-- @setup
create table emp (id int primary key, name text not null, dept int, salary numeric(10,2));
insert into emp values (1, 'ann', 10, 5000), (2, 'bob', 10, 4200.50), (3, 'cy', 20, 3900),
  (4, 'di', 20, 6100), (5, 'ed', null, 2500);
create table dept (id int primary key, title varchar(20));
insert into dept values (10, 'sales'), (20, 'ops'), (30, 'empty');

-- @queries
create view rich as select id, name, salary from emp where salary > 4000;
select * from rich order by id;
select name from rich where id > 1 order by name;
select count(*), sum(salary) from rich;
create view v_named (emp_id, emp_name) as select id, name from emp;
select * from v_named order by emp_id;
select emp_id from v_named where emp_name = 'cy';
select id from v_named;
create view too_many (a, b, c) as select id, name from emp;
create view dup_cols as select id, id from emp;
create view dup_cols2 (a, a) as select id, name from emp;
create view rich as select 1;
create view emp as select 1;
create view emp_dept as select e.name, d.title from emp e join dept d on d.id = e.dept;
select * from emp_dept order by name;
select title, count(*) from emp_dept group by title order by title;
create view by_dept as select dept, count(*) as n, avg(salary) as avg_salary from emp group by dept;
select * from by_dept order by dept nulls first;
select d.title, b.n from dept d left join by_dept b on b.dept = d.id order by d.title;
select * from rich r join v_named v on v.emp_id = r.id order by r.id;
select name from emp where id in (select id from rich) order by name;
select name from emp e where exists (select 1 from rich r where r.id = e.id and r.salary > 5000) order by name;
select (select max(salary) from rich);
with r as (select * from rich) select count(*) from r;
select id from rich union select emp_id from v_named where emp_id < 3 order by 1;
select * from rich x(a, b) order by a;
select * from rich x(a, b, c, d);
create view rich_names as select name from rich where salary < 6000;
select * from rich_names order by name;
create view literal_view as select 1 as one, 'two' as two, 3.5 as three, null::int as four;
select * from literal_view;
create view valued as values (1, 'a'), (2, 'b');
select * from valued order by 1;
create view sorted as select name from emp order by salary desc limit 3;
select * from sorted;
create view with_cte as with t as (select id from emp where dept = 10) select count(*) as c from t;
select * from with_cte;
create view setop as select id from emp where dept = 10 union all select id from dept;
select * from setop order by 1;
create or replace view rich as select id, name, salary, dept from emp where salary > 4000;
select * from rich order by id;
create or replace view rich as select id, name from emp;
create or replace view rich as select id, title as name, salary, dept from emp join dept on true;
create or replace view rich as select id, name, salary::float8 as salary, dept from emp;
create or replace view emp as select 1;
create or replace view brand_new as select 42 as answer;
select * from brand_new;
truncate rich;
create index on rich (id);
drop table rich;
drop sequence rich;
drop index rich;
select nextval('rich');
drop view emp;
drop view nosuch;
drop view if exists nosuch;
drop view if exists nosuch, brand_new;
select * from brand_new;
drop view rich;
drop view rich cascade;
select * from rich_names;
drop table dept;
drop table emp;
drop view emp_dept, by_dept;
select * from emp_dept;
drop table dept;
select * from dept;
create view on_view as select emp_id * 2 as twice from v_named;
create view on_on_view as select twice + 1 as more from on_view;
select * from on_on_view order by 1;
drop view v_named;
drop view v_named cascade;
select * from on_view;
drop table emp cascade;
select * from sorted;
select count(*) from emp;
create view seq_view as select 1 as x where false;
drop view seq_view, seq_view;
create view params as select $1;
create view bad_ref as select nosuch from emp;
create view bad_table as select * from nosuch;
-- Writes through a view last: PostgreSQL updates a simple view's table (sqlrited refuses, 0A000).
create table wt (id int, name text);
insert into wt values (1, 'a');
create view writable as select id, name from wt;
insert into writable values (9, 'zed');
update writable set name = 'x';
delete from writable;
