// RuleExprText: ruleutils' get_rule_expr over the engine's bound expressions (see the header).

#include "engine/catalog/rule_deparse.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/catalog/builtin_types.h"
#include "engine/functions/builtin.h"
#include "engine/search_path.h"
#include "engine/sql/operator_symbol.h"
#include "engine/sql/quote_ident.h"
#include "engine/value.h"

namespace sqlrite::engine::catalog {
namespace {

// A line break that removes the spaces before it (ruleutils' removeStringInfoSpaces), resolved
// by FinishLines once the whole text is put together.
constexpr char kLineBreak = '\x01';

std::string FinishLines(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == kLineBreak) {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out.push_back('\n');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// What a node is in PostgreSQL's tree, which decides its parentheses (ruleutils' isSimpleNode).
enum class Node : uint8_t { kSimple, kCast, kOp, kBool, kTest, kArrayOp, kOther };

// The SQL-standard value functions, which ruleutils prints as keywords (CURRENT_DATE).
constexpr std::string_view kValueFunctions[] = {
    "current_date", "current_time", "current_timestamp", "localtime",       "localtimestamp",
    "current_role", "current_user", "session_user",      "current_catalog", "current_schema",
};

bool IsValueFunction(std::string_view name) {
  for (std::string_view f : kValueFunctions) {
    if (f == name) return true;
  }
  return false;
}

std::string Quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  return out + "'";
}

bool AllOf(std::string_view s, std::string_view chars) {
  return !s.empty() && s.find_first_not_of(chars) == std::string_view::npos;
}

class Printer {
 public:
  Printer(const ColumnNamer& columns, bool pretty, const std::vector<AggSpec>* aggs)
      : columns_(columns), pretty_(pretty), aggs_(aggs) {}

  bool ok() const { return ok_; }

  // get_rule_expr: `parent` is the node e is an argument of (null at the top).
  std::string Expr(const BoundExpr& e, bool show_implicit) {
    switch (e.kind) {
      case ExprKind::kColumn:
        if (std::optional<std::string> name = columns_(e.index)) return *name;
        break;
      case ExprKind::kConst:
        return Const(e);
      case ExprKind::kCast:
        if (!show_implicit) return Paren(e.args[0], e, false);
        return Cast(e.args[0], e.type, e);
      case ExprKind::kCompare:
      case ExprKind::kArith:
      case ExprKind::kConcat:
        if (e.args.size() != 2) break;
        return BinaryOp(e, OpName(e));
      case ExprKind::kLike:
        return BinaryOp(e, e.flag ? (e.negated ? "!~~*" : "~~*") : (e.negated ? "!~~" : "~~"));
      case ExprKind::kNegate:
        return Open() + "- " + Paren(e.args[0], e, true) + Close();
      case ExprKind::kAnd:
      case ExprKind::kOr: {
        // PostgreSQL's grammar makes `a AND b AND c` one list (makeAndExpr flattens its left
        // operand); the binder's nodes are binary.
        std::vector<const BoundExpr*> list;
        Flatten(e, e.kind, list);
        std::string out = Open();
        for (size_t i = 0; i < list.size(); ++i) {
          if (i > 0) out += e.kind == ExprKind::kAnd ? " AND " : " OR ";
          out += Paren(*list[i], e, false);
        }
        return out + Close();
      }
      case ExprKind::kNot:
        return Open() + "NOT " + Paren(e.args[0], e, false) + Close();
      case ExprKind::kIsNull:
        return Open() + Paren(e.args[0], e, true) + (e.negated ? " IS NOT NULL" : " IS NULL") +
               Close();
      case ExprKind::kBoolTest: {
        static constexpr const char* kTests[] = {" IS TRUE",    " IS NOT TRUE",
                                                 " IS FALSE",   " IS NOT FALSE",
                                                 " IS UNKNOWN", " IS NOT UNKNOWN"};
        if (e.index < 0 || e.index > 5) break;
        return Open() + Paren(e.args[0], e, true) + kTests[e.index] + Close();
      }
      case ExprKind::kIn:
        return In(e);
      case ExprKind::kAggRef:
        return Aggregate(e);
      case ExprKind::kCase:
        return Case(e);
      case ExprKind::kArrayCtor: {
        std::string out = "ARRAY[";
        for (size_t i = 0; i < e.args.size(); ++i) {
          if (i > 0) out += ", ";
          out += Expr(e.args[i], true);
        }
        return out + "]";
      }
      case ExprKind::kAnyAll:
        if (e.args.size() != 2) break;
        return AnyAll(e);
      case ExprKind::kDistinct: {
        if (e.args.size() != 2) break;
        // IS NOT DISTINCT FROM is NOT over PostgreSQL's DistinctExpr.
        std::string out =
            Open() + Operand(e.args[0], e) + " IS DISTINCT FROM " + Operand(e.args[1], e) + Close();
        if (!e.negated) return out;
        return Open() + "NOT " + out + Close();
      }
      case ExprKind::kFunc: {
        const std::string_view name = FuncName(static_cast<Func>(e.index));
        if (name.empty()) break;
        std::string out = std::string(name) + "(";
        for (size_t i = 0; i < e.args.size(); ++i) {
          if (i > 0) out += ", ";
          const bool relabel = e.args[i].type.id == TypeId::kVarchar;
          out += relabel ? Cast(e.args[i], SqlType{TypeId::kText}, e) : Expr(e.args[i], true);
        }
        return out + ")";
      }
      case ExprKind::kCoalesce: {
        std::string out = "COALESCE(";
        for (size_t i = 0; i < e.args.size(); ++i) {
          if (i > 0) out += ", ";
          out += Expr(e.args[i], true);
        }
        return out + ")";
      }
      case ExprKind::kBuiltin: {
        if (e.builtin == nullptr) break;
        const std::string_view name = e.builtin->name;
        if (e.args.empty() && IsValueFunction(name)) {
          std::string upper(name);
          for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
          return upper;
        }
        std::string out = sql::QuoteIdent(name) + "(";
        for (size_t i = 0; i < e.args.size(); ++i) {
          if (i > 0) out += ", ";
          // A varchar argument of a text parameter is relabelled (shown: function arguments
          // print their implicit casts).
          const bool relabel = e.args[i].type.id == TypeId::kVarchar && i < e.builtin->nparams &&
                               e.builtin->params[i] == TypeId::kText;
          out += relabel ? Cast(e.args[i], SqlType{TypeId::kText}, e) : Expr(e.args[i], true);
        }
        return out + ")";
      }
      default:
        break;
    }
    ok_ = false;
    return std::string();
  }

 private:
  std::string Open() const { return pretty_ ? "" : "("; }
  std::string Close() const { return pretty_ ? "" : ")"; }

  static Node KindOf(const BoundExpr& e) {
    switch (e.kind) {
      case ExprKind::kColumn:
      case ExprKind::kConst:
      case ExprKind::kCoalesce:
      case ExprKind::kBuiltin:
      case ExprKind::kFunc:
      case ExprKind::kArrayCtor:
      case ExprKind::kAggRef:
      case ExprKind::kCase:
        return Node::kSimple;
      case ExprKind::kCast:
        return Node::kCast;
      case ExprKind::kCompare:
      case ExprKind::kArith:
      case ExprKind::kConcat:
      case ExprKind::kLike:
      case ExprKind::kNegate:
        return Node::kOp;
      case ExprKind::kAnd:
      case ExprKind::kOr:
      case ExprKind::kNot:
        return Node::kBool;
      case ExprKind::kIsNull:
      case ExprKind::kBoolTest:
      case ExprKind::kDistinct:
        return Node::kTest;
      case ExprKind::kIn:
      case ExprKind::kAnyAll:
        return Node::kArrayOp;
      default:
        return Node::kOther;
    }
  }

  // A Func's name in pg_proc (ceiling and pow are ceil's and power's aliases there, so a
  // constraint written with them prints the other name).
  static std::string_view FuncName(Func f) {
    switch (f) {
      case Func::kLower:
        return "lower";
      case Func::kUpper:
        return "upper";
      case Func::kLength:
        return "length";
      case Func::kAbs:
        return "abs";
      case Func::kRound:
        return "round";
      case Func::kTrunc:
        return "trunc";
      case Func::kCeil:
        return "ceil";
      case Func::kFloor:
        return "floor";
      case Func::kSign:
        return "sign";
      case Func::kSqrt:
        return "sqrt";
      case Func::kPower:
        return "power";
      case Func::kOctetLength:
        return "octet_length";
      case Func::kMd5:
        return "md5";
      default:
        return std::string_view();
    }
  }

  // The operator's name as get_simple_binary_op_name gives it; empty for a prefix operator.
  static std::string OpName(const BoundExpr& e) {
    switch (e.kind) {
      case ExprKind::kCompare:
      case ExprKind::kArith:
        return ast::OperatorSymbol(e.op);
      case ExprKind::kConcat:
        return "||";
      case ExprKind::kLike:
        return e.flag ? (e.negated ? "!~~*" : "~~*") : (e.negated ? "!~~" : "~~");
      default:
        return std::string();
    }
  }

  // ruleutils' isSimpleNode(node, parent, PRETTYFLAG_PAREN).
  // What In prints for x IN (...): one comparison (kOp), the array's alone (kArrayOp), or a
  // chain of OR (NOT IN: AND) over them (kBool).
  static Node InShape(const BoundExpr& e) {
    size_t consts = 0;
    for (size_t i = 1; i < e.args.size(); ++i) consts += e.args[i].IsConst() ? 1 : 0;
    const size_t items = e.args.size() - 1;
    if (consts >= 2) return consts == items ? Node::kArrayOp : Node::kBool;
    return items == 1 ? Node::kOp : Node::kBool;
  }

  static bool IsSimple(const BoundExpr& node, const BoundExpr& parent, bool first_arg) {
    Node kind = KindOf(node);
    const Node parent_kind = KindOf(parent);
    if (node.kind == ExprKind::kIn) {
      kind = InShape(node);
      if (kind == Node::kOp) kind = Node::kTest;  // `=` has no arithmetic precedence
      if (kind == Node::kBool) {
        if (parent_kind != Node::kBool) return parent_kind == Node::kSimple;
        // A chain of OR (NOT IN: of AND) under a BoolExpr.
        const bool is_and = node.negated;
        return is_and ? (parent.kind == ExprKind::kAnd || parent.kind == ExprKind::kOr)
                      : parent.kind == ExprKind::kOr;
      }
    }
    switch (kind) {
      case Node::kSimple:
        return true;
      case Node::kCast:
        // A coercion is a FuncExpr, RelabelType or CoerceViaIO: function-like, or as simple
        // as its argument; either way its argument is what decides.
        return true;
      case Node::kOp:
        if (parent_kind == Node::kOp) {
          const std::string op = OpName(node), parent_op = OpName(parent);
          if (op.empty() || parent_op.empty()) return false;
          const bool lo = op[0] == '+' || op[0] == '-';
          const bool hi = op[0] == '*' || op[0] == '/' || op[0] == '%';
          if (!lo && !hi) return false;
          const bool parent_lo = parent_op[0] == '+' || parent_op[0] == '-';
          const bool parent_hi = parent_op[0] == '*' || parent_op[0] == '/' || parent_op[0] == '%';
          if (!parent_lo && !parent_hi) return false;
          if (hi && parent_lo) return true;
          if (lo && parent_hi) return false;
          return first_arg;
        }
        [[fallthrough]];
      case Node::kTest:
        return parent_kind == Node::kBool || parent_kind == Node::kSimple;
      case Node::kBool:
        if (parent_kind == Node::kBool) {
          if (node.kind == ExprKind::kNot || node.kind == ExprKind::kAnd) {
            return parent.kind == ExprKind::kAnd || parent.kind == ExprKind::kOr;
          }
          return parent.kind == ExprKind::kOr;
        }
        return parent_kind == Node::kSimple;
      case Node::kArrayOp:
      case Node::kOther:
        return false;
    }
    return false;
  }

  // get_rule_expr_paren.
  std::string Paren(const BoundExpr& e, const BoundExpr& parent, bool show_implicit) {
    const bool first = !parent.args.empty() && &parent.args[0] == &e;
    const bool paren = pretty_ && !IsSimple(e, parent, first);
    std::string inner = Expr(e, show_implicit);
    return paren ? "(" + inner + ")" : inner;
  }

  void Flatten(const BoundExpr& e, ExprKind kind, std::vector<const BoundExpr*>& out) {
    if (e.args.size() != 2) {
      ok_ = false;
      return;
    }
    // A BETWEEN's AND (flag) is a list of its own in PostgreSQL's tree.
    if (e.args[0].kind == kind && !e.args[0].flag) {
      Flatten(e.args[0], kind, out);
    } else {
      out.push_back(&e.args[0]);
    }
    out.push_back(&e.args[1]);
  }

  std::string TypeName(const SqlType& type) {
    const uint32_t oid = type.id == TypeId::kRecord || type.id == TypeId::kUnknown ||
                                 (type.id == TypeId::kArray && type.elem == TypeId::kRecord)
                             ? 0
                             : TypeOid(type);
    if (oid == 0) {
      ok_ = false;
      return std::string();
    }
    return FormatType(oid, type.typmod);
  }

  // A constant array (an ARRAY[...] of constants the binder folded) as the ARRAY[...] it was.
  std::string ArrayConst(const BoundExpr& e, const char* element_label) {
    const auto* array = std::get_if<ArrayRef>(&e.value);
    if (array == nullptr || (*array)->lower != 1) {
      ok_ = false;
      return std::string();
    }
    std::string out = "ARRAY[";
    for (size_t i = 0; i < (*array)->items.size(); ++i) {
      if (i > 0) out += ", ";
      const Datum& item = (*array)->items[i];
      if (element_label != nullptr && !IsNull(item)) {
        out += Quote(FormatText(item, e.type.elem)) + element_label;
        continue;
      }
      BoundExpr element;
      element.kind = ExprKind::kConst;
      element.type = SqlType{e.type.elem, e.type.typmod};
      element.type.enum_oid = e.type.enum_oid;
      element.value = item;
      out += Const(element);
    }
    return out + "]";
  }

  // x op ANY (array) / op ALL. `(v)::text = ANY (...)` over a text[] constant is how a varchar
  // IN list reads back (pg_dump's restore): its array printed as varchar[] relabelled, as then.
  std::string AnyAll(const BoundExpr& e) {
    const BoundExpr& left = e.args[0];
    const BoundExpr& right = e.args[1];
    const bool varchar_in = left.kind == ExprKind::kCast && left.type.id == TypeId::kText &&
                            !left.args.empty() && left.args[0].type.id == TypeId::kVarchar &&
                            right.IsConst() && !IsNull(right.value) &&
                            right.type.elem == TypeId::kText;
    std::string array;
    if (varchar_in) {
      array = ArrayConst(right, "::character varying");
      array = (pretty_ ? array : "(" + array + ")") + "::text[]";
    } else if (right.IsConst() && !IsNull(right.value)) {
      array = ArrayConst(right, nullptr);
    } else {
      array = Paren(right, e, true);
    }
    return Open() + Operand(left, e) + " " + ast::OperatorSymbol(e.op) +
           (e.flag ? " ALL (" : " ANY (") + array + ")" + Close();
  }

  // An operator's operand: a varchar is relabelled to text for the text operators (both sides
  // of a string comparison, LIKE, ||), a cast shown as the operator's arguments show theirs.
  std::string Operand(const BoundExpr& arg, const BoundExpr& op) {
    if (arg.type.id == TypeId::kVarchar && op.kind != ExprKind::kArith) {
      return Cast(arg, SqlType{TypeId::kText}, op);
    }
    // real against double precision is one of the float48 operators: no cast in PostgreSQL's
    // tree, where the binder widened the real side.
    if (arg.kind == ExprKind::kCast && !arg.flag && arg.type.id == TypeId::kFloat8 &&
        arg.args[0].type.id == TypeId::kFloat4) {
      return Paren(arg.args[0], op, true);
    }
    return Paren(arg, op, true);
  }

  std::string BinaryOp(const BoundExpr& e, const std::string& name) {
    return Open() + Operand(e.args[0], e) + " " + name + " " + Operand(e.args[1], e) + Close();
  }

  // get_coercion_expr: the argument in parentheses (not in pretty mode), then ::type; a
  // constant of the target type shows as the constant.
  std::string Cast(const BoundExpr& arg, const SqlType& to, const BoundExpr& parent) {
    std::string type = TypeName(to);
    std::string inner = Paren(arg, parent, false);
    if (!pretty_) inner = "(" + inner + ")";
    return inner + "::" + type;
  }

  // An integer literal as PostgreSQL's parser types it: int4 bare (negative: quoted and cast),
  // int8 quoted and cast to bigint.
  std::string IntegerLiteral(std::string_view text) {
    const bool negative = text.front() == '-';
    const std::string_view digits = negative ? text.substr(1) : text;
    // int4's range: up to 10 digits, at most 2147483647 (2147483648 when negative).
    bool int4 = digits.size() < 10 ||
                (digits.size() == 10 && digits <= (negative ? "2147483648" : "2147483647"));
    if (int4 && !negative) return std::string(text);
    return Quote(text) + (int4 ? "::integer" : "::bigint");
  }

  // get_const_expr of a constant the binder folded: numbers of other types than their literal's
  // were a literal cast (`(0)::numeric` for price > 0), other values a literal of their type.
  std::string Const(const BoundExpr& e) {
    if (e.type.id == TypeId::kArray && !IsNull(e.value)) return ArrayConst(e, nullptr);
    if (e.type.id == TypeId::kEnum || e.type.id == TypeId::kRecord) {
      ok_ = false;
      return std::string();
    }
    if (IsNull(e.value)) {
      if (e.type.id == TypeId::kUnknown) return "NULL";
      return "NULL::" + TypeName(e.type);
    }
    // A literal no context typed (a select list's 'x'): PostgreSQL resolves it to text.
    if (e.type.id == TypeId::kUnknown) {
      const auto* literal = std::get_if<std::string>(&e.value);
      if (literal == nullptr) {
        ok_ = false;
        return std::string();
      }
      return Quote(*literal) + "::text";
    }
    const std::string text = FormatText(e.value, e.type.id);
    switch (e.type.id) {
      case TypeId::kBool:
        return text == "t" || text == "true" ? "true" : "false";
      case TypeId::kInt4:
      case TypeId::kInt8:
      case TypeId::kInt2:
        if (AllOf(text.front() == '-' ? std::string_view(text).substr(1) : text, "0123456789")) {
          if (e.type.id == TypeId::kInt4) return IntegerLiteral(text);
          if (e.type.id == TypeId::kInt8) {
            // A literal past int4's range is int8 itself; a smaller one was cast.
            std::string literal = IntegerLiteral(text);
            if (literal.ends_with("::bigint")) return literal;
            return Folded(literal, e.type);
          }
          return Folded(IntegerLiteral(text), e.type);
        }
        break;
      case TypeId::kNumeric:
      case TypeId::kFloat8:
      case TypeId::kFloat4: {
        const bool negative = text.front() == '-';
        const std::string_view digits = negative ? std::string_view(text).substr(1) : text;
        if (AllOf(digits, "0123456789")) return Folded(IntegerLiteral(text), e.type);
        if (AllOf(digits, "0123456789.eE+-") && digits.find_first_of(".eE") != digits.npos &&
            digits.front() >= '0' && digits.front() <= '9') {
          // A numeric literal: bare when positive (its own type), else quoted.
          const std::string literal = negative ? Quote(text) + "::numeric" : text;
          if (e.type.id == TypeId::kNumeric) {
            if (e.type.typmod >= 0) return Folded(literal, e.type);
            return literal;
          }
          return Folded(literal, e.type);
        }
        break;
      }
      default:
        break;
    }
    // A literal of its type: quoted and labelled (bpchar without a length prints as bpchar).
    return Quote(text) + "::" + TypeName(e.type);
  }

  // A literal cast to type: `(0)::numeric`, pretty `0::numeric`.
  std::string Folded(const std::string& literal, const SqlType& type) {
    return (pretty_ ? literal : "(" + literal + ")") + "::" + TypeName(type);
  }

  // x IN (...) as PostgreSQL's transformAExprIn: the items without a column (more than one
  // of them) as `x = ANY (ARRAY[...])`, `<> ALL` for NOT IN; each other item as its own `=`
  // (`<>`), OR-ed (AND-ed) to the left in order. A varchar operand makes the array varchar[],
  // relabelled to text[] for text's operator.
  std::string In(const BoundExpr& e) {
    if (e.args.size() < 2) {
      ok_ = false;
      return std::string();
    }
    const BoundExpr& operand = e.args[0];
    std::vector<const BoundExpr*> consts, others;
    for (size_t i = 1; i < e.args.size(); ++i) {
      (e.args[i].IsConst() ? consts : others).push_back(&e.args[i]);
    }
    if (consts.size() < 2) {
      others.clear();
      for (size_t i = 1; i < e.args.size(); ++i) others.push_back(&e.args[i]);
      consts.clear();
    }
    // The terms, left to right; each term a comparison string and whether it is the array's.
    std::vector<std::string> terms;
    if (!consts.empty()) terms.push_back(ArrayTerm(e, consts));
    for (const BoundExpr* item : others) {
      BoundExpr cmp;
      cmp.kind = ExprKind::kCompare;
      cmp.op = e.negated ? ast::BinaryOp::kNe : ast::BinaryOp::kEq;
      cmp.type = SqlType{TypeId::kBool};
      cmp.args.push_back(operand);
      cmp.args.push_back(*item);
      terms.push_back(BinaryOp(cmp, e.negated ? "<>" : "="));
    }
    // Left-deep binary ORs (ANDs): in pretty mode only an array term needs parentheses there.
    std::string out = terms[0];
    const bool first_is_array = !consts.empty();
    if (terms.size() > 1 && pretty_ && first_is_array) out = "(" + out + ")";
    for (size_t i = 1; i < terms.size(); ++i) {
      out = Open() + out + (e.negated ? " AND " : " OR ") + terms[i] + Close();
    }
    return out;
  }

  std::string ArrayTerm(const BoundExpr& e, const std::vector<const BoundExpr*>& items) {
    const BoundExpr& operand = e.args[0];
    const bool varchar = operand.type.id == TypeId::kVarchar;
    std::string array = "ARRAY[";
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) array += ", ";
      const BoundExpr& item = *items[i];
      if (varchar && !IsNull(item.value) && item.type.id == TypeId::kText) {
        array += Quote(FormatText(item.value, item.type.id)) + "::character varying";
      } else {
        array += Expr(item, true);
      }
    }
    array += "]";
    if (varchar) array = (pretty_ ? array : "(" + array + ")") + "::text[]";
    const std::string left =
        varchar ? Cast(operand, SqlType{TypeId::kText}, e) : Paren(operand, e, true);
    return Open() + left + (e.negated ? " <> ALL (" : " = ANY (") + array + ")" + Close();
  }

  // A line break as appendContextKeyword makes it: the spaces before it are removed when the
  // whole text is finished (FinishLines), the indentation after it kept.
  std::string NewLine() const { return std::string(1, kLineBreak) + std::string(indent_, ' '); }

  // CASE as get_rule_expr lays it out: CASE [operand], each WHEN and the ELSE on lines of their
  // own indented 4 past it, END back under CASE; a simple CASE's WHEN shows only its value.
  std::string Case(const BoundExpr& e) {
    if (e.args.size() < 3 || e.args.size() % 2 == 0) {
      ok_ = false;
      return std::string();
    }
    const bool simple = e.negated;
    std::string out = NewLine() + "CASE";
    indent_ += 4;
    if (simple) {
      const BoundExpr& first = e.args[0];
      if (first.kind != ExprKind::kCompare || first.args.size() != 2) {
        ok_ = false;
        return std::string();
      }
      out += " " + Expr(first.args[0], true);
    }
    for (size_t i = 0; i + 1 < e.args.size(); i += 2) {
      const BoundExpr& cond = e.args[i];
      std::string when;
      if (simple) {
        if (cond.kind != ExprKind::kCompare || cond.args.size() != 2) {
          ok_ = false;
          return std::string();
        }
        when = Expr(cond.args[1], false);
      } else {
        when = Expr(cond, false);
      }
      out += NewLine() + "WHEN " + when + " THEN " + Expr(e.args[i + 1], true);
    }
    out += NewLine() + "ELSE " + Expr(e.args.back(), true);
    indent_ -= 4;
    return out + NewLine() + "END";
  }

  // get_agg_expr for the plain aggregates: name([DISTINCT] args) or count(*); FILTER, ORDER BY
  // inside the call and the ordered-set and statistical ones are not printed (nullopt).
  std::string Aggregate(const BoundExpr& e) {
    if (aggs_ == nullptr || e.index < 0 || static_cast<size_t>(e.index) >= aggs_->size()) {
      ok_ = false;
      return std::string();
    }
    const AggSpec& spec = (*aggs_)[static_cast<size_t>(e.index)];
    if (spec.filter || spec.delimiter || !spec.order_by.empty() || !spec.direct_args.empty()) {
      ok_ = false;
      return std::string();
    }
    const char* name = nullptr;
    switch (spec.kind) {
      case AggKind::kCountStar:
        return "count(*)";
      case AggKind::kCount:
        name = "count";
        break;
      case AggKind::kSum:
        name = "sum";
        break;
      case AggKind::kMin:
        name = "min";
        break;
      case AggKind::kMax:
        name = "max";
        break;
      case AggKind::kAvg:
        name = "avg";
        break;
      default:
        ok_ = false;
        return std::string();
    }
    return std::string(name) + "(" + (spec.distinct ? "DISTINCT " : "") + Expr(spec.arg, true) +
           ")";
  }

  const ColumnNamer& columns_;
  const bool pretty_;
  const std::vector<AggSpec>* aggs_;
  bool ok_ = true;

 public:
  int indent_ = 0;  // appendContextKeyword's indentLevel: where a CASE's lines start
};

}  // namespace

namespace {

// The text with its line breaks unresolved (kLineBreak), a CASE's lines indented from indent.
std::optional<std::string> RawExprText(const BoundExpr& expr, const ColumnNamer& columns,
                                       bool pretty, bool show_implicit,
                                       const std::vector<AggSpec>* aggs, int indent) {
  Printer printer(columns, pretty, aggs);
  printer.indent_ = indent;
  std::string text = printer.Expr(expr, show_implicit);
  if (!printer.ok()) return std::nullopt;
  return text;
}

}  // namespace

std::optional<std::string> RuleExprText(const BoundExpr& expr, const ColumnNamer& columns,
                                        bool pretty, bool show_implicit,
                                        const std::vector<AggSpec>* aggs) {
  std::optional<std::string> text = RawExprText(expr, columns, pretty, show_implicit, aggs, 0);
  if (!text) return std::nullopt;
  return FinishLines(std::move(*text));
}

std::optional<std::string> RuleExprText(const BoundExpr& expr, const TableDef& table, bool pretty) {
  const ColumnNamer columns = [&table](int index) -> std::optional<std::string> {
    if (index < 0 || static_cast<size_t>(index) >= table.columns.size()) return std::nullopt;
    return sql::QuoteIdent(table.columns[static_cast<size_t>(index)].name);
  };
  return RuleExprText(expr, columns, pretty, false, nullptr);
}

namespace {

// ruleutils' indentLevel inside a SELECT's clauses (PRETTYINDENT_STD): where a CASE's lines
// start.
constexpr int kClauseIndent = 8;

// A view's query as ruleutils' get_query_def lays it out (PRETTYFLAG_INDENT, wrap column 0).
class ViewPrinter {
 public:
  ViewPrinter(const Catalog& catalog, const std::vector<std::string>& path, bool pretty)
      : catalog_(catalog), path_(path), pretty_(pretty) {
    namer_ = [this](int index) -> std::optional<std::string> {
      if (index < 0 || static_cast<size_t>(index) >= scope_.size()) return std::nullopt;
      const ScopeColumn& c = scope_[static_cast<size_t>(index)];
      return sql::QuoteIdent(c.table) + "." + sql::QuoteIdent(c.name);
    };
  }

  std::optional<std::string> Print(const TableDef& view) {
    const ast::Select* q = view.view_query.get();
    if (q == nullptr) return std::nullopt;
    std::vector<std::string> names;
    for (const ColumnDef& c : view.columns) names.push_back(c.name);
    if (q->set_op != nullptr) {
      // get_setop_query for one set operation over two plain SELECTs: each printed as a query
      // of its own (its names the view's columns), the operator on a line between them.
      const ast::SetOperation& op = *q->set_op;
      if (q->explain || !q->with.empty() || !q->order_by.empty() || q->limit || q->offset ||
          !q->locking.empty() || op.left.set_op != nullptr || op.right.set_op != nullptr) {
        return std::nullopt;
      }
      ViewPrinter left(catalog_, path_, pretty_), right(catalog_, path_, pretty_);
      std::optional<std::string> l = left.Body(op.left, names);
      if (!l) return std::nullopt;
      std::optional<std::string> r = right.Body(op.right, names);
      if (!r) return std::nullopt;
      const char* keyword = op.kind == ast::SetOpKind::kUnion       ? "UNION"
                            : op.kind == ast::SetOpKind::kIntersect ? "INTERSECT"
                                                                    : "EXCEPT";
      return *l + "\n" + keyword + (op.all ? " ALL" : "") + "\n" + *r + ";";
    }
    std::optional<std::string> body = Body(*q, names);
    if (!body) return std::nullopt;
    return *body + ";";
  }

 private:
  // One SELECT as get_basic_select_query prints it (without the closing ";"), its select list
  // named `names`.
  std::optional<std::string> Body(const ast::Select& select,
                                  const std::vector<std::string>& names) {
    const ast::Select* q = &select;
    if (q->explain || !q->with.empty() || q->set_op || !q->values.empty() ||
        !q->distinct_on.empty() || q->group_distinct || !q->windows.empty() || q->limit ||
        q->offset || !q->locking.empty() || q->from.size() > 1) {
      return std::nullopt;
    }
    std::string from;
    if (!q->from.empty()) {
      std::optional<std::string> relations = Relations(q->from[0]);
      if (!relations) return std::nullopt;
      Binder binder(scope_);
      std::optional<std::string> text = From(q->from[0], binder);
      if (!text) return std::nullopt;
      from = "\n   FROM " + *text;
    }
    Binder binder(scope_);
    binder.AllowAggregates(&aggs_);
    // The select list: its texts, and per entry the expression's own column name if it is a
    // column reference and its kind (ORDER BY / GROUP BY n print the entry's expression).
    struct Target {
      std::string text;
      std::string own_name;
      ExprKind kind;
    };
    std::vector<Target> targets;
    for (const ast::SelectItem& item : q->items) {
      if (item.star) {
        bool any = false;
        for (size_t i = 0; i < scope_.size(); ++i) {
          if (!item.star_table.empty() && scope_[i].table != item.star_table) continue;
          any = true;
          targets.push_back({*namer_(static_cast<int>(i)), scope_[i].name, ExprKind::kColumn});
        }
        if (!any) return std::nullopt;
        continue;
      }
      if (item.expr == nullptr) return std::nullopt;
      Result<BoundExpr> bound = binder.Bind(*item.expr);
      if (!bound) return std::nullopt;
      std::optional<std::string> text =
          RawExprText(*bound, namer_, pretty_, true, &aggs_, kClauseIndent);
      if (!text) return std::nullopt;
      std::string own_name;
      if (bound->kind == ExprKind::kColumn) {
        own_name = scope_[static_cast<size_t>(bound->index)].name;
      }
      targets.push_back({std::move(*text), std::move(own_name), bound->kind});
    }
    if (targets.size() != names.size()) return std::nullopt;
    std::string out = q->distinct ? " SELECT DISTINCT" : " SELECT";
    for (size_t i = 0; i < targets.size(); ++i) {
      // An entry that starts on a line of its own (CASE) takes no indentation before it.
      const bool own_line = !targets[i].text.empty() && targets[i].text[0] == kLineBreak;
      out += i == 0 || own_line ? (i == 0 ? " " : ", ") : ",\n    ";
      out += targets[i].text;
      if (targets[i].own_name != names[i]) out += " AS " + sql::QuoteIdent(names[i]);
    }
    out += from;
    if (q->where != nullptr) {
      Result<BoundExpr> where = binder.BindCondition(*q->where, "WHERE");
      if (!where) return std::nullopt;
      std::optional<std::string> text =
          RawExprText(*where, namer_, pretty_, false, &aggs_, kClauseIndent);
      if (!text) return std::nullopt;
      out += "\n  WHERE " + *text;
    }
    // get_rule_sortgroupclause: n is the select list's n-th entry, printed as its expression;
    // an expression other than a column is parenthesised when pretty (a call always).
    auto key = [&](const ast::Expr& expr) -> std::optional<std::string> {
      std::string text;
      ExprKind kind;
      if (const auto* position = std::get_if<ast::IntLiteral>(&expr.node)) {
        if (position->value < 1 || static_cast<size_t>(position->value) > targets.size()) {
          return std::nullopt;
        }
        const Target& target = targets[static_cast<size_t>(position->value - 1)];
        text = target.text;
        kind = target.kind;
      } else {
        Result<BoundExpr> bound = binder.Bind(expr);
        if (!bound) return std::nullopt;
        std::optional<std::string> printed =
            RawExprText(*bound, namer_, pretty_, true, &aggs_, kClauseIndent);
        if (!printed) return std::nullopt;
        text = std::move(*printed);
        kind = bound->kind;
      }
      if (kind == ExprKind::kConst) return std::nullopt;  // printed as its position there
      const bool call =
          kind == ExprKind::kBuiltin || kind == ExprKind::kFunc || kind == ExprKind::kAggRef;
      return kind != ExprKind::kColumn && (pretty_ || call) ? "(" + text + ")" : text;
    };
    if (!q->group_by.empty()) {
      out += "\n  GROUP BY ";
      for (size_t i = 0; i < q->group_by.size(); ++i) {
        if (std::holds_alternative<ast::GroupingSet>(q->group_by[i]->node)) return std::nullopt;
        std::optional<std::string> k = key(*q->group_by[i]);
        if (!k) return std::nullopt;
        out += (i > 0 ? ", " : "") + *k;
      }
    }
    if (q->having != nullptr) {
      Result<BoundExpr> having = binder.BindCondition(*q->having, "HAVING");
      if (!having) return std::nullopt;
      std::optional<std::string> text =
          RawExprText(*having, namer_, pretty_, false, &aggs_, kClauseIndent);
      if (!text) return std::nullopt;
      out += "\n HAVING " + *text;
    }
    if (!q->order_by.empty()) {
      out += "\n  ORDER BY ";
      for (size_t i = 0; i < q->order_by.size(); ++i) {
        const ast::OrderItem& o = q->order_by[i];
        std::optional<std::string> k = key(*o.expr);
        if (!k) return std::nullopt;
        out += (i > 0 ? ", " : "") + *k;
        const bool nulls_first = o.nulls_first.value_or(o.descending);
        if (o.descending) out += " DESC";
        if (nulls_first != o.descending) out += nulls_first ? " NULLS FIRST" : " NULLS LAST";
      }
    }
    return out;
  }

  // The stored tables of a FROM item (a table, or joins of tables with ON), their columns
  // appended to the scope under their reference names; the item's text, or nullopt.
  std::optional<std::string> Relations(const ast::TableRef& ref) {
    if (ref.join != nullptr) {
      const ast::JoinExpr& j = *ref.join;
      if (j.on == nullptr || !j.using_columns.empty() || j.natural ||
          j.type == ast::JoinType::kCross || j.right.join != nullptr || !ref.alias.empty()) {
        return std::nullopt;
      }
      if (!Relations(j.left) || !Relations(j.right)) return std::nullopt;
      return std::string();
    }
    if (ref.subquery != nullptr || ref.function != nullptr || !ref.column_aliases.empty()) {
      return std::nullopt;
    }
    // The stored query names a relation of public bare, any other qualified (CREATE VIEW
    // qualifies what it resolved outside public), whatever the reader's search path.
    static const std::vector<std::string> kStoredPath = {std::string(kPublicSchema)};
    const TableDef* def = FindRelation(catalog_, kStoredPath, ref.table);
    if (def == nullptr) return std::nullopt;
    const std::string refname = ref.alias.empty() ? def->name : ref.alias;
    for (const ColumnDef& c : def->columns) scope_.push_back({refname, c.name, c.type});
    std::string text = VisibleName(catalog_, path_, *def);
    // ruleutils' get_rte_alias: an alias given is printed, even one equal to the name.
    if (!ref.alias.empty()) text += " " + sql::QuoteIdent(ref.alias);
    texts_.push_back(std::move(text));
    return std::string();
  }

  // get_from_clause_item: a join parenthesised unless pretty, each JOIN on a line of its own.
  std::optional<std::string> From(const ast::TableRef& ref, Binder& binder) {
    if (ref.join == nullptr) {
      if (next_text_ >= texts_.size()) return std::nullopt;
      return texts_[next_text_++];
    }
    const ast::JoinExpr& j = *ref.join;
    std::optional<std::string> left = From(j.left, binder);
    if (!left) return std::nullopt;
    std::optional<std::string> right = From(j.right, binder);
    if (!right) return std::nullopt;
    Result<BoundExpr> on = binder.BindCondition(*j.on, "JOIN/ON");
    if (!on) return std::nullopt;
    std::optional<std::string> cond =
        RawExprText(*on, namer_, pretty_, false, nullptr, kClauseIndent);
    if (!cond) return std::nullopt;
    const char* keyword = j.type == ast::JoinType::kLeft    ? "LEFT JOIN"
                          : j.type == ast::JoinType::kRight ? "RIGHT JOIN"
                          : j.type == ast::JoinType::kFull  ? "FULL JOIN"
                                                            : "JOIN";
    std::string out = pretty_ ? "" : "(";
    out += *left + "\n     " + keyword + " " + *right + " ON ";
    out += pretty_ ? *cond : "(" + *cond + ")";
    if (!pretty_) out += ")";
    return out;
  }

  const Catalog& catalog_;
  const std::vector<std::string>& path_;
  const bool pretty_;
  Scope scope_;
  std::vector<AggSpec> aggs_;       // the aggregate calls bound in the query
  std::vector<std::string> texts_;  // the FROM tables' texts, in order
  size_t next_text_ = 0;
  ColumnNamer namer_;
};

}  // namespace

std::optional<std::string> RuleViewText(const TableDef& view, const Catalog& catalog,
                                        const std::vector<std::string>& path, bool pretty) {
  ViewPrinter printer(catalog, path, pretty);
  std::optional<std::string> text = printer.Print(view);
  if (!text) return std::nullopt;
  return FinishLines(std::move(*text));
}

}  // namespace sqlrite::engine::catalog
