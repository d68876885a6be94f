-- Enum types as ORMs create them: CREATE TYPE ... AS ENUM, columns, input errors (22P02), order by
-- declaration order, comparison, casts to and from text, enum functions, ALTER TYPE ... ADD VALUE.

-- @setup
create type mood as enum ('sad', 'ok', 'happy');
create table person (id int primary key, name text, m mood);
insert into person values (1, 'a', 'happy'), (2, 'b', 'sad'), (3, 'c', null), (4, 'd', 'ok'), (5, 'e', 'sad');
-- @queries
select name, m from person order by id;
select name, m from person order by m, id;
select name from person where m > 'sad' order by name;
select name from person where m = 'ok';
select 'happy'::mood, 'sad'::mood < 'happy'::mood, pg_typeof('ok'::mood);
select 'angry'::mood;
insert into person values (6, 'f', 'meh');
select m::text, 'ok'::text::mood from person where id = 1;
select m, count(*) from person group by m order by m;
select max(m), min(m) from person;
select enum_first(null::mood), enum_last(null::mood), enum_range(null::mood), enum_range('ok'::mood, null);
select m || '!' from person where id = 4;
alter type mood add value 'ecstatic' after 'happy';
select enum_range(null::mood);
insert into person values (7, 'g', 'ecstatic');
select name, m from person where m >= 'happy' order by m, name;
create type mood as enum ('x');
create type e2 as enum ();
select 'sad'::mood = 'sad';
select 1::mood;
select m from person where m = 'nope';
drop type mood;
