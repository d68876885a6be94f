// The date/time types through the engine's facade: storage, keys, operators, casts, functions,
// the session's TimeZone and the transaction's clock (the types' own rules are tested in
// engine/types/datetime_test.cc and time_zone_test.cc).

#include <gtest/gtest.h>

#include "common/sqlstate.h"
#include "engine/binary_format.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Strings = std::vector<std::string>;

class DateTimeTest : public testing::ClusterTest {};

TEST_F(DateTimeTest, ColumnsStoreReadBackAndSurviveARestart) {
  Ok("create table ev (id int primary key, d date, t time, ts timestamp, tz timestamptz, "
     "iv interval)");
  Ok("insert into ev values (1, '2024-02-29', '13:45:30.5', '2024-02-29 13:45:30.5', "
     "'2024-02-29 13:45:30.5+02', '1 day 2 hours'), (2, 'infinity', '24:00', '-infinity', "
     "'infinity', '-3 months'), (3, null, null, null, null, null)");
  const Strings expected = {
      "1|2024-02-29|13:45:30.5|2024-02-29 13:45:30.5|2024-02-29 11:45:30.5+00|1 day 02:00:00",
      "2|infinity|24:00:00|-infinity|infinity|-3 mons", "3|NULL|NULL|NULL|NULL|NULL"};
  EXPECT_EQ(Rows("select * from ev order by id"), expected);
  Reopen();
  EXPECT_EQ(Rows("select * from ev order by id"), expected);
  EXPECT_EQ(Rows("select id from ev order by d desc nulls last, id"), (Strings{"2", "1", "3"}));
}

TEST_F(DateTimeTest, KeysOrderGroupAndJoinByValue) {
  Ok("create table d (day date primary key, span interval)");
  Ok("insert into d values ('2024-01-02', '1 mon'), ('2023-12-31', '30 days'), "
     "('2024-01-01', '1 day')");
  EXPECT_EQ(Rows("select span from d where day = '2024-01-01'"), (Strings{"1 day"}));
  EXPECT_EQ(Err("insert into d values ('2024-01-01', '2 days')").sqlstate,
            sqlstate::kUniqueViolation);
  // '1 mon' and '30 days' are equal intervals: one group.
  EXPECT_EQ(Rows("select count(*) from d group by span order by 1"), (Strings{"1", "2"}));
  EXPECT_EQ(Rows("select min(day), max(day), sum(span) from d"),
            (Strings{"2023-12-31|2024-01-02|1 mon 31 days"}));
  EXPECT_EQ(Rows("select a.day from d a join d b on a.day = b.day + 1 order by 1"),
            (Strings{"2024-01-01", "2024-01-02"}));
}

TEST_F(DateTimeTest, OperatorsAndCastsTypeAsPostgres) {
  EXPECT_EQ(Rows("select date '2024-03-01' - date '2024-02-01', date '2024-01-31' + 1, "
                 "date '2024-01-31' + interval '1 month', date '2024-01-01' + time '10:30'"),
            (Strings{"29|2024-02-01|2024-02-29 00:00:00|2024-01-01 10:30:00"}));
  EXPECT_EQ(Rows("select time '12:00' + interval '13 hours', time '10:00' - time '08:30', "
                 "interval '1 day' * 2, interval '1 hour' / 4, -interval '2 days'"),
            (Strings{"01:00:00|01:30:00|2 days|00:15:00|-2 days"}));
  EXPECT_EQ(Rows("select timestamp '2024-01-02 00:00' - timestamp '2024-01-01 12:00', "
                 "date '2024-02-29' = timestamp '2024-02-29 00:00', "
                 "timestamp '2024-01-01' + '1 day'"),
            (Strings{"12:00:00|t|2024-01-02 00:00:00"}));
  QueryResult r =
      Ok("select date '2024-01-01', now(), interval '1 day', time '00:00', "
         "localtimestamp");
  ASSERT_EQ(r.columns.size(), 5u);
  EXPECT_EQ(TypeOid(r.columns[0].type), oid::kDate);
  EXPECT_EQ(TypeOid(r.columns[1].type), oid::kTimestampTz);
  EXPECT_EQ(TypeOid(r.columns[2].type), oid::kInterval);
  EXPECT_EQ(TypeOid(r.columns[3].type), oid::kTime);
  EXPECT_EQ(TypeOid(r.columns[4].type), oid::kTimestamp);
  EXPECT_EQ(r.columns[0].name, "date");
  EXPECT_EQ(Err("select date '2024-01-01' * 2").sqlstate, sqlstate::kUndefinedFunction);
  EXPECT_EQ(Err("select date '2024-02-29' - 100000000").sqlstate, sqlstate::kDatetimeFieldOverflow);
  EXPECT_EQ(Err("select 'garbage'::interval").sqlstate, sqlstate::kInvalidDatetimeFormat);
  EXPECT_EQ(Err("select 1::date").sqlstate, sqlstate::kCannotCoerce);
}

TEST_F(DateTimeTest, InListsAndSetOperationsTakeTheWidestDateTimeType) {
  Ok("create table m (d date, ts timestamp, c char(3))");
  Ok("insert into m values ('2024-01-01', '2024-01-01 10:00', 'a'), "
     "('2024-01-02', '2024-01-02 00:00', 'b')");
  // The operand is cast to the items' type: date 2024-01-01 is not 10:00 that day.
  EXPECT_EQ(Rows("select d from m where d in (timestamp '2024-01-01 10:00', "
                 "timestamp '2024-01-02 00:00')"),
            (Strings{"2024-01-02"}));
  EXPECT_EQ(Rows("select ts from m where ts in (date '2024-01-02', d) order by 1"),
            (Strings{"2024-01-02 00:00:00"}));
  EXPECT_EQ(Rows("select date '2024-01-01' in (timestamp '2024-01-01 00:00'), "
                 "'2024-01-01' in (date '2024-01-01', timestamp '2024-01-01 00:00')"),
            (Strings{"t|t"}));
  EXPECT_EQ(Rows("select c from m where c in ('a'::text, 'x')"), (Strings{"a  "}));
  EXPECT_EQ(Err("select d from m where d in (time '10:00')").sqlstate,
            sqlstate::kUndefinedFunction);
  QueryResult u = Ok("select d from m union select ts from m order by 1");
  EXPECT_EQ(u.columns[0].type, TypeId::kTimestamp);
  EXPECT_EQ(Rows("select d from m union select ts from m order by 1"),
            (Strings{"2024-01-01 00:00:00", "2024-01-01 10:00:00", "2024-01-02 00:00:00"}));
  EXPECT_EQ(Rows("values (date '2024-01-01'), (timestamptz '2024-01-02 03:00+00')"),
            (Strings{"2024-01-01 00:00:00+00", "2024-01-02 03:00:00+00"}));
  EXPECT_EQ(Err("select time '10:00' union select interval '1 hour'").sqlstate,
            sqlstate::kDatatypeMismatch);
}

TEST_F(DateTimeTest, AtTimeZoneReadsOffsetsAsPostgres) {
  // A string is POSIX's (positive is west), an interval ISO's (positive is east).
  EXPECT_EQ(Rows("select timestamptz '2024-01-01 12:00+00' at time zone '-3', "
                 "timestamptz '2024-01-01 12:00+00' at time zone 'UTC+3', "
                 "timestamptz '2024-01-01 12:00+00' at time zone '+05:30', "
                 "timestamptz '2024-01-01 12:00+00' at time zone interval '+05:30'"),
            (Strings{"2024-01-01 15:00:00|2024-01-01 09:00:00|2024-01-01 06:30:00|"
                     "2024-01-01 17:30:00"}));
  EXPECT_EQ(Rows("select timestamp '2024-01-01 12:00' at time zone '-3', "
                 "timestamp '2024-01-01 12:00' at time zone interval '-03:00'"),
            (Strings{"2024-01-01 09:00:00+00|2024-01-01 15:00:00+00"}));
  EXPECT_EQ(Err("select now() at time zone interval '1 day'").sqlstate,
            sqlstate::kInvalidParameterValue);
  // SET: a plain number is hours east, another offset POSIX's, an interval east.
  Ok("set time zone -3");
  EXPECT_EQ(Rows("select timestamptz '2024-01-01 12:00+00'"), Strings{"2024-01-01 09:00:00-03"});
  Ok("set time zone '+05:30'");
  EXPECT_EQ(Rows("show timezone"), Strings{"+05:30"});
  EXPECT_EQ(Rows("select timestamptz '2024-01-01 12:00+00'"), Strings{"2024-01-01 06:30:00-05:30"});
  Ok("set time zone interval '+05:30' hour to minute");
  EXPECT_EQ(Rows("show timezone"), Strings{"<+05:30>-05:30"});
  EXPECT_EQ(Rows("select timestamptz '2024-01-01 12:00+00'"), Strings{"2024-01-01 17:30:00+05:30"});
  EXPECT_EQ(Err("set time zone interval '1 day'").sqlstate, sqlstate::kInvalidParameterValue);
}

TEST_F(DateTimeTest, ToDateFieldsTakeTheirWidthUnlessASeparatorFollows) {
  EXPECT_EQ(Rows("select to_date('20240115', 'YYYYMMDD'), to_date('2024115', 'YYYYMMDD'), "
                 "to_date('12024-01-15', 'YYYY-MM-DD'), to_date('150120245', 'DDMMYYYY'), "
                 "to_date('2024', 'YY'), to_date('524', 'YYY')"),
            (Strings{"2024-01-15|2024-11-05|12024-01-15|20245-01-15|2024-01-01|1524-01-01"}));
  EXPECT_EQ(Err("select to_date('120240115', 'YYYYMMDD')").sqlstate,
            sqlstate::kDatetimeFieldOverflow);
  EXPECT_EQ(Err("select to_date('202', 'YYYYMM')").sqlstate, sqlstate::kInvalidDatetimeFormat);
}

TEST_F(DateTimeTest, ToDateIsoYearReadsFourDigitsAndRepeatedFieldsMustAgree) {
  EXPECT_EQ(Rows("select to_date('0500 10 1', 'IYYY IW ID'), to_date('2410 3', 'IYIW ID'), "
                 "to_date('-2020 10', 'IYYY IW'), to_date('2020 Tuesday 10', 'IYYY Day IW')"),
            (Strings{"0500-03-08|2024-03-06|2020-03-02 BC|2020-03-03"}));
  EXPECT_EQ(Err("select to_date('2020 2021', 'YYYY YYYY')").message,
            "conflicting values for \"YYYY\" field in formatting string");
  EXPECT_EQ(Err("select to_date('2020 January 10', 'IYYY Month IW')").message,
            "invalid combination of date conventions");
  EXPECT_EQ(Err("select to_date('2147483647', 'J')").message, "date out of range: \"2147483647\"");
}

TEST_F(DateTimeTest, FunctionsFollowPostgres15) {
  EXPECT_EQ(Rows("select extract(year from date '2024-02-29'), extract(dow from date "
                 "'2024-02-29'), extract(second from time '13:45:30.5'), extract(epoch from "
                 "interval '1 day 1 hour'), date_part('day', interval '40 days')"),
            (Strings{"2024|4|30.500000|90000.000000|40"}));
  EXPECT_EQ(Rows("select date_trunc('month', timestamp '2024-02-29 13:45'), "
                 "date_trunc('week', timestamp '2024-02-29'), age(timestamp '2024-03-01', "
                 "timestamp '2023-01-15'), make_date(2024, 2, 29), "
                 "make_interval(days => 10, hours => 1)"),
            (Strings{"2024-02-01 00:00:00|2024-02-26 00:00:00|1 year 1 mon 17 days|2024-02-29|"
                     "10 days 01:00:00"}));
  EXPECT_EQ(Rows("select to_char(timestamp '2024-02-29 13:05:09', 'YYYY-MM-DD HH24:MI:SS'), "
                 "to_char(timestamp '2024-02-29 13:05', 'HH12:MI AM Dy Mon')"),
            (Strings{"2024-02-29 13:05:09|01:05 PM Thu Feb"}));
  EXPECT_EQ(Err("select extract(nope from date '2024-01-01')").message,
            "unit \"nope\" not recognized for type date");
  EXPECT_EQ(Err("select make_date(2023, 2, 29)").sqlstate, sqlstate::kDatetimeFieldOverflow);
}

TEST_F(DateTimeTest, TimeZoneSettingShapesTimestamptz) {
  EXPECT_EQ(Rows("show timezone"), (Strings{"Etc/UTC"}));
  Ok("set timezone = 'america/new_york'");
  EXPECT_EQ(Rows("show timezone"), (Strings{"America/New_York"}));
  EXPECT_EQ(Rows("select timestamptz '2024-03-10 12:00+00', '2024-07-04 12:00'::timestamptz, "
                 "timestamptz '2024-06-01 02:00+00'::date"),
            (Strings{"2024-03-10 08:00:00-04|2024-07-04 12:00:00-04|2024-05-31"}));
  EXPECT_EQ(Rows("select timestamptz '2024-03-09 12:00' + interval '1 day', "
                 "timestamptz '2024-03-09 12:00' + interval '24 hours'"),
            (Strings{"2024-03-10 12:00:00-04|2024-03-10 13:00:00-04"}));
  EXPECT_EQ(Rows("select timestamp '2024-06-01 12:00' at time zone 'Europe/Oslo', "
                 "timestamptz '2024-06-01 12:00+00' at time zone 'Asia/Tokyo'"),
            (Strings{"2024-06-01 06:00:00-04|2024-06-01 21:00:00"}));
  Error bad = Err("set timezone = 'Not/AZone'");
  EXPECT_EQ(bad.sqlstate, sqlstate::kInvalidParameterValue);
  EXPECT_EQ(bad.message, "invalid value for parameter \"TimeZone\": \"Not/AZone\"");
  // A rolled-back SET puts the zone back.
  Ok("begin");
  Ok("set time zone 'Asia/Kolkata'");
  EXPECT_EQ(Rows("select timestamptz '2024-01-01 00:00+00'"),
            (Strings{"2024-01-01 05:30:00+05:30"}));
  Ok("rollback");
  EXPECT_EQ(Rows("select timestamptz '2024-01-01 00:00+00'"), (Strings{"2023-12-31 19:00:00-05"}));
  Ok("set time zone '+02'");
  EXPECT_EQ(Rows("show timezone"), (Strings{"<+02>-02"}));
  EXPECT_EQ(Rows("select timestamptz '2024-01-01 00:00+00'"), (Strings{"2024-01-01 02:00:00+02"}));
}

TEST_F(DateTimeTest, NowIsTheTransactionsStart) {
  Ok("create table clock (id int primary key, at timestamptz)");
  Ok("begin");
  Ok("insert into clock values (1, now())");
  Ok("insert into clock values (2, current_timestamp)");
  Ok("commit");
  Ok("insert into clock values (3, now())");
  EXPECT_EQ(Rows("select count(distinct at) from clock where id < 3"), (Strings{"1"}));
  EXPECT_EQ(Rows("select b.at >= a.at, b.at > a.at or b.at = a.at from clock a, clock b "
                 "where a.id = 1 and b.id = 3"),
            (Strings{"t|t"}));
  EXPECT_EQ(Rows("select clock_timestamp() >= now(), statement_timestamp() >= now()"),
            (Strings{"t|t"}));
}

TEST(DateTimeBinaryTest, SendAndReceiveArePostgresBytes) {
  std::string out;
  AppendBinary(out, Datum(int64_t{-1}), TypeId::kDate);
  EXPECT_EQ(out, std::string("\xff\xff\xff\xff", 4));
  out.clear();
  AppendBinary(out, Datum(Interval{1, 2, 3}), TypeId::kInterval);
  EXPECT_EQ(out, std::string("\0\0\0\0\0\0\0\x01\0\0\0\x02\0\0\0\x03", 16));
  auto back = ReceiveBinary(out, oid::kInterval);
  ASSERT_TRUE(back);
  EXPECT_EQ(std::get<Interval>(*back), (Interval{1, 2, 3}));
  // Past 5874897-12-31 but not INT32_MAX (infinity): out of date's range.
  auto far = ReceiveBinary(std::string("\x7f\xff\xff\x00", 4), oid::kDate);
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().sqlstate, sqlstate::kDatetimeFieldOverflow);
  auto short_value = ReceiveBinary(std::string(7, '\0'), oid::kTimestamp);
  ASSERT_FALSE(short_value);
  EXPECT_EQ(short_value.error().sqlstate, sqlstate::kProtocolViolation);
  auto text = ReceiveText("2024-02-29", oid::kDate);
  ASSERT_TRUE(text);
  EXPECT_EQ(std::get<int64_t>(*text), 8825);
}

}  // namespace
}  // namespace sqlrite::engine
