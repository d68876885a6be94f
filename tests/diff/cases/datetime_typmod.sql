-- timestamp(p), timestamptz(p), time(p) and interval(p): values rounded to p fractional digits
-- (half away from zero) on input, assignment and cast as PostgreSQL's Adjust*ForTypmod, and the
-- precision shown by format_type, pg_attribute, information_schema.columns and psql's \d.

-- @setup
create table tp (id int, a timestamp(3), b timestamptz(2), c time(1), e interval(2), f timestamp(0), g timestamp);
insert into tp values (1, '2024-01-01 10:00:00.123456', '2024-01-01 10:00:00.125+00', '10:00:00.15', '1 day 00:00:01.12345', '2024-01-01 10:00:00.5', '2024-01-01 10:00:00.654321');
insert into tp values (2, 'infinity', '-infinity', '23:59:59.97', '-1.555 sec', '2020-01-01 00:00:00.5 BC', '-infinity');
-- @queries
select * from tp order by id;
select a::text, b::text, c::text, e::text, f::text from tp order by id;
select format_type(atttypid, atttypmod), atttypmod from pg_attribute where attrelid = 'tp'::regclass and attnum > 0 order by attnum;
select column_name, data_type, datetime_precision from information_schema.columns where table_name = 'tp' order by ordinal_position;
select '2024-01-01 10:00:00.123456'::timestamp(2), '10:00:00.999'::time(1), interval(1) '1.25 sec', '1.26'::interval(1);
select '2024-01-01 10:00:00.5'::timestamp(0)::text, '-1.5 sec'::interval(0), '23:59:59.99'::time(1), '2024-06-01 12:00:00.45+02'::timestamptz(1);
select timestamp '2024-01-01 10:00:00.123456'::timestamp(4), time '10:00:00.123456'::time(0), interval '1 day 0.987654 sec'::interval(3), cast('2024-01-01 10:00:00.5555' as timestamp(3));
select '2024-01-01 10:00:00.123456'::timestamp(6), '2024-01-01 10:00:00.123456'::timestamptz(5), '1.2345678 sec'::interval(6);
select pg_typeof('1 s'::interval(2)), pg_typeof(now()::timestamp(0)), now()::timestamp(0) = date_trunc('second', now()::timestamp) or now()::timestamp(0) = date_trunc('second', now()::timestamp) + interval '1 second';
update tp set a = g, f = g, c = g::time where id = 1;
select a, f, c from tp where id = 1;
insert into tp (id, a, b) values (3, timestamp '2024-02-29 23:59:59.9999', now());
select a, b = date_trunc('second', b) or b::text like '%.__+00' or b::text like '%._+00' from tp where id = 3;
select a, count(*) from tp group by a order by a;
create table tp2 (x timestamp(1) default '2024-01-01 00:00:00.55', y interval(0));
insert into tp2 (y) values (interval '1.5 sec'), ('2.5 sec'::interval(3));
select x, y from tp2 order by y;
select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'tp2'::regclass and attnum > 0 order by attnum;
create table tp3 (x time(7));
