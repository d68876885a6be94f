// Pool: bounds, waiting, timeouts, broken connections and many threads at once, over a fake
// driver (no server); the last cases run Dbs of the SQLite driver over a shared pool.
#include "orm/core/pool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "orm/orm.h"

namespace sqlrite::orm {
namespace {

using std::chrono::milliseconds;

// Counts what the pool does with its connections; a connection asserts it is never used by two
// leases at once.
struct Counters {
  std::atomic<int> connects{0};
  std::atomic<int> open{0};
  std::atomic<int> max_open{0};
  std::atomic<int> fail_next_connects{0};
  std::atomic<int> overlapping_use{0};
};

class FakeConnection final : public Connection {
 public:
  explicit FakeConnection(Counters* c) : c_(c) {
    int now = ++c_->open;
    int seen = c_->max_open.load();
    while (now > seen && !c_->max_open.compare_exchange_weak(seen, now)) {
    }
  }
  ~FakeConnection() override { --c_->open; }

  Result<ResultSet> Exec(const Operation& op) override {
    if (in_use_.exchange(true)) ++c_->overlapping_use;
    ResultSet r;
    if (const auto* sql = std::get_if<SqlOp>(&op); sql && sql->sql == "break") broken_ = true;
    in_use_ = false;
    if (broken_) return Fail(sqlstate::kConnectionFailure, "server closed the connection");
    return r;
  }
  bool Reusable() const override { return !broken_; }

 private:
  Counters* c_;
  std::atomic<bool> in_use_{false};
  bool broken_ = false;
};

class FakeDriver final : public Driver {
 public:
  explicit FakeDriver(Counters* c) : c_(c) {}
  std::string_view name() const override { return "fake"; }
  const Capability& capability() const override { return capability_; }
  Result<std::unique_ptr<Connection>> Connect() override {
    ++c_->connects;
    if (c_->fail_next_connects > 0) {
      --c_->fail_next_connects;
      return Fail("08001", "connection refused");
    }
    return std::unique_ptr<Connection>(std::make_unique<FakeConnection>(c_));
  }

 private:
  Counters* c_;
  Capability capability_ = Capability::Postgresql();
};

std::shared_ptr<Pool> MakePool(Counters* c, std::size_t max, milliseconds timeout) {
  auto pool = Pool::Create(std::make_unique<FakeDriver>(c),
                           PoolOptions{.max_connections = max, .acquire_timeout = timeout});
  EXPECT_TRUE(pool);
  return *pool;
}

TEST(PoolTest, ReusesAnIdleConnection) {
  Counters c;
  auto pool = MakePool(&c, 2, milliseconds(1000));
  Connection* first = nullptr;
  {
    auto lease = pool->Acquire();
    ASSERT_TRUE(lease) << lease.error().message;
    first = lease->get();
  }
  EXPECT_EQ(pool->idle_connections(), 1u);
  auto again = pool->Acquire();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->get(), first);
  EXPECT_EQ(c.connects, 1);
  EXPECT_EQ(pool->open_connections(), 1u);
}

TEST(PoolTest, ZeroConnectionsIsRefused) {
  Counters c;
  auto pool = Pool::Create(std::make_unique<FakeDriver>(&c), PoolOptions{.max_connections = 0});
  ASSERT_FALSE(pool);
  EXPECT_EQ(pool.error().sqlstate, "22023");
}

TEST(PoolTest, AFullPoolTimesOutWith53300) {
  Counters c;
  auto pool = MakePool(&c, 2, milliseconds(100));
  auto a = pool->Acquire();
  auto b = pool->Acquire();
  ASSERT_TRUE(a && b);
  auto start = std::chrono::steady_clock::now();
  auto third = pool->Acquire();
  auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().sqlstate, "53300");
  EXPECT_EQ(third.error().message,
            "no connection of the fake pool (2 connections) came free within 100 ms");
  EXPECT_GE(waited, milliseconds(100));
  EXPECT_LT(waited, milliseconds(5000));
  EXPECT_EQ(c.connects, 2);
}

TEST(PoolTest, AWaiterGetsTheConnectionAnotherThreadReleases) {
  Counters c;
  auto pool = MakePool(&c, 1, milliseconds(10000));
  auto held = pool->Acquire();
  ASSERT_TRUE(held);
  Connection* conn = held->get();
  std::thread releaser([&] {
    std::this_thread::sleep_for(milliseconds(50));
    held = Pool::Lease();  // ends the lease: the connection goes back
  });
  auto waited = pool->Acquire();
  releaser.join();
  ASSERT_TRUE(waited) << waited.error().message;
  EXPECT_EQ(waited->get(), conn);
  EXPECT_EQ(c.connects, 1);
}

TEST(PoolTest, ABrokenConnectionIsDroppedNotReused) {
  Counters c;
  auto pool = MakePool(&c, 1, milliseconds(1000));
  {
    auto lease = pool->Acquire();
    ASSERT_TRUE(lease);
    auto r = (*lease)->Exec(SqlOp{"break", {}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().sqlstate, "08006");
  }
  EXPECT_EQ(pool->open_connections(), 0u);
  EXPECT_EQ(pool->idle_connections(), 0u);
  EXPECT_EQ(c.open, 0);  // closed, not kept
  auto fresh = pool->Acquire();
  ASSERT_TRUE(fresh);
  EXPECT_TRUE((*fresh)->Exec(SqlOp{"select", {}}));
  EXPECT_EQ(c.connects, 2);
}

TEST(PoolTest, AFailedConnectFreesItsSlot) {
  Counters c;
  c.fail_next_connects = 1;
  auto pool = MakePool(&c, 1, milliseconds(1000));
  auto refused = pool->Acquire();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().sqlstate, "08001");
  EXPECT_EQ(pool->open_connections(), 0u);
  auto lease = pool->Acquire();
  ASSERT_TRUE(lease) << lease.error().message;
}

TEST(PoolTest, ALeaseKeepsItsPoolAlive) {
  Counters c;
  auto pool = MakePool(&c, 1, milliseconds(1000));
  auto lease = pool->Acquire();
  ASSERT_TRUE(lease);
  pool.reset();
  EXPECT_TRUE((*lease)->Exec(SqlOp{"select", {}}));
  *lease = Pool::Lease();
  EXPECT_EQ(c.open, 0);  // the pool went with its last lease, closing its idle connection
}

// Many threads against a small pool: never more than max_connections open, never one
// connection in two hands, broken ones replaced, and every acquire served (the timeout is long).
TEST(PoolConcurrencyTest, ManyThreadsShareABoundedPool) {
  Counters c;
  constexpr std::size_t kMax = 3;
  auto pool = MakePool(&c, kMax, milliseconds(30000));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        auto lease = pool->Acquire();
        if (!lease) {
          ++failures;
          continue;
        }
        bool breaks = (i + t) % 37 == 0;
        auto r = (*lease)->Exec(SqlOp{breaks ? "break" : "select", {}});
        if (!breaks && !r) ++failures;
        if (i % 10 == 0) std::this_thread::yield();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(c.overlapping_use, 0);
  EXPECT_LE(c.max_open, static_cast<int>(kMax));
  EXPECT_LE(pool->open_connections(), kMax);
  EXPECT_GT(c.connects, static_cast<int>(kMax));  // broken connections were replaced
  EXPECT_EQ(static_cast<std::size_t>(c.open), pool->open_connections());
}

struct Note {
  std::int64_t id = 0;
  std::string text;
  SQLRITE_MODEL(Note, "notes", (id, key, auto_increment), (text))
};

// Dbs of a real driver over one pool, one per thread: each Db holds a connection for its life
// and gives it back when destroyed.
TEST(PoolConcurrencyTest, DbsOnThreadsShareASqlitePool) {
  char tmpl[] = "/tmp/orm_pool_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  {
    auto pool = OpenPool("sqlite://" + dir + "/pool.db",
                         PoolOptions{.max_connections = 2, .acquire_timeout = milliseconds(30000)});
    ASSERT_TRUE(pool) << pool.error().message;
    {
      auto db = Db::Open(*pool);
      ASSERT_TRUE(db);
      ASSERT_TRUE(db->Register<Note>());
      ASSERT_TRUE(db->PushSchema());
    }
    EXPECT_EQ((*pool)->idle_connections(), 1u);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 10; ++i) {
          auto db = Db::Open(*pool);
          if (!db || !db->Register<Note>()) {
            ++failures;
            continue;
          }
          if (!Create(*db, Note{.text = std::to_string(t) + "/" + std::to_string(i)})) ++failures;
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures, 0);
    auto db = Db::Open(*pool);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->Register<Note>());
    EXPECT_EQ(Note::All().Count(*db).value(), 40);
    EXPECT_LE((*pool)->open_connections(), 2u);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sqlrite::orm
