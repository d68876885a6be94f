-- The statistics views: pg_stat_activity, pg_locks, pg_stat_{all,user,sys}_tables,
-- pg_statio_{all,user,sys}_tables, pg_stat_database, and pg_cancel_backend /
-- pg_terminate_backend. What is deterministic: the columns (names and types; client_addr and the
-- xid columns are text in SQLRite and compared cast to text), this session's own row and locks,
-- and the tuple counters after known DML. PostgreSQL's counters reach the views when a session
-- flushes them (asynchronously): every count below is read after pg_stat_force_next_flush()
-- (void there, cast to text) made the statement before it flush. Scan counts depend on plans
-- and are compared only as "some".
-- @setup
create table t (id int primary key, v text);
create table u (a int, b int);
create table w (id bigint primary key, n numeric, d date);
-- @queries
select datid, datname, pid, leader_pid, usesysid, usename, application_name, client_hostname, client_port, backend_start, xact_start, query_start, state_change, wait_event_type, wait_event, state, query_id, query, backend_type from pg_stat_activity where false;
select client_addr::text, backend_xid::text, backend_xmin::text from pg_stat_activity where false;
select locktype, database, relation, page, tuple, virtualxid, classid, objid, objsubid, virtualtransaction, pid, mode, granted, fastpath, waitstart from pg_locks where false;
select transactionid::text from pg_locks where false;
select * from pg_stat_all_tables where false;
select * from pg_stat_user_tables where false;
select * from pg_stat_sys_tables where false;
select * from pg_statio_all_tables where false;
select * from pg_statio_user_tables where false;
select * from pg_statio_sys_tables where false;
select * from pg_stat_database where false;
-- This session as it sees itself.
select datname = current_database(), usename = current_user, state, query, backend_type, wait_event_type, wait_event, leader_pid, query_id, backend_xid::text from pg_stat_activity where pid = pg_backend_pid();
select count(*) from pg_stat_activity where pid = pg_backend_pid() and backend_type = 'client backend';
select xact_start = query_start, backend_start <= query_start, state_change >= backend_start from pg_stat_activity where pid = pg_backend_pid();
select usesysid = (select oid from pg_roles where rolname = current_user), datid = (select oid from pg_database where datname = current_database()) from pg_stat_activity where pid = pg_backend_pid();
select pid = pg_backend_pid(), state, query from pg_stat_activity where pid = pg_backend_pid();
select count(*) >= 1 from pg_stat_activity where backend_type = 'client backend' and state = 'active';
select locktype, relation::regclass, virtualxid is not null, transactionid::text, mode, granted, fastpath, waitstart from pg_locks where pid = pg_backend_pid() order by 1;
select virtualxid = virtualtransaction from pg_locks where pid = pg_backend_pid() and locktype = 'virtualxid';
select numbackends >= 1 from pg_stat_database where datname = current_database();
select datid, datname, numbackends, checksum_failures, checksum_last_failure, stats_reset from pg_stat_database where datid = 0;
select count(*) from pg_stat_database where datname = current_database();
-- Inside a block that wrote: a transaction id, held as PostgreSQL's transactionid lock.
-- (PostgreSQL reads pg_stat_activity once per transaction: the block writes before it looks.)
begin;
insert into t values (100, 'in block');
select state, backend_xid is not null from pg_stat_activity where pid = pg_backend_pid();
select locktype, mode, granted, fastpath from pg_locks where pid = pg_backend_pid() and locktype in ('virtualxid', 'transactionid') order by 1;
select count(*) from pg_locks l join pg_stat_activity a on a.pid = l.pid where l.locktype = 'transactionid' and l.transactionid::text = a.backend_xid::text and a.pid = pg_backend_pid();
select count(*) from pg_locks where pid = pg_backend_pid() and locktype = 'virtualxid' and virtualxid = (select virtualtransaction from pg_locks where pid = pg_backend_pid() and locktype = 'transactionid');
rollback;
select backend_xid::text from pg_stat_activity where pid = pg_backend_pid();
-- The tuple counters after known DML (the rolled-back insert above counts as PostgreSQL's does).
-- @setup
insert into t values (1, 'a'), (2, 'b'), (3, 'c');
insert into u select g, g from generate_series(1, 10) g;
update t set v = 'x' where id = 1;
delete from t where id = 3;
update u set b = b + 1;
delete from u where a > 8;
begin;
insert into t values (10, 'z');
rollback;
insert into w values (1, 1.5, '2024-01-01');
update w set id = 2;
select pg_stat_force_next_flush()::text;
-- @queries
select relname, n_tup_ins, n_tup_upd, n_tup_del, n_tup_hot_upd, n_live_tup, n_dead_tup, n_mod_since_analyze, n_ins_since_vacuum from pg_stat_user_tables order by relname;
select relname, n_tup_ins, n_live_tup from pg_stat_all_tables where schemaname = 'public' order by relname;
select relname, idx_scan > 0, idx_tup_fetch > 0 from pg_stat_user_tables where relname = 't';
select relname, seq_scan > 0, seq_tup_read > 0, idx_scan, idx_tup_fetch from pg_stat_user_tables where relname = 'u';
select relname, vacuum_count, autovacuum_count, analyze_count, autoanalyze_count, last_vacuum, last_autovacuum, last_analyze, last_autoanalyze from pg_stat_user_tables order by relname;
select count(*) from pg_stat_sys_tables where schemaname = 'public';
select count(*) > 0 from pg_stat_sys_tables where schemaname = 'pg_catalog';
select count(*) from pg_stat_user_tables where schemaname <> 'public';
select relid = 't'::regclass from pg_stat_user_tables where relname = 't';
select schemaname, relname, heap_blks_read >= 0, heap_blks_hit >= 0, idx_blks_read >= 0, idx_blks_hit >= 0, toast_blks_read >= 0, toast_blks_hit >= 0, tidx_blks_read >= 0, tidx_blks_hit >= 0 from pg_statio_user_tables order by relname;
select relname, idx_blks_read is null, toast_blks_read is null, tidx_blks_hit is null from pg_statio_all_tables where schemaname = 'public' order by relname;
-- A schema's table is a user table.
-- @setup
create schema s;
create table s.k (x int);
insert into s.k values (1), (2);
delete from s.k where x = 1;
select pg_stat_force_next_flush()::text;
-- @queries
select schemaname, relname, n_tup_ins, n_tup_del, n_live_tup, n_dead_tup, idx_scan from pg_stat_user_tables where schemaname = 's';
-- Signals: a pid that is no session, a negative timeout, this session's own statement.
select pg_cancel_backend(999999);
select pg_terminate_backend(999999);
select pg_terminate_backend(999999, 0);
select pg_terminate_backend(1, -1);
select pg_cancel_backend(pg_backend_pid());
select pg_typeof(pg_cancel_backend(0)), pg_typeof(pg_terminate_backend(0));
select 1;
-- pg_stat_activity.query keeps a long statement's first 1023 bytes (track_activity_query_size),
-- cut at a character boundary.
select length(query), octet_length(query) from pg_stat_activity where pid = pg_backend_pid() and 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' <> '';
select length(query), octet_length(query) from pg_stat_activity where pid = pg_backend_pid() and 'éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé' <> '';
