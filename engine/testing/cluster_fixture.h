#pragma once
// ClusterTest: the fixture of the engine tests that go through the facade. A Cluster opened on a
// fresh temp directory (removed at the end), one session connected to postgres as postgres, and
// helpers that parse SQL and run each statement, as a client's query string would.
//
// A test that needs other cluster options sets them in options_ and calls Reopen() (or, for
// every test of a fixture, derives and sets them before ClusterTest::SetUp()).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/engine.h"

namespace sqlrite::engine::testing {

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Opens the cluster on dir_ with options_ and connects session_.
  void Open();
  // Disconnects session_ and closes the cluster (a clean close checkpoints every log).
  void CloseCluster();
  void Reopen() {
    CloseCluster();
    Open();
  }
  // Another session; the caller disconnects it (cluster_->Disconnect) before CloseCluster().
  std::unique_ptr<SessionState> Connect(const std::string& database = "postgres",
                                        const std::string& user = "postgres");

  // Runs every statement of sql on session (session_ when null) with the query text, so error
  // positions are PostgreSQL's 1-based character positions; the last result or the first error.
  Result<QueryResult> Exec(std::string_view sql, SessionState* session = nullptr);
  // Exec that must succeed / must fail (a test failure otherwise).
  QueryResult Ok(std::string_view sql, SessionState* session = nullptr);
  Error Err(std::string_view sql, SessionState* session = nullptr);
  // The result's rows as text, "NULL" for nulls, columns joined by '|'.
  std::vector<std::string> Rows(std::string_view sql, SessionState* session = nullptr);
  // Err whose SQLSTATE, message and 1-based position must be these (as PostgreSQL gives them).
  void ExpectError(std::string_view sql, const char* sqlstate, const std::string& message,
                   int position) {
    const Error e = Err(sql);
    EXPECT_EQ(e.sqlstate, std::string(sqlstate)) << sql;
    EXPECT_EQ(e.message, message) << sql;
    EXPECT_EQ(e.position, position) << sql;
  }

  Cluster::Options options_;
  std::string dir_;
  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<SessionState> session_;
};

}  // namespace sqlrite::engine::testing
