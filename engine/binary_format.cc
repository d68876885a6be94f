#include "engine/binary_format.h"

#include <bit>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "common/assert.h"
#include "common/bytes.h"
#include "common/sqlstate.h"
#include "engine/expression.h"
#include "engine/record_type.h"
#include "engine/row_value.h"
#include "engine/types/bit_string.h"
#include "engine/types/datetime.h"
#include "engine/types/int2_array.h"

namespace sqlrite::engine {
namespace {

tl::unexpected<Error> Insufficient() {
  return Fail(sqlstate::kProtocolViolation, "insufficient data left in message");
}
}  // namespace

std::optional<TypeId> EngineTypeForOid(uint32_t oid) {
  switch (oid) {
    case 0:
    case oid::kUnknown:
      return TypeId::kUnknown;
    case oid::kBool:
      return TypeId::kBool;
    case oid::kInt2:
      return TypeId::kInt2;
    case oid::kInt4:
      return TypeId::kInt4;
    case oid::kInt8:
      return TypeId::kInt8;
    case oid::kFloat4:
      return TypeId::kFloat4;
    case oid::kFloat8:
      return TypeId::kFloat8;
    case oid::kNumeric:
      return TypeId::kNumeric;
    case oid::kText:
      return TypeId::kText;
    case oid::kVarchar:
      return TypeId::kVarchar;
    case oid::kBpchar:
      return TypeId::kBpchar;
    case oid::kBytea:
      return TypeId::kBytea;
    case oid::kUuid:
      return TypeId::kUuid;
    case oid::kDate:
      return TypeId::kDate;
    case oid::kTime:
      return TypeId::kTime;
    case oid::kTimestamp:
      return TypeId::kTimestamp;
    case oid::kTimestampTz:
      return TypeId::kTimestampTz;
    case oid::kInterval:
      return TypeId::kInterval;
    case oid::kJson:
      return TypeId::kJson;
    case oid::kJsonb:
      return TypeId::kJsonb;
    case oid::kBit:
      return TypeId::kBit;
    case oid::kVarbit:
      return TypeId::kVarbit;
    default:
      return std::nullopt;
  }
}

namespace {

// array_send (int2vectorsend too) of a one-dimensional int2 array held as its text form:
// dimensions, a NULL flag, the element type, each dimension's length and lower bound, then each
// element as a length and its bytes (-1: NULL).
void AppendInt2ArrayBinary(std::string& out, const std::string& text, bool is_vector) {
  const std::string array = is_vector ? int2_array::VectorToArray(text) : text;
  int64_t lower = 1;
  Result<int2_array::Elements> elements = int2_array::ParseArrayText(array, &lower);
  SQLRITE_ASSERT(elements.has_value());  // the Datum holds the canonical form
  bool has_null = false;
  for (const auto& e : *elements) has_null |= !e.has_value();
  AppendBE32(out, elements->empty() ? 0 : 1);
  AppendBE32(out, has_null ? 1 : 0);
  AppendBE32(out, oid::kInt2);
  if (!elements->empty()) {
    AppendBE32(out, static_cast<uint32_t>(elements->size()));
    AppendBE32(out, static_cast<uint32_t>(static_cast<int32_t>(lower)));
  }
  for (const auto& e : *elements) {
    if (!e) {
      AppendBE32(out, 0xFFFFFFFFu);
      continue;
    }
    AppendBE32(out, 2);
    AppendBE16(out, static_cast<uint16_t>(static_cast<int16_t>(std::stoi(*e))));
  }
}

// array_send of a one-dimensional name[] held as its text form (as AppendInt2ArrayBinary).
void AppendNameArrayBinary(std::string& out, const std::string& text) {
  Result<int2_array::Elements> elements = int2_array::ParseArrayText(text);
  SQLRITE_ASSERT(elements.has_value());  // the Datum holds the canonical form
  bool has_null = false;
  for (const auto& e : *elements) has_null |= !e.has_value();
  AppendBE32(out, elements->empty() ? 0 : 1);
  AppendBE32(out, has_null ? 1 : 0);
  AppendBE32(out, oid::kName);
  if (!elements->empty()) {
    AppendBE32(out, static_cast<uint32_t>(elements->size()));
    AppendBE32(out, 1);
  }
  for (const auto& e : *elements) {
    if (!e) {
      AppendBE32(out, 0xFFFFFFFFu);
      continue;
    }
    AppendBE32(out, static_cast<uint32_t>(e->size()));
    out.append(*e);
  }
}

// record_send: the field count, then per field its type's OID, its length (-1: NULL) and its
// binary form.
void AppendRecordBinary(std::string& out, const std::string& value) {
  // record_send: the field count, then per field its type OID, its length (-1: NULL) and its
  // binary form. Fixed shapes and row values (engine/row_value.h) decode alike.
  Result<row_value::Decoded> record = row_value::Decode(value);
  SQLRITE_ASSERT(record.has_value());
  AppendBE32(out, static_cast<uint32_t>(record->fields.size()));
  for (size_t i = 0; i < record->fields.size(); ++i) {
    const SqlType type = record->fields[i].type;
    const Datum& field = record->values[i];
    // An unknown literal's field is sent as unknown (705) with text's bytes, as unknownsend.
    AppendBE32(out, type.id == TypeId::kUnknown ? oid::kUnknown : TypeOid(type));
    if (IsNull(field)) {
      AppendBE32(out, 0xFFFFFFFFu);
      continue;
    }
    const size_t length_at = out.size();
    AppendBE32(out, 0);
    AppendBinary(out, field, type.id == TypeId::kUnknown ? TypeId::kText : type.id);
    const auto length = static_cast<uint32_t>(out.size() - length_at - 4);
    std::string patched;
    AppendBE32(patched, length);
    out.replace(length_at, 4, patched);
  }
}

}  // namespace

void AppendBinary(std::string& out, const Datum& d, TypeId type) {
  switch (type) {
    case TypeId::kBool:
      out.push_back(DatumAs<bool>(d) ? '\1' : '\0');
      return;
    case TypeId::kInt2:
      AppendBE16(out, static_cast<uint16_t>(static_cast<int16_t>(DatumAs<int64_t>(d))));
      return;
    case TypeId::kFloat4:
      AppendBE32(out, std::bit_cast<uint32_t>(static_cast<float>(DatumAs<double>(d))));
      return;
    case TypeId::kInt4:
    case TypeId::kRegtype:  // regtypesend is oidsend
    case TypeId::kOid:
    case TypeId::kRegclass:
    case TypeId::kRegproc:
    case TypeId::kRegnamespace:
    case TypeId::kRegrole:
      AppendBE32(out, static_cast<uint32_t>(static_cast<int32_t>(DatumAs<int64_t>(d))));
      return;
    case TypeId::kInt8:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      AppendBE64(out, static_cast<uint64_t>(DatumAs<int64_t>(d)));
      return;
    case TypeId::kDate:
      AppendBE32(out, static_cast<uint32_t>(static_cast<int32_t>(DatumAs<int64_t>(d))));
      return;
    case TypeId::kInterval: {
      const Interval& v = DatumAs<Interval>(d);
      AppendBE64(out, static_cast<uint64_t>(v.time));
      AppendBE32(out, static_cast<uint32_t>(v.day));
      AppendBE32(out, static_cast<uint32_t>(v.month));
      return;
    }
    case TypeId::kFloat8:
      AppendBE64(out, std::bit_cast<uint64_t>(DatumAs<double>(d)));
      return;
    case TypeId::kNumeric:
      DatumAs<NumericRef>(d)->AppendBinary(out);
      return;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
    case TypeId::kUnknown:
    case TypeId::kBytea:  // bytea_send and uuid_send: the bytes themselves
    case TypeId::kUuid:
    case TypeId::kName:
    case TypeId::kChar:
    case TypeId::kJson:  // json_send: the text
    case TypeId::kVoid:  // void_send: no bytes (the Datum is empty)
      out.append(DatumAs<std::string>(d));
      return;
    case TypeId::kJsonb:  // jsonb_send: version 1, then the text
      out.push_back('\x01');
      out.append(DatumAs<std::string>(d));
      return;
    case TypeId::kBit:
    case TypeId::kVarbit:
      bit_string::AppendSend(out, DatumAs<std::string>(d));
      return;
    case TypeId::kInt2Array:
    case TypeId::kInt2Vector:
      AppendInt2ArrayBinary(out, DatumAs<std::string>(d), type == TypeId::kInt2Vector);
      return;
    case TypeId::kRecord:
      AppendRecordBinary(out, DatumAs<std::string>(d));
      return;
    case TypeId::kNameArray:
      AppendNameArrayBinary(out, DatumAs<std::string>(d));
      return;
    case TypeId::kArray: {
      // array_send: ndim, has-null flag, element OID, per dimension its size and lower bound,
      // then each element's length (-1: NULL) and binary form.
      const ArrayValue& a = *DatumAs<ArrayRef>(d);
      bool has_null = false;
      for (const Datum& item : a.items) has_null |= IsNull(item);
      AppendBE32(out, a.items.empty() ? 0 : 1);
      AppendBE32(out, has_null ? 1 : 0);
      AppendBE32(out, TypeOid(a.elem));
      if (!a.items.empty()) {
        AppendBE32(out, static_cast<uint32_t>(a.items.size()));
        AppendBE32(out, static_cast<uint32_t>(a.lower));
      }
      for (const Datum& item : a.items) {
        if (IsNull(item)) {
          AppendBE32(out, 0xFFFFFFFFu);
          continue;
        }
        const size_t length_at = out.size();
        AppendBE32(out, 0);
        AppendBinary(out, item, a.elem);
        std::string length;
        AppendBE32(length, static_cast<uint32_t>(out.size() - length_at - 4));
        out.replace(length_at, 4, length);
      }
      return;
    }
    case TypeId::kEnum:  // enum_send: the label's text
      out.append(EnumLabelOf(DatumAs<std::string>(d)));
      return;
    case TypeId::kAnyArray:
    case TypeId::kAnyElement:
      return;
  }
}

namespace {

// array_recv of one dimension: ndim, flags (0 or 1), element OID (the array type's), then per
// dimension its size and lower bound, then each element's length (-1: NULL) and bytes.
Result<Datum> ReceiveArray(std::string_view b, TypeId elem) {
  size_t at = 0;
  auto int32 = [&](int32_t* v) -> Status {
    if (b.size() - at < 4) return Insufficient();
    *v = static_cast<int32_t>(LoadBE32(b.data() + at));
    at += 4;
    return Ok();
  };
  int32_t ndim = 0, flags = 0, element_oid = 0;
  SQLRITE_TRY(int32(&ndim));
  SQLRITE_TRY(int32(&flags));
  SQLRITE_TRY(int32(&element_oid));
  if (ndim < 0)
    return Fail(sqlstate::kInvalidBinaryRepresentation,
                "invalid number of dimensions: " + std::to_string(ndim));
  if (ndim > 1) {
    return Fail(sqlstate::kFeatureNotSupported, "multidimensional arrays are not supported yet");
  }
  if (flags != 0 && flags != 1)
    return Fail(sqlstate::kInvalidBinaryRepresentation, "invalid array flags");
  if (static_cast<uint32_t>(element_oid) != TypeOid(elem)) {
    return Fail(sqlstate::kDatatypeMismatch,
                "binary data has array element type " + std::to_string(element_oid) + " (" +
                    std::string(RegtypeName(static_cast<uint32_t>(element_oid))) +
                    ") instead of expected " + std::to_string(TypeOid(elem)) + " (" +
                    std::string(TypeName(elem)) + ")");
  }
  if (ndim == 0) return ArrayDatum(elem, {});
  int32_t count = 0, lower = 1;
  SQLRITE_TRY(int32(&count));
  SQLRITE_TRY(int32(&lower));
  if (count < 0 || static_cast<size_t>(count) > b.size()) {
    return Fail(sqlstate::kProgramLimitExceeded, "array size exceeds the maximum allowed");
  }
  std::vector<Datum> items;
  items.reserve(static_cast<size_t>(count));
  for (int32_t i = 0; i < count; ++i) {
    int32_t length = 0;
    SQLRITE_TRY(int32(&length));
    if (length == -1) {
      items.emplace_back();
      continue;
    }
    if (length < 0 || b.size() - at < static_cast<size_t>(length)) return Insufficient();
    SQLRITE_ASSIGN_OR_RETURN(
        Datum v, ReceiveBinary(b.substr(at, static_cast<size_t>(length)), TypeOid(elem)));
    at += static_cast<size_t>(length);
    items.push_back(std::move(v));
  }
  if (at != b.size()) {
    return Fail(sqlstate::kInvalidBinaryRepresentation, "incorrect binary data format");
  }
  return ArrayDatum(elem, std::move(items), lower);
}

}  // namespace

std::optional<SqlType> EngineSqlTypeForOid(uint32_t oid) {
  if (const TypeId elem = ArrayElementOfOid(oid); elem != TypeId::kUnknown) {
    if (!EngineTypeForOid(TypeOid(elem))) return std::nullopt;
    return ArrayOf(SqlType{elem, -1});
  }
  std::optional<TypeId> t = EngineTypeForOid(oid);
  if (!t) return std::nullopt;
  return SqlType{*t, -1};
}

Result<Datum> ReceiveBinary(std::string_view b, uint32_t oid) {
  if (const TypeId elem = ArrayElementOfOid(oid); elem != TypeId::kUnknown) {
    return ReceiveArray(b, elem);
  }
  size_t want = 0;
  switch (oid) {
    case oid::kBool:
      want = 1;
      break;
    case oid::kInt2:
      want = 2;
      break;
    case oid::kInt4:
    case oid::kFloat4:
    case oid::kDate:
      want = 4;
      break;
    case oid::kInt8:
    case oid::kFloat8:
    case oid::kTime:
    case oid::kTimestamp:
    case oid::kTimestampTz:
      want = 8;
      break;
    case oid::kInterval:
      want = 16;
      break;
    case oid::kUuid:
      want = 16;
      break;
    case oid::kNumeric: {
      SQLRITE_ASSIGN_OR_RETURN(Numeric n, Numeric::FromBinary(b));
      return NumericDatum(std::move(n));
    }
    case oid::kJson:
      return ParseText(b, SqlType{TypeId::kJson, -1});
    case oid::kJsonb:
      // jsonb_recv: a version byte (only 1 exists), then the text.
      if (b.empty() || b[0] != 1) {
        return Fail(sqlstate::kInternalError,
                    "unsupported jsonb version number " +
                        std::to_string(b.empty() ? 0 : static_cast<int>(b[0])));
      }
      return ParseText(b.substr(1), SqlType{TypeId::kJsonb, -1});
    case oid::kBit:
    case oid::kVarbit: {
      SQLRITE_ASSIGN_OR_RETURN(
          std::string v,
          bit_string::Receive(b, oid == oid::kBit ? TypeId::kBit : TypeId::kVarbit, -1));
      return Datum(std::move(v));
    }
    default:
      return Datum(std::string(b));  // text, varchar
  }
  if (b.size() < want) return Insufficient();
  if (b.size() > want) {
    return Fail(sqlstate::kInvalidBinaryRepresentation, "incorrect binary data format");
  }
  switch (oid) {
    case oid::kBool:
      return Datum(b[0] != 0);
    case oid::kInt2:
      return Datum(int64_t{static_cast<int16_t>(LoadBE16(b.data()))});
    case oid::kInt4:
      return Datum(int64_t{static_cast<int32_t>(LoadBE32(b.data()))});
    case oid::kInt8:
      return Datum(static_cast<int64_t>(LoadBE64(b.data())));
    case oid::kFloat4:
      return Datum(double{std::bit_cast<float>(LoadBE32(b.data()))});
    case oid::kUuid:
      return Datum(std::string(b));
    case oid::kDate: {
      // date_recv: an infinity or a day within date's range.
      const int64_t days = static_cast<int32_t>(LoadBE32(b.data()));
      if (datetime::IsFiniteDate(days) && !datetime::DateInRange(days)) {
        return Fail(sqlstate::kDatetimeFieldOverflow, "date out of range");
      }
      return Datum(days);
    }
    case oid::kTime: {
      const auto t = static_cast<int64_t>(LoadBE64(b.data()));
      if (t < 0 || t > datetime::kUsecPerDay) {
        return Fail(sqlstate::kDatetimeFieldOverflow, "time out of range");
      }
      return Datum(t);
    }
    case oid::kTimestamp:
    case oid::kTimestampTz: {
      const auto t = static_cast<int64_t>(LoadBE64(b.data()));
      if (datetime::IsFiniteTimestamp(t) && !datetime::TimestampInRange(t)) {
        return Fail(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
      }
      return Datum(t);
    }
    case oid::kInterval:
      return Datum(Interval{static_cast<int64_t>(LoadBE64(b.data())),
                            static_cast<int32_t>(LoadBE32(b.data() + 8)),
                            static_cast<int32_t>(LoadBE32(b.data() + 12))});
    default:
      return Datum(std::bit_cast<double>(LoadBE64(b.data())));
  }
}

Result<Datum> ReceiveText(std::string_view text, uint32_t oid) {
  std::optional<SqlType> type = EngineSqlTypeForOid(oid);
  if (!type || type->id == TypeId::kUnknown) type = SqlType{TypeId::kText, -1};
  return ParseText(text, *type);
}

}  // namespace sqlrite::engine
