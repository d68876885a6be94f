// Fuzz target `scram`: the server side of a SCRAM-SHA-256(-PLUS) exchange (protocol/scram.h),
// with the client's messages from the fuzzer. Byte 0 sets the scene:
//   bit 0  the connection is on TLS (channel binding data exists, -PLUS is offered)
//   bit 1  the role has a secret (RFC 7677's: password "pencil"); else a mock exchange
//   bit 2  the client names SCRAM-SHA-256-PLUS (else SCRAM-SHA-256)
//   bit 3  raw: the two pieces below are the 'p' bodies as sent, mechanism and length included
//   bit 4  no initial response: SASLInitialResponse with length -1, client-first in a SASLResponse
// then a big-endian 16-bit length, the client-first-message (that many bytes), and the
// client-final-message (the rest). The server nonce is fixed (RFC 7677's), so a seed can carry a
// right proof and the fuzzer reaches the success path too.
// Checked: every answer is one well-formed AuthenticationSASLContinue / SASLFinal message; a
// failure appends nothing; errors carry a SQLSTATE; success needs the role's real secret.

#include <string>
#include <vector>

#include "common/bytes.h"
#include "protocol/scram.h"
#include "tests/fuzz/fuzz_target.h"

namespace sqlrite::fuzz {
namespace {

namespace scram = protocol::scram;

const std::string& RfcSecret() {
  static const std::string secret =
      scram::BuildSecret("pencil", *scram::Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
  return secret;
}

// One 'R' message with the given code, exactly: type, length, code.
void CheckAuthMessage(std::string_view out, uint32_t code) {
  FUZZ_CHECK(out.size() >= 9 && out[0] == 'R');
  FUZZ_CHECK(LoadBE32(out.data() + 1) == out.size() - 1);
  FUZZ_CHECK(LoadBE32(out.data() + 5) == code);
}

void Exchange(uint8_t scene, std::string_view first, std::string_view final_message) {
  const bool tls = (scene & 1) != 0;
  const bool has_secret = (scene & 2) != 0;
  const bool plus = (scene & 4) != 0;
  const bool raw = (scene & 8) != 0;
  const bool no_initial = (scene & 16) != 0;

  scram::ScramServer::Options options;
  options.user = "user";
  if (has_secret) options.secret = RfcSecret();
  options.mock_secret = "cluster";
  if (tls) options.channel_binding = std::string(32, '\x5a');
  options.fixed_server_nonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  scram::ScramServer server(std::move(options));
  std::string mechanisms;
  server.AppendMechanisms(mechanisms);
  FUZZ_CHECK(!mechanisms.empty() && mechanisms[0] == 'R');

  std::vector<std::string> bodies;
  if (raw) {
    bodies = {std::string(first), std::string(final_message)};
  } else {
    std::string initial(plus ? scram::kMechanismPlus : scram::kMechanism);
    initial.push_back('\0');
    if (no_initial) {
      AppendBE32(initial, 0xffffffffu);
      bodies = {initial, std::string(first), std::string(final_message)};
    } else {
      AppendBE32(initial, static_cast<uint32_t>(first.size()));
      initial.append(first);
      bodies = {initial, std::string(final_message)};
    }
  }
  for (const std::string& body : bodies) {
    std::string out;
    Result<scram::ScramServer::Step> step = server.Receive(body, out);
    if (!step) {
      FUZZ_CHECK(step.error().sqlstate.size() == 5 && !step.error().message.empty());
      return;
    }
    switch (*step) {
      case scram::ScramServer::Step::kContinue:
        CheckAuthMessage(out, 11);
        continue;
      case scram::ScramServer::Step::kSuccess:
        CheckAuthMessage(out, 12);
        FUZZ_CHECK(has_secret && !server.doomed());
        return;
      case scram::ScramServer::Step::kFailure:
        FUZZ_CHECK(out.empty());
        return;
    }
  }
}

}  // namespace
}  // namespace sqlrite::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 3, size - 3);
  const size_t first_len = std::min<size_t>(sqlrite::LoadBE16(data + 1), in.size());
  sqlrite::fuzz::Exchange(data[0], in.substr(0, first_len), in.substr(first_len));
  return 0;
}
