#pragma once
// The operators and casts of the date/time types, as PostgreSQL's pg_operator and pg_cast have
// them: which `l op r` exist (with the implicit casts that reach them: int2 -> int4, any number
// -> float8 beside an interval, date -> timestamp -> timestamptz), their result types, and
// their evaluation over Datums (engine/types/datetime.h and interval.h do the calendar work).
// The binder asks FindDateTimeOperator for an arithmetic operator with a date/time operand and
// marks the node (BoundExpr::flag on kArith); Eval then calls EvalDateTimeOperator.

#include <optional>

#include "common/error.h"
#include "engine/sql/ast.h"
#include "engine/types.h"
#include "engine/value.h"

namespace sqlrite::engine {

// date 1, timestamp 2, timestamptz 3 (the order of their implicit casts); 0 for other types.
int MomentRank(TypeId id);
// A date/time type or interval: an operand that makes an operator a date/time one.
inline bool IsDateTimeOperand(TypeId id) { return IsDateTimeType(id) || id == TypeId::kInterval; }

// Whether CAST(from AS to) exists between two date/time types (pg_cast among them: date <->
// timestamp(tz), timestamp <-> timestamptz, timestamp(tz) -> time, time <-> interval).
bool DateTimeCastable(TypeId from, TypeId to);
// Implicit casts among them (castcontext 'i'): date -> timestamp(tz), timestamp -> timestamptz,
// time -> interval.
bool DateTimeImplicitlyCastable(TypeId from, TypeId to);
// The cast of a non-NULL value between date/time types (DateTimeCastable). A timestamp infinity
// to time is NULL, as timestamp_time returns. Errors: 22008 out of range.
Result<Datum> CastDateTime(const Datum& value, TypeId from, TypeId to);

struct DateTimeOperator {
  TypeId left;  // the operand types the operator takes: each side is cast to its own
  TypeId right;
  TypeId result;
};
// The operator `l op r` for operand types l and r, at least one a date/time type or interval;
// nullopt when PostgreSQL has none ("operator does not exist").
std::optional<DateTimeOperator> FindDateTimeOperator(ast::BinaryOp op, TypeId l, TypeId r);
// Evaluates it over non-NULL operands already of the operator's types. Errors: 22008 date,
// timestamp or interval out of range, "cannot subtract infinite dates/timestamps"; 22012.
Result<Datum> EvalDateTimeOperator(ast::BinaryOp op, TypeId l, TypeId r, const Datum& a,
                                   const Datum& b);

}  // namespace sqlrite::engine
