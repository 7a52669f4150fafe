// CLI commands for employer-contact staff (EmployerService): openings through
// their life cycle, candidates for an opening, and supply gaps.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/enum_names.h"
#include "placement/v1/employer_service.grpc.pb.h"

ABSL_FLAG(bool, draft, false,
          "Create the opening as DRAFT (not matched until reopened)");
ABSL_FLAG(std::string, mask, "",
          "The fields to change, comma-separated field paths, e.g. "
          "capacity,supports_offered");
ABSL_FLAG(std::string, reason, "", "Why, up to 500 characters");
ABSL_FLAG(std::string, status, "",
          "Only these statuses, comma-separated, e.g. open,paused");
ABSL_FLAG(std::string, municipality, "",
          "Only these municipalities, comma-separated 4-digit codes");
// Defined in coach_commands.cc: how many results.
ABSL_DECLARE_FLAG(int, k);

namespace placement::cli {
namespace {

std::string StatusName(v1::OpeningStatus status) { return ShortName(status); }

std::string KindName(v1::OpeningKind kind) { return LowerName(kind); }

std::string FormatDate(const v1::Date& date) {
  if (date.year() == 0) return "-";
  return absl::StrFormat("%04u-%02u-%02u", date.year(), date.month(),
                         date.day());
}

std::vector<std::string> CommaList(const std::string& text) {
  return absl::StrSplit(text, ',', absl::SkipWhitespace());
}

void PrintOpening(const v1::Opening& o) {
  std::printf("%-14s %s\n", "id", o.id().c_str());
  std::printf("%-14s %s\n", "status", StatusName(o.status()).c_str());
  std::printf("%-14s %s\n", "kind", KindName(o.kind()).c_str());
  std::printf("%-14s %s\n", "title", o.title().c_str());
  std::printf("%-14s %s (%s)\n", "organisation", o.organisation_name().c_str(),
              o.organisation_id().c_str());
  std::printf("%-14s %s (%.4f, %.4f)\n", "municipality",
              o.location().municipality_code().c_str(),
              o.location().point().latitude(),
              o.location().point().longitude());
  std::printf("%-14s %s\n", "field", o.occupation_field().c_str());
  std::printf("%-14s %u of %u taken\n", "places", o.places_taken(),
              o.capacity());
  std::printf("%-14s %g to %g per week\n", "hours", o.min_hours_per_week(),
              o.max_hours_per_week());
  std::printf("%-14s %u\n", "step", o.step());
  std::printf("%-14s %s to %s\n", "dates", FormatDate(o.start_date()).c_str(),
              o.has_end_date() ? FormatDate(o.end_date()).c_str() : "(open)");
  std::printf("%-14s %s\n", "supports",
              absl::StrJoin(o.supports_offered(), ", ").c_str());
  std::printf("%-14s %s\n", "essential",
              absl::StrJoin(o.essential_skills(), ", ").c_str());
  std::printf("%-14s %s\n", "optional",
              absl::StrJoin(o.optional_skills(), ", ").c_str());
}

// Prints the opening a write returned: JSON, or one line.
int PrintWritten(const v1::Opening& opening, absl::string_view what) {
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(opening);
  } else {
    std::printf("%s %s: %s, %u of %u places taken\n", std::string(what).c_str(),
                opening.id().c_str(), StatusName(opening.status()).c_str(),
                opening.places_taken(), opening.capacity());
  }
  return kOk;
}

int ListOpenings(v1::EmployerService::Stub& stub) {
  v1::ListOpeningsRequest request;
  absl::StatusOr<std::vector<v1::OpeningStatus>> statuses =
      ParseEnumList<v1::OpeningStatus>("--status", absl::GetFlag(FLAGS_status));
  if (!statuses.ok())
    return UsageError(std::string(statuses.status().message()));
  for (v1::OpeningStatus status : *statuses) request.add_statuses(status);
  for (const std::string& code : CommaList(absl::GetFlag(FLAGS_municipality))) {
    request.add_municipality_codes(code);
  }
  // Every page, so the table and the JSON hold the whole list.
  v1::ListOpeningsResponse all;
  request.mutable_page()->set_page_size(500);
  do {
    grpc::ClientContext context;
    Prepare(context);
    v1::ListOpeningsResponse page;
    const grpc::Status status = stub.ListOpenings(&context, request, &page);
    if (!status.ok()) return ReportCallError(status);
    all.mutable_openings()->MergeFrom(page.openings());
    request.mutable_page()->set_page_token(page.next_page_token());
  } while (!request.page().page_token().empty());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJsonLines(all.openings());
    return kOk;
  }
  std::printf("%-9s %-7s %-22s %-5s %6s %4s  %s\n", "ID", "STATUS", "KIND",
              "MUNI", "PLACES", "STEP", "TITLE");
  for (const v1::Opening& o : all.openings()) {
    std::printf("%-9s %-7s %-22s %-5s %6s %4u  %s\n", o.id().c_str(),
                StatusName(o.status()).c_str(), KindName(o.kind()).c_str(),
                o.location().municipality_code().c_str(),
                absl::StrCat(o.places_taken(), "/", o.capacity()).c_str(),
                o.step(), o.title().c_str());
  }
  if (all.openings().empty()) std::printf("(no opening)\n");
  return kOk;
}

}  // namespace

int OpeningCommand(const Channel& channel, const Args& args) {
  if (args.size() < 3) {
    return UsageError(
        "opening needs publish, update, pause, reopen, close, get or list");
  }
  const std::string verb = args[2];
  auto stub = v1::EmployerService::NewStub(channel);
  if (verb == "list") {
    if (args.size() != 3) return UsageError("opening list takes no argument");
    return ListOpenings(*stub);
  }
  grpc::ClientContext context;
  Prepare(context);
  v1::Opening response;
  if (verb == "publish") {
    if (args.size() != 4) return UsageError("opening publish needs FILE");
    v1::PublishOpeningRequest request;
    if (!ReadJsonFile(args[3], request.mutable_opening())) return kUsage;
    request.set_as_draft(absl::GetFlag(FLAGS_draft));
    const grpc::Status status =
        stub->PublishOpening(&context, request, &response);
    if (!status.ok()) return ReportCallError(status);
    return PrintWritten(response, "published");
  }
  if (verb == "update") {
    if (args.size() != 5) return UsageError("opening update needs ID FILE");
    const std::vector<std::string> paths = CommaList(absl::GetFlag(FLAGS_mask));
    if (paths.empty()) {
      return UsageError(
          "opening update needs --mask=FIELD,... naming the fields to change");
    }
    v1::UpdateOpeningRequest request;
    if (!ReadJsonFile(args[4], request.mutable_opening())) return kUsage;
    request.mutable_opening()->set_id(args[3]);
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    const grpc::Status status =
        stub->UpdateOpening(&context, request, &response);
    if (!status.ok()) return ReportCallError(status);
    return PrintWritten(response, "updated");
  }
  if (args.size() != 4) {
    return UsageError(absl::StrCat("opening ", verb, " needs ID"));
  }
  const std::string id = args[3];
  grpc::Status status;
  if (verb == "pause") {
    v1::PauseOpeningRequest request;
    request.set_opening_id(id);
    status = stub->PauseOpening(&context, request, &response);
  } else if (verb == "reopen") {
    v1::ReopenOpeningRequest request;
    request.set_opening_id(id);
    status = stub->ReopenOpening(&context, request, &response);
  } else if (verb == "close") {
    v1::CloseOpeningRequest request;
    request.set_opening_id(id);
    request.set_reason(absl::GetFlag(FLAGS_reason));
    status = stub->CloseOpening(&context, request, &response);
  } else if (verb == "get") {
    v1::GetOpeningRequest request;
    request.set_opening_id(id);
    status = stub->GetOpening(&context, request, &response);
    if (!status.ok()) return ReportCallError(status);
    if (absl::GetFlag(FLAGS_json)) {
      PrintJson(response);
    } else {
      PrintOpening(response);
    }
    return kOk;
  } else {
    return UsageError(absl::StrCat("unknown opening command '", verb, "'"));
  }
  if (!status.ok()) return ReportCallError(status);
  return PrintWritten(response, verb == "pause"    ? "paused"
                                : verb == "reopen" ? "reopened"
                                                   : "closed");
}

int CandidatesCommand(const Channel& channel, const Args& args) {
  if (args.size() != 3) return UsageError("candidates needs OPENING");
  auto stub = v1::EmployerService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  v1::SuggestCandidatesRequest request;
  request.set_opening_id(args[2]);
  request.set_k(static_cast<uint32_t>(std::max(0, absl::GetFlag(FLAGS_k))));
  request.set_language(RequestLanguage());
  v1::SuggestCandidatesResponse response;
  const grpc::Status status =
      stub->SuggestCandidates(&context, request, &response);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return kOk;
  }
  std::printf("%-4s %-11s %-9s %6s  %-28s %s\n", "RANK", "PARTICIPANT", "COACH",
              "SCORE", "TRAVEL", "WHY");
  int rank = 0;
  for (const v1::Candidate& candidate : response.candidates()) {
    // What speaks for the candidate; else the most influential reason.
    std::vector<std::string> why;
    for (const v1::Reason& reason : candidate.reasons()) {
      if (reason.effect() == v1::REASON_EFFECT_POSITIVE) {
        why.push_back(InLanguage(reason.text()));
      }
    }
    if (why.empty() && !candidate.reasons().empty()) {
      why.push_back(InLanguage(candidate.reasons(0).text()));
    }
    std::printf("%-4d %-11s %-9s %6.3f  %-28s %s\n", ++rank,
                candidate.participant_id().c_str(),
                candidate.coach_id().c_str(), candidate.score(),
                Minutes(candidate.travel()).c_str(),
                absl::StrJoin(why, "; ").c_str());
  }
  if (rank == 0) std::printf("(no eligible participant)\n");
  return kOk;
}

int GapsCommand(const Channel& channel, const Args& args) {
  auto stub = v1::EmployerService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  v1::GetSupplyGapsRequest request;
  for (size_t i = 2; i < args.size(); ++i) {
    request.add_municipality_codes(args[i]);
  }
  v1::GetSupplyGapsResponse response;
  const grpc::Status status = stub->GetSupplyGaps(&context, request, &response);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return kOk;
  }
  const std::string withheld =
      absl::StrCat("<", response.suppression_threshold());
  auto count = [&](uint32_t participants, bool suppressed) {
    return suppressed ? withheld : absl::StrCat(participants);
  };
  std::printf("%-5s %5s  %-7s %-30s %s\n", "MUNI", "FREE", "GAP", "CODE",
              "PARTICIPANTS");
  for (const v1::MunicipalitySupplyGaps& m : response.municipalities()) {
    // The municipality and its free places head its first row only.
    std::string code = m.municipality_code();
    std::string free = absl::StrCat(m.free_places());
    auto row = [&](const char* gap, const std::string& what,
                   const std::string& participants) {
      std::printf("%-5s %5s  %-7s %-30s %s\n", code.c_str(), free.c_str(), gap,
                  what.c_str(), participants.c_str());
      code.clear();
      free.clear();
    };
    // Need counts reach coaches, operators and admins only.
    for (const v1::NeedGap& gap : m.need_gaps()) {
      row("need", gap.need_code(), count(gap.participants(), gap.suppressed()));
    }
    for (const v1::SupportGap& gap : m.support_gaps()) {
      row("support", gap.support_code(),
          count(gap.participants(), gap.suppressed()));
    }
    for (const v1::FieldGap& gap : m.field_gaps()) {
      row("field", gap.occupation_field(),
          count(gap.participants(), gap.suppressed()));
    }
    if (!code.empty()) row("-", "(no gap)", "");
  }
  std::printf("Counts from 1 to %u are withheld (%s).\n",
              response.suppression_threshold() - 1, withheld.c_str());
  return kOk;
}

}  // namespace placement::cli
