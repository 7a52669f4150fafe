// The coach's use cases in process, without a server: who may ask, what the
// answer holds (it must equal the engine's own ranking and explanations),
// which access records it asks to be written, and how a decision changes the
// store and the snapshot together.

#include "app/coach.h"

#include <memory>
#include <string>
#include <vector>

#include "engine/population_generator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/app/use_case_test.h"
#include "tests/testing/test_util.h"

namespace placement::app {
namespace {

using ::placement::testing::UseCaseTest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// 40 active participants and 60 open openings of a generated population, in
// a real store and a snapshot, with the clock fixed.
class CoachUseCaseTest : public UseCaseTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        InitGenerated({.seed = 11, .participants = 40, .openings = 60}).ok());
  }

  const Participant& Person(int i) const {
    return holder_->Current()->participant(i);
  }
  static Caller CoachOf(const Participant& participant) {
    return Caller{.principal = participant.coach_id, .role = Role::kCoach};
  }
};

TEST_F(CoachUseCaseTest, SuggestionsAreTheEnginesRankingExplained) {
  const std::shared_ptr<const Snapshot> snapshot = holder_->Current();
  for (int i = 0; i < 10; ++i) {
    const Participant& participant = Person(i);
    absl::StatusOr<Suggestions> got =
        SuggestOpenings(context_, CoachOf(participant),
                        {.participant_id = participant.id, .k = 5});
    ASSERT_TRUE(got.ok()) << got.status();

    TopKQuery query;
    query.k = 5;
    query.context.today = SwedishDate(context_.now());
    TopKCounts counts;
    const std::vector<RankedMatch> expected =
        TopOpenings(*snapshot, participant, query, &counts);
    ASSERT_EQ(got->matches.size(), expected.size());
    for (size_t j = 0; j < expected.size(); ++j) {
      const Opening& opening = snapshot->opening(expected[j].index);
      const Explanation explained = ExplainPair(
          participant, opening, snapshot->reference(), query.context);
      EXPECT_EQ(got->matches[j].opening_id, opening.id);
      EXPECT_EQ(got->matches[j].total, explained.total);
      EXPECT_EQ(got->matches[j].reasons.size(), explained.reasons.size());
    }
    EXPECT_EQ(got->openings_considered, counts.considered);
    EXPECT_EQ(got->openings_eligible, counts.eligible);
    EXPECT_EQ(got->snapshot_version, snapshot->version());
    EXPECT_EQ(got->profile_name, "default");
    ASSERT_EQ(got->access.size(), 1u);
    EXPECT_EQ(got->access[0].participant_id, participant.id);
    EXPECT_EQ(got->access[0].actor, participant.coach_id);
    EXPECT_EQ(got->access[0].call, "CoachService.SuggestOpenings");
    EXPECT_EQ(got->access[0].at, context_.now());
  }
}

TEST_F(CoachUseCaseTest, FiltersNarrowTheOpeningsConsidered) {
  const Participant& participant = Person(0);
  const std::string home = participant.municipality_code;
  absl::StatusOr<Suggestions> got =
      SuggestOpenings(context_, CoachOf(participant),
                      {.participant_id = participant.id,
                       .kinds = {OpeningKind::kWorkTraining},
                       .municipality_codes = {home}});
  ASSERT_TRUE(got.ok()) << got.status();
  int expected = 0;
  const std::shared_ptr<const Snapshot> snapshot = holder_->Current();
  for (int i : snapshot->OpeningIndices()) {
    const Opening& opening = snapshot->opening(i);
    expected += opening.kind == OpeningKind::kWorkTraining &&
                opening.municipality_code == home;
  }
  EXPECT_EQ(got->openings_considered, expected);
  for (const Explanation& match : got->matches) {
    const Opening& opening =
        snapshot->opening(*snapshot->FindOpening(match.opening_id));
    EXPECT_EQ(opening.kind, OpeningKind::kWorkTraining);
    EXPECT_EQ(opening.municipality_code, home);
  }
}

TEST_F(CoachUseCaseTest, OnlyTheParticipantsOwnCoachMayAsk) {
  const Participant& participant = Person(0);
  const Caller stranger{.principal = "C9999-99", .role = Role::kCoach};
  absl::StatusOr<Suggestions> other =
      SuggestOpenings(context_, stranger, {.participant_id = participant.id});
  absl::StatusOr<Suggestions> unknown =
      SuggestOpenings(context_, stranger, {.participant_id = "P9999999"});
  // The same answer whether or not the id exists.
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(other.status().message(), HasSubstr("not in your caseload"));

  const Caller employer{.principal = "E1", .role = Role::kEmployerContact};
  EXPECT_EQ(
      SuggestOpenings(context_, employer, {.participant_id = participant.id})
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ExplainMatch(context_, employer, participant.id,
                         holder_->Current()->opening(0).id)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(CoachUseCaseTest, BadQueriesNameTheField) {
  const Participant& participant = Person(0);
  const Caller coach = CoachOf(participant);
  const auto message = [&](const SuggestQuery& query) {
    absl::StatusOr<Suggestions> got = SuggestOpenings(context_, coach, query);
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(got.status().message());
  };
  EXPECT_THAT(message({.participant_id = participant.id, .k = 101}),
              HasSubstr("k: 101 is above the maximum 100"));
  EXPECT_THAT(message({.participant_id = participant.id,
                       .municipality_codes = {"9999"}}),
              HasSubstr("filters.municipality_codes[0]: '9999'"));
  EXPECT_THAT(message({.participant_id = participant.id,
                       .max_travel_minutes = kMaxTravelMinutes + 1}),
              HasSubstr("filters.max_travel_minutes"));
  WeightOverrides negative;
  negative[0] = -1.0;
  EXPECT_THAT(message({.participant_id = participant.id, .weights = negative}),
              HasSubstr("profile: "));
}

TEST_F(CoachUseCaseTest, ExplainMatchIsTheEnginesExplanation) {
  const Participant& participant = Person(3);
  const std::shared_ptr<const Snapshot> snapshot = holder_->Current();
  const Opening& opening = snapshot->opening(7);
  absl::StatusOr<Explained> got =
      ExplainMatch(context_, CoachOf(participant), participant.id, opening.id);
  ASSERT_TRUE(got.ok()) << got.status();
  ScoringContext scoring;
  scoring.today = SwedishDate(context_.now());
  const Explanation expected =
      ExplainPair(participant, opening, snapshot->reference(), scoring);
  EXPECT_EQ(got->explanation.total, expected.total);
  EXPECT_EQ(got->explanation.eligible, expected.eligible);
  ASSERT_EQ(got->access.size(), 1u);
  EXPECT_EQ(got->access[0].call, "CoachService.ExplainMatch");

  absl::StatusOr<Explained> missing =
      ExplainMatch(context_, CoachOf(participant), participant.id, "O999999");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("opening_id: 'O999999'"));
}

TEST_F(CoachUseCaseTest, AcceptingPlacesTheParticipantInStoreAndSnapshot) {
  const Participant& participant = Person(0);
  const Opening& opening = holder_->Current()->opening(0);
  const std::string participant_id = participant.id;
  const std::string opening_id = opening.id;
  const Caller coach = CoachOf(participant);

  std::string proposal_id;
  ASSERT_NO_FATAL_FAILURE(
      PublishProposal(participant_id, opening_id, &proposal_id));

  // Bad requests first: nothing changes.
  EXPECT_THAT(
      DecideProposal(context_, coach, proposal_id, Decision::kReject, "")
          .status()
          .message(),
      HasSubstr("reason: required"));
  EXPECT_EQ(DecideProposal(context_, coach, proposal_id, Decision::kReject,
                           std::string(501, 'x'))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  const Caller stranger{.principal = "C9999-99", .role = Role::kCoach};
  EXPECT_EQ(
      DecideProposal(context_, stranger, proposal_id, Decision::kAccept, "")
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);

  absl::StatusOr<v1::Proposal> accepted =
      DecideProposal(context_, coach, proposal_id, Decision::kAccept, "");
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->state(), v1::PROPOSAL_STATE_ACCEPTED);
  const std::shared_ptr<const Snapshot> after = holder_->Current();
  EXPECT_EQ(after->participant(*after->FindParticipant(participant_id)).status,
            ParticipantStatus::kPlaced);
  EXPECT_EQ(after->opening(*after->FindOpening(opening_id)).places_taken, 1);
  absl::StatusOr<std::vector<store::AccessRecord>> log =
      store_->ReadAccessLog(participant_id);
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].call, "CoachService.DecideProposal");

  // Listing the caseload's proposals logs one record per proposal listed.
  absl::StatusOr<ProposalPage> page =
      ListProposals(context_, coach, "CoachService.ListProposals",
                    {.coach_id = coach.principal}, 10, "");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->proposals.size(), 1u);
  EXPECT_EQ(page->proposals[0].proposal_id(), proposal_id);
  EXPECT_TRUE(page->next_page_token.empty());
  log = store_->ReadAccessLog(participant_id);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->size(), 2u);
}

}  // namespace
}  // namespace placement::app
