// CLI commands for the overnight rematch: operators start, watch, cancel
// and read runs; coaches list and decide proposals.

#include <algorithm>
#include <cstdio>
#include <fstream>
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
#include "google/protobuf/util/json_util.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "placement/v1/rematch_service.grpc.pb.h"

ABSL_DECLARE_FLAG(bool, dry_run);
ABSL_DECLARE_FLAG(std::string, reason);  // opening_commands.cc
ABSL_FLAG(int, candidates, 50,
          "Candidate openings per participant (K), 1 to 500");
ABSL_FLAG(uint64_t, seed, 1, "Tie-breaking seed");
ABSL_FLAG(double, continuity_bonus, 0.05,
          "Bonus of a still-pending pair, 0 to 1");
ABSL_FLAG(bool, wait, false, "Follow the run's progress until it ends");
ABSL_FLAG(std::string, out, "", "Also write the report as JSON to this file");
ABSL_FLAG(std::string, state, "",
          "Only these states, comma-separated, e.g. pending,accepted");

namespace placement::cli {
namespace {

std::string RunStateName(v1::RunState state) { return ShortName(state); }

std::string PhaseName(v1::RunPhase phase) { return ShortName(phase); }

double Seconds(const google::protobuf::Duration& duration) {
  return static_cast<double>(duration.seconds()) + duration.nanos() * 1e-9;
}

void PrintRun(const v1::Run& run) {
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(run);
    return;
  }
  std::printf("run %s: %s (K %u, seed %llu, bonus %.3f%s), by %s\n",
              run.run_id().c_str(), RunStateName(run.state()).c_str(),
              run.parameters().candidates_per_participant(),
              static_cast<unsigned long long>(run.parameters().seed()),
              run.parameters().continuity_bonus(),
              run.parameters().dry_run() ? ", dry run" : "",
              run.requested_by().c_str());
  if (!run.error_message().empty()) {
    std::printf("error: %s\n", run.error_message().c_str());
  }
}

// Follows a run to its end; the exit code says whether it SUCCEEDED.
int Watch(const Channel& channel, const std::string& run_id) {
  auto stub = v1::RematchService::NewStub(channel);
  grpc::ClientContext context;  // no deadline: a run may take minutes
  Prepare(context);
  context.set_deadline(std::chrono::system_clock::time_point::max());
  v1::WatchRunRequest request;
  request.set_run_id(run_id);
  auto reader = stub->WatchRun(&context, request);
  v1::RunProgress progress;
  v1::RunState last = v1::RUN_STATE_UNSPECIFIED;
  while (reader->Read(&progress)) {
    last = progress.state();
    if (absl::GetFlag(FLAGS_json)) {
      PrintJson(progress);
    } else {
      std::printf("%-10s %-11s %5.1f%%  %6.1f s\n",
                  RunStateName(progress.state()).c_str(),
                  PhaseName(progress.phase()).c_str(), progress.percent(),
                  Seconds(progress.elapsed()));
    }
    std::fflush(stdout);
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return ReportCallError(status);
  return last == v1::RUN_STATE_SUCCEEDED ? kOk : kServerError;
}

void PrintReport(const v1::RunReport& report) {
  std::printf("Run %s%s\n", report.run_id().c_str(),
              report.dry_run() ? " (dry run: nothing published)" : "");
  std::printf("  participants considered %u, proposed %u, unmatched %u\n",
              report.participants_considered(), report.participants_proposed(),
              report.participants_unmatched());
  std::string listed;
  const auto& ids = report.openings_without_candidates_ids();
  for (int i = 0; i < ids.size() && i < 10; ++i) {
    absl::StrAppend(&listed, i == 0 ? " (" : ", ", ids[i]);
  }
  if (!listed.empty())
    absl::StrAppend(&listed, ids.size() > 10 ? ", ...)" : ")");
  std::printf("  openings with free places %u, without any candidate %u%s\n",
              report.openings_considered(),
              report.openings_without_candidates(), listed.c_str());
  std::printf("  objective %lld (scale %lld), continued %u, withdrawn %u\n",
              static_cast<long long>(report.objective()),
              static_cast<long long>(report.objective_scale()),
              report.proposals_continued(), report.proposals_withdrawn());
  if (report.unmatched_reasons_size() > 0) {
    std::printf("Unmatched, by the rule that blocked them most:\n");
    for (const v1::UnmatchedReason& reason : report.unmatched_reasons()) {
      std::printf("  %-28s %u\n", ShortName(reason.rule()).c_str(),
                  reason.count());
    }
  }
  std::printf("Timings:");
  for (const v1::PhaseTiming& timing : report.phase_timings()) {
    std::printf(" %s %.2f s", PhaseName(timing.phase()).c_str(),
                Seconds(timing.duration()));
  }
  std::printf(
      "\nFairness audit (four-fifths rule; groups under %u withheld):\n",
      report.fairness_audit().min_group_size());
  std::printf("  %-13s %-16s %6s %6s %6s %6s %6s\n", "DIMENSION", "GROUP",
              "PEOPLE", "PROP", "RATE", "SCORE", "RATIO");
  for (const v1::GroupOutcome& g : report.fairness_audit().groups()) {
    if (g.suppressed()) {
      std::printf("  %-13s %-16s %6s\n", g.dimension().c_str(),
                  g.group().c_str(), "<5");
      continue;
    }
    std::printf("  %-13s %-16s %6u %6u %6.3f %6.3f %6.3f%s\n",
                g.dimension().c_str(), g.group().c_str(), g.participants(),
                g.proposed(), g.proposal_rate(), g.mean_score(),
                g.ratio_to_best(), g.below_four_fifths() ? "  BELOW 0.8" : "");
  }
}

void PrintProposals(
    const google::protobuf::RepeatedPtrField<v1::Proposal>& ps) {
  std::printf("%-16s %-11s %-8s %6s %-9s %s\n", "PROPOSAL", "PARTICIPANT",
              "OPENING", "SCORE", "STATE", "NOTE");
  for (const v1::Proposal& p : ps) {
    std::string note = p.continued_from_previous_run() ? "continued" : "";
    if (!p.rejection_reason().empty()) note = p.rejection_reason();
    std::printf("%-16s %-11s %-8s %6.3f %-9s %s\n", p.proposal_id().c_str(),
                p.participant_id().c_str(), p.opening_id().c_str(),
                p.match().score(), ShortName(p.state()).c_str(), note.c_str());
  }
  if (ps.empty()) std::printf("(no proposals)\n");
}

}  // namespace

int RematchCommand(const Channel& channel, const Args& args) {
  if (args.size() < 3) {
    return UsageError(
        "rematch needs start, list, watch RUN, cancel RUN, report RUN or "
        "proposals RUN");
  }
  const std::string verb = args[2];
  auto stub = v1::RematchService::NewStub(channel);
  if (verb == "start") {
    if (args.size() != 3) return UsageError("rematch start takes no argument");
    v1::StartRunRequest request;
    const int k = absl::GetFlag(FLAGS_candidates);
    if (k < 1)
      return UsageError(absl::StrCat("--candidates=", k, " is below 1"));
    request.set_candidates_per_participant(static_cast<uint32_t>(k));
    request.set_seed(absl::GetFlag(FLAGS_seed));
    request.set_continuity_bonus(absl::GetFlag(FLAGS_continuity_bonus));
    request.set_dry_run(absl::GetFlag(FLAGS_dry_run));
    grpc::ClientContext context;
    Prepare(context);
    v1::Run run;
    const grpc::Status status = stub->StartRun(&context, request, &run);
    if (!status.ok()) return ReportCallError(status);
    PrintRun(run);
    if (!absl::GetFlag(FLAGS_wait)) return kOk;
    return Watch(channel, run.run_id());
  }
  if (verb == "list") {
    if (args.size() != 3) return UsageError("rematch list takes no argument");
    v1::ListRunsRequest request;
    request.mutable_page()->set_page_size(100);
    v1::ListRunsResponse response;
    grpc::ClientContext context;
    Prepare(context);
    const grpc::Status status = stub->ListRuns(&context, request, &response);
    if (!status.ok()) return ReportCallError(status);
    if (absl::GetFlag(FLAGS_json)) {
      PrintJsonLines(response.runs());
      return kOk;
    }
    for (const v1::Run& run : response.runs()) PrintRun(run);
    if (response.runs().empty()) std::printf("(no runs yet)\n");
    if (!response.next_page_token().empty()) {
      std::printf("(newest 100 shown)\n");
    }
    return kOk;
  }
  if (args.size() != 4) {
    return UsageError(absl::StrCat("rematch ", verb, " needs a RUN id"));
  }
  const std::string run_id = args[3];
  if (verb == "watch") return Watch(channel, run_id);
  grpc::ClientContext context;
  Prepare(context);
  if (verb == "cancel") {
    v1::CancelRunRequest request;
    request.set_run_id(run_id);
    v1::Run run;
    const grpc::Status status = stub->CancelRun(&context, request, &run);
    if (!status.ok()) return ReportCallError(status);
    PrintRun(run);
    return kOk;
  }
  if (verb == "report") {
    v1::GetRunReportRequest request;
    request.set_run_id(run_id);
    v1::RunReport report;
    const grpc::Status status = stub->GetRunReport(&context, request, &report);
    if (!status.ok()) return ReportCallError(status);
    const std::string out = absl::GetFlag(FLAGS_out);
    if (!out.empty()) {
      std::string json;
      google::protobuf::util::JsonPrintOptions options;
      options.add_whitespace = true;
      options.preserve_proto_field_names = true;
      (void)google::protobuf::util::MessageToJsonString(report, &json, options);
      std::ofstream file(out, std::ios::trunc);
      file << json;
      if (!file.good()) {
        std::fprintf(stderr, "placement: cannot write %s\n", out.c_str());
        return kUsage;
      }
    }
    if (absl::GetFlag(FLAGS_json)) {
      PrintJson(report);
    } else {
      PrintReport(report);
    }
    return kOk;
  }
  if (verb == "proposals") {
    v1::ListRunProposalsRequest request;
    request.set_run_id(run_id);
    request.mutable_page()->set_page_size(500);
    v1::ListRunProposalsResponse response;
    const grpc::Status status =
        stub->ListRunProposals(&context, request, &response);
    if (!status.ok()) return ReportCallError(status);
    if (absl::GetFlag(FLAGS_json)) {
      PrintJsonLines(response.proposals());
    } else {
      PrintProposals(response.proposals());
      if (!response.next_page_token().empty()) {
        std::printf("(first 500 shown; use --json and the API for all)\n");
      }
    }
    return kOk;
  }
  return UsageError(absl::StrCat("unknown rematch command '", verb, "'"));
}

int ProposalsCommand(const Channel& channel, const Args& args) {
  if (args.size() > 3) return UsageError("proposals takes at most PARTICIPANT");
  v1::ListProposalsRequest request;
  if (args.size() == 3) request.set_participant_id(args[2]);
  absl::StatusOr<std::vector<v1::ProposalState>> states =
      ParseEnumList<v1::ProposalState>("--state", absl::GetFlag(FLAGS_state));
  if (!states.ok()) return UsageError(std::string(states.status().message()));
  for (v1::ProposalState state : *states) request.add_states(state);
  request.mutable_page()->set_page_size(500);
  auto stub = v1::CoachService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  v1::ListProposalsResponse response;
  const grpc::Status status = stub->ListProposals(&context, request, &response);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJsonLines(response.proposals());
  } else {
    PrintProposals(response.proposals());
  }
  return kOk;
}

int DecideCommand(const Channel& channel, const Args& args) {
  const std::string verb = args[1];
  if (args.size() != 3) return UsageError(verb + " needs a PROPOSAL id");
  v1::DecideProposalRequest request;
  request.set_proposal_id(args[2]);
  request.set_decision(verb == "accept" ? v1::DECISION_ACCEPT
                                        : v1::DECISION_REJECT);
  request.set_reason(absl::GetFlag(FLAGS_reason));
  if (verb == "reject" && request.reason().empty()) {
    return UsageError("reject needs --reason=...");
  }
  auto stub = v1::CoachService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  v1::Proposal proposal;
  const grpc::Status status =
      stub->DecideProposal(&context, request, &proposal);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(proposal);
  } else {
    std::printf("%s: %s %s at %s\n", proposal.proposal_id().c_str(),
                ShortName(proposal.state()).c_str(),
                proposal.participant_id().c_str(),
                proposal.opening_id().c_str());
  }
  return kOk;
}

}  // namespace placement::cli
