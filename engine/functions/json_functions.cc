// json and jsonb's operators and functions (engine/types/json.h): the field and path operators
// (-> ->> #> #>>, the transformer's calls named by their symbols), containment and existence
// (@> <@ through arraycontains / arraycontained, ? ?| ?&), jsonb_concat (||), jsonb_delete (-),
// #-, the builders (to_json[b], json[b]_build_object / _array), jsonb_set / jsonb_insert,
// jsonb_typeof, jsonb_array_length, jsonb_strip_nulls, jsonb_pretty, and the set-returning
// json[b]_each[_text], json[b]_array_elements[_text] and json[b]_object_keys.
//
// A json argument is parsed keeping where each value's text lies, so that what json's
// operators return is the input's own text; a jsonb argument is its canonical text, parsed
// back. Results of type jsonb are printed canonically (json::ToText).

#include <charconv>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/sqlstate.h"
#include "engine/functions/builtin.h"
#include "engine/record_type.h"
#include "engine/type_shorthands.h"
#include "engine/types/json.h"
#include "engine/types/to_json.h"

namespace sqlrite::engine::functions {
namespace {

using json::Value;
using Kind = json::Value::Kind;

using type_shorthands::kAA;
using type_shorthands::kBool;
using type_shorthands::kI4;
using type_shorthands::kJson;
using type_shorthands::kJsonb;
using type_shorthands::kText;

// Argument i as a json Value (a json argument's positions index its text).
Result<Value> Arg(const CallArgs& a, size_t i) {
  const std::string& text = std::get<std::string>(a.values[i]);
  if (a.types[i].id == TypeId::kJson) return json::Parse(text, false);
  return json::FromJsonb(text);
}

Datum JsonbDatum(const Value& v) { return Datum(json::ToText(v)); }

// The value v of argument i as the argument's own type: json's text as it was written, jsonb's
// canonical text.
Datum SameType(const CallArgs& a, size_t i, const Value& v) {
  if (a.types[i].id == TypeId::kJson) {
    const std::string& text = std::get<std::string>(a.values[i]);
    return Datum(text.substr(v.begin, v.end - v.begin));
  }
  return JsonbDatum(v);
}

// ->> and #>>: a string's contents, JSON null as SQL NULL, else the value's text.
Datum AsTextOf(const CallArgs& a, size_t i, const Value& v) {
  if (v.kind == Kind::kNull) return Datum();
  if (v.kind == Kind::kString) return Datum(v.text);
  return SameType(a, i, v);
}

// A path step's array index: an integer (optionally signed), negative from the end; nullopt when
// the text is none or the index is out of range.
std::optional<size_t> ArrayIndex(const Value& array, int64_t index) {
  const auto n = static_cast<int64_t>(array.items.size());
  if (index < 0) index += n;
  if (index < 0 || index >= n) return std::nullopt;
  return static_cast<size_t>(index);
}

std::optional<int64_t> ParseIndex(std::string_view s) {
  int64_t v = 0;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (begin != end && *begin == '+') ++begin;
  auto r = std::from_chars(begin, end, v);
  if (s.empty() || r.ec != std::errc() || r.ptr != end) return std::nullopt;
  return v;
}

const Value* Step(const Value& v, std::string_view key) {
  if (v.kind == Kind::kObject) return v.Find(key);
  if (v.kind == Kind::kArray) {
    const std::optional<int64_t> index = ParseIndex(key);
    if (!index) return nullptr;
    const std::optional<size_t> at = ArrayIndex(v, *index);
    return at ? &v.items[*at] : nullptr;
  }
  return nullptr;
}

// The path argument's keys (a text[]); nullopt when one is NULL (the result is then NULL).
std::optional<std::vector<std::string>> PathOf(const Datum& d) {
  std::vector<std::string> keys;
  for (const Datum& item : std::get<ArrayRef>(d)->items) {
    if (IsNull(item)) return std::nullopt;
    keys.push_back(std::get<std::string>(item));
  }
  return keys;
}

// The value at path in v (null: none).
// The value at path[level..] in v (null: none). A json object may repeat a key: each
// occurrence is followed, and the last complete match wins, as PostgreSQL's streaming path
// extraction keeps the last value it finished (a jsonb object has no duplicates).
const Value* WalkFrom(const Value& v, const std::vector<std::string>& path, size_t level) {
  if (level == path.size()) return &v;
  const std::string& key = path[level];
  if (v.kind == Kind::kObject) {
    const Value* found = nullptr;
    for (size_t i = 0; i < v.keys.size(); ++i) {
      if (v.keys[i] != key) continue;
      if (const Value* r = WalkFrom(v.items[i], path, level + 1)) found = r;
    }
    return found;
  }
  const Value* next = Step(v, key);
  return next == nullptr ? nullptr : WalkFrom(*next, path, level + 1);
}

const Value* Walk(const Value& v, const std::vector<std::string>& path) {
  return WalkFrom(v, path, 0);
}

template <bool kAsText>
Result<Datum> FieldOp(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  const Value* found = nullptr;
  if (a.types[1].id == TypeId::kInt4) {
    if (v.kind == Kind::kArray) {
      const std::optional<size_t> at = ArrayIndex(v, std::get<int64_t>(a.values[1]));
      if (at) found = &v.items[*at];
    } else if (v.kind != Kind::kObject && a.types[0].id == TypeId::kJsonb) {
      // A jsonb scalar is an array of itself here ('5'::jsonb -> 0 is 5), as in PostgreSQL.
      const int64_t index = std::get<int64_t>(a.values[1]);
      if (index == 0 || index == -1) found = &v;
    }
  } else if (v.kind == Kind::kObject) {
    found = v.Find(std::get<std::string>(a.values[1]));
  }
  if (found == nullptr) return Datum();
  return kAsText ? AsTextOf(a, 0, *found) : SameType(a, 0, *found);
}

template <bool kAsText>
Result<Datum> PathOp(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  const std::optional<std::vector<std::string>> path = PathOf(a.values[1]);
  if (!path) return Datum();
  const Value* found = Walk(v, *path);
  if (found == nullptr) return Datum();
  return kAsText ? AsTextOf(a, 0, *found) : SameType(a, 0, *found);
}

// json[b]_extract_path[_text](from, VARIADIC path): #> and #>> with the path as arguments (a
// NULL one gives NULL).
template <bool kAsText>
Result<Datum> ExtractPathOf(const CallArgs& a) {
  if (IsNull(a.values[0])) return Datum();
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  std::vector<std::string> path;
  for (size_t i = 1; i < a.values.size(); ++i) {
    if (IsNull(a.values[i])) return Datum();
    path.push_back(FormatText(a.values[i], a.types[i].id));
  }
  const Value* found = Walk(v, path);
  if (found == nullptr) return Datum();
  return kAsText ? AsTextOf(a, 0, *found) : SameType(a, 0, *found);
}
Result<Datum> ExtractPath(const CallArgs& a) { return ExtractPathOf<false>(a); }
Result<Datum> ExtractPathText(const CallArgs& a) { return ExtractPathOf<true>(a); }

Result<Datum> Contains(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value x, Arg(a, 0));
  SQLRITE_ASSIGN_OR_RETURN(Value y, Arg(a, 1));
  return Datum(json::Contains(x, y));
}

Result<Datum> Contained(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value x, Arg(a, 0));
  SQLRITE_ASSIGN_OR_RETURN(Value y, Arg(a, 1));
  return Datum(json::Contains(y, x));
}

// jsonb ? key: a top-level key of an object, or a string element of an array (or the scalar).
bool HasKey(const Value& v, std::string_view key) {
  if (v.kind == Kind::kObject) return v.Find(key) != nullptr;
  if (v.kind == Kind::kArray) {
    for (const Value& item : v.items) {
      if (item.kind == Kind::kString && item.text == key) return true;
    }
    return false;
  }
  return v.kind == Kind::kString && v.text == key;
}

Result<Datum> Exists(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  return Datum(HasKey(v, std::get<std::string>(a.values[1])));
}

template <bool kAll>
Result<Datum> ExistsMany(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  for (const Datum& item : std::get<ArrayRef>(a.values[1])->items) {
    if (IsNull(item)) continue;  // a NULL key is skipped, as PostgreSQL's
    const bool has = HasKey(v, std::get<std::string>(item));
    if (has != kAll) return Datum(has);
  }
  return Datum(kAll);
}

Status ScalarError(const char* what) { return Fail(sqlstate::kInvalidParameterValue, what); }

// jsonb || jsonb: two objects merge (the right one's keys win); otherwise both sides as arrays
// (a scalar or object as an array of itself) concatenate.
Result<Datum> Concat(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value x, Arg(a, 0));
  SQLRITE_ASSIGN_OR_RETURN(Value y, Arg(a, 1));
  if (x.kind == Kind::kObject && y.kind == Kind::kObject) {
    for (size_t i = 0; i < y.keys.size(); ++i) {
      x.keys.push_back(std::move(y.keys[i]));
      x.items.push_back(std::move(y.items[i]));
    }
    json::NormalizeObject(x);
    return JsonbDatum(x);
  }
  Value out = x.kind == Kind::kArray ? std::move(x) : Value::Array({std::move(x)});
  if (y.kind == Kind::kArray) {
    for (Value& item : y.items) out.items.push_back(std::move(item));
  } else {
    out.items.push_back(std::move(y));
  }
  return JsonbDatum(out);
}

void EraseKey(Value& v, std::string_view key) {
  for (size_t i = 0; i < v.keys.size(); ++i) {
    if (v.keys[i] == key) {
      v.keys.erase(v.keys.begin() + static_cast<std::ptrdiff_t>(i));
      v.items.erase(v.items.begin() + static_cast<std::ptrdiff_t>(i));
      return;
    }
  }
}

// jsonb - text: an object's key, or an array's string elements equal to it.
void DeleteKey(Value& v, std::string_view key) {
  if (v.kind == Kind::kObject) {
    EraseKey(v, key);
  } else {
    std::erase_if(v.items, [key](const Value& item) {
      return item.kind == Kind::kString && item.text == key;
    });
  }
}

Result<Datum> Delete(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  const bool scalar = v.kind != Kind::kObject && v.kind != Kind::kArray;
  if (a.types[1].id == TypeId::kInt4) {
    if (scalar) SQLRITE_TRY(ScalarError("cannot delete from scalar"));
    if (v.kind == Kind::kObject) {
      SQLRITE_TRY(ScalarError("cannot delete from object using integer index"));
    }
    const std::optional<size_t> at = ArrayIndex(v, std::get<int64_t>(a.values[1]));
    if (at) v.items.erase(v.items.begin() + static_cast<std::ptrdiff_t>(*at));
    return JsonbDatum(v);
  }
  if (scalar) SQLRITE_TRY(ScalarError("cannot delete from scalar"));
  if (a.types[1].id == TypeId::kArray) {
    for (const Datum& item : std::get<ArrayRef>(a.values[1])->items) {
      if (!IsNull(item)) DeleteKey(v, std::get<std::string>(item));
    }
  } else {
    DeleteKey(v, std::get<std::string>(a.values[1]));
  }
  return JsonbDatum(v);
}

Status NotAnInteger(size_t position, const std::string& key) {
  return Fail(sqlstate::kInvalidTextRepresentation, "path element at position " +
                                                        std::to_string(position + 1) +
                                                        " is not an integer: \"" + key + "\"");
}

// jsonb #- path: the value at path removed (nothing when absent).
Status DeletePath(Value& v, const std::vector<std::string>& path, size_t level) {
  const std::string& key = path[level];
  const bool last = level + 1 == path.size();
  if (v.kind == Kind::kObject) {
    if (last) {
      EraseKey(v, key);
      return Ok();
    }
    for (size_t i = 0; i < v.keys.size(); ++i) {
      if (v.keys[i] == key) return DeletePath(v.items[i], path, level + 1);
    }
    return Ok();
  }
  if (v.kind == Kind::kArray) {
    const std::optional<int64_t> index = ParseIndex(key);
    if (!index) return NotAnInteger(level, key);
    const std::optional<size_t> at = ArrayIndex(v, *index);
    if (!at) return Ok();
    if (last) {
      v.items.erase(v.items.begin() + static_cast<std::ptrdiff_t>(*at));
      return Ok();
    }
    return DeletePath(v.items[*at], path, level + 1);
  }
  return Ok();
}

Result<Datum> DeletePathOp(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  if (v.kind != Kind::kObject && v.kind != Kind::kArray) {
    SQLRITE_TRY(ScalarError("cannot delete path in scalar"));
  }
  const std::optional<std::vector<std::string>> path = PathOf(a.values[1]);
  if (!path) return Datum();
  // An empty container comes back as it is, whatever the path (jsonb_delete_path).
  if (!path->empty() && !v.items.empty()) SQLRITE_TRY(DeletePath(v, *path, 0));
  return JsonbDatum(v);
}

// setPath of jsonb_set (insert: false) and jsonb_insert (insert: true, after).
Status SetPath(Value& v, const std::vector<std::string>& path, size_t level, const Value& nv,
               bool create, bool insert, bool after) {
  const std::string& key = path[level];
  const bool last = level + 1 == path.size();
  if (v.kind == Kind::kObject) {
    for (size_t i = 0; i < v.keys.size(); ++i) {
      if (v.keys[i] != key) continue;
      if (last) {
        if (insert) {
          return Fail(Error(sqlstate::kInvalidParameterValue, "cannot replace existing key")
                          .WithHint("Try using the function jsonb_set to replace key value."));
        }
        v.items[i] = nv;
        return Ok();
      }
      return SetPath(v.items[i], path, level + 1, nv, create, insert, after);
    }
    if (last && (create || insert)) {
      v.keys.push_back(key);
      v.items.push_back(nv);
      json::NormalizeObject(v);
    }
    return Ok();
  }
  if (v.kind == Kind::kArray) {
    const std::optional<int64_t> parsed = ParseIndex(key);
    if (!parsed) return NotAnInteger(level, key);
    const auto n = static_cast<int64_t>(v.items.size());
    int64_t index = *parsed;
    if (index < 0) index = index + n < 0 ? -1 - n : index + n;  // before the start: prepend
    if (last) {
      if (index >= 0 && index < n) {
        if (insert) {
          v.items.insert(v.items.begin() + static_cast<std::ptrdiff_t>(index + (after ? 1 : 0)),
                         nv);
        } else {
          v.items[static_cast<size_t>(index)] = nv;
        }
      } else if (create || insert) {
        if (index < 0) {
          v.items.insert(v.items.begin(), nv);
        } else {
          v.items.push_back(nv);
        }
      }
      return Ok();
    }
    if (index >= 0 && index < n) {
      return SetPath(v.items[static_cast<size_t>(index)], path, level + 1, nv, create, insert,
                     after);
    }
  }
  return Ok();
}

template <bool kInsert>
Result<Datum> SetOrInsert(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  SQLRITE_ASSIGN_OR_RETURN(Value nv, Arg(a, 2));
  const bool flag = a.values.size() > 3 ? std::get<bool>(a.values[3]) : !kInsert;
  if (v.kind != Kind::kObject && v.kind != Kind::kArray) {
    SQLRITE_TRY(ScalarError("cannot set path in scalar"));
  }
  const std::optional<std::vector<std::string>> path = PathOf(a.values[1]);
  if (!path) return Datum();
  if (path->empty()) return JsonbDatum(v);
  SQLRITE_TRY(SetPath(v, *path, 0, nv, kInsert ? false : flag, kInsert, kInsert && flag));
  return JsonbDatum(v);
}

Result<Datum> TypeOf(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  return Datum(std::string(json::TypeName(v)));
}

Result<Datum> ArrayLength(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  if (v.kind == Kind::kObject) {
    SQLRITE_TRY(ScalarError("cannot get array length of a non-array"));
  }
  if (v.kind != Kind::kArray) SQLRITE_TRY(ScalarError("cannot get array length of a scalar"));
  return Datum(static_cast<int64_t>(v.items.size()));
}

void StripNulls(Value& v) {
  if (v.kind == Kind::kObject) {
    for (size_t i = v.keys.size(); i-- > 0;) {
      if (v.items[i].kind == Kind::kNull) {
        v.keys.erase(v.keys.begin() + static_cast<std::ptrdiff_t>(i));
        v.items.erase(v.items.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }
  for (Value& item : v.items) StripNulls(item);
}

Result<Datum> StripNullsOp(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  StripNulls(v);
  if (a.types[0].id == TypeId::kJsonb) return JsonbDatum(v);
  // json_strip_nulls keeps json's own spacing only where nothing was removed; PostgreSQL
  // rebuilds the text without blanks between tokens.
  std::string out;
  std::vector<const Value*> stack;
  auto emit = [&out](auto& self, const Value& x) -> void {
    switch (x.kind) {
      case Kind::kArray:
        out.push_back('[');
        for (size_t i = 0; i < x.items.size(); ++i) {
          if (i > 0) out.push_back(',');
          self(self, x.items[i]);
        }
        out.push_back(']');
        return;
      case Kind::kObject:
        out.push_back('{');
        for (size_t i = 0; i < x.items.size(); ++i) {
          if (i > 0) out.push_back(',');
          json::AppendQuoted(out, x.keys[i]);
          out.push_back(':');
          self(self, x.items[i]);
        }
        out.push_back('}');
        return;
      default:
        json::AppendText(out, x);
    }
  };
  emit(emit, v);
  return Datum(std::move(out));
}

Result<Datum> Pretty(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  return Datum(json::ToPretty(v));
}

Result<Datum> ToJson(const CallArgs& a) {
  std::string out;
  SQLRITE_TRY(json::AppendSqlValue(out, a.values[0], a.types[0]));
  return Datum(std::move(out));
}

Result<Datum> ToJsonb(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, json::FromSqlValue(a.values[0], a.types[0]));
  return JsonbDatum(v);
}

// An object key from a builder's argument: its text output (NULL refused).
Result<std::string> KeyText(const CallArgs& a, size_t i) {
  if (IsNull(a.values[i])) {
    return Fail(sqlstate::kInvalidParameterValue,
                "argument " + std::to_string(i + 1) + ": key must not be null");
  }
  if (auto* s = std::get_if<std::string>(&a.values[i]);
      s != nullptr && a.types[i].id != TypeId::kBytea && a.types[i].id != TypeId::kUuid &&
      !IsBitType(a.types[i].id) && a.types[i].enum_oid == 0) {
    return *s;
  }
  // Otherwise the key is the value's JSON scalar text (true, 1.5, 2024-01-01T10:00:00; an enum's
  // label, not its stored sort bytes).
  SQLRITE_ASSIGN_OR_RETURN(Value v, json::FromSqlValue(a.values[i], a.types[i]));
  if (v.kind == Kind::kString) return v.text;
  if (v.kind != Kind::kArray && v.kind != Kind::kObject) return json::ToText(v);
  return Fail(sqlstate::kInvalidParameterValue,
              "key value must be scalar, not array, composite, or json");
}

template <bool kJsonb>
Result<Datum> BuildObject(const CallArgs& a) {
  if (a.values.size() % 2 != 0) {
    return Fail(
        Error(sqlstate::kInvalidParameterValue, "argument list must have even number of elements")
            .WithHint(std::string("The arguments of ") +
                      (kJsonb ? "jsonb_build_object" : "json_build_object") +
                      "() must consist of alternating keys and values."));
  }
  if (kJsonb) {
    Value out = Value::Object();
    for (size_t i = 0; i < a.values.size(); i += 2) {
      SQLRITE_ASSIGN_OR_RETURN(std::string key, KeyText(a, i));
      SQLRITE_ASSIGN_OR_RETURN(Value v, json::FromSqlValue(a.values[i + 1], a.types[i + 1]));
      out.keys.push_back(std::move(key));
      out.items.push_back(std::move(v));
    }
    json::NormalizeObject(out);
    return JsonbDatum(out);
  }
  std::string out = "{";
  for (size_t i = 0; i < a.values.size(); i += 2) {
    if (i > 0) out += ", ";
    SQLRITE_ASSIGN_OR_RETURN(std::string key, KeyText(a, i));
    json::AppendQuoted(out, key);
    out += " : ";
    SQLRITE_TRY(json::AppendSqlValue(out, a.values[i + 1], a.types[i + 1]));
  }
  out += "}";
  return Datum(std::move(out));
}

template <bool kJsonb>
Result<Datum> BuildArray(const CallArgs& a) {
  if (kJsonb) {
    Value out = Value::Array();
    for (size_t i = 0; i < a.values.size(); ++i) {
      SQLRITE_ASSIGN_OR_RETURN(Value v, json::FromSqlValue(a.values[i], a.types[i]));
      out.items.push_back(std::move(v));
    }
    return JsonbDatum(out);
  }
  std::string out = "[";
  for (size_t i = 0; i < a.values.size(); ++i) {
    if (i > 0) out += ", ";
    SQLRITE_TRY(json::AppendSqlValue(out, a.values[i], a.types[i]));
  }
  out += "]";
  return Datum(std::move(out));
}

// json_object(text[]) (alternating keys and values) and json_object(keys text[], values
// text[]): an object of string values (NULL values as null); jsonb_object the same as jsonb.
template <bool kJsonb>
Result<Datum> ObjectFromArrays(const CallArgs& a) {
  const std::vector<Datum>& first = std::get<ArrayRef>(a.values[0])->items;
  std::vector<const Datum*> keys, values;
  if (a.values.size() == 1) {
    if (first.size() % 2 != 0) {
      return Fail(sqlstate::kArraySubscriptError, "array must have even number of elements");
    }
    for (size_t i = 0; i < first.size(); i += 2) {
      keys.push_back(&first[i]);
      values.push_back(&first[i + 1]);
    }
  } else {
    const std::vector<Datum>& second = std::get<ArrayRef>(a.values[1])->items;
    if (first.size() != second.size()) {
      return Fail(sqlstate::kArraySubscriptError, "mismatched array dimensions");
    }
    for (size_t i = 0; i < first.size(); ++i) {
      keys.push_back(&first[i]);
      values.push_back(&second[i]);
    }
  }
  Value obj = Value::Object();
  for (size_t i = 0; i < keys.size(); ++i) {
    if (IsNull(*keys[i])) {
      return Fail(sqlstate::kNullValueNotAllowed, "null value not allowed for object key");
    }
    obj.keys.push_back(std::get<std::string>(*keys[i]));
    obj.items.push_back(IsNull(*values[i]) ? Value::Null()
                                           : Value::String(std::get<std::string>(*values[i])));
  }
  if (kJsonb) {
    json::NormalizeObject(obj);
    return JsonbDatum(obj);
  }
  std::string out = "{";
  for (size_t i = 0; i < obj.keys.size(); ++i) {
    if (i > 0) out += ", ";
    json::AppendQuoted(out, obj.keys[i]);
    out += " : ";
    json::AppendText(out, obj.items[i]);
  }
  out += "}";
  return Datum(std::move(out));
}

// The rows of the set-returning functions, computed at the call (the values are small next to
// the statement's other state) and handed out one at a time.
class Rows final : public RowGenerator {
 public:
  explicit Rows(std::vector<Datum> rows) : rows_(std::move(rows)) {}
  Result<bool> Next(Datum& out) override {
    if (next_ >= rows_.size()) return false;
    out = std::move(rows_[next_++]);
    return true;
  }

 private:
  std::vector<Datum> rows_;
  size_t next_ = 0;
};

std::string_view FunctionName(const CallArgs& a, std::string_view stem, bool text) {
  static const std::string names[] = {
      "jsonb_each",          "jsonb_each_text",         "json_each",
      "json_each_text",      "jsonb_array_elements",    "jsonb_array_elements_text",
      "json_array_elements", "json_array_elements_text"};
  const bool is_json = a.types[0].id == TypeId::kJson;
  const size_t base = stem == "each" ? 0 : 4;
  return names[base + (is_json ? 2 : 0) + (text ? 1 : 0)];
}

template <bool kText>
Result<std::unique_ptr<RowGenerator>> Each(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  if (v.kind != Kind::kObject) {
    if (a.types[0].id == TypeId::kJson) {
      return Fail(sqlstate::kInvalidParameterValue, v.kind == Kind::kArray
                                                        ? "cannot deconstruct an array as an object"
                                                        : "cannot deconstruct a scalar");
    }
    return Fail(sqlstate::kInvalidParameterValue,
                "cannot call " + std::string(FunctionName(a, "each", kText)) + " on a non-object");
  }
  const int32_t shape = kText                            ? record::kJsonEachText
                        : a.types[0].id == TypeId::kJson ? record::kJsonEach
                                                         : record::kJsonbEach;
  std::vector<Datum> rows;
  for (size_t i = 0; i < v.keys.size(); ++i) {
    Datum value = kText ? AsTextOf(a, 0, v.items[i]) : SameType(a, 0, v.items[i]);
    rows.push_back(record::Make(shape, {Datum(v.keys[i]), std::move(value)}));
  }
  return std::unique_ptr<RowGenerator>(std::make_unique<Rows>(std::move(rows)));
}

template <bool kText>
Result<std::unique_ptr<RowGenerator>> ArrayElements(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  if (v.kind != Kind::kArray) {
    if (a.types[0].id == TypeId::kJson) {
      return Fail(sqlstate::kInvalidParameterValue,
                  "cannot call " + std::string(FunctionName(a, "elements", kText)) + " on a " +
                      (v.kind == Kind::kObject ? "non-array" : "scalar"));
    }
    return Fail(sqlstate::kInvalidParameterValue, v.kind == Kind::kObject
                                                      ? "cannot extract elements from an object"
                                                      : "cannot extract elements from a scalar");
  }
  std::vector<Datum> rows;
  for (const Value& item : v.items) {
    rows.push_back(kText ? AsTextOf(a, 0, item) : SameType(a, 0, item));
  }
  return std::unique_ptr<RowGenerator>(std::make_unique<Rows>(std::move(rows)));
}

Result<std::unique_ptr<RowGenerator>> ObjectKeys(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Value v, Arg(a, 0));
  const bool is_json = a.types[0].id == TypeId::kJson;
  if (v.kind != Kind::kObject) {
    const std::string name = is_json ? "json_object_keys" : "jsonb_object_keys";
    return Fail(
        sqlstate::kInvalidParameterValue,
        "cannot call " + name + " on " + (v.kind == Kind::kArray ? "an array" : "a scalar"));
  }
  std::vector<Datum> rows;
  for (std::string& key : v.keys) rows.emplace_back(std::move(key));
  return std::unique_ptr<RowGenerator>(std::make_unique<Rows>(std::move(rows)));
}

}  // namespace

void AddJsonFunctions(std::vector<Builtin>& out) {
  for (TypeId t : {kJsonb, kJson}) {
    out.push_back(Fn("->", {t, kText}, t, FieldOp<false>));
    out.push_back(Fn("->", {t, kI4}, t, FieldOp<false>));
    out.push_back(Fn("->>", {t, kText}, kText, FieldOp<true>));
    out.push_back(Fn("->>", {t, kI4}, kText, FieldOp<true>));
    out.push_back(Fn("#>", {t, kAA}, t, PathOp<false>));
    out.push_back(Fn("#>>", {t, kAA}, kText, PathOp<true>));
    out.push_back(Fn(t == kJsonb ? "jsonb_typeof" : "json_typeof", {t}, kText, TypeOf));
    out.push_back(
        Fn(t == kJsonb ? "jsonb_array_length" : "json_array_length", {t}, kI4, ArrayLength));
    out.push_back(Fn(t == kJsonb ? "jsonb_strip_nulls" : "json_strip_nulls", {t}, t, StripNullsOp));
    for (Builtin b :
         {Fn(t == kJsonb ? "jsonb_extract_path" : "json_extract_path", {t}, t, ExtractPath),
          Fn(t == kJsonb ? "jsonb_extract_path_text" : "json_extract_path_text", {t}, kText,
             ExtractPathText)}) {
      b.variadic_any = true;  // VARIADIC text[]
      b.strict = false;
      out.push_back(b);
    }
    Builtin each =
        SetFn(t == kJsonb ? "jsonb_each" : "json_each", {t}, TypeId::kRecord, Each<false>);
    each.result_typmod = t == kJsonb ? record::kJsonbEach : record::kJsonEach;
    out.push_back(each);
    Builtin each_text =
        SetFn(t == kJsonb ? "jsonb_each_text" : "json_each_text", {t}, TypeId::kRecord, Each<true>);
    each_text.result_typmod = record::kJsonEachText;
    out.push_back(each_text);
    out.push_back(SetFn(t == kJsonb ? "jsonb_array_elements" : "json_array_elements", {t}, t,
                        ArrayElements<false>));
    out.push_back(SetFn(t == kJsonb ? "jsonb_array_elements_text" : "json_array_elements_text", {t},
                        kText, ArrayElements<true>));
    out.push_back(
        SetFn(t == kJsonb ? "jsonb_object_keys" : "json_object_keys", {t}, kText, ObjectKeys));
  }
  out.push_back(Fn("arraycontains", {kJsonb, kJsonb}, kBool, Contains));
  out.push_back(Fn("arraycontained", {kJsonb, kJsonb}, kBool, Contained));
  out.push_back(Fn("jsonb_contains", {kJsonb, kJsonb}, kBool, Contains));
  out.push_back(Fn("jsonb_contained", {kJsonb, kJsonb}, kBool, Contained));
  out.push_back(Fn("?", {kJsonb, kText}, kBool, Exists));
  out.push_back(Fn("jsonb_exists", {kJsonb, kText}, kBool, Exists));
  out.push_back(Fn("?|", {kJsonb, kAA}, kBool, ExistsMany<false>));
  out.push_back(Fn("?&", {kJsonb, kAA}, kBool, ExistsMany<true>));
  out.push_back(Fn("jsonb_concat", {kJsonb, kJsonb}, kJsonb, Concat));
  out.push_back(Fn("jsonb_delete", {kJsonb, kText}, kJsonb, Delete));
  out.push_back(Fn("jsonb_delete", {kJsonb, kI4}, kJsonb, Delete));
  out.push_back(Fn("jsonb_delete", {kJsonb, kAA}, kJsonb, Delete));
  out.push_back(Fn("#-", {kJsonb, kAA}, kJsonb, DeletePathOp));
  out.push_back(Fn("jsonb_set", {kJsonb, kAA, kJsonb}, kJsonb, SetOrInsert<false>));
  out.push_back(Fn("jsonb_set", {kJsonb, kAA, kJsonb, kBool}, kJsonb, SetOrInsert<false>));
  out.push_back(Fn("jsonb_insert", {kJsonb, kAA, kJsonb}, kJsonb, SetOrInsert<true>));
  out.push_back(Fn("jsonb_insert", {kJsonb, kAA, kJsonb, kBool}, kJsonb, SetOrInsert<true>));
  out.push_back(Fn("jsonb_pretty", {kJsonb}, kText, Pretty));
  for (TypeId p : {TypeId::kAnyElement, kAA}) {
    out.push_back(Fn("to_json", {p}, kJson, ToJson));
    out.push_back(Fn("to_jsonb", {p}, kJsonb, ToJsonb));
  }
  for (Builtin b : {Fn("json_object", {kAA}, kJson, ObjectFromArrays<false>),
                    Fn("json_object", {kAA, kAA}, kJson, ObjectFromArrays<false>),
                    Fn("jsonb_object", {kAA}, kJsonb, ObjectFromArrays<true>),
                    Fn("jsonb_object", {kAA, kAA}, kJsonb, ObjectFromArrays<true>)}) {
    out.push_back(b);
  }
  for (Builtin b : {Fn("json_build_object", {}, kJson, BuildObject<false>),
                    Fn("jsonb_build_object", {}, kJsonb, BuildObject<true>),
                    Fn("json_build_array", {}, kJson, BuildArray<false>),
                    Fn("jsonb_build_array", {}, kJsonb, BuildArray<true>)}) {
    b.variadic_any = true;
    b.strict = false;
    out.push_back(b);
  }
}

}  // namespace sqlrite::engine::functions
