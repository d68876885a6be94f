#pragma once
// PASSWORD 'x' in CREATE ROLE / ALTER ROLE: a plain-text password becomes a SCRAM-SHA-256 secret
// here, on the session's side, before the statement goes to the engine thread (PBKDF2's 4096
// iterations take milliseconds the engine thread must not spend). As PostgreSQL's
// encrypt_password: a valid SCRAM secret stays as given, as do '' (the engine clears the
// password with a NOTICE) and an md5 hash (the engine refuses it); anything else is plain text.

#include <vector>

#include "common/error.h"
#include "engine/sql/parser.h"

namespace sqlrite::server {

// Rewrites the passwords of statements in place. Errors: XX000 if the random generator fails.
Status HashRolePasswords(std::vector<engine::sql::ParsedStatement>& statements);

}  // namespace sqlrite::server
