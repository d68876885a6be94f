#include "orm/query.h"

namespace sqlrite::orm::internal {

Error NotFound(const ModelDef& model) {
  return Error(sqlstate::kNoData, model.name + " not found");
}

}  // namespace sqlrite::orm::internal
