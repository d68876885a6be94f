-- INSERT, UPDATE, DELETE: command tags, RETURNING, multi-row VALUES, INSERT ... SELECT, DEFAULT
-- and column defaults, serial and identity columns, ON CONFLICT, UPDATE ... FROM, DELETE ...
-- USING, constraint errors (23505, 23502, 23514, 23503) and their effect on later statements.

-- @setup
create table inv (id int primary key, name text not null, qty int default 0, note text default 'none');
create table src (id int, name text, qty int);
insert into src values (10, 'ten', 1), (11, 'eleven', 2), (12, 'twelve', 3);
-- @queries
insert into inv values (1, 'one', 5, 'n1');
insert into inv (id, name) values (2, 'two');
insert into inv values (3, 'three', 1), (4, 'four', 2);
insert into inv values (5, 'five', default, default);
insert into inv (id, name, qty) values (6, 'six', 6) returning *;
insert into inv (id, name) values (7, 'seven') returning id, qty + 1 as q, note;
insert into inv select id, name, qty from src;
insert into inv select id + 100, upper(name) from src where qty > 1 returning id;
select * from inv order by id;
insert into inv values (1, 'again', 1);
insert into inv values (8, null, 1);
create table chk (id int primary key, q int check (q >= 0));
insert into chk values (1, -1);
insert into chk values (1, 1);
insert into inv values (8, 'eight', 1), (8, 'eight bis', 1);
select count(*) from inv where id = 8;
insert into inv values (1, 'dup', 9) on conflict do nothing;
insert into inv values (1, 'dup', 9) on conflict (id) do nothing returning id;
insert into inv values (1, 'upd', 9) on conflict (id) do update set qty = excluded.qty, name = inv.name || '+' returning *;
insert into inv values (2, 'x', 1) on conflict (id) do update set qty = inv.qty + 100 where inv.qty > 50;
select id, name, qty from inv where id in (1, 2) order by id;
update inv set qty = qty + 1 where id < 3;
update inv set qty = 0, note = 'zero' where id = 3 returning id, qty, note;
update chk set q = -5 where id = 1;
update inv set name = null where id = 4;
update inv set qty = qty * 2 where false;
update inv set note = src.name from src where src.id = inv.id returning inv.id, inv.note;
update inv set qty = default where id = 5 returning qty;
delete from inv where id = 4;
delete from inv where id = 4;
delete from inv where id > 100 returning id;
delete from inv using src where inv.id = src.id and src.qty = 1;
select id, name, qty, note from inv order by id;
create table ser (id serial primary key, v text);
insert into ser (v) values ('a'), ('b') returning id, v;
insert into ser (v) values ('c') returning id;
select * from ser order by id;
create table ident (id int generated always as identity primary key, v text);
insert into ident (v) values ('x'), ('y') returning *;
insert into ident (id, v) values (5, 'z');
create table ref (id int primary key, inv_id int references inv (id));
insert into ref values (1, 1);
insert into ref values (2, 999);
delete from inv where id = 1;
truncate src;
select count(*) from src;
insert into inv (id, name) values (50, 'fifty'), (51, 'fifty-one') returning (select count(*) from src);
with moved as (delete from inv where id = 50 returning *) select count(*) from moved;
