-- boolean: input spellings, output, three-valued logic, IS [NOT] TRUE/FALSE/UNKNOWN, casts,
-- ordering, aggregates, errors.

-- @setup
create table bo (id int primary key, b boolean);
insert into bo values (1, true), (2, false), (3, null), (4, 't'), (5, 'off');
-- @queries
select 't'::bool, 'f'::bool, 'yes'::bool, 'no'::bool, 'on'::bool, 'off'::bool, '1'::bool, '0'::bool, ' TRUE '::bool, 'y'::bool, 'of'::bool;
select 'maybe'::bool;
select ''::bool;
select 'o'::bool;
select true and null, false and null, true or null, false or null, not null::bool;
select null::bool is true, null::bool is not true, null::bool is unknown, false is false, true is not false;
select b, b is true, b is not false, b is unknown from bo order by id;
select id from bo where b order by id;
select id from bo where not b order by id;
select id from bo where b is not true order by id;
select id, b from bo order by b, id;
select id, b from bo order by b desc nulls last, id;
select count(*) filter (where b), count(b), bool_and(b), bool_or(b) from bo;
select b::text, b::int from bo order by id;
select true < false, true > false, true = 't', greatest(true, false), least(true, false);
select 1 = 1 and 2 = 2, 1 = 2 or null, (1 < 2) = true;
select case when null then 'x' else 'y' end, coalesce(null::bool, false);
select 'true'::text::bool, 'false'::varchar::boolean;
select 1 and true;
select 'abc'::text::bool;
select true + 1;
select pg_typeof(true), pg_typeof(1 = 1), pg_typeof(null::bool);
select not true, not not false, not (1 > 2);
select b, count(*) from bo group by b order by b;
select true is distinct from null, null::bool is distinct from null;
