// placement: the command-line client for people and scripts.
//
//   placement [--server=HOST:PORT] [--json] [--timeout=5s] COMMAND [ARGS]
//
// Exit codes (stable, for scripts):
//   0  success
//   1  the server answered with an error
//   2  bad usage (unknown command, bad flag)
//   3  the server could not be reached in time
//   4  the server is up but NOT_SERVING (health)

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "Server address, host:port");
ABSL_FLAG(bool, json, false, "Print JSON instead of a readable table");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(5), "Deadline for each call");

namespace {

enum ExitCode { kOk = 0, kServerError = 1, kUsage = 2, kUnreachable = 3, kNotServing = 4 };

constexpr char kUsageText[] =
    "Command-line client of the placement matching engine.\n"
    "\n"
    "Usage: placement [--server=HOST:PORT] [--json] [--timeout=5s] COMMAND\n"
    "\n"
    "Commands:\n"
    "  health    Is the server serving? Exit code 0 when it is, 4 when not.\n"
    "\n"
    "Examples:\n"
    "  placement health\n"
    "  placement --server=127.0.0.1:50051 --json health\n"
    "\n"
    "Exit codes: 0 ok, 1 server error, 2 usage, 3 unreachable, 4 not serving.";

int ReportCallError(const grpc::Status& status) {
  const bool unreachable = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                           status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
  std::fprintf(stderr, "placement: %s%s\n",
               unreachable ? absl::StrCat("cannot reach ", absl::GetFlag(FLAGS_server),
                                          ": ")
                                 .c_str()
                           : "",
               status.error_message().c_str());
  return unreachable ? kUnreachable : kServerError;
}

int Health(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(absl::GetFlag(FLAGS_timeout)));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return ReportCallError(status);
  const std::string state =
      grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status());
  if (absl::GetFlag(FLAGS_json)) {
    std::printf("{\"server\": \"%s\", \"status\": \"%s\"}\n",
                absl::GetFlag(FLAGS_server).c_str(), state.c_str());
  } else {
    const std::string server = absl::GetFlag(FLAGS_server);
    const int width = static_cast<int>(std::max<size_t>(server.size(), 6));
    std::printf("%-*s  %s\n%-*s  %s\n", width, "SERVER", "STATUS", width,
                server.c_str(), state.c_str());
  }
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? kOk
             : kNotServing;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsageText);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    std::fprintf(stderr, "%s\n", kUsageText);
    return kUsage;
  }
  const std::string command = args[1];
  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_server),
                                     grpc::InsecureChannelCredentials());
  if (command == "health") return Health(channel);
  if (command == "help") {
    std::printf("%s\n", kUsageText);
    return kOk;
  }
  std::fprintf(stderr, "placement: unknown command '%s'\n\n%s\n", command.c_str(),
               kUsageText);
  return kUsage;
}
