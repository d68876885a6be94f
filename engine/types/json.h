#pragma once
// json (OID 114) and jsonb (OID 3802). Both are std::string Datums holding text:
//   json   the input text exactly as given, once it has been validated (json_in);
//   jsonb  its canonical text (jsonb_out's form): object keys sorted by length, then bytes,
//          a duplicate key's last value kept, numbers as numeric prints them (1e2 -> 100,
//          1.50 kept), PostgreSQL's spacing ({"a": 1, "b": [1, 2]}).
// Operations parse the text into a Value tree (numbers kept as their text, never a double) and
// print it again; jsonb's order (Compare) and its index/grouping key (AppendKey) follow
// PostgreSQL's compareJsonbContainers, where a numeric compares by value (1.0 = 1).
// The parser is this file's own (docs/decisions.md, "json and jsonb").

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace sqlrite::engine::json {

struct Value {
  // In jsonb's type order (null < string < number < boolean < array < object).
  enum class Kind : uint8_t { kNull, kString, kNumber, kBool, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  // kString: the decoded string (UTF-8); kNumber: the number's text (numeric's output in a
  // jsonb value, the input's spelling in a json one).
  std::string text;
  std::vector<Value> items;       // kArray: the elements; kObject: the values
  std::vector<std::string> keys;  // kObject: the keys, parallel to items
  // Where the value's text lies in the parsed input (json's -> gives that text as it was).
  size_t begin = 0, end = 0;

  static Value Null() { return Value{}; }
  static Value String(std::string s);
  static Value Number(std::string text);
  static Value Bool(bool b);
  static Value Array(std::vector<Value> items = {});
  static Value Object();
  // The value of key in an object (the last of duplicates; null when absent or not an object).
  const Value* Find(std::string_view key) const;
};

// Parses JSON text. jsonb: numbers go through numeric input (canonical text), objects are
// normalized (Normalize), \u0000 is refused (22P05 "unsupported Unicode escape sequence").
// Errors: 22P02 "invalid input syntax for type json" with PostgreSQL's DETAIL and CONTEXT.
Result<Value> Parse(std::string_view text, bool jsonb);
// json_in: the text is valid JSON (the same errors as Parse(text, false)).
Status Validate(std::string_view text);

// jsonb's object order: keys by length, then bytes; of duplicate keys the last one stays.
void Normalize(Value& v);
// Sorts and deduplicates one object's keys (not its values' objects).
void NormalizeObject(Value& v);

// jsonb_out: canonical text ({"a": 1, "b": [1, 2]}).
void AppendText(std::string& out, const Value& v);
std::string ToText(const Value& v);
// jsonb_pretty: four spaces per level, one element or pair per line.
std::string ToPretty(const Value& v);
// A JSON string literal of s: quoted, with PostgreSQL's escapes (escape_json).
void AppendQuoted(std::string& out, std::string_view s);

// The text ->> and #>> give: a string's contents, null as SQL NULL (the caller's), any other
// value's jsonb text.
std::string AsText(const Value& v);

// jsonb_cmp: <0, 0, >0 in PostgreSQL's order of jsonb values.
int Compare(const Value& a, const Value& b);
// a @> b (JsonbDeepContains, with the top-level scalar rules of jsonb_contains).
bool Contains(const Value& a, const Value& b);
// A memcomparable key whose byte order is Compare's order (equal values, equal keys): grouping,
// DISTINCT, hash joins and indexes over jsonb.
void AppendKey(std::string& out, const Value& v);

// jsonb_typeof's names: "object", "array", "string", "number", "boolean", "null".
std::string_view TypeName(const Value& v);

// The Value of a jsonb Datum's canonical text (ParseText of a stored or computed value).
Result<Value> FromJsonb(std::string_view text);

}  // namespace sqlrite::engine::json
