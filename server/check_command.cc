#include "server/check_command.h"

#include "common/error.h"
#include "engine/engine.h"

namespace sqlrite::server {

int RunCheck(const std::string& data_dir, std::string* out) {
  std::string report;
  Status checked = engine::CheckDataDir(data_dir, &report);
  *out += report;
  if (!report.empty() && report.back() != '\n') *out += '\n';
  if (!checked) {
    *out += "check failed: " + data_dir + ": " + checked.error().message + " (SQLSTATE " +
            checked.error().sqlstate + ")\n";
    return 1;
  }
  *out += "check passed: " + data_dir + "\n";
  return 0;
}

}  // namespace sqlrite::server
