#include "engine/sequence.h"

#include <limits>
#include <utility>
#include <vector>

#include "common/assert.h"
#include "engine/database.h"
#include "engine/key_codec.h"
#include "engine/row_codec.h"
#include "engine/search_path.h"
#include "engine/sql/ast_walk.h"
#include "storage/btree.h"

namespace sqlrite::engine {
namespace {

constexpr int64_t kRowid = 1;  // the one row of a sequence's tree
// PostgreSQL's SEQ_LOG_VALS: nextval logs this many values ahead. Here nothing is logged ahead
// (the row is written on every call); log_cnt only mirrors what SELECT * FROM seq shows there.
constexpr int64_t kLogVals = 32;

std::string TypeSqlName(TypeId type) {
  switch (type) {
    case TypeId::kInt2:
      return "smallint";
    case TypeId::kInt4:
      return "integer";
    default:
      return "bigint";
  }
}

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(sqlstate::kInvalidParameterValue, std::move(message));
}

std::string Num(int64_t v) { return std::to_string(v); }

thread_local SequenceContext current_context;

}  // namespace

int64_t SequenceTypeMin(TypeId type) {
  switch (type) {
    case TypeId::kInt2:
      return std::numeric_limits<int16_t>::min();
    case TypeId::kInt4:
      return std::numeric_limits<int32_t>::min();
    default:
      return std::numeric_limits<int64_t>::min();
  }
}

int64_t SequenceTypeMax(TypeId type) {
  switch (type) {
    case TypeId::kInt2:
      return std::numeric_limits<int16_t>::max();
    case TypeId::kInt4:
      return std::numeric_limits<int32_t>::max();
    default:
      return std::numeric_limits<int64_t>::max();
  }
}

Result<SequenceDef> ApplySequenceOptions(const ast::SequenceOptions& o, SequenceDef q, bool create,
                                         std::optional<int64_t>* restart) {
  // As PostgreSQL's init_params: the type first (bounds at the old type's limits follow it),
  // then increment, bounds, start, restart and cache, each checked against the others.
  const TypeId old_type = q.type;
  const bool reset_max =
      create || q.max_value == SequenceTypeMax(old_type) || (q.increment < 0 && q.max_value == -1);
  const bool reset_min =
      create || q.min_value == SequenceTypeMin(old_type) || (q.increment > 0 && q.min_value == 1);
  if (o.as_type) {
    const TypeId t = o.as_type->id;
    if (t != TypeId::kInt2 && t != TypeId::kInt4 && t != TypeId::kInt8) {
      return Invalid("sequence type must be smallint, integer, or bigint");
    }
    q.type = t;
  }
  if (o.increment) {
    if (*o.increment == 0) return Invalid("INCREMENT must not be zero");
    q.increment = *o.increment;
  }
  const bool type_changed = o.as_type && q.type != old_type;
  if (o.maxvalue) {
    q.max_value = *o.maxvalue;
  } else if (o.no_maxvalue || create || (type_changed && reset_max)) {
    q.max_value = q.increment > 0 ? SequenceTypeMax(q.type) : -1;
  }
  if (q.max_value < SequenceTypeMin(q.type) || q.max_value > SequenceTypeMax(q.type)) {
    return Invalid("MAXVALUE (" + Num(q.max_value) + ") is out of range for sequence data type " +
                   TypeSqlName(q.type));
  }
  if (o.minvalue) {
    q.min_value = *o.minvalue;
  } else if (o.no_minvalue || create || (type_changed && reset_min)) {
    q.min_value = q.increment > 0 ? 1 : SequenceTypeMin(q.type);
  }
  if (q.min_value < SequenceTypeMin(q.type) || q.min_value > SequenceTypeMax(q.type)) {
    return Invalid("MINVALUE (" + Num(q.min_value) + ") is out of range for sequence data type " +
                   TypeSqlName(q.type));
  }
  if (q.min_value >= q.max_value) {
    return Invalid("MINVALUE (" + Num(q.min_value) + ") must be less than MAXVALUE (" +
                   Num(q.max_value) + ")");
  }
  if (o.start) {
    q.start = *o.start;
  } else if (create) {
    q.start = q.increment > 0 ? q.min_value : q.max_value;
  }
  if (q.start < q.min_value) {
    return Invalid("START value (" + Num(q.start) + ") cannot be less than MINVALUE (" +
                   Num(q.min_value) + ")");
  }
  if (q.start > q.max_value) {
    return Invalid("START value (" + Num(q.start) + ") cannot be greater than MAXVALUE (" +
                   Num(q.max_value) + ")");
  }
  if (o.restart) {
    const int64_t value = o.restart_with ? *o.restart_with : q.start;
    if (value < q.min_value) {
      return Invalid("RESTART value (" + Num(value) + ") cannot be less than MINVALUE (" +
                     Num(q.min_value) + ")");
    }
    if (value > q.max_value) {
      return Invalid("RESTART value (" + Num(value) + ") cannot be greater than MAXVALUE (" +
                     Num(q.max_value) + ")");
    }
    if (restart != nullptr) *restart = value;
  }
  if (o.cache) q.cache = *o.cache;
  if (o.cycle) q.cycle = *o.cycle;
  return q;
}

SequenceState InitialSequenceState(int64_t start) { return SequenceState{start, 0, false}; }

// ---- SequenceStates -------------------------------------------------------------------------

Result<SequenceState> SequenceStates::Get(Database& db, const TableDef& seq) {
  if (auto it = states_.find(seq.oid); it != states_.end()) return it->second;
  storage::BTree tree(db.pager(), seq.root);
  SQLRITE_ASSIGN_OR_RETURN(std::optional<std::string> record, tree.Get(RowidKey(kRowid)));
  Row row;
  if (record) SQLRITE_TRY(DecodeRow(*record, row));
  const int64_t* last = row.size() == 3 ? std::get_if<int64_t>(&row[0]) : nullptr;
  const int64_t* log = row.size() == 3 ? std::get_if<int64_t>(&row[1]) : nullptr;
  const bool* called = row.size() == 3 ? std::get_if<bool>(&row[2]) : nullptr;
  if (last == nullptr || log == nullptr || called == nullptr) {
    return Fail(sqlstate::kDataCorrupted, "malformed sequence \"" + seq.name + "\"");
  }
  SequenceState state{*last, *log, *called};
  states_[seq.oid] = state;
  return state;
}

Status SequenceStates::WriteRow(Database& db, const TableDef& seq, const SequenceState& state) {
  Row row;
  row.emplace_back(state.last_value);
  row.emplace_back(state.log_cnt);
  row.emplace_back(state.is_called);
  std::string record;
  EncodeRow(row, record);
  storage::BTree tree(db.pager(), seq.root);
  SQLRITE_TRY(tree.Insert(RowidKey(kRowid), record, /*overwrite=*/true));
  return Ok();
}

Status SequenceStates::Put(Database& db, const TableDef& seq, const SequenceState& state) {
  states_[seq.oid] = state;
  touched_.insert(seq.oid);
  return WriteRow(db, seq, state);
}

Status SequenceStates::Restart(Database& db, const TableDef& seq, const SequenceState& state) {
  SQLRITE_ASSIGN_OR_RETURN(SequenceState before, Get(db, seq));
  restarted_.emplace(seq.oid, before);
  return Put(db, seq, state);
}

Status SequenceStates::Reapply(Database& db, bool whole_transaction) {
  if (whole_transaction) {
    for (const auto& [oid, before] : restarted_) {
      // Later nextval calls of the transaction started from the restart, below `before`.
      states_[oid] = before;
      touched_.insert(oid);
    }
    restarted_.clear();
  }
  if (touched_.empty()) return Ok();
  std::set<uint32_t> touched = std::move(touched_);
  touched_.clear();
  std::set<uint32_t> found;
  for (const auto& [name, def] : db.catalog().tables()) {
    if (!def.is_sequence() || touched.count(def.oid) == 0) continue;
    auto it = states_.find(def.oid);
    if (it == states_.end()) continue;
    found.insert(def.oid);
    SQLRITE_TRY(WriteRow(db, def, it->second));
  }
  for (uint32_t oid : touched) {
    if (found.count(oid) == 0) states_.erase(oid);  // its CREATE SEQUENCE was rolled back
  }
  touched_ = std::move(found);  // written again: still uncommitted
  return Ok();
}

// ---- nextval / setval -----------------------------------------------------------------------

Result<int64_t> NextVal(Database& db, const TableDef& seq) {
  SQLRITE_ASSERT(seq.is_sequence());
  SequenceStates& states = db.sequences();
  SQLRITE_ASSIGN_OR_RETURN(SequenceState s, states.Get(db, seq));
  const SequenceDef& q = seq.sequence;
  int64_t result = 0;
  // log_cnt as PostgreSQL's nextval_internal leaves it with CACHE 1.
  int64_t log = s.log_cnt;
  bool logit = false;
  if (log < 1 || !s.is_called) {
    log = 1 + kLogVals;
    logit = true;
  }
  if (!s.is_called) {
    result = s.last_value;
  } else {
    const int64_t last = s.last_value;
    if (q.increment > 0) {
      if ((q.max_value >= 0 && last > q.max_value - q.increment) ||
          (q.max_value < 0 && last + q.increment > q.max_value)) {
        if (!q.cycle) {
          return Fail(sqlstate::kSequenceGeneratorLimitExceeded,
                      "nextval: reached maximum value of sequence \"" + seq.name + "\" (" +
                          Num(q.max_value) + ")");
        }
        result = q.min_value;
      } else {
        result = last + q.increment;
      }
    } else {
      if ((q.min_value < 0 && last < q.min_value - q.increment) ||
          (q.min_value >= 0 && last + q.increment < q.min_value)) {
        if (!q.cycle) {
          return Fail(sqlstate::kSequenceGeneratorLimitExceeded,
                      "nextval: reached minimum value of sequence \"" + seq.name + "\" (" +
                          Num(q.min_value) + ")");
        }
        result = q.max_value;
      } else {
        result = last + q.increment;
      }
    }
    --log;
  }
  if (logit && !s.is_called) --log;
  SQLRITE_TRY(states.Put(db, seq, SequenceState{result, log, true}));
  return result;
}

Status SetVal(Database& db, const TableDef& seq, int64_t value, bool is_called) {
  const SequenceDef& q = seq.sequence;
  if (value < q.min_value || value > q.max_value) {
    return Fail(sqlstate::kNumericValueOutOfRange,
                "setval: value " + Num(value) + " is out of bounds for sequence \"" + seq.name +
                    "\" (" + Num(q.min_value) + ".." + Num(q.max_value) + ")");
  }
  return db.sequences().Put(db, seq, SequenceState{value, 0, is_called});
}

// ---- context --------------------------------------------------------------------------------

SequenceScope::SequenceScope(SequenceContext ctx) : previous_(current_context) {
  current_context = ctx;
}

SequenceScope::~SequenceScope() { current_context = previous_; }

const SequenceContext& CurrentSequenceContext() { return current_context; }

// ---- names ----------------------------------------------------------------------------------

namespace {

// One identifier of a qualified name: "Quoted" kept (with "" as "), bare lower-cased; pos moves
// past it. False on a malformed name.
bool ReadIdentifier(std::string_view text, size_t& pos, std::string& out) {
  out.clear();
  if (pos < text.size() && text[pos] == '"') {
    ++pos;
    while (pos < text.size()) {
      if (text[pos] == '"') {
        if (pos + 1 < text.size() && text[pos + 1] == '"') {
          out.push_back('"');
          pos += 2;
          continue;
        }
        ++pos;
        return !out.empty();
      }
      out.push_back(text[pos++]);
    }
    return false;
  }
  while (pos < text.size() && text[pos] != '.') {
    char c = text[pos++];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.push_back(c);
  }
  return !out.empty();
}

}  // namespace

Result<const TableDef*> LookupSequenceByText(const Catalog& catalog, std::string_view text,
                                             std::string_view search_path, std::string_view user) {
  std::vector<std::string> parts;
  size_t pos = 0;
  std::string part;
  while (true) {
    if (!ReadIdentifier(text, pos, part)) {
      return Fail(sqlstate::kInvalidName, "invalid name syntax");
    }
    parts.push_back(part);
    if (pos >= text.size()) break;
    if (text[pos] != '.') return Fail(sqlstate::kInvalidName, "invalid name syntax");
    ++pos;
  }
  ast::TableName name;
  if (parts.size() == 1) {
    name.name = parts[0];
  } else if (parts.size() == 2) {
    name.schema = parts[0];
    name.name = parts[1];
  } else {
    return Fail(sqlstate::kFeatureNotSupported,
                "cross-database references are not implemented: " + std::string(text));
  }
  // As regclass input: a qualifier naming no schema is 3F000.
  if (!name.schema.empty() && !catalog.SchemaExists(name.schema)) {
    return Fail(sqlstate::kInvalidSchemaName, "schema \"" + name.schema + "\" does not exist");
  }
  const TableDef* def =
      FindRelation(catalog, EffectiveSearchPath(catalog, search_path, user), name);
  const std::string shown = name.schema.empty() ? name.name : name.schema + "." + name.name;
  if (def == nullptr) {
    return Fail(sqlstate::kUndefinedTable, "relation \"" + shown + "\" does not exist");
  }
  if (!def->is_sequence()) {
    return Fail(sqlstate::kWrongObjectType, "\"" + shown + "\" is not a sequence");
  }
  return def;
}

SequenceUse CallsSequenceFunction(const ast::Select& select) {
  SequenceUse use = SequenceUse::kNone;
  sql::AstVisitor visitor;
  visitor.expr = [&use](ast::Expr& e) {
    const auto* call = std::get_if<ast::FuncCall>(&e.node);
    if (call == nullptr) return;
    if (call->name == "nextval" || call->name == "setval") {
      use = SequenceUse::kWrites;
    } else if ((call->name == "currval" || call->name == "lastval" ||
                call->name == "pg_get_serial_sequence" || call->name == "set_config") &&
               use == SequenceUse::kNone) {
      use = SequenceUse::kReads;
    }
  };
  visitor.location = [](int&) {};
  // The walk takes a mutable tree for its other users; this visitor only reads.
  sql::WalkSelect(const_cast<ast::Select&>(select), visitor);
  return use;
}

namespace {

// An identifier as PostgreSQL's quote_identifier writes it (plain lower-case ones bare).
std::string QuoteName(std::string_view name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) plain &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  if (plain) return std::string(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

std::string NextvalDefaultSql(std::string_view sequence_key) {
  // A sequence outside public is named qualified, as PostgreSQL's regclass output shows one
  // not on the default search_path.
  const auto [schema, bare] = SplitRelationKey(sequence_key);
  std::string name = QuoteName(bare);
  if (schema != kPublicSchema) name = QuoteName(schema) + "." + name;
  std::string sql = "nextval('";
  for (char c : name) {
    if (c == '\'') sql.push_back('\'');
    sql.push_back(c);
  }
  sql += "')";
  return sql;
}

}  // namespace sqlrite::engine
