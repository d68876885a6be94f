// The pager on its write-ahead log: commits, group commit, checkpoints, read-committed
// snapshots, savepoints, spilling, injected I/O faults and power loss (FaultInjector).

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "storage/btree.h"
#include "storage/fault_injection.h"
#include "storage/integrity_check.h"
#include "storage/pager.h"
#include "storage/wal.h"

// The helpers below are this file's own: a unity build (SQLRITE_UNITY) compiles it with the
// target's other tests, whose helpers of the same names would collide in one namespace.
namespace sqlrite::storage::pager_wal_test {
namespace {

using Model = std::map<std::string, std::string>;

// A machine that can die: once dead (explicitly or at its n-th write) every write, sync and
// truncate fails, so a pager destroyed afterwards cannot tidy up what a crash left behind.
struct Machine {
  bool dead = false;
  int64_t writes_left = -1;  // writes and syncs until death; < 0: no limit
};

class CrashableFile final : public File {
 public:
  CrashableFile(std::unique_ptr<File> inner, Machine* machine)
      : inner_(std::move(inner)), machine_(machine) {}
  Status ReadAt(uint64_t offset, std::span<std::byte> out) override {
    return inner_->ReadAt(offset, out);
  }
  Status WriteAt(uint64_t offset, std::span<const std::byte> data) override {
    if (machine_->writes_left > 0 && --machine_->writes_left == 0) machine_->dead = true;
    if (machine_->dead) return Fail(IoError("write to", "crashed", EIO));
    return inner_->WriteAt(offset, data);
  }
  Status Sync() override {
    if (machine_->writes_left > 0 && --machine_->writes_left == 0) machine_->dead = true;
    if (machine_->dead) return Fail(IoError("fsync", "crashed", EIO));
    return inner_->Sync();
  }
  Result<uint64_t> Size() override { return inner_->Size(); }
  Status Truncate(uint64_t size) override {
    if (machine_->dead) return Fail(IoError("truncate", "crashed", EIO));
    return inner_->Truncate(size);
  }

 private:
  std::unique_ptr<File> inner_;
  Machine* machine_;
};

Pager::Options SmallOptions(size_t cache_pages = 64) {
  Pager::Options o;
  o.cache_bytes = cache_pages * kPageSize;
  return o;
}

std::unique_ptr<Pager> OpenWal(FaultInjector& disk, Pager::Options options = SmallOptions(),
                               Machine* machine = nullptr) {
  std::unique_ptr<File> db = disk.Open("db");
  std::unique_ptr<File> wal = disk.Open("db.wal");
  if (machine != nullptr) {
    db = std::make_unique<CrashableFile>(std::move(db), machine);
    wal = std::make_unique<CrashableFile>(std::move(wal), machine);
  }
  auto pager = Pager::Open(std::move(db), std::move(wal), options);
  EXPECT_TRUE(pager) << pager.error().message;
  return pager ? std::move(*pager) : nullptr;
}

std::string Key(uint32_t i) {
  std::string k(4, '\0');
  StoreBE32(k.data(), i);
  return k;
}

// A tree whose root is in MetaSlot::kCatalogRoot, created and committed when absent.
PageId EnsureTree(Pager& pager) {
  PageId root = pager.GetMeta(MetaSlot::kCatalogRoot);
  if (root != kInvalidPage) return root;
  auto created = BTree::Create(pager);
  EXPECT_TRUE(created);
  pager.SetMeta(MetaSlot::kCatalogRoot, *created);
  EXPECT_TRUE(pager.Commit());
  return *created;
}

Model ReadAll(Pager& pager, PageId root) {
  Model out;
  BTree tree(pager, root);
  BTree::Cursor c(tree);
  EXPECT_TRUE(c.SeekFirst());
  while (c.Valid()) {
    auto v = c.value();
    EXPECT_TRUE(v);
    out.emplace(std::string(c.key()), v ? *v : "");
    EXPECT_TRUE(c.Next());
  }
  return out;
}

Model ReadDb(Pager& pager) {
  PageId root = pager.GetMeta(MetaSlot::kCatalogRoot);
  if (root == kInvalidPage) return {};
  return ReadAll(pager, root);
}

void ExpectSound(Pager& pager) {
  std::vector<PageId> roots;
  if (PageId root = pager.GetMeta(MetaSlot::kCatalogRoot); root != kInvalidPage) {
    roots.push_back(root);
  }
  Status s = CheckIntegrity(pager, roots);
  EXPECT_TRUE(s) << s.error().message;
}

void Fill(Pager& pager, PageId root, Model& model, uint32_t from, uint32_t to, size_t size,
          char c) {
  BTree tree(pager, root);
  for (uint32_t i = from; i < to; ++i) {
    std::string v(size, c);
    ASSERT_TRUE(tree.Insert(Key(i), v, /*overwrite=*/true));
    model[Key(i)] = v;
  }
}

TEST(PagerWalTest, CommitGoesToTheLogAndCheckpointToTheMainFile) {
  FaultInjector disk;
  auto pager = OpenWal(disk);
  PageId root = EnsureTree(*pager);
  Model model;
  Fill(*pager, root, model, 0, 500, 100, 'a');
  ASSERT_TRUE(pager->Commit());
  EXPECT_EQ(*disk.Open("db")->Size(), kPageSize);  // main file: the initial header only
  EXPECT_GT(*disk.Open("db.wal")->Size(), 10 * kPageSize);
  ASSERT_TRUE(pager->Checkpoint());
  EXPECT_EQ(*disk.Open("db")->Size(), uint64_t{pager->page_count()} * kPageSize);
  EXPECT_EQ(*disk.Open("db.wal")->Size(), 32u);
  EXPECT_EQ(ReadAll(*pager, root), model);
  ASSERT_TRUE(pager->Close());
  auto reopened = OpenWal(disk);
  EXPECT_EQ(ReadDb(*reopened), model);
  ExpectSound(*reopened);
}

TEST(PagerWalTest, RecoveryReplaysCommittedLogAfterPowerLoss) {
  FaultInjector disk;
  Machine machine;
  Model model;
  {
    auto pager = OpenWal(disk, SmallOptions(), &machine);
    PageId root = EnsureTree(*pager);
    Fill(*pager, root, model, 0, 300, 50, 'a');
    ASSERT_TRUE(pager->Commit());
    Model lost = model;
    Fill(*pager, root, lost, 300, 400, 50, 'b');  // never committed
    machine.dead = true;
  }
  disk.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  auto pager = OpenWal(disk);
  EXPECT_EQ(ReadDb(*pager), model);
  ExpectSound(*pager);
}

TEST(PagerWalTest, AutoCheckpointKeepsTheLogSmall) {
  FaultInjector disk;
  auto options = SmallOptions();
  options.wal_autocheckpoint_bytes = 64 * 1024;
  auto pager = OpenWal(disk, options);
  PageId root = EnsureTree(*pager);
  Model model;
  for (uint32_t t = 0; t < 20; ++t) {
    Fill(*pager, root, model, t * 50, t * 50 + 50, 200, static_cast<char>('a' + t));
    ASSERT_TRUE(pager->Commit());
  }
  EXPECT_GT(pager->stats().checkpoints, 2u);
  EXPECT_LT(*disk.Open("db.wal")->Size(), 64 * 1024 + 40 * Wal::kFrameSize);
  EXPECT_EQ(ReadAll(*pager, root), model);
}

TEST(PagerWalTest, GroupCommitSyncsOnceForManyCommits) {
  FaultInjector disk;
  Machine machine;
  Model model;
  {
    auto pager = OpenWal(disk, SmallOptions(), &machine);
    PageId root = EnsureTree(*pager);
    uint64_t syncs = disk.syncs();
    for (uint32_t t = 0; t < 5; ++t) {
      Fill(*pager, root, model, t * 10, t * 10 + 10, 30, 'g');
      ASSERT_TRUE(pager->CommitNoSync());
    }
    EXPECT_EQ(disk.syncs(), syncs);
    ASSERT_TRUE(pager->SyncWal());
    EXPECT_EQ(disk.syncs(), syncs + 1);
    ASSERT_TRUE(pager->SyncWal());  // nothing new: no fsync
    EXPECT_EQ(disk.syncs(), syncs + 1);
    machine.dead = true;
  }
  disk.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  auto pager = OpenWal(disk);
  EXPECT_EQ(ReadDb(*pager), model);
}

TEST(PagerWalTest, SynchronousNormalSyncsOnlyAtCheckpoint) {
  FaultInjector disk;
  auto options = SmallOptions();
  options.synchronous = Pager::Synchronous::kNormal;
  auto pager = OpenWal(disk, options);
  PageId root = EnsureTree(*pager);
  uint64_t syncs = disk.syncs();
  Model model;
  for (uint32_t t = 0; t < 5; ++t) {
    Fill(*pager, root, model, t * 10, t * 10 + 10, 30, 'n');
    ASSERT_TRUE(pager->Commit());
  }
  EXPECT_EQ(disk.syncs(), syncs);
  ASSERT_TRUE(pager->Checkpoint());
  EXPECT_GT(disk.syncs(), syncs);
  EXPECT_EQ(ReadAll(*pager, root), model);
}

TEST(PagerWalTest, ReadCommittedSeesTheLastCommitWhileAWriterIsOpen) {
  for (size_t cache_pages : {8u, 4096u}) {  // 8: the writer spills
    FaultInjector disk;
    auto pager = OpenWal(disk, SmallOptions(cache_pages));
    PageId root = EnsureTree(*pager);
    Model committed;
    Fill(*pager, root, committed, 0, 400, 60, 'c');
    pager->SetMeta(MetaSlot::kUser1, 7);
    ASSERT_TRUE(pager->Commit());
    uint32_t committed_pages = pager->page_count();

    Model open = committed;
    Fill(*pager, root, open, 200, 1500, 80, 'w');
    BTree tree(*pager, root);
    for (uint32_t i = 0; i < 100; ++i) {
      ASSERT_TRUE(tree.Delete(Key(i)));
      open.erase(Key(i));
    }
    pager->SetMeta(MetaSlot::kUser1, 8);
    if (cache_pages == 8) {
      EXPECT_GT(pager->stats().pages_spilled, 0u);
    }

    pager->SetReadCommitted(true);
    EXPECT_EQ(ReadAll(*pager, root), committed);
    EXPECT_EQ(pager->GetMeta(MetaSlot::kUser1), 7u);
    EXPECT_EQ(pager->page_count(), committed_pages);
    ExpectSound(*pager);
    pager->SetReadCommitted(false);
    EXPECT_EQ(ReadAll(*pager, root), open);
    EXPECT_EQ(pager->GetMeta(MetaSlot::kUser1), 8u);
    ASSERT_TRUE(pager->Commit());
    pager->SetReadCommitted(true);
    EXPECT_EQ(ReadAll(*pager, root), open);
    pager->SetReadCommitted(false);
  }
}

// A page's check mark (PageRef::verified) describes the bytes a reference shows: the committed
// image of a dirty page has its own, and a rollback that copies the image back restores it.
TEST(PagerWalTest, CheckMarksFollowTheBytesTheyDescribe) {
  FaultInjector disk;
  auto pager = OpenWal(disk, SmallOptions(4096));
  PageId root = EnsureTree(*pager);
  Model committed;
  Fill(*pager, root, committed, 0, 10, 20, 'c');
  ASSERT_TRUE(pager->Commit());
  // Checked while clean: the image taken when it is dirtied is checked too.
  {
    auto ref = pager->Get(root);
    ASSERT_TRUE(ref);
    ref->MarkVerified();
  }
  {
    auto dirty = pager->GetMutable(root);
    ASSERT_TRUE(dirty);
    EXPECT_TRUE(dirty->verified());
  }
  pager->SetReadCommitted(true);
  {
    auto image = pager->Get(root);
    ASSERT_TRUE(image);
    EXPECT_TRUE(image->verified());
  }
  pager->SetReadCommitted(false);
  pager->Rollback();
  {
    auto ref = pager->Get(root);
    ASSERT_TRUE(ref);
    EXPECT_TRUE(ref->verified());  // the image's bytes and their mark came back
  }
  // Dirtied before any check: a check of the dirty bytes says nothing of the image.
  ASSERT_TRUE(pager->Checkpoint());
  pager.reset();
  auto reopened = OpenWal(disk, SmallOptions(4096));
  {
    auto dirty = reopened->GetMutable(root);
    ASSERT_TRUE(dirty);
    EXPECT_FALSE(dirty->verified());
    dirty->MarkVerified();
  }
  reopened->SetReadCommitted(true);
  {
    auto image = reopened->Get(root);
    ASSERT_TRUE(image);
    EXPECT_FALSE(image->verified());
    image->MarkVerified();
  }
  reopened->SetReadCommitted(false);
  reopened->Rollback();
  {
    auto ref = reopened->Get(root);
    ASSERT_TRUE(ref);
    EXPECT_TRUE(ref->verified());  // checked through the committed reference
  }
}

TEST(PagerWalTest, SavepointsNestAndRollBack) {
  for (size_t cache_pages : {8u, 4096u}) {
    FaultInjector disk;
    auto pager = OpenWal(disk, SmallOptions(cache_pages));
    PageId root = EnsureTree(*pager);
    Model base;
    Fill(*pager, root, base, 0, 300, 40, 'b');
    ASSERT_TRUE(pager->Commit());

    Model m1 = base;
    Fill(*pager, root, m1, 100, 400, 50, '1');  // in the transaction, before any savepoint
    uint32_t pages1 = pager->page_count();
    uint32_t sp1 = pager->Savepoint();
    Model m2 = m1;
    Fill(*pager, root, m2, 350, 900, 70, '2');
    BTree tree(*pager, root);
    for (uint32_t i = 0; i < 50; ++i) {
      ASSERT_TRUE(tree.Delete(Key(i)));
      m2.erase(Key(i));
    }
    uint32_t sp2 = pager->Savepoint();
    Model m3 = m2;
    Fill(*pager, root, m3, 0, 1200, 90, '3');
    EXPECT_EQ(ReadAll(*pager, root), m3);

    pager->RollbackToSavepoint(sp2);
    EXPECT_EQ(ReadAll(*pager, root), m2);
    ExpectSound(*pager);
    Fill(*pager, root, m3, 0, 1200, 90, '4');  // sp2 stays usable after a rollback to it
    pager->ReleaseSavepoint(sp2);
    pager->RollbackToSavepoint(sp1);  // undoes sp2's work too
    EXPECT_EQ(ReadAll(*pager, root), m1);
    EXPECT_EQ(pager->page_count(), pages1);
    ExpectSound(*pager);

    uint32_t sp3 = pager->Savepoint();
    Model m4 = m1;
    Fill(*pager, root, m4, 500, 600, 20, '5');
    pager->ReleaseSavepoint(sp3);  // keeps the work
    pager->ReleaseSavepoint(sp1);
    ASSERT_TRUE(pager->Commit());
    EXPECT_EQ(ReadAll(*pager, root), m4);
    ASSERT_TRUE(pager->Close());
    auto reopened = OpenWal(disk);
    EXPECT_EQ(ReadDb(*reopened), m4);
    ExpectSound(*reopened);
  }
}

TEST(PagerWalTest, HugeTransactionSpillsAndCommitsOrRollsBack) {
  FaultInjector disk;
  auto pager = OpenWal(disk, SmallOptions(8));
  PageId root = EnsureTree(*pager);
  Model base;
  Fill(*pager, root, base, 0, 200, 100, 'b');
  ASSERT_TRUE(pager->Commit());

  Model big = base;
  Fill(*pager, root, big, 0, 5000, 300, 'h');  // ~500 pages through an 8-page cache
  EXPECT_GT(pager->stats().pages_spilled, 300u);
  pager->Rollback();
  EXPECT_EQ(ReadAll(*pager, root), base);
  ExpectSound(*pager);

  big = base;
  Fill(*pager, root, big, 0, 5000, 300, 'H');
  ASSERT_TRUE(pager->Commit());
  EXPECT_EQ(ReadAll(*pager, root), big);
  ExpectSound(*pager);
  ASSERT_TRUE(pager->Close());
  auto reopened = OpenWal(disk, SmallOptions(8));
  EXPECT_EQ(ReadDb(*reopened), big);
  ExpectSound(*reopened);
}

TEST(PagerWalTest, FailedLogWriteRollsBackAndCarriesOn) {
  for (int err : {EIO, ENOSPC}) {
    FaultInjector disk;
    auto pager = OpenWal(disk);
    PageId root = EnsureTree(*pager);
    Model model;
    Fill(*pager, root, model, 0, 200, 50, 'a');
    ASSERT_TRUE(pager->Commit());
    Model lost = model;
    Fill(*pager, root, lost, 100, 300, 60, 'x');
    disk.FailWrite(1, err);  // the commit's frames go out in one write
    auto s = pager->Commit();
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().sqlstate, err == EIO ? sqlstate::kIoError : sqlstate::kDiskFull);
    EXPECT_FALSE(pager->in_transaction());
    EXPECT_FALSE(pager->poisoned());
    EXPECT_EQ(ReadAll(*pager, root), model);
    Fill(*pager, root, model, 100, 150, 70, 'y');
    ASSERT_TRUE(pager->Commit());
    EXPECT_EQ(ReadAll(*pager, root), model);
    ASSERT_TRUE(pager->Close());
    auto reopened = OpenWal(disk);
    EXPECT_EQ(ReadDb(*reopened), model);
    ExpectSound(*reopened);
  }
}

TEST(PagerWalTest, FailedLogFsyncPoisonsThePager) {
  for (int err : {EIO, ENOSPC}) {
    SCOPED_TRACE(err == EIO ? "EIO" : "ENOSPC");
    const char* want = err == EIO ? sqlstate::kIoError : sqlstate::kDiskFull;
    FaultInjector disk;
    Machine machine;
    Model model;
    {
      auto pager = OpenWal(disk, SmallOptions(), &machine);
      PageId root = EnsureTree(*pager);
      Fill(*pager, root, model, 0, 200, 50, 'a');
      ASSERT_TRUE(pager->Commit());
      Model lost = model;
      Fill(*pager, root, lost, 100, 300, 60, 'x');
      disk.FailSync(1, err);
      auto s = pager->Commit();
      ASSERT_FALSE(s);
      EXPECT_EQ(s.error().sqlstate, want);
      EXPECT_TRUE(pager->poisoned());
      EXPECT_EQ(ReadAll(*pager, root), model);  // the last durable state
      auto w = pager->GetMutable(root);
      ASSERT_FALSE(w);
      EXPECT_EQ(w.error().sqlstate, sqlstate::kIoError);
      EXPECT_FALSE(pager->Allocate());
      machine.dead = true;
    }
    disk.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
    auto pager = OpenWal(disk);
    EXPECT_EQ(ReadDb(*pager), model);
    ExpectSound(*pager);
  }
}

TEST(PagerWalTest, FailedLogFsyncAtAutoCheckpointFailsTheCommitItDiscarded) {
  // synchronous=normal: the commit itself does not sync; the automatic checkpoint's fsync does,
  // and when it fails the commit it discarded must not be reported as done.
  FaultInjector disk;
  Machine machine;
  auto options = SmallOptions();
  options.synchronous = Pager::Synchronous::kNormal;
  options.wal_autocheckpoint_bytes = 1;  // every commit checkpoints
  auto pager = OpenWal(disk, options, &machine);
  PageId root = EnsureTree(*pager);
  Model model;
  Fill(*pager, root, model, 0, 50, 40, 'a');
  ASSERT_TRUE(pager->Commit());
  Model lost = model;
  Fill(*pager, root, lost, 0, 50, 40, 'z');
  disk.FailSync(1, EIO);
  auto s = pager->Commit();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().sqlstate, sqlstate::kIoError);
  EXPECT_EQ(ReadAll(*pager, root), model);
  machine.dead = true;
}

TEST(PagerWalTest, FailedLogResetAfterCheckpointStillReadsTheMainFile) {
  FaultInjector disk;
  Machine machine;
  Model model;
  {
    auto pager = OpenWal(disk, SmallOptions(8), &machine);  // most reads miss the cache
    PageId root = EnsureTree(*pager);
    Fill(*pager, root, model, 0, 2000, 100, 'c');
    ASSERT_TRUE(pager->Commit());
    disk.FailSync(2, EIO);  // the main file's sync passes, the new log header's fails
    ASSERT_FALSE(pager->Checkpoint());
    EXPECT_TRUE(pager->poisoned());
    EXPECT_EQ(ReadAll(*pager, root), model);  // from the main file: the log is forgotten
    machine.dead = true;
  }
  disk.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  auto pager = OpenWal(disk);
  EXPECT_EQ(ReadDb(*pager), model);
  ExpectSound(*pager);
}

TEST(PagerWalTest, RecoveryStartsANewLogGenerationEvenWhenNothingWasCommitted) {
  // Frames left after the recovered prefix (here a spilled transaction that never committed)
  // must not share a salt with the commits that follow, or a later recovery could chain them.
  FaultInjector disk;
  Machine machine;
  {
    auto pager = OpenWal(disk, SmallOptions(8), &machine);
    PageId root = EnsureTree(*pager);
    ASSERT_TRUE(pager->Checkpoint());
    Model big;
    Fill(*pager, root, big, 0, 3000, 300, 'u');  // spills, never commits
    EXPECT_GT(pager->stats().pages_spilled, 100u);
    machine.dead = true;
  }
  EXPECT_GT(*disk.Open("db.wal")->Size(), 100u * kPageSize);
  auto pager = OpenWal(disk, SmallOptions(8));
  EXPECT_EQ(*disk.Open("db.wal")->Size(), uint64_t{Wal::kHeaderSize});
  EXPECT_TRUE(ReadDb(*pager).empty());
  ExpectSound(*pager);
}

TEST(PagerWalTest, FailedCheckpointKeepsTheLogAndRecovers) {
  // 1: a main-file write fails; 2: the main-file fsync fails.
  for (int which = 1; which <= 2; ++which) {
    FaultInjector disk;
    Machine machine;
    Model model;
    {
      auto pager = OpenWal(disk, SmallOptions(), &machine);
      PageId root = EnsureTree(*pager);
      Fill(*pager, root, model, 0, 300, 50, 'a');
      ASSERT_TRUE(pager->Commit());
      if (which == 1) {
        // The checkpoint's first main-file write (the pages go in runs: a write may hold many).
        disk.FailWrite(1, EIO);
      } else {
        disk.FailSync(1, EIO);
      }
      auto s = pager->Checkpoint();
      ASSERT_FALSE(s);
      EXPECT_EQ(s.error().sqlstate, sqlstate::kIoError);
      EXPECT_TRUE(pager->poisoned());
      EXPECT_EQ(ReadAll(*pager, root), model);
      EXPECT_FALSE(pager->GetMutable(root));
      machine.dead = true;
    }
    disk.PowerLoss(FaultInjector::PowerLossMode::kTear);
    auto pager = OpenWal(disk);
    EXPECT_EQ(ReadDb(*pager), model);
    ExpectSound(*pager);
  }
}

TEST(PagerWalTest, IntegrityCheckFindsLeaksAndDisorder) {
  FaultInjector disk;
  auto pager = OpenWal(disk);
  PageId root = EnsureTree(*pager);
  Model model;
  Fill(*pager, root, model, 0, 500, 50, 'a');
  ASSERT_TRUE(pager->Commit());
  ExpectSound(*pager);
  PageId leaked;
  {
    auto ref = pager->Allocate();
    ASSERT_TRUE(ref);
    leaked = ref->id();
  }
  std::vector<PageId> roots = {root};
  auto s = CheckIntegrity(*pager, roots);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().sqlstate, sqlstate::kDataCorrupted);
  EXPECT_NE(s.error().message.find("page " + std::to_string(leaked)), std::string::npos)
      << s.error().message;
  pager->Rollback();
  ASSERT_TRUE(CheckIntegrity(*pager, roots));

  // Swap the first two keys of the leftmost leaf.
  PageId leaf = root;
  while (true) {
    auto ref = pager->Get(leaf);
    ASSERT_TRUE(ref);
    if (ref->data()[0] == 1) break;
    uint16_t off = LoadLE<uint16_t>(ref->data() + 16);
    leaf = LoadLE<uint32_t>(ref->data() + off);  // first child
  }
  {
    auto ref = pager->GetMutable(leaf);
    ASSERT_TRUE(ref);
    uint8_t* p = ref->mutable_data();
    uint16_t a = LoadLE<uint16_t>(p + 16);
    uint16_t b = LoadLE<uint16_t>(p + 18);
    StoreLE<uint16_t>(p + 16, b);
    StoreLE<uint16_t>(p + 18, a);
  }
  s = CheckIntegrity(*pager, roots);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("page " + std::to_string(leaf)), std::string::npos)
      << s.error().message;
  pager->Rollback();
}

TEST(PagerWalTest, TreeFilledAndEmptiedGivesItsPagesBack) {
  FaultInjector disk;
  auto pager = OpenWal(disk, SmallOptions(4096));
  PageId root = EnsureTree(*pager);
  std::mt19937_64 rng(5);
  for (int round = 0; round < 3; ++round) {
    Model model;
    Fill(*pager, root, model, 0, 4000, round == 1 ? 1200 : 60, 'f');  // round 1: overflow
    ASSERT_TRUE(pager->Commit());
    ExpectSound(*pager);
    std::vector<uint32_t> order(4000);
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    if (round != 0) std::shuffle(order.begin(), order.end(), rng);
    BTree tree(*pager, root);
    for (size_t n = 0; n < order.size(); ++n) {
      ASSERT_TRUE(tree.Delete(Key(order[n])));
      model.erase(Key(order[n]));
      if (n % 997 == 0) {
        ExpectSound(*pager);
        EXPECT_EQ(ReadAll(*pager, root), model);
      }
    }
    ASSERT_TRUE(pager->Commit());
    ExpectSound(*pager);
    EXPECT_TRUE(ReadAll(*pager, root).empty());
    // Only page 0 and the root are in use.
    EXPECT_EQ(pager->free_page_count(), pager->page_count() - 2);
  }
}

TEST(PagerWalTest, SparseLeavesMergeAfterDeletes) {
  FaultInjector disk;
  auto pager = OpenWal(disk, SmallOptions(4096));
  PageId root = EnsureTree(*pager);
  Model model;
  Fill(*pager, root, model, 0, 4000, 60, 's');
  ASSERT_TRUE(pager->Commit());
  uint32_t used_before = pager->page_count() - 1 - pager->free_page_count();
  BTree tree(*pager, root);
  for (uint32_t i = 0; i < 4000; ++i) {
    if (i % 5 == 0) continue;
    ASSERT_TRUE(tree.Delete(Key(i)));
    model.erase(Key(i));
  }
  ASSERT_TRUE(pager->Commit());
  ExpectSound(*pager);
  EXPECT_EQ(ReadAll(*pager, root), model);
  uint32_t used_after = pager->page_count() - 1 - pager->free_page_count();
  std::printf("sparse leaves: %u pages in use -> %u after deleting 4 keys in 5\n", used_before,
              used_after);
  EXPECT_LT(used_after, used_before / 2);
}

// Random transactions against a model; the machine dies at a random write or fsync (mid-commit,
// mid-spill or mid-checkpoint), power is lost (unsynced writes dropped or torn) or the process
// alone dies (unsynced writes survive), and recovery
// must give exactly the last acknowledged commit or the one in flight, never a mix.
// Runs of the power-loss test: 3000 (about 4 s), 1000 under the sanitizers (about 20 s); runs
// 720, 882, 1174 and 1498 once caught a log shortened before its new header was durable.
// SQLRITE_POWERLOSS_RUNS overrides (30000 ran clean).
int PowerLossRuns() {
  if (const char* env = std::getenv("SQLRITE_POWERLOSS_RUNS")) return std::atoi(env);
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  return 1000;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
  return 1000;
#else
  return 3000;
#endif
#else
  return 3000;
#endif
}

TEST(PagerWalTest, PowerLossNeverLosesOrCorruptsACommit) {
  const int kRuns = PowerLossRuns();
  int lost = 0;
  int corrupt = 0;
  int inflight_kept = 0;
  int died_mid_run = 0;  // at an injected write rather than after the last transaction
  for (int run = 0; run < kRuns; ++run) {
    std::mt19937_64 rng(static_cast<uint64_t>(run) * 7919 + 13);
    FaultInjector disk(static_cast<uint64_t>(run) + 1);
    Machine machine;
    auto options = SmallOptions(run % 3 == 0 ? 8 : 256);
    options.wal_autocheckpoint_bytes = run % 2 == 0 ? 48 * 1024 : 16u << 20;
    machine.writes_left = static_cast<int64_t>(1 + rng() % 400);
    Model acked;
    std::optional<Model> inflight;
    {
      auto opened =
          Pager::Open(std::make_unique<CrashableFile>(disk.Open("db"), &machine),
                      std::make_unique<CrashableFile>(disk.Open("db.wal"), &machine), options);
      if (!opened) {
        ASSERT_TRUE(machine.dead) << opened.error().message;  // died while opening
      }
      std::unique_ptr<Pager> pager = opened ? std::move(*opened) : nullptr;
      int txns = pager ? 1 + static_cast<int>(rng() % 25) : 0;
      for (int t = 0; t < txns && !machine.dead; ++t) {
        Model pending = acked;
        bool ok = true;
        PageId root = pager->GetMeta(MetaSlot::kCatalogRoot);
        if (root == kInvalidPage) {
          auto created = BTree::Create(*pager);
          ok = created.has_value();
          if (ok) {
            root = *created;
            pager->SetMeta(MetaSlot::kCatalogRoot, root);
          }
        }
        BTree tree(*pager, root);
        int ops = 1 + static_cast<int>(rng() % 60);
        // Some transactions take a savepoint part-way and roll back to it at the end.
        int savepoint_at = rng() % 3 == 0 ? static_cast<int>(rng() % ops) : -1;
        uint32_t savepoint = 0;
        Model at_savepoint;
        for (int op = 0; op < ops && ok; ++op) {
          if (op == savepoint_at) {
            savepoint = pager->Savepoint();
            at_savepoint = pending;
          }
          std::string key = Key(static_cast<uint32_t>(rng() % 400));
          if (rng() % 4 == 0) {
            ok = tree.Delete(key).has_value();
            pending.erase(key);
          } else {
            uint64_t r = rng() % 100;
            size_t size = r < 70 ? rng() % 100 : (r < 95 ? 100 + rng() % 900 : 1000 + rng() % 9000);
            std::string value(size, static_cast<char>('a' + rng() % 26));
            if (!value.empty()) value[0] = static_cast<char>(rng());
            ok = tree.Insert(key, value, /*overwrite=*/true).has_value();
            pending[key] = value;
          }
        }
        if (ok && savepoint_at >= 0) {
          pager->RollbackToSavepoint(savepoint);
          pending = std::move(at_savepoint);
        }
        if (ok && pager->Commit()) {
          acked = std::move(pending);
        } else {
          inflight = std::move(pending);
          break;
        }
      }
      if (machine.dead) ++died_mid_run;
      machine.dead = true;
    }
    // Every fourth run the process dies but the machine keeps power: unsynced writes survive.
    if (run % 4 != 3) {
      disk.PowerLoss(run % 2 == 0 ? FaultInjector::PowerLossMode::kTear
                                  : FaultInjector::PowerLossMode::kDropUnsynced);
    }
    auto pager = OpenWal(disk, options);
    ASSERT_TRUE(pager);
    std::vector<PageId> roots;
    if (PageId root = pager->GetMeta(MetaSlot::kCatalogRoot); root != kInvalidPage) {
      roots.push_back(root);
    }
    if (Status s = CheckIntegrity(*pager, roots); !s) {
      ++corrupt;
      ADD_FAILURE() << "run " << run << ": " << s.error().message;
    }
    if (corrupt != 0) continue;  // reading a corrupt tree may crash
    Model got = ReadDb(*pager);
    if (got != acked) {
      if (inflight && got == *inflight) {
        ++inflight_kept;
      } else {
        ++lost;
        ADD_FAILURE() << "run " << run << ": recovered " << got.size() << " rows, acknowledged "
                      << acked.size();
      }
    }
  }
  std::printf(
      "power loss: %d lost, %d corrupt over %d runs (%d died mid-run, %d kept the in-flight "
      "commit)\n",
      lost, corrupt, kRuns, died_mid_run, inflight_kept);
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(corrupt, 0);
}

}  // namespace
}  // namespace sqlrite::storage::pager_wal_test
