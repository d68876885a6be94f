#pragma once
// The SQLite driver (libsqlite3). URLs: `sqlite::memory:` (a private in-memory database per
// connection) and `sqlite://path` (a file, created if absent; `sqlite:///abs/path` or
// `sqlite://rel/path`). Each connection turns on foreign keys, case-sensitive LIKE (PostgreSQL's
// LIKE semantics) and a 5 s busy timeout, and keeps its prepared statements by SQL text. SQLite's
// result codes map to PostgreSQL SQLSTATEs (UNIQUE / PRIMARY KEY 23505, NOT NULL 23502, FOREIGN
// KEY 23503, CHECK 23514; others by class).

#include <memory>
#include <string>
#include <string_view>

#include "orm/core/driver.h"

namespace sqlrite::orm::sqlite {

// Fails with 22023 for a URL that is not one of the two forms.
Result<std::unique_ptr<Driver>> OpenSqlite(std::string_view url);

}  // namespace sqlrite::orm::sqlite
