#pragma once
// UUIDs the ORM generates for fields declared uuid_v4 / uuid_v7 (orm/field.h), in the canonical
// lowercase text form (8-4-4-4-12 hex digits), which every backend stores as TEXT and PostgreSQL
// also accepts as a uuid literal. Generated on the client, as Toasty does: the same code path on
// every backend, and the value is known before the INSERT is sent.
//   v4 (RFC 9562 section 5.4): 122 random bits.
//   v7 (RFC 9562 section 5.7): 48 bits of Unix milliseconds, then random bits, so a key made in a
//      later millisecond sorts after an earlier one (index locality, pagination by key). Within
//      one thread, keys of the same millisecond also increase: the 12 bits after the timestamp
//      are a counter seeded at random each millisecond (RFC 9562 section 6.2, method 1).
// Thread-safe: each thread has its own generator, seeded from std::random_device.

#include <string>

namespace sqlrite::orm {

std::string NewUuidV4();
std::string NewUuidV7();

}  // namespace sqlrite::orm
