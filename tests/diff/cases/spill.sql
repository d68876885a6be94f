-- Operators past work_mem: with work_mem at its 64kB minimum, sorts (external, and top-k under
-- LIMIT), hash aggregates (with DISTINCT, ORDER BY inside, array_agg, string_agg), hash joins
-- of every kind (NULL keys, residual conditions) and SELECT DISTINCT over inputs that do not
-- fit; and the settings work_mem, hash_mem_multiplier and temp_file_limit (units, limits,
-- errors).

-- @setup
create table s (id int primary key, g int, t text, n numeric);
insert into s select i, i % 1000, 'row ' || (i * 7919 % 5000), (i % 97)::numeric / 7 from generate_series(1, 20000) i;
create table r (id int primary key, k int, v text);
insert into r select i, case when i % 50 = 0 then null else (i * 13) % 30000 end, 'r' || i from generate_series(1, 15000) i;
insert into s values (20001, null, null, null), (20002, null, 'row 7', null);
set work_mem = '64kB';
-- @queries
show work_mem;
select id, t from s order by t, id limit 20;
select id, t from s order by t desc nulls last, id desc limit 10 offset 100;
select id, g, t from s order by g nulls first, t desc, id offset 19980;
select id, n from s order by n desc, id limit 5 offset 15000;
select count(*), min(t), max(t) from (select t from s order by t, id offset 10) q;
select id from s order by t nulls first, id fetch first 3 rows with ties;
select g, count(*), sum(n), min(t), max(t) from s group by g order by g nulls first limit 30 offset 480;
select count(*), sum(c), max(c) from (select t, count(*) c from s group by t) q;
select t, count(*), array_agg(id order by id), string_agg(g::text, ',' order by g desc) from s group by t order by t nulls first limit 15 offset 2000;
select t, count(distinct g), sum(distinct g), avg(n) from s group by t order by t limit 10 offset 4000;
select count(distinct g), count(distinct t), count(distinct n) from s;
select g % 7 as m, count(*) from s group by g % 7, t order by 1, 2 desc limit 12;
select count(*), sum(s.id), sum(r.id) from s join r on s.id = r.k;
select count(*), count(r.id) from s left join r on s.id = r.k;
select count(*), count(s.id) from s right join r on s.id = r.k;
select count(*), count(s.id), count(r.id) from s full join r on s.id = r.k;
select s.id, r.id from s full join r on s.id = r.k where s.id is null or r.id is null order by 1 nulls first, 2 nulls first limit 40;
select s.id, r.id, r.v from s join r on s.id = r.k and r.v > 'r14' order by s.id, r.id limit 25;
select count(*) from s a join s b on a.t = b.t;
select a.g, count(*) from s a join r b on a.g = b.k group by a.g order by count(*) desc, a.g limit 10;
select id from s where id not in (select k from r where k is not null) order by id limit 10;
select count(*), count(t) from (select distinct t from s) q;
select distinct g from s order by g nulls first limit 5 offset 500;
select distinct on (g) g, t, id from s order by g, t desc, id limit 8 offset 300;
select count(*) from (select distinct s.g, r.v from s join r on s.id = r.k) q;
set work_mem = '10';
set work_mem = '-5';
set work_mem = '64KB';
set work_mem = 'abc';
set work_mem = '2TB';
set work_mem = '99999999999';
set work_mem = '1.5MB';
show work_mem;
set work_mem = 2048;
show work_mem;
set work_mem = '65537B';
show work_mem;
set work_mem = ' 100 kB ';
show work_mem;
set work_mem = '1e3';
show work_mem;
set work_mem = '1TB';
show work_mem;
reset work_mem;
show work_mem;
show hash_mem_multiplier;
set hash_mem_multiplier = 0.5;
set hash_mem_multiplier = 1001;
set hash_mem_multiplier = 'x';
set hash_mem_multiplier = 1.5;
show hash_mem_multiplier;
set hash_mem_multiplier = 1e2;
show hash_mem_multiplier;
reset hash_mem_multiplier;
show temp_file_limit;
set temp_file_limit = -2;
set temp_file_limit = '1MB';
show temp_file_limit;
reset temp_file_limit;
show temp_file_limit;
