// The pgwire driver without a server: URLs (which scheme means which backend and profile, what
// libpq refuses) and a refused connection. The driver against real servers is the shared suite's
// sqlrited and postgresql15 profiles (orm/tests/).
#include "orm/pg/pg_driver.h"

#include <gtest/gtest.h>

#include "orm/db.h"

namespace sqlrite::orm::pg {
namespace {

TEST(PgUrlTest, PostgresqlSchemesPassToLibpqUnchanged) {
  auto a = ParsePgUrl("postgresql://ann:pw@db.example:6543/app?sslmode=disable");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->conninfo, "postgresql://ann:pw@db.example:6543/app?sslmode=disable");
  EXPECT_FALSE(a->sqlrited);
  auto b = ParsePgUrl("postgres:///app");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->conninfo, "postgres:///app");
  EXPECT_FALSE(b->sqlrited);
}

TEST(PgUrlTest, SqlriteSchemeIsAPostgresqlUriWithSqlritedsProfile) {
  auto t = ParsePgUrl("sqlrite://postgres@127.0.0.1:5433/postgres");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->conninfo, "postgresql://postgres@127.0.0.1:5433/postgres");
  EXPECT_TRUE(t->sqlrited);
}

TEST(PgUrlTest, OtherSchemesAre22023) {
  for (const char* url : {"mysql://x", "postgresql:/x", "sqlite::memory:", "", "http://h"}) {
    auto t = ParsePgUrl(url);
    ASSERT_FALSE(t) << url;
    EXPECT_EQ(t.error().sqlstate, "22023") << url;
  }
}

TEST(PgUrlTest, AMalformedUriIs22023BeforeAnyConnection) {
  auto d = OpenPg("postgresql://[::1/db");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().sqlstate, "22023");
  EXPECT_NE(d.error().message.find("bad connection URL"), std::string::npos) << d.error().message;
  auto q = OpenPg("postgresql://h/db?no_such_option=1");
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().sqlstate, "22023");
}

TEST(PgUrlTest, OpenDriverPicksTheDriverAndProfileByScheme) {
  struct Case {
    const char* url;
    const char* driver;
    bool upsert;
    Flavor flavor;
  };
  for (const Case& c : {Case{"postgresql://h/db", "postgresql", true, Flavor::kPostgresql},
                        Case{"postgres://h/db", "postgresql", true, Flavor::kPostgresql},
                        Case{"sqlrite://h/db", "sqlrited", true, Flavor::kPostgresql},
                        Case{"sqlite::memory:", "sqlite", true, Flavor::kSqlite},
                        Case{"sqlite:///tmp/x.db", "sqlite", true, Flavor::kSqlite}}) {
    auto d = OpenDriver(c.url);
    ASSERT_TRUE(d) << c.url << ": " << d.error().message;
    EXPECT_EQ((*d)->name(), c.driver) << c.url;
    EXPECT_EQ((*d)->capability().upsert, c.upsert) << c.url;
    EXPECT_EQ((*d)->capability().flavor, c.flavor) << c.url;
  }
  auto bad = OpenDriver("mysql://x");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().sqlstate, "22023");
  auto no_path = OpenDriver("sqlite://");
  ASSERT_FALSE(no_path);
  EXPECT_EQ(no_path.error().sqlstate, "22023");
}

TEST(PgConnectTest, ARefusedConnectionIs08001) {
  // Port 1 on loopback: nothing listens there, the refusal is immediate.
  auto db = Db::Open("postgresql://postgres@127.0.0.1:1/postgres");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().sqlstate, "08001");
  EXPECT_NE(db.error().message.find("cannot connect to postgresql"), std::string::npos)
      << db.error().message;
}

}  // namespace
}  // namespace sqlrite::orm::pg
