-- CREATE TABLE ... AS and SELECT ... INTO: the new table's columns (names from the query or the
-- column list, types and typmods from the query, an untyped literal's as text), its rows, WITH
-- [NO] DATA, IF NOT EXISTS, command tags, and the errors (42P07, 42601, 42701, 42P16).

-- @setup
create table src (id int primary key, name varchar(10), price numeric(8,2), qty smallint,
  at timestamp, tags text[], flag boolean);
insert into src values (1, 'ann', 10.50, 3, '2024-01-02 03:04:05', '{a,b}', true),
  (2, 'bob', 2.25, 7, null, '{}', false), (3, null, null, null, '2024-05-06', null, null);
create type hue as enum ('red', 'green');

-- @queries
create table c1 as select * from src;
select * from c1 order by id;
select column_name, data_type, character_maximum_length, numeric_precision, numeric_scale, is_nullable from information_schema.columns where table_name = 'c1' order by ordinal_position;
create table c2 (a, b) as select id, name, price * qty from src where id < 3;
select * from c2 order by a;
select column_name, data_type, numeric_scale from information_schema.columns where table_name = 'c2' order by ordinal_position;
create table c3 as select 1 as one, 'x' as lit, null as nothing, 1.5 as dec, now() - now() as span, 'red'::hue as color;
select * from c3;
select column_name, data_type, udt_name from information_schema.columns where table_name = 'c3' order by ordinal_position;
create table c4 as select id from src with no data;
select count(*) from c4;
insert into c4 values (9);
select * from c4;
create table c5 as select id, qty from src with data;
select * from c5 order by id;
create table if not exists c5 as select 1;
select count(*) from c5;
create table c5 as select 1;
create table src as select 1;
create table c6 (a, b, c) as select 1, 2;
create table c7 as select 1 as a, 2 as a;
create table c8 (x, x) as select 1, 2;
create table c9 as select row(1, 2) as r;
create table c10 as select id, count(*) over () as n, sum(price) over (order by id) as running from src;
select * from c10 order by id;
create table c11 as select name, count(*) from src group by name;
select * from c11 order by name;
create table c12 as select 1 as a union all select 2 order by 1 desc;
select * from c12;
create table c13 as with w as (select id * 10 as v from src) select v from w where v > 10;
select * from c13 order by v;
create table c14 as values (1, 'a'), (2, 'b');
select * from c14 order by column1;
create table c15 as select * from src where false;
select count(*) from c15;
create table c16 as select * from missing_table;
create table c17 as select 1/0;
select count(*) from c17;
select id, name into c18 from src where id = 2;
select * from c18;
select column_name, data_type from information_schema.columns where table_name = 'c18' order by ordinal_position;
select 1 as k into c18;
select * into c19 from src order by id limit 1;
select * from c19;
create table c20 as select id, tags[1] as first_tag, at::date as day from src;
select * from c20 order by id;
insert into c20 select id + 10, 'z', null from c20;
select count(*) from c20;
create table public.c21 as select 'q'::char(3) as code, 'v'::varchar as v;
select code || '|', v, pg_typeof(code) from c21;
create table c22 as select id from src;
drop table c22;
create table c22 as select id from src;
select * from c22 order by id;
begin;
create table c23 as select id from src;
rollback;
select * from c23;
create table c24 as select count(*) as n from src;
select n, pg_typeof(n) from c24;
create table c25 as select s.id from src s join c1 using (id) where s.id > 1;
select * from c25 order by id;
-- WITH NO DATA plans the query and does not run it: a run-time error does not happen.
create table c_nodata as select 1/0 as a, 'x'::varchar(3) as b with no data;
select count(*) from c_nodata;
select column_name, data_type, character_maximum_length from information_schema.columns where table_name = 'c_nodata' order by ordinal_position;
drop table c_nodata;
