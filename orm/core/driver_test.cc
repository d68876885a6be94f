// Connection::ExecRows' default: a driver (or a driver wrapper) that implements only Exec still
// hands its rows to a RowSink, in order, with their count first, and stops at the sink's error.
#include "orm/core/driver.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sqlrite::orm {
namespace {

// Answers every SqlOp with three rows (its one parameter, then 2 and 3) and 7 rows affected;
// the SQL "fail" is an error.
class ExecOnly final : public Connection {
 public:
  Result<ResultSet> Exec(const Operation& op) override {
    ++execs;
    const auto& sql = std::get<SqlOp>(op);
    if (sql.sql == "fail") return Fail("42601", "syntax error at or near \"fail\"");
    ResultSet r;
    r.columns = {"n"};
    r.rows = {{sql.params.at(0)}, {Value(2)}, {Value(3)}};
    r.rows_affected = 7;
    return r;
  }
  int execs = 0;
};

class Collect final : public RowSink {
 public:
  void Expect(std::size_t count) override { expected = count; }
  Status Row(const std::vector<Value>& row) override {
    rows.push_back(row);
    if (fail_at != 0 && rows.size() == fail_at) return Fail("22003", "out of range");
    return {};
  }
  std::size_t expected = 0;
  std::size_t fail_at = 0;
  std::vector<std::vector<Value>> rows;
};

TEST(ConnectionTest, ExecRowsDefaultHandsOverExecsRows) {
  ExecOnly connection;
  Collect sink;
  auto affected = connection.ExecRows(SqlOp{"select", {Value(1)}}, sink);
  ASSERT_TRUE(affected) << affected.error().message;
  EXPECT_EQ(*affected, 7);
  EXPECT_EQ(connection.execs, 1);
  EXPECT_EQ(sink.expected, 3u);
  ASSERT_EQ(sink.rows.size(), 3u);
  EXPECT_TRUE(sink.rows[0] == std::vector<Value>{Value(1)});
  EXPECT_TRUE(sink.rows[2] == std::vector<Value>{Value(3)});
}

TEST(ConnectionTest, ExecRowsStopsAtTheSinksError) {
  ExecOnly connection;
  Collect sink;
  sink.fail_at = 2;
  auto affected = connection.ExecRows(SqlOp{"select", {Value(1)}}, sink);
  ASSERT_FALSE(affected);
  EXPECT_EQ(affected.error().sqlstate, "22003");
  EXPECT_EQ(sink.rows.size(), 2u);
}

TEST(ConnectionTest, ExecRowsPassesExecsErrorOn) {
  ExecOnly connection;
  Collect sink;
  auto affected = connection.ExecRows(SqlOp{"fail", {}}, sink);
  ASSERT_FALSE(affected);
  EXPECT_EQ(affected.error().sqlstate, "42601");
  EXPECT_TRUE(sink.rows.empty());
}

}  // namespace
}  // namespace sqlrite::orm
