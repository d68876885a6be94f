// Fuzz target `sql`: the SQL front on arbitrary text, as a Query's string reaches it (cut at its
// first NUL, valid UTF-8 as the session checks before parsing): engine/sql's Parse (nesting and
// lexer bounds, libpg_query, the transform into the engine's AST), the parse cache's shape
// scanner (query_shape.h) and the cache itself. Beyond "no crash, no leak, no UB":
//   - the shape's literals lie inside the text, in order, and the key is the text with each
//     literal replaced by its marker;
//   - the cache gives what a fresh parse gives, for the text itself and, when the text has
//     literals, for the same text with other literal values written in (a cache hit).
// "What a parse gives" is compared as a fingerprint: statements, their spans, errors, and for
// SELECT/INSERT/UPDATE/DELETE every expression node's kind, location and literal value.

#include <string>
#include <variant>

#include "engine/sql/ast_walk.h"
#include "engine/sql/parse_cache.h"
#include "engine/sql/parser.h"
#include "engine/sql/query_shape.h"
#include "protocol/utf8.h"
#include "tests/fuzz/fuzz_target.h"

namespace sqlrite::fuzz {
namespace {

using engine::sql::ParsedStatement;

std::string ErrorPrint(const Error& e) {
  return e.sqlstate + " " + e.message + " @" + std::to_string(e.position);
}

std::string Fingerprint(const Result<std::vector<ParsedStatement>*>& parsed) {
  if (!parsed) return "error " + ErrorPrint(parsed.error());
  std::string out;
  for (ParsedStatement& p : **parsed) {
    out += "[" + std::to_string(p.offset) + "+" + std::to_string(p.length) + " ";
    if (!p.statement) {
      out += "error " + ErrorPrint(p.statement.error()) + "]";
      continue;
    }
    out += "kind " + std::to_string(p.statement->index());
    engine::sql::AstVisitor visitor;
    visitor.expr = [&out](engine::ast::Expr& e) {
      out += " e" + std::to_string(e.node.index()) + "@" + std::to_string(e.location);
      if (const auto* i = std::get_if<engine::ast::IntLiteral>(&e.node)) {
        out += "=" + std::to_string(i->value);
      } else if (const auto* n = std::get_if<engine::ast::NumericLiteral>(&e.node)) {
        out += "=" + n->text;
      } else if (const auto* s = std::get_if<engine::ast::StringLiteral>(&e.node)) {
        out += "='" + s->value + "'";
      } else if (const auto* b = std::get_if<engine::ast::BoolLiteral>(&e.node)) {
        out += b->value ? "=t" : "=f";
      }
    };
    visitor.location = [&out](int& location) { out += " l@" + std::to_string(location); };
    engine::sql::WalkStatement(*p.statement, visitor);
    out += "]";
  }
  return out;
}

std::string Fresh(std::string_view sql) {
  Result<std::vector<ParsedStatement>> parsed = engine::sql::Parse(sql);
  if (!parsed) return Fingerprint(tl::unexpected(parsed.error()));
  return Fingerprint(&*parsed);
}

// The text with each literal of its shape replaced by another value of the same kind.
std::string OtherLiterals(std::string_view sql, const engine::sql::QueryShape& shape) {
  std::string out;
  size_t pos = 0;
  for (const engine::sql::ShapeLiteral& lit : shape.literals) {
    out.append(sql.substr(pos, lit.offset - pos));
    std::string_view token = sql.substr(lit.offset, lit.length);
    switch (lit.kind) {
      case engine::sql::ShapeLiteral::Kind::kInteger:
        out += token == "7" ? "12345" : "7";
        break;
      case engine::sql::ShapeLiteral::Kind::kNumeric:
        out += token == "2.5" ? "0.125" : "2.5";
        break;
      case engine::sql::ShapeLiteral::Kind::kString:
        out += token == "'x'" ? "'it''s'" : "'x'";
        break;
    }
    pos = lit.offset + lit.length;
  }
  out.append(sql.substr(pos));
  return out;
}

void CheckShape(std::string_view sql, const engine::sql::QueryShape& shape) {
  size_t pos = 0;
  std::string key;
  for (const engine::sql::ShapeLiteral& lit : shape.literals) {
    FUZZ_CHECK(lit.offset >= pos && lit.length > 0 && lit.offset + lit.length <= sql.size());
    key.append(sql.substr(pos, lit.offset - pos));
    key += '\x01';
    key += static_cast<char>(lit.kind);
    pos = lit.offset + lit.length;
  }
  key.append(sql.substr(pos));
  FUZZ_CHECK(key == shape.key);
}

}  // namespace
}  // namespace sqlrite::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sqlrite;
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  sql = sql.substr(0, sql.find('\0'));
  if (protocol::FindInvalidUtf8(sql)) return 0;  // the session answers 22021 before parsing

  engine::sql::QueryShape shape;
  const bool shaped = engine::sql::ShapeOf(sql, &shape);
  if (shaped) fuzz::CheckShape(sql, shape);

  const std::string fresh = fuzz::Fresh(sql);
  engine::sql::ParseCache cache;
  FUZZ_CHECK(fuzz::Fingerprint(cache.Parse(sql)) == fresh);
  if (shaped && !shape.literals.empty()) {
    const std::string other = fuzz::OtherLiterals(sql, shape);
    const std::string cached = fuzz::Fingerprint(cache.Parse(other));
    const std::string expected = fuzz::Fresh(other);
    if (cached != expected) {
      std::fprintf(stderr, "parse cache differs for:\n%s\n(after %s)\ncached: %s\nfresh:  %s\n",
                   other.c_str(), std::string(sql).c_str(), cached.c_str(), expected.c_str());
    }
    FUZZ_CHECK(cached == expected);
  }
  return 0;
}
