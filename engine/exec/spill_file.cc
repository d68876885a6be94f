#include "engine/exec/spill_file.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <span>
#include <utility>

#include "common/assert.h"
#include "common/bytes.h"
#include "common/sqlstate.h"
#include "engine/value.h"

namespace sqlrite::engine::exec {
namespace {

// Writes go to the file in pieces of this size (PostgreSQL's BLCKSZ: a hash operator writes to
// up to 256 partition files at once, so each buffer stays small); reads fetch kReadBuffer.
constexpr size_t kWriteBuffer = size_t{8} << 10;
constexpr size_t kReadBuffer = size_t{32} << 10;

constexpr const char* kConfigurationLimitExceeded = "53400";

// malloc's overhead per block, and the smallest block it hands out.
size_t HeapBlock(size_t bytes) { return std::max<size_t>(32, (bytes + 16 + 15) & ~size_t{15}); }

size_t DatumHeap(const Datum& d) {
  if (const auto* s = std::get_if<std::string>(&d)) {
    // Strings of up to 15 bytes live inside the Datum (the small-string buffer).
    return s->capacity() > 15 ? HeapBlock(s->capacity() + 1) : 0;
  }
  if (const auto* n = std::get_if<NumericRef>(&d)) {
    // The shared Numeric and its digits (a shared constant zero counts as if owned: cheap).
    return HeapBlock(sizeof(Numeric) + 16) + HeapBlock((*n)->digits().size() * sizeof(int16_t));
  }
  if (const auto* a = std::get_if<ArrayRef>(&d)) {
    size_t bytes =
        HeapBlock(sizeof(ArrayValue) + 16) + HeapBlock((*a)->items.size() * sizeof(Datum));
    for (const Datum& item : (*a)->items) bytes += DatumHeap(item);
    return bytes;
  }
  return 0;
}

void EncodeDatum(std::string& out, const Datum& d) {
  out.push_back(static_cast<char>(d.index()));
  switch (d.index()) {
    case 0:
      return;
    case 1:
      out.push_back(std::get<bool>(d) ? 1 : 0);
      return;
    case 2: {
      char b[8];
      StoreLE<int64_t>(b, std::get<int64_t>(d));
      out.append(b, 8);
      return;
    }
    case 3: {
      char b[8];
      std::memcpy(b, &std::get<double>(d), 8);
      out.append(b, 8);
      return;
    }
    case 4: {
      const auto& s = std::get<std::string>(d);
      AppendVarint(out, s.size());
      out += s;
      return;
    }
    case 5: {
      std::string bin;
      std::get<NumericRef>(d)->AppendBinary(bin);
      AppendVarint(out, bin.size());
      out += bin;
      return;
    }
    case 6: {
      const auto& iv = std::get<Interval>(d);
      char b[16];
      StoreLE<int64_t>(b, iv.time);
      StoreLE<int32_t>(b + 8, iv.day);
      StoreLE<int32_t>(b + 12, iv.month);
      out.append(b, 16);
      return;
    }
    default: {
      const ArrayValue& a = *std::get<ArrayRef>(d);
      out.push_back(static_cast<char>(a.elem));
      char b[4];
      StoreLE<int32_t>(b, a.lower);
      out.append(b, 4);
      AppendVarint(out, a.items.size());
      for (const Datum& item : a.items) EncodeDatum(out, item);
      return;
    }
  }
}

tl::unexpected<Error> Damaged() {
  return Fail(sqlstate::kIoError, "could not read from temporary file: malformed row");
}

// Decodes one value from [p, end), advancing p.
Result<Datum> DecodeDatum(const uint8_t*& p, const uint8_t* end) {
  if (p >= end) return Damaged();
  const uint8_t tag = *p++;
  auto need = [&](size_t n) { return static_cast<size_t>(end - p) >= n; };
  switch (tag) {
    case 0:
      return Datum{};
    case 1:
      if (!need(1)) return Damaged();
      return Datum(*p++ != 0);
    case 2: {
      if (!need(8)) return Damaged();
      const auto v = LoadLE<int64_t>(p);
      p += 8;
      return Datum(v);
    }
    case 3: {
      if (!need(8)) return Damaged();
      double v;
      std::memcpy(&v, p, 8);
      p += 8;
      return Datum(v);
    }
    case 4:
    case 5: {
      uint64_t n = 0;
      p = DecodeVarint(p, end, &n);
      if (p == nullptr || !need(n)) return Damaged();
      std::string_view bytes(reinterpret_cast<const char*>(p), n);
      p += n;
      if (tag == 4) return Datum(std::string(bytes));
      SQLRITE_ASSIGN_OR_RETURN(Numeric num, Numeric::FromBinary(bytes));
      return NumericDatum(std::move(num));
    }
    case 6: {
      if (!need(16)) return Damaged();
      Interval iv;
      iv.time = LoadLE<int64_t>(p);
      iv.day = LoadLE<int32_t>(p + 8);
      iv.month = LoadLE<int32_t>(p + 12);
      p += 16;
      return Datum(iv);
    }
    case 7: {
      if (!need(5)) return Damaged();
      const auto elem = static_cast<TypeId>(*p);
      const auto lower = LoadLE<int32_t>(p + 1);
      p += 5;
      uint64_t n = 0;
      p = DecodeVarint(p, end, &n);
      if (p == nullptr || n > static_cast<uint64_t>(end - p)) return Damaged();
      std::vector<Datum> items;
      items.reserve(n);
      for (uint64_t i = 0; i < n; ++i) {
        SQLRITE_ASSIGN_OR_RETURN(Datum item, DecodeDatum(p, end));
        items.push_back(std::move(item));
      }
      return ArrayDatum(elem, std::move(items), lower);
    }
    default:
      return Damaged();
  }
}

}  // namespace

uint64_t PartitionHash(std::string_view key, unsigned level) {
  // splitmix64's finaliser over std::hash and the level.
  uint64_t z = std::hash<std::string_view>{}(key) + (uint64_t{level} + 1) * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

size_t PartitionCount(size_t hash_mem) {
  return std::clamp<size_t>(hash_mem / 4 / kWriteBuffer, 4, 256);
}

Status CreatePartitions(SpillSettings& settings, size_t size_hint,
                        std::vector<std::unique_ptr<SpillFile>>* partitions) {
  size_t count = PartitionCount(settings.hash_mem);
  if (size_hint != 0) {
    count = std::clamp<size_t>(size_hint / (settings.hash_mem / 2) + 1, 2, count);
  }
  for (size_t i = 0; i < count; ++i) {
    SQLRITE_ASSIGN_OR_RETURN(std::unique_ptr<SpillFile> file, SpillFile::Create(settings));
    partitions->push_back(std::move(file));
  }
  return Ok();
}

size_t RowMemory(const Row& row) {
  size_t bytes = sizeof(Row) + HeapBlock(row.capacity() * sizeof(Datum));
  for (const Datum& d : row) bytes += DatumHeap(d);
  return bytes;
}

// ---- TempSpace ----------------------------------------------------------------------------------

Status TempSpace::Clear() {
  SQLRITE_ASSIGN_OR_RETURN(bool exists, fs_.FileExists(dir_));
  if (!exists) return Ok();
  SQLRITE_ASSIGN_OR_RETURN(std::vector<std::string> names, fs_.ListDir(dir_));
  for (const std::string& name : names) SQLRITE_TRY(fs_.RemoveFile(dir_ + "/" + name));
  return Ok();
}

Result<std::unique_ptr<storage::File>> TempSpace::Create(std::string* path) {
  {
    std::lock_guard lock(mu_);
    if (!dir_made_) {
      bool created = false;
      SQLRITE_TRY(fs_.CreateDirs(dir_, &created));
      dir_made_ = true;
    }
  }
  // PostgreSQL's names: pgsql_tmp<pid>.<n>. No directory sync: the file need not survive a crash.
  *path = dir_ + "/pgsql_tmp" + std::to_string(::getpid()) + "." +
          std::to_string(next_.fetch_add(1, std::memory_order_relaxed));
  return fs_.OpenFile(*path, storage::OpenMode::kCreateNew);
}

Result<size_t> TempSpace::FileCount() {
  SQLRITE_ASSIGN_OR_RETURN(bool exists, fs_.FileExists(dir_));
  if (!exists) return size_t{0};
  SQLRITE_ASSIGN_OR_RETURN(std::vector<std::string> names, fs_.ListDir(dir_));
  return names.size();
}

// ---- SpillFile ----------------------------------------------------------------------------------

Result<std::unique_ptr<SpillFile>> SpillFile::Create(SpillSettings& settings) {
  SQLRITE_ASSERT(settings.can_spill());
  std::string path;
  SQLRITE_ASSIGN_OR_RETURN(std::unique_ptr<storage::File> file, settings.space->Create(&path));
  return std::make_unique<SpillFile>(settings, std::move(file), std::move(path));
}

SpillFile::~SpillFile() {
  file_.reset();
  // A file that cannot be removed now is removed at the next start (TempSpace::Clear).
  static_cast<void>(settings_.space->Remove(path_));
  settings_.temp_bytes -= static_cast<int64_t>(written_);
}

Status SpillFile::Append(const Row& row) {
  row_.clear();
  AppendVarint(row_, row.size());
  for (const Datum& d : row) EncodeDatum(row_, d);
  char len[4];
  StoreLE<uint32_t>(len, static_cast<uint32_t>(row_.size()));
  buffer_.append(len, 4);
  buffer_ += row_;
  ++run_rows_;
  if (buffer_.size() >= kWriteBuffer) SQLRITE_TRY(Flush());
  return Ok();
}

Status SpillFile::Flush() {
  if (buffer_.empty()) return Ok();
  if (settings_.temp_file_limit >= 0 &&
      settings_.temp_bytes + static_cast<int64_t>(buffer_.size()) > settings_.temp_file_limit) {
    return Fail(kConfigurationLimitExceeded, "temporary file size exceeds temp_file_limit (" +
                                                 std::to_string(settings_.temp_file_limit / 1024) +
                                                 "kB)");
  }
  SQLRITE_TRY(file_->WriteAt(written_, std::as_bytes(std::span(buffer_.data(), buffer_.size()))));
  written_ += buffer_.size();
  settings_.temp_bytes += static_cast<int64_t>(buffer_.size());
  buffer_.clear();
  return Ok();
}

Result<size_t> SpillFile::EndRun() {
  SQLRITE_TRY(Flush());
  runs_.push_back(Run{run_begin_, written_, run_rows_});
  run_begin_ = written_;
  run_rows_ = 0;
  return runs_.size() - 1;
}

SpillFile::Reader SpillFile::Read(size_t run) {
  SQLRITE_ASSERT(run < runs_.size());
  return {this, runs_[run].begin, runs_[run].end};
}

Result<bool> SpillFile::Reader::Next(Row& row) {
  // Makes at least n unread bytes available in buffer_ (false: the run ends first).
  auto fill = [this](size_t n) -> Result<bool> {
    if (buffer_.size() - next_ >= n) return true;
    buffer_.erase(0, next_);
    next_ = 0;
    const size_t want = std::max(n - buffer_.size(), kReadBuffer);
    const size_t take = static_cast<size_t>(std::min<uint64_t>(want, end_ - pos_));
    if (buffer_.size() + take < n) return false;
    const size_t old = buffer_.size();
    buffer_.resize(old + take);
    SQLRITE_TRY(
        file_->file_->ReadAt(pos_, std::as_writable_bytes(std::span(buffer_.data() + old, take))));
    pos_ += take;
    return true;
  };
  SQLRITE_ASSIGN_OR_RETURN(bool has_len, fill(4));
  if (!has_len) {
    if (buffer_.size() != next_) return Damaged();
    buffer_ = {};
    return false;
  }
  const auto len = LoadLE<uint32_t>(buffer_.data() + next_);
  SQLRITE_ASSIGN_OR_RETURN(bool has_row, fill(size_t{4} + len));
  if (!has_row) return Damaged();
  const auto* p = reinterpret_cast<const uint8_t*>(buffer_.data() + next_ + 4);
  const uint8_t* end = p + len;
  next_ += size_t{4} + len;
  uint64_t columns = 0;
  p = DecodeVarint(p, end, &columns);
  if (p == nullptr || columns > len) return Damaged();
  row.resize(columns);
  for (uint64_t c = 0; c < columns; ++c) {
    SQLRITE_ASSIGN_OR_RETURN(row[c], DecodeDatum(p, end));
  }
  if (p != end) return Damaged();
  return true;
}

}  // namespace sqlrite::engine::exec
