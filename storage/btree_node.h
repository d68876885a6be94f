#pragma once
// BTree node pages: a slotted page layout shared by leaves and interior nodes. A view over one
// 4 KiB page buffer; it owns nothing and never allocates. Byte tables in docs/file-format.md.
//
//   header, 16 bytes (little-endian):
//     0   1  kind (1 leaf, 2 interior)
//     1   1  reserved (0)
//     2   2  cell count
//     4   2  content start: offset of the lowest cell byte (kUsablePageSize when there are no
//     cells) 6   2  fragmented bytes: freed cell bytes inside the content area, reclaimed by
//     Defragment 8   4  leaf: next leaf to the right (0: last); interior: rightmost child 12  4
//     reserved (0)
//   slot array at 16: cell count x 2-byte cell offsets, in key order
//   free gap, then the cell content area growing down from kUsablePageSize (the page's last
//   kPageChecksumSize bytes are the pager's checksum, never a node's)
//
//   leaf cell:     0 2 key length | 2 4 value length (whole value) | key | local value bytes
//                  [| 4 first overflow page, when the value does not fit locally]
//   interior cell: 0 4 child | 4 2 key length | key
//   (child holds the keys >= the previous cell's key and < this cell's key)

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "common/bytes.h"
#include "common/error.h"
#include "storage/pager.h"

namespace sqlrite::storage {

// The largest value a tree stores (overflow chains past the leaf).
inline constexpr uint64_t kMaxValueSize = uint64_t{1} << 30;

// 54000 for a key over kMaxKeySize (storage/btree.h) or a value over kMaxValueSize: what an
// insert (BTree::Insert) and a bulk load (BTreeBuilder::Add) refuse alike.
Status CheckEntrySize(std::string_view key, uint64_t value_size);

enum class NodeKind : uint8_t { kLeaf = 1, kInterior = 2 };

inline constexpr uint32_t kNodeHeaderSize = 16;
inline constexpr uint32_t kLeafCellHeader = 6;
inline constexpr uint32_t kInteriorCellHeader = 6;
// A leaf cell never exceeds this (about a quarter page), so that any split of a full node plus
// one new cell leaves both halves fitting, and a node always holds at least three cells.
inline constexpr uint32_t kMaxLeafCell = 1100;

// Overflow page: 0 4 next overflow page (0: last) | 4 4 bytes used | data.
inline constexpr uint32_t kOverflowHeader = 8;
inline constexpr uint32_t kOverflowCapacity = kUsablePageSize - kOverflowHeader;

// How many value bytes a leaf cell keeps locally; the rest goes to overflow pages.
inline uint32_t LocalValueSize(uint32_t key_len, uint32_t value_len) {
  if (kLeafCellHeader + key_len + value_len <= kMaxLeafCell) return value_len;
  return kMaxLeafCell - kLeafCellHeader - 4 - key_len;
}
inline bool HasOverflow(uint32_t key_len, uint32_t value_len) {
  return LocalValueSize(key_len, value_len) < value_len;
}
inline uint32_t LeafCellSize(uint32_t key_len, uint32_t value_len) {
  uint32_t local = LocalValueSize(key_len, value_len);
  return kLeafCellHeader + key_len + local + (local < value_len ? 4 : 0);
}

// memcmp order, a shorter prefix first.
inline int CompareKeys(std::string_view a, std::string_view b) {
  size_t n = a.size() < b.size() ? a.size() : b.size();
  int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

class Node {
 public:
  explicit Node(uint8_t* page) : p_(page) {}

  static void Init(uint8_t* page, NodeKind kind);

  NodeKind kind() const { return static_cast<NodeKind>(p_[0]); }
  bool is_leaf() const { return kind() == NodeKind::kLeaf; }
  uint32_t count() const { return LoadLE<uint16_t>(p_ + 2); }
  uint32_t content_start() const { return LoadLE<uint16_t>(p_ + 4); }
  uint32_t fragmented() const { return LoadLE<uint16_t>(p_ + 6); }
  PageId link() const { return LoadLE<uint32_t>(p_ + 8); }  // next leaf / rightmost child
  void set_link(PageId id) { StoreLE<uint32_t>(p_ + 8, id); }

  uint32_t cell_offset(uint32_t i) const { return LoadLE<uint16_t>(p_ + kNodeHeaderSize + 2 * i); }
  const uint8_t* cell(uint32_t i) const { return p_ + cell_offset(i); }
  uint8_t* mutable_cell(uint32_t i) { return p_ + cell_offset(i); }

  std::string_view key(uint32_t i) const {
    const uint8_t* c = cell(i);
    if (is_leaf()) {
      return {reinterpret_cast<const char*>(c + kLeafCellHeader), LoadLE<uint16_t>(c)};
    }
    return {reinterpret_cast<const char*>(c + kInteriorCellHeader), LoadLE<uint16_t>(c + 4)};
  }
  // Interior only.
  PageId child(uint32_t i) const { return LoadLE<uint32_t>(cell(i)); }
  void set_child(uint32_t i, PageId id) { StoreLE<uint32_t>(mutable_cell(i), id); }
  // Interior only: the child to descend into for key (the first cell whose key > key, else the
  // rightmost child), and its index (count() for the rightmost).
  uint32_t ChildIndexFor(std::string_view key) const;
  PageId ChildAt(uint32_t index) const { return index == count() ? link() : child(index); }
  void SetChildAt(uint32_t index, PageId id) {
    if (index == count()) {
      set_link(id);
    } else {
      set_child(index, id);
    }
  }

  // Leaf only.
  uint32_t value_size(uint32_t i) const { return LoadLE<uint32_t>(cell(i) + 2); }
  uint32_t cell_size(uint32_t i) const;

  // The first index whose key is >= key; *found tells whether it is equal.
  uint32_t LowerBound(std::string_view key, bool* found) const;

  uint32_t free_bytes() const { return gap() + fragmented(); }
  // Inserts the cell bytes as cell i, defragmenting if needed. Returns false (page unchanged)
  // when the cell and its slot do not fit.
  bool InsertCell(uint32_t i, const uint8_t* cell, uint32_t size);
  void RemoveCell(uint32_t i);
  // Moves every cell to the end of the page so the free space is one gap.
  void Defragment();

 private:
  uint32_t gap() const { return content_start() - kNodeHeaderSize - 2 * count(); }
  void set_count(uint32_t n) { StoreLE<uint16_t>(p_ + 2, static_cast<uint16_t>(n)); }
  void set_content_start(uint32_t v) { StoreLE<uint16_t>(p_ + 4, static_cast<uint16_t>(v)); }
  void set_fragmented(uint32_t v) { StoreLE<uint16_t>(p_ + 6, static_cast<uint16_t>(v)); }
  void set_cell_offset(uint32_t i, uint32_t off) {
    StoreLE<uint16_t>(p_ + kNodeHeaderSize + 2 * i, static_cast<uint16_t>(off));
  }

  uint8_t* p_;
};

// A value given in consecutive pieces, read at any offset (BTree::Insert and BTreeBuilder take
// a row record around the long values it holds without first copying them into one buffer).
// Rows have few pieces, so a linear walk is cheaper than an index.
class Pieces {
 public:
  explicit Pieces(std::span<const std::string_view> pieces) : pieces_(pieces) {
    for (std::string_view p : pieces_) size_ += p.size();
  }
  size_t size() const { return size_; }
  // Copies bytes [offset, offset + length) of the value to out. REQUIRES: within size().
  void CopyTo(size_t offset, size_t length, uint8_t* out) const;

 private:
  std::span<const std::string_view> pieces_;
  size_t size_ = 0;
};

// Writes the value's bytes from `from` on into a new chain of overflow pages; returns its head.
Result<PageId> WriteOverflow(Pager& pager, const Pieces& value, size_t from);

}  // namespace sqlrite::storage
