#include "server/config.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <vector>

namespace sqlrite::server {
namespace {

constexpr const char* kEnvVars[] = {"SQLRITE_LISTEN",
                                    "SQLRITE_PORT",
                                    "SQLRITE_DATA_DIR",
                                    "SQLRITE_LOG_LEVEL",
                                    "SQLRITE_MAX_CONNECTIONS",
                                    "SQLRITE_SUPERUSER",
                                    "SQLRITE_CACHE_SIZE",
                                    "SQLRITE_SYNCHRONOUS",
                                    "SQLRITE_SUPERUSER_RESERVED_CONNECTIONS",
                                    "SQLRITE_AUTH",
                                    "SQLRITE_PASSWORD",
                                    "SQLRITE_PASSWORD_FILE"};

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v : kEnvVars) ::unsetenv(v);
  }
  void TearDown() override { SetUp(); }

  static CommandLine Parse(std::initializer_list<const char*> args) {
    std::vector<const char*> argv = {"sqlrited"};
    argv.insert(argv.end(), args.begin(), args.end());
    return ParseCommandLine(static_cast<int>(argv.size()), argv.data());
  }
};

TEST_F(ConfigTest, Defaults) {
  CommandLine cl = Parse({});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.listen, "127.0.0.1");
  EXPECT_EQ(cl.config.port, 5432);
  EXPECT_EQ(cl.config.data_dir, "./data");
  EXPECT_EQ(cl.config.log_level, "info");
  EXPECT_EQ(cl.config.max_connections, 100u);
  EXPECT_EQ(cl.config.superuser, "postgres");
  EXPECT_EQ(cl.config.cache_mib, 64u);
  EXPECT_EQ(cl.config.synchronous, "full");
  EXPECT_FALSE(cl.config.check);
}

TEST_F(ConfigTest, SynchronousAndCacheSize) {
  CommandLine cl = Parse({"--synchronous", "normal", "--cache-size", "16"});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.synchronous, "normal");
  EXPECT_EQ(cl.config.cache_mib, 16u);
  ::setenv("SQLRITE_SYNCHRONOUS", "off", 1);
  ::setenv("SQLRITE_CACHE_SIZE", "32", 1);
  cl = Parse({});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.synchronous, "off");
  EXPECT_EQ(cl.config.cache_mib, 32u);
  cl = Parse({"--synchronous=full"});
  EXPECT_EQ(cl.config.synchronous, "full");
  cl = Parse({"--synchronous", "sometimes"});
  EXPECT_GT(cl.exit_code, 0);
  EXPECT_NE(cl.output.find("--synchronous"), std::string::npos) << cl.output;
}

TEST_F(ConfigTest, CheckAsSubcommandOrFlag) {
  CommandLine cl = Parse({"check", "-D", "/tmp/d"});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_TRUE(cl.config.check);
  EXPECT_EQ(cl.config.data_dir, "/tmp/d");
  cl = Parse({"-D", "/tmp/e", "check"});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_TRUE(cl.config.check);
  EXPECT_EQ(cl.config.data_dir, "/tmp/e");
  cl = Parse({"--check", "--data-dir=/tmp/f"});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_TRUE(cl.config.check);
  EXPECT_EQ(cl.config.data_dir, "/tmp/f");
}

TEST_F(ConfigTest, HelpDocumentsDurabilityAndCacheFlags) {
  CommandLine cl = Parse({"--help"});
  ASSERT_EQ(cl.exit_code, 0);
  for (const char* word :
       {"--synchronous", "SQLRITE_SYNCHRONOUS", "--cache-size", "MiB", "--check", "check"}) {
    EXPECT_NE(cl.output.find(word), std::string::npos) << word;
  }
}

TEST_F(ConfigTest, LongAndShortFlags) {
  CommandLine cl = Parse({"--listen", "0.0.0.0", "-p", "0", "-D", "/tmp/x", "--log-level", "debug",
                          "--max-connections", "7", "--superuser", "admin", "--cache-size", "8"});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.listen, "0.0.0.0");
  EXPECT_EQ(cl.config.port, 0);
  EXPECT_EQ(cl.config.data_dir, "/tmp/x");
  EXPECT_EQ(cl.config.log_level, "debug");
  EXPECT_EQ(cl.config.max_connections, 7u);
  EXPECT_EQ(cl.config.superuser, "admin");
  EXPECT_EQ(cl.config.cache_mib, 8u);
  cl = Parse({"--port=6543", "--data-dir=/d"});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.port, 6543);
  EXPECT_EQ(cl.config.data_dir, "/d");
}

TEST_F(ConfigTest, EnvironmentFallback) {
  ::setenv("SQLRITE_LISTEN", "::1", 1);
  ::setenv("SQLRITE_PORT", "7000", 1);
  ::setenv("SQLRITE_DATA_DIR", "/env/dir", 1);
  ::setenv("SQLRITE_LOG_LEVEL", "warn", 1);
  ::setenv("SQLRITE_MAX_CONNECTIONS", "3", 1);
  ::setenv("SQLRITE_SUPERUSER", "root", 1);
  CommandLine cl = Parse({});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.listen, "::1");
  EXPECT_EQ(cl.config.port, 7000);
  EXPECT_EQ(cl.config.data_dir, "/env/dir");
  EXPECT_EQ(cl.config.log_level, "warn");
  EXPECT_EQ(cl.config.max_connections, 3u);
  EXPECT_EQ(cl.config.superuser, "root");
}

TEST_F(ConfigTest, FlagWinsOverEnvironment) {
  ::setenv("SQLRITE_PORT", "7000", 1);
  CommandLine cl = Parse({"-p", "7001"});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.port, 7001);
}

TEST_F(ConfigTest, VersionAndHelpExitZero) {
  CommandLine cl = Parse({"--version"});
  EXPECT_EQ(cl.exit_code, 0);
  EXPECT_EQ(cl.output, "sqlrited (SQLRite) 0.1.0\n");
  cl = Parse({"--help"});
  EXPECT_EQ(cl.exit_code, 0);
  EXPECT_NE(cl.output.find("--data-dir"), std::string::npos);
  EXPECT_NE(cl.output.find("--max-connections"), std::string::npos);
}

TEST_F(ConfigTest, BadValuesFail) {
  EXPECT_GT(Parse({"--log-level", "loud"}).exit_code, 0);
  EXPECT_GT(Parse({"-p", "70000"}).exit_code, 0);
  EXPECT_GT(Parse({"-p", "abc"}).exit_code, 0);
  EXPECT_GT(Parse({"--max-connections", "0"}).exit_code, 0);
  EXPECT_GT(Parse({"--no-such-flag"}).exit_code, 0);
  ::setenv("SQLRITE_PORT", "nope", 1);
  EXPECT_GT(Parse({}).exit_code, 0);
}

TEST_F(ConfigTest, SuperuserReservedConnections) {
  EXPECT_EQ(Parse({}).config.superuser_reserved_connections, 3u);  // PostgreSQL's default
  CommandLine cl = Parse({"--max-connections", "10", "--superuser-reserved-connections", "5"});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.superuser_reserved_connections, 5u);
  ::setenv("SQLRITE_SUPERUSER_RESERVED_CONNECTIONS", "0", 1);
  EXPECT_EQ(Parse({}).config.superuser_reserved_connections, 0u);
  ::unsetenv("SQLRITE_SUPERUSER_RESERVED_CONNECTIONS");
  // As PostgreSQL: the reserve must leave a slot for everyone else...
  cl = Parse({"--max-connections", "3", "--superuser-reserved-connections", "3"});
  EXPECT_EQ(cl.exit_code, 2);
  EXPECT_EQ(cl.output,
            "superuser_reserved_connections (3) must be less than max_connections (3)\n");
  // ...but the default shrinks to fit a small --max-connections instead of refusing to start.
  cl = Parse({"--max-connections", "2"});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.superuser_reserved_connections, 1u);
}

TEST_F(ConfigTest, AuthMethodFromFlagOrEnvironment) {
  EXPECT_EQ(Parse({}).config.auth, "default");
  EXPECT_EQ(Parse({"--auth", "trust"}).config.auth, "trust");
  ::setenv("SQLRITE_AUTH", "scram-sha-256", 1);
  EXPECT_EQ(Parse({}).config.auth, "scram-sha-256");
  EXPECT_NE(Parse({"--auth", "md5"}).exit_code, -1);
}

TEST_F(ConfigTest, BootstrapPasswordFromFileOrEnvironmentNotBoth) {
  char tmpl[] = "/tmp/sqlrite_config_test_XXXXXX";
  int fd = ::mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  ::close(fd);
  { std::ofstream(tmpl) << "from-file\r\nsecond line\n"; }
  CommandLine cl = Parse({"--password-file", tmpl});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  auto password = BootstrapPassword(cl.config);
  ASSERT_TRUE(password);
  EXPECT_EQ(*password, std::optional<std::string>("from-file"));

  ::setenv("SQLRITE_PASSWORD", "from-env", 1);
  EXPECT_EQ(Parse({"--password-file", tmpl}).exit_code, 2);
  cl = Parse({});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(*BootstrapPassword(cl.config), std::optional<std::string>("from-env"));
  ::unsetenv("SQLRITE_PASSWORD");
  EXPECT_EQ(*BootstrapPassword(Parse({}).config), std::nullopt);

  { std::ofstream(tmpl) << "\nsecond\n"; }
  EXPECT_EQ(BootstrapPassword(Parse({"--password-file", tmpl}).config).error().sqlstate,
            std::string("22023"));
  ::unlink(tmpl);
  EXPECT_EQ(BootstrapPassword(Parse({"--password-file", tmpl}).config).error().sqlstate,
            std::string("58030"));
}

}  // namespace
}  // namespace sqlrite::server
