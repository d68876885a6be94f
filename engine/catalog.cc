#include "engine/catalog.h"

#include <algorithm>

#include "common/assert.h"
#include "common/bytes.h"
#include "engine/engine.h"
#include "engine/generated_columns.h"
#include "engine/index_expressions.h"
#include "engine/row_codec.h"
#include "engine/sql/ast_walk.h"
#include "engine/sql/parser.h"
#include "storage/btree.h"

namespace sqlrite::engine {
namespace {

constexpr std::string_view kIndexExtras = "index extras v1";

// A TableDef is stored as a row record (engine/row_codec.h) of scalar fields, so the catalog
// reuses the one record format: name, oid, root, rowid_column, next_rowid, column count, then
// per column (name, type id, typmod, not_null, has_default, default), then index count and per
// index (name, primary, root, column count, columns...), then the indexes' later fields as one
// tagged block (kIndexExtras; absent in older files, whose indexes are all constraints): per
// index unique, constraint, nulls_not_distinct, option count, options..., include count,
// includes..., then extension 1 (the int64 1; absent in older files): the relation's kind, per
// column the default's SQL text and identity, and a sequence's options; then extension 2 (the
// int64 2; written only for a table with CHECK or FOREIGN KEY constraints, so other entries keep
// the earlier bytes): check count, per check (name, SQL text); foreign key count, per key (name,
// column count, columns..., referenced table, referenced column count, columns..., on update,
// on delete (the action letters), SET column count, columns..., match letter). A reader that
// predates an extension stops before it: the decoder ignores trailing fields. Then extension 3
// (the int64 3; written only for a view): its query text and the oids it depends on.
// Then extension 4 (the int64 4; absent in older files): per index its oid, per column its
// constant default's text as written. Then extension 5 (the int64 5; written only for a table
// with a column added by ALTER TABLE without a rewrite, or a constraint added NOT VALID): per
// column its missing value (ColumnDef::missing_value), then the NOT VALID constraints' count
// and names, then the fewest columns a stored record has (TableDef::min_record_columns; -1 for
// kEveryColumn). Then extension 6 (the int64 6; written only for a table with a DEFERRABLE
// foreign key, after an extension 5 written for it if need be): per foreign key, deferrable and
// initially deferred. Then extension 7 (the int64 7; written only for a relation outside public, so
// every entry of an older directory is one of public): its schema's name. Then extension 8 (the
// int64 8; written only for a relation with a comment on it or on one of its parts): the
// relation's comment, per column its comment, per index its comment and its constraint's, per
// check its comment, per foreign key its comment (texts; empty: none). Then extension 10 (the
// int64 10; written only for a table with an array column): per column its element type id (0
// for a column that is no array). Then extension 11 (the int64 11; a table with an enum
// column): per column the enum's oid. Then extension 12 (the int64 12; written only for a table
// with a DEFERRABLE PRIMARY KEY or UNIQUE constraint): per index, deferrable and initially
// deferred (a deferrable key's entries carry the rowid, as a non-unique index's do). Extension 13:
// generated columns, collations, the clustered index (below). Extension 14 (the int64 14; written
// only for a table with an expression or partial index): per index its predicate's text, then per
// key column its expression's text (docs/file-format.md).

bool HasComments(const TableDef& def) {
  if (!def.comment.empty()) return true;
  for (const ColumnDef& c : def.columns) {
    if (!c.comment.empty()) return true;
  }
  for (const IndexDef& ix : def.indexes) {
    if (!ix.comment.empty() || !ix.constraint_comment.empty()) return true;
  }
  for (const CheckConstraint& c : def.checks) {
    if (!c.comment.empty()) return true;
  }
  for (const ForeignKey& fk : def.foreign_keys) {
    if (!fk.comment.empty()) return true;
  }
  return false;
}

std::string EncodeTableDef(const TableDef& def) {
  Row r;
  r.emplace_back(def.name);
  r.emplace_back(int64_t{def.oid});
  r.emplace_back(int64_t{def.root});
  r.emplace_back(int64_t{def.rowid_column});
  r.emplace_back(std::max(def.next_rowid, def.rowid_reserved));
  r.emplace_back(static_cast<int64_t>(def.columns.size()));
  for (const ColumnDef& c : def.columns) {
    r.emplace_back(c.name);
    r.emplace_back(static_cast<int64_t>(c.type.id));
    r.emplace_back(int64_t{c.type.typmod});
    r.emplace_back(c.not_null);
    r.emplace_back(c.has_default);
    r.push_back(c.default_value);
  }
  r.emplace_back(static_cast<int64_t>(def.indexes.size()));
  for (const IndexDef& ix : def.indexes) {
    r.emplace_back(ix.name);
    r.emplace_back(ix.primary);
    r.emplace_back(int64_t{ix.root});
    r.emplace_back(static_cast<int64_t>(ix.columns.size()));
    for (int c : ix.columns) r.emplace_back(int64_t{c});
  }
  r.emplace_back(std::string(kIndexExtras));
  for (const IndexDef& ix : def.indexes) {
    // A deferrable key's entries are laid out as a non-unique index's (key, then rowid): a
    // reader that predates extension 12 takes it for one, which it reads correctly.
    r.emplace_back(ix.unique && !ix.deferrable);
    r.emplace_back(ix.constraint);
    r.emplace_back(ix.nulls_not_distinct);
    r.emplace_back(static_cast<int64_t>(ix.options.size()));
    for (uint8_t o : ix.options) r.emplace_back(int64_t{o});
    r.emplace_back(static_cast<int64_t>(ix.include.size()));
    for (int c : ix.include) r.emplace_back(int64_t{c});
  }
  // Extension 1, appended so that entries written before it still decode (they end here).
  r.emplace_back(int64_t{1});
  r.emplace_back(static_cast<int64_t>(def.kind));
  for (const ColumnDef& c : def.columns) {
    r.emplace_back(c.default_sql);
    r.emplace_back(static_cast<int64_t>(c.identity));
  }
  if (def.is_sequence()) {
    const SequenceDef& q = def.sequence;
    r.emplace_back(static_cast<int64_t>(q.type));
    r.emplace_back(q.increment);
    r.emplace_back(q.min_value);
    r.emplace_back(q.max_value);
    r.emplace_back(q.start);
    r.emplace_back(q.cache);
    r.emplace_back(q.cycle);
    r.emplace_back(q.owned_by_table);
    r.emplace_back(q.owned_by_column);
  }
  if (!def.checks.empty() || !def.foreign_keys.empty()) {
    r.emplace_back(int64_t{2});
    r.emplace_back(static_cast<int64_t>(def.checks.size()));
    for (const CheckConstraint& c : def.checks) {
      r.emplace_back(c.name);
      r.emplace_back(c.sql);
    }
    auto ints = [&r](const std::vector<int>& v) {
      r.emplace_back(static_cast<int64_t>(v.size()));
      for (int x : v) r.emplace_back(int64_t{x});
    };
    r.emplace_back(static_cast<int64_t>(def.foreign_keys.size()));
    for (const ForeignKey& fk : def.foreign_keys) {
      r.emplace_back(fk.name);
      ints(fk.columns);
      r.emplace_back(fk.ref_table);
      ints(fk.ref_columns);
      r.emplace_back(static_cast<int64_t>(fk.on_update));
      r.emplace_back(static_cast<int64_t>(fk.on_delete));
      ints(fk.delete_set_columns);
      r.emplace_back(static_cast<int64_t>(fk.match));
    }
  }
  if (def.is_view()) {
    r.emplace_back(int64_t{3});
    r.emplace_back(def.view_sql);
    r.emplace_back(static_cast<int64_t>(def.view_depends.size()));
    for (uint32_t oid : def.view_depends) r.emplace_back(int64_t{oid});
  }
  // Extension 4: the indexes' oids and the constant defaults' text.
  r.emplace_back(int64_t{4});
  for (const IndexDef& ix : def.indexes) r.emplace_back(int64_t{ix.oid});
  for (const ColumnDef& c : def.columns) r.emplace_back(c.default_text);
  const bool has_short_records = def.min_record_columns < def.columns.size();
  if (has_short_records || !def.not_valid.empty()) {
    r.emplace_back(int64_t{5});
    for (const ColumnDef& c : def.columns) r.push_back(c.missing_value);
    r.emplace_back(static_cast<int64_t>(def.not_valid.size()));
    for (const std::string& name : def.not_valid) r.emplace_back(name);
    r.emplace_back(has_short_records ? static_cast<int64_t>(def.min_record_columns) : int64_t{-1});
  }
  // Extension 6 (written only for a table with a DEFERRABLE foreign key; extension 5 comes
  // first, with its defaults, so a reader finds 6 after it): per foreign key, deferrable and
  // initially deferred.
  const bool any_deferrable = std::any_of(def.foreign_keys.begin(), def.foreign_keys.end(),
                                          [](const ForeignKey& fk) { return fk.deferrable; });
  if (any_deferrable) {
    if (!has_short_records && def.not_valid.empty()) {
      r.emplace_back(int64_t{5});
      for (const ColumnDef& c : def.columns) r.push_back(c.missing_value);
      r.emplace_back(int64_t{0});
      r.emplace_back(int64_t{-1});
    }
    r.emplace_back(int64_t{6});
    for (const ForeignKey& fk : def.foreign_keys) {
      r.emplace_back(fk.deferrable);
      r.emplace_back(fk.initially_deferred);
    }
  }
  // Extension 7 (written only for a relation outside public, so every entry of an older
  // directory is one of public): its schema's name.
  if (def.schema != kPublicSchema) {
    r.emplace_back(int64_t{7});
    r.emplace_back(def.schema);
  }
  if (HasComments(def)) {
    r.emplace_back(int64_t{8});
    r.emplace_back(def.comment);
    for (const ColumnDef& c : def.columns) r.emplace_back(c.comment);
    for (const IndexDef& ix : def.indexes) {
      r.emplace_back(ix.comment);
      r.emplace_back(ix.constraint_comment);
    }
    for (const CheckConstraint& c : def.checks) r.emplace_back(c.comment);
    for (const ForeignKey& fk : def.foreign_keys) r.emplace_back(fk.comment);
  }
  // Extension 10 (written only for a table with an array column, whose type id, kArray, a
  // reader that predates arrays refuses): per column its element type id (0: not an array).
  if (std::any_of(def.columns.begin(), def.columns.end(),
                  [](const ColumnDef& c) { return c.type.id == TypeId::kArray; })) {
    r.emplace_back(int64_t{10});
    for (const ColumnDef& c : def.columns) r.emplace_back(static_cast<int64_t>(c.type.elem));
  }
  // Extension 11 (written only for a table with a column of an enum type or an array of one,
  // whose type id, kEnum, a reader that predates enums refuses): per column the enum's oid (0:
  // none).
  if (std::any_of(def.columns.begin(), def.columns.end(),
                  [](const ColumnDef& c) { return c.type.enum_oid != 0; })) {
    r.emplace_back(int64_t{11});
    for (const ColumnDef& c : def.columns) r.emplace_back(int64_t{c.type.enum_oid});
  }
  // Extension 12 (written only for a table with a DEFERRABLE PRIMARY KEY or UNIQUE constraint):
  // per index, deferrable and initially deferred.
  if (std::any_of(def.indexes.begin(), def.indexes.end(),
                  [](const IndexDef& ix) { return ix.deferrable; })) {
    r.emplace_back(int64_t{12});
    for (const IndexDef& ix : def.indexes) {
      r.emplace_back(ix.deferrable);
      r.emplace_back(ix.initially_deferred);
    }
  }
  // Extension 13 (written only for a table with a generated column, a column with a COLLATE
  // clause or a clustered index): per column its attgenerated ('s' or 0), generation expression
  // text and collation name ("" for the type's default); per index whether CLUSTER chose it.
  if (std::any_of(def.columns.begin(), def.columns.end(),
                  [](const ColumnDef& c) { return c.generated != 0 || !c.collation.empty(); }) ||
      std::any_of(def.indexes.begin(), def.indexes.end(),
                  [](const IndexDef& ix) { return ix.clustered; })) {
    r.emplace_back(int64_t{13});
    for (const ColumnDef& c : def.columns) {
      r.emplace_back(static_cast<int64_t>(c.generated));
      r.emplace_back(c.generated_sql);
      r.emplace_back(c.collation);
    }
    for (const IndexDef& ix : def.indexes) r.emplace_back(ix.clustered);
  }
  // Extension 14 (written only for a table with an expression or partial index): per index its
  // predicate's text ("" for none), then per key column its expression's text ("" for a
  // column, whose entry in the columns is its position; an expression's is kIndexExpression).
  if (std::any_of(def.indexes.begin(), def.indexes.end(),
                  [](const IndexDef& ix) { return ix.has_expressions() || ix.partial(); })) {
    r.emplace_back(int64_t{14});
    for (const IndexDef& ix : def.indexes) {
      r.emplace_back(ix.predicate);
      for (size_t k = 0; k < ix.columns.size(); ++k) {
        r.emplace_back(ix.has_expressions() ? ix.expressions[k] : std::string());
      }
    }
  }
  std::string out;
  EncodeRow(r, out);
  return out;
}

// Reads a catalog record's fields in order for the decoders below: a missing field, or one of
// another kind, sets `bad` (the decoder then reports the entry malformed) and reads as empty.
struct FieldCursor {
  const Row& r;
  size_t& i;
  bool& bad;
  const Datum& Next() {
    static const Datum kNull;
    if (i >= r.size()) {
      bad = true;
      return kNull;
    }
    return r[i++];
  }
  std::string Str() {
    const Datum& d = Next();
    if (const auto* s = std::get_if<std::string>(&d)) return *s;
    bad = true;
    return {};
  }
  int64_t Num() {
    const Datum& d = Next();
    if (const auto* v = std::get_if<int64_t>(&d)) return *v;
    bad = true;
    return 0;
  }
};

Result<TableDef> DecodeTableDef(std::string_view record) {
  Row r;
  SQLRITE_TRY(DecodeRow(record, r));
  size_t i = 0;
  bool bad = false;
  FieldCursor fields{r, i, bad};
  auto flag = [&]() -> bool {
    const Datum& d = fields.Next();
    if (auto* v = std::get_if<bool>(&d)) return *v;
    bad = true;
    return false;
  };
  TableDef def;
  def.name = fields.Str();
  def.oid = static_cast<uint32_t>(fields.Num());
  def.root = static_cast<storage::PageId>(fields.Num());
  def.rowid_column = static_cast<int>(fields.Num());
  def.next_rowid = fields.Num();
  def.rowid_reserved = def.next_rowid;
  int64_t ncols = fields.Num();
  for (int64_t c = 0; c < ncols && !bad; ++c) {
    ColumnDef col;
    col.name = fields.Str();
    const int64_t type_id = fields.Num();
    if (type_id < 0 || type_id > static_cast<int64_t>(TypeId::kLastTypeId) ||
        (type_id != 0 && !IsStoredScalarType(static_cast<TypeId>(type_id)) &&
         type_id != static_cast<int64_t>(TypeId::kArray) &&
         type_id != static_cast<int64_t>(TypeId::kEnum))) {
      bad = true;
    }
    col.type.id = static_cast<TypeId>(type_id);
    col.type.typmod = static_cast<int32_t>(fields.Num());
    col.not_null = flag();
    col.has_default = flag();
    col.default_value = fields.Next();
    def.columns.push_back(std::move(col));
  }
  int64_t nix = fields.Num();
  for (int64_t x = 0; x < nix && !bad; ++x) {
    IndexDef ix;
    ix.name = fields.Str();
    ix.primary = flag();
    ix.root = static_cast<storage::PageId>(fields.Num());
    int64_t n = fields.Num();
    for (int64_t k = 0; k < n && !bad; ++k) ix.columns.push_back(static_cast<int>(fields.Num()));
    def.indexes.push_back(std::move(ix));
  }
  if (!bad && i < r.size() && std::holds_alternative<std::string>(r[i]) &&
      std::get<std::string>(r[i]) == kIndexExtras) {
    ++i;
    for (IndexDef& ix : def.indexes) {
      if (bad) break;
      ix.unique = flag();
      ix.constraint = flag();
      ix.nulls_not_distinct = flag();
      int64_t n = fields.Num();
      for (int64_t k = 0; k < n && !bad; ++k)
        ix.options.push_back(static_cast<uint8_t>(fields.Num()));
      n = fields.Num();
      for (int64_t k = 0; k < n && !bad; ++k) ix.include.push_back(static_cast<int>(fields.Num()));
    }
  }
  if (!bad && i < r.size()) {
    const int64_t extension = fields.Num();
    if (extension != 1) bad = true;
    const int64_t kind = fields.Num();
    if (kind == static_cast<int64_t>(RelKind::kTable) ||
        kind == static_cast<int64_t>(RelKind::kSequence) ||
        kind == static_cast<int64_t>(RelKind::kView)) {
      def.kind = static_cast<RelKind>(kind);
    } else {
      bad = true;
    }
    for (ColumnDef& c : def.columns) {
      if (bad) break;
      c.default_sql = fields.Str();
      c.identity = static_cast<char>(fields.Num());
    }
    if (!bad && def.is_sequence()) {
      SequenceDef& q = def.sequence;
      q.type = static_cast<TypeId>(fields.Num());
      q.increment = fields.Num();
      q.min_value = fields.Num();
      q.max_value = fields.Num();
      q.start = fields.Num();
      q.cache = fields.Num();
      q.cycle = flag();
      q.owned_by_table = fields.Str();
      q.owned_by_column = fields.Str();
    }
  }
  // The later extensions are each optional: the tag says which one follows.
  auto next_extension = [&]() -> int64_t {
    if (bad || i >= r.size()) return 0;
    const auto* tag = std::get_if<int64_t>(&r[i]);
    return tag != nullptr ? *tag : -1;
  };
  if (next_extension() == 2) {
    ++i;
    const int64_t nchecks = fields.Num();
    for (int64_t k = 0; k < nchecks && !bad; ++k) {
      CheckConstraint c;
      c.name = fields.Str();
      c.sql = fields.Str();
      def.checks.push_back(std::move(c));
    }
    const int64_t width = static_cast<int64_t>(def.columns.size());
    auto columns = [&](bool of_this_table) {
      std::vector<int> out;
      const int64_t n = fields.Num();
      for (int64_t k = 0; k < n && !bad; ++k) {
        const int64_t c = fields.Num();
        if (c < 0 || (of_this_table && c >= width)) bad = true;
        out.push_back(static_cast<int>(c));
      }
      return out;
    };
    auto action = [&]() {
      const int64_t a = fields.Num();
      if (a != 'a' && a != 'r' && a != 'c' && a != 'n' && a != 'd') bad = true;
      return static_cast<ast::ForeignKeyAction>(a);
    };
    const int64_t nfks = fields.Num();
    for (int64_t k = 0; k < nfks && !bad; ++k) {
      ForeignKey fk;
      fk.name = fields.Str();
      fk.columns = columns(true);
      fk.ref_table = fields.Str();
      fk.ref_columns = columns(false);
      fk.on_update = action();
      fk.on_delete = action();
      fk.delete_set_columns = columns(true);
      fk.match = static_cast<char>(fields.Num());
      if (fk.columns.size() != fk.ref_columns.size() || fk.columns.empty()) bad = true;
      def.foreign_keys.push_back(std::move(fk));
    }
  }
  if (next_extension() == 3) {
    ++i;
    def.view_sql = fields.Str();
    const int64_t n = fields.Num();
    for (int64_t k = 0; k < n && !bad; ++k) {
      def.view_depends.push_back(static_cast<uint32_t>(fields.Num()));
    }
  }
  if (next_extension() == 4) {
    ++i;
    for (IndexDef& ix : def.indexes) {
      if (bad) break;
      ix.oid = static_cast<uint32_t>(fields.Num());
    }
    for (ColumnDef& c : def.columns) {
      if (bad) break;
      c.default_text = fields.Str();
    }
  }
  if (next_extension() == 5) {
    ++i;
    for (ColumnDef& c : def.columns) {
      if (bad) break;
      c.missing_value = fields.Next();
    }
    const int64_t n = fields.Num();
    for (int64_t k = 0; k < n && !bad; ++k) def.not_valid.push_back(fields.Str());
    const int64_t min_columns = fields.Num();
    if (min_columns >= 0) {
      if (static_cast<uint64_t>(min_columns) >= def.columns.size()) bad = true;
      def.min_record_columns = static_cast<size_t>(min_columns);
    }
  }
  if (next_extension() == 6) {
    ++i;
    for (ForeignKey& fk : def.foreign_keys) {
      if (bad) break;
      fk.deferrable = flag();
      fk.initially_deferred = flag();
      if (fk.initially_deferred && !fk.deferrable) bad = true;
    }
  }
  if (next_extension() == 7) {
    ++i;
    def.schema = fields.Str();
    if (def.schema.empty()) bad = true;
  }
  if (next_extension() == 8) {
    ++i;
    def.comment = fields.Str();
    for (ColumnDef& c : def.columns) c.comment = fields.Str();
    for (IndexDef& ix : def.indexes) {
      ix.comment = fields.Str();
      ix.constraint_comment = fields.Str();
    }
    for (CheckConstraint& c : def.checks) c.comment = fields.Str();
    for (ForeignKey& fk : def.foreign_keys) fk.comment = fields.Str();
  }
  if (next_extension() == 10) {
    ++i;
    for (ColumnDef& c : def.columns) {
      const int64_t elem = fields.Num();
      const bool is_array = c.type.id == TypeId::kArray;
      if (elem < 0 || elem > static_cast<int64_t>(TypeId::kLastTypeId) ||
          (elem != 0 && !IsStoredScalarType(static_cast<TypeId>(elem)) &&
           elem != static_cast<int64_t>(TypeId::kEnum)) ||
          (elem != 0) != is_array) {
        bad = true;
      }
      c.type.elem = static_cast<TypeId>(elem);
    }
  }
  if (next_extension() == 11) {
    ++i;
    for (ColumnDef& c : def.columns) {
      const int64_t oid = fields.Num();
      if (oid < 0 || oid > UINT32_MAX) bad = true;
      c.type.enum_oid = static_cast<uint32_t>(oid);
    }
  }
  if (next_extension() == 12) {
    ++i;
    for (IndexDef& ix : def.indexes) {
      if (bad) break;
      ix.deferrable = flag();
      ix.initially_deferred = flag();
      // Only a constraint's key may be deferrable, never the table tree's own; its extras say
      // non-unique (the layout), and it is unique.
      if ((ix.initially_deferred && !ix.deferrable) ||
          (ix.deferrable && (ix.unique || !ix.constraint || ix.root == storage::kInvalidPage))) {
        bad = true;
      }
      if (ix.deferrable) ix.unique = true;
    }
  }
  if (next_extension() == 13) {
    ++i;
    for (ColumnDef& c : def.columns) {
      if (bad) break;
      const int64_t generated = fields.Num();
      if (generated != 0 && generated != 's') bad = true;
      c.generated = static_cast<char>(generated);
      c.generated_sql = fields.Str();
      c.collation = fields.Str();
      if ((c.generated != 0) == c.generated_sql.empty()) bad = true;
    }
    for (IndexDef& ix : def.indexes) {
      if (bad) break;
      ix.clustered = flag();
    }
  }
  if (next_extension() == 14) {
    ++i;
    for (IndexDef& ix : def.indexes) {
      if (bad) break;
      ix.predicate = fields.Str();
      std::vector<std::string> expressions;
      bool any = false;
      for (size_t k = 0; k < ix.columns.size() && !bad; ++k) {
        expressions.push_back(fields.Str());
        any |= !expressions.back().empty();
      }
      if (any) ix.expressions = std::move(expressions);
    }
  }
  // Every key column is a column of the table or, only in an expression index, an expression.
  for (const IndexDef& ix : def.indexes) {
    for (size_t k = 0; k < ix.columns.size() && !bad; ++k) {
      const int c = ix.columns[k];
      const bool expression = ix.has_expressions() && !ix.expressions[k].empty();
      if (expression ? c != kIndexExpression : c < 0 || c >= static_cast<int>(def.columns.size())) {
        bad = true;
      }
    }
  }
  for (const ColumnDef& c : def.columns) {
    if (c.type.id == TypeId::kArray && c.type.elem == TypeId::kUnknown) bad = true;
    const bool is_enum =
        c.type.id == TypeId::kEnum || (c.type.id == TypeId::kArray && c.type.elem == TypeId::kEnum);
    if (is_enum != (c.type.enum_oid != 0)) bad = true;
  }
  if (!bad && def.is_view() && def.view_sql.empty()) bad = true;
  if (bad) return Fail(sqlstate::kDataCorrupted, "malformed catalog entry");
  if (def.is_view()) {
    SQLRITE_ASSIGN_OR_RETURN(def.view_query, ParseViewQuery(def.view_sql));
  }
  for (ColumnDef& c : def.columns) {
    if (c.default_sql.empty()) continue;
    SQLRITE_ASSIGN_OR_RETURN(c.default_expr, ParseDefaultExpr(c.default_sql));
  }
  for (CheckConstraint& c : def.checks) {
    SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<const ast::Expr> expr, ParseDefaultExpr(c.sql));
    auto bound = BindCheckExpr(def, *expr);
    if (!bound) {
      return Fail(sqlstate::kDataCorrupted, "malformed catalog entry: check constraint " + c.name +
                                                ": " + bound.error().message);
    }
    c.bound = std::make_shared<const BoundExpr>(std::move(*bound));
  }
  SQLRITE_TRY(LoadGenerationExpressions(def));
  for (IndexDef& ix : def.indexes) {
    if (!ix.has_expressions() && !ix.partial()) continue;
    if (Status bound = BindIndexExpressions(def, ix); !bound) {
      return Fail(sqlstate::kDataCorrupted,
                  "malformed catalog entry: index " + ix.name + ": " + bound.error().message);
    }
  }
  return def;
}

// A schema entry: a row record of its name, oid and owner's name, then (only for a schema with
// a comment, or the built-in public's state entry, whose empty comment says COMMENT removed the
// built-in one) its comment, then (only in public's state entry, when DROP or RENAME took it
// away) true.
constexpr uint32_t kBuiltinPublicOid = 2200;
constexpr std::string_view kDatabaseOwnerRole = "pg_database_owner";

std::string EncodeSchemaDef(const SchemaDef& def, bool dropped = false) {
  Row r;
  r.emplace_back(def.name);
  r.emplace_back(int64_t{def.oid});
  r.emplace_back(def.owner);
  const bool public_state = def.name == kPublicSchema && def.oid == kBuiltinPublicOid;
  if (!def.comment.empty() || public_state) r.emplace_back(def.comment);
  if (public_state && dropped) r.emplace_back(true);
  std::string out;
  EncodeRow(r, out);
  return out;
}

Result<SchemaDef> DecodeSchemaDef(std::string_view record, bool* dropped = nullptr) {
  Row r;
  SQLRITE_TRY(DecodeRow(record, r));
  if (r.size() < 3 || !std::holds_alternative<std::string>(r[0]) ||
      !std::holds_alternative<int64_t>(r[1]) || !std::holds_alternative<std::string>(r[2])) {
    return Fail(sqlstate::kDataCorrupted, "malformed catalog entry: schema");
  }
  SchemaDef def;
  def.name = std::get<std::string>(r[0]);
  def.oid = static_cast<uint32_t>(std::get<int64_t>(r[1]));
  def.owner = std::get<std::string>(r[2]);
  if (r.size() > 3) {
    if (!std::holds_alternative<std::string>(r[3])) {
      return Fail(sqlstate::kDataCorrupted, "malformed catalog entry: schema");
    }
    def.comment = std::get<std::string>(r[3]);
  }
  if (r.size() > 4) {
    if (!std::holds_alternative<bool>(r[4])) {
      return Fail(sqlstate::kDataCorrupted, "malformed catalog entry: schema");
    }
    if (dropped != nullptr) *dropped = std::get<bool>(r[4]);
  }
  return def;
}

std::string SchemaKey(std::string_view name) { return std::string(1, '\0') + std::string(name); }

// An enum type's entry: a row record of the int64 1 (its kind: an enum; a server that predates
// types reads the entry as a schema's and refuses it), name, schema, oid, comment, label count,
// then per label (oid, sort order as a float8, label).
std::string EncodeEnumType(const EnumType& t) {
  Row r;
  r.emplace_back(int64_t{1});
  r.emplace_back(t.name);
  r.emplace_back(t.schema);
  r.emplace_back(int64_t{t.oid});
  r.emplace_back(t.comment);
  r.emplace_back(static_cast<int64_t>(t.labels.size()));
  for (const EnumLabel& l : t.labels) {
    r.emplace_back(int64_t{l.oid});
    r.emplace_back(static_cast<double>(l.sort_order));
    r.emplace_back(l.label);
  }
  std::string out;
  EncodeRow(r, out);
  return out;
}

Result<EnumType> DecodeEnumType(std::string_view record) {
  Row r;
  SQLRITE_TRY(DecodeRow(record, r));
  size_t i = 0;
  bool bad = false;
  FieldCursor fields{r, i, bad};
  EnumType t;
  if (fields.Num() != 1) bad = true;
  t.name = fields.Str();
  t.schema = fields.Str();
  t.oid = static_cast<uint32_t>(fields.Num());
  t.comment = fields.Str();
  const int64_t n = fields.Num();
  for (int64_t k = 0; k < n && !bad; ++k) {
    EnumLabel l;
    l.oid = static_cast<uint32_t>(fields.Num());
    const Datum& order = fields.Next();
    if (auto* v = std::get_if<double>(&order)) {
      l.sort_order = static_cast<float>(*v);
    } else {
      bad = true;
    }
    l.label = fields.Str();
    if (!t.labels.empty() && !(t.labels.back().sort_order < l.sort_order)) bad = true;
    t.labels.push_back(std::move(l));
  }
  if (bad || t.name.empty() || t.schema.empty() || t.oid == 0) {
    return Fail(sqlstate::kDataCorrupted, "malformed catalog entry: type");
  }
  return t;
}

}  // namespace

std::string TypeKey(std::string_view schema, std::string_view name) {
  std::string key(2, '\0');
  key.append(schema);
  key.push_back('\0');
  key.append(name);
  return key;
}

EnumTypePtr Catalog::FindType(std::string_view schema, std::string_view name) const {
  auto it = types_.find(TypeKey(schema, name));
  return it == types_.end() ? nullptr : it->second;
}

EnumTypePtr Catalog::FindEnum(uint32_t oid) const {
  for (const auto& [key, t] : types_) {
    if (t->oid == oid) return t;
  }
  return nullptr;
}

Status Catalog::CreateType(EnumType def) {
  SQLRITE_ASSERT(pager_ != nullptr);
  def.oid = NextOid();
  NextOid();  // its array type's
  return SaveType(std::move(def));
}

Status Catalog::SaveType(EnumType def) {
  SQLRITE_ASSERT(pager_ != nullptr);
  BumpSchemaVersion();
  for (EnumLabel& l : def.labels) {
    if (l.oid == 0) l.oid = NextOid();
  }
  storage::BTree tree(*pager_, pager_->GetMeta(storage::MetaSlot::kCatalogRoot));
  for (auto it = types_.begin(); it != types_.end(); ++it) {
    if (it->second->oid != def.oid) continue;
    SQLRITE_TRY(tree.Delete(it->first));
    types_.erase(it);
    break;
  }
  std::string key = TypeKey(def.schema, def.name);
  SQLRITE_TRY(tree.Insert(key, EncodeEnumType(def), /*overwrite=*/false));
  types_.emplace(std::move(key), std::make_shared<const EnumType>(std::move(def)));
  return Ok();
}

Status Catalog::DropType(uint32_t oid) {
  SQLRITE_ASSERT(pager_ != nullptr);
  BumpSchemaVersion();
  storage::BTree tree(*pager_, pager_->GetMeta(storage::MetaSlot::kCatalogRoot));
  for (auto it = types_.begin(); it != types_.end(); ++it) {
    if (it->second->oid != oid) continue;
    SQLRITE_TRY(tree.Delete(it->first));
    types_.erase(it);
    return Ok();
  }
  SQLRITE_ASSERT(false);
  return Ok();
}

bool IsSystemSchema(std::string_view schema) {
  return schema == "pg_catalog" || schema == "information_schema";
}

std::string RelationKey(std::string_view schema, std::string_view name) {
  if (schema.empty() || schema == kPublicSchema) return std::string(name);
  std::string key(schema);
  key.push_back('\0');
  key.append(name);
  return key;
}

std::pair<std::string_view, std::string_view> SplitRelationKey(std::string_view key) {
  const size_t nul = key.find('\0');
  if (nul == std::string_view::npos) return {kPublicSchema, key};
  return {key.substr(0, nul), key.substr(nul + 1)};
}

std::string QualifiedName(std::string_view key) {
  std::string out(key);
  if (size_t nul = out.find('\0'); nul != std::string::npos) out[nul] = '.';
  return out;
}

Result<std::shared_ptr<const ast::Expr>> ParseDefaultExpr(std::string_view sql) {
  auto parsed = sql::Parse("SELECT " + std::string(sql));
  if (!parsed || parsed->size() != 1 || !(*parsed)[0].statement) {
    return Fail(sqlstate::kDataCorrupted,
                "malformed catalog entry: default expression " + std::string(sql));
  }
  auto* select = std::get_if<ast::Select>(&*(*parsed)[0].statement);
  if (select == nullptr || select->items.size() != 1 || select->items[0].expr == nullptr) {
    return Fail(sqlstate::kDataCorrupted,
                "malformed catalog entry: default expression " + std::string(sql));
  }
  return std::shared_ptr<const ast::Expr>(std::move(select->items[0].expr));
}

namespace {

bool HoldsSubquery(const ast::Expr& root) {
  bool found = false;
  sql::AstVisitor visitor;
  visitor.expr = [&found](ast::Expr& node) {
    found = found || std::holds_alternative<ast::SubLink>(node.node);
  };
  visitor.location = [](int&) {};
  // The walk takes mutable trees; this visitor only reads.
  sql::WalkExpr(const_cast<ast::Expr&>(root), visitor);
  return found;
}

}  // namespace

Result<BoundExpr> BindCheckExpr(const TableDef& def, const ast::Expr& expr) {
  if (HoldsSubquery(expr)) {
    return Fail(sqlstate::kFeatureNotSupported, "cannot use subquery in check constraint");
  }
  Scope scope;
  for (const ColumnDef& c : def.columns) scope.push_back({def.name, c.name, c.type});
  Binder binder(scope);
  binder.SetClause("check constraints");
  return binder.BindCondition(expr, "CHECK");
}

Result<std::shared_ptr<const ast::Select>> ParseViewQuery(std::string_view sql) {
  auto parsed = sql::Parse(sql);
  if (!parsed || parsed->size() != 1 || !(*parsed)[0].statement) {
    return Fail(sqlstate::kDataCorrupted,
                "malformed catalog entry: view query " + std::string(sql));
  }
  auto* select = std::get_if<ast::Select>(&*(*parsed)[0].statement);
  if (select == nullptr) {
    return Fail(sqlstate::kDataCorrupted,
                "malformed catalog entry: view query " + std::string(sql));
  }
  return std::make_shared<const ast::Select>(std::move(*select));
}

int TableDef::FindColumn(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  return -1;
}

Result<std::unique_ptr<Catalog>> Catalog::Load(storage::Pager& pager) {
  if (pager.GetMeta(storage::MetaSlot::kCatalogRoot) == storage::kInvalidPage) {
    SQLRITE_ASSIGN_OR_RETURN(storage::PageId root, storage::BTree::Create(pager));
    pager.SetMeta(storage::MetaSlot::kCatalogRoot, root);
    pager.SetMeta(storage::MetaSlot::kUser1, 16384);  // first user oid, as PostgreSQL
  }
  auto catalog = std::make_unique<Catalog>(pager);
  SQLRITE_TRY(catalog->Reload());
  return catalog;
}

const TableDef* Catalog::Find(std::string_view name) const {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : &it->second;
}

TableDef* Catalog::FindMutable(std::string_view name) {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : &it->second;
}

Result<std::unique_ptr<const Catalog>> Catalog::LoadReadOnly(storage::PageSource& pages) {
  auto catalog = std::make_unique<Catalog>(pages);
  SQLRITE_TRY(catalog->Reload());
  catalog->source_ = nullptr;  // the snapshot is the caller's; nothing reads it again
  return std::unique_ptr<const Catalog>(std::move(catalog));
}

void Catalog::BumpSchemaVersion() {
  pager_->SetMeta(kSchemaVersion, pager_->GetMeta(kSchemaVersion) + 1);
}

uint32_t Catalog::NextOid() {
  const uint32_t oid = pager_->GetMeta(storage::MetaSlot::kUser1);
  pager_->SetMeta(storage::MetaSlot::kUser1, oid + 1);
  return oid;
}

Status Catalog::Create(TableDef def) {
  SQLRITE_ASSERT(pager_ != nullptr);
  BumpSchemaVersion();
  def.oid = NextOid();
  for (IndexDef& ix : def.indexes) {
    if (ix.oid == 0) ix.oid = NextOid();
  }
  SQLRITE_TRY(Save(def));
  std::string key = RelationKey(def);
  tables_.insert_or_assign(std::move(key), std::move(def));
  return Ok();
}

Status Catalog::Save(const TableDef& def) {
  SQLRITE_ASSERT(pager_ != nullptr);
  storage::BTree tree(*pager_, pager_->GetMeta(storage::MetaSlot::kCatalogRoot));
  SQLRITE_TRY(tree.Insert(RelationKey(def), EncodeTableDef(def), /*overwrite=*/true));
  return Ok();
}

Status Catalog::SaveShape(TableDef& def) {
  SQLRITE_ASSERT(pager_ != nullptr);
  BumpSchemaVersion();
  for (IndexDef& ix : def.indexes) {
    if (ix.oid == 0) ix.oid = NextOid();
  }
  return Save(def);
}

Status Catalog::Drop(std::string_view name) {
  SQLRITE_ASSERT(pager_ != nullptr);
  BumpSchemaVersion();
  storage::BTree tree(*pager_, pager_->GetMeta(storage::MetaSlot::kCatalogRoot));
  SQLRITE_TRY(tree.Delete(name));
  auto it = tables_.find(name);
  if (it != tables_.end()) tables_.erase(it);
  return Ok();
}

Status Catalog::Rename(std::string_view from, const std::string& to) {
  auto it = tables_.find(from);
  SQLRITE_ASSERT(it != tables_.end());
  TableDef def = it->second;
  def.name = to;
  return Rekey(from, std::move(def));
}

Status Catalog::MoveToSchema(std::string_view from, const std::string& schema) {
  auto it = tables_.find(from);
  SQLRITE_ASSERT(it != tables_.end());
  TableDef def = it->second;
  def.schema = schema;
  return Rekey(from, std::move(def));
}

Status Catalog::Rekey(std::string_view from, TableDef def) {
  SQLRITE_ASSERT(pager_ != nullptr);
  const std::string old_key(from);
  std::string new_key = RelationKey(def);
  SQLRITE_ASSERT(tables_.count(new_key) == 0);
  storage::BTree tree(*pager_, pager_->GetMeta(storage::MetaSlot::kCatalogRoot));
  SQLRITE_TRY(tree.Delete(old_key));
  tables_.erase(tables_.find(old_key));
  BumpSchemaVersion();
  SQLRITE_TRY(Save(def));
  tables_.emplace(new_key, std::move(def));
  // Entries refer to a relation by key: a foreign key's referenced table, a sequence's owner.
  for (auto& [key, t] : tables_) {
    bool changed = false;
    if (t.is_sequence() && t.sequence.owned_by_table == old_key) {
      t.sequence.owned_by_table = new_key;
      changed = true;
    }
    for (ForeignKey& fk : t.foreign_keys) {
      if (fk.ref_table != old_key) continue;
      fk.ref_table = new_key;
      changed = true;
    }
    if (changed) SQLRITE_TRY(Save(t));
  }
  return Ok();
}

bool Catalog::SchemaExists(std::string_view name) const { return SchemaOid(name) != 0; }

uint32_t Catalog::SchemaOid(std::string_view name) const {
  // The oids of PostgreSQL 15's built-in schemas (engine/catalog/system_relation.h's constants).
  if (name == kPublicSchema && !public_dropped_) return kBuiltinPublicOid;
  if (name == "pg_catalog") return 11;
  if (name == "information_schema") return 13207;
  auto it = schemas_.find(name);
  return it == schemas_.end() ? 0 : it->second.oid;
}

Status Catalog::CreateSchema(SchemaDef def) {
  SQLRITE_ASSERT(pager_ != nullptr && !SchemaExists(def.name));
  BumpSchemaVersion();
  def.oid = NextOid();
  storage::BTree tree(*pager_, pager_->GetMeta(storage::MetaSlot::kCatalogRoot));
  // A new schema called public replaces the dropped built-in one's state entry under its key.
  SQLRITE_TRY(tree.Insert(SchemaKey(def.name), EncodeSchemaDef(def),
                          /*overwrite=*/def.name == kPublicSchema));
  std::string name = def.name;
  schemas_.emplace(std::move(name), std::move(def));
  return Ok();
}

Status Catalog::SavePublicState() {
  if (schemas_.count(kPublicSchema) != 0) return Ok();
  SchemaDef def;
  def.name = std::string(kPublicSchema);
  def.oid = kBuiltinPublicOid;
  def.owner = std::string(kDatabaseOwnerRole);
  def.comment = public_comment_.value_or("standard public schema");
  storage::BTree tree(*pager_, pager_->GetMeta(storage::MetaSlot::kCatalogRoot));
  SQLRITE_TRY(tree.Insert(SchemaKey(kPublicSchema), EncodeSchemaDef(def, public_dropped_),
                          /*overwrite=*/true));
  return Ok();
}

Status Catalog::DropSchema(std::string_view name) {
  SQLRITE_ASSERT(pager_ != nullptr);
  for (const auto& [key, t] : tables_) SQLRITE_ASSERT(t.schema != name);
  BumpSchemaVersion();
  if (name == kPublicSchema && !public_dropped_) {
    public_dropped_ = true;
    public_comment_.reset();
    return SavePublicState();
  }
  auto it = schemas_.find(name);
  SQLRITE_ASSERT(it != schemas_.end());
  storage::BTree tree(*pager_, pager_->GetMeta(storage::MetaSlot::kCatalogRoot));
  SQLRITE_TRY(tree.Delete(SchemaKey(name)));
  schemas_.erase(it);
  // A created public gone: the key holds the dropped built-in one's state again.
  if (name == kPublicSchema) SQLRITE_TRY(SavePublicState());
  return Ok();
}

Status Catalog::RenameSchema(std::string_view from, const std::string& to) {
  SQLRITE_ASSERT(pager_ != nullptr && !SchemaExists(to));
  const std::string old_name(from);
  BumpSchemaVersion();
  storage::BTree tree(*pager_, pager_->GetMeta(storage::MetaSlot::kCatalogRoot));
  SchemaDef def;
  if (from == kPublicSchema && !public_dropped_) {
    // The built-in public leaves as a created schema that keeps its oid, owner and comment.
    def.oid = kBuiltinPublicOid;
    def.owner = std::string(kDatabaseOwnerRole);
    def.comment = public_comment_.value_or("standard public schema");
    public_dropped_ = true;
    public_comment_.reset();
    SQLRITE_TRY(SavePublicState());
  } else {
    auto it = schemas_.find(from);
    SQLRITE_ASSERT(it != schemas_.end());
    def = it->second;
    SQLRITE_TRY(tree.Delete(SchemaKey(old_name)));
    schemas_.erase(it);
    if (from == kPublicSchema) SQLRITE_TRY(SavePublicState());
  }
  def.name = to;
  if (to == kPublicSchema && def.oid == kBuiltinPublicOid) {
    // The built-in public renamed back: built in again.
    public_dropped_ = false;
    public_comment_ = def.comment;
    SQLRITE_TRY(SavePublicState());
  } else {
    SQLRITE_TRY(tree.Insert(SchemaKey(to), EncodeSchemaDef(def),
                            /*overwrite=*/to == kPublicSchema));
    schemas_.emplace(to, std::move(def));
  }
  std::vector<std::string> keys;
  for (const auto& [key, t] : tables_) {
    if (t.schema == old_name) keys.push_back(key);
  }
  for (const std::string& key : keys) SQLRITE_TRY(MoveToSchema(key, to));
  return Ok();
}

Status Catalog::SetSchemaComment(std::string_view name, std::string text) {
  SQLRITE_ASSERT(pager_ != nullptr);
  BumpSchemaVersion();
  if (name == kPublicSchema && !public_dropped_) {
    public_comment_ = std::move(text);
    return SavePublicState();
  }
  auto it = schemas_.find(name);
  SQLRITE_ASSERT(it != schemas_.end());
  it->second.comment = std::move(text);
  storage::BTree tree(*pager_, pager_->GetMeta(storage::MetaSlot::kCatalogRoot));
  SQLRITE_TRY(tree.Insert(SchemaKey(name), EncodeSchemaDef(it->second), /*overwrite=*/true));
  return Ok();
}

std::string Catalog::SchemaComment(std::string_view name) const {
  if (name == kPublicSchema && !public_dropped_) {
    return public_comment_.value_or("standard public schema");
  }
  auto it = schemas_.find(name);
  return it == schemas_.end() ? std::string() : it->second.comment;
}

Status Catalog::Reload() {
  tables_.clear();
  schemas_.clear();
  types_.clear();
  // Binding a check constraint over an enum column finds the types loaded before it (their
  // keys, NUL NUL ..., sort first).
  EnumScope scope_enums(this, [this] {
    std::vector<std::string> path{std::string(kPublicSchema)};
    for (const auto& [name, schema] : schemas_) path.push_back(name);
    return path;
  });
  public_comment_.reset();
  public_dropped_ = false;
  SQLRITE_ASSERT(source_ != nullptr);
  storage::PageId root = source_->GetMeta(storage::MetaSlot::kCatalogRoot);
  if (root == storage::kInvalidPage) return Ok();
  storage::BTree tree(*source_, root);
  storage::BTree::Cursor cursor(tree);
  SQLRITE_TRY(cursor.SeekFirst());
  while (cursor.Valid()) {
    SQLRITE_ASSIGN_OR_RETURN(std::string value, cursor.value());
    if (cursor.key().size() > 1 && cursor.key()[0] == '\0' && cursor.key()[1] == '\0') {
      SQLRITE_ASSIGN_OR_RETURN(EnumType t, DecodeEnumType(value));
      types_.emplace(std::string(cursor.key()), std::make_shared<const EnumType>(std::move(t)));
    } else if (!cursor.key().empty() && cursor.key()[0] == '\0') {
      bool dropped = false;
      SQLRITE_ASSIGN_OR_RETURN(SchemaDef schema, DecodeSchemaDef(value, &dropped));
      if (schema.name == kPublicSchema && schema.oid == kBuiltinPublicOid) {
        // Not a created schema: the built-in public's state (its comment; dropped or renamed).
        public_dropped_ = dropped;
        if (!dropped) public_comment_ = std::move(schema.comment);
      } else {
        // A created schema called public means the built-in one is gone.
        if (schema.name == kPublicSchema) public_dropped_ = true;
        std::string name = schema.name;
        schemas_.emplace(std::move(name), std::move(schema));
      }
    } else {
      SQLRITE_ASSIGN_OR_RETURN(TableDef def, DecodeTableDef(value));
      std::string key = RelationKey(def);
      tables_.emplace(std::move(key), std::move(def));
    }
    SQLRITE_TRY(cursor.Next());
  }
  return Ok();
}

}  // namespace sqlrite::engine
