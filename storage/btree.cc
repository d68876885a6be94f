// BTree implementation over the slotted node pages of btree_node.h.
//
// Invariants:
//   1. Every key in the subtree of interior cell i is >= key(i-1) and < key(i); the rightmost
//      child holds the keys >= the last cell's key.
//   2. All leaves are at the same depth and linked left to right through Node::link().
//   3. The root page never moves: a root split copies the root's cells into two new children.
//   4. A leaf emptied by deletes is unlinked and freed, and so is every ancestor it leaves
//      childless; a leaf under a quarter full merges with an adjacent sibling of the same parent
//      (the right one, else the left) when both fit in three quarters of a page; a root left
//      with one child absorbs it.
//      Interior nodes are not merged. Cursors still skip empty leaves (older files may hold
//      some).
//
// Splits copy the node to a stack buffer, then rebuild the left half in place and the right
// half in a new page, so the hot path (an insert that fits) touches no heap at all. A split by
// an append (a key past every key of the tree, at the end of the last node of its level) keeps
// the left node about 90% full instead of halving it (kAppendFillBytes), as PostgreSQL's
// rightmost B-tree splits and SQLite's balance_quick do: rows loaded in key order fill their
// pages. The descent itself tests the last key of each node first (Node::ChildIndexFor,
// LowerBound), so an append costs one key comparison per level.

#include "storage/btree.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "common/assert.h"
#include "common/bytes.h"
#include "storage/btree_node.h"

namespace sqlrite::storage {
namespace {

constexpr int kMaxDepth = 32;
constexpr uint32_t kMaxCellsPerNode = kPageSize / 8 + 1;

struct PathEntry {
  PageId page;
  uint32_t child_index;  // the index (Node::ChildAt) followed from this page
  // The child followed is the last node of its level (this node is, and the child is its
  // rightmost): where keys larger than any in the tree go. (No default member initializers:
  // an insert's path array of kMaxDepth entries is left uninitialised, filled as it descends.)
  bool rightmost;
};

// An append split (a cell added at the end of the last node of its level, as keys loaded in
// increasing order are) leaves the left node this full and starts the right one with the rest,
// instead of halving: a sequential load fills its pages to about 90%, not 50%, which halves the
// pages it allocates, logs and checkpoints. The tenth left free lets a row that grows in place
// (an UPDATE of an integer to a longer varint) stay without splitting at once.
constexpr uint32_t kAppendFillBytes = (kUsablePageSize - kNodeHeaderSize) * 9 / 10;

struct CellRef {
  const uint8_t* bytes;
  uint32_t size;
};

// Nodes read through a read-only PageRef are only inspected, never modified.
Node View(const PageRef& ref) { return Node(const_cast<uint8_t*>(ref.data())); }

// "could not read btree page 7: it has a malformed header", as PostgreSQL words a damaged page.
Error CorruptPage(PageId id, const std::string& what) {
  return Error(sqlstate::kDataCorrupted,
               "could not read btree page " + std::to_string(id) + ": it " + what);
}
Error OverflowCorrupt(PageId id, const std::string& what) {
  return Error(sqlstate::kDataCorrupted,
               "could not read overflow page " + std::to_string(id) + ": it " + what);
}

// The most cells a valid node can hold: every cell takes its 2-byte slot and at least a 6-byte
// header.
constexpr uint32_t kMaxCells = (kUsablePageSize - kNodeHeaderSize) / (2 + kLeafCellHeader);

// Checks that every offset and length in a node page stays inside the page, so that nothing
// built from a damaged file reads or writes out of bounds (kinds, counts, cell extents, key
// and value lengths). Whether keys are ordered is BTree::Check's business.
Status ValidateNode(const uint8_t* page, PageId id) {
  Node node(const_cast<uint8_t*>(page));
  if (node.kind() != NodeKind::kLeaf && node.kind() != NodeKind::kInterior) {
    return Fail(CorruptPage(id, "is not a btree node"));
  }
  const uint32_t count = node.count();
  const uint32_t content = node.content_start();
  if (count > kMaxCells || content > kUsablePageSize || content < kNodeHeaderSize + 2 * count ||
      node.fragmented() > kUsablePageSize - content) {
    return Fail(CorruptPage(id, "has a malformed header"));
  }
  if (!node.is_leaf() && node.link() == kInvalidPage) {
    return Fail(CorruptPage(id, "has no rightmost child"));
  }
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t off = node.cell_offset(i);
    if (off < content || off + 6 > kUsablePageSize)
      return Fail(CorruptPage(id, "has a cell outside it"));
    const uint8_t* c = page + off;
    uint64_t size;
    if (node.is_leaf()) {
      const uint32_t key_len = LoadLE<uint16_t>(c);
      const uint32_t value_len = LoadLE<uint32_t>(c + 2);
      if (key_len > kMaxKeySize || value_len > kMaxValueSize) {
        return Fail(CorruptPage(id, "has a cell of impossible length"));
      }
      size = LeafCellSize(key_len, value_len);
    } else {
      const uint32_t key_len = LoadLE<uint16_t>(c + 4);
      if (key_len > kMaxKeySize || LoadLE<uint32_t>(c) == kInvalidPage) {
        return Fail(CorruptPage(id, "has a malformed child cell"));
      }
      size = kInteriorCellHeader + key_len;
    }
    if (off + size > kUsablePageSize) return Fail(CorruptPage(id, "has a cell outside it"));
  }
  return Ok();
}

// Node pages go through these: a page is validated once each time the pager (re)reads it, not
// on every access. (The result is checked in place and returned as it is, not passed through a
// function by value: each fetch is on an insert's path several times.)
Status CheckNode(PageRef& ref, PageId id) {
  if (!ref.verified()) {
    SQLRITE_TRY(ValidateNode(ref.data(), id));
    ref.MarkVerified();
  }
  return Ok();
}
Result<PageRef> GetNode(PageSource& pager, PageId id) {
  Result<PageRef> fetched = pager.Get(id);
  if (fetched) SQLRITE_TRY(CheckNode(*fetched, id));
  return fetched;
}
Result<PageRef> GetMutableNode(Pager& pager, PageId id) {
  Result<PageRef> fetched = pager.GetMutable(id);
  if (fetched) SQLRITE_TRY(CheckNode(*fetched, id));
  return fetched;
}

// Reaching page id took more than kMaxDepth levels: a child link leads back up the tree.
Error TooDeep(PageId id) {
  return CorruptPage(id, "lies deeper than " + std::to_string(kMaxDepth) +
                             " levels below its root (a child link loops)");
}

// The first overflow page of a leaf cell, or kInvalidPage when its value is all local.
PageId OverflowHead(const uint8_t* cell) {
  uint32_t key_len = LoadLE<uint16_t>(cell);
  uint32_t value_len = LoadLE<uint32_t>(cell + 2);
  uint32_t local = LocalValueSize(key_len, value_len);
  if (local == value_len) return kInvalidPage;
  return LoadLE<uint32_t>(cell + kLeafCellHeader + key_len + local);
}

// Frees the overflow chain of a leaf cell. The chain is bounded by the page count its value's
// size implies, and every page must look like an overflow page (a page freed earlier in the walk
// has a zero "bytes used" field), so a chain that loops is XX001, never a double free.
Status FreeOverflow(Pager& pager, const uint8_t* cell) {
  const uint32_t key_len = LoadLE<uint16_t>(cell);
  const uint32_t value_len = LoadLE<uint32_t>(cell + 2);
  uint64_t rest = value_len - LocalValueSize(key_len, value_len);
  PageId id = OverflowHead(cell);
  while (rest > 0) {
    if (id == kInvalidPage || id >= pager.page_count()) {
      return Fail(OverflowCorrupt(id, "is missing from or out of range in its overflow chain"));
    }
    PageId next;
    {
      SQLRITE_ASSIGN_OR_RETURN(PageRef ref, pager.Get(id));
      const uint32_t used = LoadLE<uint32_t>(ref.data() + 4);
      if (used == 0 || used > kOverflowCapacity || used > rest) {
        return Fail(OverflowCorrupt(id, "is not a well-formed overflow page"));
      }
      rest -= used;
      next = LoadLE<uint32_t>(ref.data());
    }
    SQLRITE_TRY(pager.Free(id));
    id = next;
  }
  if (id != kInvalidPage) {
    return Fail(OverflowCorrupt(id, "continues an overflow chain past its value's length"));
  }
  return Ok();
}

Result<std::string> ReadValue(PageSource& pager, const uint8_t* cell) {
  uint32_t key_len = LoadLE<uint16_t>(cell);
  uint32_t value_len = LoadLE<uint32_t>(cell + 2);
  uint32_t local = LocalValueSize(key_len, value_len);
  std::string out(value_len, '\0');
  std::memcpy(out.data(), cell + kLeafCellHeader + key_len, local);
  size_t done = local;
  PageId id = OverflowHead(cell);
  while (done < value_len) {
    if (id == kInvalidPage) {
      return Fail(sqlstate::kDataCorrupted,
                  "could not read an overflow chain: it ends before its value's length");
    }
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, pager.Get(id));
    uint32_t used = LoadLE<uint32_t>(ref.data() + 4);
    // used > 0 keeps a chain that loops back on itself from spinning for ever.
    if (used == 0 || used > kOverflowCapacity || used > value_len - done) {
      return Fail(OverflowCorrupt(id, "is not a well-formed overflow page"));
    }
    std::memcpy(out.data() + done, ref.data() + kOverflowHeader, used);
    done += used;
    id = LoadLE<uint32_t>(ref.data());
  }
  // A chain that loops back still yields value_len bytes, just the wrong ones; its last page
  // must end it.
  if (id != kInvalidPage) {
    return Fail(OverflowCorrupt(id, "continues an overflow chain past its value's length"));
  }
  return out;
}

void FillNode(uint8_t* page, NodeKind kind, const CellRef* cells, uint32_t n, PageId link) {
  Node::Init(page, kind);
  Node node(page);
  for (uint32_t i = 0; i < n; ++i) {
    bool ok = node.InsertCell(i, cells[i].bytes, cells[i].size);
    SQLRITE_ASSERT(ok);
  }
  node.set_link(link);
}

uint32_t BuildInteriorCell(uint8_t* out, PageId child, std::string_view key) {
  StoreLE<uint32_t>(out, child);
  StoreLE<uint16_t>(out + 4, static_cast<uint16_t>(key.size()));
  std::memcpy(out + kInteriorCellHeader, key.data(), key.size());
  return kInteriorCellHeader + static_cast<uint32_t>(key.size());
}

// Inserts cell as cell `pos` of the node in ref (a writable page at path depth `depth`),
// splitting it, and recursively its ancestors, when it does not fit.
Status InsertIntoNode(Pager& pager, PageId root, PathEntry* path, int depth, PageRef ref,
                      uint32_t pos, const uint8_t* cell, uint32_t size) {
  Node node(ref.mutable_data());
  if (node.InsertCell(pos, cell, size)) return Ok();
  const bool append = pos == node.count() && (depth == 0 || path[depth - 1].rightmost) &&
                      (!node.is_leaf() || node.link() == kInvalidPage);

  std::array<uint8_t, kPageSize> copy;
  std::memcpy(copy.data(), ref.data(), kPageSize);
  Node old(copy.data());
  const bool leaf = old.is_leaf();
  const uint32_t old_count = old.count();
  std::array<CellRef, kMaxCellsPerNode> cells;
  uint32_t n = 0;
  uint32_t total = 0;
  for (uint32_t i = 0; i <= old_count; ++i) {
    if (i == pos) cells[n++] = {cell, size};
    if (i < old_count) cells[n++] = {old.cell(i), old.cell_size(i)};
  }
  for (uint32_t i = 0; i < n; ++i) total += cells[i].size + 2;

  // Split point by bytes: the left node takes cells [0, m).
  uint32_t m = 0;
  uint32_t left_bytes = 0;
  const uint32_t left_target = append ? kAppendFillBytes : total / 2;
  while (m < n && left_bytes + cells[m].size + 2 <= left_target) left_bytes += cells[m++].size + 2;
  uint32_t min_m = 1;
  uint32_t max_m = leaf ? n - 1 : n - 2;  // an interior split moves cells[m] up
  m = std::clamp(m, min_m, max_m);

  std::array<uint8_t, kInteriorCellHeader + kMaxKeySize> up_cell;
  std::string_view sep;
  uint32_t left_n = m;
  uint32_t right_begin = leaf ? m : m + 1;
  PageId left_link = kInvalidPage;
  PageId right_link = old.link();
  if (leaf) {
    const uint8_t* c = cells[m].bytes;
    sep = {reinterpret_cast<const char*>(c + kLeafCellHeader), LoadLE<uint16_t>(c)};
  } else {
    const uint8_t* c = cells[m].bytes;
    sep = {reinterpret_cast<const char*>(c + kInteriorCellHeader), LoadLE<uint16_t>(c + 4)};
    left_link = LoadLE<uint32_t>(c);
  }
  const NodeKind kind = leaf ? NodeKind::kLeaf : NodeKind::kInterior;

  if (ref.id() == root) {
    SQLRITE_ASSIGN_OR_RETURN(PageRef left, pager.Allocate());
    SQLRITE_ASSIGN_OR_RETURN(PageRef right, pager.Allocate());
    if (leaf) left_link = right.id();
    FillNode(left.mutable_data(), kind, cells.data(), left_n, left_link);
    FillNode(right.mutable_data(), kind, cells.data() + right_begin, n - right_begin, right_link);
    uint32_t up_size = BuildInteriorCell(up_cell.data(), left.id(), sep);
    Node::Init(ref.mutable_data(), NodeKind::kInterior);
    Node new_root(ref.mutable_data());
    new_root.set_link(right.id());
    bool ok = new_root.InsertCell(0, up_cell.data(), up_size);
    SQLRITE_ASSERT(ok);
    return Ok();
  }

  SQLRITE_ASSERT(depth > 0);
  SQLRITE_ASSIGN_OR_RETURN(PageRef right, pager.Allocate());
  if (leaf) left_link = right.id();
  FillNode(right.mutable_data(), kind, cells.data() + right_begin, n - right_begin, right_link);
  if (append) {
    // The left node keeps its first left_n cells where they are (the new cell went right):
    // dropping the rest from its end is cheaper than rebuilding it.
    SQLRITE_ASSERT(left_n <= old_count);
    while (node.count() > left_n) node.RemoveCell(node.count() - 1);
    node.set_link(left_link);
  } else {
    FillNode(ref.mutable_data(), kind, cells.data(), left_n, left_link);
  }
  uint32_t up_size = BuildInteriorCell(up_cell.data(), ref.id(), sep);
  PageId right_id = right.id();
  PageId left_id = ref.id();
  right = PageRef();
  ref = PageRef();

  const PathEntry& parent_entry = path[depth - 1];
  SQLRITE_ASSIGN_OR_RETURN(PageRef parent, GetMutableNode(pager, parent_entry.page));
  Node parent_node(parent.mutable_data());
  if (parent_node.ChildAt(parent_entry.child_index) != left_id) {
    return Fail(CorruptPage(parent_entry.page, "does not point to its child"));
  }
  // The pointer that led to the old node now leads to its right half; the left half goes in
  // front of it under the new separator.
  parent_node.SetChildAt(parent_entry.child_index, right_id);
  return InsertIntoNode(pager, root, path, depth - 1, std::move(parent), parent_entry.child_index,
                        up_cell.data(), up_size);
}

// The append fast path. The pager keeps, per tree, the leaf the last append went to, and forgets
// it whenever a page may have changed owner (Pager::AppendHint), so the hinted page is still
// one of this tree's. When it is still the tree's last leaf (no right link: splitting it would
// have given it one; a root that split is no longer a leaf) and holds a key, a key past its last
// key belongs in it: every key of the last leaf is >= every separator on its path (invariant
// 1), so a descent would come to it too. Inserts cell there when it fits and returns true;
// otherwise returns false (forgetting a hint that no longer applies) and the insert descends.
// An append costs two lookups of one page instead of a descent of the tree.
Result<bool> AppendAtHint(Pager& pager, PageId root, std::string_view key, const uint8_t* cell,
                          uint32_t size) {
  const PageId hinted = pager.AppendHint(root);
  if (hinted == kInvalidPage) return false;
  // Fetched for writing at once: a read lookup and then a write lookup of the same page were a
  // fifth of an append's cost. When the hint no longer applies the page is dirtied for nothing
  // (the commit's diff finds it unchanged and writes nothing), once: the hint is then dropped.
  SQLRITE_ASSIGN_OR_RETURN(PageRef ref, GetMutableNode(pager, hinted));
  Node node(ref.mutable_data());
  if (!node.is_leaf() || node.link() != kInvalidPage || node.count() == 0 ||
      CompareKeys(node.key(node.count() - 1), key) >= 0) {
    pager.SetAppendHint(root, kInvalidPage);
    return false;
  }
  if (node.free_bytes() < size + 2) return false;  // full: the descent splits it
  const bool inserted = node.InsertCell(node.count(), cell, size);
  SQLRITE_ASSERT(inserted);
  return true;
}

// *visited counts the nodes entered: more than the file holds means a child pointer leads back
// into the tree (a cycle), which the depth bound alone would only stop after fan-out^depth steps.
Status FreeSubtree(Pager& pager, PageId id, int depth, bool free_self, uint32_t* visited) {
  if (depth > kMaxDepth) return Fail(TooDeep(id));
  if (++*visited > pager.page_count()) {
    return Fail(CorruptPage(id, "is reached again while freeing its tree (a cycle)"));
  }
  {
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, GetNode(pager, id));
    Node node = View(ref);
    if (node.is_leaf()) {
      for (uint32_t i = 0; i < node.count(); ++i) {
        SQLRITE_TRY(FreeOverflow(pager, node.cell(i)));
      }
    } else {
      for (uint32_t i = 0; i <= node.count(); ++i) {
        SQLRITE_TRY(FreeSubtree(pager, node.ChildAt(i), depth + 1, /*free_self=*/true, visited));
      }
    }
  }
  if (free_self) SQLRITE_TRY(pager.Free(id));
  return Ok();
}

// Collapses a root left with one child: the root page id never changes, so the child's contents
// move up into it (all leaves stay at one depth: every path loses the same level).
Status CollapseRoot(Pager& pager, PageId root) {
  while (true) {
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, GetMutableNode(pager, root));
    Node node(ref.mutable_data());
    if (node.is_leaf() || node.count() != 0) return Ok();
    PageId only = node.link();
    {
      SQLRITE_ASSIGN_OR_RETURN(PageRef child_ref, GetNode(pager, only));
      std::memcpy(ref.mutable_data(), child_ref.data(), kPageSize);
    }
    ref = PageRef();
    SQLRITE_TRY(pager.Free(only));
  }
}

uint32_t UsedBytes(const Node& node) {
  return kUsablePageSize - kNodeHeaderSize - node.free_bytes();
}

// A leaf under this many used bytes after a delete tries to merge with a sibling.
constexpr uint32_t kMergeBelow = (kUsablePageSize - kNodeHeaderSize) / 4;
// ... when both fit in this much, leaving room so the next inserts do not split it at once.
constexpr uint32_t kMergeAtMost = (kUsablePageSize - kNodeHeaderSize) * 3 / 4;

// Merges the adjacent leaves `left` and `right` (children right_index-1 and right_index of the
// interior node `parent`) when their cells fit in kMergeAtMost together: the right node's cells
// move into the left node, which takes over its key range and leaf link. Returns whether it did.
Result<bool> MergePair(Pager& pager, PageId parent_id, PageId left, PageId right,
                       uint32_t right_index) {
  {
    SQLRITE_ASSIGN_OR_RETURN(PageRef l, GetNode(pager, left));
    SQLRITE_ASSIGN_OR_RETURN(PageRef r, GetNode(pager, right));
    if (!View(l).is_leaf() || !View(r).is_leaf() || View(l).link() != right) {
      return Fail(CorruptPage(
          left, "and page " + std::to_string(right) + " are not adjacent leaves of one parent"));
    }
    if (UsedBytes(View(l)) + UsedBytes(View(r)) > kMergeAtMost) return false;
  }
  {
    SQLRITE_ASSIGN_OR_RETURN(PageRef l, GetMutableNode(pager, left));
    SQLRITE_ASSIGN_OR_RETURN(PageRef r, GetNode(pager, right));
    Node dst(l.mutable_data());
    Node src = View(r);
    for (uint32_t i = 0; i < src.count(); ++i) {
      bool ok = dst.InsertCell(dst.count(), src.cell(i), src.cell_size(i));
      SQLRITE_ASSERT(ok);
    }
    dst.set_link(src.link());
  }
  {
    SQLRITE_ASSIGN_OR_RETURN(PageRef parent, GetMutableNode(pager, parent_id));
    Node p(parent.mutable_data());
    // Cell right_index-1 separated left from right; left now covers both ranges.
    p.SetChildAt(right_index, left);
    p.RemoveCell(right_index - 1);
  }
  SQLRITE_TRY(pager.Free(right));
  return true;
}

// Merges the leaf `leaf` (child path[depth-1].child_index of its parent) with its right sibling
// when they fit in one page together, else with its left one. Trying both matters for leaves
// filled by appends (about 90% full, see kAppendFillBytes): when deletes thin out a run of them
// in key order, each leaf falls under the threshold while its right sibling is still full, and
// only the already-thinned left sibling has room.
Status MergeLeaf(Pager& pager, PageId root, const PathEntry* path, int depth, PageId leaf) {
  const PathEntry& entry = path[depth - 1];
  PageId left_sibling = kInvalidPage;
  PageId right_sibling = kInvalidPage;
  {
    SQLRITE_ASSIGN_OR_RETURN(PageRef parent, GetNode(pager, entry.page));
    Node p = View(parent);
    if (p.count() == 0) return Ok();
    if (p.ChildAt(entry.child_index) != leaf) {
      return Fail(CorruptPage(entry.page, "does not point to its child"));
    }
    if (entry.child_index < p.count()) right_sibling = p.ChildAt(entry.child_index + 1);
    if (entry.child_index > 0) left_sibling = p.ChildAt(entry.child_index - 1);
  }
  bool merged = false;
  if (right_sibling != kInvalidPage) {
    SQLRITE_ASSIGN_OR_RETURN(
        merged, MergePair(pager, entry.page, leaf, right_sibling, entry.child_index + 1));
  }
  if (!merged && left_sibling != kInvalidPage) {
    SQLRITE_ASSIGN_OR_RETURN(merged,
                             MergePair(pager, entry.page, left_sibling, leaf, entry.child_index));
  }
  if (!merged) return Ok();
  return CollapseRoot(pager, root);
}

// Removes the empty leaf `leaf` (reached through path[0, depth)) from the leaf chain and from its
// parent, and frees it. A parent left without children is removed from its own parent in turn,
// up to the root, which becomes an empty leaf again; a root left with a single child absorbs
// it. So a tree filled and then emptied gives all its pages but the root back to the free list,
// and every leaf stays at one depth. (Underfull nodes are not merged.)
Status RemoveEmptyLeaf(Pager& pager, PageId root, const PathEntry* path, int depth, PageId leaf,
                       PageId next_leaf) {
  // The predecessor leaf is the rightmost leaf of the nearest left sibling subtree.
  for (int d = depth - 1; d >= 0; --d) {
    if (path[d].child_index == 0) continue;
    PageId id;
    {
      SQLRITE_ASSIGN_OR_RETURN(PageRef ref, GetNode(pager, path[d].page));
      id = View(ref).ChildAt(path[d].child_index - 1);
    }
    for (int level = d + 1; level < depth; ++level) {
      SQLRITE_ASSIGN_OR_RETURN(PageRef ref, GetNode(pager, id));
      id = View(ref).link();
    }
    SQLRITE_ASSIGN_OR_RETURN(PageRef prev, GetMutableNode(pager, id));
    Node prev_node(prev.mutable_data());
    if (!prev_node.is_leaf() || prev_node.link() != leaf) {
      return Fail(CorruptPage(id, "has a broken leaf link"));
    }
    prev_node.set_link(next_leaf);
    break;
  }
  PageId child = leaf;
  for (int d = depth - 1; d >= 0; --d) {
    SQLRITE_TRY(pager.Free(child));
    const PathEntry& entry = path[d];
    SQLRITE_ASSIGN_OR_RETURN(PageRef parent, GetMutableNode(pager, entry.page));
    Node node(parent.mutable_data());
    uint32_t i = entry.child_index;
    if (node.ChildAt(i) != child)
      return Fail(CorruptPage(entry.page, "does not point to its child"));
    if (node.count() == 0) {
      if (d == 0) {
        Node::Init(parent.mutable_data(), NodeKind::kLeaf);  // the whole tree is empty
        return Ok();
      }
      child = entry.page;  // childless now: remove it from its parent too
      continue;
    }
    if (i < node.count()) {
      // Child i+1 takes over the key range [key(i-1), key(i)).
      node.RemoveCell(i);
    } else {
      // The last cell's child becomes the rightmost child and takes the open-ended range.
      node.set_link(node.child(i - 1));
      node.RemoveCell(i - 1);
    }
    break;
  }
  return CollapseRoot(pager, root);
}

// BTree::Check's walk.
class Checker {
 public:
  Checker(PageSource& pager, PageId root, std::vector<PageId>* pages)
      : pager_(pager), root_(root), pages_(pages) {}

  Status Run() {
    SQLRITE_TRY(Walk(root_, 0, std::nullopt, std::nullopt));
    if (expected_next_leaf_ != kInvalidPage) {
      return Fail(Corrupt(last_leaf_, "links to page " + std::to_string(expected_next_leaf_) +
                                          " but it is the tree's last leaf"));
    }
    return Ok();
  }

 private:
  Error Corrupt(PageId page, const std::string& what) const {
    return Error(sqlstate::kDataCorrupted, "btree with root " + std::to_string(root_) +
                                               " is corrupt: page " + std::to_string(page) + " " +
                                               what);
  }

  Status Walk(PageId id, int depth, std::optional<std::string> lo, std::optional<std::string> hi) {
    if (depth > kMaxDepth) return Fail(TooDeep(id));
    if (id == kInvalidPage || id >= pager_.page_count()) {
      return Fail(
          Corrupt(id, "is out of range (page count " + std::to_string(pager_.page_count()) + ")"));
    }
    // Each page once: a child pointer back into the tree would otherwise make the walk
    // exponential in the depth bound.
    if (seen_.empty()) seen_.resize(pager_.page_count(), false);
    if (seen_[id]) return Fail(Corrupt(id, "is reached twice in the tree (a cycle)"));
    seen_[id] = true;
    if (pages_ != nullptr) pages_->push_back(id);
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, GetNode(pager_, id));
    Node node = View(ref);
    if (node.kind() != NodeKind::kLeaf && node.kind() != NodeKind::kInterior) {
      return Fail(Corrupt(id, "has node kind " + std::to_string(ref.data()[0])));
    }
    uint32_t n = node.count();
    uint32_t slots_end = kNodeHeaderSize + 2 * n;
    if (slots_end > kUsablePageSize || node.content_start() < slots_end ||
        node.content_start() > kUsablePageSize) {
      return Fail(Corrupt(id, "has a bad cell count or content start"));
    }
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t off = node.cell_offset(i);
      uint32_t header = node.is_leaf() ? kLeafCellHeader : kInteriorCellHeader;
      if (off < node.content_start() || off + header > kUsablePageSize) {
        return Fail(Corrupt(id, "cell " + std::to_string(i) + " lies outside the content area"));
      }
      uint32_t size = node.is_leaf()
                          ? node.cell_size(i)
                          : kInteriorCellHeader + static_cast<uint32_t>(node.key(i).size());
      if (off + size > kUsablePageSize) {
        return Fail(Corrupt(id, "cell " + std::to_string(i) + " runs past the page end"));
      }
      std::string_view key = node.key(i);
      if (i > 0 && CompareKeys(node.key(i - 1), key) >= 0) {
        return Fail(Corrupt(id, "keys are not strictly ascending at cell " + std::to_string(i)));
      }
      if ((lo && CompareKeys(key, *lo) < 0) || (hi && CompareKeys(key, *hi) >= 0)) {
        return Fail(
            Corrupt(id, "cell " + std::to_string(i) + " is outside its parent's key range"));
      }
    }
    if (node.is_leaf()) {
      if (leaf_depth_ < 0) leaf_depth_ = depth;
      if (depth != leaf_depth_) {
        return Fail(Corrupt(id, "is a leaf at depth " + std::to_string(depth) + ", others at " +
                                    std::to_string(leaf_depth_)));
      }
      if (expected_next_leaf_ != kInvalidPage && expected_next_leaf_ != id) {
        return Fail(Corrupt(last_leaf_, "links to page " + std::to_string(expected_next_leaf_) +
                                            " instead of the next leaf " + std::to_string(id)));
      }
      if (last_leaf_ != kInvalidPage && expected_next_leaf_ == kInvalidPage) {
        return Fail(Corrupt(last_leaf_, "ends the leaf chain before leaf " + std::to_string(id)));
      }
      for (uint32_t i = 0; i < n; ++i) {
        std::string_view key = node.key(i);
        if (have_last_key_ && CompareKeys(last_key_, key) >= 0) {
          return Fail(Corrupt(id, "key of cell " + std::to_string(i) +
                                      " is not above the previous leaf's last key"));
        }
        SQLRITE_TRY(CheckOverflow(id, node.cell(i)));
      }
      if (n > 0) {
        last_key_.assign(node.key(n - 1));
        have_last_key_ = true;
      }
      last_leaf_ = id;
      expected_next_leaf_ = node.link();
      return Ok();
    }
    // Interior: copy what the recursion needs, then release the page.
    std::vector<PageId> children(n + 1);
    std::vector<std::string> keys(n);
    for (uint32_t i = 0; i <= n; ++i) children[i] = node.ChildAt(i);
    for (uint32_t i = 0; i < n; ++i) keys[i].assign(node.key(i));
    ref = PageRef();
    for (uint32_t i = 0; i <= n; ++i) {
      std::optional<std::string> child_lo = i == 0 ? lo : std::optional<std::string>(keys[i - 1]);
      std::optional<std::string> child_hi = i == n ? hi : std::optional<std::string>(keys[i]);
      SQLRITE_TRY(Walk(children[i], depth + 1, std::move(child_lo), std::move(child_hi)));
    }
    return Ok();
  }

  Status CheckOverflow(PageId leaf, const uint8_t* cell) {
    uint32_t key_len = LoadLE<uint16_t>(cell);
    uint32_t value_len = LoadLE<uint32_t>(cell + 2);
    uint64_t rest = value_len - LocalValueSize(key_len, value_len);
    PageId id = OverflowHead(cell);
    uint64_t limit = rest / kOverflowCapacity + 2;
    while (rest > 0) {
      if (id == kInvalidPage || id >= pager_.page_count() || limit-- == 0) {
        return Fail(Corrupt(leaf, "has an overflow chain that ends early or is out of range"));
      }
      if (pages_ != nullptr) pages_->push_back(id);
      SQLRITE_ASSIGN_OR_RETURN(PageRef ref, pager_.Get(id));
      uint32_t used = LoadLE<uint32_t>(ref.data() + 4);
      if (used == 0 || used > kOverflowCapacity || used > rest) {
        return Fail(Corrupt(id, "is a malformed overflow page"));
      }
      rest -= used;
      id = LoadLE<uint32_t>(ref.data());
    }
    if (id != kInvalidPage) {
      return Fail(Corrupt(leaf, "has an overflow chain longer than its value"));
    }
    return Ok();
  }

  PageSource& pager_;
  PageId root_;
  std::vector<PageId>* pages_;
  int leaf_depth_ = -1;
  PageId last_leaf_ = kInvalidPage;
  PageId expected_next_leaf_ = kInvalidPage;
  std::string last_key_;
  bool have_last_key_ = false;
  std::vector<bool> seen_;  // pages entered by Walk, indexed by page id
};

}  // namespace

Status BTree::Check(std::vector<PageId>* pages) { return Checker(*source_, root_, pages).Run(); }

Result<uint64_t> BTree::EstimateEntries() {
  // A damaged chain of interior pages could claim more than 2^64 entries: the estimate stops at
  // a bound no real tree reaches, so the conversion below stays defined.
  constexpr double kMostEntries = 1e18;
  double estimate = 1;
  PageId id = root_;
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, GetNode(*source_, id));
    const Node node = View(ref);
    if (node.is_leaf()) {
      return static_cast<uint64_t>(std::min(estimate * node.count(), kMostEntries));
    }
    // An interior node of count keys has count + 1 children. The path avoids the last child
    // (unless it is the only one): a tree filled in key order has its one partly filled node at
    // each level there (appends split at 90%), and a root of two children would otherwise lead
    // down the 10% side.
    const uint32_t children = node.count() + 1;
    estimate = std::min(estimate * children, kMostEntries);
    id = node.ChildAt((children - 1) / 2);
  }
  return Fail(TooDeep(id));
}

Result<PageId> BTree::Create(Pager& pager) {
  SQLRITE_ASSIGN_OR_RETURN(PageRef ref, pager.Allocate());
  Node::Init(ref.mutable_data(), NodeKind::kLeaf);
  return ref.id();
}

Result<bool> BTree::Insert(std::string_view key, std::string_view value, bool overwrite) {
  return Insert(key, std::span<const std::string_view>(&value, 1), overwrite);
}

Result<bool> BTree::Insert(std::string_view key, std::span<const std::string_view> value_pieces,
                           bool overwrite) {
  SQLRITE_ASSERT(pager_ != nullptr && "a write through a read-only BTree");
  const Pieces value(value_pieces);
  SQLRITE_TRY(CheckEntrySize(key, value.size()));
  const uint32_t key_len = static_cast<uint32_t>(key.size());
  const uint32_t value_len = static_cast<uint32_t>(value.size());
  const uint32_t local = LocalValueSize(key_len, value_len);
  const uint32_t size = LeafCellSize(key_len, value_len);
  std::array<uint8_t, kMaxLeafCell> cell;
  StoreLE<uint16_t>(cell.data(), static_cast<uint16_t>(key_len));
  StoreLE<uint32_t>(cell.data() + 2, value_len);
  std::memcpy(cell.data() + kLeafCellHeader, key.data(), key_len);
  value.CopyTo(0, local, cell.data() + kLeafCellHeader + key_len);
  if (local == value_len) {
    SQLRITE_ASSIGN_OR_RETURN(bool appended, AppendAtHint(*pager_, root_, key, cell.data(), size));
    if (appended) return true;
  }

  std::array<PathEntry, kMaxDepth> path;
  int depth = 0;
  PageId id = root_;
  while (true) {
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, GetNode(*pager_, id));
    Node node = View(ref);
    if (node.is_leaf()) break;
    if (depth == kMaxDepth) return Fail(TooDeep(id));
    uint32_t index = node.ChildIndexFor(key);
    const bool rightmost = (depth == 0 || path[depth - 1].rightmost) && index == node.count();
    path[depth++] = {id, index, rightmost};
    id = node.ChildAt(index);
  }
  // The leaf is fetched for writing at once: a key already there without overwrite (the only
  // case that changes nothing) is rare, and costs its page a committed-image copy that the
  // commit's diff then finds unchanged; fetching it twice cost every insert a cache lookup.
  SQLRITE_ASSIGN_OR_RETURN(PageRef leaf, GetMutableNode(*pager_, id));
  bool found = false;
  uint32_t pos = View(leaf).LowerBound(key, &found);
  if (found && !overwrite) return false;

  Node node(leaf.mutable_data());
  // An append into the tree's last leaf that fits without a split: the next one may go
  // straight there (AppendAtHint).
  const bool hint = !found && pos == node.count() && node.link() == kInvalidPage &&
                    (depth == 0 || path[depth - 1].rightmost) && node.free_bytes() >= size + 2;
  if (found) {
    if (OverflowHead(node.cell(pos)) == kInvalidPage && local == value_len &&
        node.cell_size(pos) == size) {
      std::memcpy(node.mutable_cell(pos), cell.data(), size);  // same shape: rewrite in place
      return false;
    }
    SQLRITE_TRY(FreeOverflow(*pager_, node.cell(pos)));
    node.RemoveCell(pos);
  }
  if (local < value_len) {
    SQLRITE_ASSIGN_OR_RETURN(PageId head, WriteOverflow(*pager_, value, local));
    StoreLE<uint32_t>(cell.data() + kLeafCellHeader + key_len + local, head);
  }
  SQLRITE_TRY(
      InsertIntoNode(*pager_, root_, path.data(), depth, std::move(leaf), pos, cell.data(), size));
  if (hint) pager_->SetAppendHint(root_, id);
  return !found;
}

Result<std::optional<std::string>> BTree::Get(std::string_view key) {
  PageId id = root_;
  for (int depth = 0;; ++depth) {
    if (depth > kMaxDepth) return Fail(TooDeep(id));
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, GetNode(*source_, id));
    Node node = View(ref);
    if (!node.is_leaf()) {
      id = node.ChildAt(node.ChildIndexFor(key));
      continue;
    }
    bool found = false;
    uint32_t pos = node.LowerBound(key, &found);
    if (!found) return std::optional<std::string>();
    SQLRITE_ASSIGN_OR_RETURN(std::string value, ReadValue(*source_, node.cell(pos)));
    return std::optional<std::string>(std::move(value));
  }
}

Result<bool> BTree::Delete(std::string_view key) {
  SQLRITE_ASSERT(pager_ != nullptr && "a write through a read-only BTree");
  std::array<PathEntry, kMaxDepth> path;
  int depth = 0;
  PageId id = root_;
  while (true) {
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, GetNode(*pager_, id));
    Node node = View(ref);
    if (node.is_leaf()) {
      bool found = false;
      node.LowerBound(key, &found);
      if (!found) return false;
      break;
    }
    if (depth == kMaxDepth) return Fail(TooDeep(id));
    uint32_t index = node.ChildIndexFor(key);
    path[depth++] = {id, index, false};
    id = node.ChildAt(index);
  }
  PageId next_leaf;
  {
    SQLRITE_ASSIGN_OR_RETURN(PageRef leaf, GetMutableNode(*pager_, id));
    Node node(leaf.mutable_data());
    bool found = false;
    uint32_t pos = node.LowerBound(key, &found);
    SQLRITE_TRY(FreeOverflow(*pager_, node.cell(pos)));
    node.RemoveCell(pos);
    if (depth == 0) return true;
    if (node.count() != 0) {
      if (UsedBytes(node) >= kMergeBelow) return true;
      leaf = PageRef();
      SQLRITE_TRY(MergeLeaf(*pager_, root_, path.data(), depth, id));
      return true;
    }
    next_leaf = node.link();
  }
  SQLRITE_TRY(RemoveEmptyLeaf(*pager_, root_, path.data(), depth, id, next_leaf));
  return true;
}

Status BTree::Drop() {
  SQLRITE_ASSERT(pager_ != nullptr && "a write through a read-only BTree");
  uint32_t visited = 0;
  return FreeSubtree(*pager_, root_, 0, /*free_self=*/true, &visited);
}

Status BTree::Clear() {
  SQLRITE_ASSERT(pager_ != nullptr && "a write through a read-only BTree");
  uint32_t visited = 0;
  SQLRITE_TRY(FreeSubtree(*pager_, root_, 0, /*free_self=*/false, &visited));
  SQLRITE_ASSIGN_OR_RETURN(PageRef ref, GetMutableNode(*pager_, root_));
  Node::Init(ref.mutable_data(), NodeKind::kLeaf);
  return Ok();
}

Status BTree::Cursor::SeekFirst() {
  PageId id = tree_->root_;
  for (int depth = 0;; ++depth) {
    if (depth > kMaxDepth) return Fail(TooDeep(id));
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, GetNode(*tree_->source_, id));
    Node node = View(ref);
    if (node.is_leaf()) break;
    id = node.ChildAt(0);
  }
  leaf_ = id;
  slot_ = 0;
  return LoadCurrent();
}

Status BTree::Cursor::Seek(std::string_view key) {
  PageId id = tree_->root_;
  for (int depth = 0;; ++depth) {
    if (depth > kMaxDepth) return Fail(TooDeep(id));
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, GetNode(*tree_->source_, id));
    Node node = View(ref);
    if (!node.is_leaf()) {
      id = node.ChildAt(node.ChildIndexFor(key));
      continue;
    }
    bool found = false;
    leaf_ = id;
    slot_ = node.LowerBound(key, &found);
    break;
  }
  return LoadCurrent();
}

Status BTree::Cursor::Next() {
  if (!valid_) return Ok();
  ++slot_;
  return LoadCurrent();
}

Status BTree::Cursor::SeekLast() { return SeekLastBelow(nullptr); }

Status BTree::Cursor::SeekBefore(std::string_view key) { return SeekLastBelow(&key); }

Status BTree::Cursor::Prev() {
  if (!valid_) return Ok();
  if (slot_ > 0) {
    SQLRITE_ASSERT(page_ && page_.id() == leaf_);
    --slot_;
    key_.assign(View(page_).key(slot_));
    return Ok();
  }
  // Off the leaf's first key: the greatest key below it, from the root (leaves link only
  // forward). The key found is below the current one by construction, so a backward scan of
  // a damaged tree still ends.
  const std::string bound = key_;
  const std::string_view view(bound);
  return SeekLastBelow(&view);
}

Status BTree::Cursor::SeekLastBelow(const std::string_view* bound) {
  valid_ = false;
  uint32_t visited = 0;
  SQLRITE_ASSIGN_OR_RETURN(bool found, SeekLastIn(tree_->root_, bound, 0, &visited));
  if (!found) {
    valid_ = false;
    key_.clear();
    page_ = PageRef();
  }
  return Ok();
}

Result<bool> BTree::Cursor::SeekLastIn(PageId id, const std::string_view* bound, int depth,
                                       uint32_t* visited) {
  if (depth > kMaxDepth) return Fail(TooDeep(id));
  if (++*visited > tree_->source_->page_count()) {
    return Fail(CorruptPage(id, "is reached more often than the tree has pages"));
  }
  SQLRITE_ASSIGN_OR_RETURN(PageRef ref, GetNode(*tree_->source_, id));
  Node node = View(ref);
  if (node.is_leaf()) {
    bool found = false;
    const uint32_t slot = bound != nullptr ? node.LowerBound(*bound, &found) : node.count();
    if (slot == 0) return false;  // every key here >= bound, or an empty leaf
    leaf_ = id;
    slot_ = slot - 1;
    key_.assign(node.key(slot_));
    page_ = std::move(ref);
    valid_ = true;
    return true;
  }
  // Child i holds the keys below separator i; children before the one bound descends into hold
  // only keys below bound, so from there on the subtree's greatest key is the answer.
  const uint32_t start = bound != nullptr ? node.ChildIndexFor(*bound) : node.count();
  for (uint32_t i = start + 1; i-- > 0;) {
    const PageId child = node.ChildAt(i);
    SQLRITE_ASSIGN_OR_RETURN(bool found,
                             SeekLastIn(child, i == start ? bound : nullptr, depth + 1, visited));
    if (found) return true;
  }
  return false;
}

// A step to the next leaf must move forward: the next non-empty leaf's first key must be above
// the last key of the non-empty leaf the cursor came from (one comparison per hop), so a link
// that loops or goes backwards is XX001 within one leaf's worth of rows; empty leaves (which
// hold no key to compare) are bounded by the page count.
Status BTree::Cursor::LoadCurrent() {
  PageSource& pager = *tree_->source_;
  valid_ = false;  // until a key is found: an error leaves no position to read
  if (!page_ || page_.id() != leaf_) {
    page_ = PageRef();
    SQLRITE_ASSIGN_OR_RETURN(page_, GetNode(pager, leaf_));
  }
  PageRef& ref = page_;
  PageRef from;  // the last non-empty leaf left behind, pinned for the comparison
  for (uint32_t hops = 0;; ++hops) {
    Node node = View(ref);
    if (!node.is_leaf()) return Fail(CorruptPage(leaf_, "is linked to as a leaf but is not one"));
    if (slot_ < node.count()) {
      if (from.data() != nullptr) {
        Node prev = View(from);
        if (CompareKeys(prev.key(prev.count() - 1), node.key(0)) >= 0) {
          valid_ = false;
          return Fail(CorruptPage(from.id(), "links to leaf " + std::to_string(leaf_) +
                                                 ", whose keys do not follow its own "
                                                 "(a cycle or a backward link)"));
        }
      }
      key_.assign(node.key(slot_));
      valid_ = true;
      return Ok();
    }
    const PageId next = node.link();
    if (next == kInvalidPage) {
      valid_ = false;
      key_.clear();
      ref = PageRef();
      return Ok();
    }
    if (hops >= pager.page_count()) {
      valid_ = false;
      return Fail(CorruptPage(leaf_, "is in a loop of leaf links"));
    }
    if (node.count() > 0) {
      from = std::move(ref);
    } else {
      ref = PageRef();
    }
    leaf_ = next;
    slot_ = 0;
    SQLRITE_ASSIGN_OR_RETURN(ref, GetNode(pager, leaf_));
  }
}

Result<std::string> BTree::Cursor::value() const {
  SQLRITE_ASSERT(valid_ && page_ && page_.id() == leaf_);
  return ReadValue(*tree_->source_, View(page_).cell(slot_));
}

Result<std::string_view> BTree::Cursor::ValueView(std::string& scratch) const {
  SQLRITE_ASSERT(valid_ && page_ && page_.id() == leaf_);
  const uint8_t* cell = View(page_).cell(slot_);
  const uint32_t key_len = LoadLE<uint16_t>(cell);
  const uint32_t value_len = LoadLE<uint32_t>(cell + 2);
  if (LocalValueSize(key_len, value_len) == value_len) {
    return std::string_view(reinterpret_cast<const char*>(cell) + kLeafCellHeader + key_len,
                            value_len);
  }
  SQLRITE_ASSIGN_OR_RETURN(scratch, ReadValue(*tree_->source_, cell));
  return std::string_view(scratch);
}

}  // namespace sqlrite::storage
