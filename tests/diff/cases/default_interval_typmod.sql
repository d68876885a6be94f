-- A column default's display (pg_get_expr of pg_attrdef, information_schema column_default)
-- keeps an interval cast's qualifier and prints the value as the constant PostgreSQL stored.

-- @setup
create table dit (id int primary key,
  a interval default '1 day'::interval day,
  b interval day default '1 day',
  c interval hour to minute default '1 day 2 hours 3 minutes 4 seconds',
  d interval default interval '2' hour,
  e interval default '1 day 2 hours'::interval,
  f interval(2) default '1.2345 seconds',
  g interval second(3) default '1.23456');
insert into dit (id) values (1);

-- @queries
select a.attname, pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum where d.adrelid = 'dit'::regclass order by d.adnum;
select column_name, column_default from information_schema.columns where table_name = 'dit' order by ordinal_position;
select * from dit;

-- Only one literal under at most one interval cast shows as a constant, with that cast's
-- typmod (and its value under it) on a column that has one.
-- @setup
create table dit2 (id int primary key,
  c interval hour default '3 hours'::interval minute,
  d interval hour to minute default interval '1:02:03' hour to second,
  e interval default interval '2' hour,
  f interval hour default '5 hours 7 min',
  g interval minute default interval '2 hours 3 min' hour,
  h interval minute default ('90 sec')::interval,
  i interval second(3) default '1.23456'::interval,
  j interval default '1.234567 s'::interval second(2));
insert into dit2 (id) values (1);

-- @queries
select a.attname, pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum where d.adrelid = 'dit2'::regclass order by d.adnum;
select * from dit2;

-- A default that is more than one literal: casts to the column's type around one literal fold
-- into the constant; other expressions must at least print as text that runs.
-- @setup
create table dit3 (id int primary key,
  a interval default '1 hour'::interval * 2,
  f interval minute default '1 hour'::interval::interval hour,
  g interval default '1 hour'::interval::interval hour,
  h date default '2020-01-01'::date + 1,
  k date default '2020-01-01'::date,
  l interval hour default '1 hour'::interval::interval::interval minute);
insert into dit3 (id) values (1);

-- @queries
select a.attname, pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum where d.adrelid = 'dit3'::regclass and a.attname in ('f', 'g', 'k', 'l') order by d.adnum;
select * from dit3;
