#include "engine/params.h"

namespace sqlrite::engine {
namespace {
thread_local ParamContext* current_params = nullptr;
}  // namespace

ParamContext* CurrentParams() { return current_params; }

ParamScope::ParamScope(ParamContext* params) : previous_(current_params) {
  current_params = params;
}
ParamScope::~ParamScope() { current_params = previous_; }

}  // namespace sqlrite::engine
