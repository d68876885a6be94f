#pragma once
// Who must prove a password (pg_hba.conf's basics, fixed by --auth):
//   trust          nobody;
//   scram-sha-256  everybody (a role without a password can then never log in, as in
//                  PostgreSQL with a scram-sha-256 line);
//   default        a role with a password must give it; a role without one (or an unknown
//                  name) is let in without one from the local machine only (loopback, and the
//                  Unix socket once there is one); from elsewhere it goes through a SCRAM
//                  exchange that cannot succeed, so it fails as a wrong password does
//                  (28P01), telling nothing about which roles exist.
// Pure: no I/O.

#include <asio/ip/tcp.hpp>
#include <string_view>

#include "engine/engine.h"

namespace sqlrite::server {

enum class AuthMethod { kDefault, kScramSha256, kTrust };

// Where a connection comes from. The one place that says what counts as local.
enum class PeerKind { kLoopback, kRemote };

// --auth's value ("default", "scram-sha-256", "trust"; the config checked it).
AuthMethod ParseAuthMethod(std::string_view name);

PeerKind ClassifyPeer(const asio::ip::tcp::endpoint& remote);

// True when the client must complete a SCRAM exchange before the session starts.
bool NeedsPassword(AuthMethod method, PeerKind peer, const engine::Cluster::Credentials& role);

}  // namespace sqlrite::server
