#include "service/cli/cli_support.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "Server address, host:port");
ABSL_FLAG(bool, json, false, "Print JSON instead of a readable table");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(5), "Deadline for each call");
ABSL_FLAG(std::string, token, "",
          "Bearer token (default: the PLACEMENT_TOKEN environment variable)");

namespace placement::cli {
namespace {

std::string Token() {
  std::string token = absl::GetFlag(FLAGS_token);
  if (token.empty()) {
    if (const char* from_env = std::getenv("PLACEMENT_TOKEN")) token = from_env;
  }
  return token;
}

}  // namespace

std::shared_ptr<grpc::Channel> MakeChannel() {
  return grpc::CreateChannel(absl::GetFlag(FLAGS_server),
                             grpc::InsecureChannelCredentials());
}

int ReportCallError(const grpc::Status& status) {
  const bool unreachable =
      status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
  std::fprintf(stderr, "placement: %s%s\n",
               unreachable ? absl::StrCat("cannot reach ",
                                          absl::GetFlag(FLAGS_server), ": ")
                                 .c_str()
                           : "",
               status.error_message().c_str());
  if (unreachable) return kUnreachable;
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
      status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
    return kDenied;
  }
  return kServerError;
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "placement: %s\n", message.c_str());
  return kUsage;
}

void Prepare(grpc::ClientContext& context) {
  context.set_deadline(
      std::chrono::system_clock::now() +
      absl::ToChronoMilliseconds(absl::GetFlag(FLAGS_timeout)));
  const std::string token = Token();
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
}

void PrintJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::printf("%s", json.c_str());
}

std::string Minutes(const v1::TravelEstimate& travel) {
  static const char* const kModes[] = {"", "on foot", "by bike",
                                       "by public transport", "by car"};
  const int mode = std::clamp(static_cast<int>(travel.mode()), 0, 4);
  return absl::StrFormat("%.0f min %s", travel.minutes(), kModes[mode]);
}

bool ReadFile(const std::string& path, std::string* content) {
  std::ifstream file(path, std::ios::binary);
  if (!file.is_open()) {
    std::fprintf(stderr, "placement: cannot read %s\n", path.c_str());
    return false;
  }
  content->assign(std::istreambuf_iterator<char>(file), {});
  return true;
}

std::string ShortEnumName(const std::string& full_name,
                          const std::string& prefix) {
  return absl::StartsWith(full_name, prefix) ? full_name.substr(prefix.size())
                                             : full_name;
}

}  // namespace placement::cli
