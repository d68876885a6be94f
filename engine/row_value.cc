#include "engine/row_value.h"

#include <cctype>
#include <utility>

#include "common/bytes.h"
#include "common/sqlstate.h"
#include "engine/key_codec.h"
#include "engine/record_type.h"
#include "engine/row_codec.h"

namespace sqlrite::engine::row_value {
namespace {

constexpr size_t kTrailerBytes = 8;

Error Malformed() { return Error(sqlstate::kInternalError, "malformed record value"); }

struct Parts {
  std::string_view key, descriptor, values;
};

Result<Parts> Split(const std::string& value) {
  if (value.size() < 1 + kTrailerBytes || value[0] != kMarker) return Fail(Malformed());
  const uint32_t key_len = LoadLE<uint32_t>(value.data() + value.size() - kTrailerBytes);
  const uint32_t desc_len = LoadLE<uint32_t>(value.data() + value.size() - 4);
  const size_t body = value.size() - 1 - kTrailerBytes;
  if (size_t{key_len} + desc_len > body) return Fail(Malformed());
  const std::string_view v(value);
  return Parts{v.substr(1, key_len), v.substr(1 + key_len, desc_len),
               v.substr(1 + key_len + desc_len, body - key_len - desc_len)};
}

Result<std::vector<Datum>> Values(const std::string& value) {
  SQLRITE_ASSIGN_OR_RETURN(Decoded d, Decode(value));
  return std::move(d.values);
}

}  // namespace

bool RecordFieldNeedsQuotes(std::string_view s) {
  if (s.empty()) return true;
  for (char c : s) {
    if (c == '"' || c == '\\' || c == '(' || c == ')' || c == ',' ||
        std::isspace(static_cast<unsigned char>(c))) {
      return true;
    }
  }
  return false;
}

Result<std::vector<Field>> DecodeDescriptor(std::string_view d) {
  const auto* p = reinterpret_cast<const uint8_t*>(d.data());
  const auto* end = p + d.size();
  uint64_t n = 0;
  p = DecodeVarint(p, end, &n);
  if (p == nullptr || n > d.size()) return Fail(Malformed());
  std::vector<Field> fields(n);
  for (Field& f : fields) {
    if (end - p < 2) return Fail(Malformed());
    f.type.id = static_cast<TypeId>(*p++);
    f.type.elem = static_cast<TypeId>(*p++);
    uint64_t oid = 0, len = 0;
    p = DecodeVarint(p, end, &oid);
    if (p == nullptr) return Fail(Malformed());
    f.type.enum_oid = static_cast<uint32_t>(oid);
    p = DecodeVarint(p, end, &len);
    if (p == nullptr || len > static_cast<uint64_t>(end - p)) return Fail(Malformed());
    f.name.assign(reinterpret_cast<const char*>(p), len);
    p += len;
  }
  return fields;
}

std::string EncodeDescriptor(const std::vector<Field>& fields) {
  std::string out;
  AppendVarint(out, fields.size());
  for (const Field& f : fields) {
    out.push_back(static_cast<char>(f.type.id));
    out.push_back(static_cast<char>(f.type.elem));
    AppendVarint(out, f.type.enum_oid);
    AppendVarint(out, f.name.size());
    out.append(f.name);
  }
  return out;
}

Datum Make(std::string_view descriptor, const std::vector<Datum>& values) {
  Result<std::vector<Field>> fields = DecodeDescriptor(descriptor);
  SQLRITE_ASSERT(fields && fields->size() == values.size());
  std::string out(1, kMarker);
  for (size_t i = 0; i < values.size(); ++i) {
    const TypeId t = (*fields)[i].type.id;
    // Unknown literals (ROW('a')) are text, as PostgreSQL resolves them in a row.
    AppendKeyColumn(out, values[i], t == TypeId::kUnknown ? TypeId::kText : t);
  }
  const auto key_len = static_cast<uint32_t>(out.size() - 1);
  out.append(descriptor);
  std::string record;
  EncodeRow(values, record);
  out.append(record);
  char trailer[kTrailerBytes];
  StoreLE<uint32_t>(trailer, key_len);
  StoreLE<uint32_t>(trailer + 4, static_cast<uint32_t>(descriptor.size()));
  out.append(trailer, kTrailerBytes);
  return Datum(std::move(out));
}

bool IsRowValue(const std::string& value) { return !value.empty() && value[0] == kMarker; }

Result<Decoded> Decode(const std::string& value) {
  Decoded out;
  if (!IsRowValue(value)) {
    const record::Shape* shape =
        value.empty() ? nullptr : record::Find(static_cast<unsigned char>(value[0]));
    if (shape == nullptr) return Fail(Malformed());
    for (const record::FieldDef& f : shape->fields) {
      out.fields.push_back(Field{std::string(f.name), f.type});
    }
    SQLRITE_TRY(DecodeRow(std::string_view(value).substr(1), out.values));
  } else {
    SQLRITE_ASSIGN_OR_RETURN(Parts parts, Split(value));
    SQLRITE_ASSIGN_OR_RETURN(out.fields, DecodeDescriptor(parts.descriptor));
    SQLRITE_TRY(DecodeRow(parts.values, out.values));
  }
  if (out.values.size() != out.fields.size()) return Fail(Malformed());
  return out;
}

void AppendText(std::string& out, const std::string& value) {
  Result<Decoded> d = Decode(value);
  out.push_back('(');
  if (d) {
    for (size_t i = 0; i < d->values.size(); ++i) {
      if (i > 0) out.push_back(',');
      const Datum& v = d->values[i];
      if (IsNull(v)) continue;
      const TypeId t = d->fields[i].type.id;
      const std::string text = FormatText(v, t == TypeId::kUnknown ? TypeId::kText : t);
      if (!RecordFieldNeedsQuotes(text)) {
        out.append(text);
        continue;
      }
      out.push_back('"');
      for (char c : text) {
        if (c == '"' || c == '\\') out.push_back(c);
        out.push_back(c);
      }
      out.push_back('"');
    }
  }
  out.push_back(')');
}

std::string_view KeyOf(const std::string& value) {
  Result<Parts> parts = Split(value);
  if (!parts) return value;  // a fixed shape's: its bytes
  return parts->key;
}

Result<int> Compare(const std::string& a, const std::string& b, bool equality) {
  if (IsRowValue(a) && IsRowValue(b)) {
    SQLRITE_ASSIGN_OR_RETURN(Parts pa, Split(a));
    SQLRITE_ASSIGN_OR_RETURN(Parts pb, Split(b));
    if (pa.descriptor != pb.descriptor) {
      SQLRITE_ASSIGN_OR_RETURN(std::vector<Field> fa, DecodeDescriptor(pa.descriptor));
      SQLRITE_ASSIGN_OR_RETURN(std::vector<Field> fb, DecodeDescriptor(pb.descriptor));
      const size_t n = std::min(fa.size(), fb.size());
      for (size_t i = 0; i < n; ++i) {
        const SqlType ta = fa[i].type, tb = fb[i].type;
        if (ta.id != tb.id || ta.elem != tb.elem || ta.enum_oid != tb.enum_oid) {
          return Fail(sqlstate::kDatatypeMismatch,
                      "cannot compare dissimilar column types " + SqlTypeName(ta) + " and " +
                          SqlTypeName(tb) + " at record column " + std::to_string(i + 1));
        }
      }
      if (fa.size() != fb.size()) {
        return Fail(sqlstate::kDatatypeMismatch,
                    "cannot compare record types with different numbers of columns");
      }
    }
    if (pa.descriptor == pb.descriptor) {
      // A field of an unknown literal (ROW('a')) has no operator, as in PostgreSQL.
      SQLRITE_ASSIGN_OR_RETURN(std::vector<Field> fields, DecodeDescriptor(pa.descriptor));
      for (const Field& f : fields) {
        if (f.type.id != TypeId::kUnknown) continue;
        return Fail(sqlstate::kUndefinedFunction,
                    equality ? "could not identify an equality operator for type unknown"
                             : "could not identify a comparison function for type unknown");
      }
    }
    const int c = pa.key.compare(pb.key);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

Result<bool> AllFieldsNull(const std::string& value) {
  SQLRITE_ASSIGN_OR_RETURN(std::vector<Datum> values, Values(value));
  for (const Datum& v : values) {
    if (!IsNull(v)) return false;
  }
  return true;
}

Result<bool> NoFieldNull(const std::string& value) {
  SQLRITE_ASSIGN_OR_RETURN(std::vector<Datum> values, Values(value));
  for (const Datum& v : values) {
    if (IsNull(v)) return false;
  }
  return true;
}

}  // namespace sqlrite::engine::row_value
