#include "engine/row_lock_table.h"

#include <algorithm>
#include <unordered_set>

#include "common/assert.h"

namespace sqlrite::engine {

bool RowLockTable::TryAcquire(std::string_view key, Owner owner) {
  SQLRITE_ASSERT(owner != 0);
  auto [it, inserted] = locks_.try_emplace(std::string(key));
  if (inserted) {
    it->second.holder = owner;
    std::vector<std::string>& held = held_[owner];
    // One allocation for a typical block's few locks (pgbench's: three) instead of one per
    // doubling.
    if (held.empty()) held.reserve(4);
    held.push_back(it->first);
    return true;
  }
  return it->second.holder == owner;
}

std::optional<RowLockTable::Owner> RowLockTable::Holder(std::string_view key) const {
  auto it = locks_.find(std::string(key));
  if (it == locks_.end()) return std::nullopt;
  return it->second.holder;
}

void RowLockTable::Enqueue(std::string_view key, Owner owner, Ticket ticket) {
  auto it = locks_.find(std::string(key));
  SQLRITE_ASSERT(it != locks_.end() && it->second.holder != owner);
  SQLRITE_ASSERT(waiting_.count(owner) == 0 && waits_.count(ticket) == 0);
  it->second.waiters.emplace_back(owner, ticket);
  waits_.emplace(ticket, Wait{it->first, owner});
  waiting_.emplace(owner, ticket);
}

bool RowLockTable::Dequeue(Ticket ticket) {
  auto w = waits_.find(ticket);
  if (w == waits_.end()) return false;
  auto l = locks_.find(w->second.key);
  SQLRITE_ASSERT(l != locks_.end());
  auto& q = l->second.waiters;
  q.erase(
      std::remove_if(q.begin(), q.end(), [ticket](const auto& e) { return e.second == ticket; }),
      q.end());
  waiting_.erase(w->second.owner);
  waits_.erase(w);
  return true;
}

const std::string* RowLockTable::WaitingFor(Owner owner) const {
  auto it = waiting_.find(owner);
  if (it == waiting_.end()) return nullptr;
  return &waits_.at(it->second).key;
}

std::vector<RowLockTable::Ticket> RowLockTable::ReleaseAll(Owner owner) {
  if (auto w = waiting_.find(owner); w != waiting_.end()) Dequeue(w->second);
  std::vector<Ticket> granted;
  auto h = held_.find(owner);
  if (h == held_.end()) return granted;
  std::vector<std::string> keys = std::move(h->second);
  held_.erase(h);
  for (const std::string& key : keys) {
    auto l = locks_.find(key);
    SQLRITE_ASSERT(l != locks_.end() && l->second.holder == owner);
    if (l->second.waiters.empty()) {
      locks_.erase(l);
      continue;
    }
    // The first waiter holds it now: it is no longer waiting.
    auto [next, ticket] = l->second.waiters.front();
    l->second.waiters.erase(l->second.waiters.begin());
    l->second.holder = next;
    held_[next].push_back(key);
    waits_.erase(ticket);
    waiting_.erase(next);
    granted.push_back(ticket);
  }
  return granted;
}

std::vector<RowLockTable::Owner> RowLockTable::FindCycle(Owner owner, std::string_view key,
                                                         const ExtraEdges& extra) const {
  std::optional<Owner> holder = Holder(key);
  if (!holder || *holder == owner) return {};
  return FindCycleFrom(owner, {*holder}, extra);
}

std::vector<RowLockTable::Owner> RowLockTable::FindCycleFrom(Owner owner,
                                                             const std::vector<Owner>& waits_on,
                                                             const ExtraEdges& extra) const {
  // Depth-first over the wait-for graph from the owners waited on; the path back to owner is
  // the cycle. Each owner is expanded once, so the walk ends on any graph.
  std::unordered_set<Owner> seen;
  std::vector<Owner> path;
  std::function<bool(Owner)> visit = [&](Owner o) -> bool {
    if (o == owner) return true;
    if (!seen.insert(o).second) return false;
    path.push_back(o);
    std::vector<Owner> next;
    if (const std::string* key = WaitingFor(o)) {
      if (std::optional<Owner> h = Holder(*key)) next.push_back(*h);
    }
    if (extra) {
      for (Owner e : extra(o)) next.push_back(e);
    }
    for (Owner n : next) {
      if (visit(n)) return true;
    }
    path.pop_back();
    return false;
  };
  for (Owner o : waits_on) {
    if (visit(o)) return path;
  }
  return {};
}

size_t RowLockTable::HeldBy(Owner owner) const {
  auto it = held_.find(owner);
  return it == held_.end() ? 0 : it->second.size();
}

}  // namespace sqlrite::engine
