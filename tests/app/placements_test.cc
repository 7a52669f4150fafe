// Holds, placements, the step history, the timeline and employers' counts
// as use cases (app/placements.h) over a real store and snapshot, with an
// injected clock; and a property test against a small model of free places.

#include "app/placements.h"

#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "app/coach.h"
#include "app/employer.h"
#include "app/registry.h"
#include "engine/opening_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/app/use_case_test.h"

namespace placement::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// 1'800'000'000 s is Friday 2027-01-15, 09:00 in Sweden.
constexpr int64_t kStart = 1'800'000'000;

class PlacementUseCaseTest : public testing::UseCaseTest {
 protected:
  // 12 active participants and 4 open openings of capacity 1, 2, 2, 3.
  void SetUp() override {
    const PopulationGenerator generator(
        {.seed = 21, .participants = 12, .openings = 4}, testing::Reference());
    std::vector<Participant> participants;
    for (int i = 0; i < 12; ++i) {
      participants.push_back(generator.Participant(i));
      participants.back().status = ParticipantStatus::kActive;
    }
    std::vector<Opening> openings = OpenOpenings(generator, 4);
    const int capacities[] = {1, 2, 2, 3};
    for (int i = 0; i < 4; ++i) openings[i].capacity = capacities[i];
    ASSERT_TRUE(Init(participants, openings).ok());
    context_.now = [this] { return now_; };
    for (const Participant& p : participants) ids_.push_back(p.id);
    for (const Opening& o : openings) openings_.push_back(o.id);
  }

  Caller CoachOf(const std::string& participant_id) {
    std::shared_ptr<const Snapshot> snapshot = holder_->Current();
    return Caller{
        .principal =
            snapshot->participant(*snapshot->FindParticipant(participant_id))
                .coach_id,
        .role = Role::kCoach};
  }

  const Opening& InSnapshot(const std::string& opening_id) {
    snapshot_ = holder_->Current();
    return snapshot_->opening(*snapshot_->FindOpening(opening_id));
  }
  const Participant& Person(const std::string& participant_id) {
    snapshot_ = holder_->Current();
    return snapshot_->participant(*snapshot_->FindParticipant(participant_id));
  }

  absl::StatusOr<Hold> HoldFor(int participant, int opening, int days = 0) {
    return HoldPlace(context_, CoachOf(ids_[participant]),
                     {.participant_id = ids_[participant],
                      .opening_id = openings_[opening],
                      .working_days = days});
  }

  absl::Time now_ = absl::FromUnixSeconds(kStart);
  std::vector<std::string> ids_;
  std::vector<std::string> openings_;
  std::shared_ptr<const Snapshot> snapshot_;
};

TEST_F(PlacementUseCaseTest, AHoldTakesThePlaceForEveryoneElse) {
  absl::StatusOr<Hold> hold = HoldFor(0, 0);
  ASSERT_TRUE(hold.ok()) << hold.status();
  EXPECT_EQ(hold->id, "H0000001");
  EXPECT_EQ(hold->state, HoldState::kActive);
  // Friday + 3 working days: through Wednesday 2027-01-20, Swedish time.
  EXPECT_EQ(hold->expires_at, SwedishStartOfDay({2027, 1, 21}));
  EXPECT_EQ(InSnapshot(openings_[0]).places_held, 1);
  EXPECT_EQ(FreePlaces(InSnapshot(openings_[0])), 0);

  absl::StatusOr<Hold> second = HoldFor(1, 0);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(),
              HasSubstr("no free place: the last one was just taken"));

  // Suggestions for someone else list it only as full.
  absl::StatusOr<Suggestions> suggested = SuggestOpenings(
      context_, CoachOf(ids_[1]),
      {.participant_id = ids_[1], .k = 100, .include_full_openings = false});
  ASSERT_TRUE(suggested.ok()) << suggested.status();
  for (const Explanation& e : suggested->matches) {
    EXPECT_NE(e.opening_id, openings_[0]);
  }
  // The store counts it too.
  absl::StatusOr<std::vector<Opening>> stored = store_->LoadOpenings();
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ((*stored)[0].places_held, 1);
}

TEST_F(PlacementUseCaseTest, OneHoldPerParticipant) {
  ASSERT_TRUE(HoldFor(0, 1).ok());
  absl::StatusOr<Hold> again = HoldFor(0, 2);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(), HasSubstr("already holds a place"));
}

TEST_F(PlacementUseCaseTest, OnlyTheCoachOfTheCaseload) {
  Caller other{.principal = "C9999-99", .role = Role::kCoach};
  absl::StatusOr<Hold> hold = HoldPlace(
      context_, other, {.participant_id = ids_[0], .opening_id = openings_[1]});
  EXPECT_EQ(hold.status().code(), absl::StatusCode::kPermissionDenied);
  Caller employer{.principal = "E1", .role = Role::kEmployerContact};
  EXPECT_EQ(HoldPlace(context_, employer,
                      {.participant_id = ids_[0], .opening_id = openings_[1]})
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(HoldFor(0, 1).ok());
  EXPECT_EQ(ReleaseHold(context_, other, "H0000001").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReleaseHold(context_, other, "H0000404").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetTimeline(context_, other, ids_[0]).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(HoldFor(0, 1, 11).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PlacementUseCaseTest, ReleaseFreesThePlaceAndIsASafeRetry) {
  ASSERT_TRUE(HoldFor(0, 0).ok());
  absl::StatusOr<Hold> released =
      ReleaseHold(context_, CoachOf(ids_[0]), "H0000001");
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_EQ(released->state, HoldState::kReleased);
  EXPECT_EQ(InSnapshot(openings_[0]).places_held, 0);
  EXPECT_TRUE(ReleaseHold(context_, CoachOf(ids_[0]), "H0000001").ok());
  EXPECT_TRUE(HoldFor(1, 0).ok());
}

TEST_F(PlacementUseCaseTest, HoldsExpireByTheInjectedClock) {
  ASSERT_TRUE(HoldFor(0, 0, 1).ok());  // through Monday 2027-01-18
  now_ = SwedishStartOfDay({2027, 1, 19}) - absl::Seconds(1);
  EXPECT_EQ(InSnapshot(openings_[0]).places_held, 1);
  absl::StatusOr<HoldList> listed = ListHolds(context_, CoachOf(ids_[0]), "");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->holds.size(), 1u);

  now_ = SwedishStartOfDay({2027, 1, 19});
  // Any read expires it first: suggestions see the place free again.
  absl::StatusOr<Suggestions> suggested = SuggestOpenings(
      context_, CoachOf(ids_[1]), {.participant_id = ids_[1], .k = 100});
  ASSERT_TRUE(suggested.ok());
  EXPECT_EQ(InSnapshot(openings_[0]).places_held, 0);
  listed = ListHolds(context_, CoachOf(ids_[0]), "");
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->holds.empty());
  absl::StatusOr<Hold> stored = store_->GetHold("H0000001");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->state, HoldState::kExpired);
  EXPECT_EQ(ReleaseHold(context_, CoachOf(ids_[0]), "H0000001").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(HoldFor(1, 0).ok());
}

// The server's periodic sweep calls ExpireDueHolds: a hold nobody reads
// past its expiry is expired in the store and frees its place in the
// snapshot all the same, and the sweep does nothing before it is due.
TEST_F(PlacementUseCaseTest, TheSweepExpiresHoldsThatNoOneReads) {
  ASSERT_TRUE(HoldFor(0, 0, 1).ok());  // through Monday 2027-01-18
  now_ = SwedishStartOfDay({2027, 1, 19}) - absl::Seconds(1);
  absl::StatusOr<int> swept = ExpireDueHolds(context_);
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 0);
  EXPECT_EQ(InSnapshot(openings_[0]).places_held, 1);
  EXPECT_EQ(store_->GetHold("H0000001")->state, HoldState::kActive);

  now_ = SwedishStartOfDay({2027, 1, 19});
  swept = ExpireDueHolds(context_);
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 1);
  // Read straight from the holder and the store: no use case ran.
  EXPECT_EQ(InSnapshot(openings_[0]).places_held, 0);
  EXPECT_EQ(store_->GetHold("H0000001")->state, HoldState::kExpired);
  swept = ExpireDueHolds(context_);
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 0) << "an expired hold is expired once";
}

TEST_F(PlacementUseCaseTest, AnExpiredHoldCannotBeStarted) {
  ASSERT_TRUE(HoldFor(0, 1, 1).ok());
  now_ += absl::Hours(24 * 7);
  absl::StatusOr<store::PlacementChange> started =
      StartPlacement(context_, CoachOf(ids_[0]),
                     {.participant_id = ids_[0], .hold_id = "H0000001"});
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(started.status().message(), HasSubstr("has expired"));
}

TEST_F(PlacementUseCaseTest, HoldStartEndAndTheTimeline) {
  const Caller coach = CoachOf(ids_[0]);
  const int step = Person(ids_[0]).step;
  ASSERT_TRUE(HoldFor(0, 0).ok());
  now_ += absl::Hours(2);
  absl::StatusOr<store::PlacementChange> started = StartPlacement(
      context_, coach, {.participant_id = ids_[0], .hold_id = "H0000001"});
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(started->placement.id, "L0000001");
  EXPECT_EQ(started->placement.source, PlacementSource::kHold);
  EXPECT_EQ(started->placement.start_date, (Date{2027, 1, 15}));
  EXPECT_EQ(Person(ids_[0]).status, ParticipantStatus::kPlaced);
  EXPECT_EQ(Person(ids_[0]).updated_at, now_);
  EXPECT_EQ(InSnapshot(openings_[0]).places_taken, 1);
  EXPECT_EQ(InSnapshot(openings_[0]).places_held, 0);
  EXPECT_EQ(InSnapshot(openings_[0]).updated_at, now_);
  // A started hold is not started twice, and a placed person holds nothing.
  EXPECT_EQ(StartPlacement(context_, coach,
                           {.participant_id = ids_[0], .hold_id = "H0000001"})
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(HoldFor(0, 1).status().code(),
            absl::StatusCode::kFailedPrecondition);

  now_ += absl::Hours(24 * 10);
  const int to_step = step == kMaxStep ? kMaxStep : step + 1;
  const PlacementOutcome outcome = step == kMaxStep
                                       ? PlacementOutcome::kCompleted
                                       : PlacementOutcome::kMovedUp;
  absl::StatusOr<store::PlacementChange> ended = EndPlacement(
      context_, coach, "L0000001",
      {.end_date = SwedishDate(now_),
       .outcome = outcome,
       .to_step = outcome == PlacementOutcome::kMovedUp ? to_step : -1});
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(Person(ids_[0]).status, ParticipantStatus::kActive);
  EXPECT_EQ(Person(ids_[0]).step, to_step);
  EXPECT_EQ(InSnapshot(openings_[0]).places_taken, 0);
  EXPECT_EQ(
      EndPlacement(context_, coach, "L0000001", {.end_date = SwedishDate(now_)})
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);

  absl::StatusOr<Timeline> timeline = GetTimeline(context_, coach, ids_[0]);
  ASSERT_TRUE(timeline.ok()) << timeline.status();
  std::vector<TimelineEventKind> kinds;
  for (const TimelineEvent& e : timeline->events) kinds.push_back(e.kind);
  using K = TimelineEventKind;
  if (outcome == PlacementOutcome::kMovedUp) {
    EXPECT_THAT(kinds, ElementsAre(K::kHoldPlaced, K::kHoldStarted,
                                   K::kPlacementStarted, K::kPlacementEnded,
                                   K::kStepChanged));
    EXPECT_EQ(timeline->events.back().to_step, to_step);
  } else {
    EXPECT_THAT(kinds, ElementsAre(K::kHoldPlaced, K::kHoldStarted,
                                   K::kPlacementStarted, K::kPlacementEnded));
  }
  EXPECT_EQ(timeline->events[3].outcome, outcome);
  ASSERT_EQ(timeline->access.size(), 1u);
  EXPECT_EQ(timeline->access[0].call, "PlacementService.GetTimeline");
  // The writes logged their own records.
  absl::StatusOr<std::vector<store::AccessRecord>> log =
      store_->ReadAccessLog(ids_[0]);
  ASSERT_TRUE(log.ok());
  std::vector<std::string> calls;
  for (const store::AccessRecord& r : *log) calls.push_back(r.call);
  EXPECT_THAT(calls, ElementsAre("PlacementService.HoldPlace",
                                 "PlacementService.StartPlacement",
                                 "PlacementService.EndPlacement"));
}

TEST_F(PlacementUseCaseTest, DirectStartNeedsAFreePlaceAndEndsOwnHold) {
  const Caller coach = CoachOf(ids_[0]);
  ASSERT_TRUE(HoldFor(1, 0).ok());  // someone else holds the only place
  absl::StatusOr<store::PlacementChange> refused = StartPlacement(
      context_, coach, {.participant_id = ids_[0], .opening_id = openings_[0]});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  // A hold elsewhere is released when the participant starts directly.
  ASSERT_TRUE(HoldFor(0, 1).ok());
  absl::StatusOr<store::PlacementChange> started =
      StartPlacement(context_, coach,
                     {.participant_id = ids_[0],
                      .opening_id = openings_[2],
                      .start_date = {2027, 1, 18}});
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(started->placement.source, PlacementSource::kDirect);
  ASSERT_TRUE(started->hold.has_value());
  EXPECT_EQ(started->hold->state, HoldState::kReleased);
  EXPECT_EQ(InSnapshot(openings_[1]).places_held, 0);
  EXPECT_EQ(InSnapshot(openings_[2]).places_taken, 1);
  EXPECT_EQ(StartPlacement(context_, CoachOf(ids_[2]),
                           {.participant_id = ids_[2],
                            .opening_id = openings_[3],
                            .start_date = {2027, 6, 1}})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PlacementUseCaseTest, AcceptingAProposalStartsAPlacementAndTheHold) {
  const Caller coach = CoachOf(ids_[0]);
  ASSERT_TRUE(HoldFor(0, 0).ok());  // the only place, held by this person
  std::string proposal;
  PublishProposal(ids_[0], openings_[0], &proposal);
  absl::StatusOr<v1::Proposal> accepted =
      DecideProposal(context_, coach, proposal, Decision::kAccept, "");
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(InSnapshot(openings_[0]).places_taken, 1);
  EXPECT_EQ(InSnapshot(openings_[0]).places_held, 0);
  absl::StatusOr<std::vector<PlacementRecord>> placements =
      store_->ListPlacements({.participant_id = ids_[0]});
  ASSERT_TRUE(placements.ok());
  ASSERT_EQ(placements->size(), 1u);
  EXPECT_EQ((*placements)[0].source, PlacementSource::kProposal);
  EXPECT_EQ((*placements)[0].source_id, proposal);
  absl::StatusOr<Hold> hold = store_->GetHold("H0000001");
  ASSERT_TRUE(hold.ok());
  EXPECT_EQ(hold->state, HoldState::kStarted);

  // Someone else's hold blocks an accept.
  ASSERT_TRUE(HoldFor(1, 1).ok());
  ASSERT_TRUE(HoldFor(2, 1).ok());
  std::string blocked;
  PublishProposal(ids_[3], openings_[1], &blocked);
  absl::StatusOr<v1::Proposal> refused = DecideProposal(
      context_, CoachOf(ids_[3]), blocked, Decision::kAccept, "");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("places_held 2"));
}

// A pending proposal expires when another placement of the participant
// starts; the timeline shows the expiry on that day, not on the day it was
// proposed.
TEST_F(PlacementUseCaseTest, AnExpiryIsShownOnTheDayItHappened) {
  const Caller coach = CoachOf(ids_[0]);
  std::string proposal;
  PublishProposal(ids_[0], openings_[1], &proposal);
  const absl::Time proposed_at = now_;
  now_ += absl::Hours(48);
  ASSERT_TRUE(
      StartPlacement(context_, coach,
                     {.participant_id = ids_[0], .opening_id = openings_[0]})
          .ok());
  absl::StatusOr<Timeline> timeline = GetTimeline(context_, coach, ids_[0]);
  ASSERT_TRUE(timeline.ok()) << timeline.status();
  int expiries = 0;
  for (const TimelineEvent& e : timeline->events) {
    if (e.kind == TimelineEventKind::kProposalMade) {
      EXPECT_EQ(e.on, SwedishDate(proposed_at));
    }
    if (e.kind != TimelineEventKind::kProposalExpired) continue;
    ++expiries;
    EXPECT_EQ(e.reference, proposal);
    EXPECT_EQ(e.at, now_);
    EXPECT_EQ(e.on, SwedishDate(now_));
  }
  EXPECT_EQ(expiries, 1);
}

TEST_F(PlacementUseCaseTest, TheCoachsStepUpdatesAreKept) {
  const Caller coach = CoachOf(ids_[4]);
  const int step = Person(ids_[4]).step;
  const int next = step == kMaxStep ? step - 1 : step + 1;
  absl::StatusOr<Participant> updated = UpdateParticipant(
      context_, coach, ids_[4],
      [&](const Participant& stored) -> absl::StatusOr<ParticipantDraft> {
        ParticipantDraft draft{.participant = stored};
        draft.participant.step = next;
        return draft;
      });
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->updated_at, now_);
  absl::StatusOr<std::vector<StepChange>> steps =
      store_->ListStepChanges(ids_[4]);
  ASSERT_TRUE(steps.ok());
  ASSERT_EQ(steps->size(), 1u);
  EXPECT_EQ((*steps)[0].from_step, step);
  EXPECT_EQ((*steps)[0].to_step, next);
  EXPECT_EQ((*steps)[0].reason, StepChangeReason::kCoach);
  EXPECT_EQ((*steps)[0].actor, coach.principal);
}

TEST_F(PlacementUseCaseTest, EmployersSeeCountsWithoutHealthReasons) {
  const Caller employer{.principal = "E1", .role = Role::kEmployerContact};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(StartPlacement(context_, CoachOf(ids_[i]),
                               {.participant_id = ids_[i],
                                .opening_id = openings_[3],
                                .start_date = {2027, 1, 4}})
                    .ok());
  }
  ASSERT_TRUE(EndPlacement(context_, CoachOf(ids_[0]), "L0000001",
                           {.end_date = {2027, 1, 14},
                            .outcome = PlacementOutcome::kInterruptedForHealth})
                  .ok());
  ASSERT_TRUE(EndPlacement(context_, CoachOf(ids_[1]), "L0000002",
                           {.end_date = {2027, 1, 14},
                            .outcome = PlacementOutcome::kStudies,
                            .leaves_programme = true})
                  .ok());
  EXPECT_EQ(Person(ids_[1]).status, ParticipantStatus::kExited);
  EXPECT_EQ(Person(ids_[1]).exit_date, (Date{2027, 1, 14}));
  absl::StatusOr<OpeningPlacementCounts> counts =
      GetOpeningPlacementCounts(context_, employer, openings_[3]);
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->current, 1);
  EXPECT_EQ(counts->ended, 2);
  EXPECT_EQ(counts->ended_by_outcome[static_cast<size_t>(
                EmployerOutcome::kInterrupted)],
            1);
  EXPECT_EQ(GetOpeningPlacementCounts(context_, CoachOf(ids_[0]), openings_[3])
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(PlacementUseCaseTest, ErasureRemovesHoldsPlacementsAndSteps) {
  ASSERT_TRUE(HoldFor(5, 0).ok());
  ASSERT_TRUE(
      StartPlacement(context_, CoachOf(ids_[6]),
                     {.participant_id = ids_[6], .opening_id = openings_[1]})
          .ok());
  const Caller admin{.principal = "A1", .role = Role::kAdmin};
  absl::StatusOr<store::ErasureCounts> erased =
      EraseParticipant(context_, admin, ids_[5]);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->holds, 1);
  EXPECT_EQ(InSnapshot(openings_[0]).places_held, 0);
  erased = EraseParticipant(context_, admin, ids_[6]);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->placements, 1);
  EXPECT_EQ(InSnapshot(openings_[1]).places_taken, 0);
  EXPECT_TRUE(store_->ListPlacements({.participant_id = ids_[6]})->empty());
  EXPECT_TRUE(store_->ListHolds({.participant_id = ids_[5]})->empty());
}

// Random sequences of holds, releases, expiries, proposals, accepts, starts
// and ends against a model that only counts: per opening, places taken and
// live holds; per participant, ACTIVE or PLACED, their hold and placement.
// After every step the use case succeeded exactly when the model says it
// should, and every opening's free places in the snapshot and in the store
// are the model's.
TEST_F(PlacementUseCaseTest, PropertyFreePlacesAgreeWithAModel) {
  struct ModelHold {
    std::string id;
    int opening;
    absl::Time expires_at;
  };
  const int capacity[] = {1, 2, 2, 3};
  std::vector<int> taken(4, 0);
  std::map<int, ModelHold> holds;                     // by participant
  std::map<int, std::pair<std::string, int>> placed;  // participant -> (id, o)
  std::mt19937 rng(20270115);
  auto live_holds = [&](int opening) {
    int n = 0;
    for (const auto& [p, h] : holds) {
      if (h.opening == opening && now_ < h.expires_at) ++n;
    }
    return n;
  };
  auto free = [&](int opening) {
    return capacity[opening] - taken[opening] - live_holds(opening);
  };
  auto own_hold_on = [&](int p, int o) {
    auto it = holds.find(p);
    return it != holds.end() && it->second.opening == o &&
           now_ < it->second.expires_at;
  };
  auto drop_expired = [&] {
    for (auto it = holds.begin(); it != holds.end();) {
      it = now_ >= it->second.expires_at ? holds.erase(it) : std::next(it);
    }
  };
  auto take = [&](int p, int o, const std::string& placement_id) {
    holds.erase(p);
    ++taken[o];
    placed[p] = {placement_id, o};
  };
  for (int step = 0; step < 400; ++step) {
    const int p = static_cast<int>(rng() % 12);
    const int o = static_cast<int>(rng() % 4);
    const Caller coach = CoachOf(ids_[p]);
    const int action = static_cast<int>(rng() % 7);
    SCOPED_TRACE(::testing::Message() << "step " << step << " action " << action
                                      << " p" << p << " o" << o);
    drop_expired();
    const bool active = !placed.contains(p);
    switch (action) {
      case 0: {  // hold
        const int days = 1 + static_cast<int>(rng() % 3);
        const bool expect = active && !holds.contains(p) && free(o) > 0;
        absl::StatusOr<Hold> hold = HoldFor(p, o, days);
        ASSERT_EQ(hold.ok(), expect) << hold.status();
        if (hold.ok()) holds[p] = {hold->id, o, hold->expires_at};
        break;
      }
      case 1: {  // release
        if (!holds.contains(p)) break;
        ASSERT_TRUE(ReleaseHold(context_, coach, holds[p].id).ok());
        holds.erase(p);
        break;
      }
      case 2:  // the clock moves on, up to four days
        now_ += absl::Hours(static_cast<int>(rng() % 96));
        break;
      case 3: {  // start from the hold
        if (!holds.contains(p)) break;
        absl::StatusOr<store::PlacementChange> started =
            StartPlacement(context_, coach,
                           {.participant_id = ids_[p], .hold_id = holds[p].id});
        ASSERT_TRUE(started.ok()) << started.status();
        take(p, holds[p].opening, started->placement.id);
        break;
      }
      case 4: {  // start directly
        const bool expect = active && (free(o) > 0 || own_hold_on(p, o));
        absl::StatusOr<store::PlacementChange> started = StartPlacement(
            context_, coach,
            {.participant_id = ids_[p], .opening_id = openings_[o]});
        ASSERT_EQ(started.ok(), expect) << started.status();
        if (started.ok()) take(p, o, started->placement.id);
        break;
      }
      case 5: {  // a proposal, accepted
        std::string proposal;
        PublishProposal(ids_[p], openings_[o], &proposal);
        const bool expect = active && (free(o) > 0 || own_hold_on(p, o));
        absl::StatusOr<v1::Proposal> accepted =
            DecideProposal(context_, coach, proposal, Decision::kAccept, "");
        ASSERT_EQ(accepted.ok(), expect) << accepted.status();
        if (accepted.ok()) {
          absl::StatusOr<std::vector<PlacementRecord>> mine =
              store_->ListPlacements({.participant_id = ids_[p]});
          ASSERT_TRUE(mine.ok());
          take(p, o, mine->back().id);
        }
        break;
      }
      case 6: {  // end
        if (!placed.contains(p)) break;
        ASSERT_TRUE(EndPlacement(context_, coach, placed[p].first,
                                 {.end_date = SwedishDate(now_),
                                  .outcome = PlacementOutcome::kCompleted})
                        .ok());
        --taken[placed[p].second];
        placed.erase(p);
        break;
      }
    }
    drop_expired();
    // Reads expire what fell due; then the snapshot and the store agree.
    std::shared_ptr<const Snapshot> snapshot = LiveSnapshot(context_);
    absl::StatusOr<std::vector<Opening>> stored = store_->LoadOpenings();
    ASSERT_TRUE(stored.ok());
    for (int i = 0; i < 4; ++i) {
      const Opening& in_snapshot =
          snapshot->opening(*snapshot->FindOpening(openings_[i]));
      ASSERT_EQ(FreePlaces(in_snapshot), free(i)) << "opening " << i;
      ASSERT_EQ(in_snapshot.places_taken, taken[i]);
      ASSERT_EQ(in_snapshot.places_held, live_holds(i));
      ASSERT_EQ((*stored)[static_cast<size_t>(i)].places_taken, taken[i]);
      ASSERT_EQ((*stored)[static_cast<size_t>(i)].places_held, live_holds(i));
    }
  }
}

}  // namespace
}  // namespace placement::app
