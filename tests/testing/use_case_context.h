// What the in-process tests of the use cases (tests/app/) stand on: a real
// store in a scratch folder and a snapshot, both holding the same
// participants and openings, wired into an app::Context with the clock fixed.
//
// Usage, in a fixture:
//   void SetUp() override {
//     ASSERT_NO_FATAL_FAILURE(world_.Start(participants, openings));
//   }
//   SuggestOpenings(world_.context(), caller, query);
//
// Thread safety: as app::Context once started; Start is not thread-safe.

#ifndef PLACEMENT_TESTS_TESTING_USE_CASE_CONTEXT_H_
#define PLACEMENT_TESTS_TESTING_USE_CASE_CONTEXT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "app/context.h"
#include "engine/matcher.h"
#include "engine/population_generator.h"
#include "engine/types.h"
#include "store/store.h"
#include "tests/testing/test_util.h"

namespace placement::testing {

class UseCaseContext {
 public:
  // The time context().now() returns.
  static absl::Time Now() { return absl::FromUnixSeconds(1'800'000'000); }

  // Stores `participants` and `openings` and builds the snapshot of them;
  // a test failure (fatal) if either cannot be done.
  void Start(const std::vector<Participant>& participants,
             const std::vector<Opening>& openings);

  app::Context& context() { return context_; }
  store::Store& store() const { return *store_; }
  std::shared_ptr<const Snapshot> snapshot() const {
    return holder_->Current();
  }

  // Publishes a run of one PENDING proposal of `participant_id` for
  // `opening_id` and returns the proposal's id; fatal failure otherwise.
  void PublishProposal(const std::string& participant_id,
                       const std::string& opening_id, std::string* proposal_id);

 private:
  ScratchDir scratch_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SnapshotHolder> holder_;
  app::Context context_;
};

// The first `count` openings of `generator`, every one OPEN, without an end
// date and with no place taken, so each can take someone.
std::vector<Opening> OpenOpenings(const PopulationGenerator& generator,
                                  int count);

}  // namespace placement::testing

#endif  // PLACEMENT_TESTS_TESTING_USE_CASE_CONTEXT_H_
