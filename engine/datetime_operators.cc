#include "engine/datetime_operators.h"

#include "common/sqlstate.h"
#include "engine/numeric_rank.h"
#include "engine/types/datetime.h"

namespace sqlrite::engine {
namespace {

using ast::BinaryOp;

bool IsSmallInt(TypeId id) { return id == TypeId::kInt2 || id == TypeId::kInt4; }

}  // namespace

namespace {

// time casts to interval implicitly: an operator with a time side that has none of its own
// (date - time, timestamp + time, interval - time) is the interval one, as PostgreSQL's
// operator resolution finds it.
std::optional<DateTimeOperator> TimeAsInterval(BinaryOp op, TypeId l, TypeId r) {
  if (l == TypeId::kTime && r != TypeId::kTime && IsDateTimeOperand(r)) {
    std::optional<DateTimeOperator> found = FindDateTimeOperator(op, TypeId::kInterval, r);
    if (found && found->left == TypeId::kInterval) return found;
  }
  if (r == TypeId::kTime && l != TypeId::kTime && IsDateTimeOperand(l)) {
    std::optional<DateTimeOperator> found = FindDateTimeOperator(op, l, TypeId::kInterval);
    if (found && found->right == TypeId::kInterval) return found;
  }
  return std::nullopt;
}

}  // namespace

int MomentRank(TypeId id) {
  switch (id) {
    case TypeId::kDate:
      return 1;
    case TypeId::kTimestamp:
      return 2;
    case TypeId::kTimestampTz:
      return 3;
    default:
      return 0;
  }
}

bool DateTimeImplicitlyCastable(TypeId from, TypeId to) {
  if (MomentRank(from) > 0 && MomentRank(to) > 0) return MomentRank(from) < MomentRank(to);
  return from == TypeId::kTime && to == TypeId::kInterval;
}

bool DateTimeCastable(TypeId from, TypeId to) {
  if (from == to) return IsDateTimeOperand(from);
  if (MomentRank(from) > 0 && MomentRank(to) > 0) return true;
  if (to == TypeId::kTime) return MomentRank(from) >= 2 || from == TypeId::kInterval;
  return from == TypeId::kTime && to == TypeId::kInterval;
}

Result<Datum> CastDateTime(const Datum& value, TypeId from, TypeId to) {
  if (from == to) return value;
  if (from == TypeId::kInterval) {  // interval_time: the time part within a day
    int64_t t = DatumAs<Interval>(value).time % datetime::kUsecPerDay;
    if (t < 0) t += datetime::kUsecPerDay;
    return Datum(t);
  }
  const int64_t v = DatumAs<int64_t>(value);
  switch (to) {
    case TypeId::kInterval:
      return Datum(Interval{v, 0, 0});
    case TypeId::kTime:
      if (!datetime::IsFiniteTimestamp(v)) return Datum{};
      return Datum(from == TypeId::kTimestampTz ? datetime::TimestampTzToTime(v)
                                                : datetime::TimestampToTime(v));
    case TypeId::kDate: {
      SQLRITE_ASSIGN_OR_RETURN(int64_t d, from == TypeId::kTimestampTz
                                              ? datetime::TimestampTzToDate(v)
                                              : datetime::TimestampToDate(v));
      return Datum(d);
    }
    case TypeId::kTimestamp: {
      SQLRITE_ASSIGN_OR_RETURN(int64_t t, from == TypeId::kDate
                                              ? datetime::DateToTimestamp(v)
                                              : datetime::TimestampTzToTimestamp(v));
      return Datum(t);
    }
    case TypeId::kTimestampTz: {
      SQLRITE_ASSIGN_OR_RETURN(int64_t t, from == TypeId::kDate
                                              ? datetime::DateToTimestampTz(v)
                                              : datetime::TimestampToTimestampTz(v));
      return Datum(t);
    }
    default:
      return value;
  }
}

std::optional<DateTimeOperator> FindDateTimeOperator(BinaryOp op, TypeId l, TypeId r) {
  using T = TypeId;
  const bool l_num = NumericRank(l) > 0, r_num = NumericRank(r) > 0;
  switch (op) {
    case BinaryOp::kAdd:
      if (l == T::kDate && IsSmallInt(r)) return DateTimeOperator{T::kDate, T::kInt4, T::kDate};
      if (IsSmallInt(l) && r == T::kDate) return DateTimeOperator{T::kInt4, T::kDate, T::kDate};
      if (l == T::kDate && r == T::kTime) return DateTimeOperator{l, r, T::kTimestamp};
      if (l == T::kTime && r == T::kDate) return DateTimeOperator{l, r, T::kTimestamp};
      if (l == T::kInterval && r == T::kInterval) return DateTimeOperator{l, r, l};
      if (r == T::kInterval) {
        if (l == T::kDate) return DateTimeOperator{T::kTimestamp, r, T::kTimestamp};
        if (l == T::kTimestamp || l == T::kTimestampTz || l == T::kTime) {
          return DateTimeOperator{l, r, l};
        }
      }
      if (l == T::kInterval) {
        if (r == T::kDate) return DateTimeOperator{l, T::kTimestamp, T::kTimestamp};
        if (r == T::kTimestamp || r == T::kTimestampTz || r == T::kTime) {
          return DateTimeOperator{l, r, r};
        }
      }
      return TimeAsInterval(op, l, r);
    case BinaryOp::kSub:
      if (l == T::kDate && IsSmallInt(r)) return DateTimeOperator{T::kDate, T::kInt4, T::kDate};
      if (l == T::kDate && r == T::kDate) return DateTimeOperator{l, r, T::kInt4};
      if (MomentRank(l) > 0 && MomentRank(r) > 0) {
        const T wider =
            std::max(MomentRank(l), MomentRank(r)) == 3 ? T::kTimestampTz : T::kTimestamp;
        return DateTimeOperator{wider, wider, T::kInterval};
      }
      if (l == T::kTime && r == T::kTime) return DateTimeOperator{l, r, T::kInterval};
      if (r == T::kInterval) {
        if (l == T::kDate) return DateTimeOperator{T::kTimestamp, r, T::kTimestamp};
        if (l == T::kTimestamp || l == T::kTimestampTz || l == T::kTime || l == T::kInterval) {
          return DateTimeOperator{l, r, l};
        }
      }
      return TimeAsInterval(op, l, r);
    case BinaryOp::kMul:
      if (l == T::kInterval && r_num) return DateTimeOperator{l, T::kFloat8, l};
      if (l_num && r == T::kInterval) return DateTimeOperator{T::kFloat8, r, r};
      return std::nullopt;
    case BinaryOp::kDiv:
      if (l == T::kInterval && r_num) return DateTimeOperator{l, T::kFloat8, l};
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

Result<Datum> EvalDateTimeOperator(BinaryOp op, TypeId l, TypeId r, const Datum& a,
                                   const Datum& b) {
  using T = TypeId;
  const bool sub = op == BinaryOp::kSub;
  if (l == T::kInterval && r == T::kInterval) {
    SQLRITE_ASSIGN_OR_RETURN(Interval v,
                             sub ? interval::Sub(DatumAs<Interval>(a), DatumAs<Interval>(b))
                                 : interval::Add(DatumAs<Interval>(a), DatumAs<Interval>(b)));
    return Datum(v);
  }
  if (op == BinaryOp::kMul || op == BinaryOp::kDiv) {
    const bool interval_left = l == T::kInterval;
    const Interval& span = DatumAs<Interval>(interval_left ? a : b);
    const double factor = DatumAs<double>(interval_left ? b : a);
    SQLRITE_ASSIGN_OR_RETURN(Interval v, op == BinaryOp::kMul ? interval::Mul(span, factor)
                                                              : interval::Div(span, factor));
    return Datum(v);
  }
  if (l == T::kDate && r == T::kInt4) {
    const int64_t n = DatumAs<int64_t>(b);
    SQLRITE_ASSIGN_OR_RETURN(int64_t d, datetime::AddDays(DatumAs<int64_t>(a), sub ? -n : n));
    return Datum(d);
  }
  if (l == T::kInt4 && r == T::kDate) {
    SQLRITE_ASSIGN_OR_RETURN(int64_t d,
                             datetime::AddDays(DatumAs<int64_t>(b), DatumAs<int64_t>(a)));
    return Datum(d);
  }
  if (l == T::kDate && r == T::kDate) {
    const int64_t x = DatumAs<int64_t>(a), y = DatumAs<int64_t>(b);
    if (!datetime::IsFiniteDate(x) || !datetime::IsFiniteDate(y)) {
      return Fail(sqlstate::kDatetimeFieldOverflow, "cannot subtract infinite dates");
    }
    return Datum(x - y);
  }
  if ((l == T::kDate && r == T::kTime) || (l == T::kTime && r == T::kDate)) {
    const int64_t day = DatumAs<int64_t>(l == T::kDate ? a : b);
    const int64_t time = DatumAs<int64_t>(l == T::kDate ? b : a);
    SQLRITE_ASSIGN_OR_RETURN(int64_t ts, datetime::DateToTimestamp(day));
    if (!datetime::IsFiniteTimestamp(ts)) return Datum(ts);
    if (!datetime::TimestampInRange(ts + time)) {
      return Fail(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
    }
    return Datum(ts + time);
  }
  if (l == T::kTime && r == T::kTime) {
    return Datum(Interval{DatumAs<int64_t>(a) - DatumAs<int64_t>(b), 0, 0});
  }
  if (MomentRank(l) >= 2 && l == r) {  // timestamp - timestamp
    SQLRITE_ASSIGN_OR_RETURN(Interval v,
                             datetime::Difference(DatumAs<int64_t>(a), DatumAs<int64_t>(b)));
    return Datum(v);
  }
  // A moment or time and an interval, either order (only "moment - interval" subtracts).
  const bool interval_left = l == T::kInterval;
  const T other = interval_left ? r : l;
  Interval span = DatumAs<Interval>(interval_left ? a : b);
  if (sub) {
    SQLRITE_ASSIGN_OR_RETURN(span, interval::Negate(span));
  }
  const int64_t v = DatumAs<int64_t>(interval_left ? b : a);
  if (other == T::kTime) return Datum(datetime::TimeAddInterval(v, span));
  SQLRITE_ASSIGN_OR_RETURN(int64_t ts, datetime::AddInterval(v, span, other == T::kTimestampTz));
  return Datum(ts);
}

}  // namespace sqlrite::engine
