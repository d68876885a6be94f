-- Window functions: ranking, offsets, first/last/nth value, aggregates OVER, PARTITION BY,
-- ORDER BY, ROWS / RANGE / GROUPS frames with offsets and EXCLUDE, named windows, errors.

-- @setup
create table s (id int primary key, grp text, v int, w numeric);
insert into s values (1, 'a', 10, 1.5), (2, 'a', 20, 2.5), (3, 'a', 20, null), (4, 'b', 5, 4),
  (5, 'b', null, 5), (6, 'b', 7, 6), (7, 'c', 100, 7.25), (8, 'a', 30, 8);
create table ev (k int, d date, ts timestamp, f float8, g text);
insert into ev values (1, '2024-01-01', '2024-01-01 10:00', 1.5, 'x'), (2, '2024-01-03', '2024-01-01 11:30', 2.25, 'x'),
  (3, '2024-01-04', '2024-01-02 09:00', null, 'y'), (4, '2024-01-10', '2024-01-02 09:15', 4.0, 'y'),
  (5, null, null, 5.5, 'x'), (6, '2024-01-11', '2024-01-05 00:00', -1.0, 'y');
create table t (grp text, label text);
insert into t values ('a', 'A'), ('b', 'B');
create table empty (x int);
-- @queries
select id, row_number() over (order by id) from s order by id;
select id, row_number() over (partition by grp order by id) from s order by id;
select id, v, rank() over (order by v) from s order by id;
select id, v, dense_rank() over (order by v) from s order by id;
select id, v, rank() over (partition by grp order by v desc) from s order by id;
select id, v, percent_rank() over (order by v) from s order by id;
select id, v, cume_dist() over (order by v) from s order by id;
select id, ntile(3) over (order by id) from s order by id;
select id, ntile(2) over (partition by grp order by id) from s order by id;
select id, lag(v) over (order by id), lead(v) over (order by id) from s order by id;
select id, lag(v, 2) over (order by id), lead(v, 2, -1) over (order by id) from s order by id;
select id, lag(v, 1, 0) over (partition by grp order by id) from s order by id;
select id, first_value(v) over (partition by grp order by id) from s order by id;
select id, last_value(v) over (partition by grp order by id) from s order by id;
select id, last_value(v) over (partition by grp order by id rows between unbounded preceding and unbounded following) from s order by id;
select id, nth_value(v, 2) over (partition by grp order by id) from s order by id;
select id, nth_value(v, 2) over (order by id rows between unbounded preceding and unbounded following) from s order by id;
select id, sum(v) over () from s order by id;
select id, sum(v) over (partition by grp) from s order by id;
select id, sum(v) over (order by id) from s order by id;
select id, sum(v) over (partition by grp order by id) from s order by id;
select id, v, sum(v) over (order by v) from s order by id;
select id, count(*) over (partition by grp), count(v) over (partition by grp) from s order by id;
select id, avg(v) over (partition by grp) from s order by id;
select id, min(v) over (order by id), max(v) over (order by id) from s order by id;
select id, sum(w) over (order by id) from s order by id;
select id, avg(w) over (partition by grp) from s order by id;
select grp, sum(v), rank() over (order by sum(v) desc) from s group by grp order by grp;
select id, v, row_number() over (order by v desc nulls last, id) from s order by id;

-- frames
select id, sum(v) over (order by id rows between 1 preceding and 1 following) from s order by id;
select id, sum(v) over (order by id rows between current row and unbounded following) from s order by id;
select id, sum(v) over (order by id rows 2 preceding) from s order by id;
select id, sum(v) over (order by id rows between 2 preceding and 1 preceding) from s order by id;
select id, sum(v) over (order by id rows between 1 following and 3 following) from s order by id;
select id, v, sum(v) over (order by v range between unbounded preceding and current row) from s order by id;
select id, v, sum(v) over (order by v range between 10 preceding and 10 following) from s order by id;
select id, v, count(*) over (order by v range between 5 preceding and current row) from s order by id;
select id, v, sum(v) over (order by v groups between 1 preceding and 1 following) from s order by id;
select id, v, sum(v) over (order by v rows between unbounded preceding and current row exclude current row) from s order by id;
select id, v, sum(v) over (order by v range between unbounded preceding and unbounded following exclude group) from s order by id;
select id, v, sum(v) over (order by v range between unbounded preceding and unbounded following exclude ties) from s order by id;
select id, first_value(id) over (order by id rows between 2 preceding and current row) from s order by id;
select id, w, sum(w) over (order by w range between 1.5 preceding and 1 following) from s order by id;
select id, count(*) over (order by id groups 1 preceding) from s order by id;

-- named windows, several windows
select id, sum(v) over w, count(*) over w from s window w as (partition by grp order by id) order by id;
select id, rank() over w, sum(v) over (w rows between unbounded preceding and current row) from s window w as (order by id) order by id;
select id, row_number() over (order by id), row_number() over (order by id desc) from s order by id;
select id, grp, row_number() over (partition by grp order by id) rn from s order by grp, rn;
select * from (select id, grp, row_number() over (partition by grp order by v desc nulls last, id) rn from s) x where rn = 1 order by grp;
select grp, max(rn) from (select grp, row_number() over (partition by grp order by id) rn from s) x group by grp order by grp;
select id, sum(v) filter (where v > 10) over (order by id) from s order by id;
select distinct grp, count(*) over (partition by grp) from s order by grp;
select id, v - lag(v) over (order by id) as delta from s order by id;
select id, string_agg(grp, ',') over (order by id rows between 1 preceding and current row) from s order by id;

-- more frames, types and clauses
select k, d, count(*) over (order by d range between '2 days' preceding and current row) from ev order by k;
select k, d, sum(k) over (order by d desc range between current row and '3 days' following) from ev order by k;
select k, ts, count(*) over (order by ts range between interval '1 hour 30 minutes' preceding and current row) from ev order by k;
select k, f, sum(f) over (order by f range between 1 preceding and 1.5 following) from ev order by k;
select k, f, first_value(k) over (order by f nulls first range between 2 preceding and current row) from ev order by k;
select k, count(*) over (order by k rows between unbounded preceding and unbounded following exclude current row) from ev order by k;
select id, v, sum(v) over (order by v groups between unbounded preceding and current row exclude ties) from s order by id;
select id, v, last_value(id) over (order by v groups between current row and 1 following exclude group) from s order by id;
select id, v, nth_value(id, 3) over (order by v desc nulls last rows between unbounded preceding and unbounded following) from s order by id;
select id, lag(w, 1, 0) over (order by id), lead(v, 1, 2.5) over (order by id) from s order by id;
select id, lag(v, null) over (order by id), ntile(null) over (order by id) from s order by id;
select id, row_number() over w, dense_rank() over w from s window w as (order by grp, id) order by id;
select id, sum(v) over (w2 rows 1 preceding) from s window w1 as (partition by grp), w2 as (w1 order by id) order by id;
select grp, sum(sum(v)) over (), count(*) over (order by grp) from s group by grp order by grp;
select grp, avg(v), max(max(v)) over (order by grp rows between 1 preceding and current row) from s group by grp order by grp;
select id, row_number() over (order by id) rn from s order by rn desc limit 3;
select id, rank() over (order by v nulls first) from s order by 2, 1;
select id, count(*) filter (where grp = 'a') over (order by id) from s order by id;
select id, sum(v) over (partition by grp order by id) - v as prior from s order by id;
select row_number() over (), count(*) over ();
select id, percent_rank() over (partition by grp order by v), cume_dist() over (partition by grp order by v) from s order by id;
select id, ntile(5) over (order by id), ntile(3) over (partition by grp order by id) from s order by id;
select id, min(grp) over (order by id rows between 2 following and 4 following) from s order by id;
select id, avg(w) over (order by id rows between 1 preceding and 1 following) from s order by id;
select id, sum(v) over (order by id rows between current row and current row) from s order by id;
select id, sum(v) over (order by id range between current row and unbounded following) from s order by id;

-- joins, subqueries, derived tables, CTEs, DISTINCT, FILTER
select s.id, t.label, row_number() over (partition by t.label order by s.id) from s join t on s.grp = t.grp order by s.id;
select id from s where v > (select avg(v) from s) order by id;
select id, rn from (select id, row_number() over (order by v desc nulls last, id) rn from s) x where rn <= 3 order by rn;
select distinct v, count(*) over (partition by v) from s order by v;
select x, sum(x) over () from empty;
select sum(v) over () from s where false;
select lag(row_number() over ()) over () from s;
select row_number() over (partition by sum(v)) from s;
with c as (select id, sum(v) over (order by id) rs from s) select * from c order by id;
select id, first_value(v) over (order by v range between 5 preceding and 5 following exclude current row) from s order by id;
select x, row_number() over (order by x desc) from (values (1), (2), (3)) v(x) order by x;
select x, sum(x) over (order by x) from (select 1 x union all select 2 union all select 2) t order by x;
select id, v, count(*) over (order by v desc range between 10 preceding and current row) from s order by id;
select grp, count(*), row_number() over (order by count(*) desc, grp) from s group by grp order by grp;
select id, sum(v) over (partition by grp), sum(v) over (partition by grp order by id), sum(v) over (order by id) from s order by id;
select id, v, avg(v) over (order by id rows between 1 preceding and 1 following exclude current row) from s order by id;
select id, count(v) over (order by v groups between 1 following and 2 following) from s order by id;
select id, rank() over (partition by grp order by v nulls first), v from s order by grp, v nulls first, id;
select id, nth_value(v, 2) over (partition by grp order by id range between current row and unbounded following) from s order by id;
select id, count(*) over (partition by grp order by v range between unbounded preceding and 5 preceding) from s order by id;
select id, w, sum(w) over (order by w desc nulls last range between 1 preceding and 2 following) from s order by id;
select min(id) over (), max(w) over () from s limit 1;
select id, sum(v) over (order by id) from s order by sum(v) over (order by id) desc, id;
select id, v, sum(v) over (order by v nulls first range between 5 preceding and 5 following) from s order by id;
select row_number() over (order by id) + 1 as r, id from s order by r;
select id, ntile(3) over (partition by grp order by id) from s order by id;
explain (costs off) select id, row_number() over (order by id) from s order by id;
select count(*) filter (where v > 10), sum(v) filter (where grp = 'a') from s;
select grp, count(*) filter (where v is null) from s group by grp order by grp;
select id, sum(v) over (order by id rows between 1 preceding and current row) filter_alias from s order by id;

-- plans
explain (costs off) select k, row_number() over (order by k), rank() over (partition by g order by k) from ev;
explain (costs off) select k, sum(k) over () from ev;
explain (costs off) select k, sum(k) over (order by k + 1) from ev;
explain (costs off) select k, count(*) over (partition by g order by f), count(*) over (partition by g order by k) from ev order by k;

-- errors
select id, sum(v) over (order by id rows between 1 preceding and 1 following) from s group by grp;
select id from s group by id having rank() over (order by id) > 1;
select row_number() over (order by id) from s group by 1;
select lower(grp) over () from s;
select id, sum(distinct v) over () from s;
select id, row_number(v) over () from s;
select id, sum(v) over (w order by id) from s window w as (order by v);
select id, sum(v) over (w partition by grp) from s window w as (order by v);
select id, sum(v) over (w) from s window w as (order by v rows 1 preceding);
select id from s window w as (order by id), w as (order by v);
select id, sum(v) over (order by id rows between v preceding and current row) from s;
select id, sum(v) over (order by id groups between 1 preceding and current row) from s;
select id, sum(v) over (groups between 1 preceding and current row) from s;
select id, sum(v) over (order by id, v range between 1 preceding and current row) from s;
select id, sum(v) over (order by v range between 1.5 preceding and current row) from s;
select id, sum(v) over (order by id rows between -1 preceding and current row) from s;
select id, sum(v) over (order by v range between -1 preceding and current row) from s;
select id, sum(v) over (order by id rows between null preceding and current row) from s;
select id, sum(v) over (partition by row_number() over ()) from s;
select id, lag(v, 1, 'x') over (order by id) from s;
select rank() from s;
select id, sum(v) over (order by id rows unbounded following) from s;
select id, rank() from s;
select id from s where row_number() over (order by id) > 1;
select id, ntile(0) over (order by id) from s;
select id, sum(v) over w from s;
select id, lag(v, -1) over (order by id) from s;
select id, sum(v) over (order by id rows between 1 following and 1 preceding) from s;
select id, sum(v) over (order by grp range between 1 preceding and current row) from s;
select id, nth_value(v, 0) over (order by id) from s;
select sum(row_number() over (order by id)) from s;
