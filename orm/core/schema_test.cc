// The app schema -> db schema mapping: tables, columns, keys and indexes from ModelDefs, and the
// definitions it refuses.
#include "orm/core/schema.h"

#include <gtest/gtest.h>

namespace sqlrite::orm {
namespace {

ModelDef Users() {
  ModelDef m;
  m.name = "User";
  m.table = "users";
  m.fields = {FieldDef{"id", Type::kInt64, true, true},
              FieldDef{"email", Type::kText, false, false, true},
              FieldDef{"name", Type::kText, false, false, false, true},
              FieldDef{"bio", Type::kText, false, false, false, false, true}};
  return m;
}

TEST(SchemaTest, ModelsMapToTablesWithThePrefix) {
  ModelDef users = Users();
  Schema schema("t1_");
  ASSERT_TRUE(schema.AddModel(users));
  ASSERT_TRUE(schema.AddModel(users));  // idempotent
  ASSERT_EQ(schema.tables().size(), 1u);
  const Table& t = schema.TableFor(users);
  EXPECT_EQ(t.name, "t1_users");
  ASSERT_EQ(t.columns.size(), 4u);
  EXPECT_TRUE(t.columns[0].auto_increment);
  EXPECT_FALSE(t.columns[0].unique);
  EXPECT_TRUE(t.columns[1].unique);
  EXPECT_FALSE(t.columns[2].nullable);
  EXPECT_TRUE(t.columns[3].nullable);
  EXPECT_EQ(t.primary_key, std::vector<int>{0});
  ASSERT_EQ(t.indexes.size(), 1u);
  EXPECT_EQ(t.indexes[0].name, "t1_users_name_idx");
  EXPECT_EQ(t.indexes[0].columns, std::vector<int>{2});
  EXPECT_EQ(&schema.ColumnFor(users, 1), &t.columns[1]);
}

TEST(SchemaTest, ModelWithoutKeyIsRefused) {
  ModelDef m = Users();
  m.fields[0].primary_key = false;
  m.fields[0].auto_increment = false;
  Schema schema;
  auto s = schema.AddModel(m);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().sqlstate, "42P16");
  EXPECT_EQ(s.error().message, "model User has no primary key field");
}

TEST(SchemaTest, AutoIncrementNeedsTheSingleIntegerKey) {
  ModelDef m = Users();
  m.fields[1].auto_increment = true;
  Schema schema;
  auto s = schema.AddModel(m);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message,
            "field User.email: auto_increment needs the model's single int64 key");
}

TEST(SchemaTest, TwoModelsCannotShareATable) {
  ModelDef a = Users();
  ModelDef b = Users();
  b.name = "Other";
  Schema schema;
  ASSERT_TRUE(schema.AddModel(a));
  auto s = schema.AddModel(b);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "table \"users\" is mapped by two models");
}

TEST(SchemaTest, NamesLongerThanPostgresqlsLimitAreRefused) {
  ModelDef m = Users();
  Schema fits(std::string(63 - 14, 'p'));  // the index name "<prefix>users_name_idx" is 63 bytes
  ASSERT_TRUE(fits.AddModel(m));
  Schema over(std::string(63 - 13, 'p'));
  auto s = over.AddModel(m);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().sqlstate, "42622");
  EXPECT_EQ(s.error().message, "identifier \"" + std::string(50, 'p') +
                                   "users_name_idx\" of model User is longer than 63 bytes");
  EXPECT_FALSE(over.Contains(m));
}

}  // namespace
}  // namespace sqlrite::orm
