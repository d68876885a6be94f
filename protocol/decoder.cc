#include "protocol/decoder.h"

#include <cstring>
#include <string>

#include "common/bytes.h"
#include "common/sqlstate.h"

namespace sqlrite::protocol {
namespace {

constexpr size_t kStartupHeader = 8;  // Int32 length + Int32 code
constexpr size_t kMessageHeader = 5;  // Byte1 type + Int32 length

DecodeResult Bad(Error& error, const char* sqlstate, std::string message) {
  error = Error(sqlstate, std::move(message));
  error.severity = Severity::kFatal;
  return {DecodeStatus::kBad, 0};
}

// Reads the fields of one message body, as PostgreSQL's pq_getmsg* functions do. The first
// failure sticks; callers check ok() once at the end.
class BodyReader {
 public:
  explicit BodyReader(std::string_view body) : body_(body) {}

  bool ok() const { return error_ == nullptr; }
  const char* error() const { return error_; }
  bool AtEnd() const { return pos_ == body_.size(); }

  std::string_view CString() {
    if (!ok()) return {};
    const void* nul = std::memchr(body_.data() + pos_, '\0', body_.size() - pos_);
    if (nul == nullptr) {
      error_ = "invalid string in message";
      return {};
    }
    size_t len = static_cast<const char*>(nul) - (body_.data() + pos_);
    std::string_view s = body_.substr(pos_, len);
    pos_ += len + 1;
    return s;
  }
  uint8_t Byte() {
    if (!Need(1)) return 0;
    return static_cast<uint8_t>(body_[pos_++]);
  }
  int16_t Int16() {
    if (!Need(2)) return 0;
    auto v = static_cast<int16_t>(LoadBE16(body_.data() + pos_));
    pos_ += 2;
    return v;
  }
  int32_t Int32() {
    if (!Need(4)) return 0;
    auto v = static_cast<int32_t>(LoadBE32(body_.data() + pos_));
    pos_ += 4;
    return v;
  }
  std::string_view Bytes(int32_t n) {
    if (n < 0) {
      error_ = "insufficient data left in message";
      return {};
    }
    if (!Need(static_cast<size_t>(n))) return {};
    std::string_view s = body_.substr(pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return s;
  }
  // A count that must be non-negative and leave room for `min_each` bytes per element, so a
  // hostile count cannot make us reserve a huge vector.
  size_t Count(size_t min_each) {
    int16_t n = Int16();
    if (!ok()) return 0;
    if (n < 0 || static_cast<size_t>(n) * min_each > body_.size() - pos_) {
      error_ = "insufficient data left in message";
      return 0;
    }
    return static_cast<size_t>(n);
  }

 private:
  bool Need(size_t n) {
    if (!ok()) return false;
    if (body_.size() - pos_ < n) {
      error_ = "insufficient data left in message";
      return false;
    }
    return true;
  }

  std::string_view body_;
  size_t pos_ = 0;
  const char* error_ = nullptr;
};

// Finishes a message body: any earlier failure, else leftover bytes, is a protocol violation
// (an ERROR: the message was framed well, so the stream can be followed).
bool Finish(BodyReader& r, Error& error) {
  if (r.ok() && !r.AtEnd()) {
    error = Error(sqlstate::kProtocolViolation, "invalid message format");
    return false;
  }
  if (!r.ok()) {
    error = Error(sqlstate::kProtocolViolation, r.error());
    return false;
  }
  return true;
}

bool DecodeStartupParams(std::string_view body, StartupMessage& msg) {
  // Pairs of C-strings, then one empty string; the terminator must be the last byte.
  size_t pos = 0;
  while (pos < body.size()) {
    const void* nul = std::memchr(body.data() + pos, '\0', body.size() - pos);
    if (nul == nullptr) return false;
    size_t name_len = static_cast<const char*>(nul) - (body.data() + pos);
    if (name_len == 0) break;  // the terminator
    std::string_view name = body.substr(pos, name_len);
    size_t value_pos = pos + name_len + 1;
    if (value_pos >= body.size()) return false;
    nul = std::memchr(body.data() + value_pos, '\0', body.size() - value_pos);
    if (nul == nullptr) return false;
    size_t value_len = static_cast<const char*>(nul) - (body.data() + value_pos);
    msg.params.emplace_back(name, body.substr(value_pos, value_len));
    pos = value_pos + value_len + 1;
  }
  return pos + 1 == body.size();
}

}  // namespace

Error UnsupportedProtocolError(uint32_t code) {
  return Error(sqlstate::kFeatureNotSupported,
               "unsupported frontend protocol " + std::to_string(code >> 16) + "." +
                   std::to_string(code & 0xffff) + ": server supports 3.0 to 3.0")
      .WithSeverity(Severity::kFatal);
}

DecodeResult DecodeStartupPacket(std::string_view in, StartupPacket& out, Error& error) {
  if (in.size() < 4) return {DecodeStatus::kNeedMore, 0};
  uint32_t len = LoadBE32(in.data());
  if (len < kStartupHeader || len - 4 > kMaxStartupPacketLength) {
    return Bad(error, sqlstate::kProtocolViolation, "invalid length of startup packet");
  }
  if (in.size() < len) return {DecodeStatus::kNeedMore, 0};
  uint32_t code = LoadBE32(in.data() + 4);
  std::string_view body = in.substr(kStartupHeader, len - kStartupHeader);

  switch (code) {
    case kSslRequestCode:
    case kGssEncRequestCode:
      if (len != kStartupHeader) {
        return Bad(error, sqlstate::kProtocolViolation, "invalid length of startup packet");
      }
      if (code == kSslRequestCode) {
        out = SslRequest{};
      } else {
        out = GssEncRequest{};
      }
      return {DecodeStatus::kGood, len};
    case kCancelRequestCode: {
      if (len != kStartupHeader + 8) {
        return Bad(error, sqlstate::kProtocolViolation, "invalid length of startup packet");
      }
      out = CancelRequest{LoadBE32(body.data()), LoadBE32(body.data() + 4)};
      return {DecodeStatus::kGood, len};
    }
    default:
      break;
  }

  if ((code >> 16) != 3) {
    error = UnsupportedProtocolError(code);
    return {DecodeStatus::kBad, 0};
  }
  StartupMessage msg;
  msg.protocol_version = code;
  if (!DecodeStartupParams(body, msg)) {
    return Bad(error, sqlstate::kProtocolViolation,
               "invalid startup packet layout: expected terminator as last byte");
  }
  out = std::move(msg);
  return {DecodeStatus::kGood, len};
}

DecodeResult DecodeFrontendMessage(std::string_view in, FrontendMessage& out, Error& error) {
  if (in.empty()) return {DecodeStatus::kNeedMore, 0};
  char type = in[0];
  switch (type) {
    case 'Q':
    case 'X':
    case 'P':
    case 'B':
    case 'D':
    case 'E':
    case 'S':
    case 'H':
    case 'C':
    case 'd':
    case 'c':
    case 'f':
    case 'F':
      break;
    default:
      return Bad(error, sqlstate::kProtocolViolation,
                 "invalid frontend message type " +
                     std::to_string(static_cast<int>(static_cast<unsigned char>(type))));
  }
  if (in.size() < kMessageHeader) return {DecodeStatus::kNeedMore, 0};
  uint32_t len = LoadBE32(in.data() + 1);
  // Checked before the body is waited for: a client cannot make the session buffer (or even
  // wait for) more than its message type may carry.
  if (len < 4 || len > MaxMessageLength(type)) {
    return Bad(error, sqlstate::kProtocolViolation, "invalid message length");
  }
  size_t total = static_cast<size_t>(len) + 1;
  if (in.size() < total) return {DecodeStatus::kNeedMore, 0};
  BodyReader r(in.substr(kMessageHeader, len - 4));

  switch (type) {
    case 'Q': {
      Query q;
      q.sql = r.CString();
      if (!Finish(r, error)) return {DecodeStatus::kMalformed, total};
      out = q;
      break;
    }
    case 'X':  // its body is not read, as PostgreSQL's
      out = Terminate{};
      break;
    case 'S':
      if (!Finish(r, error)) return {DecodeStatus::kMalformed, total};
      out = Sync{};
      break;
    case 'H':
      if (!Finish(r, error)) return {DecodeStatus::kMalformed, total};
      out = Flush{};
      break;
    case 'P': {
      Parse p;
      p.statement = r.CString();
      p.query = r.CString();
      size_t n = r.Count(4);
      p.param_types.reserve(n);
      for (size_t i = 0; i < n; ++i) p.param_types.push_back(static_cast<uint32_t>(r.Int32()));
      if (!Finish(r, error)) return {DecodeStatus::kMalformed, total};
      out = std::move(p);
      break;
    }
    case 'B': {
      Bind b;
      b.portal = r.CString();
      b.statement = r.CString();
      size_t n = r.Count(2);
      b.param_formats.reserve(n);
      for (size_t i = 0; i < n; ++i) b.param_formats.push_back(r.Int16());
      n = r.Count(4);
      b.params.reserve(n);
      for (size_t i = 0; i < n && r.ok(); ++i) {
        int32_t plen = r.Int32();
        if (plen == -1) {
          b.params.emplace_back(std::nullopt);
        } else {
          b.params.emplace_back(r.Bytes(plen));
        }
      }
      n = r.Count(2);
      b.result_formats.reserve(n);
      for (size_t i = 0; i < n; ++i) b.result_formats.push_back(r.Int16());
      if (!Finish(r, error)) return {DecodeStatus::kMalformed, total};
      out = std::move(b);
      break;
    }
    case 'D':
    case 'C': {
      char kind = static_cast<char>(r.Byte());
      std::string_view name = r.CString();
      if (!Finish(r, error)) return {DecodeStatus::kMalformed, total};
      if (kind != 'S' && kind != 'P') {
        error = Error(sqlstate::kProtocolViolation,
                      std::string(type == 'D' ? "invalid DESCRIBE" : "invalid CLOSE") +
                          " message subtype " +
                          std::to_string(static_cast<int>(static_cast<unsigned char>(kind))));
        return {DecodeStatus::kMalformed, total};
      }
      if (type == 'D') {
        out = Describe{kind, name};
      } else {
        out = Close{kind, name};
      }
      break;
    }
    case 'E': {
      Execute e;
      e.portal = r.CString();
      e.max_rows = r.Int32();
      if (!Finish(r, error)) return {DecodeStatus::kMalformed, total};
      out = e;
      break;
    }
    case 'F': {
      FunctionCall f;
      if (len - 4 >= 4) f.function_oid = static_cast<uint32_t>(r.Int32());
      out = f;
      break;
    }
    default:  // 'd', 'c', 'f': contents are irrelevant outside COPY
      out = IgnoredMessage{type, in.substr(kMessageHeader, len - 4)};
      break;
  }
  return {DecodeStatus::kGood, total};
}

DecodeResult DecodeAuthResponse(std::string_view in, size_t max_body, std::string_view& body,
                                Error& error) {
  if (in.empty()) return {DecodeStatus::kNeedMore, 0};
  if (in[0] != 'p') {
    return Bad(error, sqlstate::kProtocolViolation,
               "expected SASL response, got message type " +
                   std::to_string(static_cast<int>(static_cast<unsigned char>(in[0]))));
  }
  if (in.size() < kMessageHeader) return {DecodeStatus::kNeedMore, 0};
  const uint32_t len = LoadBE32(in.data() + 1);
  if (len < 4 || len - 4 > max_body) {
    return Bad(error, sqlstate::kInvalidPassword, "invalid message length");
  }
  const size_t total = static_cast<size_t>(len) + 1;
  if (in.size() < total) return {DecodeStatus::kNeedMore, 0};
  body = in.substr(kMessageHeader, len - 4);
  return {DecodeStatus::kGood, total};
}

}  // namespace sqlrite::protocol
