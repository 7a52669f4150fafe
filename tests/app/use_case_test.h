// The fixture the use-case tests share: a real store in a scratch folder, a
// snapshot of the same records and an app::Context over both, wired as the
// server wires them (service/server.cc), without the server.
//
// Usage:
//   class CoachUseCaseTest : public UseCaseTest {
//    protected:
//     void SetUp() override {
//       ASSERT_TRUE(InitGenerated({.seed = 11, .participants = 40}).ok());
//     }
//   };
//   TEST_F(CoachUseCaseTest, ...) { SuggestOpenings(context_, caller, q); }
//
// Thread safety: as app::Context once Init has returned; Init is not.

#ifndef PLACEMENT_TESTS_APP_USE_CASE_TEST_H_
#define PLACEMENT_TESTS_APP_USE_CASE_TEST_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "app/context.h"
#include "engine/matcher.h"
#include "engine/population_generator.h"
#include "engine/types.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/testing/test_util.h"

namespace placement::testing {

class UseCaseTest : public ::testing::Test {
 protected:
  // Stores `participants` and `openings` and builds their snapshot over the
  // reference data of data/. Call once. The clock stays the real one.
  absl::Status Init(const std::vector<Participant>& participants,
                    const std::vector<Opening>& openings) {
    absl::StatusOr<std::unique_ptr<store::Store>> opened =
        store::Store::Open(scratch_.File("use_cases.db"));
    if (!opened.ok()) return opened.status();
    owned_store_ = *std::move(opened);
    if (absl::Status s = owned_store_->UpsertParticipants(participants);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = owned_store_->UpsertOpenings(openings); !s.ok()) {
      return s;
    }
    auto reference = std::make_shared<const ReferenceData>(Reference());
    absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot =
        Snapshot::Build(reference, participants, openings);
    if (!snapshot.ok()) return snapshot.status();
    owned_holder_ = std::make_unique<SnapshotHolder>(*std::move(snapshot));
    store_ = owned_store_.get();
    holder_ = owned_holder_.get();
    context_.reference = std::move(reference);
    context_.store = store_;
    context_.snapshots = holder_;
    return absl::OkStatus();
  }

  // Init with a generated population in which every participant is ACTIVE
  // and every opening OPEN, with no end date and no place taken; the clock
  // stands still at 1'800'000'000 s, 2027-01-15 in Sweden.
  absl::Status InitGenerated(const GeneratorConfig& config) {
    const PopulationGenerator generator(config, Reference());
    std::vector<Participant> participants;
    std::vector<Opening> openings;
    for (int i = 0; i < config.participants; ++i) {
      participants.push_back(generator.Participant(i));
      participants.back().status = ParticipantStatus::kActive;
    }
    for (int i = 0; i < config.openings; ++i) {
      openings.push_back(generator.Opening(i));
      openings.back().status = OpeningStatus::kOpen;
      openings.back().end_date.reset();
      openings.back().places_taken = 0;
    }
    context_.now = [] { return absl::FromUnixSeconds(1'800'000'000); };
    return Init(participants, openings);
  }

  // Publishes a run of one PENDING proposal of `participant_id` for
  // `opening_id` and returns the proposal's id; fatal failure otherwise.
  void PublishProposal(const std::string& participant_id,
                       const std::string& opening_id,
                       std::string* proposal_id) {
    absl::StatusOr<RematchRun> created = store_->CreateRun({});
    ASSERT_TRUE(created.ok()) << created.status();
    created->state = RunState::kSucceeded;
    created->finished_at = context_.now();
    ASSERT_TRUE(store_
                    ->PublishRun(*created, "",
                                 {{.participant_id = participant_id,
                                   .opening_id = opening_id,
                                   .score = 0.5,
                                   .continued_from_previous_run = false,
                                   .explanation_record = "",
                                   .redacted_explanation_record = ""}})
                    .ok());
    *proposal_id = created->id + "-0000001";
  }

  // The first `count` openings of `generator`, every one OPEN, without an
  // end date and with no place taken, so each can take someone.
  static std::vector<Opening> OpenOpenings(const PopulationGenerator& generator,
                                           int count) {
    std::vector<Opening> openings;
    for (int i = 0; i < count; ++i) {
      openings.push_back(generator.Opening(i));
      openings.back().status = OpeningStatus::kOpen;
      openings.back().end_date.reset();
      openings.back().places_taken = 0;
    }
    return openings;
  }

  app::Context context_;
  store::Store* store_ = nullptr;     // set by Init
  SnapshotHolder* holder_ = nullptr;  // set by Init

 private:
  ScratchDir scratch_;
  std::unique_ptr<store::Store> owned_store_;
  std::unique_ptr<SnapshotHolder> owned_holder_;
};

}  // namespace placement::testing

#endif  // PLACEMENT_TESTS_APP_USE_CASE_TEST_H_
