#include "storage/btree.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/bytes.h"
#include "common/sqlstate.h"
#include "storage/btree_node.h"
#include "storage/fault_injection.h"
#include "storage/integrity_check.h"
#include "storage/page_checksum.h"

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

// Pages the tree uses (nodes and overflow pages), through Check.
size_t TreePages(BTree& tree) {
  std::vector<PageId> pages;
  EXPECT_TRUE(tree.Check(&pages));
  return pages.size();
}

TEST_F(BTreeTest, KeysInsertedInOrderFillTheirPages) {
  // 100-byte rows under 8-byte keys: 116 bytes a cell with its slot, 35 to a full leaf. An
  // append split keeps ~90% of a leaf (31 cells), so 20,000 rows take ~650 leaves, where
  // halving splits made ~1150. Deep enough (3 levels) for interior append splits too.
  BTree tree(*pager_, NewTree());
  const std::string value(100, 'v');
  const uint64_t n = 20000;
  for (uint64_t i = 0; i < n; ++i) ASSERT_TRUE(tree.Insert(IntKey(i), value));
  const size_t pages = TreePages(tree);
  EXPECT_LT(pages, 700u);
  EXPECT_GT(pages, n / 35);
  auto scanned = Scan(tree);
  ASSERT_EQ(scanned.size(), n);
  for (uint64_t i = 0; i < n; ++i) ASSERT_EQ(scanned[i].first, IntKey(i));

  // The tenth left free takes rows that grow a little without a split.
  const size_t before = pager_->page_count();
  for (uint64_t i = 0; i < n; i += 2) {
    ASSERT_TRUE(tree.Insert(IntKey(i), value + "growing", /*overwrite=*/true));
  }
  EXPECT_EQ(pager_->page_count(), before);
  EXPECT_TRUE(tree.Check());
}

TEST_F(BTreeTest, EstimateEntriesIsExactForOneLeafAndNearForThreeLevels) {
  BTree tree(*pager_, NewTree());
  auto empty = tree.EstimateEntries();
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, 0u);
  const std::string value(100, 'v');
  for (uint64_t i = 0; i < 20; ++i) ASSERT_TRUE(tree.Insert(IntKey(i), value));
  auto one_leaf = tree.EstimateEntries();
  ASSERT_TRUE(one_leaf);
  EXPECT_EQ(*one_leaf, 20u);
  // Appended (leaves ~90% full) and then shuffled inserts (leaves half to full): within a
  // factor of two either way, which is all a join order needs.
  for (uint64_t i = 20; i < 20000; ++i) ASSERT_TRUE(tree.Insert(IntKey(i), value));
  auto appended = tree.EstimateEntries();
  ASSERT_TRUE(appended);
  EXPECT_GT(*appended, 10000u);
  EXPECT_LT(*appended, 40000u);
  BTree shuffled(*pager_, NewTree());
  std::vector<uint64_t> keys(20000);
  for (uint64_t i = 0; i < keys.size(); ++i) keys[i] = i;
  std::shuffle(keys.begin(), keys.end(), std::mt19937_64(11));
  for (uint64_t k : keys) ASSERT_TRUE(shuffled.Insert(IntKey(k), value));
  auto random = shuffled.EstimateEntries();
  ASSERT_TRUE(random);
  EXPECT_GT(*random, 10000u);
  EXPECT_LT(*random, 40000u);
}

TEST_F(BTreeTest, EstimateEntriesJustPastARootSplitOfAnAppendedTree) {
  // Appended until the root (a leaf, then an interior node) splits again: the new root has two
  // children, the left ~90% full and the right nearly empty. The estimate must follow the full
  // side, not come out several times too low.
  BTree tree(*pager_, NewTree());
  const std::string value(100, 'v');
  uint64_t n = 0;
  // 31 rows to an appended leaf and ~250 children to an interior node: the two-level root
  // splits near 7,750 rows and keeps two children until ~15,000 (through the right child, the
  // estimate was 1,736 at 8,000 rows).
  for (; n < 2000; ++n) ASSERT_TRUE(tree.Insert(IntKey(n), value));
  for (uint64_t step = 0; step < 40; ++step) {
    for (uint64_t k = 0; k < 500; ++k, ++n) ASSERT_TRUE(tree.Insert(IntKey(n), value));
    auto estimate = tree.EstimateEntries();
    ASSERT_TRUE(estimate);
    std::fprintf(stderr, "n=%lu est=%lu\n", (unsigned long)n, (unsigned long)*estimate);
    EXPECT_GT(*estimate, n / 2) << n << " entries";
    EXPECT_LT(*estimate, n * 2) << n << " entries";
  }
}

TEST_F(BTreeTest, InsertsBelowTheLastKeySplitInHalves) {
  // Descending keys go to the front of the first leaf: no append splits there, leaves halve,
  // and the tree stays sound; so does an append after them, and keys between.
  BTree tree(*pager_, NewTree());
  const std::string value(100, 'v');
  for (uint64_t i = 3000; i-- > 1000;) ASSERT_TRUE(tree.Insert(IntKey(i * 2), value));
  const size_t pages = TreePages(tree);
  EXPECT_GT(pages, 2000u / 35 * 3 / 2);  // 2000 rows: 57 full leaves, ~114 halved
  for (uint64_t i = 3000; i < 5000; ++i) ASSERT_TRUE(tree.Insert(IntKey(i * 2), value));
  for (uint64_t i = 1000; i < 5000; ++i) ASSERT_TRUE(tree.Insert(IntKey(i * 2 + 1), value));
  EXPECT_TRUE(tree.Check());
  auto scanned = Scan(tree);
  ASSERT_EQ(scanned.size(), 8000u);
  for (uint64_t i = 0; i < scanned.size(); ++i) ASSERT_EQ(scanned[i].first, IntKey(2000 + i));
  // Existing keys are still found, not appended twice.
  for (uint64_t i = 1000; i < 5000; i += 97) {
    auto inserted = tree.Insert(IntKey(i * 2), value);
    ASSERT_TRUE(inserted);
    EXPECT_FALSE(*inserted);
  }
  auto inserted = tree.Insert(IntKey(9999), value);  // the last key: found at the end
  ASSERT_TRUE(inserted);
  EXPECT_FALSE(*inserted);
}

TEST_F(BTreeTest, AppendsStayRightThroughDeletesRollbacksAndPageReuse) {
  // Appends go through the pager's append hint (the leaf the last append to a tree went to).
  // Mixed with what moves pages between trees (deletes that merge and free leaves, Drop,
  // Clear, savepoint and transaction rollbacks) and more trees than the pager keeps hints
  // for, every tree must still hold exactly its model and pass Check.
  constexpr int kTrees = 6;
  std::vector<PageId> roots;
  std::vector<std::map<std::string, std::string>> models(kTrees);
  std::vector<std::map<std::string, std::string>> committed(kTrees);
  std::vector<uint64_t> next(kTrees, 0);
  std::vector<uint64_t> committed_next(kTrees, 0);
  for (int t = 0; t < kTrees; ++t) roots.push_back(NewTree());
  ASSERT_TRUE(pager_->Commit());
  std::mt19937_64 rng(11);
  uint32_t savepoint = 0;  // 0: none open
  std::vector<std::map<std::string, std::string>> at_savepoint;
  std::vector<uint64_t> next_at_savepoint;
  for (int op = 0; op < 40000; ++op) {
    const int t = static_cast<int>(rng() % (op % 1000 < 500 ? 2 : kTrees));
    BTree tree(*pager_, roots[t]);
    const int action = static_cast<int>(rng() % 100);
    if (action < 80) {  // an append, or a key below the last now and then
      const bool below = rng() % 20 == 0 && next[t] > 0;
      const uint64_t k = below ? rng() % next[t] : next[t]++;
      const std::string value(20 + rng() % 120, static_cast<char>('a' + t));
      auto inserted = tree.Insert(IntKey(k), value);
      ASSERT_TRUE(inserted) << inserted.error().message;
      const bool existed = models[t].count(IntKey(k)) != 0;
      EXPECT_EQ(*inserted, !existed) << "tree " << t << " key " << k;
      if (!existed) models[t][IntKey(k)] = value;
    } else if (action < 90) {  // deletes from the end, thinning the last leaves
      for (int n = static_cast<int>(rng() % 40); n > 0 && !models[t].empty(); --n) {
        auto last = std::prev(models[t].end());
        auto it = rng() % 3 == 0 ? models[t].begin() : last;
        ASSERT_TRUE(*tree.Delete(it->first));
        models[t].erase(it);
      }
    } else if (action < 93) {
      if (savepoint == 0) {
        savepoint = pager_->Savepoint();
        at_savepoint = models;
        next_at_savepoint = next;
      } else if (rng() % 2 == 0) {
        pager_->RollbackToSavepoint(savepoint);
        models = at_savepoint;
        next = next_at_savepoint;
      } else {
        pager_->ReleaseSavepoint(savepoint);
        savepoint = 0;
      }
    } else if (action < 96) {
      savepoint = 0;
      if (rng() % 3 == 0) {
        pager_->Rollback();
        models = committed;
        next = committed_next;
      } else {
        ASSERT_TRUE(pager_->Commit());
        committed = models;
        committed_next = next;
      }
    } else if (action < 97) {  // the tree's pages go back to the free list for the others
      if (rng() % 2 == 0) {
        ASSERT_TRUE(tree.Clear());
      } else {
        ASSERT_TRUE(tree.Drop());
        auto root = BTree::Create(*pager_);
        ASSERT_TRUE(root);
        roots[t] = *root;
        if (savepoint != 0) {  // a dropped tree cannot come back by a partial rollback here
          pager_->ReleaseSavepoint(savepoint);
          savepoint = 0;
        }
        ASSERT_TRUE(pager_->Commit());
        models[t].clear();
        committed = models;
        committed_next = next;
        continue;
      }
      models[t].clear();
    }
  }
  for (int t = 0; t < kTrees; ++t) {
    BTree tree(*pager_, roots[t]);
    EXPECT_TRUE(tree.Check()) << "tree " << t;
    auto scanned = Scan(tree);
    ASSERT_EQ(scanned.size(), models[t].size()) << "tree " << t;
    size_t i = 0;
    for (const auto& [key, value] : models[t]) {
      ASSERT_EQ(scanned[i].first, key);
      ASSERT_EQ(scanned[i].second, value);
      ++i;
    }
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

TEST_F(BTreeTest, BackwardCursorVisitsKeysInReverseAcrossLeaves) {
  BTree tree(*pager_, NewTree());
  std::vector<uint64_t> keys(5000);
  for (uint64_t i = 0; i < keys.size(); ++i) keys[i] = i * 3 + 3;  // 3 .. 15000
  std::shuffle(keys.begin(), keys.end(), std::mt19937_64(11));
  for (uint64_t k : keys) ASSERT_TRUE(tree.Insert(IntKey(k), std::to_string(k)));
  BTree::Cursor cursor(tree);
  ASSERT_TRUE(cursor.SeekLast());
  for (uint64_t want = 15000; want >= 3; want -= 3) {
    ASSERT_TRUE(cursor.Valid()) << want;
    ASSERT_EQ(cursor.key(), IntKey(want));
    auto value = cursor.value();
    ASSERT_TRUE(value);
    ASSERT_EQ(*value, std::to_string(want));
    ASSERT_TRUE(cursor.Prev());
  }
  EXPECT_FALSE(cursor.Valid());
  ASSERT_TRUE(cursor.Prev());  // past the start stays there
  EXPECT_FALSE(cursor.Valid());
  // SeekBefore: the greatest key strictly below.
  ASSERT_TRUE(cursor.SeekBefore(IntKey(3000)));
  EXPECT_EQ(cursor.key(), IntKey(2997));
  ASSERT_TRUE(cursor.SeekBefore(IntKey(3001)));
  EXPECT_EQ(cursor.key(), IntKey(3000));
  ASSERT_TRUE(cursor.Prev());
  EXPECT_EQ(cursor.key(), IntKey(2997));
  ASSERT_TRUE(cursor.SeekBefore(IntKey(3)));
  EXPECT_FALSE(cursor.Valid());
  ASSERT_TRUE(cursor.SeekBefore(IntKey(1) + "x"));
  EXPECT_FALSE(cursor.Valid());
  ASSERT_TRUE(cursor.SeekBefore(IntKey(99999)));
  EXPECT_EQ(cursor.key(), IntKey(15000));
  // A key's successor (the key and one more byte) makes SeekBefore an "at or before".
  ASSERT_TRUE(cursor.SeekBefore(IntKey(3000) + std::string(1, '\0')));
  EXPECT_EQ(cursor.key(), IntKey(3000));
}

TEST_F(BTreeTest, BackwardCursorSkipsEmptiedLeavesAndEmptyTrees) {
  BTree tree(*pager_, NewTree());
  BTree::Cursor cursor(tree);
  ASSERT_TRUE(cursor.SeekLast());
  EXPECT_FALSE(cursor.Valid());
  ASSERT_TRUE(cursor.SeekBefore(IntKey(5)));
  EXPECT_FALSE(cursor.Valid());
  for (uint64_t i = 0; i < 2000; ++i) ASSERT_TRUE(tree.Insert(IntKey(i), std::string(50, 'v')));
  for (uint64_t i = 100; i < 1900; ++i) ASSERT_TRUE(*tree.Delete(IntKey(i)));
  ASSERT_TRUE(cursor.SeekBefore(IntKey(1500)));
  EXPECT_EQ(cursor.key(), IntKey(99));
  ASSERT_TRUE(cursor.SeekLast());
  std::vector<std::string> seen;
  while (cursor.Valid()) {
    seen.emplace_back(cursor.key());
    ASSERT_TRUE(cursor.Prev());
  }
  ASSERT_EQ(seen.size(), 200u);
  EXPECT_EQ(seen[0], IntKey(1999));
  EXPECT_EQ(seen[99], IntKey(1900));
  EXPECT_EQ(seen[100], IntKey(99));
  EXPECT_EQ(seen[199], IntKey(0));
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

TEST_F(BTreeTest, AValueGivenInPiecesIsStoredAsTheirConcatenation) {
  BTree tree(*pager_, NewTree());
  std::string big(3 * 4096 + 17, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + 3);
  // Piece boundaries inside the leaf's local part, across overflow page boundaries, empty pieces.
  const std::vector<std::vector<std::string_view>> cases = {
      {"head", "", std::string_view(big), "tail"},
      {std::string_view(big).substr(0, 5000), std::string_view(big).substr(5000)},
      {"a", "b", "c"},
      {},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    std::string joined;
    for (std::string_view p : cases[i]) joined.append(p);
    ASSERT_TRUE(tree.Insert(IntKey(i), std::span<const std::string_view>(cases[i])));
    auto got = tree.Get(IntKey(i));
    ASSERT_TRUE(got && *got);
    EXPECT_EQ(**got, joined) << "case " << i;
  }
  ASSERT_TRUE(tree.Check());
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
      {"cell offset in the checksum", [](uint8_t* p) { StoreLE<uint16_t>(p + 16, 4086); }},
      {"unknown node kind", [](uint8_t* p) { p[0] = 7; }},
      {"empty leaf linked to itself",
       [](uint8_t* p) {
         StoreLE<uint16_t>(p + 2, 0);
         StoreLE<uint16_t>(p + 4, kUsablePageSize);
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
      SealPage(root, reinterpret_cast<uint8_t*>(page.data()));  // past the checksum
      ASSERT_TRUE(file->WriteAt(kPageSize * uint64_t{root}, page));
    }
    Reopen();
    BTree tree(*pager_, root);
    auto got = tree.Get(IntKey(3));
    if (!got) {
      EXPECT_EQ(got.error().sqlstate, sqlstate::kDataCorrupted);
    }
    {
      // Scoped: a cursor pins its leaf, and the rollback below needs every page unpinned.
      BTree::Cursor cursor(tree);
      Status s = cursor.SeekFirst();
      while (s && cursor.Valid()) {
        auto v = cursor.value();
        if (!v) break;
        s = cursor.Next();
      }
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

// Aborts the test binary when a walk outlives its bound, so code that loops fails the test
// instead of hanging it.
class Watchdog {
 public:
  explicit Watchdog(const char* what) : what_(what), thread_([this] { Watch(); }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  void Watch() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(20), [this] { return done_; })) {
      std::fprintf(stderr, "%s: still running after 20 s: an unbounded walk\n", what_);
      std::abort();
    }
  }
  const char* what_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;  // last: starts once the members it uses exist
};

// A two-level tree (an interior root over many leaves), some values on overflow chains, damaged
// on disk one way at a time; every API call must then give XX001 in bounded time.
class BTreeDamageTest : public BTreeTest {
 protected:
  static constexpr int kRows = 2000;
  static std::string Value(int i) {
    return i % 100 == 7 ? std::string(5 * kOverflowCapacity, static_cast<char>('a' + i % 26))
                        : std::string(30, static_cast<char>('a' + i % 26));
  }
  void SetUp() override {
    BTreeTest::SetUp();
    root_ = NewTree();
    BTree tree(*pager_, root_);
    for (int i = 0; i < kRows; ++i) ASSERT_TRUE(tree.Insert(IntKey(i), Value(i)));
    // A dropped tree leaves pages on the free list.
    BTree spare(*pager_, NewTree());
    for (int i = 0; i < 300; ++i) ASSERT_TRUE(spare.Insert(IntKey(i), std::string(100, 'f')));
    ASSERT_TRUE(spare.Drop());
    ASSERT_TRUE(pager_->Commit());
    ASSERT_GT(pager_->free_page_count(), 3u);
    Node root = NodeAt(root_);
    ASSERT_FALSE(root.is_leaf());
    for (uint32_t i = 0; i <= root.count(); ++i) leaves_.push_back(root.ChildAt(i));
    ASSERT_GT(leaves_.size(), 10u);
  }
  // A copy of page id's bytes as the pager serves them.
  Node NodeAt(PageId id) {
    auto ref = pager_->Get(id);
    EXPECT_TRUE(ref);
    if (ref) std::memcpy(copy_.data(), ref->data(), kPageSize);
    return Node(copy_.data());
  }
  // The overflow chain of the big value under key i.
  std::vector<PageId> OverflowChain(int i) {
    std::vector<PageId> chain;
    for (PageId leaf : leaves_) {
      Node node = NodeAt(leaf);
      bool found = false;
      uint32_t pos = node.LowerBound(IntKey(i), &found);
      if (!found) continue;
      const uint8_t* cell = node.cell(pos);
      uint32_t key_len = LoadLE<uint16_t>(cell);
      uint32_t value_len = LoadLE<uint32_t>(cell + 2);
      PageId id =
          LoadLE<uint32_t>(cell + kLeafCellHeader + key_len + LocalValueSize(key_len, value_len));
      while (id != kInvalidPage) {
        chain.push_back(id);
        auto ref = pager_->Get(id);
        EXPECT_TRUE(ref);
        id = LoadLE<uint32_t>(ref->data());
      }
      return chain;
    }
    ADD_FAILURE() << "no key " << i;
    return chain;
  }
  // Rewrites page id in the file itself, as a bad disk or an edited file would, and reopens.
  template <typename Fn>
  void Damage(PageId id, Fn&& fn) {
    pager_.reset();
    auto file = disk_.Open("db");
    std::vector<std::byte> page(kPageSize);
    ASSERT_TRUE(file->ReadAt(kPageSize * uint64_t{id}, page));
    fn(reinterpret_cast<uint8_t*>(page.data()));
    // A valid checksum over the damage, so that the walks' own checks are what catch it.
    SealPage(id, reinterpret_cast<uint8_t*>(page.data()));
    ASSERT_TRUE(file->WriteAt(kPageSize * uint64_t{id}, page));
    Reopen();
  }
  static void ExpectCorrupt(const Status& s, const char* what) {
    ASSERT_FALSE(s) << what << " succeeded on a damaged tree";
    EXPECT_EQ(s.error().sqlstate, sqlstate::kDataCorrupted) << what << ": " << s.error().message;
  }
  template <typename T>
  static void ExpectCorrupt(const Result<T>& r, const char* what) {
    ASSERT_FALSE(r) << what << " succeeded on a damaged tree";
    EXPECT_EQ(r.error().sqlstate, sqlstate::kDataCorrupted) << what << ": " << r.error().message;
  }
  // A full scan from the first key.
  Status ScanAll() {
    BTree tree(*pager_, root_);
    BTree::Cursor cursor(tree);
    SQLRITE_TRY(cursor.SeekFirst());
    while (cursor.Valid()) {
      SQLRITE_ASSIGN_OR_RETURN(std::string value, cursor.value());
      SQLRITE_TRY(cursor.Next());
    }
    return Ok();
  }
  Status CheckAll() {
    const PageId roots[] = {root_};
    return CheckIntegrity(*pager_, roots);
  }

  PageId root_ = kInvalidPage;
  std::vector<PageId> leaves_;
  std::array<uint8_t, kPageSize> copy_{};
};

TEST_F(BTreeDamageTest, UndamagedTreePassesEveryCheck) {
  Watchdog watchdog("undamaged");
  EXPECT_TRUE(ScanAll());
  EXPECT_TRUE(CheckAll());
  EXPECT_EQ(OverflowChain(7).size(), 5u);
}

TEST_F(BTreeDamageTest, LeafLinkedToItselfIsCorruptionNotALoop) {
  PageId leaf = leaves_[5];
  Damage(leaf, [&](uint8_t* p) { StoreLE<uint32_t>(p + 8, leaf); });
  Watchdog watchdog("leaf self-link");
  Status scanned = ScanAll();
  ExpectCorrupt(scanned, "scan");
  EXPECT_EQ(scanned.error().message, "could not read btree page " + std::to_string(leaf) +
                                         ": it links to leaf " + std::to_string(leaf) +
                                         ", whose keys do not follow its own (a cycle or a "
                                         "backward link)");
  ExpectCorrupt(BTree(*pager_, root_).Check(), "Check");
  ExpectCorrupt(CheckAll(), "CheckIntegrity");
}

TEST_F(BTreeDamageTest, LeafLinkedBackwardsIsCorruptionNotALoop) {
  PageId leaf = leaves_[5];
  Damage(leaf, [&](uint8_t* p) { StoreLE<uint32_t>(p + 8, leaves_[2]); });
  Watchdog watchdog("backward leaf link");
  ExpectCorrupt(ScanAll(), "scan");
  // A cursor positioned by Seek inside the damaged leaf hits the loop too.
  {
    BTree tree(*pager_, root_);
    BTree::Cursor cursor(tree);
    Node node = NodeAt(leaf);
    Status s = cursor.Seek(node.key(0));
    while (s && cursor.Valid()) s = cursor.Next();
    ExpectCorrupt(s, "seek and scan");
  }
  ExpectCorrupt(CheckAll(), "CheckIntegrity");
}

// Bounded by the depth limit before this work too; kept so that it stays so.
TEST_F(BTreeDamageTest, ChildPointingToItsAncestorIsCorruptionNotALoop) {
  Damage(root_, [&](uint8_t* p) {
    Node root(p);
    root.SetChildAt(3, root_);
  });
  Watchdog watchdog("child to ancestor");
  BTree tree(*pager_, root_);
  std::string key = IntKey(0);
  {
    Node root = NodeAt(root_);
    key.assign(root.key(2));  // the first key of child 3's range
  }
  ExpectCorrupt(tree.Get(key), "Get");
  ExpectCorrupt(tree.Insert(key, "x", /*overwrite=*/true), "Insert");
  pager_->Rollback();
  ExpectCorrupt(tree.Delete(key), "Delete");
  pager_->Rollback();
  ExpectCorrupt(tree.Check(), "Check");
  ExpectCorrupt(CheckAll(), "CheckIntegrity");
  ExpectCorrupt(tree.Clear(), "Clear");
  pager_->Rollback();
  ExpectCorrupt(tree.Drop(), "Drop");
  pager_->Rollback();
}

TEST_F(BTreeDamageTest, OverflowChainThatLoopsIsCorruptionNotWrongData) {
  std::vector<PageId> chain = OverflowChain(7);
  ASSERT_EQ(chain.size(), 5u);
  Damage(chain[2], [&](uint8_t* p) { StoreLE<uint32_t>(p, chain[0]); });
  Watchdog watchdog("overflow loop");
  BTree tree(*pager_, root_);
  ExpectCorrupt(tree.Get(IntKey(7)), "Get");
  ExpectCorrupt(tree.Check(), "Check");
  ExpectCorrupt(CheckAll(), "CheckIntegrity");
  ExpectCorrupt(tree.Insert(IntKey(7), "short", /*overwrite=*/true), "overwrite");
  pager_->Rollback();
  ExpectCorrupt(tree.Delete(IntKey(7)), "Delete");
  pager_->Rollback();
  ExpectCorrupt(tree.Drop(), "Drop");
  pager_->Rollback();
}

TEST_F(BTreeDamageTest, OverflowLinkToItsOwnLeafIsCorruptionNotACrash) {
  std::vector<PageId> chain = OverflowChain(7);
  ASSERT_EQ(chain.size(), 5u);
  PageId leaf = kInvalidPage;
  for (PageId l : leaves_) {
    bool found = false;
    NodeAt(l).LowerBound(IntKey(7), &found);
    if (found) leaf = l;
  }
  ASSERT_NE(leaf, kInvalidPage);
  // The chain's first page now links to the leaf holding the value.
  Damage(chain[0], [&](uint8_t* p) { StoreLE<uint32_t>(p, leaf); });
  Watchdog watchdog("overflow to own leaf");
  BTree tree(*pager_, root_);
  ExpectCorrupt(tree.Delete(IntKey(7)), "Delete");
  pager_->Rollback();
  ExpectCorrupt(tree.Drop(), "Drop");
  pager_->Rollback();
}

TEST_F(BTreeDamageTest, FreeListThatLoopsIsCorruptionNotReuse) {
  PageId head = pager_->free_list_head();
  Damage(head, [&](uint8_t* p) { StoreLE<uint32_t>(p, head); });
  Watchdog watchdog("free list loop");
  ExpectCorrupt(CheckAll(), "CheckIntegrity");
  // Allocation pops the head, then finds the list pointing at the page it just handed out.
  Status s = Ok();
  for (int i = 0; i < 10 && s; ++i) {
    auto page = pager_->Allocate();
    if (!page) {
      s = Fail(page.error());
    } else {
      page->mutable_data()[100] = 1;  // the new owner writes it
    }
  }
  ExpectCorrupt(s, "Allocate");
  pager_->Rollback();
}

TEST_F(BTreeDamageTest, FreeListLeadingIntoAPageInUseIsCorruptionNotReuse) {
  // An overflow page's first word is a plausible free-list link (its own next page), so only
  // the page's contents show that it is not free.
  std::vector<PageId> chain = OverflowChain(7);
  ASSERT_EQ(chain.size(), 5u);
  PageId head = pager_->free_list_head();
  Damage(head, [&](uint8_t* p) { StoreLE<uint32_t>(p, chain[1]); });
  Watchdog watchdog("free list into a page in use");
  ExpectCorrupt(CheckAll(), "CheckIntegrity");
  ASSERT_TRUE(pager_->Allocate());
  ExpectCorrupt(pager_->Allocate(), "Allocate of a page in use");
  pager_->Rollback();
  EXPECT_EQ(**BTree(*pager_, root_).Get(IntKey(7)), Value(7));
}

}  // namespace
}  // namespace sqlrite::storage
