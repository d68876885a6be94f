-- WITH and WITH RECURSIVE: plain CTEs, several, referencing each other, column lists,
-- MATERIALIZED, recursive series, trees and graphs, UNION vs UNION ALL termination, errors.

-- @setup
create table tree (id int primary key, parent int, label text);
insert into tree values (1, null, 'root'), (2, 1, 'a'), (3, 1, 'b'), (4, 2, 'a1'), (5, 2, 'a2'),
  (6, 4, 'a1x'), (7, 3, 'b1');
create table edge (src int, dst int);
insert into edge values (1, 2), (2, 3), (3, 1), (3, 4), (5, 6);
-- @queries
with c as (select 1 as x) select * from c;
with c as (select id, label from tree where parent = 1) select * from c order by id;
with c(a, b) as (select id, label from tree) select a, b from c where a < 3 order by a;
with c1 as (select 1 as x), c2 as (select x + 1 as y from c1) select * from c1, c2;
with c as (select id from tree) select count(*) from c a, c b;
with c as materialized (select id from tree) select max(id) from c;
with c as not materialized (select id from tree) select min(id) from c;
with c as (select grp, n from (values (1, 10), (1, 20), (2, 5)) v(grp, n)) select grp, sum(n) from c group by grp order by grp;
with c as (select * from tree) select label from c where id = (select max(id) from c);
select * from (with c as (select 5 as v) select v * 2 from c) s;
with c as (select 1 as x) select * from c union all select * from c;
with c as (select id from tree) select id from tree where id in (select id + 5 from c) order by id;
with t1 as (select 1 as a), t1b as (select a from t1) select * from t1b;
with c as (select 1 as x) select (select x from c) + 1;

with recursive r(n) as (select 1 union all select n + 1 from r where n < 10) select * from r;
with recursive r(n) as (select 1 union all select n + 1 from r where n < 10) select sum(n), count(*) from r;
with recursive r(n, f) as (select 1, 1::bigint union all select n + 1, f * (n + 1) from r where n < 20) select n, f from r order by n;
with recursive fib(a, b) as (select 0::numeric, 1::numeric union all select b, a + b from fib where b < 1000) select a from fib;
with recursive sub(id, label, depth) as (select id, label, 0 from tree where parent is null union all select t.id, t.label, s.depth + 1 from tree t join sub s on t.parent = s.id) select * from sub order by id;
with recursive sub(id, path) as (select id, label from tree where id = 1 union all select t.id, s.path || '/' || t.label from tree t, sub s where t.parent = s.id) select path from sub order by path;
with recursive anc(id, parent) as (select id, parent from tree where id = 6 union all select t.id, t.parent from tree t join anc a on t.id = a.parent) select id from anc order by id;
with recursive reach(n) as (select 1 union select e.dst from edge e join reach r on e.src = r.n) select n from reach order by n;
with recursive reach(n, depth) as (select 1, 0 union all select e.dst, r.depth + 1 from edge e join reach r on e.src = r.n where r.depth < 5) select n, min(depth) from reach group by n order by n;
with recursive r(n) as (select 1 union all select n * 2 from r where n < 1000) select max(n) from r;
with recursive r(n) as (values (1) union all select n + 1 from r where n < 3) select * from r;
with recursive r as (select 1 as n union all select n + 1 from r where n < 3) select * from r;
with recursive r(n) as (select 1 union all select n + 1 from r where n < 5), s(m) as (select n * n from r) select * from s order by m;
with recursive r(s) as (select 'a'::text union all select s || 'a' from r where length(s) < 5) select s from r order by s;
with recursive r(n) as (select 10 union all select n - 3 from r where n > 0) select n from r;
with recursive cnt(n) as (select 1 union all select n + 1 from cnt where n < 100) select count(*), sum(n), avg(n) from cnt;
with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select a.n, b.n from r a cross join r b order by 1, 2;
with recursive t(n) as (select 1 union all select n + 1 from t where n < 4) select n, (select count(*) from tree where id <= t.n) from t order by n;

-- errors
with c as (select 1) select * from d;
with c(a, b) as (select 1) select * from c;
with recursive r(n) as (select 1 union all select n + 1 from r where n < 3 order by 1) select * from r;
with recursive r(n) as (select n from r) select * from r;
with recursive r(n) as (select 1 union all select count(*) from r) select * from r;
with c as (select 1), c as (select 2) select 1;
with recursive r(n) as (select 1 union all select 'x' from r) select * from r;
-- a WITH query referenced twice, recursive or volatile runs once, its rows shared; nextval()
-- counts the rows each run computed
-- @setup
create table ct (k int primary key, v int);
insert into ct values (1, 10), (2, 20), (3, 30), (4, 40);
create sequence cs;
-- @queries
with x as (select random() r) select a.r = b.r from x a, x b;
with x as (select random() r) select count(distinct r) from (select r from x union all select r from x) s;
with x as materialized (select k, v from ct) select count(*) from x a join x b on a.k = b.k;
with x as not materialized (select random() r) select a.r = b.r from x a, x b;
with x as (select nextval('cs') n) select a.n = b.n from x a, x b;
select currval('cs');
with x as (select k, nextval('cs') n from ct) select count(*) from x a join x b on a.n = b.n;
select currval('cs');
with x as (select k, nextval('cs') n from ct) select k from x where k = (select max(k) from x);
select currval('cs');
with x as (select k, nextval('cs') n from ct) select k from x limit 1;
select currval('cs');
with x as (select k from ct) select k, (select count(*) from x where x.k <= ct.k) from ct order by k;
with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from (select * from r limit 5) a, (select * from r limit 3) b;
select ct.k, (with y as (select random() r, ct.k kk) select count(distinct a.r) + count(distinct b.r) from y a, y b) from ct order by 1;
select (with y as (select ct.v + 1 w) select a.w + b.w from y a, y b) from ct order by 1;
with x as (select 1 / 0 z) select 1;
with x as (select 1 / (k - 1) z from ct) select * from x a, x b;
-- volatile select-list items are computed after the sort and the limit, unless a key needs them
select nextval('cs') from ct order by k limit 2;
select currval('cs');
select k, nextval('cs') from ct order by k desc limit 2;
select currval('cs');
select nextval('cs') - currval('cs'), k from ct order by v offset 3;
select nextval('cs') n from ct order by n limit 2;
select currval('cs');
select k, nextval('cs') from ct order by k desc;
select k * 2, nextval('cs') + v from ct where k > 1 order by k limit 2;
select currval('cs');
