#pragma once
// Whole-database integrity check: every page's checksum verifies, every tree is sound
// (BTree::Check) and every page is accounted for exactly once.

#include <span>

#include "common/error.h"
#include "storage/pager.h"

namespace sqlrite::storage {

// Checks each tree in roots (the layer above knows them: the catalog and every table and index)
// and the page accounting: every page other than page 0 belongs to exactly one tree, or is on
// the free list, whose length must equal the header's free page count. Returns XX001 with a
// message naming the first bad page. Reads through the pager, so an open transaction's changes
// are included (or not, in read-committed mode).
Status CheckIntegrity(Pager& pager, std::span<const PageId> roots);

}  // namespace sqlrite::storage
