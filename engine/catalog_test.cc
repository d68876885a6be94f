// The catalog's encoding: entries written before the extension blocks (kind, expression
// defaults, identity, sequence options; CHECK and FOREIGN KEY constraints) still load, and the
// new fields survive a reload.

#include "engine/catalog.h"

#include <gtest/gtest.h>

#include "engine/row_codec.h"
#include "storage/btree.h"
#include "storage/fault_injection.h"

namespace sqlrite::engine {
namespace {

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pager = storage::Pager::Open(disk_.Open("db"));
    ASSERT_TRUE(pager) << pager.error().message;
    pager_ = std::move(*pager);
    auto catalog = Catalog::Load(*pager_);
    ASSERT_TRUE(catalog) << catalog.error().message;
    catalog_ = std::move(*catalog);
  }

  storage::FaultInjector disk_;
  std::unique_ptr<storage::Pager> pager_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(CatalogTest, EntryWithoutTheExtensionStillLoads) {
  // name, oid, root, rowid_column, next_rowid, 1 column (name, type, typmod, not_null,
  // has_default, default), 0 indexes: the layout before the extension block.
  Row old{std::string("old"),
          int64_t{16384},
          int64_t{7},
          int64_t{-1},
          int64_t{3},
          int64_t{1},
          std::string("a"),
          int64_t{static_cast<int64_t>(TypeId::kInt4)},
          int64_t{-1},
          false,
          true,
          int64_t{42},
          int64_t{0}};
  std::string record;
  EncodeRow(old, record);
  storage::BTree tree(*pager_, pager_->GetMeta(storage::MetaSlot::kCatalogRoot));
  ASSERT_TRUE(tree.Insert("old", record));
  ASSERT_TRUE(catalog_->Reload());
  const TableDef* def = catalog_->Find("old");
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def->kind, RelKind::kTable);
  ASSERT_EQ(def->columns.size(), 1u);
  EXPECT_TRUE(def->columns[0].has_default);
  EXPECT_EQ(std::get<int64_t>(def->columns[0].default_value), 42);
  EXPECT_TRUE(def->columns[0].default_sql.empty());
  EXPECT_EQ(def->columns[0].default_expr, nullptr);
  EXPECT_EQ(def->columns[0].identity, 0);
  EXPECT_EQ(def->next_rowid, 3);
}

TEST_F(CatalogTest, SequenceAndExpressionDefaultSurviveReload) {
  TableDef seq;
  seq.name = "t_id_seq";
  seq.kind = RelKind::kSequence;
  seq.sequence.type = TypeId::kInt4;
  seq.sequence.increment = -3;
  seq.sequence.min_value = -100;
  seq.sequence.max_value = -1;
  seq.sequence.start = -1;
  seq.sequence.cycle = true;
  seq.sequence.owned_by_table = "t";
  seq.sequence.owned_by_column = "id";
  ASSERT_TRUE(catalog_->Create(seq));
  TableDef t;
  t.name = "t";
  ColumnDef id;
  id.name = "id";
  id.type.id = TypeId::kInt4;
  id.has_default = true;
  id.default_sql = "nextval('t_id_seq')";
  id.identity = 'a';
  t.columns.push_back(id);
  ASSERT_TRUE(catalog_->Create(t));
  ASSERT_TRUE(catalog_->Reload());
  const TableDef* s = catalog_->Find("t_id_seq");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->is_sequence());
  EXPECT_EQ(s->sequence.type, TypeId::kInt4);
  EXPECT_EQ(s->sequence.increment, -3);
  EXPECT_EQ(s->sequence.min_value, -100);
  EXPECT_EQ(s->sequence.max_value, -1);
  EXPECT_TRUE(s->sequence.cycle);
  EXPECT_EQ(s->sequence.owned_by_table, "t");
  const TableDef* table = catalog_->Find("t");
  ASSERT_NE(table, nullptr);
  EXPECT_FALSE(table->is_sequence());
  EXPECT_EQ(table->columns[0].identity, 'a');
  EXPECT_EQ(table->columns[0].default_sql, "nextval('t_id_seq')");
  ASSERT_NE(table->columns[0].default_expr, nullptr);
  EXPECT_TRUE(std::holds_alternative<ast::FuncCall>(table->columns[0].default_expr->node));
}

// The layout before the constraints' extension 2: a table entry ending after extension 1 (kind,
// per column the default's text and identity), as the code before CHECK and FOREIGN KEY wrote
// it, loads with no constraints.
TEST_F(CatalogTest, EntryWrittenBeforeConstraintsLoads) {
  Row old{std::string("before"),
          int64_t{16390},
          int64_t{9},
          int64_t{0},
          int64_t{1},
          int64_t{1},  // one column
          std::string("id"),
          int64_t{static_cast<int64_t>(TypeId::kInt4)},
          int64_t{-1},
          true,
          false,
          Datum{},
          int64_t{1},  // one index: the rowid primary key
          std::string("before_pkey"),
          true,
          int64_t{0},
          int64_t{1},
          int64_t{0},
          std::string("index extras v1"),
          true,
          true,
          false,
          int64_t{0},
          int64_t{0},
          int64_t{1},  // extension 1
          int64_t{'r'},
          std::string(""),
          int64_t{0}};
  std::string record;
  EncodeRow(old, record);
  storage::BTree tree(*pager_, pager_->GetMeta(storage::MetaSlot::kCatalogRoot));
  ASSERT_TRUE(tree.Insert("before", record));
  ASSERT_TRUE(catalog_->Reload());
  const TableDef* def = catalog_->Find("before");
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def->rowid_column, 0);
  ASSERT_EQ(def->indexes.size(), 1u);
  EXPECT_TRUE(def->indexes[0].primary);
  EXPECT_TRUE(def->checks.empty());
  EXPECT_TRUE(def->foreign_keys.empty());
}

TEST_F(CatalogTest, ChecksAndForeignKeysSurviveReload) {
  TableDef t;
  t.name = "c";
  for (const char* name : {"a", "b", "p"}) {
    ColumnDef col;
    col.name = name;
    col.type.id = TypeId::kInt4;
    t.columns.push_back(col);
  }
  CheckConstraint check;
  check.name = "c_check";
  check.sql = "a < b";
  t.checks.push_back(check);
  ForeignKey fk;
  fk.name = "c_a_p_fkey";
  fk.columns = {0, 2};
  fk.ref_table = "p";
  fk.ref_columns = {1, 0};
  fk.on_delete = ast::ForeignKeyAction::kSetNull;
  fk.on_update = ast::ForeignKeyAction::kCascade;
  fk.delete_set_columns = {2};
  fk.match = 'f';
  t.foreign_keys.push_back(fk);
  ASSERT_TRUE(catalog_->Create(t));
  ASSERT_TRUE(catalog_->Reload());
  const TableDef* def = catalog_->Find("c");
  ASSERT_NE(def, nullptr);
  ASSERT_EQ(def->checks.size(), 1u);
  EXPECT_EQ(def->checks[0].name, "c_check");
  EXPECT_EQ(def->checks[0].sql, "a < b");
  ASSERT_NE(def->checks[0].bound, nullptr);  // bound at load over the columns
  EXPECT_EQ(def->checks[0].bound->kind, ExprKind::kCompare);
  ASSERT_EQ(def->foreign_keys.size(), 1u);
  const ForeignKey& got = def->foreign_keys[0];
  EXPECT_EQ(got.name, "c_a_p_fkey");
  EXPECT_EQ(got.columns, (std::vector<int>{0, 2}));
  EXPECT_EQ(got.ref_table, "p");
  EXPECT_EQ(got.ref_columns, (std::vector<int>{1, 0}));
  EXPECT_EQ(got.on_delete, ast::ForeignKeyAction::kSetNull);
  EXPECT_EQ(got.on_update, ast::ForeignKeyAction::kCascade);
  EXPECT_EQ(got.delete_set_columns, (std::vector<int>{2}));
  EXPECT_EQ(got.match, 'f');
}

// A key column past the table's width is damage, not an index to follow.
TEST_F(CatalogTest, AForeignKeyColumnOutOfRangeIsCorrupt) {
  TableDef t;
  t.name = "c";
  ColumnDef col;
  col.name = "a";
  col.type.id = TypeId::kInt4;
  t.columns.push_back(col);
  ForeignKey fk;
  fk.name = "c_a_fkey";
  fk.columns = {3};
  fk.ref_table = "p";
  fk.ref_columns = {0};
  t.foreign_keys.push_back(fk);
  ASSERT_TRUE(catalog_->Create(t));
  auto reloaded = catalog_->Reload();
  ASSERT_FALSE(reloaded);
  EXPECT_EQ(reloaded.error().sqlstate, std::string(sqlstate::kDataCorrupted));
}

TEST_F(CatalogTest, ViewQueryAndDependenciesSurviveReload) {
  TableDef v;
  v.name = "v";
  v.kind = RelKind::kView;
  v.view_sql = "SELECT a FROM t WHERE a > 1";
  v.view_depends = {16390, 16391};
  ColumnDef a;
  a.name = "a";
  a.type.id = TypeId::kInt4;
  v.columns.push_back(a);
  ASSERT_TRUE(catalog_->Create(v));
  ASSERT_TRUE(catalog_->Reload());
  const TableDef* view = catalog_->Find("v");
  ASSERT_NE(view, nullptr);
  EXPECT_TRUE(view->is_view());
  EXPECT_FALSE(view->has_storage());
  EXPECT_EQ(view->view_sql, "SELECT a FROM t WHERE a > 1");
  EXPECT_EQ(view->view_depends, (std::vector<uint32_t>{16390, 16391}));
  ASSERT_NE(view->view_query, nullptr);
  EXPECT_EQ(view->view_query->from.size(), 1u);
}

TEST_F(CatalogTest, AViewWhoseQueryDoesNotParseIsDamage) {
  TableDef v;
  v.name = "v";
  v.kind = RelKind::kView;
  v.view_sql = "SELEC nonsense";
  ASSERT_TRUE(catalog_->Create(v));
  auto reloaded = catalog_->Reload();
  ASSERT_FALSE(reloaded);
  EXPECT_EQ(reloaded.error().sqlstate, std::string(sqlstate::kDataCorrupted));
}

}  // namespace
}  // namespace sqlrite::engine
