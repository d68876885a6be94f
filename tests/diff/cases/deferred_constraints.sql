-- DEFERRABLE foreign keys: INITIALLY DEFERRED checked at COMMIT (23503 there, the block rolled
-- back), INITIALLY IMMEDIATE and SET CONSTRAINTS {ALL | name} {DEFERRED | IMMEDIATE} (pending
-- checks run at IMMEDIATE), NO ACTION deferred on the referenced side, RESTRICT and CASCADE never
-- deferred, rows that go away before COMMIT, savepoints, and the catalogs: pg_constraint's
-- condeferrable / condeferred, information_schema.table_constraints, pg_get_constraintdef.

-- @setup
create table p (id int primary key, code text unique);
insert into p values (1, 'a'), (2, 'b'), (3, 'c');

-- @queries
create table c (id int primary key, pid int references p deferrable initially deferred);
create table ci (id int primary key, pid int references p (id) deferrable initially immediate);
create table cn (id int primary key, pid int references p (id) deferrable);
create table cnd (id int primary key, pid int references p (id) not deferrable);
create table ct (id int primary key, pcode text, constraint ct_code_fk foreign key (pcode) references p (code) on delete cascade deferrable initially deferred);
create table cr (id int primary key, pid int, constraint cr_fk foreign key (pid) references p (id) on delete restrict deferrable initially deferred);
create table cbad (id int, pid int references p (id) initially deferred not deferrable);
select conname, condeferrable, condeferred from pg_constraint where contype = 'f' order by conname;
select conname, pg_get_constraintdef(oid) from pg_constraint where contype = 'f' order by conname;
select constraint_name, table_name, is_deferrable, initially_deferred from information_schema.table_constraints where constraint_type = 'FOREIGN KEY' order by constraint_name;
-- Autocommit: the statement's end is its commit.
insert into c values (1, 99);
insert into c values (1, 1);
-- Deferred: the bad row is accepted until COMMIT, which fails and rolls the block back.
begin;
insert into c values (2, 99);
select id, pid from c order by id;
commit;
select id, pid from c order by id;
-- Fixed before COMMIT: the parent arrives later in the block.
begin;
insert into c values (3, 4);
insert into p values (4, 'd');
commit;
select id, pid from c order by id;
-- The referencing row deleted or corrected before COMMIT leaves nothing to check.
begin;
insert into c values (4, 98);
delete from c where id = 4;
insert into c values (5, 97);
update c set pid = 2 where id = 5;
commit;
select id, pid from c order by id;
-- Immediate constraints fail at once.
begin;
insert into ci values (1, 99);
rollback;
begin;
insert into cn values (1, 99);
rollback;
-- SET CONSTRAINTS ALL DEFERRED defers a DEFERRABLE INITIALLY IMMEDIATE key.
begin;
set constraints all deferred;
insert into ci values (1, 99);
insert into cn values (1, 98);
update ci set pid = 1;
update cn set pid = 2;
commit;
select id, pid from ci order by id;
select id, pid from cn order by id;
-- SET CONSTRAINTS name IMMEDIATE runs that constraint's pending checks now.
begin;
insert into c values (6, 96);
set constraints c_pid_fkey immediate;
rollback;
begin;
insert into c values (6, 96);
set constraints all immediate;
rollback;
begin;
set constraints c_pid_fkey immediate;
insert into c values (6, 96);
rollback;
begin;
set constraints all immediate;
set constraints c_pid_fkey deferred;
insert into c values (6, 96);
delete from c where id = 6;
commit;
-- Names that are not deferrable, or not constraints.
begin;
set constraints cnd_pid_fkey deferred;
rollback;
begin;
set constraints p_pkey deferred;
rollback;
begin;
set constraints nosuch immediate;
rollback;
begin;
set constraints c_pid_fkey, cn_pid_fkey deferred;
insert into cn values (7, 95);
delete from cn where id = 7;
commit;
-- Outside a block: a warning and no effect.
set constraints all deferred;
insert into cn values (8, 94);
-- The referenced side: NO ACTION waits for COMMIT when deferred.
begin;
delete from p where id = 2;
insert into p values (2, 'b2');
commit;
select id, code from p order by id;
begin;
delete from p where id = 2;
commit;
select id, code from p order by id;
-- RESTRICT never waits; CASCADE acts at once.
insert into cr values (1, 3);
begin;
delete from p where id = 3;
rollback;
insert into ct values (1, 'a');
begin;
delete from p where id = 1;
select count(*) from ct;
rollback;
-- A savepoint rolled back takes its bad row with it.
begin;
savepoint s1;
insert into c values (9, 93);
rollback to savepoint s1;
insert into c values (10, 1);
commit;
select id, pid from c order by id;
-- A failed COMMIT leaves no block behind.
begin;
insert into c values (11, 92);
commit;
insert into c values (12, 1);
select id, pid from c order by id;
-- ALTER TABLE ... ADD CONSTRAINT ... DEFERRABLE.
create table ca (id int primary key, pid int);
alter table ca add constraint ca_fk foreign key (pid) references p (id) deferrable initially deferred;
select condeferrable, condeferred, pg_get_constraintdef(oid) from pg_constraint where conname = 'ca_fk';
begin;
insert into ca values (1, 91);
commit;
select count(*) from ca;
