-- Planner paths (issue 9): an index nested loop when the outer side is small and the inner side
-- has an index on the join key, a LIKE prefix as an index range, EXISTS / NOT EXISTS / IN
-- decorrelated into semi and anti hash joins. EXPLAIN (costs off) of the shapes PostgreSQL 15
-- chooses for this data, then the answers (which must not change whatever the plan).
-- @reference-plans

-- @setup
create table big (id int primary key, k int, s text, grp int, u int);
insert into big select g, (g * 7919) % 100000, 'v' || g, g % 1000, case when g % 997 = 0 then null else g % 50000 end from generate_series(1, 100000) g;
create index big_k on big (k);
create index big_s on big (s);
create table small (id int primary key, name text, x int);
insert into small select g, 'n' || g, case when g % 10 = 0 then null else g * 3 end from generate_series(1, 1000) g;
insert into small values (200001, 'far1', 7), (200002, 'far2', null);
create table words (w text);
insert into words values ('a'), ('ab'), ('abc'), ('abd'), ('ac'), ('a_b'), ('a%b'), ('axb'), ('a\b'), (''), (null), ('b'), ('aé'), ('aéz'), ('af'), ('a~'), ('a~z'), ('ab_'), ('AB');
create index words_w on words (w);
analyze big;
analyze small;
analyze words;

-- @queries
-- Index nested loops: few outer rows, each probing the inner table's primary key or index.
explain (costs off) select * from small m join big b on b.id = m.id where m.id < 5;
explain (costs off) select * from small m left join big b on b.id = m.id where m.id < 5;
explain (costs off) select * from small m join big b on b.k = m.id where m.id < 5;
explain (costs off) select * from small m, big b where b.id = m.id and m.id <= 3;
select * from small m join big b on b.id = m.id where m.id < 5 order by m.id;
select * from small m left join big b on b.id = m.id where m.id < 5 order by m.id;
select * from small m join big b on b.k = m.id where m.id < 5 order by m.id;
select * from small m, big b where b.id = m.id and m.id <= 3 order by m.id;
select * from small m left join big b on b.id = m.id where m.id = 200001;
select m.id, b.id from small m left join big b on b.k = m.x where m.id in (7, 10, 200001, 200002) order by m.id;
select m.id, b.id, b.grp from small m join big b on b.id = m.id and b.grp > 2 where m.id < 6 order by m.id;
select m.id, b.id from small m left join big b on b.id = m.id and b.grp > 2 where m.id < 6 order by m.id;
select m.id, b.id from small m join big b on b.k = m.x where m.id between 1 and 8 order by m.id;
select count(*), sum(b.u) from small m join big b on b.id = m.id where m.id = 42;
select * from small m join big b on b.id = m.id where m.id < 0;
select m.id, b.s from small m join big b on b.s = m.name where m.id < 4 order by m.id;
select m.id, b.s from small m join big b on b.s = 'v' || m.id where m.id < 4 order by m.id;
-- A loop of point probes returns few rows too: the next join probes again.
explain (costs off) select m.name, b.k, c.s from small m join big b on b.id = m.id join big c on c.id = b.k where m.id < 4;
select m.name, b.k, c.s from small m join big b on b.id = m.id join big c on c.id = b.k where m.id < 4 order by m.name;
select m.id, b.k, c.id from small m join big b on b.id = m.id left join big c on c.k = b.id where m.id < 4 order by m.id;

-- LIKE with a constant prefix: the range of a btree index, the LIKE itself a filter.
explain (costs off) select * from big where s like 'v1234%';
explain (costs off) select * from big where s like 'v1234';
explain (costs off) select * from big where s like '%1234';
select id, s from big where s like 'v1234%' order by id;
select id, s from big where s like 'v1234' order by id;
select count(*) from big where s like 'v99%';
select count(*) from big where s like 'v9_9%';
select w from words where w like 'a%' order by w;
select w from words where w like 'ab%' order by w;
select w from words where w like 'a\_%' order by w;
select w from words where w like 'a\%b' order by w;
select w from words where w like 'a_b' order by w;
select w from words where w like '' order by w;
select w from words where w like '%' order by w;
select w from words where w like '_b%' order by w;
select w from words where w like 'a~%' order by w;
select w from words where w like 'aé%' order by w;
select w from words where w like 'ab' order by w;
select w from words where w like 'a\\b' order by w;
select w from words where w not like 'a%' order by w;
select w from words where w ilike 'ab%' order by w;
select w from words where w like 'ab%' and w like '%c' order by w;

-- Semi and anti joins.
explain (costs off) select * from small m where exists (select 1 from big b where b.u = m.id);
explain (costs off) select * from small m where m.id in (select u from big b);
explain (costs off) select * from small m where exists (select 1 from big b where b.u = m.id and b.grp = 3);
explain (costs off) select * from small m where not exists (select 1 from big b where b.grp = m.id);
select count(*), sum(m.id) from small m where exists (select 1 from big b where b.u = m.id);
select count(*), sum(m.id) from small m where m.id in (select u from big b);
select m.id from small m where exists (select 1 from big b where b.u = m.id and b.grp = 3) order by m.id;
select count(*), sum(m.id) from small m where not exists (select 1 from big b where b.grp = m.id);
select count(*) from small m where exists (select 1 from big b where b.u = m.x);
select count(*) from small m where not exists (select 1 from big b where b.u = m.x);
select count(*) from small m where m.x in (select u from big b);
select count(*) from small m where m.x not in (select u from big b);
select count(*) from small m where m.x not in (select u from big b where u is not null);
select m.id from small m where m.id < 30 and exists (select 1 from big b where b.k = m.id * 3 and b.id > 50000) order by m.id;
select m.id from small m where not exists (select 1 from big b where b.id = m.id) order by m.id;
select m.id from small m where exists (select 1 from big b where b.u = m.x and b.s like 'v1%') and m.id < 40 order by m.id;
select m.id, (select count(*) from big b where b.grp = m.id) from small m where m.id in (select grp from big where id < 5) order by m.id;
select count(*) from small m join big b on b.id = m.id where exists (select 1 from big c where c.u = b.k);
select count(*) from small m where exists (select 1 from big b where b.u = m.id limit 1);
-- IN over an uncorrelated subquery with a LIMIT: a semi join whose hashed side is the Limit.
explain (costs off) select * from small m where m.id in (select u from big b limit 10);
explain (costs off) select count(*) from small m where m.x in (select grp from big b where b.u < 100 limit 50);
select m.id from small m where m.id in (select u from big b limit 10) order by m.id;
select count(*), sum(m.id) from small m where m.x in (select grp from big b where b.u < 100 limit 50);
select count(*) from small m where m.x in (select grp from big b where b.u < 100 limit 50 offset 20);
select count(*) from small m where m.id in (select u from big b limit 0);
-- A correlated IN with a LIMIT stays a SubPlan (a scan of big per outer row, stopped by the LIMIT);
-- the outer rows are a hundred and the two far ones (whose scans read all of big): every outer
-- row took a minute under ASan at -O0 and ran past the statement timeout.
select count(*), sum(m.id) from small m where (m.id < 100 or m.id > 200000) and m.id in (select b.u from big b where b.grp = m.id limit 3);
