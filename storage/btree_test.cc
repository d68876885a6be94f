#include "storage/btree.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/sqlstate.h"
#include "storage/fault_injection.h"

namespace sqlrite::storage {
namespace {

std::string IntKey(uint64_t v) {
  std::string key(8, '\0');
  StoreBE64(key.data(), v);
  return key;
}

class BTreeTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen(size_t cache_bytes = 64u << 20) {
    pager_.reset();
    auto pager = Pager::Open(disk_.Open("db"), Pager::Options{cache_bytes});
    ASSERT_TRUE(pager) << pager.error().message;
    pager_ = std::move(*pager);
  }
  PageId NewTree() {
    auto root = BTree::Create(*pager_);
    EXPECT_TRUE(root);
    return *root;
  }
  // Every entry in order, through a cursor.
  std::vector<std::pair<std::string, std::string>> Scan(BTree& tree) {
    std::vector<std::pair<std::string, std::string>> out;
    BTree::Cursor cursor(tree);
    EXPECT_TRUE(cursor.SeekFirst());
    while (cursor.Valid()) {
      auto value = cursor.value();
      EXPECT_TRUE(value);
      out.emplace_back(std::string(cursor.key()), *value);
      EXPECT_TRUE(cursor.Next());
    }
    return out;
  }

  FaultInjector disk_;
  std::unique_ptr<Pager> pager_;
};

TEST_F(BTreeTest, InsertGetAndDuplicateKeys) {
  BTree tree(*pager_, NewTree());
  EXPECT_EQ(*tree.Insert("b", "2"), true);
  EXPECT_EQ(*tree.Insert("a", "1"), true);
  EXPECT_EQ(*tree.Insert("a", "x"), false);
  EXPECT_EQ(**tree.Get("a"), "1");
  EXPECT_EQ(*tree.Insert("a", "longer value", /*overwrite=*/true), false);
  EXPECT_EQ(**tree.Get("a"), "longer value");
  EXPECT_FALSE(*tree.Get("c"));
  EXPECT_EQ(**tree.Get("b"), "2");
}

TEST_F(BTreeTest, EmptyKeyAndEmptyValueAreAllowed) {
  BTree tree(*pager_, NewTree());
  ASSERT_TRUE(tree.Insert("", ""));
  ASSERT_TRUE(tree.Insert("k", ""));
  EXPECT_EQ(**tree.Get(""), "");
  EXPECT_EQ(**tree.Get("k"), "");
}

TEST_F(BTreeTest, RandomOperationsMatchAStdMapModel) {
  PageId root = NewTree();
  BTree tree(*pager_, root);
  std::map<std::string, std::string> model;
  std::mt19937_64 rng(42);
  for (int op = 0; op < 30000; ++op) {
    uint64_t k = rng() % 5000;
    std::string key = (rng() % 4 == 0) ? "str-" + std::to_string(k) : IntKey(k);
    int action = static_cast<int>(rng() % 10);
    if (action < 6) {
      std::string value(rng() % 200, static_cast<char>('a' + rng() % 26));
      bool overwrite = rng() % 2 == 0;
      auto inserted = tree.Insert(key, value, overwrite);
      ASSERT_TRUE(inserted) << inserted.error().message;
      bool existed = model.count(key) != 0;
      EXPECT_EQ(*inserted, !existed);
      if (!existed || overwrite) model[key] = value;
    } else if (action < 8) {
      auto deleted = tree.Delete(key);
      ASSERT_TRUE(deleted);
      EXPECT_EQ(*deleted, model.erase(key) == 1);
    } else {
      auto got = tree.Get(key);
      ASSERT_TRUE(got);
      auto it = model.find(key);
      ASSERT_EQ(got->has_value(), it != model.end());
      if (it != model.end()) {
        EXPECT_EQ(**got, it->second);
      }
    }
    if (op % 10000 == 9999) {
      ASSERT_TRUE(pager_->Commit());
    }
  }
  auto scanned = Scan(tree);
  ASSERT_EQ(scanned.size(), model.size());
  size_t i = 0;
  for (const auto& [key, value] : model) {
    ASSERT_EQ(scanned[i].first, key);
    ASSERT_EQ(scanned[i].second, value);
    ++i;
  }
}

TEST_F(BTreeTest, CursorVisitsKeysInOrderAcrossManyLeaves) {
  BTree tree(*pager_, NewTree());
  std::vector<uint64_t> keys(5000);
  for (uint64_t i = 0; i < keys.size(); ++i) keys[i] = i * 3;
  std::shuffle(keys.begin(), keys.end(), std::mt19937_64(7));
  for (uint64_t k : keys) ASSERT_TRUE(tree.Insert(IntKey(k), std::to_string(k)));
  auto scanned = Scan(tree);
  ASSERT_EQ(scanned.size(), keys.size());
  for (uint64_t i = 0; i < scanned.size(); ++i) {
    EXPECT_EQ(scanned[i].first, IntKey(i * 3));
    EXPECT_EQ(scanned[i].second, std::to_string(i * 3));
  }
}

TEST_F(BTreeTest, SeekFindsTheFirstKeyAtOrAfter) {
  BTree tree(*pager_, NewTree());
  for (uint64_t i = 0; i < 3000; ++i) ASSERT_TRUE(tree.Insert(IntKey(i * 10), "v"));
  BTree::Cursor cursor(tree);
  ASSERT_TRUE(cursor.Seek(IntKey(1234)));
  ASSERT_TRUE(cursor.Valid());
  EXPECT_EQ(cursor.key(), IntKey(1240));
  ASSERT_TRUE(cursor.Next());
  EXPECT_EQ(cursor.key(), IntKey(1250));
  ASSERT_TRUE(cursor.Seek(IntKey(20000)));
  EXPECT_EQ(cursor.key(), IntKey(20000));
  ASSERT_TRUE(cursor.Seek(IntKey(29991)));
  EXPECT_FALSE(cursor.Valid());
  ASSERT_TRUE(cursor.Seek(""));
  EXPECT_EQ(cursor.key(), IntKey(0));
}

TEST_F(BTreeTest, CursorSkipsLeavesEmptiedByDeletes) {
  BTree tree(*pager_, NewTree());
  for (uint64_t i = 0; i < 2000; ++i) ASSERT_TRUE(tree.Insert(IntKey(i), std::string(50, 'v')));
  for (uint64_t i = 100; i < 1900; ++i) ASSERT_TRUE(*tree.Delete(IntKey(i)));
  auto scanned = Scan(tree);
  ASSERT_EQ(scanned.size(), 200u);
  EXPECT_EQ(scanned[99].first, IntKey(99));
  EXPECT_EQ(scanned[100].first, IntKey(1900));
  BTree::Cursor cursor(tree);
  ASSERT_TRUE(cursor.Seek(IntKey(500)));
  EXPECT_EQ(cursor.key(), IntKey(1900));
  EXPECT_GT(pager_->free_page_count(), 20u);  // emptied leaves were freed
}

TEST_F(BTreeTest, DeletingEverythingInAnyOrderLeavesAUsableTree) {
  for (uint64_t seed : {1, 2, 3}) {
    BTree tree(*pager_, NewTree());
    std::vector<uint64_t> keys(4000);
    for (uint64_t i = 0; i < keys.size(); ++i) keys[i] = i;
    std::mt19937_64 rng(seed);
    std::shuffle(keys.begin(), keys.end(), rng);
    for (uint64_t k : keys) ASSERT_TRUE(tree.Insert(IntKey(k), std::string(60, 'x')));
    if (seed == 2) std::sort(keys.begin(), keys.end());
    if (seed == 3) std::sort(keys.rbegin(), keys.rend());
    for (size_t i = 0; i < keys.size(); ++i) {
      ASSERT_TRUE(*tree.Delete(IntKey(keys[i])));
      if (i % 500 == 0) {
        auto scanned = Scan(tree);
        ASSERT_EQ(scanned.size(), keys.size() - i - 1);
      }
    }
    EXPECT_TRUE(Scan(tree).empty());
    for (uint64_t k = 0; k < 1000; ++k) ASSERT_TRUE(tree.Insert(IntKey(k), "again"));
    EXPECT_EQ(Scan(tree).size(), 1000u);
    ASSERT_TRUE(tree.Drop());
  }
}

TEST_F(BTreeTest, LargeValuesSpanOverflowPages) {
  BTree tree(*pager_, NewTree());
  std::vector<std::string> values;
  for (size_t size : {1000u, 1100u, 4096u, 10000u, 100000u, 1000000u}) {
    std::string v(size, '\0');
    for (size_t i = 0; i < size; ++i) v[i] = static_cast<char>(i * 131 + size);
    values.push_back(v);
  }
  for (size_t i = 0; i < values.size(); ++i) ASSERT_TRUE(tree.Insert(IntKey(i), values[i]));
  ASSERT_TRUE(pager_->Commit());
  Reopen(/*cache_bytes=*/16 * kPageSize);
  BTree reopened(*pager_, tree.root());
  for (size_t i = 0; i < values.size(); ++i) {
    auto got = reopened.Get(IntKey(i));
    ASSERT_TRUE(got && *got);
    EXPECT_EQ(**got, values[i]) << "value " << i;
  }
  uint32_t pages = pager_->page_count();
  ASSERT_TRUE(reopened.Insert(IntKey(5), "small", /*overwrite=*/true));
  ASSERT_TRUE(*reopened.Delete(IntKey(4)));
  EXPECT_GT(pager_->free_page_count(), 200u);  // both overflow chains went to the free list
  ASSERT_TRUE(reopened.Insert(IntKey(9), values[4]));
  EXPECT_EQ(pager_->page_count(), pages);  // and were reused
  EXPECT_EQ(**reopened.Get(IntKey(9)), values[4]);
}

TEST_F(BTreeTest, KeysAtTheSizeLimit) {
  BTree tree(*pager_, NewTree());
  std::map<std::string, std::string> model;
  for (int i = 0; i < 200; ++i) {
    std::string key(kMaxKeySize, static_cast<char>('a' + i % 26));
    key.replace(0, 4, IntKey(i).substr(4));
    std::string value(i % 3 == 0 ? 3000 : 20, 'v');
    ASSERT_TRUE(tree.Insert(key, value));
    model[key] = value;
  }
  for (const auto& [key, value] : model) EXPECT_EQ(**tree.Get(key), value);
  auto scanned = Scan(tree);
  ASSERT_EQ(scanned.size(), model.size());

  auto too_long = tree.Insert(std::string(kMaxKeySize + 1, 'k'), "v");
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().sqlstate, sqlstate::kProgramLimitExceeded);
  EXPECT_EQ(too_long.error().message, "index row size 1025 exceeds btree maximum 1024");
}

TEST_F(BTreeTest, RootPageNeverMoves) {
  PageId root = NewTree();
  BTree tree(*pager_, root);
  for (uint64_t i = 0; i < 20000; ++i) ASSERT_TRUE(tree.Insert(IntKey(i), "value"));
  EXPECT_EQ(tree.root(), root);
  EXPECT_EQ(**tree.Get(IntKey(19999)), "value");
}

TEST_F(BTreeTest, ReopenAfterCommitSeesTheTree) {
  PageId root = NewTree();
  {
    BTree tree(*pager_, root);
    for (uint64_t i = 0; i < 3000; ++i) ASSERT_TRUE(tree.Insert(IntKey(i), std::to_string(i)));
    ASSERT_TRUE(pager_->Commit());
    ASSERT_TRUE(tree.Insert(IntKey(99999), "uncommitted"));
  }
  Reopen();
  BTree tree(*pager_, root);
  EXPECT_FALSE(*tree.Get(IntKey(99999)));
  for (uint64_t i = 0; i < 3000; ++i) ASSERT_EQ(**tree.Get(IntKey(i)), std::to_string(i));
}

TEST_F(BTreeTest, RollbackUndoesSplits) {
  PageId root = NewTree();
  BTree tree(*pager_, root);
  for (uint64_t i = 0; i < 100; ++i) ASSERT_TRUE(tree.Insert(IntKey(i), "v"));
  ASSERT_TRUE(pager_->Commit());
  for (uint64_t i = 100; i < 5000; ++i) ASSERT_TRUE(tree.Insert(IntKey(i), "v"));
  pager_->Rollback();
  EXPECT_EQ(Scan(tree).size(), 100u);
  EXPECT_FALSE(*tree.Get(IntKey(100)));
}

TEST_F(BTreeTest, ClearKeepsTheRootAndDropFreesEverything) {
  PageId root = NewTree();
  BTree tree(*pager_, root);
  for (uint64_t i = 0; i < 3000; ++i) ASSERT_TRUE(tree.Insert(IntKey(i), std::string(300, 'x')));
  ASSERT_TRUE(tree.Insert("big", std::string(50000, 'b')));
  uint32_t used = pager_->page_count() - 1;
  ASSERT_TRUE(tree.Clear());
  EXPECT_EQ(pager_->free_page_count(), used - 1);
  EXPECT_TRUE(Scan(tree).empty());
  ASSERT_TRUE(tree.Insert("again", "1"));
  EXPECT_EQ(**tree.Get("again"), "1");
  ASSERT_TRUE(tree.Drop());
  EXPECT_EQ(pager_->free_page_count(), used);
}

TEST_F(BTreeTest, ManyTreesShareOnePagerWithATinyCache) {
  Reopen(/*cache_bytes=*/8 * kPageSize);
  BTree a(*pager_, NewTree());
  BTree b(*pager_, NewTree());
  for (uint64_t i = 0; i < 3000; ++i) {
    ASSERT_TRUE(a.Insert(IntKey(i), "a" + std::to_string(i)));
    ASSERT_TRUE(b.Insert(IntKey(i), "b" + std::to_string(i)));
    if (i % 500 == 0) {
      ASSERT_TRUE(pager_->Commit());
    }
  }
  ASSERT_TRUE(pager_->Commit());
  for (uint64_t i = 0; i < 3000; i += 7) {
    EXPECT_EQ(**a.Get(IntKey(i)), "a" + std::to_string(i));
    EXPECT_EQ(**b.Get(IntKey(i)), "b" + std::to_string(i));
  }
}

// Pages of a damaged file must give XX001 errors, never out-of-bounds reads, asserts or hangs.
TEST_F(BTreeTest, DamagedNodesAreErrorsNotCrashes) {
  struct Damage {
    const char* what;
    void (*apply)(uint8_t* leaf);
  };
  const Damage damages[] = {
      {"huge value length",
       [](uint8_t* p) { StoreLE<uint32_t>(p + LoadLE<uint16_t>(p + 16) + 2, 0xffffffffu); }},
      {"huge key length",
       [](uint8_t* p) { StoreLE<uint16_t>(p + LoadLE<uint16_t>(p + 16), 5000); }},
      {"cell count beyond the page", [](uint8_t* p) { StoreLE<uint16_t>(p + 2, 3000); }},
      {"content start beyond the page", [](uint8_t* p) { StoreLE<uint16_t>(p + 4, 9000); }},
      {"cell offset beyond the page", [](uint8_t* p) { StoreLE<uint16_t>(p + 16, 4094); }},
      {"unknown node kind", [](uint8_t* p) { p[0] = 7; }},
      {"empty leaf linked to itself",
       [](uint8_t* p) {
         StoreLE<uint16_t>(p + 2, 0);
         StoreLE<uint16_t>(p + 4, kPageSize);
         StoreLE<uint32_t>(p + 8, 1);  // the root, page 1, is this leaf
       }},
  };
  for (const Damage& damage : damages) {
    SCOPED_TRACE(damage.what);
    disk_ = FaultInjector();
    Reopen();
    PageId root = NewTree();
    ASSERT_EQ(root, 1u);
    {
      BTree tree(*pager_, root);
      for (int i = 0; i < 20; ++i) ASSERT_TRUE(tree.Insert(IntKey(i), std::string(30, 'v')));
    }
    ASSERT_TRUE(pager_->Commit());
    pager_.reset();
    // Damage the leaf in the file itself, as a bad disk or an edited file would.
    {
      auto file = disk_.Open("db");
      std::vector<std::byte> page(kPageSize);
      ASSERT_TRUE(file->ReadAt(kPageSize * uint64_t{root}, page));
      damage.apply(reinterpret_cast<uint8_t*>(page.data()));
      ASSERT_TRUE(file->WriteAt(kPageSize * uint64_t{root}, page));
    }
    Reopen();
    BTree tree(*pager_, root);
    auto got = tree.Get(IntKey(3));
    if (!got) {
      EXPECT_EQ(got.error().sqlstate, sqlstate::kDataCorrupted);
    }
    BTree::Cursor cursor(tree);
    Status s = cursor.SeekFirst();
    while (s && cursor.Valid()) {
      auto v = cursor.value();
      if (!v) break;
      s = cursor.Next();
    }
    auto inserted = tree.Insert(IntKey(100), "x");
    if (!inserted) {
      EXPECT_EQ(inserted.error().sqlstate, sqlstate::kDataCorrupted);
    }
    Status checked = tree.Check();
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().sqlstate, sqlstate::kDataCorrupted);
    pager_->Rollback();
  }
}

}  // namespace
}  // namespace sqlrite::storage
