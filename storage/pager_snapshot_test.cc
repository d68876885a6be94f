// Snapshot reads (Pager::BeginRead): a reader's view never changes while the writer commits;
// marks; durability (a reader never sees an unsynced commit); checkpoints held back by readers,
// generation restarts, expiry (72000), poisoning, spilled transactions, read-only opens.

#include <gtest/gtest.h>

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

// An old snapshot holds the log past wal_autocheckpoint_bytes, so every commit tries an automatic
// checkpoint. Those attempts must not sync the log (only the group commit's SyncWal does), or a
// REPEATABLE READ block held open would cost the writers one fsync per commit.
TEST(PagerSnapshot, AHeldBackCheckpointLeavesTheSyncToTheGroupCommit) {
  FaultInjector disk;
  Pager::Options options = Opts();
  options.wal_autocheckpoint_bytes = 16 * 1024;  // a few commits' worth
  auto pager = OpenWal(disk, options);
  PageId root = MakeAccounts(*pager, 1);  // past the threshold: checkpointed, the log restarts
  SetAll(*pager, root, 1);
  ASSERT_TRUE(pager->Commit());  // so that the reader pins frames of the log, not just the file
  auto old = Begin(*pager);
  const uint64_t syncs = pager->stats().wal_syncs;
  for (int i = 2; i < 12; ++i) {
    SetAll(*pager, root, i);
    ASSERT_TRUE(pager->CommitNoSync());
    if (i % 2 == 1) {
      ASSERT_TRUE(pager->SyncWal());  // a group of two commits per sync
    }
  }
  EXPECT_GT(pager->stats().wal_bytes, 4 * options.wal_autocheckpoint_bytes);
  EXPECT_EQ(pager->stats().wal_syncs, syncs + 5) << "one per group commit, none per checkpoint";
  EXPECT_GE(pager->stats().checkpoints_put_off, 5u);
  ExpectAll(*old, 1);
  old.reset();
  // Released: the next commit's checkpoint syncs, backfills everything and restarts the log.
  SetAll(*pager, root, 12);
  ASSERT_TRUE(pager->CommitNoSync());
  EXPECT_EQ(pager->stats().wal_syncs, syncs + 6);
  EXPECT_LT(pager->stats().wal_bytes, 3 * options.wal_autocheckpoint_bytes);
  auto fresh = Begin(*pager);
  ExpectAll(*fresh, 12);
  fresh.reset();
  ASSERT_TRUE(pager->Close());
  pager = OpenWal(disk);
  ExpectAll(*pager, 12);
}

// A checkpoint put off by a reader does no I/O on the main file, so a main-file failure cannot
// turn the commit that triggered it into one that is reported failed yet stays (it is not durable
// when the checkpoint runs, so it could be neither kept nor cleanly discarded).
TEST(PagerSnapshot, APutOffCheckpointCannotFailTheCommitThatTriggeredIt) {
  FaultInjector disk;
  Pager::Options options = Opts();
  options.wal_autocheckpoint_bytes = 16 * 1024;
  auto pager = OpenWal(disk, options);
  PageId root = MakeAccounts(*pager, 1);
  SetAll(*pager, root, 2);
  ASSERT_TRUE(pager->Commit());
  auto reader = Begin(*pager);  // pins the frames of value 2
  SetAll(*pager, root, 3);
  disk.FailSync(1, EIO);               // the next sync of any file fails
  ASSERT_TRUE(pager->CommitNoSync());  // its checkpoint is put off: no backfill, no sync
  EXPECT_FALSE(pager->poisoned());
  ExpectAll(*reader, 2);
  ExpectAll(*pager, 3);
  reader.reset();
  disk.FailSync(0, 0);
  ASSERT_TRUE(pager->SyncWal());
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

}  // namespace
}  // namespace sqlrite::storage
