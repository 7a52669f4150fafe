// `placement health`: the standard gRPC health check; needs no token.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace placement::cli {

int HealthCommand(const Channel& channel, const Args& args) {
  if (args.size() != 2) return UsageError("health takes no argument");
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(
      std::chrono::system_clock::now() +
      absl::ToChronoMilliseconds(absl::GetFlag(FLAGS_timeout)));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return ReportCallError(status);
  const std::string state =
      grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
          response.status());
  const std::string server = absl::GetFlag(FLAGS_server);
  if (absl::GetFlag(FLAGS_json)) {
    std::printf("{\"server\":\"%s\",\"status\":\"%s\"}\n", server.c_str(),
                state.c_str());
  } else {
    const int width = static_cast<int>(std::max<size_t>(server.size(), 6));
    std::printf("%-*s  %s\n%-*s  %s\n", width, "SERVER", "STATUS", width,
                server.c_str(), state.c_str());
  }
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? kOk
             : kNotServing;
}

}  // namespace placement::cli
