-- Column types and their text output.
\unset QUIET
create table ty(
  i int,
  big bigint,
  s text,
  v varchar(5),
  flag boolean,
  d double precision
);
insert into ty values (1, 9000000000, 'hello', 'abcde', true, 1.5);
insert into ty values (-2147483648, -9223372036854775808, '', 'a', false, -0.25);
insert into ty values (2147483647, 9223372036854775807, 'it''s', null, null, 1e20);
insert into ty values (null, null, null, null, null, null);
select * from ty order by i;
insert into ty(v) values ('toolong');
insert into ty(i) values (2147483648);
insert into ty(flag) values ('maybe');
select 0.1::double precision + 0.2::double precision as sum;
select 1e20::double precision as big, 1.0e-5::double precision as small;
select 2147483647::bigint + 1 as widened;
select true as t, false as f, null::boolean as n;
select null as nothing, null::int is null as isnull;
select 'abc'::varchar(2) as cut;
drop table ty;
