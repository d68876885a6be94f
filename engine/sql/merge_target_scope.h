#pragma once
// The MERGE target a schema-qualified column reference may name while MERGE's clauses are
// transformed (engine/sql/transform_merge.cc). MERGE's join query reads the target through a
// derived table named by the target's bare name (or alias), so `MERGE INTO s.t ... ON s.t.id =
// ...`, which PostgreSQL accepts (the reference names the target relation), is rewritten to
// `t.id`; with an alias PostgreSQL refuses it (42P01, its HINT naming the alias), and so do we.
//
// One scope per thread at a time, set for the duration of one TransformMerge (RAII); a nested
// MERGE cannot occur (MERGE is not allowed in WITH or a subquery).

#include <string>
#include <utility>

namespace sqlrite::engine::sql {

class MergeTargetScope {
 public:
  MergeTargetScope(std::string target_schema, std::string target_name, std::string target_alias)
      : schema(std::move(target_schema)),
        name(std::move(target_name)),
        alias(std::move(target_alias)) {
    previous_ = current_;
    current_ = this;
  }
  ~MergeTargetScope() { current_ = previous_; }
  MergeTargetScope(const MergeTargetScope&) = delete;
  MergeTargetScope& operator=(const MergeTargetScope&) = delete;

  // The scope of the MERGE being transformed on this thread, or null.
  static const MergeTargetScope* Current() { return current_; }

  const std::string schema;  // as written (empty: the target was not schema-qualified)
  const std::string name;
  const std::string alias;  // empty: none

 private:
  const MergeTargetScope* previous_ = nullptr;
  static inline thread_local const MergeTargetScope* current_ = nullptr;
};

}  // namespace sqlrite::engine::sql
