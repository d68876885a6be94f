-- Row locking clauses: SELECT ... FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE [OF ...]
-- [NOWAIT | SKIP LOCKED] as one session sees them (their answers, and PostgreSQL's parse-analysis
-- and planner refusals). What they lock across sessions: tests/e2e/isolation.py.

-- @setup
create table rl (id int primary key, v int, note text);
create table rl2 (id int primary key, rl_id int);
insert into rl values (1, 10, 'a'), (2, 20, 'b'), (3, 30, null);
insert into rl2 values (1, 1), (2, 2);
-- @queries
select * from rl where id = 1 for update;
select id, v from rl order by id for share;
select v from rl where v > 15 order by v for no key update;
select id from rl order by id for key share;
select id from rl order by id limit 1 for update nowait;
select id from rl order by id limit 2 for update skip locked;
select rl.id, rl2.id from rl join rl2 on rl.id = rl2.rl_id order by 1 for update;
select rl.id from rl join rl2 on rl.id = rl2.rl_id order by 1 for update of rl;
select x.id from rl as x order by 1 for update of x;
select y.id from rl as x, rl2 as y order by 1 for share of y for update of x;
select * from (select id from rl) s order by 1 for update;
select 1 for update;
select rl.id from rl left join rl2 on rl.id = rl2.rl_id order by 1 for update of rl;
-- refusals
select count(*) from rl for update;
select distinct v from rl for update;
select v from rl group by v for share;
select v from rl group by v having v > 0 for update;
select id from rl union select id from rl2 for update;
select id from rl intersect select id from rl2 for key share;
select row_number() over () from rl for update;
select generate_series(1, 2) from rl for update;
select rl.id from rl left join rl2 on rl.id = rl2.rl_id for update;
select rl.id from rl right join rl2 on rl.id = rl2.rl_id for update of rl;
select rl.id from rl full join rl2 on rl.id = rl2.rl_id for share;
select * from rl for update of nope;
select * from rl as x for update of rl;
select * from rl, generate_series(1, 2) g for update of g;
select * from rl for update of public.rl;
select nope from rl for update;
