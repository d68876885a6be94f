// Snapshot reads under real concurrency (ctest label `concurrency`, so scripts/test also runs it
// under ThreadSanitizer): reader threads repeatedly take snapshots and check invariants that
// every committed transaction preserves, while a writer thread commits with group commit
// (CommitNoSync batches, one SyncWal) and checkpoints run (automatic and explicit; in the second
// test the automatic one's copying runs on a thread of its own, as the engine runs it), on real
// files in a temporary directory.
//
// Invariants a reader checks in every snapshot:
//   - the balances of the accounts tree sum to the constant total (a transaction moves money
//     between two accounts, so a torn or uncommitted view breaks the sum);
//   - the history tree holds exactly GetMeta(kUser2) entries (each transaction adds one and
//     bumps the count), and the count never decreases across a thread's snapshots;
//   - marks never decrease across a thread's snapshots, and a snapshot's mark is at most the
//     pager's durable mark when it is taken;
//   - every tree passes BTree::Check.
// A read may fail only with 72000 (an expired snapshot; the bound is small here on purpose).

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "storage/btree.h"
#include "storage/file.h"
#include "storage/pager.h"
#include "storage/wal.h"

namespace sqlrite::storage {
namespace {

constexpr int kAccounts = 400;
constexpr int64_t kInitial = 1000;

std::string Key(int i) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06d", i);
  return buf;
}

struct TempDir {
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "snapconcXXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string path;
};

int Transactions() {
  // Fewer under the sanitizers (SQLRITE_SNAPSHOT_TXNS overrides).
  if (const char* env = std::getenv("SQLRITE_SNAPSHOT_TXNS")) return std::atoi(env);
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  return 300;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
  return 300;
#else
  return 800;
#endif
#else
  return 800;
#endif
}

struct ReaderResult {
  uint64_t snapshots = 0;
  uint64_t expired = 0;
  std::string failure;  // empty: every invariant held
};

void ReaderLoop(Pager& pager, const std::atomic<bool>& done, int seed, ReaderResult* out) {
  std::mt19937 rng(seed);
  uint64_t last_mark = 0;
  uint32_t last_count = 0;
  while (!done.load()) {
    const uint64_t durable_before = pager.durable_mark();
    auto snap = pager.BeginRead();
    if (!snap) {
      out->failure = "BeginRead: " + snap.error().message;
      return;
    }
    ++out->snapshots;
    if (snap->mark() < last_mark || snap->mark() < durable_before) {
      out->failure = "mark went backwards: " + std::to_string(snap->mark());
      return;
    }
    last_mark = snap->mark();
    // Read the snapshot twice, the second time after a pause, so commits land in between.
    for (int pass = 0; pass < 2; ++pass) {
      BTree accounts(*snap, snap->GetMeta(MetaSlot::kUser1));
      BTree history(*snap, snap->GetMeta(MetaSlot::kUser3));
      const uint32_t count = snap->GetMeta(MetaSlot::kUser2);
      auto check = [&]() -> Status {
        int64_t sum = 0;
        int n = 0;
        BTree::Cursor c(accounts);
        SQLRITE_TRY(c.SeekFirst());
        while (c.Valid()) {
          SQLRITE_ASSIGN_OR_RETURN(std::string v, c.value());
          sum += std::stoll(v);
          ++n;
          SQLRITE_TRY(c.Next());
        }
        if (sum != kInitial * kAccounts || n != kAccounts) {
          return Fail(sqlstate::kInternalError, "accounts sum " + std::to_string(sum) + " over " +
                                                    std::to_string(n) + " rows");
        }
        uint32_t entries = 0;
        BTree::Cursor h(history);
        SQLRITE_TRY(h.SeekFirst());
        while (h.Valid()) {
          ++entries;
          SQLRITE_TRY(h.Next());
        }
        if (entries != count) {
          return Fail(sqlstate::kInternalError, "history has " + std::to_string(entries) +
                                                    " entries, the count says " +
                                                    std::to_string(count));
        }
        if (rng() % 8 == 0) {
          SQLRITE_TRY(accounts.Check());
          SQLRITE_TRY(history.Check());
        }
        return Ok();
      };
      Status s = check();
      if (!s) {
        if (s.error().sqlstate == "72000") {
          ++out->expired;
          break;
        }
        out->failure = "mark " + std::to_string(snap->mark()) + ": " + s.error().message;
        return;
      }
      if (count < last_count) {
        out->failure = "count went backwards";
        return;
      }
      last_count = count;
      if (pass == 0) std::this_thread::sleep_for(std::chrono::microseconds(rng() % 2000));
    }
  }
}

// Background checkpoint rounds (Pager::BeginBackfill) as the engine runs them: the writer plans
// a round after a sync and hands it to this thread, which copies it while the writer goes on
// committing and the readers read; the writer finishes it when it sees it done.
class BackfillThread {
 public:
  BackfillThread()
      : thread_([this] {
          std::unique_lock lock(mu_);
          for (;;) {
            cv_.wait(lock, [&] { return stop_ || (job_ && !copied_); });
            if (stop_) return;
            const BackfillJob job = *job_;
            lock.unlock();
            Status status = job.Run();
            lock.lock();
            copied_ = std::move(status);
            cv_.notify_all();
          }
        }) {}
  ~BackfillThread() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  // Writer: finishes a copied round (wait: whether to block until it is copied), then starts
  // the next if the pager plans one (start). Returns the first error.
  Status Step(Pager& pager, bool wait, bool start) {
    std::unique_lock lock(mu_);
    if (job_ && wait) cv_.wait(lock, [&] { return copied_.has_value(); });
    if (job_ && copied_) {
      Status finished = pager.FinishBackfill(*job_, *copied_);
      job_.reset();
      copied_.reset();
      ++rounds_;
      if (!finished) return finished;
    }
    if (start && !job_) {
      job_ = pager.BeginBackfill();
      if (job_) cv_.notify_all();
    }
    return Ok();
  }
  int rounds() const { return rounds_; }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::optional<BackfillJob> job_;
  std::optional<Status> copied_;
  int rounds_ = 0;
  std::thread thread_;
};

void ReadersAndWriter(bool background) {
  TempDir dir;
  auto db = OpenPosixFile(dir.path + "/db");
  auto wal = OpenPosixFile(dir.path + "/db.wal");
  ASSERT_TRUE(db && wal);
  Pager::Options o;
  o.cache_bytes = 64 * kPageSize;           // small: both caches evict
  o.wal_autocheckpoint_bytes = 64 << 10;    // frequent automatic checkpoints
  o.max_wal_bytes_behind_reader = 1 << 20;  // slow readers expire now and then
  o.synchronous = Pager::Synchronous::kFull;
  o.background_backfill = background;
  auto opened = Pager::Open(std::move(*db), std::move(*wal), o);
  ASSERT_TRUE(opened) << opened.error().message;
  Pager& pager = **opened;
  {
    auto accounts = BTree::Create(pager);
    auto history = BTree::Create(pager);
    ASSERT_TRUE(accounts && history);
    BTree tree(pager, *accounts);
    for (int i = 0; i < kAccounts; ++i) {
      ASSERT_TRUE(tree.Insert(Key(i), std::to_string(kInitial)));
    }
    pager.SetMeta(MetaSlot::kUser1, *accounts);
    pager.SetMeta(MetaSlot::kUser3, *history);
    ASSERT_TRUE(pager.Commit());
  }

  std::atomic<bool> done{false};
  constexpr int kReaders = 4;
  std::vector<ReaderResult> results(kReaders);
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back(ReaderLoop, std::ref(pager), std::cref(done), r + 1, &results[r]);
  }

  std::optional<BackfillThread> backfill;
  if (background) backfill.emplace();
  std::mt19937 rng(42);
  const int txns = Transactions();
  std::string writer_failure;
  BTree accounts(pager, pager.GetMeta(MetaSlot::kUser1));
  BTree history(pager, pager.GetMeta(MetaSlot::kUser3));
  for (int t = 0; t < txns && writer_failure.empty(); ++t) {
    auto step = [&]() -> Status {
      const int a = static_cast<int>(rng() % kAccounts);
      const int b = static_cast<int>(rng() % kAccounts);
      const int64_t amount = static_cast<int64_t>(rng() % 50);
      for (auto [who, delta] : {std::pair{a, -amount}, std::pair{b, amount}}) {
        auto v = accounts.Get(Key(who));
        if (!v) return Fail(std::move(v).error());
        const int64_t balance = std::stoll(v->value_or("0")) + delta;
        SQLRITE_TRY(accounts.Insert(Key(who), std::to_string(balance), true));
      }
      const uint32_t count = pager.GetMeta(MetaSlot::kUser2);
      // Values of varying size: some spill to overflow pages.
      SQLRITE_TRY(history.Insert(Key(static_cast<int>(count)), std::string(rng() % 6000, 'h')));
      pager.SetMeta(MetaSlot::kUser2, count + 1);
      SQLRITE_TRY(pager.CommitNoSync());
      if (t % 4 == 3) SQLRITE_TRY(pager.SyncWal());  // group commit: one sync per 4
      if (backfill) {
        SQLRITE_TRY(backfill->Step(pager, /*wait=*/t % 97 == 96, /*start=*/t % 97 != 96));
      }
      if (t % 97 == 96) SQLRITE_TRY(pager.Checkpoint());
      return Ok();
    };
    Status s = step();
    if (!s) writer_failure = s.error().message;
  }
  EXPECT_TRUE(pager.SyncWal());
  if (backfill) {
    EXPECT_TRUE(backfill->Step(pager, /*wait=*/true, /*start=*/false));
    EXPECT_GT(backfill->rounds(), 0);
    EXPECT_EQ(static_cast<uint64_t>(backfill->rounds()), pager.stats().backfills);
  }
  done.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(writer_failure, "");
  uint64_t snapshots = 0;
  for (auto& r : results) {
    EXPECT_EQ(r.failure, "");
    snapshots += r.snapshots;
  }
  EXPECT_GT(snapshots, 0u);
  const PagerStats& stats = pager.stats();
  EXPECT_GT(stats.checkpoints, 0u);
  std::printf(
      "transactions %d, snapshots %llu, expired %llu, checkpoints %llu, background rounds "
      "%llu, snapshot cache hits %llu misses %llu\n",
      txns, static_cast<unsigned long long>(snapshots),
      static_cast<unsigned long long>(stats.readers_expired),
      static_cast<unsigned long long>(stats.checkpoints),
      static_cast<unsigned long long>(stats.backfills),
      static_cast<unsigned long long>(stats.snapshot_cache_hits),
      static_cast<unsigned long long>(stats.snapshot_cache_misses));
  ASSERT_TRUE(pager.Close());
  backfill.reset();

  // Everything committed survived: the balances still sum to the total after a reopen.
  auto db2 = OpenPosixFile(dir.path + "/db");
  auto wal2 = OpenPosixFile(dir.path + "/db.wal");
  ASSERT_TRUE(db2 && wal2);
  auto reopened = Pager::Open(std::move(*db2), std::move(*wal2), o);
  ASSERT_TRUE(reopened) << reopened.error().message;
  BTree again(**reopened, (*reopened)->GetMeta(MetaSlot::kUser1));
  int64_t sum = 0;
  BTree::Cursor c(again);
  ASSERT_TRUE(c.SeekFirst());
  while (c.Valid()) {
    auto v = c.value();
    ASSERT_TRUE(v);
    sum += std::stoll(*v);
    ASSERT_TRUE(c.Next());
  }
  EXPECT_EQ(sum, kInitial * kAccounts);
  EXPECT_EQ((*reopened)->GetMeta(MetaSlot::kUser2), static_cast<uint32_t>(txns));
  ASSERT_TRUE(again.Check());
}

TEST(SnapshotConcurrency, ReadersSeeConsistentDurableStatesWhileTheWriterCommits) {
  ReadersAndWriter(/*background=*/false);
}

// The same with the automatic checkpoint's copying on a thread of its own: the rounds write the
// main file while readers read it and the writer commits (TSan: no race on the files, the log's
// index or the caches).
TEST(SnapshotConcurrency, BackgroundBackfillRoundsRunBesideTheWriterAndTheReaders) {
  ReadersAndWriter(/*background=*/true);
}

}  // namespace
}  // namespace sqlrite::storage
