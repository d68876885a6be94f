// Snapshot reads (Pager::BeginRead): a reader's view never changes while the writer commits;
// marks; durability (a reader never sees an unsynced commit); checkpoints held back by readers,
// generation restarts, expiry (72000), poisoning, spilled transactions, read-only opens.

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <optional>
#include <string>

#include "common/bytes.h"
#include "storage/btree.h"
#include "storage/fault_injection.h"
#include "storage/pager.h"
#include "storage/wal.h"

namespace sqlrite::storage {
namespace {

constexpr int kAccounts = 300;  // several leaves, so a transfer touches a few pages

std::string Key(int i) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06d", i);
  return buf;
}

Pager::Options Opts(size_t cache_pages = 64) {
  Pager::Options o;
  o.cache_bytes = cache_pages * kPageSize;
  o.wal_autocheckpoint_bytes = uint64_t{1} << 40;  // checkpoints only when a test asks
  return o;
}

std::unique_ptr<Pager> OpenWal(FaultInjector& disk, Pager::Options options = Opts()) {
  auto pager = Pager::Open(disk.Open("db"), disk.Open("db.wal"), options);
  EXPECT_TRUE(pager) << pager.error().message;
  return pager ? std::move(*pager) : nullptr;
}

std::optional<ReadSnapshot> Begin(Pager& pager) {
  auto s = pager.BeginRead();
  EXPECT_TRUE(s) << s.error().message;
  if (!s) return std::nullopt;
  return std::move(*s);
}

// Creates the accounts tree (every balance `each`) and commits; the root goes in kUser1.
PageId MakeAccounts(Pager& pager, int each) {
  auto root = BTree::Create(pager);
  EXPECT_TRUE(root);
  BTree tree(pager, *root);
  for (int i = 0; i < kAccounts; ++i) EXPECT_TRUE(tree.Insert(Key(i), std::to_string(each)));
  pager.SetMeta(MetaSlot::kUser1, *root);
  EXPECT_TRUE(pager.Commit());
  return *root;
}

// Sets every balance to `value` (one transaction, not committed).
void SetAll(Pager& pager, PageId root, int value) {
  BTree tree(pager, root);
  for (int i = 0; i < kAccounts; ++i) {
    ASSERT_TRUE(tree.Insert(Key(i), std::to_string(value), /*overwrite=*/true));
  }
}

// Every balance a source shows must equal `value`; returns false (with a failure) otherwise.
void ExpectAll(PageSource& source, int value) {
  BTree tree(source, source.GetMeta(MetaSlot::kUser1));
  BTree::Cursor c(tree);
  ASSERT_TRUE(c.SeekFirst());
  int n = 0;
  while (c.Valid()) {
    auto v = c.value();
    ASSERT_TRUE(v) << v.error().message;
    ASSERT_EQ(*v, std::to_string(value)) << "key " << c.key();
    ++n;
    ASSERT_TRUE(c.Next());
  }
  EXPECT_EQ(n, kAccounts);
  ASSERT_TRUE(tree.Check()) << "tree check";
}

TEST(PagerSnapshot, ViewNeverChangesWhileWriterCommits) {
  FaultInjector disk;
  auto pager = OpenWal(disk);
  PageId root = MakeAccounts(*pager, 100);
  auto s1 = Begin(*pager);
  EXPECT_EQ(s1->mark(), pager->durable_mark());
  for (int v = 101; v < 105; ++v) {
    SetAll(*pager, root, v);
    ASSERT_TRUE(pager->Commit());
    ExpectAll(*s1, 100);
  }
  auto s2 = Begin(*pager);
  ExpectAll(*s2, 104);
  EXPECT_EQ(s2->mark(), s1->mark() + 4);
  EXPECT_EQ(pager->durable_mark(), s2->mark());
  // A transaction that changes nothing is no commit: the mark stays.
  ASSERT_TRUE(pager->Commit());
  EXPECT_EQ(pager->durable_mark(), s2->mark());
  // The writer's own view shows its open transaction; the snapshots do not.
  SetAll(*pager, root, 7);
  ExpectAll(*pager, 7);
  ExpectAll(*s2, 104);
  pager->Rollback();
}

TEST(PagerSnapshot, ReaderBetweenCommitNoSyncAndSyncWalDoesNotSeeTheCommit) {
  FaultInjector disk;
  auto pager = OpenWal(disk);
  PageId root = MakeAccounts(*pager, 1);
  const uint64_t before = pager->durable_mark();
  SetAll(*pager, root, 2);
  ASSERT_TRUE(pager->CommitNoSync());
  SetAll(*pager, root, 3);
  ASSERT_TRUE(pager->CommitNoSync());
  auto s = Begin(*pager);
  EXPECT_EQ(s->mark(), before);
  EXPECT_EQ(pager->durable_mark(), before);
  ExpectAll(*s, 1);
  ASSERT_TRUE(pager->SyncWal());
  EXPECT_EQ(pager->durable_mark(), before + 2);
  ExpectAll(*s, 1);
  auto t = Begin(*pager);
  EXPECT_EQ(t->mark(), before + 2);
  ExpectAll(*t, 3);
}

TEST(PagerSnapshot, SynchronousOffPublishesAtCommit) {
  FaultInjector disk;
  Pager::Options o = Opts();
  o.synchronous = Pager::Synchronous::kOff;
  auto pager = OpenWal(disk, o);
  PageId root = MakeAccounts(*pager, 1);
  SetAll(*pager, root, 2);
  ASSERT_TRUE(pager->CommitNoSync());
  auto s = Begin(*pager);
  ExpectAll(*s, 2);
}

TEST(PagerSnapshot, CheckpointStopsAtTheOldestReaderAndFinishesLater) {
  FaultInjector disk;
  auto pager = OpenWal(disk);
  PageId root = MakeAccounts(*pager, 1);
  auto s1 = Begin(*pager);  // value 1
  SetAll(*pager, root, 2);
  ASSERT_TRUE(pager->Commit());
  auto s2 = Begin(*pager);  // value 2
  SetAll(*pager, root, 3);
  ASSERT_TRUE(pager->Commit());
  const uint64_t log_before = pager->stats().wal_bytes;
  EXPECT_EQ(pager->stats().live_readers, 2u);
  EXPECT_EQ(pager->stats().oldest_reader_commits_behind, 2u);
  EXPECT_GT(pager->stats().oldest_reader_wal_bytes_behind, 0u);

  ASSERT_TRUE(pager->Checkpoint());  // s1 holds it at its mark: the log stays
  EXPECT_EQ(pager->stats().wal_bytes, log_before);
  ExpectAll(*s1, 1);
  ExpectAll(*s2, 2);
  s1.reset();  // releases s1

  ASSERT_TRUE(pager->Checkpoint());  // now up to s2's mark; the log still stays
  EXPECT_EQ(pager->stats().wal_bytes, log_before);
  ExpectAll(*s2, 2);
  EXPECT_EQ(pager->stats().oldest_reader_commits_behind, 1u);
  s2.reset();

  ASSERT_TRUE(pager->Checkpoint());  // no reader: everything, and the log restarts
  EXPECT_EQ(pager->stats().wal_bytes, Wal::kHeaderSize);
  EXPECT_EQ(pager->stats().oldest_reader_wal_bytes_behind, 0u);
  auto s3 = Begin(*pager);
  ExpectAll(*s3, 3);
  s3.reset();
  // What the checkpoints wrote is the database: reopen and read it from the main file.
  ASSERT_TRUE(pager->Close());
  pager = OpenWal(disk);
  ExpectAll(*pager, 3);
}

TEST(PagerSnapshot, GenerationRestartsUnderAFullyBackfilledReader) {
  FaultInjector disk;
  auto pager = OpenWal(disk);
  PageId root = MakeAccounts(*pager, 1);
  SetAll(*pager, root, 2);
  ASSERT_TRUE(pager->Commit());
  auto s = Begin(*pager);  // the newest commit: the checkpoint may restart the log
  ExpectAll(*s, 2);        // its pages come from the log (cached by version)
  ASSERT_TRUE(pager->Checkpoint());
  EXPECT_EQ(pager->stats().wal_bytes, Wal::kHeaderSize);
  ExpectAll(*s, 2);  // now from the main file
  // Commits of the new generation are not backfilled while s (an older generation) lives.
  SetAll(*pager, root, 3);
  ASSERT_TRUE(pager->Commit());
  ASSERT_TRUE(pager->Checkpoint());
  EXPECT_GT(pager->stats().wal_bytes, Wal::kHeaderSize);
  ExpectAll(*s, 2);
  auto t = Begin(*pager);
  ExpectAll(*t, 3);
  s.reset();
  ASSERT_TRUE(pager->Checkpoint());  // t is fully backfilled: restart again
  EXPECT_EQ(pager->stats().wal_bytes, Wal::kHeaderSize);
  ExpectAll(*t, 3);
}

TEST(PagerSnapshot, AReaderTooFarBehindExpiresWith72000) {
  FaultInjector disk;
  Pager::Options o = Opts();
  o.max_wal_bytes_behind_reader = Wal::kFrameSize;  // one frame
  auto pager = OpenWal(disk, o);
  PageId root = MakeAccounts(*pager, 1);
  auto old = Begin(*pager);
  ExpectAll(*old, 1);
  auto near = Begin(*pager);
  SetAll(*pager, root, 2);  // rewrites every leaf: more than one frame
  ASSERT_TRUE(pager->Commit());
  ASSERT_TRUE(pager->Checkpoint());
  EXPECT_EQ(pager->stats().readers_expired, 2u);
  EXPECT_EQ(pager->stats().wal_bytes, Wal::kHeaderSize);  // nothing held it back
  auto page = old->Get(1);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().sqlstate, std::string("72000"));
  EXPECT_NE(page.error().message.find("snapshot too old"), std::string::npos);
  // A reader within the bound is kept, and holds the log.
  auto fresh = Begin(*pager);
  {
    BTree tree(*pager, root);
    ASSERT_TRUE(tree.Insert(Key(0), "x", /*overwrite=*/true));  // one leaf
  }
  ASSERT_TRUE(pager->Commit());
  ASSERT_TRUE(pager->Checkpoint());
  EXPECT_EQ(pager->stats().readers_expired, 2u);
  EXPECT_GT(pager->stats().wal_bytes, Wal::kHeaderSize);
  auto v = BTree(*fresh, root).Get(Key(0));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->value_or(""), "2");
  fresh.reset();
  ASSERT_TRUE(pager->Checkpoint());
  EXPECT_EQ(pager->stats().wal_bytes, Wal::kHeaderSize);
}

TEST(PagerSnapshot, ReadersSurvivePoisoning) {
  FaultInjector disk;
  auto pager = OpenWal(disk);
  PageId root = MakeAccounts(*pager, 1);
  auto s = Begin(*pager);
  SetAll(*pager, root, 2);
  ASSERT_TRUE(pager->CommitNoSync());
  disk.FailSync(1, EIO);
  ASSERT_FALSE(pager->SyncWal());
  ASSERT_TRUE(pager->poisoned());
  ExpectAll(*s, 1);  // durable state: still readable
  auto t = Begin(*pager);
  EXPECT_EQ(t->mark(), s->mark());
  ExpectAll(*t, 1);
}

TEST(PagerSnapshot, PoisonExpiresReadersOfDiscardedCommitsUnderSynchronousNormal) {
  FaultInjector disk;
  Pager::Options o = Opts();
  o.synchronous = Pager::Synchronous::kNormal;
  auto pager = OpenWal(disk, o);
  PageId root = MakeAccounts(*pager, 1);
  ASSERT_TRUE(pager->Checkpoint());  // all durable
  auto durable = Begin(*pager);
  SetAll(*pager, root, 2);
  ASSERT_TRUE(pager->Commit());  // published (normal: not fsynced per commit)
  auto seen = Begin(*pager);
  ExpectAll(*seen, 2);
  disk.FailSync(1, EIO);
  ASSERT_FALSE(pager->Checkpoint());  // the log's sync fails: the commit may be lost
  ASSERT_TRUE(pager->poisoned());
  auto page = seen->Get(1);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().sqlstate, std::string("72000"));
  ExpectAll(*durable, 1);
  auto t = Begin(*pager);
  ExpectAll(*t, 1);
}

TEST(PagerSnapshot, SpilledTransactionsStayInvisible) {
  FaultInjector disk;
  auto pager = OpenWal(disk, Opts(/*cache_pages=*/16));
  PageId root = MakeAccounts(*pager, 1);
  auto s = Begin(*pager);
  BTree tree(*pager, root);
  for (int i = 0; i < 3000; ++i) {
    ASSERT_TRUE(tree.Insert("x" + Key(i), std::string(200, 'v')));
  }
  EXPECT_GT(pager->stats().pages_spilled, 0u);
  ExpectAll(*s, 1);
  auto during = Begin(*pager);
  ExpectAll(*during, 1);
  ASSERT_TRUE(pager->Checkpoint());  // a no-op while the transaction owns the log's tail
  ASSERT_TRUE(pager->Commit());
  ExpectAll(*s, 1);
  auto after = Begin(*pager);
  BTree snap_tree(*after, root);
  auto v = snap_tree.Get("x" + Key(2999));
  ASSERT_TRUE(v);
  ASSERT_TRUE(v->has_value());
  auto old_view = BTree(*s, root).Get("x" + Key(2999));
  ASSERT_TRUE(old_view);
  EXPECT_FALSE(old_view->has_value());
}

TEST(PagerSnapshot, RollbackIsNeverSeen) {
  FaultInjector disk;
  auto pager = OpenWal(disk);
  PageId root = MakeAccounts(*pager, 1);
  SetAll(*pager, root, 9);
  pager->Rollback();
  auto s = Begin(*pager);
  ExpectAll(*s, 1);
}

TEST(PagerSnapshot, ReadOnlyOpenServesTheRecoveredLog) {
  FaultInjector disk;
  {
    Pager::Options o = Opts();
    auto pager = OpenWal(disk, o);
    PageId root = MakeAccounts(*pager, 1);
    SetAll(*pager, root, 5);
    ASSERT_TRUE(pager->Commit());
    disk.Crash();  // no checkpoint at close: the commits stay in the log
  }
  FaultInjector after = disk.Clone();
  Pager::Options o = Opts();
  o.read_only = true;
  auto pager = OpenWal(after, o);
  ASSERT_NE(pager, nullptr);
  auto s = Begin(*pager);
  ExpectAll(*s, 5);
}

TEST(PagerSnapshot, OutOfRangeAndNoWal) {
  FaultInjector disk;
  auto pager = OpenWal(disk);
  MakeAccounts(*pager, 1);
  auto s = Begin(*pager);
  auto page = s->Get(s->page_count());
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().sqlstate, std::string("XX001"));
  s.reset();

  auto plain = Pager::Open(disk.Open("plain"), Opts());
  ASSERT_TRUE(plain);
  auto r = (*plain)->BeginRead();  // NOLINT
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, std::string("0A000"));
}

TEST(PagerSnapshot, DamageInTheLogIsXX001ForAReader) {
  FaultInjector disk;
  auto pager = OpenWal(disk);
  MakeAccounts(*pager, 1);
  auto s = Begin(*pager);
  // Flip a byte of the first frame's page in the log.
  auto wal = disk.Open("db.wal");
  std::byte b[1];
  const uint64_t at = Wal::kHeaderSize + Wal::kFrameHeaderSize + 100;
  ASSERT_TRUE(wal->ReadAt(at, b));
  b[0] ^= std::byte{0xff};
  ASSERT_TRUE(wal->WriteAt(at, b));
  bool damaged = false;
  for (PageId p = 1; p < s->page_count(); ++p) {
    auto page = s->Get(p);
    if (!page) {
      EXPECT_EQ(page.error().sqlstate, std::string("XX001"));
      EXPECT_NE(page.error().message.find("checksum"), std::string::npos);
      damaged = true;
    }
  }
  EXPECT_TRUE(damaged);
  b[0] ^= std::byte{0xff};
  ASSERT_TRUE(wal->WriteAt(at, b));  // repaired, so Close's checkpoint is clean
}

// ---- group commit with the fsync off the writer's thread (BeginSync / LogSync / FinishSync) ----

TEST(PagerAsyncSync, FinishSyncMakesExactlyTheCapturedCommitsDurable) {
  FaultInjector disk;
  auto pager = OpenWal(disk);
  PageId root = MakeAccounts(*pager, 1);
  const uint64_t before = pager->durable_mark();
  auto none = pager->BeginSync();  // nothing awaits a sync
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  SetAll(*pager, root, 2);
  ASSERT_TRUE(pager->CommitNoSync());
  auto sync = pager->BeginSync();
  ASSERT_TRUE(sync && sync->has_value());
  EXPECT_TRUE(pager->sync_in_flight());
  // The writer goes on while the fsync runs: this commit is not covered by it.
  SetAll(*pager, root, 3);
  ASSERT_TRUE(pager->CommitNoSync());
  const uint64_t wal_syncs = pager->stats().wal_syncs;
  ASSERT_TRUE((*sync)->Run());
  EXPECT_EQ(pager->durable_mark(), before);  // not before FinishSync
  ASSERT_TRUE(pager->FinishSync(**sync, Ok()));
  EXPECT_FALSE(pager->sync_in_flight());
  EXPECT_EQ(pager->stats().wal_syncs, wal_syncs + 1);
  EXPECT_EQ(pager->durable_mark(), before + 1);
  {
    auto snap = Begin(*pager);
    ExpectAll(*snap, 2);
  }
  // The next sync covers the rest.
  auto next = pager->BeginSync();
  ASSERT_TRUE(next && next->has_value());
  ASSERT_TRUE((*next)->Run());
  ASSERT_TRUE(pager->FinishSync(**next, Ok()));
  EXPECT_EQ(pager->durable_mark(), before + 2);
  {
    auto snap = Begin(*pager);
    ExpectAll(*snap, 3);
  }
  auto done = pager->BeginSync();
  ASSERT_TRUE(done);
  EXPECT_FALSE(done->has_value());
}

TEST(PagerAsyncSync, APowerLossKeepsTheSyncedCommit) {
  FaultInjector disk;
  {
    auto pager = OpenWal(disk);
    PageId root = MakeAccounts(*pager, 1);
    SetAll(*pager, root, 2);
    ASSERT_TRUE(pager->CommitNoSync());
    auto sync = pager->BeginSync();
    ASSERT_TRUE(sync && sync->has_value());
    ASSERT_TRUE((*sync)->Run());
    SetAll(*pager, root, 3);
    ASSERT_TRUE(pager->CommitNoSync());  // written after the fsync, never synced
    ASSERT_TRUE(pager->FinishSync(**sync, Ok()));
    auto next = pager->BeginSync();  // the later commit awaits the next sync
    ASSERT_TRUE(next && next->has_value());
    // The machine dies with that sync in flight: it fails, so the pager writes nothing more
    // (a poisoned pager's Close does not checkpoint), and the power goes.
    ASSERT_FALSE(pager->FinishSync(**next, Fail(IoError("fsync", "db.wal", EIO))));
  }
  disk.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  auto pager = OpenWal(disk);
  ExpectAll(*pager, 2);
}

TEST(PagerAsyncSync, AFailedFsyncForgetsTheCapturedCommitsAndEveryLaterOne) {
  FaultInjector disk;
  auto pager = OpenWal(disk);
  PageId root = MakeAccounts(*pager, 1);
  const uint64_t before = pager->durable_mark();
  auto s = Begin(*pager);
  SetAll(*pager, root, 2);
  ASSERT_TRUE(pager->CommitNoSync());
  auto sync = pager->BeginSync();
  ASSERT_TRUE(sync && sync->has_value());
  SetAll(*pager, root, 3);
  ASSERT_TRUE(pager->CommitNoSync());
  SetAll(*pager, root, 4);  // a transaction open when the failure is reported
  disk.FailSync(1, EIO);
  Status fsynced = (*sync)->Run();
  ASSERT_FALSE(fsynced);
  Status finished = pager->FinishSync(**sync, fsynced);
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().sqlstate, std::string("58030"));
  EXPECT_TRUE(pager->poisoned());
  EXPECT_FALSE(pager->sync_in_flight());
  EXPECT_EQ(pager->durable_mark(), before);
  ExpectAll(*s, 1);
  {
    auto snap = Begin(*pager);
    ExpectAll(*snap, 1);
  }
  ExpectAll(*pager, 1);  // the writer's view too: the open transaction was rolled back
  auto again = pager->BeginSync();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().sqlstate, std::string("58030"));
}

TEST(PagerAsyncSync, TheAutomaticCheckpointRunsAfterTheSyncWithoutSyncingTheLogItself) {
  FaultInjector disk;
  Pager::Options o = Opts();
  o.wal_autocheckpoint_bytes = 16 * Wal::kFrameSize;
  auto pager = OpenWal(disk, o);
  PageId root = MakeAccounts(*pager, 0);
  auto reader = Begin(*pager);  // holds the log over its threshold for a while
  uint64_t finished_syncs = 0;
  for (int v = 1; v <= 30; ++v) {
    SetAll(*pager, root, v);
    ASSERT_TRUE(pager->CommitNoSync());
    // Every other round, a commit lands while the sync is in flight.
    auto sync = pager->BeginSync();
    ASSERT_TRUE(sync && sync->has_value());
    if (v % 2 == 0) {
      SetAll(*pager, root, v * 1000);
      ASSERT_TRUE(pager->CommitNoSync());
      SetAll(*pager, root, v);
      ASSERT_TRUE(pager->CommitNoSync());
    }
    const uint64_t syncs = pager->stats().wal_syncs;
    const uint64_t checkpoints = pager->stats().checkpoints;
    ASSERT_TRUE((*sync)->Run());
    ASSERT_TRUE(pager->FinishSync(**sync, Ok()));
    ++finished_syncs;
    // One fsync of the log per group while the reader holds the log, whatever the checkpoint
    // did (the old rule synced the log again inside every automatic checkpoint while the reader
    // held it over the threshold). Once it has left, a checkpoint that copies the commits made
    // during the fsync syncs them first: one more, in such a round only (as below).
    const bool synced_for_checkpoint =
        v > 20 && v % 2 == 0 && pager->stats().checkpoints > checkpoints;
    EXPECT_EQ(pager->stats().wal_syncs, syncs + (synced_for_checkpoint ? 2 : 1)) << "round " << v;
    if (v == 20) reader.reset();
  }
  ExpectAll(*pager, 30);
  EXPECT_GT(pager->stats().checkpoints, 0u);
  // The log restarted once the reader left: it is back under twice the threshold.
  EXPECT_LE(pager->stats().wal_bytes, 2 * o.wal_autocheckpoint_bytes + Wal::kFrameSize * 40);
  auto sync = pager->BeginSync();
  ASSERT_TRUE(sync);
  if (sync->has_value()) {
    ASSERT_TRUE((*sync)->Run());
    ASSERT_TRUE(pager->FinishSync(**sync, Ok()));
  }
  ASSERT_TRUE(pager->Close());
  pager = OpenWal(disk, o);
  ExpectAll(*pager, 30);
}

TEST(PagerAsyncSync, UnderSustainedLoadTheLogStillRestarts) {
  // Commits land during every group's fsync, so durable frames never reach the committed end:
  // without a reader holding the log, the automatic checkpoint must still restart it.
  FaultInjector disk;
  Pager::Options o = Opts();
  o.wal_autocheckpoint_bytes = 16 * Wal::kFrameSize;
  auto pager = OpenWal(disk, o);
  PageId root = MakeAccounts(*pager, 0);
  uint64_t max_log = 0;
  const uint64_t syncs_before = pager->stats().wal_syncs;
  const int kGroups = 200;
  for (int v = 1; v <= kGroups; ++v) {
    SetAll(*pager, root, 2 * v);
    ASSERT_TRUE(pager->CommitNoSync());
    auto sync = pager->BeginSync();
    ASSERT_TRUE(sync && sync->has_value());
    SetAll(*pager, root, 2 * v + 1);
    ASSERT_TRUE(pager->CommitNoSync());  // lands during the fsync
    ASSERT_TRUE((*sync)->Run());
    ASSERT_TRUE(pager->FinishSync(**sync, Ok()));
    max_log = std::max(max_log, pager->stats().wal_bytes);
  }
  const uint64_t checkpoints = pager->stats().checkpoints;
  EXPECT_GT(checkpoints, 0u);
  // The log stays within the threshold kept for reuse plus a group's frames.
  EXPECT_LE(max_log, 2 * o.wal_autocheckpoint_bytes + 2 * kAccounts / 8 * Wal::kFrameSize)
      << "the log grew without restarting";
  // One log fsync per group, plus one per checkpoint for the commits made during the fsync.
  EXPECT_LE(pager->stats().wal_syncs - syncs_before, kGroups + checkpoints);
  // The last group's commit made during its fsync awaits a sync, unless the checkpoint after
  // that fsync synced it to copy it.
  auto last = pager->BeginSync();
  ASSERT_TRUE(last);
  if (last->has_value()) {
    ASSERT_TRUE((*last)->Run());
    ASSERT_TRUE(pager->FinishSync(**last, Ok()));
  }
  ASSERT_TRUE(pager->Close());
  pager = OpenWal(disk, o);
  ExpectAll(*pager, 2 * kGroups + 1);
}

// ---- background checkpoint rounds (Pager::BeginBackfill) ---------------------------------------

// A round once 8 frames are durable and not yet in the main file; the restart at 64 frames.
Pager::Options BackgroundOpts() {
  Pager::Options o = Opts();
  o.background_backfill = true;
  o.wal_autocheckpoint_bytes = 64 * uint64_t{Wal::kFrameSize};
  return o;
}

// Commits SetAll(value) for value = from, from + 1, ... until the log holds at least `bytes`;
// returns the last value committed.
int CommitUntilLogHolds(Pager& pager, PageId root, int from, uint64_t bytes) {
  int value = from;
  for (;; ++value) {
    SetAll(pager, root, value);
    EXPECT_TRUE(pager.Commit());
    if (pager.stats().wal_bytes >= bytes || value > from + 1000) return value;
  }
}

TEST(PagerSnapshot, BackgroundRoundsCopyTheLogAndTheRestartWaitsForARound) {
  FaultInjector disk;
  const Pager::Options options = BackgroundOpts();
  auto pager = OpenWal(disk, options);
  PageId root = MakeAccounts(*pager, 0);
  // Past the threshold the automatic checkpoint leaves the copying to the rounds.
  int value = CommitUntilLogHolds(*pager, root, 1, options.wal_autocheckpoint_bytes);
  EXPECT_EQ(pager->stats().checkpoints, 0u);
  const uint64_t log_bytes = pager->stats().wal_bytes;
  EXPECT_LT(log_bytes, 4 * options.wal_autocheckpoint_bytes);

  std::optional<BackfillJob> job = pager->BeginBackfill();
  ASSERT_TRUE(job);
  EXPECT_TRUE(pager->backfill_in_flight());
  EXPECT_FALSE(pager->BeginBackfill());  // one round at a time
  const uint64_t main_writes = disk.writes();
  ASSERT_TRUE(job->Run());
  EXPECT_GT(disk.writes(), main_writes);
  // Commits go on while the round is in flight; the restart waits for it.
  SetAll(*pager, root, ++value);
  ASSERT_TRUE(pager->Commit());
  EXPECT_EQ(pager->stats().checkpoints, 0u);
  ASSERT_TRUE(pager->FinishBackfill(*job, Ok()));
  EXPECT_FALSE(pager->backfill_in_flight());
  EXPECT_EQ(pager->stats().backfills, 1u);

  // Little is left after the round: the next commit's automatic checkpoint copies it and
  // restarts the log.
  SetAll(*pager, root, ++value);
  ASSERT_TRUE(pager->Commit());
  EXPECT_EQ(pager->stats().checkpoints, 1u);
  EXPECT_EQ(pager->stats().wal_bytes, Wal::kHeaderSize);
  ExpectAll(*pager, value);
  ASSERT_TRUE(pager->Close());
  pager = OpenWal(disk, options);
  ExpectAll(*pager, value);
}

TEST(PagerSnapshot, BackgroundRoundStopsAtTheOldestReader) {
  FaultInjector disk;
  const Pager::Options options = BackgroundOpts();
  auto pager = OpenWal(disk, options);
  PageId root = MakeAccounts(*pager, 0);
  // A second tree that s1 reads from the main file and later commits change in the log.
  auto other = BTree::Create(*pager);
  ASSERT_TRUE(other);
  {
    BTree tree(*pager, *other);
    ASSERT_TRUE(tree.Insert(Key(0), "7"));
  }
  ASSERT_TRUE(pager->Commit());
  ASSERT_TRUE(pager->Checkpoint());
  const int v1 = CommitUntilLogHolds(*pager, root, 1, options.wal_autocheckpoint_bytes / 2);
  auto s1 = Begin(*pager);  // the accounts at v1 in the log, the other tree in the main file
  {
    BTree tree(*pager, *other);
    ASSERT_TRUE(tree.Insert(Key(0), "99", /*overwrite=*/true));
  }
  ASSERT_TRUE(pager->Commit());
  int value = CommitUntilLogHolds(*pager, root, v1 + 1, 2 * options.wal_autocheckpoint_bytes);
  std::optional<BackfillJob> job = pager->BeginBackfill();
  ASSERT_TRUE(job);  // it may copy up to s1's mark
  ASSERT_TRUE(job->Run());
  ASSERT_TRUE(pager->FinishBackfill(*job, Ok()));
  EXPECT_FALSE(pager->BeginBackfill());  // nothing more below s1's mark
  ExpectAll(*s1, v1);
  {
    BTree tree(*s1, *other);
    auto got = tree.Get(Key(0));
    ASSERT_TRUE(got) << got.error().message;
    ASSERT_TRUE(got->has_value());
    EXPECT_EQ(**got, "7");  // the round copied nothing s1 reads from the main file
  }
  // With s1 alive the log cannot restart; once it is gone, a round and a restart finish.
  SetAll(*pager, root, ++value);
  ASSERT_TRUE(pager->Commit());
  ExpectAll(*s1, v1);
  s1.reset();
  for (int i = 0; i < 3 && pager->stats().wal_bytes != Wal::kHeaderSize; ++i) {
    if (std::optional<BackfillJob> next = pager->BeginBackfill()) {
      ASSERT_TRUE(next->Run());
      ASSERT_TRUE(pager->FinishBackfill(*next, Ok()));
    }
    SetAll(*pager, root, ++value);
    ASSERT_TRUE(pager->Commit());
  }
  EXPECT_EQ(pager->stats().wal_bytes, Wal::kHeaderSize);
  ASSERT_TRUE(pager->Close());
  pager = OpenWal(disk, options);
  ExpectAll(*pager, value);
}

TEST(PagerSnapshot, ABackgroundRoundCopiesOnlyDurableFrames) {
  FaultInjector disk;
  const Pager::Options options = BackgroundOpts();
  auto pager = OpenWal(disk, options);
  PageId root = MakeAccounts(*pager, 0);
  // A second tree, only in the main file, that only a commit not yet durable changes.
  auto other = BTree::Create(*pager);
  ASSERT_TRUE(other);
  {
    BTree tree(*pager, *other);
    ASSERT_TRUE(tree.Insert(Key(0), "7"));
  }
  ASSERT_TRUE(pager->Commit());
  ASSERT_TRUE(pager->Checkpoint());
  CommitUntilLogHolds(*pager, root, 1, options.wal_autocheckpoint_bytes);
  {
    BTree tree(*pager, *other);
    ASSERT_TRUE(tree.Insert(Key(0), "99", /*overwrite=*/true));
  }
  ASSERT_TRUE(pager->CommitNoSync());  // in the log, not synced
  std::optional<BackfillJob> job = pager->BeginBackfill();
  ASSERT_TRUE(job);
  ASSERT_TRUE(job->Run());
  ASSERT_TRUE(pager->FinishBackfill(*job, Ok()));
  // A power cut loses the unsynced commit; the main file (synced by the round) must not hold it.
  disk.Crash();
  disk.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  pager.reset();
  pager = OpenWal(disk, options);
  BTree tree(*pager, *other);
  auto v = tree.Get(Key(0));
  ASSERT_TRUE(v) << v.error().message;
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ(**v, "7");
}

TEST(PagerSnapshot, AFailedBackgroundRoundPoisonsThePagerAndLosesNothing) {
  FaultInjector disk;
  const Pager::Options options = BackgroundOpts();
  auto pager = OpenWal(disk, options);
  PageId root = MakeAccounts(*pager, 0);
  const int value = CommitUntilLogHolds(*pager, root, 1, options.wal_autocheckpoint_bytes);
  std::optional<BackfillJob> job = pager->BeginBackfill();
  ASSERT_TRUE(job);
  disk.FailSync(1, EIO);  // the main file's sync at the end of the round
  Status copied = job->Run();
  ASSERT_FALSE(copied);
  Status finished = pager->FinishBackfill(*job, copied);
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().sqlstate, "58030");
  EXPECT_TRUE(pager->poisoned());
  Result<PageRef> refused = pager->GetMutable(root);  // writes are refused from now on
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().sqlstate, "58030");
  // Every acknowledged commit is in the log; a power cut and a reopen keep them all.
  pager.reset();
  disk.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  pager = OpenWal(disk, options);
  ExpectAll(*pager, value);
}

TEST(PagerSnapshot, ARoundThatFailsDuringAGroupsSyncLeavesThatGroupDurable) {
  FaultInjector disk;
  const Pager::Options options = BackgroundOpts();
  auto pager = OpenWal(disk, options);
  PageId root = MakeAccounts(*pager, 0);
  int value = CommitUntilLogHolds(*pager, root, 1, options.wal_autocheckpoint_bytes);
  std::optional<BackfillJob> job = pager->BeginBackfill();
  ASSERT_TRUE(job);
  SetAll(*pager, root, ++value);
  ASSERT_TRUE(pager->CommitNoSync());
  auto sync = pager->BeginSync();
  ASSERT_TRUE(sync && sync->has_value());
  disk.FailSync(1, EIO);  // the round's sync of the main file, which runs first
  Status copied = job->Run();
  ASSERT_FALSE(copied);
  ASSERT_FALSE(pager->FinishBackfill(*job, copied));
  EXPECT_TRUE(pager->poisoned());
  EXPECT_NE(pager->poison_cause().find("checkpoint round"), std::string::npos);
  // The group's fsync succeeds: its commit is durable, acknowledged and shown to new readers.
  ASSERT_TRUE((*sync)->Run());
  ASSERT_TRUE(pager->FinishSync(**sync, Ok()));
  auto s = Begin(*pager);
  ASSERT_TRUE(s);
  ExpectAll(*s, value);
  s.reset();
  disk.Crash();
  disk.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  pager.reset();
  pager = OpenWal(disk, options);
  ExpectAll(*pager, value);
}

TEST(PagerSnapshot, BackgroundRoundsOnlyUnderSynchronousFull) {
  FaultInjector disk;
  Pager::Options options = BackgroundOpts();
  options.synchronous = Pager::Synchronous::kNormal;
  auto pager = OpenWal(disk, options);
  PageId root = MakeAccounts(*pager, 0);
  const int value = CommitUntilLogHolds(*pager, root, 1, options.wal_autocheckpoint_bytes / 2);
  EXPECT_FALSE(pager->BeginBackfill());
  ExpectAll(*pager, value);
}

}  // namespace
}  // namespace sqlrite::storage
