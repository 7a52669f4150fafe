// CLI commands on participant records (ParticipantRegistry).

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "cli/cli_support.h"
#include "cli/commands.h"

namespace placement::cli {

int ParticipantCommand(const Channel& channel, const Args& args) {
  if (args.size() < 3) {
    std::fprintf(stderr,
                 "placement: participant needs get, list, upsert or erase\n");
    return kUsage;
  }
  const std::string verb = args[2];
  auto stub = placement::v1::ParticipantRegistry::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  if (verb == "list") {
    placement::v1::ListParticipantsRequest request;
    request.mutable_page()->set_page_size(500);
    placement::v1::ListParticipantsResponse response;
    const grpc::Status status =
        stub->ListParticipants(&context, request, &response);
    if (!status.ok()) return ReportCallError(status);
    if (absl::GetFlag(FLAGS_json)) {
      PrintJson(response);
      return kOk;
    }
    std::printf("%-9s %-9s %-12s %4s %s\n", "ID", "COACH", "MUNICIPALITY",
                "STEP", "STATUS");
    for (const auto& p : response.participants()) {
      std::printf(
          "%-9s %-9s %-12s %4u %s\n", p.id().c_str(), p.coach_id().c_str(),
          p.home().municipality_code().c_str(), p.step(),
          placement::v1::ParticipantStatus_Name(p.status()).c_str() + 19);
    }
    return kOk;
  }
  if (args.size() < 4) {
    std::fprintf(stderr, "placement: participant %s needs an argument\n",
                 verb.c_str());
    return kUsage;
  }
  const std::string argument = args[3];
  if (verb == "get") {
    placement::v1::GetParticipantRequest request;
    request.set_participant_id(argument);
    placement::v1::Participant response;
    const grpc::Status status =
        stub->GetParticipant(&context, request, &response);
    if (!status.ok()) return ReportCallError(status);
    PrintJson(response);
    return kOk;
  }
  if (verb == "upsert") {
    std::string json;
    if (!ReadFile(argument, &json)) return kUsage;
    placement::v1::UpsertParticipantRequest request;
    const auto parsed = google::protobuf::util::JsonStringToMessage(
        json, request.mutable_participant());
    if (!parsed.ok()) {
      std::fprintf(stderr,
                   "placement: %s is not a participant in proto JSON: %s\n",
                   argument.c_str(), parsed.ToString().c_str());
      return kUsage;
    }
    placement::v1::Participant response;
    const grpc::Status status =
        stub->UpsertParticipant(&context, request, &response);
    if (!status.ok()) return ReportCallError(status);
    if (absl::GetFlag(FLAGS_json)) {
      PrintJson(response);
    } else {
      std::printf("saved %s\n", response.id().c_str());
    }
    return kOk;
  }
  if (verb == "erase") {
    placement::v1::EraseParticipantRequest request;
    request.set_participant_id(argument);
    placement::v1::EraseParticipantResponse response;
    const grpc::Status status =
        stub->EraseParticipant(&context, request, &response);
    if (!status.ok()) return ReportCallError(status);
    if (absl::GetFlag(FLAGS_json)) {
      PrintJson(response);
    } else {
      std::printf("erased %s (%u proposals, %u placements)\n", argument.c_str(),
                  response.proposals_removed(), response.places_released());
    }
    return kOk;
  }
  std::fprintf(stderr, "placement: unknown participant command '%s'\n",
               verb.c_str());
  return kUsage;
}

}  // namespace placement::cli
