// The hold and placement life cycles, hold expiry in working days, the end
// of a placement and what employers may count (engine/placements.h), and
// held places in the one rule of engine/opening_rules.h.

#include "engine/placements.h"

#include <tuple>
#include <vector>

#include "engine/opening_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace placement {
namespace {

using ::testing::HasSubstr;

// Every (state, action) pair of the table in engine/placements.h.
TEST(HoldLifeCycleTest, EveryTransition) {
  using S = HoldState;
  using A = HoldAction;
  struct Row {
    S from;
    A action;
    std::optional<S> to;  // nullopt: refused
    const char* refusal;
  };
  const std::vector<Row> table = {
      {S::kActive, A::kRelease, S::kReleased, ""},
      {S::kActive, A::kExpire, S::kExpired, ""},
      {S::kActive, A::kStart, S::kStarted, ""},
      {S::kReleased, A::kRelease, S::kReleased, ""},
      {S::kReleased, A::kExpire, std::nullopt, "was released"},
      {S::kReleased, A::kStart, std::nullopt, "was released"},
      {S::kExpired, A::kRelease, std::nullopt, "has expired"},
      {S::kExpired, A::kExpire, S::kExpired, ""},
      {S::kExpired, A::kStart, std::nullopt, "has expired"},
      {S::kStarted, A::kRelease, std::nullopt, "already started"},
      {S::kStarted, A::kExpire, std::nullopt, "already started"},
      {S::kStarted, A::kStart, std::nullopt, "already started"},
  };
  ASSERT_EQ(table.size(),
            static_cast<size_t>(kHoldStateCount * kHoldActionCount));
  for (const Row& row : table) {
    SCOPED_TRACE(::testing::Message() << HoldStateName(row.from) << " "
                                      << HoldActionSlug(row.action));
    absl::StatusOr<HoldState> next =
        NextHoldState(row.from, row.action, "H0000001");
    if (row.to) {
      ASSERT_TRUE(next.ok()) << next.status();
      EXPECT_EQ(*next, *row.to);
    } else {
      ASSERT_FALSE(next.ok());
      EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_THAT(next.status().message(), HasSubstr("hold H0000001"));
      EXPECT_THAT(next.status().message(), HasSubstr(row.refusal));
    }
  }
}

TEST(HoldLifeCycleTest, AnActiveHoldPastItsExpiryIsExpired) {
  Hold hold{.id = "H0000001",
            .state = HoldState::kActive,
            .expires_at = absl::FromUnixSeconds(1000)};
  EXPECT_TRUE(IsLive(hold, absl::FromUnixSeconds(999)));
  EXPECT_FALSE(IsLive(hold, absl::FromUnixSeconds(1000)));
  EXPECT_EQ(StateAt(hold, absl::FromUnixSeconds(999)), HoldState::kActive);
  EXPECT_EQ(StateAt(hold, absl::FromUnixSeconds(1000)), HoldState::kExpired);
  hold.state = HoldState::kReleased;
  EXPECT_EQ(StateAt(hold, absl::FromUnixSeconds(2000)), HoldState::kReleased);
}

TEST(PlacementLifeCycleTest, EveryTransition) {
  absl::StatusOr<PlacementState> ended = NextPlacementState(
      PlacementState::kActive, PlacementAction::kEnd, "L0000001", {});
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(*ended, PlacementState::kEnded);
  absl::StatusOr<PlacementState> again =
      NextPlacementState(PlacementState::kEnded, PlacementAction::kEnd,
                         "L0000001", Date{2027, 2, 1});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.status().message(),
            "placement L0000001 already ended on 2027-02-01");
}

TEST(HoldExpiryTest, CountsMondayToFriday) {
  // 2027-01-15 is a Friday.
  EXPECT_FALSE(IsWorkingDay({2027, 1, 16}));
  EXPECT_FALSE(IsWorkingDay({2027, 1, 17}));
  EXPECT_TRUE(IsWorkingDay({2027, 1, 15}));
  EXPECT_EQ(HoldExpiryDay({2027, 1, 15}, 3), (Date{2027, 1, 20}));  // Wed
  EXPECT_EQ(HoldExpiryDay({2027, 1, 16}, 3), (Date{2027, 1, 20}));  // Sat
  EXPECT_EQ(HoldExpiryDay({2027, 1, 11}, 3), (Date{2027, 1, 14}));  // Mon
  EXPECT_EQ(HoldExpiryDay({2027, 1, 11}, 10), (Date{2027, 1, 25}));
  EXPECT_EQ(HoldExpiryDay({2026, 12, 31}, 1), (Date{2027, 1, 1}));
  EXPECT_EQ(NextDay({2026, 12, 31}), (Date{2027, 1, 1}));
}

TEST(HoldExpiryTest, WorkingDaysAreBounded) {
  EXPECT_TRUE(CheckHoldWorkingDays(0, "working_days").ok());
  EXPECT_TRUE(CheckHoldWorkingDays(10, "working_days").ok());
  EXPECT_EQ(CheckHoldWorkingDays(11, "working_days").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(CheckHoldWorkingDays(-1, "working_days").message(),
              HasSubstr("working_days: -1"));
}

TEST(OpeningRulesTest, HeldPlacesAreTakenForEveryoneElse) {
  Opening opening;
  opening.id = "O000001";
  opening.capacity = 3;
  opening.places_taken = 1;
  opening.status = OpeningStatus::kOpen;
  const Date today{2027, 1, 15};
  EXPECT_EQ(FreePlaces(opening), 2);
  opening.places_held = 1;
  EXPECT_EQ(FreePlaces(opening), 1);
  EXPECT_TRUE(AcceptsPlacement(opening, today));
  opening.places_held = 2;
  EXPECT_EQ(FreePlaces(opening), 0);
  EXPECT_FALSE(AcceptsPlacement(opening, today));
  EXPECT_TRUE(AcceptsPlacement(opening, today, /*require_free_place=*/false));
  EXPECT_EQ(CheckAcceptsPlacement(opening, today).message(),
            "opening O000001: places_taken 1 + places_held 2 = capacity 3");
  opening.places_held = 0;
  opening.places_taken = 3;
  EXPECT_EQ(CheckAcceptsPlacement(opening, today).message(),
            "opening O000001: places_taken 3 = capacity 3");
}

TEST(StartDateTest, WithinAMonthBackAndThreeAhead) {
  const Date today{2027, 1, 15};
  EXPECT_TRUE(CheckStartDate(today, today, "start_date").ok());
  EXPECT_TRUE(CheckStartDate({2026, 12, 15}, today, "start_date").ok());
  EXPECT_FALSE(CheckStartDate({2026, 12, 14}, today, "start_date").ok());
  EXPECT_TRUE(CheckStartDate({2027, 4, 17}, today, "start_date").ok());
  EXPECT_FALSE(CheckStartDate({2027, 4, 18}, today, "start_date").ok());
  EXPECT_THAT(CheckStartDate({2027, 2, 30}, today, "start_date").message(),
              HasSubstr("not a date"));
}

class PlacementEndTest : public ::testing::Test {
 protected:
  PlacementRecord placement_{.id = "L0000001",
                             .participant_id = "P0000001",
                             .opening_id = "O000001",
                             .start_date = {2027, 1, 4}};
  Participant participant_ = [] {
    Participant p;
    p.id = "P0000001";
    p.step = 2;
    p.status = ParticipantStatus::kPlaced;
    return p;
  }();
  const Date today_{2027, 1, 15};
  const absl::Time at_ = absl::FromUnixSeconds(1'800'000'000);
};

TEST_F(PlacementEndTest, CompletedMakesTheParticipantActive) {
  absl::StatusOr<EndEffect> effect = ApplyPlacementEnd(
      placement_, participant_,
      {.end_date = today_, .outcome = PlacementOutcome::kCompleted}, today_,
      "C1", at_);
  ASSERT_TRUE(effect.ok()) << effect.status();
  EXPECT_EQ(effect->participant.status, ParticipantStatus::kActive);
  EXPECT_EQ(effect->participant.step, 2);
  EXPECT_FALSE(effect->step_change.has_value());
  EXPECT_EQ(effect->participant.updated_at, at_);
}

TEST_F(PlacementEndTest, MovedUpRecordsTheStep) {
  absl::StatusOr<EndEffect> effect =
      ApplyPlacementEnd(placement_, participant_,
                        {.end_date = {2027, 1, 14},
                         .outcome = PlacementOutcome::kMovedUp,
                         .to_step = 4},
                        today_, "C1", at_);
  ASSERT_TRUE(effect.ok()) << effect.status();
  EXPECT_EQ(effect->participant.step, 4);
  ASSERT_TRUE(effect->step_change.has_value());
  EXPECT_EQ(effect->step_change->from_step, 2);
  EXPECT_EQ(effect->step_change->to_step, 4);
  EXPECT_EQ(effect->step_change->on, (Date{2027, 1, 14}));
  EXPECT_EQ(effect->step_change->reason, StepChangeReason::kPlacementOutcome);
  EXPECT_EQ(effect->step_change->placement_id, "L0000001");
}

TEST_F(PlacementEndTest, LeavingTheProgrammeSetsTheExitDate) {
  absl::StatusOr<EndEffect> effect =
      ApplyPlacementEnd(placement_, participant_,
                        {.end_date = today_,
                         .outcome = PlacementOutcome::kUnsubsidisedWork,
                         .leaves_programme = true},
                        today_, "C1", at_);
  ASSERT_TRUE(effect.ok()) << effect.status();
  EXPECT_EQ(effect->participant.status, ParticipantStatus::kExited);
  EXPECT_EQ(effect->participant.exit_date, today_);
}

TEST_F(PlacementEndTest, RefusesBadEnds) {
  const std::vector<std::tuple<PlacementEnd, const char*>> bad = {
      {{.end_date = {2027, 1, 3}}, "end_date: 2027-01-03 is before the start"},
      {{.end_date = {2027, 1, 16}}, "end_date: 2027-01-16 is in the future"},
      {{.end_date = today_, .outcome = PlacementOutcome::kMovedUp},
       "to_step: -1 is not above"},
      {{.end_date = today_,
        .outcome = PlacementOutcome::kMovedUp,
        .to_step = 2},
       "to_step: 2 is not above the participant's step 2"},
      {{.end_date = today_,
        .outcome = PlacementOutcome::kMovedUp,
        .to_step = 6},
       "to_step: 6"},
      {{.end_date = today_,
        .outcome = PlacementOutcome::kCompleted,
        .to_step = 3},
       "only an outcome of moved_up names a step"},
  };
  for (const auto& [end, message] : bad) {
    absl::StatusOr<EndEffect> effect =
        ApplyPlacementEnd(placement_, participant_, end, today_, "C1", at_);
    ASSERT_FALSE(effect.ok()) << message;
    EXPECT_EQ(effect.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(effect.status().message(), HasSubstr(message));
  }
}

TEST(CountPlacementsTest, InterruptionsAreOneNeutralCount) {
  std::vector<PlacementRecord> placements(6);
  placements[1].end_date = Date{2027, 1, 2};
  placements[1].outcome = PlacementOutcome::kInterruptedForHealth;
  placements[2].end_date = Date{2027, 1, 2};
  placements[2].outcome = PlacementOutcome::kInterruptedByEmployer;
  placements[3].end_date = Date{2027, 1, 2};
  placements[3].outcome = PlacementOutcome::kStudies;
  placements[4].end_date = Date{2027, 1, 2};
  placements[4].outcome = PlacementOutcome::kMovedUp;
  const OpeningPlacementCounts counts = CountPlacements(placements);
  EXPECT_EQ(counts.current, 2);
  EXPECT_EQ(counts.ended, 4);
  EXPECT_EQ(
      counts
          .ended_by_outcome[static_cast<size_t>(EmployerOutcome::kInterrupted)],
      2);
  EXPECT_EQ(
      counts.ended_by_outcome[static_cast<size_t>(EmployerOutcome::kStudies)],
      1);
  EXPECT_EQ(
      counts.ended_by_outcome[static_cast<size_t>(EmployerOutcome::kMovedUp)],
      1);
  for (int i = 0; i < kPlacementOutcomeCount; ++i) {
    const auto outcome = static_cast<PlacementOutcome>(i);
    ASSERT_TRUE(ParsePlacementOutcome(PlacementOutcomeSlug(outcome)).ok());
    if (PlacementOutcomeSlug(outcome).substr(0, 11) == "interrupted") {
      EXPECT_EQ(EmployerOutcomeOf(outcome), EmployerOutcome::kInterrupted);
    }
  }
}

TEST(TimelineTest, SortsByDayThenTime) {
  std::vector<TimelineEvent> events = {
      {.on = {2027, 1, 3}, .at = absl::FromUnixSeconds(5), .reference = "b"},
      {.on = {2027, 1, 2}, .at = absl::FromUnixSeconds(9), .reference = "a"},
      {.on = {2027, 1, 3}, .at = absl::FromUnixSeconds(1), .reference = "c"},
  };
  SortTimeline(events);
  EXPECT_EQ(events[0].reference, "a");
  EXPECT_EQ(events[1].reference, "c");
  EXPECT_EQ(events[2].reference, "b");
}

}  // namespace
}  // namespace placement
