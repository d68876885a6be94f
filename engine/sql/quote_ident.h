#pragma once
// QuoteIdent: PostgreSQL's quote_identifier. A name is printed bare when it is a lower-case
// identifier (a-z, 0-9, _, not starting with a digit) and not one of the keywords quote_ident
// must quote; else in double quotes, each " doubled. Used where PostgreSQL prints names
// (quote_ident, the catalogs' deparsed texts, SET of a list setting such as search_path).

#include <string>
#include <string_view>

namespace sqlrite::engine::sql {

std::string QuoteIdent(std::string_view name);

}  // namespace sqlrite::engine::sql
