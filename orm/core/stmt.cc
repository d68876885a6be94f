#include "orm/core/stmt.h"

namespace sqlrite::orm::stmt {

Expr::Expr(std::shared_ptr<const ExprNode> node) noexcept : node_(std::move(node)) {}
Expr::Expr(const Expr& other) noexcept = default;
Expr::Expr(Expr&& other) noexcept = default;
Expr& Expr::operator=(const Expr& other) noexcept = default;
Expr& Expr::operator=(Expr&& other) noexcept = default;
Expr::~Expr() = default;

Expr Make(ExprNode node) { return Expr(std::make_shared<const ExprNode>(std::move(node))); }
Expr Field(int index) { return Make(FieldRef{index}); }
Expr Lit(Value v) { return Make(Literal{std::move(v)}); }
Expr Cmp(CompareOp op, int field, Value v) {
  return Make(Compare{op, Field(field), Lit(std::move(v))});
}

Expr AndOf(Expr a, Expr b) { return Make(And{{std::move(a), std::move(b)}}); }
Expr OrOf(Expr a, Expr b) { return Make(Or{{std::move(a), std::move(b)}}); }
Expr NotOf(Expr a) { return Make(Not{std::move(a)}); }
Expr IsNullOf(int field, bool negated) { return Make(IsNull{Field(field), negated}); }
Expr InOf(int field, std::vector<Value> values) {
  return Make(InList{Field(field), std::move(values)});
}
Expr BetweenOf(int field, Value low, Value high) {
  return Make(Between{Field(field), Lit(std::move(low)), Lit(std::move(high))});
}
Expr LikeOf(int field, std::string pattern) {
  return Make(Like{Field(field), Lit(std::move(pattern))});
}
Expr StartsWithOf(int field, std::string prefix) {
  return Make(StartsWith{Field(field), Lit(std::move(prefix))});
}

Expr AddTo(int field, Value v) { return Make(Add{Field(field), Lit(std::move(v))}); }

}  // namespace sqlrite::orm::stmt
