#pragma once
// The untyped statement AST: what the typed front end lowers every call into at once, and what
// the serializer turns into SQL for a dialect. Statements name one model (its ModelDef) and its
// fields by index; the Schema maps them to a table and columns when the statement is serialized.
// Expression nodes are immutable and shared (building `a && b` copies two pointers).

#include <cstdint>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

#include "orm/core/schema.h"
#include "orm/core/value.h"

namespace sqlrite::orm::stmt {

struct ExprNode;
using Expr = std::shared_ptr<const ExprNode>;

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

struct FieldRef {
  int field;
};
struct Literal {
  Value value;
};
struct Compare {
  CompareOp op;
  Expr lhs, rhs;
};
struct And {
  std::vector<Expr> operands;
};
struct Or {
  std::vector<Expr> operands;
};
struct Not {
  Expr operand;
};
struct IsNull {
  Expr operand;
  bool negated = false;  // IS NOT NULL
};
struct InList {
  Expr operand;
  std::vector<Value> values;  // empty: always false
};
struct Between {
  Expr operand, low, high;
};
struct Like {
  Expr operand;
  Expr pattern;
};
// A case-sensitive prefix test, spelled per dialect (no LIKE: the prefix is taken literally).
struct StartsWith {
  Expr operand;
  Expr prefix;
};

struct ExprNode {
  std::variant<FieldRef, Literal, Compare, And, Or, Not, IsNull, InList, Between, Like, StartsWith>
      node;
};

template <typename T>
Expr Make(T node) {
  return std::make_shared<const ExprNode>(ExprNode{std::move(node)});
}
inline Expr Field(int index) { return Make(FieldRef{index}); }
inline Expr Lit(Value v) { return Make(Literal{std::move(v)}); }

struct OrderBy {
  int field;
  bool descending = false;
};

struct Select {
  const ModelDef* model = nullptr;
  Expr filter;  // null: every row
  std::vector<OrderBy> order_by;
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> offset;
  bool count = false;  // SELECT count(*) instead of the model's columns
};

// ON CONFLICT (conflict_fields) DO UPDATE SET each update field to the proposed row's value;
// update_fields empty: DO NOTHING.
struct OnConflict {
  std::vector<int> conflict_fields;
  std::vector<int> update_fields;
};

struct Insert {
  const ModelDef* model = nullptr;
  std::vector<int> fields;                // the columns given, in this order
  std::vector<std::vector<Value>> rows;   // one value per field
  std::optional<OnConflict> on_conflict;
  bool returning = false;  // RETURNING every column of the model
};

struct Assignment {
  int field;
  Expr value;
};

struct Update {
  const ModelDef* model = nullptr;
  std::vector<Assignment> set;
  Expr filter;  // null: every row
  bool returning = false;
};

struct Delete {
  const ModelDef* model = nullptr;
  Expr filter;  // null: every row
};

// DDL for a registered model.
struct CreateTable {
  const ModelDef* model = nullptr;
  bool if_not_exists = false;
};
// One of the table's secondary indexes (Table::indexes[index]).
struct CreateIndex {
  const ModelDef* model = nullptr;
  int index = 0;
  bool if_not_exists = false;
};
struct DropTable {
  const ModelDef* model = nullptr;
  bool if_exists = false;
};

using Statement = std::variant<Select, Insert, Update, Delete, CreateTable, CreateIndex, DropTable>;

}  // namespace sqlrite::orm::stmt
