#pragma once
// BTreeBuilder: fills an empty B+tree bottom-up from entries given in increasing key order (a
// bulk load), as PostgreSQL's nbtsort.c does for CREATE INDEX: leaves are filled left to right to
// a fill factor and linked as they are finished, each finished node adds one separator to the
// node being filled on the level above, and the one node left on the top level becomes the root.
// Nothing is descended, split or moved: each node is assembled in memory and copied to its page
// once, when it is full (or at Finish), so a page is dirtied once and reaches the log once.
//
// The result is an ordinary BTree (storage/btree.h): every invariant of btree.cc holds, and
// inserts and deletes work on it afterwards. Separators are the shortest prefix of the right
// node's first key that is above the left node's last key (PostgreSQL's suffix truncation), so
// interior keys are often shorter than the leaves' keys (an index key without its rowid).
//
// Fill: leaves to leaf_fill_percent of their usable bytes (PostgreSQL's btree default 90, so an
// insert into a loaded leaf need not split it at once), interior nodes to interior_fill_percent
// (PostgreSQL's BTREE_NONLEAF_FILLFACTOR, 70: inserts that split leaves add separators there).
// A node always takes at least one entry, however big.
//
// Snapshots and crashes: every page is written through the pager in its open transaction, so the
// tree is part of that transaction like any other write: readers of older snapshots never see it
// (S1 of storage/pager.h), a rollback or a crash before the commit leaves none of it, and the
// layer above publishes it by recording its root in the same transaction (the catalog entry).
// A build abandoned half way (an error, an interrupt) leaves pages that only the transaction's
// rollback reclaims: the caller must roll back (the statement's savepoint does).
//
// Thread safety: as the pager's writes (the engine thread).

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "storage/pager.h"

namespace sqlrite::storage {

class BTreeBuilder {
 public:
  struct Options {
    uint32_t leaf_fill_percent = 90;
    uint32_t interior_fill_percent = 70;
  };
  // What a build made (after Finish): its entries and pages.
  struct Stats {
    uint64_t entries = 0;
    uint64_t leaves = 0;
    uint64_t interior_nodes = 0;
    uint64_t overflow_pages = 0;
    uint32_t depth = 1;  // levels, the leaves included
  };

  // Builds into the tree rooted at root. REQUIRES: root is an empty leaf of pager's (a tree
  // just made by BTree::Create, or cleared), written by nothing else until Finish.
  BTreeBuilder(Pager& pager, PageId root);
  BTreeBuilder(Pager& pager, PageId root, Options options);
  BTreeBuilder(const BTreeBuilder&) = delete;
  BTreeBuilder& operator=(const BTreeBuilder&) = delete;

  // Appends key -> value. REQUIRES: key above every key added before (memcmp order; asserted).
  // Errors: 54000 for a key over kMaxKeySize or a value over 1 GiB (BTree::Insert's), the
  // pager's (I/O, 53100).
  Status Add(std::string_view key, std::string_view value);
  Status Add(std::string_view key, std::span<const std::string_view> value_pieces);

  // Writes the nodes still being filled, the top one into the root page. Call once; the tree is
  // then complete (BTree::Check passes) and the builder done.
  Status Finish();

  const Stats& stats() const { return stats_; }

 private:
  // The node being filled on one level (0: leaves), in memory until it is finished.
  struct Level {
    std::array<uint8_t, kPageSize> page;
    PageId id = kInvalidPage;  // its page: allocated when needed (never, for the root)
    uint32_t used = 0;         // cell and slot bytes
    // Interior levels: the newest child and the separator after it, not yet in the node (a
    // full node ends with that child as its rightmost, so no node is ever left with none).
    bool held = false;
    PageId held_child = kInvalidPage;
    std::string held_separator;
  };

  Level& NewLevel(bool leaf);
  // Adds child (all of whose keys are < separator) to the level `level` (>= 1).
  Status AddChild(size_t level, PageId child, std::string_view separator);
  // Copies the level's node to its page (allocating one when it has none) and releases it.
  Status WriteNode(Level& level);
  bool AppendCell(Level& level, const uint8_t* cell, uint32_t size);

  Pager& pager_;
  const PageId root_;
  const uint32_t leaf_target_;
  const uint32_t interior_target_;
  std::vector<std::unique_ptr<Level>> levels_;
  std::string last_key_;  // the last key of the leaves finished so far
  bool any_leaf_finished_ = false;
  bool finished_ = false;
  Stats stats_;
};

}  // namespace sqlrite::storage
