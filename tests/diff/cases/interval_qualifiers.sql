-- Interval field qualifiers and precision (interval day to second(3), interval hour, ...), as
-- PostgreSQL 15: text is read under the range (DecodeInterval: a unitless number is the range's
-- last field, m:s under MINUTE TO SECOND), the value keeps only the fields up to the range's last
-- (AdjustIntervalForTypmod, truncating toward zero) and its seconds rounded to p; the typmod shows
-- in format_type, pg_attribute, information_schema.columns and result columns.

-- @setup
create table iq (id int, y interval year, mo interval month, d interval day, h interval hour, mi interval minute, s interval second, ym interval year to month, dh interval day to hour, dm interval day to minute, ds interval day to second, hm interval hour to minute, hs interval hour to second, ms interval minute to second, p2 interval(2), s1 interval second(1), ds3 interval day to second(3), plain interval);
insert into iq values (1, '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789', '1 year 2 months 3 days 04:05:06.789');
insert into iq (id, y, mo, d, h, mi, s, ym, dh, dm, ds, hm, hs, ms) values (2, '5', '5', '5', '5', '5', '5', '5', '5', '5', '5', '5', '5', '5');
insert into iq (id, h, mi, hm, ms, ds3, s1) values (3, '-90 minutes', '-90.5 seconds', '-1 day -01:30:59', '1:30', '-0.0005 sec', '-1.25');
-- @queries
select * from iq order by id;
select format_type(atttypid, atttypmod), atttypmod from pg_attribute where attrelid = 'iq'::regclass and attnum > 1 order by attnum;
select column_name, data_type, datetime_precision, interval_type, interval_precision from information_schema.columns where table_name = 'iq' order by ordinal_position;
select interval '1 2' day to hour, interval '5' hour, interval '1-2' year to month, interval '1 year 2 months 3 days' year;
select interval '1 year 2 months 3 days 04:05:06' day to hour, interval '1 day 02:03:04.5678' day to minute, interval '1 day 02:03:04.5678' day to second;
select interval '5' year, interval '5' month, interval '5' day, interval '5' minute, interval '5' second, interval '5' year to month;
select interval '5' day to hour, interval '5' day to minute, interval '5' day to second, interval '5' hour to minute, interval '5' hour to second, interval '5' minute to second;
select interval '1:30' minute to second, interval '1:30' minute, interval '1:30' hour to minute, interval '1:30.5' hour to minute, interval '1:30.5';
select interval '1 2:03' day to minute, interval '1 2' hour, interval '1.5' hour, interval '1.5' day, interval '1.5' year, interval '1.5' month;
select interval '-90 minutes' hour, interval '-1 day -01:30' day to hour, interval '-2.5' minute, interval '-1-6' year to month;
select interval '1 day 02:03:04.5678' day to second(2), interval '1.23456' second(2), interval '-1.5' second(0), interval(2) '1.234', interval '1.234' second(6);
select '1 day 02:03:04.5678'::interval hour to minute, '1.2345'::interval(2), '3 days 4 hours'::interval day, cast('14 months' as interval year);
select ('1 year 2 months 3 days 04:05:06.789'::interval)::interval hour to minute, (interval '1 day 02:03:04.5678')::interval(1), (interval '25 hours')::interval day;
select interval '2 hours 3' hour to minute, interval '2 hours 3' hour to second, interval '1 day 5' day to hour;
select '1 2'::interval day to hour, '1 2'::interval hour, '5'::interval year;
select pg_typeof(interval '1' day), pg_typeof('1'::interval hour to minute), pg_typeof('1'::interval(3));
select extract(hour from interval '1 day 02:03:04' day to hour), extract(minute from interval '1 day 02:03:04' day to hour), extract(epoch from interval '10:20:30.456' minute to second);
select date_part('second', interval '01:02:03.456789' second(3)), extract(month from interval '1 year 5 months 6 days' year);
select timestamp '2024-01-01 00:00:00' + interval '1 day 02:03:04' day to hour, date '2024-01-31' + interval '1 month 2 days' month;
select interval '1 day 02:03:04' hour < interval '1 day 02:30:00' hour, interval '1 day 02:03:04' hour = interval '1 day 02:59:59' hour;
select justify_hours(interval '30 hours 30 minutes' hour), interval '7 hours 59 minutes' hour * 2;
select h, mi, hm, ms, ds3, s1 from iq where id = 3;
update iq set h = '10:45', dh = '3 days 10:45', ym = '2 years 7 months 20 days', s1 = '4.56' where id = 2;
select h, dh, ym, s1 from iq where id = 2;
update iq set hm = hm + interval '10 minutes 30 seconds', ds3 = interval '0.12345 sec' where id = 1;
select hm, ds3 from iq where id = 1;
insert into iq (id, d, hs) select 4, plain, plain from iq where id = 1;
select d, hs from iq where id = 4;
select id, h from iq where h = interval '10 hours' or h = interval '5 hours' order by id;
create table iq2 (a interval hour to minute primary key, b interval year);
insert into iq2 values ('1:02:03', '2 years 11 months'), ('01:02:59', '1');
insert into iq2 values ('01:02:30', '1');
select * from iq2 order by a;
create table iq3 as select interval '1 day 02:03' day to hour as x, '3'::interval minute as y;
select x, y, format_type(atttypid, atttypmod) from iq3, pg_attribute where attrelid = 'iq3'::regclass and attname = 'x';
select format_type('interval'::regtype, -1), format_type(1186, null);
select interval '1 2' day to minute;
select interval '1 2' second;
select interval '1 2';
select interval '5 ago';
select interval '1 day 2 days';
select interval '1 02:03 5';
select interval '3 2 minutes';
select interval '1-2 3 months';
select interval '1 2 hours', interval '2 hours 3', interval '1.5 02:03', interval '@ 1 day 2 hours ago';
select interval '1' year to second;
select interval '1' second to minute;
select interval(-1) '1';
select '1 hour'::interval(7), interval '1.1234567' second(7), interval '1.1234567' day to second(9);
select interval '1 day' day to second(-1);
select interval '1' hour(2);
select '1'::interval month to day;
select cast('1 year' as interval year(2));
create view iqv as select '1 day 2 hours 3 minutes'::interval day to hour as x, ds3, interval '5' minute as y from iq;
select pg_get_viewdef('iqv'::regclass);
select x, y, format_type(atttypid, atttypmod) from iqv, pg_attribute where attrelid = 'iqv'::regclass and attname = 'ds3' order by 1 limit 1;
select '{5,"1 day 02:03"}'::interval hour[], array['1 day 02:03'::interval]::interval hour[], '{1.25}'::interval(1)[];
create table iqa (a interval minute[]);
insert into iqa values ('{90,"1:30:45"}'), (array[interval '2 hours 3 minutes 4 seconds']);
select a, format_type(atttypid, atttypmod) from iqa, pg_attribute where attrelid = 'iqa'::regclass and attname = 'a' order by 1;
select interval '+1 -2' day to hour, interval 'P1DT2H3M' hour, interval '1 day ago' day, interval '1:2:3' minute to second;
select interval '1 2 3' day to hour;
select interval '99:30' minute to second;
select interval '1:60';
select interval '1:2:61';
select interval '1:2:60', interval '1:2:60.5', interval '100:59:59';
select interval '99:30.5';
prepare iqp(interval hour, varchar(2), interval(1)) as select $1, $2, $3;
execute iqp('5', 'abcdef', '1.26 s');
execute iqp('1 day 02:03', 'x', '1');
