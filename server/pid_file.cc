#include "server/pid_file.h"

#include <filesystem>
#include <fstream>

#include "common/sqlstate.h"

namespace sqlrite::server {

namespace fs = std::filesystem;

std::string FormatPidFile(const PidFileInfo& info) {
  std::string s;
  s += std::to_string(info.pid) + "\n";
  s += info.data_dir + "\n";
  s += std::to_string(static_cast<int64_t>(info.start_time)) + "\n";
  s += std::to_string(info.port) + "\n";
  s += info.socket_dir + "\n";
  s += info.listen_address + "\n";
  s += "  5432001         0\n";
  s += "ready\n";
  return s;
}

Status WritePidFile(const PidFileInfo& info) {
  std::error_code ec;
  PidFileInfo absolute = info;
  fs::path dir = fs::absolute(info.data_dir, ec);
  if (ec)
    return Fail(sqlstate::kIoError, "could not resolve \"" + info.data_dir + "\": " + ec.message());
  absolute.data_dir = dir.lexically_normal().string();
  if (absolute.data_dir.size() > 1 && absolute.data_dir.back() == '/') absolute.data_dir.pop_back();
  fs::path path = dir / "postmaster.pid";
  fs::path tmp = dir / "postmaster.pid.tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << FormatPidFile(absolute);
    out.flush();
    if (!out) return Fail(sqlstate::kIoError, "could not write \"" + tmp.string() + "\"");
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    return Fail(sqlstate::kIoError, "could not rename \"" + tmp.string() + "\": " + ec.message());
  }
  return Ok();
}

void RemovePidFile(const std::string& data_dir) {
  std::error_code ec;
  fs::remove(fs::path(data_dir) / "postmaster.pid", ec);
}

}  // namespace sqlrite::server
