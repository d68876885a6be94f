-- bytea: hex and escape input, hex output, length, concatenation, comparison, substring, casts,
-- encode/decode, md5/sha256, errors.

-- @setup
create table by (id int primary key, b bytea);
insert into by values (1, '\x0001ff'), (2, 'abc'), (3, '\000\001'), (4, null), (5, '');
-- @queries
select b from by order by id;
select id, length(b), octet_length(b) from by order by id;
select id from by order by b, id;
select '\xDEADbeef'::bytea, '\x'::bytea, 'a\\b'::bytea, 'a\047b'::bytea, E'\\x41'::bytea;
select '\x0g'::bytea;
select '\x123'::bytea;
select 'a\9'::bytea;
select '\x01'::bytea || '\x02'::bytea, '\x0102'::bytea = '\x0102'::bytea, '\x01'::bytea < '\x0100'::bytea;
select substring('\x0102030405'::bytea from 2 for 3), substr('abcdef'::bytea, 3), position('\x03'::bytea in '\x010203'::bytea);
select get_byte('\x0102ff'::bytea, 2), set_byte('\x010203'::bytea, 1, 255), get_bit('\x01'::bytea, 0);
select get_byte('\x01'::bytea, 5);
select encode('abc'::bytea, 'hex'), encode('abc'::bytea, 'base64'), encode('\x00ff41'::bytea, 'escape');
select decode('616263', 'hex'), decode('YWJj', 'base64'), decode('a\\000b', 'escape');
select decode('zz', 'hex');
select encode('abc'::bytea, 'nope');
select md5('abc'::bytea), sha256('abc'::bytea), sha224(''::bytea);
select 'abc'::bytea::text, convert_from('\x68c3a9'::bytea, 'UTF8'), convert_to('hé', 'UTF8');
select count(distinct b), count(b) from by;
select btrim('\x0001000100'::bytea, '\x00'::bytea), length('\x00'::bytea || null);
select string_agg(b, '\x2c'::bytea order by id) from by;
select 'ab'::bytea like 'a%';
select pg_typeof('\x01'::bytea), '\x01'::bytea is null;
select b from by where b = 'abc' order by id;
