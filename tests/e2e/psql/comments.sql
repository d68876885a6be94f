-- COMMENT ON survives a restart and a crash (the comments are catalog entries, written and
-- rolled back with their statements; a database's is in the global database list, applied at its
-- block's COMMIT), and psql's \d+ / \dt+ show them after each.
\unset QUIET
create table notes (id int primary key, body text, author text);
create schema archive;
create table archive.old_notes (id int);
comment on table notes is 'Notes users write';
comment on column notes.body is 'The text';
comment on constraint notes_pkey on notes is 'One id each';
comment on schema archive is 'Kept for reference';
comment on database postgres is 'Notes live here';
begin;
comment on column notes.author is 'Rolled back';
comment on database postgres is 'Rolled back too';
rollback;
-- @restart
\unset QUIET
select d.datname, t.spcname, shobj_description(d.oid, 'pg_database') as description
  from pg_database d join pg_tablespace t on d.dattablespace = t.oid where d.datname = 'postgres';
\d+ notes
select obj_description('notes'::regclass, 'pg_class') as table_comment,
       col_description('notes'::regclass, 3) as author_comment;
select c.conname, obj_description(c.oid, 'pg_constraint') from pg_constraint c
  where c.conrelid = 'notes'::regclass;
select obj_description('archive'::regnamespace, 'pg_namespace');
comment on table archive.old_notes is 'Old notes';
comment on table notes is 'Notes users write, edited';
begin;
comment on database postgres is 'Committed in a block';
commit;
-- @crash
\unset QUIET
select description from pg_shdescription s join pg_database d on d.oid = s.objoid
  where d.datname = 'postgres';
select objoid::regclass, objsubid, description from pg_description
  where classoid = 'pg_class'::regclass and objoid >= 16384 order by objoid::regclass::text, objsubid;
drop table archive.old_notes;
drop schema archive;
comment on column notes.body is null;
comment on database postgres is null;
-- @restart
\unset QUIET
select count(*) from pg_shdescription s join pg_database d on d.oid = s.objoid
  where d.datname = 'postgres';
select objoid::regclass, objsubid, description from pg_description
  where classoid = 'pg_class'::regclass and objoid >= 16384 order by objoid::regclass::text, objsubid;
select classoid::regclass, description from pg_description
  where classoid <> 'pg_class'::regclass and objoid >= 16384 order by 1, 2;
