// The typed front end: models declared with SQLRITE_MODEL, their ModelDefs, and typed expressions
// lowered into the statement AST (checked through the serializer's exact output).
#include "orm/model.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "orm/sql/serializer.h"

namespace sqlrite::orm {
namespace {

struct Account {
  std::int64_t id = 0;
  std::string email;
  std::string name;
  std::optional<std::string> bio;
  int age = 0;
  double score = 0;
  bool active = true;
  SQLRITE_MODEL(Account, "accounts", (id, key, auto_increment), (email, unique), (name, index),
                (bio), (age), (score), (active, defaulted))
};

struct Membership {
  std::int64_t group_id = 0;
  std::int64_t account_id = 0;
  std::string role;
  SQLRITE_MODEL(Membership, "memberships", (group_id, key), (account_id, key), (role))
};

std::string Sql(const stmt::Statement& s, Flavor flavor = Flavor::kSqlite) {
  static Schema* schema = [] {
    auto* sc = new Schema();
    EXPECT_TRUE(sc->AddModel(Account::OrmModel()));
    EXPECT_TRUE(sc->AddModel(Membership::OrmModel()));
    return sc;
  }();
  auto text = sql::Serialize(*schema, s, flavor);
  EXPECT_TRUE(text) << text.error().message;
  return text ? text->sql : "";
}

TEST(ModelTest, ModelDefDescribesTheFields) {
  const ModelDef& def = Account::OrmModel();
  EXPECT_EQ(def.name, "Account");
  EXPECT_EQ(def.table, "accounts");
  ASSERT_EQ(def.fields.size(), 7u);
  EXPECT_TRUE(def.fields[0].primary_key);
  EXPECT_TRUE(def.fields[0].auto_increment);
  EXPECT_EQ(def.fields[0].type, Type::kInt64);
  EXPECT_TRUE(def.fields[1].unique);
  EXPECT_TRUE(def.fields[2].indexed);
  EXPECT_TRUE(def.fields[3].optional);
  EXPECT_EQ(def.fields[3].type, Type::kText);
  EXPECT_EQ(def.fields[4].type, Type::kInt64);
  EXPECT_EQ(def.fields[5].type, Type::kDouble);
  EXPECT_EQ(def.fields[6].type, Type::kBool);
  EXPECT_EQ(def.fields[6].default_value, Value(true));
  EXPECT_FALSE(def.fields[5].default_value.has_value());
  EXPECT_EQ(Membership::OrmModel().KeyFields(), (std::vector<int>{0, 1}));
}

TEST(ModelTest, FieldConstantsCarryTheirAttributes) {
  static_assert(decltype(Account::fields.id)::is_key);
  static_assert(decltype(Account::fields.email)::is_unique);
  static_assert(!decltype(Account::fields.name)::is_unique);
  static_assert(decltype(Account::fields.bio)::is_optional);
  static_assert(UniqueField<decltype(Account::fields.email)>);
  static_assert(!UniqueField<decltype(Account::fields.name)>);
  static_assert(ValueFor<const char*, std::string>);
  static_assert(!ValueFor<int, std::string>);
  static_assert(!ValueFor<bool, std::int64_t>);
  static_assert(!ValueFor<int, bool>);
  static_assert(ValueFor<int, double>);
  static_assert(!ValueFor<double, int>);
}

TEST(ModelTest, ComparisonsLowerToParameters) {
  auto q = Account::Filter(Account::fields.email == "a@x" && Account::fields.age >= 18);
  EXPECT_EQ(Sql(q.statement()),
            "SELECT \"id\", \"email\", \"name\", \"bio\", \"age\", \"score\", \"active\" FROM "
            "\"accounts\" WHERE (\"email\" = ?) AND (\"age\" >= ?)");
  EXPECT_EQ(Sql(q.statement(), Flavor::kPostgresql),
            "SELECT \"id\", \"email\", \"name\", \"bio\", \"age\", \"score\", \"active\" FROM "
            "\"accounts\" WHERE (\"email\" = $1) AND (\"age\" >= $2)");
}

TEST(ModelTest, EveryOperatorHasItsSql) {
  auto where = [](const Expr<Account>& e) {
    std::string s = Sql(Account::Filter(e).statement());
    return s.substr(s.find(" WHERE ") + 7);
  };
  EXPECT_EQ(where(Account::fields.age != 1), "\"age\" <> ?");
  EXPECT_EQ(where(Account::fields.age < 1), "\"age\" < ?");
  EXPECT_EQ(where(Account::fields.age <= 1), "\"age\" <= ?");
  EXPECT_EQ(where(Account::fields.age > 1), "\"age\" > ?");
  EXPECT_EQ(where(Account::fields.score == 1), "\"score\" = ?");
  EXPECT_EQ(where(Account::fields.age.Between(1, 5)), "\"age\" BETWEEN ? AND ?");
  EXPECT_EQ(where(Account::fields.age.In({1, 2, 3})), "\"age\" IN (?, ?, ?)");
  EXPECT_EQ(where(Account::fields.age.In(std::vector<int>{})), "FALSE");
  EXPECT_EQ(where(Account::fields.bio.IsNull()), "\"bio\" IS NULL");
  EXPECT_EQ(where(Account::fields.bio.IsNotNull()), "\"bio\" IS NOT NULL");
  EXPECT_EQ(where(Account::fields.name.StartsWith("An")), "instr(\"name\", ?) = 1");
  EXPECT_EQ(where(Account::fields.name.Like("A%")), "\"name\" LIKE ?");
  EXPECT_EQ(where(Account::fields.bio == "x"), "\"bio\" = ?");
  EXPECT_EQ(where(!(Account::fields.active == true) || Account::fields.age == 3),
            "(NOT (\"active\" = ?)) OR (\"age\" = ?)");
}

TEST(ModelTest, QueryModifiersAndWrites) {
  auto q = Account::All()
               .OrderBy(Account::fields.name.Asc(), Account::fields.id.Desc())
               .Limit(10)
               .Offset(5);
  EXPECT_EQ(Sql(q.statement()).substr(Sql(q.statement()).find(" FROM")),
            " FROM \"accounts\" ORDER BY \"name\", \"id\" DESC LIMIT ? OFFSET ?");
  auto u = Account::Filter(Account::fields.age < 18)
               .Update()
               .Set(Account::fields.active, false)
               .Set(Account::fields.bio, std::nullopt);
  EXPECT_EQ(Sql(u.statement()),
            "UPDATE \"accounts\" SET \"active\" = ?, \"bio\" = ? WHERE \"age\" < ?");
}

}  // namespace
}  // namespace sqlrite::orm
