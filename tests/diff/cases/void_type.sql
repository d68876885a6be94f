-- The void pseudo-type (oid 2278): the result of the functions called for their effect. Its value
-- prints empty, pg_typeof names it, it casts to text as '' and from a literal or a string type
-- (void_in), never from another type; no column (table or view) may have it, nor an anonymous
-- record (42P16).
-- @queries
select setseed(0.5);
select pg_typeof(setseed(0.5));
select setseed(0.5)::text = '', length(setseed(0.5)::text);
select setseed(0.5) is null, setseed(null) is null;
select pg_stat_force_next_flush();
select pg_typeof(pg_stat_force_next_flush());
select pg_stat_force_next_flush()::text;
select 'x'::void;
select pg_typeof('x'::void), pg_typeof(null::void);
select 'abc'::text::void, 'abc'::varchar::void;
select 1::void;
select setseed(0.5)::int;
select format_type(2278, null), format_type('void'::regtype, -1);
select 'void'::regtype, 'void'::regtype::oid, 'pg_catalog.void'::regtype;
select typname, typlen, typbyval, typtype, typcategory, typarray from pg_type where oid = 2278;
select 'void[]'::regtype;
-- @sqlstate-only
select '_void'::regtype;
create table void_t (a void);
create table void_r (a record);
create view void_v as select setseed(0.5);
create view void_v2 as select row(1, 'a') as r;
create view void_v3 as select 1 as a, pg_stat_force_next_flush() as f;
select count(*) from pg_class where relname like 'void\_%';
create view void_ok as select 1 as a;
select * from void_ok;
