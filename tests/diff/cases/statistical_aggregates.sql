-- The statistical aggregates (issue 9): stddev / stddev_samp / stddev_pop / variance / var_samp /
-- var_pop over every numeric type (numeric result with PostgreSQL's display scale for integers and
-- numeric, float8 for float4/float8), and corr, covar_pop, covar_samp and the regr_* family over
-- (Y, X); NULLs, one row, no row, NaN and infinities, DISTINCT, FILTER, GROUP BY, HAVING, window
-- frames, and the errors of other argument types.

-- @setup
create table st (id int primary key, g text, i2 smallint, i4 int, i8 bigint, n numeric, r real, d double precision, y double precision, x double precision);
insert into st values
  (1, 'a', 1, 10, 100, 1.5, 1.25, 0.1, 1, 2),
  (2, 'a', 2, 20, 200, 2.25, 2.5, 0.2, 2, 4.5),
  (3, 'a', 3, 35, 350, 3.125, 3.75, 0.3, 2.5, 5),
  (4, 'b', 4, -5, -50, null, null, 0.4, null, 7),
  (5, 'b', 5, 50, 500, 10, 5, null, 4, null),
  (6, 'b', null, 7, 70, 0.001, 6.25, 1e10, 5.5, 11),
  (7, 'c', 7, 7, 9223372036854775807, 7, 7, 7, 7, 7),
  (8, null, 8, null, null, -3.75, -8, -0.25, 8, 3);
create table big (g int, n numeric, y float8, x float8);
insert into big select g, g * 1.1, (g % 7)::float8, (g % 5)::float8 from generate_series(1, 8000) g;
-- @queries
select stddev(x) from generate_series(1, 10) x;
select variance(x), var_samp(x), var_pop(x), stddev_samp(x), stddev_pop(x) from generate_series(1, 10) x;
select pg_typeof(stddev(1)), pg_typeof(stddev(1.5)), pg_typeof(stddev(1.5::real)), pg_typeof(stddev(1.5::float8)), pg_typeof(variance(1::smallint)), pg_typeof(variance(1::bigint));
select stddev(i2), stddev(i4), stddev(i8), stddev(n), stddev(r), stddev(d) from st;
select variance(i2), variance(i4), variance(i8), variance(n), variance(r), variance(d) from st;
select stddev_pop(i2), stddev_pop(i4), stddev_pop(i8), stddev_pop(n), stddev_pop(r), stddev_pop(d) from st;
select var_pop(i2), var_pop(i4), var_pop(i8), var_pop(n), var_pop(r), var_pop(d) from st;
select var_samp(i4), stddev_samp(n) from st where id < 7;
select variance(i4), var_pop(i4), stddev(n), stddev_pop(n), variance(d), var_pop(d) from st where id = 1;
select variance(i4), var_pop(i4), stddev(n), stddev_pop(d) from st where false;
select variance(x), var_pop(x) from (values (5), (5), (5)) v(x);
select variance(x), stddev(x) from (values (1.10), (1.10)) v(x);
select variance(x), stddev(x), var_pop(x) from (values (0.001), (0.002), (0.0035)) v(x);
select variance(x), stddev(x) from (values (123456789012.5), (98765432109.25), (5)) v(x);
select variance(x), stddev(x) from (values (1e-20), (3e-20)) v(x);
select stddev(x), variance(x) from (values (1), ('NaN'::numeric)) v(x);
select stddev(x), var_pop(x) from (values (1), ('Infinity'::numeric)) v(x);
select stddev(x), variance(x) from (values (1::float8), ('Infinity')) v(x);
select stddev(x), variance(x), var_pop(x) from (values ('NaN'::float8)) v(x);
select var_pop(x) from (values ('Infinity'::numeric)) v(x);
select variance(x) from (values (1e308::float8), (-1e308)) v(x);
select stddev(x), variance(x) from (values (null::int), (null)) v(x);
select stddev(distinct i4), variance(distinct i4), stddev(i4) filter (where id > 2) from st;
select g, stddev(i4), variance(n), var_pop(d), stddev_pop(r) from st group by g order by g;
select g, count(*) from st group by g having stddev(i4) > 10 order by g;
select stddev('1'), variance('2.5');
select stddev('x'::text);
select variance(true);
select stddev(now());
select stddev(x order by x) from generate_series(1, 4) x;
select corr(y, x), covar_pop(y, x), covar_samp(y, x) from st;
select regr_avgx(y, x), regr_avgy(y, x), regr_count(y, x), regr_intercept(y, x), regr_r2(y, x), regr_slope(y, x) from st;
select regr_sxx(y, x), regr_syy(y, x), regr_sxy(y, x) from st;
select pg_typeof(corr(1, 2)), pg_typeof(regr_count(1, 2)), pg_typeof(covar_pop(1.5, 2)), pg_typeof(regr_sxx(1::real, 2::real));
select corr(y, x), covar_pop(y, x), covar_samp(y, x), regr_count(y, x), regr_slope(y, x) from st where id = 1;
select corr(y, x), covar_pop(y, x), regr_count(y, x), regr_sxx(y, x), regr_avgx(y, x) from st where false;
select corr(i4, i2), covar_samp(n, i8), regr_slope(r, d), regr_intercept(i2, n) from st;
select corr(y, x) from (values (1, 1), (2, 1), (3, 1)) v(y, x);
select corr(y, x), regr_r2(y, x), regr_slope(y, x) from (values (1, 1), (1, 2), (1, 3)) v(y, x);
select regr_r2(y, x), regr_slope(y, x), regr_intercept(y, x) from (values (1, 5), (2, 5)) v(y, x);
select corr(y, x), regr_sxx(y, x), covar_pop(y, x) from (values (1::float8, 'NaN'::float8), (2, 3)) v(y, x);
select corr(y, x), regr_syy(y, x), regr_avgy(y, x) from (values ('Infinity'::float8, 1::float8), (2, 3)) v(y, x);
select regr_count(y, x), regr_count(x, y), regr_count(1, x) from st;
select corr(distinct y, x), regr_count(distinct y, x) from (values (1, 2), (1, 2), (2, 3), (4, 4)) v(y, x);
select corr(y, x) filter (where id <= 3), covar_pop(y, x) filter (where g = 'b') from st;
select g, corr(y, x), regr_slope(y, x), regr_count(y, x) from st group by g order by g;
select corr('1', '2'), regr_count('1', 2);
select corr(y, 'a'::text) from st;
select covar_pop(y) from st;
select corr(1e308::float8, 1e308::float8) from generate_series(1, 3);
select covar_pop(y, x) from (values (1e308::float8, 1e308::float8), (-1e308, -1e308)) v(y, x);
select id, stddev(i4) over (order by id), variance(n) over (order by id rows between 1 preceding and 1 following) from st order by id;
select id, var_pop(d) over (partition by g order by id), stddev_pop(i2) over (partition by g) from st order by id;
select id, corr(y, x) over (order by id rows between 2 preceding and current row), regr_count(y, x) over (order by id) from st order by id;
select id, covar_samp(y, x) over (order by id range between unbounded preceding and unbounded following) from st order by id;
select id, stddev(i4) filter (where id % 2 = 0) over (order by id) from st order by id;
select id, regr_slope(y, x) over w, regr_intercept(y, x) over w from st window w as (order by id rows between 1 preceding and 1 following) order by id;
select round(stddev(n), 6), round(variance(y)::numeric, 6), round(corr(y, x)::numeric, 10) from big;
select y, stddev(n), var_pop(n), round(regr_sxx(y, x)::numeric, 6) from big group by y order by y;
select x, count(*), round(avg(n), 4), variance(g % 13), round(corr(y, g)::numeric, 12) from big group by x order by x;
select count(*) from (select g % 100 as k, stddev(n) as s from big group by g % 100) t where s is not null;
select stddev(n) from big where g < 0;
-- Many groups past work_mem's 64kB: the hash aggregate spills rows to partitions.
set work_mem = '64kB';
select count(*), round(sum(s), 6), round(sum(c)::numeric, 6) from (select g % 5000 as k, stddev(n) as s, covar_pop(y, x) as c from big group by g % 5000) t;
select k, s, v, r from (select g % 3000 as k, stddev_pop(g) as s, variance(n) as v, regr_slope(y, x) as r from big group by g % 3000) t order by k limit 5;
select g % 4000, stddev(distinct n) filter (where g > 100), corr(y, x) from big group by 1 order by 1 desc limit 3;
reset work_mem;
