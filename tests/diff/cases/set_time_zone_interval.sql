-- SET TIME ZONE INTERVAL '...' [HOUR | HOUR TO MINUTE | (p)]: the literal is read under the
-- qualifier ('5' HOUR is five hours, not five seconds), as PostgreSQL's
-- flatten_set_variable_args reads it, then checked as a TimeZone value (no days or months).

-- @queries
set time zone interval '5' hour;
show time zone;
select '2024-01-01 00:00:00+00'::timestamptz;
set time zone interval '-3' hour;
show time zone;
set time zone interval '+05:30' hour to minute;
show time zone;
select '2024-01-01 00:00:00+00'::timestamptz;
set time zone interval '-02:45:59' hour to minute;
show time zone;
set time zone interval '5:30:45' hour;
show time zone;
set time zone interval '05:30';
show time zone;
set time zone interval '7';
show time zone;
set time zone interval(0) '3.6';
show time zone;
set time zone interval '1 day' hour;
set time zone interval '1 day 02:00' hour to minute;
set time zone interval '2 months' hour;
set time zone interval 'abc' hour;
set time zone interval '5' day;
set time zone interval '5' minute;
show time zone;
reset time zone;
