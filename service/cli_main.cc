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
//   5  the caller is not allowed (UNAUTHENTICATED, PERMISSION_DENIED)

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "placement/v1/admin_service.grpc.pb.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "placement/v1/registry_service.grpc.pb.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "Server address, host:port");
ABSL_FLAG(bool, json, false, "Print JSON instead of a readable table");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(5), "Deadline for each call");
ABSL_FLAG(std::string, token, "",
          "Bearer token (default: the PLACEMENT_TOKEN environment variable)");
ABSL_FLAG(int, k, 10, "suggest: how many openings, 1 to 100");
ABSL_FLAG(bool, dry_run, false,
          "import: validate and count, but store nothing");

namespace {

enum ExitCode {
  kOk = 0,
  kServerError = 1,
  kUsage = 2,
  kUnreachable = 3,
  kNotServing = 4,
  kDenied = 5
};

constexpr char kUsageText[] =
    "Command-line client of the placement matching engine.\n"
    "\n"
    "Usage: placement [--server=HOST:PORT] [--json] [--timeout=5s] COMMAND\n"
    "\n"
    "Commands:\n"
    "  health                          Is the server serving? Exit 0 when it "
    "is, 4 when not.\n"
    "  suggest PARTICIPANT [--k=10]    Best next openings for a participant, "
    "with reasons.\n"
    "  explain PARTICIPANT OPENING     Every component, weight and reason of "
    "one pair.\n"
    "  participant get ID              One participant of your caseload.\n"
    "  participant list                Your caseload (coaches) or everyone "
    "(admins).\n"
    "  participant upsert FILE         Create or update from a JSON file "
    "(proto JSON).\n"
    "  participant erase ID            Erase everything about a participant "
    "(admin).\n"
    "  import participants|openings FILE [--dry_run]\n"
    "                                  Upsert rows of a CSV file; bad rows are "
    "listed (admin).\n"
    "  export participants|openings    Write every record as CSV to stdout "
    "(admin).\n"
    "\n"
    "Calls other than health need a token: --token=... or PLACEMENT_TOKEN.\n"
    "\n"
    "Examples:\n"
    "  placement health\n"
    "  export PLACEMENT_TOKEN=demo-coach-haninge-0136-01\n"
    "  placement participant list\n"
    "  placement suggest P0000012 --k=5\n"
    "  placement --json explain P0000012 O000001\n"
    "\n"
    "Exit codes: 0 ok, 1 server error, 2 usage, 3 unreachable, 4 not serving,\n"
    "5 not allowed.";

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

std::string Token() {
  std::string token = absl::GetFlag(FLAGS_token);
  if (token.empty()) {
    if (const char* from_env = std::getenv("PLACEMENT_TOKEN")) token = from_env;
  }
  return token;
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

std::string Minutes(const placement::v1::TravelEstimate& travel) {
  static const char* const kModes[] = {"", "on foot", "by bike",
                                       "by public transport", "by car"};
  const int mode = std::clamp(static_cast<int>(travel.mode()), 0, 4);
  return absl::StrFormat("%.0f min %s", travel.minutes(), kModes[mode]);
}

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
    std::printf("  - %s\n", r.text().en().c_str());
  for (const auto& e : match.exclusions())
    std::printf("  x %s\n", e.text().en().c_str());
}

int Suggest(const std::shared_ptr<grpc::Channel>& channel,
            const std::string& participant) {
  auto stub = placement::v1::CoachService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  placement::v1::SuggestOpeningsRequest request;
  request.set_participant_id(participant);
  request.set_k(static_cast<uint32_t>(std::max(0, absl::GetFlag(FLAGS_k))));
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
        why.push_back(reason.text().en());
    }
    std::printf("%-4d %-9s %6.3f  %-28s %s\n", ++rank,
                match.opening_id().c_str(), match.score(),
                Minutes(match.travel()).c_str(),
                absl::StrJoin(why, "; ").c_str());
  }
  if (rank == 0) std::printf("(no eligible opening)\n");
  return kOk;
}

int Explain(const std::shared_ptr<grpc::Channel>& channel,
            const std::string& participant, const std::string& opening) {
  auto stub = placement::v1::CoachService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  placement::v1::ExplainMatchRequest request;
  request.set_participant_id(participant);
  request.set_opening_id(opening);
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

int ParticipantCommand(const std::shared_ptr<grpc::Channel>& channel,
                       const std::vector<char*>& args) {
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
    std::ifstream file(argument);
    if (!file.is_open()) {
      std::fprintf(stderr, "placement: cannot read %s\n", argument.c_str());
      return kUsage;
    }
    const std::string json((std::istreambuf_iterator<char>(file)), {});
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

bool ParseKind(const std::string& word, placement::v1::DataKind* kind) {
  if (word == "participants") {
    *kind = placement::v1::DATA_KIND_PARTICIPANTS;
  } else if (word == "openings") {
    *kind = placement::v1::DATA_KIND_OPENINGS;
  } else {
    std::fprintf(stderr, "placement: '%s' is not participants or openings\n",
                 word.c_str());
    return false;
  }
  return true;
}

int Import(const std::shared_ptr<grpc::Channel>& channel,
           const std::string& what, const std::string& path) {
  placement::v1::ImportRequest request;
  placement::v1::DataKind kind;
  if (!ParseKind(what, &kind)) return kUsage;
  request.set_kind(kind);
  std::ifstream file(path, std::ios::binary);
  if (!file.is_open()) {
    std::fprintf(stderr, "placement: cannot read %s\n", path.c_str());
    return kUsage;
  }
  request.set_content(std::string((std::istreambuf_iterator<char>(file)), {}));
  request.set_file_name(path);
  request.set_dry_run(absl::GetFlag(FLAGS_dry_run));
  auto stub = placement::v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  placement::v1::ImportReport report;
  const grpc::Status status = stub->ImportData(&context, request, &report);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(report);
  } else {
    std::printf("%s%u rows read: %u inserted, %u updated, %u rejected\n",
                report.dry_run() ? "(dry run) " : "", report.rows_read(),
                report.rows_inserted(), report.rows_updated(),
                report.rows_rejected());
    for (const auto& e : report.errors()) {
      std::printf("  %s:%u: field '%s', value '%s': %s\n", e.file().c_str(),
                  e.line(), e.field().c_str(), e.value().c_str(),
                  e.reason().c_str());
    }
  }
  return report.rows_rejected() == 0 ? kOk : kServerError;
}

int Export(const std::shared_ptr<grpc::Channel>& channel,
           const std::string& what) {
  placement::v1::ExportRequest request;
  placement::v1::DataKind kind;
  if (!ParseKind(what, &kind)) return kUsage;
  request.set_kind(kind);
  auto stub = placement::v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  std::unique_ptr<grpc::ClientReader<placement::v1::ExportChunk>> reader =
      stub->ExportData(&context, request);
  placement::v1::ExportChunk chunk;
  while (reader->Read(&chunk)) {
    std::fwrite(chunk.content().data(), 1, chunk.content().size(), stdout);
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return ReportCallError(status);
  return kOk;
}

int Health(const std::shared_ptr<grpc::Channel>& channel) {
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
  if (command == "suggest" && args.size() == 3)
    return Suggest(channel, args[2]);
  if (command == "explain" && args.size() == 4)
    return Explain(channel, args[2], args[3]);
  if (command == "participant") return ParticipantCommand(channel, args);
  if (command == "import" && args.size() == 4)
    return Import(channel, args[2], args[3]);
  if (command == "export" && args.size() == 3) return Export(channel, args[2]);
  if (command == "help") {
    std::printf("%s\n", kUsageText);
    return kOk;
  }
  std::fprintf(stderr, "placement: unknown command '%s'\n\n%s\n",
               command.c_str(), kUsageText);
  return kUsage;
}
