// BTreeBuilder: see btree_builder.h. Node layout and cell formats are btree_node.h's.
//
// Page order: a leaf's page is allocated when the leaf before it is finished (that leaf's link
// needs its id), interior pages and overflow chains when they are written, so the leaves of a
// load into a file without free pages lie mostly in key order on disk.

#include "storage/btree_builder.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "common/assert.h"
#include "common/bytes.h"
#include "storage/btree.h"
#include "storage/btree_node.h"

namespace sqlrite::storage {
namespace {

uint32_t Target(uint32_t percent) {
  SQLRITE_ASSERT(percent >= 10 && percent <= 100);
  return (kUsablePageSize - kNodeHeaderSize) * percent / 100;
}

// The shortest prefix of `right` that is above `left` (left < right): every key of the left node
// is below it and every key of the right node at or above it, which is all a separator must be.
std::string_view ShortestSeparator(std::string_view left, std::string_view right) {
  size_t common = 0;
  const size_t n = std::min(left.size(), right.size());
  while (common < n && left[common] == right[common]) ++common;
  SQLRITE_ASSERT(common < right.size());  // left < right: right is no prefix of left
  return right.substr(0, common + 1);
}

}  // namespace

BTreeBuilder::BTreeBuilder(Pager& pager, PageId root) : BTreeBuilder(pager, root, Options{}) {}

BTreeBuilder::BTreeBuilder(Pager& pager, PageId root, Options options)
    : pager_(pager),
      root_(root),
      leaf_target_(Target(options.leaf_fill_percent)),
      interior_target_(Target(options.interior_fill_percent)) {
  NewLevel(/*leaf=*/true);
}

BTreeBuilder::Level& BTreeBuilder::NewLevel(bool leaf) {
  auto level = std::make_unique<Level>();
  std::memset(level->page.data(), 0, kPageSize);
  Node::Init(level->page.data(), leaf ? NodeKind::kLeaf : NodeKind::kInterior);
  levels_.push_back(std::move(level));
  return *levels_.back();
}

bool BTreeBuilder::AppendCell(Level& level, const uint8_t* cell, uint32_t size) {
  Node node(level.page.data());
  if (!node.InsertCell(node.count(), cell, size)) return false;
  level.used += size + 2;
  return true;
}

Status BTreeBuilder::WriteNode(Level& level) {
  if (level.id == kInvalidPage) {
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, pager_.Allocate());
    level.id = ref.id();
    std::memcpy(ref.mutable_data(), level.page.data(), kUsablePageSize);
  } else {
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, pager_.GetMutable(level.id));
    std::memcpy(ref.mutable_data(), level.page.data(), kUsablePageSize);
  }
  if (Node(level.page.data()).is_leaf()) {
    ++stats_.leaves;
  } else {
    ++stats_.interior_nodes;
  }
  return Ok();
}

Status BTreeBuilder::Add(std::string_view key, std::string_view value) {
  return Add(key, std::span<const std::string_view>(&value, 1));
}

Status BTreeBuilder::Add(std::string_view key, std::span<const std::string_view> value_pieces) {
  SQLRITE_ASSERT(!finished_);
  const Pieces value(value_pieces);
  SQLRITE_TRY(CheckEntrySize(key, value.size()));
  Level& leaf = *levels_[0];
  Node node(leaf.page.data());
  if (node.count() > 0) {
    SQLRITE_ASSERT(CompareKeys(node.key(node.count() - 1), key) < 0 && "keys out of order");
  } else if (any_leaf_finished_) {
    SQLRITE_ASSERT(CompareKeys(last_key_, key) < 0 && "keys out of order");
  }
  const uint32_t key_len = static_cast<uint32_t>(key.size());
  const uint32_t value_len = static_cast<uint32_t>(value.size());
  const uint32_t local = LocalValueSize(key_len, value_len);
  const uint32_t size = LeafCellSize(key_len, value_len);

  if (node.count() > 0 && leaf.used + size + 2 > leaf_target_) {
    // The leaf is full: its successor's page is allocated now, for its link.
    if (leaf.id == kInvalidPage) {
      SQLRITE_ASSIGN_OR_RETURN(PageRef ref, pager_.Allocate());
      leaf.id = ref.id();
    }
    PageId next;
    {
      SQLRITE_ASSIGN_OR_RETURN(PageRef ref, pager_.Allocate());
      next = ref.id();
    }
    node.set_link(next);
    SQLRITE_TRY(WriteNode(leaf));
    last_key_.assign(node.key(node.count() - 1));
    any_leaf_finished_ = true;
    const PageId finished = leaf.id;
    std::memset(leaf.page.data(), 0, kPageSize);
    Node::Init(leaf.page.data(), NodeKind::kLeaf);
    leaf.id = next;
    leaf.used = 0;
    SQLRITE_TRY(AddChild(1, finished, ShortestSeparator(last_key_, key)));
  }

  std::array<uint8_t, kMaxLeafCell> cell;
  StoreLE<uint16_t>(cell.data(), static_cast<uint16_t>(key_len));
  StoreLE<uint32_t>(cell.data() + 2, value_len);
  std::memcpy(cell.data() + kLeafCellHeader, key.data(), key_len);
  value.CopyTo(0, local, cell.data() + kLeafCellHeader + key_len);
  if (local < value_len) {
    SQLRITE_ASSIGN_OR_RETURN(PageId head, WriteOverflow(pager_, value, local));
    StoreLE<uint32_t>(cell.data() + kLeafCellHeader + key_len + local, head);
    stats_.overflow_pages += (value_len - local + kOverflowCapacity - 1) / kOverflowCapacity;
  }
  const bool appended = AppendCell(*levels_[0], cell.data(), size);
  SQLRITE_ASSERT(appended);  // an empty leaf takes any cell (kMaxLeafCell), a fuller one fits
  ++stats_.entries;
  return Ok();
}

Status BTreeBuilder::AddChild(size_t level_index, PageId child, std::string_view separator) {
  if (level_index == levels_.size()) NewLevel(/*leaf=*/false);
  Level& level = *levels_[level_index];
  if (level.held) {
    std::array<uint8_t, kInteriorCellHeader + kMaxKeySize> cell;
    StoreLE<uint32_t>(cell.data(), level.held_child);
    StoreLE<uint16_t>(cell.data() + 4, static_cast<uint16_t>(level.held_separator.size()));
    std::memcpy(cell.data() + kInteriorCellHeader, level.held_separator.data(),
                level.held_separator.size());
    const uint32_t size = kInteriorCellHeader + static_cast<uint32_t>(level.held_separator.size());
    Node node(level.page.data());
    if (node.count() > 0 && level.used + size + 2 > interior_target_) {
      // Full: the held child becomes its rightmost, and its separator goes up.
      node.set_link(level.held_child);
      SQLRITE_TRY(WriteNode(level));
      const PageId finished = level.id;
      std::memset(level.page.data(), 0, kPageSize);
      Node::Init(level.page.data(), NodeKind::kInterior);
      level.id = kInvalidPage;
      level.used = 0;
      // (levels_ may grow inside: `level` is a stable reference, each Level is its own object.)
      SQLRITE_TRY(AddChild(level_index + 1, finished, level.held_separator));
    } else {
      const bool appended = AppendCell(level, cell.data(), size);
      SQLRITE_ASSERT(appended);
    }
  }
  level.held = true;
  level.held_child = child;
  level.held_separator.assign(separator);
  return Ok();
}

Status BTreeBuilder::Finish() {
  SQLRITE_ASSERT(!finished_);
  finished_ = true;
  {
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, pager_.Get(root_));
    Node root(const_cast<uint8_t*>(ref.data()));
    SQLRITE_ASSERT(root.is_leaf() && root.count() == 0 && "a bulk load needs an empty tree");
  }
  PageId child = kInvalidPage;  // the node finished on the level below: the rightmost child
  PageId last_leaf = root_;
  for (size_t i = 0; i < levels_.size(); ++i) {
    Level& level = *levels_[i];
    Node node(level.page.data());
    if (i > 0) {
      if (level.held) {
        // Always fits: the node is at most interior_target_ full (70% of a page by default),
        // and a cell is at most kInteriorCellHeader + kMaxKeySize bytes.
        std::array<uint8_t, kInteriorCellHeader + kMaxKeySize> cell;
        StoreLE<uint32_t>(cell.data(), level.held_child);
        StoreLE<uint16_t>(cell.data() + 4, static_cast<uint16_t>(level.held_separator.size()));
        std::memcpy(cell.data() + kInteriorCellHeader, level.held_separator.data(),
                    level.held_separator.size());
        const bool appended =
            AppendCell(level, cell.data(),
                       kInteriorCellHeader + static_cast<uint32_t>(level.held_separator.size()));
        SQLRITE_ASSERT(appended);
        level.held = false;
      }
      node.set_link(child);
    }
    if (i + 1 == levels_.size()) {
      // The top level has one node: the root. Its page never moves (btree.h).
      SQLRITE_ASSIGN_OR_RETURN(PageRef ref, pager_.GetMutable(root_));
      std::memcpy(ref.mutable_data(), level.page.data(), kUsablePageSize);
      if (node.is_leaf()) {
        ++stats_.leaves;
      } else {
        ++stats_.interior_nodes;
      }
      break;
    }
    SQLRITE_TRY(WriteNode(level));
    if (i == 0) last_leaf = level.id;
    child = level.id;
  }
  stats_.depth = static_cast<uint32_t>(levels_.size());
  levels_.clear();
  // Appends after the load (a serial key) go straight to the last leaf, which has room.
  pager_.SetAppendHint(root_, last_leaf);
  return Ok();
}

}  // namespace sqlrite::storage
