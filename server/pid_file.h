#pragma once
// <data-dir>/postmaster.pid, laid out as PostgreSQL 15 writes it, one field per line:
//   1 pid, 2 data directory (absolute), 3 start time (Unix epoch seconds), 4 port,
//   5 socket directory (empty: no Unix socket), 6 listen address, 7 shared memory key/id,
//   8 status ("ready").
// Tools (and our end-to-end tests, which start the server with --port 0) read the port from it.

#include <cstdint>
#include <ctime>
#include <string>

#include "common/error.h"

namespace sqlrite::server {

struct PidFileInfo {
  int64_t pid = 0;
  std::string data_dir;  // made absolute by WritePidFile
  std::time_t start_time = 0;
  uint16_t port = 0;
  std::string socket_dir;  // empty: no Unix socket
  std::string listen_address;
};

// The file's text for `info` (data_dir as given).
std::string FormatPidFile(const PidFileInfo& info);
// Writes <data_dir>/postmaster.pid atomically (temporary file, then rename). Errors: 58030.
Status WritePidFile(const PidFileInfo& info);
// Removes <data_dir>/postmaster.pid; a missing file is not an error.
void RemovePidFile(const std::string& data_dir);

}  // namespace sqlrite::server
