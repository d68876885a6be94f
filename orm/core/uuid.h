#pragma once
// UUIDs the ORM generates for fields declared uuid_v4 / uuid_v7 (orm/field.h), and the text form
// of a Uuid (orm/core/value.h): canonical lowercase 8-4-4-4-12 hex digits, what the pgwire driver
// sends as a uuid parameter and the SQLite driver stores (TEXT: readable in the sqlite3 shell,
// and its bytewise order is the bytes' order, PostgreSQL's uuid order). Generated on the client, as
// Toasty does: the same code path on every backend, and the value is known before the INSERT is
// sent.
//   v4 (RFC 9562 section 5.4): 122 random bits.
//   v7 (RFC 9562 section 5.7): 48 bits of Unix milliseconds, then random bits, so a key made in a
//      later millisecond sorts after an earlier one (index locality, pagination by key). Within
//      one thread, keys of the same millisecond also increase: the 12 bits after the timestamp
//      are a counter seeded at random each millisecond (RFC 9562 section 6.2, method 1).
// Thread-safe: each thread has its own generator, seeded from std::random_device.

#include <string>
#include <string_view>

#include "orm/core/error.h"
#include "orm/core/value.h"

namespace sqlrite::orm {

Uuid NewUuidV4();
Uuid NewUuidV7();

std::string FormatUuid(const Uuid& u);
// The canonical form, upper-case digits, braces, or no hyphens (PostgreSQL's inputs); 22P02 else.
Result<Uuid> ParseUuid(std::string_view text);

}  // namespace sqlrite::orm
