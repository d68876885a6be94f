-- What is committed before a restart is there after it.
\unset QUIET
create table kept(id int primary key, name text);
insert into kept values (1, 'alpha'), (2, 'beta'), (3, null);
update kept set name = 'gamma' where id = 3;
delete from kept where id = 1;
create table dropped(x int);
drop table dropped;
create database other;
\c other
create table elsewhere(v text);
insert into elsewhere values ('in other');
-- @restart
\unset QUIET
select * from kept order by id;
select * from dropped;
insert into kept values (4, 'delta');
select * from elsewhere;
\c other
select * from elsewhere;
-- @restart
select * from kept order by id;
select count(*) from kept;
drop table kept;
\c other
\unset QUIET
drop table elsewhere;
\c postgres
drop database other;
select * from kept;
