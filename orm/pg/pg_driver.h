#pragma once
// The pgwire driver over libpq: one driver for PostgreSQL 15 and for sqlrited, which differ only
// in their Capability profile (Capability::Postgresql(), Capability::Sqlrited()).
//
// URLs: `postgresql://...` and `postgres://...` are libpq connection URIs, passed to libpq as they
// are (host, port, user, password, dbname, ?sslmode=... and every other libpq parameter) and
// served with PostgreSQL's profile; `sqlrite://...` is the same URI for sqlrited (its scheme
// becomes `postgresql://`) with sqlrited's profile. A connect_timeout of 10 s applies unless the
// URI sets one, so an unreachable host is an 08001 error, never a hang.
//
// Each connection runs SQL through the extended protocol (parameters never spliced into the
// text): a SQL text seen for the first time goes out with PQexecParams (one round trip, unnamed
// statement); from its second use it is prepared once under a name (PQprepare) and executed with
// PQexecPrepared. The cache is keyed by the text and the parameters' types and holds at most
// kMaxPreparedStatements per connection; past that, new texts stay unnamed. A prepared statement
// the server dropped (26000) is prepared again, at once when outside a transaction. Parameters are
// sent in text form with their types (bool, int8, float8, text; NULL untyped), results are read in
// text form and mapped by column type: bool -> bool, int2/int4/int8/oid -> int64, float4/float8 ->
// double, everything else (numeric, text, varchar, dates, ...) -> text. A server error becomes an
// orm::Error with the server's SQLSTATE and primary message; a lost connection is 08006 and the
// connection reports itself not reusable (a pool drops it).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "orm/core/driver.h"

namespace sqlrite::orm::pg {

inline constexpr std::size_t kMaxPreparedStatements = 256;

// What a pgwire URL means: the libpq conninfo URI and the backend's profile.
struct PgTarget {
  std::string conninfo;
  bool sqlrited = false;
};

// Fails with 22023 for a URL that is none of the three schemes.
Result<PgTarget> ParsePgUrl(std::string_view url);

// Checks the URL (libpq parses it: a malformed URI is 22023); connections are made by
// Driver::Connect.
Result<std::unique_ptr<Driver>> OpenPg(std::string_view url);

}  // namespace sqlrite::orm::pg
