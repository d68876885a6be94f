-- bit(n) and bit varying(n): literals (B'101', X'1F'), input and output, casts to and from the
-- integer types, the operators & | # ~ << >> || and comparisons, length / bit_length /
-- octet_length / get_bit / set_bit / position / substring / overlay / bit_count, columns with
-- their length checks (22026), bad input (22P02), ordering, grouping and indexes.

-- @setup
create table bits (id int primary key, f bit(4), v varbit(8), u bit varying);
insert into bits values (1, B'1010', B'1', B'101'), (2, B'0101', B'11110000', B''), (3, B'1111', B'0', null), (4, null, null, B'1010101010101010101');
-- @queries
select B'101', X'1F', B'', pg_typeof(B'101'), pg_typeof(X'1F');
select '101'::bit(3), '101'::varbit, '101'::bit varying(5), 'x1F'::bit(8), 'X1f'::varbit;
select '101'::bit, '0'::bit, pg_typeof('1'::bit);
select B'101'::bit(5), B'10101'::bit(3), B'101'::bit varying(2);
select '101'::bit(4);
select '10101'::varbit(3);
select '102'::bit(3);
select '102'::varbit;
select 'x1G'::bit(8);
select B'10' || B'011', B'1'::bit(1) || B'0'::bit(1), pg_typeof(B'10'::bit(2) || B'1'::bit(1));
select B'1100' & B'1010', B'1100' | B'1010', B'1100' # B'1010', ~B'1100';
select B'1100' & B'101';
select B'1100' | B'10';
select B'1100' # B'1';
select B'10110' << 2, B'10110' >> 2, B'10110' << -1, B'10110' >> 10, B'10110' << 0;
select pg_typeof(B'1' << 1), pg_typeof(~B'1');
select B'101' = B'101', B'101' < B'11', B'0' < B'00', B'101' <> B'1010', B'1' > B'0111', B'' < B'0';
select B'101'::bit(3) = B'101'::bit(3), B'1'::bit(1) < B'1'::bit(1);
select length(B'10101'), bit_length(B'10101'), octet_length(B'10101'), octet_length(B'101010101');
select length(''::varbit), bit_length(X'ABCD'), octet_length(X'ABCD');
select get_bit(B'10100', 0), get_bit(B'10100', 2), get_bit(B'10100', 4);
select get_bit(B'10100', 5);
select set_bit(B'10100', 1, 1), set_bit(B'10100', 0, 0), pg_typeof(set_bit(B'1'::bit(1), 0, 0));
select set_bit(B'10100', 9, 1);
select set_bit(B'10100', 1, 2);
select position(B'01' in B'1010101'), position(B'11' in B'1010101'), position(B'' in B'101');
select substring(B'110010' from 2 for 3), substring(B'110010' from 3), substring(B'110010' for 2), substring(B'110010' from -1 for 3);
select substring(B'110010' from 2 for -1);
select overlay(B'11111' placing B'00' from 2), overlay(B'11111' placing B'00' from 2 for 3);
select bit_count(B'10111'), bit_count(X'FF'), bit_count(''::varbit);
select 5::bit(8), 5::bit(3), (-1)::bit(8), 255::bit(4), 1::bit(40), (-1)::bit(33);
select 5::int8::bit(8), (-2)::int8::bit(70), pg_typeof(5::bit(8));
select B'101'::int4, B'11111111'::int4, B'11111111111111111111111111111111'::int4, X'FFFFFFFF'::int8, B'1'::int8;
select B'111111111111111111111111111111111'::int4;
select X'FFFFFFFFFFFFFFFFF'::int8;
select 5::varbit;
select B'101'::varbit::bit(3), B'101'::bit(3)::varbit, B'101'::text, '101'::bit(3)::text;
select B'101'::int2;
select f, v, u from bits order by id;
select f, length(f), v, length(v), u, length(u) from bits order by id;
select id, f & B'0110', f | B'1000', ~f, f << 1, v || B'1' from bits order by id;
select id from bits where f = B'1010' order by id;
select id from bits where v > B'01' order by id;
select v, count(*) from bits group by v order by v;
select f from bits order by f desc nulls last;
select max(f), min(v) from bits;
select bit_and(f), bit_or(f), bit_xor(f) from bits;
select f, count(*) from bits group by f order by f;
insert into bits values (5, B'101', null, null);
insert into bits values (5, B'10101', null, null);
insert into bits values (5, null, B'101010101', null);
insert into bits values (5, '1x01', null, null);
insert into bits values (5, B'1100', '10', '0000') returning f, v, u;
update bits set v = v || B'1' where id = 5 returning v;
update bits set v = v || B'1111111' where id = 5;
create index bits_v on bits (v);
select id from bits where v = B'101' order by id;
select format_type('bit'::regtype, 4), format_type('varbit'::regtype, 8), format_type(1560, -1), format_type(1562, -1);
select oid, typname, typlen, typcategory, typarray from pg_type where oid in (1560, 1562, 1561, 1563) order by oid;
select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a join pg_class c on c.oid = a.attrelid where c.relname = 'bits' and a.attnum > 0 order by a.attnum;
select array[B'1', B'01'], pg_typeof(array[B'1'::varbit]);
select B'101'::bit(3) is distinct from B'101', coalesce(null::bit(3), B'000');
