#pragma once
// `sqlrited check -D DIR` (or `--check`): the offline integrity check of a data directory.

#include <string>

namespace sqlrite::server {

// Runs engine::CheckDataDir on data_dir and appends its findings and a closing verdict line to
// *out. Returns the process exit code: 0 when the directory passed, 1 when anything is wrong,
// including when it cannot be checked (missing, or locked by a running server).
int RunCheck(const std::string& data_dir, std::string* out);

}  // namespace sqlrite::server
