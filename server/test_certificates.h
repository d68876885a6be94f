#pragma once
// Test helper: P-256 keys and X.509 certificates made in memory with OpenSSL and written as PEM
// files into a temporary directory, so the TLS tests need no files from outside and no CLI.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

namespace sqlrite::server::testing {

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertFree {
  void operator()(X509* c) const { X509_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

inline Key MakeKey() { return Key(EVP_EC_gen("P-256")); }

// A certificate for `subject_cn` (with that name as its DNS subjectAltName too), signed by
// `issuer_key` under `issuer` (itself when null) with `digest`.
inline Cert MakeCert(EVP_PKEY* key, const std::string& subject_cn, EVP_PKEY* issuer_key,
                     X509* issuer, const EVP_MD* digest, bool is_ca) {
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  static long serial = 1;
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(subject_cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  auto add = [&](int nid, const std::string& value) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  };
  add(NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "CA:FALSE");
  if (!is_ca) add(NID_subject_alt_name, "DNS:" + subject_cn);
  X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, digest);
  return cert;
}

inline void WritePem(const std::filesystem::path& path, X509* cert) {
  FILE* f = std::fopen(path.c_str(), "w");
  PEM_write_X509(f, cert);
  std::fclose(f);
}

inline void WritePem(const std::filesystem::path& path, EVP_PKEY* key, mode_t mode = 0600) {
  FILE* f = std::fopen(path.c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  ::chmod(path.c_str(), mode);
}

// A fresh directory under the system's temporary directory, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sqlrite-tls-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A CA and a server certificate for "localhost" signed by it, as files in a temporary directory.
struct ServerFiles {
  TempDir dir;
  Key ca_key = MakeKey();
  Cert ca = MakeCert(ca_key.get(), "test CA", nullptr, nullptr, EVP_sha256(), true);
  Key key = MakeKey();
  Cert cert;
  std::string cert_path = (dir.path() / "server.crt").string();
  std::string key_path = (dir.path() / "server.key").string();
  std::string ca_path = (dir.path() / "ca.crt").string();

  explicit ServerFiles(const EVP_MD* digest = EVP_sha256())
      : cert(MakeCert(key.get(), "localhost", ca_key.get(), ca.get(), digest, false)) {
    WritePem(cert_path, cert.get());
    WritePem(key_path, key.get());
    WritePem(ca_path, ca.get());
  }
};

}  // namespace sqlrite::server::testing
