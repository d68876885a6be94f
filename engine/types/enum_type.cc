#include "engine/types/enum_type.h"

#include <bit>
#include <cstring>

namespace sqlrite::engine {

namespace {

thread_local EnumScope* current_scope = nullptr;

// float4 -> 4 bytes whose memcmp order is the numbers' order (sign flipped for positives, all
// bits flipped for negatives), big-endian.
void AppendSortKey(std::string& out, float f) {
  uint32_t bits = std::bit_cast<uint32_t>(f == 0.0f ? 0.0f : f);  // -0 and 0 alike
  bits = (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(bits >> shift));
}

}  // namespace

const EnumLabel* EnumType::Find(std::string_view label) const {
  for (const EnumLabel& l : labels) {
    if (l.label == label) return &l;
  }
  return nullptr;
}

Datum EnumValue(const EnumLabel& l) {
  std::string out;
  out.reserve(4 + l.label.size());
  AppendSortKey(out, l.sort_order);
  out += l.label;
  return Datum(std::move(out));
}

std::string_view EnumLabelOf(std::string_view value) {
  return value.size() < 4 ? std::string_view() : value.substr(4);
}

float EnumSortOrderOf(std::string_view value) {
  if (value.size() < 4) return 0;
  uint32_t bits = 0;
  for (int i = 0; i < 4; ++i) bits = (bits << 8) | static_cast<uint8_t>(value[i]);
  bits = (bits & 0x80000000u) != 0 ? bits & 0x7fffffffu : ~bits;
  return std::bit_cast<float>(bits);
}

Result<Datum> ParseEnum(std::string_view text, const EnumType& type) {
  const EnumLabel* l = type.Find(text);
  if (l == nullptr) {
    return Fail(sqlstate::kInvalidTextRepresentation,
                "invalid input value for enum " + type.name + ": \"" + std::string(text) + "\"");
  }
  return EnumValue(*l);
}

EnumScope::EnumScope(const EnumTypeLookup* lookup, std::function<std::vector<std::string>()> path)
    : lookup_(lookup), path_(std::move(path)), previous_(current_scope) {
  current_scope = this;
}
EnumScope::~EnumScope() { current_scope = previous_; }

EnumTypePtr CurrentEnumType(uint32_t oid) {
  for (EnumScope* s = current_scope; s != nullptr; s = s->previous_) {
    if (s->lookup_ != nullptr) return s->lookup_->FindEnum(oid);
  }
  return nullptr;
}

Result<EnumTypePtr> ResolveEnumType(std::string_view key, int position) {
  const size_t nul = key.find('\0');
  const std::string_view name = nul == std::string_view::npos ? key : key.substr(nul + 1);
  const EnumScope* scope = current_scope;
  while (scope != nullptr && scope->lookup_ == nullptr) scope = scope->previous_;
  if (scope != nullptr) {
    if (nul != std::string_view::npos) {
      if (EnumTypePtr t = scope->lookup_->FindType(key.substr(0, nul), name)) return t;
    } else if (scope->path_) {
      for (const std::string& schema : scope->path_()) {
        if (EnumTypePtr t = scope->lookup_->FindType(schema, name)) return t;
      }
    }
  }
  std::string written(key);
  if (nul != std::string_view::npos) written[nul] = '.';
  return Fail(Error(sqlstate::kUndefinedObject, "type \"" + written + "\" does not exist")
                  .WithPosition(position));
}

std::string EnumTypeName(uint32_t oid) {
  EnumTypePtr t = CurrentEnumType(oid);
  if (t == nullptr) return "???";
  return t->schema == "public" ? t->name : t->schema + "." + t->name;
}

std::optional<float> NewSortOrder(const EnumType& type, size_t at, bool before) {
  if (type.labels.empty()) return 1.0f;
  const size_t n = type.labels.size();
  const float nbr = type.labels[at].sort_order;
  if (before && at == 0) return nbr - 1;
  if (!before && at + 1 == n) return nbr + 1;
  const float other = type.labels[before ? at - 1 : at + 1].sort_order;
  const float mid = (nbr + other) / 2;
  if (mid == nbr || mid == other) return std::nullopt;
  return mid;
}

}  // namespace sqlrite::engine
