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

-- The ISO year fields read as many digits as their Gregorian twins (IYYY four), and only
-- IYY .. I (as YYY .. Y) read from fewer than four characters move near 2020.
select to_date('0500 10 1', 'IYYY IW ID'), to_date('50 10 1', 'IYYY IW ID'), to_date('20241003', 'IYYYIWID'), to_date('2410 3', 'IYIW ID'), to_date('410 3', 'IIW ID');
select to_date('-2020 10', 'IYYY IW'), to_date('-1000 10', 'IYYY IW'), to_date('2024 10', 'YY IW'), to_date('2024', 'YY'), to_date('024', 'YYY'), to_date('0050', 'YY');
select to_date('-5000 10', 'IYYY IW');

-- A field given twice must repeat its value (from_char_set_int).
select to_date('2020 2021', 'YYYY YYYY');
select to_date('2020 2020', 'YYYY YYYY'), to_date('2020 12 12', 'YYYY DD DD'), to_date('2020 Tue 3 10', 'IYYY Dy ID IW');
select to_date('20 20', 'YY YY');
select to_date('2020 10 11', 'IYYY IW IW');
select to_date('2020 10 11', 'YYYY WW WW');
select to_date('2020 10 11', 'yyyy ww ww');
select to_date('2451545 2451546', 'J J');
select to_date('20 21', 'CC CC');
select to_date('3 4', 'D D');
select to_date('2020 10 3 3', 'IYYY IW ID ID');
select to_date('2020 1 2', 'YYYY MM MM');
select to_date('2020 1 Feb', 'YYYY MM Mon');
select to_date('2020 5 6', 'YYYY DDD DDD');
select to_date('2020 1 2', 'YYYY W W');
select to_date('2020 12 13', 'YYYY DD DD');
select to_timestamp('10 11', 'HH24 HH24');
select to_date('2020 3 Tue 10', 'IYYY ID Dy IW');

-- Month names are Gregorian; day names set the weekday the ISO week date reads.
select to_date('2020 January 10', 'IYYY Month IW');
select to_date('2020 Jan 10', 'IYYY Mon IW');
select to_date('2020 Tuesday 10', 'IYYY Day IW'), to_date('2020 Tue 10', 'IYYY DY IW'), to_date('2020 sunday 10', 'IYYY day IW'), to_date('2020 Tue 10', 'YYYY Dy WW');
select to_date('2020 Xyz 10', 'IYYY Dy IW');
select to_date('2020 March Tue', 'YYYY Month Dy'), to_date('2020 Feb 3', 'YYYY Mon DD');

-- Values past the date range: any int is read, and the date is out of range.
select to_date('2147483647', 'J');
select to_date('2020 2147483647', 'IYYY IW');
select to_date('-2000000000', 'CC');
select to_date('1863462913', 'YYYY');
select to_date('2147483648', 'J');
select to_date('5874897 12 31', 'YYYY MM DD'), to_date('4713 11 24 BC', 'YYYY MM DD BC');
select to_date('4714 11 24 BC', 'YYYY MM DD BC');

-- The same past the range through to_timestamp and the other week / day fields.
select to_timestamp('2147483647', 'J');
select to_timestamp('2020 2147483647', 'IYYY IW');
select to_timestamp('-2000000000', 'CC');
select to_timestamp('1863462913', 'YYYY');
select to_date('2020 2147483647', 'IYYY IDDD');
select to_date('2020 2147483647 7', 'IYYY IW ID');
select to_date('2147483647', 'DDD');
select to_date('2020 2147483647', 'YYYY WW');
select to_date('-2147483648', 'YYYY');
select to_date('-2147483648', 'CC');
select to_date('2020 -5', 'YYYY IW');
select to_timestamp('2020 Mon', 'YYYY Dy'), to_timestamp('1 1', 'HH24 HH24');
select to_date('99999999999999999999', 'J');

-- An ISO year whose January 4th lies near the int range (day4 - day0 must not overflow).
select to_date('346892309 1 1', 'IYYY IW ID');
select to_date('-346892309 1 1', 'IYYY IW ID');

-- A partial year moves near 2020 by the characters read after the spaces (a sign counts).
select to_date('   5', 'YY'), to_date('   5 1 1', 'YY MM DD'), to_date(' 005', 'YYY'), to_date('   5', 'Y');
select to_date('  20 10 1', 'IYY IW ID');
select to_date('-5', 'YY'), to_date('+05', 'YYY'), to_date('-005', 'YYY'), to_date('0005', 'YY');

-- SSSS / SSSSS (seconds since midnight; HH, MI, SS given replace their part) and Y,YYY.
select to_timestamp('3600', 'SSSS');
select to_timestamp('2020-01-01 86399', 'YYYY-MM-DD SSSSS');
select to_timestamp('2020-01-01 10:00 3600', 'YYYY-MM-DD HH24:MI SSSS');
select to_timestamp('2020-01-01 3600 3601', 'YYYY-MM-DD SSSS SSSS');
select to_timestamp('2020-01-01 90000', 'YYYY-MM-DD SSSS');
select to_date('2020 2,020', 'YYYY Y,YYY');
select to_date('2,020', 'Y,YYY'), to_date('12,345', 'Y,YYY'), to_date('2,5', 'Y,YYY'), to_date(' 2, 05', 'Y,YYY');
select to_date('2020', 'Y,YYY');
select to_date('2,020 2021', 'Y,YYY YYYY');
select to_date('2,x', 'Y,YYY');
select to_date('-2,020', 'Y,YYY');
select to_date('2,0201', 'Y,YYYMM');
select to_timestamp('2020-01-01 00:30 3661', 'YYYY-MM-DD HH24:MI SSSS');
select to_timestamp('2020-01-01 3661 05 PM', 'YYYY-MM-DD SSSS HH AM');

-- The ISO week date of the largest years: date2j's int arithmetic wraps at year + 4799 as PostgreSQL's.
select to_date('2147483647 53 7', 'IYYY IW ID');
select to_date('2147483647 1 1', 'IYYY IW ID');
select to_date('2147480000 1 1', 'IYYY IW ID');
select to_date('2147478849 1 1', 'IYYY IW ID');
select to_date('2147478848 1 1', 'IYYY IW ID');
select to_date('2020 10 1', 'IYYY IW ID'), to_date('-2020 10 1', 'IYYY IW ID'), to_date('0001 1 1', 'IYYY IW ID');
select to_date('2147483647 100', 'IYYY IDDD');
select to_timestamp('2147483647 53 7', 'IYYY IW ID');

-- An unknown name is quoted up to the next space, with the field as the format spells it.
select to_date('2020 Xy 5', 'YYYY Dy DD');
select to_date('2020 Xyzzyplughfoo 5', 'YYYY Day DD');
select to_date('2020 Xyzzyplughfoo 5', 'YYYY month DD');
select to_date('2020 Jxn 5', 'YYYY Mon DD');
select to_date('2020 Jxn', 'YYYY MON');
select to_timestamp('2020 5 xm', 'YYYY HH pm');
select to_timestamp('2020 5 x.m.x', 'YYYY HH P.M.');
select to_date('2020 XD', 'YYYY BC');
select to_date('2020 Xy.D.', 'YYYY b.c.');

-- Range checks: negative DDD, HH24 / MI / SS, the 12-hour clock of HH / HH12 (12 is midnight without PM), HH24 24 and SS 60.
select to_date('2020--5', 'YYYY-DDD');
select to_timestamp('-5', 'SS');
select to_timestamp('-5', 'MI');
select to_timestamp('-5', 'HH24');
select to_timestamp('13', 'HH12');
select to_timestamp('13', 'HH');
select to_timestamp('0', 'HH');
select to_timestamp('12', 'HH');
select to_timestamp('2020-01-01 24', 'YYYY-MM-DD HH24');
select to_timestamp('2020-01-01 60', 'YYYY-MM-DD SS');
select to_timestamp('2020-01-01 23:59:60', 'YYYY-MM-DD HH24:MI:SS');
select to_timestamp('2020-01-01 24:00:00', 'YYYY-MM-DD HH24:MI:SS');
select to_timestamp('2020-01-01 60', 'YYYY-MM-DD MI');
select to_timestamp('2020-01-01 12 AM', 'YYYY-MM-DD HH AM');
select to_date('2020 0', 'YYYY DDD');
