#include "orm/relation.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace sqlrite::orm::erased {
namespace {

constexpr std::size_t kChunk = 500;

// Values compared as SQL literals: the same int64 or text on both sides of a foreign key.
std::string KeyOf(const Value& v) { return ToSqlLiteral(v); }

// Whether every value is an int64 or null: keys are then compared as integers, without making
// their literals (the same answer: equal int64s have equal literals and no others do).
bool AllInt64(const std::vector<Value>& values) {
  return std::all_of(values.begin(), values.end(), [](const Value& v) {
    return v.is_null() || std::holds_alternative<std::int64_t>(v.v);
  });
}

}  // namespace

std::vector<Value> FieldValues(const ModelDef& model, int field, const void* first,
                               std::size_t stride, std::size_t n) {
  std::vector<Value> out;
  out.reserve(n);
  const auto* base = static_cast<const unsigned char*>(first);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(model.fields[static_cast<std::size_t>(field)].get(base + i * stride));
  }
  return out;
}

Result<int> SingleKey(const ModelDef& model) {
  std::vector<int> keys = model.KeyFields();
  if (keys.size() != 1) {
    return Fail(sqlstate::kFeatureNotSupported,
                "a relation to " + model.name + ", whose key has several fields");
  }
  return keys[0];
}

Status SelectIn(Executor& ex, const ModelDef& model, int field, const std::vector<Value>& values,
                void* vec, AppendFn append) {
  // Distinct non-null values, in first-seen order.
  std::vector<Value> distinct;
  if (AllInt64(values)) {
    std::unordered_set<std::int64_t> seen;
    for (const Value& v : values) {
      if (!v.is_null() && seen.insert(std::get<std::int64_t>(v.v)).second) distinct.push_back(v);
    }
  } else {
    std::set<std::string> seen;
    for (const Value& v : values) {
      if (!v.is_null() && seen.insert(KeyOf(v)).second) distinct.push_back(v);
    }
  }
  auto key = SingleKey(model);
  for (std::size_t start = 0; start < distinct.size(); start += kChunk) {
    std::size_t end = std::min(distinct.size(), start + kChunk);
    stmt::Select select;
    select.model = &model;
    select.filter =
        stmt::InOf(field, std::vector<Value>(distinct.begin() + static_cast<long>(start),
                                             distinct.begin() + static_cast<long>(end)));
    if (key) select.order_by.push_back({*key, false});
    SQLRITE_ORM_TRY(RunInto(ex, select, model, vec, append));
  }
  return {};
}

std::vector<std::size_t> MatchIndexes(const std::vector<Value>& rows,
                                      const std::vector<Value>& keys) {
  if (AllInt64(rows) && AllInt64(keys)) {
    std::unordered_map<std::int64_t, std::size_t> index;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (!keys[i].is_null()) index.emplace(std::get<std::int64_t>(keys[i].v), i);
    }
    std::vector<std::size_t> out;
    out.reserve(rows.size());
    for (const Value& v : rows) {
      auto it = v.is_null() ? index.end() : index.find(std::get<std::int64_t>(v.v));
      out.push_back(it == index.end() ? SIZE_MAX : it->second);
    }
    return out;
  }
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < keys.size(); ++i) index.emplace(KeyOf(keys[i]), i);
  std::vector<std::size_t> out;
  out.reserve(rows.size());
  for (const Value& v : rows) {
    auto it = v.is_null() ? index.end() : index.find(KeyOf(v));
    out.push_back(it == index.end() ? SIZE_MAX : it->second);
  }
  return out;
}

Status CheckHasOne(const ModelDef& child, const ModelDef& parent,
                   const std::vector<std::size_t>& owners) {
  std::set<std::size_t> seen;
  for (std::size_t owner : owners) {
    if (owner != SIZE_MAX && !seen.insert(owner).second) {
      return Fail(sqlstate::kCardinalityViolation,
                  "more than one " + child.name + " for one " + parent.name + " (has_one)");
    }
  }
  return {};
}

Result<Value> KeyValue(const ModelDef& parent, const void* instance) {
  auto key = SingleKey(parent);
  if (!key) return tl::unexpected(std::move(key).error());
  return parent.fields[static_cast<std::size_t>(*key)].get(instance);
}

Status SetField(const ModelDef& model, int field, const Value& value, void* first,
                std::size_t stride, std::size_t n) {
  auto* base = static_cast<unsigned char*>(first);
  for (std::size_t i = 0; i < n; ++i) {
    SQLRITE_ORM_TRY(model.fields[static_cast<std::size_t>(field)].set(base + i * stride, value));
  }
  return {};
}

int SingleKeyOrNone(const ModelDef& model) {
  std::vector<int> keys = model.KeyFields();
  return keys.size() == 1 ? keys[0] : -1;
}

stmt::Expr InSelectOf(int field, const ModelDef& inner, int column, stmt::Expr filter) {
  if (column < 0) column = SingleKeyOrNone(inner);
  return stmt::Make(stmt::InSelect{stmt::Field(field), &inner, column, std::move(filter)});
}

}  // namespace sqlrite::orm::erased
