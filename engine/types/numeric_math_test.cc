#include "engine/types/numeric_math.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace sqlrite::engine::numeric_math {
namespace {

Numeric N(const std::string& text) { return *Numeric::Parse(text); }

// Answers recorded from PostgreSQL 15 (ln(a), log(a), exp(a), power(a, b), log(a, b)):
// op|a|b|result.
constexpr const char* kGolden = R"(
ln|2||0.6931471805599453
ln|0.5||-0.6931471805599453
ln|10||2.3025850929940457
ln|1.0001||0.00009999500033330834
ln|0.99999||-0.000010000050000333336
ln|123456789.123||18.631401767164318
ln|0.000001234||-13.605249632481078
ln|7.25||1.9810014688665834
ln|0.000000000000000000000000000001||-69.077552789821370520539743640531
ln|98765432109876543210||46.039279339994857
ln|3.14159265358979||1.1447298858493991
ln|1.1||0.09531017980432486
ln|0.9||-0.10536051565782630
ln|25.000||3.2188758248682007
log10|2||0.3010299956639812
log10|0.5||-0.3010299956639812
log10|10||1.0000000000000000
log10|1.0001||0.00004342727686266964
log10|0.99999||-0.000004342966533901379
log10|123456789.123||8.091514977601958
log10|0.000001234||-5.908684840302777
log10|7.25||0.8603380065709937
log10|0.000000000000000000000000000001||-30.000000000000000000000000000000
log10|98765432109876543210||19.994604968162152
log10|3.14159265358979||0.4971498726941334
log10|1.1||0.04139268515822504
log10|0.9||-0.04575749056067513
log10|25.000||1.3979400086720376
exp|1||2.7182818284590452
exp|-1||0.3678794411714423
exp|0.5||1.6487212707001281
exp|2.302585||9.9999990700595864
exp|-20.75||0.0000000009736200313009565
exp|100.123||30399497973617603767213595855347100570496028.833
exp|0.00001||1.0000100000500002
exp|-0.00001||0.9999900000499998
exp|50||5184705528587072464087
exp|-230.5||0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000007854561080291417
exp|1234.5||136942392018518253538004445518033303045444501573755680732820446787004690975782791725176867596179799147839639081806598969006443576784742094083764559182572783422103566286502895155495683693667267757698290944115281524063526688475954270313932240104405161598691708006431771100280975839236857850794121753394401135120614216177179231626237428712914562770012683921875723741512042915886255485525933280727079748336097696491858828710620492419806719934791197573496220686902288579352817183831832797178082417173503777416469042699396619265216111771919517.0
exp|-0.693147180559945309||0.500000000000000000
pow|2|0.5|1.4142135623730950
pow|10|-2.5|0.003162277660168379
pow|1.5|2.5|2.7556759606310754
pow|0.25|0.5|0.5000000000000000
pow|7|1.0001|7.0013622696427563
pow|123.456|3.3|7979768.0056903899
pow|0.001|-0.75|177.82794100389228
pow|2|100.5|1792728671193156477399422023278.7
pow|9|0.5|3.0000000000000000
pow|1.000001|1000000.5|2.7182818284592718
pow|-2|3.0|-8.0000000000000000
pow|-1.0000001|2147483649|-1836644956732874345622688188834282905121113271977632655704983426593929188084998621244188044829.9248288
pow|1.00000001|-2147483649|0.0000000004716252617605573
log|2|1024|10.0000000000000000
log|10|2|0.3010299956639812
log|0.5|8|-3.0000000000000000
log|1.0001|2|6931.818373413795
log|3|0.0000000001|-20.959032742893846
log|100|0.001|-1.5000000000000000
log|2.5|2.5|1.0000000000000000
)";

TEST(NumericMathTest, MatchesPostgresDigitForDigit) {
  std::istringstream in(kGolden);
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream parts(line);
    for (std::string p; std::getline(parts, p, '|');) f.push_back(p);
    ASSERT_EQ(f.size(), 4u) << line;
    Result<Numeric> r;
    if (f[0] == "ln") r = Ln(N(f[1]));
    if (f[0] == "log10") r = Log(N("10"), N(f[1]));
    if (f[0] == "exp") r = Exp(N(f[1]));
    if (f[0] == "pow") r = Power(N(f[1]), N(f[2]));
    if (f[0] == "log") r = Log(N(f[1]), N(f[2]));
    ASSERT_TRUE(r.has_value()) << line << ": " << r.error().message;
    EXPECT_EQ(r->ToString(), f[3]) << line;
    ++checked;
  }
  EXPECT_EQ(checked, 60);
}

TEST(NumericMathTest, SpecialValuesAndErrors) {
  EXPECT_EQ(Ln(N("1.0"))->ToString(), "0.0000000000000000");
  EXPECT_EQ(Ln(Numeric::PosInfinity())->ToString(), "Infinity");
  EXPECT_EQ(Ln(N("0")).error().sqlstate, "2201E");
  EXPECT_EQ(Ln(N("0")).error().message, "cannot take logarithm of zero");
  EXPECT_EQ(Ln(N("-1")).error().message, "cannot take logarithm of a negative number");
  EXPECT_EQ(Ln(Numeric::NegInfinity()).error().sqlstate, "2201E");
  EXPECT_EQ(Log(N("1"), N("10")).error().sqlstate, "22012");
  EXPECT_EQ(Log(Numeric::PosInfinity(), N("2"))->ToString(), "0");
  EXPECT_EQ(Log(N("2"), Numeric::PosInfinity())->ToString(), "Infinity");
  EXPECT_TRUE(Log(Numeric::PosInfinity(), Numeric::PosInfinity())->is_nan());
  EXPECT_EQ(Exp(Numeric::NegInfinity())->ToString(), "0");
  EXPECT_EQ(Exp(N("7000")).error().message, "value overflows numeric format");
  EXPECT_TRUE(Exp(N("-7000"))->is_zero());
  EXPECT_EQ(Power(N("-8"), N("0.5")).error().sqlstate, "2201F");
  EXPECT_EQ(Power(N("0.0"), N("0.5"))->ToString(), "0.0000000000000000");
  EXPECT_EQ(Power(N("2.0"), N("10"))->ToString(), "1024.0000000000000000");
}

TEST(NumericMathTest, IntegerFunctions) {
  EXPECT_EQ(Factorial(0)->ToString(), "1");
  EXPECT_EQ(Factorial(25)->ToString(), "15511210043330985984000000");
  EXPECT_EQ(Factorial(40000).error().sqlstate, "22003");
  EXPECT_EQ(Factorial(1000)->ToString().size(), 2568u);
  EXPECT_EQ(Gcd(N("1.5"), N("0.9"))->ToString(), "0.3");
  EXPECT_EQ(Gcd(N("12.00"), N("-8"))->ToString(), "4.00");
  EXPECT_EQ(Gcd(N("0"), N("0"))->ToString(), "0");
  EXPECT_TRUE(Gcd(Numeric::NaN(), N("1"))->is_nan());
  EXPECT_EQ(Lcm(N("1.5"), N("0.9"))->ToString(), "4.5");
  EXPECT_EQ(Lcm(N("0.0"), N("3"))->ToString(), "0.0");
  EXPECT_EQ(Lcm(N("-4"), N("6"))->ToString(), "12");
}

TEST(NumericMathTest, ScalesAndBuckets) {
  EXPECT_EQ(MinScale(N("1.500")), 1);
  EXPECT_EQ(MinScale(N("12.345000")), 3);
  EXPECT_EQ(MinScale(N("100")), 0);
  EXPECT_EQ(MinScale(N("0.00")), 0);
  EXPECT_EQ(MinScale(Numeric::NaN()), -1);
  EXPECT_EQ(TrimScale(N("-3.14000")).ToString(), "-3.14");
  EXPECT_EQ(TrimScale(N("10.0")).ToString(), "10");
  EXPECT_EQ(*WidthBucket(N("5.35"), N("0.024"), N("10.06"), 5), 3);
  EXPECT_EQ(*WidthBucket(N("10"), N("0"), N("10"), 5), 6);
  EXPECT_EQ(*WidthBucket(N("-1"), N("0"), N("10"), 5), 0);
  EXPECT_EQ(*WidthBucket(N("7"), N("10"), N("0"), 4), 2);
  EXPECT_EQ(*WidthBucket(N("0"), N("10"), N("0"), 4), 5);
  EXPECT_EQ(WidthBucket(N("1"), N("0"), N("10"), 0).error().sqlstate, "2201G");
  EXPECT_EQ(WidthBucket(N("1"), N("5"), N("5"), 3).error().message,
            "lower bound cannot equal upper bound");
  EXPECT_EQ(WidthBucket(Numeric::NaN(), N("0"), N("1"), 3).error().message,
            "operand, lower bound, and upper bound cannot be NaN");
}

}  // namespace
}  // namespace sqlrite::engine::numeric_math
