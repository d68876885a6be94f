#include "engine/index_order.h"

namespace sqlrite::engine {

KeyOrder IndexColumnOrder(const IndexDef& ix, size_t k) {
  if (k >= ix.options.size()) return KeyOrder{};
  const uint8_t o = ix.options[k];
  if ((o & kIndexLaidOutInOrder) == 0) return KeyOrder{};
  return KeyOrder{(o & kIndexDesc) != 0, (o & kIndexNullsFirst) != 0};
}

void LayOutInDeclaredOrder(IndexDef& ix) {
  for (uint8_t& o : ix.options) o |= kIndexLaidOutInOrder;
}

}  // namespace sqlrite::engine
