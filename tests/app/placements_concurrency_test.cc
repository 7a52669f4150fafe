// Many coaches holding, starting, ending and releasing on the same openings
// at once (app/placements.h): exactly one of many gets the last place, and
// placements + live holds never exceed an opening's capacity, in the store
// or in any snapshot a reader sees. Label "concurrency": TSan runs it.

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "app/placements.h"
#include "engine/opening_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/app/use_case_test.h"

namespace placement::app {
namespace {

using ::testing::HasSubstr;

class PlacementConcurrencyTest : public testing::UseCaseTest {
 protected:
  void SetUp() override {
    const PopulationGenerator generator(
        {.seed = 23, .participants = kPeople, .openings = 3},
        testing::Reference());
    std::vector<Participant> participants;
    for (int i = 0; i < kPeople; ++i) {
      participants.push_back(generator.Participant(i));
      participants.back().status = ParticipantStatus::kActive;
    }
    std::vector<Opening> openings = OpenOpenings(generator, 3);
    openings[0].capacity = 1;
    openings[1].capacity = 2;
    openings[2].capacity = 3;
    ASSERT_TRUE(Init(participants, openings).ok());
    for (const Participant& p : participants) people_.push_back(p);
    for (const Opening& o : openings) openings_.push_back(o);
  }

  Caller CoachOf(int i) const {
    return {.principal = people_[static_cast<size_t>(i)].coach_id,
            .role = Role::kCoach};
  }

  static constexpr int kPeople = 16;
  std::vector<Participant> people_;
  std::vector<Opening> openings_;
};

TEST_F(PlacementConcurrencyTest, ExactlyOneGetsTheLastPlace) {
  std::atomic<int> won{0};
  std::atomic<int> just_taken{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kPeople; ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<Hold> hold =
          HoldPlace(context_, CoachOf(i),
                    {.participant_id = people_[static_cast<size_t>(i)].id,
                     .opening_id = openings_[0].id});
      if (hold.ok()) {
        ++won;
      } else if (hold.status().code() ==
                     absl::StatusCode::kFailedPrecondition &&
                 absl::StrContains(hold.status().message(),
                                   "the last one was just taken")) {
        ++just_taken;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(just_taken.load(), kPeople - 1);
  std::shared_ptr<const Snapshot> snapshot = holder_->Current();
  EXPECT_EQ(
      snapshot->opening(*snapshot->FindOpening(openings_[0].id)).places_held,
      1);
}

TEST_F(PlacementConcurrencyTest, CapacityIsNeverExceeded) {
  std::atomic<bool> stop{false};
  std::atomic<int> violations{0};
  std::atomic<int> started{0};
  // A reader checks every snapshot it sees.
  std::thread reader([&] {
    while (!stop.load()) {
      std::shared_ptr<const Snapshot> snapshot = holder_->Current();
      for (int o : snapshot->OpeningIndices()) {
        const Opening& opening = snapshot->opening(o);
        if (opening.places_taken + opening.places_held > opening.capacity) {
          ++violations;
        }
      }
    }
  });
  std::vector<std::thread> workers;
  for (int i = 0; i < kPeople; ++i) {
    workers.emplace_back([&, i] {
      std::mt19937 rng(static_cast<unsigned>(i));
      const std::string& id = people_[static_cast<size_t>(i)].id;
      std::string placement;
      for (int round = 0; round < 30; ++round) {
        const std::string& opening = openings_[rng() % 3].id;
        if (!placement.empty()) {
          if (EndPlacement(context_, CoachOf(i), placement,
                           {.end_date = SwedishDate(context_.now()),
                            .outcome = PlacementOutcome::kCompleted})
                  .ok()) {
            placement.clear();
          }
          continue;
        }
        absl::StatusOr<Hold> hold =
            HoldPlace(context_, CoachOf(i),
                      {.participant_id = id, .opening_id = opening});
        if (!hold.ok()) {
          // Straight in, if a place is free.
          absl::StatusOr<store::PlacementChange> direct =
              StartPlacement(context_, CoachOf(i),
                             {.participant_id = id, .opening_id = opening});
          if (direct.ok()) {
            placement = direct->placement.id;
            ++started;
          }
          continue;
        }
        if (rng() % 2 == 0) {
          ReleaseHold(context_, CoachOf(i), hold->id).IgnoreError();
          continue;
        }
        absl::StatusOr<store::PlacementChange> from_hold = StartPlacement(
            context_, CoachOf(i), {.participant_id = id, .hold_id = hold->id});
        if (from_hold.ok()) {
          placement = from_hold->placement.id;
          ++started;
        }
      }
    });
  }
  for (std::thread& t : workers) t.join();
  stop.store(true);
  reader.join();
  EXPECT_EQ(violations.load(), 0);
  EXPECT_GT(started.load(), 0);
  // The store agrees with the snapshot and with its own rows.
  absl::StatusOr<std::vector<Opening>> stored = store_->LoadOpenings();
  ASSERT_TRUE(stored.ok());
  std::shared_ptr<const Snapshot> snapshot = holder_->Current();
  for (const Opening& opening : *stored) {
    EXPECT_LE(opening.places_taken + opening.places_held, opening.capacity);
    absl::StatusOr<std::vector<PlacementRecord>> placements =
        store_->ListPlacements({.opening_id = opening.id});
    ASSERT_TRUE(placements.ok());
    int current = 0;
    for (const PlacementRecord& p : *placements) {
      if (p.state() == PlacementState::kActive) ++current;
    }
    EXPECT_EQ(current, opening.places_taken);
    const Opening& shown =
        snapshot->opening(*snapshot->FindOpening(opening.id));
    EXPECT_EQ(shown.places_taken, opening.places_taken);
    EXPECT_EQ(shown.places_held, opening.places_held);
  }
}

}  // namespace
}  // namespace placement::app
