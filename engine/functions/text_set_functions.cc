// string_to_table(string, delimiter [, null_string]) and generate_subscripts(array, dim
// [, reverse]): set-returning functions whose rows are computed up front (a split string, an
// array's subscripts), as PostgreSQL 15 defines them. string_to_table is not strict, as
// PostgreSQL's: a NULL delimiter splits into characters, a NULL string gives no rows.
// Registered after every other family, so that the pg_proc oids of those stay as they were.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/functions/builtin.h"
#include "engine/type_shorthands.h"

namespace sqlrite::engine::functions {
namespace {

class ListRows final : public RowGenerator {
 public:
  explicit ListRows(std::vector<Datum> rows) : rows_(std::move(rows)) {}
  Result<bool> Next(Datum& out) override {
    if (next_ == rows_.size()) return false;
    out = std::move(rows_[next_++]);
    return true;
  }

 private:
  std::vector<Datum> rows_;
  size_t next_ = 0;
};

Result<std::unique_ptr<RowGenerator>> Rows(std::vector<Datum> rows) {
  return std::unique_ptr<RowGenerator>(std::make_unique<ListRows>(std::move(rows)));
}

size_t Utf8Char(const std::string& s, size_t i) {
  size_t n = 1;
  while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
  return n;
}

// As string_to_array: NULL delimiter each character, empty delimiter the string whole, fields
// equal to null_string NULL; an empty string no rows.
Result<std::unique_ptr<RowGenerator>> StringToTable(const CallArgs& a) {
  std::vector<Datum> rows;
  if (IsNull(a.values[0])) return Rows(std::move(rows));
  const std::string& s = std::get<std::string>(a.values[0]);
  const bool has_null = a.values.size() > 2 && !IsNull(a.values[2]);
  auto add = [&](std::string field) {
    if (has_null && field == std::get<std::string>(a.values[2])) {
      rows.emplace_back();
    } else {
      rows.emplace_back(std::move(field));
    }
  };
  if (s.empty()) return Rows(std::move(rows));
  if (IsNull(a.values[1])) {
    for (size_t i = 0; i < s.size();) {
      const size_t n = Utf8Char(s, i);
      add(s.substr(i, n));
      i += n;
    }
  } else if (const std::string& sep = std::get<std::string>(a.values[1]); sep.empty()) {
    add(s);
  } else {
    size_t from = 0;
    for (;;) {
      const size_t at = s.find(sep, from);
      if (at == std::string::npos) {
        add(s.substr(from));
        break;
      }
      add(s.substr(from, at - from));
      from = at + sep.size();
    }
  }
  return Rows(std::move(rows));
}

// Arrays here have one dimension: dim 1 gives lower .. upper (upper .. lower when reverse), any
// other dimension or an empty array no rows.
Result<std::unique_ptr<RowGenerator>> GenerateSubscripts(const CallArgs& a) {
  const ArrayValue& v = *DatumAs<ArrayRef>(a.values[0]);
  const int64_t dim = DatumAs<int64_t>(a.values[1]);
  const bool reverse = a.values.size() > 2 && DatumAs<bool>(a.values[2]);
  std::vector<Datum> rows;
  if (dim == 1 && !v.items.empty()) {
    const int64_t lower = v.lower;
    const int64_t upper = lower + static_cast<int64_t>(v.items.size()) - 1;
    for (int64_t i = 0; i <= upper - lower; ++i) rows.emplace_back(reverse ? upper - i : lower + i);
  }
  return Rows(std::move(rows));
}

}  // namespace

void AddTextSetFunctions(std::vector<Builtin>& out) {
  using type_shorthands::kAA;
  using type_shorthands::kI4;
  using type_shorthands::kText;
  for (Builtin b : {SetFn("string_to_table", {kText, kText}, kText, StringToTable),
                    SetFn("string_to_table", {kText, kText, kText}, kText, StringToTable)}) {
    b.strict = false;
    out.push_back(b);
  }
  out.push_back(SetFn("generate_subscripts", {kAA, kI4}, kI4, GenerateSubscripts));
  out.push_back(SetFn("generate_subscripts", {kAA, kI4, TypeId::kBool}, kI4, GenerateSubscripts));
}

}  // namespace sqlrite::engine::functions
