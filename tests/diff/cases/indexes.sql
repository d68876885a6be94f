-- Indexes: CREATE [UNIQUE] INDEX [IF NOT EXISTS] on columns and expressions, INCLUDE, partial
-- indexes, DROP INDEX, uniqueness with NULLs, and that queries answer the same with them;
-- builds past maintenance_work_mem (sorted runs spilled to temporary files and merged).

-- @setup
create table ix (id int primary key, a int, b text, c int);
insert into ix values
  (1, 1, 'v1', 3), (2, 2, 'v2', 6), (3, 3, 'v3', 9), (4, 4, 'v4', 12), (5, 5, 'v5', 15), (6, 6, 'v6', 18), (7, 7, 'v0', 21), (8, 8, 'v1', 24), (9, 9, 'v2', 27), (10, 0, 'v3', 30),
  (11, 1, 'v4', 33), (12, 2, 'v5', 36), (13, 3, 'v6', 39), (14, 4, 'v0', 42), (15, 5, 'v1', 45), (16, 6, 'v2', 48), (17, 7, 'v3', 51), (18, 8, 'v4', 54), (19, 9, 'v5', 57), (20, 0, 'v6', 60),
  (21, 1, 'v0', 63), (22, 2, 'v1', 66), (23, 3, 'v2', 69), (24, 4, 'v3', 72), (25, 5, 'v4', 75), (26, 6, 'v5', 78), (27, 7, 'v6', 81), (28, 8, 'v0', 84), (29, 9, 'v1', 87), (30, 0, 'v2', 90),
  (31, 1, 'v3', 93), (32, 2, 'v4', 96), (33, 3, 'v5', 99), (34, 4, 'v6', 102), (35, 5, 'v0', 105), (36, 6, 'v1', 108), (37, 7, 'v2', 111), (38, 8, 'v3', 114), (39, 9, 'v4', 117), (40, 0, 'v5', 120),
  (41, 1, 'v6', 123), (42, 2, 'v0', 126), (43, 3, 'v1', 129), (44, 4, 'v2', 132), (45, 5, 'v3', 135), (46, 6, 'v4', 138), (47, 7, 'v5', 141), (48, 8, 'v6', 144), (49, 9, 'v0', 147), (50, 0, 'v1', 150),
  (51, 1, 'v2', 153), (52, 2, 'v3', 156), (53, 3, 'v4', 159), (54, 4, 'v5', 162), (55, 5, 'v6', 165), (56, 6, 'v0', 168), (57, 7, 'v1', 171), (58, 8, 'v2', 174), (59, 9, 'v3', 177), (60, 0, 'v4', 180);
insert into ix values (201, null, null, null), (202, null, 'v1', null);
-- @queries
create index ix_a on ix (a);
create index if not exists ix_a on ix (a);
create index ix_a on ix (b);
create unique index ix_c on ix (c);
create index ix_ab on ix (a, b);
create index on ix (lower(b));
create index ix_part on ix (c) where a = 3;
create index ix_incl on ix (b) include (c);
create index concurrently ix_conc on ix (c, a);
create unique index ix_bad on ix (a);
select count(*) from ix where a = 3;
select id from ix where a = 3 and b = 'v3' order by id;
select id, c from ix where c between 30 and 45 order by c;
select id from ix where c = 150;
select id from ix where lower(b) = 'v6' and id < 30 order by id;
select id from ix where a is null order by id;
select id from ix where a in (1, 2) and id < 25 order by id;
-- (id breaks the tie of the two NULLs, which come first: their order is the plan's)
select id, c from ix order by c desc, id limit 3;
select c from ix order by c desc limit 3;
select id from ix where b like 'v1%' and id < 20 order by id;
select count(*) from ix where c > 100 and a = 3;
insert into ix values (203, 1, 'x', 3);
insert into ix values (204, 1, 'x', null), (205, 1, 'x', null);
create unique index ix_nulls on ix (a, c) nulls not distinct;
drop index ix_a;
drop index ix_a;
drop index if exists ix_a;
drop index nope;
create index on nope (a);
create index ix_x on ix (nope);
select count(*) from ix where a = 3;
create table ux (k int, v text);
create unique index ux_k on ux (k);
insert into ux values (1, 'a'), (null, 'b'), (null, 'c');
insert into ux values (1, 'd');
select count(*) from ux;
create index ix_b_a on ix (b, a);
select id from ix where b = 'v2' and a between 2 and 8 order by id;
select id from ix where b in ('v1', 'v5') and a = 1 order by id;
select id from ix where b = 'v3' and a > 4 order by id;
select id from ix where b is null order by id;
select id from ix where a in (3, 4) and b in ('v3', 'v4') order by id;
select id, b from ix where b between 'v2' and 'v3' and a = 2 order by id;
select id, a from ix order by a, id limit 4;
select id from ix order by id limit 3;
select id from ix where id > 50 order by id limit 2;
update ix set a = 100 where a = 9;
select count(*) from ix where a = 100;
select count(*) from ix where a = 9;
delete from ix where a = 100;
select count(*) from ix where a between 0 and 200;
alter index ix_b_a rename to ix_ba;
alter index ix_b_a rename to ix_bb;
alter index if exists ix_b_a rename to ix_bb;
drop index ix_ba;
drop index ix_pkey;
drop index ix;
drop table ix_ab;
drop table if exists ix_ab;
create table ux2 (a int, b int);
insert into ux2 values (1, 1), (1, 1), (2, null), (2, null);
create unique index on ux2 (a, b);
create index on ux2 (a);
create index on ux2 (a);
create index on ux2 (a, b);
select count(*) from ux2 where a = 2 and b is null;
drop index ux2_a_idx1, ux2_a_b_idx;
drop index ux2_a_idx;
create table ux2_a_idx (x int);
create index on ux2 (a);
drop index ux2_a_idx1;
drop table ux2;
show maintenance_work_mem;
set maintenance_work_mem = '1000kB';
set maintenance_work_mem = '1MB';
show maintenance_work_mem;
create table mw (id int, a int, b text);
insert into mw select i, (i * 7919) % 100003, 'v' || (i % 5000) from generate_series(1, 60000) i;
create index mw_a on mw (a);
select count(*), min(id), max(id) from mw where a between 1000 and 2000;
select id from mw where a = 7919;
create unique index mw_ida on mw (id, a);
select count(*) from mw where id between 100 and 200 and a > 50000;
create index mw_b on mw (b, id);
select b, id from mw where b = 'v1234' order by id limit 3;
insert into mw values (60001, 7919, 'x');
create unique index mw_a_key on mw (a);
select count(*) from pg_indexes where tablename = 'mw';
reset maintenance_work_mem;
show maintenance_work_mem;
drop table mw;
