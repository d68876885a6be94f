-- json and jsonb: input (validation, 22P02), output (json keeps text, jsonb normalizes), the
-- operators -> ->> #> #>> @> <@ ? ?| ?& || -, functions (build, agg, set, each, array_elements,
-- typeof, strip_nulls, path), casts, comparison and ordering of jsonb.

-- @setup
create table js (id int primary key, j json, b jsonb);
insert into js values (1, '{"a": 1, "b": [1, 2, {"c": "x"}], "a": 2}', '{"a": 1, "b": [1, 2, {"c": "x"}], "a": 2}'),
  (2, '[1, "two", null, true, 1.50]', '[1, "two", null, true, 1.50]'), (3, '"str"', '"str"'), (4, 'null', 'null'), (5, null, null),
  (6, '{"k": {"n": 10}, "tags": ["p", "q"]}', '{"k": {"n": 10}, "tags": ["p", "q"]}');
-- @queries
select j, b from js order by id;
select id, json_typeof(j), jsonb_typeof(b) from js order by id;
select '{"x":1,  "y" : [ 1 ,2]}'::json, '{"x":1,  "y" : [ 1 ,2]}'::jsonb, '{"b":1,"a":2,"aa":3}'::jsonb;
select '1e2'::jsonb, '1.0'::jsonb, '-0'::jsonb, '"\u00e9\n"'::jsonb, '[]'::jsonb, '{}'::json;
select '{"a":'::json;
select '{a: 1}'::jsonb;
select '[1, 2'::jsonb;
select ''::jsonb;
select b -> 'a', b -> 'b', b -> 'zz', b ->> 'a', b -> 'b' -> 2 ->> 'c' from js where id = 1;
select j -> 'a', j ->> 'b', j -> 'b' -> 0 from js where id = 1;
select b -> 1, b ->> 1, b -> -1, b -> 10, b ->> 2 from js where id = 2;
select b #> '{b,2,c}', b #>> '{b,2,c}', b #> '{b}', b #> '{}' from js where id = 1;
select id from js where b @> '{"a": 2}' order by id;
select id from js where b ? 'tags' order by id;
select id from js where b ?| array['a', 'k'] order by id;
select id from js where b ?& array['k', 'tags'] order by id;
select '{"a":1}'::jsonb <@ '{"a":1,"b":2}'::jsonb, '[1,2,3]'::jsonb @> '[3,1]'::jsonb, '[1,[2]]'::jsonb @> '[[2]]'::jsonb, '"a"'::jsonb @> '"a"'::jsonb;
select '{"a":1}'::jsonb || '{"b":2}'::jsonb, '[1]'::jsonb || '[2,3]'::jsonb, '[1]'::jsonb || '4'::jsonb, '{"a":1,"b":2}'::jsonb - 'a', '[1,2,3]'::jsonb - 1, '{"a":{"b":1}}'::jsonb #- '{a,b}';
select jsonb_build_object('a', 1, 'b', 'x', 'c', null, 'd', true), json_build_object('k', 1.50), jsonb_build_array(1, 'a', null), json_build_array();
select jsonb_build_object('a');
select to_jsonb(1.50), to_jsonb('x'::text), to_jsonb(true), to_json(array[1,2]), to_jsonb(null::int), to_jsonb(date '2024-01-01');
select jsonb_agg(id order by id), json_agg(id order by id desc), jsonb_object_agg(id, id * 2 order by id) from js where id < 4;
select jsonb_agg(b order by id) from js where id in (3, 4, 5);
select jsonb_set('{"a":1,"b":{"c":2}}', '{b,c}', '3'), jsonb_set('{"a":1}', '{z}', '"new"'), jsonb_set('{"a":1}', '{z}', '"new"', false), jsonb_set('[1,2]', '{0}', '9');
select jsonb_insert('{"a":[1,2]}', '{a,1}', '5'), jsonb_strip_nulls('{"a":null,"b":{"c":null,"d":1}}'), jsonb_pretty('{"a":[1]}');
select key, value from jsonb_each('{"b":2,"a":[1],"c":null}') order by key;
select key, value from jsonb_each_text('{"b":2,"a":"x","c":null}') order by key;
select * from json_each('{"x": 1, "y": "z"}') order by 1;
select value from jsonb_array_elements('[1,"a",null,{"k":1}]');
select value from jsonb_array_elements_text('[1,"a",null]');
select jsonb_array_elements('{"a":1}');
select jsonb_array_length('[1,2,[3]]'), json_array_length('[]'), jsonb_object_keys('{"b":1,"a":2}');
select jsonb_array_length('{}');
select jsonb_path_query_array('{"a":[1,2,3,4]}', '$.a[*] ? (@ > 2)'), jsonb_path_exists('{"a":1}', '$.a'), jsonb_path_query_first('{"a":[5,6]}', '$.a[1]');
select ('{"n": 5}'::jsonb ->> 'n')::int + 1, ('{"n": 5}'::jsonb -> 'n')::int, ('"x"'::jsonb)::text, '5'::jsonb::numeric;
select '"x"'::jsonb::int;
select '{"a":1}'::json::jsonb, '{"a":1, "a":2}'::jsonb::json, 'null'::jsonb is null, 'null'::jsonb = 'null';
select id, b from js where b is not null order by b, id;
select '1'::jsonb < '2'::jsonb, '"a"'::jsonb < '1'::jsonb, '[1]'::jsonb < '{}'::jsonb, 'null'::jsonb < 'true'::jsonb, '{"a":1}'::jsonb = '{ "a" : 1 }'::jsonb;
select '{"a":1}'::json = '{"a":1}'::json;
select b -> 'k' ->> 'n', (b -> 'k' ->> 'n')::int * 2, b -> 'tags' ->> 0 from js where id = 6;
select count(*) from js where b -> 'a' is not null;
select jsonb_typeof(b -> 'a'), jsonb_typeof('1.5'), jsonb_typeof('[]'), jsonb_typeof('{}') from js where id = 1;
select row_to_json(x) from (select 1 as a, 'b' as c) x;
select json_object('{a, 1, b, 2}'), jsonb_object('{a, b}', '{1, 2}');
select pg_typeof('{}'::json), pg_typeof('{}'::jsonb), pg_typeof('{}'::jsonb -> 'a'), pg_typeof('{}'::jsonb ->> 'a');
