#include "server/fd_limit.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "common/sqlstate.h"

namespace sqlrite::server {

Status RaiseFileLimit(size_t needed) {
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return Fail(sqlstate::kProgramLimitExceeded,
                std::string("could not read the open-file limit: ") + std::strerror(errno));
  }
  const rlim_t want = static_cast<rlim_t>(needed);
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur >= want) return Ok();
  if (limit.rlim_cur == RLIM_INFINITY) return Ok();
  struct rlimit raised = limit;
  raised.rlim_cur = want;
  // Only a privileged process may raise the hard limit; others get as far as it goes.
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < want) raised.rlim_max = want;
  if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) return Ok();
  const int error = errno;
  return Fail(sqlstate::kProgramLimitExceeded,
              "the connection limit needs " + std::to_string(needed) +
                  " open files, but the limit is " + std::to_string(limit.rlim_cur) +
                  " (hard limit " +
                  (limit.rlim_max == RLIM_INFINITY ? std::string("unlimited")
                                                   : std::to_string(limit.rlim_max)) +
                  ") and could not be raised: " + std::strerror(error) +
                  "; raise it (ulimit -n, LimitNOFILE=) or lower --max-connections");
}

}  // namespace sqlrite::server
