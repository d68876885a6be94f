#include "server/config.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <vector>

#include "server/fd_limit.h"

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
                                    "SQLRITE_PASSWORD_FILE",
                                    "SQLRITE_TLS_CERT",
                                    "SQLRITE_TLS_KEY",
                                    "SQLRITE_TLS_CA",
                                    "SQLRITE_REQUIRE_TLS",
                                    "SQLRITE_UNIX_SOCKET_DIR",
                                    "SQLRITE_AUTHENTICATION_TIMEOUT",
                                    "SQLRITE_IO_THREADS",
                                    "SQLRITE_POINT_WRITERS",
                                    "SQLRITE_MAX_WAL_SIZE"};

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
  EXPECT_TRUE(cl.config.tls_cert.empty());
  EXPECT_TRUE(cl.config.tls_key.empty());
  EXPECT_FALSE(cl.config.require_tls);
  EXPECT_EQ(cl.config.unix_socket_dir, "/tmp");
}

TEST_F(ConfigTest, IoThreads) {
  CommandLine cl = Parse({});
  EXPECT_EQ(cl.config.io_threads, 0u);  // 0: one per hardware thread
  cl = Parse({"--io-threads", "6"});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.io_threads, 6u);
  ::setenv("SQLRITE_IO_THREADS", "3", 1);
  cl = Parse({});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.io_threads, 3u);
  cl = Parse({"--io-threads", "-1"});
  EXPECT_GT(cl.exit_code, 0);
}

TEST_F(ConfigTest, TlsFlags) {
  CommandLine cl = Parse({"--tls-cert", "/c.pem", "--tls-key", "/k.pem", "--tls-ca", "/ca.pem",
                          "--require-tls", "--unix-socket-dir", "/run/sqlrite"});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.tls_cert, "/c.pem");
  EXPECT_EQ(cl.config.tls_key, "/k.pem");
  EXPECT_EQ(cl.config.tls_ca, "/ca.pem");
  EXPECT_TRUE(cl.config.require_tls);
  EXPECT_EQ(cl.config.unix_socket_dir, "/run/sqlrite");
}

TEST_F(ConfigTest, TlsFromEnvironment) {
  ::setenv("SQLRITE_TLS_CERT", "/env.crt", 1);
  ::setenv("SQLRITE_TLS_KEY", "/env.key", 1);
  ::setenv("SQLRITE_REQUIRE_TLS", "1", 1);
  ::setenv("SQLRITE_UNIX_SOCKET_DIR", "/var/run", 1);
  CommandLine cl = Parse({"--tls-key", "/flag.key"});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.tls_cert, "/env.crt");
  EXPECT_EQ(cl.config.tls_key, "/flag.key");  // the flag wins
  EXPECT_TRUE(cl.config.require_tls);
  EXPECT_EQ(cl.config.unix_socket_dir, "/var/run");
}

TEST_F(ConfigTest, EmptyUnixSocketDirMeansNoSocket) {
  CommandLine cl = Parse({"--unix-socket-dir", ""});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.unix_socket_dir, "");
}

TEST_F(ConfigTest, TlsSettingsThatCannotWorkAreRefused) {
  CommandLine cert_only = Parse({"--tls-cert", "/c.pem"});
  EXPECT_EQ(cert_only.exit_code, 2);
  EXPECT_NE(cert_only.output.find("--tls-cert and --tls-key go together"), std::string::npos);
  CommandLine key_only = Parse({"--tls-key", "/k.pem"});
  EXPECT_EQ(key_only.exit_code, 2);
  CommandLine ca_only = Parse({"--tls-ca", "/ca.pem"});
  EXPECT_EQ(ca_only.exit_code, 2);
  CommandLine require_only = Parse({"--require-tls"});
  EXPECT_EQ(require_only.exit_code, 2);
  EXPECT_NE(require_only.output.find("--require-tls needs --tls-cert"), std::string::npos);
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

// PostgreSQL's default max_wal_size is 1GB. The range: 4 MiB (a 1 MiB checkpoint threshold) to
// 16 GiB (rounds of 512 MiB, so a round is still planned, and a reader past the 1 GiB expiry
// checked, before the log is far past it).
TEST_F(ConfigTest, MaxWalSize) {
  CommandLine cl = Parse({});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.max_wal_mib, 1024u);
  cl = Parse({"--max-wal-size", "64"});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.max_wal_mib, 64u);
  ::setenv("SQLRITE_MAX_WAL_SIZE", "16", 1);
  cl = Parse({});
  EXPECT_EQ(cl.config.max_wal_mib, 16u);
  cl = Parse({"--max-wal-size", "3"});
  EXPECT_GT(cl.exit_code, 0);
  EXPECT_NE(cl.output.find("--max-wal-size"), std::string::npos) << cl.output;
  cl = Parse({"--max-wal-size", "16385"});
  EXPECT_GT(cl.exit_code, 0);
}

TEST_F(ConfigTest, PointWriters) {
  CommandLine cl = Parse({});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.point_writers, "on");
  cl = Parse({"--point-writers", "off"});
  ASSERT_EQ(cl.exit_code, -1) << cl.output;
  EXPECT_EQ(cl.config.point_writers, "off");
  ::setenv("SQLRITE_POINT_WRITERS", "off", 1);
  cl = Parse({});
  EXPECT_EQ(cl.config.point_writers, "off");
  cl = Parse({"--point-writers", "maybe"});
  EXPECT_GT(cl.exit_code, 0);
  EXPECT_NE(cl.output.find("--point-writers"), std::string::npos) << cl.output;
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

TEST_F(ConfigTest, AuthenticationTimeout) {
  EXPECT_EQ(Parse({}).config.authentication_timeout_s, 60);  // PostgreSQL's default
  EXPECT_EQ(Parse({"--authentication-timeout", "2"}).config.authentication_timeout_s, 2);
  ::setenv("SQLRITE_AUTHENTICATION_TIMEOUT", "7", 1);
  EXPECT_EQ(Parse({}).config.authentication_timeout_s, 7);
  // PostgreSQL's range: 1 s to 10 min.
  EXPECT_GT(Parse({"--authentication-timeout", "0"}).exit_code, 0);
  EXPECT_GT(Parse({"--authentication-timeout", "601"}).exit_code, 0);
}

TEST(FileLimitTest, RaisesToWhatIsNeededOrSaysWhy) {
  struct rlimit before {};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &before), 0);
  EXPECT_TRUE(RaiseFileLimit(16));  // already enough: left alone
  struct rlimit after {};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &after), 0);
  EXPECT_EQ(after.rlim_cur, before.rlim_cur);
  // Beyond what any process may have (fs.nr_open is at most 2^30).
  Status refused = RaiseFileLimit(size_t{1} << 31);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().sqlstate, "54000");
  EXPECT_NE(refused.error().message.find("needs 2147483648 open files"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("--max-connections"), std::string::npos);
}

}  // namespace
}  // namespace sqlrite::server
