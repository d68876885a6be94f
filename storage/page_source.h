#pragma once
// PageSource: a read-only view of a database file's pages and header meta slots at one point in
// time. Two kinds exist:
//   - Pager: the writer's view (its open transaction; engine thread only);
//   - ReadSnapshot (Pager::BeginRead): a durable commit, readable from any thread.
// B+tree reads (BTree::Get, Cursor, Check) take a PageSource, so the same tree code serves both.
//
// PageRef: a pinned page. The bytes it points to stay valid and unchanged (for a snapshot's
// pages, and for the writer's pages it does not write) for the PageRef's lifetime. Move-only;
// unpins on destruction through its PinOwner (the pager's private cache or the shared cache of
// committed images, storage/page_cache.h). A PageRef must not outlive its source.
//
// Thread safety: a PageSource is used by one thread at a time; different ReadSnapshots of one
// pager may be used concurrently on different threads.

#include <cstdint>

#include "common/error.h"

namespace sqlrite::storage {

using PageId = uint32_t;
inline constexpr uint32_t kPageSize = 4096;
inline constexpr uint32_t kPageChecksumSize = 8;
// The bytes of a page the layers above may use; the rest is the pager's checksum.
inline constexpr uint32_t kUsablePageSize = kPageSize - kPageChecksumSize;
inline constexpr PageId kInvalidPage = 0;  // page 0 is the header, never a tree page

enum class MetaSlot : uint32_t {
  kCatalogRoot = 0,
  kUser1 = 1,
  kUser2 = 2,
  kUser3 = 3,
  kUser4 = 4,
  kUser5 = 5,
  kUser6 = 6,
  kUser7 = 7,
};

// Whoever holds the page a PageRef pins. `token` is the owner's own handle on it.
class PinOwner {
 public:
  virtual void Unpin(uintptr_t token) = 0;
  virtual bool Verified(uintptr_t token) const = 0;
  virtual void SetVerified(uintptr_t token) = 0;

 protected:
  ~PinOwner() = default;
};

// A pinned page. Move-only; unpins on destruction.
class PageRef {
 public:
  PageRef() = default;
  // For PinOwners: takes over one pin of token.
  PageRef(PinOwner* owner, uintptr_t token, PageId id, uint8_t* data)
      : owner_(owner), frame_(token), id_(id), data_(data) {}
  PageRef(PageRef&& other) noexcept
      : owner_(other.owner_), frame_(other.frame_), id_(other.id_), data_(other.data_) {
    other.owner_ = nullptr;
  }
  PageRef& operator=(PageRef&& other) noexcept {
    if (this != &other) {
      Release();
      owner_ = other.owner_;
      frame_ = other.frame_;
      id_ = other.id_;
      data_ = other.data_;
      other.owner_ = nullptr;
    }
    return *this;
  }
  PageRef(const PageRef&) = delete;
  PageRef& operator=(const PageRef&) = delete;
  ~PageRef() { Release(); }

  explicit operator bool() const { return owner_ != nullptr; }
  PageId id() const { return id_; }
  const uint8_t* data() const { return data_; }
  // REQUIRES: obtained through Pager::GetMutable (the page is marked dirty).
  uint8_t* mutable_data() { return data_; }
  // Whether the layer above has checked these bytes since the pager last read them from disk
  // (or reset them: allocation, free, rollback). Lets a B+tree validate a page from a possibly
  // damaged file once per load rather than on every access. REQUIRES: a live PageRef.
  bool verified() const { return owner_->Verified(frame_); }
  void MarkVerified() { owner_->SetVerified(frame_); }

 private:
  friend class Pager;
  void Release() {
    if (owner_ != nullptr) owner_->Unpin(frame_);
    owner_ = nullptr;
  }
  PinOwner* owner_ = nullptr;
  uintptr_t frame_ = 0;  // the owner's handle (the pager: its cache frame index)
  PageId id_ = kInvalidPage;
  uint8_t* data_ = nullptr;
};

class PageSource {
 public:
  // A read handle on page id. Errors: XX001 when id is out of range or the page is damaged;
  // for a snapshot also 72000 (snapshot too old) and I/O errors.
  virtual Result<PageRef> Get(PageId id) = 0;
  virtual uint32_t GetMeta(MetaSlot slot) const = 0;
  virtual uint32_t page_count() const = 0;

 protected:
  ~PageSource() = default;
};

}  // namespace sqlrite::storage
