#include "engine/point_statement.h"

#include <type_traits>
#include <variant>

#include "engine/sql/ast_walk.h"
#include "storage/page_source.h"

namespace sqlrite::engine {
namespace {

// The column is the rowid or the only column of a unique index with a tree: an equality on it
// finds at most one row (NULLs aside, which `=` never matches) by a tree descent. A non-unique
// index may hold any number of rows under one value.
bool IsKey(const TableDef& table, const ast::ColumnRef& ref) {
  const int column = table.FindColumn(ref.column);
  if (column < 0) return false;
  if (column == table.rowid_column) return true;
  for (const IndexDef& index : table.indexes) {
    if (index.unique && !index.deferrable && !index.partial() &&
        index.root != storage::kInvalidPage && index.columns.size() == 1 &&
        index.columns[0] == column) {
      return true;
    }
  }
  return false;
}

// Whether the statement holds a subquery (a SubLink) anywhere: its query may read any amount.
bool ContainsSubquery(const ast::Statement& statement) {
  bool found = false;
  sql::AstVisitor visitor;
  visitor.expr = [&found](ast::Expr& node) {
    found = found || std::holds_alternative<ast::SubLink>(node.node);
  };
  visitor.location = [](int&) {};
  // The walk takes mutable trees (the parse cache rewrites literals); this visitor only reads.
  sql::WalkStatement(const_cast<ast::Statement&>(statement), visitor);
  return found;
}

// Some top-level AND conjunct of where is `key = value`.
bool PinsKey(const TableDef& table, const ast::Expr& where) {
  const auto* b = std::get_if<ast::Binary>(&where.node);
  if (b == nullptr || !b->left || !b->right) return false;
  if (b->op == ast::BinaryOp::kAnd) return PinsKey(table, *b->left) || PinsKey(table, *b->right);
  if (b->op != ast::BinaryOp::kEq) return false;
  const auto* left = std::get_if<ast::ColumnRef>(&b->left->node);
  const auto* right = std::get_if<ast::ColumnRef>(&b->right->node);
  return (left != nullptr && IsPointValue(*b->right) && IsKey(table, *left)) ||
         (right != nullptr && IsPointValue(*b->left) && IsKey(table, *right));
}

const TableDef* OneTable(const Catalog& catalog, const ast::TableRef& ref) {
  if (ref.join || ref.subquery || ref.function) return nullptr;
  // Names are resolved here without the session's search_path: in a database with schemas of
  // its own an unqualified name may mean another table, so its statements take the classic path.
  if (!catalog.schemas().empty()) return nullptr;
  const TableDef* def = catalog.Find(ref.table.name);
  return def != nullptr && !def->is_view() ? def : nullptr;
}

bool PointWhere(const Catalog& catalog, const ast::TableRef& ref, const ast::ExprPtr& where) {
  if (!where) return false;
  const TableDef* table = OneTable(catalog, ref);
  return table != nullptr && PinsKey(*table, *where);
}

// Whether a foreign key references the table: an UPDATE or DELETE of one of its rows may then
// read (a referencing table without an index on its key is scanned) and change (CASCADE) any
// number of rows elsewhere.
bool Referenced(const Catalog& catalog, const ast::TableRef& ref) {
  if (!catalog.schemas().empty()) return true;  // names not resolved here (see OneTable)
  for (const auto& [name, def] : catalog.tables()) {
    for (const ForeignKey& fk : def.foreign_keys) {
      if (fk.ref_table == ref.table.name) return true;
    }
  }
  return false;
}

}  // namespace

bool IsPointValue(const ast::Expr& e) {
  if (const auto* u = std::get_if<ast::Unary>(&e.node)) {
    return u->op != ast::UnaryOp::kNot && u->operand && IsPointValue(*u->operand);
  }
  if (const auto* c = std::get_if<ast::Cast>(&e.node))
    return c->operand && IsPointValue(*c->operand);
  return std::holds_alternative<ast::IntLiteral>(e.node) ||
         std::holds_alternative<ast::StringLiteral>(e.node) ||
         std::holds_alternative<ast::NumericLiteral>(e.node) ||
         std::holds_alternative<ast::ParamRef>(e.node) ||
         std::holds_alternative<ast::BoolLiteral>(e.node);
}

bool IsPointStatement(const Catalog& catalog, const ast::Statement& statement) {
  if (ContainsSubquery(statement)) return false;
  return std::visit(
      [&catalog](const auto& s) -> bool {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, ast::Transaction> || std::is_same_v<S, ast::SetVariable> ||
                      std::is_same_v<S, ast::ShowVariable>) {
          return true;
        } else if constexpr (std::is_same_v<S, ast::Insert>) {
          // A WITH query may read or change anything (engine/dml_with.h).
          return !s.select && s.with.empty() && s.rows.size() <= kPointInsertRows &&
                 OneTable(catalog, s.table) != nullptr;
        } else if constexpr (std::is_same_v<S, ast::Update> || std::is_same_v<S, ast::Delete>) {
          return s.with.empty() && PointWhere(catalog, s.table, s.where) &&
                 !Referenced(catalog, s.table);
        } else if constexpr (std::is_same_v<S, ast::Select>) {
          // A WITH query may be named like the table and read anything.
          return !s.explain && !s.set_op && s.with.empty() && s.values.empty() &&
                 s.from.size() == 1 && PointWhere(catalog, s.from[0], s.where);
        } else {
          return false;
        }
      },
      statement);
}

}  // namespace sqlrite::engine
