#include "engine/testing/cluster_fixture.h"

#include <unistd.h>

#include <filesystem>

#include "engine/sql/parser.h"
#include "engine/value.h"

namespace sqlrite::engine::testing {

void ClusterTest::SetUp() {
  char tmpl[] = "/tmp/sqlrite_engine_test_XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  dir_ = tmpl;
  Open();
}

void ClusterTest::TearDown() {
  CloseCluster();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void ClusterTest::Open() {
  options_.data_dir = dir_;
  auto cluster = Cluster::Open(options_);
  ASSERT_TRUE(cluster) << cluster.error().message;
  cluster_ = std::move(*cluster);
  session_ = Connect();
}

void ClusterTest::CloseCluster() {
  if (session_) cluster_->Disconnect(*session_);
  session_.reset();
  if (cluster_) {
    EXPECT_TRUE(cluster_->Close());
  }
  cluster_.reset();
}

std::unique_ptr<SessionState> ClusterTest::Connect(const std::string& database,
                                                   const std::string& user) {
  auto session = cluster_->Connect(user, database, {});
  EXPECT_TRUE(session) << session.error().message;
  return session ? std::move(*session) : nullptr;
}

Result<QueryResult> ClusterTest::Exec(std::string_view sql, SessionState* session) {
  if (session == nullptr) session = session_.get();
  SQLRITE_ASSIGN_OR_RETURN(auto statements, sql::Parse(sql));
  Result<QueryResult> last = QueryResult{};
  for (auto& ps : statements) {
    if (!ps.statement) return Fail(std::move(ps.statement.error()));
    last = cluster_->Execute(*session, *ps.statement, sql);
    if (!last) return last;
  }
  return last;
}

QueryResult ClusterTest::Ok(std::string_view sql, SessionState* session) {
  auto r = Exec(sql, session);
  EXPECT_TRUE(r) << sql << ": " << (r ? "" : r.error().message);
  return r ? std::move(*r) : QueryResult{};
}

Error ClusterTest::Err(std::string_view sql, SessionState* session) {
  auto r = Exec(sql, session);
  EXPECT_FALSE(r) << sql << " unexpectedly succeeded";
  return r ? Error() : r.error();
}

std::vector<std::string> ClusterTest::Rows(std::string_view sql, SessionState* session) {
  QueryResult r = Ok(sql, session);
  // Printed as the server prints them: timestamptz in the session's TimeZone.
  DateTimeScope scope_datetime((session != nullptr ? session : session_.get())->datetime());
  std::vector<std::string> out;
  for (const Row& row : r.rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) line += "|";
      line += IsNull(row[i]) ? "NULL" : FormatText(row[i], r.columns[i].type);
    }
    out.push_back(line);
  }
  return out;
}

}  // namespace sqlrite::engine::testing
