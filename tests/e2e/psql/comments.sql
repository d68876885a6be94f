-- COMMENT ON survives a restart and a crash (the comments are catalog entries, written and
-- rolled back with their statements), and psql's \d+ / \dt+ show them after each.
\unset QUIET
create table notes (id int primary key, body text, author text);
create schema archive;
create table archive.old_notes (id int);
comment on table notes is 'Notes users write';
comment on column notes.body is 'The text';
comment on constraint notes_pkey on notes is 'One id each';
comment on schema archive is 'Kept for reference';
begin;
comment on column notes.author is 'Rolled back';
rollback;
-- @restart
\unset QUIET
\d+ notes
select obj_description('notes'::regclass, 'pg_class') as table_comment,
       col_description('notes'::regclass, 3) as author_comment;
select c.conname, obj_description(c.oid, 'pg_constraint') from pg_constraint c
  where c.conrelid = 'notes'::regclass;
select obj_description('archive'::regnamespace, 'pg_namespace');
comment on table archive.old_notes is 'Old notes';
comment on table notes is 'Notes users write, edited';
-- @crash
\unset QUIET
select objoid::regclass, objsubid, description from pg_description
  where classoid = 'pg_class'::regclass and objoid >= 16384 order by objoid::regclass::text, objsubid;
drop table archive.old_notes;
drop schema archive;
comment on column notes.body is null;
-- @restart
\unset QUIET
select objoid::regclass, objsubid, description from pg_description
  where classoid = 'pg_class'::regclass and objoid >= 16384 order by objoid::regclass::text, objsubid;
select classoid::regclass, description from pg_description
  where classoid <> 'pg_class'::regclass and objoid >= 16384 order by 1, 2;
