#include "server/auth_policy.h"

namespace sqlrite::server {

AuthMethod ParseAuthMethod(std::string_view name) {
  if (name == "trust") return AuthMethod::kTrust;
  if (name == "scram-sha-256") return AuthMethod::kScramSha256;
  return AuthMethod::kDefault;
}

PeerKind ClassifyPeer(const asio::ip::tcp::endpoint& remote) {
  const asio::ip::address address = remote.address();
  if (address.is_loopback()) return PeerKind::kLoopback;
  // An IPv4 loopback address seen through a dual-stack socket (::ffff:127.0.0.1).
  if (address.is_v6() && address.to_v6().is_v4_mapped() &&
      asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).is_loopback()) {
    return PeerKind::kLoopback;
  }
  return PeerKind::kRemote;
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
  return peer != PeerKind::kLoopback;
}

}  // namespace sqlrite::server
