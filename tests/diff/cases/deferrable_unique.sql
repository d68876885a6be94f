-- DEFERRABLE PRIMARY KEY and UNIQUE constraints: INITIALLY IMMEDIATE ones checked at the
-- statement's end (so UPDATE ... SET pos = pos + 1 passes, where a non-deferrable key, checked per
-- row, fails), INITIALLY DEFERRED ones at COMMIT (23505 there, the block rolled back), SET
-- CONSTRAINTS {ALL | name} {DEFERRED | IMMEDIATE}, savepoints, what a deferrable key may not serve
-- (ON CONFLICT arbiters, referenced keys), ALTER TABLE ... ADD CONSTRAINT, and the catalogs:
-- pg_constraint's condeferrable / condeferred, pg_index.indimmediate, pg_get_constraintdef,
-- information_schema.table_constraints.

-- @setup
create table plain (id int primary key, pos int unique);
insert into plain values (1, 1), (2, 2), (3, 3);

-- @queries
-- A non-deferrable key is checked row by row: the first row's new key meets the second's old one.
update plain set pos = pos + 1;
update plain set pos = pos - 1;
select id, pos from plain order by id;
create table di (id int primary key, pos int unique deferrable);
create table dd (id int, pos int, constraint dd_pos_key unique (pos) deferrable initially deferred);
create table dp (id int primary key deferrable initially deferred, v text);
create table dpi (id int, v text, primary key (id) deferrable);
create table bad (id int unique not deferrable initially deferred);
insert into di values (1, 1), (2, 2), (3, 3);
insert into dd values (1, 1), (2, 2), (3, 3);
insert into dp values (1, 'a'), (2, 'b');
select conname, contype, condeferrable, condeferred from pg_constraint where conrelid in ('di'::regclass, 'dd'::regclass, 'dp'::regclass, 'dpi'::regclass) order by conname;
select c.relname, i.indisunique, i.indimmediate from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname in ('di_pkey', 'di_pos_key', 'dd_pos_key', 'dp_pkey', 'dpi_pkey') order by 1;
select conname, pg_get_constraintdef(oid) from pg_constraint where conrelid in ('di'::regclass, 'dd'::regclass, 'dp'::regclass) order by conname;
select constraint_name, is_deferrable, initially_deferred from information_schema.table_constraints where table_name in ('di', 'dd', 'dp') and constraint_type in ('UNIQUE', 'PRIMARY KEY') order by constraint_name;
-- INITIALLY IMMEDIATE: checked at the statement's end.
update di set pos = pos + 1;
select id, pos from di order by id;
update di set pos = 2 where id = 3;
insert into di values (4, 2);
insert into di values (5, 10), (6, 10);
select id, pos from di order by id;
-- Autocommit: a deferred key's statement end is its commit.
insert into dd values (4, 1);
update dd set pos = pos + 1;
select id, pos from dd order by id;
-- Deferred: a duplicate lives until COMMIT, which fails with 23505 and rolls the block back.
begin;
insert into dd values (5, 2);
select id, pos from dd order by id;
commit;
select id, pos from dd order by id;
-- Resolved before COMMIT.
begin;
insert into dd values (5, 2);
update dd set pos = 20 where id = 5;
commit;
select id, pos from dd order by id;
-- The classic swap.
begin;
update dd set pos = 3 where id = 1;
update dd set pos = 2 where id = 2;
commit;
begin;
update dd set pos = case id when 1 then 3 when 3 then 2 else pos end where id in (1, 3);
select id, pos from dd order by id;
commit;
select id, pos from dd order by id;
-- SET CONSTRAINTS: IMMEDIATE checks what waits; DEFERRED defers an INITIALLY IMMEDIATE key.
begin;
insert into dd values (6, 3);
set constraints dd_pos_key immediate;
rollback;
begin;
set constraints all immediate;
insert into dd values (6, 3);
rollback;
begin;
set constraints di_pos_key deferred;
insert into di values (7, 3);
select count(*) from di where pos = 3;
delete from di where id = 7;
commit;
begin;
set constraints di_pos_key deferred;
insert into di values (7, 3);
commit;
set constraints plain_pos_key deferred;
begin;
set constraints plain_pos_key deferred;
rollback;
begin;
set constraints no_such_key deferred;
rollback;
-- A deferred PRIMARY KEY.
begin;
update dp set id = id + 1;
insert into dp values (2, 'c');
commit;
begin;
update dp set id = 3 - id;
commit;
select id, v from dp order by id;
-- Savepoints: a duplicate rolled back to its savepoint is gone at COMMIT.
begin;
savepoint s;
insert into dd values (7, 3);
rollback to s;
commit;
select id, pos from dd order by id;
-- Not an ON CONFLICT arbiter, not a referenced key.
insert into dd values (8, 1) on conflict (pos) do nothing;
insert into dd values (8, 1) on conflict do nothing;
create table refs_dd (x int references dd (pos));
create table refs_dp (x int references dp);
-- Added by ALTER TABLE, as pg_dump restores it.
create table late (id int, pos int);
insert into late values (1, 1), (2, 2);
alter table late add constraint late_pos_key unique (pos) deferrable initially deferred;
alter table late add constraint late_pkey primary key (id) deferrable;
update late set pos = pos + 1, id = id + 1;
select id, pos from late order by id;
select conname, condeferrable, condeferred from pg_constraint where conrelid = 'late'::regclass order by conname;
insert into late values (9, 9), (10, 9);
create table late2 (id int, pos int);
insert into late2 values (1, 1), (2, 1);
alter table late2 add constraint late2_pos_key unique (pos) deferrable;
-- A NULL key never collides.
insert into dd values (9, null), (10, null);
select count(*) from dd where pos is null;
