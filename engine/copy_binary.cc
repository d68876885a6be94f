// COPY's binary format: ReceiveCopyBinaryHeader, NextCopyFrom's binary branch and
// CopyReadBinaryAttribute of PostgreSQL 15's copyfromparse.c, with their messages.

#include "engine/copy_binary.h"

#include <cstring>

#include "common/bytes.h"
#include "common/sqlstate.h"

namespace sqlrite::engine {
namespace {

constexpr uint32_t kWithOidsFlag = 1u << 16;

Error FormatError(const char* message) { return {sqlstate::kBadCopyFileFormat, message}; }

}  // namespace

void AppendCopyBinaryHeader(std::string& out) {
  out.append(kCopyBinarySignature);
  AppendBE32(out, 0);  // flags
  AppendBE32(out, 0);  // header extension length
}

void AppendCopyBinaryTrailer(std::string& out) { AppendBE16(out, 0xFFFF); }

void CopyBinaryReader::Feed(std::string_view data) {
  Compact();
  buffer_.append(data);
}

void CopyBinaryReader::Compact() {
  // What was returned is dropped once it is most of the buffer (views handed out before this
  // Feed are no longer used), so the buffer holds about one tuple, not the whole input.
  if (pos_ > 0 && pos_ * 2 >= buffer_.size()) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
}

// True once the header is read; false when more input is needed.
Result<bool> CopyBinaryReader::ReadHeader(bool at_eof) {
  const std::string_view in = std::string_view(buffer_).substr(pos_);
  const size_t sig = kCopyBinarySignature.size();
  // PostgreSQL reads each part as soon as it has arrived and fails at the first bad one.
  if (in.size() < sig) {
    if (at_eof) return Fail(FormatError("COPY file signature not recognized"));
    return false;
  }
  if (in.substr(0, sig) != kCopyBinarySignature) {
    return Fail(FormatError("COPY file signature not recognized"));
  }
  if (in.size() < sig + 4) {
    if (at_eof) return Fail(FormatError("invalid COPY file header (missing flags)"));
    return false;
  }
  uint32_t flags = LoadBE32(in.data() + sig);
  if ((flags & kWithOidsFlag) != 0) {
    return Fail(FormatError("invalid COPY file header (WITH OIDS)"));
  }
  flags &= ~kWithOidsFlag;
  if ((flags >> 16) != 0) {
    return Fail(FormatError("unrecognized critical flags in COPY file header"));
  }
  if (in.size() < sig + 8) {
    if (at_eof) return Fail(FormatError("invalid COPY file header (missing length)"));
    return false;
  }
  const auto extension = static_cast<int32_t>(LoadBE32(in.data() + sig + 4));
  if (extension < 0) return Fail(FormatError("invalid COPY file header (missing length)"));
  const size_t total = sig + 8 + static_cast<size_t>(extension);
  if (in.size() < total) {
    if (at_eof) return Fail(FormatError("invalid COPY file header (wrong length)"));
    return false;
  }
  pos_ += total;
  header_done_ = true;
  return true;
}

Result<const CopyBinaryReader::Tuple*> CopyBinaryReader::Next(bool at_eof) {
  if (!header_done_) {
    SQLRITE_ASSIGN_OR_RETURN(bool done, ReadHeader(at_eof));
    if (!done) return nullptr;
  }
  const std::string_view in = std::string_view(buffer_).substr(pos_);
  if (trailer_seen_) {
    // PostgreSQL waits for the protocol-level end right after the trailer.
    if (!in.empty()) return Fail(FormatError("received copy data after EOF marker"));
    return nullptr;
  }
  // Fewer than two bytes at the end of input end the COPY, as CopyGetInt16 failing does.
  if (in.size() < 2) return nullptr;
  const auto count = static_cast<int16_t>(LoadBE16(in.data()));
  if (count == -1) {
    pos_ += 2;
    trailer_seen_ = true;
    if (pos_ != buffer_.size()) return Fail(FormatError("received copy data after EOF marker"));
    return nullptr;
  }
  tuple_.fields.clear();
  tuple_.error.reset();
  tuple_.line = line_ + 1;
  if (count < 0 || static_cast<size_t>(count) != expected_fields_) {
    return Fail(Error(sqlstate::kBadCopyFileFormat,
                      "row field count is " + std::to_string(count) + ", expected " +
                          std::to_string(expected_fields_)));
  }
  size_t p = 2;
  for (size_t i = 0; i < expected_fields_; ++i) {
    if (in.size() < p + 4) {
      if (!at_eof) return nullptr;
      tuple_.error = FormatError("unexpected EOF in COPY data");
      return &tuple_;
    }
    const auto size = static_cast<int32_t>(LoadBE32(in.data() + p));
    p += 4;
    if (size == -1) {
      tuple_.fields.emplace_back(std::nullopt);
      continue;
    }
    if (size < 0) {
      tuple_.error = FormatError("invalid field size");
      return &tuple_;
    }
    if (in.size() - p < static_cast<size_t>(size)) {
      if (!at_eof) return nullptr;
      tuple_.error = FormatError("unexpected EOF in COPY data");
      return &tuple_;
    }
    tuple_.fields.emplace_back(in.substr(p, static_cast<size_t>(size)));
    p += static_cast<size_t>(size);
  }
  pos_ += p;
  ++line_;
  return &tuple_;
}

}  // namespace sqlrite::engine
