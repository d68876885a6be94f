-- One-dimensional arrays: literals and ARRAY[...], output quoting, subscripts and slices, ANY/ALL,
-- containment and overlap, concatenation, array functions, array_agg and unnest, casts, errors.

-- @setup
create table ar (id int primary key, ia int[], ta text[]);
insert into ar values (1, '{1,2,3}', '{a,b}'), (2, array[4, null, 6], array['x y', 'q"t', null, '']), (3, '{}', '{}'), (4, null, null), (5, '{3}', '{NULL,"NULL"}');
-- @queries
select ia, ta from ar order by id;
select id, ia[1], ia[2], ia[5], ta[1] from ar order by id;
select ia[2:3], ia[:2], ia[2:], ta[1:1] from ar where id = 1;
select id, array_length(ia, 1), cardinality(ia), array_ndims(ia), array_upper(ia, 1), array_lower(ia, 1) from ar order by id;
select array[1, 2] || 3, 0 || array[1, 2], array[1] || array[2, 3], array_append(array[1], 2), array_prepend(0, array[1]), array_cat(array[1], array[2]);
select array[1, 2, 3] @> array[2], array[1, 2] <@ array[1, 2, 3], array[1, 2] && array[2, 9], array[1, 2] && array[3];
select 2 = any (array[1, 2, 3]), 4 = any (array[1, 2, 3]), 2 <> all (array[1, 3]), 1 < all (array[2, 3]), 1 = any (array[null, 1]), 2 = any (array[null, 1]);
select id from ar where 3 = any (ia) order by id;
select id from ar where ia @> '{4}' order by id;
select array_position(array['a', 'b', 'c'], 'b'), array_positions(array[1, 2, 1], 1), array_remove(array[1, 2, 1], 1), array_replace(array[1, 2, 1], 1, 9);
select array_to_string(array[1, null, 3], ','), array_to_string(array[1, null, 3], ',', '*'), string_to_array('a,b,,c', ','), string_to_array('a b', ' ', 'b');
select unnest(array[3, 1, 2]);
select x, o from unnest(array['a', 'b', 'c']) with ordinality as u(x, o) order by o;
select id, unnest(ia) from ar where id in (1, 2) order by 1, 2;
select array_agg(id order by id) from ar;
select array_agg(ia order by id) from ar where id in (1, 2);
select array[1, 2] = array[1, 2], array[1, 2] < array[1, 3], array[1, 2] < array[1, 2, 0], '{}'::int[] < array[1];
select id from ar order by ia, id;
select '{1,2,3}'::int[], '{"a b", c}'::text[], '{1.5, 2}'::numeric[], '{t,f}'::bool[], '{}'::text[], array[]::int[];
select '{1,2'::int[];
select '{a,b}'::int[];
select array[1, 'a'];
select array['1', '2']::int[], array[1.5, 2.5]::int[], array[1, 2]::text[], '{1,2}'::int[]::bigint[];
select pg_typeof(array[1, 2]), pg_typeof(array[1::int8]), pg_typeof(array['a']), pg_typeof('{}'::text[]);
select array[[1, 2], [3, 4]], (array[[1, 2], [3, 4]])[2][1];
select (array[1, 2, 3])[0], (array[1, 2, 3])[-1], (array[1, 2, 3])[2];
select array_fill(7, array[3]), array_dims(array[1, 2, 3]), trim_array(array[1, 2, 3], 1);
select generate_subscripts(array['a', 'b'], 1);
select id, ta from ar where 'x y' = any (ta) order by 1;
select array(select id from ar where id > 2 order by id), array(select 'x' where false);
select array(select id, id from ar);
select array_length(array[1, 2], 2), array_length('{}'::int[], 1);
select ia || ta from ar;
select ta[1], ta[2] from ar where id = 5;
update ar set ia[2] = 20 where id = 1;
select ia from ar where id = 1;
select max(ia), min(ta) from ar;
select 5 = any (null::int[]), 5 = all ('{}'::int[]);
select array_agg(x) from (values (1), (null), (3)) v(x);
