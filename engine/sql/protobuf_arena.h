#pragma once
// ProtobufArena: a bump allocator for unpacking one libpg_query parse tree.
//
// Why: protobuf-c's free_unpacked() walks every field of every message descriptor (PgQuery__Node
// has about 250), which cost as much as the grammar itself on short statements. Unpacking into
// an arena makes freeing one pass over a few blocks and turns the many small mallocs into
// pointer bumps. The first block lives inside the object, so a short statement allocates
// nothing.
//
// Not thread-safe; one arena per Parse() call. Everything allocated from it dies with it.

#include <pg_query.h>
#include <protobuf-c/protobuf-c.h>

#include <cstddef>
#include <memory>
#include <vector>

namespace sqlrite::engine::sql {

class ProtobufArena {
 public:
  ProtobufArena() {
    allocator_.alloc = &ProtobufArena::Alloc;
    allocator_.free = &ProtobufArena::Free;
    allocator_.allocator_data = this;
  }
  ProtobufArena(const ProtobufArena&) = delete;
  ProtobufArena& operator=(const ProtobufArena&) = delete;

  // REQUIRES: the arena outlives every message unpacked with it.
  ProtobufCAllocator* allocator() { return &allocator_; }

 private:
  static constexpr size_t kAlign = alignof(std::max_align_t);
  static constexpr size_t kInlineSize = 8192;
  static constexpr size_t kBlockSize = 32768;

  static void* Alloc(void* data, size_t size) {
    return static_cast<ProtobufArena*>(data)->Allocate(size);
  }
  static void Free(void*, void*) {}  // released with the arena

  void* Allocate(size_t size) {
    size = (size + kAlign - 1) & ~(kAlign - 1);
    if (size > static_cast<size_t>(end_ - next_)) {
      size_t block = size > kBlockSize / 4 ? size : kBlockSize;
      blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(block));
      next_ = blocks_.back().get();
      end_ = next_ + block;
    }
    void* p = next_;
    next_ += size;
    return p;
  }

  ProtobufCAllocator allocator_;
  alignas(kAlign) std::byte inline_[kInlineSize];
  std::byte* next_ = inline_;
  std::byte* end_ = inline_ + kInlineSize;
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
};

// Frees libpg_query's protobuf parse result: the deleter of a std::unique_ptr guard over one
// (parser.cc, rename_refs.cc).
struct ProtobufResultFree {
  void operator()(PgQueryProtobufParseResult* r) const { pg_query_free_protobuf_parse_result(*r); }
};

}  // namespace sqlrite::engine::sql
