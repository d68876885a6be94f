-- Joins of every kind: INNER, LEFT, RIGHT, FULL, CROSS; ON, USING, NATURAL; NULL keys, empty
-- sides, self joins, many-way joins, joins to subqueries and VALUES, LATERAL.

-- @setup
create table emp (id int primary key, name text, dept_id int, boss_id int, salary int);
create table dept (id int primary key, name text, city text);
create table proj (pid int primary key, dept_id int, title text);
create table empty_t (id int primary key, dept_id int);
create table nk (k int, v text);
create table nk2 (k int, w text);
insert into dept values (1, 'eng', 'oslo'), (2, 'ops', 'rome'), (3, 'hr', null), (4, 'void', 'lima');
insert into emp values (1, 'ann', 1, null, 100), (2, 'bob', 1, 1, 80), (3, 'cid', 2, 1, 90),
  (4, 'dan', 2, 3, 70), (5, 'eve', null, 1, 60), (6, 'fay', 5, 3, 50);
insert into proj values (10, 1, 'db'), (11, 1, 'net'), (12, 2, 'ops'), (13, null, 'idle'), (14, 7, 'lost');
insert into nk values (1, 'a'), (null, 'n1'), (2, 'b'), (null, 'n2'), (2, 'bb');
insert into nk2 values (1, 'x'), (null, 'y'), (2, 'z'), (3, 'q');
-- @queries

-- inner joins
select e.name, d.name from emp e join dept d on e.dept_id = d.id order by e.name;
select e.name, d.name from emp e inner join dept d on d.id = e.dept_id where d.city = 'oslo' order by 1;
select e.name, d.name from emp e, dept d where e.dept_id = d.id and e.salary > 75 order by e.id;
select count(*) from emp e join dept d on e.dept_id = d.id;
select e.name from emp e join dept d on e.dept_id = d.id and d.name = 'ops' order by 1;
select e.name, d.name from emp e join dept d on e.dept_id < d.id order by 1, 2;
select e.name, d.name from emp e join dept d on true order by 1, 2 limit 7;
select * from emp e join dept d on e.dept_id = d.id order by e.id;
select e.*, d.city from emp e join dept d on e.dept_id = d.id order by e.id;
select d.name, count(e.id) from dept d join emp e on e.dept_id = d.id group by d.name order by d.name;
select e.name, p.title from emp e join proj p on p.dept_id = e.dept_id order by 1, 2;
select e.name, d.name, p.title from emp e join dept d on e.dept_id = d.id join proj p on p.dept_id = d.id order by 1, 3;

-- left joins
select e.name, d.name from emp e left join dept d on e.dept_id = d.id order by e.name;
select e.name, d.name from emp e left outer join dept d on e.dept_id = d.id where d.id is null order by 1;
select d.name, e.name from dept d left join emp e on e.dept_id = d.id order by 1, 2;
select d.name, count(e.id) from dept d left join emp e on e.dept_id = d.id group by d.name order by 1;
select d.name, e.name from dept d left join emp e on e.dept_id = d.id and e.salary > 75 order by 1, 2;
select d.name, e.name from dept d left join emp e on e.dept_id = d.id where e.salary > 75 order by 1, 2;
select e.name, coalesce(d.name, '-') from emp e left join dept d on e.dept_id = d.id order by 1;
select d.name, p.title, e.name from dept d left join proj p on p.dept_id = d.id left join emp e on e.dept_id = d.id order by 1, 2, 3;
select e.name, b.name as boss from emp e left join emp b on e.boss_id = b.id order by e.id;
select e.name, d.name from emp e left join dept d on false order by 1;

-- right joins
select e.name, d.name from emp e right join dept d on e.dept_id = d.id order by 2, 1;
select d.name from emp e right outer join dept d on e.dept_id = d.id where e.id is null order by 1;
select p.title, d.name from dept d right join proj p on p.dept_id = d.id order by 1;
select count(*), count(e.id), count(d.id) from emp e right join dept d on e.dept_id = d.id;

-- full joins
select e.name, d.name from emp e full join dept d on e.dept_id = d.id order by 1, 2;
select e.name, d.name from emp e full outer join dept d on e.dept_id = d.id where e.id is null or d.id is null order by 1, 2;
select p.title, d.name from proj p full join dept d on p.dept_id = d.id order by 1, 2;
select count(*) from emp e full join dept d on e.dept_id = d.id;
select a.k, a.v, b.w from nk a full join nk2 b on a.k = b.k order by 1, 2, 3;
select coalesce(a.k, b.k) as k, a.v, b.w from nk a full join nk2 b on a.k = b.k order by 1, 2, 3;

-- cross joins
select d.name, p.title from dept d cross join proj p order by 1, 2;
select count(*) from emp cross join dept;
select count(*) from emp, dept, proj;
select a.id, b.id from dept a, dept b where a.id < b.id order by 1, 2;

-- USING and NATURAL
select * from nk join nk2 using (k) order by k, v, w;
select k, v, w from nk left join nk2 using (k) order by 1, 2;
select k, v, w from nk full join nk2 using (k) order by 1, 2, 3;
select * from nk natural join nk2 order by 1, 2, 3;
select * from nk natural left join nk2 order by 1, 2;
select * from nk natural full join nk2 order by 1, 2, 3;
select nk.k, nk2.k from nk join nk2 using (k) order by 1;
select count(*) from emp join proj using (dept_id);
select dept_id, name, title from emp join proj using (dept_id) order by 1, 2, 3;
select * from emp natural join empty_t;
select * from dept natural join nk;

-- NULL keys never match
select a.v, b.w from nk a join nk2 b on a.k = b.k order by 1;
select a.v, b.w from nk a join nk2 b on a.k is not distinct from b.k order by 1, 2;
select a.v from nk a left join nk2 b on a.k = b.k where b.k is null order by 1;

-- empty sides
select * from emp join empty_t on emp.id = empty_t.id;
select emp.name, empty_t.id from emp left join empty_t on emp.id = empty_t.id order by 1;
select emp.name, empty_t.id from empty_t right join emp on emp.id = empty_t.id order by 1;
select emp.name, empty_t.id from empty_t full join emp on emp.id = empty_t.id order by 1;
select count(*) from emp cross join empty_t;
select * from empty_t a join empty_t b on a.id = b.id;

-- self joins and many-way joins
select e.name, b.name, bb.name from emp e join emp b on e.boss_id = b.id left join emp bb on b.boss_id = bb.id order by e.id;
select a.name, b.name from emp a join emp b on a.salary < b.salary and a.dept_id = b.dept_id order by 1, 2;
select d.name, e.name, p.title from dept d join emp e on e.dept_id = d.id left join proj p on p.dept_id = d.id and p.title <> 'db' order by 1, 2, 3;
select e.name, d.name from emp e left join (dept d join proj p on p.dept_id = d.id and p.title = 'ops') on d.id = e.dept_id order by 1;
select x.name, y.name from (emp x left join dept y on x.dept_id = y.id) order by x.id;

-- joins to subqueries, VALUES, functions
select e.name, s.total from emp e join (select dept_id, sum(salary) as total from emp group by dept_id) s on s.dept_id = e.dept_id order by 1;
select v.a, d.name from (values (1, 'x'), (3, 'y'), (9, 'z')) as v(a, b) left join dept d on d.id = v.a order by 1;
select g, d.name from generate_series(1, 5) g left join dept d on d.id = g order by g;
select d.name, t.n from dept d join lateral (select count(*) as n from emp e where e.dept_id = d.id) t on true order by 1;
select d.name, t.name from dept d left join lateral (select name from emp e where e.dept_id = d.id order by salary desc limit 1) t on true order by 1;
select d.name, x from dept d, lateral (select d.id * 10 as x) l order by 1;

-- join conditions with expressions and types
select e.name, d.name from emp e join dept d on e.dept_id + 1 = d.id order by 1;
select e.name from emp e join dept d on e.dept_id = d.id and d.city like 'o%' order by 1;
select a.id, b.id from emp a join emp b on a.id = b.id * 2 order by 1;
select e.id, d.id from emp e join dept d on e.id::bigint = d.id::numeric order by 1;

-- errors in joins
select * from emp join dept on emp.dept_id = dept.nope;
select id from emp join dept on emp.dept_id = dept.id;
select * from emp join dept using (nope);
select * from emp e join dept e on true;
select * from emp join dept on emp.name;
select * from emp full join dept on emp.dept_id < dept.id;
