// RuleExprText: ruleutils' get_rule_expr over the engine's bound expressions (see the header).

#include "engine/catalog/rule_deparse.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "engine/analyze/grouping_sets.h"
#include "engine/catalog/builtin_types.h"
#include "engine/functions/builtin.h"
#include "engine/search_path.h"
#include "engine/sql/internal_calls.h"
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

// A query printed inside another (a sublink's, a FROM item's) as ruleutils' get_query_def does
// at the enclosing context's indentLevel: every line break of its text (clause keywords, a CASE's
// lines) moved right by `by`.
std::string Shift(const std::string& text, int by) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    out.push_back(c);
    if (c == '\n' || c == kLineBreak) out.append(static_cast<size_t>(by), ' ');
  }
  return out;
}

// A sublink of a view's query, its subquery already printed (at indentation 0, its line breaks
// unresolved); a kSubquery node of the bound expression names it by its index.
struct SublinkText {
  ast::SubLink::Kind kind = ast::SubLink::Kind::kScalar;
  ast::BinaryOp op = ast::BinaryOp::kEq;
  std::string query;
};

// What an expression of a view's query may refer to besides its own columns: an enclosing
// query's values (kOuterRef, printed by `outer`) and its sublinks.
struct Extras {
  ColumnNamer outer;
  const std::vector<SublinkText>* sublinks = nullptr;
  const WindowScope* windows = nullptr;  // the query's window calls (kWindowRef's index)
};

bool AllOf(std::string_view s, std::string_view chars) {
  return !s.empty() && s.find_first_not_of(chars) == std::string_view::npos;
}

class Printer {
 public:
  Printer(const ColumnNamer& columns, bool pretty, const std::vector<AggSpec>* aggs,
          const Extras* extras)
      : columns_(columns), pretty_(pretty), aggs_(aggs), extras_(extras) {}

  bool ok() const { return ok_; }

  // get_rule_expr: `parent` is the node e is an argument of (null at the top).
  std::string Expr(const BoundExpr& e, bool show_implicit) {
    switch (e.kind) {
      case ExprKind::kColumn:
        if (std::optional<std::string> name = columns_(e.index)) return *name;
        break;
      case ExprKind::kConst:
        return Const(e);
      case ExprKind::kOuterRef:
        if (extras_ != nullptr && extras_->outer) {
          if (std::optional<std::string> text = extras_->outer(e.index)) return *text;
        }
        break;
      case ExprKind::kSubquery:
        return Sublink(e);
      case ExprKind::kWindowRef:
        return Window(e);
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
        if (IsOperatorBuiltin(e)) {
          // get_oper_expr: an operator the registry implements (the bit and jsonb ones).
          if (e.args.size() == 2) return BinaryOp(e, OpName(e));
          if (e.args.size() != 1) break;
          return Open() + OperatorOf(e) + " " + Paren(e.args[0], e, true) + Close();
        }
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
      case ExprKind::kBuiltin:
        return IsOperatorBuiltin(e) ? Node::kOp : Node::kSimple;
      case ExprKind::kConst:
      case ExprKind::kCoalesce:
      case ExprKind::kFunc:
      case ExprKind::kArrayCtor:
      case ExprKind::kAggRef:
      case ExprKind::kCase:
      case ExprKind::kOuterRef:
      case ExprKind::kWindowRef:
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
      case ExprKind::kSubquery:  // isSimpleNode's T_SubLink
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

  // The operator a registry call was bound from, as pg_operator names it; empty for a call
  // written as one. A registry entry named by its symbol (bit_functions' "&", jsonb's "->") is
  // always an operator; one named by its function (textregexeq for ~, arraycontains for @>,
  // bitcat and jsonb_concat for ||) only when the binder marked it written as one (flag).
  static std::string OperatorOf(const BoundExpr& e) {
    if (e.kind != ExprKind::kBuiltin || e.builtin == nullptr || e.builtin->name.empty()) {
      return std::string();
    }
    const std::string_view name = e.builtin->name;
    if (std::all_of(name.begin(), name.end(), [](char c) {
          return std::string_view("~!@#%^&|`?<>-+*/=").find(c) != std::string_view::npos;
        })) {
      return std::string(name);
    }
    if (!e.flag || e.args.size() != 2) return std::string();
    static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
        {"textregexeq", "~"},     {"textregexne", "!~"},  {"texticregexeq", "~*"},
        {"texticregexne", "!~*"}, {"starts_with", "^@"},  {"arraycontains", "@>"},
        {"arraycontained", "<@"}, {"arrayoverlap", "&&"}, {"bitcat", "||"},
        {"jsonb_concat", "||"},   {"jsonb_delete", "-"},
    };
    for (const auto& [function, symbol] : kNamed) {
      if (function == name) return std::string(symbol);
    }
    return std::string();
  }
  static bool IsOperatorBuiltin(const BoundExpr& e) { return !OperatorOf(e).empty(); }

  // The operator's name as get_simple_binary_op_name gives it; empty for a prefix operator.
  static std::string OpName(const BoundExpr& e) {
    if (IsOperatorBuiltin(e) && e.args.size() == 2) return OperatorOf(e);
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
    // bit against bit varying compares as bit varying (varbiteq): the bit side's implicit cast
    // is shown, as ruleutils shows it.
    if (op.kind == ExprKind::kCompare && op.args.size() == 2 && arg.type.id == TypeId::kBit) {
      const BoundExpr& other = &op.args[0] == &arg ? op.args[1] : op.args[0];
      if (other.type.id == TypeId::kVarbit) return Cast(arg, SqlType{TypeId::kVarbit}, op);
    }
    // date, timestamp and timestamptz compare with each other through cross-type operators
    // (timestamp_gt_timestamptz, date_lt_timestamp, ...): no cast in PostgreSQL's tree.
    auto datetime = [](TypeId id) {
      return id == TypeId::kDate || id == TypeId::kTimestamp || id == TypeId::kTimestampTz;
    };
    if (op.kind == ExprKind::kCompare && arg.kind == ExprKind::kCast && !arg.flag &&
        !arg.args.empty() && datetime(arg.type.id) && datetime(arg.args[0].type.id)) {
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

  // get_agg_expr: name([DISTINCT] args [ORDER BY keys]) [FILTER (WHERE cond)], or count(*).
  // Not printed (nullopt): the ordered-set and hypothetical aggregates, and the calls whose
  // kind several names share (bool_and / every / min over booleans, variance / var_samp,
  // stddev / stddev_samp), whose name as written the bound tree has lost.
  std::string Aggregate(const BoundExpr& e) {
    if (aggs_ == nullptr || e.index < 0 || static_cast<size_t>(e.index) >= aggs_->size()) {
      ok_ = false;
      return std::string();
    }
    return AggregateCall((*aggs_)[static_cast<size_t>(e.index)]);
  }

  static const char* AggregateName(const AggSpec& spec) {
    switch (spec.kind) {
      case AggKind::kCount:
        return "count";
      case AggKind::kSum:
        return "sum";
      case AggKind::kMin:
      case AggKind::kMax:
        if (spec.arg.type.id == TypeId::kBool) return nullptr;  // bool_and, bool_or, every
        return spec.kind == AggKind::kMin ? "min" : "max";
      case AggKind::kAvg:
        return "avg";
      case AggKind::kStringAgg:
        return "string_agg";
      case AggKind::kArrayAgg:
        return "array_agg";
      case AggKind::kJsonAgg:
        return "json_agg";
      case AggKind::kJsonbAgg:
        return "jsonb_agg";
      case AggKind::kJsonObjectAgg:
        return "json_object_agg";
      case AggKind::kJsonbObjectAgg:
        return "jsonb_object_agg";
      case AggKind::kBitAnd:
        return "bit_and";
      case AggKind::kBitOr:
        return "bit_or";
      case AggKind::kBitXor:
        return "bit_xor";
      case AggKind::kVarPop:
        return "var_pop";
      case AggKind::kStddevPop:
        return "stddev_pop";
      case AggKind::kCorr:
        return "corr";
      case AggKind::kCovarPop:
        return "covar_pop";
      case AggKind::kCovarSamp:
        return "covar_samp";
      default:
        return nullptr;
    }
  }

  std::string AggregateCall(const AggSpec& spec) {
    if (!spec.direct_args.empty()) {
      ok_ = false;
      return std::string();
    }
    std::string out;
    if (IsGroupingCallSpec(spec)) {
      // GROUPING(a, ...): a slot of the aggregates (engine/analyze/grouping_sets.h).
      out = "GROUPING(";
      for (size_t i = 0; i < spec.arg.args.size(); ++i) {
        out += (i > 0 ? ", " : "") + Expr(spec.arg.args[i], true);
      }
      return out + ")";
    }
    if (spec.kind == AggKind::kCountStar) {
      out = "count(*)";
    } else {
      const char* name = AggregateName(spec);
      if (name == nullptr) {
        ok_ = false;
        return std::string();
      }
      out = std::string(name) + "(" + (spec.distinct ? "DISTINCT " : "") + Expr(spec.arg, true);
      // string_agg's delimiter, json_object_agg's value, a regression's X: the second argument.
      if (spec.delimiter) out += ", " + Expr(*spec.delimiter, true);
      if (!spec.order_by.empty()) {
        out += " ORDER BY ";
        for (size_t k = 0; k < spec.order_by.size(); ++k) {
          const AggOrderKey& key = spec.order_by[k];
          out += (k > 0 ? ", " : "") + SortKey(key.expr);
          if (key.descending) out += " DESC";
          if (key.nulls_first != key.descending) {
            out += key.nulls_first ? " NULLS FIRST" : " NULLS LAST";
          }
        }
      }
      out += ")";
    }
    if (spec.filter) out += " FILTER (WHERE " + Expr(*spec.filter, false) + ")";
    return out;
  }

  // get_sublink_expr: the subquery in parentheses at the current indentation, `EXISTS (...)`,
  // `x IN (...)` for = ANY, `x op ANY (...)`, `x op ALL (...)`, each in parentheses of its own.
  std::string Sublink(const BoundExpr& e) {
    if (extras_ == nullptr || extras_->sublinks == nullptr || e.index < 0 ||
        static_cast<size_t>(e.index) >= extras_->sublinks->size()) {
      ok_ = false;
      return std::string();
    }
    const SublinkText& link = (*extras_->sublinks)[static_cast<size_t>(e.index)];
    const std::string query = Shift(link.query, indent_);
    switch (link.kind) {
      case ast::SubLink::Kind::kScalar:
        return "(" + query + ")";
      case ast::SubLink::Kind::kExists:
        return "(EXISTS (" + query + "))";
      case ast::SubLink::Kind::kAny:
      case ast::SubLink::Kind::kAll: {
        if (e.args.size() != 1) break;
        const std::string op = ast::OperatorSymbol(link.op);
        std::string keyword =
            " " + op + (link.kind == ast::SubLink::Kind::kAny ? " ANY " : " ALL ");
        if (link.kind == ast::SubLink::Kind::kAny && op == "=") keyword = " IN ";
        // The operand as the comparison's left argument prints (a varchar relabelled to text).
        BoundExpr cmp;
        cmp.kind = ExprKind::kCompare;
        cmp.op = link.op;
        return "(" + Operand(e.args[0], cmp) + keyword + "(" + query + "))";
      }
      case ast::SubLink::Kind::kArray:
        return "ARRAY(" + query + ")";
    }
    ok_ = false;
    return std::string();
  }

  // get_windowfunc_expr: the call, then OVER and the window's name (a WINDOW clause's entry) or
  // its specification.
  std::string Window(const BoundExpr& e) {
    const WindowScope* w = extras_ != nullptr ? extras_->windows : nullptr;
    if (w == nullptr || e.index < 0 || static_cast<size_t>(e.index) >= w->calls.size()) {
      ok_ = false;
      return std::string();
    }
    const WindowCall& call = w->calls[static_cast<size_t>(e.index)];
    std::string out;
    if (call.kind == WindowFuncKind::kAggregate) {
      out = AggregateCall(call.agg);
    } else {
      out = call.name + "(";
      for (size_t i = 0; i < call.args.size(); ++i) {
        if (i > 0) out += ", ";
        out += Expr(call.args[i], true);
      }
      out += ")";
    }
    const size_t named = w->named != nullptr ? w->named->size() : 0;
    if (call.spec < named) return out + " OVER " + sql::QuoteIdent((*w->named)[call.spec].name);
    return out + " OVER " + WindowSpecText(call.spec);
  }

 public:
  // get_rule_windowspec of window spec `i` of extras' WindowScope: (refname PARTITION BY ...
  // ORDER BY ... frame), the parts a refname copies left out.
  std::string WindowSpecText(size_t i) {
    const WindowScope* w = extras_ != nullptr ? extras_->windows : nullptr;
    if (w == nullptr || i >= w->specs.size()) {
      ok_ = false;
      return std::string();
    }
    const WindowSpec& spec = w->specs[i];
    std::string out = "(";
    const WindowSpec* ref = nullptr;
    if (!spec.refname.empty()) {
      out += sql::QuoteIdent(spec.refname) + " ";
      for (size_t j = 0; w->named != nullptr && j < w->named->size() && j < w->specs.size(); ++j) {
        if ((*w->named)[j].name == spec.refname) ref = &w->specs[j];
      }
      if (ref == nullptr) {
        ok_ = false;
        return std::string();
      }
    }
    if (!spec.partition_by.empty() && ref == nullptr) {
      out += "PARTITION BY ";
      for (size_t k = 0; k < spec.partition_by.size(); ++k) {
        out += (k > 0 ? ", " : "") + SortKey(spec.partition_by[k]);
      }
      out += " ";
    }
    // An ORDER BY copied from the window referred to is not printed.
    if (!spec.order_by.empty() && (ref == nullptr || ref->order_by.empty())) {
      out += "ORDER BY ";
      for (size_t k = 0; k < spec.order_by.size(); ++k) {
        const WindowOrderKey& key = spec.order_by[k];
        out += (k > 0 ? ", " : "") + SortKey(key.expr);
        if (key.descending) out += " DESC";
        if (key.nulls_first != key.descending)
          out += key.nulls_first ? " NULLS FIRST" : " NULLS LAST";
      }
      out += " ";
    }
    const int f = spec.frame.options;
    if ((f & ast::kFrameNonDefault) != 0) {
      out += (f & ast::kFrameRange) != 0  ? "RANGE "
             : (f & ast::kFrameRows) != 0 ? "ROWS "
                                          : "GROUPS ";
      if ((f & ast::kFrameBetween) != 0) out += "BETWEEN ";
      out += Bound(f, true, spec.frame.start_offset);
      if ((f & ast::kFrameBetween) != 0) out += "AND " + Bound(f, false, spec.frame.end_offset);
      if ((f & ast::kFrameExcludeCurrentRow) != 0) out += "EXCLUDE CURRENT ROW ";
      if ((f & ast::kFrameExcludeGroup) != 0) out += "EXCLUDE GROUP ";
      if ((f & ast::kFrameExcludeTies) != 0) out += "EXCLUDE TIES ";
    }
    if (out.back() == ' ') out.pop_back();
    return out + ")";
  }

 private:
  // get_rule_sortgroupclause's text of a key: anything but a column in parentheses when
  // pretty, a call always. A constant (printed there as a position) is not printed.
  std::string SortKey(const BoundExpr& key) {
    if (key.kind == ExprKind::kConst) {
      ok_ = false;
      return std::string();
    }
    std::string text = Expr(key, true);
    const bool call = key.kind == ExprKind::kBuiltin || key.kind == ExprKind::kFunc ||
                      key.kind == ExprKind::kAggRef || key.kind == ExprKind::kWindowRef;
    return key.kind != ExprKind::kColumn && (pretty_ || call) ? "(" + text + ")" : text;
  }

  // A frame's start (or end) with its trailing space: UNBOUNDED PRECEDING, CURRENT ROW, or the
  // offset (its implicit coercion not shown) PRECEDING / FOLLOWING.
  std::string Bound(int f, bool start, const std::optional<BoundExpr>& offset) {
    if ((f & (start ? ast::kFrameStartUnboundedPreceding : ast::kFrameEndUnboundedPreceding)) !=
        0) {
      return "UNBOUNDED PRECEDING ";
    }
    if ((f & (start ? ast::kFrameStartUnboundedFollowing : ast::kFrameEndUnboundedFollowing)) !=
        0) {
      return "UNBOUNDED FOLLOWING ";
    }
    if ((f & (start ? ast::kFrameStartCurrentRow : ast::kFrameEndCurrentRow)) != 0) {
      return "CURRENT ROW ";
    }
    const bool preceding =
        (f & (start ? ast::kFrameStartOffsetPreceding : ast::kFrameEndOffsetPreceding)) != 0;
    if (!offset) {
      ok_ = false;
      return std::string();
    }
    std::string text;
    // A number the binder folded into the offset's type was a literal cast implicitly.
    if (offset->kind == ExprKind::kConst && !IsNull(offset->value) &&
        (IsIntegerType(offset->type.id) || offset->type.id == TypeId::kNumeric)) {
      text = FormatText(offset->value, offset->type.id);
      if (text.empty() || text[0] < '0' || text[0] > '9') {
        ok_ = false;
        return std::string();
      }
    } else {
      text = Expr(*offset, false);
    }
    return text + (preceding ? " PRECEDING " : " FOLLOWING ");
  }

  const ColumnNamer& columns_;
  const bool pretty_;
  const std::vector<AggSpec>* aggs_;
  const Extras* extras_;
  bool ok_ = true;

 public:
  int indent_ = 0;  // appendContextKeyword's indentLevel: where a CASE's lines start
};

}  // namespace

namespace {

// The text with its line breaks unresolved (kLineBreak), a CASE's lines indented from indent.
std::optional<std::string> RawExprText(const BoundExpr& expr, const ColumnNamer& columns,
                                       bool pretty, bool show_implicit,
                                       const std::vector<AggSpec>* aggs, int indent,
                                       const Extras* extras = nullptr) {
  Printer printer(columns, pretty, aggs, extras);
  printer.indent_ = indent;
  std::string text = printer.Expr(expr, show_implicit);
  if (!printer.ok()) return std::nullopt;
  return text;
}

// Window specification i of extras' WindowScope, as a WINDOW clause's entry prints it.
std::optional<std::string> RawWindowSpec(size_t i, const ColumnNamer& columns, bool pretty,
                                         const std::vector<AggSpec>* aggs, int indent,
                                         const Extras* extras) {
  Printer printer(columns, pretty, aggs, extras);
  printer.indent_ = indent;
  std::string text = printer.WindowSpecText(i);
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
      : catalog_(catalog), path_(path), pretty_(pretty), sublink_binder_(*this) {
    namer_ = [this](int index) -> std::optional<std::string> {
      if (index < 0 || static_cast<size_t>(index) >= scope_.size()) return std::nullopt;
      const ScopeColumn& c = scope_[static_cast<size_t>(index)];
      // A FULL JOIN's merged USING column has no relation: printed bare, as ruleutils does.
      if (c.table.empty()) return sql::QuoteIdent(c.name);
      return sql::QuoteIdent(shown_[static_cast<size_t>(index)]) + "." + sql::QuoteIdent(c.name);
    };
    extras_.sublinks = &sublinks_;
  }
  ViewPrinter(const ViewPrinter&) = delete;
  ViewPrinter& operator=(const ViewPrinter&) = delete;

  std::optional<std::string> Print(const TableDef& view) {
    const ast::Select* q = view.view_query.get();
    if (q == nullptr) return std::nullopt;
    std::vector<std::string> names;
    for (const ColumnDef& c : view.columns) names.push_back(c.name);
    std::optional<std::string> body = Query(*q, &names, true);
    if (!body) return std::nullopt;
    return *body + ";";
  }

 private:
  // The sublinks of the query's expressions: each subquery printed by a ViewPrinter of its own
  // whose binder reads this query's columns as outer references, and bound to a kSubquery node
  // naming its text (sublinks_). Anything not printed (a set operation, a row
  // compared, an operand whose type differs from the subquery's column) fails the binding, and
  // so the whole view's printing.
  class SublinkBinder : public SubqueryBinder {
   public:
    explicit SublinkBinder(ViewPrinter& owner) : owner_(owner) {}

    Result<BoundExpr> BindSubLink(const ast::SubLink& link, Binder& binder, int location) override {
      if (link.query == nullptr) return Refuse();
      std::vector<BoundExpr> values;
      const OuterQuery outer{&binder, &values};
      ViewPrinter nested(owner_.catalog_, owner_.path_, owner_.pretty_);
      nested.outer_ = &outer;
      nested.ctes_ = owner_.ctes_;
      nested.used_names_ = owner_.used_names_;
      nested.extras_.outer = [this, &values](int index) -> std::optional<std::string> {
        if (index < 0 || static_cast<size_t>(index) >= values.size()) return std::nullopt;
        return RawExprText(values[static_cast<size_t>(index)], owner_.namer_, owner_.pretty_, true,
                           nullptr, 0, &owner_.extras_);
      };
      // ruleutils prints a sublink's query with colNamesVisible false.
      std::optional<std::string> text = nested.Query(*link.query, nullptr, false);
      if (!text) return Refuse();
      BoundExpr e;
      e.kind = ExprKind::kSubquery;
      e.location = location;
      e.type = SqlType{TypeId::kBool};
      if (link.kind != ast::SubLink::Kind::kExists && nested.out_types_.size() != 1) {
        return Refuse();
      }
      if (link.kind == ast::SubLink::Kind::kScalar) e.type = nested.out_types_[0];
      if (link.kind == ast::SubLink::Kind::kArray) {
        const SqlType elem = nested.out_types_[0];
        if (elem.id == TypeId::kUnknown || elem.id == TypeId::kArray || !HasArrayType(elem.id)) {
          return Refuse();
        }
        e.type = ArrayOf(elem);
      }
      if (link.kind == ast::SubLink::Kind::kAny || link.kind == ast::SubLink::Kind::kAll) {
        if (link.operand == nullptr) return Refuse();
        SQLRITE_ASSIGN_OR_RETURN(BoundExpr left, binder.Bind(*link.operand));
        if (left.type.id == TypeId::kUnknown || nested.out_types_[0].id == TypeId::kUnknown) {
          return Refuse();
        }
        // The operator resolved against the subquery's column (a node of its type that is
        // never folded): the operand as its left argument, cast where PostgreSQL casts it.
        BoundExpr column;
        column.kind = ExprKind::kSubquery;
        column.type = nested.out_types_[0];
        SQLRITE_ASSIGN_OR_RETURN(BoundExpr cmp, binder.BindComparison(link.op, std::move(left),
                                                                      std::move(column), location));
        if (cmp.kind != ExprKind::kCompare || cmp.args.size() != 2) return Refuse();
        e.args.push_back(std::move(cmp.args[0]));
      }
      e.index = static_cast<int>(owner_.sublinks_.size());
      owner_.sublinks_.push_back({link.kind, link.op, std::move(*text)});
      return e;
    }

    Result<BoundExpr> BindRowCompareSubLink(const ast::SubLink&, ast::BinaryOp, const ast::RowExpr&,
                                            Binder&, int) override {
      return Refuse();
    }

   private:
    static Result<BoundExpr> Refuse() {
      return Fail(sqlstate::kFeatureNotSupported, "not printed by the rule deparser");
    }

    ViewPrinter& owner_;
  };

  // A binder over scope_ made to bind this query's sublinks (and to read its enclosing query's
  // columns when it is one).
  void Prepare(Binder& binder) {
    binder.SetOuter(outer_);
    binder.SetSubqueries(&sublink_binder_);
  }

  // A query: one SELECT (Body), or get_setop_query for one set operation over two plain SELECTs,
  // each printed as a query of its own (named `names`, or each by its own names), the operator
  // on a line between them, then the ORDER BY (by position) and OFFSET / LIMIT. Records the
  // left branch's names and types (the branches' types must be the same: a branch PostgreSQL
  // coerces prints its casts, which are not printed here).
  std::optional<std::string> Query(const ast::Select& select, const std::vector<std::string>* names,
                                   bool col_names_visible) {
    const ast::Select* q = &select;
    if (q->set_op == nullptr) return Body(*q, names, col_names_visible);
    const ast::SetOperation& op = *q->set_op;
    if (q->explain || !q->with.empty() || q->with_ties || !q->locking.empty() ||
        op.left.set_op != nullptr || op.right.set_op != nullptr) {
      return std::nullopt;
    }
    // A branch with its own ORDER BY / LIMIT was parenthesised: not printed here.
    for (const ast::Select* branch : {&op.left, &op.right}) {
      if (!branch->order_by.empty() || branch->limit || branch->offset) return std::nullopt;
    }
    ViewPrinter left(catalog_, path_, pretty_), right(catalog_, path_, pretty_);
    for (ViewPrinter* branch : {&left, &right}) {
      branch->outer_ = outer_;
      branch->extras_.outer = extras_.outer;
      branch->ctes_ = ctes_;
      branch->used_names_ = used_names_;
    }
    std::optional<std::string> l = left.Body(op.left, names, col_names_visible);
    if (!l) return std::nullopt;
    // get_setop_query shows the column names of the leftmost branch only.
    std::optional<std::string> r = right.Body(op.right, names, false);
    if (!r) return std::nullopt;
    if (left.out_types_.size() != right.out_types_.size()) return std::nullopt;
    for (size_t i = 0; i < left.out_types_.size(); ++i) {
      if (names == nullptr && left.out_types_[i].id != right.out_types_[i].id) return std::nullopt;
    }
    out_names_ = left.out_names_;
    out_types_ = left.out_types_;
    const char* keyword = op.kind == ast::SetOpKind::kUnion       ? "UNION"
                          : op.kind == ast::SetOpKind::kIntersect ? "INTERSECT"
                                                                  : "EXCEPT";
    std::string out = *l + "\n" + keyword + (op.all ? " ALL" : "") + "\n" + *r;
    // ORDER BY of a set operation names its columns by number (get_rule_sortgroupclause's
    // force_colno); only a position written as one is printed.
    if (!q->order_by.empty()) {
      out += "\n  ORDER BY ";
      for (size_t i = 0; i < q->order_by.size(); ++i) {
        const ast::OrderItem& o = q->order_by[i];
        const auto* position = std::get_if<ast::IntLiteral>(&o.expr->node);
        if (position == nullptr || position->value < 1 ||
            static_cast<size_t>(position->value) > out_names_.size()) {
          return std::nullopt;
        }
        out += (i > 0 ? ", " : "") + std::to_string(position->value) + Direction(o);
      }
    }
    std::optional<std::string> limit = LimitOffset(*q);
    if (!limit) return std::nullopt;
    return out + *limit;
  }

  // One SELECT as get_basic_select_query prints it (without the closing ";"), its select list
  // named `names` (null: the names PostgreSQL gives it, FigureColname's); col_names_visible:
  // ruleutils' colNamesVisible (false in a sublink: an expression's "?column?" not shown).
  // Records the list's names and types (out_names_, out_types_).
  std::optional<std::string> Body(const ast::Select& select, const std::vector<std::string>* names,
                                  bool col_names_visible) {
    const ast::Select* q = &select;
    if (q->explain || q->set_op || !q->values.empty() || q->group_distinct || q->with_ties ||
        !q->locking.empty()) {
      return std::nullopt;
    }
    // set_rtable_names: this level's relation names, made unique against the enclosing levels'
    // (and each other) before any query inside it is printed.
    for (const ast::TableRef& item : q->from) AssignNames(item);
    std::optional<std::string> with = With(*q);
    if (!with) return std::nullopt;
    std::string from;
    if (!q->from.empty()) {
      for (const ast::TableRef& item : q->from) {
        if (!Relations(item)) return std::nullopt;
      }
      // get_from_clause: the items of a comma-separated FROM each on a line of their own.
      Binder binder(scope_);
      Prepare(binder);
      for (size_t i = 0; i < q->from.size(); ++i) {
        std::optional<std::string> text = From(q->from[i], binder);
        if (!text) return std::nullopt;
        from += (i == 0 ? "\n   FROM " : ",\n    ") + *text;
      }
    }
    Binder binder(scope_);
    Prepare(binder);
    binder.AllowAggregates(&aggs_);
    windows_.named = &q->windows;
    if (!binder.BindNamedWindows(windows_)) return std::nullopt;
    binder.AllowWindows(&windows_);
    extras_.windows = &windows_;
    // The select list: its texts, and per entry the expression's own column name if it is a
    // column reference and its kind (ORDER BY / GROUP BY n print the entry's expression).
    struct Target {
      std::string text;
      std::string own_name;
      ExprKind kind;
    };
    std::vector<Target> targets;
    out_names_.clear();
    out_types_.clear();
    for (const ast::SelectItem& item : q->items) {
      if (item.star) {
        // `*` over a USING join lists the merged columns first: not laid out here.
        if (!usings_.empty()) return std::nullopt;
        bool any = false;
        for (size_t i = 0; i < scope_.size(); ++i) {
          if (!item.star_table.empty() && scope_[i].table != item.star_table) continue;
          any = true;
          targets.push_back({*namer_(static_cast<int>(i)), scope_[i].name, ExprKind::kColumn});
          out_names_.push_back(scope_[i].name);
          out_types_.push_back(scope_[i].type);
        }
        if (!any) return std::nullopt;
        continue;
      }
      if (item.expr == nullptr) return std::nullopt;
      Result<BoundExpr> bound = binder.Bind(*item.expr);
      if (!bound) return std::nullopt;
      // A select list's untyped literal is resolved to text (resolveTargetListUnknowns), NULL
      // too.
      if (bound->type.id == TypeId::kUnknown) {
        if (bound->kind != ExprKind::kConst) return std::nullopt;
        if (IsNull(bound->value)) {
          bound->type = SqlType{TypeId::kText};
        }
      }
      std::optional<std::string> text =
          RawExprText(*bound, namer_, pretty_, true, &aggs_, kClauseIndent, &extras_);
      if (!text) return std::nullopt;
      if (bound->type.id == TypeId::kUnknown) bound->type = SqlType{TypeId::kText};
      // get_target_list's attname: a column's name; else, unless colNamesVisible, the name
      // FigureColname falls back to (so that only a name of its own is shown with AS).
      std::string own_name = col_names_visible ? "" : "?column?";
      if (bound->kind == ExprKind::kColumn) {
        own_name = scope_[static_cast<size_t>(bound->index)].name;
      }
      targets.push_back({std::move(*text), std::move(own_name), bound->kind});
      out_names_.push_back(item.alias.empty() ? FigureColumnName(*item.expr) : item.alias);
      out_types_.push_back(bound->type);
    }
    if (names == nullptr) names = &out_names_;
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
            RawExprText(*bound, namer_, pretty_, true, &aggs_, kClauseIndent, &extras_);
        if (!printed) return std::nullopt;
        text = std::move(*printed);
        kind = bound->kind;
      }
      if (kind == ExprKind::kConst) return std::nullopt;  // printed as its position there
      const bool call = kind == ExprKind::kBuiltin || kind == ExprKind::kFunc ||
                        kind == ExprKind::kAggRef || kind == ExprKind::kWindowRef;
      return kind != ExprKind::kColumn && (pretty_ || call) ? "(" + text + ")" : text;
    };
    if (targets.size() != names->size()) return std::nullopt;
    std::string out = *with + (q->distinct ? " SELECT DISTINCT" : " SELECT");
    if (!q->distinct_on.empty()) {
      // ruleutils prints DISTINCT ON's keys as get_rule_sortgroupclause does ORDER BY's.
      out += " ON (";
      for (size_t i = 0; i < q->distinct_on.size(); ++i) {
        std::optional<std::string> k = key(*q->distinct_on[i]);
        if (!k) return std::nullopt;
        out += (i > 0 ? ", " : "") + *k;
      }
      out += ")";
    }
    for (size_t i = 0; i < targets.size(); ++i) {
      // An entry that starts on a line of its own (CASE) takes no indentation before it.
      const bool own_line = !targets[i].text.empty() && targets[i].text[0] == kLineBreak;
      out += i == 0 || own_line ? (i == 0 ? " " : ", ") : ",\n    ";
      out += targets[i].text;
      if (targets[i].own_name != (*names)[i]) out += " AS " + sql::QuoteIdent((*names)[i]);
    }
    out += from;
    if (q->where != nullptr) {
      Result<BoundExpr> where = binder.BindCondition(*q->where, "WHERE");
      if (!where) return std::nullopt;
      std::optional<std::string> text =
          RawExprText(*where, namer_, pretty_, false, &aggs_, kClauseIndent, &extras_);
      if (!text) return std::nullopt;
      out += "\n  WHERE " + *text;
    }
    if (!q->group_by.empty()) {
      out += "\n  GROUP BY ";
      // As ORDER BY's, a repeated key is dropped (addTargetToGroupList).
      std::vector<std::string> seen;
      const bool sets = std::any_of(q->group_by.begin(), q->group_by.end(), [](const auto& g) {
        return std::holds_alternative<ast::GroupingSet>(g->node);
      });
      // get_rule_groupingset: () for the empty set, a simple set's keys in parentheses (left
      // out for one key where omit_parens), ROLLUP(...), CUBE(...), GROUPING SETS (...) whose
      // simple sets keep their parentheses. A parenthesised list inside one is a simple set.
      std::function<std::optional<std::string>(const ast::Expr&, bool)> set_text =
          [&](const ast::Expr& e, bool omit_parens) -> std::optional<std::string> {
        const auto* set = std::get_if<ast::GroupingSet>(&e.node);
        if (set == nullptr) {
          const auto* row = std::get_if<ast::RowExpr>(&e.node);
          std::vector<const ast::Expr*> items;
          if (row != nullptr && !row->explicit_row) {
            for (const ast::ExprPtr& a : row->args) items.push_back(a.get());
          } else {
            items.push_back(&e);
          }
          std::string text;
          for (size_t i = 0; i < items.size(); ++i) {
            std::optional<std::string> k = key(*items[i]);
            if (!k) return std::nullopt;
            text += (i > 0 ? ", " : "") + *k;
          }
          return omit_parens && items.size() == 1 ? text : "(" + text + ")";
        }
        std::string text;
        switch (set->kind) {
          case ast::GroupingSet::Kind::kEmpty:
            return "()";
          case ast::GroupingSet::Kind::kRollup:
            text = "ROLLUP(";
            break;
          case ast::GroupingSet::Kind::kCube:
            text = "CUBE(";
            break;
          case ast::GroupingSet::Kind::kSets:
            text = "GROUPING SETS (";
            break;
        }
        const bool omit_child = set->kind != ast::GroupingSet::Kind::kSets;
        for (size_t i = 0; i < set->items.size(); ++i) {
          std::optional<std::string> child = set_text(*set->items[i], omit_child);
          if (!child) return std::nullopt;
          text += (i > 0 ? ", " : "") + *child;
        }
        return text + ")";
      };
      for (const ast::ExprPtr& g : q->group_by) {
        if (sets) {
          if (std::holds_alternative<ast::RowExpr>(g->node)) return std::nullopt;
          std::optional<std::string> k = set_text(*g, true);
          if (!k) return std::nullopt;
          out += (seen.empty() ? "" : ", ") + *k;
          seen.push_back(std::move(*k));
          continue;
        }
        std::optional<std::string> k = key(*g);
        if (!k) return std::nullopt;
        if (std::find(seen.begin(), seen.end(), *k) != seen.end()) continue;
        out += (seen.empty() ? "" : ", ") + *k;
        seen.push_back(std::move(*k));
      }
    }
    if (q->having != nullptr) {
      Result<BoundExpr> having = binder.BindCondition(*q->having, "HAVING");
      if (!having) return std::nullopt;
      std::optional<std::string> text =
          RawExprText(*having, namer_, pretty_, false, &aggs_, kClauseIndent, &extras_);
      if (!text) return std::nullopt;
      out += "\n HAVING " + *text;
    }
    // get_rule_windowclause: the WINDOW clause's entries, each by its name.
    for (size_t i = 0; i < q->windows.size(); ++i) {
      std::optional<std::string> spec =
          RawWindowSpec(i, namer_, pretty_, &aggs_, kClauseIndent, &extras_);
      if (!spec) return std::nullopt;
      out += (i == 0 ? "\n  WINDOW " : ", ") + sql::QuoteIdent(q->windows[i].name) + " AS " + *spec;
    }
    if (!q->order_by.empty()) {
      out += "\n  ORDER BY ";
      // A key that repeats an earlier one is dropped by the parser (addTargetToSortList).
      std::vector<std::string> seen;
      for (const ast::OrderItem& o : q->order_by) {
        std::optional<std::string> k = key(*o.expr);
        if (!k) return std::nullopt;
        if (std::find(seen.begin(), seen.end(), *k) != seen.end()) continue;
        out += (seen.empty() ? "" : ", ") + *k + Direction(o);
        seen.push_back(std::move(*k));
      }
    }
    std::optional<std::string> limit = LimitOffset(*q);
    if (!limit) return std::nullopt;
    return out + *limit;
  }

  // get_with_clause: ` WITH name[(aliases)] AS [[NOT] MATERIALIZED] (` each query on lines of
  // its own indented 8 further, `)` under them, then a line break before the query's SELECT;
  // the queries appended to ctes_ (each sees those before it). Empty for no WITH.
  std::optional<std::string> With(const ast::Select& q) {
    if (q.with.empty()) return std::string();
    std::string out = q.with_recursive ? " WITH RECURSIVE " : " WITH ";
    const std::string indent(kClauseIndent, ' ');
    for (size_t i = 0; i < q.with.size(); ++i) {
      const ast::CommonTableExpr& cte = q.with[i];
      if (cte.query == nullptr) return std::nullopt;
      ViewPrinter nested(catalog_, path_, pretty_);
      nested.outer_ = outer_;
      nested.extras_.outer = extras_.outer;
      nested.ctes_ = ctes_;
      nested.used_names_ = used_names_;
      // A recursive query reads itself: its columns are its non-recursive term's (the left
      // branch of its UNION), named by the column aliases.
      if (q.with_recursive && cte.query->set_op != nullptr) {
        ViewPrinter first(catalog_, path_, pretty_);
        first.outer_ = outer_;
        first.extras_.outer = extras_.outer;
        first.ctes_ = ctes_;
        first.used_names_ = used_names_;
        if (!first.Body(cte.query->set_op->left, nullptr, true)) return std::nullopt;
        CteColumns self{cte.name, first.out_names_, first.out_types_};
        if (cte.column_aliases.size() > self.names.size()) return std::nullopt;
        for (size_t k = 0; k < cte.column_aliases.size(); ++k) {
          self.names[k] = cte.column_aliases[k];
        }
        nested.ctes_.push_back(std::move(self));
      }
      std::optional<std::string> text = nested.Query(*cte.query, nullptr, true);
      if (!text) return std::nullopt;
      CteColumns columns{cte.name, nested.out_names_, nested.out_types_};
      if (cte.column_aliases.size() > columns.names.size()) return std::nullopt;
      std::string aliases;
      for (size_t k = 0; k < cte.column_aliases.size(); ++k) {
        columns.names[k] = cte.column_aliases[k];
        aliases += (k > 0 ? ", " : "(") + sql::QuoteIdent(cte.column_aliases[k]);
      }
      if (!aliases.empty()) aliases += ")";
      const char* materialize = cte.materialize == ast::CteMaterialize::kAlways ? "MATERIALIZED "
                                : cte.materialize == ast::CteMaterialize::kNever
                                    ? "NOT MATERIALIZED "
                                    : "";
      out += (i > 0 ? ", " : "") + sql::QuoteIdent(cte.name) + aliases + " AS " + materialize +
             "(\n" + indent + Shift(*text, kClauseIndent) + "\n" + indent + ")";
      ctes_.push_back(std::move(columns));
    }
    return out + "\n";
  }

  // An ORDER BY item's DESC / NULLS options as get_rule_orderby prints them.
  static std::string Direction(const ast::OrderItem& o) {
    std::string out;
    const bool nulls_first = o.nulls_first.value_or(o.descending);
    if (o.descending) out += " DESC";
    if (nulls_first != o.descending) out += nulls_first ? " NULLS FIRST" : " NULLS LAST";
    return out;
  }

  // OFFSET then LIMIT, each on a line of its own, as get_select_query_def prints them; an
  // integer constant of int4's range only (printed as written: PostgreSQL's int8 coercion of it
  // is implicit). LIMIT ALL, which the tree does not tell from no LIMIT, prints nothing.
  static std::optional<std::string> LimitOffset(const ast::Select& q) {
    auto count = [](const ast::ExprPtr& e) -> std::optional<std::string> {
      const auto* literal = std::get_if<ast::IntLiteral>(&e->node);
      if (literal == nullptr || literal->value < 0 || literal->value > INT32_MAX) {
        return std::nullopt;
      }
      return std::to_string(literal->value);
    };
    std::string out;
    if (q.offset) {
      std::optional<std::string> n = count(q.offset);
      if (!n) return std::nullopt;
      out += "\n OFFSET " + *n;
    }
    if (q.limit) {
      std::optional<std::string> n = count(q.limit);
      if (!n) return std::nullopt;
      out += "\n LIMIT " + *n;
    }
    return out;
  }

  // The stored tables of a FROM item (a table, or joins of tables with ON), their columns
  // appended to the scope under their reference names; the item's text, or nullopt.
  std::optional<std::string> Relations(const ast::TableRef& ref) {
    if (ref.join != nullptr) {
      const ast::JoinExpr& j = *ref.join;
      const bool using_join = !j.using_columns.empty() || j.natural;
      if ((j.on == nullptr) != (j.type == ast::JoinType::kCross || using_join) ||
          j.right.join != nullptr || !ref.alias.empty()) {
        return std::nullopt;
      }
      const size_t left_begin = scope_.size();
      if (!Relations(j.left)) return std::nullopt;
      const size_t right_begin = scope_.size();
      if (!Relations(j.right)) return std::nullopt;
      if (using_join && !MergeUsing(j, left_begin, right_begin)) return std::nullopt;
      return std::string();
    }
    if (ref.subquery != nullptr) return DerivedTable(ref);
    if (ref.function != nullptr) return FunctionItem(ref);
    if (!ref.column_aliases.empty()) return std::nullopt;
    const std::optional<std::string> shown = NextName();
    if (!shown) return std::nullopt;
    // ruleutils' get_rte_alias: an alias given is printed, even one equal to the name, and so
    // is a name made unique.
    auto alias = [&](const std::string& name) {
      return ref.alias.empty() && *shown == name ? std::string() : " " + sql::QuoteIdent(*shown);
    };
    // A WITH query's name (the innermost of that name): printed as it, its alias after it.
    if (ref.table.schema.empty()) {
      for (auto cte = ctes_.rbegin(); cte != ctes_.rend(); ++cte) {
        if (cte->name != ref.table.name) continue;
        const std::string refname = ref.alias.empty() ? cte->name : ref.alias;
        for (size_t i = 0; i < cte->names.size(); ++i) {
          AddColumn(refname, *shown, cte->names[i], cte->types[i]);
        }
        texts_.push_back(sql::QuoteIdent(cte->name) + alias(cte->name));
        return std::string();
      }
    }
    // The stored query names a relation of public bare, any other qualified (CREATE VIEW
    // qualifies what it resolved outside public), whatever the reader's search path.
    static const std::vector<std::string> kStoredPath = {std::string(kPublicSchema)};
    const TableDef* def = FindRelation(catalog_, kStoredPath, ref.table);
    if (def == nullptr) return std::nullopt;
    const std::string refname = ref.alias.empty() ? def->name : ref.alias;
    for (const ColumnDef& c : def->columns) AddColumn(refname, *shown, c.name, c.type);
    texts_.push_back(VisibleName(catalog_, path_, *def) + alias(def->name));
    return std::string();
  }

  // A column of a FROM item: bound by its reference name as written, printed qualified by the
  // name ruleutils shows for the item (made unique).
  void AddColumn(const std::string& refname, const std::string& shown, const std::string& name,
                 const SqlType& type) {
    scope_.push_back({refname, name, type});
    shown_.push_back(shown);
  }

  // set_rtable_names for a FROM item's relations, in the order Relations meets them: the name
  // written (alias, else the relation's) unless an enclosing level or an earlier item uses
  // it, else the first of name_1, name_2, ... free.
  void AssignNames(const ast::TableRef& ref) {
    if (ref.join != nullptr) {
      AssignNames(ref.join->left);
      AssignNames(ref.join->right);
      return;
    }
    std::string name = ref.alias.empty() ? ref.table.name : ref.alias;
    const auto* call =
        ref.function != nullptr ? std::get_if<ast::FuncCall>(&ref.function->node) : nullptr;
    if (ref.alias.empty() && call != nullptr) name = call->name;
    if (std::find(used_names_.begin(), used_names_.end(), name) != used_names_.end()) {
      for (int n = 1;; ++n) {
        std::string candidate = name + "_" + std::to_string(n);
        if (std::find(used_names_.begin(), used_names_.end(), candidate) == used_names_.end()) {
          name = std::move(candidate);
          break;
        }
      }
    }
    used_names_.push_back(name);
    assigned_.push_back(std::move(name));
  }

  // The next FROM relation's assigned name (AssignNames); nullopt when the walks disagree.
  std::optional<std::string> NextName() {
    if (next_name_ >= assigned_.size()) return std::nullopt;
    return assigned_[next_name_++];
  }

  // JOIN ... USING (or NATURAL, which ruleutils prints as USING of the common columns): the
  // joined columns merged as the binder merges them, so that a bare name reads the left one
  // (the right one for RIGHT JOIN), and for FULL JOIN a merged column of no relation
  // (COALESCE in PostgreSQL's tree, printed bare); the list kept for From.
  bool MergeUsing(const ast::JoinExpr& j, size_t left_begin, size_t right_begin) {
    std::vector<std::string> names = j.using_columns;
    if (j.natural) {
      for (size_t i = left_begin; i < right_begin; ++i) {
        if (scope_[i].merged_away) continue;
        for (size_t k = right_begin; k < scope_.size(); ++k) {
          if (!scope_[k].merged_away && scope_[k].name == scope_[i].name) {
            names.push_back(scope_[i].name);
            break;
          }
        }
      }
      if (names.empty()) return false;  // a NATURAL JOIN without common columns: a cross join
    }
    const size_t end = scope_.size();
    auto find = [&](size_t begin, size_t stop, const std::string& name) -> std::optional<size_t> {
      std::optional<size_t> found;
      for (size_t i = begin; i < stop; ++i) {
        if (scope_[i].merged_away || scope_[i].name != name) continue;
        if (found) return std::nullopt;
        found = i;
      }
      return found;
    };
    for (const std::string& name : names) {
      const std::optional<size_t> l = find(left_begin, right_begin, name);
      const std::optional<size_t> r = find(right_begin, end, name);
      if (!l || !r) return false;
      switch (j.type) {
        case ast::JoinType::kFull:
          if (scope_[*l].type != scope_[*r].type) return false;
          scope_[*l].merged_away = true;
          scope_[*r].merged_away = true;
          AddColumn(std::string(), std::string(), name, scope_[*l].type);
          break;
        case ast::JoinType::kRight:
          scope_[*l].merged_away = true;
          break;
        default:
          scope_[*r].merged_away = true;
          break;
      }
    }
    usings_.emplace(&j, std::move(names));
    return true;
  }

  // A function in FROM returning one column as get_from_clause_item prints it: LATERAL when it
  // reads an earlier FROM item's column (PostgreSQL marks such an item lateral) or was written
  // so, the call, then its name and the column's, always (`generate_series(1, 3) g(g)`). A
  // record's columns, WITH ORDINALITY and column definition lists are not printed (nullopt).
  std::optional<std::string> FunctionItem(const ast::TableRef& ref) {
    const auto* call = std::get_if<ast::FuncCall>(&ref.function->node);
    if (call == nullptr || ref.ordinality || ref.column_aliases.size() > 1 ||
        ast::IsRowsFromCall(*call)) {
      return std::nullopt;
    }
    const std::optional<std::string> shown = NextName();
    if (!shown) return std::nullopt;
    Binder binder(scope_);
    Prepare(binder);
    binder.SetClause("functions in FROM");
    binder.AllowSetReturning();
    Result<BoundExpr> bound = binder.Bind(*ref.function);
    if (!bound || (bound->kind != ExprKind::kBuiltin && bound->kind != ExprKind::kFunc) ||
        bound->type.id == TypeId::kRecord || bound->type.id == TypeId::kUnknown ||
        bound->type.id == TypeId::kVoid) {
      return std::nullopt;
    }
    std::optional<std::string> text =
        RawExprText(*bound, namer_, pretty_, true, nullptr, kClauseIndent, &extras_);
    if (!text) return std::nullopt;
    const std::string refname = ref.alias.empty() ? call->name : ref.alias;
    const std::string column = ref.column_aliases.empty() ? refname : ref.column_aliases[0];
    std::function<bool(const BoundExpr&)> reads_column = [&](const BoundExpr& e) {
      if (e.kind == ExprKind::kColumn) return true;
      return std::any_of(e.args.begin(), e.args.end(), reads_column);
    };
    const bool lateral = ref.lateral || reads_column(*bound);
    AddColumn(refname, *shown, column, bound->type);
    texts_.push_back((lateral ? "LATERAL " : "") + *text + " " + sql::QuoteIdent(*shown) + "(" +
                     sql::QuoteIdent(column) + ")");
    return std::string();
  }

  // A subquery in FROM (a plain SELECT) as get_from_clause_item prints it: LATERAL when written
  // so, its query in parentheses at the clause's indentation (colNamesVisible), then its alias
  // and the column aliases given; its columns, named by them, appended to the scope. A LATERAL
  // one reads the earlier FROM items' columns as a sublink reads its query's.
  std::optional<std::string> DerivedTable(const ast::TableRef& ref) {
    const ast::Select& query = *ref.subquery;
    if (ref.alias.empty() || !query.values.empty()) {
      return std::nullopt;
    }
    const std::optional<std::string> refname = NextName();
    if (!refname) return std::nullopt;
    ViewPrinter nested(catalog_, path_, pretty_);
    nested.outer_ = outer_;
    nested.extras_.outer = extras_.outer;
    Binder lateral_binder(scope_);
    std::vector<BoundExpr> lateral_values;
    const OuterQuery lateral_outer{&lateral_binder, &lateral_values};
    if (ref.lateral) {
      Prepare(lateral_binder);
      nested.outer_ = &lateral_outer;
      nested.extras_.outer = [this, &lateral_values](int index) -> std::optional<std::string> {
        if (index < 0 || static_cast<size_t>(index) >= lateral_values.size()) return std::nullopt;
        return RawExprText(lateral_values[static_cast<size_t>(index)], namer_, pretty_, true,
                           nullptr, 0, &extras_);
      };
    }
    nested.ctes_ = ctes_;
    nested.used_names_ = used_names_;
    std::optional<std::string> text = nested.Query(query, nullptr, true);
    if (!text) return std::nullopt;
    std::vector<std::string> names = nested.out_names_;
    // A partial list of column aliases: what ruleutils prints then is not known here.
    if (!ref.column_aliases.empty() && ref.column_aliases.size() != names.size()) {
      return std::nullopt;
    }
    std::string aliases;
    for (size_t i = 0; i < ref.column_aliases.size(); ++i) {
      names[i] = ref.column_aliases[i];
      aliases += (i > 0 ? ", " : "(") + sql::QuoteIdent(names[i]);
    }
    if (!aliases.empty()) aliases += ")";
    for (size_t i = 0; i < names.size(); ++i) {
      AddColumn(ref.alias, *refname, names[i], nested.out_types_[i]);
    }
    texts_.push_back((ref.lateral ? "LATERAL (" : "(") + Shift(*text, kClauseIndent) + ") " +
                     sql::QuoteIdent(*refname) + aliases);
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
    if (j.type == ast::JoinType::kCross) {
      std::string out = *left + "\n     CROSS JOIN " + *right;
      return pretty_ ? out : "(" + out + ")";
    }
    const char* keyword = j.type == ast::JoinType::kLeft    ? "LEFT JOIN"
                          : j.type == ast::JoinType::kRight ? "RIGHT JOIN"
                          : j.type == ast::JoinType::kFull  ? "FULL JOIN"
                                                            : "JOIN";
    if (auto u = usings_.find(&j); u != usings_.end()) {
      std::string out = *left + "\n     " + keyword + " " + *right + " USING (";
      for (size_t i = 0; i < u->second.size(); ++i) {
        out += (i > 0 ? ", " : "") + sql::QuoteIdent(u->second[i]);
      }
      out += ")";
      return pretty_ ? out : "(" + out + ")";
    }
    Result<BoundExpr> on = binder.BindCondition(*j.on, "JOIN/ON");
    if (!on) return std::nullopt;
    std::optional<std::string> cond =
        RawExprText(*on, namer_, pretty_, false, nullptr, kClauseIndent, &extras_);
    if (!cond) return std::nullopt;
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
  // The enclosing query's binder and values when this query is a sublink's (null: none); the
  // texts of those values are extras_.outer's.
  const OuterQuery* outer_ = nullptr;
  std::vector<SublinkText> sublinks_;  // the sublinks bound in the query (kSubquery's index)
  Extras extras_;
  SublinkBinder sublink_binder_;
  // The WITH queries this query sees (its own and its enclosing queries'), their columns.
  struct CteColumns {
    std::string name;
    std::vector<std::string> names;
    std::vector<SqlType> types;
  };
  std::vector<CteColumns> ctes_;
  std::vector<std::string> shown_;       // per scope_ column: its relation's name as printed
  std::vector<std::string> used_names_;  // relation names of the enclosing levels and this one
  std::vector<std::string> assigned_;    // this level's FROM relations' names, in order
  size_t next_name_ = 0;
  std::map<const ast::JoinExpr*, std::vector<std::string>> usings_;  // USING joins' columns
  WindowScope windows_;                 // the query's window calls and specifications
  std::vector<std::string> out_names_;  // the last Body's select list: its names
  std::vector<SqlType> out_types_;      // and types
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
