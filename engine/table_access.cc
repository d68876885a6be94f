#include "engine/table_access.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/assert.h"
#include "engine/exec/spill_file.h"
#include "engine/expression_columns.h"
#include "engine/index_expressions.h"
#include "engine/index_order.h"
#include "engine/interruptible_sort.h"
#include "engine/key_codec.h"
#include "engine/row_codec.h"
#include "engine/table_stats.h"
#include "storage/btree.h"
#include "storage/btree_builder.h"

namespace sqlrite::engine {
using storage::BTree;

Result<bool> IndexKey(const TableDef& table, const IndexDef& index, const Row& row,
                      std::string_view rowid_key, std::string& key) {
  SQLRITE_ASSERT(row.size() == table.columns.size());
  key.clear();
  bool has_null = false;
  for (size_t k = 0; k < index.columns.size(); ++k) {
    const int c = index.columns[k];
    if (c != kIndexExpression) {
      const Datum& v = row[static_cast<size_t>(c)];
      has_null |= IsNull(v);
      AppendKeyColumn(key, v, table.columns[static_cast<size_t>(c)].type.id,
                      IndexColumnOrder(index, k));
      continue;
    }
    SQLRITE_ASSIGN_OR_RETURN(Datum v, IndexKeyValue(index, k, row));
    has_null |= IsNull(v);
    AppendKeyColumn(key, v, IndexKeyType(table, index, k).id, IndexColumnOrder(index, k));
  }
  // Entries of a non-unique index, and NULL-holding ones of a unique index (NULLs are distinct,
  // as in PostgreSQL, unless NULLS NOT DISTINCT), carry the rowid so that they never collide;
  // so do a DEFERRABLE key's, which may collide until their check (engine/foreign_keys.h).
  const bool append = !index.unique || index.deferrable || (has_null && !index.nulls_not_distinct);
  if (append) key.append(rowid_key);
  return append;
}

Result<std::string> DescribeKey(const TableDef& table, const IndexDef& index, const Row& row) {
  std::string names, values;
  for (size_t k = 0; k < index.columns.size(); ++k) {
    if (k > 0) {
      names += ", ";
      values += ", ";
    }
    const int c = index.columns[k];
    names += c == kIndexExpression ? IndexKeyText(table, index, k, /*pretty=*/false)
                                   : table.columns[static_cast<size_t>(c)].name;
    SQLRITE_ASSIGN_OR_RETURN(Datum v, IndexKeyValue(index, k, row));
    values += IsNull(v) ? "null" : FormatText(v, IndexKeyType(table, index, k).id);
  }
  return "(" + names + ")=(" + values + ")";
}

namespace {

tl::unexpected<Error> UniqueViolation(const TableDef& table, const IndexDef& index,
                                      const Row& row) {
  auto key = DescribeKey(table, index, row);
  if (!key) return tl::unexpected<Error>(std::move(key.error()));
  return Fail(Error(sqlstate::kUniqueViolation,
                    "duplicate key value violates unique constraint \"" + index.name + "\"")
                  .WithDetail("Key " + *key + " already exists.")
                  .OnTable(table.name, {}, index.name));
}

const IndexDef* RowidIndex(const TableDef& table) {
  for (const IndexDef& ix : table.indexes) {
    if (ix.root == storage::kInvalidPage) return &ix;
  }
  return nullptr;
}

// CHECK constraints, in name order (PostgreSQL's ExecRelCheck order): a row fails one whose
// expression is false (NULL passes).
Status CheckConstraints(const TableDef& table, const Row& row) {
  for (const CheckConstraint& check : table.checks) {
    SQLRITE_ASSERT(check.bound != nullptr);  // bound when the definition was made or loaded
    SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(*check.bound, EvalContext{row.data(), nullptr}));
    if (IsNull(v) || DatumAs<bool>(v)) continue;
    return Fail(Error(sqlstate::kCheckViolation, "new row for relation \"" + table.name +
                                                     "\" violates check constraint \"" +
                                                     check.name + "\"")
                    .WithDetail("Failing row contains " + DescribeRow(table, row) + ".")
                    .OnTable(table.name, {}, check.name));
  }
  return Ok();
}

Status InsertIndexEntries(Database& db, const TableDef& table, const Row& row,
                          std::string_view rowid_key) {
  std::string key;
  for (const IndexDef& ix : table.indexes) {
    if (ix.root == storage::kInvalidPage) continue;
    SQLRITE_ASSIGN_OR_RETURN(bool in_index, RowInIndex(ix, row));
    if (!in_index) continue;
    SQLRITE_TRY(IndexKey(table, ix, row, rowid_key, key));
    BTree tree(db.pager(), ix.root);
    SQLRITE_ASSIGN_OR_RETURN(bool inserted, tree.Insert(key, rowid_key));
    if (!inserted) return UniqueViolation(table, ix, row);
  }
  return Ok();
}

Status DeleteIndexEntries(Database& db, const TableDef& table, const Row& row,
                          std::string_view rowid_key) {
  std::string key;
  for (const IndexDef& ix : table.indexes) {
    if (ix.root == storage::kInvalidPage) continue;
    SQLRITE_ASSIGN_OR_RETURN(bool in_index, RowInIndex(ix, row));
    if (!in_index) continue;
    SQLRITE_TRY(IndexKey(table, ix, row, rowid_key, key));
    BTree tree(db.pager(), ix.root);
    SQLRITE_TRY(tree.Delete(key));
  }
  return Ok();
}

// The variant alternative (Datum::index()) a non-NULL value of a column type is stored as.
size_t Representation(TypeId type) {
  switch (type) {
    case TypeId::kBool:
      return 1;
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kRegtype:
    case TypeId::kOid:
    case TypeId::kRegclass:
    case TypeId::kRegproc:
    case TypeId::kRegnamespace:
    case TypeId::kRegrole:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return 2;
    case TypeId::kInterval:
      return 6;
    case TypeId::kFloat4:
    case TypeId::kFloat8:
      return 3;
    case TypeId::kNumeric:
      return 5;
    case TypeId::kUnknown:
    case TypeId::kJson:
    case TypeId::kJsonb:
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
    case TypeId::kBytea:
    case TypeId::kUuid:
    case TypeId::kName:
    case TypeId::kChar:
    case TypeId::kInt2Array:
    case TypeId::kInt2Vector:
    case TypeId::kRecord:
    case TypeId::kNameArray:
    case TypeId::kEnum:
    case TypeId::kBit:
    case TypeId::kVarbit:
    case TypeId::kVoid:
      return 4;
    case TypeId::kArray:
      return 7;
    case TypeId::kAnyArray:
    case TypeId::kAnyElement:
      return 0;
  }
  return 4;
}

}  // namespace

Status CheckNotNull(const TableDef& table, const Row& row) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].not_null && IsNull(row[i])) {
      return Fail(Error(sqlstate::kNotNullViolation,
                        "null value in column \"" + table.columns[i].name + "\" of relation \"" +
                            table.name + "\" violates not-null constraint")
                      .WithDetail("Failing row contains " + DescribeRow(table, row) + ".")
                      .OnTable(table.name, table.columns[i].name));
    }
  }
  return Ok();
}

// Records are self-describing, so a damaged one can decode to any width and types: a row must
// fit its table before anything indexes it by column (expressions, index keys, the rowid).
Status CheckRow(const TableDef& table, const Row& row, const std::vector<bool>* needed) {
  auto invalid = [&table](const std::string& why) {
    return Fail(Error(sqlstate::kDataCorrupted, "invalid row in table \"" + table.name + "\"")
                    .WithDetail(why));
  };
  if (row.size() != table.columns.size()) {
    return invalid("The record has " + std::to_string(row.size()) + " columns; the table has " +
                   std::to_string(table.columns.size()) + ".");
  }
  for (size_t i = 0; i < row.size(); ++i) {
    const ColumnDef& column = table.columns[i];
    if (IsNull(row[i])) {
      // A column left undecoded (needed) is NULL here whatever the record holds.
      if (needed != nullptr && i < needed->size() && !(*needed)[i]) continue;
      if (column.not_null) {
        return invalid("Column \"" + column.name + "\" is NULL but declared NOT NULL.");
      }
      continue;
    }
    if (row[i].index() != Representation(column.type.id)) {
      return invalid("Column \"" + column.name + "\" does not hold a value of type " +
                     std::string(TypeName(column.type.id)) + ".");
    }
    if (column.type.id == TypeId::kInt4 || column.type.id == TypeId::kInt2) {
      const int64_t v = DatumAs<int64_t>(row[i]);
      const bool small = column.type.id == TypeId::kInt2;
      if (v < (small ? std::numeric_limits<int16_t>::min() : std::numeric_limits<int32_t>::min()) ||
          v > (small ? std::numeric_limits<int16_t>::max() : std::numeric_limits<int32_t>::max())) {
        return invalid("Column \"" + column.name + "\" holds an integer out of range.");
      }
    }
    if (column.type.id == TypeId::kArray) {
      // The elements were stored with their type; each must have the column's element type's
      // representation.
      const ArrayValue& a = *DatumAs<ArrayRef>(row[i]);
      const bool same = a.elem == column.type.elem &&
                        std::all_of(a.items.begin(), a.items.end(), [&](const Datum& d) {
                          return IsNull(d) || d.index() == Representation(a.elem);
                        });
      if (!same) {
        return invalid("Column \"" + column.name + "\" does not hold a value of type " +
                       SqlTypeName(column.type) + ".");
      }
    }
    if (column.type.id == TypeId::kUuid && DatumAs<std::string>(row[i]).size() != 16) {
      return invalid("Column \"" + column.name + "\" holds a uuid that is not 16 bytes.");
    }
  }
  return Ok();
}

void FillMissingColumns(const TableDef& table, Row& row) {
  if (row.size() < table.min_record_columns) return;
  for (size_t i = row.size(); i < table.columns.size(); ++i) {
    row.push_back(table.columns[i].missing_value);
  }
}

namespace {

// Decodes a record of table's B+tree into row (taking the record, so a long value is moved out
// of it) and checks it against the table. XX001 if either fails.
Status DecodeTableRow(const TableDef& table, std::string&& record, Row& row,
                      const std::vector<bool>* needed = nullptr) {
  SQLRITE_TRY(DecodeRow(std::move(record), row, needed));
  FillMissingColumns(table, row);
  return CheckRow(table, row, needed);
}

Status DecodeTableRow(const TableDef& table, std::string_view record, Row& row,
                      const std::vector<bool>* needed) {
  SQLRITE_TRY(DecodeRow(record, row, needed));
  FillMissingColumns(table, row);
  return CheckRow(table, row, needed);
}

// The rowid a point lookup on `where` pins, if it does: either directly (rowid column) or
// through a unique index. nullopt: scan. An empty string: provably no row.
Result<std::optional<std::string>> PointLookup(storage::PageSource& pages, const TableDef& table,
                                               const BoundExpr& where) {
  if (where.kind == ExprKind::kAnd) {
    for (const BoundExpr& arg : where.args) {
      SQLRITE_ASSIGN_OR_RETURN(auto key, PointLookup(pages, table, arg));
      if (key) return key;
    }
    return std::optional<std::string>();
  }
  if (where.kind != ExprKind::kCompare || where.op != ast::BinaryOp::kEq) {
    return std::optional<std::string>();
  }
  const BoundExpr* col = &where.args[0];
  const BoundExpr* val = &where.args[1];
  if (col->kind != ExprKind::kColumn) std::swap(col, val);
  if (col->kind != ExprKind::kColumn || !val->IsConst()) return std::optional<std::string>();
  if (IsNull(val->value)) return std::optional<std::string>(std::string());
  const TypeId col_type = table.columns[static_cast<size_t>(col->index)].type.id;
  if (col->index == table.rowid_column) {
    if (auto* i = std::get_if<int64_t>(&val->value)) return std::optional(RowidKey(*i));
    return std::optional<std::string>();
  }
  for (const IndexDef& ix : table.indexes) {
    if (ix.root == storage::kInvalidPage || !ix.unique || ix.deferrable || ix.partial() ||
        ix.columns.size() != 1 || ix.columns[0] != col->index) {
      continue;
    }
    // Only when the constant already has the column's representation, so the encoded key is
    // the one the index holds.
    bool same_repr =
        (IsStringType(col_type) && val->value.index() == 4) ||
        ((IsIntegerType(col_type) || IsDateTimeType(col_type)) && val->value.index() == 2) ||
        ((col_type == TypeId::kFloat8 || col_type == TypeId::kFloat4) && val->value.index() == 3) ||
        (col_type == TypeId::kNumeric && val->value.index() == 5) ||
        (col_type == TypeId::kInterval && val->value.index() == 6) ||
        (col_type == TypeId::kBool && val->value.index() == 1);
    if (!same_repr) continue;
    std::string key;
    AppendKeyColumn(key, val->value, col_type, IndexColumnOrder(ix, 0));
    BTree tree(pages, ix.root);
    SQLRITE_ASSIGN_OR_RETURN(auto rowid_key, tree.Get(key));
    if (!rowid_key) return std::optional<std::string>(std::string());
    return rowid_key;
  }
  return std::optional<std::string>();
}

// Whether a value of type v has column type c's representation (PointLookup's same_repr),
// for the rowid (an integer) as for an index key.
bool SameCategory(TypeId c, TypeId v) {
  return (IsStringType(c) && IsStringType(v)) || (IsIntegerType(c) && IsIntegerType(v)) ||
         ((c == TypeId::kFloat8 || c == TypeId::kFloat4) &&
          (v == TypeId::kFloat8 || v == TypeId::kFloat4)) ||
         (c == TypeId::kNumeric && v == TypeId::kNumeric) ||
         (c == TypeId::kBool && v == TypeId::kBool);
}

// PointLookup's choice without its index read: whether some conjunct pins the key.
bool PinsKey(const TableDef& table, const BoundExpr& where) {
  if (where.kind == ExprKind::kAnd) {
    for (const BoundExpr& arg : where.args) {
      if (PinsKey(table, arg)) return true;
    }
    return false;
  }
  if (where.kind != ExprKind::kCompare || where.op != ast::BinaryOp::kEq) return false;
  const BoundExpr* col = &where.args[0];
  const BoundExpr* val = &where.args[1];
  if (col->kind != ExprKind::kColumn) std::swap(col, val);
  if (col->kind != ExprKind::kColumn) return false;
  const TypeId col_type = table.columns[static_cast<size_t>(col->index)].type.id;
  if (val->kind == ExprKind::kParam || val->kind == ExprKind::kOuterRef) {
    // A prepared statement's kept plan, or an outer row's value (a correlated subquery, the
    // inner side of an index nested loop): the value comes at each execution, of the
    // reference's type; NULL finds no row (PointLookup), which is as bounded.
    if (!SameCategory(col_type, val->type.id)) return false;
    if (col->index == table.rowid_column) return true;
    for (const IndexDef& ix : table.indexes) {
      if (ix.root != storage::kInvalidPage && ix.unique && !ix.deferrable && !ix.partial() &&
          ix.columns.size() == 1 && ix.columns[0] == col->index) {
        return true;
      }
    }
    return false;
  }
  if (!val->IsConst()) return false;
  if (IsNull(val->value)) return true;
  if (col->index == table.rowid_column) return std::holds_alternative<int64_t>(val->value);
  for (const IndexDef& ix : table.indexes) {
    if (ix.root == storage::kInvalidPage || !ix.unique || ix.deferrable || ix.partial() ||
        ix.columns.size() != 1 || ix.columns[0] != col->index) {
      continue;
    }
    const bool same_repr =
        (IsStringType(col_type) && val->value.index() == 4) ||
        ((IsIntegerType(col_type) || IsDateTimeType(col_type)) && val->value.index() == 2) ||
        ((col_type == TypeId::kFloat8 || col_type == TypeId::kFloat4) && val->value.index() == 3) ||
        (col_type == TypeId::kNumeric && val->value.index() == 5) ||
        (col_type == TypeId::kInterval && val->value.index() == 6) ||
        (col_type == TypeId::kBool && val->value.index() == 1);
    if (same_repr) return true;
  }
  return false;
}

// Narrows [lo, hi] by the conjuncts of where of the form rowid_column op integer-constant.
void RowidRange(const TableDef& table, const BoundExpr& where, int64_t& lo, int64_t& hi) {
  if (where.kind == ExprKind::kAnd) {
    for (const BoundExpr& arg : where.args) RowidRange(table, arg, lo, hi);
    return;
  }
  if (where.kind != ExprKind::kCompare || where.args.size() != 2) return;
  const BoundExpr* col = &where.args[0];
  const BoundExpr* val = &where.args[1];
  ast::BinaryOp op = where.op;
  if (col->kind != ExprKind::kColumn) {
    std::swap(col, val);
    // c < x  is  x > c.
    switch (op) {
      case ast::BinaryOp::kLt:
        op = ast::BinaryOp::kGt;
        break;
      case ast::BinaryOp::kLe:
        op = ast::BinaryOp::kGe;
        break;
      case ast::BinaryOp::kGt:
        op = ast::BinaryOp::kLt;
        break;
      case ast::BinaryOp::kGe:
        op = ast::BinaryOp::kLe;
        break;
      default:
        break;
    }
  }
  if (col->kind != ExprKind::kColumn || col->index != table.rowid_column || !val->IsConst()) {
    return;
  }
  const auto* v = std::get_if<int64_t>(&val->value);
  if (v == nullptr) return;  // NULL, or a double: the filter decides
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  switch (op) {
    case ast::BinaryOp::kGt:
      if (*v == kMax) {
        lo = kMax, hi = kMin;  // nothing is greater
      } else {
        lo = std::max(lo, *v + 1);
      }
      break;
    case ast::BinaryOp::kGe:
      lo = std::max(lo, *v);
      break;
    case ast::BinaryOp::kLt:
      if (*v == kMin) {
        lo = kMax, hi = kMin;  // nothing is smaller
      } else {
        hi = std::min(hi, *v - 1);
      }
      break;
    case ast::BinaryOp::kLe:
      hi = std::min(hi, *v);
      break;
    default:
      break;
  }
}

// The rowid keys of a conjunct `rowid_column IN (integer constants)` of where, sorted and
// without repeats (NULLs dropped: they match nothing); nullopt when there is none.
std::optional<std::vector<std::string>> RowidInList(const TableDef& table, const BoundExpr& where) {
  if (where.kind == ExprKind::kAnd) {
    for (const BoundExpr& arg : where.args) {
      if (auto keys = RowidInList(table, arg)) return keys;
    }
    return std::nullopt;
  }
  if (table.rowid_column < 0 || where.kind != ExprKind::kIn || where.negated ||
      where.args.size() < 2 || where.args[0].kind != ExprKind::kColumn ||
      where.args[0].index != table.rowid_column) {
    return std::nullopt;
  }
  std::vector<int64_t> values;
  for (size_t i = 1; i < where.args.size(); ++i) {
    const BoundExpr& v = where.args[i];
    if (!v.IsConst()) return std::nullopt;
    if (IsNull(v.value)) continue;
    const auto* n = std::get_if<int64_t>(&v.value);
    if (n == nullptr) return std::nullopt;  // a double or numeric: the filter decides
    values.push_back(*n);
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::vector<std::string> keys;
  keys.reserve(values.size());
  for (int64_t v : values) keys.push_back(RowidKey(v));
  return keys;
}

}  // namespace

TableReader::TableReader(storage::PageSource& pages, const TableDef& table)
    : pages_(&pages), table_(&table), tree_(pages, table.root), cursor_(tree_) {}

void TableReader::Close() {
  cursor_ = storage::BTree::Cursor(tree_);
  index_cursor_.reset();
  index_tree_.reset();
  ranges_.clear();
  range_ = 0;
  path_ = Path::kEmpty;
  done_ = true;
}

Status TableReader::SeekBelow(storage::BTree::Cursor& cursor, std::string_view stop) {
  return stop.empty() ? cursor.SeekLast() : cursor.SeekBefore(stop);
}

Status TableReader::Open(const BoundExpr* where, const IndexPath* index) {
  SQLRITE_TRY(OpenForward(where, index));
  if (!backward_) return Ok();
  // Backward: the same path, its last range first and each read from its end (the forward
  // positioning above is replaced; its ranges and bounds are kept).
  switch (path_) {
    case Path::kEmpty:
    case Path::kPoint:
      return Ok();
    case Path::kIndex:
      range_ = ranges_.size() - 1;
      return SeekBelow(*index_cursor_, ranges_[range_].stop);
    case Path::kScan:
      return cursor_.SeekLast();
    case Path::kRange:
      if (!ranges_.empty()) {
        // rowid IN (...): single-key ranges, the last value first.
        range_ = ranges_.size() - 1;
        start_key_ = ranges_[range_].start;
        return SeekBelow(cursor_, ranges_[range_].stop + std::string(1, '\0'));
      }
      // The keys after stop_key_ all begin with it and more bytes: the greatest key <= it.
      return SeekBelow(cursor_,
                       stop_key_.empty() ? std::string() : stop_key_ + std::string(1, '\0'));
  }
  return Ok();
}

Status TableReader::OpenForward(const BoundExpr* where, const IndexPath* index) {
  done_ = false;
  path_ = Path::kScan;
  ranges_.clear();
  range_ = 0;
  stop_key_.clear();
  start_key_.clear();
  if (where == nullptr && index != nullptr) {
    // An ordered read of the whole index (ORDER BY ... LIMIT).
    path_ = Path::kIndex;
    ranges_.assign(1, KeyRange{});
    range_ = 0;
    index_tree_.emplace(*pages_, table_->indexes[index->index].root);
    index_cursor_.emplace(*index_tree_);
    return index_cursor_->SeekFirst();
  }
  if (where != nullptr) {
    SQLRITE_ASSIGN_OR_RETURN(auto point, PointLookup(*pages_, *table_, *where));
    if (point) {
      path_ = point->empty() ? Path::kEmpty : Path::kPoint;
      point_ = std::move(*point);
      return Ok();
    }
    if (index != nullptr) {
      auto ranges = IndexRanges(*table_, *index, *where);
      if (ranges) {
        if (ranges->empty()) {
          path_ = Path::kEmpty;
          return Ok();
        }
        path_ = Path::kIndex;
        ranges_ = std::move(*ranges);
        range_ = 0;
        index_tree_.emplace(*pages_, table_->indexes[index->index].root);
        index_cursor_.emplace(*index_tree_);
        return index_cursor_->Seek(ranges_[0].start);
      }
    }
    if (auto keys = RowidInList(*table_, *where)) {
      // rowid IN (...): one single-key range of the table tree per value, in rowid order.
      if (keys->empty()) {
        path_ = Path::kEmpty;
        return Ok();
      }
      path_ = Path::kRange;
      ranges_.clear();
      for (std::string& k : *keys) ranges_.push_back(KeyRange{k, std::move(k)});
      range_ = 0;
      stop_key_ = ranges_[0].stop;
      return cursor_.Seek(ranges_[0].start);
    }
    if (table_->rowid_column >= 0) {
      int64_t lo = std::numeric_limits<int64_t>::min();
      int64_t hi = std::numeric_limits<int64_t>::max();
      RowidRange(*table_, *where, lo, hi);
      if (lo > hi) {
        path_ = Path::kEmpty;
        return Ok();
      }
      if (lo != std::numeric_limits<int64_t>::min() || hi != std::numeric_limits<int64_t>::max()) {
        path_ = Path::kRange;
        stop_key_ = hi == std::numeric_limits<int64_t>::max() ? std::string() : RowidKey(hi);
        start_key_ = RowidKey(lo);
        return cursor_.Seek(start_key_);
      }
    }
  }
  return cursor_.SeekFirst();
}

// Positions the index cursor on the next entry inside a range (moving to the next ranges as
// each ends) and takes its rowid key; false when the ranges are done.
Result<bool> TableReader::NextIndexEntry() {
  while (range_ < ranges_.size()) {
    const KeyRange& r = ranges_[range_];
    if (index_cursor_->Valid() &&
        (r.stop.empty() || index_cursor_->key() < std::string_view(r.stop))) {
      SQLRITE_ASSIGN_OR_RETURN(rowid_key_, index_cursor_->value());
      SQLRITE_TRY(index_cursor_->Next());
      return true;
    }
    if (++range_ < ranges_.size()) SQLRITE_TRY(index_cursor_->Seek(ranges_[range_].start));
  }
  return false;
}

// Backward: the cursor on the next entry (descending) inside a range, the ranges taken last to
// first; false when they are done.
Result<bool> TableReader::PrevIndexEntry() {
  while (true) {
    const KeyRange& r = ranges_[range_];
    if (index_cursor_->Valid() && index_cursor_->key() >= std::string_view(r.start)) {
      SQLRITE_ASSIGN_OR_RETURN(rowid_key_, index_cursor_->value());
      SQLRITE_TRY(index_cursor_->Prev());
      return true;
    }
    if (range_ == 0) return false;
    --range_;
    SQLRITE_TRY(SeekBelow(*index_cursor_, ranges_[range_].stop));
  }
}

void TableReader::set_needed(std::vector<bool> needed) {
  needed_ = std::move(needed);
  set_filter(filter_, interrupts_);  // what the filter's columns cover changed
}

void TableReader::set_filter(const BoundExpr* filter, InterruptCheck* interrupts) {
  filter_ = filter;
  interrupts_ = interrupts;
  filter_columns_.assign(filter != nullptr ? table_->columns.size() : 0, false);
  if (filter == nullptr) return;
  MarkColumnsRead(*filter, filter_columns_);
  filter_decodes_needed_ = true;
  for (size_t i = 0; i < filter_columns_.size(); ++i) {
    const bool is_needed = needed_.empty() || (i < needed_.size() && needed_[i]);
    if (is_needed && !filter_columns_[i]) filter_decodes_needed_ = false;
  }
}

Result<bool> TableReader::DecodeIfAccepted(std::string_view record, std::string* owned, Row& row) {
  // The needed columns, from the owned record when there is one: its long text value is moved
  // into the row, not copied (record views owned, so it is not read after this).
  auto decode_needed = [&]() -> Status {
    if (owned != nullptr) return DecodeTableRow(*table_, std::move(*owned), row, needed());
    return DecodeTableRow(*table_, record, row, needed());
  };
  if (filter_ == nullptr) {
    SQLRITE_TRY(decode_needed());
    return true;
  }
  // The filter's columns first (checked before the filter reads them: a damaged record must not
  // reach Eval), the rest only for a row it holds for; one pass when they are all it needs.
  if (filter_decodes_needed_) {
    SQLRITE_TRY(decode_needed());
  } else {
    SQLRITE_TRY(DecodeTableRow(*table_, record, row, &filter_columns_));
  }
  SQLRITE_ASSIGN_OR_RETURN(bool pass, EvalCondition(*filter_, EvalContext{row.data(), nullptr}));
  if (!pass) {
    ++rejected_;
    if (interrupts_ != nullptr && interrupts_->Due()) SQLRITE_TRY(interrupts_->PollNow());
    return false;
  }
  if (!filter_decodes_needed_) SQLRITE_TRY(decode_needed());
  return true;
}

Result<bool> TableReader::Next(Row& row) {
  if (done_) return false;
  switch (path_) {
    case Path::kEmpty:
      done_ = true;
      return false;
    case Path::kPoint: {
      done_ = true;
      SQLRITE_ASSIGN_OR_RETURN(auto record, tree_.Get(point_));
      if (!record) return false;
      SQLRITE_ASSIGN_OR_RETURN(bool accepted, DecodeIfAccepted(*record, &*record, row));
      if (!accepted) return false;
      rowid_key_ = point_;
      return true;
    }
    case Path::kIndex:
      for (;;) {
        SQLRITE_ASSIGN_OR_RETURN(bool more, backward_ ? PrevIndexEntry() : NextIndexEntry());
        if (!more) {
          done_ = true;
          return false;
        }
        SQLRITE_ASSIGN_OR_RETURN(auto record, tree_.Get(rowid_key_));
        if (!record) {
          // An entry whose row is missing: the index and the table disagree.
          return Fail(Error(sqlstate::kDataCorrupted,
                            "index entry of table \"" + table_->name + "\" names a missing row"));
        }
        SQLRITE_ASSIGN_OR_RETURN(bool accepted, DecodeIfAccepted(*record, &*record, row));
        if (accepted) return true;
      }
    case Path::kScan:
    case Path::kRange:
      break;
  }
  for (;;) {
    if (backward_) {
      while (!cursor_.Valid() ||
             (path_ == Path::kRange && cursor_.key() < std::string_view(start_key_))) {
        // A rowid IN list backward: the previous value's key.
        if (path_ != Path::kRange || ranges_.empty() || range_ == 0) {
          done_ = true;
          return false;
        }
        --range_;
        start_key_ = ranges_[range_].start;
        SQLRITE_TRY(SeekBelow(cursor_, ranges_[range_].stop + std::string(1, '\0')));
      }
    }
    while (!backward_ && (!cursor_.Valid() ||
                          (!stop_key_.empty() && cursor_.key() > std::string_view(stop_key_)))) {
      // A rowid IN list: the next value's range (ranges_ holds them; empty for one range).
      if (path_ != Path::kRange || range_ + 1 >= ranges_.size()) {
        done_ = true;
        return false;
      }
      ++range_;
      stop_key_ = ranges_[range_].stop;
      SQLRITE_TRY(cursor_.Seek(ranges_[range_].start));
    }
    // The record in place in its leaf (no copy), or read into scratch_ from overflow pages.
    SQLRITE_ASSIGN_OR_RETURN(std::string_view record, cursor_.ValueView(scratch_));
    const bool overflowed = !scratch_.empty() && record.data() == scratch_.data();
    SQLRITE_ASSIGN_OR_RETURN(bool accepted,
                             DecodeIfAccepted(record, overflowed ? &scratch_ : nullptr, row));
    if (overflowed) scratch_.clear();
    if (accepted) rowid_key_.assign(cursor_.key());
    SQLRITE_TRY(backward_ ? cursor_.Prev() : cursor_.Next());
    if (accepted) return true;
  }
}

std::optional<IndexPath> IndexPathFor(const TableDef& table, const BoundExpr& where) {
  if (PinsKey(table, where)) return std::nullopt;
  auto path = ChooseIndexPath(table, where);
  if (path && path->eq_columns == 0 && BoundsRowidRange(table, where)) return std::nullopt;
  return path;
}

std::string DescribeRow(const TableDef& table, const Row& row) {
  std::string out = "(";
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) out += ", ";
    if (IsNull(row[i])) {
      out += "null";
    } else {
      AppendText(out, row[i], table.columns[i].type.id);
    }
  }
  out += ")";
  return out;
}

// Writes row's record under rowid_key (BTree::Insert's result). A row with a long text value goes
// in pieces, so that the value is not copied into a record first.
namespace {
constexpr size_t kKeptRecordBytes = 256 * 1024;

Result<bool> StoreRecord(Database& db, const TableDef& table, std::string_view rowid_key,
                         const Row& row, bool overwrite) {
  BTree tree(db.pager(), table.root);
  // One buffer for every record this thread writes: a load of a million rows would otherwise
  // allocate (and grow) a string per row. BTree::Insert copies the bytes into its page.
  // A rare huge record's buffer is not kept.
  thread_local std::string record;
  Result<bool> inserted = false;
  if (!HasLongText(row)) {
    EncodeRow(row, record);
    inserted = tree.Insert(rowid_key, record, overwrite);
  } else {
    std::vector<std::string_view> pieces;
    EncodeRowPieces(row, record, pieces);
    inserted = tree.Insert(rowid_key, std::span<const std::string_view>(pieces), overwrite);
  }
  if (record.capacity() > kKeptRecordBytes) std::string().swap(record);
  return inserted;
}
}  // namespace

namespace {

Status InsertUncounted(Database& db, TableDef& table, const Row& row,
                       std::optional<int64_t> rowid) {
  // Rows reach here coerced to the column types (executors) or checked (ScanTable).
  SQLRITE_ASSERT(row.size() == table.columns.size());
  SQLRITE_TRY(CheckNotNull(table, row));
  SQLRITE_TRY(CheckConstraints(table, row));
  int64_t id;
  if (table.rowid_column >= 0) {
    id = DatumAs<int64_t>(row[static_cast<size_t>(table.rowid_column)]);
  } else if (rowid) {
    id = *rowid;
  } else {
    id = table.next_rowid++;
    if (table.next_rowid > table.rowid_reserved) {
      table.rowid_reserved = table.next_rowid + TableDef::kRowidReserve;
    }
  }
  const std::string rowid_key = RowidKey(id);
  SQLRITE_ASSIGN_OR_RETURN(bool inserted, StoreRecord(db, table, rowid_key, row, false));
  if (!inserted) {
    const IndexDef* pk = RowidIndex(table);
    if (pk == nullptr) return Fail(sqlstate::kInternalError, "duplicate rowid");
    return UniqueViolation(table, *pk, row);
  }
  return InsertIndexEntries(db, table, row, rowid_key);
}

Status DeleteUncounted(Database& db, const TableDef& table, std::string_view rowid_key,
                       const Row& row) {
  SQLRITE_TRY(DeleteIndexEntries(db, table, row, rowid_key));
  BTree tree(db.pager(), table.root);
  SQLRITE_TRY(tree.Delete(rowid_key));
  return Ok();
}

}  // namespace

// Each counted once it succeeded (engine/table_stats.h).
Status InsertRow(Database& db, TableDef& table, const Row& row, std::optional<int64_t> rowid) {
  SQLRITE_TRY(InsertUncounted(db, table, row, rowid));
  ProcessTableStats().Inserted(db.oid(), table.oid);
  return Ok();
}

Status DeleteRow(Database& db, const TableDef& table, std::string_view rowid_key, const Row& row) {
  SQLRITE_TRY(DeleteUncounted(db, table, rowid_key, row));
  ProcessTableStats().Deleted(db.oid(), table.oid);
  return Ok();
}

Status UpdateRow(Database& db, TableDef& table, std::string_view rowid_key, const Row& old_row,
                 const Row& new_row) {
  SQLRITE_ASSERT(old_row.size() == table.columns.size());
  SQLRITE_ASSERT(new_row.size() == table.columns.size());
  SQLRITE_TRY(CheckNotNull(table, new_row));
  SQLRITE_TRY(CheckConstraints(table, new_row));
  bool keys_changed = false;
  auto changed = [&](int c) {
    auto i = static_cast<size_t>(c);
    if (IsNull(old_row[i]) != IsNull(new_row[i])) return true;
    return !IsNull(old_row[i]) && CompareDatums(old_row[i], new_row[i]) != 0;
  };
  if (table.rowid_column >= 0) keys_changed |= changed(table.rowid_column);
  for (const IndexDef& ix : table.indexes) {
    for (int c : ix.columns) {
      if (c != kIndexExpression) keys_changed |= changed(c);
    }
    // An expression or a predicate may read any column: its entry moves with them.
    for (int c : IndexExpressionColumns(ix)) keys_changed |= changed(c);
  }
  if (!keys_changed) {
    // The hot path (UPDATE ... SET balance = balance + x): rewrite the record in place.
    SQLRITE_TRY(StoreRecord(db, table, rowid_key, new_row, /*overwrite=*/true));
    // No index key changed: what PostgreSQL would make a heap-only tuple.
    ProcessTableStats().Updated(db.oid(), table.oid, /*hot=*/true);
    return Ok();
  }
  SQLRITE_TRY(DeleteUncounted(db, table, rowid_key, old_row));
  SQLRITE_TRY(InsertUncounted(db, table, new_row, DecodeRowidKey(rowid_key)));
  ProcessTableStats().Updated(db.oid(), table.oid, /*hot=*/false);
  return Ok();
}

Status ScanTable(Database& db, const TableDef& table, const BoundExpr* where, const RowCallback& fn,
                 InterruptCheck* interrupts) {
  TableReader reader(db.pager(), table);
  std::optional<IndexPath> index;
  if (where != nullptr) index = IndexPathFor(table, *where);
  SQLRITE_TRY(reader.Open(where, index ? &*index : nullptr));
  reader.set_filter(where, interrupts);
  // Counted as TableScan counts (engine/exec/scan.cc), once the scan ends however it ends.
  int64_t read = 0;
  struct Count {
    Database& db;
    const TableDef& table;
    const TableReader& reader;
    const int64_t& read;
    ~Count() {
      TableCounters& c = ProcessTableStats().For(db.oid(), table.oid);
      const bool seq = reader.path() == TableReader::Path::kScan;
      (seq ? c.seq_scan : c.idx_scan).fetch_add(1, std::memory_order_relaxed);
      // The rows the filter rejected were read too.
      const int64_t all = read + static_cast<int64_t>(reader.rejected());
      (seq ? c.seq_tup_read : c.idx_tup_fetch).fetch_add(all, std::memory_order_relaxed);
    }
  } count{db, table, reader, read};
  Row row;
  for (;;) {
    if (interrupts != nullptr && interrupts->Due()) SQLRITE_TRY(interrupts->PollNow());
    SQLRITE_ASSIGN_OR_RETURN(bool more, reader.Next(row));  // a row `where` holds for
    if (!more) return Ok();
    ++read;
    SQLRITE_ASSIGN_OR_RETURN(bool go_on, fn(reader.rowid_key(), row));
    if (!go_on) return Ok();
  }
}

Status ScanTableAfter(storage::PageSource& pages, const TableDef& table, std::string_view after_key,
                      const RowCallback& fn, InterruptCheck* interrupts) {
  BTree tree(pages, table.root);
  BTree::Cursor cursor(tree);
  if (after_key.empty()) {
    SQLRITE_TRY(cursor.SeekFirst());
  } else {
    SQLRITE_TRY(cursor.Seek(after_key));
    if (cursor.Valid() && cursor.key() == after_key) SQLRITE_TRY(cursor.Next());
  }
  Row row;
  while (cursor.Valid()) {
    if (interrupts != nullptr && interrupts->Due()) SQLRITE_TRY(interrupts->PollNow());
    SQLRITE_ASSIGN_OR_RETURN(std::string record, cursor.value());
    SQLRITE_TRY(DecodeTableRow(table, std::move(record), row));
    SQLRITE_ASSIGN_OR_RETURN(bool more, fn(cursor.key(), row));
    if (!more) return Ok();
    SQLRITE_TRY(cursor.Next());
  }
  return Ok();
}

bool PinsOneRow(const TableDef& table, const BoundExpr& where) { return PinsKey(table, where); }

bool BoundsRowidRange(const TableDef& table, const BoundExpr& where) {
  if (table.rowid_column < 0) return false;
  if (RowidInList(table, where)) return true;
  int64_t lo = std::numeric_limits<int64_t>::min();
  int64_t hi = std::numeric_limits<int64_t>::max();
  RowidRange(table, where, lo, hi);
  return lo != std::numeric_limits<int64_t>::min() || hi != std::numeric_limits<int64_t>::max();
}

namespace {

// Entries in memory: keys and values (rowid keys) back to back in bytes. Each entry carries its
// key's first 8 bytes as a big-endian number, so that most comparisons of the sort read no key
// bytes (and no cache line of the buffer).
class EntryRun {
 public:
  struct Entry {
    uint64_t prefix = 0;
    size_t offset = 0;
    uint32_t key_size = 0;
    uint32_t value_size = 0;
  };
  void Add(std::string_view key, std::string_view value) {
    uint64_t prefix = 0;
    for (size_t i = 0; i < 8; ++i) {
      prefix = (prefix << 8) | (i < key.size() ? static_cast<unsigned char>(key[i]) : 0u);
    }
    entries_.push_back({prefix, bytes_.size(), static_cast<uint32_t>(key.size()),
                        static_cast<uint32_t>(value.size())});
    bytes_ += key;
    bytes_ += value;
  }
  size_t memory() const { return bytes_.size() + 2 * sizeof(Entry) * entries_.size(); }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::string_view key(size_t i) const {
    return std::string_view(bytes_).substr(entries_[i].offset, entries_[i].key_size);
  }
  std::string_view value(size_t i) const {
    const Entry& e = entries_[i];
    return std::string_view(bytes_).substr(e.offset + e.key_size, e.value_size);
  }
  Status Sort(InterruptCheck& check) {
    return InterruptibleStableSort(
        entries_,
        [this](const Entry& a, const Entry& b) {
          if (a.prefix != b.prefix) return a.prefix < b.prefix;
          return KeyOf(a) < KeyOf(b);
        },
        check);
  }
  void Clear() {
    bytes_.clear();
    entries_.clear();
  }

 private:
  std::string_view KeyOf(const Entry& e) const {
    return std::string_view(bytes_).substr(e.offset, e.key_size);
  }
  std::string bytes_;
  std::vector<Entry> entries_;
};

// One sorted run being merged: the last run, still in memory, or one read back from its
// temporary file (a row of two strings per entry).
class RunCursor {
 public:
  explicit RunCursor(const EntryRun& run) : run_(&run) {}
  explicit RunCursor(exec::SpillFile::Reader reader) : reader_(std::move(reader)) {}
  // Moves to the next entry; false at the run's end.
  Result<bool> Advance() {
    if (run_ != nullptr) {
      if (next_ >= run_->size()) return false;
      key_ = run_->key(next_);
      value_ = run_->value(next_);
      ++next_;
      return true;
    }
    SQLRITE_ASSIGN_OR_RETURN(bool more, reader_->Next(row_));
    if (!more) return false;
    key_ = std::get<std::string>(row_[0]);
    value_ = std::get<std::string>(row_[1]);
    return true;
  }
  std::string_view key() const { return key_; }
  std::string_view value() const { return value_; }

 private:
  const EntryRun* run_ = nullptr;
  size_t next_ = 0;
  std::optional<exec::SpillFile::Reader> reader_;
  Row row_;
  std::string_view key_;
  std::string_view value_;
};

}  // namespace

// One pass, as PostgreSQL's btree build (nbtsort.c): the entries are gathered, sorted by key,
// checked for duplicates as adjacent equal keys of the sorted stream, and bulk-loaded bottom-up
// (each leaf filled to 90% and written once). It used to insert the sorted entries one by one,
// and a table past its 128 MiB of entries inserted its later runs' entries between the earlier
// ones' (half-full leaves).
Status BuildIndex(Database& db, const TableDef& table, const IndexDef& index,
                  InterruptCheck* interrupts, exec::SpillSettings* spill) {
  SQLRITE_ASSERT(index.root != storage::kInvalidPage);
  InterruptCheck never(nullptr, nullptr);
  InterruptCheck& check = interrupts != nullptr ? *interrupts : never;
  BTree tree(db.pager(), table.root);
  auto duplicated = [&](std::string_view rowid_key) -> Status {
    // Only a unique index's key repeats (the others end with the rowid key): name the row.
    SQLRITE_ASSIGN_OR_RETURN(std::optional<std::string> record, tree.Get(rowid_key));
    SQLRITE_ASSERT(record.has_value());
    Row row;
    SQLRITE_TRY(DecodeTableRow(table, std::move(*record), row));
    SQLRITE_ASSIGN_OR_RETURN(std::string described, DescribeKey(table, index, row));
    return Fail(
        Error(sqlstate::kUniqueViolation, "could not create unique index \"" + index.name + "\"")
            .WithDetail("Key " + described + " is duplicated.")
            .OnTable(table.name, {}, index.name));
  };

  EntryRun run;
  std::unique_ptr<exec::SpillFile> file;  // the runs sorted before the last, when any
  const bool can_spill = spill != nullptr && spill->can_spill();
  auto spill_run = [&]() -> Status {
    SQLRITE_TRY(run.Sort(check));
    if (file == nullptr) {
      SQLRITE_ASSIGN_OR_RETURN(file, exec::SpillFile::Create(*spill));
    }
    Row row(2, Datum(std::string()));
    for (size_t i = 0; i < run.size(); ++i) {
      if (check.Due()) SQLRITE_TRY(check.PollNow());
      std::get<std::string>(row[0]).assign(run.key(i));
      std::get<std::string>(row[1]).assign(run.value(i));
      SQLRITE_TRY(file->Append(row));
    }
    SQLRITE_TRY(file->EndRun());
    run.Clear();
    return Ok();
  };

  BTree::Cursor cursor(tree);
  SQLRITE_TRY(cursor.SeekFirst());
  Row row;
  std::string key;
  // A deferrable key's entries carry their rowid, so its duplicates are found apart: by the key
  // without it (the rowid-less form a non-deferrable key would store).
  IndexDef plain;
  if (index.deferrable) {
    plain = index;
    plain.deferrable = false;
  }
  std::unordered_set<std::string> seen;
  std::string plain_key;
  while (cursor.Valid()) {
    if (check.Due()) SQLRITE_TRY(check.PollNow());
    SQLRITE_ASSIGN_OR_RETURN(std::string record, cursor.value());
    SQLRITE_TRY(DecodeTableRow(table, std::move(record), row));
    SQLRITE_ASSIGN_OR_RETURN(bool in_index, RowInIndex(index, row));  // a partial index's WHERE
    if (!in_index) {
      SQLRITE_TRY(cursor.Next());
      continue;
    }
    SQLRITE_TRY(IndexKey(table, index, row, cursor.key(), key));
    if (index.deferrable) {
      SQLRITE_ASSIGN_OR_RETURN(bool appended, IndexKey(table, plain, row, cursor.key(), plain_key));
      if (!appended && !seen.insert(plain_key).second) {
        return duplicated(cursor.key());
      }
    }
    run.Add(key, cursor.key());
    // The run's memory counts keys, values, and twice the bookkeeping of each entry (the merge
    // sort copies it): a million entries of one integer column take about 60 MB.
    if (can_spill && run.memory() >= spill->work_mem) SQLRITE_TRY(spill_run());
    SQLRITE_TRY(cursor.Next());
  }
  SQLRITE_TRY(run.Sort(check));

  // The merge: the runs on file and the last one in memory, smallest key first (a heap of run
  // indices; ties go to the earlier run).
  std::vector<RunCursor> runs;
  if (file != nullptr) {
    for (size_t i = 0; i < file->run_count(); ++i) runs.emplace_back(file->Read(i));
  }
  runs.emplace_back(run);
  std::vector<size_t> heap;
  auto after = [&](size_t a, size_t b) {  // the heap's order: a comes out after b
    const int c = runs[a].key().compare(runs[b].key());
    return c != 0 ? c > 0 : a > b;
  };
  for (size_t i = 0; i < runs.size(); ++i) {
    SQLRITE_ASSIGN_OR_RETURN(bool any, runs[i].Advance());
    if (any) heap.push_back(i);
  }
  std::make_heap(heap.begin(), heap.end(), after);

  storage::BTreeBuilder builder(db.pager(), index.root);
  std::string previous;
  bool first = true;
  while (!heap.empty()) {
    if (check.Due()) SQLRITE_TRY(check.PollNow());
    std::pop_heap(heap.begin(), heap.end(), after);
    RunCursor& next = runs[heap.back()];
    if (!first && next.key() == previous) return duplicated(next.value());
    SQLRITE_TRY(builder.Add(next.key(), next.value()));
    previous.assign(next.key());
    first = false;
    SQLRITE_ASSIGN_OR_RETURN(bool more, next.Advance());
    if (more) {
      std::push_heap(heap.begin(), heap.end(), after);
    } else {
      heap.pop_back();
    }
  }
  return builder.Finish();
}

Status ClearTable(Database& db, const TableDef& table) {
  SQLRITE_TRY(BTree(db.pager(), table.root).Clear());
  for (const IndexDef& ix : table.indexes) {
    if (ix.root != storage::kInvalidPage) SQLRITE_TRY(BTree(db.pager(), ix.root).Clear());
  }
  ProcessTableStats().Truncated(db.oid(), table.oid);
  return Ok();
}

Row DefaultRow(const TableDef& def) {
  Row row;
  row.reserve(def.columns.size());
  for (const ColumnDef& c : def.columns) row.push_back(c.has_default ? c.default_value : Datum{});
  return row;
}

}  // namespace sqlrite::engine
