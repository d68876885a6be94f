-- Correlated scalar subqueries over an aggregate (issue 9), which sqlrited runs as a grouped
-- derived table LEFT-joined on the correlated keys (PostgreSQL 15 keeps a SubPlan per row: the
-- shapes differ, so only the answers are compared): count gives 0 and the other aggregates NULL
-- for a key no row has, NULL keys match nothing, and shapes that do not decorrelate still answer
-- right. Then EXISTS with a LIMIT inside, which runs as a semi join.

-- @setup
create table t (id int primary key, k int, x int, kb bigint, kn numeric);
insert into t select g, case when g % 50 = 0 then null else g % 120 end, (g * 37) % 1000, g % 120, (g % 120)::numeric from generate_series(1, 3000) g;
create table u (id int primary key, k int, y int, k2 int);
insert into u select g, case when g % 77 = 0 then null else g % 100 end, case when g % 13 = 0 then null else (g * 53) % 1000 end, g % 3 from generate_series(1, 5000) g;
create index u_k on u (k);
create table v (id int primary key, k int, w int);
insert into v select g, g % 7, g from generate_series(1, 200) g;
create table nothing (k int, y int);
analyze t;
analyze u;
analyze v;

-- @queries
select count(*), sum(id) from t where t.x > (select avg(y) from u where u.k = t.k);
select id, k, x from t where t.x > (select avg(y) from u where u.k = t.k) order by id limit 20;
select count(*) from t where t.x < (select min(y) from u where u.k = t.k);
select count(*) from t where t.x >= (select max(y) from u where u.k = t.k);
select count(*) from t where t.x * 100 > (select sum(y) from u where u.k = t.k);
select id, (select count(*) from u where u.k = t.k) as n from t order by id limit 30;
select sum((select count(*) from u where u.k = t.k)) from t;
select t.k % 3 as g, sum((select count(*) from u where u.k = t.k)), max((select avg(y) from u where u.k = t.k)) from t group by 1 order by 1;
select count(*) filter (where (select count(*) from u where u.k = t.k) > 45), min((select min(y) from u where u.k = t.k)) from t;
select t.k, (select count(*) from u where u.k = t.k) from t where t.id < 500 group by t.k order by t.k limit 5;
select id, (select count(y) from u where u.k = t.k) from t where id % 97 = 1 order by id;
select id, (select sum(y) from u where u.k = t.k), (select avg(y) from u where u.k = t.k) from t where id % 101 = 3 order by id;
select id, k, (select count(*) from u where u.k = t.k) from t where k is null or k >= 100 order by id limit 40;
select id, (select max(y) from u where u.k = t.k and u.y < 500) from t where id % 89 = 0 order by id;
select id, (select count(*) from u where u.k = t.k and u.k2 = 1) from t where id % 83 = 0 order by id;
select id, (select count(*) from u where u.k = t.k + 1) from t where id % 79 = 0 order by id;
select id, (select count(*) from u where t.k = u.k) from t where id % 73 = 0 order by id;
select id, (select count(*) from u where u.k = t.kb) from t where id % 71 = 0 order by id;
select id, (select count(*) from u where u.k = t.kn) from t where id % 67 = 0 order by id;
select id, (select count(*) from u where u.k = t.k and u.k2 = t.id % 3) from t where id % 61 = 0 order by id;
select id, (select count(*) filter (where y > 500) from u where u.k = t.k) from t where id % 59 = 0 order by id;
select id, (select count(distinct y % 10) from u where u.k = t.k) from t where id % 53 = 0 order by id;
select id, (select count(*) from nothing n where n.k = t.k), (select max(y) from nothing n where n.k = t.k) from t where id < 4 order by id;
select count(*) from t where (select count(*) from u where u.k = t.k) = 0;
select count(*) from t where (select count(*) from u where u.k = t.k) > 45;
select count(*) from t where coalesce((select sum(y) from u where u.k = t.k), -1) < 0;
select count(*) from t where (select max(y) from u where u.k = t.k) is null;
select count(*) from t where t.x > (select avg(y) from u where u.k = t.k) or t.id < 10;
select count(*) from t where t.id % 2 = 0 and t.x > (select avg(y) from u where u.k = t.k) and t.x < 900;
select t.k, count(*) from t where t.x > (select avg(y) from u where u.k = t.k) group by t.k order by t.k limit 15;
select count(*), max(t.id) from t join v on v.k = t.k % 7 where t.x > (select avg(y) from u where u.k = t.k);
select t.id, v.id, (select count(*) from u where u.k = v.k) from t join v on v.id = t.id where t.id < 200 and t.id % 17 = 0 order by t.id;
select count(*) from t left join v on v.id = t.id where coalesce(v.w, 0) < (select avg(y) from u where u.k = t.k);
select count(*), sum(t.id) from t left join v on v.id = t.id where (v is null) = (t.x > (select avg(y) from u where u.k = t.k));
select count(*), sum(t.id) from t left join v on v.id = t.id where v is null and t.x > (select avg(y) from u where u.k = t.k);
select id, (select avg(y) from u where u.k = t.k) from t where id = 5;
select id, x from t where id in (5, 6, 7) and x > (select avg(y) from u where u.k = t.k) order by id;
select id, (select count(*) from u where u.k = t.k) from t order by id desc limit 5;
select distinct (select count(*) from u where u.k = t.k) as n from t order by n;
select id from t where x > (select avg(y) from u where u.k = t.k) order by x desc, id limit 5;
-- Expressions over the aggregates, computed above the join (a missing group's values are NULL,
-- its count 0), TPC-H Q17's shape among them.
select count(*), sum(id) from t where t.x < (select 0.2 * avg(y) + 500 from u where u.k = t.k);
select id, (select coalesce(sum(y), 0) from u where u.k = t.k) from t where id % 97 = 2 order by id;
select id, (select count(*) + 1 from u where u.k = t.k) from t where id % 97 = 3 order by id;
select id, (select max(y) - min(y) from u where u.k = t.k), (select count(*) * 2 + count(y) from u where u.k = t.k) from t where id % 89 = 4 order by id;
select id, (select sum(y) / count(*) from u where u.k = t.k) from t where id % 97 = 10 order by id;
select id, (select coalesce(max(y), -1) + t.x from u where u.k = t.k) from t where id % 97 = 11 order by id;
select id, (select (count(*) > 45)::int from u where u.k = t.k) from t where id % 97 = 12 order by id;
select id, (select sum(y) / 0 from u where u.k = t.k) from t where id = 50;
select count(*) from t where k is null and (select sum(y) / 0 from u where u.k = t.k) is null;
select count(*) from t where (select sum(y) / 0 from u where u.k = t.k) is null;
-- Shapes that stay SubPlans: GROUP BY, HAVING, LIMIT, other correlations.
select id, (select count(*) from u where u.k = t.k group by u.k) from t where id % 97 = 4 order by id;
select id, (select count(*) from u where u.k = t.k having count(*) > 45) from t where id % 97 = 5 order by id;
select id, (select max(y) from u where u.k > t.k) from t where id % 97 = 6 order by id;
select id, (select y from u where u.k = t.k order by y desc nulls last limit 1) from t where id % 97 = 7 order by id;
select id, (select count(*) from u where u.k = t.k and u.y > t.x) from t where id % 97 = 8 order by id;
select id, (select sum(y + t.x) from u where u.k = t.k) from t where id % 97 = 9 order by id;
-- Errors keep their SQLSTATE.
select id, (select sum(y) / 0 from u where u.k = t.k) from t where id = 1;
select id, (select y from u where u.k = t.k) from t where id = 1;
-- EXISTS with a LIMIT inside: a semi join; NOT EXISTS an anti join; LIMIT 0 and OFFSET stay.
select count(*), sum(id) from t where exists (select 1 from u where u.k = t.k limit 1);
select count(*), sum(id) from t where not exists (select 1 from u where u.k = t.k limit 1);
select count(*), sum(id) from t where exists (select 1 from u where u.k = t.k and u.y > 990 limit 5);
select count(*) from t where exists (select 1 from u where u.k = t.k limit 0);
select count(*) from t where exists (select 1 from u where u.k = t.k offset 1);
select count(*) from t where exists (select 1 from u where u.k = t.k offset 200);
select count(*) from t where t.k in (select k from u where u.y > 990 limit 1000);
