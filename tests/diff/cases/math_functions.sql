-- Math functions and operators (issue 9): GREATEST / LEAST and their type resolution, ^ |/ ||/ @
-- and % for numeric, power with fractional exponents, ln / log / log10 / exp in float8 and
-- numeric, div, mod, gcd / lcm, factorial, scale / min_scale / trim_scale, width_bucket, the
-- rounding family, the trigonometric functions in radians and degrees, the hyperbolic ones, and
-- their errors (22012, 2201E, 2201F, 2201G, 22003).

-- @setup
create table mf (id int primary key, i int, b bigint, n numeric, f float8, t text, d date);
insert into mf values
  (1, 3, 30, 1.50, 0.5, 'pear', '2024-03-01'),
  (2, -7, null, 2.250, -1.25, 'apple', '2023-12-31'),
  (3, null, 10, null, 8, null, null),
  (4, 12, -4, -0.5, null, 'fig', '2024-01-15');
-- @queries
select greatest(1, 2, 3), least(1, 2, 3), greatest(3), least(null, 2);
select greatest(1, 2.5), pg_typeof(greatest(1, 2.5)), least(1, 2.5::float8), pg_typeof(least(1, 2.5::float8));
select greatest('a', 'b', 'ab'), least('b', 'a'), pg_typeof(greatest('a', 'b'));
select greatest('a', 1);
select greatest(1, 'x'::text);
select least(1, true);
select greatest(null, null), least(null::int, null), pg_typeof(greatest(null, null));
select greatest(1::smallint, 2::bigint), pg_typeof(greatest(1::smallint, 2::bigint));
select greatest(date '2024-01-01', date '2023-05-06'), least(timestamp '2024-01-01 10:00', date '2024-01-01');
select greatest(array[1, 2], array[1, 3]), least(array[2], array[1, 5]);
select greatest('NaN'::float8, 1), least('NaN'::numeric, 1), greatest('-infinity'::float8, -1e308);
select id, greatest(i, b, n), least(i, b, n) from mf order by id;
select id, greatest(t, 'c'), least(d, date '2024-01-01') from mf order by id;
select greatest(i, 0) as g from mf order by g;
select greatest('{"a":1}'::json, '{}'::json);
select greatest('{"a":1}'::jsonb, '{}'::jsonb), least('[1]'::jsonb, '2'::jsonb);
select count(*) from mf where greatest(i, 5) > 5;
select 2 ^ 10, pg_typeof(2 ^ 10), 2.0 ^ 10, pg_typeof(2.0 ^ 10);
select 2 ^ 0.5, 2.0 ^ 0.5, 4.0 ^ 0.5, 10.0 ^ -2, 2 ^ -1;
select (-8) ^ (1.0 / 3);
select (-8.0) ^ 0.5;
select 0 ^ -1;
select 0.0 ^ -1;
select 0.0 ^ 0.5, 0 ^ 0, 0.0 ^ 0, 1.5 ^ 2.5, 1.0001 ^ 10000.5;
select 10 ^ 400;
select 10.0 ^ 400 > 0;
select 'NaN'::numeric ^ 0, 1 ^ 'NaN'::numeric, 'Infinity'::float8 ^ 2, 2 ^ '-Infinity'::float8;
select power(2, 3), power(2.0, 0.5), pow(9, 0.5), power(8.0, 1.0/3);
select |/ 16, |/ 2.0, ||/ 27, ||/ -8, @ -5, @ -5.5, @ 3::smallint, pg_typeof(@ -5.5);
select |/ -1;
select @ 'x'::text;
select ~ 5, ~ -1::bigint;
select 7.5 % 2, -7.5 % 2, 7 % -3, 10.00 % 3, pg_typeof(7.5 % 2);
select 1.5 % 0;
select mod(7.5, 2), mod(-7, 3), div(7.5, 2), div(-7, 2), div(7, -2.5);
select div(1, 0);
select ln(2), ln(2.0), ln(10.0), ln(0.5), ln(1.0), ln(1), ln(100000000000000000000.0);
select ln(0);
select ln(-1.5);
select ln(0.0);
select log(100), log(100.0), log(2.0), log10(1000), log10(0.001), log(2, 8), log(2.0, 1024), log(10, 5);
select log(1, 10);
select log(0, 10);
select log(-2.0, 10);
select log(0.5::float8);
select exp(1), exp(1.0), exp(0), exp(0.0), exp(-1.0), exp(10.5), exp(100.0), exp(-100.0);
select exp(1000);
select exp(7000.0);
select exp(-7000.0) = 0;
select ln('NaN'::numeric), ln('Infinity'::numeric), exp('-Infinity'::numeric), exp('NaN'::float8);
select factorial(0), factorial(1), factorial(5), factorial(20), factorial(25), pg_typeof(factorial(5));
select factorial(-1);
select factorial(40000);
select gcd(12, 18), gcd(-12, 18), gcd(0, 0), gcd(12::bigint, 0), lcm(4, 6), lcm(-4, 6), lcm(0, 5);
select gcd(1.5, 0.9), gcd(12.00, 8), lcm(1.5, 0.9), lcm(0.0, 3), gcd('NaN'::numeric, 1);
select gcd(-2147483648, 0);
select lcm(2147483647, 2147483646);
select scale(1.50), scale(10), scale(0.000), scale('NaN'::numeric), min_scale(1.500), min_scale(0.00), min_scale(100), min_scale(12.345000);
select trim_scale(1.500), trim_scale(10.0), trim_scale(0.000), trim_scale(-3.14000), trim_scale('Infinity'::numeric);
select width_bucket(5.35, 0.024, 10.06, 5), width_bucket(0, 0, 10, 5), width_bucket(10, 0, 10, 5), width_bucket(-1, 0, 10, 5);
select width_bucket(5.35::float8, 0.024, 10.06, 5), width_bucket(7, 10, 0, 4), width_bucket(10.0, 10, 0, 4), width_bucket(0.0, 10, 0, 4);
select width_bucket(1, 0, 10, 0);
select width_bucket(1.0, 5, 5, 3);
select width_bucket('NaN'::numeric, 0, 10, 3);
select width_bucket(1, 0, 'Infinity'::float8, 3);
select id, width_bucket(f, -2, 10, 4), width_bucket(n, -1, 3, 8) from mf order by id;
select round(2.5), round(-2.5), round(2.5::float8), round(3.5::float8), round(1234.5678, -2), round(1234.5678, 2), round(1.5, 0);
select trunc(1234.5678, -2), trunc(-1.99), trunc(1.99::float8), ceil(-0.5), ceiling(1.0001), floor(-1.5::float8);
select sign(-0.0), sign(-3.5), sign(4::float8), sign(0), abs(-2147483647), abs(-1.5::real);
select abs(-2147483648);
select sqrt(2), sqrt(2.0), sqrt(1e-10::numeric), cbrt(64), pi();
select sqrt(-1.0);
select sin(1), cos(1), tan(1), cot(1), asin(0.5), acos(0.5), atan(2), atan2(1, -1);
select sind(30), cosd(60), tand(45), cotd(45), sind(-90), cosd(180), tand(180), sind(390);
select asind(0.5), acosd(0.5), atand(1), atan2d(1, 1), asind(-1), acosd(-0.5);
select asind(2);
select cot(0), tand(90), cotd(0);
select sin('Infinity'::float8);
select sinh(1), cosh(1), tanh(1), asinh(1), acosh(2), atanh(0.5), atanh(1), sinh(1000), cosh(-1000);
select acosh(0.5);
select atanh(2);
select degrees(1), radians(90), degrees(pi() / 2);
select id, i ^ 2, n ^ 2, |/ abs(f), ln(abs(n)) from mf where n <> 0 order by id;
select sum(ln(id)), avg(exp(id::numeric)) from mf;
select !! 5;
select - 2 ^ 2, (-2) ^ 2, 2 ^ 3 ^ 2, 2 * 3 ^ 2, |/ 25 + 1;
select greatest(id, 2) as g, count(*) from mf group by greatest(id, 2) order by g;
select id, least(i, lag(i) over (order by id)) from mf order by id;
select power(2.5, 3.5), power(1.0000001, 99999999.5), power(0.5, 0.5), exp(2.5) ^ 2;
select width_bucket(5, array[1, 3, 7]), width_bucket(0, array[1]), width_bucket(5.5, array[1.5, 6.0]), width_bucket(2, '{}'::int[]), width_bucket('m', array['a', 'n', 'z']);
select width_bucket(5.5, array[1, 6]);
select width_bucket(1, array[1, null]);
