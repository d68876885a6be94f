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

// A shared, immutable expression node (null: no expression). Its copy and destruction are out of
// line: every typed comparison in application code makes and drops a few of these, and inlining
// shared_ptr's atomic reference counting at each site was most of the ORM's compile time at -O2.
class Expr {
 public:
  Expr() noexcept = default;
  Expr(std::nullptr_t) noexcept {}  // NOLINT: a null expression
  explicit Expr(std::shared_ptr<const ExprNode> node) noexcept;
  Expr(const Expr& other) noexcept;
  Expr(Expr&& other) noexcept;
  Expr& operator=(const Expr& other) noexcept;
  Expr& operator=(Expr&& other) noexcept;
  ~Expr();

  const ExprNode* operator->() const { return node_.get(); }
  const ExprNode& operator*() const { return *node_; }
  explicit operator bool() const { return node_ != nullptr; }

 private:
  std::shared_ptr<const ExprNode> node_;
};

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

// operand IN (SELECT column FROM model WHERE filter): a relation path in a filter. `column` is a
// field of `model` (-1: the model has no single key, refused when serialized); `filter` names
// fields of `model`.
struct InSelect {
  Expr operand;
  const ModelDef* model = nullptr;
  int column = -1;
  Expr filter;
};

// lhs + rhs: what Increment sets a field to (`"n" = "n" + $1`).
struct Add {
  Expr lhs, rhs;
};

struct ExprNode {
  template <typename T>
  ExprNode(T n) : node(std::move(n)) {}  // NOLINT: any node converts
  std::variant<FieldRef, Literal, Compare, And, Or, Not, IsNull, InList, Between, Like, StartsWith,
               Add, InSelect>
      node;
};

// Out of line: the typed front end builds nodes through these without instantiating make_shared
// per node type in every translation unit.
Expr Make(ExprNode node);
Expr Field(int index);
Expr Lit(Value v);
Expr Cmp(CompareOp op, int field, Value v);
Expr AndOf(Expr a, Expr b);
Expr OrOf(Expr a, Expr b);
Expr NotOf(Expr a);
Expr IsNullOf(int field, bool negated);
Expr InOf(int field, std::vector<Value> values);
Expr BetweenOf(int field, Value low, Value high);
Expr LikeOf(int field, std::string pattern);
Expr StartsWithOf(int field, std::string prefix);
Expr AddTo(int field, Value v);  // field + v

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
  bool count = false;        // SELECT count(*) instead of the model's columns
  std::vector<int> columns;  // a projection: these fields only (empty: every field)
};

// ON CONFLICT (conflict_fields) DO UPDATE SET each update field to the proposed row's value and
// each increment field to the stored row's value + 1 (a version); both empty: DO NOTHING.
struct OnConflict {
  std::vector<int> conflict_fields;
  std::vector<int> update_fields;
  std::vector<int> increment_fields;
};

struct Insert {
  const ModelDef* model = nullptr;
  std::vector<int> fields;               // the columns given, in this order
  std::vector<std::vector<Value>> rows;  // one value per field
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
