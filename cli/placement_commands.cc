// CLI commands for the placement's life (coaches): hold, release, holds,
// start, end, timeline; and an opening's placement counts (employer
// contact): opening counts OPENING.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/enum_names.h"
#include "google/protobuf/util/time_util.h"
#include "placement/v1/placement_service.grpc.pb.h"

ABSL_FLAG(int, days, 0,
          "Working days the hold lasts, 1 to 10; 0 = the server's default");
ABSL_FLAG(std::string, hold, "", "Start from this hold (H + 7 digits)");
ABSL_FLAG(std::string, opening, "", "Start directly in this opening");
ABSL_FLAG(std::string, start_date, "", "First day, YYYY-MM-DD (default today)");
ABSL_FLAG(std::string, end_date, "", "Last day, YYYY-MM-DD (default today)");
ABSL_FLAG(std::string, outcome, "",
          "How it ended: completed, moved_up, unsubsidised_work, "
          "subsidised_work, studies, interrupted_by_participant, "
          "interrupted_by_employer, interrupted_health, interrupted_other");
ABSL_FLAG(int, to_step, -1, "For --outcome=moved_up: the new step, 1 to 5");
ABSL_FLAG(bool, leaves_programme, false,
          "The participant leaves the programme (EXITED)");

namespace placement::cli {
namespace {

using google::protobuf::util::TimeUtil;

std::string DateText(const v1::Date& date) {
  if (date.year() == 0) return "-";
  return absl::StrFormat("%04u-%02u-%02u", date.year(), date.month(),
                         date.day());
}

std::string TimeText(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "-";
  return TimeUtil::ToString(time).substr(0, 16);
}

void PrintHold(const v1::Hold& hold) {
  std::printf("%-9s %-11s %-9s %-9s %s\n", hold.hold_id().c_str(),
              hold.participant_id().c_str(), hold.opening_id().c_str(),
              ShortName(hold.state()).c_str(),
              TimeText(hold.expires_at()).c_str());
}

void PrintPlacement(const v1::PlacementRecord& p) {
  std::printf("%s: %s at %s from %s%s%s\n", p.placement_id().c_str(),
              p.participant_id().c_str(), p.opening_id().c_str(),
              DateText(p.start_date()).c_str(),
              p.has_end_date() ? absl::StrCat(" to ", DateText(p.end_date()),
                                              ", ", LowerName(p.outcome()))
                                     .c_str()
                               : "",
              p.has_moved_to_step()
                  ? absl::StrCat(" (step ", p.moved_to_step(), ")").c_str()
                  : "");
}

}  // namespace

int HoldCommand(const Channel& channel, const Args& args) {
  if (args.size() != 4) return UsageError("hold needs PARTICIPANT OPENING");
  const int days = absl::GetFlag(FLAGS_days);
  if (days < 0 || days > 10) {
    return UsageError(absl::StrCat("--days=", days, ": expected 1 to 10"));
  }
  v1::HoldPlaceRequest request;
  request.set_participant_id(args[2]);
  request.set_opening_id(args[3]);
  request.set_working_days(static_cast<uint32_t>(days));
  auto stub = v1::PlacementService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  v1::Hold hold;
  const grpc::Status status = stub->HoldPlace(&context, request, &hold);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(hold);
  } else {
    std::printf("held %s: %s at %s until %s\n", hold.hold_id().c_str(),
                hold.participant_id().c_str(), hold.opening_id().c_str(),
                TimeText(hold.expires_at()).c_str());
  }
  return kOk;
}

int ReleaseCommand(const Channel& channel, const Args& args) {
  if (args.size() != 3) return UsageError("release needs HOLD");
  v1::ReleaseHoldRequest request;
  request.set_hold_id(args[2]);
  auto stub = v1::PlacementService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  v1::Hold hold;
  const grpc::Status status = stub->ReleaseHold(&context, request, &hold);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(hold);
  } else {
    std::printf("%s: %s\n", hold.hold_id().c_str(),
                ShortName(hold.state()).c_str());
  }
  return kOk;
}

int HoldsCommand(const Channel& channel, const Args& args) {
  if (args.size() > 3) return UsageError("holds takes at most PARTICIPANT");
  v1::ListHoldsRequest request;
  if (args.size() == 3) request.set_participant_id(args[2]);
  auto stub = v1::PlacementService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  v1::ListHoldsResponse response;
  const grpc::Status status = stub->ListHolds(&context, request, &response);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJsonLines(response.holds());
    return kOk;
  }
  std::printf("%-9s %-11s %-9s %-9s %s\n", "HOLD", "PARTICIPANT", "OPENING",
              "STATE", "EXPIRES (UTC)");
  for (const v1::Hold& hold : response.holds()) PrintHold(hold);
  if (response.holds().empty()) std::printf("(no live hold)\n");
  return kOk;
}

int StartCommand(const Channel& channel, const Args& args) {
  if (args.size() != 3) return UsageError("start needs PARTICIPANT");
  v1::StartPlacementRequest request;
  request.set_participant_id(args[2]);
  request.set_hold_id(absl::GetFlag(FLAGS_hold));
  request.set_opening_id(absl::GetFlag(FLAGS_opening));
  if (request.hold_id().empty() == request.opening_id().empty()) {
    return UsageError("start needs one of --hold=HOLD or --opening=OPENING");
  }
  if (const std::string date = absl::GetFlag(FLAGS_start_date); !date.empty()) {
    if (absl::Status s =
            ReadDay("start_date", date, *request.mutable_start_date());
        !s.ok()) {
      return UsageError(std::string(s.message()));
    }
  }
  auto stub = v1::PlacementService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  v1::StartPlacementResponse response;
  const grpc::Status status =
      stub->StartPlacement(&context, request, &response);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response.placement());
  } else {
    std::printf("started ");
    PrintPlacement(response.placement());
  }
  return kOk;
}

int EndCommand(const Channel& channel, const Args& args) {
  if (args.size() != 3) return UsageError("end needs PLACEMENT");
  v1::EndPlacementRequest request;
  request.set_placement_id(args[2]);
  const std::string outcome = absl::GetFlag(FLAGS_outcome);
  const google::protobuf::EnumValueDescriptor* value = FindEnumValue(
      *google::protobuf::GetEnumDescriptor<v1::PlacementOutcome>(), outcome);
  if (value == nullptr) {
    return UsageError(absl::StrCat(
        "end needs --outcome, one of ",
        EnumChoices(
            *google::protobuf::GetEnumDescriptor<v1::PlacementOutcome>())));
  }
  request.set_outcome(static_cast<v1::PlacementOutcome>(value->number()));
  if (const int step = absl::GetFlag(FLAGS_to_step); step >= 0) {
    request.set_to_step(static_cast<uint32_t>(step));
  }
  request.set_leaves_programme(absl::GetFlag(FLAGS_leaves_programme));
  if (const std::string date = absl::GetFlag(FLAGS_end_date); !date.empty()) {
    if (absl::Status s = ReadDay("end_date", date, *request.mutable_end_date());
        !s.ok()) {
      return UsageError(std::string(s.message()));
    }
  }
  auto stub = v1::PlacementService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  v1::PlacementRecord placement;
  const grpc::Status status = stub->EndPlacement(&context, request, &placement);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(placement);
  } else {
    std::printf("ended ");
    PrintPlacement(placement);
  }
  return kOk;
}

int TimelineCommand(const Channel& channel, const Args& args) {
  if (args.size() != 3) return UsageError("timeline needs PARTICIPANT");
  v1::GetTimelineRequest request;
  request.set_participant_id(args[2]);
  auto stub = v1::PlacementService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  v1::GetTimelineResponse response;
  const grpc::Status status = stub->GetTimeline(&context, request, &response);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJsonLines(response.events());
    return kOk;
  }
  std::printf("%-10s %-18s %-9s %-16s %s\n", "DATE", "EVENT", "OPENING", "REF",
              "DETAIL");
  for (const v1::TimelineEvent& e : response.events()) {
    std::string detail = e.note();
    if (e.kind() == v1::TIMELINE_EVENT_KIND_PLACEMENT_ENDED) {
      detail = absl::StrCat(
          LowerName(e.outcome()),
          e.has_to_step() ? absl::StrCat(" to step ", e.to_step()) : "",
          e.note().empty() ? "" : ", ", e.note());
    } else if (e.kind() == v1::TIMELINE_EVENT_KIND_STEP_CHANGED) {
      detail = absl::StrCat(e.has_from_step()
                                ? absl::StrCat("step ", e.from_step(), " -> ")
                                : "step ",
                            e.to_step(), " (", e.note(), ")");
    }
    std::printf("%-10s %-18s %-9s %-16s %s\n", DateText(e.date()).c_str(),
                LowerName(e.kind()).c_str(),
                e.opening_id().empty() ? "-" : e.opening_id().c_str(),
                e.reference().empty() ? "-" : e.reference().c_str(),
                detail.c_str());
  }
  if (response.events().empty()) std::printf("(nothing yet)\n");
  return kOk;
}

int OpeningPlacementsCommand(const Channel& channel, const Args& args) {
  if (args.size() != 4) return UsageError("opening counts needs OPENING");
  v1::GetOpeningPlacementCountsRequest request;
  request.set_opening_id(args[3]);
  auto stub = v1::PlacementService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  v1::OpeningPlacementCounts counts;
  const grpc::Status status =
      stub->GetOpeningPlacementCounts(&context, request, &counts);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(counts);
    return kOk;
  }
  std::printf("%s: %u current, %u held, %u ended\n",
              counts.opening_id().c_str(), counts.current(),
              counts.places_held(), counts.ended());
  std::printf(
      "  completed %u, moved up %u, unsubsidised work %u, "
      "subsidised work %u, studies %u, interrupted %u\n",
      counts.completed(), counts.moved_up(), counts.unsubsidised_work(),
      counts.subsidised_work(), counts.studies(), counts.interrupted());
  return kOk;
}

}  // namespace placement::cli
