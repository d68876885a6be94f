// CREATE SEQUENCE, ALTER SEQUENCE, and the sequence options they share with identity columns.

#include <pg_query.h>

#include <charconv>
#include <string>
#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

// A NumericOnly option value: an Integer node, or a Float node for what does not fit int4.
Result<int64_t> OptionInt(const PgQuery__DefElem& d) {
  const PgQuery__Node* arg = d.arg;
  if (arg != nullptr && arg->node_case == PG_QUERY__NODE__NODE_INTEGER) {
    return int64_t{arg->integer->ival};
  }
  if (arg != nullptr && arg->node_case == PG_QUERY__NODE__NODE_FLOAT) {
    std::string_view text = arg->float_->fval;
    int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && end == text.data() + text.size()) return v;
    // PostgreSQL's defGetInt64 reads it as int8: out of range or not integral.
    return Fail(sqlstate::kInvalidParameterValue,
                std::string(d.defname) + " requires a numeric value");
  }
  return Fail(sqlstate::kSyntaxError, std::string(d.defname) + " requires a numeric value");
}

}  // namespace

Result<ast::SequenceOptions> Transformer::TransformSequenceOptions(PgQuery__Node* const* options,
                                                                   size_t n, bool for_alter) {
  ast::SequenceOptions out;
  auto conflict = [&](const PgQuery__DefElem& d) {
    return ErrorAt(sqlstate::kSyntaxError, "conflicting or redundant options", d.location);
  };
  bool seen_as = false, seen_inc = false, seen_min = false, seen_max = false, seen_start = false,
       seen_restart = false, seen_cache = false, seen_cycle = false, seen_owned = false;
  for (size_t i = 0; i < n; ++i) {
    if (options[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) {
      return Unsupported("this sequence option");
    }
    const PgQuery__DefElem& d = *options[i]->def_elem;
    const std::string_view name = d.defname != nullptr ? d.defname : "";
    if (name == "as") {
      if (std::exchange(seen_as, true)) return conflict(d);
      if (d.arg == nullptr || d.arg->node_case != PG_QUERY__NODE__NODE_TYPE_NAME) {
        return Unsupported("this AS clause", d.location);
      }
      SQLRITE_ASSIGN_OR_RETURN(SqlType type, TransformTypeName(*d.arg->type_name));
      out.as_type = type;
    } else if (name == "increment") {
      if (std::exchange(seen_inc, true)) return conflict(d);
      SQLRITE_ASSIGN_OR_RETURN(out.increment, OptionInt(d));
    } else if (name == "minvalue") {
      if (std::exchange(seen_min, true)) return conflict(d);
      if (d.arg == nullptr) {
        out.no_minvalue = true;
      } else {
        SQLRITE_ASSIGN_OR_RETURN(out.minvalue, OptionInt(d));
      }
    } else if (name == "maxvalue") {
      if (std::exchange(seen_max, true)) return conflict(d);
      if (d.arg == nullptr) {
        out.no_maxvalue = true;
      } else {
        SQLRITE_ASSIGN_OR_RETURN(out.maxvalue, OptionInt(d));
      }
    } else if (name == "start") {
      if (std::exchange(seen_start, true)) return conflict(d);
      SQLRITE_ASSIGN_OR_RETURN(out.start, OptionInt(d));
    } else if (name == "restart" && for_alter) {
      if (std::exchange(seen_restart, true)) return conflict(d);
      out.restart = true;
      if (d.arg != nullptr) {
        SQLRITE_ASSIGN_OR_RETURN(out.restart_with, OptionInt(d));
      }
    } else if (name == "cache") {
      if (std::exchange(seen_cache, true)) return conflict(d);
      SQLRITE_ASSIGN_OR_RETURN(out.cache, OptionInt(d));
      if (*out.cache <= 0) {
        return Fail(sqlstate::kInvalidParameterValue,
                    "CACHE (" + std::to_string(*out.cache) + ") must be greater than zero");
      }
    } else if (name == "cycle") {
      if (std::exchange(seen_cycle, true)) return conflict(d);
      out.cycle = d.arg != nullptr && d.arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN &&
                  d.arg->boolean->boolval;
    } else if (name == "owned_by") {
      if (std::exchange(seen_owned, true)) return conflict(d);
      if (d.arg == nullptr || d.arg->node_case != PG_QUERY__NODE__NODE_LIST) {
        return Unsupported("this OWNED BY clause", d.location);
      }
      const PgQuery__List& names = *d.arg->list;
      if (names.n_items == 1 && NodeString(names.items[0]) == "none") {
        out.owned_by_none = true;
      } else if (names.n_items == 1) {
        return Fail(Error(sqlstate::kSyntaxError, "invalid OWNED BY option")
                        .WithHint("Specify OWNED BY table.column or OWNED BY NONE."));
      } else {
        size_t first = names.n_items == 3 && NodeString(names.items[0]) == "public" ? 1 : 0;
        if (names.n_items - first != 2) return Unsupported("this OWNED BY name", d.location);
        out.owned_by_table = NodeString(names.items[first]);
        out.owned_by_column = NodeString(names.items[first + 1]);
      }
    } else if (name == "sequence_name") {
      if (d.arg != nullptr && d.arg->node_case == PG_QUERY__NODE__NODE_LIST &&
          d.arg->list->n_items > 0) {
        out.sequence_name = LastName(d.arg->list->items, d.arg->list->n_items);
      }
    } else {
      return Unsupported("sequence option " + std::string(name), d.location);
    }
  }
  return out;
}

Result<ast::Statement> Transformer::TransformCreateSequence(const PgQuery__CreateSeqStmt& stmt) {
  if (stmt.sequence == nullptr) return Unsupported("this CREATE SEQUENCE form");
  if (stmt.sequence->relpersistence != nullptr && stmt.sequence->relpersistence[0] == 't') {
    return UnsupportedPlural("temporary sequences", stmt.sequence->location);
  }
  ast::CreateSequence create;
  SQLRITE_ASSIGN_OR_RETURN(create.name, TransformTableName(*stmt.sequence, NameUse::kDdl));
  create.if_not_exists = stmt.if_not_exists;
  SQLRITE_ASSIGN_OR_RETURN(create.options,
                           TransformSequenceOptions(stmt.options, stmt.n_options, false));
  return ast::Statement(std::move(create));
}

Result<ast::Statement> Transformer::TransformAlterSequence(const PgQuery__AlterSeqStmt& stmt) {
  if (stmt.sequence == nullptr) return Unsupported("this ALTER SEQUENCE form");
  ast::AlterSequence alter;
  SQLRITE_ASSIGN_OR_RETURN(alter.name, TransformTableName(*stmt.sequence, NameUse::kDdl));
  alter.if_exists = stmt.missing_ok;
  SQLRITE_ASSIGN_OR_RETURN(alter.options,
                           TransformSequenceOptions(stmt.options, stmt.n_options, true));
  return ast::Statement(std::move(alter));
}

}  // namespace sqlrite::engine::sql
