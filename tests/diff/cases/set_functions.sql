-- Functions in FROM: generate_series over integers, numeric and timestamps (steps, empty and
-- overflowing series, errors), unnest, column aliases, WITH ORDINALITY, joins and correlated
-- subqueries over them, other functions as one-row FROM items; string_agg with ORDER BY inside.

-- @setup
create table sf (id int primary key, t text, d text, n int);
insert into sf values (1, 'b', ',', 3), (2, null, ';', 1), (3, 'a', null, 2), (4, 'c', '-', 0);
-- @queries
select * from generate_series(1, 4);
select * from generate_series(4, 1);
select * from generate_series(10, 1, -3);
select * from generate_series(1, 10, 4) as g;
select * from generate_series(1, 3) as g(x);
select g.x + 1 from generate_series(1, 3) as g(x) where g.x <> 2;
select * from generate_series(2147483645, 2147483647);
select * from generate_series(-2147483647, -2147483648, -1);
select * from generate_series(9223372036854775806, 9223372036854775807);
select * from generate_series(1::bigint, 3::bigint);
select * from generate_series(1, 3::bigint);
select * from generate_series(0.5, 2.5);
select * from generate_series(0, 1, 0.3);
select * from generate_series(1.0, 0.0, -0.25);
select * from generate_series(1, 5, 0);
select * from generate_series(1.0, 5, 0);
select * from generate_series('nan'::numeric, 5);
select * from generate_series(1, 'nan'::numeric);
select * from generate_series(1, 5, 'nan'::numeric);
select * from generate_series('-infinity'::numeric, 5);
select * from generate_series(1, null);
select * from generate_series(null::int, 3, 1);
select * from generate_series('2024-01-31'::timestamp, '2024-05-01', '1 month');
select * from generate_series('2024-01-01 12:00'::timestamp, '2024-01-01', '-4 hours');
select * from generate_series('2024-01-01'::timestamp, '2024-01-02', '0 days');
select count(*) from generate_series('2024-01-01'::timestamptz, '2024-12-31', '1 day');
select * from generate_series(1, 3) with ordinality;
select * from generate_series(1, 3) with ordinality as g(v, o);
select * from generate_series(3, 1, -1) with ordinality as g where ordinality > 1;
select * from generate_series(1, 2) as g(a, b);
select * from generate_series(1, 2) with ordinality as g(a, b, c);
select * from generate_series(1, generate_series(1, 2));
select * from count(*);
select * from sum(1);
select * from unnest('{1,2,3}'::text);
select * from lower('ABC');
select * from upper('x') as u;
select * from abs(-3) as a(v);
select count(*), sum(g), min(g), max(g) from generate_series(1, 1000) g;
select sf.id, g from sf join generate_series(1, 3) g on g = sf.id order by 1;
select sf.id, g from sf left join generate_series(2, 3) g on g = sf.id order by 1;
select g, count(sf.id) from generate_series(0, 3) g left join sf on sf.n = g group by g order by g;
select id, (select sum(g) from generate_series(1, n) g) from sf order by id;
select id, (select string_agg(g::text, '+' order by g desc) from generate_series(0, n) g) from sf order by id;
select * from generate_series(1, 3) a, generate_series(1, 2) b order by a, b;
select g from generate_series(1, 10) g order by g desc limit 3;
select g % 3, count(*) from generate_series(1, 10) g group by 1 order by 1;
select string_agg(t, ',') from sf;
select string_agg(t, d) from sf;
select string_agg(t, '' order by t) from sf;
select string_agg(t, ', ' order by n desc) from sf;
select string_agg(t, '|' order by t desc nulls first) from sf;
select string_agg(t::varchar, '.' order by id) from sf;
select n % 2, string_agg(t, ',' order by id) from sf group by 1 order by 1;
select string_agg(t, ',') from sf where false;
select string_agg('x', '-') from generate_series(1, 3);
select string_agg(n, ',') from sf;
select string_agg(t, 1) from sf;
select id, string_agg(t, ',') over (order by id) from sf order by id;
