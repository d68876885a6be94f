-- array_fill, unnest of several arrays in FROM, ROWS FROM (f(...), g(...)), WITH ORDINALITY.

-- @setup
create table rf (id int primary key, a int[], t text[]);
insert into rf values (1, array[1, 2, 3], array['x', 'y']), (2, array[4], array['p', 'q', 'r']), (3, null, array['n']), (4, '{}', '{}');
-- @queries
select array_fill(7, array[3]), array_fill('x'::text, array[2], array[5]), array_fill(1, array[0]);
select array_fill(null::int, array[2]), array_fill(1.5, array[2], array[-3]), array_fill(true, array[1]);
select array_fill('2020-01-01'::date, array[2]), array_fill('a'::varchar, '{3}');
select array_fill(1, '{}'), array_fill(1, array[0, 2]);
select array_fill(1, '{2}'::int2[]), array_fill(1, '{2}'::smallint[], '{3}'::int2[]);
select array_length(array_fill(0, array[1000]), 1), array_lower(array_fill(0, array[2], array[7]), 1);
select pg_typeof(array_fill(1::int8, array[1])), pg_typeof(array_fill('a'::text, array[1]));
select array_fill('x', array[2]);
select array_fill(1, array[2], array[1, 2]);
select array_fill(1, array[2]::int8[]);
select array_fill(1, null);
select array_fill(1, array[2], null);
select array_fill(1, array[null]::int[]);
select array_fill(1, array[-1]);
select array_fill(1, array[2147483647], array[2]);
select array_fill(array[1], array[2]);
select * from unnest(array[1, 2, 3], array['a', 'b']);
select * from unnest(array[1, 2], array['a', 'b', 'c']) with ordinality as t;
select * from unnest(array[1, 2], array['a', 'b']) as t(x);
select * from unnest(array[1, 2], array['a', 'b']) as t(x, y, z);
select * from unnest(array[1, 2], null::int[]);
select * from unnest(array[1, 2], array[true], array[1.5, 2.5, 3.5]) as u(i, b, n);
select unnest.* from unnest(array[1], array[2]);
select * from rows from (generate_series(1, 2), unnest(array['x', 'y', 'z'])) as r;
select * from rows from (generate_series(1, 2), lower('A')) with ordinality as r(a, b, c);
select * from rows from (unnest(array[1, 2]));
select x from rows from (generate_series(1, 2)) x;
select generate_series.* from rows from (generate_series(1, 2), unnest(array[1]));
select * from rows from (json_array_elements('[1, 2]'), lower('X'));
select r.* from rows from (jsonb_each('{"a": 1}'), generate_series(1, 2)) r;
select * from rows from (generate_series(1, 2), generate_series(1, null::int));
select * from rows from (generate_series(1, 3), sum(1));
select * from rows from (generate_series(1, 2), generate_series(1, generate_series(1, 2)));
select * from rows from (generate_series(1, 2), generate_series(3, 4)) as g(a);
select count(*), sum(a), max(b) from rows from (generate_series(1, 100), generate_series(1, 50)) as g(a, b);
select id, x, y, n from rf, unnest(a, t) with ordinality as u(x, y, n) order by id, n;
select id, x, y from rf left join lateral rows from (unnest(rf.a), unnest(rf.t)) as u(x, y) on true order by id, x, y;
select * from rows from (generate_series(1, 2), generate_series(1, 3)) with ordinality as g(a, b, o) where b > 1 order by o desc;
select * from rows from (unnest(array[1, 2]), unnest(array['a'])) as u(a, b) join rf on rf.id = u.a order by u.a;
