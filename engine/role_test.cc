// Roles through the engine's facade: CREATE / ALTER / DROP ROLE with PostgreSQL's errors, the
// records they leave in the global file, and older directories' records.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "engine/data_dir.h"
#include "engine/engine.h"
#include "engine/role_catalog.h"
#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"
#include "storage/btree.h"
#include "storage/pager.h"

namespace sqlrite::engine {
namespace {

// A SCRAM secret as the server leaves it after hashing 'pencil' (RFC 7677's salt).
constexpr const char* kSecret =
    "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=";

class RoleTest : public testing::ClusterTest {
 protected:
  // Reopens the cluster as a first start with superuser_secret would leave it.
  void OpenWithSecret(std::optional<std::string> superuser_secret) {
    options_.superuser_secret = std::move(superuser_secret);
    Open();
  }
  // The role's value bytes in the global file, read with the cluster closed.
  std::optional<std::string> RawRecord(const std::string& name) {
    CloseCluster();
    std::optional<std::string> value;
    {
      auto global =
          OpenPagerWithWal(GlobalPath(dir_), storage::Pager::Options(), OpenIntent::kReadOnly);
      EXPECT_TRUE(global) << global.error().message;
      if (global) {
        auto got = RolesTree(**global).Get(name);
        EXPECT_TRUE(got);
        if (got) value = *got;
      }
    }
    Open();
    return value;
  }
};

TEST_F(RoleTest, CreateRoleStoresTheSecretAsGiven) {
  QueryResult r = Ok(std::string("CREATE ROLE alice LOGIN PASSWORD '") + kSecret + "'");
  EXPECT_EQ(r.command_tag, "CREATE ROLE");
  auto credentials = cluster_->LookupCredentials("alice");
  ASSERT_TRUE(credentials);
  EXPECT_TRUE(credentials->exists);
  EXPECT_TRUE(credentials->login);
  EXPECT_EQ(credentials->secret, std::string(kSecret));
  EXPECT_EQ(credentials->mock_secret.size(), 16u);
  // The file holds version 1, LOGIN (no SUPERUSER, not bootstrap), the secret: nothing else.
  EXPECT_EQ(RawRecord("alice"), std::string("\x01\x05", 2) + kSecret);
}

TEST_F(RoleTest, CreateUserImpliesLoginAndRoleDoesNot) {
  Ok("CREATE USER u1");
  Ok("CREATE ROLE r1");
  Ok("CREATE USER u2 WITH NOLOGIN SUPERUSER");
  EXPECT_TRUE(cluster_->LookupCredentials("u1")->login);
  EXPECT_FALSE(cluster_->LookupCredentials("r1")->login);
  EXPECT_FALSE(cluster_->LookupCredentials("u2")->login);
  Error e = Err("CREATE ROLE r1");
  EXPECT_EQ(e.sqlstate, "42710");
  EXPECT_EQ(e.message, "role \"r1\" already exists");
  Error nologin = cluster_->Connect("r1", "postgres", {}).error();
  EXPECT_EQ(nologin.sqlstate, "28000");
  EXPECT_EQ(nologin.message, "role \"r1\" is not permitted to log in");
}

TEST_F(RoleTest, PasswordsOtherThanSecretsAreNeverStored) {
  Error md5 = Err("CREATE ROLE m PASSWORD 'md5" + std::string(32, 'a') + "'");
  EXPECT_EQ(md5.sqlstate, "0A000");
  // Plain text is hashed by the server before the engine; reaching it is a bug, refused.
  EXPECT_EQ(Err("CREATE ROLE p PASSWORD 'pencil'").sqlstate, "XX000");
  EXPECT_FALSE(cluster_->LookupCredentials("p")->exists);
  QueryResult empty = Ok("CREATE ROLE e PASSWORD ''");
  ASSERT_EQ(empty.notices.size(), 1u);
  EXPECT_EQ(empty.notices[0].message, "empty string is not a valid password, clearing password");
  EXPECT_FALSE(cluster_->LookupCredentials("e")->secret);
  Ok(std::string("ALTER ROLE e PASSWORD '") + kSecret + "'");
  EXPECT_TRUE(cluster_->LookupCredentials("e")->secret);
  Ok("ALTER USER e WITH PASSWORD NULL");
  EXPECT_FALSE(cluster_->LookupCredentials("e")->secret);
  EXPECT_EQ(RawRecord("e"), std::string("\x01\x00", 2));
}

TEST_F(RoleTest, AlterAndDropFollowPostgres) {
  EXPECT_EQ(Ok("ALTER ROLE postgres PASSWORD NULL").command_tag, "ALTER ROLE");
  Error missing = Err("ALTER ROLE nobody LOGIN");
  EXPECT_EQ(missing.sqlstate, "42704");
  EXPECT_EQ(missing.message, "role \"nobody\" does not exist");
  Ok("CREATE ROLE a; CREATE ROLE b");
  QueryResult dropped = Ok("DROP ROLE IF EXISTS a, ghost, b");
  EXPECT_EQ(dropped.command_tag, "DROP ROLE");
  ASSERT_EQ(dropped.notices.size(), 1u);
  EXPECT_EQ(dropped.notices[0].message, "role \"ghost\" does not exist, skipping");
  EXPECT_FALSE(cluster_->LookupCredentials("a")->exists);
  EXPECT_EQ(Err("DROP ROLE a").message, "role \"a\" does not exist");
  Error self = Err("DROP USER postgres");
  EXPECT_EQ(self.sqlstate, "55006");
  EXPECT_EQ(self.message, "current user cannot be dropped");
  Error reserved = Err("CREATE ROLE pg_x");
  EXPECT_EQ(reserved.sqlstate, "42939");
  Error conflicting = Err("CREATE ROLE c LOGIN NOLOGIN");
  EXPECT_EQ(conflicting.sqlstate, "42601");
  EXPECT_EQ(conflicting.message, "conflicting or redundant options");
  EXPECT_EQ(Err("CREATE ROLE c CREATEDB").sqlstate, "0A000");
  EXPECT_EQ(Err("BEGIN; CREATE ROLE c").sqlstate, "25001");
  Ok("ROLLBACK");
}

TEST_F(RoleTest, OrdinaryRolesMayOnlyChangeTheirOwnPassword) {
  Ok("CREATE USER alice; CREATE USER bob; CREATE ROLE boss SUPERUSER LOGIN");
  auto alice = cluster_->Connect("alice", "postgres", {});
  ASSERT_TRUE(alice);
  EXPECT_EQ(Err("CREATE ROLE x", alice->get()).message, "permission denied to create role");
  EXPECT_EQ(Err("CREATE ROLE x SUPERUSER", alice->get()).message,
            "must be superuser to create superusers");
  EXPECT_EQ(Err("ALTER ROLE bob PASSWORD NULL", alice->get()).message, "permission denied");
  EXPECT_EQ(Err("ALTER ROLE alice NOLOGIN", alice->get()).message, "permission denied");
  EXPECT_EQ(Err("ALTER ROLE boss PASSWORD NULL", alice->get()).message,
            "must be superuser to alter superuser roles or change superuser attribute");
  EXPECT_EQ(Err("DROP ROLE bob", alice->get()).message, "permission denied to drop role");
  EXPECT_EQ(
      Ok(std::string("ALTER ROLE alice PASSWORD '") + kSecret + "'", alice->get()).command_tag,
      "ALTER ROLE");
  EXPECT_EQ(Ok(std::string("ALTER ROLE CURRENT_USER PASSWORD NULL"), alice->get()).command_tag,
            "ALTER ROLE");
  EXPECT_EQ(cluster_->StartupParameters(**alice)[9],
            (std::pair<std::string, std::string>("is_superuser", "off")));
  cluster_->Disconnect(**alice);
  // The bootstrap superuser stays one, and stays.
  auto boss = cluster_->Connect("boss", "postgres", {});
  ASSERT_TRUE(boss);
  EXPECT_EQ(Err("ALTER ROLE postgres NOSUPERUSER", boss->get()).message,
            "permission denied: bootstrap user must be superuser");
  Error pinned = Err("DROP ROLE postgres", boss->get());
  EXPECT_EQ(pinned.sqlstate, "2BP01");
  EXPECT_EQ(pinned.message,
            "cannot drop role postgres because it is required by the database system");
  cluster_->Disconnect(**boss);
}

TEST_F(RoleTest, RolesSurviveARestart) {
  Ok(std::string("CREATE USER alice PASSWORD '") + kSecret + "'");
  CloseCluster();
  Open();
  EXPECT_EQ(cluster_->LookupCredentials("alice")->secret, std::string(kSecret));
}

TEST_F(RoleTest, BootstrapPasswordIsSetAtInitOnly) {
  CloseCluster();
  std::filesystem::remove_all(dir_);
  OpenWithSecret(std::string(kSecret));
  EXPECT_EQ(cluster_->LookupCredentials("postgres")->secret, std::string(kSecret));
  Ok("ALTER ROLE postgres PASSWORD NULL");
  CloseCluster();
  OpenWithSecret(std::string(kSecret));  // a later start does not put it back
  EXPECT_FALSE(cluster_->LookupCredentials("postgres")->secret);
}

// A directory made before role records existed holds "" for its superuser.
TEST_F(RoleTest, AnOlderDirectorysEmptyRecordIsTheSuperuserWithoutPassword) {
  CloseCluster();
  {
    storage::Pager::Options options;
    auto global = OpenPagerWithWal(GlobalPath(dir_), options, OpenIntent::kOpen);
    ASSERT_TRUE(global) << global.error().message;
    ASSERT_TRUE(RolesTree(**global).Insert("postgres", "", /*overwrite=*/true));
    ASSERT_TRUE((*global)->Commit());
    ASSERT_TRUE((*global)->Close());
  }
  Open();
  auto credentials = cluster_->LookupCredentials("postgres");
  ASSERT_TRUE(credentials);
  EXPECT_TRUE(credentials->login);
  EXPECT_FALSE(credentials->secret);
  EXPECT_EQ(cluster_->StartupParameters(*session_)[9],
            (std::pair<std::string, std::string>("is_superuser", "on")));
  Ok("CREATE ROLE x");  // still a superuser
}

TEST(RoleRecordTest, CodecRoundTripsAndRejectsDamage) {
  RoleRecord role;
  role.login = false;
  role.superuser = true;
  role.bootstrap = false;
  role.secret = kSecret;
  auto decoded = DecodeRoleRecord(EncodeRoleRecord(role));
  ASSERT_TRUE(decoded);
  EXPECT_FALSE(decoded->login);
  EXPECT_TRUE(decoded->superuser);
  EXPECT_EQ(decoded->secret, std::string(kSecret));
  EXPECT_EQ(DecodeRoleRecord(std::string("\x02\x00", 2)).error().sqlstate, "XX001");
  EXPECT_EQ(DecodeRoleRecord(std::string("\x01\x04", 2)).error().sqlstate, "XX001");
  EXPECT_EQ(DecodeRoleRecord(std::string("\x01\x40", 2)).error().sqlstate, "XX001");
}

}  // namespace
}  // namespace sqlrite::engine
