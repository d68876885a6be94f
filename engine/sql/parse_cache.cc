#include "engine/sql/parse_cache.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <variant>

#include "engine/sql/ast_walk.h"

namespace sqlrite::engine::sql {

// One cached shape: the tree of the last query string parsed with it, with that string's literal
// tokens. A hit rewrites the tree in place for the new string.
struct ParseCache::Entry {
  // Where a literal node of the tree takes its value from, in the walk's order of literal nodes.
  struct Slot {
    uint32_t token;  // index into QueryShape::literals
    bool negated;    // the node is "-<token>", the grammar's folded unary minus
  };
  std::vector<ParsedStatement> statements;
  std::vector<ShapeLiteral> literals;  // of the string the tree now stands for
  std::vector<Slot> slots;             // over all statements, in order
};

namespace {

bool IsLiteralNode(const ast::Expr& e) {
  return std::holds_alternative<ast::IntLiteral>(e.node) ||
         std::holds_alternative<ast::NumericLiteral>(e.node) ||
         std::holds_alternative<ast::StringLiteral>(e.node);
}

int64_t IntegerValue(std::string_view token) {
  int64_t value = 0;
  std::from_chars(token.data(), token.data() + token.size(), value);  // checked by ShapeOf
  return value;
}

// Index of the literal token at byte offset `at`, or -1.
int TokenAt(const std::vector<ShapeLiteral>& literals, int at) {
  auto it =
      std::lower_bound(literals.begin(), literals.end(), at,
                       [](const ShapeLiteral& l, int off) { return int64_t{l.offset} < off; });
  if (it == literals.end() || static_cast<int>(it->offset) != at) return -1;
  return static_cast<int>(it - literals.begin());
}

// For a node at a '-' (location `at`): the number token right after it, past whitespace only.
int NegatedTokenAt(std::string_view sql, const std::vector<ShapeLiteral>& literals, int at) {
  if (at < 0 || static_cast<size_t>(at) >= sql.size() || sql[static_cast<size_t>(at)] != '-') {
    return -1;
  }
  size_t i = static_cast<size_t>(at) + 1;
  while (i < sql.size() && (sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' || sql[i] == '\r')) {
    ++i;
  }
  int token = TokenAt(literals, static_cast<int>(i));
  if (token < 0 || literals[static_cast<size_t>(token)].kind == ShapeLiteral::Kind::kString) {
    return -1;
  }
  return token;
}

// Whether node holds the value of `token` (negated when asked), as the transformer builds it.
bool HoldsTokenValue(const ast::Expr& node, std::string_view sql, const ShapeLiteral& token,
                     bool negated) {
  std::string_view text = sql.substr(token.offset, token.length);
  switch (token.kind) {
    case ShapeLiteral::Kind::kInteger: {
      const auto* lit = std::get_if<ast::IntLiteral>(&node.node);
      int64_t value = IntegerValue(text);
      return lit != nullptr && lit->value == (negated ? -value : value);
    }
    case ShapeLiteral::Kind::kNumeric: {
      const auto* lit = std::get_if<ast::NumericLiteral>(&node.node);
      return lit != nullptr && (negated ? lit->text.size() == text.size() + 1 &&
                                              lit->text[0] == '-' && lit->text.substr(1) == text
                                        : lit->text == text);
    }
    case ShapeLiteral::Kind::kString: {
      const auto* lit = std::get_if<ast::StringLiteral>(&node.node);
      return !negated && lit != nullptr && lit->value == StringLiteralValue(text);
    }
  }
  return false;
}

// Writes token's value (negated when asked) into the literal node.
void SetTokenValue(ast::Expr& node, std::string_view sql, const ShapeLiteral& token, bool negated) {
  std::string_view text = sql.substr(token.offset, token.length);
  switch (token.kind) {
    case ShapeLiteral::Kind::kInteger: {
      int64_t value = IntegerValue(text);
      std::get<ast::IntLiteral>(node.node).value = negated ? -value : value;
      return;
    }
    case ShapeLiteral::Kind::kNumeric: {
      std::string& out = std::get<ast::NumericLiteral>(node.node).text;
      out.clear();
      if (negated) out.push_back('-');
      out.append(text);
      return;
    }
    case ShapeLiteral::Kind::kString:
      std::get<ast::StringLiteral>(node.node).value = StringLiteralValue(text);
      return;
  }
}

// Statements with no location field: nothing in them moves when literals before them change
// length.
bool HasNoLocations(const ast::Statement& s) {
  return std::holds_alternative<ast::Transaction>(s) ||
         std::holds_alternative<ast::SetVariable>(s) ||
         std::holds_alternative<ast::ShowVariable>(s) ||
         std::holds_alternative<ast::Checkpoint>(s) || std::holds_alternative<ast::Vacuum>(s) ||
         std::holds_alternative<ast::CreateDatabase>(s) ||
         std::holds_alternative<ast::DropDatabase>(s);
}

// Maps byte positions of the old string to the new one: the two differ only inside literal
// tokens, so a position moves by how much the tokens before it grew or shrank. Its tables live in
// buffers the cache keeps (a lookup that hits allocates nothing for them).
class Shift {
 public:
  Shift(const std::vector<ShapeLiteral>& before, const std::vector<ShapeLiteral>& after,
        std::vector<uint32_t>& starts, std::vector<int64_t>& deltas)
      : starts_(starts), deltas_(deltas) {
    int64_t delta = 0;
    starts_.clear();
    deltas_.clear();
    for (size_t i = 0; i < before.size(); ++i) {
      delta += int64_t{after[i].length} - int64_t{before[i].length};
      if (delta != 0 || !deltas_.empty()) {
        starts_.push_back(before[i].offset);
        deltas_.push_back(delta);
      }
    }
  }
  bool moves() const { return !deltas_.empty(); }
  int operator()(int position) const {
    if (position < 0 || starts_.empty()) return position;
    // The last token starting before position decides.
    auto it = std::lower_bound(starts_.begin(), starts_.end(), static_cast<uint32_t>(position));
    if (it == starts_.begin()) return position;
    return static_cast<int>(position + deltas_[static_cast<size_t>(it - starts_.begin()) - 1]);
  }

 private:
  std::vector<uint32_t>& starts_;  // old offsets of the tokens from the first that changed length
  std::vector<int64_t>& deltas_;   // cumulative growth up to and including that token
};

}  // namespace

ParseCache::ParseCache(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}
ParseCache::~ParseCache() = default;

Result<std::vector<ParsedStatement>*> ParseCache::Parse(std::string_view sql) {
  if (std::vector<ParsedStatement>* hit = Lookup(sql)) return hit;
  return Insert(sql, sql::Parse(sql));
}

std::vector<ParsedStatement>* ParseCache::Lookup(std::string_view sql) {
  shaped_ = sql.size() <= kMaxQueryBytes && ShapeOf(sql, &shape_);
  if (shaped_) {
    auto it = entries_.find(shape_.key);
    if (it != entries_.end()) {
      ++hits_;
      Rebind(*it->second, sql);
      return &it->second->statements;
    }
  }
  ++misses_;
  return nullptr;
}

Result<std::vector<ParsedStatement>*> ParseCache::Insert(
    std::string_view sql, Result<std::vector<ParsedStatement>> parsed) {
  if (!parsed) return tl::unexpected<Error>(std::move(parsed.error()));
  std::vector<ParsedStatement>& statements = *parsed;
  if (shaped_) {
    if (std::unique_ptr<Entry> entry = BuildEntry(sql, statements)) {
      entry->statements = std::move(statements);
      if (entries_.size() >= capacity_ || total_bytes_ + shape_.key.size() > kMaxTotalBytes) {
        entries_.clear();
        total_bytes_ = 0;
      }
      total_bytes_ += shape_.key.size();
      auto [it, inserted] = entries_.emplace(shape_.key, std::move(entry));
      return &it->second->statements;
    }
  }
  uncached_ = std::move(statements);
  return &uncached_;
}

std::string ParseCache::Skeleton(std::string_view sql) const {
  if (sql.size() <= kMaxQueryBytes) return {};
  // A shape of its own, not shape_: its key can be as long as sql, and shape_ keeps its buffers.
  QueryShape shape;
  if (!ShapeOf(sql, &shape)) return {};
  std::string skeleton;
  size_t copied = 0;
  for (const ShapeLiteral& literal : shape.literals) {
    if (literal.kind != ShapeLiteral::Kind::kString || literal.length <= kSkeletonLiteralBytes) {
      continue;
    }
    if (skeleton.size() + (literal.offset - copied) + 2 > kMaxQueryBytes) return {};
    skeleton.append(sql.substr(copied, literal.offset - copied));
    skeleton.append("''");
    copied = size_t{literal.offset} + literal.length;
  }
  if (copied == 0 || skeleton.size() + (sql.size() - copied) > kMaxQueryBytes) return {};
  skeleton.append(sql.substr(copied));
  return skeleton;
}

std::vector<ParsedStatement>* ParseCache::InsertSkeleton(
    std::string_view skeleton, std::string_view sql, Result<std::vector<ParsedStatement>> parsed) {
  if (!parsed || !ShapeOf(skeleton, &shape_)) return nullptr;
  std::unique_ptr<Entry> entry = BuildEntry(skeleton, *parsed);
  if (!entry) return nullptr;
  entry->statements = std::move(*parsed);
  const std::string key = shape_.key;
  if (!ShapeOf(sql, &shape_) || shape_.key != key) return nullptr;  // not of one shape after all
  Rebind(*entry, sql);
  // sql's key is short (the skeleton's), so shape_ keeps no long buffer; the literal offsets are
  // the only part that grew, with the literals.
  uncached_ = std::move(entry->statements);
  shaped_ = false;
  // These statements run once and are dropped (ReleaseUncached): their long literals may be
  // taken by the binder rather than copied.
  AstVisitor single_use;
  single_use.location = [](int&) {};
  single_use.expr = [](ast::Expr& e) {
    if (auto* literal = std::get_if<ast::StringLiteral>(&e.node)) {
      literal->single_use = literal->value.size() > kSkeletonLiteralBytes;
    }
  };
  for (ParsedStatement& statement : uncached_) {
    if (statement.statement) WalkStatement(*statement.statement, single_use);
  }
  return &uncached_;
}

std::unique_ptr<ParseCache::Entry> ParseCache::BuildEntry(
    std::string_view sql, std::vector<ParsedStatement>& statements) {
  auto entry = std::make_unique<Entry>();
  entry->literals = shape_.literals;
  const std::vector<ShapeLiteral>& literals = entry->literals;
  std::vector<bool> used(literals.size(), false);
  bool ok = true;
  AstVisitor visitor;
  visitor.location = [](int&) {};
  visitor.expr = [&](ast::Expr& e) {
    if (!ok || !IsLiteralNode(e)) return;
    bool negated = false;
    int token = TokenAt(literals, e.location);
    if (token < 0) {
      token = NegatedTokenAt(sql, literals, e.location);
      negated = true;
    }
    if (token < 0 || !HoldsTokenValue(e, sql, literals[static_cast<size_t>(token)], negated)) {
      ok = false;
      return;
    }
    used[static_cast<size_t>(token)] = true;
    entry->slots.push_back(Entry::Slot{static_cast<uint32_t>(token), negated});
  };
  for (ParsedStatement& parsed : statements) {
    if (!parsed.statement) return nullptr;  // keep the error path simple: parse again
    if (literals.empty()) continue;
    if (!WalkStatement(*parsed.statement, visitor) && !HasNoLocations(*parsed.statement)) {
      return nullptr;
    }
    if (!ok) return nullptr;
  }
  if (std::find(used.begin(), used.end(), false) != used.end()) return nullptr;
  return entry;
}

void ParseCache::Rebind(Entry& entry, std::string_view sql) {
  const std::vector<ShapeLiteral>& now = shape_.literals;
  const Shift shift(entry.literals, now, shift_starts_, shift_deltas_);
  const bool moves = shift.moves();
  if (!now.empty()) {
    // The visitor's closures capture one pointer each, which std::function holds without
    // allocating (a closure of several references would be allocated on every hit).
    struct State {
      Entry& entry;
      std::string_view sql;
      const std::vector<ShapeLiteral>& now;
      const Shift& shift;
      bool moves;
      size_t next_slot;
    } state{entry, sql, now, shift, moves, 0};
    AstVisitor visitor;
    visitor.location = [st = &state](int& location) {
      if (st->moves) location = st->shift(location);
    };
    visitor.expr = [st = &state](ast::Expr& e) {
      if (IsLiteralNode(e)) {
        const Entry::Slot& slot = st->entry.slots[st->next_slot++];
        SetTokenValue(e, st->sql, st->now[slot.token], slot.negated);
      }
      if (st->moves) e.location = st->shift(e.location);
    };
    for (ParsedStatement& parsed : entry.statements) WalkStatement(*parsed.statement, visitor);
  }
  for (ParsedStatement& parsed : entry.statements) {
    const int begin = shift(parsed.offset);
    const int end = shift(parsed.offset + parsed.length);
    parsed.offset = begin;
    parsed.length = end - begin;
  }
  entry.literals = now;
}

}  // namespace sqlrite::engine::sql
