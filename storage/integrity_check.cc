#include "storage/integrity_check.h"

#include <algorithm>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "storage/btree.h"

namespace sqlrite::storage {
namespace {

Error Corrupt(const std::string& message) {
  return Error(sqlstate::kDataCorrupted, "database is corrupt: " + message);
}

}  // namespace

Status CheckIntegrity(Pager& pager, std::span<const PageId> roots) {
  const uint32_t page_count = pager.page_count();
  // Every page's checksum first, from disk: a page the walks below never reach (leaked, or
  // cached since it was read) is checked too, and damage is named as such.
  for (PageId p = 0; p < page_count; ++p) SQLRITE_TRY(pager.VerifyStoredPage(p));
  // Who owns each page: 0 nobody yet, else 1 + the root's index, or kFree.
  constexpr uint32_t kFree = ~uint32_t{0};
  std::vector<uint32_t> owner(page_count, 0);
  std::vector<PageId> pages;
  for (size_t r = 0; r < roots.size(); ++r) {
    pages.clear();
    SQLRITE_TRY(BTree(pager, roots[r]).Check(&pages));
    for (PageId p : pages) {
      if (owner[p] != 0) {
        return Fail(Corrupt("page " + std::to_string(p) + " belongs to the tree with root " +
                            std::to_string(roots[r]) + " and to another owner too"));
      }
      owner[p] = static_cast<uint32_t>(r + 1);
    }
  }
  uint32_t free_count = 0;
  for (PageId p = pager.free_list_head(); p != kInvalidPage;) {
    if (p >= page_count) {
      return Fail(Corrupt("the free list links to page " + std::to_string(p) +
                          " beyond the page count " + std::to_string(page_count)));
    }
    if (owner[p] != 0) {
      return Fail(Corrupt("free page " + std::to_string(p) +
                          (owner[p] == kFree ? " is on the free list twice"
                                             : " is also used by the tree with root " +
                                                   std::to_string(roots[owner[p] - 1]))));
    }
    owner[p] = kFree;
    if (++free_count > pager.free_page_count()) {
      return Fail(Corrupt("the free list is longer than the header's free page count " +
                          std::to_string(pager.free_page_count())));
    }
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, pager.Get(p));
    if (std::any_of(ref.data() + 4, ref.data() + kUsablePageSize,
                    [](uint8_t b) { return b != 0; })) {
      return Fail(Corrupt("free page " + std::to_string(p) + " holds data"));
    }
    p = LoadLE<uint32_t>(ref.data());
  }
  if (free_count != pager.free_page_count()) {
    return Fail(Corrupt("the free list holds " + std::to_string(free_count) +
                        " pages but the header says " + std::to_string(pager.free_page_count())));
  }
  for (PageId p = 1; p < page_count; ++p) {
    if (owner[p] == 0) {
      return Fail(Corrupt("page " + std::to_string(p) + " is neither in a tree nor free (leaked)"));
    }
  }
  return Ok();
}

}  // namespace sqlrite::storage
