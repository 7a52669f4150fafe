#include "tests/testing/use_case_context.h"

#include "gtest/gtest.h"
#include "placement/v1/rematch_service.pb.h"

namespace placement::testing {

void UseCaseContext::Start(const std::vector<Participant>& participants,
                           const std::vector<Opening>& openings) {
  absl::StatusOr<std::unique_ptr<store::Store>> opened =
      store::Store::Open(scratch_.File("use_cases.db"));
  ASSERT_TRUE(opened.ok()) << opened.status();
  store_ = std::move(*opened);
  if (!participants.empty()) {
    ASSERT_TRUE(store_->UpsertParticipants(participants).ok());
  }
  if (!openings.empty()) {
    ASSERT_TRUE(store_->UpsertOpenings(openings).ok());
  }
  auto reference = std::make_shared<const ReferenceData>(Reference());
  absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot =
      Snapshot::Build(reference, participants, openings);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  holder_ = std::make_unique<SnapshotHolder>(*snapshot);
  context_.reference = reference;
  context_.store = store_.get();
  context_.snapshots = holder_.get();
  context_.now = [] { return Now(); };
}

void UseCaseContext::PublishProposal(const std::string& participant_id,
                                     const std::string& opening_id,
                                     std::string* proposal_id) {
  v1::Run run;
  run.set_state(v1::RUN_STATE_QUEUED);
  absl::StatusOr<v1::Run> created = store_->CreateRun(run);
  ASSERT_TRUE(created.ok()) << created.status();
  created->set_state(v1::RUN_STATE_SUCCEEDED);
  v1::Proposal proposal;
  proposal.set_participant_id(participant_id);
  proposal.set_opening_id(opening_id);
  ASSERT_TRUE(store_
                  ->PublishRun(*created, v1::RunReport(),
                               {{.proposal = proposal, .redacted_match = {}}})
                  .ok());
  *proposal_id = created->run_id() + "-0000001";
}

std::vector<Opening> OpenOpenings(const PopulationGenerator& generator,
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

}  // namespace placement::testing
