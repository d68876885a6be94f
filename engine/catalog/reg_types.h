#pragma once
// The reg* types' input and output (regclass, regproc, regnamespace, regrole; regtype's output):
// a name to the oid of the object it names in the current statement's catalog
// (engine/catalog/system_source.h), and an oid back to its name. As PostgreSQL: a number is taken
// as the oid itself, "-" is 0 (and 0 prints as "-"), an oid naming nothing prints as the number.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "engine/types.h"

namespace sqlrite::engine::catalog {

// Errors: 42P01 (regclass), 42704 (regnamespace, regrole), 42883 (regproc) when nothing has the
// name; 0A000 outside a statement that can see a catalog.
Result<int64_t> RegInput(TypeId type, std::string_view text);
std::string RegOutput(TypeId type, int64_t oid);
// An enum type's name, or its array type's (mood[]), as format_type prints it: bare when the
// search path finds it, else qualified; nullopt when oid is neither (or outside a statement).
// visible: set to whether the name is unqualified.
std::optional<std::string> EnumTypeDisplayName(uint32_t oid, bool* visible = nullptr);

}  // namespace sqlrite::engine::catalog
