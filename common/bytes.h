#pragma once
// Byte coding. Network order (big-endian) for the wire protocol; little-endian for on-disk
// formats (x86 and ARM are both little-endian, so storage loads are plain moves). All functions
// use memcpy, so unaligned pointers are fine.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace sqlrite {

inline uint16_t LoadBE16(const void* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return __builtin_bswap16(v);
}
inline uint32_t LoadBE32(const void* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}
inline uint64_t LoadBE64(const void* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}
inline void StoreBE16(void* p, uint16_t v) {
  v = __builtin_bswap16(v);
  std::memcpy(p, &v, 2);
}
inline void StoreBE32(void* p, uint32_t v) {
  v = __builtin_bswap32(v);
  std::memcpy(p, &v, 4);
}
inline void StoreBE64(void* p, uint64_t v) {
  v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

template <typename T>
inline T LoadLE(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}
template <typename T>
inline void StoreLE(void* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}

// Appenders for building wire messages in a std::string buffer.
inline void AppendBE16(std::string& out, uint16_t v) {
  char b[2];
  StoreBE16(b, v);
  out.append(b, 2);
}
inline void AppendBE32(std::string& out, uint32_t v) {
  char b[4];
  StoreBE32(b, v);
  out.append(b, 4);
}
inline void AppendBE64(std::string& out, uint64_t v) {
  char b[8];
  StoreBE64(b, v);
  out.append(b, 8);
}
// Appends s and its NUL terminator (a protocol "String").
inline void AppendCString(std::string& out, std::string_view s) {
  out.append(s);
  out.push_back('\0');
}

// Unsigned LEB128 varint, for compact on-disk records.
inline void AppendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
// Decodes a varint from [p, end); returns the byte after it, or nullptr if truncated/overlong.
inline const uint8_t* DecodeVarint(const uint8_t* p, const uint8_t* end, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && p < end; shift += 7) {
    uint64_t byte = *p++;
    result |= (byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return p;
    }
  }
  return nullptr;
}

}  // namespace sqlrite
