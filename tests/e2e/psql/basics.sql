-- The issue's scenario: one table through its whole life.
\unset QUIET
create table t(a int primary key, b text);
insert into t values (1, 'x'), (2, null);
select * from t order by a;
update t set b = 'y' where a = 2;
select * from t order by a;
delete from t where a = 1;
select * from t order by a;
select count(*) from t;
insert into t values (3, 'three'), (4, 'four'), (5, null), (6, 'six');
select a, b from t where a > 2 and b is not null order by a;
select a from t where a = 2 or a = 5 order by a;
select a from t where not (a > 3) order by a;
select a from t where b is null order by a;
select a, a * 10 + 1 as calc, a - 7 as neg, a / 2 as half, a % 4 as rem from t order by a;
select a, b || '!' as shout, 'id-' || a as label from t order by a;
select a from t order by a desc;
select a from t order by a limit 2;
select a from t order by a limit 2 offset 1;
select a from t order by a offset 3;
update t set b = b || b where a >= 3;
select * from t order by a;
delete from t where b is null;
select * from t order by a;
select count(*) from t;
drop table t;
