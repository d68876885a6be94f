#pragma once
// Who must prove a password (pg_hba.conf's basics, fixed by --auth):
//   trust          nobody;
//   scram-sha-256  everybody (a role without a password can then never log in, as in
//                  PostgreSQL with a scram-sha-256 line);
//   default        a role with a password must give it; a role without one (or an unknown
//                  name) is let in without one from the local machine only (loopback TCP or
//                  the Unix socket: PeerKind); from elsewhere it goes through a SCRAM
//                  exchange that cannot succeed, so it fails as a wrong password does
//                  (28P01), telling nothing about which roles exist.
// Pure: no I/O.

#include <string_view>

#include "engine/engine.h"
#include "server/connection_stream.h"

namespace sqlrite::server {

enum class AuthMethod { kDefault, kScramSha256, kTrust };

// --auth's value ("default", "scram-sha-256", "trust"; the config checked it).
AuthMethod ParseAuthMethod(std::string_view name);

// True when the client must complete a SCRAM exchange before the session starts.
bool NeedsPassword(AuthMethod method, PeerKind peer, const engine::Cluster::Credentials& role);

}  // namespace sqlrite::server
