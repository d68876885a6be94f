#include "protocol/scram.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <charconv>
#include <cstdio>
#include <cstring>

#include "common/assert.h"
#include "common/bytes.h"
#include "common/sqlstate.h"
#include "protocol/encoder.h"

namespace sqlrite::protocol::scram {
namespace {

constexpr uint32_t kAuthSasl = 10;
constexpr uint32_t kAuthSaslContinue = 11;
constexpr uint32_t kAuthSaslFinal = 12;

const uint8_t* Bytes(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }
std::string_view View(const Key& key) {
  return std::string_view(reinterpret_cast<const char*>(key.data()), key.size());
}

Key Hmac(std::string_view key, std::string_view data) {
  Key out{};
  unsigned int len = 0;
  uint8_t* ok = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(data),
                     data.size(), out.data(), &len);
  SQLRITE_ASSERT(ok != nullptr && len == kKeyLength);
  return out;
}

Key Sha256(std::string_view data) {
  Key out{};
  SHA256(Bytes(data), data.size(), out.data());
  return out;
}

Key SaltedPassword(std::string_view password, std::string_view salt, int iterations) {
  Key out{};
  int ok = PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), Bytes(salt),
                             static_cast<int>(salt.size()), iterations, EVP_sha256(),
                             static_cast<int>(out.size()), out.data());
  SQLRITE_ASSERT(ok == 1);
  return out;
}

void AppendAuthRequest(std::string& out, uint32_t code, std::string_view payload) {
  size_t start = BeginMessage(out, 'R');
  AppendBE32(out, code);
  out.append(payload);
  EndMessage(out, start);
}

Error Malformed(std::string detail) {
  return Error(sqlstate::kProtocolViolation, "malformed SCRAM message")
      .WithDetail(std::move(detail));
}

// PostgreSQL's sanitize_char: printable ASCII quoted, anything else as hex.
std::string SanitizeChar(char c) {
  if (c >= 0x21 && c <= 0x7e) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%02x", static_cast<unsigned char>(c));
  return buf;
}

std::string SanitizeStr(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 30)) out.push_back(c >= 0x21 && c <= 0x7e ? c : '?');
  return out;
}

// Reads "<attr>=<value>" up to the next comma (consumed) or the end, as read_attr_value.
Result<std::string_view> ReadAttr(std::string_view& in, char attr) {
  if (in.empty() || in[0] != attr) {
    return Fail(Malformed("Expected attribute \"" + std::string(1, attr) + "\" but found \"" +
                          SanitizeChar(in.empty() ? '\0' : in[0]) + "\"."));
  }
  if (in.size() < 2 || in[1] != '=') {
    return Fail(
        Malformed("Expected character \"=\" for attribute \"" + std::string(1, attr) + "\"."));
  }
  in.remove_prefix(2);
  size_t comma = in.find(',');
  std::string_view value = in.substr(0, comma);
  in.remove_prefix(comma == std::string_view::npos ? in.size() : comma + 1);
  return value;
}

// As read_any_attr: any ALPHA "=" value.
Result<std::string_view> ReadAnyAttr(std::string_view& in, char* attr) {
  if (in.empty()) return Fail(Malformed("Attribute expected, but found end of string."));
  char a = in[0];
  if (!((a >= 'A' && a <= 'Z') || (a >= 'a' && a <= 'z'))) {
    return Fail(
        Malformed("Attribute expected, but found invalid character \"" + SanitizeChar(a) + "\"."));
  }
  *attr = a;
  return ReadAttr(in, a);
}

bool IsPrintable(std::string_view s) {
  for (char c : s) {
    if (c < 0x21 || c > 0x7e || c == ',') return false;
  }
  return true;
}

// ---- SASLprep (RFC 4013 over RFC 3454's tables, the parts PostgreSQL's saslprep.c applies) ----

// Decodes UTF-8 into code points; false when it is not valid UTF-8.
bool DecodeUtf8(std::string_view s, std::u32string& out) {
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1f) : n == 3 ? (b & 0x0f) : (b & 0x07);
    for (int k = 1; k < n; ++k) {
      auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    out.push_back(cp);
    i += static_cast<size_t>(n);
  }
  return true;
}

void EncodeUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

struct Range {
  char32_t lo, hi;
};
template <size_t N>
bool InRanges(char32_t cp, const Range (&ranges)[N]) {
  for (const Range& r : ranges) {
    if (cp >= r.lo && cp <= r.hi) return true;
  }
  return false;
}

// RFC 3454 C.1.2: non-ASCII space characters (mapped to U+0020).
constexpr Range kNonAsciiSpace[] = {{0x00a0, 0x00a0}, {0x1680, 0x1680}, {0x2000, 0x200b},
                                    {0x202f, 0x202f}, {0x205f, 0x205f}, {0x3000, 0x3000}};
// RFC 3454 B.1: commonly mapped to nothing.
constexpr Range kMappedToNothing[] = {{0x00ad, 0x00ad}, {0x034f, 0x034f}, {0x1806, 0x1806},
                                      {0x180b, 0x180d}, {0x200b, 0x200d}, {0x2060, 0x2060},
                                      {0xfe00, 0xfe0f}, {0xfeff, 0xfeff}};
// RFC 3454 C.2.1, C.2.2, C.3 - C.9: prohibited output (C.1.2 is mapped before this check).
constexpr Range kProhibited[] = {
    {0x0000, 0x001f},     {0x007f, 0x009f},   {0x06dd, 0x06dd},     {0x070f, 0x070f},
    {0x180e, 0x180e},     {0x200c, 0x200f},   {0x2028, 0x202e},     {0x2060, 0x2063},
    {0x206a, 0x206f},     {0xfeff, 0xfeff},   {0xfff9, 0xfffd},     {0x1d173, 0x1d17a},
    {0xe000, 0xf8ff},     {0xf0000, 0xffffd}, {0x100000, 0x10fffd}, {0xfdd0, 0xfdef},
    {0xfffe, 0xffff},     {0x1fffe, 0x1ffff}, {0x2fffe, 0x2ffff},   {0x3fffe, 0x3ffff},
    {0x4fffe, 0x4ffff},   {0x5fffe, 0x5ffff}, {0x6fffe, 0x6ffff},   {0x7fffe, 0x7ffff},
    {0x8fffe, 0x8ffff},   {0x9fffe, 0x9ffff}, {0xafffe, 0xaffff},   {0xbfffe, 0xbffff},
    {0xcfffe, 0xcffff},   {0xdfffe, 0xdffff}, {0xefffe, 0xeffff},   {0xffffe, 0xfffff},
    {0x10fffe, 0x10ffff}, {0xd800, 0xdfff},   {0x2ff0, 0x2ffb},     {0x0340, 0x0341},
    {0x200e, 0x200f},     {0x202a, 0x202e},   {0x206a, 0x206f},     {0xe0001, 0xe0001},
    {0xe0020, 0xe007f}};

}  // namespace

std::string SaslPrep(std::string_view password) {
  bool ascii = true;
  for (char c : password) {
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
  }
  // PostgreSQL's fast path: pure ASCII is used as is (control characters too).
  if (ascii) return std::string(password);
  std::u32string cps;
  if (!DecodeUtf8(password, cps)) return std::string(password);
  std::u32string mapped;
  for (char32_t cp : cps) {
    if (InRanges(cp, kMappedToNothing)) continue;
    mapped.push_back(InRanges(cp, kNonAsciiSpace) ? U' ' : cp);
  }
  for (char32_t cp : mapped) {
    if (InRanges(cp, kProhibited)) return std::string(password);
  }
  std::string out;
  for (char32_t cp : mapped) EncodeUtf8(cp, out);
  // PostgreSQL refuses an empty result (SASLPREP_PROHIBITED), so the raw bytes are used.
  if (out.empty()) return std::string(password);
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint32_t{static_cast<uint8_t>(bytes[i])} << 16) |
                 (uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8) |
                 static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{static_cast<uint8_t>(bytes[i])} << 16;
    if (rest == 2) v |= uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  // As PostgreSQL's pg_b64_decode: spaces are skipped, '=' only at the end, other bytes fail.
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  int pad = 0;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else if (c == '=') {
      ++pad;
      continue;
    } else {
      return std::nullopt;
    }
    if (pad > 0) return std::nullopt;  // data after padding
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (pad > 2) return std::nullopt;
  return out;
}

std::optional<Secret> ParseSecret(std::string_view text) {
  // SCRAM-SHA-256$<iterations>:<salt>$<storedkey>:<serverkey>
  constexpr std::string_view kScheme = "SCRAM-SHA-256$";
  if (!text.starts_with(kScheme)) return std::nullopt;
  text.remove_prefix(kScheme.size());
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view iterations = text.substr(0, colon);
  text.remove_prefix(colon + 1);
  size_t dollar = text.find('$');
  if (dollar == std::string_view::npos) return std::nullopt;
  std::string_view salt = text.substr(0, dollar);
  text.remove_prefix(dollar + 1);
  colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view stored = text.substr(0, colon);
  std::string_view server = text.substr(colon + 1);
  Secret secret;
  auto [end, ec] =
      std::from_chars(iterations.data(), iterations.data() + iterations.size(), secret.iterations);
  if (ec != std::errc() || end != iterations.data() + iterations.size() || iterations.empty() ||
      secret.iterations <= 0 || salt.empty()) {
    return std::nullopt;
  }
  auto raw_salt = Base64Decode(salt);
  auto stored_key = Base64Decode(stored);
  auto server_key = Base64Decode(server);
  if (!raw_salt || !stored_key || stored_key->size() != kKeyLength || !server_key ||
      server_key->size() != kKeyLength) {
    return std::nullopt;
  }
  secret.salt = std::string(salt);
  std::memcpy(secret.stored_key.data(), stored_key->data(), kKeyLength);
  std::memcpy(secret.server_key.data(), server_key->data(), kKeyLength);
  return secret;
}

bool IsMd5Hash(std::string_view text) {
  if (text.size() != 35 || !text.starts_with("md5")) return false;
  for (char c : text.substr(3)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string BuildSecret(std::string_view password, std::string_view raw_salt, int iterations) {
  const std::string prepared = SaslPrep(password);
  const Key salted = SaltedPassword(prepared, raw_salt, iterations);
  const Key client_key = Hmac(View(salted), "Client Key");
  const Key stored_key = Sha256(View(client_key));
  const Key server_key = Hmac(View(salted), "Server Key");
  return "SCRAM-SHA-256$" + std::to_string(iterations) + ":" + Base64Encode(raw_salt) + "$" +
         Base64Encode(View(stored_key)) + ":" + Base64Encode(View(server_key));
}

Result<std::string> BuildSecret(std::string_view password) {
  std::array<uint8_t, kSaltLength> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    return Fail(sqlstate::kInternalError, "could not generate random salt");
  }
  return BuildSecret(password,
                     std::string_view(reinterpret_cast<const char*>(salt.data()), salt.size()),
                     kDefaultIterations);
}

std::string ClientProof(std::string_view password, std::string_view raw_salt, int iterations,
                        std::string_view auth_message) {
  const Key salted = SaltedPassword(SaslPrep(password), raw_salt, iterations);
  const Key client_key = Hmac(View(salted), "Client Key");
  const Key stored_key = Sha256(View(client_key));
  const Key signature = Hmac(View(stored_key), auth_message);
  std::string proof(kKeyLength, '\0');
  for (size_t i = 0; i < kKeyLength; ++i) {
    proof[i] = static_cast<char>(client_key[i] ^ signature[i]);
  }
  return proof;
}

std::string MockSalt(std::string_view user, std::string_view cluster_secret) {
  std::string input(user);
  input.append(cluster_secret);
  const Key digest = Sha256(input);
  return std::string(View(digest).substr(0, kSaltLength));
}

ScramServer::ScramServer(Options options) : options_(std::move(options)) {}

void ScramServer::AppendMechanisms(std::string& out) const {
  std::string list;
  if (options_.channel_binding) {
    list.append(kMechanismPlus);
    list.push_back('\0');
  }
  list.append(kMechanism);
  list.push_back('\0');
  list.push_back('\0');
  AppendAuthRequest(out, kAuthSasl, list);
}

Result<ScramServer::Step> ScramServer::Receive(std::string_view body, std::string& out) {
  SQLRITE_ASSERT(state_ != State::kDone);
  if (state_ != State::kInit) return Exchange(body, out);

  // SASLInitialResponse: mechanism name (a C string), Int32 length (-1: none), the bytes.
  size_t nul = body.find('\0');
  if (nul == std::string_view::npos) {
    return Fail(sqlstate::kProtocolViolation, "invalid string in message");
  }
  std::string_view mechanism = body.substr(0, nul);
  body.remove_prefix(nul + 1);
  // As scram_init, before the rest of the message is looked at: -PLUS only when offered.
  if (mechanism == kMechanismPlus && options_.channel_binding) {
    binding_in_use_ = true;
  } else if (mechanism != kMechanism) {
    return Fail(sqlstate::kProtocolViolation,
                "client selected an invalid SASL authentication mechanism");
  }
  std::optional<Secret> secret;
  if (options_.secret) secret = ParseSecret(*options_.secret);
  if (secret) {
    secret_ = std::move(*secret);
  } else {
    doomed_ = true;
    secret_.iterations = kDefaultIterations;
    secret_.salt = Base64Encode(MockSalt(options_.user, options_.mock_secret));
  }
  if (body.size() < 4) {
    return Fail(sqlstate::kProtocolViolation, "insufficient data left in message");
  }
  const auto length = static_cast<int32_t>(LoadBE32(body.data()));
  body.remove_prefix(4);
  if (length == -1) {
    if (!body.empty()) return Fail(sqlstate::kProtocolViolation, "invalid message format");
    // No initial response: an empty challenge, the client-first-message comes next.
    state_ = State::kNoInitial;
    AppendAuthRequest(out, kAuthSaslContinue, "");
    return Step::kContinue;
  }
  if (length < 0 || static_cast<size_t>(length) > body.size()) {
    return Fail(sqlstate::kProtocolViolation, "insufficient data left in message");
  }
  if (static_cast<size_t>(length) != body.size()) {
    return Fail(sqlstate::kProtocolViolation, "invalid message format");
  }
  return Exchange(body, out);
}

Result<ScramServer::Step> ScramServer::Exchange(std::string_view input, std::string& out) {
  if (input.empty()) return Fail(Malformed("The message is empty."));
  if (input.find('\0') != std::string_view::npos) {
    return Fail(Malformed("Message length does not match input length."));
  }
  if (state_ == State::kInit || state_ == State::kNoInitial) {
    SQLRITE_TRY(ReadClientFirst(input));
    if (options_.fixed_server_nonce) {
      server_nonce_ = *options_.fixed_server_nonce;
    } else {
      std::array<uint8_t, kRawNonceLength> raw{};
      if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
        return Fail(sqlstate::kInternalError, "could not generate random nonce");
      }
      server_nonce_ =
          Base64Encode(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
    }
    server_first_ = "r=" + client_nonce_ + server_nonce_ + ",s=" + secret_.salt +
                    ",i=" + std::to_string(secret_.iterations);
    state_ = State::kSaltSent;
    AppendAuthRequest(out, kAuthSaslContinue, server_first_);
    return Step::kContinue;
  }
  SQLRITE_ASSERT(state_ == State::kSaltSent);
  SQLRITE_TRY(ReadClientFinal(input));
  if (client_final_nonce_ != client_nonce_ + server_nonce_) {
    return Fail(Error(sqlstate::kProtocolViolation, "invalid SCRAM response")
                    .WithDetail("Nonce does not match."));
  }
  state_ = State::kDone;
  // The proof is checked even in a doomed exchange, so both take the same time.
  const std::string auth_message =
      client_first_bare_ + "," + server_first_ + "," + client_final_without_proof_;
  const Key signature = Hmac(View(secret_.stored_key), auth_message);
  Key client_key{};
  for (size_t i = 0; i < kKeyLength; ++i) client_key[i] = client_proof_[i] ^ signature[i];
  const Key client_stored = Sha256(View(client_key));
  const bool proof_ok =
      CRYPTO_memcmp(client_stored.data(), secret_.stored_key.data(), kKeyLength) == 0;
  // Signed before the verdict, so a failure costs the HMAC a success does (PostgreSQL signs
  // only on success; the difference is one HMAC, but it is the part a timer could see).
  const Key server_signature = Hmac(View(secret_.server_key), auth_message);
  const std::string server_final = "v=" + Base64Encode(View(server_signature));
  if (!proof_ok || doomed_) return Step::kFailure;
  AppendAuthRequest(out, kAuthSaslFinal, server_final);
  return Step::kSuccess;
}

Status ScramServer::ReadClientFirst(std::string_view p) {
  cbind_flag_ = p[0];
  switch (p[0]) {
    case 'n':
    case 'y':
      if (binding_in_use_) {
        return Fail(Malformed(
            "The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include "
            "channel binding data."));
      }
      if (p[0] == 'y' && options_.channel_binding) {
        return Fail(
            Error(sqlstate::kInvalidAuthorizationSpecification,
                  "SCRAM channel binding negotiation error")
                .WithDetail("The client supports SCRAM channel binding but thinks the server "
                            "does not.  However, this server does support channel binding."));
      }
      p.remove_prefix(1);
      if (p.empty() || p[0] != ',') {
        return Fail(Malformed("Comma expected, but found character \"" +
                              SanitizeChar(p.empty() ? '\0' : p[0]) + "\"."));
      }
      p.remove_prefix(1);
      break;
    case 'p': {
      if (!binding_in_use_) {
        return Fail(Malformed(
            "The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message "
            "includes channel binding data."));
      }
      SQLRITE_ASSIGN_OR_RETURN(std::string_view type, ReadAttr(p, 'p'));
      if (type != "tls-server-end-point") {
        return Fail(sqlstate::kProtocolViolation,
                    "unsupported SCRAM channel-binding type \"" + SanitizeStr(type) + "\"");
      }
      break;
    }
    default:
      return Fail(Malformed("Unexpected channel-binding flag \"" + SanitizeChar(p[0]) + "\"."));
  }
  if (!p.empty() && p[0] == 'a') {
    return Fail(sqlstate::kFeatureNotSupported,
                "client uses authorization identity, but it is not supported");
  }
  if (p.empty() || p[0] != ',') {
    return Fail(Malformed("Unexpected attribute \"" + SanitizeChar(p.empty() ? '\0' : p[0]) +
                          "\" in client-first-message."));
  }
  p.remove_prefix(1);
  client_first_bare_ = std::string(p);
  if (!p.empty() && p[0] == 'm') {
    return Fail(sqlstate::kFeatureNotSupported, "client requires an unsupported SCRAM extension");
  }
  SQLRITE_ASSIGN_OR_RETURN(std::string_view username, ReadAttr(p, 'n'));
  (void)username;  // PostgreSQL uses the startup packet's user name instead
  SQLRITE_ASSIGN_OR_RETURN(std::string_view nonce, ReadAttr(p, 'r'));
  if (!IsPrintable(nonce)) {
    return Fail(sqlstate::kProtocolViolation, "non-printable characters in SCRAM nonce");
  }
  client_nonce_ = std::string(nonce);
  while (!p.empty()) {
    char attr = 0;
    SQLRITE_ASSIGN_OR_RETURN(std::string_view ignored, ReadAnyAttr(p, &attr));
    (void)ignored;
  }
  return Ok();
}

Status ScramServer::ReadClientFinal(std::string_view input) {
  std::string_view p = input;
  SQLRITE_ASSIGN_OR_RETURN(std::string_view binding, ReadAttr(p, 'c'));
  if (binding_in_use_) {
    std::string cbind_input = "p=tls-server-end-point,,";
    cbind_input.append(*options_.channel_binding);
    if (binding != Base64Encode(cbind_input)) {
      return Fail(sqlstate::kInvalidAuthorizationSpecification,
                  "SCRAM channel binding check failed");
    }
  } else if (!(binding == "biws" && cbind_flag_ == 'n') &&
             !(binding == "eSws" && cbind_flag_ == 'y')) {
    return Fail(sqlstate::kProtocolViolation,
                "unexpected SCRAM channel-binding attribute in client-final-message");
  }
  SQLRITE_ASSIGN_OR_RETURN(std::string_view nonce, ReadAttr(p, 'r'));
  client_final_nonce_ = std::string(nonce);
  // Optional extensions are skipped until the proof, "p=".
  size_t proof_at = 0;
  std::string_view proof;
  for (char attr = 0; attr != 'p';) {
    proof_at = static_cast<size_t>(p.data() - input.data());
    SQLRITE_ASSIGN_OR_RETURN(proof, ReadAnyAttr(p, &attr));
  }
  auto decoded = Base64Decode(proof);
  if (!decoded || decoded->size() != kKeyLength) {
    return Fail(Malformed("Malformed proof in client-final-message."));
  }
  std::memcpy(client_proof_.data(), decoded->data(), kKeyLength);
  if (!p.empty()) {
    return Fail(Malformed("Garbage found at the end of client-final-message."));
  }
  // Without the comma before "p=".
  client_final_without_proof_ = std::string(input.substr(0, proof_at - 1));
  return Ok();
}

}  // namespace sqlrite::protocol::scram
