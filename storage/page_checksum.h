#pragma once
// Page checksums: every page the pager writes, to the main file or to the log, ends with an
// 8-byte checksum of its first kUsablePageSize bytes, seeded with the page's id (so a page
// written at the wrong offset, or copied from another page, does not verify either). Byte
// layout in docs/file-format.md ("Page checksums").
//
//   0       kUsablePageSize   content (node, overflow, free or header page)
//   4088    8                 PageChecksum(id, page), little-endian
//
// The pager seals a page (SealPage) just before writing it and verifies (PageSealed) every page
// it reads from disk; an all-zero page never verifies, so a hole inside the header's page count
// is damage. Pure functions, no state: thread-safe.

#include <cstdint>

#include "storage/pager.h"

namespace sqlrite::storage {

// A 64-bit multiply-xorshift hash over 8-byte words in four independent lanes (no
// cryptographic strength; any random damage changes it with probability 1 - 2^-64).
uint64_t PageChecksum(PageId id, const uint8_t* page);
// Writes PageChecksum(id, page) into the page's last 8 bytes.
void SealPage(PageId id, uint8_t* page);
// Whether the page's last 8 bytes hold its checksum.
bool PageSealed(PageId id, const uint8_t* page);

}  // namespace sqlrite::storage
