// A self-signed TLS identity for 127.0.0.1, for tests of https peers and --ca-file. Link
// OpenSSL::Crypto.
//   TempDir dir;
//   SelfSigned identity(dir.path());
//   auto server = std::make_unique<httplib::SSLServer>(identity.cert, nullptr, identity.key);
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace conform::testing {

// A self-signed certificate for 127.0.0.1, written as PEM for --ca-file.
struct SelfSigned {
  explicit SelfSigned(const std::filesystem::path& directory) {
    key = EVP_EC_gen("P-256");
    cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* san =
        X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, "IP:127.0.0.1");
    X509_add_ext(cert, san, -1);
    X509_EXTENSION_free(san);
    X509_sign(cert, key, EVP_sha256());
    pem_path = (directory / "ca.pem").string();
    if (std::FILE* file = std::fopen(pem_path.c_str(), "w")) {
      PEM_write_X509(file, cert);
      std::fclose(file);
    }
  }
  ~SelfSigned() {
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  SelfSigned(const SelfSigned&) = delete;
  SelfSigned& operator=(const SelfSigned&) = delete;

  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  std::string pem_path;
};

}  // namespace conform::testing
