#include "storage/btree_node.h"

#include <algorithm>
#include <array>
#include <string>

#include "common/assert.h"
#include "storage/btree.h"

namespace sqlrite::storage {

Status CheckEntrySize(std::string_view key, uint64_t value_size) {
  if (key.size() > kMaxKeySize) {
    return Fail(sqlstate::kProgramLimitExceeded, "index row size " + std::to_string(key.size()) +
                                                     " exceeds btree maximum " +
                                                     std::to_string(kMaxKeySize));
  }
  if (value_size > kMaxValueSize) {
    return Fail(sqlstate::kProgramLimitExceeded, "row size " + std::to_string(value_size) +
                                                     " exceeds maximum " +
                                                     std::to_string(kMaxValueSize));
  }
  return Ok();
}

void Node::Init(uint8_t* page, NodeKind kind) {
  std::memset(page, 0, kNodeHeaderSize);
  page[0] = static_cast<uint8_t>(kind);
  StoreLE<uint16_t>(page + 4, static_cast<uint16_t>(kUsablePageSize));
}

uint32_t Node::cell_size(uint32_t i) const {
  const uint8_t* c = cell(i);
  if (is_leaf()) return LeafCellSize(LoadLE<uint16_t>(c), LoadLE<uint32_t>(c + 2));
  return kInteriorCellHeader + LoadLE<uint16_t>(c + 4);
}

uint32_t Node::LowerBound(std::string_view key, bool* found) const {
  uint32_t lo = 0;
  uint32_t hi = count();
  // Appends (rowids from a counter, keys loaded in order) land past the last key: one
  // comparison instead of a binary search; any other key pays that one comparison more.
  if (hi > 0 && CompareKeys(this->key(hi - 1), key) < 0) {
    *found = false;
    return hi;
  }
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    int c = CompareKeys(this->key(mid), key);
    if (c < 0) {
      lo = mid + 1;
    } else if (c > 0) {
      hi = mid;
    } else {
      *found = true;
      return mid;
    }
  }
  *found = false;
  return lo;
}

uint32_t Node::ChildIndexFor(std::string_view key) const {
  // Upper bound: the first separator strictly greater than key. An append descends the
  // rightmost child at every level: the last separator alone decides it (as in LowerBound).
  uint32_t lo = 0;
  uint32_t hi = count();
  if (hi > 0 && CompareKeys(this->key(hi - 1), key) <= 0) return hi;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (CompareKeys(this->key(mid), key) <= 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

bool Node::InsertCell(uint32_t i, const uint8_t* cell_bytes, uint32_t size) {
  SQLRITE_ASSERT(i <= count());
  if (free_bytes() < size + 2) return false;
  if (gap() < size + 2) Defragment();
  uint32_t n = count();
  uint32_t off = content_start() - size;
  std::memcpy(p_ + off, cell_bytes, size);
  uint8_t* slots = p_ + kNodeHeaderSize;
  std::memmove(slots + 2 * (i + 1), slots + 2 * i, 2 * (n - i));
  set_cell_offset(i, off);
  set_count(n + 1);
  set_content_start(off);
  return true;
}

void Node::RemoveCell(uint32_t i) {
  uint32_t n = count();
  SQLRITE_ASSERT(i < n);
  uint32_t off = cell_offset(i);
  uint32_t size = cell_size(i);
  if (off == content_start()) {
    set_content_start(off + size);
  } else {
    set_fragmented(fragmented() + size);
  }
  uint8_t* slots = p_ + kNodeHeaderSize;
  std::memmove(slots + 2 * i, slots + 2 * (i + 1), 2 * (n - i - 1));
  set_count(n - 1);
  if (n == 1) {
    set_content_start(kUsablePageSize);
    set_fragmented(0);
  }
}

void Node::Defragment() {
  std::array<uint8_t, kPageSize> copy;
  std::memcpy(copy.data(), p_, kPageSize);
  Node old(copy.data());
  uint32_t end = kUsablePageSize;
  for (uint32_t i = 0; i < count(); ++i) {
    uint32_t size = old.cell_size(i);
    end -= size;
    std::memcpy(p_ + end, old.cell(i), size);
    set_cell_offset(i, end);
  }
  set_content_start(end);
  set_fragmented(0);
}

void Pieces::CopyTo(size_t offset, size_t length, uint8_t* out) const {
  SQLRITE_ASSERT(offset + length <= size_);
  for (std::string_view p : pieces_) {
    if (length == 0) return;
    if (offset >= p.size()) {
      offset -= p.size();
      continue;
    }
    const size_t n = std::min(length, p.size() - offset);
    std::memcpy(out, p.data() + offset, n);
    out += n;
    length -= n;
    offset = 0;
  }
}

Result<PageId> WriteOverflow(Pager& pager, const Pieces& value, size_t from) {
  const size_t rest = value.size() - from;
  uint64_t chunks = (rest + kOverflowCapacity - 1) / kOverflowCapacity;
  PageId next = kInvalidPage;
  for (uint64_t c = chunks; c-- > 0;) {
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, pager.Allocate());
    size_t off = c * kOverflowCapacity;
    uint32_t len = static_cast<uint32_t>(std::min<size_t>(kOverflowCapacity, rest - off));
    StoreLE<uint32_t>(ref.mutable_data(), next);
    StoreLE<uint32_t>(ref.mutable_data() + 4, len);
    value.CopyTo(from + off, len, ref.mutable_data() + kOverflowHeader);
    next = ref.id();
  }
  return next;
}

}  // namespace sqlrite::storage
