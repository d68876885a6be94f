-- char(n), bytea and uuid beyond the per-type files: padding, blank-insensitive comparison and keys,
-- unique keys over bytea and uuid, casts through text, pg_typeof, and the small errors.

-- @setup
create table c (k char(3) primary key, v varchar(4));
insert into c values ('a', 'x  '), ('b ', 'yy'), ('é', 'z');
create table bu (b bytea primary key, u uuid unique);
insert into bu values ('\x00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), ('\xff', '{00000000-0000-0000-0000-000000000000}'), ('\x0001', 'A0EEBC999C0B4EF8BB6D6BB9BD380A12');
-- @queries
select k, v, length(k), octet_length(k), k || '|' from c order by k;
select * from c where k = 'a';
select * from c where k = 'a  ';
select * from c where k = 'a'::text;
select * from c where k in ('b', 'x');
insert into c values ('a  ', 'dup');
insert into c values ('abcd', 'x');
insert into c values ('abc   ', 'x');
select 'ab'::char(4) = 'ab'::char(2), 'ab '::bpchar, 'ab'::char(4)::text || '|', 'x'::character;
select true::text, false::varchar, true::char(5), 'a' || false;
select b, u from bu order by b;
select b, u from bu order by u;
select * from bu where b = '\x0001';
select * from bu where u = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
insert into bu values ('\x00', null);
select 'x'::uuid;
select '\x00'::bytea::text, 'abc'::text::bytea, encode(decode('SGVsbG8gV29ybGQ=', 'base64'), 'escape');
select u::text, u::varchar(8) from bu order by b;
select 1::bytea;
select '1e-400'::float8;
select '-1e-400'::float4;
select 1 offset -1;
select 1 limit -1;
select 'a' + 'b';
select 'a' * 'b';
select nullif(1, 2), nullif('a', 'a');
select pg_typeof(1), pg_typeof(1.5), pg_typeof('a'), pg_typeof(null), pg_typeof(1::int8), pg_typeof(1::float4);
select pg_typeof(1) = 'integer';
select md5('hello'), md5(''::text);
select '\x00'::bytea < '\x0000'::bytea, '\xff'::bytea > '\x00ff'::bytea;
