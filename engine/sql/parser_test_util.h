#pragma once
// Test helpers for sql_test: parse-and-unwrap shortcuts and a compact printer for expressions,
// so that a test can say EXPECT_EQ(Show("1+2*3"), "(+ 1 (* 2 3))").

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "engine/sql/parser.h"

namespace sqlrite::engine::sql::testing {

// Parses a string that must hold exactly one statement that transforms without error.
inline ast::Statement ParseOne(std::string_view sql) {
  Result<std::vector<ParsedStatement>> parsed = Parse(sql);
  if (!parsed) {
    ADD_FAILURE() << sql << ": " << parsed.error().message;
    return ast::Checkpoint{};
  }
  if (parsed->size() != 1) {
    ADD_FAILURE() << sql << ": expected one statement, got " << parsed->size();
    return ast::Checkpoint{};
  }
  Result<ast::Statement>& statement = (*parsed)[0].statement;
  if (!statement) {
    ADD_FAILURE() << sql << ": " << statement.error().sqlstate << " " << statement.error().message;
    return ast::Checkpoint{};
  }
  return std::move(*statement);
}

// Parses one statement of kind T; a default T (with a failure recorded) otherwise.
template <typename T>
T ParseAs(std::string_view sql) {
  ast::Statement statement = ParseOne(sql);
  if (T* t = std::get_if<T>(&statement)) return std::move(*t);
  ADD_FAILURE() << sql << ": unexpected statement kind " << statement.index();
  return T{};
}

// The error of the one statement in `sql` (Parse itself must succeed).
inline Error StatementError(std::string_view sql) {
  Result<std::vector<ParsedStatement>> parsed = Parse(sql);
  if (!parsed) {
    ADD_FAILURE() << sql << ": whole parse failed: " << parsed.error().message;
    return parsed.error();
  }
  if (parsed->size() != 1 || (*parsed)[0].statement) {
    ADD_FAILURE() << sql << ": expected one failing statement";
    return Error();
  }
  return (*parsed)[0].statement.error();
}

// The error of the whole Parse() call.
inline Error ParseError(std::string_view sql) {
  Result<std::vector<ParsedStatement>> parsed = Parse(sql);
  if (parsed) {
    ADD_FAILURE() << sql << ": expected a syntax error";
    return Error();
  }
  return parsed.error();
}

inline std::string Show(const ast::Expr& expr);

inline std::string Show(const ast::ExprPtr& expr) { return expr ? Show(*expr) : "<null>"; }

inline const char* BinaryName(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::kAdd:
      return "+";
    case ast::BinaryOp::kSub:
      return "-";
    case ast::BinaryOp::kMul:
      return "*";
    case ast::BinaryOp::kDiv:
      return "/";
    case ast::BinaryOp::kMod:
      return "%";
    case ast::BinaryOp::kConcat:
      return "||";
    case ast::BinaryOp::kEq:
      return "=";
    case ast::BinaryOp::kNe:
      return "<>";
    case ast::BinaryOp::kLt:
      return "<";
    case ast::BinaryOp::kLe:
      return "<=";
    case ast::BinaryOp::kGt:
      return ">";
    case ast::BinaryOp::kGe:
      return ">=";
    case ast::BinaryOp::kAnd:
      return "and";
    case ast::BinaryOp::kOr:
      return "or";
  }
  return "?";
}

inline std::string ShowType(SqlType t) {
  std::string name;
  switch (t.id) {
    case TypeId::kUnknown:
      name = "unknown";
      break;
    case TypeId::kBool:
      name = "bool";
      break;
    case TypeId::kInt2:
      name = "int2";
      break;
    case TypeId::kInt4:
      name = "int4";
      break;
    case TypeId::kFloat4:
      name = "float4";
      break;
    case TypeId::kInt8:
      name = "int8";
      break;
    case TypeId::kFloat8:
      name = "float8";
      break;
    case TypeId::kNumeric:
      name = "numeric";
      break;
    case TypeId::kText:
      name = "text";
      break;
    case TypeId::kVarchar:
      name = "varchar";
      break;
    case TypeId::kBpchar:
      name = "bpchar";
      break;
    case TypeId::kBytea:
      name = "bytea";
      break;
    case TypeId::kUuid:
      name = "uuid";
      break;
    case TypeId::kRegtype:
      name = "regtype";
      break;
    case TypeId::kOid:
      name = "oid";
      break;
    case TypeId::kRegclass:
      name = "regclass";
      break;
    case TypeId::kRegproc:
      name = "regproc";
      break;
    case TypeId::kRegnamespace:
      name = "regnamespace";
      break;
    case TypeId::kRegrole:
      name = "regrole";
      break;
    case TypeId::kName:
      name = "name";
      break;
    case TypeId::kChar:
      name = "char";
      break;
    case TypeId::kInt2Array:
      name = "int2[]";
      break;
    case TypeId::kInt2Vector:
      name = "int2vector";
      break;
    case TypeId::kRecord:
      name = "record";
      break;
    case TypeId::kNameArray:
      name = "name[]";
      break;
    case TypeId::kEnum:
      name = "enum";
      break;
    case TypeId::kJson:
      name = "json";
      break;
    case TypeId::kJsonb:
      name = "jsonb";
      break;
    case TypeId::kBit:
      name = "bit";
      break;
    case TypeId::kVarbit:
      name = "varbit";
      break;
    case TypeId::kArray:
      name = ShowType(SqlType{t.elem, t.typmod}) + "[]";
      return name;
    case TypeId::kAnyArray:
      name = "anyarray";
      break;
    case TypeId::kAnyElement:
      name = "anyelement";
      break;
    case TypeId::kDate:
      name = "date";
      break;
    case TypeId::kTime:
      name = "time";
      break;
    case TypeId::kTimestamp:
      name = "timestamp";
      break;
    case TypeId::kTimestampTz:
      name = "timestamptz";
      break;
    case TypeId::kInterval:
      name = "interval";
      break;
  }
  if (t.typmod != -1) name += "(" + std::to_string(t.typmod) + ")";
  return name;
}

inline std::string ShowList(const std::vector<ast::ExprPtr>& list) {
  std::string out;
  for (const ast::ExprPtr& e : list) out += " " + Show(e);
  return out;
}

// An s-expression: literals as written (strings quoted), operators prefix.
inline std::string Show(const ast::Expr& expr) {
  return std::visit(
      [](const auto& n) -> std::string {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::NullLiteral>) {
          return "null";
        } else if constexpr (std::is_same_v<T, ast::BoolLiteral>) {
          return n.value ? "true" : "false";
        } else if constexpr (std::is_same_v<T, ast::IntLiteral>) {
          return std::to_string(n.value);
        } else if constexpr (std::is_same_v<T, ast::NumericLiteral>) {
          return "num:" + n.text;
        } else if constexpr (std::is_same_v<T, ast::StringLiteral>) {
          return "'" + n.value + "'";
        } else if constexpr (std::is_same_v<T, ast::ColumnRef>) {
          return n.table.empty() ? n.column : n.table + "." + n.column;
        } else if constexpr (std::is_same_v<T, ast::ParamRef>) {
          return "$" + std::to_string(n.number);
        } else if constexpr (std::is_same_v<T, ast::Unary>) {
          const char* op = n.op == ast::UnaryOp::kNot      ? "not"
                           : n.op == ast::UnaryOp::kNegate ? "neg"
                                                           : "pos";
          return std::string("(") + op + " " + Show(n.operand) + ")";
        } else if constexpr (std::is_same_v<T, ast::Binary>) {
          return std::string("(") + BinaryName(n.op) + " " + Show(n.left) + " " + Show(n.right) +
                 ")";
        } else if constexpr (std::is_same_v<T, ast::IsNullTest>) {
          return std::string(n.negated ? "(notnull " : "(isnull ") + Show(n.operand) + ")";
        } else if constexpr (std::is_same_v<T, ast::BoolTest>) {
          static const char* kNames[] = {"istrue",     "isnottrue", "isfalse",
                                         "isnotfalse", "isunknown", "isnotunknown"};
          return std::string("(") + kNames[n.kind] + " " + Show(n.operand) + ")";
        } else if constexpr (std::is_same_v<T, ast::Like>) {
          std::string op = n.case_insensitive ? "ilike" : "like";
          if (n.negated) op = "not" + op;
          return "(" + op + " " + Show(n.operand) + " " + Show(n.pattern) + ")";
        } else if constexpr (std::is_same_v<T, ast::InList>) {
          return std::string(n.negated ? "(notin " : "(in ") + Show(n.operand) + ShowList(n.items) +
                 ")";
        } else if constexpr (std::is_same_v<T, ast::Between>) {
          return std::string(n.negated ? "(notbetween" : "(between") +
                 (n.symmetric ? "sym " : " ") + Show(n.operand) + " " + Show(n.low) + " " +
                 Show(n.high) + ")";
        } else if constexpr (std::is_same_v<T, ast::DistinctFrom>) {
          return std::string(n.negated ? "(notdistinct " : "(distinct ") + Show(n.left) + " " +
                 Show(n.right) + ")";
        } else if constexpr (std::is_same_v<T, ast::Case>) {
          std::string out = "(case";
          if (n.operand) out += " " + Show(n.operand);
          for (const ast::CaseWhen& w : n.whens) {
            out += " (when " + Show(w.condition) + " " + Show(w.result) + ")";
          }
          if (n.else_result) out += " (else " + Show(n.else_result) + ")";
          return out + ")";
        } else if constexpr (std::is_same_v<T, ast::FuncCall>) {
          std::string out = "(" + n.name;
          if (n.distinct) out += " distinct";
          if (n.star) out += " *";
          out += ShowList(n.args);
          if (n.within_group) {
            out += " (within group";
            for (const ast::OrderItem& o : n.order_by) out += " " + Show(o.expr);
            out += ")";
          }
          return out + ")";
        } else if constexpr (std::is_same_v<T, ast::Cast>) {
          return "(cast " + Show(n.operand) + " " + ShowType(n.type) + ")";
        } else if constexpr (std::is_same_v<T, ast::Coalesce>) {
          return "(coalesce" + ShowList(n.args) + ")";
        } else if constexpr (std::is_same_v<T, ast::SubLink>) {
          static const char* kNames[] = {"scalar", "exists", "any", "all"};
          std::string out = std::string("(subquery ") + kNames[static_cast<int>(n.kind)];
          if (n.operand) out += std::string(" ") + BinaryName(n.op) + " " + Show(n.operand);
          return out + ")";
        } else if constexpr (std::is_same_v<T, ast::FieldSelect>) {
          return "(field " + Show(n.operand) + " " + n.field + ")";
        } else if constexpr (std::is_same_v<T, ast::RowExpr>) {
          return std::string(n.explicit_row ? "(ROW" : "(row") + ShowList(n.args) + ")";
        } else if constexpr (std::is_same_v<T, ast::GroupingFunc>) {
          return "(grouping" + ShowList(n.args) + ")";
        } else if constexpr (std::is_same_v<T, ast::MinMax>) {
          return std::string(n.least ? "(least" : "(greatest") + ShowList(n.args) + ")";
        } else if constexpr (std::is_same_v<T, ast::GroupingSet>) {
          static const char* kNames[] = {"empty", "rollup", "cube", "sets"};
          return std::string("(") + kNames[static_cast<int>(n.kind)] + ShowList(n.items) + ")";
        } else {
          static_assert(std::is_same_v<T, ast::DefaultMarker>);
          return "default";
        }
      },
      expr.node);
}

// The first select item's expression of "SELECT <expr>", printed.
inline std::string ShowExpr(std::string_view expr) {
  ast::Select select = ParseAs<ast::Select>("select " + std::string(expr));
  if (select.items.empty()) return "<no items>";
  return Show(select.items[0].expr);
}

}  // namespace sqlrite::engine::sql::testing
