-- bytea_output: SET / SHOW / RESET of the setting, and byteaout in escape form wherever bytea
-- becomes text (results, casts to text, text || bytea, arrays, records, aggregates); text input
-- of both forms on edge cases.

-- @setup
create table bo (id int primary key, b bytea);
insert into bo values (1, '\x0001ff'), (2, 'abc'), (3, '\000\001\037 ~\177'), (4, null), (5, ''), (6, 'a\\b'), (7, '\x5c7e7f80');
-- @queries
show bytea_output;
select b from bo order by id;
set bytea_output = escape;
show bytea_output;
select b from bo order by id;
select id, b::text from bo order by id;
select '\x00'::bytea, '\x1f'::bytea, '\x20'::bytea, '\x7e'::bytea, '\x7f'::bytea, '\xff'::bytea;
select '\x5c'::bytea, '\x5c5c'::bytea, 'a\\\\b'::bytea;
select 'hello world'::bytea, ''::bytea, '\x'::bytea;
select E'\\xc3a9'::bytea, convert_to('hé', 'UTF8');
select 'x: ' || '\x0001'::bytea::text;
select 'x: '::text || '\x0041ff'::bytea;
select '\x01'::bytea || '\x02'::bytea;
select array['\x00ff'::bytea, 'ab', null];
select array_agg(b order by id) from bo;
select string_agg(b, ', ' order by id) from bo;
select row(1, '\x0a'::bytea);
select row('\x5c00'::bytea, 'q')::text;
select encode('\x00ff41'::bytea, 'escape'), encode('\x00ff41'::bytea, 'hex');
select decode('00ff', 'hex');
select md5('\x00'::bytea), sha256('abc'::bytea);
select to_json('\x00ff'::bytea);
select b from bo where b = '\000\001\037 ~\177' order by id;
select btrim('\x5c0a5c'::bytea, '\x5c'::bytea), length('\x5c0a'::bytea);
set bytea_output = 'HEX';
show bytea_output;
select b from bo order by id;
set bytea_output to 'Escape';
show bytea_output;
reset bytea_output;
show bytea_output;
select '\x0a'::bytea;
set bytea_output = base64;
set bytea_output = '';
show bytea_output;
begin;
set local bytea_output = escape;
select '\x0a'::bytea;
commit;
select '\x0a'::bytea;
begin;
set bytea_output = escape;
rollback;
select '\x0a'::bytea;
select set_config('bytea_output', 'escape', false);
select '\x0a5c'::bytea, current_setting('bytea_output');
reset all;
select '\x0a5c'::bytea;
select '\\'::bytea, '\\\\'::bytea, '\x'::bytea, length('\x'::bytea);
select 'abc\'::bytea;
select '\xzz'::bytea;
select '\x1'::bytea;
select '\x 01 02'::bytea, '\x01 02 '::bytea;
select '\x0 1'::bytea;
select 'a\00'::bytea;
select 'a\400'::bytea;
select 'a\377b'::bytea, '\001\002'::bytea = '\x0102'::bytea;
select '\X01'::bytea;
select E'\\x4142'::bytea, E'\\\\x4142'::bytea;
