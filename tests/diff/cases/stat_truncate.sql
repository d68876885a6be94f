-- TRUNCATE and the tuple counters of pg_stat_user_tables (PostgreSQL's pgstat_count_truncate):
-- a committed TRUNCATE starts n_live_tup and n_dead_tup over from the rows written after it, and
-- n_tup_ins / n_tup_upd / n_tup_del drop what the transaction wrote before it; a rolled-back one
-- counts what the transaction wrote before its first TRUNCATE. Counts are read after
-- pg_stat_force_next_flush() (see stat_views.sql). n_ins_since_vacuum is not compared: PostgreSQL
-- resets it at a TRUNCATE's flush, then adds the inserts of every transaction its backend had not
-- flushed yet, so its value depends on when the backend last flushed.
-- @setup
create table ts0 (id serial primary key, stuff text);
create table ts1 (id serial primary key, stuff text);
create table ts2 (id serial primary key, stuff text);
create table ts3 (id serial primary key, stuff text);
create table ts4 (id serial primary key, stuff text);
-- @queries
-- ts0: rows, then an autocommit TRUNCATE: live and dead start over.
insert into ts0 (stuff) values ('a'), ('b'), ('c');
update ts0 set stuff = 'x' where id = 1;
delete from ts0 where id = 2;
truncate ts0;
-- ts1: writes before and after a TRUNCATE in one committed block.
insert into ts1 (stuff) values ('a'), ('b'), ('c');
begin;
update ts1 set stuff = 'x' where id = 1;
delete from ts1 where id = 2;
truncate ts1;
insert into ts1 (stuff) values ('d'), ('e');
update ts1 set stuff = 'y' where stuff = 'd';
delete from ts1 where stuff = 'e';
commit;
-- ts2: a TRUNCATE in a block that rolls back.
insert into ts2 (stuff) values ('a'), ('b');
begin;
insert into ts2 (stuff) values ('c');
update ts2 set stuff = 'x' where id = 1;
truncate ts2;
insert into ts2 (stuff) values ('d'), ('e'), ('f');
rollback;
-- ts3: two TRUNCATEs in one block, rows between them and after.
begin;
insert into ts3 (stuff) values ('a'), ('b'), ('c');
truncate ts3;
insert into ts3 (stuff) values ('d');
truncate ts3;
insert into ts3 (stuff) values ('e'), ('f');
commit;
-- ts4: TRUNCATE ... RESTART IDENTITY, then new rows.
insert into ts4 (stuff) values ('a'), ('b');
truncate ts4 restart identity;
insert into ts4 (stuff) values ('c');
select pg_stat_force_next_flush()::text;
select relname, n_tup_ins, n_tup_upd, n_tup_del, n_live_tup, n_dead_tup, n_mod_since_analyze from pg_stat_user_tables where relname like 'ts_' order by relname;
select id, stuff from ts1 order by id;
select id, stuff from ts4 order by id;
select count(*) from ts2;
