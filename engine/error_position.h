#pragma once

namespace sqlrite::engine {

// An AST node's location (a byte offset into the statement, -1 when the node has none) as the
// 1-based position an error report carries, 0 for none. One definition for the binders and the
// executors, which each had an identical copy in an anonymous namespace: a unity build
// (SQLRITE_UNITY) compiles several of them in one translation unit, where the copies collide.
inline int ErrorPosition(int location) { return location >= 0 ? location + 1 : 0; }

}  // namespace sqlrite::engine
