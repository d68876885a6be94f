-- GROUP BY a table's primary key makes its other columns functionally dependent (PostgreSQL's
-- check_functional_grouping): they may be read ungrouped. Only a primary key counts (not a UNIQUE
-- constraint, a unique index or a deferrable key), every key column must be grouped, and only a
-- stored table's columns qualify (not a view's or a derived table's); 42803 otherwise.

-- @setup
create table a (id int primary key, name text, score int);
create table b (id int primary key, a_id int, amount int);
create table c2 (x int, y int, label text, note text, primary key (x, y));
create table u (id int unique, name text);
create table ui (id int not null, name text);
create unique index ui_id on ui (id);
create table d (id int primary key deferrable, name text);
insert into a values (1, 'ann', 10), (2, 'bob', 20), (3, 'cid', 30);
insert into b values (1, 1, 5), (2, 1, 7), (3, 2, 11), (4, 3, 2), (5, 3, 4), (6, 3, 1);
insert into c2 values (1, 1, 'p', 'n1'), (1, 2, 'q', 'n2'), (2, 1, 'r', 'n3');
insert into u values (1, 'x'), (2, 'y');
insert into ui values (1, 'x'), (2, 'y');
insert into d values (1, 'x'), (2, 'y');
create view av as select * from a;
-- @queries
select a.id, a.name, count(*) from a join b on b.a_id = a.id group by a.id order by a.id;
select a.id, a.name, a.score, sum(b.amount) from a join b on b.a_id = a.id group by a.id order by a.id;
select a.name, count(*) from a join b on b.a_id = a.id group by a.id order by a.name;
select a.*, count(b.id) from a left join b on b.a_id = a.id group by a.id order by a.id;
select a.id, a.name, count(*) from b join a on b.a_id = a.id group by a.id, b.a_id order by 1;
select a.id, upper(a.name), a.score * 2, max(b.amount) from a join b on b.a_id = a.id group by a.id order by a.id;
select a.id, count(*) from a join b on b.a_id = a.id group by a.id having a.score > 10 order by a.id;
select a.id, count(*) from a join b on b.a_id = a.id group by a.id order by a.name desc;
select x.id, x.name, count(*) from a x join b on b.a_id = x.id group by x.id order by 1;
select id, name, count(*) from a group by id order by id;
select a.id, a.name, count(*) from a join b using (id) group by id order by 1;
select c2.x, c2.y, c2.label, c2.note, count(*) from c2 group by c2.x, c2.y order by 1, 2;
select c2.label from c2 group by c2.y, c2.x order by 1;
select c2.label from c2 group by c2.x;
select b.amount, a.name from a join b on b.a_id = a.id group by a.id order by 1;
select b.amount, a.name from a join b on b.a_id = a.id group by a.id, b.id order by 1;
select u.id, u.name from u group by u.id;
select ui.id, ui.name from ui group by ui.id;
select d.id, d.name from d group by d.id;
select av.id, av.name from av group by av.id;
select s.id, s.name from (select * from a) s group by s.id;
select s.id, s.name, count(*) from (select a.id, a.name from a group by a.id) s group by s.id, s.name order by 1;
select a.name from a group by a.id + 0;
select a.name, count(*) from a group by rollup (a.id);
select (select a.name), count(*) from a group by a.id order by 1;
select a.id, (select count(*) from b where b.a_id = a.id and b.amount > a.score / 4) from a group by a.id order by 1;
select distinct a.name from a join b on b.a_id = a.id group by a.id order by 1;
select a.id, a.name, row_number() over (order by a.score desc) from a join b on b.a_id = a.id group by a.id order by 1;
with t as (select a.id, a.name, count(*) n from a join b on b.a_id = a.id group by a.id) select * from t order by id;
create view agg_v as select a.id, a.name, count(*) n from a join b on b.a_id = a.id group by a.id;
select * from agg_v order by id;
select b.id, a.name from a join b on b.a_id = a.id group by b.id order by 1;
select a.id, a.name from a group by 1 order by 1;
select a.id, a.name, count(*) from a group by a.id, a.name order by 1;
select x.name, y.name from a x join a y on y.id = x.id + 1 group by x.id;
select x.name, y.name from a x join a y on y.id = x.id + 1 group by x.id, y.id order by 1;
select a.id, a.name, b.a_id from a join b on b.a_id = a.id group by a.id, b.id order by b.id;
alter table u add primary key (id);
select u.id, u.name from u group by u.id order by 1;
alter table c2 drop constraint c2_pkey;
select c2.label from c2 group by c2.x, c2.y;
select a.id, a.name, a.score, count(*) from a join b on b.a_id = a.id group by a.id, rollup (a.score) order by 1, 3;
select a.id, a.name, count(*) from a join b on b.a_id = a.id group by grouping sets ((a.id), (a.id, b.amount)) order by 1, 3;
select a.name, count(*) from a join b on b.a_id = a.id group by grouping sets ((a.id), (b.id));
select a.name, grouping(a.id), count(*) from a group by cube (a.id, a.score);
