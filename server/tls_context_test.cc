#include "server/tls_context.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#include "server/test_certificates.h"

namespace sqlrite::server {
namespace {

using testing::ServerFiles;

std::string Digest(X509* cert, const EVP_MD* md) {
  unsigned char der_hash[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  unsigned char* der = nullptr;
  int len = i2d_X509(cert, &der);
  EVP_Digest(der, static_cast<size_t>(len), der_hash, &n, md, nullptr);
  OPENSSL_free(der);
  return std::string(reinterpret_cast<char*>(der_hash), n);
}

TEST(TlsContextTest, LoadsACertificateAndItsKey) {
  ServerFiles files;
  Result<std::unique_ptr<TlsContext>> tls =
      TlsContext::Load({files.cert_path, files.key_path, files.ca_path});
  ASSERT_TRUE(tls.has_value()) << tls.error().message;
  EXPECT_EQ(SSL_CTX_get_min_proto_version((*tls)->context().native_handle()), TLS1_2_VERSION);
}

TEST(TlsContextTest, MissingCertificateFileIsAConfigError) {
  ServerFiles files;
  Result<std::unique_ptr<TlsContext>> tls =
      TlsContext::Load({files.cert_path + ".missing", files.key_path, ""});
  ASSERT_FALSE(tls.has_value());
  EXPECT_EQ(tls.error().sqlstate, sqlstate::kConfigFileError);
  EXPECT_EQ(tls.error().message.rfind(
                "could not load server certificate file \"" + files.cert_path + ".missing\": ", 0),
            0u)
      << tls.error().message;
}

TEST(TlsContextTest, GarbageCertificateIsAConfigError) {
  ServerFiles files;
  FILE* f = std::fopen(files.cert_path.c_str(), "w");
  std::fputs("not a certificate\n", f);
  std::fclose(f);
  Result<std::unique_ptr<TlsContext>> tls = TlsContext::Load({files.cert_path, files.key_path, ""});
  ASSERT_FALSE(tls.has_value());
  EXPECT_NE(tls.error().message.find("could not load server certificate file"), std::string::npos);
}

TEST(TlsContextTest, KeyOfAnotherCertificateIsRefused) {
  ServerFiles files;
  testing::Key other = testing::MakeKey();
  testing::WritePem(files.key_path, other.get());
  Result<std::unique_ptr<TlsContext>> tls = TlsContext::Load({files.cert_path, files.key_path, ""});
  ASSERT_FALSE(tls.has_value());
  EXPECT_EQ(tls.error().sqlstate, sqlstate::kConfigFileError);
  EXPECT_NE(tls.error().message.find("private key"), std::string::npos) << tls.error().message;
}

TEST(TlsContextTest, KeyReadableByOthersIsRefusedAsByPostgres) {
  ServerFiles files;
  ::chmod(files.key_path.c_str(), 0644);
  Result<std::unique_ptr<TlsContext>> tls = TlsContext::Load({files.cert_path, files.key_path, ""});
  ASSERT_FALSE(tls.has_value());
  EXPECT_EQ(tls.error().message,
            "private key file \"" + files.key_path + "\" has group or world access");
  EXPECT_FALSE(tls.error().detail.empty());
}

TEST(TlsContextTest, MissingKeyFileIsAConfigError) {
  ServerFiles files;
  Result<std::unique_ptr<TlsContext>> tls =
      TlsContext::Load({files.cert_path, files.key_path + ".missing", ""});
  ASSERT_FALSE(tls.has_value());
  EXPECT_EQ(tls.error().message.rfind("could not access private key file", 0), 0u);
}

TEST(TlsContextTest, BadCaFileIsAConfigError) {
  ServerFiles files;
  Result<std::unique_ptr<TlsContext>> tls =
      TlsContext::Load({files.cert_path, files.key_path, files.key_path + ".missing"});
  ASSERT_FALSE(tls.has_value());
  EXPECT_EQ(tls.error().message.rfind("could not load root certificate file", 0), 0u);
}

TEST(TlsContextTest, EndPointHashUsesTheSignatureHash) {
  ServerFiles files(EVP_sha384());
  std::string hash = TlsServerEndPointHash(files.cert.get());
  EXPECT_EQ(hash.size(), 48u);
  EXPECT_EQ(hash, Digest(files.cert.get(), EVP_sha384()));
  Result<std::unique_ptr<TlsContext>> tls = TlsContext::Load({files.cert_path, files.key_path, ""});
  ASSERT_TRUE(tls.has_value());
  EXPECT_EQ((*tls)->server_end_point(), hash);
}

TEST(TlsContextTest, EndPointHashOfSha1SignatureIsSha256) {
  ServerFiles files(EVP_sha1());
  std::string hash = TlsServerEndPointHash(files.cert.get());
  EXPECT_EQ(hash, Digest(files.cert.get(), EVP_sha256()));
  EXPECT_NE(hash, Digest(files.cert.get(), EVP_sha1()));
}

}  // namespace
}  // namespace sqlrite::server
