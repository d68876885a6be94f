#include "engine/row_lock_table.h"

#include <gtest/gtest.h>

namespace sqlrite::engine {
namespace {

using Owners = std::vector<RowLockTable::Owner>;
using Tickets = std::vector<RowLockTable::Ticket>;

TEST(RowLockTableTest, AFreeLockIsTakenAndReentrantForItsHolder) {
  RowLockTable locks;
  EXPECT_TRUE(locks.TryAcquire("k", 1));
  EXPECT_TRUE(locks.TryAcquire("k", 1));
  EXPECT_FALSE(locks.TryAcquire("k", 2));
  EXPECT_EQ(locks.Holder("k"), 1u);
  EXPECT_EQ(locks.HeldBy(1), 1u);
  EXPECT_EQ(locks.Holder("other"), std::nullopt);
}

TEST(RowLockTableTest, ReleasePassesTheLockToWaitersInArrivalOrder) {
  RowLockTable locks;
  ASSERT_TRUE(locks.TryAcquire("k", 1));
  locks.Enqueue("k", 2, 20);
  locks.Enqueue("k", 3, 30);
  ASSERT_NE(locks.WaitingFor(2), nullptr);
  EXPECT_EQ(*locks.WaitingFor(2), "k");
  EXPECT_EQ(locks.ReleaseAll(1), Tickets{20});
  EXPECT_EQ(locks.Holder("k"), 2u);
  EXPECT_EQ(locks.WaitingFor(2), nullptr);  // it holds the lock now
  EXPECT_FALSE(locks.TryAcquire("k", 3));
  EXPECT_EQ(locks.ReleaseAll(2), Tickets{30});
  EXPECT_EQ(locks.Holder("k"), 3u);
  EXPECT_TRUE(locks.ReleaseAll(3).empty());
  EXPECT_TRUE(locks.empty());
}

TEST(RowLockTableTest, ADequeuedWaiterIsSkipped) {
  // A lock_timeout, a CancelRequest or a closed connection takes the wait out of the queue.
  RowLockTable locks;
  ASSERT_TRUE(locks.TryAcquire("k", 1));
  locks.Enqueue("k", 2, 20);
  locks.Enqueue("k", 3, 30);
  EXPECT_TRUE(locks.Dequeue(20));
  EXPECT_FALSE(locks.Dequeue(20));
  EXPECT_EQ(locks.WaitingFor(2), nullptr);
  EXPECT_EQ(locks.ReleaseAll(1), Tickets{30});
  EXPECT_EQ(locks.Holder("k"), 3u);
}

TEST(RowLockTableTest, ReleasingAWaiterDropsItsWait) {
  RowLockTable locks;
  ASSERT_TRUE(locks.TryAcquire("a", 1));
  ASSERT_TRUE(locks.TryAcquire("b", 2));
  locks.Enqueue("a", 2, 20);
  // Owner 2 ends (ROLLBACK while waiting is impossible, but a disconnect is not): its lock on b
  // is free and nobody is granted a for it.
  EXPECT_TRUE(locks.ReleaseAll(2).empty());
  EXPECT_EQ(locks.Holder("b"), std::nullopt);
  EXPECT_TRUE(locks.ReleaseAll(1).empty());
  EXPECT_TRUE(locks.empty());
}

TEST(RowLockTableTest, ReleaseGrantsEveryLockWithWaiters) {
  RowLockTable locks;
  ASSERT_TRUE(locks.TryAcquire("a", 1));
  ASSERT_TRUE(locks.TryAcquire("b", 1));
  locks.Enqueue("a", 2, 20);
  locks.Enqueue("b", 3, 30);
  EXPECT_EQ(locks.ReleaseAll(1), (Tickets{20, 30}));
  EXPECT_EQ(locks.Holder("a"), 2u);
  EXPECT_EQ(locks.Holder("b"), 3u);
}

TEST(RowLockTableTest, ATwoWayDeadlockIsFound) {
  RowLockTable locks;
  ASSERT_TRUE(locks.TryAcquire("a", 1));
  ASSERT_TRUE(locks.TryAcquire("b", 2));
  EXPECT_TRUE(locks.FindCycle(1, "b", nullptr).empty());  // 2 waits for nothing yet
  locks.Enqueue("b", 1, 10);
  EXPECT_EQ(locks.FindCycle(2, "a", nullptr), Owners{1});
}

TEST(RowLockTableTest, ALongerCycleIsFoundAndAChainIsNot) {
  RowLockTable locks;
  ASSERT_TRUE(locks.TryAcquire("a", 1));
  ASSERT_TRUE(locks.TryAcquire("b", 2));
  ASSERT_TRUE(locks.TryAcquire("c", 3));
  locks.Enqueue("b", 1, 10);  // 1 -> 2
  locks.Enqueue("c", 2, 20);  // 2 -> 3
  EXPECT_EQ(locks.FindCycle(3, "a", nullptr), (Owners{1, 2}));
  // 4 waiting on a is only a chain (4 -> 1 -> 2 -> 3).
  EXPECT_TRUE(locks.FindCycle(4, "a", nullptr).empty());
}

TEST(RowLockTableTest, ExtraEdgesCloseACycle) {
  // Owner 1 waits to upgrade (for every other point writer to end); owner 2 then waiting on a
  // lock 1 holds is a deadlock.
  RowLockTable locks;
  ASSERT_TRUE(locks.TryAcquire("a", 1));
  auto upgrade = [](RowLockTable::Owner o) { return o == 1 ? Owners{2} : Owners{}; };
  EXPECT_EQ(locks.FindCycle(2, "a", upgrade), Owners{1});
  EXPECT_TRUE(locks.FindCycle(2, "a", nullptr).empty());
  EXPECT_EQ(locks.FindCycleFrom(
                1, {2, 3}, [&](RowLockTable::Owner o) { return o == 3 ? Owners{1} : Owners{}; }),
            Owners{3});
}

}  // namespace
}  // namespace sqlrite::engine
