-- numeric (the queries here are not those of tests/e2e/numeric_diff.py, which covers literals,
-- numeric(p,s) columns, binary results and COPY), real and double precision: input and output of
-- special values, exponent forms, rounding of casts, float output digits, arithmetic and its errors.

-- @setup
create table fl (id int primary key, r real, d double precision, n numeric(12, 4));
insert into fl values (1, 1.1, 1.1, 1.1), (2, -0.5, 1e-300, 12345678.12345), (3, 'NaN', 'Infinity', 'NaN'), (4, '-Infinity', '-0', null), (5, 3.4e38, 1.7976931348623157e308, -0.00005);
-- @queries
select r, d, n from fl order by id;
select id from fl order by r, id;
select id from fl order by d desc, id;
select id from fl order by n nulls first, id;
select 1.1::real, 1.1::float8, 0.1::float4 + 0.2::float4, 0.1::float8 + 0.2::float8;
select 1e15::float8, 1e16::float8, 1e-4::float8, 1e-5::float8, 123456789012345678::float8;
select 1e6::real, 1e7::real, 1234567.0::real, 0.000123::real, 1.0e-10::real;
select 'nan'::float8, 'inf'::float8, '-infinity'::float4, '  1.5  '::float8, '1e3'::real;
select 'NaN'::float8 = 'NaN'::float8, 'NaN'::float8 > 'Infinity'::float8, '-0'::float8 = 0;
select '-0'::float8, -0.0::float8, 0.0::float8 * -1;
select '1e400'::float8;
select '1e-400'::float8;
select 'abc'::float8;
select '1.5x'::real;
select 1e308::float8 * 10;
select 1::float8 / 0;
select 0::float8 / 0;
select 'Infinity'::float8 - 'Infinity'::float8, 'Infinity'::float8 * 0;
select 2.5::float8::numeric, 1.1::real::float8, 1.1::float8::real, 1e-7::real::float8;
select 'NaN'::float8::numeric, 'Infinity'::float8::numeric;
select 'NaN'::numeric::float8, 1.5::numeric::real;
select 3.7::real::int4, -3.7::float8::int8, 0.5::float8::int2, 1.5::float8::int2;
select 'NaN'::float8::int4;
select 1e10::real::int4;
select round(2.5::float8), round(-2.5::float8), round(3.5::real), trunc(-2.7::float8), ceil(2.1::float8), floor(-2.1::float8);
select sqrt(2::float8), cbrt(27::float8), exp(1::float8), ln(10::float8), log(100::float8), power(2::float8, 0.5);
select sqrt(-1::float8);
select ln(0::float8);
select ln(-1::numeric);
select 10::numeric / 4, 10::numeric / 3, 1::numeric / 7, 2::numeric ^ 0.5;
select 12.345::numeric(5, 2), 12.344::numeric(5, 2), -12.345::numeric(5, 2), 0.005::numeric(3, 2);
select 99.995::numeric(4, 2);
select 1.5::numeric(2, 1), 1.55::numeric(3, 1), 1234.5::numeric(5, 0), 0.1::numeric(1, 1);
select '1e5'::numeric, '1.2e-3'::numeric, '   5.50   '::numeric, '-0.0'::numeric, '.5'::numeric, '5.'::numeric;
select '1e1000'::numeric is not null;
select 'x1'::numeric;
select numeric 'Infinity' + 1, numeric '-Infinity' * -1, numeric 'NaN' = numeric 'NaN';
select 'Infinity'::numeric - 'Infinity'::numeric;
select 1::numeric / 0;
select 0::numeric / 0;
select scale(1.2300), precision_check from (select 1 as precision_check) s;
select round(1.23456, 3), round(1.5), round(-1.5), round(123.456, -1), trunc(1.999, 2), trunc(-1.999);
select ceil(1.001), floor(-1.001), sign(-3.2), sign(0::numeric), abs(-0.000);
select mod(10.5, 3), mod(-10.5, 3), 10.5 % -3, div(10.5, 3);
select exp(1::numeric), ln(2::numeric), log(1000::numeric), log(2, 8::numeric), sqrt(10::numeric);
select power(2::numeric, 100), power(10::numeric, -3), 1.1 ^ 10;
select factorial(20), factorial(25);
select 0.1::float4::text, 0.1::float8::text, 1e100::float8::text, 123.456::numeric::text;
select 1.0::float8 = 1.0::numeric, 1.1::float4 = 1.1::float8, 1.5::numeric < 2::float8;
select pg_typeof(1.5::numeric + 1::float8), pg_typeof(1::real + 1::float8), pg_typeof(1::real * 2), pg_typeof(1.5 + 1::real);
select sum(r), sum(d), avg(r), max(n), min(n) from fl where id in (1, 2);
select id, r * 2, d / 2, n * n from fl where id in (1, 2) order by id;
select width_bucket(5.35, 0.024, 10.06, 5), width_bucket(0, 1, 10, 3), width_bucket(20::float8, 1, 10, 3);
select float8 '1.5' + 1, real '2.5' * 2, numeric '3.25' - 1;
select 1.5e300 * 1e10;
select 12345678901234567890::numeric * 98765432109876543210;
select trim_scale(1.2300), min_scale(1.2300);
