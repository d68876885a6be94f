#pragma once
// GROUP BY's grouping sets as the hash aggregate runs them (engine/exec/aggregate.h): one pass
// over the input, each row added to one group of every set, the group keyed by the set's number
// and the values of the set's GROUP BY expressions (the others left out, so NULL when output).
// Some aggregate slots are no aggregates but read the group (engine/analyze/grouping_sets.h
// points the select list's grouped expressions and GROUPING() calls at them).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sqlrite::engine::exec {

struct GroupingSets {
  // What an aggregate slot of a grouping-sets aggregate gives instead of its aggregate.
  struct Slot {
    enum Kind : uint8_t {
      kAggregate,  // the AggSpec's value
      kKey,        // GROUP BY expression refs[0]: its value, NULL in a set without it
      kGrouping,   // GROUPING(refs...): bit i (from the right) set when refs[i] is not grouped
    };
    Kind kind = kAggregate;
    std::vector<size_t> refs;  // indices into the aggregate's group_by
  };
  // Per set, per GROUP BY expression: whether the set groups by it. Empty: a plain GROUP BY
  // (no slot is other than kAggregate).
  std::vector<std::vector<bool>> sets;
  std::vector<Slot> slots;  // per AggSpec (empty: all kAggregate)

  bool active() const { return !sets.empty(); }
};

}  // namespace sqlrite::engine::exec
