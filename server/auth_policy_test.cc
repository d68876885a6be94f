#include "server/auth_policy.h"

#include <gtest/gtest.h>

namespace sqlrite::server {
namespace {

engine::Cluster::Credentials Role(bool exists, bool has_password) {
  engine::Cluster::Credentials role;
  role.exists = exists;
  role.login = exists;
  if (has_password) role.secret = "SCRAM-SHA-256$4096:c2FsdA==$a2V5:a2V5";
  return role;
}

TEST(AuthPolicyTest, DefaultLetsRolesWithoutPasswordInFromThisMachineOnly) {
  for (PeerKind local : {PeerKind::kLoopback, PeerKind::kUnixSocket}) {
    EXPECT_FALSE(NeedsPassword(AuthMethod::kDefault, local, Role(true, false)));
    EXPECT_FALSE(NeedsPassword(AuthMethod::kDefault, local, Role(false, false)));
    EXPECT_TRUE(NeedsPassword(AuthMethod::kDefault, local, Role(true, true)));
  }
  EXPECT_TRUE(NeedsPassword(AuthMethod::kDefault, PeerKind::kRemote, Role(true, false)));
  EXPECT_TRUE(NeedsPassword(AuthMethod::kDefault, PeerKind::kRemote, Role(false, false)));
  EXPECT_TRUE(NeedsPassword(AuthMethod::kDefault, PeerKind::kRemote, Role(true, true)));
}

TEST(AuthPolicyTest, ScramAsksEveryoneTrustNobody) {
  for (PeerKind peer : {PeerKind::kLoopback, PeerKind::kUnixSocket, PeerKind::kRemote}) {
    for (bool has_password : {false, true}) {
      EXPECT_TRUE(NeedsPassword(AuthMethod::kScramSha256, peer, Role(true, has_password)));
      EXPECT_FALSE(NeedsPassword(AuthMethod::kTrust, peer, Role(true, has_password)));
    }
  }
  EXPECT_EQ(ParseAuthMethod("default"), AuthMethod::kDefault);
  EXPECT_EQ(ParseAuthMethod("scram-sha-256"), AuthMethod::kScramSha256);
  EXPECT_EQ(ParseAuthMethod("trust"), AuthMethod::kTrust);
}

}  // namespace
}  // namespace sqlrite::server
