-- Subqueries: scalar (21000 for more than one row), IN / NOT IN (with NULLs), EXISTS, ANY/SOME/ALL,
-- correlated in the select list, WHERE and HAVING, derived tables, row comparisons.

-- @setup
create table t (id int primary key, grp int, val int, name text);
create table u (id int primary key, t_id int, score int);
create table nul (x int);
insert into t values (1, 1, 10, 'a'), (2, 1, 20, 'b'), (3, 2, 30, 'c'), (4, 2, null, 'd'), (5, 3, 50, null);
insert into u values (1, 1, 5), (2, 1, 7), (3, 3, 9), (4, 9, 1), (5, null, 2);
insert into nul values (1), (null), (3);
-- @queries

-- scalar subqueries
select (select max(val) from t);
select (select val from t where id = 2) as v;
select (select val from t where id = 99) as v;
select id, (select count(*) from u where u.t_id = t.id) as n from t order by id;
select id, (select max(score) from u where u.t_id = t.id) from t order by id;
select id from t where val > (select avg(val) from t) order by id;
select (select name from t order by id limit 1), (select name from t order by id desc limit 1);
select (select val from t);
select (select val from t where grp = 1);
select id, (select u.id from u where u.t_id = t.id) from t order by 1;
select (select 1 where false) is null;
select (select 1, 2);
select 1 + (select 2) * (select 3);

-- IN and NOT IN
select id from t where id in (select t_id from u) order by id;
select id from t where id not in (select t_id from u where t_id is not null) order by id;
select id from t where id not in (select t_id from u) order by id;
select id from t where val in (select x * 10 from nul) order by 1;
select 2 in (select x from nul), 1 in (select x from nul), 2 not in (select x from nul);
select 1 in (select x from nul where false), 1 not in (select x from nul where false);
select id from t where (grp, val) in (select 1, 20 union all select 2, 30) order by 1;
select id, id in (select t_id from u) as has_u from t order by id;
select id from t where id in (select t_id from u where u.score > t.val / 5) order by 1;
select name from t where grp in (select grp from t group by grp having count(*) > 1) order by 1;

-- EXISTS
select id from t where exists (select 1 from u where u.t_id = t.id) order by id;
select id from t where not exists (select 1 from u where u.t_id = t.id) order by id;
select exists (select 1 from u where score > 8), exists (select 1 from u where score > 100);
select id from t where exists (select * from nul) order by id;
select id from t where exists (select 1 from u where u.t_id = t.id and u.score > 6) order by id;
select count(*) from t where exists (select 1 from t t2 where t2.grp = t.grp and t2.id <> t.id);

-- ANY / SOME / ALL
select id from t where val > any (select score * 3 from u) order by 1;
select id from t where val > all (select score * 3 from u) order by 1;
select id from t where val = some (select x * 10 from nul) order by 1;
select id from t where val < all (select x * 100 from nul where x is not null) order by 1;
select 5 > all (select x from nul), 5 > any (select x from nul), 0 > all (select x from nul);
select 1 = any (select 1 where false), 1 = all (select 1 where false);
select id from t where val <> all (select val from t where grp = 1) order by 1;
select id from t where val >= all (select val from t) order by 1;
select id from t where val >= all (select val from t where val is not null) order by 1;

-- correlated subqueries
select id, val, (select sum(val) from t t2 where t2.grp = t.grp) as grp_sum from t order by id;
select id from t where val = (select max(val) from t t2 where t2.grp = t.grp) order by id;
select grp, (select name from t t2 where t2.grp = t1.grp order by id limit 1) from t t1 group by grp order by grp;
select id, (select count(*) from t t2 where t2.val < t.val) as rank_below from t order by id;
select id from t where (select count(*) from u where u.t_id = t.id) = 2;
select u.id, (select t.name from t where t.id = u.t_id) from u order by u.id;
select id, (select (select t.val + u.score from u where u.id = t.id)) from t order by id;
select grp from t group by grp having sum(val) > (select avg(score) * 5 from u) order by grp;
select id, coalesce((select sum(score) from u where t_id = t.id), 0) from t order by 1;

-- derived tables
select * from (select grp, sum(val) as s from t group by grp) d order by grp;
select d.grp, d.s from (select grp, sum(val) as s from t group by grp) d where d.s > 25 order by 1;
select count(*) from (select distinct grp from t) d;
select avg(s) from (select sum(val) s from t group by grp) x;
select * from (select * from (select id, val from t) a where val > 10) b order by id;
select * from (select 1 as a, 'x' as b) s;
select * from (select id from t);
select a from (select 1) s(a);
select x.* from (values (1, 'one'), (2, 'two')) x(n, word) order by n;

-- row comparisons
select row(1, 2) = row(1, 2), row(1, 2) < row(1, 3), row(1, null) = row(1, 2), (1, 2) <> (1, 3);
select id from t where (grp, val) > (1, 10) order by id;
select (1, 'a') < (1, 'b'), (2, 'a') > (1, 'z');
select row(1, 2) = row(1, 2, 3);

-- errors
select (select id, val from t where id = 1);
select id from t where id in (select id, val from t);
select id from t where exists (select nope from u);
select * from (select 1);
select id from t where val > any (select name from t);

-- subqueries in EXPLAIN and in UPDATE / DELETE
explain (costs off) select (select max(val) from t);
-- (a count correlated by equality alone runs as a grouped join here, a SubPlan in PostgreSQL:
-- planner_decorrelate.sql; one correlated by more than equalities is a SubPlan in both)
explain (costs off) select id, (select count(*) from u where u.score > t.val and u.t_id = t.id) from t;
select id, (select count(*) from u where u.t_id = t.id) from t order by id;
update u set score = score + 1 where t_id in (select id from t where grp = 1);
delete from u where not exists (select 1 from t where t.id = u.t_id);
select id, t_id, score from u order by id;
update t set val = (select count(*) from u where u.t_id = t.id) where grp = 1;
select id, val from t order by id;

-- an aggregate whose arguments read only an enclosing query's columns belongs to that query:
-- 42803 in its WHERE, ON or GROUP BY; computed over its rows elsewhere
select 1 from t where (select max(t.val) from u) > 1;
select 1 from t join u on (select sum(t.val)) > 0;
select count(*) from t group by (select max(t.val));
select (select max(t.val) from u limit 1) from t;
select (select max(t.val)) as m, count(*) from t;
select (select sum(t.val) + count(u.id) from u) from t;
select grp, (select max(t.val)) from t group by grp order by grp;
select grp from t group by grp having (select max(t.val)) > 15 order by grp;
select 1 from t group by id having (select max(t.val) from u) > 1;
select grp, (select count(*) from u where u.score < max(t.val)) from t group by grp order by grp;
select (select max(t.val) filter (where t.id > 1)) from t;
select (select string_agg(t.name, ',' order by t.name)) from t;
select id, (select max(u.score) from u where u.t_id = t.id) from t order by id;
select id from t where exists (select 1 from u having max(t.val) > 0);
select (select (select max(t.val)) from u limit 1) from t;
select max((select max(t.val))) from t;
