// Transport security of the server: TLS from a PEM certificate chain and
// private key, optionally requiring client certificates signed by a given CA
// (mutual TLS); plain text when no file is named (the server allows that on
// loopback only, see server.h).
//
// Example:
//   absl::StatusOr<ServerTransport> transport = MakeServerTransport(
//       {.cert_path = "server.pem", .key_path = "server.key"});
//   if (!transport.ok()) return transport.status();
//   builder.AddListeningPort(address, transport->credentials, &port);
//
// Thread safety: stateless; safe to call from any thread.

#ifndef PLACEMENT_SERVICE_TLS_H_
#define PLACEMENT_SERVICE_TLS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/security/server_credentials.h"

namespace placement::service {

// The files named by the server's --tls_* flags; empty = not set.
struct TlsFiles {
  // PEM certificate chain of the server, leaf first (--tls_cert).
  std::string cert_path;
  // PEM private key of the leaf certificate (--tls_key).
  std::string key_path;
  // PEM CA certificates (--tls_client_ca). When set, every client must
  // present a certificate that chains to one of them.
  std::string client_ca_path;
};

enum class TransportSecurity { kPlainText, kTls, kTlsWithClientCertificates };

// "plain text", "TLS" or "TLS with client certificates".
absl::string_view TransportSecurityName(TransportSecurity security);

struct ServerTransport {
  TransportSecurity security = TransportSecurity::kPlainText;
  std::shared_ptr<grpc::ServerCredentials> credentials;
};

// Checks that the flags go together and reads the PEM files. Plain text when
// no file is named; TLS when cert and key are; with client certificates
// required and verified when client_ca_path is set too.
// INVALID_ARGUMENT, with a message naming the flag and its path, when only
// one of cert and key is set, client_ca_path is set without them, or a file
// cannot be read or holds no PEM block of the expected kind. Whether the key
// matches the certificate is checked by gRPC when the server starts.
absl::StatusOr<ServerTransport> MakeServerTransport(const TlsFiles& files);

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_TLS_H_
