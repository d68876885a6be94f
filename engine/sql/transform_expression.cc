// Expressions: libpg_query's raw expression nodes (A_Const, A_Expr, BoolExpr, ...) -> ast::Expr.
// The raw tree is what the grammar built, before PostgreSQL's analysis, so operators are still
// names ("=", "~~") and function names may carry a "pg_catalog" qualifier.

#include <charconv>
#include <string>
#include <utility>

#include "engine/sql/internal_calls.h"
#include "engine/sql/merge_target_scope.h"
#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

// Deep enough for any real query; shallow enough that the recursion below cannot overflow a
// session thread's stack (about 1.5 KiB per level in release builds, 6 KiB under ASan). The
// grammar itself already caps nesting at about 10000 levels.
constexpr int kMaxExprDepth = 500;

template <typename T>
ast::ExprPtr MakeExpr(T node, int location) {
  auto expr = std::make_unique<ast::Expr>();
  expr->node = std::move(node);
  expr->location = location;
  return expr;
}

ast::ExprPtr MakeBinary(ast::BinaryOp op, ast::ExprPtr left, ast::ExprPtr right, int location) {
  return MakeExpr(ast::Binary{op, std::move(left), std::move(right)}, location);
}

bool LookupBinaryOp(std::string_view name, ast::BinaryOp* op) {
  struct Entry {
    std::string_view name;
    ast::BinaryOp op;
  };
  static constexpr Entry kOps[] = {
      {"+", ast::BinaryOp::kAdd}, {"-", ast::BinaryOp::kSub}, {"*", ast::BinaryOp::kMul},
      {"/", ast::BinaryOp::kDiv}, {"%", ast::BinaryOp::kMod}, {"||", ast::BinaryOp::kConcat},
      {"=", ast::BinaryOp::kEq},  {"<>", ast::BinaryOp::kNe}, {"!=", ast::BinaryOp::kNe},
      {"<", ast::BinaryOp::kLt},  {"<=", ast::BinaryOp::kLe}, {">", ast::BinaryOp::kGt},
      {">=", ast::BinaryOp::kGe},
  };
  for (const Entry& e : kOps) {
    if (e.name == name) {
      *op = e.op;
      return true;
    }
  }
  return false;
}

// A decimal integer, optionally negative, that fits int64.
bool ParseInt64(std::string_view text, int64_t* value) {
  if (text.empty()) return false;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(first, last, *value);
  return ec == std::errc() && ptr == last;
}

// Drops a "pg_catalog" or "public" qualifier; empty if any other schema remains.
std::string_view FunctionName(PgQuery__Node* const* names, size_t n) {
  if (n == 1) return NodeString(names[0]);
  if (n == 2) {
    std::string_view schema = NodeString(names[0]);
    if (schema == "pg_catalog" || schema == "public") return NodeString(names[1]);
  }
  return {};
}

// The date/time SQL value functions (CURRENT_DATE, CURRENT_TIMESTAMP[(p)], LOCALTIMESTAMP[(p)],
// LOCALTIME[(p)]) and the session's (CURRENT_USER, SESSION_USER, CURRENT_ROLE, USER,
// CURRENT_CATALOG, CURRENT_SCHEMA) as calls of the registry's functions of those names; empty for
// the others (CURRENT_TIME is timetz, which the engine lacks). The precision is not applied: the
// clock gives microseconds.
std::string_view SqlValueFunctionName(const PgQuery__SQLValueFunction& f) {
  switch (f.op) {
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE:
      return "current_date";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
      return "current_timestamp";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N:
      return "localtimestamp";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N:
      return "localtime";
    // The session's names (engine/catalog/catalog_functions.cc).
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER:
      return "current_user";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER:
      return "session_user";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE:
      return "current_role";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER:
      return "user";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG:
      return "current_catalog";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA:
      return "current_schema";
    default:
      return {};
  }
}

}  // namespace

Result<ast::ExprPtr> Transformer::TransformValueExpr(const PgQuery__Node* node) {
  if (node != nullptr && node->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT) {
    return MakeExpr(ast::DefaultMarker{}, node->set_to_default->location);
  }
  return TransformExpr(node);
}

Result<ast::ExprPtr> Transformer::TransformExpr(const PgQuery__Node* node) {
  if (IsNullNode(node)) return MakeExpr(ast::NullLiteral{}, -1);
  struct DepthGuard {
    int& depth;
    explicit DepthGuard(int& d) : depth(d) { ++depth; }
    ~DepthGuard() { --depth; }
  } guard(depth_);
  if (depth_ > kMaxExprDepth) return TooDeep();

  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST:
      return TransformAConst(*node->a_const);
    case PG_QUERY__NODE__NODE_COLUMN_REF:
      return TransformColumnRef(*node->column_ref);
    case PG_QUERY__NODE__NODE_PARAM_REF:
      return MakeExpr(ast::ParamRef{node->param_ref->number}, node->param_ref->location);
    case PG_QUERY__NODE__NODE_A_EXPR:
      return TransformAExpr(*node->a_expr);
    case PG_QUERY__NODE__NODE_BOOL_EXPR:
      return TransformBoolExpr(*node->bool_expr);
    case PG_QUERY__NODE__NODE_NULL_TEST:
      return TransformNullTest(*node->null_test);
    case PG_QUERY__NODE__NODE_BOOLEAN_TEST:
      return TransformBooleanTest(*node->boolean_test);
    case PG_QUERY__NODE__NODE_TYPE_CAST:
      return TransformTypeCast(*node->type_cast);
    case PG_QUERY__NODE__NODE_FUNC_CALL:
      return TransformFuncCall(*node->func_call);
    case PG_QUERY__NODE__NODE_CASE_EXPR:
      return TransformCase(*node->case_expr);
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
      return TransformCoalesce(*node->coalesce_expr);
    case PG_QUERY__NODE__NODE_SUB_LINK:
      return TransformSubLink(*node->sub_link);
    case PG_QUERY__NODE__NODE_GROUPING_FUNC: {
      const PgQuery__GroupingFunc& g = *node->grouping_func;
      ast::GroupingFunc call;
      SQLRITE_ASSIGN_OR_RETURN(call.args, TransformExprList(g.args, g.n_args));
      return MakeExpr(std::move(call), g.location);
    }
    case PG_QUERY__NODE__NODE_GROUPING_SET: {
      // Only GROUP BY holds one (the grammar's rule): the binder expands it.
      const PgQuery__GroupingSet& g = *node->grouping_set;
      ast::GroupingSet set;
      switch (g.kind) {
        case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_EMPTY:
          set.kind = ast::GroupingSet::Kind::kEmpty;
          break;
        case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_ROLLUP:
          set.kind = ast::GroupingSet::Kind::kRollup;
          break;
        case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_CUBE:
          set.kind = ast::GroupingSet::Kind::kCube;
          break;
        default:
          set.kind = ast::GroupingSet::Kind::kSets;
          break;
      }
      SQLRITE_ASSIGN_OR_RETURN(set.items, TransformExprList(g.content, g.n_content));
      return MakeExpr(std::move(set), g.location);
    }
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR: {
      const PgQuery__MinMaxExpr& m = *node->min_max_expr;
      ast::MinMax out;
      out.least = m.op == PG_QUERY__MIN_MAX_OP__IS_LEAST;
      SQLRITE_ASSIGN_OR_RETURN(out.args, TransformExprList(m.args, m.n_args));
      return MakeExpr(std::move(out), m.location);
    }
    case PG_QUERY__NODE__NODE_ROW_EXPR: {
      const PgQuery__RowExpr& row = *node->row_expr;
      ast::RowExpr out;
      out.explicit_row = row.row_format == PG_QUERY__COERCION_FORM__COERCE_EXPLICIT_CALL;
      for (size_t i = 0; i < row.n_args; ++i) {
        SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr arg, TransformExpr(row.args[i]));
        out.args.push_back(std::move(arg));
      }
      return MakeExpr(std::move(out), row.location);
    }
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
      return TransformCollate(*node->collate_clause);
    case PG_QUERY__NODE__NODE_A_INDIRECTION:
      return TransformIndirection(*node->a_indirection);
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
      return TransformArrayExpr(*node->a_array_expr);
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
      if (std::string_view name = SqlValueFunctionName(*node->sqlvalue_function); !name.empty()) {
        ast::FuncCall call;
        call.internal = true;
        call.name = name;
        return MakeExpr(std::move(call), node->sqlvalue_function->location);
      }
      return RejectExpr(*node);
    default:
      return RejectExpr(*node);
  }
}

tl::unexpected<Error> Transformer::TooDeep() const {
  return Fail(Error(sqlstate::kStatementTooComplex, "stack depth limit exceeded")
                  .WithHint("Simplify the expression."));
}

// Expression kinds the engine refuses, kept out of TransformExpr so that the error-building
// temporaries do not enlarge its (recursive) stack frame.
tl::unexpected<Error> Transformer::RejectExpr(const PgQuery__Node& n) const {
  const PgQuery__Node* node = &n;
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_SET_TO_DEFAULT:
      return ErrorAt(sqlstate::kSyntaxError, "DEFAULT is not allowed in this context",
                     node->set_to_default->location);
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
      return UnsupportedPlural(
          "CURRENT_DATE, CURRENT_TIMESTAMP, CURRENT_USER and similar functions",
          node->sqlvalue_function->location);
    case PG_QUERY__NODE__NODE_A_INDIRECTION:
      return UnsupportedPlural("subscripts and field selection");
    case PG_QUERY__NODE__NODE_XML_EXPR:
    case PG_QUERY__NODE__NODE_XML_SERIALIZE:
      return Unsupported("XML");
    default:
      return Unsupported("this kind of expression");
  }
}

// The recursive path (TransformExpr -> TransformX -> TransformExpr) keeps each case in its own
// function so that one level of nesting costs only small stack frames.

Result<ast::ExprPtr> Transformer::TransformNullTest(const PgQuery__NullTest& t) {
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr operand, TransformExpr(t.arg));
  bool negated = t.nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL;
  return MakeExpr(ast::IsNullTest{std::move(operand), negated}, t.location);
}

Result<ast::ExprPtr> Transformer::TransformBooleanTest(const PgQuery__BooleanTest& t) {
  ast::BoolTest::Kind kind;
  switch (t.booltesttype) {
    case PG_QUERY__BOOL_TEST_TYPE__IS_TRUE:
      kind = ast::BoolTest::kIsTrue;
      break;
    case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_TRUE:
      kind = ast::BoolTest::kIsNotTrue;
      break;
    case PG_QUERY__BOOL_TEST_TYPE__IS_FALSE:
      kind = ast::BoolTest::kIsFalse;
      break;
    case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_FALSE:
      kind = ast::BoolTest::kIsNotFalse;
      break;
    case PG_QUERY__BOOL_TEST_TYPE__IS_UNKNOWN:
      kind = ast::BoolTest::kIsUnknown;
      break;
    case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_UNKNOWN:
      kind = ast::BoolTest::kIsNotUnknown;
      break;
    default:
      return Unsupported("this boolean test", t.location);
  }
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr operand, TransformExpr(t.arg));
  return MakeExpr(ast::BoolTest{kind, std::move(operand)}, t.location);
}

Result<ast::ExprPtr> Transformer::TransformTypeCast(const PgQuery__TypeCast& c) {
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr operand, TransformExpr(c.arg));
  if (c.type_name == nullptr) return Unsupported("this cast", c.location);
  std::string user_type;
  SQLRITE_ASSIGN_OR_RETURN(SqlType type, TransformTypeName(*c.type_name, &user_type));
  return MakeExpr(ast::Cast{std::move(operand), type, std::move(user_type)}, c.location);
}

Result<ast::ExprPtr> Transformer::TransformCoalesce(const PgQuery__CoalesceExpr& c) {
  SQLRITE_ASSIGN_OR_RETURN(auto args, TransformExprList(c.args, c.n_args));
  return MakeExpr(ast::Coalesce{std::move(args)}, c.location);
}

Result<ast::ExprPtr> Transformer::TransformAConst(const PgQuery__AConst& c) {
  if (c.isnull) return MakeExpr(ast::NullLiteral{}, c.location);
  switch (c.val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
      return MakeExpr(ast::IntLiteral{c.ival != nullptr ? c.ival->ival : 0}, c.location);
    case PG_QUERY__A__CONST__VAL_FVAL: {
      // The grammar makes any numeric literal that does not fit int4 a "Float" string;
      // PostgreSQL then types a whole number that fits int8 as bigint, anything else numeric.
      std::string_view text =
          c.fval != nullptr && c.fval->fval != nullptr ? c.fval->fval : std::string_view("0");
      int64_t value = 0;
      if (ParseInt64(text, &value)) return MakeExpr(ast::IntLiteral{value}, c.location);
      return MakeExpr(ast::NumericLiteral{std::string(text)}, c.location);
    }
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
      return MakeExpr(ast::BoolLiteral{c.boolval != nullptr && c.boolval->boolval != 0},
                      c.location);
    case PG_QUERY__A__CONST__VAL_SVAL:
      return MakeExpr(
          ast::StringLiteral{c.sval != nullptr && c.sval->sval != nullptr ? c.sval->sval : ""},
          c.location);
    case PG_QUERY__A__CONST__VAL_BSVAL: {
      // The scanner keeps the prefix ("b101", "x1F"), which bit_in reads.
      std::string text =
          c.bsval != nullptr && c.bsval->bsval != nullptr ? c.bsval->bsval : std::string("b");
      ast::Cast cast{MakeExpr(ast::StringLiteral{std::move(text)}, c.location),
                     SqlType{TypeId::kBit, -1}, std::string()};
      cast.bit_literal = true;
      return MakeExpr(std::move(cast), c.location);
    }
    default:
      return MakeExpr(ast::NullLiteral{}, c.location);
  }
}

Result<ast::ExprPtr> Transformer::TransformColumnRef(const PgQuery__ColumnRef& c) {
  // t.* in an expression (a function's argument: row_to_json(t.*)) is t's whole row, which the
  // binder reads from a column named "*" (engine/bind_row_value.cc).
  if (c.n_fields == 2 && c.fields[1]->node_case == PG_QUERY__NODE__NODE_A_STAR &&
      c.fields[0]->node_case == PG_QUERY__NODE__NODE_STRING) {
    ast::ColumnRef ref;
    ref.table = NodeString(c.fields[0]);
    ref.column = "*";
    return MakeExpr(std::move(ref), c.location);
  }
  for (size_t i = 0; i < c.n_fields; ++i) {
    if (c.fields[i]->node_case == PG_QUERY__NODE__NODE_A_STAR) {
      return Unsupported("* in this context", c.location);
    }
  }
  ast::ColumnRef ref;
  switch (c.n_fields) {
    case 1:
      ref.column = NodeString(c.fields[0]);
      break;
    case 2:
      ref.table = NodeString(c.fields[0]);
      ref.column = NodeString(c.fields[1]);
      break;
    case 3: {
      std::string_view schema = NodeString(c.fields[0]);
      const MergeTargetScope* merge = MergeTargetScope::Current();
      if (merge != nullptr && !merge->schema.empty() && schema == merge->schema &&
          NodeString(c.fields[1]) == merge->name) {
        // MERGE INTO s.t ... s.t.col: the target (named t in MERGE's join query), unless it
        // has an alias, which hides its name as in any FROM list (parse_relation.c's hint).
        if (!merge->alias.empty()) {
          return Fail(
              Error(sqlstate::kUndefinedTable,
                    "invalid reference to FROM-clause entry for table \"" + merge->name + "\"")
                  .WithPosition(Position(c.location))
                  .WithHint("Perhaps you meant to reference the table alias \"" + merge->alias +
                            "\"."));
        }
        ref.table = merge->name;
        ref.column = NodeString(c.fields[2]);
        break;
      }
      if (merge != nullptr && merge->alias.empty() && NodeString(c.fields[1]) == merge->name &&
          schema != "public" && schema != "pg_catalog") {
        // Another schema's t: PostgreSQL finds the target's entry by name and says so.
        return Fail(
            Error(sqlstate::kUndefinedTable,
                  "invalid reference to FROM-clause entry for table \"" + merge->name + "\"")
                .WithPosition(Position(c.location))
                .WithHint("There is an entry for table \"" + merge->name +
                          "\", but it cannot be referenced from this part of the query."));
      }
      if (schema != "public" && schema != "pg_catalog") {
        return ErrorAt(sqlstate::kUndefinedTable,
                       "invalid reference to FROM-clause entry for table \"" +
                           std::string(NodeString(c.fields[1])) + "\"",
                       c.location);
      }
      ref.table = NodeString(c.fields[1]);
      ref.column = NodeString(c.fields[2]);
      break;
    }
    default: {
      std::string dotted;
      for (size_t i = 0; i < c.n_fields; ++i) {
        if (i > 0) dotted += '.';
        dotted += NodeString(c.fields[i]);
      }
      return ErrorAt(sqlstate::kSyntaxError,
                     "improper qualified name (too many dotted names): " + dotted, c.location);
    }
  }
  return MakeExpr(std::move(ref), c.location);
}

Result<ast::ExprPtr> Transformer::TransformAExpr(const PgQuery__AExpr& e) {
  switch (e.kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
      return TransformOperator(e);
    case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
    case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE:
      return TransformLike(e);
    case PG_QUERY__A__EXPR__KIND__AEXPR_IN:
      return TransformIn(e);
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM:
      return TransformBetween(e);
    case PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF:
      return TransformNullIf(e);
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL: {
      // x op ANY|ALL (array): a call of "op ANY" / "op ALL" (names SQL cannot spell unquoted),
      // which the binder builds the comparison from (and, for the catalogs' text arrays, the
      // array functions' "= ANY").
      const std::string_view op = LastName(e.name, e.n_name);
      if (op != "=" && op != "<>" && op != "<" && op != "<=" && op != ">" && op != ">=") {
        return Unsupported(std::string(op) + " ANY/ALL", e.location);
      }
      ast::FuncCall call;
      call.internal = true;
      call.name =
          std::string(op) + (e.kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY ? " ANY" : " ALL");
      SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr left, TransformExpr(e.lexpr));
      SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr right, TransformExpr(e.rexpr));
      call.args.push_back(std::move(left));
      call.args.push_back(std::move(right));
      return MakeExpr(std::move(call), e.location);
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT: {
      SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr left, TransformExpr(e.lexpr));
      SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr right, TransformExpr(e.rexpr));
      const bool negated = e.kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT;
      return MakeExpr(ast::DistinctFrom{std::move(left), std::move(right), negated}, e.location);
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_SIMILAR: {
      // The grammar already made the pattern pg_catalog.similar_to_escape(pattern [, escape]),
      // the POSIX regular expression the operator ("~" or "!~") matches with.
      const std::string_view op = LastName(e.name, e.n_name);
      if ((op != "~" && op != "!~") || IsNullNode(e.rexpr)) {
        return Unsupported("this form of SIMILAR TO", e.location);
      }
      ast::FuncCall call;
      call.internal = true;
      call.name = op == "~" ? "textregexeq" : "textregexne";
      call.operator_symbol = op;
      SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr left, TransformExpr(e.lexpr));
      SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr right, TransformExpr(e.rexpr));
      call.args.push_back(std::move(left));
      call.args.push_back(std::move(right));
      return MakeExpr(std::move(call), e.location);
    }
    default:
      return Unsupported("this operator", e.location);
  }
}

// COLLATE: the engine compares text bytewise, as the C collation does, and every database's
// default collation is C. The collations that order text the same way are the ones a COLLATE
// clause may name: "default", "C", "POSIX", ucs_basic and "C.utf8" (PostgreSQL 15 on glibc
// orders C.utf8 by code point, which is the UTF-8 bytes' order), unqualified or in pg_catalog;
// any other (an ICU one, a locale's) fails as one that does not exist rather than order
// differently. Returns "" for "default", else the collation's name.
Result<std::string> Transformer::TransformCollationName(PgQuery__Node* const* names, size_t n,
                                                        int location) const {
  std::string_view name = FunctionName(names, n);
  const bool qualified_ok = n == 1 || (n == 2 && NodeString(names[0]) == "pg_catalog");
  if (qualified_ok && (name == "C" || name == "POSIX" || name == "ucs_basic" || name == "C.utf8")) {
    return std::string(name);
  }
  if (name == "default" && qualified_ok) return std::string();
  if (n == 2) {
    // A schema of its own: the collation would be looked up there, if it existed (the engine
    // knows no schema's collations but pg_catalog's).
    const std::string_view schema = NodeString(names[0]);
    if (schema != "pg_catalog" && schema != "public" && schema != "information_schema" &&
        schema != "pg_toast") {
      return ErrorAt(sqlstate::kInvalidSchemaName,
                     "schema \"" + std::string(schema) + "\" does not exist", location);
    }
  }
  std::string full;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) full += '.';
    full += NodeString(names[i]);
  }
  return ErrorAt(sqlstate::kUndefinedObject,
                 "collation \"" + full + "\" for encoding \"UTF8\" does not exist", location);
}

// expr COLLATE name: a call of "COLLATE name" (a name SQL cannot spell unquoted) over expr,
// which the binder makes expr itself once it checked the type is collatable (42804) and that no
// other explicit collation meets this one (42P21): every collation here orders alike.
Result<ast::ExprPtr> Transformer::TransformCollate(const PgQuery__CollateClause& c) {
  SQLRITE_ASSIGN_OR_RETURN(std::string name,
                           TransformCollationName(c.collname, c.n_collname, c.location));
  ast::FuncCall call;
  call.internal = true;
  call.name = std::string(ast::kCollateCallPrefix) + (name.empty() ? "default" : name);
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr operand, TransformExpr(c.arg));
  call.args.push_back(std::move(operand));
  return MakeExpr(std::move(call), c.location);
}

Result<ast::ExprPtr> Transformer::TransformOperator(const PgQuery__AExpr& e) {
  std::string_view op_name = LastName(e.name, e.n_name);
  if (IsNullNode(e.lexpr)) {
    // Prefix operator. The grammar already folds "-" into numeric constants.
    ast::UnaryOp op;
    if (op_name == "-") {
      op = ast::UnaryOp::kNegate;
    } else if (op_name == "+") {
      op = ast::UnaryOp::kPlus;
    } else {
      // Any other prefix operator (|/ sqrt, ||/ cbrt, @ abs, ~ bitwise not, ...) is a call of
      // the function named by its symbol (engine/functions/numeric_functions.cc): an operator
      // the registry lacks fails as PostgreSQL's "operator does not exist".
      ast::FuncCall call;
      call.internal = true;
      call.name = op_name;
      call.operator_symbol = op_name;
      SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr operand, TransformExpr(e.rexpr));
      call.args.push_back(std::move(operand));
      return MakeExpr(std::move(call), e.location);
    }
    SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr operand, TransformExpr(e.rexpr));
    return MakeExpr(ast::Unary{op, std::move(operand)}, e.location);
  }
  // The operators of text that are calls of the functions PostgreSQL implements them with
  // (pg_operator.oprcode): the POSIX regular expressions (~ textregexeq, !~ textregexne,
  // ~* texticregexeq, !~* texticregexne) and the prefix test (^@ starts_with).
  static constexpr std::pair<std::string_view, std::string_view> kFunctionOps[] = {
      {"~", "textregexeq"},
      {"!~", "textregexne"},
      {"~*", "texticregexeq"},
      {"!~*", "texticregexne"},
      {"^@", "starts_with"},
      // The arrays' containment and overlap (engine/functions/array_functions.cc).
      {"@>", "arraycontains"},
      {"<@", "arraycontained"},
      {"&&", "arrayoverlap"},
      // json and jsonb's operators (engine/functions/json_functions.cc), named by their
      // symbols as the bitwise ones.
      {"->", "->"},
      {"->>", "->>"},
      {"#>", "#>"},
      {"#>>", "#>>"},
      {"?", "?"},
      {"?|", "?|"},
      {"?&", "?&"},
      {"#-", "#-"},
      // Exponentiation (engine/functions/numeric_functions.cc).
      {"^", "^"},
      // The integer types' bitwise operators (engine/functions/math_functions.cc).
      {"&", "&"},
      {"|", "|"},
      {"#", "#"},
      {"<<", "<<"},
      {">>", ">>"}};
  for (const auto& [symbol, function] : kFunctionOps) {
    if (op_name != symbol || IsNullNode(e.rexpr)) continue;
    ast::FuncCall call;
    call.internal = true;
    call.name = function;
    call.operator_symbol = symbol;
    SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr left, TransformExpr(e.lexpr));
    SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr right, TransformExpr(e.rexpr));
    call.args.push_back(std::move(left));
    call.args.push_back(std::move(right));
    return MakeExpr(std::move(call), e.location);
  }
  // LIKE's own operators, as pg_get_constraintdef and pg_get_viewdef print LIKE: ~~ LIKE, !~~
  // NOT LIKE, ~~* ILIKE, !~~* NOT ILIKE.
  if ((op_name == "~~" || op_name == "!~~" || op_name == "~~*" || op_name == "!~~*") &&
      !IsNullNode(e.rexpr)) {
    SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr operand, TransformExpr(e.lexpr));
    SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr pattern, TransformExpr(e.rexpr));
    return MakeExpr(ast::Like{std::move(operand), std::move(pattern), op_name[0] == '!',
                              op_name.ends_with('*')},
                    e.location);
  }
  ast::BinaryOp op;
  if (!LookupBinaryOp(op_name, &op) || IsNullNode(e.rexpr)) {
    return Unsupported("operator " + std::string(op_name), e.location);
  }
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr left, TransformExpr(e.lexpr));
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr right, TransformExpr(e.rexpr));
  return MakeBinary(op, std::move(left), std::move(right), e.location);
}

Result<ast::ExprPtr> Transformer::TransformLike(const PgQuery__AExpr& e) {
  std::string_view op_name = LastName(e.name, e.n_name);
  // Operator names: "~~" LIKE, "!~~" NOT LIKE, "~~*" ILIKE, "!~~*" NOT ILIKE. With ESCAPE the
  // pattern arrives as pg_catalog.like_escape(pattern, escape), a function that rewrites it to
  // the default backslash escape (engine/functions/string_functions.cc), as in PostgreSQL.
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr operand, TransformExpr(e.lexpr));
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr pattern, TransformExpr(e.rexpr));
  bool negated = !op_name.empty() && op_name[0] == '!';
  bool case_insensitive = e.kind == PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE;
  return MakeExpr(ast::Like{std::move(operand), std::move(pattern), negated, case_insensitive},
                  e.location);
}

Result<ast::ExprPtr> Transformer::TransformIn(const PgQuery__AExpr& e) {
  std::string_view op_name = LastName(e.name, e.n_name);
  if (e.rexpr == nullptr || e.rexpr->node_case != PG_QUERY__NODE__NODE_LIST) {
    return Unsupported("this form of IN", e.location);
  }
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr operand, TransformExpr(e.lexpr));
  const PgQuery__List& list = *e.rexpr->list;
  SQLRITE_ASSIGN_OR_RETURN(auto items, TransformExprList(list.items, list.n_items));
  bool negated = op_name == "<>";
  return MakeExpr(ast::InList{std::move(operand), std::move(items), negated}, e.location);
}

Result<ast::ExprPtr> Transformer::TransformBetween(const PgQuery__AExpr& e) {
  if (e.rexpr == nullptr || e.rexpr->node_case != PG_QUERY__NODE__NODE_LIST ||
      e.rexpr->list->n_items != 2) {
    return Unsupported("this form of BETWEEN", e.location);
  }
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr operand, TransformExpr(e.lexpr));
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr low, TransformExpr(e.rexpr->list->items[0]));
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr high, TransformExpr(e.rexpr->list->items[1]));
  const bool negated = e.kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN ||
                       e.kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM;
  const bool symmetric = e.kind == PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM ||
                         e.kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM;
  return MakeExpr(
      ast::Between{std::move(operand), std::move(low), std::move(high), negated, symmetric},
      e.location);
}

Result<ast::ExprPtr> Transformer::TransformNullIf(const PgQuery__AExpr& e) {
  // NULLIF(a, b) is CASE WHEN a = b THEN NULL ELSE a END; `a` is transformed twice so the
  // two trees stay independent.
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr a, TransformExpr(e.lexpr));
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr b, TransformExpr(e.rexpr));
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr else_a, TransformExpr(e.lexpr));
  ast::Case c;
  c.whens.push_back(
      ast::CaseWhen{MakeBinary(ast::BinaryOp::kEq, std::move(a), std::move(b), e.location),
                    MakeExpr(ast::NullLiteral{}, e.location)});
  c.else_result = std::move(else_a);
  c.nullif = true;
  return MakeExpr(std::move(c), e.location);
}

Result<ast::ExprPtr> Transformer::TransformBoolExpr(const PgQuery__BoolExpr& e) {
  if (e.boolop == PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR) {
    if (e.n_args != 1) return Unsupported("this NOT expression", e.location);
    SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr operand, TransformExpr(e.args[0]));
    return MakeExpr(ast::Unary{ast::UnaryOp::kNot, std::move(operand)}, e.location);
  }
  if (e.n_args == 0) return Unsupported("an empty boolean expression", e.location);
  ast::BinaryOp op =
      e.boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR ? ast::BinaryOp::kAnd : ast::BinaryOp::kOr;
  // The grammar flattens "a AND b AND c" into one node; fold it back left-associatively.
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr result, TransformExpr(e.args[0]));
  for (size_t i = 1; i < e.n_args; ++i) {
    SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr right, TransformExpr(e.args[i]));
    result = MakeBinary(op, std::move(result), std::move(right), e.location);
  }
  return result;
}

// ARRAY[...]: a call of "array" (a name no function can have: ARRAY is reserved), which the
// binder builds the array from; the column is named "array", as PostgreSQL's.
Result<ast::ExprPtr> Transformer::TransformArrayExpr(const PgQuery__AArrayExpr& a) {
  ast::FuncCall call;
  call.internal = true;
  call.name = "array";
  for (size_t i = 0; i < a.n_elements; ++i) {
    if (a.elements[i]->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR) {
      return UnsupportedPlural("multidimensional arrays", a.location);
    }
    SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr e, TransformExpr(a.elements[i]));
    call.args.push_back(std::move(e));
  }
  return MakeExpr(std::move(call), a.location);
}

// arr[i]: a call of the array functions' "[]" (a name SQL cannot spell unquoted), which the
// binder refuses with PostgreSQL's 42804 for a type without subscripts.
Result<ast::ExprPtr> Transformer::TransformIndirection(const PgQuery__AIndirection& ind) {
  if (ind.n_indirection == 1 && ind.indirection[0]->node_case == PG_QUERY__NODE__NODE_STRING) {
    // (x).field
    SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr operand, TransformExpr(ind.arg));
    const int location = operand->location;
    return MakeExpr(
        ast::FieldSelect{std::move(operand), std::string(NodeString(ind.indirection[0]))},
        location);
  }
  if (ind.n_indirection != 1 || ind.indirection[0]->node_case != PG_QUERY__NODE__NODE_A_INDICES) {
    return UnsupportedPlural("field selection and multiple subscripts");
  }
  const PgQuery__AIndices& idx = *ind.indirection[0]->a_indices;
  ast::FuncCall call;
  call.internal = true;
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr array, TransformExpr(ind.arg));
  const int location = array->location;
  call.args.push_back(std::move(array));
  if (idx.is_slice) {
    // arr[i:j]: "[:]" over the array and both bounds, an omitted one a DefaultMarker.
    call.name = "[:]";
    for (const PgQuery__Node* bound : {idx.lidx, idx.uidx}) {
      if (IsNullNode(bound)) {
        call.args.push_back(MakeExpr(ast::DefaultMarker{}, location));
      } else {
        SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr b, TransformExpr(bound));
        call.args.push_back(std::move(b));
      }
    }
    return MakeExpr(std::move(call), location);
  }
  call.name = "[]";
  SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr index, TransformExpr(idx.uidx));
  call.args.push_back(std::move(index));
  return MakeExpr(std::move(call), location);
}

Result<ast::ExprPtr> Transformer::TransformFuncCall(const PgQuery__FuncCall& f) {
  if (f.func_variadic) return Unsupported("VARIADIC", f.location);
  std::string name(FunctionName(f.funcname, f.n_funcname));
  // information_schema's own functions (_pg_expandarray) keep their schema in the name: they
  // are not on the search path, so only the qualified name finds them.
  bool qualified = false;
  if (name.empty() && f.n_funcname == 2 && NodeString(f.funcname[0]) == "information_schema") {
    name = "information_schema." + std::string(NodeString(f.funcname[1]));
    qualified = true;
  }
  if (name.empty()) return UnsupportedPlural("schema-qualified function names", f.location);
  ast::FuncCall call;
  call.name = name;
  call.internal = qualified;
  call.star = f.agg_star;
  call.distinct = f.agg_distinct;
  call.within_group = f.agg_within_group;
  for (size_t i = 0; i < f.n_agg_order; ++i) {
    SQLRITE_ASSIGN_OR_RETURN(ast::OrderItem item, TransformSortBy(*f.agg_order[i]));
    call.order_by.push_back(std::move(item));
  }
  call.args.reserve(f.n_args);
  for (size_t i = 0; i < f.n_args; ++i) {
    const PgQuery__Node* arg_node = f.args[i];
    if (arg_node->node_case == PG_QUERY__NODE__NODE_NAMED_ARG_EXPR) {
      // The binder decides which functions take names (make_interval's parameters).
      const PgQuery__NamedArgExpr& named = *arg_node->named_arg_expr;
      call.arg_names.resize(i + 1);
      call.arg_names[i] = named.name != nullptr ? named.name : "";
      arg_node = named.arg;
    }
    // nextval('s'::regclass), as pg_dump and pg_get_expr write a sequence default: the name
    // is taken as text, resolved when the call runs (a DEFAULT is kept as SQL text and bound per
    // statement, where regclass input has no catalog to read; the text form finds the same
    // sequence).
    if (i == 0 && (name == "nextval" || name == "currval" || name == "setval") &&
        arg_node->node_case == PG_QUERY__NODE__NODE_TYPE_CAST &&
        arg_node->type_cast->type_name != nullptr && arg_node->type_cast->arg != nullptr &&
        arg_node->type_cast->arg->node_case == PG_QUERY__NODE__NODE_A_CONST &&
        arg_node->type_cast->arg->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
      const PgQuery__TypeName& t = *arg_node->type_cast->type_name;
      const std::string_view last = NodeString(t.names[t.n_names - 1]);
      const bool catalog = t.n_names == 1 || NodeString(t.names[0]) == "pg_catalog";
      if (t.n_names >= 1 && t.n_names <= 2 && catalog && last == "regclass" &&
          t.n_array_bounds == 0) {
        arg_node = arg_node->type_cast->arg;
      }
    }
    SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr arg, TransformExpr(arg_node));
    call.args.push_back(std::move(arg));
  }
  if (!IsNullNode(f.agg_filter)) {
    SQLRITE_ASSIGN_OR_RETURN(call.filter, TransformExpr(f.agg_filter));
  }
  if (f.over != nullptr) {
    SQLRITE_ASSIGN_OR_RETURN(ast::WindowDef over, TransformWindowDef(*f.over));
    call.over = std::make_shared<ast::WindowDef>(std::move(over));
  }
  return MakeExpr(std::move(call), f.location);
}

Result<ast::ExprPtr> Transformer::TransformCase(const PgQuery__CaseExpr& c) {
  ast::Case result;
  if (!IsNullNode(c.arg)) {
    SQLRITE_ASSIGN_OR_RETURN(result.operand, TransformExpr(c.arg));
  }
  result.whens.reserve(c.n_args);
  for (size_t i = 0; i < c.n_args; ++i) {
    if (c.args[i]->node_case != PG_QUERY__NODE__NODE_CASE_WHEN) {
      return Unsupported("this CASE form", c.location);
    }
    const PgQuery__CaseWhen& w = *c.args[i]->case_when;
    ast::CaseWhen when;
    SQLRITE_ASSIGN_OR_RETURN(when.condition, TransformExpr(w.expr));
    SQLRITE_ASSIGN_OR_RETURN(when.result, TransformExpr(w.result));
    result.whens.push_back(std::move(when));
  }
  if (!IsNullNode(c.defresult)) {
    SQLRITE_ASSIGN_OR_RETURN(result.else_result, TransformExpr(c.defresult));
  }
  return MakeExpr(std::move(result), c.location);
}

}  // namespace sqlrite::engine::sql
