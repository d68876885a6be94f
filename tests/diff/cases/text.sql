-- text, varchar(n), char(n): input, length checks (22001), blank padding and its comparison rules,
-- casts, concatenation, LIKE / ILIKE / ESCAPE, regular expressions, COLLATE "C" ordering, quoting.

-- @setup
create table tx (id int primary key, t text, v varchar(5), c char(4));
insert into tx values (1, 'abc', 'abc', 'ab'), (2, 'Abc', 'x', 'abcd'), (3, '', '', ''), (4, null, null, null), (5, 'a b ', 'a b  ', 'a   '), (6, 'Zed', 'zz', 'z');
-- @queries
select t, v, c from tx order by id;
select id, length(t), length(v), length(c), octet_length(c), char_length(c) from tx order by id;
select id, c || '|', v || '|', t || '|' from tx order by id;
select id from tx where c = 'ab' order by id;
select id from tx where c = 'ab  ' order by id;
select id from tx where v = 'a b' order by id;
select id from tx where t < 'a' order by id;
select id, t from tx order by t, id;
select id, c from tx order by c desc, id;
select 'abc'::char(5), 'abc'::char(5) || 'x', 'abc'::varchar(2), 'abcdef'::char(3);
select 'ab'::char(3) = 'ab'::char(5), 'ab '::text = 'ab'::text, 'ab'::char(3)::text || '|';
select pg_typeof('a'::char(3)), pg_typeof('a'::varchar), pg_typeof('a'::bpchar), pg_typeof('a' || 'b');
select pg_typeof('x'::varchar(3) || 'y'::char(2)), 'x'::varchar(3) || 'y'::char(2);
insert into tx values (7, 'ok', 'toolong', 'ok');
insert into tx values (8, 'ok', 'ok', 'toolong');
insert into tx values (9, 'ok', 'spc     ', 'sp    ');
select v, c from tx where id = 9;
select 'it''s', 'a\nb', E'a\nb', E'tab\there', E'\x41\u00e9', U&'\0041\00e9';
select 'abc' || 1, 1 || 'abc', 'x' || null, concat('x', null, 1), 'a' || true;
select lower('ÀBC'), upper('àbc'), initcap('hello wORLD foo-bar');
select 'abc' like 'a%', 'abc' like '_b_', 'abc' like 'A%', 'abc' ilike 'A%', 'abc' not like '%d';
select 'a%c' like 'a\%c', 'abc' like 'a\%c', 'a%c' like 'a#%c' escape '#', 'a_c' like 'a!_c' escape '!';
select 'a#%c' like 'a##%c' escape '#', 'a\c' like 'a\c' escape '#', 'abc' like 'a%' escape '', 'a\c' like 'a\c' escape '', 'a%' like 'a%' escape '';
select 'ABC' ilike 'a#_c' escape '#', 'a_c' not like 'a#_c' escape '#', 'a' like 'a#' escape '#', 'é%' like 'éé%' escape 'é';
select 'a' like 'a' escape 'ab';
select 'a' like 'a' escape null, null like 'a' escape '#';
select 'abc' like 'abc%%', '' like '%', null like '%', 'ab' like 'a';
select id from tx where t like '%b%' order by id;
select id from tx where t ilike 'a%' order by id;
select 'abc' ~ 'b', 'abc' ~ '^b', 'ABC' ~* 'b', 'abc' !~ 'z', 'abc' !~* 'B';
select 'foo123bar' ~ '\d+', 'x' similar to '[a-z]', 'abc' similar to 'a(b|c)+';
select regexp_replace('foo bar baz', 'ba.', 'X'), regexp_replace('foo bar baz', 'ba.', 'X', 'g'), regexp_replace('ABC', 'b', 'x', 'i');
select regexp_match('foo123bar456', '(\d+)\D+(\d+)'), regexp_matches('a1b2c3', '\d', 'g');
select regexp_replace('foo bar baz', 'ba(.)', '<\1\&\\\x>', 'g'), regexp_replace('abc', 'x*', '-', 'g');
select regexp_replace('aaa', '(a)(b)?', '[\2\1]', 'g'), regexp_replace('abc', 'b', 'x', 'gi'), regexp_replace('aBc', 'b', 'x', 'ic');
select regexp_replace('héllo', 'l', 'L', 'g'), regexp_replace(null, 'a', 'b'), regexp_replace('a', 'a', null);
select regexp_replace('abc', 'b', 'x', 'z');
-- std::regex words its syntax errors its own way (engine/functions/regex_functions.cc)
-- @sqlstate-only
select regexp_replace('abc', '(', 'x');
select regexp_like('ABC', 'b'), regexp_like('ABC', 'b', 'i'), regexp_like('abc', '^a.c$'), regexp_like(null, 'a');
select regexp_like('a', 'a', 'g');
select regexp_count('abcabc', 'b'), regexp_count('abcabc', 'b', 3), regexp_count('ABab', 'a', 1, 'i'), regexp_count('abc', 'b', 10);
select regexp_count('héllo wörld', 'o', 3), regexp_count('aaaa', 'aa'), regexp_count('abc', 'x*');
select regexp_count('abcabc', 'b', 0);
select regexp_count('abc', 'x*', 10), regexp_count('abc', 'x*', 4), regexp_count('abab', '^a', 3), regexp_count('abab', '\bb', 2);
select regexp_replace('é', 'x*', '-', 'g'), regexp_replace('é', '.', 'x'), regexp_count('é', '.'), regexp_count('éa', 'x*'), regexp_replace('naïve café', '[^a-z ]', '?', 'g');
select regexp_count('a', 'a', 1, 'g');
select regexp_split_to_array('a,b,,c', ','), regexp_split_to_table('x y  z', '\s+');
select 'abc' < 'abd', 'abc' < 'ab', 'B' < 'a', 'a' collate "C" < 'B' collate "C";
select t from tx where t is not null order by t collate "C";
select max(t), min(t), max(c), min(v) from tx;
select string_agg(t, ',' order by id) from tx;
select 'abc'::bytea, 'abc'::text::varchar(2);
select '123'::text::int + 1, 1.5::text, true::text, null::text is null;
select quote_ident('a b'), quote_ident('ok'), quote_literal('it''s'), quote_nullable(null), quote_literal(5);
select format('%s-%s', 'a', 1), format('%I.%L', 'My Table', 'x''y'), format('%3s|%-3s|', 'a', 'b'), format('%2$s %1$s', 'a', 'b');
select format('%s', null), format('%L', null), format('x');
select format('%z', 1);
select 'x'::char(2)::varchar || '|', 'x '::varchar::char(3) || '|';
select repeat('ab', 3), repeat('x', 0), repeat('x', -1);
select char_length('héllo'), octet_length('héllo'), length('héllo'::bytea);
select 'a' = 'a' collate "C", 'abc' >= 'abc', 'abc' <> 'abc ';
select position('b' in 'abc'), position('' in 'abc'), position('z' in 'abc');
select overlay('Txxxxas' placing 'hom' from 2 for 4), substring('Thomas' from 2 for 3), substring('Thomas' from '...$'), substring('Thomas', 3);
select substring('abc' from 0 for 2), substring('abc', -1, 3), substring('abc' from 5);
select substring('abc', 1, -1);
select trim('  x  ') || '|', trim(leading 'x' from 'xxaxx'), trim(trailing 'x' from 'xxaxx'), trim(both 'xy' from 'xyaxy');
select 'abc' || repeat('d', 3) is not null, md5('abc'), md5('');
select E'\\x';
select 'abc'::name, pg_typeof('abc'::name);
