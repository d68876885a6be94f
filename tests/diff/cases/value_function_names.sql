-- The SQL value functions (CURRENT_DATE, LOCALTIMESTAMP, CURRENT_ROLE, USER, ...) are syntax in
-- PostgreSQL 15, not functions: written quoted as a call, no function has the name (42883);
-- current_user, session_user and current_schema are functions of pg_proc too. A 42883 names
-- the function as written, with its schema.

-- @queries
select "current_date"();
select "current_timestamp"();
select "localtime"();
select "localtimestamp"();
select "current_role"();
select "user"();
select "current_catalog"();
select pg_catalog."current_date"();
select "current_date"(1);
select "current_timestamp"(2);
select "current_user"() = current_user, "session_user"() = session_user, "current_schema"() = current_schema;
select current_date = current_date, current_role = current_user, user = current_user, current_catalog = current_database();
select pg_catalog.nosuch(1);
select public.nosuch(1, 'a');
select pg_catalog.nosuch();
select pg_catalog.lower(1);
select pg_catalog.sum('a'::text);
select pg_catalog.nosuch(nosuch(1));
select nosuch(pg_catalog.nosuch(1));
select pg_catalog.lower(pg_catalog.nosuch(1.5));
select pg_catalog.lower('ABC'), pg_catalog.count(*) from (values (1)) v(x);
select pg_catalog.row_number(1) over ();
