#include "server/tls_context.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/sqlstate.h"

namespace sqlrite::server {
namespace {

// The reason for the most recent OpenSSL failure on this thread (and an empty queue after).
std::string OpenSslReason() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no SSL error reported";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  // "error:0480006C:PEM routines::no start line": the reason is the last part.
  const char* reason = ERR_reason_error_string(code);
  return reason != nullptr ? reason : text;
}

Error ConfigError(std::string message) {
  return Error(sqlstate::kConfigFileError, std::move(message));
}

// PostgreSQL's check_ssl_key_file_permissions: a private key others can read is refused.
Status CheckKeyFilePermissions(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return tl::unexpected(
        ConfigError("could not access private key file \"" + path + "\": " + std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return tl::unexpected(ConfigError("private key file \"" + path + "\" is not a regular file"));
  }
  if (st.st_uid != ::geteuid() && st.st_uid != 0) {
    return tl::unexpected(ConfigError("private key file \"" + path +
                                      "\" must be owned by the database user or root"));
  }
  if ((st.st_uid == ::geteuid() && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) ||
      (st.st_uid == 0 && (st.st_mode & (S_IWGRP | S_IXGRP | S_IRWXO)) != 0)) {
    return tl::unexpected(
        ConfigError("private key file \"" + path + "\" has group or world access")
            .WithDetail("File must have permissions u=rw (0600) or less if owned by the database "
                        "user, or permissions u=rw,g=r (0640) or less if owned by root."));
  }
  return Ok();
}

}  // namespace

std::string TlsServerEndPointHash(X509* cert) {
  int digest_nid = NID_undef;
  if (cert == nullptr ||
      OBJ_find_sigid_algs(X509_get_signature_nid(cert), &digest_nid, nullptr) == 0) {
    return {};
  }
  const EVP_MD* md = nullptr;
  if (digest_nid == NID_md5 || digest_nid == NID_sha1) {
    md = EVP_sha256();  // RFC 5929 section 4.1
  } else if (digest_nid != NID_undef) {
    md = EVP_get_digestbynid(digest_nid);
  }
  if (md == nullptr) return {};
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(cert, md, hash, &length) != 1) return {};
  return std::string(reinterpret_cast<const char*>(hash), length);
}

TlsContext::TlsContext() : context_(asio::ssl::context::tls_server) {}

Result<std::unique_ptr<TlsContext>> TlsContext::Load(const TlsFiles& files) {
  std::unique_ptr<TlsContext> tls(new TlsContext());
  SSL_CTX* ctx = tls->context_.native_handle();
  ERR_clear_error();
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
    return Fail(sqlstate::kConfigFileError, "could not set the TLS minimum version");
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_SINGLE_DH_USE |
                               SSL_OP_SINGLE_ECDH_USE);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (SSL_CTX_set_cipher_list(ctx, "HIGH:MEDIUM:+3DES:!aNULL") != 1) {
    return Fail(sqlstate::kConfigFileError, "could not set the cipher list: " + OpenSslReason());
  }
  if (SSL_CTX_use_certificate_chain_file(ctx, files.cert.c_str()) != 1) {
    return Fail(sqlstate::kConfigFileError, "could not load server certificate file \"" +
                                                files.cert + "\": " + OpenSslReason());
  }
  SQLRITE_TRY(CheckKeyFilePermissions(files.key));
  if (SSL_CTX_use_PrivateKey_file(ctx, files.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Fail(sqlstate::kConfigFileError,
                "could not load private key file \"" + files.key + "\": " + OpenSslReason());
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return Fail(sqlstate::kConfigFileError, "check of private key failed: " + OpenSslReason());
  }
  if (!files.ca.empty()) {
    if (SSL_CTX_load_verify_locations(ctx, files.ca.c_str(), nullptr) != 1) {
      return Fail(sqlstate::kConfigFileError,
                  "could not load root certificate file \"" + files.ca + "\": " + OpenSslReason());
    }
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.ca.c_str());
    if (names == nullptr) {
      return Fail(sqlstate::kConfigFileError,
                  "could not load root certificate file \"" + files.ca + "\": " + OpenSslReason());
    }
    SSL_CTX_set_client_CA_list(ctx, names);  // takes ownership
    // Asked for, checked when sent, not required: PostgreSQL with ssl_ca_file and no clientcert.
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE, nullptr);
  }
  tls->server_end_point_ = TlsServerEndPointHash(SSL_CTX_get0_certificate(ctx));
  return tls;
}

}  // namespace sqlrite::server
