#pragma once
// Value: one untyped SQL value as the ORM moves it between the typed front, the statement AST,
// the serializer (as a bound parameter) and the drivers (as a result cell). Type: the column types
// the ORM maps C++ members to. Values are compared and printed only by tests.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace sqlrite::orm {

enum class Type { kBool, kInt64, kDouble, kText };

const char* TypeName(Type t);

struct Value {
  std::variant<std::monostate, bool, std::int64_t, double, std::string> v;

  Value() noexcept = default;
  Value(std::nullptr_t) noexcept {}
  Value(bool b) : v(b) {}
  Value(std::int64_t i) : v(i) {}
  Value(int i) : v(std::int64_t{i}) {}
  Value(double d) : v(d) {}
  Value(std::string s) : v(std::move(s)) {}
  Value(const char* s) : v(std::string(s)) {}

  // Out of line: a Value's variant destructor and copy, inlined at every use in application
  // code, cost more compile time than they save at run time.
  Value(const Value& other);
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other);
  Value& operator=(Value&& other) noexcept;
  ~Value();

  bool is_null() const { return std::holds_alternative<std::monostate>(v); }
  friend bool operator==(const Value&, const Value&) = default;
};

// A literal for DDL DEFAULT clauses and test output: NULL, TRUE, 42, 1.5, 'it''s'.
std::string ToSqlLiteral(const Value& value);

// One result of a statement: column names, rows of values, and the rows a write touched.
struct ResultSet {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  std::int64_t rows_affected = 0;
};

}  // namespace sqlrite::orm
