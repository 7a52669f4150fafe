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
#include <chrono>
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "cli/cli_support.h"
#include "cli/commands.h"

namespace placement::cli {
namespace {

constexpr char kUsageText[] =
    "Command-line client of the placement matching engine.\n"
    "\n"
    "Usage: placement [--server=HOST:PORT] [--json] [--timeout=5s] "
    "[--lang=en|sv] COMMAND\n"
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
    "  opening publish FILE [--draft]  Publish an opening from a JSON file "
    "(proto JSON).\n"
    "  opening update ID FILE --mask=FIELD,...\n"
    "                                  Change the named fields of an opening.\n"
    "  opening pause|reopen ID         Stop or resume matching; reopen "
    "publishes a draft.\n"
    "  opening close ID [--reason=...] Close for good; pending proposals "
    "expire.\n"
    "  opening get ID                  One opening.\n"
    "  opening list [--status=open,...] [--municipality=CODE,...]\n"
    "                                  Openings by id, filtered.\n"
    "  candidates OPENING [--k=10]     Participants who could fit an opening "
    "(no health data).\n"
    "  gaps [MUNICIPALITY...]          Unmet support needs and fields per "
    "municipality.\n"
    "  proposals [PARTICIPANT] [--state=pending,...]\n"
    "                                  Rematch proposals for your caseload "
    "(coach).\n"
    "  accept PROPOSAL                 Accept: the participant takes the place "
    "(coach).\n"
    "  reject PROPOSAL --reason=TEXT   Reject, saying why (coach).\n"
    "  rematch start [--candidates=50] [--seed=1] [--continuity_bonus=0.05]\n"
    "                [--dry_run] [--wait]\n"
    "                                  Start the overnight rematch "
    "(operator).\n"
    "  rematch watch RUN               Follow a run's progress; exit 0 when it "
    "succeeds.\n"
    "  rematch cancel RUN              Stop a run; nothing is published.\n"
    "  rematch report RUN [--out=FILE] Counts, objective, blocking rules, "
    "fairness audit.\n"
    "  rematch proposals RUN           A run's proposals (no support-need "
    "reasons).\n"
    "\n"
    "Calls other than health need a token: --token=... or PLACEMENT_TOKEN.\n"
    "\n"
    "TLS (plain text without these flags):\n"
    "  --tls_ca=FILE                   Trust this PEM CA for the server's "
    "certificate.\n"
    "  --tls_cert=FILE --tls_key=FILE  Present this client certificate (PEM).\n"
    "  --tls_server_name=NAME          Check the server's certificate against "
    "NAME,\n"
    "                                  not the host of --server.\n"
    "\n"
    "Examples:\n"
    "  placement health\n"
    "  export PLACEMENT_TOKEN=demo-coach-haninge-0136-01\n"
    "  placement participant list\n"
    "  placement suggest P0000012 --k=5\n"
    "  placement --json explain P0000012 O000001\n"
    "  placement --lang=sv suggest P0000012          # reasons in Swedish\n"
    "  placement --server=matching.example.se:50051 --tls_ca=ca.pem health\n"
    "  PLACEMENT_TOKEN=demo-operator-token-0001 placement rematch start "
    "--wait\n"
    "  placement proposals --state=pending\n"
    "\n"
    "Exit codes: 0 ok, 1 server error, 2 usage, 3 unreachable, 4 not serving,\n"
    "5 not allowed.";

int HealthCommand(const Channel& channel) {
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
}  // namespace placement::cli

int main(int argc, char** argv) {
  using namespace placement::cli;
  absl::SetProgramUsageMessage(kUsageText);
  const Args args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    std::fprintf(stderr, "%s\n", kUsageText);
    return kUsage;
  }
  const std::string command = args[1];
  if (const std::string lang = absl::GetFlag(FLAGS_lang);
      lang != "en" && lang != "sv") {
    return UsageError("--lang=" + lang + ": expected en or sv");
  }
  const Channel channel = MakeChannel();
  if (command == "health") return HealthCommand(channel);
  if (command == "suggest") return SuggestCommand(channel, args);
  if (command == "explain") return ExplainCommand(channel, args);
  if (command == "participant") return ParticipantCommand(channel, args);
  if (command == "import") return ImportCommand(channel, args);
  if (command == "export") return ExportCommand(channel, args);
  if (command == "opening") return OpeningCommand(channel, args);
  if (command == "candidates") return CandidatesCommand(channel, args);
  if (command == "gaps") return GapsCommand(channel, args);
  if (command == "rematch") return RematchCommand(channel, args);
  if (command == "proposals") return ProposalsCommand(channel, args);
  if (command == "accept" || command == "reject") {
    return DecideCommand(channel, args);
  }
  if (command == "help") {
    std::printf("%s\n", kUsageText);
    return kOk;
  }
  std::fprintf(stderr, "placement: unknown command '%s'\n\n%s\n",
               command.c_str(), kUsageText);
  return kUsage;
}
