-- COMMENT ON DATABASE: pg_shdescription (classoid pg_database), shobj_description and
-- obj_description, initdb's comment on postgres, removal (NULL and ''), a missing database (a
-- WARNING only), READ ONLY; and what psql's \l+ reads beside it: pg_tablespace,
-- has_database_privilege, pg_database_size.
-- Each file has a database of its own whose name differs between the servers, so the comments go
-- on postgres (the same text on both, restored at the end: a self-test's two sessions share it).

-- @queries
select shobj_description(oid, 'pg_database') from pg_database where datname = 'postgres';
select s.classoid, s.classoid::regclass, s.description from pg_shdescription s join pg_database d on d.oid = s.objoid where d.datname = 'postgres';
comment on database postgres is 'The main database';
select shobj_description(oid, 'pg_database'), obj_description(oid, 'pg_database'), obj_description(oid) from pg_database where datname = 'postgres';
select shobj_description(oid, 'pg_authid') from pg_database where datname = 'postgres';
select shobj_description(oid, 'no_such_catalog') from pg_database where datname = 'postgres';
select shobj_description(0, 'pg_database');
select s.description from pg_shdescription s join pg_database d on d.oid = s.objoid where d.datname = 'postgres';
comment on database postgres is E'Two\nlines';
select shobj_description(oid, 'pg_database') from pg_database where datname = 'postgres';
comment on database postgres is '';
select count(*) from pg_shdescription s join pg_database d on d.oid = s.objoid where d.datname = 'postgres';
select shobj_description(oid, 'pg_database') is null from pg_database where datname = 'postgres';
comment on database postgres is 'again';
comment on database postgres is null;
select count(*) from pg_shdescription s join pg_database d on d.oid = s.objoid where d.datname = 'postgres';
comment on database no_such_database is 'x';
comment on database current_database is 'x';

-- Not in a READ ONLY transaction. (Blocks holding a COMMENT ON DATABASE are in
-- engine/comment_test.cc: a self-test's two sessions would wait for each other's lock on postgres.)
begin read only;
comment on database postgres is 'read only';
rollback;

-- What psql's \l+ joins and calls.
select oid, spcname, pg_get_userbyid(spcowner), spcacl is null, spcoptions from pg_tablespace order by oid;
select d.datname, t.spcname from pg_database d join pg_tablespace t on d.dattablespace = t.oid where d.datname = 'postgres';
select has_database_privilege('postgres', 'CONNECT'), has_database_privilege('postgres', 'create, temp'), has_database_privilege('postgres', 'TEMPORARY WITH GRANT OPTION');
select has_database_privilege(oid, 'connect') from pg_database where datname = 'postgres';
select has_database_privilege(0::oid, 'connect');
select has_database_privilege('no_such_database', 'connect');
select has_database_privilege('postgres', 'select');
select has_database_privilege(current_user, 'postgres', 'connect');
select has_database_privilege('no_such_role', 'postgres', 'connect');
select pg_database_size('postgres') > 0, pg_database_size(oid) > 0 from pg_database where datname = 'postgres';
select pg_database_size(0::oid);
select pg_database_size('no_such_database');
select pg_size_pretty(pg_database_size('postgres')) like '% %';

comment on database postgres is 'default administrative connection database';
select shobj_description(oid, 'pg_database') from pg_database where datname = 'postgres';
