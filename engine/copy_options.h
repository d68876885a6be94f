#pragma once
// COPY's options, checked as PostgreSQL 15's ProcessCopyOptions checks them (same messages and
// SQLSTATEs), from the list the parser kept as written (engine/sql/ast.h, ast::CopyOption).

#include <string>
#include <vector>

#include "common/error.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

struct CopyOptions {
  bool csv = false;
  bool binary = false;
  enum class Header { kNone, kPresent, kMatch } header = Header::kNone;
  char delimiter = '\t';                    // text '\t', csv ','
  std::string null_string = "\\N";          // text "\N", csv ""
  char quote = '"';                         // csv only
  char escape = '"';                        // csv only; defaults to quote
  bool force_quote_all = false;             // FORCE_QUOTE *
  std::vector<std::string> force_quote;     // TO, csv
  std::vector<std::string> force_not_null;  // FROM, csv
  std::vector<std::string> force_null;      // FROM, csv
};

// Errors: 42601 for an unknown or repeated option, 22023 / 0A000 for values PostgreSQL refuses
// (a two-byte delimiter, QUOTE outside CSV, ...), each with PostgreSQL's message.
Result<CopyOptions> ProcessCopyOptions(const std::vector<ast::CopyOption>& options, bool is_from);

}  // namespace sqlrite::engine
