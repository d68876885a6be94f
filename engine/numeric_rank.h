#pragma once
// Where a type sits in the implicit widening chain of PostgreSQL's numeric category:
// int2 < int4 < int8 < numeric < float4 < float8 (float8 is the category's preferred type). Every
// step and every longer jump up the chain is an implicit cast in pg_cast; operators, set
// operations and function resolution all widen along it.

#include "engine/types.h"

namespace sqlrite::engine {

// 1 (int2) .. 6 (float8); 0 for a type outside the numeric category.
inline int NumericRank(TypeId id) {
  switch (id) {
    case TypeId::kInt2:
      return 1;
    case TypeId::kInt4:
      return 2;
    case TypeId::kInt8:
      return 3;
    case TypeId::kNumeric:
      return 4;
    case TypeId::kFloat4:
      return 5;
    case TypeId::kFloat8:
      return 6;
    default:
      return 0;
  }
}

}  // namespace sqlrite::engine
