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
-- Literal input and output: quoting, blanks, NULL, dimension prefixes, malformed literals.
select '{a b, "c,d","", NULL, "NULL", null, " s ", "q\"", "x\\y", a\ , b}'::text[];
select '{"{","}",nUlL,"nUlL"}'::text[], '  { 1 , 2 }  '::int[], '{ }'::int[];
select '[0:1]={1,2}'::int[], ('[0:1]={1,2}'::int[])[0], array_lower('[0:1]={1,2}'::int[], 1), array_upper('[0:1]={1,2}'::int[], 1);
select '[1:1]={7}'::int[];
select '1,2'::int[];
select '{1,2}x'::int[];
select '{1,{2}}'::int[];
select '{{1},2}'::int[];
select '{,}'::int[];
select '{1,}'::int[];
select '{"a"b}'::text[];
select '[0:2]={1,2}'::int[];
select '[1:2={1,2}'::int[];
select '[2:1]={}'::int[];
select '{1 2}'::int[];
select '{99999999999}'::int[];
select '{1.5,-2e3,NaN}'::float8[], '{1.50,2}'::numeric[], '{true,f,yes}'::bool[];
select '{2024-01-02,infinity}'::date[], '{"2024-01-02 03:04:05"}'::timestamp[], '{"1 day",02:00}'::interval[], '{12:30}'::time[];
select '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'::uuid[], '{"\\x0102",""}'::bytea[], '{ab,c}'::char(2)[], '{abc}'::varchar(5)[];
select '{abcdef}'::varchar(3)[];
select array['x'::varchar(3)], array['a'::char(3), 'bc'], array[1::int2, 2::int2], array[1::oid];
-- ARRAY[...]: element type resolution, NULLs, errors.
select array[1, 2.5], array[1, 2::bigint], array[1.5::float8, 2], array[null, 1], array['a', null];
select array[null], array[null, null]::int[];
select array[];
select array[1, 'a'::text];
select array[1, true];
select array[now()::date, '2024-01-01'::timestamp];
-- Subscripts and slices.
select (array[1, 2, 3])[null], (array[1, 2, 3])[1:null], (array[1, 2, 3])[2:1], (array[1, 2, 3])[:];
select (array['a', 'b'])['1'];
select (array[1, 2])[1.5];
select (1)[1];
select ('{1,2}'::int[])[1], ('{a,b}'::text[])[2];
-- Comparisons.
select array[1, null] = array[1, null], array[1, 2] <> array[1, 3], array[2] > array[1, 5], array[1, 2] >= array[1, 2], array[null::int] > array[1];
select array[1, 2] = array[1, 2]::bigint[], array[1] = array[1.0];
select array[1] = array['a'::text];
select array[1] = 1;
-- Concatenation.
select null::int[] || 1, 1 || null::int[], null::int[] || null::int[], array[1] || null::int[], '{}'::int[] || array[2, 3];
select array['a'] || 'b'::text, 'z'::text || array['a'], array['a'] || '{b,c}';
select array[1] || 'x'::text;
select array[1, 2] || array[1.5];
-- ANY / ALL over arrays and array columns.
select 1 = any ('{1,2}'), 'a' = any ('{a,b}'), 3 > any (array[1, 5]), 3 >= all (array[1, 3]), null::int = any (array[1]), 1 = any ('{}'::int[]);
select 1.5 = any (array[1, 2]), 2 = any (array[1.5, 2.0]), 2::bigint = any (array[1, 2]);
select 1 = any (1);
select 1 = any (array['a']);
select id from ar where 'b' = any (ta) or 6 = any (ia) order by id;
select id from ar where 2 <> all (ia) order by id;
-- Functions.
select cardinality(array[1, 2, 3]), cardinality('{}'::int[]), array_ndims('{}'::int[]), array_dims('[2:3]={1,2}'::int[]);
select array_position(array[1, null, 3], null), array_position(array[1, 2, 1], 1, 2), array_position(array[1], 5), array_remove(array[1, null, 2], null), array_remove(null::int[], 1);
select array_append(null::int[], 1), array_prepend(1, null::int[]), array_cat(null::int[], array[1]), array_append(array['a'], null);
select array_append(array[1], 'x');
select array_to_string(array['a', 'b'], ', '), array_to_string('{}'::int[], ','), array_to_string(array[1.5, 2], '|'), array_to_string(array['a', null], ',', null);
select string_to_array('', ','), string_to_array('abc', null), string_to_array('abc', ''), string_to_array(null, ','), string_to_array('a||b', '|');
select regexp_split_to_array('hello world  x', '\s+'), regexp_split_to_array('abc', ''), regexp_split_to_array('a1b22c', '[0-9]+'), regexp_split_to_array('AxBXc', 'x', 'i');
select regexp_match('foobarbequebaz', 'ba.'), regexp_match('foobarbequebaz', '(bar)(beque)'), regexp_match('abc', 'x'), regexp_match('abc', '(a)|(z)');
select regexp_match('abc', 'a', 'g');
select unnest('{}'::int[]), 1;
select u from unnest(array[1, null, 3]) u;
select * from unnest('{a,b}'::text[]) as t(x);
select x, y from unnest(array[1, 2]) x cross join unnest(array['a', 'b']) y order by 1, 2;
select unnest(array[1, 2]) as a, unnest(array['x', 'y', 'z']) as b;
-- array_agg.
select array_agg(id order by id desc) filter (where id < 4) from ar;
select array_agg(distinct x order by x) from (values (2), (1), (null), (2)) v(x);
select array_agg(x) from (values ('a'), ('b c')) v(x) where false;
select array_agg(ta) from ar;
select pg_typeof(array_agg(id)), pg_typeof(array_agg(ta[1])) from ar;
-- Array columns: storage, DML, grouping, DISTINCT.
create table ac (k int, v int[], t text[], n numeric[]);
insert into ac values (1, '{3,2,1}', array['x'], '{1.50}'), (2, array[1, 2], '{"a,b"}', null), (3, '{3,2,1}', '{}', array[2.0]);
select k, v, t, n from ac order by k;
select v, count(*) from ac group by v order by v;
select distinct v from ac order by v;
update ac set v = v || 9, t = array_append(t, 'y') where k = 2 returning k, v, t;
select k, v[3], t[2], n[1] from ac order by k;
insert into ac values (4, '{1,x}', null, null);
insert into ac values (4, array['a'], null, null);
select pg_typeof(v), pg_typeof(t), pg_typeof(n) from ac limit 1;
select attname, format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'ac'::regclass and attnum > 0 order by attnum;
select typname, typelem::regtype, typcategory from pg_type where oid = 'int4[]'::regtype;
select array(select k from ac order by k), array(select t from ac where false);
select v::text, ('{' || k || '}')::int[] from ac order by k;
