// CLI commands on participant records (ParticipantRegistry).

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/enum_names.h"
#include "placement/v1/registry_service.grpc.pb.h"

// Defined in opening_commands.cc: the fields an update changes.
ABSL_DECLARE_FLAG(std::string, mask);

namespace placement::cli {
namespace {

void PrintParticipant(const v1::Participant& p) {
  std::vector<std::string> skills;
  for (const v1::SkillLevel& s : p.skills()) {
    skills.push_back(absl::StrCat(s.skill_code(), " (level ", s.level(), ")"));
  }
  std::vector<std::string> needs;
  for (const v1::SupportNeed& n : p.support_needs()) {
    needs.push_back(
        absl::StrCat(n.need_code(), " (", LowerName(n.strength()), ")"));
  }
  std::vector<std::string> groups;
  for (int g : p.target_groups()) {
    groups.push_back(LowerName(static_cast<v1::TargetGroup>(g)));
  }
  auto list = [](const std::vector<std::string>& items) {
    return items.empty() ? std::string("-") : absl::StrJoin(items, ", ");
  };
  auto strings = [&](const auto& items) {
    return list(std::vector<std::string>(items.begin(), items.end()));
  };
  PrintTable(
      {"id", p.id()},
      {
          {"coach", p.coach_id()},
          {"status", ShortName(p.status())},
          {"municipality", p.home().municipality_code()},
          {"travel", absl::StrCat("at most ", p.max_travel_minutes(), " min ",
                                  LowerName(p.travel_mode()))},
          {"hours", absl::StrCat(p.hours_per_week_available(), " per week")},
          {"step", p.has_step() ? absl::StrCat(p.step()) : "-"},
          {"swedish", LowerName(p.swedish_level())},
          {"birth year", absl::StrCat(p.birth_year())},
          {"skills", list(skills)},
          {"wanted", strings(p.wanted_fields())},
          {"vetoed fields", strings(p.vetoed_fields())},
          {"vetoed orgs", strings(p.vetoed_organisation_ids())},
          {"target groups", list(groups)},
          {"support needs",
           p.sensitive_fields_redacted() ? "(not shown to you)" : list(needs)},
      });
}

// A participant a write returned: JSON, or one line.
int PrintSaved(const v1::Participant& participant, absl::string_view what) {
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(participant);
  } else {
    std::printf("%s %s\n", std::string(what).c_str(), participant.id().c_str());
  }
  return kOk;
}

}  // namespace

int ParticipantCommand(const Channel& channel, const Args& args) {
  const std::string verb = args[2];
  auto stub = v1::ParticipantRegistry::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  if (verb == "list") {
    if (args.size() != 3)
      return UsageError("participant list takes no argument");
    v1::ListParticipantsRequest request;
    request.mutable_page()->set_page_size(500);
    v1::ListParticipantsResponse response;
    const grpc::Status status =
        stub->ListParticipants(&context, request, &response);
    if (!status.ok()) return ReportCallError(status);
    if (absl::GetFlag(FLAGS_json)) {
      PrintJsonLines(response.participants());
      return kOk;
    }
    std::printf("%-9s %-9s %-12s %4s %s\n", "ID", "COACH", "MUNICIPALITY",
                "STEP", "STATUS");
    for (const auto& p : response.participants()) {
      std::printf("%-9s %-9s %-12s %4u %s\n", p.id().c_str(),
                  p.coach_id().c_str(), p.home().municipality_code().c_str(),
                  p.step(), ShortName(p.status()).c_str());
    }
    if (response.participants().empty()) std::printf("(no participant)\n");
    return kOk;
  }
  if (verb == "update") {
    if (args.size() != 5) {
      return UsageError("participant update needs PARTICIPANT FILE");
    }
    const std::vector<std::string> paths =
        absl::StrSplit(absl::GetFlag(FLAGS_mask), ',', absl::SkipWhitespace());
    if (paths.empty()) {
      return UsageError(
          "participant update needs --mask=FIELD,... naming the fields to "
          "change");
    }
    v1::UpdateParticipantRequest request;
    if (!ReadJsonFile(args[4], request.mutable_participant())) return kUsage;
    request.mutable_participant()->set_id(args[3]);
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    v1::Participant response;
    const grpc::Status status =
        stub->UpdateParticipant(&context, request, &response);
    if (!status.ok()) return ReportCallError(status);
    return PrintSaved(response, "updated");
  }
  if (args.size() != 4) {
    return UsageError(
        absl::StrCat("participant ", verb,
                     verb == "upsert" ? " needs FILE" : " needs PARTICIPANT"));
  }
  const std::string argument = args[3];
  if (verb == "get") {
    v1::GetParticipantRequest request;
    request.set_participant_id(argument);
    v1::Participant response;
    const grpc::Status status =
        stub->GetParticipant(&context, request, &response);
    if (!status.ok()) return ReportCallError(status);
    if (absl::GetFlag(FLAGS_json)) {
      PrintJson(response);
    } else {
      PrintParticipant(response);
    }
    return kOk;
  }
  if (verb == "upsert") {
    v1::UpsertParticipantRequest request;
    if (!ReadJsonFile(argument, request.mutable_participant())) return kUsage;
    v1::Participant response;
    const grpc::Status status =
        stub->UpsertParticipant(&context, request, &response);
    if (!status.ok()) return ReportCallError(status);
    return PrintSaved(response, "saved");
  }
  v1::EraseParticipantRequest request;  // verb == "erase" (cli_main.cc)
  request.set_participant_id(argument);
  v1::EraseParticipantResponse response;
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

}  // namespace placement::cli
