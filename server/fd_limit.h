#pragma once
// The process's open-file limit (RLIMIT_NOFILE) against what --max-connections needs: every
// connection is a socket, and the usual soft limit (1024) would make the 1001st accept fail.

#include <cstddef>

#include "common/error.h"

namespace sqlrite::server {

// File descriptors kept for everything that is not a client socket: the listening socket, the
// epoll and eventfd descriptors, each open database's file and log, the log output.
inline constexpr size_t kFdsBesidesConnections = 128;

// Raises the soft RLIMIT_NOFILE to at least `needed` (and the hard limit too, when the process
// may). Errors: 54000 (program limit exceeded) naming what is needed, the limits and the
// remedy, when it cannot be raised that far. A limit already high enough is left as it is.
Status RaiseFileLimit(size_t needed);

}  // namespace sqlrite::server
