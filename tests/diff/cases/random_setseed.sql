-- setseed() and random(): after setseed(x) random() draws PostgreSQL 15's own sequence (its
-- pg_prng, xoroshiro128** seeded through splitmix64), one per session; setseed's range check
-- (22023); pg_backend_pid()'s type. setseed returns void (tests/diff/cases/void_type.sql): the
-- queries cast it to text (void's output is empty).
-- @queries
select setseed(0.5)::text;
select random(), random();
select random();
select setseed(-1)::text;
select random();
select setseed(0)::text;
-- @ordered
select random() from generate_series(1, 3);
select setseed(1)::text, random();
select setseed(0.5)::text;
select random() < 0.99, random() < 0.83, random();
select setseed(-0.123456789)::text;
select round(random()::numeric, 6), pg_typeof(random());
select setseed(1.5);
select setseed(-1.0000001);
select setseed(-2);
select setseed('nan');
select setseed('infinity');
select setseed('-infinity');
select setseed(null) is null;
select setseed(0.75::real)::text, random();
select setseed(1::int)::text, random();
select random() >= 0 and random() < 1, pg_typeof(random());
select pg_backend_pid() > 0, pg_typeof(pg_backend_pid()), pg_backend_pid() = pg_backend_pid();
select count(distinct pg_backend_pid()) from generate_series(1, 5);
