#include "orm/related.h"

#include <string>

namespace sqlrite::orm::erased {

Value FieldValue(const ModelDef& model, int field, const void* instance) {
  return model.fields[static_cast<std::size_t>(field)].get(instance);
}

Status CheckAtMostOne(const ModelDef& child, const ModelDef& parent, std::size_t rows) {
  if (rows > 1) {
    return Fail(sqlstate::kCardinalityViolation,
                "more than one " + child.name + " for one " + parent.name + " (has_one)");
  }
  return {};
}

}  // namespace sqlrite::orm::erased
