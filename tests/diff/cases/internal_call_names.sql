-- The names of the transformer's own calls (COLLATE, ROWS FROM, subscripts, ARRAY[...],
-- op ANY/ALL, operators) written quoted as function names: no function has them (42883).

-- @setup
create table icn (id int primary key, t text, a int[]);
insert into icn values (1, 'x', array[1, 2]);
-- @queries
select * from "ROWS FROM"(1, 2);
select * from "ROWS FROM"(generate_series(1, 2), 1);
select * from "ROWS FROM"(generate_series(1, 2));
select "ROWS FROM"(1);
select * from rows from ("ROWS FROM"(1), generate_series(1, 2));
select "COLLATE xyz"('a');
select "COLLATE C"('a'::text);
select "COLLATE default"(t) from icn;
select * from icn order by "COLLATE C"(t);
select "[]"(array[1, 2], 1);
select "[]"(a, 1) from icn;
select "[:]"(array[1, 2], 1, 2);
select "array"(1, 2);
select "= ANY"(1, array[1]);
select "< ALL"(1, array[1]);
select "->"('{}'::json, 'a');
select "|/"(4.0);
select "^"(2, 3);
select "information_schema._pg_expandarray"(array[1]);
select a[1], a[1:2], t collate "C", array[id], id = any(a), id < all(a), 2 ^ 3 from icn;
select * from rows from (generate_series(1, 2), generate_series(1, 3)) as g(x, y) order by x;
select (information_schema._pg_expandarray('{3, 4}'::int2[])).n;
