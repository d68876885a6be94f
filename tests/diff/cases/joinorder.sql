-- Join order by estimated rows (issue 9): FROM items and INNER / CROSS joins reordered by the
-- rows each table holds and its conditions keep, the smaller input of a hash join hashed, the
-- columns still in the query's order. EXPLAIN (costs off) only where PostgreSQL 15 chooses the
-- same shape for this data; then the answers, which no order may change.
-- @reference-plans

-- @setup
create table f (id int, a int, b int, c int, v int);
insert into f select i, 1 + (i * 7919) % 1000, 1 + (i * 31) % 10, 1 + (i * 17) % 100, i % 1000 from generate_series(1, 20000) i;
create table d1 (id int primary key, cat int, name text);
insert into d1 select i, i % 10, 'n' || i from generate_series(1, 1000) i;
create table d2 (id int primary key, name text);
insert into d2 select i, 'n' || i from generate_series(1, 10) i;
create table d3 (id int primary key, name text);
insert into d3 select i, 'n' || i from generate_series(1, 100) i;
create table e (k int, w text);
insert into e values (1, 'e1'), (2, 'e2'), (2, 'e2b'), (null, 'enull'), (11, 'e11');
analyze f;
analyze d1;
analyze d2;
analyze d3;
analyze e;

-- @queries
-- Plans: the big table streams, the small ones are hashed, whatever the FROM order.
explain (costs off) select count(*) from d1, f where f.a = d1.id;
explain (costs off) select count(*) from f, d1 where f.a = d1.id;
explain (costs off) select count(*) from d2, f where f.b = d2.id;
explain (costs off) select count(*) from d1 join f on f.a = d1.id;
explain (costs off) select count(*) from d1, f, d2 where f.a = d1.id and f.b = d2.id;
explain (costs off) select count(*) from d2, d1, f where f.a = d1.id and f.b = d2.id;
explain (costs off) select count(*) from d1, d3, f, d2 where f.a = d1.id and f.c = d3.id and f.b = d2.id;
explain (costs off) select count(*) from d1, f, d2 where f.a = d1.id and f.b = d2.id and d2.name = 'n3';
explain (costs off) select count(*) from d1 join f on f.a = d1.id join d2 on f.b = d2.id;
explain (costs off) select count(*) from d2, d3, d1, f where f.a = d1.id and f.b = d2.id and f.c = d3.id;
explain (costs off) select count(*) from d1 join d2 on d1.id = d2.id * 100 join f on f.a = d1.id;

-- Answers: every order and join syntax gives the same rows, columns in the query's order.
select count(*), sum(f.v) from d1, f where f.a = d1.id;
select count(*), sum(f.v) from f, d1 where f.a = d1.id;
select count(*), sum(f.v), sum(d2.id) from d1, f, d2 where f.a = d1.id and f.b = d2.id;
select count(*), sum(f.v), sum(d2.id) from d2, d1, f where f.a = d1.id and f.b = d2.id;
select count(*), sum(f.v), max(d3.name) from d1, d3, f, d2 where f.a = d1.id and f.c = d3.id and f.b = d2.id and d1.cat = 4;
select count(*), sum(f.v) from d1 join d2 on d1.id = d2.id * 100 join f on f.a = d1.id join d3 on f.c = d3.id;
select * from d2, f, d1 where f.b = d2.id and f.a = d1.id and f.id < 4 order by f.id;
select * from d1, f where f.a = d1.id and d1.id = 7 order by f.id limit 5;
select d2.*, f.id from d2 join f on f.b = d2.id where f.id between 10 and 14 order by f.id;
select f.id, d1.name, d2.name, d3.name from d3, d2, d1, f where f.a = d1.id and f.b = d2.id and f.c = d3.id and f.id % 5000 = 0 order by f.id;
select count(*) from d2, d3, f where f.b = d2.id and d2.id = 3 and d3.id < 3;
select count(*) from d2 cross join d3 cross join e;
select d2.id, e.w from d2, e where d2.id = e.k order by 1, 2;
select d2.id, e.w from e, d2 where e.k = d2.id and e.w <> 'e2' order by 1, 2;
-- Outer joins keep their place: the inner joins around them reorder, the outer join does not.
select count(*), count(e.w) from f join d1 on f.a = d1.id left join e on e.k = d1.id;
select d2.id, e.w, d3.name from d3 join d2 on d3.id = d2.id left join e on e.k = d2.id where d2.id < 4 order by 1, 2;
select d2.id, e.w from d2 left join e on e.k = d2.id join d3 on d3.id = d2.id where d3.id > 8 order by 1, 2;
select d2.id, e.w from e right join d2 on e.k = d2.id, d3 where d3.id = d2.id and d3.id in (1, 2, 10) order by 1, 2;
select count(*) from f left join d1 on f.a = d1.id * 2 where d1.id is null;
-- Conditions over no table and over three tables.
select count(*) from d2, d3, e where d2.id + d3.id = e.k and 1 = 1;
select count(*) from d1, d2, d3 where d1.id = d2.id + d3.id and d3.name like 'n1%';
select count(*) from d1, d2 where false;
-- Semi and anti joins above the reordered joins.
select count(*) from d1, f where f.a = d1.id and exists (select 1 from e where e.k = d1.cat);
select count(*) from d1, f where f.a = d1.id and not exists (select 1 from e where e.k = f.b);
-- A LATERAL item keeps FROM order.
select d2.id, x.n from d2, lateral (select count(*) n from f where f.b = d2.id) x, d3 where d3.id = d2.id order by 1;
-- A volatile ON condition runs at its join, once per joined pair, as in PostgreSQL.
create sequence jo_seq;
select count(*) from generate_series(1, 3) a join generate_series(1, 3) b on nextval('jo_seq') > 0;
select currval('jo_seq');
drop sequence jo_seq;
