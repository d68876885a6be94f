#include "protocol/scram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "common/bytes.h"

namespace sqlrite::protocol::scram {
namespace {

// RFC 7677, section 3: user "user", password "pencil".
constexpr std::string_view kClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view kServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr std::string_view kServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view kClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr std::string_view kServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

std::string RfcSecret() {
  return BuildSecret("pencil", *Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
}

std::string Initial(std::string_view mechanism, std::string_view data) {
  std::string body(mechanism);
  body.push_back('\0');
  AppendBE32(body, static_cast<uint32_t>(data.size()));
  body.append(data);
  return body;
}

std::string AuthMessage(uint32_t code, std::string_view payload) {
  std::string out = "R";
  AppendBE32(out, static_cast<uint32_t>(8 + payload.size()));
  AppendBE32(out, code);
  out.append(payload);
  return out;
}

ScramServer RfcServer(std::optional<std::string> secret = RfcSecret()) {
  ScramServer::Options options;
  options.user = "user";
  options.secret = std::move(secret);
  options.mock_secret = "cluster";
  options.fixed_server_nonce = std::string(kServerNonce);
  return ScramServer(options);
}

TEST(ScramTest, SecretFormatMatchesPostgres) {
  const std::string secret = RfcSecret();
  EXPECT_TRUE(secret.starts_with("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$")) << secret;
  auto parsed = ParseSecret(secret);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->iterations, 4096);
  EXPECT_EQ(parsed->salt, "W22ZaJ0SNY7soEsUEjb6gQ==");
  // Computed independently (Python's hashlib.pbkdf2_hmac and hmac) from RFC 7677's salt.
  EXPECT_EQ(secret,
            "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"
            "WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
            "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=");
}

TEST(ScramTest, Rfc7677ExchangeIsByteExact) {
  ScramServer server = RfcServer();
  std::string out;
  server.AppendMechanisms(out);
  EXPECT_EQ(out, AuthMessage(10, std::string("SCRAM-SHA-256\0\0", 15)));
  out.clear();
  auto step = server.Receive(Initial("SCRAM-SHA-256", kClientFirst), out);
  ASSERT_TRUE(step) << step.error().message;
  EXPECT_EQ(*step, ScramServer::Step::kContinue);
  EXPECT_EQ(out, AuthMessage(11, kServerFirst));
  out.clear();
  step = server.Receive(kClientFinal, out);
  ASSERT_TRUE(step) << step.error().message;
  EXPECT_EQ(*step, ScramServer::Step::kSuccess);
  EXPECT_EQ(out, AuthMessage(12, kServerFinal));
}

TEST(ScramTest, WrongPasswordFailsWithoutAnswer) {
  ScramServer server =
      RfcServer(BuildSecret("pencil2", *Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096));
  std::string out;
  ASSERT_TRUE(server.Receive(Initial("SCRAM-SHA-256", kClientFirst), out));
  out.clear();
  auto step = server.Receive(kClientFinal, out);
  ASSERT_TRUE(step);
  EXPECT_EQ(*step, ScramServer::Step::kFailure);
  EXPECT_TRUE(out.empty());
}

TEST(ScramTest, UnknownRoleGetsAMockSaltAndFails) {
  ScramServer server = RfcServer(std::nullopt);
  std::string out;
  ASSERT_TRUE(server.Receive(Initial("SCRAM-SHA-256", kClientFirst), out));
  EXPECT_TRUE(server.doomed());
  const std::string salt = Base64Encode(MockSalt("user", "cluster"));
  EXPECT_NE(out.find(",s=" + salt + ",i=4096"), std::string::npos);
  // The same user gets the same salt every time: nothing tells an unknown role apart.
  EXPECT_EQ(MockSalt("user", "cluster"), MockSalt("user", "cluster"));
  EXPECT_NE(MockSalt("user", "cluster"), MockSalt("user2", "cluster"));
  out.clear();
  auto step = server.Receive(kClientFinal, out);
  ASSERT_TRUE(step);
  EXPECT_EQ(*step, ScramServer::Step::kFailure);
}

// A wrong password, and an unknown role's mock exchange, cost the server what a right password
// does: the proof is checked the same way (two HMACs and a hash of the stored keys; no PBKDF2 on
// the server side, as in PostgreSQL), so the client-final-message's handling must take about as
// long. Medians of interleaved runs, bounded by generous ratios (no absolute times: the
// sanitizers and a loaded machine change those, not the ratios).
TEST(ScramTest, FailuresTakeAsLongAsSuccess) {
  enum Kind { kRight, kWrong, kUnknown, kKinds };
  const std::string wrong_secret =
      BuildSecret("pencil2", *Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
  const std::string right_secret = RfcSecret();
  constexpr int kRounds = 401;
  std::vector<double> nanos[kKinds];
  for (int round = 0; round < kRounds; ++round) {
    for (int kind = 0; kind < kKinds; ++kind) {
      ScramServer server = RfcServer(kind == kRight   ? std::optional<std::string>(right_secret)
                                     : kind == kWrong ? std::optional<std::string>(wrong_secret)
                                                      : std::nullopt);
      std::string out;
      ASSERT_TRUE(server.Receive(Initial("SCRAM-SHA-256", kClientFirst), out));
      out.clear();
      const auto start = std::chrono::steady_clock::now();
      auto step = server.Receive(kClientFinal, out);
      const auto stop = std::chrono::steady_clock::now();
      ASSERT_TRUE(step);
      ASSERT_EQ(*step, kind == kRight ? ScramServer::Step::kSuccess : ScramServer::Step::kFailure);
      nanos[kind].push_back(std::chrono::duration<double, std::nano>(stop - start).count());
    }
  }
  double median[kKinds];
  for (int kind = 0; kind < kKinds; ++kind) {
    std::sort(nanos[kind].begin(), nanos[kind].end());
    median[kind] = nanos[kind][kRounds / 2];
  }
  const std::string figures = "medians (ns): right " + std::to_string(median[kRight]) + ", wrong " +
                              std::to_string(median[kWrong]) + ", unknown " +
                              std::to_string(median[kUnknown]);
  RecordProperty("medians", figures);
  // Both check the proof and sign the server-final-message; a failure that skipped either
  // would be about half as quick or quicker.
  EXPECT_GT(median[kWrong], 0.5 * median[kRight]) << figures;
  EXPECT_LT(median[kWrong], 2.0 * median[kRight]) << figures;
  EXPECT_GT(median[kUnknown], 0.5 * median[kRight]) << figures;
  EXPECT_LT(median[kUnknown], 2.0 * median[kRight]) << figures;
  EXPECT_GT(median[kUnknown], 0.5 * median[kWrong]) << figures;
  EXPECT_LT(median[kUnknown], 2.0 * median[kWrong]) << figures;
}

TEST(ScramTest, NoInitialResponseGetsAnEmptyChallenge) {
  ScramServer server = RfcServer();
  std::string body = "SCRAM-SHA-256";
  body.push_back('\0');
  AppendBE32(body, 0xffffffffu);
  std::string out;
  auto step = server.Receive(body, out);
  ASSERT_TRUE(step);
  EXPECT_EQ(out, AuthMessage(11, ""));
  out.clear();
  ASSERT_TRUE(server.Receive(kClientFirst, out));
  EXPECT_EQ(out, AuthMessage(11, kServerFirst));
  out.clear();
  step = server.Receive(kClientFinal, out);
  ASSERT_TRUE(step);
  EXPECT_EQ(*step, ScramServer::Step::kSuccess);
}

struct Malformed {
  std::string body;
  const char* sqlstate;
  const char* message;
  const char* detail;
};

TEST(ScramTest, MalformedFirstMessagesGetPostgresErrors) {
  const Malformed cases[] = {
      {"SCRAM-SHA-256", "08P01", "invalid string in message", ""},
      {Initial("SCRAM-SHA-1", kClientFirst), "08P01",
       "client selected an invalid SASL authentication mechanism", ""},
      {Initial("SCRAM-SHA-256-PLUS", kClientFirst), "08P01",
       "client selected an invalid SASL authentication mechanism", ""},
      {std::string("SCRAM-SHA-256\0\0\0", 16), "08P01", "insufficient data left in message", ""},
      {Initial("SCRAM-SHA-256", ""), "08P01", "malformed SCRAM message", "The message is empty."},
      {Initial("SCRAM-SHA-256", std::string("n,,n=,r=a\0b", 11)), "08P01",
       "malformed SCRAM message", "Message length does not match input length."},
      {Initial("SCRAM-SHA-256", "x,,n=,r=abc"), "08P01", "malformed SCRAM message",
       "Unexpected channel-binding flag \"'x'\"."},
      {Initial("SCRAM-SHA-256", "n;,n=,r=abc"), "08P01", "malformed SCRAM message",
       "Comma expected, but found character \"';'\"."},
      {Initial("SCRAM-SHA-256", "p=tls-server-end-point,,n=,r=abc"), "08P01",
       "malformed SCRAM message",
       "The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message "
       "includes channel binding data."},
      {Initial("SCRAM-SHA-256", "n,a=x,n=,r=abc"), "0A000",
       "client uses authorization identity, but it is not supported", ""},
      {Initial("SCRAM-SHA-256", "n,,m=x,n=,r=abc"), "0A000",
       "client requires an unsupported SCRAM extension", ""},
      {Initial("SCRAM-SHA-256", "n,,r=abc"), "08P01", "malformed SCRAM message",
       "Expected attribute \"n\" but found \"'r'\"."},
      {Initial("SCRAM-SHA-256", "n,,n=,r=a\x01"), "08P01",
       "non-printable characters in SCRAM nonce", ""},
      {Initial("SCRAM-SHA-256", "n,,n=,r=abc,1"), "08P01", "malformed SCRAM message",
       "Attribute expected, but found invalid character \"'1'\"."},
  };
  for (const Malformed& c : cases) {
    ScramServer server = RfcServer();
    std::string out;
    auto step = server.Receive(c.body, out);
    ASSERT_FALSE(step) << c.message;
    EXPECT_EQ(step.error().sqlstate, c.sqlstate) << c.message;
    EXPECT_EQ(step.error().message, c.message);
    EXPECT_EQ(step.error().detail, c.detail);
  }
}

TEST(ScramTest, MalformedFinalMessagesGetPostgresErrors) {
  const std::string nonce = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  const Malformed cases[] = {
      {"c=eSws," + nonce + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "08P01",
       "unexpected SCRAM channel-binding attribute in client-final-message", ""},
      {"c=biws,r=rOprNGfwEbeRWgbNEkqOx,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "08P01",
       "invalid SCRAM response", "Nonce does not match."},
      {"c=biws," + nonce + ",p=AAAA", "08P01", "malformed SCRAM message",
       "Malformed proof in client-final-message."},
      {"c=biws," + nonce, "08P01", "malformed SCRAM message",
       "Attribute expected, but found end of string."},
      {"c=biws," + nonce + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=,x=1", "08P01",
       "malformed SCRAM message", "Garbage found at the end of client-final-message."},
      {"", "08P01", "malformed SCRAM message", "The message is empty."},
  };
  for (const Malformed& c : cases) {
    ScramServer server = RfcServer();
    std::string out;
    ASSERT_TRUE(server.Receive(Initial("SCRAM-SHA-256", kClientFirst), out));
    auto step = server.Receive(c.body, out);
    ASSERT_FALSE(step) << c.message;
    EXPECT_EQ(step.error().sqlstate, c.sqlstate) << c.message;
    EXPECT_EQ(step.error().message, c.message);
    EXPECT_EQ(step.error().detail, c.detail);
  }
}

// -PLUS with tls-server-end-point: the binding data is the certificate hash the TLS layer gives.
ScramServer PlusServer() {
  ScramServer::Options options;
  options.user = "user";
  options.secret = RfcSecret();
  options.channel_binding = std::string(32, '\x5a');
  options.fixed_server_nonce = std::string(kServerNonce);
  return ScramServer(options);
}

TEST(ScramTest, PlusIsOfferedFirstOnTls) {
  std::string out;
  PlusServer().AppendMechanisms(out);
  EXPECT_EQ(out, AuthMessage(10, std::string("SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0", 34)));
}

// The client side of -PLUS, computed here from the RFC's keys.
TEST(ScramTest, PlusWithTheRightBindingSucceeds) {
  const std::string gs2 = "p=tls-server-end-point,,";
  const std::string first_bare = "n=,r=rOprNGfwEbeRWgbNEkqO";
  ScramServer server = PlusServer();
  std::string out;
  auto step = server.Receive(Initial("SCRAM-SHA-256-PLUS", gs2 + first_bare), out);
  ASSERT_TRUE(step) << step.error().message << " " << step.error().detail;
  const std::string server_first(kServerFirst);
  const std::string cbind = Base64Encode(gs2 + std::string(32, '\x5a'));
  const std::string without_proof =
      "c=" + cbind + ",r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  // ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage), from the password.
  const std::string auth_message = first_bare + "," + server_first + "," + without_proof;
  std::string proof =
      ClientProof("pencil", *Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096, auth_message);
  out.clear();
  step = server.Receive(without_proof + ",p=" + Base64Encode(proof), out);
  ASSERT_TRUE(step) << step.error().message;
  EXPECT_EQ(*step, ScramServer::Step::kSuccess);
  EXPECT_TRUE(out.starts_with("R")) << out;

  // The same proof over another certificate's hash: refused (28000).
  ScramServer other = PlusServer();
  out.clear();
  ASSERT_TRUE(other.Receive(Initial("SCRAM-SHA-256-PLUS", gs2 + first_bare), out));
  const std::string wrong =
      "c=" + Base64Encode(gs2 + std::string(32, '\x00')) +
      ",r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=" + Base64Encode(proof);
  step = other.Receive(wrong, out);
  ASSERT_FALSE(step);
  EXPECT_EQ(step.error().sqlstate, "28000");
  EXPECT_EQ(step.error().message, "SCRAM channel binding check failed");
}

TEST(ScramTest, PlusNegotiationErrors) {
  {
    ScramServer server = PlusServer();
    std::string out;
    auto step = server.Receive(Initial("SCRAM-SHA-256", "y,,n=,r=abc"), out);
    ASSERT_FALSE(step);
    EXPECT_EQ(step.error().sqlstate, "28000");
    EXPECT_EQ(step.error().message, "SCRAM channel binding negotiation error");
  }
  {
    ScramServer server = PlusServer();
    std::string out;
    auto step = server.Receive(Initial("SCRAM-SHA-256-PLUS", "n,,n=,r=abc"), out);
    ASSERT_FALSE(step);
    EXPECT_EQ(step.error().detail,
              "The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include "
              "channel binding data.");
  }
  {
    ScramServer server = PlusServer();
    std::string out;
    auto step = server.Receive(Initial("SCRAM-SHA-256-PLUS", "p=tls-unique,,n=,r=abc"), out);
    ASSERT_FALSE(step);
    EXPECT_EQ(step.error().message, "unsupported SCRAM channel-binding type \"tls-unique\"");
  }
  {
    // Without TLS, 'y' (the client could bind, thinks we cannot) is fine.
    ScramServer server = RfcServer();
    std::string out;
    EXPECT_TRUE(server.Receive(Initial("SCRAM-SHA-256", "y,,n=,r=abc"), out));
  }
}

TEST(ScramTest, ParseSecretRejectsWhatPostgresRejects) {
  EXPECT_FALSE(ParseSecret("md5" + std::string(32, 'a')));
  EXPECT_FALSE(ParseSecret("SCRAM-SHA-256$4096:c2FsdA==$AAAA:BBBB"));
  EXPECT_FALSE(ParseSecret("SCRAM-SHA-256$x:c2FsdA==$" + Base64Encode(std::string(32, 'a')) + ":" +
                           Base64Encode(std::string(32, 'b'))));
  EXPECT_TRUE(ParseSecret("SCRAM-SHA-256$10:c2FsdA==$" + Base64Encode(std::string(32, 'a')) + ":" +
                          Base64Encode(std::string(32, 'b'))));
  EXPECT_TRUE(IsMd5Hash("md5" + std::string(32, 'f')));
  EXPECT_FALSE(IsMd5Hash("md5" + std::string(31, 'f')));
  EXPECT_FALSE(IsMd5Hash("md5" + std::string(32, 'g')));
}

TEST(ScramTest, SaslPrepAsPostgres) {
  EXPECT_EQ(SaslPrep("pencil"), "pencil");
  EXPECT_EQ(SaslPrep("a\tb"), "a\tb");  // ASCII: unchanged, controls too
  EXPECT_EQ(SaslPrep("I\xc2\xad"
                     "X"),
            "IX");  // soft hyphen maps to nothing
  EXPECT_EQ(SaslPrep("a\xc2\xa0"
                     "b"),
            "a b");                               // no-break space maps to space
  EXPECT_EQ(SaslPrep("\xff\xfe"), "\xff\xfe");    // not UTF-8: the bytes as given
  EXPECT_EQ(SaslPrep("a\xc2\x85"), "a\xc2\x85");  // prohibited (C.2.2): as given
  EXPECT_EQ(SaslPrep("\xc2\xad"), "\xc2\xad");    // maps to empty: as given
}

}  // namespace
}  // namespace sqlrite::protocol::scram
