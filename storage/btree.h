#pragma once
// BTree: a B+tree of (key, value) byte strings in pager pages.
//
// Keys compare as unsigned bytes (memcmp, a shorter prefix first); the layer above encodes its
// keys so that this order is the order it wants (for example a big-endian, sign-flipped int64
// for rowids). Keys are unique within a tree. Interior pages hold separator keys and child page
// ids; leaves hold keys and values and are linked left to right. A value that does not fit in
// its leaf spills to a chain of overflow pages. The root page id never changes for the tree's
// lifetime (a root split moves the old root's contents to new children), so the layer above can
// store it once.
//
// Limits: a key is at most kMaxKeySize bytes (54000 program_limit_exceeded above that); values
// may be any size up to 1 GiB.
//
// Cursors: a cursor is invalidated by any modification of its tree; callers that update while
// scanning first collect the keys, then modify.
//
// Reads (Get, Cursor, Check) go through a PageSource: the writer's Pager or a ReadSnapshot
// (storage/page_source.h). Writes need the Pager: a BTree built from a PageSource alone is
// read-only (writing through it is a bug).
//
// Thread safety: a BTree is used by one thread at a time; trees over different ReadSnapshots may
// be read concurrently.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "storage/pager.h"

namespace sqlrite::storage {

inline constexpr size_t kMaxKeySize = 1024;

class BTree {
 public:
  // Allocates an empty tree (a single leaf root) and returns its root page id.
  static Result<PageId> Create(Pager& pager);

  BTree(Pager& pager, PageId root) : source_(&pager), pager_(&pager), root_(root) {}
  // A read-only tree (Get, Cursor, Check only).
  BTree(PageSource& source, PageId root) : source_(&source), root_(root) {}
  PageId root() const { return root_; }

  // Inserts key -> value. If the key exists: replaces the value when overwrite is true and
  // returns false either way (nothing inserted); returns true when a new key was inserted.
  Result<bool> Insert(std::string_view key, std::string_view value, bool overwrite = false);
  // The same with the value given as consecutive pieces (a row record around the long values it
  // holds), so that a caller need not first copy a 50 MB value into one buffer with the rest.
  Result<bool> Insert(std::string_view key, std::span<const std::string_view> value_pieces,
                      bool overwrite = false);
  // The value stored under key, or nullopt.
  Result<std::optional<std::string>> Get(std::string_view key);
  // Removes key; returns whether it was present.
  Result<bool> Delete(std::string_view key);
  // Frees every page of the tree, the root included. The BTree must not be used afterwards.
  Status Drop();
  // Removes every entry, keeping the root.
  Status Clear();

  // Verifies the tree's structure: node headers and cell bounds, keys strictly ascending within
  // and across leaves, every key inside its separators' range, all leaves at one depth and
  // linked left to right in key order, overflow chains of the right length. Appends every page
  // of the tree (nodes and overflow pages) to *pages when given. Returns XX001 naming the first
  // bad page.
  Status Check(std::vector<PageId>* pages = nullptr);

  // About how many entries the tree holds, from one root-to-leaf path (height pages read, not
  // the tree): the product of the fan-outs of the interior nodes on the path through each
  // node's middle child, times that leaf's entries. A planner's size for a table whose row
  // count it has not seen (PostgreSQL's relpages-based guess); exact for a one-leaf tree.
  // XX001 on a damaged node.
  Result<uint64_t> EstimateEntries();

  class Cursor {
   public:
    explicit Cursor(BTree& tree) : tree_(&tree) {}
    // Positions on the smallest key.
    Status SeekFirst();
    // Positions on the first key >= key.
    Status Seek(std::string_view key);
    // Backward: positions on the greatest key (SeekLast), or the greatest key < key
    // (SeekBefore); then Prev steps to the next smaller key. Leaves link only left to right, so a
    // step off a leaf's first key descends from the root again for the greatest key below it
    // (O(depth) pages per leaf, none per row within a leaf). Through a ReadSnapshot the descent
    // reads the snapshot's pages, as every other read does; a write to the tree invalidates the
    // cursor as it does a forward one.
    Status SeekLast();
    Status SeekBefore(std::string_view key);
    bool Valid() const { return valid_; }
    Status Next();
    Status Prev();
    std::string_view key() const { return key_; }
    // The whole value (follows overflow pages).
    Result<std::string> value() const;
    // The value without a copy when it lies whole in the leaf (valid until the cursor moves);
    // one that continues on overflow pages is read into scratch and viewed there.
    Result<std::string_view> ValueView(std::string& scratch) const;

   private:
    Status LoadCurrent();
    // The greatest key < *bound (bound null: the greatest key) in the subtree at id: positions
    // the cursor there and returns true, or returns false (every key >= *bound, or no key).
    // *visited counts the nodes read, bounded by the page count (a corrupt, cyclic tree).
    Result<bool> SeekLastIn(PageId id, const std::string_view* bound, int depth, uint32_t* visited);
    Status SeekLastBelow(const std::string_view* bound);
    BTree* tree_;
    bool valid_ = false;
    PageId leaf_ = kInvalidPage;
    uint32_t slot_ = 0;
    std::string key_;
    // The leaf the cursor is on, pinned while it is (released at the end): Next within a leaf
    // and value() look nothing up in the cache. A scan used to look its page up twice per row.
    PageRef page_;
  };

 private:
  friend class Cursor;
  PageSource* source_;
  Pager* pager_ = nullptr;  // null for a read-only tree
  PageId root_;
};

}  // namespace sqlrite::storage
