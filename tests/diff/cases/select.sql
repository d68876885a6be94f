-- SELECT's own clauses: select lists and aliases, column naming, WHERE, ORDER BY (expressions,
-- ordinals, aliases, NULLS FIRST/LAST, DESC), LIMIT / OFFSET, FETCH FIRST ... ONLY / WITH TIES,
-- DISTINCT, VALUES lists, FROM-less selects, SELECT ... FOR UPDATE.

-- @setup
create table p (id int primary key, cat text, price numeric(8, 2), qty int);
insert into p values (1, 'b', 9.99, 3), (2, 'a', 5.00, null), (3, 'b', 20.50, 1), (4, null, 5.00, 7),
  (5, 'c', null, 2), (6, 'a', 1.25, 3), (7, 'c', 9.99, 0), (8, 'b', 5.00, 5);
-- @queries
select 1;
select 1 as one, 'two' as "Two", 3.0 "three";
select id, price * qty as total from p order by id;
select p.* from p order by 1;
select *, id * 2 from p order by id;
select id + 1, -id, price, price::int, qty is null from p order by id;
select count(*) from p where price = 5.00;
select id from p where cat = 'b' and qty > 1 or id = 7 order by id;
select id from p where not (cat = 'b') order by id;
select id from p where cat is null or price is null order by id;
select id from p where price between 5 and 10 order by id;
select id from p where cat in ('a', 'c') order by id;
select id from p where cat not in ('a', 'c') order by id;
select id from p where id = 3;
select id from p where id > 2 and id <= 5 order by id;
select id from p where id in (1, 3, 99) order by id;
select id, cat from p order by cat, id;
select id, cat from p order by cat desc, id;
select id, cat from p order by cat nulls first, id;
select id, cat from p order by cat desc nulls last, id;
select id, price from p order by price, id desc;
select id, price from p order by price desc nulls first, id;
select id, qty from p order by qty * -1, id;
select id, price * qty as t from p order by t nulls first, id;
select id, cat from p order by 2, 1;
select id from p order by cat || id::text;
select id from p order by id limit 3;
select id from p order by id limit 3 offset 2;
select id from p order by id offset 6;
select id from p order by id limit 0;
select id from p order by id limit null;
select id from p order by id offset 100;
select id from p order by id fetch first 2 rows only;
select id from p order by id offset 1 row fetch next 1 row only;
-- Which of the tied rows come first is PostgreSQL's unstable sort's choice.
-- @unordered
select id, price from p order by price fetch first 2 rows with ties;
select id, price from p order by price desc nulls last fetch first 1 rows with ties;
select count(*) from (select id from p order by id limit 5) s;
select distinct cat from p order by cat;
select distinct cat, price from p order by cat, price;
select distinct price from p order by price nulls first;
select count(distinct price), count(distinct cat) from p;
select * from (values (1, 'a'), (2, null), (3, 'c')) v(n, s) order by n;
values (1, 'x'), (2, 'y');
values (1), (2) order by 1 desc;
values (1, 2.5), (2, 3);
select column1, column2 from (values (1, 'q')) v;
select 'a' || 'b', 2 + 3, 7 / 2.0, null, true;
select id from p where id = 1 for update;
select id from p where id = 2 for share;
select id from p order by id for update skip locked;
select p.id from p as p where p.id < 3 order by p.id;
select t.id from p t where t.qty = 3 order by 1;
select id as "ID", price as "Price Tag" from p where id = 1;
select upper(cat), lower('ABC'), length(cat) from p where id = 1;
select sum(qty) as total, max(price) from p;
select id from p where qty = (2 + 1) order by id;
select id, case when qty > 2 then 'many' when qty > 0 then 'few' else 'none' end from p order by id;
select id, coalesce(cat, '?'), coalesce(price, 0) from p order by id;
select id, nullif(qty, 3) from p order by id;
select id from p where price <> 5 order by id;
select id from p where price != 5 order by id;
select id from p order by id desc limit 2;
select id, qty from p where qty >= all (select qty from p where qty is not null);
select 1 from p where false;
select count(*) from p where true;
select id from p where cat like 'b%' order by id;
-- DISTINCT ON: the first row of each group in ORDER BY order.
select distinct on (cat) cat, id from p order by cat, id;
select distinct on (cat) cat, id, price from p order by cat, price desc nulls last, id;
select distinct on (cat) id from p order by cat, id desc;
select distinct on (price) price, id from p order by price nulls first, id;
select distinct on (1) cat, id from p order by 1, 2;
select distinct on (cat, price) cat, price, id from p order by cat, price, id;
select distinct on (price, cat) cat, price, id from p order by cat, price, id;
select distinct on (qty % 2) qty % 2 as parity, id from p order by qty % 2, id;
select distinct on (qty % 2) id from p order by qty % 2 nulls first, id desc;
select distinct on (upper(cat)) upper(cat), id from p order by upper(cat), id;
select distinct on (cat) cat, id from p order by cat, id limit 2;
select distinct on (cat) cat, id from p order by cat, id offset 1 limit 2;
select distinct on (cat) cat from p;
select distinct on (cat, id) cat, id from p order by cat;
select distinct on (p.cat) p.cat, q.id from p join p q on q.cat = p.cat and q.id <> p.id order by p.cat, q.id;
select distinct on (cat is null) cat, sum(qty) from p group by cat order by cat is null, sum(qty) desc;
select * from (select distinct on (cat) cat, id from p order by cat, id desc) s order by id;
with d as (select distinct on (cat) cat, price from p order by cat, price desc nulls last, id) select * from d order by cat nulls first;
select distinct on (cat) cat, id, row_number() over (order by id) from p order by cat, id;
select distinct on (a) a, b from (values (1, 'x'), (1, 'y'), (2, 'z'), (null, 'n'), (null, 'm')) v(a, b) order by a, b;
select distinct on (n) n, k from (values (1.0, 1), (1.00, 2), (2, 3)) v(n, k) order by n, k;
explain (costs off) select distinct on (cat) cat, id from p order by cat, id;
select distinct on (cat) cat, id from p order by id;
select distinct on (id) cat, id from p order by cat, id;
select distinct on (3) cat, id from p;
select distinct on (cat) cat from p order by cat for update;
-- FETCH FIRST ... WITH TIES: the rows tied with the last one on the ORDER BY keys.
select price from p order by price fetch first 3 rows with ties;
select cat from p order by cat nulls first fetch first 1 row with ties;
select cat from p order by cat fetch first 2 rows with ties;
select cat from p order by cat offset 2 rows fetch first 1 row with ties;
select cat from p order by cat offset 1 fetch next 2 rows with ties;
select price from p order by price fetch first 0 rows with ties;
select id % 3 from p order by id % 3 fetch first 3 rows with ties;
-- @unordered
select id from p order by qty nulls first fetch first 5 rows with ties;
select id from p order by price desc nulls last fetch first 1 row with ties;
select id from p order by id fetch first row only;
select distinct cat from p order by cat fetch first 2 rows with ties;
select distinct on (cat) cat, id from p order by cat, id fetch first 2 rows with ties;
select cat from p union all select 'a' order by 1 fetch first 2 rows with ties;
select count(*) from (select cat from p order by cat fetch first 3 rows with ties) s;
explain (costs off) select cat from p order by cat fetch first 2 rows with ties;
select id from p fetch first 2 rows with ties;
select id from p order by id fetch first null rows with ties;
select id from p order by id fetch first -1 rows with ties;
-- A CASE column is named after its ELSE branch when that has a name of its own (PostgreSQL's
-- FigureColnameInternal), else "case".
select case when id > 1 then id else qty end, case when id > 1 then 1 else 2 end, case when id > 1 then cat end from p order by 1 limit 2;
select case id when 1 then 'x' else upper(cat) end, case when true then 1 else id::text::int end, case when true then 1 else 1::int end, nullif(id, 2) from p order by 1 limit 2;
select case when id > 0 then 1 else (select 1) end, case when id > 0 then 1 else (select qty from p limit 1) end from p order by 1 limit 1;
