-- to_date / to_timestamp read BC / AD (B.C. / A.D.), CC (the century, with YY or Y the year in
-- it), J (a Julian day), WW and W (the week of the year / month), D, and the ISO week date
-- fields IYYY .. I, IW, ID and IDDD, combined as PostgreSQL's do_to_timestamp does, with its
-- errors for mixed Gregorian and ISO fields and conflicting BC / AD.

-- @queries
select to_date('44 BC', 'YYYY BC'), to_date('2024 AD', 'YYYY AD'), to_date('0044-03-15 BC', 'YYYY-MM-DD BC');
select to_date('44 b.c.', 'YYYY B.C.'), to_date('44 a.d.', 'YYYY A.D.'), to_date('44 bc', 'yyyy bc'), to_date('1 BC', 'YYYY BC');
select to_date('-44', 'YYYY'), to_date('-44 BC', 'YYYY BC'), to_date('100 BC', 'DDD BC');
select to_date('21', 'CC'), to_date('21 05', 'CC YY'), to_date('20 00', 'CC YY'), to_date('21 5', 'CC Y');
select to_date('6 BC', 'CC BC'), to_date('6 10 BC', 'CC YY BC'), to_date('6 00 BC', 'CC YY BC'), to_date('19 2024', 'CC YYYY');
select to_date('2451545', 'J'), to_date('1', 'J'), to_date('2460000', 'J'), to_date('2451545 2024', 'J YYYY');
select to_timestamp('2451545 12:30', 'J HH24:MI');
select to_date('2024 10', 'YYYY WW'), to_date('2024 01', 'YYYY WW'), to_date('2024 53', 'YYYY WW'), to_date('2024 10 02', 'YYYY WW MM');
select to_date('2024-03 2', 'YYYY-MM W'), to_date('2024-03 5', 'YYYY-MM W'), to_date('2024-03-15 3', 'YYYY-MM-DD D'), to_date('2024 3', 'YYYY D');
select to_date('2024-10-3', 'IYYY-IW-ID'), to_date('2024-01-1', 'IYYY-IW-ID'), to_date('2025-01-7', 'IYYY-IW-ID'), to_date('2020-53-5', 'IYYY-IW-ID');
select to_date('2024 10', 'IYYY IW'), to_date('2021 01', 'IYYY IW'), to_date('2024 100', 'IYYY IDDD'), to_date('2024 1', 'IYYY IDDD');
select to_date('24 01 1', 'IY IW ID'), to_date('4 01 1', 'I IW ID'), to_date('024 01 1', 'IYY IW ID');
select to_date('2024-10', 'YYYY-IW');
select to_date('2024-10-1', 'IYYY-MM-ID');
select to_date('2024 2', 'IYYY D');
select to_date('2024 AD BC', 'YYYY AD BC');
select to_date('2024 BC AD', 'YYYY BC AD');
select to_date('2024 B.C. a.d.', 'YYYY B.C. A.D.');
select to_date('2024 XX', 'YYYY BC');
select to_date('100', 'DDD');
select to_date('2451545', 'J'), to_char(to_date('2451545', 'J'), 'J');
select to_date('2024-02-30', 'YYYY-MM-DD');
