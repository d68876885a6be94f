// Fuzz target `binary_format`: engine/binary_format.h's receive functions, as Bind hands them a
// parameter. Byte 0 picks the parameter's type (one of the OIDs the engine takes, or byte 2..5
// as a raw OID when byte 0 is 255), byte 1's bit 0 the format (0 text, 1 binary); the rest is
// the value's bytes. Beyond "no crash, no leak, no UB": a value received without error sends and
// reads back unchanged, in binary (AppendBinary -> ReceiveBinary) and in text (FormatText ->
// ReceiveText), compared by its text form.

#include <array>
#include <cstring>
#include <string>

#include "common/bytes.h"
#include "engine/binary_format.h"
#include "engine/types.h"
#include "engine/value.h"
#include "tests/fuzz/fuzz_target.h"

namespace sqlrite::fuzz {
namespace {

constexpr std::array<uint32_t, 11> kOids = {engine::oid::kBool,
                                            engine::oid::kInt2,
                                            engine::oid::kInt4,
                                            engine::oid::kInt8,
                                            engine::oid::kFloat4,
                                            engine::oid::kFloat8,
                                            engine::oid::kNumeric,
                                            engine::oid::kText,
                                            engine::oid::kVarchar,
                                            engine::oid::kUnknown,
                                            0};

void Receive(uint32_t oid, bool binary, std::string_view bytes) {
  std::optional<engine::TypeId> type = engine::EngineTypeForOid(oid);
  if (binary && (!type || *type == engine::TypeId::kUnknown)) return;  // Bind refuses these
  Result<engine::Datum> value =
      binary ? engine::ReceiveBinary(bytes, oid) : engine::ReceiveText(bytes, oid);
  if (!value) {
    FUZZ_CHECK(value.error().sqlstate.size() == 5 && !value.error().message.empty());
    return;
  }
  FUZZ_CHECK(!engine::IsNull(*value));
  engine::TypeId as = type && *type != engine::TypeId::kUnknown ? *type : engine::TypeId::kText;
  const std::string text = engine::FormatText(*value, as);

  std::string sent;
  engine::AppendBinary(sent, *value, as);
  Result<engine::Datum> back = engine::ReceiveBinary(sent, engine::TypeOid(as));
  if (!back)
    std::fprintf(stderr, "binary round trip of %s: %s\n", text.c_str(),
                 back.error().message.c_str());
  FUZZ_CHECK(back.has_value());
  FUZZ_CHECK(engine::FormatText(*back, as) == text);

  Result<engine::Datum> reread = engine::ReceiveText(text, engine::TypeOid(as));
  if (!reread)
    std::fprintf(stderr, "text round trip of %s: %s\n", text.c_str(),
                 reread.error().message.c_str());
  FUZZ_CHECK(reread.has_value());
  FUZZ_CHECK(engine::FormatText(*reread, as) == text);
}

}  // namespace
}  // namespace sqlrite::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  uint32_t oid = sqlrite::fuzz::kOids[data[0] % sqlrite::fuzz::kOids.size()];
  if (data[0] == 255) {
    if (rest.size() < 4) return 0;
    oid = sqlrite::LoadBE32(rest.data());
    rest.remove_prefix(4);
  }
  sqlrite::fuzz::Receive(oid, (data[1] & 1) != 0, rest);
  return 0;
}
