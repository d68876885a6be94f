-- NULLIF(a, b) evaluates a once (PostgreSQL's NullIfExpr), also under the casts its `=`
-- operator adds (NULLIF(int, numeric) is numeric): a volatile a is called once per row.

-- @setup
create sequence nf_seq;
create table nf (id int primary key, x int);
insert into nf values (1, 10), (2, 20), (3, 30);

-- @queries
select nullif(nextval('nf_seq'), 0);
select currval('nf_seq');
select nullif(nextval('nf_seq'), 2.5), nullif(nextval('nf_seq'), 3.0);
select pg_typeof(nullif(x, 2.5)) from nf where id = 1;
select currval('nf_seq');
select nullif(nextval('nf_seq'), 5);
select currval('nf_seq');
select nullif(nextval('nf_seq')::int, 7::int8), nullif(nextval('nf_seq')::text, '99');
select currval('nf_seq');
select id, nullif(nextval('nf_seq') - nextval('nf_seq'), 5) from nf order by id;
select currval('nf_seq');
select id, nullif(x + nextval('nf_seq')::int, 0) from nf order by id;
select currval('nf_seq');
select nullif(nextval('nf_seq')::float8, 0::float4), nullif(nextval('nf_seq')::int2, 0::int8);
select currval('nf_seq');
select setseed(0.5)::text;
select nullif(random(), -1);
select random();
select nullif(x, 20), nullif(x, 20.0), nullif(x::text, '20'), nullif(null::int, 1), nullif(x, null) from nf order by id;
select nullif(date '2024-01-01' + x, timestamp '2024-01-11'), pg_typeof(nullif(date '2024-01-01' + x, timestamp '2024-01-11')) from nf order by id;
select sum(nullif(x, 20)), nullif(sum(x), 60) from nf;
prepare nf_p(int) as select nullif($1 + nextval('nf_seq')::int, 0) - currval('nf_seq');
execute nf_p(5);
execute nf_p(6);
