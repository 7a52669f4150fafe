// Runs, proposals, decisions and placements in the store: the life cycle of
// a proposal, atomic publication, and faults in the middle of a publish.

#include <sqlite3.h>

#include <string>
#include <vector>

#include "engine/population_generator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "placement/v1/match.pb.h"
#include "placement/v1/rematch_service.pb.h"
#include "store/store.h"
#include "tests/testing/fault_injection_vfs.h"
#include "tests/testing/test_util.h"

namespace placement::store {
namespace {

using ::placement::testing::Reference;
using ::placement::testing::ScratchDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

int64_t QueryInt(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr),
            SQLITE_OK)
      << sql;
  EXPECT_EQ(sqlite3_step(statement), SQLITE_ROW) << sql;
  const int64_t value = sqlite3_column_int64(statement, 0);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

// A store with 6 active participants (P..0 to P..5) and 3 open openings with
// 1 free place each (capacity 2, one taken).
class StoreProposalsTest : public ::testing::Test {
 protected:
  void SetUp() override { Open({}); }

  void Open(const StoreOptions& options) {
    store_.reset();
    absl::StatusOr<std::unique_ptr<Store>> store =
        Store::Open(scratch_.File("p.db"), options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    if (participants_.empty()) {
      const PopulationGenerator generator(
          {.seed = 9, .participants = 6, .openings = 3}, Reference());
      for (int i = 0; i < 6; ++i) {
        participants_.push_back(generator.Participant(i));
        participants_.back().status = ParticipantStatus::kActive;
      }
      for (int i = 0; i < 3; ++i) {
        openings_.push_back(generator.Opening(i));
        openings_.back().status = OpeningStatus::kOpen;
        openings_.back().capacity = 2;
        openings_.back().places_taken = 1;
      }
      ASSERT_TRUE(store_->UpsertParticipants(participants_).ok());
      ASSERT_TRUE(store_->UpsertOpenings(openings_).ok());
    }
  }

  const std::string& P(int i) const { return participants_[i].id; }
  const std::string& O(int i) const { return openings_[i].id; }

  // A proposal to publish whose explanation record is a match with `score`;
  // its redacted record carries a marker instead.
  NewProposal Proposed(int participant, int opening, double score,
                       bool continued = false) const {
    v1::Match match;
    match.set_participant_id(P(participant));
    match.set_opening_id(O(opening));
    match.set_score(score);
    match.set_eligible(true);
    NewProposal proposal{.participant_id = P(participant),
                         .opening_id = O(opening),
                         .score = score,
                         .continued_from_previous_run = continued,
                         .explanation_record = match.SerializeAsString(),
                         .redacted_explanation_record = ""};
    match.set_sensitive_reasons_redacted(true);
    proposal.redacted_explanation_record = match.SerializeAsString();
    return proposal;
  }

  static v1::Match MatchOf(const PublishedProposal& proposal) {
    v1::Match match;
    EXPECT_TRUE(match.ParseFromString(proposal.explanation_record));
    return match;
  }

  static RematchRun NewRun(RunState state, bool dry_run = false) {
    RematchRun run;
    run.state = state;
    run.created_at = absl::FromUnixSeconds(1'800'000'000);
    run.parameters.dry_run = dry_run;
    return run;
  }

  // Creates a run and publishes `proposals` with it; returns the run id.
  std::string Publish(const std::vector<NewProposal>& proposals,
                      bool dry_run = false) {
    absl::StatusOr<RematchRun> created =
        store_->CreateRun(NewRun(RunState::kQueued, dry_run));
    EXPECT_TRUE(created.ok()) << created.status();
    created->state = RunState::kSucceeded;
    created->finished_at = absl::FromUnixSeconds(1'800'000'100);
    v1::RunReport report;
    report.set_run_id(created->id);
    report.set_participants_proposed(static_cast<uint32_t>(proposals.size()));
    EXPECT_TRUE(
        store_->PublishRun(*created, report.SerializeAsString(), proposals)
            .ok());
    return created->id;
  }

  std::vector<PublishedProposal> List(ProposalQuery query = {}) {
    absl::StatusOr<std::vector<PublishedProposal>> proposals =
        store_->ListProposals(query);
    EXPECT_TRUE(proposals.ok()) << proposals.status();
    return proposals.ok() ? *proposals : std::vector<PublishedProposal>{};
  }

  std::vector<std::pair<std::string, ProposalState>> States() {
    std::vector<std::pair<std::string, ProposalState>> states;
    for (const PublishedProposal& p : List()) {
      states.emplace_back(p.id, p.state);
    }
    return states;
  }

  absl::StatusOr<DecisionOutcome> Decide(const std::string& id,
                                         Decision decision,
                                         const std::string& reason = "") {
    return store_->DecideProposal(id, decision, "C0136-01", reason,
                                  absl::FromUnixSeconds(1'800'000'500),
                                  Date{2027, 1, 15});
  }

  // Accepting `proposal_id` is FAILED_PRECONDITION with `message`, and
  // nothing of the call was stored: the proposal is still pending and its
  // participant still active.
  void ExpectAcceptRefused(const std::string& proposal_id, int participant,
                           const std::string& message) {
    absl::StatusOr<DecisionOutcome> refused =
        Decide(proposal_id, Decision::kAccept);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(refused.status().message(), HasSubstr(message));
    EXPECT_EQ((*store_->GetProposal(proposal_id)).state,
              ProposalState::kPending);
    EXPECT_EQ((*store_->LoadParticipants())[participant].status,
              ParticipantStatus::kActive);
  }

  ScratchDir scratch_;
  std::unique_ptr<Store> store_;
  std::vector<Participant> participants_;
  std::vector<Opening> openings_;
};

TEST_F(StoreProposalsTest, RunsGetIncreasingIdsAndKeepTheirRecord) {
  const std::string first = Publish({Proposed(0, 0, 0.5)});
  const std::string second = Publish({});
  EXPECT_EQ(first, "R000001");
  EXPECT_EQ(second, "R000002");
  absl::StatusOr<RematchRun> run = store_->GetRun(first);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->state, RunState::kSucceeded);
  EXPECT_EQ(absl::ToUnixSeconds(*run->finished_at), 1'800'000'100);
  absl::StatusOr<std::string> record = store_->GetRunReport(first);
  ASSERT_TRUE(record.ok()) << record.status();
  v1::RunReport report;
  ASSERT_TRUE(report.ParseFromString(*record));
  EXPECT_EQ(report.participants_proposed(), 1u);
  absl::StatusOr<std::vector<RematchRun>> runs = store_->ListRuns();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].id, second);  // newest first
  EXPECT_EQ(store_->GetRun("R999999").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(StoreProposalsTest, RunsArePagedNewestFirst) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store_->CreateRun(NewRun(RunState::kQueued)).ok());
  }
  auto ids = [](const absl::StatusOr<std::vector<RematchRun>>& runs) {
    std::vector<std::string> out;
    for (const RematchRun& run : *runs) out.push_back(run.id);
    return out;
  };
  EXPECT_THAT(ids(store_->ListRuns(2)), ElementsAre("R000005", "R000004"));
  EXPECT_THAT(ids(store_->ListRuns(2, "R000004")),
              ElementsAre("R000003", "R000002"));
  EXPECT_THAT(ids(store_->ListRuns(2, "R000002")), ElementsAre("R000001"));
  EXPECT_TRUE(store_->ListRuns(2, "R000001")->empty());
  // A run keeps what it was created with.
  const RematchRun first = (*store_->ListRuns(1, "R000002"))[0];
  EXPECT_EQ(first.state, RunState::kQueued);
  EXPECT_EQ(absl::ToUnixSeconds(first.created_at), 1'800'000'000);
  EXPECT_FALSE(first.finished_at.has_value());
}

TEST_F(StoreProposalsTest, PublishingExpiresTheLastRunsPendingProposals) {
  const std::string first = Publish({Proposed(0, 0, 0.5), Proposed(1, 1, 0.4)});
  ASSERT_TRUE(Decide(first + "-0000002", Decision::kReject, "too far").ok());
  const std::string second =
      Publish({Proposed(0, 0, 0.5, true), Proposed(2, 2, 0.3)});
  EXPECT_THAT(States(),
              ElementsAre(Pair(first + "-0000001", ProposalState::kExpired),
                          Pair(first + "-0000002", ProposalState::kRejected),
                          Pair(second + "-0000001", ProposalState::kPending),
                          Pair(second + "-0000002", ProposalState::kPending)));
  absl::StatusOr<PublishedProposal> continued =
      store_->GetProposal(second + "-0000001");
  ASSERT_TRUE(continued.ok());
  EXPECT_TRUE(continued->continued_from_previous_run);
  EXPECT_DOUBLE_EQ(MatchOf(*continued).score(), 0.5);
  EXPECT_EQ(absl::ToUnixSeconds(continued->created_at), 1'800'000'100);

  absl::StatusOr<RematchHistory> history = store_->LoadRematchHistory();
  ASSERT_TRUE(history.ok());
  EXPECT_THAT(history->pending,
              ElementsAre(Pair(P(0), O(0)), Pair(P(2), O(2))));
  EXPECT_THAT(history->rejected, ElementsAre(Pair(P(1), O(1))));
}

TEST_F(StoreProposalsTest, DryRunsPublishNothingAndExpireNothing) {
  const std::string first = Publish({Proposed(0, 0, 0.5)});
  const std::string dry = Publish({Proposed(1, 1, 0.4)}, /*dry_run=*/true);
  EXPECT_THAT(States(),
              ElementsAre(Pair(first + "-0000001", ProposalState::kPending)));
  const std::vector<PublishedProposal> dry_proposals =
      List({.run_id = dry, .states = {ProposalState::kDryRun}});
  ASSERT_EQ(dry_proposals.size(), 1u);
  EXPECT_EQ(dry_proposals[0].state, ProposalState::kDryRun);
  absl::StatusOr<DecisionOutcome> decided =
      Decide(dry_proposals[0].id, Decision::kAccept);
  EXPECT_EQ(decided.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(decided.status().message(), HasSubstr("dry run"));
}

TEST_F(StoreProposalsTest, AcceptingPlacesTheParticipantAndTakesThePlace) {
  const std::string run =
      Publish({Proposed(0, 0, 0.5), Proposed(1, 0, 0.4), Proposed(2, 1, 0.3)});
  absl::StatusOr<DecisionOutcome> accepted =
      Decide(run + "-0000001", Decision::kAccept);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_TRUE(accepted->changed);
  EXPECT_EQ(accepted->proposal.state, ProposalState::kAccepted);
  EXPECT_EQ(accepted->proposal.decided_by, "C0136-01");
  EXPECT_EQ(absl::ToUnixSeconds(*accepted->proposal.decided_at), 1'800'000'500);
  ASSERT_TRUE(accepted->participant.has_value());
  EXPECT_EQ(accepted->participant->status, ParticipantStatus::kPlaced);
  ASSERT_TRUE(accepted->opening.has_value());
  EXPECT_EQ(accepted->opening->places_taken, 2);

  // The store agrees, across a reopen.
  Open({});
  absl::StatusOr<std::vector<Participant>> participants =
      store_->LoadParticipants();
  ASSERT_TRUE(participants.ok());
  EXPECT_EQ((*participants)[0].status, ParticipantStatus::kPlaced);
  EXPECT_EQ((*store_->LoadOpenings())[0].places_taken, 2);
  const std::string db = scratch_.File("p.db");
  EXPECT_EQ(
      QueryInt(db, "SELECT count(*) FROM placements WHERE participant_id = '" +
                       P(0) + "' AND opening_id = '" + O(0) +
                       "' AND start_date = '2027-01-15' AND source = "
                       "'proposal' AND end_date IS NULL"),
      1);
  EXPECT_EQ(QueryInt(db,
                     "SELECT count(*) FROM suggestion_actions WHERE "
                     "action = 'accepted' AND actor = 'C0136-01'"),
            1);

  // The opening is now full: the other proposal for it cannot be accepted,
  // and the message names the numbers.
  ExpectAcceptRefused(run + "-0000002", 1,
                      "opening " + O(0) + ": places_taken 2 = capacity 2");
}

// The accept path decides by AcceptsPlacement: an opening whose end date has
// passed takes no one, though its status is still OPEN; one that ends today
// still does. Rejecting is always possible.
TEST_F(StoreProposalsTest, AcceptingIsRefusedOnceTheOpeningHasEnded) {
  openings_[0].end_date = Date{2027, 1, 14};  // the day before Decide's today
  openings_[1].end_date = Date{2027, 1, 15};  // Decide's today
  ASSERT_TRUE(store_->UpsertOpenings({openings_[0], openings_[1]}).ok());
  const std::string run =
      Publish({Proposed(0, 0, 0.5), Proposed(1, 0, 0.4), Proposed(2, 1, 0.3)});

  ExpectAcceptRefused(run + "-0000001", 0,
                      "opening " + O(0) + " ended on 2027-01-14");
  EXPECT_EQ((*store_->LoadOpenings())[0].places_taken, 1);

  EXPECT_TRUE(Decide(run + "-0000002", Decision::kReject, "ended").ok());
  absl::StatusOr<DecisionOutcome> last_day =
      Decide(run + "-0000003", Decision::kAccept);
  ASSERT_TRUE(last_day.ok()) << last_day.status();
  EXPECT_EQ(last_day->opening->places_taken, 2);
}

TEST_F(StoreProposalsTest, AcceptingExpiresTheParticipantsOtherProposals) {
  // Two runs' worth of pending proposals for participant 0 cannot exist
  // (publishing expires the older ones), but a dry run's cannot be decided;
  // so put a second pending proposal in by hand, as an older server might.
  const std::string run = Publish({Proposed(0, 0, 0.5)});
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(scratch_.File("p.db").c_str(), &db), SQLITE_OK);
    const std::string sql =
        "INSERT INTO proposals (proposal_id, run_id, participant_id, "
        "opening_id, state, score, explanation, created_at) VALUES ('" +
        run + "-0000009', '" + run + "', '" + P(0) + "', '" + O(1) +
        "', 'pending', 0.2, x'', 0)";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  absl::StatusOr<DecisionOutcome> accepted =
      Decide(run + "-0000001", Decision::kAccept);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->expired_others, 1);
  EXPECT_EQ((*store_->GetProposal(run + "-0000009")).state,
            ProposalState::kExpired);
}

TEST_F(StoreProposalsTest, ErasingAPlacedParticipantReleasesThePlace) {
  const std::string run = Publish({Proposed(0, 0, 0.5), Proposed(1, 1, 0.4)});
  ASSERT_TRUE(Decide(run + "-0000001", Decision::kAccept).ok());
  absl::StatusOr<ErasureCounts> erased = store_->EraseParticipant(P(0));
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->placements, 1);
  EXPECT_EQ(erased->proposals, 1);
  ASSERT_EQ(erased->released_openings.size(), 1u);
  EXPECT_EQ(erased->released_openings[0].id, O(0));
  EXPECT_EQ(erased->released_openings[0].places_taken, 1);
  EXPECT_EQ((*store_->LoadOpenings())[0].places_taken, 1);
  EXPECT_EQ(QueryInt(scratch_.File("p.db"),
                     "SELECT count(*) FROM suggestion_actions"),
            0);
}

TEST_F(StoreProposalsTest, DecisionsAreIdempotentAndFinal) {
  const std::string run = Publish({Proposed(0, 0, 0.5), Proposed(1, 1, 0.4)});
  const std::string a = run + "-0000001";
  const std::string b = run + "-0000002";
  ASSERT_TRUE(Decide(a, Decision::kAccept).ok());
  absl::StatusOr<DecisionOutcome> again = Decide(a, Decision::kAccept);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->changed);
  EXPECT_FALSE(again->participant.has_value());
  EXPECT_EQ((*store_->LoadOpenings())[0].places_taken, 2);  // not 3
  EXPECT_EQ(Decide(a, Decision::kReject, "no").status().code(),
            absl::StatusCode::kFailedPrecondition);

  absl::StatusOr<DecisionOutcome> rejected =
      Decide(b, Decision::kReject, "needs a quieter workplace");
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_EQ(rejected->proposal.rejection_reason, "needs a quieter workplace");
  EXPECT_FALSE(rejected->participant.has_value());
  EXPECT_EQ((*store_->LoadOpenings())[1].places_taken, 1);
  EXPECT_FALSE(Decide(b, Decision::kReject, "x")->changed);
  EXPECT_THAT(Decide(b, Decision::kAccept).status().message(),
              HasSubstr("already rejected"));
  EXPECT_EQ(Decide(run + "-0000077", Decision::kAccept).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(StoreProposalsTest, AcceptRefusesInactiveParticipantsAndShutOpenings) {
  const std::string run = Publish({Proposed(0, 0, 0.5), Proposed(1, 1, 0.4)});
  participants_[0].status = ParticipantStatus::kPaused;
  ASSERT_TRUE(store_->UpsertParticipants({participants_[0]}).ok());
  EXPECT_THAT(Decide(run + "-0000001", Decision::kAccept).status().message(),
              HasSubstr("participant " + P(0) + ": status paused, not active"));
  openings_[1].status = OpeningStatus::kPaused;
  ASSERT_TRUE(store_->UpsertOpenings({openings_[1]}).ok());
  EXPECT_THAT(Decide(run + "-0000002", Decision::kAccept).status().message(),
              HasSubstr("opening " + O(1) + ": status paused, not open"));
}

TEST_F(StoreProposalsTest, ClosingAnOpeningExpiresItsPendingProposals) {
  const std::string run =
      Publish({Proposed(0, 0, 0.5), Proposed(1, 0, 0.4), Proposed(2, 1, 0.3)});
  openings_[0].status = OpeningStatus::kClosed;
  absl::StatusOr<int> expired = store_->CloseOpening(openings_[0]);
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_EQ(*expired, 2);
  EXPECT_THAT(States(),
              ElementsAre(Pair(run + "-0000001", ProposalState::kExpired),
                          Pair(run + "-0000002", ProposalState::kExpired),
                          Pair(run + "-0000003", ProposalState::kPending)));
  EXPECT_EQ((*store_->LoadOpenings())[0].status, OpeningStatus::kClosed);
  openings_[1].status = OpeningStatus::kOpen;
  EXPECT_EQ(store_->CloseOpening(openings_[1]).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(StoreProposalsTest, ListingFiltersByParticipantCoachRunStateAndPages) {
  const std::string run =
      Publish({Proposed(0, 0, 0.5), Proposed(1, 1, 0.4), Proposed(2, 2, 0.3)});
  ASSERT_TRUE(Decide(run + "-0000002", Decision::kReject, "no").ok());
  EXPECT_EQ(List({.participant_id = P(1)}).size(), 1u);
  // Operators' form: redacted explanation, no rejection reason.
  const std::vector<PublishedProposal> full = List({.participant_id = P(1)});
  EXPECT_EQ(full[0].rejection_reason, "no");
  EXPECT_FALSE(MatchOf(full[0]).sensitive_reasons_redacted());
  const std::vector<PublishedProposal> redacted =
      List({.participant_id = P(1), .redacted = true});
  ASSERT_EQ(redacted.size(), 1u);
  EXPECT_EQ(redacted[0].rejection_reason, "");
  EXPECT_TRUE(MatchOf(redacted[0]).sensitive_reasons_redacted());
  EXPECT_EQ(List({.run_id = "R000404"}).size(), 0u);
  EXPECT_EQ(List({.states = {ProposalState::kPending}}).size(), 2u);
  EXPECT_EQ(
      List({.states = {ProposalState::kRejected, ProposalState::kPending}})
          .size(),
      3u);
  // Coach filter: only participants whose coach_id matches.
  const std::string coach = participants_[2].coach_id;
  size_t expected = 0;
  for (int i = 0; i < 3; ++i) expected += participants_[i].coach_id == coach;
  EXPECT_EQ(List({.coach_id = coach}).size(), expected);
  EXPECT_EQ(List({.coach_id = "C9999-99"}).size(), 0u);
  // Keyset paging: two pages of 2 and 1, no overlap.
  const std::vector<PublishedProposal> first = List({.limit = 2});
  ASSERT_EQ(first.size(), 2u);
  const std::vector<PublishedProposal> second =
      List({.after_proposal_id = first.back().id, .limit = 2});
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].id, run + "-0000003");
}

TEST_F(StoreProposalsTest, UnfinishedRunsAreFailedAtStart) {
  absl::StatusOr<RematchRun> created =
      store_->CreateRun(NewRun(RunState::kRunning));
  ASSERT_TRUE(created.ok());
  const std::string done = Publish({});
  absl::StatusOr<int> failed =
      store_->FailUnfinishedRuns(absl::FromUnixSeconds(1'800'000'900),
                                 "the server stopped during the run");
  ASSERT_TRUE(failed.ok()) << failed.status();
  EXPECT_EQ(*failed, 1);
  const RematchRun after = *store_->GetRun(created->id);
  EXPECT_EQ(after.state, RunState::kFailed);
  EXPECT_EQ(after.error_message, "the server stopped during the run");
  EXPECT_EQ(absl::ToUnixSeconds(*after.finished_at), 1'800'000'900);
  EXPECT_EQ((*store_->GetRun(done)).state, RunState::kSucceeded);
  EXPECT_EQ(store_->GetRunReport(created->id).status().code(),
            absl::StatusCode::kNotFound);
}

class StoreProposalsFaultTest : public StoreProposalsTest {
 protected:
  void SetUp() override {
    fault_injection::RegisterFaultInjectionVfs();
    Open({.vfs = fault_injection::kFaultInjectionVfsName, .max_bytes = 0});
  }
  void TearDown() override {
    fault_injection::SetWriteFault(fault_injection::WriteFault::kNone);
  }
};

TEST_F(StoreProposalsFaultTest, AFailedPublishLeavesThePreviousProposals) {
  const std::string first = Publish({Proposed(0, 0, 0.5), Proposed(1, 1, 0.4)});
  absl::StatusOr<RematchRun> created =
      store_->CreateRun(NewRun(RunState::kRunning));
  ASSERT_TRUE(created.ok());
  created->state = RunState::kSucceeded;
  created->finished_at = absl::FromUnixSeconds(1'800'000'100);
  std::vector<NewProposal> many;
  for (int i = 0; i < 6; ++i) many.push_back(Proposed(i, i % 3, 0.1 * i));
  fault_injection::SetWriteFault(fault_injection::WriteFault::kDiskFull);
  const absl::Status published = store_->PublishRun(*created, "", many);
  EXPECT_EQ(published.code(), absl::StatusCode::kResourceExhausted)
      << published;
  fault_injection::SetWriteFault(fault_injection::WriteFault::kNone);
  EXPECT_THAT(States(),
              ElementsAre(Pair(first + "-0000001", ProposalState::kPending),
                          Pair(first + "-0000002", ProposalState::kPending)));
  EXPECT_EQ((*store_->GetRun(created->id)).state, RunState::kRunning);
  // And the same publish works once there is space again.
  ASSERT_TRUE(store_->PublishRun(*created, "", many).ok());
  EXPECT_EQ(List({.states = {ProposalState::kPending}}).size(), 6u);
}

}  // namespace
}  // namespace placement::store
