#include "engine/point_statement.h"

#include <type_traits>
#include <variant>

namespace sqlrite::engine {
namespace {

// A literal or a parameter, possibly signed or cast: one value whatever the row.
bool IsValue(const ast::Expr& e) {
  if (const auto* u = std::get_if<ast::Unary>(&e.node)) {
    return u->op != ast::UnaryOp::kNot && u->operand && IsValue(*u->operand);
  }
  if (const auto* c = std::get_if<ast::Cast>(&e.node)) return c->operand && IsValue(*c->operand);
  return std::holds_alternative<ast::IntLiteral>(e.node) ||
         std::holds_alternative<ast::StringLiteral>(e.node) ||
         std::holds_alternative<ast::NumericLiteral>(e.node) ||
         std::holds_alternative<ast::ParamRef>(e.node) ||
         std::holds_alternative<ast::BoolLiteral>(e.node);
}

// The column is the rowid or the only column of an index: an equality on it finds a few rows by
// a tree descent.
bool IsKey(const TableDef& table, const ast::ColumnRef& ref) {
  const int column = table.FindColumn(ref.column);
  if (column < 0) return false;
  if (column == table.rowid_column) return true;
  for (const IndexDef& index : table.indexes) {
    if (index.columns.size() == 1 && index.columns[0] == column) return true;
  }
  return false;
}

// Some top-level AND conjunct of where is `key = value`.
bool PinsKey(const TableDef& table, const ast::Expr& where) {
  const auto* b = std::get_if<ast::Binary>(&where.node);
  if (b == nullptr || !b->left || !b->right) return false;
  if (b->op == ast::BinaryOp::kAnd) return PinsKey(table, *b->left) || PinsKey(table, *b->right);
  if (b->op != ast::BinaryOp::kEq) return false;
  const auto* left = std::get_if<ast::ColumnRef>(&b->left->node);
  const auto* right = std::get_if<ast::ColumnRef>(&b->right->node);
  return (left != nullptr && IsValue(*b->right) && IsKey(table, *left)) ||
         (right != nullptr && IsValue(*b->left) && IsKey(table, *right));
}

const TableDef* OneTable(const Catalog& catalog, const ast::TableRef& ref) {
  if (ref.join || ref.subquery) return nullptr;
  return catalog.Find(ref.table.name);
}

bool PointWhere(const Catalog& catalog, const ast::TableRef& ref, const ast::ExprPtr& where) {
  if (!where) return false;
  const TableDef* table = OneTable(catalog, ref);
  return table != nullptr && PinsKey(*table, *where);
}

}  // namespace

bool IsPointStatement(const Catalog& catalog, const ast::Statement& statement) {
  return std::visit(
      [&catalog](const auto& s) -> bool {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, ast::Transaction> ||
                      std::is_same_v<S, ast::SetVariable> ||
                      std::is_same_v<S, ast::ShowVariable>) {
          return true;
        } else if constexpr (std::is_same_v<S, ast::Insert>) {
          return !s.select && s.rows.size() <= kPointInsertRows &&
                 OneTable(catalog, s.table) != nullptr;
        } else if constexpr (std::is_same_v<S, ast::Update> || std::is_same_v<S, ast::Delete>) {
          return PointWhere(catalog, s.table, s.where);
        } else if constexpr (std::is_same_v<S, ast::Select>) {
          return !s.explain && !s.set_op && s.values.empty() && s.from.size() == 1 &&
                 PointWhere(catalog, s.from[0], s.where);
        } else {
          return false;
        }
      },
      statement);
}

}  // namespace sqlrite::engine
