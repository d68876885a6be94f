#include "server/auth_policy.h"

namespace sqlrite::server {

AuthMethod ParseAuthMethod(std::string_view name) {
  if (name == "trust") return AuthMethod::kTrust;
  if (name == "scram-sha-256") return AuthMethod::kScramSha256;
  return AuthMethod::kDefault;
}

bool NeedsPassword(AuthMethod method, PeerKind peer, const engine::Cluster::Credentials& role) {
  switch (method) {
    case AuthMethod::kTrust:
      return false;
    case AuthMethod::kScramSha256:
      return true;
    case AuthMethod::kDefault:
      break;
  }
  if (role.exists && role.secret) return true;
  // Loopback and the Unix socket are this machine (ConnectionStream says which).
  return peer == PeerKind::kRemote;
}

}  // namespace sqlrite::server
