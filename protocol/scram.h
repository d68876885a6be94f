#pragma once
// SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL 15 speaks it, server side, without sockets.
//
// A ScramServer is one authentication exchange. The session sends AuthenticationSASL
// (AppendMechanisms), then hands each 'p' message body it receives to Receive(), which appends
// the reply (AuthenticationSASLContinue, then AuthenticationSASLFinal) and says whether the
// exchange goes on, succeeded, or failed. Its states:
//
//   kInit  --SASLInitialResponse with client-first-message--> kSaltSent (SASLContinue sent)
//   kInit  --SASLInitialResponse without one (length -1)--> kNoInitial (empty SASLContinue)
//   kNoInitial --SASLResponse with client-first-message--> kSaltSent
//   kSaltSent --SASLResponse with client-final-message, proof right--> kDone, Step::kSuccess
//   kSaltSent --proof wrong, or no usable secret (mock exchange)--> kDone, Step::kFailure
//   any --malformed message--> an Error (08P01, 28000 or 0A000, PostgreSQL's words); the
//         caller sends it as FATAL and closes.
//
// A role without a usable secret (unknown, no password, not a SCRAM secret) still goes through
// the whole exchange with a mock salt derived from the user name and a per-cluster secret (as
// PostgreSQL's scram_mock_salt), and fails only at the proof: an attacker learns nothing about
// which roles exist, and a wrong password costs the server what a right one does.
//
// Channel binding (SCRAM-SHA-256-PLUS, tls-server-end-point): when Options::channel_binding
// holds the hash of the server's certificate (the connection is on TLS), -PLUS is advertised
// first and a client choosing it must send that hash; without it only SCRAM-SHA-256 exists.
//
// The server side never runs PBKDF2 during an exchange (it compares HMACs of the stored keys);
// BuildSecret, for CREATE ROLE ... PASSWORD, does (4096 iterations, a few milliseconds).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace sqlrite::protocol::scram {

inline constexpr int kDefaultIterations = 4096;  // PostgreSQL's scram_iterations default
inline constexpr size_t kKeyLength = 32;         // SHA-256
inline constexpr size_t kSaltLength = 16;        // PostgreSQL's SCRAM_DEFAULT_SALT_LEN
inline constexpr size_t kRawNonceLength = 18;    // PostgreSQL's SCRAM_RAW_NONCE_LEN
inline constexpr std::string_view kMechanism = "SCRAM-SHA-256";
inline constexpr std::string_view kMechanismPlus = "SCRAM-SHA-256-PLUS";

using Key = std::array<uint8_t, kKeyLength>;

// A stored secret: `SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey
// base64>`, the format of PostgreSQL's pg_authid.rolpassword.
struct Secret {
  int iterations = kDefaultIterations;
  std::string salt;  // base64, as stored
  Key stored_key{};
  Key server_key{};
};

// Parses a stored secret as PostgreSQL's parse_scram_secret does; nullopt if it is not one.
std::optional<Secret> ParseSecret(std::string_view text);

// PostgreSQL's isMD5: "md5" followed by 32 lowercase hex digits (35 characters).
bool IsMd5Hash(std::string_view text);

// The password SCRAM hashes: PostgreSQL's pg_saslprep where it succeeds, else the bytes as
// given (PostgreSQL's fallback for text that is not valid UTF-8 or holds prohibited
// characters). ASCII passes unchanged. For other text this applies RFC 4013's mappings
// (non-ASCII spaces to a space, "commonly mapped to nothing" removed) and its prohibited-output
// and bidirectional checks; NFKC normalisation is not applied (see docs/decisions.md).
std::string SaslPrep(std::string_view password);

// The secret for password with the given raw salt and iterations (tests; RFC 7677's vector).
std::string BuildSecret(std::string_view password, std::string_view raw_salt, int iterations);
// The same with a random 16-byte salt (OpenSSL RAND_bytes) and 4096 iterations.
// Errors: XX000 when the random generator fails.
Result<std::string> BuildSecret(std::string_view password);

// Base64 as SCRAM and PostgreSQL use it (RFC 4648 alphabet, '=' padding).
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

// The client's side of the proof (ClientKey XOR HMAC(StoredKey, auth_message)): for tests and
// tools that play the client.
std::string ClientProof(std::string_view password, std::string_view raw_salt, int iterations,
                        std::string_view auth_message);

// PostgreSQL's scram_mock_salt: SHA-256(user || cluster_secret), first 16 bytes.
std::string MockSalt(std::string_view user, std::string_view cluster_secret);

class ScramServer {
 public:
  struct Options {
    std::string user;                   // from the startup packet (the SCRAM n= is ignored)
    std::optional<std::string> secret;  // the role's stored password; nullopt: none/unknown
    std::string mock_secret;            // per-cluster bytes for the mock salt
    // The tls-server-end-point binding data (the hash of the server certificate) when the
    // connection is on TLS; nullopt on a plain connection.
    std::optional<std::string> channel_binding;
    // Tests only: the server nonce to use instead of a random one.
    std::optional<std::string> fixed_server_nonce;
  };
  enum class Step { kContinue, kSuccess, kFailure };

  explicit ScramServer(Options options);

  // Appends AuthenticationSASL ('R', code 10) with the mechanisms offered.
  void AppendMechanisms(std::string& out) const;

  // Takes the body of a 'p' message (SASLInitialResponse first, then SASLResponse) and appends
  // the answer to out: AuthenticationSASLContinue (11) on kContinue, AuthenticationSASLFinal
  // (12) on kSuccess (the caller then sends AuthenticationOk), nothing on kFailure (the caller
  // sends FATAL 28P01 "password authentication failed for user ..."). Errors are PostgreSQL's
  // for the malformed message (08P01 mostly; 28000 for channel-binding mismatches; 0A000 for
  // authzid and extensions). After an error or a final step, it must not be called again.
  Result<Step> Receive(std::string_view body, std::string& out);

  // True once a doomed (mock) exchange was chosen: no usable secret.
  bool doomed() const { return doomed_; }

 private:
  enum class State { kInit, kNoInitial, kSaltSent, kDone };

  Result<Step> Exchange(std::string_view input, std::string& out);
  Status ReadClientFirst(std::string_view input);
  Status ReadClientFinal(std::string_view input);

  Options options_;
  State state_ = State::kInit;
  bool binding_in_use_ = false;
  bool doomed_ = false;
  Secret secret_;
  char cbind_flag_ = 0;
  std::string client_first_bare_;
  std::string client_nonce_;
  std::string server_nonce_;
  std::string server_first_;
  std::string client_final_without_proof_;
  std::string client_final_nonce_;
  Key client_proof_{};
};

}  // namespace sqlrite::protocol::scram
