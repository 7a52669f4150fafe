// The overnight rematch end to end over loopback against the real
// placement-server: operators start, watch, cancel and read runs; coaches
// list and decide the proposals; continuity, rejected pairs, dry runs,
// determinism, and a crash or cancellation leaving the previous proposals.

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "engine/dataset.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "placement/v1/admin_service.grpc.pb.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "placement/v1/rematch_service.grpc.pb.h"
#include "tests/testing/running_server.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::DataDir;
using ::placement::testing::kAdminToken;
using ::placement::testing::kCoachPrincipal;
using ::placement::testing::kCoachToken;
using ::placement::testing::kEmployerToken;
using ::placement::testing::kOperatorToken;
using ::placement::testing::kOtherCoachToken;
using ::placement::testing::Reference;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::testing::HasSubstr;

using Stub = v1::RematchService::Stub;

std::unique_ptr<Stub> Rematch(const RunningServer& server) {
  return v1::RematchService::NewStub(server.channel());
}
std::unique_ptr<v1::CoachService::Stub> Coach(const RunningServer& server) {
  return v1::CoachService::NewStub(server.channel());
}

v1::Run Start(const RunningServer& server, v1::StartRunRequest request = {}) {
  v1::Run run;
  const grpc::Status status =
      Rematch(server)->StartRun(CallAs(kOperatorToken).get(), request, &run);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return run;
}

// Every message of WatchRun until the stream ends.
std::vector<v1::RunProgress> Watch(const RunningServer& server,
                                   const std::string& run_id,
                                   grpc::Status* status = nullptr) {
  v1::WatchRunRequest request;
  request.set_run_id(run_id);
  auto context = CallAs(kOperatorToken, absl::Seconds(300));
  std::unique_ptr<grpc::ClientReader<v1::RunProgress>> reader =
      Rematch(server)->WatchRun(context.get(), request);
  std::vector<v1::RunProgress> messages;
  v1::RunProgress progress;
  while (reader->Read(&progress)) messages.push_back(progress);
  const grpc::Status finished = reader->Finish();
  if (status != nullptr) {
    *status = finished;
  } else {
    EXPECT_TRUE(finished.ok()) << finished.error_message();
  }
  return messages;
}

v1::RunReport Report(const RunningServer& server, const std::string& run_id) {
  v1::GetRunReportRequest request;
  request.set_run_id(run_id);
  v1::RunReport report;
  const grpc::Status status = Rematch(server)->GetRunReport(
      CallAs(kOperatorToken).get(), request, &report);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return report;
}

// Every proposal of a run as operators see it, following the pages.
std::vector<v1::Proposal> RunProposals(const RunningServer& server,
                                       const std::string& run_id) {
  std::vector<v1::Proposal> all;
  v1::ListRunProposalsRequest request;
  request.set_run_id(run_id);
  request.mutable_page()->set_page_size(40);
  do {
    v1::ListRunProposalsResponse response;
    const grpc::Status status = Rematch(server)->ListRunProposals(
        CallAs(kOperatorToken).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    all.insert(all.end(), response.proposals().begin(),
               response.proposals().end());
    request.mutable_page()->set_page_token(response.next_page_token());
  } while (!request.page().page_token().empty());
  return all;
}

std::vector<v1::Proposal> CoachProposals(const RunningServer& server,
                                         const std::string& token,
                                         v1::ListProposalsRequest request) {
  request.mutable_page()->set_page_size(500);
  v1::ListProposalsResponse response;
  const grpc::Status status =
      Coach(server)->ListProposals(CallAs(token).get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.proposals().begin(), response.proposals().end()};
}

grpc::Status Decide(const RunningServer& server, const std::string& token,
                    const std::string& proposal_id, v1::Decision decision,
                    const std::string& reason, v1::Proposal* out) {
  v1::DecideProposalRequest request;
  request.set_proposal_id(proposal_id);
  request.set_decision(decision);
  request.set_reason(reason);
  return Coach(server)->DecideProposal(CallAs(token).get(), request, out);
}

// Free places of the demo's open openings, from the demo file.
std::map<std::string, int> DemoFreePlaces() {
  absl::StatusOr<OpeningRows> rows =
      ReadOpeningsCsv(DataDir() + "/demo/openings.csv", Reference());
  EXPECT_TRUE(rows.ok()) << rows.status();
  std::map<std::string, int> free;
  for (const Opening& o : rows->openings) {
    if (o.status == OpeningStatus::kOpen) {
      free[o.id] = o.capacity - o.places_taken;
    }
  }
  return free;
}

class RematchApiTest : public ::testing::Test {
 protected:
  void SetUp() override { server_ = std::make_unique<RunningServer>(scratch_); }
  ScratchDir scratch_;
  std::unique_ptr<RunningServer> server_;
};

TEST_F(RematchApiTest, ARunIsWatchedReportedAndItsProposalsRespectCapacity) {
  v1::StartRunRequest request;
  request.set_seed(7);
  const v1::Run started = Start(*server_, request);
  EXPECT_EQ(started.state(), v1::RUN_STATE_QUEUED);
  EXPECT_EQ(started.run_id(), "R000001");
  EXPECT_EQ(started.requested_by(), "OP-0001");
  EXPECT_EQ(started.parameters().candidates_per_participant(), 50u);
  EXPECT_DOUBLE_EQ(started.parameters().continuity_bonus(), 0.05);

  const std::vector<v1::RunProgress> progress =
      Watch(*server_, started.run_id());
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().state(), v1::RUN_STATE_SUCCEEDED);
  for (size_t i = 1; i < progress.size(); ++i) {
    EXPECT_GE(progress[i].percent(), progress[i - 1].percent());
    EXPECT_GE(progress[i].phase(), progress[i - 1].phase());
    EXPECT_GE(progress[i].elapsed().seconds() * 1'000'000'000LL +
                  progress[i].elapsed().nanos(),
              progress[i - 1].elapsed().seconds() * 1'000'000'000LL +
                  progress[i - 1].elapsed().nanos());
  }

  const v1::RunReport report = Report(*server_, started.run_id());
  EXPECT_FALSE(report.dry_run());
  EXPECT_GT(report.participants_considered(), 100u);
  EXPECT_GT(report.participants_proposed(), 0u);
  EXPECT_EQ(report.participants_proposed() + report.participants_unmatched(),
            report.participants_considered());
  uint32_t reasons = 0;
  for (const v1::UnmatchedReason& r : report.unmatched_reasons()) {
    EXPECT_NE(r.rule(), v1::HARD_RULE_PARTICIPANT_NOT_ACTIVE);
    reasons += r.count();
  }
  EXPECT_EQ(reasons, report.participants_unmatched());
  EXPECT_GT(report.objective(), 0);
  EXPECT_EQ(report.objective_scale(), 1'000'000);
  ASSERT_EQ(report.phase_timings_size(), 4);
  EXPECT_EQ(report.phase_timings(3).phase(), v1::RUN_PHASE_PUBLISH);
  std::set<std::string> dimensions;
  for (const v1::GroupOutcome& g : report.fairness_audit().groups()) {
    dimensions.insert(g.dimension());
    if (g.suppressed()) {
      EXPECT_EQ(g.participants(), 0u);
      EXPECT_FALSE(g.below_four_fifths());
    } else {
      EXPECT_GE(g.participants(), 5u);
      EXPECT_EQ(g.below_four_fifths(), g.ratio_to_best() < 0.8);
    }
  }
  EXPECT_EQ(dimensions,
            (std::set<std::string>{"age_band", "born_abroad", "gender",
                                   "municipality", "target_group"}));

  // The report is also a file beside the database.
  std::ifstream file(scratch_.File("reports/R000001.json"));
  ASSERT_TRUE(file.is_open());
  const std::string json((std::istreambuf_iterator<char>(file)), {});
  EXPECT_THAT(json, HasSubstr("\"participants_considered\""));

  const std::vector<v1::Proposal> proposals =
      RunProposals(*server_, started.run_id());
  EXPECT_EQ(proposals.size(), report.participants_proposed());
  const std::map<std::string, int> free = DemoFreePlaces();
  std::map<std::string, int> per_opening;
  std::set<std::string> participants;
  for (const v1::Proposal& p : proposals) {
    EXPECT_EQ(p.state(), v1::PROPOSAL_STATE_PENDING);
    EXPECT_TRUE(p.match().eligible());
    EXPECT_EQ(p.rejection_reason(), "");
    EXPECT_TRUE(participants.insert(p.participant_id()).second)
        << "two proposals for " << p.participant_id();
    ++per_opening[p.opening_id()];
  }
  for (const auto& [opening, count] : per_opening) {
    ASSERT_TRUE(free.count(opening)) << opening << " is not open";
    EXPECT_LE(count, free.at(opening)) << opening;
  }
}

TEST_F(RematchApiTest, OperatorsSeeNoSupportReasonsCoachesSeeTheirOwn) {
  const v1::Run run = Start(*server_);
  Watch(*server_, run.run_id());
  std::map<std::string, v1::Proposal> redacted;
  for (const v1::Proposal& p : RunProposals(*server_, run.run_id())) {
    redacted[p.proposal_id()] = p;
  }
  const std::vector<v1::Proposal> own =
      CoachProposals(*server_, kCoachToken, {});
  ASSERT_FALSE(own.empty());
  int with_support_reasons = 0;
  for (const v1::Proposal& p : own) {
    ASSERT_TRUE(redacted.count(p.proposal_id()));
    const v1::Proposal& operators = redacted.at(p.proposal_id());
    EXPECT_LE(operators.match().reasons_size(), p.match().reasons_size());
    if (operators.match().reasons_size() < p.match().reasons_size()) {
      ++with_support_reasons;
      EXPECT_TRUE(operators.match().sensitive_reasons_redacted());
    }
    EXPECT_FALSE(p.match().sensitive_reasons_redacted());
  }
  EXPECT_GT(with_support_reasons, 0)
      << "no proposal of the caseload had a support reason to redact";
}

TEST_F(RematchApiTest, CoachesDecideAndTheNextRunContinues) {
  const v1::Run first = Start(*server_);
  Watch(*server_, first.run_id());
  const std::vector<v1::Proposal> own =
      CoachProposals(*server_, kCoachToken, {});
  ASSERT_GE(own.size(), 3u) << "the demo caseload needs three proposals";
  for (const v1::Proposal& p : own) {
    EXPECT_EQ(p.run_id(), first.run_id());
  }

  // Another coach cannot see or decide them.
  v1::Proposal out;
  grpc::Status status = Decide(*server_, kOtherCoachToken, own[0].proposal_id(),
                               v1::DECISION_ACCEPT, "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  for (const v1::Proposal& p : CoachProposals(*server_, kOtherCoachToken, {})) {
    EXPECT_NE(p.participant_id(), own[0].participant_id());
  }
  // Rejecting needs a reason; the error names the field.
  status = Decide(*server_, kCoachToken, own[1].proposal_id(),
                  v1::DECISION_REJECT, "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("reason"));
  status = Decide(*server_, kCoachToken, own[1].proposal_id(),
                  v1::DECISION_UNSPECIFIED, "", &out);
  EXPECT_THAT(status.error_message(), HasSubstr("decision: 0"));

  // Accept one: the participant is placed and no longer gets suggestions.
  status = Decide(*server_, kCoachToken, own[0].proposal_id(),
                  v1::DECISION_ACCEPT, "", &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.state(), v1::PROPOSAL_STATE_ACCEPTED);
  EXPECT_EQ(out.decided_by(), kCoachPrincipal);
  v1::GetParticipantRequest get;
  get.set_participant_id(own[0].participant_id());
  v1::Participant placed;
  ASSERT_TRUE(v1::ParticipantRegistry::NewStub(server_->channel())
                  ->GetParticipant(CallAs(kCoachToken).get(), get, &placed)
                  .ok());
  EXPECT_EQ(placed.status(), v1::PARTICIPANT_STATUS_PLACED);
  // Retrying the same decision is safe; the other one is refused.
  status = Decide(*server_, kCoachToken, own[0].proposal_id(),
                  v1::DECISION_ACCEPT, "", &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
  status = Decide(*server_, kCoachToken, own[0].proposal_id(),
                  v1::DECISION_REJECT, "changed my mind", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // Reject another, with a reason only the coach sees.
  status = Decide(*server_, kCoachToken, own[1].proposal_id(),
                  v1::DECISION_REJECT, "prefers mornings", &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.rejection_reason(), "prefers mornings");

  // The next run: the placed participant gets nothing, the rejected pair
  // never returns, the still-pending pair continues, and the first run's
  // pending proposals expire.
  const v1::Run second = Start(*server_);
  Watch(*server_, second.run_id());
  const std::vector<v1::Proposal> next =
      RunProposals(*server_, second.run_id());
  bool continued = false;
  for (const v1::Proposal& p : next) {
    EXPECT_NE(p.participant_id(), own[0].participant_id());
    EXPECT_FALSE(p.participant_id() == own[1].participant_id() &&
                 p.opening_id() == own[1].opening_id());
    if (p.participant_id() == own[2].participant_id() &&
        p.opening_id() == own[2].opening_id()) {
      EXPECT_TRUE(p.continued_from_previous_run());
      continued = true;
    }
  }
  EXPECT_TRUE(continued) << "the pending pair did not continue";
  EXPECT_GT(Report(*server_, second.run_id()).proposals_continued(), 0u);
  v1::ListProposalsRequest by_state;
  by_state.add_states(v1::PROPOSAL_STATE_PENDING);
  by_state.set_run_id(first.run_id());
  EXPECT_TRUE(CoachProposals(*server_, kCoachToken, by_state).empty());
  by_state.clear_states();
  by_state.add_states(v1::PROPOSAL_STATE_EXPIRED);
  EXPECT_FALSE(CoachProposals(*server_, kCoachToken, by_state).empty());
  by_state.clear_states();
  by_state.add_states(v1::PROPOSAL_STATE_UNSPECIFIED);
  v1::ListProposalsResponse ignored;
  status = Coach(*server_)->ListProposals(CallAs(kCoachToken).get(), by_state,
                                          &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("states[0]"));
}

// Time passes between a run and a decision: an opening whose end date has
// passed by then takes no one, though it is still OPEN. (The API refuses a
// past end date, so an import stands in for the calendar.)
TEST_F(RematchApiTest, AProposalForAnEndedOpeningCannotBeAccepted) {
  const v1::Run run = Start(*server_);
  Watch(*server_, run.run_id());
  const std::vector<v1::Proposal> own =
      CoachProposals(*server_, kCoachToken, {});
  ASSERT_FALSE(own.empty());
  const std::string& opening_id = own[0].opening_id();

  const std::string csv =
      ::placement::testing::ReadFileOrDie(DataDir() + "/demo/openings.csv");
  const std::string header = csv.substr(0, csv.find('\n'));
  const size_t at = csv.find("\n" + opening_id + ",");
  ASSERT_NE(at, std::string::npos) << opening_id;
  std::string row = csv.substr(at + 1, csv.find('\n', at + 1) - at - 1);
  // The last three columns are start_date, end_date and status.
  size_t cut = row.size();
  for (int i = 0; i < 3; ++i) cut = row.rfind(',', cut - 1);
  row = absl::StrCat(row.substr(0, cut), ",2020-01-01,2020-01-31,open");
  v1::ImportRequest import;
  import.set_kind(v1::DATA_KIND_OPENINGS);
  import.set_file_name("openings.csv");
  import.set_content(absl::StrCat(header, "\n", row, "\n"));
  v1::ImportReport report;
  ASSERT_TRUE(v1::AdminService::NewStub(server_->channel())
                  ->ImportData(CallAs(kAdminToken).get(), import, &report)
                  .ok());
  ASSERT_EQ(report.rows_rejected(), 0u)
      << (report.errors_size() > 0 ? report.errors(0).reason() : "");

  v1::Proposal out;
  const grpc::Status status =
      Decide(*server_, kCoachToken, own[0].proposal_id(), v1::DECISION_ACCEPT,
             "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(
      status.error_message(),
      HasSubstr(absl::StrCat("opening ", opening_id, " ended on 2020-01-31")));
}

TEST_F(RematchApiTest, DryRunsPublishNothingAndTheSameSeedGivesTheSameResult) {
  const v1::Run published = Start(*server_);
  Watch(*server_, published.run_id());
  const std::vector<v1::Proposal> before =
      CoachProposals(*server_, kCoachToken, {});

  v1::StartRunRequest request;
  request.set_dry_run(true);
  request.set_seed(3);
  std::vector<std::vector<std::pair<std::string, std::string>>> pairs;
  std::vector<int64_t> objectives;
  for (int i = 0; i < 2; ++i) {
    const v1::Run dry = Start(*server_, request);
    Watch(*server_, dry.run_id());
    const v1::RunReport report = Report(*server_, dry.run_id());
    EXPECT_TRUE(report.dry_run());
    objectives.push_back(report.objective());
    pairs.emplace_back();
    for (const v1::Proposal& p : RunProposals(*server_, dry.run_id())) {
      EXPECT_EQ(p.state(), v1::PROPOSAL_STATE_UNSPECIFIED);
      pairs.back().emplace_back(p.participant_id(), p.opening_id());
    }
  }
  EXPECT_EQ(objectives[0], objectives[1]);
  EXPECT_EQ(pairs[0], pairs[1]);
  EXPECT_FALSE(pairs[0].empty());

  // Coaches see exactly what they saw before, all still pending.
  const std::vector<v1::Proposal> after =
      CoachProposals(*server_, kCoachToken, {});
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].proposal_id(), before[i].proposal_id());
    EXPECT_EQ(after[i].state(), v1::PROPOSAL_STATE_PENDING);
  }
}

// Three runs (one a dry run) are listed newest first, page by page, with
// their parameters and states; a token that is no run id is refused.
TEST_F(RematchApiTest, RunsAreListedNewestFirstPageByPage) {
  std::vector<std::string> started;
  for (int i = 0; i < 3; ++i) {
    v1::StartRunRequest request;
    request.set_dry_run(i == 1);
    request.set_seed(static_cast<uint64_t>(i));
    const v1::Run run = Start(*server_, request);
    Watch(*server_, run.run_id());
    started.push_back(run.run_id());
  }
  std::vector<v1::Run> listed;
  std::string token;
  int pages = 0;
  do {
    v1::ListRunsRequest request;
    request.mutable_page()->set_page_size(2);
    request.mutable_page()->set_page_token(token);
    v1::ListRunsResponse response;
    grpc::ClientContext context;
    context.AddMetadata("authorization",
                        absl::StrCat("Bearer ", kOperatorToken));
    const grpc::Status status =
        Rematch(*server_)->ListRuns(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_LE(response.runs_size(), 2);
    listed.insert(listed.end(), response.runs().begin(), response.runs().end());
    token = response.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 5);
  EXPECT_EQ(pages, 2);
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].run_id(), started[2]);
  EXPECT_EQ(listed[1].run_id(), started[1]);
  EXPECT_EQ(listed[2].run_id(), started[0]);
  for (const v1::Run& run : listed) {
    EXPECT_EQ(run.state(), v1::RUN_STATE_SUCCEEDED);
    EXPECT_EQ(run.requested_by(), "OP-0001");
    EXPECT_EQ(run.parameters().candidates_per_participant(), 50u);
    EXPECT_TRUE(run.has_finished_at());
  }
  EXPECT_TRUE(listed[1].parameters().dry_run());
  EXPECT_FALSE(listed[0].parameters().dry_run());

  v1::ListRunsRequest bad;
  bad.mutable_page()->set_page_token("O000001");
  v1::ListRunsResponse response;
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", kOperatorToken));
  const grpc::Status refused =
      Rematch(*server_)->ListRuns(&context, bad, &response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("page.page_token"));
}

TEST_F(RematchApiTest, RolesAndBadRequestsAreRefusedWithTheFieldNamed) {
  v1::Run run;
  v1::StartRunRequest request;
  for (const char* token : {kCoachToken, kEmployerToken}) {
    const grpc::Status status =
        Rematch(*server_)->StartRun(CallAs(token).get(), request, &run);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
  request.set_candidates_per_participant(501);
  grpc::Status status =
      Rematch(*server_)->StartRun(CallAs(kAdminToken).get(), request, &run);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("candidates_per_participant: 501"));
  request.set_candidates_per_participant(0);
  request.set_continuity_bonus(1.5);
  status =
      Rematch(*server_)->StartRun(CallAs(kAdminToken).get(), request, &run);
  EXPECT_THAT(status.error_message(), HasSubstr("continuity_bonus: 1.5"));

  v1::GetRunReportRequest get;
  v1::RunReport report;
  status = Rematch(*server_)->GetRunReport(CallAs(kOperatorToken).get(), get,
                                           &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("run_id"));
  get.set_run_id("R123456");
  status = Rematch(*server_)->GetRunReport(CallAs(kOperatorToken).get(), get,
                                           &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  status =
      Rematch(*server_)->GetRunReport(CallAs(kCoachToken).get(), get, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::CancelRunRequest cancel;
  cancel.set_run_id("R123456");
  status =
      Rematch(*server_)->CancelRun(CallAs(kOperatorToken).get(), cancel, &run);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  // A finished run cannot be cancelled.
  const v1::Run done = Start(*server_);
  Watch(*server_, done.run_id());
  cancel.set_run_id(done.run_id());
  status =
      Rematch(*server_)->CancelRun(CallAs(kOperatorToken).get(), cancel, &run);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("SUCCEEDED"));
}

TEST_F(RematchApiTest, TheCliStartsWatchesReportsAndDecides) {
  auto cli = [&](std::vector<std::string> args, const std::string& token,
                 std::string* output) {
    args.insert(args.begin(),
                {PLACEMENT_CLI_PATH, "--server=" + server_->address(),
                 "--token=" + token});
    output->clear();
    return placement::testing::RunAndCapture(args, output, absl::Seconds(60));
  };
  std::string output;
  EXPECT_EQ(
      cli({"rematch", "start", "--wait", "--seed=2"}, kOperatorToken, &output),
      0)
      << output;
  EXPECT_THAT(output, HasSubstr("run R000001: QUEUED"));
  EXPECT_THAT(output, HasSubstr("SUCCEEDED"));
  const std::string file = scratch_.File("report.json");
  EXPECT_EQ(cli({"rematch", "report", "R000001", "--out=" + file},
                kOperatorToken, &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("participants considered"));
  EXPECT_THAT(output, HasSubstr("Fairness audit"));
  std::ifstream written(file);
  const std::string json((std::istreambuf_iterator<char>(written)), {});
  EXPECT_THAT(json, HasSubstr("\"run_id\": \"R000001\""));
  EXPECT_EQ(cli({"--json", "rematch", "proposals", "R000001"}, kOperatorToken,
                &output),
            0);
  EXPECT_THAT(output, HasSubstr("\"proposal_id\""));
  EXPECT_EQ(cli({"rematch", "report", "R000001"}, kCoachToken, &output), 5);
  EXPECT_EQ(cli({"rematch", "list"}, kOperatorToken, &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("run R000001: SUCCEEDED"));
  EXPECT_EQ(cli({"rematch", "list", "R000001"}, kOperatorToken, &output), 2);

  const std::vector<v1::Proposal> own =
      CoachProposals(*server_, kCoachToken, {});
  ASSERT_GE(own.size(), 2u);
  EXPECT_EQ(cli({"proposals", "--state=pending"}, kCoachToken, &output), 0);
  EXPECT_THAT(output, HasSubstr(own[0].proposal_id()));
  EXPECT_EQ(cli({"proposals", "--state=maybe"}, kCoachToken, &output), 2);
  EXPECT_EQ(cli({"reject", own[1].proposal_id()}, kCoachToken, &output), 2);
  EXPECT_EQ(cli({"reject", own[1].proposal_id(), "--reason=too far"},
                kCoachToken, &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("REJECTED"));
  EXPECT_EQ(cli({"accept", own[0].proposal_id()}, kCoachToken, &output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr("ACCEPTED"));
  EXPECT_EQ(cli({"accept", own[1].proposal_id()}, kCoachToken, &output), 1);
  EXPECT_THAT(output, HasSubstr("already rejected"));
}

// A population large enough that a run lasts long enough to be cancelled or
// killed in the middle (about a second or more in a release build).
class LargeRematchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir();
    std::string output;
    const int code = placement::testing::RunAndCapture(
        {PLACEMENT_DATAGEN_PATH, "--data_dir=" + DataDir(),
         "--out=" + scratch_->File("population"), "--participants=40000",
         "--openings=8000", "--seed=5"},
        &output, absl::Seconds(120));
    ASSERT_EQ(code, 0) << output;
  }
  static void TearDownTestSuite() { delete scratch_; }

  static std::unique_ptr<RunningServer> StartServer() {
    return std::make_unique<RunningServer>(
        *scratch_, "large.db",
        std::vector<std::string>{"--seed_from=" +
                                 scratch_->File("population")});
  }

  static ScratchDir* scratch_;
};
ScratchDir* LargeRematchTest::scratch_ = nullptr;

TEST_F(LargeRematchTest, CancellationAndACrashLeaveThePreviousProposals) {
  std::unique_ptr<RunningServer> server = StartServer();
  const v1::Run first = Start(*server);
  ASSERT_EQ(Watch(*server, first.run_id()).back().state(),
            v1::RUN_STATE_SUCCEEDED);
  const size_t published = RunProposals(*server, first.run_id()).size();
  ASSERT_GT(published, 0u);

  // Cancelled at once: stops in the candidates phase, publishes nothing.
  const v1::Run second = Start(*server);
  v1::CancelRunRequest cancel;
  cancel.set_run_id(second.run_id());
  v1::Run cancelled;
  grpc::Status status = Rematch(*server)->CancelRun(
      CallAs(kOperatorToken).get(), cancel, &cancelled);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(Watch(*server, second.run_id()).back().state(),
            v1::RUN_STATE_CANCELLED);
  status = Rematch(*server)->CancelRun(CallAs(kOperatorToken).get(), cancel,
                                       &cancelled);
  EXPECT_TRUE(status.ok()) << "cancelling a cancelled run returns it";
  EXPECT_EQ(cancelled.state(), v1::RUN_STATE_CANCELLED);
  v1::GetRunReportRequest get;
  get.set_run_id(second.run_id());
  v1::RunReport report;
  status = Rematch(*server)->GetRunReport(CallAs(kOperatorToken).get(), get,
                                          &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("CANCELLED"));

  // Killed in the middle of a run: after a restart the run is FAILED and
  // the first run's proposals are all still pending.
  const v1::Run third = Start(*server);
  {
    // Wait until it is running, then kill the server.
    v1::WatchRunRequest watch;
    watch.set_run_id(third.run_id());
    auto context = CallAs(kOperatorToken, absl::Seconds(60));
    auto reader = Rematch(*server)->WatchRun(context.get(), watch);
    v1::RunProgress progress;
    while (reader->Read(&progress) &&
           progress.state() != v1::RUN_STATE_RUNNING) {
    }
    EXPECT_EQ(progress.state(), v1::RUN_STATE_RUNNING);
    server->process().Signal(SIGKILL);
    context->TryCancel();
    (void)reader->Finish();
  }
  server->process().Wait(absl::Seconds(10));
  server.reset();
  server = StartServer();
  v1::GetRunReportRequest third_report;
  third_report.set_run_id(third.run_id());
  status = Rematch(*server)->GetRunReport(CallAs(kOperatorToken).get(),
                                          third_report, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("FAILED"));
  const std::vector<v1::Proposal> still = RunProposals(*server, first.run_id());
  EXPECT_EQ(still.size(), published);
  for (const v1::Proposal& p : still) {
    EXPECT_EQ(p.state(), v1::PROPOSAL_STATE_PENDING);
  }
}

}  // namespace
}  // namespace placement::service
