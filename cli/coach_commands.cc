// CLI commands for coaches: suggestions and explanations.

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "cli/cli_support.h"
#include "cli/commands.h"

ABSL_FLAG(int, k, 10, "suggest: how many openings, 1 to 100");

namespace placement::cli {
namespace {

void PrintMatchTable(const placement::v1::Match& match) {
  static const char* const kComponents[] = {"",       "skills", "support",
                                            "travel", "step",   "preference"};
  std::printf("%s and %s: score %.3f, %s\n", match.participant_id().c_str(),
              match.opening_id().c_str(), match.score(),
              match.eligible() ? "eligible" : "NOT ELIGIBLE");
  std::printf("%-12s %6s %7s %13s\n", "COMPONENT", "VALUE", "WEIGHT",
              "CONTRIBUTION");
  for (const auto& c : match.components()) {
    std::printf("%-12s %6.3f %7.3f %13.3f\n",
                kComponents[std::clamp(static_cast<int>(c.component()), 0, 5)],
                c.value(), c.weight(), c.contribution());
  }
  std::printf("Travel: %s (%.1f km as the crow flies)\n",
              Minutes(match.travel()).c_str(), match.travel().distance_km());
  for (const auto& r : match.reasons())
    std::printf("  - %s\n", InLanguage(r.text()).c_str());
  for (const auto& e : match.exclusions())
    std::printf("  x %s\n", InLanguage(e.text()).c_str());
}

}  // namespace

int SuggestCommand(const Channel& channel, const Args& args) {
  if (args.size() != 3) return UsageError("suggest needs PARTICIPANT");
  const std::string participant = args[2];
  auto stub = placement::v1::CoachService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  placement::v1::SuggestOpeningsRequest request;
  request.set_participant_id(participant);
  request.set_k(static_cast<uint32_t>(std::max(0, absl::GetFlag(FLAGS_k))));
  request.set_language(RequestLanguage());
  placement::v1::SuggestOpeningsResponse response;
  const grpc::Status status =
      stub->SuggestOpenings(&context, request, &response);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return kOk;
  }
  std::printf("%-4s %-9s %6s  %-28s %s\n", "RANK", "OPENING", "SCORE", "TRAVEL",
              "WHY");
  int rank = 0;
  for (const auto& match : response.suggestions()) {
    std::vector<std::string> why;
    for (const auto& reason : match.reasons()) {
      if (reason.effect() == placement::v1::REASON_EFFECT_POSITIVE)
        why.push_back(InLanguage(reason.text()));
    }
    std::printf("%-4d %-9s %6.3f  %-28s %s\n", ++rank,
                match.opening_id().c_str(), match.score(),
                Minutes(match.travel()).c_str(),
                absl::StrJoin(why, "; ").c_str());
  }
  if (rank == 0) std::printf("(no eligible opening)\n");
  std::printf("%u of %u openings eligible; profile %s, snapshot %llu\n",
              response.openings_eligible(), response.openings_considered(),
              response.profile_name().c_str(),
              static_cast<unsigned long long>(response.snapshot_version()));
  return kOk;
}

int ExplainCommand(const Channel& channel, const Args& args) {
  if (args.size() != 4) return UsageError("explain needs PARTICIPANT OPENING");
  const std::string participant = args[2];
  const std::string opening = args[3];
  auto stub = placement::v1::CoachService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  placement::v1::ExplainMatchRequest request;
  request.set_participant_id(participant);
  request.set_opening_id(opening);
  request.set_language(RequestLanguage());
  placement::v1::Match response;
  const grpc::Status status = stub->ExplainMatch(&context, request, &response);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
  } else {
    PrintMatchTable(response);
  }
  return kOk;
}

}  // namespace placement::cli
