-- sum/avg/min/max over numeric as the accumulator computes them: result display scales (the
-- largest input scale), negative values, NaN and the infinities, values beyond 34 digits and
-- scales beyond 30 (the exact fallback), empty groups, GROUP BY, FILTER and window frames.

-- @setup
create table nv (id int primary key, g int, v numeric, w numeric(12,2));
insert into nv values
  (1, 1, 1.5, 10.25), (2, 1, 2.25, -3.10), (3, 1, -0.75, 0.01),
  (4, 2, 0.00, 0.00), (5, 2, 0, 0),
  (6, 3, 'NaN', 1), (7, 3, 5, 2),
  (8, 4, 'Infinity', 1), (9, 4, 7.5, 2),
  (10, 5, 'Infinity', 1), (11, 5, '-Infinity', 2),
  (12, 6, '-Infinity', 1), (13, 6, -1, 2),
  (14, 7, 99999999999999999999999999999999999, 1), (15, 7, 99999999999999999999999999999999999, 2), (16, 7, -0.001, 3),
  (17, 8, 0.0000000000000000000000000000000000000001, 1), (18, 8, 1, 2), (19, 8, 2.5, 3),
  (20, 9, 1000000000000000000000000000000000, 1), (21, 9, 0.001, 2), (22, 9, 1000000000000000000000000000000000, 3),
  (23, 10, null, null),
  (24, 11, -5, -5), (25, 11, -7.125, -7.12);
-- @queries
select g, sum(v), avg(v), min(v), max(v), count(v) from nv group by g order by g;
select g, sum(w), avg(w), min(w), max(w) from nv group by g order by g;
select sum(v), avg(v), min(v), max(v) from nv where g in (1, 2, 7, 8, 9, 11);
select sum(w), avg(w), min(w), max(w), count(*) from nv;
select sum(v), avg(v), min(v), max(v) from nv where g = 10;
select sum(v), avg(v) from nv where false;
select sum(v) filter (where v > 0), avg(v) filter (where v < 0) from nv where g in (1, 9, 11);
select sum(v * 2), avg(v + 0.5), sum(-v) from nv where g in (1, 2, 11);
select sum(distinct v), avg(distinct w) from nv where g in (1, 2, 11);
select id, sum(w) over (order by id rows between 1 preceding and current row) from nv where g < 3 order by id;
select pg_typeof(sum(w)), pg_typeof(avg(w)), pg_typeof(min(w)) from nv;
select sum(x), avg(x) from (values (1.10::numeric), (2.205), (-3.3)) t(x);
select sum(x) from (values ('1e-20'::numeric), ('1e20')) t(x);
select sum(x), avg(x) from generate_series(1, 1000) s, lateral (select s * 0.01 as x) t;
