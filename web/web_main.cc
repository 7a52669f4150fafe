// placement-web: parses flags and runs the web console's gateway
// (web/gateway.h).

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "tools/program_flags.h"
#include "web/gateway.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:8080",
          "host:port to serve the console on; plain HTTP only on loopback "
          "(else --tls_cert and --tls_key); port 0 picks one");
ABSL_FLAG(std::string, server, "127.0.0.1:50051",
          "gRPC address of placement-server");
ABSL_FLAG(std::string, server_ca, "",
          "PEM CA certificates of the server's TLS certificate; when set, "
          "the gateway speaks TLS to the server");
ABSL_FLAG(std::string, console_dir, PLACEMENT_WEB_CONSOLE_DIR,
          "Folder with the built console (index.html and its assets)");
ABSL_FLAG(int, session_idle_minutes, 30,
          "A signed-in session unused for this many minutes ends");
ABSL_FLAG(double, session_idle_seconds, 0,
          "Overrides --session_idle_minutes when above 0 (for tests)");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain; with --tls_key, serve HTTPS, on any "
          "address (cookies then carry Secure)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, port_file, "",
          "Write the bound port to this file once serving");
ABSL_FLAG(int64_t, max_body_bytes, 1 << 20,
          "Request bodies above this many bytes are refused with 413 "
          "(AdminService/ImportData has --max_import_body_bytes)");
ABSL_FLAG(int64_t, max_import_body_bytes, 24 << 20,
          "Limit of an AdminService/ImportData body: the server takes 16 MiB "
          "of CSV, about 21.3 MiB as base64 in JSON");
ABSL_FLAG(int, threads, 32,
          "Requests served at once; each open progress stream holds one");
ABSL_FLAG(absl::Duration, call_timeout, absl::Seconds(30),
          "Deadline of each call to the server");
ABSL_FLAG(int, sign_in_free_failures, 5,
          "Failed sign-ins from one address before it is slowed down (429 "
          "with Retry-After, 1 s then doubling per failure)");

namespace {

constexpr char kUsage[] =
    "Serves the web console and its JSON API, calling placement-server as "
    "the signed-in person.\n"
    "Example: placement-web --listen=127.0.0.1:8080 --server=127.0.0.1:50051\n"
    "--helpfull also lists the flags of the libraries (gRPC, Abseil).";

}  // namespace

int main(int argc, char** argv) {
  if (placement::HandleHelpOrParseFlags(argc, argv, kUsage, "web_main.cc")) {
    return 0;
  }
  const double idle_seconds = absl::GetFlag(FLAGS_session_idle_seconds);
  const int64_t max_body = absl::GetFlag(FLAGS_max_body_bytes);
  if (max_body < 1) {
    std::fprintf(stderr, "placement-web: --max_body_bytes must be above 0\n");
    return 1;
  }
  const int64_t max_import_body = absl::GetFlag(FLAGS_max_import_body_bytes);
  if (max_import_body < 1) {
    std::fprintf(stderr,
                 "placement-web: --max_import_body_bytes must be above 0\n");
    return 1;
  }
  const placement::web::GatewayOptions options{
      .listen = absl::GetFlag(FLAGS_listen),
      .server = absl::GetFlag(FLAGS_server),
      .server_ca_path = absl::GetFlag(FLAGS_server_ca),
      .console_dir = absl::GetFlag(FLAGS_console_dir),
      .session_idle =
          idle_seconds > 0
              ? absl::Seconds(idle_seconds)
              : absl::Minutes(absl::GetFlag(FLAGS_session_idle_minutes)),
      .tls_cert_path = absl::GetFlag(FLAGS_tls_cert),
      .tls_key_path = absl::GetFlag(FLAGS_tls_key),
      .port_file = absl::GetFlag(FLAGS_port_file),
      .max_body_bytes = static_cast<size_t>(max_body),
      .max_import_body_bytes = static_cast<size_t>(max_import_body),
      .threads = absl::GetFlag(FLAGS_threads),
      .call_timeout = absl::GetFlag(FLAGS_call_timeout),
      .sign_in_free_failures = absl::GetFlag(FLAGS_sign_in_free_failures)};
  const absl::Status status = placement::web::RunGateway(options);
  if (!status.ok()) {
    std::fprintf(stderr, "placement-web: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
