// placement-web: the web console's gateway. It serves the console's built
// files and a JSON API for them, and calls placement-server over gRPC as the
// signed-in person, with their bearer token. Every access rule, validation
// and access-log record stays in the server: the gateway checks only that a
// request is a well-formed call from a live session.
//
// HTTP API (web/README.md and web-contract.md have the whole of it):
//   POST /api/session            {"token":"..."}: sign in; sets the cookie
//   GET  /api/session            who is signed in, or 401
//   POST /api/session/end        sign out (204)
//   POST /placement.v1.<Service>/<Method>   any unary RPC of the v1 API, in
//                                the Connect protocol's unary JSON form
//   GET  /api/runs/<id>/progress RematchService.WatchRun as server-sent events
//   GET  /api/export?kind=participants|openings   AdminService.ExportData
//   GET  /, /<file>              the console's files from console_dir
// Every POST needs `Connect-Protocol-Version: 1` (the CSRF guard, with the
// SameSite=Strict cookie).
//
// Unary calls are routed by the protobuf descriptor pool: the method named by
// the path is looked up among the linked placement.v1 services, its request
// type is parsed from JSON, and the call is made through grpc::GenericStub,
// so a new unary RPC in proto/placement/v1 needs no code here.
//
// Thread safety: RunGateway serves requests on a pool of threads; it is
// called once per process.

#ifndef PLACEMENT_WEB_GATEWAY_H_
#define PLACEMENT_WEB_GATEWAY_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace placement::web {

// The one call whose body may be larger than --max_body_bytes.
inline constexpr char kImportPath[] = "/placement.v1.AdminService/ImportData";

struct GatewayOptions {
  // host:port to serve HTTP on; port 0 picks a free one (see port_file).
  // Plain HTTP only on a loopback host; otherwise tls_cert and tls_key.
  std::string listen = "127.0.0.1:8080";
  // gRPC target of placement-server.
  std::string server = "127.0.0.1:50051";
  // PEM CA certificates: speak TLS to the server, verified against them.
  // Empty: plain text (the server allows that on loopback only).
  std::string server_ca_path;
  // The built console (index.html and its assets).
  std::string console_dir;
  // A session unused for longer than this ends.
  absl::Duration session_idle = absl::Minutes(30);
  // PEM certificate chain and private key: serve HTTPS (cookies get Secure).
  std::string tls_cert_path;
  std::string tls_key_path;
  // When set, the bound port is written here once serving.
  std::string port_file;
  // Request bodies above this are refused with 413, except those of
  // AdminService/ImportData (kImportPath), which get max_import_body_bytes.
  size_t max_body_bytes = 1 << 20;
  // The limit of an ImportData body: the server takes up to 16 MiB of CSV,
  // which is 21.3 MiB as base64 in the JSON.
  size_t max_import_body_bytes = 24 << 20;
  // Requests served at once (a progress stream holds one while it runs).
  int threads = 32;
  // Deadline of each unary gRPC call.
  absl::Duration call_timeout = absl::Seconds(30);
  // Sign-in slow-down: refusals start after this many failures per address.
  int sign_in_free_failures = 5;
};

// Whether `host` (no port; brackets allowed) is loopback: 127.0.0.0/8, ::1
// or localhost.
bool IsLoopbackHost(const std::string& host);

// Splits "host:port" or "[v6]:port"; INVALID_ARGUMENT naming `flag` when the
// port is missing or not a number in 0..65535.
absl::Status SplitHostPort(const std::string& address, const std::string& flag,
                           std::string& host, int& port);

// Checks the options, starts serving, and runs until SIGTERM or SIGINT; then
// stops taking requests, lets running ones end, and returns OK. Must be
// called before the process starts other threads (it blocks those signals
// for all of them). INVALID_ARGUMENT or UNAVAILABLE with a message for the
// operator when it cannot start.
absl::Status RunGateway(const GatewayOptions& options);

}  // namespace placement::web

#endif  // PLACEMENT_WEB_GATEWAY_H_
