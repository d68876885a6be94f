-- CREATE / DROP with IF [NOT] EXISTS and several statements on one line.
\unset QUIET
create table a(x int);
create table if not exists a(x int);
drop table if exists nothing_here;
drop table nothing_here;
create table b(y int primary key) \; insert into b values (1) \; select * from b;
drop table a, b;
select * from a;
create table if not exists c(z text);
insert into c values ('z');
select * from c;
drop table if exists c;
drop table if exists c;
