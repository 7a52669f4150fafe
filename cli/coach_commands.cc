// CLI commands for coaches: suggestions and explanations.

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/enum_names.h"
#include "placement/v1/coach_service.grpc.pb.h"

ABSL_FLAG(int, k, 10, "How many results, 1 to 100");
ABSL_FLAG(std::string, kind, "",
          "Only openings of these kinds, comma-separated, e.g. "
          "work_training,social_enterprise");
ABSL_FLAG(int, max_travel_minutes, 0,
          "At most this one-way travel in minutes, 1 to 240; 0 = the "
          "participant's own limit");
ABSL_FLAG(bool, include_full, false,
          "Also openings without a free place, marked full");
// Defined in opening_commands.cc: only these municipalities.
ABSL_DECLARE_FLAG(std::string, municipality);

namespace placement::cli {
namespace {

// The request's filters from --kind, --municipality, --max_travel_minutes
// and --include_full; a usage error names a bad value.
absl::Status ReadFilters(v1::MatchFilters& filters) {
  absl::StatusOr<std::vector<v1::OpeningKind>> kinds =
      ParseEnumList<v1::OpeningKind>("--kind", absl::GetFlag(FLAGS_kind));
  if (!kinds.ok()) return kinds.status();
  for (v1::OpeningKind kind : *kinds) filters.add_kinds(kind);
  for (absl::string_view code : absl::StrSplit(
           absl::GetFlag(FLAGS_municipality), ',', absl::SkipWhitespace())) {
    filters.add_municipality_codes(std::string(code));
  }
  const int minutes = absl::GetFlag(FLAGS_max_travel_minutes);
  if (minutes < 0 || minutes > 240) {
    return absl::InvalidArgumentError(
        absl::StrCat("--max_travel_minutes=", minutes, ": expected 1 to 240"));
  }
  filters.set_max_travel_minutes(static_cast<uint32_t>(minutes));
  filters.set_include_full_openings(absl::GetFlag(FLAGS_include_full));
  return absl::OkStatus();
}

void PrintMatchTable(const placement::v1::Match& match) {
  std::printf("%s and %s: score %.3f, %s\n", match.participant_id().c_str(),
              match.opening_id().c_str(), match.score(),
              match.eligible() ? "eligible" : "NOT ELIGIBLE");
  std::printf("%-12s %6s %7s %13s\n", "COMPONENT", "VALUE", "WEIGHT",
              "CONTRIBUTION");
  for (const auto& c : match.components()) {
    std::printf("%-12s %6.3f %7.3f %13.3f\n", LowerName(c.component()).c_str(),
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
  if (absl::Status s = ReadFilters(*request.mutable_filters()); !s.ok()) {
    return UsageError(std::string(s.message()));
  }
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
    // With --include_full: a good opening to wait for.
    if (!match.eligible()) why.push_back("FULL, no free place now");
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
