#pragma once
// TlsContext: the server's TLS configuration (asio::ssl over OpenSSL), loaded once at start from
// --tls-cert / --tls-key (and --tls-ca for client certificates) and shared by every session that
// answers an SSLRequest with 'S'. Settings follow PostgreSQL 15's defaults: TLS 1.2 at least, no
// renegotiation, no session tickets or cache, no compression, the server's cipher order, its
// default cipher list "HIGH:MEDIUM:+3DES:!aNULL". With a CA file, a client certificate is asked
// for and, when sent, must verify against it (PostgreSQL's ssl_ca_file); none is required.
//
// Thread safety: immutable after Load; OpenSSL's SSL_CTX may be shared by concurrent handshakes.

#include <openssl/x509.h>

#include <asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "common/error.h"

namespace sqlrite::server {

struct TlsFiles {
  std::string cert;  // PEM: the server certificate, then any intermediates (a chain file)
  std::string key;   // PEM: its private key
  std::string ca;    // PEM: CAs for client certificates; empty: none asked for
};

class TlsContext {
 public:
  // Loads and checks the files. Errors (F0000, PostgreSQL's words where it has them): a file that
  // cannot be read or parsed, a key that does not match the certificate, a key file readable by
  // group or others (as PostgreSQL: 0600 or less when owned by us, 0640 or less when owned by
  // root), a key file owned by another user.
  static Result<std::unique_ptr<TlsContext>> Load(const TlsFiles& files);

  asio::ssl::context& context() { return context_; }

  // RFC 5929's tls-server-end-point channel-binding data for the server certificate: its DER
  // encoding hashed with the hash of its signature algorithm (SHA-256 for MD5 and SHA-1), as
  // PostgreSQL's be_tls_get_certificate_hash computes it for SCRAM-SHA-256-PLUS. Empty when the
  // signature algorithm names no hash (Ed25519): such a certificate cannot do channel binding.
  const std::string& server_end_point() const { return server_end_point_; }

 private:
  TlsContext();

  asio::ssl::context context_;
  std::string server_end_point_;
};

// The tls-server-end-point hash of `cert` (see TlsContext::server_end_point); empty when its
// signature algorithm names no usable hash.
std::string TlsServerEndPointHash(X509* cert);

}  // namespace sqlrite::server
