#include "storage/wal.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "storage/fault_injection.h"
#include "storage/page_checksum.h"

namespace sqlrite::storage {
namespace {

// Page id's image filled with fill and sealed, as the pager appends every page (Wal::AppendPage).
std::vector<uint8_t> Page(uint32_t id, uint8_t fill) {
  std::vector<uint8_t> page(Wal::kPageBytes, fill);
  SealPage(id, page.data());
  return page;
}

uint8_t FirstByteOf(Wal& wal, uint32_t page_id, bool committed_only = true) {
  uint64_t frame = 0;
  EXPECT_TRUE(wal.Find(page_id, committed_only, &frame));
  std::vector<std::byte> buf(Wal::kPageBytes);
  EXPECT_TRUE(wal.ReadPage(frame, buf));
  return static_cast<uint8_t>(buf[0]);
}

TEST(WalTest, CommittedFramesSurviveReopen) {
  FaultInjector disk;
  {
    auto wal = *Wal::Open(disk.Open("db.wal"));
    ASSERT_TRUE(wal->AppendPage(1, Page(1, 0xaa).data()));
    ASSERT_TRUE(wal->AppendCommit(2, Page(2, 0xbb).data(), 3));
    ASSERT_TRUE(wal->Sync());
  }
  auto wal = *Wal::Open(disk.Open("db.wal"));
  EXPECT_EQ(wal->committed_frames(), 2u);
  EXPECT_EQ(wal->db_page_count(), 3u);
  EXPECT_EQ(FirstByteOf(*wal, 1), 0xaa);
  EXPECT_EQ(FirstByteOf(*wal, 2), 0xbb);
}

TEST(WalTest, UncommittedTailIsIgnoredByRecovery) {
  FaultInjector disk;
  {
    auto wal = *Wal::Open(disk.Open("db.wal"));
    ASSERT_TRUE(wal->AppendCommit(1, Page(1, 1).data(), 2));
    ASSERT_TRUE(wal->AppendPage(1, Page(1, 2).data()));  // transaction never commits
    ASSERT_TRUE(wal->Sync());
  }
  auto wal = *Wal::Open(disk.Open("db.wal"));
  EXPECT_EQ(wal->committed_frames(), 1u);
  EXPECT_EQ(FirstByteOf(*wal, 1), 1);
}

TEST(WalTest, PendingFramesAreVisibleOnlyToTheWriter) {
  FaultInjector disk;
  auto wal = *Wal::Open(disk.Open("db.wal"));
  ASSERT_TRUE(wal->AppendCommit(5, Page(5, 1).data(), 6));
  ASSERT_TRUE(wal->AppendPage(5, Page(5, 9).data()));
  ASSERT_TRUE(wal->FlushPending());  // a pending frame is read back only once in the file
  EXPECT_EQ(FirstByteOf(*wal, 5, /*committed_only=*/true), 1);
  EXPECT_EQ(FirstByteOf(*wal, 5, /*committed_only=*/false), 9);
  wal->Rollback();
  EXPECT_EQ(FirstByteOf(*wal, 5, /*committed_only=*/false), 1);
  // The rolled-back frame is overwritten by the next transaction and never recovered.
  ASSERT_TRUE(wal->AppendCommit(6, Page(6, 3).data(), 7));
  ASSERT_TRUE(wal->Sync());
  auto reopened = *Wal::Open(disk.Open("db.wal"));
  EXPECT_EQ(reopened->committed_frames(), 2u);
  EXPECT_EQ(FirstByteOf(*reopened, 5), 1);
  EXPECT_EQ(FirstByteOf(*reopened, 6), 3);
}

TEST(WalTest, UnsyncedCommitIsLostAtPowerLossButSyncedOneIsNot) {
  FaultInjector disk;
  {
    auto wal = *Wal::Open(disk.Open("db.wal"));
    ASSERT_TRUE(wal->AppendCommit(1, Page(1, 1).data(), 2));
    ASSERT_TRUE(wal->Sync());
    ASSERT_TRUE(wal->AppendCommit(1, Page(1, 2).data(), 2));  // not synced
  }
  disk.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  auto wal = *Wal::Open(disk.Open("db.wal"));
  EXPECT_EQ(wal->committed_frames(), 1u);
  EXPECT_EQ(FirstByteOf(*wal, 1), 1);
}

TEST(WalTest, TornFramesNeverRecoverAsCommitted) {
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    FaultInjector disk(seed);
    {
      auto wal = *Wal::Open(disk.Open("db.wal"));
      ASSERT_TRUE(wal->AppendCommit(1, Page(1, 1).data(), 3));
      ASSERT_TRUE(wal->Sync());
      ASSERT_TRUE(wal->AppendPage(1, Page(1, 7).data()));
      ASSERT_TRUE(wal->AppendCommit(2, Page(2, 8).data(), 3));
    }
    disk.PowerLoss(FaultInjector::PowerLossMode::kTear);
    auto wal = *Wal::Open(disk.Open("db.wal"));
    // Either the whole second transaction survived or none of it did.
    if (wal->committed_frames() == 3) {
      EXPECT_EQ(FirstByteOf(*wal, 1), 7);
      EXPECT_EQ(FirstByteOf(*wal, 2), 8);
    } else {
      EXPECT_EQ(wal->committed_frames(), 1u) << "seed " << seed;
      EXPECT_EQ(FirstByteOf(*wal, 1), 1);
      uint64_t frame;
      EXPECT_FALSE(wal->Find(2, true, &frame));
    }
  }
}

TEST(WalTest, CheckpointCopiesNewestPagesAndResetsTheLog) {
  FaultInjector disk;
  auto db = disk.Open("db");
  auto wal = *Wal::Open(disk.Open("db.wal"));
  ASSERT_TRUE(wal->AppendCommit(1, Page(1, 1).data(), 3));
  ASSERT_TRUE(wal->AppendPage(2, Page(2, 2).data()));
  ASSERT_TRUE(wal->AppendCommit(1, Page(1, 4).data(), 3));
  ASSERT_TRUE(wal->Sync());
  ASSERT_TRUE(wal->Checkpoint(*db));
  EXPECT_EQ(wal->committed_frames(), 0u);
  EXPECT_EQ(wal->size_bytes(), Wal::kHeaderSize);
  std::vector<std::byte> buf(Wal::kPageBytes);
  ASSERT_TRUE(db->ReadAt(Wal::kPageBytes * 1, buf));
  EXPECT_EQ(static_cast<uint8_t>(buf[0]), 4);
  ASSERT_TRUE(db->ReadAt(Wal::kPageBytes * 2, buf));
  EXPECT_EQ(static_cast<uint8_t>(buf[0]), 2);
  // Checkpointed data is durable: a power cut now loses nothing.
  disk.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  auto db2 = disk.Open("db");
  ASSERT_TRUE(db2->ReadAt(Wal::kPageBytes * 1, buf));
  EXPECT_EQ(static_cast<uint8_t>(buf[0]), 4);
}

TEST(WalTest, ReusedLogNeverRecoversTheOldGenerationsFrames) {
  FaultInjector disk;
  auto db = disk.Open("db");
  {
    auto wal = *Wal::Open(disk.Open("db.wal"));
    for (uint8_t i = 1; i <= 4; ++i) ASSERT_TRUE(wal->AppendCommit(i, Page(i, i).data(), 5));
    ASSERT_TRUE(wal->Sync());
    const uint64_t grown = *disk.Open("db.wal")->Size();
    EXPECT_GE(grown, Wal::kHeaderSize + 4 * uint64_t{Wal::kFrameSize});
    ASSERT_TRUE(wal->Checkpoint(*db, /*keep_bytes=*/1u << 20));
    // The file keeps its length; the new generation overwrites it from the start.
    EXPECT_EQ(*disk.Open("db.wal")->Size(), grown);
    ASSERT_TRUE(wal->AppendCommit(7, Page(7, 0x77).data(), 8));
    ASSERT_TRUE(wal->Sync());
  }
  disk.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  auto wal = *Wal::Open(disk.Open("db.wal"));
  // Frames 1..3 of the old generation still lie behind the new commit, with the old salt.
  EXPECT_EQ(wal->committed_frames(), 1u);
  EXPECT_EQ(wal->db_page_count(), 8u);
  EXPECT_EQ(FirstByteOf(*wal, 7), 0x77);
  uint64_t frame;
  EXPECT_FALSE(wal->Find(2, true, &frame));
  // A log longer than keep_bytes is cut back to it.
  ASSERT_TRUE(wal->Checkpoint(*db, /*keep_bytes=*/Wal::kHeaderSize + Wal::kFrameSize));
  EXPECT_EQ(*disk.Open("db.wal")->Size(), Wal::kHeaderSize + uint64_t{Wal::kFrameSize});
  // With nothing left to copy, a checkpoint still shrinks a log kept longer than wanted.
  ASSERT_TRUE(wal->Checkpoint(*db));
  EXPECT_EQ(*disk.Open("db.wal")->Size(), Wal::kHeaderSize);
}

TEST(WalTest, TheFileGrowsAheadOfTheFramesInZeroFilledSteps) {
  // A commit's frames land inside the file, so its fdatasync does not also journal a new size.
  FaultInjector disk;
  auto wal = *Wal::Open(disk.Open("db.wal"));
  ASSERT_TRUE(wal->AppendCommit(1, Page(1, 1).data(), 2));
  const uint64_t first = *disk.Open("db.wal")->Size();
  EXPECT_GE(first, Wal::kHeaderSize + 16 * uint64_t{Wal::kFrameSize});
  std::vector<uint64_t> sizes{first};
  for (uint32_t i = 0; i < 200; ++i) {
    ASSERT_TRUE(wal->AppendCommit(1 + i % 7, Page(1 + i % 7, static_cast<uint8_t>(i)).data(), 9));
    const uint64_t size = *disk.Open("db.wal")->Size();
    EXPECT_GE(size, wal->size_bytes());
    if (size != sizes.back()) sizes.push_back(size);
  }
  // Steps of a quarter of the size at least, not one per frame.
  EXPECT_LE(sizes.size(), 14u);  // 16 frames growing by a quarter reach 201 in 12 steps
  for (size_t i = 1; i < sizes.size(); ++i) EXPECT_GE(sizes[i], sizes[i - 1] + sizes[i - 1] / 4);
  // The zeros behind the last frame are no frames: recovery keeps exactly the commits.
  ASSERT_TRUE(wal->Sync());
  const uint64_t frames = wal->committed_frames();
  wal.reset();
  auto reopened = *Wal::Open(disk.Open("db.wal"));
  EXPECT_EQ(reopened->committed_frames(), frames);
  EXPECT_EQ(FirstByteOf(*reopened, 1 + 199 % 7), 199);
}

TEST(WalTest, InjectedWriteErrorFailsTheAppendAndLeavesTheLogUsable) {
  FaultInjector disk;
  auto wal = *Wal::Open(disk.Open("db.wal"));
  ASSERT_TRUE(wal->AppendCommit(1, Page(1, 1).data(), 2));
  disk.FailWrite(1, ENOSPC);
  auto s = wal->AppendCommit(1, Page(1, 2).data(), 2);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().sqlstate, "53100");
  EXPECT_EQ(FirstByteOf(*wal, 1), 1);
  disk.FailSync(1, EIO);
  auto synced = wal->Sync();
  ASSERT_FALSE(synced);
  EXPECT_EQ(synced.error().sqlstate, "58030");
  ASSERT_TRUE(wal->AppendCommit(1, Page(1, 3).data(), 2));
  ASSERT_TRUE(wal->Sync());
  EXPECT_EQ(FirstByteOf(*wal, 1), 3);
}

// Recovery reads at most the frames the log's size holds, whatever those frames say: a log
// padded with garbage recovers its committed prefix and stops.
TEST(WalTest, RecoveryIsBoundedByTheLogsSize) {
  FaultInjector disk;
  {
    auto wal = *Wal::Open(disk.Open("db.wal"));
    ASSERT_TRUE(wal->AppendPage(1, Page(1, 0xaa).data()));
    ASSERT_TRUE(wal->AppendCommit(2, Page(2, 0xbb).data(), 3));
    ASSERT_TRUE(wal->Sync());
  }
  {
    auto file = disk.Open("db.wal");
    std::vector<uint8_t> garbage(300 * Wal::kFrameSize + 100);
    for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<uint8_t>(i * 131 + 7);
    ASSERT_TRUE(file->WriteAt(*file->Size(), std::as_bytes(std::span(garbage))));
  }
  auto wal = Wal::Open(disk.Open("db.wal"));
  ASSERT_TRUE(wal);
  EXPECT_EQ((*wal)->committed_frames(), 2u);
  EXPECT_EQ(FirstByteOf(**wal, 2), 0xbb);
}

}  // namespace
TEST(WalTest, ACommitsFramesGoToTheFileInOneWrite) {
  FaultInjector disk;
  auto wal = *Wal::Open(disk.Open("db.wal"));
  ASSERT_TRUE(wal->AppendCommit(1, Page(1, 1).data(), 5));  // the log has grown past what follows
  const uint64_t before = disk.writes();
  ASSERT_TRUE(wal->AppendPage(2, Page(2, 2).data()));
  ASSERT_TRUE(wal->AppendPage(3, Page(3, 3).data()));
  EXPECT_EQ(disk.writes(), before);  // buffered
  ASSERT_TRUE(wal->AppendCommit(4, Page(4, 4).data(), 5));
  EXPECT_EQ(disk.writes(), before + 1);
  ASSERT_TRUE(wal->Sync());
  auto reopened = *Wal::Open(disk.Open("db.wal"));
  EXPECT_EQ(reopened->committed_frames(), 4u);
  for (uint32_t page = 1; page <= 4; ++page) EXPECT_EQ(FirstByteOf(*reopened, page), page);
}

TEST(WalTest, AFailedBufferedWriteForgetsTheOpenTransaction) {
  FaultInjector disk;
  auto wal = *Wal::Open(disk.Open("db.wal"));
  ASSERT_TRUE(wal->AppendCommit(1, Page(1, 1).data(), 3));
  ASSERT_TRUE(wal->Sync());
  ASSERT_TRUE(wal->AppendPage(2, Page(2, 2).data()));
  disk.FailWrite(1, EIO);
  EXPECT_FALSE(wal->AppendCommit(1, Page(1, 7).data(), 3));
  EXPECT_FALSE(wal->has_pending());
  EXPECT_EQ(wal->committed_frames(), 1u);
  EXPECT_EQ(FirstByteOf(*wal, 1), 1);
}

// Version 2 chains a frame's checksum over its page's seal, not its bytes: a page whose middle
// never reached the disk (the frame header and the seal did) must still fail recovery, through
// the seal check, and take its transaction with it.
TEST(WalTest, APageTornBetweenItsHeaderAndItsSealIsNotRecovered) {
  FaultInjector disk;
  {
    auto wal = *Wal::Open(disk.Open("db.wal"));
    ASSERT_TRUE(wal->AppendCommit(1, Page(1, 1).data(), 3));
    ASSERT_TRUE(wal->AppendPage(1, Page(1, 7).data()));
    ASSERT_TRUE(wal->AppendCommit(2, Page(2, 8).data(), 3));
    ASSERT_TRUE(wal->Sync());
  }
  {
    // The second frame's page: an old byte in its middle (a torn sector).
    auto file = disk.Open("db.wal");
    const uint8_t stale = 0;
    ASSERT_TRUE(file->WriteAt(Wal::kHeaderSize + Wal::kFrameSize + Wal::kFrameHeaderSize + 2000,
                              std::as_bytes(std::span<const uint8_t>(&stale, 1))));
  }
  auto wal = *Wal::Open(disk.Open("db.wal"));
  EXPECT_EQ(wal->committed_frames(), 1u);
  EXPECT_EQ(FirstByteOf(*wal, 1), 1);
  uint64_t frame;
  EXPECT_FALSE(wal->Find(2, true, &frame));
}

// A log written by a server of format version 1 (each frame's checksum over its whole page) is
// recovered, appended to in its own version, and recovered again.
TEST(WalTest, AVersionOneLogIsRecoveredAndAppendedTo) {
  FaultInjector disk;
  constexpr uint64_t kSalt = 0x1234;  // tie 0, as Options{} opens it
  {
    auto file = disk.Open("db.wal");
    uint8_t header[Wal::kHeaderSize] = {'S', 'Q', 'L', 'R', 'W', 'A', 'L', '\0'};
    StoreLE<uint32_t>(header + 8, 1);
    StoreLE<uint32_t>(header + 12, Wal::kPageBytes);
    StoreLE<uint64_t>(header + 16, kSalt);
    uint64_t chain = Wal::Checksum(0, header, 24);
    StoreLE<uint64_t>(header + 24, chain);
    ASSERT_TRUE(file->WriteAt(0, std::as_bytes(std::span<const uint8_t>(header))));
    for (uint32_t f = 0; f < 2; ++f) {
      std::vector<uint8_t> frame(Wal::kFrameSize, 0);
      StoreLE<uint32_t>(frame.data(), f + 1);               // page id
      StoreLE<uint32_t>(frame.data() + 4, f == 1 ? 3 : 0);  // the second frame commits
      StoreLE<uint64_t>(frame.data() + 8, kSalt);
      std::memset(frame.data() + Wal::kFrameHeaderSize, 0x40 + static_cast<int>(f),
                  Wal::kPageBytes);  // unsealed: version 1 never required it
      chain = Wal::Checksum(chain, frame.data(), 16);
      chain = Wal::Checksum(chain, frame.data() + Wal::kFrameHeaderSize, Wal::kPageBytes);
      StoreLE<uint64_t>(frame.data() + 16, chain);
      ASSERT_TRUE(file->WriteAt(Wal::kHeaderSize + f * Wal::kFrameSize,
                                std::as_bytes(std::span<const uint8_t>(frame))));
    }
    ASSERT_TRUE(file->Sync());
  }
  {
    auto wal = *Wal::Open(disk.Open("db.wal"));
    ASSERT_EQ(wal->committed_frames(), 2u);
    EXPECT_EQ(FirstByteOf(*wal, 1), 0x40);
    EXPECT_EQ(FirstByteOf(*wal, 2), 0x41);
    ASSERT_TRUE(wal->AppendCommit(1, Page(1, 0x42).data(), 3));
    ASSERT_TRUE(wal->Sync());
  }
  auto wal = *Wal::Open(disk.Open("db.wal"));
  EXPECT_EQ(wal->committed_frames(), 3u);
  EXPECT_EQ(FirstByteOf(*wal, 1), 0x42);
  EXPECT_EQ(FirstByteOf(*wal, 2), 0x41);
}

// A log a newer server wrote (a valid header of a version this one does not know) may hold
// acknowledged commits: opening it fails, and the file is left as it was (an older server that
// overwrote it would drop them).
TEST(WalTest, AValidHeaderOfAnUnknownVersionIsRefusedNotOverwritten) {
  FaultInjector disk;
  uint8_t header[Wal::kHeaderSize] = {'S', 'Q', 'L', 'R', 'W', 'A', 'L', '\0'};
  StoreLE<uint32_t>(header + 8, 99);
  StoreLE<uint32_t>(header + 12, Wal::kPageBytes);
  StoreLE<uint64_t>(header + 16, 0x1234);
  StoreLE<uint64_t>(header + 24, Wal::Checksum(0, header, 24));
  {
    auto file = disk.Open("db.wal");
    ASSERT_TRUE(file->WriteAt(0, std::as_bytes(std::span<const uint8_t>(header))));
    ASSERT_TRUE(file->Sync());
  }
  auto wal = Wal::Open(disk.Open("db.wal"));
  ASSERT_FALSE(wal);
  EXPECT_EQ(wal.error().sqlstate, sqlstate::kDataCorrupted);
  EXPECT_NE(wal.error().message.find("incompatible format version (99)"), std::string::npos);
  auto read_only = Wal::Open(disk.Open("db.wal"), Wal::Options{.tie = 0, .read_only = true});
  EXPECT_FALSE(read_only);
  uint8_t after[Wal::kHeaderSize] = {};
  ASSERT_TRUE(disk.Open("db.wal")->ReadAt(0, std::as_writable_bytes(std::span<uint8_t>(after))));
  EXPECT_EQ(std::memcmp(after, header, Wal::kHeaderSize), 0);
}

}  // namespace sqlrite::storage
