-- The texts PostgreSQL's rule deparser (ruleutils) prints for what the catalog keeps: CHECK
-- constraints through pg_get_constraintdef (plain and pretty) and information_schema's
-- check_clause, views through pg_get_viewdef (plain and pretty), pg_views and
-- information_schema.views: operators parenthesised, the implicit casts of operands shown,
-- constants labelled with their types, IN lists as = ANY (ARRAY[...]), columns qualified by their
-- relation, PostgreSQL's line layout, DISTINCT, GROUP BY, HAVING and the plain aggregates, one set
-- operation, CASE on lines of its own, subqueries at the indentation of where they stand.

-- @setup
create table ck (a int, b bigint, s smallint, n numeric, n2 numeric(8,3), f float8, r real, t text, v varchar(10), c char(3), d date, ts timestamptz, bo boolean, i interval);
create table vt (id int primary key, name text, price numeric(10,2), note varchar(20), qty int);
create table vu (vid int, tid int, amount real);
create schema other;
create table other.w (k int, label text);

-- @queries
alter table ck add check (a + b > 5), add check (a * 2 + 1 < 100), add check (a - (b - 1) > 0), add check ((a + 1) * 2 > 0), add check (-a < 5);
alter table ck add check (b > 5000000000), add check (s > 1), add check (n >= 1.5), add check (n2 > -2.25), add check (n <> -3), add check (f > 1), add check (f < 2.5), add check (r > 0);
alter table ck add check (t like 'a%'), add check (t not like 'b%'), add check (t ilike 'c%'), add check (v like 'x%'), add check (v in ('a', 'b')), add check (v not in ('c'));
alter table ck add check (c = 'ab'), add check (c <> t), add check (t || 'x' <> 'y'), add check (length(t) > 2), add check (length(v) < 9), add check (upper(t) <> 'Q');
alter table ck add check (d > '2020-01-01'), add check (ts < now()), add check (d <= current_date), add check (bo), add check (not bo), add check (bo is true), add check (bo is not false);
alter table ck add check (a is not null and b is not null or s is null), add check (a in (1, 2, 3)), add check (a not in (4, 5)), add check (n in (1, 2.5));
alter table ck add check (coalesce(a, 0) >= 0), add check (a between 0 and 10 and b > 0), add check (t is distinct from 'z'), add check (i > '1 day');
alter table ck add check (a::text <> 'x'), add check (t::int > 0), add check (n::int > 0), add check (a > 0 or (b > 0 and s > 0)), add check (abs(a) < 10), add check (a % 2 = 0);
alter table ck add check (t = 'it''s'), add check (f + 1 > 0), add check (round(n, 2) > 0), add check (a < b), add check (a > s), add check (t <> v), add check (v <> v);
alter table ck add check (t in ('x') or t is null), add check (a in (1,2) and b > 0), add check (true), add check (t is not distinct from 'q' or t is null);
select conname, pg_get_constraintdef(oid) from pg_constraint where conrelid = 'ck'::regclass order by conname;
select conname, pg_get_constraintdef(oid, true) from pg_constraint where conrelid = 'ck'::regclass order by conname;
select constraint_name, check_clause from information_schema.check_constraints where constraint_name like 'ck\_%' order by constraint_name;
create view v_a as select id, name, price from vt where price > 0;
create view v_b as select id as ident, name || 'x' as nx, price * 2, upper(name), note from vt;
create view v_c as select * from vt t left join vu u on t.id = u.tid where t.id > 1 and u.amount > 2 order by t.name desc, 1;
create view v_d as select t.id, u.vid from vt t join vu u on t.id = u.tid join vt t2 on t2.id = u.vid where t.qty between 1 and 5;
create view v_e as select vt.* from vt where note in ('a', 'b') and name like 'x%' order by price nulls first, qty desc nulls last;
create view v_f as select id, qty + 1 as q1, coalesce(note, 'none') as n from vt where name is not null order by qty + 1, upper(name);
create view v_g as select w.k, w.label, vt.name from other.w w right join vt on vt.id = w.k full join vu on vu.vid = w.k;
create view v_h as select qty, count(*) as n from vt group by qty;
create view v_i as select distinct name from vt;
create view v_j as select id from vt union select vid from vu;
create view v_k as select t.qty, sum(t.price) as total, count(distinct t.name), avg(t.qty), max(u.amount) from vt t join vu u on u.tid = t.id where t.id > 0 group by t.qty having count(*) > 1 order by 2 desc, count(*);
create view v_l as select note, min(price) from vt group by 1 order by min(price) nulls first;
create view v_m as select distinct name, qty from vt where qty is not null order by qty;
create view v_n as select upper(name) as u, count(*) from vt group by upper(name) having sum(qty) between 1 and 9;
create view v_o as select id, name from vt where id > 1 union all select vid, 'x' from vu;
create view v_p as select id, note from vt intersect select t.vid, t2.note from vu t join vt t2 on t2.id = t.tid;
create view v_q as select id, case when qty > 0 then 'pos' else 'neg' end as sign from vt;
create view v_r as select (select max(vid) from vu) as m from vt;
select viewname, definition from pg_views where schemaname = 'public' and viewname < 'v_h' order by viewname;
select table_name, view_definition from information_schema.views where table_schema = 'public' and table_name < 'v_h' order by table_name;
select c.relname, pg_get_viewdef(c.oid, true) from pg_class c where c.relkind = 'v' and c.relnamespace = 'public'::regnamespace and c.relname < 'v_h' order by c.relname;
select c.relname, pg_get_viewdef(c.oid, true) from pg_class c where c.relkind = 'v' and c.relnamespace = 'public'::regnamespace and c.relname in ('v_h', 'v_i', 'v_k', 'v_l', 'v_m', 'v_n') order by c.relname;
select c.relname, pg_get_viewdef(c.oid) from pg_class c where c.relkind = 'v' and c.relnamespace = 'public'::regnamespace and c.relname in ('v_h', 'v_i', 'v_k', 'v_l', 'v_m', 'v_n') order by c.relname;
select c.relname, pg_get_viewdef(c.oid, true) from pg_class c where c.relkind = 'v' and c.relnamespace = 'public'::regnamespace and c.relname in ('v_j', 'v_p') order by c.relname;
select c.relname, pg_get_viewdef(c.oid) from pg_class c where c.relkind = 'v' and c.relnamespace = 'public'::regnamespace and c.relname in ('v_j', 'v_p') order by c.relname;
select pg_get_viewdef('v_o'::regclass);
select pg_get_viewdef('v_q'::regclass, true);
select pg_get_viewdef('v_q'::regclass);
select pg_get_viewdef('v_r'::regclass, true);
alter table ck add check (case when a > 0 then t <> '' else true end), add check (a + case a when 1 then 2 when 3 then 4 end > 0);
select conname, pg_get_constraintdef(oid), pg_get_constraintdef(oid, true) from pg_constraint where conrelid = 'ck'::regclass and pg_get_constraintdef(oid) like '%CASE%' order by conname;
select pg_get_viewdef('v_g'::regclass);
set search_path = '';
select pg_get_viewdef('public.v_c'::regclass);
select pg_get_viewdef('public.v_g'::regclass, true);
select pg_get_constraintdef(oid) from pg_constraint where conrelid = 'public.ck'::regclass and conname = 'ck_v_check1';
reset search_path;
select pg_get_ruledef(0) is null, pg_get_ruledef(0, true) is null;
-- OFFSET / LIMIT, DISTINCT ON, comma-separated FROM items, CROSS JOIN, and a set operation's
-- ORDER BY (by position) and LIMIT.
create view w_a as select id, name from vt order by id limit 10 offset 2;
create view w_b as select distinct on (name) name, qty from vt order by name, qty desc;
create view w_c as select vt.id, vu.vid from vt, vu where vt.id = vu.tid;
create view w_d as select t.id, u.vid from vt t cross join vu u;
create view w_e as select id from vt limit 5;
create view w_f as select id from vt offset 3;
create view w_g as select t.name, u.amount from vt t join vu u on t.id = u.tid, vu u2 where u2.vid = t.id;
create view w_h as select id from vt order by id fetch first 3 rows only;
create view w_i as select id from vt union select vid from vu order by 1 desc limit 2;
create view w_j as select distinct on (upper(name), 2) qty, name from vt order by upper(name), 2, name;
create view w_k as select qty, count(*) from vt group by qty, 1 order by qty, 1 desc, 2;
select c.relname, pg_get_viewdef(c.oid, true) from pg_class c where c.relkind = 'v' and c.relname like 'w\_%' order by c.relname;
select c.relname, pg_get_viewdef(c.oid) from pg_class c where c.relkind = 'v' and c.relname like 'w\_%' order by c.relname;
select table_name, view_definition from information_schema.views where table_name like 'w\_%' order by table_name;
-- Subqueries: scalar, EXISTS, IN, NOT IN, = ANY, > ALL, correlated ones, in the select list,
-- WHERE and CASE, and subqueries in FROM (with column aliases, joined); each printed at the
-- indentation of where it stands.
create view s_a as select (select max(vid) from vu) as m from vt;
create view s_b as select id from vt where exists (select 1 from vu where vu.tid = vt.id);
create view s_c as select id from vt where id in (select tid from vu where amount > 1) and qty > 0;
create view s_d as select id, (select count(*) from vu u where u.tid = t.id) as n from vt t where not exists (select 1 from vu where vid = t.id);
create view s_e as select s.id, s.q from (select id, qty * 2 as q from vt where qty > 1) s where s.q > 4;
create view s_f as select x.a from (select id as a from vt) as x(a);
create view s_g as select id from vt where id not in (select tid from vu) or id = any (select vid from vu) or id > all (select vid from vu);
create view s_h as select id, (select max(vid) from vu) + 1 as p from vt where (select count(*) from vu) > 0;
create view s_i as select z.b from (select id from vt) z(b);
create view s_j as select s.id, t2.name from (select id from vt) s join vt t2 on t2.id = s.id;
create view s_k as select case when exists (select 1 from vu) then 1 else 0 end as c from vt;
create view s_l as select s.n, s."?column?" from (select name as n, qty + 1 from vt) s;
create view s_m as select id from vt t where exists (select 1 from vu where vu.tid = t.id and vu.vid in (select id from vt t3 where t3.qty = t.qty));
-- A relation named again inside a subquery is renamed there (set_rtable_names: vt_1).
create view s_n as select id from vt where id in (select id from vt where qty > 1) and exists (select 1 from vu, vt where vt.id = vu.tid);
create view s_o as select t.id from vt t join (select vt.id from vt join vu t on t.tid = vt.id) s on s.id = t.id;
select c.relname, pg_get_viewdef(c.oid, true) from pg_class c where c.relkind = 'v' and c.relname like 's\_%' order by c.relname;
select c.relname, pg_get_viewdef(c.oid) from pg_class c where c.relkind = 'v' and c.relname like 's\_%' order by c.relname;
select viewname, definition from pg_views where viewname like 's\_%' order by viewname;
-- Window functions: inline and named windows, a window copying another, frames of each mode
-- with offsets and exclusions, a window call in ORDER BY.
create view x_a as select id, row_number() over (partition by name order by id desc) as rn, sum(qty) over (order by id rows between 1 preceding and current row), rank() over w, count(*) over (w order by qty) from vt window w as (partition by upper(name), note);
create view x_b as select id, lag(qty, 2, 0) over (order by id), avg(price) over (partition by qty range between unbounded preceding and unbounded following exclude ties), first_value(name) over (order by id groups 2 preceding) from vt;
create view x_c as select id, sum(qty) over (partition by name) as s from vt order by sum(qty) over (partition by name) desc, id;
create view x_d as select id, ntile(3) over w2, max(qty) over (w2 rows unbounded preceding) from vt window w2 as (order by id), w3 as (partition by qty);
create view x_e as select id, count(*) over (order by price range between 1.5 preceding and 2 following) from vt;
select c.relname, pg_get_viewdef(c.oid, true) from pg_class c where c.relkind = 'v' and c.relname like 'x\_%' order by c.relname;
select c.relname, pg_get_viewdef(c.oid) from pg_class c where c.relkind = 'v' and c.relname like 'x\_%' order by c.relname;
-- WITH queries: column aliases, MATERIALIZED, joined, and one inside a sublink.
create view c_a as with c as (select id, qty from vt where qty > 0) select c.id from c where c.qty < 5;
create view c_b as with c(x) as (select id from vt), d as materialized (select vid from vu) select c.x, d.vid from c join d on d.vid = c.x;
create view c_c as select id from vt where id in (with z as (select tid from vu) select tid from z);
select c.relname, pg_get_viewdef(c.oid, true) from pg_class c where c.relkind = 'v' and c.relname like 'c\_%' order by c.relname;
select c.relname, pg_get_viewdef(c.oid) from pg_class c where c.relkind = 'v' and c.relname like 'c\_%' order by c.relname;
-- JOIN ... USING and NATURAL JOIN (printed as USING): a bare merged column reads the left
-- relation's, RIGHT JOIN's the right one's, FULL JOIN's none.
create table ua (id int, a int, k text);
create table ub (id int, b int, k text);
create view u_a as select id, a, b from ua join ub using (id);
create view u_b as select id, a from ua left join ub using (id, k) where id > 1;
create view u_c as select id, ua.k, b from ua natural full join ub;
create view u_d as select id, ua.id as l, b from ua right join ub using (id) order by id;
select c.relname, pg_get_viewdef(c.oid, true) from pg_class c where c.relkind = 'v' and c.relname like 'u\_%' order by c.relname;
select c.relname, pg_get_viewdef(c.oid) from pg_class c where c.relkind = 'v' and c.relname like 'u\_%' order by c.relname;
-- More shapes checked against PostgreSQL: a relation renamed inside nested levels, a WITH query
-- named as a table, USING over a self-join, frames, NULLS orders, HAVING with a subquery, ALL
-- with a correlated subquery, DISTINCT ON with LIMIT / OFFSET, lead / lag over a named window.
create view f2 as select vt.* from vt where vt.id in (select vt.id from vt);
create view f3 as select * from (select * from vt) vt;
create view f4 as select id, (select count(*) from vt t2 where t2.qty = vt.qty) from vt order by 2;
create view f5 as with vt as (select 1 as id) select vt.id from vt;
create view f6 as select x.id from vt x join vt y using (id) join vu on vu.tid = x.id;
create view f7 as select id, sum(qty) over (partition by name order by id range between unbounded preceding and current row) from vt;
create view f8 as select id, rank() over (order by qty nulls first), dense_rank() over (order by qty desc nulls last) from vt;
create view f9 as select name, count(*) from vt group by name having count(*) > (select count(*) from vu);
create view f10 as select id from vt where qty > all (select tid from vu where vu.vid = vt.id) limit 3;
create view f11 as select id from vt where not (id = any (select vid from vu));
create view f12 as select distinct on (qty) qty, id from vt order by qty, id limit 5 offset 1;
create view f13 as select (select name from vt v where v.id = vu.tid) as n from vu;
create view f14 as select lead(id) over w, lag(id, 1) over w from vt window w as (order by id);
create view f18 as select count(*) from vt where id in (select tid from vu group by tid having count(*) > 1);
select c.relname, pg_get_viewdef(c.oid, true) from pg_class c where c.relkind = 'v' and c.relname ~ '^f[0-9]+$' order by c.relname;
select c.relname, pg_get_viewdef(c.oid) from pg_class c where c.relkind = 'v' and c.relname ~ '^f[0-9]+$' order by c.relname;
-- date, timestamp and timestamptz compare through PostgreSQL's cross-type operators: no casts.
create table tpx (a timestamp(3), d date, z timestamptz);
create view t_a as select a from tpx where a > now() - interval '1 day' and d < a and z >= d and d between a and z;
alter table tpx add check (d <= a);
select pg_get_viewdef('t_a'::regclass, true), pg_get_viewdef('t_a'::regclass);
select conname, pg_get_constraintdef(oid), pg_get_constraintdef(oid, true) from pg_constraint where conrelid = 'tpx'::regclass order by conname;
-- Untyped literals of a subquery's select list resolve to text, NULL too.
create view g1 as select id from vt where name = (select 'x');
create view g2 as select (select 'y') as y, (select null) as n, null as m from vt;
select c.relname, pg_get_viewdef(c.oid, true) from pg_class c where c.relkind = 'v' and c.relname ~ '^g[0-9]+$' order by c.relname;
-- A set operation inside a sublink, a FROM subquery and a WITH query, at their indentation.
create view h1 as select id from vt where qty in (select 1 union select 2);
create view h2 as select s.x from (select id as x from vt union select vid from vu) s;
create view h3 as with k as (select id from vt except all select tid from vu) select k.id from k where exists (select 1 from vu intersect select 2);
select c.relname, pg_get_viewdef(c.oid, true) from pg_class c where c.relkind = 'v' and c.relname ~ '^h[0-9]+$' order by c.relname;
select c.relname, pg_get_viewdef(c.oid) from pg_class c where c.relkind = 'v' and c.relname ~ '^h[0-9]+$' order by c.relname;
-- The operand of IN / ANY (subquery) cast as the comparison casts it.
create view h5 as select id from vt where note in (select name from vt);
create view h6 as select id from vt where id in (select amount from vu) or qty > any (select 1.5);
select c.relname, pg_get_viewdef(c.oid, true) from pg_class c where c.relkind = 'v' and c.relname ~ '^h[5-9]$' order by c.relname;
select c.relname, pg_get_viewdef(c.oid) from pg_class c where c.relkind = 'v' and c.relname ~ '^h[5-9]$' order by c.relname;
