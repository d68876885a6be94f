-- Window functions: ranking, offsets, first/last/nth value, aggregates OVER, PARTITION BY,
-- ORDER BY, ROWS / RANGE / GROUPS frames with offsets and EXCLUDE, named windows, errors.

-- @setup
create table s (id int primary key, grp text, v int, w numeric);
insert into s values (1, 'a', 10, 1.5), (2, 'a', 20, 2.5), (3, 'a', 20, null), (4, 'b', 5, 4),
  (5, 'b', null, 5), (6, 'b', 7, 6), (7, 'c', 100, 7.25), (8, 'a', 30, 8);
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

-- errors
select id, rank() from s;
select id from s where row_number() over (order by id) > 1;
select id, ntile(0) over (order by id) from s;
select id, sum(v) over w from s;
select id, lag(v, -1) over (order by id) from s;
select id, sum(v) over (order by id rows between 1 following and 1 preceding) from s;
select id, sum(v) over (order by grp range between 1 preceding and current row) from s;
select id, nth_value(v, 0) over (order by id) from s;
select sum(row_number() over (order by id)) from s;
