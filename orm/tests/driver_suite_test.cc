// The shared integration suite: every test is written once and runs against every driver
// (INSTANTIATE_TEST_SUITE_P over Drivers()). Each test gets its own table prefix and pushes its
// schema. A feature a backend lacks is gated by its Capability: the test then asserts the gate
// (a 0A000 error and nothing sent) instead of the feature; it never skips.
//
// Profiles: sqlite_memory, sqlite_file, sqlrited (the build tree's sqlrited, started by the test)
// and postgresql15 (Debian's PostgreSQL 15, initdb'd and started by the test); ctest runs one
// profile per test entry (orm_driver_suite_<profile>). A server that cannot start fails every
// test of its profile. Where a server lacks SQL the suite needs, the case is listed in that
// profile's `differences` with the text its failure must contain and the reason: the case still
// runs, its failures are intercepted, and it passes only if it failed that way (a case that
// starts passing, or fails otherwise, fails, so the list shrinks as the server grows).
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "orm/orm.h"
#include "orm/sql/serializer.h"
#include "orm/tests/test_servers.h"

namespace sqlrite::orm {
namespace {

using namespace std::chrono_literals;  // 2026y / 12 / 6

struct Person {
  std::int64_t id = 0;
  std::string email;
  std::string name;
  int age = 0;
  std::optional<std::string> bio;
  double score = 0;
  bool active = true;
  SQLRITE_MODEL(Person, "people", (id, key, auto_increment), (email, unique), (name, index), (age),
                (bio), (score), (active, defaulted))
};

struct Grant {
  std::int64_t group_id = 0;
  std::string role;
  std::int64_t level = 1;
  SQLRITE_MODEL(Grant, "grants", (group_id, key), (role, key), (level, defaulted))
};

// Its table is made by hand in LookupsOfTwoRowsAre21000, without the key and the UNIQUE its
// lookups rely on.
struct Ticket {
  std::int64_t id = 0;
  std::string code;
  SQLRITE_MODEL(Ticket, "tickets", (id, key), (code, unique))
};

struct Article;
struct Author {
  std::int64_t id = 0;
  std::string name;
  std::vector<Article> articles;  // has_many, filled by Include
  SQLRITE_MODEL(Author, "authors", (id, key, auto_increment), (name))
  SQLRITE_RELATIONS(Author, (articles, has_many))
};

struct Article {
  std::int64_t id = 0;
  std::optional<std::int64_t> author_id;
  std::string title;
  std::optional<Author> author;  // belongs_to, filled by Include (ON DELETE SET NULL)
  SQLRITE_MODEL(Article, "articles", (id, key, auto_increment), (author_id, index), (title))
  SQLRITE_RELATIONS(Article, (author, belongs_to))
};

struct ExpectedDifference {
  std::string failure_contains;  // a failure message of the case must contain this
  std::string reason;
};

struct DriverSetup {
  std::string name;
  // Opens a Db for one test; `dir` is a fresh temporary directory the test removes.
  std::function<Result<Db>(const std::string& dir, Db::Options options)> open;
  // Cases ("Fixture.Case", without the profile) this backend is known to fail, and how.
  std::map<std::string, ExpectedDifference> differences;
};

// ctest names the parameter by this rather than by its bytes.
[[maybe_unused]] void PrintTo(const DriverSetup& setup, std::ostream* os) { *os << setup.name; }

// sqlrited's known differences from PostgreSQL 15 that the suite meets (the findings of this
// suite, reported to the server's issue; remove an entry when the server gains the SQL). None
// today: identity keys, CREATE INDEX, ON CONFLICT and starts_with, the earlier blockers, are all
// in the server now.
std::map<std::string, ExpectedDifference> SqlritedDifferences() { return {}; }

// One server per kind per test process, started at its first use and stopped at exit; a start
// that failed is not retried (each test of the profile fails with its error).
const Result<std::unique_ptr<testing::Server>>& SharedServer(bool postgres) {
  if (postgres) {
    static const auto server = testing::Server::StartPostgres(SQLRITE_ORM_PG_BIN);
    return server;
  }
  static const auto server = testing::Server::StartSqlrited(SQLRITE_ORM_SQLRITED);
  return server;
}

Result<Db> OpenOnServer(bool postgres, Db::Options options) {
  const auto& server = SharedServer(postgres);
  if (!server) return tl::unexpected(server.error());
  return Db::Open((*server)->url(), std::move(options));
}

std::vector<DriverSetup> Drivers() {
  return {
      {"sqlite_memory",
       [](const std::string&, Db::Options o) { return Db::Open("sqlite::memory:", std::move(o)); },
       {}},
      {"sqlite_file",
       [](const std::string& dir, Db::Options o) {
         return Db::Open("sqlite://" + dir + "/suite.db", std::move(o));
       },
       {}},
      {"sqlrited",
       [](const std::string&, Db::Options o) { return OpenOnServer(false, std::move(o)); },
       SqlritedDifferences()},
      {"postgresql15",
       [](const std::string&, Db::Options o) { return OpenOnServer(true, std::move(o)); },
       {}},
  };
}

class DriverSuite : public ::testing::TestWithParam<DriverSetup> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/orm_suite_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    // "DriverSuite.Case", from "Drivers/DriverSuite" and "Case/profile".
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string suite = info->test_suite_name();
    std::string test = info->name();
    auto it = GetParam().differences.find(suite.substr(suite.find('/') + 1) + "." +
                                          test.substr(0, test.find('/')));
    if (it != GetParam().differences.end()) {
      difference_ = &it->second;
      intercept_.emplace(::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ALL_THREADS,
                         &intercepted_);
    }
    bool opened = Open({});
    // Without a Db the body cannot run: end the interception now so the failure counts and
    // stops the body.
    if (!db_) Verdict();
    ASSERT_TRUE(opened);
  }
  void TearDown() override {
    if (db_) (void)db_->DropSchema();
    db_.reset();
    std::filesystem::remove_all(dir_);
    Verdict();
  }

  // An expected difference holds when the case failed and one failure says what the list says.
  void Verdict() {
    if (!intercept_) return;
    intercept_.reset();
    const ExpectedDifference& d = *difference_;
    bool matched = false;
    for (int i = 0; i < intercepted_.size(); ++i) {
      std::string message = intercepted_.GetTestPartResult(i).message();
      if (message.find(d.failure_contains) != std::string::npos) matched = true;
    }
    if (intercepted_.size() == 0) {
      ADD_FAILURE() << "expected difference no longer occurs on " << GetParam().name
                    << ": remove it from the list (" << d.reason << ")";
    } else if (!matched) {
      for (int i = 0; i < intercepted_.size(); ++i) {
        const auto& r = intercepted_.GetTestPartResult(i);
        ADD_FAILURE() << (r.file_name() ? r.file_name() : "?") << ":" << r.line_number() << ": "
                      << r.message();
      }
      ADD_FAILURE() << "failed, but not with the expected difference \"" << d.failure_contains
                    << "\" (" << d.reason << ")";
    } else {
      RecordProperty("expected_difference", d.reason);
      std::cout << "[ EXPECTED DIFFERENCE ] " << GetParam().name << ": " << d.reason << "\n";
    }
  }

  // (Re)opens the Db with this test's prefix, registers the models and pushes the schema.
  bool Open(std::function<void(Capability&)> restrict) {
    db_.reset();
    Db::Options options;
    // Short enough for PostgreSQL's 63-byte names (the longest index name adds 23 bytes), unique
    // per case by the hash of its full name.
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    char hash[16];
    std::snprintf(hash, sizeof hash, "%06zx", std::hash<std::string>{}(test)&0xffffff);
    options.table_prefix = "t_" + test.substr(0, 24) + "_" + hash + "_";
    for (char& c : options.table_prefix) {
      if (c == '/') c = '_';
    }
    options.restrict_capability = std::move(restrict);
    auto db = GetParam().open(dir_, std::move(options));
    EXPECT_TRUE(db) << db.error().message;
    if (!db) return false;
    db_.emplace(std::move(*db));
    auto registered = RegisterModels(*db_);
    EXPECT_TRUE(registered) << registered.error().message;
    db_->SetTrace([this](const Operation& op) { ops_.push_back(op); });
    auto pushed = db_->PushSchema();
    EXPECT_TRUE(pushed) << pushed.error().message;
    ops_.clear();
    return registered && pushed;
  }

  Db& db() { return *db_; }

  // The models every case of the fixture uses, pushed by Open.
  virtual Status RegisterModels(Db& db) { return db.Register<Person, Grant, Author, Article>(); }

  Person Make(std::string email, std::string name, int age) {
    auto p = Create(db(), Person{.email = std::move(email), .name = std::move(name), .age = age});
    EXPECT_TRUE(p) << p.error().message;
    return p ? *p : Person{};
  }

  std::vector<std::int64_t> Ids(const Query<Person>& q) {
    auto rows = q.OrderBy(Person::fields.id.Asc()).Exec(db());
    EXPECT_TRUE(rows) << rows.error().message;
    std::vector<std::int64_t> ids;
    if (rows) {
      for (const Person& p : *rows) ids.push_back(p.id);
    }
    return ids;
  }

  void ExpectNotSupported(const Error& e) {
    EXPECT_EQ(e.sqlstate, "0A000") << e.message;
    EXPECT_TRUE(ops_.empty()) << "an unsupported call sent an operation";
  }

  std::string dir_;
  std::optional<Db> db_;
  std::vector<Operation> ops_;
  const ExpectedDifference* difference_ = nullptr;
  ::testing::TestPartResultArray intercepted_;
  std::optional<::testing::ScopedFakeTestPartResultReporter> intercept_;
};

TEST_P(DriverSuite, CreateFillsTheKeyAndDefaults) {
  Person a = Make("a@x", "Ann", 30);
  Person b = Make("b@x", "Bob", 40);
  EXPECT_GT(a.id, 0);
  EXPECT_GT(b.id, a.id);
  EXPECT_EQ(a.email, "a@x");
  EXPECT_TRUE(a.active);
  EXPECT_FALSE(a.bio.has_value());
  ASSERT_EQ(ops_.size(), 2u);  // one INSERT ... RETURNING each, no read-back
}

TEST_P(DriverSuite, CreateWithAnExplicitKey) {
  auto p = Create(db(), Person{.id = 100, .email = "e", .name = "E"});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->id, 100);
  // The backends differ here, each as documented: SQLite's AUTOINCREMENT continues after the
  // largest key, PostgreSQL's identity keeps its own sequence, which explicit keys do not move.
  std::int64_t next = db().capability().flavor == Flavor::kSqlite ? 101 : 1;
  EXPECT_EQ(Make("f", "F", 1).id, next);
}

TEST_P(DriverSuite, RawSqlDefaultsApply) {
  ASSERT_TRUE(db().Raw("INSERT INTO " + std::string("\"") +
                       db().schema().TableFor(Person::OrmModel()).name +
                       "\" (email, name, age, score) VALUES ('r', 'R', 1, 0)"));
  auto p = Person::GetBy(db(), Person::fields.email, "r");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_TRUE(p->active);
  auto g = Create(db(), Grant{.group_id = 1, .role = "admin"});
  ASSERT_TRUE(g);
  EXPECT_EQ(g->level, 1);
}

TEST_P(DriverSuite, UniqueViolationIs23505) {
  Make("a@x", "Ann", 30);
  auto dup = Create(db(), Person{.email = "a@x", .name = "Other"});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().sqlstate, "23505");
  EXPECT_EQ(Person::All().Count(db()).value(), 1);
}

TEST_P(DriverSuite, CreateManyIsAllOrNothing) {
  auto many = CreateMany(db(), std::vector<Person>{{.email = "1", .name = "One", .age = 1},
                                                   {.email = "2", .name = "Two", .age = 2},
                                                   {.email = "3", .name = "Three", .age = 3}});
  ASSERT_TRUE(many) << many.error().message;
  ASSERT_EQ(many->size(), 3u);
  EXPECT_EQ((*many)[0].email, "1");
  EXPECT_EQ((*many)[2].name, "Three");
  EXPECT_LT((*many)[0].id, (*many)[2].id);
  auto bad = CreateMany(
      db(), std::vector<Person>{{.email = "4", .name = "Four"}, {.email = "1", .name = "Dup"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().sqlstate, "23505");
  EXPECT_EQ(Person::All().Count(db()).value(), 3);
  EXPECT_TRUE(CreateMany(db(), std::vector<Person>{})->empty());
}

TEST_P(DriverSuite, CreateManyWithoutMultiRowInsertUsesATransaction) {
  ASSERT_TRUE(Open([](Capability& c) { c.multi_row_insert = false; }));
  auto bad = CreateMany(
      db(), std::vector<Person>{{.email = "4", .name = "Four"}, {.email = "4", .name = "Dup"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(Person::All().Count(db()).value(), 0);
  ASSERT_TRUE(std::holds_alternative<TxOp>(ops_.front()));
  auto good = CreateMany(
      db(), std::vector<Person>{{.email = "5", .name = "Five"}, {.email = "6", .name = "Six"}});
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(Person::All().Count(db()).value(), 2);
}

TEST_P(DriverSuite, GetByKeyAndByUniqueField) {
  Person a = Make("a@x", "Ann", 30);
  ops_.clear();
  auto got = Person::Get(db(), a.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->name, "Ann");
  EXPECT_EQ(ops_.size(), 1u);
  auto by_email = Person::GetBy(db(), Person::fields.email, std::string("a@x"));
  ASSERT_TRUE(by_email);
  EXPECT_EQ(by_email->id, a.id);
  auto missing = Person::Get(db(), a.id + 100);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().sqlstate, "02000");
  EXPECT_EQ(missing.error().message, "Person not found");
  auto arity = Person::Get(db(), 1, 2);
  ASSERT_FALSE(arity);
  EXPECT_EQ(arity.error().sqlstate, "22023");
}

// A lookup by key or by a unique field names one row: its SELECT has no LIMIT, and its text is
// made once per Db and sent again with the next values (in a transaction too).
TEST_P(DriverSuite, LookupsReuseOneTextPerForm) {
  Person a = Make("a@x", "Ann", 30);
  Person b = Make("b@x", "Bob", 40);
  ops_.clear();
  ASSERT_TRUE(Person::Get(db(), a.id));
  ASSERT_TRUE(Person::Get(db(), b.id));
  auto by_email = Person::GetBy(db(), Person::fields.email, std::string("b@x"));
  ASSERT_TRUE(by_email);
  EXPECT_EQ(by_email->id, b.id);
  auto tx = db().Begin();
  ASSERT_TRUE(tx);
  auto in_tx = Person::Get(*tx, b.id);
  ASSERT_TRUE(in_tx);
  EXPECT_EQ(in_tx->name, "Bob");
  auto by_email_tx = Person::GetBy(*tx, Person::fields.email, std::string("a@x"));
  ASSERT_TRUE(by_email_tx);
  EXPECT_EQ(by_email_tx->id, a.id);
  ASSERT_TRUE(tx->Commit());
  std::vector<std::string> sql;
  std::vector<std::vector<Value>> params;
  for (const Operation& op : ops_) {
    if (const auto* s = std::get_if<SqlOp>(&op)) {
      sql.push_back(s->sql);
      params.push_back(s->params);
    }
  }
  ASSERT_EQ(sql.size(), 5u);
  EXPECT_EQ(sql[1], sql[0]);
  EXPECT_EQ(sql[3], sql[0]);
  EXPECT_EQ(sql[4], sql[2]);
  EXPECT_NE(sql[2], sql[0]);
  for (const std::string& text : sql) EXPECT_EQ(text.find("LIMIT"), std::string::npos) << text;
  EXPECT_TRUE(params[1] == std::vector<Value>{Value(b.id)});
  EXPECT_TRUE(params[4] == std::vector<Value>{Value(std::string("a@x"))});
}

// A lookup reads its row straight into the instance (Connection::ExecRows); a table made without
// the constraint the lookup relies on can hold a second matching row, which is 21000, and the
// statement cut short there leaves the connection (and its kept lookups) as usable as before.
TEST_P(DriverSuite, LookupsOfTwoRowsAre21000) {
  ASSERT_TRUE(db().Register(Ticket::OrmModel()));  // dropped with the rest at the end
  std::string table = "\"" + db().schema().TableFor(Ticket::OrmModel()).name + "\"";
  ASSERT_TRUE(db().Raw("CREATE TABLE " + table + " (id BIGINT NOT NULL, code TEXT NOT NULL)"));
  ASSERT_TRUE(db().Raw("INSERT INTO " + table + " VALUES (1, 'a'), (1, 'b'), (2, 'b')"));
  auto by_key = Ticket::Get(db(), 1);
  ASSERT_FALSE(by_key);
  EXPECT_EQ(by_key.error().sqlstate, "21000");
  EXPECT_EQ(by_key.error().message, "more than one Ticket matched");
  auto by_code = Ticket::GetBy(db(), Ticket::fields.code, std::string("b"));
  ASSERT_FALSE(by_code);
  EXPECT_EQ(by_code.error().sqlstate, "21000");
  auto one = Ticket::Get(db(), 2);
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->code, "b");
  ASSERT_TRUE(db().Raw("DELETE FROM " + table + " WHERE code = 'a'"));
  auto now_one = Ticket::Get(db(), 1);
  ASSERT_TRUE(now_one) << now_one.error().message;
  EXPECT_EQ(now_one->code, "b");
  auto none = Ticket::GetBy(db(), Ticket::fields.code, std::string("a"));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().sqlstate, "02000");
  EXPECT_EQ(none.error().message, "Ticket not found");
}

TEST_P(DriverSuite, CompositeKeys) {
  ASSERT_TRUE(Create(db(), Grant{.group_id = 1, .role = "admin", .level = 3}));
  ASSERT_TRUE(Create(db(), Grant{.group_id = 1, .role = "user", .level = 1}));
  ASSERT_TRUE(Create(db(), Grant{.group_id = 2, .role = "admin", .level = 2}));
  auto dup = Create(db(), Grant{.group_id = 1, .role = "admin"});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().sqlstate, "23505");
  auto g = Grant::Get(db(), 2, "admin");
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_EQ(g->level, 2);
  ASSERT_TRUE(Update(*g).Set(Grant::fields.level, 5).Exec(db()));
  EXPECT_EQ(Grant::Get(db(), 2, "admin")->level, 5);
  EXPECT_EQ(Grant::Get(db(), 1, "admin")->level, 3);
  ASSERT_TRUE(Remove(db(), *g));
  EXPECT_EQ(Grant::All().Count(db()).value(), 2);
}

TEST_P(DriverSuite, FilterOperators) {
  std::int64_t ann = Make("ann@x", "Ann", 30).id;
  std::int64_t bob = Make("bob@x", "Bob", 40).id;
  std::int64_t cy = Make("cy@y", "anna", 50).id;
  Person dee = Make("dee@y", "Dee", 60);
  ASSERT_TRUE(
      Update(dee).Set(Person::fields.bio, "hello").Set(Person::fields.score, 2.5).Exec(db()));
  std::int64_t d = dee.id;
  using V = std::vector<std::int64_t>;
  const auto& f = Person::fields;
  EXPECT_EQ(Ids(Person::Filter(f.name == "Ann")), V{ann});
  EXPECT_EQ(Ids(Person::Filter(f.name != "Ann")), (V{bob, cy, d}));
  EXPECT_EQ(Ids(Person::Filter(f.age < 40)), V{ann});
  EXPECT_EQ(Ids(Person::Filter(f.age <= 40)), (V{ann, bob}));
  EXPECT_EQ(Ids(Person::Filter(f.age > 50)), V{d});
  EXPECT_EQ(Ids(Person::Filter(f.age >= 50)), (V{cy, d}));
  EXPECT_EQ(Ids(Person::Filter(f.age.Between(35, 55))), (V{bob, cy}));
  EXPECT_EQ(Ids(Person::Filter(f.name.In({"Bob", "Dee", "Zed"}))), (V{bob, d}));
  EXPECT_EQ(Ids(Person::Filter(f.name.In(std::vector<std::string>{}))), V{});
  EXPECT_EQ(Ids(Person::Filter(f.bio.IsNull())), (V{ann, bob, cy}));
  EXPECT_EQ(Ids(Person::Filter(f.bio.IsNotNull())), V{d});
  EXPECT_EQ(Ids(Person::Filter(f.score > 1)), V{d});
  // Case-sensitive on every backend; a prefix is literal, a LIKE pattern is not.
  EXPECT_EQ(Ids(Person::Filter(f.name.StartsWith("An"))), V{ann});
  EXPECT_EQ(Ids(Person::Filter(f.name.StartsWith("a"))), V{cy});
  EXPECT_EQ(Ids(Person::Filter(f.name.StartsWith("%"))), V{});
  EXPECT_EQ(Ids(Person::Filter(f.email.Like("%@y"))), (V{cy, d}));
  EXPECT_EQ(Ids(Person::Filter(f.name.Like("an%"))), V{cy});
  EXPECT_EQ(Ids(Person::Filter(f.age > 30 && f.email.Like("%@x"))), V{bob});
  EXPECT_EQ(Ids(Person::Filter(f.age == 30 || f.age == 60)), (V{ann, d}));
  EXPECT_EQ(Ids(Person::Filter(!(f.age == 30 || f.age == 60))), (V{bob, cy}));
  EXPECT_EQ(Ids(Person::Filter(f.age > 30).Filter(f.age < 60)), (V{bob, cy}));
  EXPECT_EQ(Ids(Person::Filter(f.active == true)), (V{ann, bob, cy, d}));
}

TEST_P(DriverSuite, OrderLimitOffsetFirstCount) {
  Make("a", "C", 1);
  Make("b", "A", 2);
  Make("c", "B", 3);
  Make("d", "A", 4);
  const auto& f = Person::fields;
  auto sorted = Person::All().OrderBy(f.name.Asc(), f.age.Desc()).Exec(db());
  ASSERT_TRUE(sorted);
  std::vector<int> ages;
  for (const Person& p : *sorted) ages.push_back(p.age);
  EXPECT_EQ(ages, (std::vector<int>{4, 2, 3, 1}));
  auto page = Person::All().OrderBy(f.age.Asc()).Limit(2).Offset(1).Exec(db());
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].age, 2);
  EXPECT_EQ((*page)[1].age, 3);
  auto tail = Person::All().OrderBy(f.age.Asc()).Offset(3).Exec(db());
  ASSERT_TRUE(tail);
  ASSERT_EQ(tail->size(), 1u);
  EXPECT_EQ((*tail)[0].age, 4);
  auto first = Person::Filter(f.name == "A").OrderBy(f.age.Desc()).First(db());
  ASSERT_TRUE(first);
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->age, 4);
  auto none = Person::Filter(f.name == "Z").First(db());
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(Person::Filter(f.name == "A").Limit(1).Count(db()).value(), 2);
  EXPECT_EQ(Person::All().Count(db()).value(), 4);
}

TEST_P(DriverSuite, UpdateAnInstance) {
  Person a = Make("a@x", "Ann", 30);
  ASSERT_TRUE(Update(a).Set(Person::fields.name, "Ann B.").Set(Person::fields.age, 31).Exec(db()));
  EXPECT_EQ(a.name, "Ann B.");
  EXPECT_EQ(a.age, 31);
  EXPECT_EQ(Person::Get(db(), a.id)->name, "Ann B.");
  ASSERT_TRUE(Update(a).Set(Person::fields.bio, "x").Exec(db()));
  ASSERT_TRUE(Update(a).Set(Person::fields.bio, std::nullopt).Exec(db()));
  EXPECT_FALSE(Person::Get(db(), a.id)->bio.has_value());
  a.score = 9.5;
  a.active = false;
  ASSERT_TRUE(Save(db(), a));
  auto again = Person::Get(db(), a.id);
  EXPECT_EQ(again->score, 9.5);
  EXPECT_FALSE(again->active);
  Person b = Make("b@x", "Bob", 1);
  auto clash = Update(b).Set(Person::fields.email, "a@x").Exec(db());
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().sqlstate, "23505");
  ASSERT_TRUE(Remove(db(), b));
  auto gone = Update(b).Set(Person::fields.age, 2).Exec(db());
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().sqlstate, "02000");
}

TEST_P(DriverSuite, UpdateAndRemoveAQuery) {
  Make("a", "A", 10);
  Make("b", "B", 20);
  Make("c", "C", 30);
  const auto& f = Person::fields;
  auto n = Person::Filter(f.age >= 20).Update().Set(f.active, false).Set(f.bio, "old").Exec(db());
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(Person::Filter(f.active == false && f.bio == "old").Count(db()).value(), 2);
  auto removed = Person::Filter(f.active == false).Remove(db());
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 2);
  EXPECT_EQ(Person::All().Count(db()).value(), 1);
  auto limited = Person::All().Limit(1).Update().Set(f.age, 1).Exec(db());
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().sqlstate, "0A000");
  EXPECT_EQ(Person::All().Remove(db()).value(), 1);
}

TEST_P(DriverSuite, RemoveAnInstance) {
  Person a = Make("a", "A", 1);
  ASSERT_TRUE(Remove(db(), a));
  auto again = Remove(db(), a);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().sqlstate, "02000");
}

TEST_P(DriverSuite, TransactionCommitAndRollback) {
  {
    auto tx = db().Begin();
    ASSERT_TRUE(tx) << tx.error().message;
    ASSERT_TRUE(Create(*tx, Person{.email = "in", .name = "In"}));
    ASSERT_TRUE(tx->Commit());
  }
  {
    auto tx = db().Begin();
    ASSERT_TRUE(tx);
    ASSERT_TRUE(Create(*tx, Person{.email = "out", .name = "Out"}));
    ASSERT_TRUE(tx->Rollback());
    auto twice = tx->Commit();
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().sqlstate, "25000");
    auto after = Create(*tx, Person{.email = "late", .name = "L"});
    ASSERT_FALSE(after);
    EXPECT_EQ(after.error().sqlstate, "25000");
    EXPECT_EQ(after.error().message, "the transaction is over: it was committed or rolled back");
  }
  {
    auto tx = db().Begin();
    ASSERT_TRUE(tx);
    ASSERT_TRUE(Create(*tx, Person{.email = "dropped", .name = "D"}));
  }  // destroyed open: rolled back
  EXPECT_EQ(Ids(Person::All()).size(), 1u);
  EXPECT_TRUE(Person::GetBy(db(), Person::fields.email, "in"));
}

TEST_P(DriverSuite, NestedTransactionsAreSavepoints) {
  auto outer = db().Begin();
  ASSERT_TRUE(outer);
  ASSERT_TRUE(Create(*outer, Person{.email = "o", .name = "O"}));
  {
    auto inner = outer->Begin();
    ASSERT_TRUE(inner) << inner.error().message;
    ASSERT_TRUE(Create(*inner, Person{.email = "i1", .name = "I"}));
    auto busy = outer->Begin();
    ASSERT_FALSE(busy);
    EXPECT_EQ(busy.error().sqlstate, "25000");
    auto early = outer->Commit();
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().sqlstate, "25000");
    ASSERT_TRUE(inner->Rollback());
  }
  {
    auto inner = outer->Begin();
    ASSERT_TRUE(inner);
    ASSERT_TRUE(Create(*inner, Person{.email = "i2", .name = "I"}));
    ASSERT_TRUE(inner->Commit());
  }
  auto second = db().Begin();
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().sqlstate, "25000");
  ASSERT_TRUE(outer->Commit());
  std::vector<std::string> emails;
  auto people = Person::All().OrderBy(Person::fields.id.Asc()).Exec(db());
  ASSERT_TRUE(people);
  for (const Person& p : *people) emails.push_back(p.email);
  EXPECT_EQ(emails, (std::vector<std::string>{"o", "i2"}));
}

TEST_P(DriverSuite, ErrorInsideATransactionLeavesItUsable) {
  Make("a", "A", 1);
  auto tx = db().Begin();
  ASSERT_TRUE(tx);
  auto inner = tx->Begin();
  ASSERT_TRUE(inner);
  EXPECT_FALSE(Create(*inner, Person{.email = "a", .name = "dup"}));
  ASSERT_TRUE(inner->Rollback());
  ASSERT_TRUE(Create(*tx, Person{.email = "b", .name = "B"}));
  ASSERT_TRUE(tx->Commit());
  EXPECT_EQ(Person::All().Count(db()).value(), 2);
}

TEST_P(DriverSuite, RawSql) {
  Make("a", "A", 7);
  std::string table = sql::QuoteIdentifier(db().schema().TableFor(Person::OrmModel()).name);
  std::string p = db().capability().flavor == Flavor::kPostgresql ? "$1" : "?";
  auto r = db().Raw("SELECT name, age FROM " + table + " WHERE age = " + p, {Value(7)});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->columns, (std::vector<std::string>{"name", "age"}));
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0][0], Value("A"));
  auto all = db().Raw("SELECT * FROM " + table);
  ASSERT_TRUE(all);
  auto people = FromRows<Person>(*all);
  ASSERT_TRUE(people);
  EXPECT_EQ(people->at(0).age, 7);
  auto bad = db().Raw("SELEC 1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().sqlstate, "42601");
  auto narrow = FromRows<Person>(*r);
  ASSERT_FALSE(narrow);
  EXPECT_EQ(narrow.error().sqlstate, "42804");
}

TEST_P(DriverSuite, Upsert) {
  if (!db().capability().upsert) {
    auto r = Upsert(db(), Person{.email = "a", .name = "A"}, Person::fields.email);
    ASSERT_FALSE(r);
    ExpectNotSupported(r.error());
    return;
  }
  Person a = Make("a", "A", 1);
  auto up = Upsert(db(), Person{.email = "a", .name = "A2", .age = 2}, Person::fields.email);
  ASSERT_TRUE(up) << up.error().message;
  EXPECT_EQ(up->id, a.id);
  EXPECT_EQ(up->name, "A2");
  auto fresh = Upsert(db(), Person{.email = "b", .name = "B"}, Person::fields.email);
  ASSERT_TRUE(fresh);
  EXPECT_NE(fresh->id, a.id);
  EXPECT_EQ(Person::All().Count(db()).value(), 2);
}

TEST_P(DriverSuite, CapabilityGatesRefuseBeforeSending) {
  ASSERT_TRUE(Open([](Capability& c) {
    c.upsert = false;
    c.starts_with = false;
    c.returning = false;
    c.savepoints = false;
  }));
  auto up = Upsert(db(), Person{.email = "a", .name = "A"}, Person::fields.email);
  ASSERT_FALSE(up);
  ExpectNotSupported(up.error());
  EXPECT_EQ(up.error().message,
            "upsert is not supported by the " + std::string(db().driver_name()) + " driver");
  auto sw = Person::Filter(Person::fields.name.StartsWith("A")).Exec(db());
  ASSERT_FALSE(sw);
  ExpectNotSupported(sw.error());
  auto sw_delete = Person::Filter(!Person::fields.name.StartsWith("A")).Remove(db());
  ASSERT_FALSE(sw_delete);
  ExpectNotSupported(sw_delete.error());
  auto created = Create(db(), Person{.email = "a", .name = "A"});
  ASSERT_FALSE(created);
  ExpectNotSupported(created.error());
  auto tx = db().Begin();
  ASSERT_TRUE(tx);
  ops_.clear();
  auto nested = tx->Begin();
  ASSERT_FALSE(nested);
  ExpectNotSupported(nested.error());
  ASSERT_TRUE(tx->Commit());
}

TEST_P(DriverSuite, IndexGateFailsPushSchema) {
  db_.reset();
  Db::Options options;
  options.table_prefix = "t_gate_";
  options.restrict_capability = [](Capability& c) { c.secondary_indexes = false; };
  auto db = GetParam().open(dir_, std::move(options));
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Register<Person>());
  auto pushed = db->PushSchema();
  ASSERT_FALSE(pushed);
  EXPECT_EQ(pushed.error().sqlstate, "0A000");
  EXPECT_EQ(pushed.error().message,
            "CREATE INDEX is not supported by the " + std::string(db->driver_name()) + " driver");
  // The push was one transaction: the table is not there either.
  auto count = Person::All().Count(*db);
  ASSERT_FALSE(count);
  EXPECT_EQ(count.error().sqlstate, "42P01");
}

TEST_P(DriverSuite, PushSchemaIsRepeatable) {
  Make("a", "A", 1);
  ASSERT_TRUE(db().PushSchema());
  EXPECT_EQ(Person::All().Count(db()).value(), 1);
}

struct Stray {
  std::int64_t id = 0;
  SQLRITE_MODEL(Stray, "stray", (id, key))
};

TEST_P(DriverSuite, UnregisteredModelIsAnError) {
  auto r = Stray::All().Exec(db());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, "42P01");
  EXPECT_EQ(r.error().message, "model Stray is not registered with this database");
  EXPECT_TRUE(ops_.empty());
}

TEST_P(DriverSuite, ValuesRoundTrip) {
  auto p = Create(db(), Person{.email = "it's \"q\"",
                               .name = "\xc3\xa9t\xc3\xa9",
                               .age = -5,
                               .bio = "",
                               .score = -0.125,
                               .active = false});
  ASSERT_TRUE(p) << p.error().message;
  auto got = Person::Get(db(), p->id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->email, "it's \"q\"");
  EXPECT_EQ(got->name, "\xc3\xa9t\xc3\xa9");
  EXPECT_EQ(got->age, -5);
  ASSERT_TRUE(got->bio.has_value());
  EXPECT_EQ(*got->bio, "");
  EXPECT_EQ(got->score, -0.125);
  EXPECT_FALSE(got->active);
}

TEST_P(DriverSuite, HasManyIncludeIsOneQuery) {
  auto ann = Create(db(), Author{.name = "Ann"});
  auto bob = Create(db(), Author{.name = "Bob"});
  auto cy = Create(db(), Author{.name = "Cy"});
  ASSERT_TRUE(ann && bob && cy);
  ASSERT_TRUE(CreateMany(db(), std::vector<Article>{{.author_id = bob->id, .title = "b1"},
                                                    {.author_id = ann->id, .title = "a1"},
                                                    {.author_id = bob->id, .title = "b2"},
                                                    {.title = "orphan"}}));
  auto authors = Author::All().OrderBy(Author::fields.id.Asc()).Exec(db());
  ASSERT_TRUE(authors);
  ops_.clear();
  ASSERT_TRUE(Include(db(), *authors, Author::rel.articles));
  EXPECT_EQ(ops_.size(), 1u);  // one SELECT ... IN for all three authors
  ASSERT_EQ(authors->size(), 3u);
  ASSERT_EQ((*authors)[0].articles.size(), 1u);
  EXPECT_EQ((*authors)[0].articles[0].title, "a1");
  ASSERT_EQ((*authors)[1].articles.size(), 2u);
  EXPECT_EQ((*authors)[1].articles[0].title, "b1");
  EXPECT_EQ((*authors)[1].articles[1].title, "b2");
  EXPECT_TRUE((*authors)[2].articles.empty());
  std::vector<Author> none;
  ops_.clear();
  ASSERT_TRUE(Include(db(), none, Author::rel.articles));
  EXPECT_TRUE(ops_.empty());
}

TEST_P(DriverSuite, BelongsToInclude) {
  auto ann = Create(db(), Author{.name = "Ann"});
  ASSERT_TRUE(ann);
  ASSERT_TRUE(CreateMany(db(), std::vector<Article>{{.author_id = ann->id, .title = "a1"},
                                                    {.author_id = ann->id, .title = "a2"},
                                                    {.title = "orphan"}}));
  // A key that names no author is refused by the database (the declared foreign key).
  auto dangling = Create(db(), Article{.author_id = 999, .title = "dangling"});
  ASSERT_FALSE(dangling);
  EXPECT_EQ(dangling.error().sqlstate, "23503") << dangling.error().message;
  auto articles = Article::All().OrderBy(Article::fields.id.Asc()).Exec(db());
  ASSERT_TRUE(articles);
  ops_.clear();
  ASSERT_TRUE(Include(db(), *articles, Article::rel.author));
  EXPECT_EQ(ops_.size(), 1u);
  ASSERT_EQ(articles->size(), 3u);
  ASSERT_TRUE((*articles)[0].author.has_value());
  EXPECT_EQ((*articles)[0].author->name, "Ann");
  EXPECT_EQ((*articles)[1].author->id, ann->id);
  EXPECT_FALSE((*articles)[2].author.has_value());
}

TEST_P(DriverSuite, IncludeChunksLongKeyLists) {
  std::vector<Author> many(1203);
  for (std::size_t i = 0; i < many.size(); ++i) many[i].name = "a" + std::to_string(i);
  auto authors = CreateMany(db(), many);
  ASSERT_TRUE(authors) << authors.error().message;
  ASSERT_TRUE(Create(db(), Article{.author_id = authors->back().id, .title = "last"}));
  ops_.clear();
  ASSERT_TRUE(Include(db(), *authors, Author::rel.articles));
  EXPECT_EQ(ops_.size(), 3u);  // 500 + 500 + 203 keys
  EXPECT_EQ(authors->back().articles.size(), 1u);
  EXPECT_TRUE(authors->front().articles.empty());
}

INSTANTIATE_TEST_SUITE_P(Drivers, DriverSuite, ::testing::ValuesIn(Drivers()),
                         [](const auto& test) { return test.param.name; });

// ---- The same features over models whose keys the application gives (no auto-increment) ----
// They need no identity column, so these cases run on every backend today, sqlrited included.

struct Tag {
  std::string slug;
  std::string title;
  int uses = 0;
  std::optional<std::string> note;
  double weight = 1;
  bool pinned = false;
  SQLRITE_MODEL(Tag, "tags", (slug, key), (title, unique), (uses), (note), (weight),
                (pinned, defaulted))
};

struct Profile {
  std::int64_t id = 0;
  std::int64_t member_id = 0;
  std::string bio;
  SQLRITE_MODEL(Profile, "profiles", (id, key), (member_id), (bio))
};

struct Badge;
struct Member {
  std::int64_t id = 0;
  std::string name;
  std::vector<Badge> badges;       // has_many
  std::optional<Profile> profile;  // has_one (Profile declares no belongs_to back: no REFERENCES)
  SQLRITE_MODEL(Member, "members", (id, key), (name))
  SQLRITE_RELATIONS(Member, (badges, has_many), (profile, has_one, member_id))
};

struct Badge {
  std::int64_t id = 0;
  std::optional<std::int64_t> member_id;
  std::string label;
  std::optional<Member> member;  // belongs_to
  SQLRITE_MODEL(Badge, "badges", (id, key), (member_id), (label))
  SQLRITE_RELATIONS(Badge, (member, belongs_to))
};

class KeyedSuite : public DriverSuite {
 protected:
  Status RegisterModels(Db& db) override { return db.Register<Tag, Member, Badge, Profile>(); }

  Tag MakeTag(std::string slug, std::string title, int uses) {
    auto t = Create(db(), Tag{.slug = std::move(slug), .title = std::move(title), .uses = uses});
    EXPECT_TRUE(t) << t.error().message;
    return t ? *t : Tag{};
  }

  std::vector<std::string> Slugs(const Query<Tag>& q) {
    auto rows = q.OrderBy(Tag::fields.slug.Asc()).Exec(db());
    EXPECT_TRUE(rows) << rows.error().sqlstate << " " << rows.error().message;
    std::vector<std::string> slugs;
    if (rows) {
      for (const Tag& t : *rows) slugs.push_back(t.slug);
    }
    return slugs;
  }
};

TEST_P(KeyedSuite, CreateGetUpdateRemove) {
  Tag a = MakeTag("a", "Alpha", 3);
  EXPECT_EQ(a.slug, "a");
  EXPECT_FALSE(a.pinned);  // the DDL default came back through RETURNING
  EXPECT_EQ(a.weight, 1);
  ASSERT_EQ(ops_.size(), 1u);
  auto got = Tag::Get(db(), "a");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->title, "Alpha");
  auto by_title = Tag::GetBy(db(), Tag::fields.title, "Alpha");
  ASSERT_TRUE(by_title);
  EXPECT_EQ(by_title->slug, "a");
  auto dup_key = Create(db(), Tag{.slug = "a", .title = "Other"});
  ASSERT_FALSE(dup_key);
  EXPECT_EQ(dup_key.error().sqlstate, "23505");
  MakeTag("b", "Beta", 1);
  auto dup_title = Update(a).Set(Tag::fields.title, "Beta").Exec(db());
  ASSERT_FALSE(dup_title);
  EXPECT_EQ(dup_title.error().sqlstate, "23505");
  ASSERT_TRUE(Update(a).Set(Tag::fields.note, "n").Set(Tag::fields.uses, 4).Exec(db()));
  EXPECT_EQ(a.uses, 4);
  ASSERT_TRUE(a.note.has_value());
  a.weight = 2.5;
  a.pinned = true;
  a.note.reset();
  ASSERT_TRUE(Save(db(), a));
  auto saved = Tag::Get(db(), "a");
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->weight, 2.5);
  EXPECT_TRUE(saved->pinned);
  EXPECT_FALSE(saved->note.has_value());
  ASSERT_TRUE(Remove(db(), a));
  auto gone = Tag::Get(db(), "a");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().sqlstate, "02000");
  auto again = Remove(db(), a);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().sqlstate, "02000");
}

TEST_P(KeyedSuite, FiltersOrderLimitCount) {
  MakeTag("a", "Ann", 30);
  MakeTag("b", "Bob", 40);
  MakeTag("c", "anna", 50);
  Tag d = MakeTag("d", "Dee", 60);
  ASSERT_TRUE(Update(d).Set(Tag::fields.note, "hello").Exec(db()));
  using V = std::vector<std::string>;
  const auto& f = Tag::fields;
  EXPECT_EQ(Slugs(Tag::Filter(f.title == "Ann")), V{"a"});
  EXPECT_EQ(Slugs(Tag::Filter(f.title != "Ann")), (V{"b", "c", "d"}));
  EXPECT_EQ(Slugs(Tag::Filter(f.uses < 40)), V{"a"});
  EXPECT_EQ(Slugs(Tag::Filter(f.uses >= 50)), (V{"c", "d"}));
  EXPECT_EQ(Slugs(Tag::Filter(f.uses.Between(35, 55))), (V{"b", "c"}));
  EXPECT_EQ(Slugs(Tag::Filter(f.title.In({"Bob", "Dee", "Zed"}))), (V{"b", "d"}));
  EXPECT_EQ(Slugs(Tag::Filter(f.title.In(std::vector<std::string>{}))), V{});
  EXPECT_EQ(Slugs(Tag::Filter(f.note.IsNull())), (V{"a", "b", "c"}));
  EXPECT_EQ(Slugs(Tag::Filter(f.note.IsNotNull())), V{"d"});
  EXPECT_EQ(Slugs(Tag::Filter(f.title.Like("an%"))), V{"c"});
  EXPECT_EQ(Slugs(Tag::Filter(!(f.uses == 30 || f.uses == 60) && f.title.Like("%n%"))), V{"c"});
  EXPECT_EQ(Slugs(Tag::Filter(f.pinned == false).Filter(f.uses > 30)), (V{"b", "c", "d"}));
  if (db().capability().starts_with) {
    EXPECT_EQ(Slugs(Tag::Filter(f.title.StartsWith("An"))), V{"a"});
    EXPECT_EQ(Slugs(Tag::Filter(f.title.StartsWith("%"))), V{});
  } else {
    ops_.clear();
    auto sw = Tag::Filter(f.title.StartsWith("An")).Exec(db());
    ASSERT_FALSE(sw);
    ExpectNotSupported(sw.error());
  }
  auto page = Tag::All().OrderBy(f.uses.Desc()).Limit(2).Offset(1).Exec(db());
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].slug, "c");
  EXPECT_EQ((*page)[1].slug, "b");
  auto tail = Tag::All().OrderBy(f.uses.Asc()).Offset(3).Exec(db());
  ASSERT_TRUE(tail) << tail.error().message;
  ASSERT_EQ(tail->size(), 1u);
  EXPECT_EQ((*tail)[0].slug, "d");
  auto first = Tag::Filter(f.uses > 35).OrderBy(f.uses.Asc()).First(db());
  ASSERT_TRUE(first);
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->slug, "b");
  EXPECT_EQ(Tag::Filter(f.uses > 35).Count(db()).value(), 3);
}

TEST_P(KeyedSuite, CreateManyAndQueryWrites) {
  auto many = CreateMany(db(), std::vector<Tag>{{.slug = "x", .title = "X", .uses = 1},
                                                {.slug = "y", .title = "Y", .uses = 2},
                                                {.slug = "z", .title = "Z", .uses = 3}});
  ASSERT_TRUE(many) << many.error().message;
  ASSERT_EQ(many->size(), 3u);
  EXPECT_EQ((*many)[2].title, "Z");
  auto bad = CreateMany(
      db(), std::vector<Tag>{{.slug = "w", .title = "W"}, {.slug = "x", .title = "Dup"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().sqlstate, "23505");
  EXPECT_EQ(Tag::All().Count(db()).value(), 3);
  const auto& f = Tag::fields;
  auto n = Tag::Filter(f.uses >= 2).Update().Set(f.pinned, true).Set(f.note, "p").Exec(db());
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(Tag::Filter(f.pinned == true && f.note == "p").Count(db()).value(), 2);
  auto removed = Tag::Filter(f.pinned == true).Remove(db());
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 2);
  EXPECT_EQ(Slugs(Tag::All()), std::vector<std::string>{"x"});
}

TEST_P(KeyedSuite, TransactionsSavepointsAndErrors) {
  MakeTag("a", "A", 1);
  {
    auto tx = db().Begin();
    ASSERT_TRUE(tx) << tx.error().message;
    ASSERT_TRUE(Create(*tx, Tag{.slug = "in", .title = "In"}));
    {
      auto inner = tx->Begin();
      ASSERT_TRUE(inner) << inner.error().message;
      EXPECT_FALSE(Create(*inner, Tag{.slug = "a", .title = "dup"}));
      ASSERT_TRUE(inner->Rollback());
    }
    {
      auto inner = tx->Begin();
      ASSERT_TRUE(inner);
      ASSERT_TRUE(Create(*inner, Tag{.slug = "kept", .title = "K"}));
      ASSERT_TRUE(inner->Commit());
    }
    ASSERT_TRUE(tx->Commit());
  }
  {
    auto tx = db().Begin();
    ASSERT_TRUE(tx);
    ASSERT_TRUE(Create(*tx, Tag{.slug = "out", .title = "Out"}));
    ASSERT_TRUE(tx->Rollback());
  }
  {
    auto tx = db().Begin();
    ASSERT_TRUE(tx);
    ASSERT_TRUE(Create(*tx, Tag{.slug = "dropped", .title = "D"}));
  }  // destroyed open: rolled back
  EXPECT_EQ(Slugs(Tag::All()), (std::vector<std::string>{"a", "in", "kept"}));
}

TEST_P(KeyedSuite, ValuesRoundTrip) {
  auto t = Create(db(), Tag{.slug = "it's \"q\"",
                            .title = "\xc3\xa9t\xc3\xa9 \xe2\x82\xac",
                            .uses = -5,
                            .note = "",
                            .weight = 0.1 + 0.2,
                            .pinned = true});
  ASSERT_TRUE(t) << t.error().message;
  auto got = Tag::Get(db(), "it's \"q\"");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->title, "\xc3\xa9t\xc3\xa9 \xe2\x82\xac");
  EXPECT_EQ(got->uses, -5);
  ASSERT_TRUE(got->note.has_value());
  EXPECT_EQ(*got->note, "");
  EXPECT_EQ(got->weight, 0.1 + 0.2);
  EXPECT_TRUE(got->pinned);
  auto raw = db().Raw("SELECT uses, weight, pinned, note FROM " +
                      sql::QuoteIdentifier(db().schema().TableFor(Tag::OrmModel()).name));
  ASSERT_TRUE(raw) << raw.error().message;
  ASSERT_EQ(raw->rows.size(), 1u);
  EXPECT_EQ(raw->rows[0][0], Value(-5));
  EXPECT_EQ(raw->rows[0][1], Value(0.1 + 0.2));
  // SQLite has no boolean type: it stores and returns 1 (the ORM maps it back to true).
  EXPECT_EQ(raw->rows[0][2], db().capability().flavor == Flavor::kSqlite ? Value(1) : Value(true));
  EXPECT_EQ(raw->rows[0][3], Value(""));
}

TEST_P(KeyedSuite, IncludesHasManyAndBelongsTo) {
  ASSERT_TRUE(CreateMany(
      db(), std::vector<Member>{
                {.id = 1, .name = "Ann"}, {.id = 2, .name = "Bob"}, {.id = 3, .name = "Cy"}}));
  ASSERT_TRUE(CreateMany(db(), std::vector<Badge>{{.id = 10, .member_id = 2, .label = "b1"},
                                                  {.id = 11, .member_id = 1, .label = "a1"},
                                                  {.id = 12, .member_id = 2, .label = "b2"},
                                                  {.id = 13, .label = "orphan"}}));
  auto members = Member::All().OrderBy(Member::fields.id.Asc()).Exec(db());
  ASSERT_TRUE(members);
  ops_.clear();
  ASSERT_TRUE(Include(db(), *members, Member::rel.badges));
  EXPECT_EQ(ops_.size(), 1u);
  ASSERT_EQ(members->size(), 3u);
  ASSERT_EQ((*members)[0].badges.size(), 1u);
  EXPECT_EQ((*members)[0].badges[0].label, "a1");
  ASSERT_EQ((*members)[1].badges.size(), 2u);
  EXPECT_EQ((*members)[1].badges[1].label, "b2");
  EXPECT_TRUE((*members)[2].badges.empty());
  auto badges = Badge::All().OrderBy(Badge::fields.id.Asc()).Exec(db());
  ASSERT_TRUE(badges);
  ASSERT_TRUE(Include(db(), *badges, Badge::rel.member));
  ASSERT_EQ(badges->size(), 4u);
  ASSERT_TRUE((*badges)[0].member.has_value());
  EXPECT_EQ((*badges)[0].member->name, "Bob");
  EXPECT_FALSE((*badges)[3].member.has_value());
}

TEST_P(KeyedSuite, HasOneInclude) {
  ASSERT_TRUE(
      CreateMany(db(), std::vector<Member>{{.id = 1, .name = "Ann"}, {.id = 2, .name = "Bob"}}));
  ASSERT_TRUE(Create(db(), Profile{.id = 7, .member_id = 2, .bio = "bob's"}));
  auto members = Member::All().OrderBy(Member::fields.id.Asc()).Exec(db());
  ASSERT_TRUE(members);
  (*members)[0].profile = Profile{.id = 99};  // stale: Include replaces what was there
  ops_.clear();
  ASSERT_TRUE(Include(db(), *members, Member::rel.profile));
  EXPECT_EQ(ops_.size(), 1u);
  EXPECT_FALSE((*members)[0].profile.has_value());
  ASSERT_TRUE((*members)[1].profile.has_value());
  EXPECT_EQ((*members)[1].profile->bio, "bob's");
  ASSERT_TRUE(Create(db(), Profile{.id = 8, .member_id = 2, .bio = "second"}));
  auto two = Include(db(), *members, Member::rel.profile);
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().sqlstate, "21000");
  EXPECT_EQ(two.error().message, "more than one Profile for one Member (has_one)");
}

TEST_P(KeyedSuite, UpsertOrItsGate) {
  MakeTag("a", "Alpha", 1);
  ops_.clear();
  auto up = Upsert(db(), Tag{.slug = "a2", .title = "Alpha", .uses = 9}, Tag::fields.title);
  if (!db().capability().upsert) {
    ASSERT_FALSE(up);
    ExpectNotSupported(up.error());
    return;
  }
  ASSERT_TRUE(up) << up.error().message;
  EXPECT_EQ(up->slug, "a");  // the key is not updated
  EXPECT_EQ(up->uses, 9);
  EXPECT_EQ(Tag::All().Count(db()).value(), 1);
}

INSTANTIATE_TEST_SUITE_P(Drivers, KeyedSuite, ::testing::ValuesIn(Drivers()),
                         [](const auto& test) { return test.param.name; });

// ---- Auto UUIDs, version fields, increment, cursor pagination, projections, scoped and nested
// creates, cascading deletes ----

struct Session {
  Uuid id;
  std::string user;
  SQLRITE_MODEL(Session, "sessions", (id, key, uuid_v4), (user))
};

struct Event {
  Uuid id;
  std::string name;
  SQLRITE_MODEL(Event, "events", (id, key, uuid_v7), (name))
};

struct Account {
  std::int64_t id = 0;
  std::string owner;
  std::int64_t balance = 0;
  double rate = 0;
  std::int64_t version = 0;
  Timestamp created{};
  Timestamp updated{};
  SQLRITE_MODEL(Account, "accounts", (id, key, auto_increment), (owner, unique), (balance), (rate),
                (version, version), (created, created_at), (updated, updated_at))
};

struct Cover {
  std::int64_t id = 0;
  std::int64_t board_id = 0;
  std::string image;
  SQLRITE_MODEL(Cover, "covers", (id, key, auto_increment), (board_id, unique), (image, unique))
};

struct Comment;
struct Note;
struct Board {
  std::int64_t id = 0;
  std::string title;
  std::vector<Comment> comments;  // has_many, required foreign key: deleted with the board
  std::vector<Note> notes;        // has_many, optional foreign key: kept, unlinked
  std::optional<Cover> cover;     // has_one (Cover is complete here, so it holds no Board back)
  SQLRITE_MODEL(Board, "boards", (id, key, auto_increment), (title))
  SQLRITE_RELATIONS(Board, (comments, has_many), (notes, has_many), (cover, has_one, board_id))
};

struct Comment {
  std::int64_t id = 0;
  std::int64_t board_id = 0;
  std::string body;
  std::optional<Board> board;  // belongs_to: ON DELETE CASCADE
  SQLRITE_MODEL(Comment, "comments", (id, key, auto_increment), (board_id, index), (body))
  SQLRITE_RELATIONS(Comment, (board, belongs_to))
};

struct Note {
  std::int64_t id = 0;
  std::optional<std::int64_t> board_id;
  std::string text;
  std::optional<Board> board;  // belongs_to: ON DELETE SET NULL
  SQLRITE_MODEL(Note, "notes", (id, key, auto_increment), (board_id, index), (text))
  SQLRITE_RELATIONS(Note, (board, belongs_to))
};

struct Reply {
  std::int64_t id = 0;
  std::int64_t comment_id = 0;  // required: replies go with their comment (CASCADE)
  std::string text;
  std::optional<Comment> comment;
  SQLRITE_MODEL(Reply, "replies", (id, key, auto_increment), (comment_id), (text))
  SQLRITE_RELATIONS(Reply, (comment, belongs_to))
};

struct Pin {
  std::int64_t id = 0;
  std::optional<std::int64_t> comment_id;  // optional: a pin outlives its comment (SET NULL)
  std::optional<Comment> comment;
  SQLRITE_MODEL(Pin, "pins", (id, key, auto_increment), (comment_id))
  SQLRITE_RELATIONS(Pin, (comment, belongs_to))
};

class FeatureSuite : public DriverSuite {
 protected:
  Status RegisterModels(Db& db) override {
    return db.Register<Person, Grant, Session, Event, Account, Board, Cover, Comment, Note, Reply,
                       Pin>();
  }

  bool SentSql(std::string_view fragment) const {
    for (const Operation& op : ops_) {
      if (const auto* s = std::get_if<SqlOp>(&op)) {
        if (s->sql.find(fragment) != std::string::npos) return true;
      }
    }
    return false;
  }

  static bool IsUuid(const Uuid& uuid, char version) {
    std::string u = FormatUuid(uuid);
    static const std::regex kForm(
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    return std::regex_match(u, kForm) && u[14] == version;
  }

  template <typename M>
  static std::vector<std::int64_t> IdsOf(const std::vector<M>& rows) {
    std::vector<std::int64_t> ids;
    for (const M& r : rows) ids.push_back(r.id);
    return ids;
  }
};

TEST_P(FeatureSuite, UuidV4KeysAreMadeOnCreate) {
  auto a = Create(db(), Session{.user = "ann"});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_TRUE(IsUuid(a->id, '4')) << FormatUuid(a->id);
  auto got = Session::Get(db(), a->id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->user, "ann");
  auto many = CreateMany(db(), std::vector<Session>{{.user = "b"}, {.user = "c"}});
  ASSERT_TRUE(many) << many.error().message;
  ASSERT_EQ(many->size(), 2u);
  EXPECT_NE((*many)[0].id, (*many)[1].id);
  EXPECT_TRUE(IsUuid((*many)[1].id, '4'));
  // A key the application gives is kept.
  auto given =
      Create(db(), Session{.id = *ParseUuid("00000000-0000-4000-8000-000000000001"), .user = "d"});
  ASSERT_TRUE(given) << given.error().message;
  EXPECT_EQ(FormatUuid(given->id), "00000000-0000-4000-8000-000000000001");
  EXPECT_EQ(Session::All().Count(db()).value(), 4);
}

TEST_P(FeatureSuite, UuidV7KeysSortInCreationOrder) {
  std::vector<std::string> names;
  for (int i = 0; i < 20; ++i) {
    names.push_back("e" + std::to_string(i));
    auto e = Create(db(), Event{.name = names.back()});
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_TRUE(IsUuid(e->id, '7')) << FormatUuid(e->id);
  }
  auto names_by_key = Event::All().OrderBy(Event::fields.id.Asc()).Select(db(), Event::fields.name);
  ASSERT_TRUE(names_by_key) << names_by_key.error().message;
  EXPECT_EQ(*names_by_key, names);
}

TEST_P(FeatureSuite, VersionFieldRefusesStaleWrites) {
  auto made = Create(db(), Account{.owner = "ann", .balance = 10});
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->version, 1);  // a create starts the version at 1
  Account mine = *made, theirs = *made;
  mine.balance = 20;
  ASSERT_TRUE(Save(db(), mine));
  EXPECT_EQ(mine.version, 2);
  EXPECT_TRUE(SentSql("\"version\" = \"version\" + "));
  // The other copy was read at version 1: its save, update and delete are refused, and change
  // nothing.
  theirs.balance = 99;
  auto stale = Save(db(), theirs);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().sqlstate, "40001") << stale.error().message;
  auto stale_update = Update(theirs).Set(Account::fields.balance, 98).Exec(db());
  ASSERT_FALSE(stale_update);
  EXPECT_EQ(stale_update.error().sqlstate, "40001");
  auto stale_remove = Remove(db(), theirs);
  ASSERT_FALSE(stale_remove);
  EXPECT_EQ(stale_remove.error().sqlstate, "40001");
  auto now = Account::Get(db(), mine.id);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->balance, 20);
  EXPECT_EQ(now->version, 2);
  // A query update bumps it too, so `mine` is stale after it.
  ASSERT_EQ(Account::Filter(Account::fields.owner == "ann")
                .Update()
                .Set(Account::fields.rate, 1.5)
                .Exec(db())
                .value(),
            1);
  auto after_query = Update(mine).Set(Account::fields.balance, 21).Exec(db());
  ASSERT_FALSE(after_query);
  EXPECT_EQ(after_query.error().sqlstate, "40001");
  // Re-read, it writes; a row that is gone is 02000, not 40001.
  auto fresh = Account::Get(db(), mine.id);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->version, 3);
  ASSERT_TRUE(Update(*fresh).Set(Account::fields.balance, 21).Exec(db()));
  EXPECT_EQ(fresh->version, 4);
  EXPECT_EQ(fresh->rate, 1.5);
  ASSERT_TRUE(Remove(db(), *fresh));
  auto gone = Save(db(), *fresh);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().sqlstate, "02000");
}

TEST_P(FeatureSuite, TimestampsAreSetOnCreateAndUpdate) {
  auto now = [] { return std::chrono::system_clock::now(); };
  auto us = [](std::int64_t n) { return Timestamp(std::chrono::microseconds(n)); };
  Timestamp before = NowTimestamp();
  auto a = Create(db(), Account{.owner = "a"});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_GE(a->created, before);
  EXPECT_LE(a->created, now());
  EXPECT_EQ(a->updated, a->created);
  Timestamp created = a->created;
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_TRUE(Update(*a).Set(Account::fields.balance, 1).Exec(db()));
  EXPECT_EQ(a->created, created);  // kept
  EXPECT_GT(a->updated, created);  // moved
  Timestamp updated = a->updated;
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_EQ(Account::All().Update().Set(Account::fields.rate, 2.0).Exec(db()).value(), 1);
  auto read = Account::Get(db(), a->id);
  ASSERT_TRUE(read);
  EXPECT_GT(read->updated, updated);
  // An explicit value wins, on create and on update.
  auto old = Create(db(), Account{.owner = "old", .created = us(1000), .updated = us(2000)});
  ASSERT_TRUE(old);
  EXPECT_EQ(old->created, us(1000));
  EXPECT_EQ(old->updated, us(2000));
  ASSERT_TRUE(Update(*old).Set(Account::fields.updated, us(3000)).Exec(db()));
  EXPECT_EQ(old->updated, us(3000));
  // An upsert that updates keeps the creation time and counts a version.
  if (db().capability().upsert) {
    auto up = Upsert(db(), Account{.owner = "old", .balance = 5}, Account::fields.owner);
    ASSERT_TRUE(up) << up.error().message;
    EXPECT_EQ(up->id, old->id);
    EXPECT_EQ(up->balance, 5);
    EXPECT_EQ(up->created, us(1000));
    EXPECT_GT(up->updated, us(3000));
    EXPECT_EQ(up->version, old->version + 1);
  }
}

TEST_P(FeatureSuite, IncrementIsDoneByTheDatabase) {
  auto a = Create(db(), Account{.owner = "a", .balance = 10, .rate = 1});
  auto b = Create(db(), Account{.owner = "b", .balance = 5});
  ASSERT_TRUE(a && b);
  ops_.clear();
  auto n = Account::Filter(Account::fields.balance >= 5)
               .Update()
               .Increment(Account::fields.balance, 7)
               .Exec(db());
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 2);
  EXPECT_TRUE(SentSql("\"balance\" = \"balance\" + "));
  // The query update bumped the version: `a` is stale (40001) until read again.
  auto stale = Update(*a).Increment(Account::fields.balance, -3).Exec(db());
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().sqlstate, "40001");
  a = Account::Get(db(), a->id);
  ASSERT_TRUE(a);
  ASSERT_TRUE(Update(*a)
                  .Increment(Account::fields.balance, -3)
                  .Increment(Account::fields.rate, 0.25)
                  .Exec(db()));
  EXPECT_EQ(a->balance, 14);
  EXPECT_EQ(a->rate, 1.25);
  EXPECT_EQ(a->version, 3);  // the query update, then this one
  EXPECT_EQ(Account::Get(db(), b->id)->balance, 12);
}

TEST_P(FeatureSuite, CursorPaginationNextAndPrev) {
  // Names repeat, so the key must break the ties for every row to appear exactly once.
  for (const char* name : {"c", "a", "b", "a", "c", "b", "a"}) {
    Make(std::string(name) + std::to_string(Person::All().Count(db()).value()), name, 1);
  }
  auto all = Person::All().OrderBy(Person::fields.name.Asc(), Person::fields.id.Asc()).Exec(db());
  ASSERT_TRUE(all);
  std::vector<std::int64_t> expected = IdsOf(*all);

  auto p1 = Person::All().OrderBy(Person::fields.name.Asc()).Paginate(db(), 3);
  ASSERT_TRUE(p1) << p1.error().message;
  EXPECT_EQ(IdsOf(p1->items), std::vector<std::int64_t>(expected.begin(), expected.begin() + 3));
  EXPECT_TRUE(p1->has_next());
  EXPECT_FALSE(p1->has_prev());
  auto p2 = p1->Next(db());
  ASSERT_TRUE(p2) << p2.error().message;
  EXPECT_EQ(IdsOf(p2->items),
            std::vector<std::int64_t>(expected.begin() + 3, expected.begin() + 6));
  EXPECT_TRUE(p2->has_next() && p2->has_prev());
  auto p3 = p2->Next(db());
  ASSERT_TRUE(p3);
  EXPECT_EQ(IdsOf(p3->items), std::vector<std::int64_t>(expected.begin() + 6, expected.end()));
  EXPECT_FALSE(p3->has_next());
  auto none = p3->Next(db());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().sqlstate, "02000");
  auto back = p3->Prev(db());
  ASSERT_TRUE(back);
  EXPECT_EQ(IdsOf(back->items), IdsOf(p2->items));
  auto first = back->Prev(db());
  ASSERT_TRUE(first);
  EXPECT_EQ(IdsOf(first->items), IdsOf(p1->items));
  EXPECT_FALSE(first->has_prev());
  // No OFFSET: each page is a keyset filter after the cursor row.
  EXPECT_FALSE(SentSql("OFFSET"));

  // Descending, filtered.
  auto desc = Person::Filter(Person::fields.name != "b")
                  .OrderBy(Person::fields.name.Desc())
                  .Paginate(db(), 4);
  ASSERT_TRUE(desc);
  ASSERT_EQ(desc->items.size(), 4u);
  EXPECT_EQ(desc->items[0].name, "c");
  EXPECT_EQ(desc->items[2].name, "a");
  auto rest = desc->Next(db());
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].name, "a");
}

TEST_P(FeatureSuite, CursorPaginationRefusals) {
  auto nullable = Person::All().OrderBy(Person::fields.bio.Asc()).Paginate(db(), 2);
  ASSERT_FALSE(nullable);
  ExpectNotSupported(nullable.error());
  auto limited = Person::All().Limit(3).Paginate(db(), 2);
  ASSERT_FALSE(limited);
  ExpectNotSupported(limited.error());
  auto empty = Person::All().Paginate(db(), 0);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().sqlstate, "22023");
}

TEST_P(FeatureSuite, Projections) {
  Make("a@x", "Ann", 30);
  Make("b@x", "Bob", 20);
  auto names = Person::All().OrderBy(Person::fields.age.Asc()).Select(db(), Person::fields.name);
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(*names, (std::vector<std::string>{"Bob", "Ann"}));
  EXPECT_TRUE(SentSql("SELECT \"name\" FROM"));
  auto pairs = Person::Filter(Person::fields.age > 25)
                   .Select(db(), Person::fields.email, Person::fields.age, Person::fields.bio);
  ASSERT_TRUE(pairs) << pairs.error().message;
  ASSERT_EQ(pairs->size(), 1u);
  EXPECT_EQ(std::get<0>((*pairs)[0]), "a@x");
  EXPECT_EQ(std::get<1>((*pairs)[0]), 30);
  EXPECT_EQ(std::get<2>((*pairs)[0]), std::nullopt);
}

TEST_P(FeatureSuite, ScopedCreatesAndQueries) {
  auto board = Create(db(), Board{.title = "b"});
  auto other = Create(db(), Board{.title = "o"});
  ASSERT_TRUE(board && other);
  auto c = board->related_comments().Create(db(), Comment{.body = "hi"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->board_id, board->id);
  ASSERT_TRUE(other->related_comments().Create(db(), Comment{.body = "x"}));
  auto note = board->related_notes().Create(db(), Note{.text = "n"});
  ASSERT_TRUE(note);
  EXPECT_EQ(note->board_id, board->id);
  auto rows = board->related_comments().OrderBy(Comment::fields.id.Asc()).Exec(db());
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].body, "hi");
  // has_one: created through the board, then read back through it.
  auto cover = board->related_cover().Create(db(), Cover{.image = "b.png"});
  ASSERT_TRUE(cover) << cover.error().message;
  EXPECT_EQ(cover->board_id, board->id);
  auto got = board->related_cover().Get(db());
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->image, "b.png");
}

TEST_P(FeatureSuite, NestedCreates) {
  auto board = CreateWith(db(), Board{.title = "b", .comments = {{.body = "one"}, {.body = "two"}}},
                          Board::rel.comments);
  ASSERT_TRUE(board) << board.error().message;
  ASSERT_EQ(board->comments.size(), 2u);
  EXPECT_EQ(board->comments[1].board_id, board->id);
  EXPECT_NE(board->comments[1].id, 0);
  EXPECT_EQ(Comment::Filter(Comment::fields.board_id == board->id).Count(db()).value(), 2);
  // has_one
  auto covered =
      CreateWith(db(), Board{.title = "c", .cover = Cover{.image = "c.png"}}, Board::rel.cover);
  ASSERT_TRUE(covered) << covered.error().message;
  ASSERT_TRUE(covered->cover);
  EXPECT_EQ(covered->cover->board_id, covered->id);
  // belongs_to: the parent is created first.
  auto comment = CreateWith(db(), Comment{.body = "new", .board = Board{.title = "fresh"}},
                            Comment::rel.board);
  ASSERT_TRUE(comment) << comment.error().message;
  ASSERT_TRUE(comment->board);
  EXPECT_EQ(comment->board_id, comment->board->id);
  EXPECT_EQ(Board::GetBy(db(), Board::fields.id, comment->board_id)->title, "fresh");
  // All or none: a child that fails takes its parent with it.
  std::int64_t boards = Board::All().Count(db()).value();
  auto dup =
      CreateWith(db(), Board{.title = "d", .cover = Cover{.image = "c.png"}}, Board::rel.cover);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().sqlstate, "23505");
  EXPECT_EQ(Board::All().Count(db()).value(), boards);
  // Inside a transaction, a nested create is a savepoint.
  auto tx = db().Begin();
  ASSERT_TRUE(tx);
  ops_.clear();
  ASSERT_TRUE(
      CreateWith(*tx, Board{.title = "t", .comments = {{.body = "x"}}}, Board::rel.comments));
  ASSERT_FALSE(ops_.empty());
  ASSERT_TRUE(std::holds_alternative<TxOp>(ops_.front()));
  EXPECT_EQ(std::get<TxOp>(ops_.front()).kind, TxKind::kSavepoint);
  ASSERT_TRUE(tx->Rollback());
  EXPECT_EQ(Board::All().Count(db()).value(), boards);
}

// The declared foreign keys cascade in the database: one DELETE from the ORM deletes the
// required children and unlinks the optional ones.
TEST_P(FeatureSuite, CascadingDelete) {
  auto board = CreateWith(db(), Board{.title = "b", .comments = {{.body = "1"}, {.body = "2"}}},
                          Board::rel.comments);
  auto other =
      CreateWith(db(), Board{.title = "o", .comments = {{.body = "3"}}}, Board::rel.comments);
  ASSERT_TRUE(board && other);
  ASSERT_TRUE(board->related_notes().Create(db(), Note{.text = "n1"}) &&
              board->related_notes().Create(db(), Note{.text = "n2"}));
  ops_.clear();
  ASSERT_TRUE(Remove(db(), *board));
  EXPECT_EQ(ops_.size(), 1u);
  EXPECT_FALSE(Board::Get(db(), board->id));
  // Required children went with it; the other board's stayed; optional ones were unlinked.
  EXPECT_EQ(Comment::All().Count(db()).value(), 1);
  EXPECT_EQ(Comment::All().First(db()).value()->board_id, other->id);
  EXPECT_EQ(Note::All().Count(db()).value(), 2);
  EXPECT_EQ(Note::Filter(Note::fields.board_id.IsNull()).Count(db()).value(), 2);
  // A parent already gone: 02000; a child naming it: 23503.
  auto again = Remove(db(), *board);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().sqlstate, "02000");
  auto c = Create(db(), Comment{.board_id = board->id, .body = "orphan"});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().sqlstate, "23503");
}

TEST_P(FeatureSuite, RelationPathsInFilters) {
  auto ann = CreateWith(db(), Board{.title = "ann", .comments = {{.body = "hello"}, {.body = "x"}}},
                        Board::rel.comments);
  auto bob =
      CreateWith(db(), Board{.title = "bob", .comments = {{.body = "bye"}}}, Board::rel.comments);
  ASSERT_TRUE(Create(db(), Board{.title = "empty"}));
  ASSERT_TRUE(ann && bob);
  ops_.clear();
  // belongs_to: comments whose board is titled "ann".
  auto of_ann = Comment::Filter(Through(Comment::rel.board, Board::fields.title == "ann"))
                    .OrderBy(Comment::fields.id.Asc())
                    .Exec(db());
  ASSERT_TRUE(of_ann) << of_ann.error().message;
  ASSERT_EQ(of_ann->size(), 2u);
  EXPECT_EQ((*of_ann)[0].body, "hello");
  EXPECT_EQ(ops_.size(), 1u);  // one statement: a subquery, not a query per row
  EXPECT_TRUE(SentSql(" IN (SELECT "));
  // has_many: boards with a comment starting "b"; and boards with none (negated).
  auto with_b =
      Board::Filter(Any(Board::rel.comments, Comment::fields.body.StartsWith("b"))).Exec(db());
  ASSERT_TRUE(with_b) << with_b.error().message;
  ASSERT_EQ(with_b->size(), 1u);
  EXPECT_EQ((*with_b)[0].title, "bob");
  auto without = Board::Filter(!Any(Board::rel.comments, Comment::fields.id > 0))
                     .Select(db(), Board::fields.title);
  ASSERT_TRUE(without) << without.error().message;
  EXPECT_EQ(*without, std::vector<std::string>{"empty"});
  // Paths combine with the rest, and with writes.
  auto n = Comment::Filter(Through(Comment::rel.board, Board::fields.title == "ann") &&
                           Comment::fields.body != "x")
               .Update()
               .Set(Comment::fields.body, "hi")
               .Exec(db());
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 1);
}

TEST_P(FeatureSuite, NestedIncludePathsAndIncludeOnAQuery) {
  // boards -> comments -> their board again (has_many, then belongs_to), and boards -> cover.
  for (const char* title : {"a", "b", "c"}) {
    auto b = CreateWith(db(), Board{.title = title, .comments = {{.body = "1"}, {.body = "2"}}},
                        Board::rel.comments);
    ASSERT_TRUE(b) << b.error().message;
  }
  ops_.clear();
  auto boards = Board::Filter(Board::fields.title != "c")
                    .Include(Board::rel.comments, Comment::rel.board)
                    .OrderBy(Board::fields.id.Asc())
                    .Exec(db());
  ASSERT_TRUE(boards) << boards.error().message;
  EXPECT_EQ(ops_.size(), 3u);  // the query, then one statement per level: no N+1
  ASSERT_EQ(boards->size(), 2u);
  for (const Board& b : *boards) {
    ASSERT_EQ(b.comments.size(), 2u);
    for (const Comment& c : b.comments) {
      ASSERT_TRUE(c.board);
      EXPECT_EQ(c.board->id, b.id);
      EXPECT_EQ(c.board->title, b.title);
    }
  }
  // A row whose first level is empty.
  auto lone = Create(db(), Board{.title = "lone"});
  ASSERT_TRUE(lone);
  std::vector<Board> two{*lone, (*boards)[0]};
  ASSERT_TRUE(Include(db(), two, Board::rel.comments, Comment::rel.board));
  EXPECT_TRUE(two[0].comments.empty());
  EXPECT_EQ(two[1].comments.size(), 2u);
  // Through an optional level: comments -> their board (belongs_to) -> its cover (has_one).
  auto covered =
      CreateWith(db(), Board{.title = "cov", .cover = Cover{.image = "i.png"}}, Board::rel.cover);
  ASSERT_TRUE(covered) << covered.error().message;
  ASSERT_TRUE(covered->related_comments().Create(db(), Comment{.body = "c"}));
  ops_.clear();
  auto comments = Comment::All()
                      .Include(Comment::rel.board, Board::rel.cover)
                      .OrderBy(Comment::fields.id.Asc())
                      .Exec(db());
  ASSERT_TRUE(comments) << comments.error().message;
  EXPECT_EQ(ops_.size(), 3u);
  ASSERT_EQ(comments->size(), 7u);
  for (const Comment& c : *comments) {
    ASSERT_TRUE(c.board);
    EXPECT_EQ(c.board->cover.has_value(), c.board_id == covered->id) << c.body;
  }
  ASSERT_TRUE(comments->back().board->cover);
  EXPECT_EQ(comments->back().board->cover->image, "i.png");
}

TEST_P(FeatureSuite, CascadingDeleteAlongAPath) {
  auto board = CreateWith(db(), Board{.title = "b", .comments = {{.body = "1"}, {.body = "2"}}},
                          Board::rel.comments);
  auto other =
      CreateWith(db(), Board{.title = "o", .comments = {{.body = "3"}}}, Board::rel.comments);
  ASSERT_TRUE(board && other);
  const Comment& c1 = board->comments[0];
  const Comment& c2 = board->comments[1];
  const Comment& c3 = other->comments[0];
  for (const Comment* c : {&c1, &c1, &c2, &c3}) {
    ASSERT_TRUE(Create(db(), Reply{.comment_id = c->id, .text = c->body}));
    ASSERT_TRUE(Create(db(), Pin{.comment_id = c->id}));
  }
  ops_.clear();
  // board -> comments (CASCADE) -> replies (CASCADE) and -> pins (SET NULL): the database
  // follows the whole path from one DELETE.
  ASSERT_TRUE(Remove(db(), *board));
  EXPECT_EQ(ops_.size(), 1u);
  EXPECT_EQ(Reply::All().Count(db()).value(), 1);
  EXPECT_EQ(Reply::All().First(db()).value()->comment_id, c3.id);
  EXPECT_EQ(Comment::All().Count(db()).value(), 1);
  EXPECT_EQ(Pin::All().Count(db()).value(), 4);
  EXPECT_EQ(Pin::Filter(Pin::fields.comment_id.IsNull()).Count(db()).value(), 3);
  // A path stops at an optional level: the unlinked note keeps nothing below it to delete.
  auto note = Create(db(), Note{.board_id = other->id, .text = "n"});
  ASSERT_TRUE(note);
  ASSERT_TRUE(Remove(db(), *other));
  EXPECT_EQ(Note::Filter(Note::fields.board_id.IsNull()).Count(db()).value(), 1);
  EXPECT_EQ(Comment::All().Count(db()).value(), 0);
  EXPECT_EQ(Reply::All().Count(db()).value(), 0);
  EXPECT_EQ(Pin::Filter(Pin::fields.comment_id.IsNull()).Count(db()).value(), 4);
}

// Nested creates are all-or-none through a transaction, a savepoint inside one: a backend
// without savepoints refuses them there, before sending anything.
TEST_P(FeatureSuite, RelationWritesAreGatedBySavepoints) {
  ASSERT_TRUE(Open([](Capability& c) { c.savepoints = false; }));
  auto tx = db().Begin();
  ASSERT_TRUE(tx);
  ops_.clear();
  auto nested =
      CreateWith(*tx, Board{.title = "b", .comments = {{.body = "x"}}}, Board::rel.comments);
  ASSERT_FALSE(nested);
  ExpectNotSupported(nested.error());
  EXPECT_EQ(nested.error().message, "a nested transaction (SAVEPOINT) is not supported by the " +
                                        std::string(db().driver_name()) + " driver");
  ASSERT_TRUE(tx->Commit());
}

INSTANTIATE_TEST_SUITE_P(Drivers, FeatureSuite, ::testing::ValuesIn(Drivers()),
                         [](const auto& test) { return test.param.name; });

// ---- Dates, times and UUIDs as column types; relations declared in the models ----

struct Stamp {
  Uuid id;
  Timestamp at{};
  std::optional<Timestamp> done;
  Date day{};
  DateTime local{};
  std::optional<Uuid> ref;
  std::optional<Date> due;
  Time clock{};
  std::optional<Time> alarm;
  SQLRITE_MODEL(Stamp, "stamps", (id, key, uuid_v4), (at, index), (done), (day), (local), (ref),
                (due), (clock, index), (alarm))
};

struct Volume;
struct Plaque {
  std::int64_t id = 0;
  Uuid library_id;  // has_one without a belongs_to back: no REFERENCES
  std::string text;
  SQLRITE_MODEL(Plaque, "plaques", (id, key, auto_increment), (library_id, unique), (text))
};

struct Library {
  Uuid id;  // uuid_v7: a uuid key that foreign keys reference
  std::string name;
  Timestamp opened{};
  std::vector<Volume> volumes;
  std::optional<Plaque> plaque;
  SQLRITE_MODEL(Library, "libraries", (id, key, uuid_v7), (name, unique), (opened, created_at))
  SQLRITE_RELATIONS(Library, (volumes, has_many), (plaque, has_one, library_id))
};

struct Leaf;
struct Volume {
  std::int64_t id = 0;
  Uuid library_id;  // required: ON DELETE CASCADE
  std::string title;
  std::optional<Date> published;
  std::optional<Library> library;
  std::vector<Leaf> leaves;
  SQLRITE_MODEL(Volume, "volumes", (id, key, auto_increment), (library_id, index), (title),
                (published))
  SQLRITE_RELATIONS(Volume, (library, belongs_to), (leaves, has_many))
};

struct Leaf {
  std::int64_t id = 0;
  std::optional<std::int64_t> volume_id;  // optional: ON DELETE SET NULL
  int number = 0;
  std::optional<Volume> volume;
  SQLRITE_MODEL(Leaf, "leaves", (id, key, auto_increment), (volume_id, index), (number))
  SQLRITE_RELATIONS(Leaf, (volume, belongs_to))
};

class TypedSuite : public DriverSuite {
 protected:
  // Children registered before their parents: PushSchema orders them for REFERENCES.
  Status RegisterModels(Db& db) override {
    return db.Register<Stamp, Leaf, Volume, Plaque, Library>();
  }
  bool Pg() { return db().capability().flavor == Flavor::kPostgresql; }
  template <typename M>
  std::string TableOf() {
    return "\"" + db().schema().TableFor(M::OrmModel()).name + "\"";
  }
};

TEST_P(TypedSuite, DatesTimesAndUuidsRoundTripAndCompare) {
  using namespace std::chrono;
  auto at = [](int y, unsigned m, unsigned d, long long us_into_day) {
    return Timestamp(sys_days(year(y) / month(m) / day(d)) + microseconds(us_into_day));
  };
  Uuid ref = NewUuidV4();
  std::vector<Stamp> made;
  // Microseconds kept, an instant before 1970, one in a leap second's neighbourhood.
  for (Timestamp t : {at(2026, 12, 6, 25'313'123'456LL), at(1969, 7, 20, 73'740'000'001LL),
                      at(2000, 2, 29, 86'399'999'999LL)}) {
    auto s = Create(db(), Stamp{.at = t,
                                .day = year_month_day(floor<days>(t)),
                                .local = DateTime(t.time_since_epoch()),
                                .ref = made.empty() ? std::optional<Uuid>(ref) : std::nullopt});
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->at, t);
    made.push_back(*s);
  }
  auto got = Stamp::Get(db(), made[0].id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->at, made[0].at);
  EXPECT_EQ(got->day, 2026y / 12 / 6);
  EXPECT_EQ(FormatDateTime(got->local), "2026-12-06 07:01:53.123456");
  EXPECT_EQ(got->ref, ref);
  EXPECT_FALSE(got->done.has_value());
  const auto& f = Stamp::fields;
  // Comparisons, ranges, lists and order follow time on every backend.
  auto ids = [&](const Query<Stamp>& q) {
    std::vector<std::string> out;
    auto rows = q.OrderBy(f.at.Asc()).Exec(db());
    EXPECT_TRUE(rows) << rows.error().message;
    if (rows) {
      for (const Stamp& r : *rows) out.push_back(FormatTimestamp(r.at).substr(0, 4));
    }
    return out;
  };
  EXPECT_EQ(ids(Stamp::All()), (std::vector<std::string>{"1969", "2000", "2026"}));
  EXPECT_EQ(ids(Stamp::Filter(f.at < at(2000, 3, 1, 0))),
            (std::vector<std::string>{"1969", "2000"}));
  EXPECT_EQ(ids(Stamp::Filter(f.at > made[2].at)), (std::vector<std::string>{"2026"}));
  EXPECT_EQ(ids(Stamp::Filter(f.at >= made[2].at && f.at <= made[2].at)),
            (std::vector<std::string>{"2000"}));
  EXPECT_EQ(ids(Stamp::Filter(f.at < system_clock::now())).size(), 3u);  // any precision
  EXPECT_EQ(ids(Stamp::Filter(f.day.Between(1970y / 1 / 1, 2000y / 2 / 29))),
            (std::vector<std::string>{"2000"}));
  EXPECT_EQ(ids(Stamp::Filter(f.day > sys_days(2000y / 2 / 29))),
            (std::vector<std::string>{"2026"}));
  EXPECT_EQ(ids(Stamp::Filter(f.local < DateTime(made[2].at.time_since_epoch()))),
            (std::vector<std::string>{"1969"}));
  EXPECT_EQ(ids(Stamp::Filter(f.ref == ref)), (std::vector<std::string>{"2026"}));
  EXPECT_EQ(ids(Stamp::Filter(f.id.In({made[1].id, made[2].id}))),
            (std::vector<std::string>{"1969", "2000"}));
  // Set, NULL and a projection.
  ASSERT_TRUE(
      Update(made[1]).Set(f.done, at(1969, 7, 24, 0)).Set(f.due, 1969y / 7 / 24).Exec(db()));
  EXPECT_EQ(made[1].done, at(1969, 7, 24, 0));
  EXPECT_EQ(made[1].due, 1969y / 7 / 24);
  auto done = Stamp::Filter(f.done.IsNotNull()).Select(db(), f.done, f.due);
  ASSERT_TRUE(done) << done.error().message;
  ASSERT_EQ(done->size(), 1u);
  EXPECT_EQ(std::get<0>((*done)[0]), at(1969, 7, 24, 0));
  auto page = Stamp::All().OrderBy(f.at.Desc()).Paginate(db(), 2);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_TRUE(page->has_next());
  auto next = page->Next(db());
  ASSERT_TRUE(next) << next.error().message;
  ASSERT_EQ(next->items.size(), 1u);
  EXPECT_EQ(next->items[0].at, made[1].at);
  // The columns' types: timestamptz / date / timestamp / uuid on the servers (the driver reads
  // typed values back), TEXT on SQLite (ISO-8601 and canonical UUID text, which SQLite's own
  // functions read).
  auto raw = db().Raw("SELECT \"at\", \"day\", \"local\", \"ref\" FROM " + TableOf<Stamp>() +
                      " WHERE ref IS NOT NULL");
  ASSERT_TRUE(raw) << raw.error().message;
  ASSERT_EQ(raw->rows.size(), 1u);
  const auto& row = raw->rows[0];
  if (Pg()) {
    EXPECT_EQ(row[0], Value(made[0].at));
    EXPECT_EQ(row[1], Value(Date(2026y / 12 / 6)));
    EXPECT_TRUE(std::holds_alternative<DateTime>(row[2].v));
    EXPECT_EQ(row[3], Value(ref));
    // The session's TimeZone changes the text the server sends, not the instant read.
    ASSERT_TRUE(db().Raw("SET TIME ZONE 'Asia/Kolkata'"));
    auto zoned = Stamp::Get(db(), made[0].id);
    ASSERT_TRUE(zoned) << zoned.error().message;
    EXPECT_EQ(zoned->at, made[0].at);
    auto text = db().Raw("SELECT \"at\"::text FROM " + TableOf<Stamp>() + " WHERE ref IS NOT NULL");
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_EQ(text->rows.at(0).at(0), Value("2026-12-06 12:31:53.123456+05:30"));
  } else {
    EXPECT_EQ(row[0], Value("2026-12-06 07:01:53.123456+00:00"));
    EXPECT_EQ(row[1], Value("2026-12-06"));
    EXPECT_EQ(row[3], Value(FormatUuid(ref)));
    auto julian = db().Raw("SELECT strftime('%Y-%m-%d %H:%M:%f', \"at\"), date(\"day\") FROM " +
                           TableOf<Stamp>() + " WHERE ref IS NOT NULL");
    ASSERT_TRUE(julian) << julian.error().message;
    EXPECT_EQ(julian->rows.at(0).at(0), Value("2026-12-06 07:01:53.123"));
    EXPECT_EQ(julian->rows.at(0).at(1), Value("2026-12-06"));
  }
}

TEST_P(TypedSuite, TimesOfDayRoundTripAndCompare) {
  using namespace std::chrono;
  const Time morning(7h, 1min, 53s, 123456us), midnight{}, last(23h, 59min, 59s, 999999us),
      end_of_day(24h, 0min);
  std::vector<Stamp> made;
  for (Time t : {morning, midnight, last, end_of_day}) {
    auto s =
        Create(db(), Stamp{.at = Timestamp(made.size() * 1s), .day = 2026y / 12 / 6, .clock = t});
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->clock, t);
    made.push_back(*s);
  }
  for (const Stamp& m : made) {
    auto got = Stamp::Get(db(), m.id);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->clock, m.clock) << FormatTime(got->clock);
    EXPECT_FALSE(got->alarm.has_value());
  }
  const auto& f = Stamp::fields;
  auto clocks = [&](const Query<Stamp>& q) {
    std::vector<std::string> out;
    auto rows = q.OrderBy(f.clock.Asc()).Exec(db());
    EXPECT_TRUE(rows) << rows.error().message;
    if (rows) {
      for (const Stamp& r : *rows) out.push_back(FormatTime(r.clock));
    }
    return out;
  };
  EXPECT_EQ(clocks(Stamp::All()), (std::vector<std::string>{"00:00:00.000000", "07:01:53.123456",
                                                            "23:59:59.999999", "24:00:00.000000"}));
  EXPECT_EQ(clocks(Stamp::Filter(f.clock > Time(7h, 1min, 53s, 123455us) && f.clock < Time(24h))),
            (std::vector<std::string>{"07:01:53.123456", "23:59:59.999999"}));
  EXPECT_EQ(clocks(Stamp::Filter(f.clock.Between(midnight, morning))),
            (std::vector<std::string>{"00:00:00.000000", "07:01:53.123456"}));
  EXPECT_EQ(clocks(Stamp::Filter(f.clock.In({last, end_of_day}))),
            (std::vector<std::string>{"23:59:59.999999", "24:00:00.000000"}));
  EXPECT_EQ(clocks(Stamp::Filter(f.clock == morning)),
            (std::vector<std::string>{"07:01:53.123456"}));
  EXPECT_EQ(clocks(Stamp::Filter(f.clock != morning)).size(), 3u);
  EXPECT_EQ(clocks(Stamp::Filter(f.clock >= last)).size(), 2u);
  EXPECT_EQ(clocks(Stamp::Filter(f.clock <= midnight)).size(), 1u);
  // Set, NULL, a projection and pagination over a time.
  ASSERT_TRUE(Update(made[0]).Set(f.alarm, Time(6h, 30min)).Exec(db()));
  EXPECT_EQ(made[0].alarm, Time(6h, 30min));
  auto alarms = Stamp::Filter(f.alarm.IsNotNull()).Select(db(), f.alarm, f.clock);
  ASSERT_TRUE(alarms) << alarms.error().message;
  ASSERT_EQ(alarms->size(), 1u);
  EXPECT_EQ(std::get<0>((*alarms)[0]), Time(6h, 30min));
  EXPECT_EQ(std::get<1>((*alarms)[0]), morning);
  EXPECT_EQ(Stamp::Filter(f.alarm < Time(7h)).Count(db()).value(), 1);
  auto page = Stamp::All().OrderBy(f.clock.Desc()).Paginate(db(), 3);
  ASSERT_TRUE(page) << page.error().message;
  auto next = page->Next(db());
  ASSERT_TRUE(next) << next.error().message;
  ASSERT_EQ(next->items.size(), 1u);
  EXPECT_EQ(next->items[0].clock, midnight);
  // The column: `time` on the servers (read back typed), ISO text on SQLite, which SQLite's
  // time() reads.
  auto raw = db().Raw("SELECT \"clock\" FROM " + TableOf<Stamp>() + " WHERE \"alarm\" IS NOT NULL");
  ASSERT_TRUE(raw) << raw.error().message;
  ASSERT_EQ(raw->rows.size(), 1u);
  if (Pg()) {
    EXPECT_EQ(raw->rows[0][0], Value(morning));
    auto text = db().Raw("SELECT \"clock\"::text, pg_typeof(\"clock\")::text FROM " +
                         TableOf<Stamp>() + " ORDER BY \"clock\"");
    ASSERT_TRUE(text) << text.error().message;
    ASSERT_EQ(text->rows.size(), 4u);
    EXPECT_EQ(text->rows[0][0], Value("00:00:00"));
    EXPECT_EQ(text->rows[1][0], Value("07:01:53.123456"));
    EXPECT_EQ(text->rows[3][0], Value("24:00:00"));
    EXPECT_EQ(text->rows[0][1], Value("time without time zone"));
  } else {
    EXPECT_EQ(raw->rows[0][0], Value("07:01:53.123456"));
    auto text = db().Raw("SELECT time(\"clock\") FROM " + TableOf<Stamp>() +
                         " WHERE \"alarm\" IS NOT NULL");
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_EQ(text->rows.at(0).at(0), Value("07:01:53"));
  }
  // A time outside the day is refused by the servers rather than stored as another one.
  if (Pg()) {
    auto late = Create(db(), Stamp{.day = 2026y / 12 / 6, .clock = Time(25h, 0min)});
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().sqlstate.substr(0, 4), "2200") << late.error().message;
  }
}

TEST_P(TypedSuite, RelationAccessorsQueryAndCreate) {
  auto central = CreateWith(
      db(), Library{.name = "central", .volumes = {{.title = "a"}, {.title = "b"}, {.title = "c"}}},
      Library::rel.volumes);
  ASSERT_TRUE(central) << central.error().message;
  auto east = Create(db(), Library{.name = "east"});
  ASSERT_TRUE(east) << east.error().message;
  ASSERT_TRUE(east->related_volumes().Create(db(), Volume{.title = "e"}));
  // has_many: a query of the library's volumes, usable as any query; one statement each.
  ops_.clear();
  auto volumes = central->related_volumes()
                     .Filter(Volume::fields.title != "b")
                     .OrderBy(Volume::fields.title.Desc())
                     .Limit(5)
                     .Exec(db());
  ASSERT_TRUE(volumes) << volumes.error().message;
  EXPECT_EQ(ops_.size(), 1u);
  ASSERT_EQ(volumes->size(), 2u);
  EXPECT_EQ((*volumes)[0].title, "c");
  EXPECT_EQ((*volumes)[1].title, "a");
  EXPECT_EQ(central->related_volumes().Count(db()).value(), 3);
  EXPECT_EQ(east->related_volumes().Count(db()).value(), 1);
  auto first = central->related_volumes().OrderBy(Volume::fields.title.Asc()).First(db());
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->title, "a");
  // A scoped create fills the foreign key.
  auto d = central->related_volumes().Create(db(), Volume{.title = "d"});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->library_id, central->id);
  EXPECT_EQ(central->related_volumes().Count(db()).value(), 4);
  // belongs_to, required foreign key: the parent itself.
  ops_.clear();
  auto parent = d->related_library().Get(db());
  static_assert(std::same_as<decltype(parent), Result<Library>>);
  ASSERT_TRUE(parent) << parent.error().message;
  EXPECT_EQ(parent->name, "central");
  EXPECT_EQ(ops_.size(), 1u);
  // belongs_to, optional foreign key: an optional, and no statement for a NULL key.
  auto leaf = d->related_leaves().Create(db(), Leaf{.number = 1});
  ASSERT_TRUE(leaf) << leaf.error().message;
  EXPECT_EQ(leaf->volume_id, d->id);
  auto volume = leaf->related_volume().Get(db());
  static_assert(std::same_as<decltype(volume), Result<std::optional<Volume>>>);
  ASSERT_TRUE(volume && *volume);
  EXPECT_EQ((*volume)->title, "d");
  auto loose = Create(db(), Leaf{.number = 2});
  ASSERT_TRUE(loose);
  ops_.clear();
  auto none = loose->related_volume().Get(db());
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(none->has_value());
  EXPECT_TRUE(ops_.empty());
  EXPECT_EQ(loose->related_volume().Count(db()).value(), 0);
  // has_one: an optional child, and a create that fills its key.
  auto plaque = central->related_plaque().Get(db());
  ASSERT_TRUE(plaque) << plaque.error().message;
  EXPECT_FALSE(plaque->has_value());
  auto made = central->related_plaque().Create(db(), Plaque{.text = "est. 1900"});
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->library_id, central->id);
  plaque = central->related_plaque().Get(db());
  ASSERT_TRUE(plaque && *plaque);
  EXPECT_EQ((*plaque)->text, "est. 1900");
  EXPECT_FALSE(east->related_plaque().Get(db()).value().has_value());

  // Include paths on a query: the query, then one statement per relation of each path.
  ASSERT_TRUE(d->related_leaves().Create(db(), Leaf{.number = 3}));
  ops_.clear();
  auto libraries = Library::All()
                       .Include(Library::rel.volumes, Volume::rel.leaves)
                       .Include(Library::rel.plaque)
                       .OrderBy(Library::fields.name.Asc())
                       .Exec(db());
  ASSERT_TRUE(libraries) << libraries.error().message;
  EXPECT_EQ(ops_.size(), 4u);
  ASSERT_EQ(libraries->size(), 2u);
  const Library& c = (*libraries)[0];
  ASSERT_EQ(c.volumes.size(), 4u);
  EXPECT_EQ(c.volumes[3].title, "d");
  EXPECT_EQ(c.volumes[3].leaves.size(), 2u);
  ASSERT_TRUE(c.plaque.has_value());
  EXPECT_EQ((*libraries)[1].volumes.size(), 1u);
  EXPECT_FALSE((*libraries)[1].plaque.has_value());
  ops_.clear();
  auto leaves = Leaf::Filter(Leaf::fields.volume_id.IsNotNull())
                    .Include(Leaf::rel.volume, Volume::rel.library)
                    .OrderBy(Leaf::fields.number.Desc())
                    .First(db());
  ASSERT_TRUE(leaves && *leaves) << (leaves ? "" : leaves.error().message);
  EXPECT_EQ(ops_.size(), 3u);
  EXPECT_EQ((*leaves)->number, 3);
  EXPECT_EQ((*leaves)->volume->library->name, "central");
  // A scope of the children, with its own include.
  auto with_leaves = central->related_volumes()
                         .Include(Volume::rel.leaves)
                         .OrderBy(Volume::fields.title.Asc())
                         .Exec(db());
  ASSERT_TRUE(with_leaves) << with_leaves.error().message;
  ASSERT_EQ(with_leaves->size(), 4u);
  EXPECT_EQ((*with_leaves)[3].leaves.size(), 2u);
}

TEST_P(TypedSuite, DeclaredRelationsLoadFilterAndCreate) {
  auto central = CreateWith(db(),
                            Library{.name = "central",
                                    .volumes = {{.title = "a", .published = 2001y / 1 / 1},
                                                {.title = "b", .published = 2002y / 1 / 1}}},
                            Library::rel.volumes);
  ASSERT_TRUE(central) << central.error().message;
  ASSERT_EQ(central->volumes.size(), 2u);
  EXPECT_EQ(central->volumes[0].library_id, central->id);
  EXPECT_GT(central->opened, Timestamp{});
  auto c = central->related_volumes().Create(db(), Volume{.title = "c"});
  ASSERT_TRUE(c) << c.error().message;
  auto east = CreateWith(db(), Volume{.title = "d", .library = Library{.name = "east"}},
                         Volume::rel.library);
  ASSERT_TRUE(east) << east.error().message;
  ASSERT_TRUE(east->library.has_value());
  for (int n : {1, 2}) {
    ASSERT_TRUE(central->volumes[0].related_leaves().Create(db(), Leaf{.number = n}));
  }
  ASSERT_TRUE(Create(db(), Leaf{.volume_id = c->id, .number = 3}));
  ASSERT_TRUE(Create(db(), Plaque{.library_id = central->id, .text = "est. 1900"}));

  auto libraries = Library::All().OrderBy(Library::fields.name.Asc()).Exec(db());
  ASSERT_TRUE(libraries) << libraries.error().message;
  ASSERT_EQ(libraries->size(), 2u);
  ops_.clear();
  ASSERT_TRUE(Include(db(), *libraries, Library::rel.volumes, Volume::rel.leaves));
  EXPECT_EQ(ops_.size(), 2u);  // one query per level
  ASSERT_TRUE(Include(db(), *libraries, Library::rel.plaque));
  const Library& first = (*libraries)[0];
  EXPECT_EQ(first.name, "central");
  ASSERT_EQ(first.volumes.size(), 3u);
  EXPECT_EQ(first.volumes[0].leaves.size(), 2u);
  EXPECT_EQ(first.volumes[2].leaves.size(), 1u);
  ASSERT_TRUE(first.plaque.has_value());
  EXPECT_EQ(first.plaque->text, "est. 1900");
  EXPECT_EQ((*libraries)[1].volumes.size(), 1u);
  EXPECT_FALSE((*libraries)[1].plaque.has_value());

  auto volumes =
      Volume::All().OrderBy(Volume::fields.title.Asc()).Include(Volume::rel.library).Exec(db());
  ASSERT_TRUE(volumes) << volumes.error().message;
  ASSERT_EQ(volumes->size(), 4u);
  EXPECT_EQ((*volumes)[3].library->name, "east");
  auto leaves = Leaf::All().OrderBy(Leaf::fields.number.Asc()).Exec(db());
  ASSERT_TRUE(leaves);
  ASSERT_TRUE(Include(db(), *leaves, Leaf::rel.volume, Volume::rel.library));
  EXPECT_EQ((*leaves)[0].volume->library->name, "central");

  EXPECT_EQ(Volume::Filter(Through(Volume::rel.library, Library::fields.name == "central"))
                .Count(db())
                .value(),
            3);
  auto with_d = Library::Filter(Any(Library::rel.volumes, Volume::fields.title == "d")).Exec(db());
  ASSERT_TRUE(with_d) << with_d.error().message;
  ASSERT_EQ(with_d->size(), 1u);
  EXPECT_EQ((*with_d)[0].name, "east");
  auto new_ones = Volume::Filter(Volume::fields.published > 2001y / 6 / 1).Count(db());
  ASSERT_TRUE(new_ones) << new_ones.error().message;
  EXPECT_EQ(*new_ones, 1);
}

TEST_P(TypedSuite, DeclaredBelongsToIsAForeignKey) {
  // PushSchema created every parent before its children, with the references.
  ASSERT_TRUE(db().PushSchema());
  std::vector<std::string> creates;
  for (const Operation& op : ops_) {
    if (const auto* sql = std::get_if<SqlOp>(&op); sql && sql->sql.starts_with("CREATE TABLE")) {
      creates.push_back(sql->sql);
    }
  }
  ASSERT_EQ(creates.size(), 5u);
  auto position = [&](const std::string& table) {
    for (std::size_t i = 0; i < creates.size(); ++i) {
      if (creates[i].find("\"" + db().schema().table_prefix() + table + "\" (") !=
          std::string::npos) {
        return i;
      }
    }
    return creates.size();
  };
  EXPECT_LT(position("libraries"), position("volumes"));
  EXPECT_LT(position("volumes"), position("leaves"));
  EXPECT_NE(creates[position("volumes")].find("FOREIGN KEY (\"library_id\") REFERENCES " +
                                              TableOf<Library>() + " (\"id\") ON DELETE CASCADE"),
            std::string::npos)
      << creates[position("volumes")];
  EXPECT_NE(creates[position("leaves")].find("ON DELETE SET NULL"), std::string::npos);
  EXPECT_EQ(creates[position("plaques")].find("REFERENCES"), std::string::npos);

  auto lib = Create(db(), Library{.name = "l"});
  ASSERT_TRUE(lib) << lib.error().message;
  auto dangling = Create(db(), Volume{.library_id = NewUuidV4(), .title = "x"});
  ASSERT_FALSE(dangling);
  EXPECT_EQ(dangling.error().sqlstate, "23503") << dangling.error().message;
  auto v = Create(db(), Volume{.library_id = lib->id, .title = "v"});
  ASSERT_TRUE(v) << v.error().message;
  auto orphan = Create(db(), Leaf{.volume_id = v->id + 100, .number = 1});
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().sqlstate, "23503");
  ASSERT_TRUE(Create(db(), Leaf{.volume_id = v->id, .number = 1}));
  ASSERT_TRUE(Create(db(), Leaf{.number = 2}));  // NULL references nothing
  // Deleting the library: the database deletes its volumes (required key) and unlinks their
  // leaves (optional key); one statement from the ORM.
  ops_.clear();
  ASSERT_TRUE(Remove(db(), *lib));
  EXPECT_EQ(ops_.size(), 1u);
  EXPECT_EQ(Volume::All().Count(db()).value(), 0);
  EXPECT_EQ(Leaf::All().Count(db()).value(), 2);
  EXPECT_EQ(Leaf::Filter(Leaf::fields.volume_id.IsNull()).Count(db()).value(), 2);
}

INSTANTIATE_TEST_SUITE_P(Drivers, TypedSuite, ::testing::ValuesIn(Drivers()),
                         [](const auto& test) { return test.param.name; });

}  // namespace
}  // namespace sqlrite::orm
