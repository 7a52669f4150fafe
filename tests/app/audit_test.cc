// app/audit.h and app/retention.h: the auditor's reads of the access log,
// the records of refused calls, and the retention purge's boundaries with an
// injected clock (no sleeps).

#include "app/audit.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "app/retention.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "placement/v1/rematch_service.pb.h"
#include "tests/app/use_case_test.h"

namespace placement::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::Time Utc(const std::string& rfc3339) {
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &time, &error))
      << rfc3339 << ": " << error;
  return time;
}

const Caller kAuditor{.principal = "AUD-0001", .role = Role::kAuditor};
const Caller kAdmin{.principal = "ADM-0001", .role = Role::kAdmin};
const Caller kCoach{.principal = "C0136-01", .role = Role::kCoach};

TEST(RetentionPolicyTest, RefusesAnAccessLogPeriodBelowTheAiActMinimum) {
  EXPECT_TRUE(CheckRetentionPolicy({}).ok());
  EXPECT_TRUE(CheckRetentionPolicy({.access_log_months = 6}).ok());
  const absl::Status five = CheckRetentionPolicy({.access_log_months = 5});
  EXPECT_EQ(five.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(five.message(), HasSubstr("--retain_access_log_months: 5"));
  EXPECT_THAT(five.message(), HasSubstr("Art. 26"));
  EXPECT_FALSE(CheckRetentionPolicy({.access_log_months = 121}).ok());
  EXPECT_FALSE(CheckRetentionPolicy({.decided_proposals_days = 0}).ok());
  EXPECT_THAT(CheckRetentionPolicy({.decided_proposals_days = 0}).message(),
              HasSubstr("--retain_decided_proposals_days: 0"));
  EXPECT_FALSE(CheckRetentionPolicy({.decided_proposals_days = 3661}).ok());
}

// The cutoffs, worked out by hand in Swedish time: 2027-01-15 09:00 CET.
TEST(RetentionPolicyTest, CutoffsCountSwedishCalendarDaysAndMonths) {
  const absl::Time now = Utc("2027-01-15T08:00:00Z");
  struct Row {
    RetentionPolicy policy;
    std::string proposals_before;
    std::string access_log_before;
  };
  const Row rows[] = {
      // 90 days back is 2026-10-17 09:00, summer time (UTC+2).
      {{}, "2026-10-17T07:00:00Z", "2025-01-15T08:00:00Z"},
      {{.decided_proposals_days = 1, .access_log_months = 6},
       "2027-01-14T08:00:00Z",
       "2026-07-15T07:00:00Z"},
  };
  for (const Row& row : rows) {
    const store::RetentionCutoffs cutoffs = RetentionCutoffsAt(row.policy, now);
    EXPECT_EQ(cutoffs.proposals_before, Utc(row.proposals_before))
        << absl::FormatTime(cutoffs.proposals_before);
    EXPECT_EQ(cutoffs.access_log_before, Utc(row.access_log_before))
        << absl::FormatTime(cutoffs.access_log_before);
  }
  // The end of a month that the month before lacks: 31 August minus six
  // months is "31 February", normalised to 3 March.
  EXPECT_EQ(
      RetentionCutoffsAt({.access_log_months = 6}, Utc("2027-08-31T10:00:00Z"))
          .access_log_before,
      Utc("2027-03-03T11:00:00Z"));
}

class AuditUseCaseTest : public testing::UseCaseTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        InitGenerated({.seed = 5, .participants = 8, .openings = 8}).ok());
    context_.now = [this] { return now_; };
  }

  std::string Participant(int i) {
    return context_.snapshots->Current()->participant(i).id;
  }
  std::string Opening(int i) {
    return context_.snapshots->Current()->opening(i).id;
  }

  // Publishes a run finished at `at` with one PENDING proposal per pair and
  // a report of counts; returns the run id.
  std::string PublishRunAt(absl::Time at,
                           const std::vector<std::pair<int, int>>& pairs) {
    absl::StatusOr<RematchRun> run = store_->CreateRun({});
    EXPECT_TRUE(run.ok()) << run.status();
    run->state = RunState::kSucceeded;
    run->started_at = at;
    run->finished_at = at;
    std::vector<store::NewProposal> proposals;
    for (const auto& [p, o] : pairs) {
      proposals.push_back({.participant_id = Participant(p),
                           .opening_id = Opening(o),
                           .score = 0.5,
                           .continued_from_previous_run = false,
                           .explanation_record = "explanation",
                           .redacted_explanation_record = "redacted"});
    }
    v1::RunReport report;
    report.set_run_id(run->id);
    report.set_participants_considered(8);
    report.set_participants_proposed(static_cast<uint32_t>(pairs.size()));
    EXPECT_TRUE(
        store_->PublishRun(*run, report.SerializeAsString(), proposals).ok());
    return run->id;
  }

  void Decide(const std::string& proposal_id, Decision decision,
              absl::Time at) {
    absl::StatusOr<store::DecisionOutcome> decided =
        store_->DecideProposal(proposal_id, decision, kCoach.principal,
                               "not now", at, SwedishDate(at));
    ASSERT_TRUE(decided.ok()) << proposal_id << ": " << decided.status();
  }

  std::vector<std::string> StoredProposals() {
    absl::StatusOr<std::vector<PublishedProposal>> listed =
        store_->ListProposals({.limit = 1000});
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<std::string> ids;
    for (const PublishedProposal& p : *listed) ids.push_back(p.id);
    return ids;
  }

  absl::Time now_ = Utc("2027-01-15T08:00:00Z");
};

// Every kind of proposal one day either side of the 90-day cutoff
// (2026-10-17T07:00Z): decided or expired before it, purged; after it, or
// still pending, kept. The placement an old accept started, and the run
// reports, stay.
TEST_F(AuditUseCaseTest, DecidedAndExpiredProposalsGoOneDayPastTheLimit) {
  const absl::Time cutoff = Utc("2026-10-17T07:00:00Z");
  const absl::Duration day = absl::Hours(24);
  const std::string a =
      PublishRunAt(cutoff - 2 * day, {{0, 0}, {1, 1}, {2, 2}, {3, 3}});
  Decide(a + "-0000001", Decision::kReject, cutoff - day);  // purged
  Decide(a + "-0000002", Decision::kReject, cutoff + day);  // kept
  Decide(a + "-0000003", Decision::kAccept, cutoff - day);  // purged
  // a-4 expires with run b, a day outside: purged.
  const std::string b = PublishRunAt(cutoff - day, {{4, 4}});
  // b-1 expires with run c, a day inside: kept (an expiry counts from when
  // it happened, not from when the proposal was made); c-1 expires with
  // run d, inside: kept; d-1 is pending, kept.
  const std::string c = PublishRunAt(cutoff + day, {{5, 5}});
  const std::string d = PublishRunAt(cutoff + 2 * day, {{6, 6}});
  const std::string report_before = *store_->GetRunReport(a);

  absl::StatusOr<store::PurgeCounts> purged = PurgeExpiredRecords(context_);
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(purged->proposals, 3);
  EXPECT_THAT(StoredProposals(), ElementsAre(a + "-0000002", b + "-0000001",
                                             c + "-0000001", d + "-0000001"));
  // The placement the purged accept started is kept for follow-up.
  absl::StatusOr<std::vector<PlacementRecord>> placements =
      store_->ListPlacements({.participant_id = Participant(2)});
  ASSERT_TRUE(placements.ok());
  ASSERT_EQ(placements->size(), 1u);
  EXPECT_EQ((*placements)[0].source_id, a + "-0000003");
  // Run reports hold counts only (v1.RunReport: counts, opening ids, group
  // statistics) and are kept as they were.
  for (const std::string& run : {a, b, c, d}) {
    EXPECT_TRUE(store_->GetRunReport(run).ok()) << run;
  }
  EXPECT_EQ(*store_->GetRunReport(a), report_before);
  // A second purge at the same instant finds nothing more.
  EXPECT_EQ(PurgeExpiredRecords(context_)->proposals, 0);
}

TEST_F(AuditUseCaseTest, AccessRecordsGoOneDayPastTheLimit) {
  struct Row {
    RetentionPolicy policy;
    std::string cutoff;  // worked out by hand, as above
    int purged;  // the row's "outside", and what the rows before kept older
  };
  // The second, shorter period also takes the first row's "at the cutoff"
  // and "inside" records (both in January 2025).
  const Row rows[] = {{{}, "2025-01-15T08:00:00Z", 1},
                      {{.access_log_months = 6}, "2026-07-15T07:00:00Z", 3}};
  const absl::Duration day = absl::Hours(24);
  for (const Row& row : rows) {
    context_.retention = row.policy;
    const absl::Time cutoff = Utc(row.cutoff);
    const std::string who = absl::StrCat("C-", row.policy.access_log_months);
    auto record = [&](absl::Time at, const char* call) {
      return store::AccessRecord{.at = at,
                                 .actor = who,
                                 .role = "coach",
                                 .call = call,
                                 .participant_id = Participant(0)};
    };
    ASSERT_TRUE(store_
                    ->AppendAccess({record(cutoff - day, "outside"),
                                    record(cutoff, "at the cutoff"),
                                    record(cutoff + day, "inside"),
                                    record(now_, "now")})
                    .ok());
    absl::StatusOr<store::PurgeCounts> purged = PurgeExpiredRecords(context_);
    ASSERT_TRUE(purged.ok()) << purged.status();
    EXPECT_EQ(purged->access_records, row.purged) << row.cutoff;
    absl::StatusOr<std::vector<store::AccessLogEntry>> left =
        store_->ListAccessLog({.principal = who});
    ASSERT_TRUE(left.ok());
    std::vector<std::string> calls;
    for (const store::AccessLogEntry& e : *left) calls.push_back(e.record.call);
    EXPECT_THAT(calls, ElementsAre("now", "inside", "at the cutoff"));
  }
}

TEST_F(AuditUseCaseTest, OnlyTheAuditorReadsTheLog) {
  for (const Caller& caller :
       {kAdmin, kCoach, Caller{.principal = "OP-0001", .role = Role::kOperator},
        Caller{.principal = "EC-0001", .role = Role::kEmployerContact}}) {
    absl::StatusOr<AccessLogPage> page =
        ListAccessLog(context_, caller, {.participant_id = Participant(0)});
    EXPECT_EQ(page.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_THAT(page.status().message(),
                HasSubstr("may not call AuditService.ListAccessLog"));
  }
}

TEST_F(AuditUseCaseTest, RequestsNameOneSubjectAndAValidPeriod) {
  struct Row {
    AccessLogRequest request;
    std::string message;
  };
  const Row rows[] = {
      {{}, "participant_id or principal: required"},
      {{.participant_id = "P0000001", .principal = "C1"}, "not both"},
      {{.participant_id = "P 1"}, "participant_id: 'P 1'"},
      {{.principal = "C1", .from = Date{2026, 11, 2}, .to = Date{2026, 11, 1}},
       "to_date: 2026-11-01 is before from_date 2026-11-02"},
      {{.principal = "C1", .page_size = 0}, "page.page_size"},
      {{.principal = "C1", .page_token = "abc"}, "page.page_token: 'abc'"},
  };
  for (const Row& row : rows) {
    absl::StatusOr<AccessLogPage> page =
        ListAccessLog(context_, kAuditor, row.request);
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument)
        << row.message;
    EXPECT_THAT(page.status().message(), HasSubstr(row.message));
  }
}

// Reads by participant and by principal, bounded by Swedish days, newest
// first, paged; each read hands back its own record naming what it asked.
TEST_F(AuditUseCaseTest, ReadsAPeriodNewestFirstAndLogsTheRead) {
  const std::string p = Participant(1);
  // 2026-11-01 00:30 in Sweden is 2026-10-31T23:30Z: it belongs to
  // 1 November.
  const std::vector<std::string> times = {
      "2026-10-31T22:30:00Z", "2026-10-31T23:30:00Z", "2026-11-01T12:00:00Z",
      "2026-11-02T22:59:59Z", "2026-11-02T23:00:00Z"};
  for (const std::string& at : times) {
    ASSERT_TRUE(store_
                    ->AppendAccess({.at = Utc(at),
                                    .actor = kCoach.principal,
                                    .role = "coach",
                                    .call = at,
                                    .participant_id = p})
                    .ok());
  }
  ASSERT_TRUE(store_
                  ->AppendAccess(DenialRecord(
                      context_, kAdmin, "CoachService.SuggestOpenings", p))
                  .ok());
  absl::StatusOr<AccessLogPage> page = ListAccessLog(context_, kAuditor,
                                                     {.participant_id = p,
                                                      .from = Date{2026, 11, 1},
                                                      .to = Date{2026, 11, 2}});
  ASSERT_TRUE(page.ok()) << page.status();
  std::vector<std::string> calls;
  for (const store::AccessRecord& r : page->records) calls.push_back(r.call);
  EXPECT_THAT(calls, ElementsAre("2026-11-02T22:59:59Z", "2026-11-01T12:00:00Z",
                                 "2026-10-31T23:30:00Z"));
  ASSERT_EQ(page->access.size(), 1u);
  EXPECT_EQ(page->access[0].actor, kAuditor.principal);
  EXPECT_EQ(page->access[0].role, "auditor");
  EXPECT_EQ(page->access[0].call, kListAccessLogCall);
  EXPECT_EQ(page->access[0].participant_id, p);
  EXPECT_EQ(page->access[0].at, now_);

  // Without a period: the denial too, newest first, two to a page.
  std::vector<store::AccessRecord> all;
  std::string token;
  int pages = 0;
  do {
    absl::StatusOr<AccessLogPage> next = ListAccessLog(
        context_, kAuditor,
        {.participant_id = p, .page_size = 2, .page_token = token});
    ASSERT_TRUE(next.ok()) << next.status();
    all.insert(all.end(), next->records.begin(), next->records.end());
    token = next->next_page_token;
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[0].outcome, store::AccessOutcome::kDenied);
  EXPECT_EQ(all[0].actor, kAdmin.principal);
  EXPECT_EQ(all[0].call, "CoachService.SuggestOpenings");
  EXPECT_EQ(all[5].call, times[0]);

  // By principal: the read's record names the principal, no participant.
  absl::StatusOr<AccessLogPage> by_principal =
      ListAccessLog(context_, kAuditor, {.principal = kAdmin.principal});
  ASSERT_TRUE(by_principal.ok());
  ASSERT_EQ(by_principal->records.size(), 1u);
  EXPECT_EQ(by_principal->records[0].outcome, store::AccessOutcome::kDenied);
  EXPECT_EQ(by_principal->access[0].participant_id, "");
  EXPECT_EQ(by_principal->access[0].asked_principal, kAdmin.principal);
}

}  // namespace
}  // namespace placement::app
