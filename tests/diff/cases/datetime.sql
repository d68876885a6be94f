-- date, time, timestamp, timestamptz (TimeZone UTC, then other zones), interval: input forms and
-- their errors (22007, 22008), output, arithmetic, comparison, casts, extract/date_part,
-- date_trunc, age, make_*, to_char, to_date, to_timestamp, generate_series over timestamps.

-- @setup
create table ev (id int primary key, d date, t time, ts timestamp, tz timestamptz, iv interval);
insert into ev values (1, '2024-02-29', '13:45:30.5', '2024-02-29 13:45:30.5', '2024-02-29 13:45:30.5+02', '1 day 2 hours'),
  (2, '1999-12-31', '00:00', '1999-12-31 23:59:59', '1999-12-31 23:59:59 UTC', '-3 months'),
  (3, null, null, null, null, null), (4, 'infinity', '24:00:00', '-infinity', 'infinity', '1 year 2 mons 3 days 04:05:06.789');
-- @queries
select d, t, ts, tz, iv from ev order by id;
select id from ev order by d, id;
select id from ev order by ts desc, id;
select date '2024-01-15', date '20240115', date 'Jan 15 2024', date '15-Jan-2024', '2024-1-5'::date;
select '2023-02-29'::date;
select '2024-13-01'::date;
select 'not a date'::date;
select '5874898-01-01'::date;
select date '2024-03-01' - date '2024-02-01', date '2024-01-31' + 1, date '2024-03-01' - 1, date '2024-01-31' + interval '1 month';
select date '2024-01-01' + time '10:30', date '2024-01-01' - interval '1 hour';
select time '12:34:56.789', time '23:59:59.999999', '1:2:3'::time, time '12:00' + interval '13 hours', time '10:00' - time '08:30';
select '25:00'::time;
select time '12:00' < time '13:00', time '00:00' = '24:00'::time;
select timestamp '2024-02-29 12:00:00', timestamp '2024-02-29T12:00:00.123456', timestamp '2024-02-29 12:00:00.1234567';
select '2024-02-30 00:00'::timestamp;
select timestamp '2024-01-01 00:00' + interval '1 month 1 day 1 hour', timestamp '2024-03-31' - interval '1 month';
select timestamp '2024-01-02 00:00' - timestamp '2024-01-01 12:00', timestamp '2024-01-01' < timestamp '2024-01-02';
select timestamptz '2024-06-01 12:00:00+02', timestamptz '2024-06-01 12:00:00 America/New_York', '2024-06-01 12:00 PST'::timestamptz;
select timestamptz '2024-06-01 12:00+02' = timestamptz '2024-06-01 10:00Z';
select timestamptz '2024-06-01 12:00+00'::timestamp, timestamp '2024-06-01 12:00'::timestamptz, timestamptz '2024-06-01 12:00+00'::date;
select '2024-06-01 12:00:00+02'::timestamptz at time zone 'Asia/Tokyo', timestamp '2024-06-01 12:00' at time zone 'Europe/Oslo';
select interval '1 day', interval '1 year 2 months', interval '-1 day +2 hours', interval '1.5 days', interval '90 minutes', interval 'P1Y2M3DT4H5M6S';
select interval '1 day' * 2, interval '1 hour' / 4, interval '1 day' - interval '1 hour', -interval '2 days';
select interval '25 hours' = interval '1 day 1 hour', interval '30 days' = interval '1 month', interval '1 day' < interval '23 hours';
select justify_hours(interval '50 hours'), justify_days(interval '45 days'), justify_interval(interval '1 month -1 hour');
select 'garbage'::interval;
select extract(year from date '2024-02-29'), extract(month from timestamp '2024-02-29 13:00'), extract(dow from date '2024-02-29'), extract(doy from date '2024-12-31');
select extract(epoch from timestamp '2024-01-01 00:00'), extract(epoch from interval '1 day 1 hour'), extract(epoch from timestamptz '1970-01-02 00:00+00');
select extract(hour from time '13:45:30.5'), extract(second from time '13:45:30.5'), extract(isodow from date '2024-03-03'), extract(week from date '2024-01-01'), extract(quarter from date '2024-05-01');
select extract(century from date '2000-01-01'), extract(millennium from date '2001-01-01'), extract(decade from date '2024-01-01'), extract(julian from date '2024-01-01');
select date_part('year', timestamp '2024-02-29'), date_part('day', interval '40 days'), pg_typeof(date_part('year', timestamp '2024-02-29')), pg_typeof(extract(year from timestamp '2024-02-29'));
select extract(nope from date '2024-01-01');
select date_trunc('month', timestamp '2024-02-29 13:45'), date_trunc('year', date '2024-05-05'), date_trunc('hour', timestamptz '2024-02-29 13:45+00'), date_trunc('week', timestamp '2024-02-29'), date_trunc('day', interval '1 day 5 hours');
select date_trunc('fortnight', timestamp '2024-01-01');
select age(timestamp '2024-03-01', timestamp '2023-01-15'), age(date '2024-02-29', date '2020-02-29');
select make_date(2024, 2, 29), make_time(13, 5, 7.5), make_timestamp(2024, 2, 29, 1, 2, 3.5), make_interval(days => 10, hours => 1);
select make_date(2023, 2, 29);
select to_char(timestamp '2024-02-29 13:05:09', 'YYYY-MM-DD HH24:MI:SS'), to_char(date '2024-02-29', 'Day, DD Month YYYY'), to_char(timestamp '2024-02-29 13:05', 'HH12:MI AM'), to_char(interval '1 day 03:00', 'HH24:MI');
select to_char(1234.5, '9,999.99'), to_char(-5, '999'), to_char(0.5, '0.99'), to_char(42, 'FM0000');
select to_date('29 Feb 2024', 'DD Mon YYYY'), to_timestamp('2024-02-29 13:05', 'YYYY-MM-DD HH24:MI'), to_timestamp(86400);
select to_date('2024-02-30', 'YYYY-MM-DD');
select generate_series(timestamp '2024-01-01', timestamp '2024-01-03', interval '12 hours');
select count(*) from generate_series(date '2024-01-01', date '2024-12-31', interval '1 day') g;
select d + 1, ts + interval '1 day', tz - interval '1 hour', t + interval '30 minutes' from ev where id = 1;
select max(d), min(ts), max(tz), sum(iv), avg(iv) from ev;
select d::text, ts::date, ts::time, d::timestamp, t::interval, iv::text from ev where id = 1;
select 'infinity'::date > '2024-01-01'::date, '-infinity'::timestamp < '1900-01-01', isfinite(date 'infinity'), isfinite(interval '1 day');
select '2024-02-29'::date is not distinct from '2024-02-29'::timestamp, date '2024-02-29' = timestamp '2024-02-29 00:00';
select (date '2024-01-01', date '2024-02-01') overlaps (date '2024-01-15', date '2024-03-01');
select timestamp '2024-02-29 13:45' - interval '1 year', timestamp '2024-02-29' + interval '1 year';
select date '2024-02-29' - 100000000;
select timestamp '294277-01-01';
set timezone = 'America/New_York';
select timestamptz '2024-03-10 12:00+00', timestamptz '2024-11-03 12:00+00', '2024-07-04 12:00'::timestamptz;
select timestamptz '2024-03-09 12:00' + interval '1 day', timestamptz '2024-03-09 12:00' + interval '24 hours';
select extract(hour from timestamptz '2024-06-01 12:00+00'), date_trunc('day', timestamptz '2024-06-01 02:00+00'), timestamptz '2024-06-01 12:00+00'::date;
set timezone = 'Asia/Kolkata';
select timestamptz '2024-01-01 00:00+00', to_char(timestamptz '2024-01-01 00:00+00', 'YYYY-MM-DD HH24:MI TZ');
set timezone = 'UTC';
select timestamptz '2024-01-01 00:00+05:30';
set timezone = 'Not/AZone';
-- the clock: now() is the transaction's start (stable), the SQL value functions' types
select now() = current_timestamp, now() = transaction_timestamp(), current_date = now()::date, localtimestamp = now()::timestamp, clock_timestamp() >= now(), statement_timestamp() >= now();
select pg_typeof(now()), pg_typeof(current_date), pg_typeof(localtime), pg_typeof(localtimestamp), pg_typeof(current_timestamp);
select now() + 1;
-- zone names as the tzdata spells them, numeric zones, DST changes in Europe
set time zone 'europe/berlin';
show timezone;
select timestamptz '2024-07-01 12:00+00', timestamptz '2024-01-01 12:00+00', timestamp '2024-03-31 02:30'::timestamptz, timestamp '2024-10-27 02:30'::timestamptz;
select timestamptz '2024-03-30 12:00' + interval '1 day', extract(timezone from timestamptz '2024-07-01 12:00+00'), to_char(timestamptz '2024-07-01 12:00+00', 'HH24:MI TZ');
set time zone '+02';
show timezone;
select timestamptz '2024-01-01 00:00+00', '2024-01-01 00:00'::timestamptz;
set time zone 'UTC';
-- special inputs, BC, rounding, arithmetic corners
select date 'epoch', timestamp 'epoch', timestamptz 'epoch', time 'allballs', date '0044-03-15 BC', timestamp '0001-12-31 23:59:59 BC' + interval '1 second';
select date '2024-01-01' + time '25:00';
select interval '1 mon' = interval '30 days', interval '1 day' * 0.1, interval '1 mon' * 0.5, interval '3 days' / 7, interval '1 year' / 5;
select interval '@ 1 hour ago', interval '1 02:03:04', interval 'PT1.5S', interval '2 weeks', interval '1.5 years', interval '-1 day -02:00:00';
select extract(month from interval '1 year 14 months'), extract(minute from interval '90 minutes'), extract(epoch from date '1970-01-02'), extract(isoyear from date '2021-01-01'), extract(week from date '2021-01-01');
select extract(year from date '0044-03-15 BC'), extract(century from date '0044-03-15 BC'), extract(epoch from time '01:00'), extract(milliseconds from timestamp '2024-01-01 00:00:12.345');
select to_timestamp(0), to_timestamp(1709210096.5), make_timestamptz(2024, 7, 1, 12, 0, 0);
select age(timestamp '2024-01-31', timestamp '2024-03-01'), age(timestamp '2024-03-31', timestamp '2024-02-29 12:00');
select date_trunc('quarter', timestamp '2024-05-15 10:00'), date_trunc('decade', date '2024-05-05'), date_trunc('century', timestamp '2000-05-05'), date_trunc('millisecond', timestamp '2024-01-01 00:00:00.123456');
select '2024-01-01'::date < '2024-01-01 00:00:01'::timestamp, '2024-01-01 00:00'::timestamp = '2024-01-01 00:00+00'::timestamptz, time '10:00' < time '09:00';
select coalesce(null::date, timestamp '2024-01-01 10:00'), case when true then date '2024-01-01' else timestamptz '2024-01-01 10:00+00' end;
select '1 day'::interval + '2024-01-01'::date, interval '1 hour' + time '23:30', time '00:30' - interval '1 hour';
select timestamp '2024-01-01' - date '2023-12-31', date '2024-03-01' - timestamp '2024-02-28 12:00';
select isfinite(timestamp '-infinity'), timestamp 'infinity' > timestamp '294276-12-31', date '-infinity' < date '4713-11-24 BC';
select timestamp '2024-01-01' - timestamp 'infinity';
select make_time(24, 0, 0), make_time(23, 60, 0);
select justify_days(interval '-45 days'), justify_hours(interval '-50 hours'), justify_interval(interval '-1 mon 45 days');
-- IN lists and set operations across date, timestamp and timestamptz: one common type
select date '2024-01-01' in (timestamp '2024-01-01 00:00', timestamp '2024-01-02'), date '2024-01-01' in (timestamp '2024-01-01 10:00', timestamp '2024-01-02');
select date '2024-01-02' in (timestamptz '2024-01-02 00:00+00', date '2024-01-05'), timestamp '2024-01-01 00:00' in (date '2024-01-01', date '2024-01-03');
select '2024-01-01' in (date '2024-01-01', timestamp '2024-01-01 00:00'), date '2024-01-01' not in (timestamp '2024-01-01 00:00', null);
select d from ev where d in (timestamp '2024-02-29 00:00', timestamp '1999-12-31 12:00') order by 1;
select id from ev where ts in (date '1999-12-31', d) order by 1;
select id from ev where d not in (tz, timestamp '2024-02-29 13:45:30.5') order by 1;
select date '2024-01-01' in (time '10:00');
select date '2024-01-01' union select timestamp '2024-01-01 10:00' order by 1;
select date '2024-01-01' union all select timestamptz '2024-01-01 10:00+00';
select timestamp '2024-01-01 00:00' intersect select date '2024-01-01';
values (date '2024-01-01'), (timestamp '2024-01-02 03:00');
select d from ev union select ts from ev order by 1;
select x, pg_typeof(x) from (select d from ev where id = 1 except select tz from ev where id = 2) s(x);
select time '10:00' union select interval '1 hour';
-- casts and operators that read TimeZone, under another zone
set time zone 'America/New_York';
select '2024-01-01 10:00+00'::timestamptz::text, timestamp '2024-01-01 10:00'::timestamptz::text, (timestamptz '2024-03-30 12:00+00' + interval '1 day')::text, extract(hour from timestamptz '2024-01-01 10:00+00');
select timestamptz '2024-01-01 10:00+00' = timestamp '2024-01-01 10:00', timestamptz '2024-01-01 02:00+00'::date, date '2024-01-01' in (timestamptz '2024-01-01 05:00+00');
set time zone 'UTC';
-- AT TIME ZONE and SET TIME ZONE with offsets: a string is POSIX's (positive is west), a number
-- in SET and an interval are ISO's (positive is east)
select timestamptz '2024-01-01 12:00+00' at time zone '-3', timestamptz '2024-01-01 12:00+00' at time zone '+3', timestamptz '2024-01-01 12:00+00' at time zone 'UTC+3', timestamptz '2024-01-01 12:00+00' at time zone 'UTC-3';
select timestamptz '2024-01-01 12:00+00' at time zone '+05:30', timestamptz '2024-01-01 12:00+00' at time zone '-03:30', timestamptz '2024-01-01 12:00+00' at time zone 'XYZ+2', timestamptz '2024-01-01 12:00+00' at time zone '3';
select timestamp '2024-01-01 12:00' at time zone '-3', timestamp '2024-01-01 12:00' at time zone 'UTC+3', timestamp '2024-01-01 12:00' at time zone '+05:30', timestamp '2024-01-01 12:00' at time zone '<+03>-3';
select timestamptz '2024-01-01 12:00+00' at time zone interval '+05:30', timestamptz '2024-01-01 12:00+00' at time zone interval '-3 hours', timestamp '2024-01-01 12:00' at time zone interval '02:00';
select timestamptz '2024-01-01 12:00+00' at time zone interval '1 day';
set time zone -3;
show timezone;
select timestamptz '2024-01-01 12:00+00';
set time zone 'UTC+3';
select timestamptz '2024-01-01 12:00+00';
set time zone '+05:30';
show timezone;
select timestamptz '2024-01-01 12:00+00';
set time zone interval '+05:30' hour to minute;
show timezone;
select timestamptz '2024-01-01 12:00+00';
set time zone interval '1 day';
set time zone 5.5;
show timezone;
select timestamptz '2024-01-01 12:00+00';
set time zone 'UTC';
-- time casts to interval implicitly
select time '10:00' = interval '10 hours', time '10:00' < interval '11 hours', interval '1 hour' <> time '01:00';
select time '10:00' + interval '1 hour', interval '1 hour' + time '10:00', date '2024-01-01' + time '10:00', time '10:00' + date '2024-01-01';
select timestamp '2024-01-02 10:00' - date '2024-01-01', date '2024-01-02' - timestamp '2024-01-01 10:00', timestamptz '2024-01-02 10:00+00' - date '2024-01-01';
select date '2024-01-01' - time '10:00', timestamp '2024-01-01 12:00' + time '01:30', timestamp '2024-01-01 12:00' - time '01:30', interval '1 day' - time '01:00';
select time '10:00' - date '2024-01-01';
select time '10:00' in (interval '10 hours', interval '1 hour'), t from ev where t in (interval '13:45:30.5') order by 1;
-- to_date / to_timestamp: a field takes its width of digits unless a separator (or FM) follows it
select to_date('20240115', 'YYYYMMDD'), to_date('2024115', 'YYYYMMDD'), to_date('12024-01-15', 'YYYY-MM-DD'), to_date('24-01-15', 'YYYY-MM-DD');
select to_date('120240115', 'YYYYMMDD');
select to_date('2024 01 15', 'YYYY MM DD'), to_date('202401', 'YYYYMM'), to_date('02024-1-5', 'YYYY-MM-DD'), to_date('1-01-15', 'YYYY-MM-DD');
select to_timestamp('20240115 1030', 'YYYYMMDD HH24MI'), to_date('99999-01-15', 'YYYY-MM-DD'), to_date('15012024', 'DDMMYYYY'), to_date('150120245', 'DDMMYYYY');
select to_date('24', 'YY'), to_date('2024', 'YYY'), to_date('2024', 'YY'), to_date('524', 'YYY'), to_date('7', 'Y');
select to_date('202', 'YYYYMM');
select to_date('2024', 'YYYYMM');
select to_date('20x40115', 'YYYYMMDD');
select to_date('2024-3-7', 'FMYYYY-FMMM-FMDD'), to_date('2024 3 7', 'YYYY MM DD');
-- SQL-standard years-months in interval input: the leading sign covers both parts; 12 months
-- or more is 22015.
select interval '1-2', interval '-1-2 +3 4:05:06', interval '0-11', interval '+2-0 1 day', '10-3'::interval;
select interval '1-12';
select interval '1-2x';
select interval '2024-01-01';
select interval '1.5-2';
