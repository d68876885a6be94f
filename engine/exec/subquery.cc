#include "engine/exec/subquery.h"

#include <string>
#include <unordered_set>
#include <utility>

#include "engine/key_codec.h"

namespace sqlrite::engine::exec {
namespace {

// The one encoding both sides of combine (`column 0 = column 1`, no cast) share when equal values
// encode equally, as the hash join's keys (integers of any width, text / varchar, bool, numeric);
// kUnknown when the values are to be compared one by one.
TypeId HashedEquality(const std::optional<BoundExpr>& combine) {
  if (!combine || combine->kind != ExprKind::kCompare || combine->op != ast::BinaryOp::kEq ||
      combine->flag || combine->args.size() != 2 || combine->args[0].kind != ExprKind::kColumn ||
      combine->args[1].kind != ExprKind::kColumn) {
    return TypeId::kUnknown;
  }
  const TypeId l = combine->args[0].type.id, r = combine->args[1].type.id;
  if (IsIntegerType(l) && IsIntegerType(r)) return TypeId::kInt8;
  if ((l == TypeId::kText || l == TypeId::kVarchar) &&
      (r == TypeId::kText || r == TypeId::kVarchar)) {
    return TypeId::kText;
  }
  if (l == r && (l == TypeId::kBool || l == TypeId::kNumeric)) return l;
  return TypeId::kUnknown;
}

class SubqueryRunner final : public SubqueryRun {
 public:
  SubqueryRunner(ReadContext& ctx, SubqueryKind kind, std::optional<BoundExpr> combine,
                 size_t outer_count, size_t row_width, SubqueryFactory factory)
      : ctx_(ctx),
        kind_(kind),
        combine_(std::move(combine)),
        outer_count_(outer_count),
        width_(row_width),
        factory_(std::move(factory)) {}

  Result<Datum> Evaluate(const BoundExpr& e, const EvalContext& ectx) override {
    std::vector<Datum> outer;
    outer.reserve(outer_count_);
    for (size_t i = 0; i < outer_count_; ++i) {
      SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(e.args[i], ectx));
      outer.push_back(std::move(v));
    }
    const bool correlated = outer_count_ > 0;
    switch (kind_) {
      case SubqueryKind::kScalar:
      case SubqueryKind::kExists: {
        if (!correlated && kept_value_) return *kept_value_;
        SQLRITE_ASSIGN_OR_RETURN(Datum v, RunOnce(outer));
        if (!correlated) kept_value_ = v;
        return v;
      }
      case SubqueryKind::kArray: {
        if (!correlated && kept_value_) return *kept_value_;
        SQLRITE_ASSIGN_OR_RETURN(Datum v, RunArray(outer));
        if (!correlated) kept_value_ = v;
        return v;
      }
      case SubqueryKind::kAny:
      case SubqueryKind::kAll:
      case SubqueryKind::kRowCompare:
        break;
    }
    std::vector<Datum> lefts;
    for (size_t i = 0; i < width_; ++i) {
      SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(e.args[outer_count_ + i], ectx));
      lefts.push_back(std::move(v));
    }
    if (kind_ == SubqueryKind::kRowCompare) return RunRowCompare(outer, lefts);
    const Datum& left = lefts[0];
    if (!correlated) {
      if (!kept_values_) {
        // Each row's first width_ values, one row after the other.
        std::vector<Datum> values;
        OperatorPtr op = factory_(outer);
        Batch batch;
        for (;;) {
          SQLRITE_ASSIGN_OR_RETURN(bool more, op->Next(kBatchRows, batch));
          if (!more) break;
          for (size_t r = 0; r < batch.size; ++r) {
            for (size_t i = 0; i < width_; ++i) values.push_back(std::move(batch[r][i]));
          }
        }
        hashed_ = kind_ == SubqueryKind::kAny && width_ == 1 ? HashedEquality(combine_)
                                                             : TypeId::kUnknown;
        if (hashed_ != TypeId::kUnknown) {
          // = ANY (IN) over kept values: a set of their encodings, as PostgreSQL's hashed
          // SubPlan, instead of a comparison per value.
          std::string key;
          for (const Datum& v : values) {
            if (IsNull(v)) {
              hashed_null_ = true;
              continue;
            }
            key.clear();
            AppendKeyColumn(key, v, hashed_);
            hashed_keys_.insert(key);
          }
          hashed_rows_ = values.size();
          values = {};
        }
        kept_values_ = std::move(values);
      }
      if (hashed_ != TypeId::kUnknown) {
        if (hashed_rows_ == 0) return Datum(false);
        if (IsNull(left)) return Datum{};
        std::string key;
        AppendKeyColumn(key, left, hashed_);
        if (hashed_keys_.count(key) != 0) return Datum(true);
        return hashed_null_ ? Datum{} : Datum(false);
      }
      Combiner c(kind_, lefts);
      const std::vector<Datum>& kept = *kept_values_;
      for (size_t v = 0; v < kept.size(); v += width_) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        SQLRITE_ASSIGN_OR_RETURN(bool done, c.Add(*combine_, &kept[v]));
        if (done) break;
      }
      return c.result();
    }
    Combiner c(kind_, lefts);
    OperatorPtr op = factory_(outer);
    Batch batch;
    for (;;) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, op->Next(kBatchRows, batch));
      if (!more) break;
      for (size_t r = 0; r < batch.size; ++r) {
        SQLRITE_ASSIGN_OR_RETURN(bool done, c.Add(*combine_, batch[r].data()));
        if (done) return c.result();
      }
    }
    return c.result();
  }

 private:
  // ANY / ALL over the comparisons seen so far.
  class Combiner {
   public:
    Combiner(SubqueryKind kind, const std::vector<Datum>& lefts)
        : any_(kind == SubqueryKind::kAny), width_(lefts.size()), row_(lefts) {
      row_.resize(2 * width_);
    }
    // Adds left op values (a row's first width values); true when the result is decided.
    Result<bool> Add(const BoundExpr& combine, const Datum* values) {
      for (size_t i = 0; i < width_; ++i) row_[width_ + i] = values[i];
      SQLRITE_ASSIGN_OR_RETURN(Datum t, Eval(combine, EvalContext{row_.data(), nullptr}));
      if (IsNull(t)) {
        saw_null_ = true;
        return false;
      }
      if (DatumAs<bool>(t) == any_) {
        decided_ = true;
        return true;
      }
      return false;
    }
    Datum result() const {
      if (decided_) return Datum(any_);
      if (saw_null_) return Datum{};
      return Datum(!any_);
    }

   private:
    bool any_;
    size_t width_;
    bool decided_ = false;
    bool saw_null_ = false;
    std::vector<Datum> row_;  // [left values..., the current row's values...]
  };

  // row op (SELECT ...): the left row compared with the one row's values; NULL without a row,
  // 21000 with more than one.
  Result<Datum> RunRowCompare(const std::vector<Datum>& outer, const std::vector<Datum>& lefts) {
    OperatorPtr op = factory_(outer);
    Batch batch;
    std::vector<Datum> row = lefts;
    size_t rows = 0;
    while (rows < 2) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, op->Next(2 - rows, batch));
      if (!more) break;
      if (rows == 0) {
        for (size_t i = 0; i < width_; ++i) row.push_back(std::move(batch[0][i]));
      }
      rows += batch.size;
    }
    if (rows > 1) {
      return Fail(sqlstate::kCardinalityViolation,
                  "more than one row returned by a subquery used as an expression");
    }
    if (rows == 0) return Datum{};
    return Eval(*combine_, EvalContext{row.data(), nullptr});
  }

  // ARRAY(SELECT ...) from a fresh run: an array of the rows' values, in their order.
  Result<Datum> RunArray(const std::vector<Datum>& outer) {
    OperatorPtr op = factory_(outer);
    Batch batch;
    std::vector<Datum> items;
    for (;;) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, op->Next(kBatchRows, batch));
      if (!more) break;
      for (size_t r = 0; r < batch.size; ++r) items.push_back(std::move(batch[r][0]));
    }
    return ArrayDatum(combine_->type.id, std::move(items));
  }

  // A scalar subquery's value or EXISTS's answer, from a fresh run.
  Result<Datum> RunOnce(const std::vector<Datum>& outer) {
    OperatorPtr op = factory_(outer);
    Batch batch;
    if (kind_ == SubqueryKind::kExists) {
      SQLRITE_ASSIGN_OR_RETURN(bool any, op->Next(1, batch));
      return Datum(any);
    }
    // Two rows at most: the second is the error.
    Datum value;
    size_t rows = 0;
    while (rows < 2) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, op->Next(2 - rows, batch));
      if (!more) break;
      if (rows == 0) value = std::move(batch[0][0]);
      rows += batch.size;
    }
    if (rows > 1) {
      return Fail(sqlstate::kCardinalityViolation,
                  "more than one row returned by a subquery used as an expression");
    }
    return value;
  }

  ReadContext& ctx_;
  SubqueryKind kind_;
  std::optional<BoundExpr> combine_;
  size_t outer_count_;
  size_t width_;  // the left row's values (1 but for a row on the left)
  SubqueryFactory factory_;
  std::optional<Datum> kept_value_;                // uncorrelated scalar / EXISTS
  std::optional<std::vector<Datum>> kept_values_;  // uncorrelated ANY / ALL: width_ per row
  // Uncorrelated = ANY over values of one key encoding (hashed_ != kUnknown): their encodings
  // instead of kept_values_.
  TypeId hashed_ = TypeId::kUnknown;
  std::unordered_set<std::string> hashed_keys_;
  bool hashed_null_ = false;
  size_t hashed_rows_ = 0;
};

}  // namespace

std::shared_ptr<SubqueryRun> MakeSubqueryRun(ReadContext& ctx, SubqueryKind kind,
                                             std::optional<BoundExpr> combine, size_t outer_count,
                                             size_t row_width, SubqueryFactory factory) {
  return std::make_shared<SubqueryRunner>(ctx, kind, std::move(combine), outer_count, row_width,
                                          std::move(factory));
}

}  // namespace sqlrite::engine::exec
