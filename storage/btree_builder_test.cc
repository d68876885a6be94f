#include "storage/btree_builder.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/sqlstate.h"
#include "storage/btree.h"
#include "storage/btree_node.h"
#include "storage/fault_injection.h"
#include "storage/integrity_check.h"

namespace sqlrite::storage {
namespace {

// An index-like key: an 8-byte big-endian number then a 9-byte rowid-like suffix, so that the
// separators' suffix truncation has something to drop.
std::string Key(uint64_t v) {
  std::string key(17, '\0');
  StoreBE64(key.data(), v);
  StoreBE64(key.data() + 9, v * 7 + 1);
  return key;
}
std::string Value(uint64_t v, size_t size = 8) {
  std::string value(size, static_cast<char>('a' + v % 26));
  StoreBE64(value.data(), v);
  return value;
}

using Model = std::map<std::string, std::string>;

struct Shape {
  uint32_t depth = 0;
  std::vector<uint32_t> leaf_bytes;  // used bytes of each leaf, left to right
  std::vector<uint32_t> interior_bytes;
};

uint32_t UsedBytes(const uint8_t* page) {
  Node node(const_cast<uint8_t*>(page));
  return kUsablePageSize - kNodeHeaderSize - node.free_bytes();
}

// The tree's levels walked from the root (leaves through their links).
Shape ShapeOf(Pager& pager, PageId root) {
  Shape shape;
  PageId id = root;
  std::vector<PageId> level{root};
  while (true) {
    ++shape.depth;
    auto first = pager.Get(level.front());
    EXPECT_TRUE(first);
    if (Node(const_cast<uint8_t*>(first->data())).is_leaf()) break;
    std::vector<PageId> below;
    for (PageId p : level) {
      auto ref = pager.Get(p);
      EXPECT_TRUE(ref);
      Node node(const_cast<uint8_t*>(ref->data()));
      shape.interior_bytes.push_back(UsedBytes(ref->data()));
      for (uint32_t i = 0; i <= node.count(); ++i) below.push_back(node.ChildAt(i));
    }
    level = std::move(below);
  }
  id = level.front();
  while (id != kInvalidPage) {
    auto ref = pager.Get(id);
    EXPECT_TRUE(ref);
    shape.leaf_bytes.push_back(UsedBytes(ref->data()));
    id = Node(const_cast<uint8_t*>(ref->data())).link();
  }
  return shape;
}

Model ReadAll(PageSource& source, PageId root) {
  Model out;
  BTree tree(source, root);
  BTree::Cursor cursor(tree);
  EXPECT_TRUE(cursor.SeekFirst());
  while (cursor.Valid()) {
    auto value = cursor.value();
    EXPECT_TRUE(value);
    out.emplace(std::string(cursor.key()), *value);
    EXPECT_TRUE(cursor.Next());
  }
  return out;
}

class BTreeBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pager = Pager::Open(disk_.Open("db"), Pager::Options{});
    ASSERT_TRUE(pager) << pager.error().message;
    pager_ = std::move(*pager);
    auto root = BTree::Create(*pager_);
    ASSERT_TRUE(root);
    root_ = *root;
  }
  // Loads keys [0, n) (every `step`-th number) with values of value_size bytes.
  Model Load(uint64_t n, uint64_t step = 1, size_t value_size = 8) {
    Model model;
    BTreeBuilder builder(*pager_, root_);
    for (uint64_t v = 0; v < n; v += step) {
      EXPECT_TRUE(builder.Add(Key(v), Value(v, value_size)));
      model.emplace(Key(v), Value(v, value_size));
    }
    EXPECT_TRUE(builder.Finish());
    stats_ = builder.stats();
    return model;
  }
  void ExpectSound() {
    BTree tree(*pager_, root_);
    auto checked = tree.Check();
    EXPECT_TRUE(checked) << checked.error().message;
    std::vector<PageId> roots{root_};
    auto integrity = CheckIntegrity(*pager_, roots);
    EXPECT_TRUE(integrity) << integrity.error().message;
  }

  FaultInjector disk_;
  std::unique_ptr<Pager> pager_;
  PageId root_ = kInvalidPage;
  BTreeBuilder::Stats stats_;
};

TEST_F(BTreeBuilderTest, EmptyAndTinyLoadsLeaveALeafRoot) {
  Load(0);
  ExpectSound();
  EXPECT_EQ(stats_.entries, 0u);
  EXPECT_EQ(stats_.depth, 1u);
  EXPECT_EQ(pager_->page_count(), 2u);  // the header and the root: nothing allocated
  EXPECT_TRUE(ReadAll(*pager_, root_).empty());

  ASSERT_TRUE(BTree(*pager_, root_).Clear());
  Model model = Load(3);
  ExpectSound();
  EXPECT_EQ(ShapeOf(*pager_, root_).depth, 1u);
  EXPECT_EQ(ReadAll(*pager_, root_), model);
}

TEST_F(BTreeBuilderTest, LeavesFilledToNinetyPercentAndEveryKeyFound) {
  const Model model = Load(200000);
  ExpectSound();
  const Shape shape = ShapeOf(*pager_, root_);
  EXPECT_EQ(shape.depth, stats_.depth);
  EXPECT_EQ(shape.leaf_bytes.size(), stats_.leaves);
  EXPECT_EQ(shape.interior_bytes.size(), stats_.interior_nodes);
  EXPECT_GE(shape.depth, 3u);
  const uint32_t usable = kUsablePageSize - kNodeHeaderSize;
  const uint32_t cell = LeafCellSize(17, 8) + 2;
  for (size_t i = 0; i + 1 < shape.leaf_bytes.size(); ++i) {
    ASSERT_LE(shape.leaf_bytes[i], usable * 9 / 10) << "leaf " << i;
    ASSERT_GT(shape.leaf_bytes[i] + cell, usable * 9 / 10) << "leaf " << i;
  }
  // Interior nodes to 70% but the last of each level; their keys are truncated separators, so
  // they hold more children than leaves hold keys.
  size_t full = 0;
  for (uint32_t b : shape.interior_bytes) {
    EXPECT_LE(b, usable * 7 / 10 + kInteriorCellHeader + kMaxKeySize + 2);
    if (b > usable * 6 / 10) ++full;
  }
  EXPECT_GE(full + shape.depth, shape.interior_bytes.size());
  // Each page the load allocated is a node of the tree (the root, page 1, is an interior one).
  EXPECT_EQ(pager_->page_count(), 1 + stats_.leaves + stats_.interior_nodes);

  BTree tree(*pager_, root_);
  for (uint64_t v = 0; v < 200000; v += 37) {
    auto got = tree.Get(Key(v));
    ASSERT_TRUE(got);
    ASSERT_TRUE(got->has_value()) << v;
    EXPECT_EQ(**got, Value(v));
  }
  EXPECT_EQ(ReadAll(*pager_, root_), model);
}

TEST_F(BTreeBuilderTest, RangeScansFindTheFirstKeyAtOrAbove) {
  const Model model = Load(50000, /*step=*/3);
  ExpectSound();
  BTree tree(*pager_, root_);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const uint64_t from = rng() % 50010;
    const uint64_t to = from + rng() % 400;
    // A key between two loaded ones (no rowid suffix) and one of them.
    std::string probe(8, '\0');
    StoreBE64(probe.data(), from);
    const std::string seek = i % 2 == 0 ? probe : Key(from);
    BTree::Cursor cursor(tree);
    ASSERT_TRUE(cursor.Seek(seek));
    auto it = model.lower_bound(seek);
    while (it != model.end() && LoadBE64(reinterpret_cast<const uint8_t*>(it->first.data())) < to) {
      ASSERT_TRUE(cursor.Valid());
      ASSERT_EQ(cursor.key(), it->first);
      ASSERT_TRUE(cursor.Next());
      ++it;
    }
    if (it == model.end()) {
      EXPECT_FALSE(cursor.Valid());
    }
  }
}

TEST_F(BTreeBuilderTest, InsertsAndDeletesAfterALoad) {
  Model model = Load(60000, /*step=*/2);
  BTree tree(*pager_, root_);
  std::mt19937_64 rng(11);
  // Odd keys between the loaded ones (splits of 90%-full leaves), appends past the end (the
  // hint the load left), and deletes of half the loaded keys (merges).
  for (int i = 0; i < 20000; ++i) {
    const uint64_t v = (rng() % 30000) * 2 + 1;
    auto inserted = tree.Insert(Key(v), Value(v, 20));
    ASSERT_TRUE(inserted);
    model[Key(v)] = Value(v, 20);
  }
  for (uint64_t v = 60000; v < 70000; ++v) {
    ASSERT_TRUE(tree.Insert(Key(v), Value(v)));
    model[Key(v)] = Value(v);
  }
  for (uint64_t v = 0; v < 60000; v += 4) {
    auto deleted = tree.Delete(Key(v));
    ASSERT_TRUE(deleted);
    EXPECT_TRUE(*deleted);
    model.erase(Key(v));
  }
  ExpectSound();
  EXPECT_EQ(ReadAll(*pager_, root_), model);
  for (auto it = model.begin(); it != model.end();) {
    ASSERT_TRUE(tree.Delete(it->first));
    it = model.erase(it);
  }
  ExpectSound();
  EXPECT_TRUE(ReadAll(*pager_, root_).empty());
}

TEST_F(BTreeBuilderTest, LongKeysAndOverflowValues) {
  Model model;
  BTreeBuilder builder(*pager_, root_);
  for (uint64_t v = 0; v < 3000; ++v) {
    std::string key = Key(v) + std::string(v % 7 == 0 ? kMaxKeySize - 17 : v % 300, 'k');
    std::string value = Value(v, v % 11 == 0 ? 9000 + v : v % 900);
    ASSERT_TRUE(builder.Add(key, value));
    model.emplace(std::move(key), std::move(value));
  }
  ASSERT_TRUE(builder.Finish());
  EXPECT_GT(builder.stats().overflow_pages, 500u);
  ExpectSound();
  EXPECT_EQ(ReadAll(*pager_, root_), model);
  // Freeing it gives back every page.
  const uint32_t pages = pager_->page_count();
  ASSERT_TRUE(BTree(*pager_, root_).Clear());
  EXPECT_EQ(pager_->free_page_count(), pages - 2);
}

TEST_F(BTreeBuilderTest, KeyTooLongIsProgramLimitExceeded) {
  BTreeBuilder builder(*pager_, root_);
  ASSERT_TRUE(builder.Add("a", "1"));
  auto added = builder.Add(std::string(kMaxKeySize + 1, 'b'), "2");
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().sqlstate, sqlstate::kProgramLimitExceeded);
  EXPECT_EQ(added.error().message, "index row size 1025 exceeds btree maximum 1024");
}

TEST_F(BTreeBuilderTest, RollbackLeavesTheEmptyTree) {
  ASSERT_TRUE(pager_->Commit());
  const uint32_t pages = pager_->page_count();
  Load(30000);
  pager_->Rollback();
  EXPECT_EQ(pager_->page_count(), pages);
  EXPECT_TRUE(ReadAll(*pager_, root_).empty());
  ExpectSound();
}

TEST_F(BTreeBuilderTest, KeysOutOfOrderAreABug) {
  BTreeBuilder builder(*pager_, root_);
  ASSERT_TRUE(builder.Add(Key(5), "x"));
  EXPECT_DEATH((void)builder.Add(Key(5), "y"), "out of order");
}

// WAL mode: a load bigger than the writer's cache spills to the log before its commit; readers
// of the snapshot before the commit see the empty tree, and a crash before the commit leaves it
// empty while one after leaves it whole.
class BTreeBuilderWalTest : public ::testing::Test {
 protected:
  std::unique_ptr<Pager> Open() {
    Pager::Options options;
    options.cache_bytes = 256 * kPageSize;  // the writer gets a quarter: 64 pages
    auto pager = Pager::Open(disk_.Open("db"), disk_.Open("db.wal"), options);
    EXPECT_TRUE(pager) << pager.error().message;
    return pager ? std::move(*pager) : nullptr;
  }
  void ExpectSound(Pager& pager, PageId root) {
    auto checked = BTree(pager, root).Check();
    EXPECT_TRUE(checked) << checked.error().message;
    std::vector<PageId> roots{root};
    auto integrity = CheckIntegrity(pager, roots);
    EXPECT_TRUE(integrity) << integrity.error().message;
  }
  FaultInjector disk_;
};

TEST_F(BTreeBuilderWalTest, SnapshotsSeeNoHalfBuiltTreeAndCrashesKeepAllOrNothing) {
  PageId root;
  Model model;
  {
    auto pager = Open();
    auto created = BTree::Create(*pager);
    ASSERT_TRUE(created);
    root = *created;
    ASSERT_TRUE(pager->Commit());
    auto before = pager->BeginRead();
    ASSERT_TRUE(before);
    BTreeBuilder builder(*pager, root);
    for (uint64_t v = 0; v < 40000; ++v) {
      ASSERT_TRUE(builder.Add(Key(v), Value(v)));
      model.emplace(Key(v), Value(v));
    }
    ASSERT_TRUE(builder.Finish());
    EXPECT_GT(pager->stats().pages_spilled, 0u);
    EXPECT_TRUE(ReadAll(*before, root).empty());
    ASSERT_TRUE(pager->Commit());
    EXPECT_TRUE(ReadAll(*before, root).empty());
    auto after = pager->BeginRead();
    ASSERT_TRUE(after);
    EXPECT_EQ(ReadAll(*after, root), model);
  }
  // A second tree's load dies with the process before its commit (its spilled frames are in the
  // log, uncommitted): after recovery it is the empty tree it was, and the first is whole.
  PageId second;
  {
    auto pager = Open();
    auto created = BTree::Create(*pager);
    ASSERT_TRUE(created);
    second = *created;
    ASSERT_TRUE(pager->Commit());
    BTreeBuilder builder(*pager, second);
    for (uint64_t v = 0; v < 40000; ++v) ASSERT_TRUE(builder.Add(Key(v), Value(v, 30)));
    ASSERT_TRUE(builder.Finish());
    EXPECT_GT(pager->stats().pages_spilled, 0u);
    disk_.Crash();
  }
  disk_.PowerLoss(FaultInjector::PowerLossMode::kTear);
  auto pager = Open();
  ASSERT_NE(pager, nullptr);
  EXPECT_EQ(ReadAll(*pager, root), model);
  EXPECT_TRUE(ReadAll(*pager, second).empty());
  auto checked = BTree(*pager, root).Check();
  EXPECT_TRUE(checked) << checked.error().message;
  std::vector<PageId> roots{root, second};
  auto integrity = CheckIntegrity(*pager, roots);
  EXPECT_TRUE(integrity) << integrity.error().message;
}

}  // namespace
}  // namespace sqlrite::storage
