#include "service/tls.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpc/grpc_security_constants.h"

namespace placement::service {
namespace {

constexpr absl::string_view kCertificateBegin = "-----BEGIN CERTIFICATE-----";
// "-----BEGIN PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----", ...
constexpr absl::string_view kPrivateKeyEnd = "PRIVATE KEY-----";

// Reads a whole PEM file and checks that it holds `marker`, so that a wrong
// file is reported with its flag here rather than as a failed listen later.
absl::StatusOr<std::string> ReadPem(absl::string_view flag,
                                    const std::string& path,
                                    absl::string_view marker,
                                    absl::string_view what) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, "=", path, ": cannot read (", std::strerror(errno), ")"));
  }
  std::string content;
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    content.append(buffer, n);
  }
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  std::fclose(file);
  if (failed) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, "=", path, ": cannot read (", std::strerror(error), ")"));
  }
  if (!absl::StrContains(content, marker)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, "=", path, ": not a PEM ", what, " (no \"", marker, "\")"));
  }
  return content;
}

}  // namespace

absl::string_view TransportSecurityName(TransportSecurity security) {
  switch (security) {
    case TransportSecurity::kPlainText:
      return "plain text";
    case TransportSecurity::kTls:
      return "TLS";
    case TransportSecurity::kTlsWithClientCertificates:
      return "TLS with client certificates";
  }
  return "unknown";
}

absl::StatusOr<ServerTransport> MakeServerTransport(const TlsFiles& files) {
  const bool has_cert = !files.cert_path.empty();
  const bool has_key = !files.key_path.empty();
  if (has_cert != has_key) {
    return absl::InvalidArgumentError(
        has_cert ? absl::StrCat("--tls_cert=", files.cert_path,
                                " is set but --tls_key is not: TLS needs both")
                 : absl::StrCat("--tls_key=", files.key_path,
                                " is set but --tls_cert is not: TLS needs "
                                "both"));
  }
  if (!has_cert) {
    if (!files.client_ca_path.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--tls_client_ca=", files.client_ca_path,
          " needs --tls_cert and --tls_key: client certificates are checked "
          "only over TLS"));
    }
    return ServerTransport{TransportSecurity::kPlainText,
                           grpc::InsecureServerCredentials()};
  }

  absl::StatusOr<std::string> cert =
      ReadPem("tls_cert", files.cert_path, kCertificateBegin, "certificate");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key =
      ReadPem("tls_key", files.key_path, kPrivateKeyEnd, "private key");
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  options.pem_key_cert_pairs.push_back({*std::move(key), *std::move(cert)});
  TransportSecurity security = TransportSecurity::kTls;
  if (!files.client_ca_path.empty()) {
    absl::StatusOr<std::string> client_ca =
        ReadPem("tls_client_ca", files.client_ca_path, kCertificateBegin,
                "CA certificate");
    if (!client_ca.ok()) return client_ca.status();
    options.pem_root_certs = *std::move(client_ca);
    options.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    security = TransportSecurity::kTlsWithClientCertificates;
  }
  return ServerTransport{security, grpc::SslServerCredentials(options)};
}

}  // namespace placement::service
