#include "server/role_passwords.h"

#include <variant>

#include "protocol/scram.h"

namespace sqlrite::server {
namespace {

Status Hash(engine::ast::RoleOptions& options) {
  if (!options.password || options.password->empty()) return Ok();
  std::string& password = *options.password;
  namespace scram = protocol::scram;
  if (scram::ParseSecret(password) || scram::IsMd5Hash(password)) return Ok();
  SQLRITE_ASSIGN_OR_RETURN(std::string secret, scram::BuildSecret(password));
  password = std::move(secret);
  return Ok();
}

}  // namespace

Status HashRolePasswords(std::vector<engine::sql::ParsedStatement>& statements) {
  for (engine::sql::ParsedStatement& parsed : statements) {
    if (!parsed.statement) continue;
    engine::ast::Statement& statement = *parsed.statement;
    if (auto* create = std::get_if<engine::ast::CreateRole>(&statement)) {
      SQLRITE_TRY(Hash(create->options));
    } else if (auto* alter = std::get_if<engine::ast::AlterRole>(&statement)) {
      SQLRITE_TRY(Hash(alter->options));
    }
  }
  return Ok();
}

}  // namespace sqlrite::server
