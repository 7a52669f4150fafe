// The overnight rematch's use cases in process, without a server: a run from
// start to SUCCEEDED with its proposals published, a dry run that publishes
// nothing, cancellation, who may call, and the reconciliation at publish
// time as a table of every reason a proposal is withdrawn.

#include "app/rematch.h"

#include <cmath>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/population_generator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/convert.h"
#include "tests/testing/test_util.h"

namespace placement::app {
namespace {

using ::placement::testing::ReadFileOrDie;
using ::placement::testing::Reference;
using ::placement::testing::ScratchDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const Caller kOperator{.principal = "OP-0001", .role = Role::kOperator};
const Caller kAdmin{.principal = "AD-0001", .role = Role::kAdmin};

// Participants and openings of a generated population, all active and open
// with their places free.
struct World {
  std::vector<Participant> participants;
  std::vector<Opening> openings;
};

World Generate(uint64_t seed, int participants, int openings) {
  const PopulationGenerator generator(
      {.seed = seed, .participants = participants, .openings = openings},
      Reference());
  World world;
  for (int i = 0; i < participants; ++i) {
    world.participants.push_back(generator.Participant(i));
    world.participants.back().status = ParticipantStatus::kActive;
  }
  for (int i = 0; i < openings; ++i) {
    world.openings.push_back(generator.Opening(i));
    world.openings.back().status = OpeningStatus::kOpen;
    world.openings.back().end_date.reset();
    world.openings.back().places_taken = 0;
  }
  return world;
}

std::shared_ptr<const Snapshot> SnapshotOf(World world) {
  absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot =
      Snapshot::Build(std::make_shared<const ReferenceData>(Reference()),
                      std::move(world.participants), std::move(world.openings));
  EXPECT_TRUE(snapshot.ok()) << snapshot.status();
  return *snapshot;
}

// Every update of a watch until its last one.
std::vector<v1::RunProgress> WatchToTheEnd(RematchRunner& runner,
                                           const std::string& run_id) {
  absl::StatusOr<RunWatch> watch = runner.Watch(kOperator, run_id);
  EXPECT_TRUE(watch.ok()) << watch.status();
  std::vector<v1::RunProgress> updates;
  if (!watch.ok()) return updates;
  for (int i = 0; i < 100'000; ++i) {
    absl::StatusOr<RunUpdate> update =
        watch->Next(absl::Now() + absl::Milliseconds(50));
    EXPECT_TRUE(update.ok()) << update.status();
    if (!update.ok()) break;
    updates.push_back(update->progress);
    if (update->last) break;
  }
  return updates;
}

// A generated world of 60 participants and 40 openings in a real store and
// a snapshot, with the clock fixed, and a runner over them.
class RematchRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<store::Store>> opened =
        store::Store::Open(scratch_.File("rematch.db"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
    const World world = Generate(/*seed=*/5, 60, 40);
    ASSERT_TRUE(store_->UpsertParticipants(world.participants).ok());
    ASSERT_TRUE(store_->UpsertOpenings(world.openings).ok());
    holder_ = std::make_unique<SnapshotHolder>(SnapshotOf(world));
    context_.reference = std::make_shared<const ReferenceData>(Reference());
    context_.store = store_.get();
    context_.snapshots = holder_.get();
    context_.now = [] { return absl::FromUnixSeconds(1'800'000'000); };
    runner_ = std::make_unique<RematchRunner>(
        context_, RematchRunnerOptions{.threads = 2,
                                       .report_dir = scratch_.File("reports")});
  }
  void TearDown() override { runner_->Stop(); }

  // The run's proposals in `state` as stored, in the API's form.
  std::vector<v1::Proposal> Stored(const std::string& run_id,
                                   ProposalState state) {
    store::ProposalQuery query;
    query.run_id = run_id;
    query.states = {state};
    query.limit = 1000;
    absl::StatusOr<std::vector<PublishedProposal>> proposals =
        store_->ListProposals(query);
    EXPECT_TRUE(proposals.ok()) << proposals.status();
    std::vector<v1::Proposal> out;
    for (const PublishedProposal& proposal :
         proposals.value_or(std::vector<PublishedProposal>{})) {
      absl::StatusOr<v1::Proposal> converted = ProposalToProto(proposal);
      EXPECT_TRUE(converted.ok()) << converted.status();
      if (converted.ok()) out.push_back(*std::move(converted));
    }
    return out;
  }

  // Every proposal of a run as operators list it, page by page.
  std::vector<v1::Proposal> Listed(const std::string& run_id) {
    std::vector<v1::Proposal> all;
    std::string token;
    do {
      absl::StatusOr<ProposalPage> page =
          runner_->Proposals(kOperator, run_id, 7, token);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      all.insert(all.end(), page->proposals.begin(), page->proposals.end());
      token = page->next_page_token;
    } while (!token.empty());
    return all;
  }

  ScratchDir scratch_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SnapshotHolder> holder_;
  Context context_;
  std::unique_ptr<RematchRunner> runner_;
};

TEST_F(RematchRunnerTest, ARunSucceedsAndItsProposalsArePublished) {
  absl::StatusOr<v1::Run> run = runner_->Start(kOperator, {.seed = 7});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->run_id(), "R000001");
  EXPECT_EQ(run->state(), v1::RUN_STATE_QUEUED);
  EXPECT_EQ(run->requested_by(), "OP-0001");
  EXPECT_EQ(run->snapshot_version(), holder_->Current()->version());
  EXPECT_EQ(run->parameters().candidates_per_participant(),
            kDefaultCandidatesPerParticipant);
  EXPECT_DOUBLE_EQ(run->parameters().continuity_bonus(),
                   kDefaultContinuityBonus);
  EXPECT_EQ(run->parameters().seed(), 7u);

  const std::vector<v1::RunProgress> updates =
      WatchToTheEnd(*runner_, run->run_id());
  ASSERT_FALSE(updates.empty());
  EXPECT_EQ(updates.back().state(), v1::RUN_STATE_SUCCEEDED);
  EXPECT_EQ(updates.back().phase(), v1::RUN_PHASE_PUBLISH);
  EXPECT_DOUBLE_EQ(updates.back().percent(), 100);
  for (size_t i = 1; i < updates.size(); ++i) {
    EXPECT_GE(updates[i].phase(), updates[i - 1].phase());
    EXPECT_GE(updates[i].percent(), updates[i - 1].percent());
  }

  absl::StatusOr<v1::RunReport> report =
      runner_->Report(kOperator, run->run_id());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->dry_run());
  EXPECT_EQ(report->participants_considered(), 60u);
  EXPECT_GT(report->participants_proposed(), 0u);
  EXPECT_EQ(report->proposals_withdrawn(), 0u);
  ASSERT_EQ(report->phase_timings_size(), 4);
  EXPECT_EQ(report->phase_timings(3).phase(), v1::RUN_PHASE_PUBLISH);
  EXPECT_THAT(ReadFileOrDie(scratch_.File("reports/R000001.json")),
              HasSubstr("\"participants_considered\": 60"));

  // Published: one pending proposal per proposed participant, no opening
  // above its places, listed redacted for operators.
  const std::vector<v1::Proposal> pending =
      Stored(run->run_id(), ProposalState::kPending);
  EXPECT_EQ(pending.size(), report->participants_proposed());
  std::set<std::string> participants;
  for (const v1::Proposal& proposal : pending) {
    EXPECT_TRUE(participants.insert(proposal.participant_id()).second);
  }
  const std::vector<v1::Proposal> listed = Listed(run->run_id());
  ASSERT_EQ(listed.size(), pending.size());
  for (size_t i = 0; i < listed.size(); ++i) {
    EXPECT_EQ(listed[i].proposal_id(), pending[i].proposal_id());
    EXPECT_TRUE(listed[i].match().eligible());
  }

  // A finished run is watched from the store: one final message.
  absl::StatusOr<RunWatch> again = runner_->Watch(kAdmin, run->run_id());
  ASSERT_TRUE(again.ok()) << again.status();
  absl::StatusOr<RunUpdate> update = again->Next(absl::Now());
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_EQ(update->progress.state(), v1::RUN_STATE_SUCCEEDED);
  EXPECT_TRUE(update->last);
}

TEST_F(RematchRunnerTest, ADryRunPublishesNothing) {
  absl::StatusOr<v1::Run> first = runner_->Start(kOperator, {.seed = 3});
  ASSERT_TRUE(first.ok()) << first.status();
  WatchToTheEnd(*runner_, first->run_id());
  const std::vector<v1::Proposal> before =
      Stored(first->run_id(), ProposalState::kPending);
  ASSERT_FALSE(before.empty());

  absl::StatusOr<v1::Run> dry =
      runner_->Start(kAdmin, {.seed = 3, .dry_run = true});
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_TRUE(dry->parameters().dry_run());
  EXPECT_EQ(WatchToTheEnd(*runner_, dry->run_id()).back().state(),
            v1::RUN_STATE_SUCCEEDED);
  absl::StatusOr<v1::RunReport> report =
      runner_->Report(kOperator, dry->run_id());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->dry_run());
  EXPECT_GT(report->participants_proposed(), 0u);

  // The computed proposals are listed, none is pending, and the first
  // run's pending proposals did not expire.
  EXPECT_EQ(Listed(dry->run_id()).size(), report->participants_proposed());
  EXPECT_TRUE(Stored(dry->run_id(), ProposalState::kPending).empty());
  const std::vector<v1::Proposal> after =
      Stored(first->run_id(), ProposalState::kPending);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].proposal_id(), before[i].proposal_id());
  }
}

TEST_F(RematchRunnerTest, BadParametersAreRefusedWithTheFieldNamed) {
  absl::StatusOr<v1::Run> run =
      runner_->Start(kOperator, {.candidates_per_participant = 501});
  EXPECT_TRUE(absl::IsInvalidArgument(run.status()));
  EXPECT_THAT(run.status().message(),
              HasSubstr("candidates_per_participant: 501 is above the "
                        "maximum 500"));
  for (const double bonus : {-0.1, 1.5, std::nan("")}) {
    run = runner_->Start(kOperator, {.continuity_bonus = bonus});
    EXPECT_TRUE(absl::IsInvalidArgument(run.status())) << bonus;
    EXPECT_THAT(run.status().message(), HasSubstr("continuity_bonus: "));
  }
  EXPECT_THAT(runner_->Watch(kOperator, "").status().message(),
              HasSubstr("run_id: required"));
  EXPECT_TRUE(absl::IsNotFound(runner_->Cancel(kOperator, "R000042").status()));
  EXPECT_TRUE(absl::IsNotFound(runner_->Watch(kOperator, "R000042").status()));

  run = runner_->Start(kOperator, {});
  ASSERT_TRUE(run.ok()) << run.status();
  WatchToTheEnd(*runner_, run->run_id());
  absl::StatusOr<ProposalPage> page =
      runner_->Proposals(kOperator, run->run_id(), 10, "R000009-0000001");
  EXPECT_TRUE(absl::IsInvalidArgument(page.status()));
  EXPECT_THAT(page.status().message(),
              HasSubstr("page.page_token: 'R000009-0000001' is not a token of "
                        "run R000001"));
  absl::StatusOr<v1::Run> cancelled = runner_->Cancel(kOperator, "R000001");
  EXPECT_TRUE(absl::IsFailedPrecondition(cancelled.status()));
  EXPECT_THAT(cancelled.status().message(),
              HasSubstr("state SUCCEEDED; only a queued or running run"));
}

TEST_F(RematchRunnerTest, OnlyOperatorsAndAdminsMayCall) {
  const Caller coach{.principal = "C0136-01", .role = Role::kCoach};
  const Caller employer{.principal = "EC-1", .role = Role::kEmployerContact};
  for (const Caller& caller : {coach, employer}) {
    const std::string role(RoleSlug(caller.role));
    const absl::Status statuses[] = {
        runner_->Start(caller, {}).status(),
        runner_->Watch(caller, "R000001").status(),
        runner_->Cancel(caller, "R000001").status(),
        runner_->Report(caller, "R000001").status(),
        runner_->Proposals(caller, "R000001", 10, "").status(),
    };
    const char* calls[] = {"StartRun", "WatchRun", "CancelRun", "GetRunReport",
                           "ListRunProposals"};
    for (int i = 0; i < 5; ++i) {
      EXPECT_TRUE(absl::IsPermissionDenied(statuses[i]))
          << role << " " << calls[i] << ": " << statuses[i];
      EXPECT_THAT(statuses[i].message(),
                  HasSubstr(absl::StrCat("RematchService.", calls[i])));
    }
  }
  // Nothing was started.
  absl::StatusOr<std::vector<RematchRun>> runs = store_->ListRuns();
  ASSERT_TRUE(runs.ok()) << runs.status();
  EXPECT_TRUE(runs->empty());
}

// A world large enough that the run is still computing when it is
// cancelled: the run ends CANCELLED whenever the request comes before it
// publishes. The snapshot alone is large; the store holds only the runs.
TEST(RematchRunnerCancelTest, ACancelledRunPublishesNothing) {
  ScratchDir scratch;
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::Store::Open(scratch.File("cancel.db"));
  ASSERT_TRUE(store.ok()) << store.status();
  SnapshotHolder holder(SnapshotOf(Generate(/*seed=*/9, 40'000, 4'000)));
  Context context;
  context.reference = std::make_shared<const ReferenceData>(Reference());
  context.store = store->get();
  context.snapshots = &holder;
  RematchRunner runner(context, {.threads = 1});

  absl::StatusOr<v1::Run> run = runner.Start(kOperator, {});
  ASSERT_TRUE(run.ok()) << run.status();
  absl::StatusOr<v1::Run> second = runner.Start(kAdmin, {});
  EXPECT_TRUE(absl::IsFailedPrecondition(second.status()));
  EXPECT_THAT(second.status().message(), HasSubstr("one run at a time"));

  absl::StatusOr<v1::Run> cancelling = runner.Cancel(kOperator, run->run_id());
  ASSERT_TRUE(cancelling.ok()) << cancelling.status();
  const std::vector<v1::RunProgress> updates =
      WatchToTheEnd(runner, run->run_id());
  ASSERT_FALSE(updates.empty());
  EXPECT_EQ(updates.back().state(), v1::RUN_STATE_CANCELLED);

  // A retry answers the same; the report is not there; nothing is stored.
  absl::StatusOr<v1::Run> again = runner.Cancel(kOperator, run->run_id());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->state(), v1::RUN_STATE_CANCELLED);
  absl::StatusOr<v1::RunReport> report = runner.Report(kOperator, "R000001");
  EXPECT_TRUE(absl::IsFailedPrecondition(report.status()));
  EXPECT_THAT(report.status().message(), HasSubstr("state CANCELLED"));
  absl::StatusOr<RematchRun> stored = (*store)->GetRun(run->run_id());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->state, RunState::kCancelled);
  store::ProposalQuery query;
  query.states = {ProposalState::kPending, ProposalState::kDryRun};
  absl::StatusOr<std::vector<PublishedProposal>> proposals =
      (*store)->ListProposals(query);
  ASSERT_TRUE(proposals.ok()) << proposals.status();
  EXPECT_TRUE(proposals->empty());

  // Once stopped, nothing starts.
  runner.Stop();
  EXPECT_TRUE(absl::IsUnavailable(runner.Start(kOperator, {}).status()));
}

// The reconciliation at publish time, one row per reason.
TEST(ReconcileProposalsTest, EveryReasonAProposalIsWithdrawnAndOneKept) {
  World world = Generate(/*seed=*/2, 3, 6);
  world.participants[1].status = ParticipantStatus::kPaused;
  world.participants[2].status = ParticipantStatus::kPlaced;
  const Date publish_date{2027, 1, 15};
  // 0: open, 2 places, 1 taken. 1: paused. 2: ended yesterday. 3: ends
  // today. 4: full. 5: a draft.
  world.openings[0].capacity = 2;
  world.openings[0].places_taken = 1;
  world.openings[1].status = OpeningStatus::kPaused;
  world.openings[2].end_date = Date{2027, 1, 14};
  world.openings[3].end_date = publish_date;
  world.openings[4].capacity = 1;
  world.openings[4].places_taken = 1;
  world.openings[5].status = OpeningStatus::kDraft;
  const std::string p0 = world.participants[0].id;
  const std::string p1 = world.participants[1].id;
  const std::string p2 = world.participants[2].id;
  std::vector<std::string> o;
  for (const Opening& opening : world.openings) o.push_back(opening.id);
  const std::shared_ptr<const Snapshot> now = SnapshotOf(world);

  const std::vector<Proposal> proposals = {
      {.participant_id = p0, .opening_id = o[0], .score = 0.5},
      {.participant_id = "P9999999", .opening_id = o[0], .score = 0.9},
      {.participant_id = p1, .opening_id = o[0], .score = 0.9},
      {.participant_id = p2, .opening_id = o[0], .score = 0.9},
      {.participant_id = p0, .opening_id = "O999999", .score = 0.9},
      {.participant_id = p0, .opening_id = o[1], .score = 0.9},
      {.participant_id = p0, .opening_id = o[2], .score = 0.9},
      {.participant_id = p0, .opening_id = o[5], .score = 0.9},
      {.participant_id = p0, .opening_id = o[3], .score = 0.9},
      {.participant_id = p0, .opening_id = o[4], .score = 0.9},
      // Opening 0's one free place went to the better score (row 0); the
      // rows withdrawn for their participant took none.
      {.participant_id = p0, .opening_id = o[0], .score = 0.4},
  };
  std::vector<std::string> got;
  for (const Reconciled r : ReconcileProposals(proposals, *now, publish_date)) {
    got.emplace_back(ReconciledSlug(r));
  }
  EXPECT_THAT(got,
              ElementsAre("kept", "participant_gone", "participant_not_active",
                          "participant_not_active", "opening_gone",
                          "opening_not_accepting", "opening_not_accepting",
                          "opening_not_accepting", "kept", "no_free_place",
                          "no_free_place"));
}

TEST(ReconcileProposalsTest, EqualScoresTakePlacesInTheOrderGiven) {
  World world = Generate(/*seed=*/4, 3, 1);
  world.openings[0].capacity = 2;
  const std::shared_ptr<const Snapshot> now = SnapshotOf(world);
  std::vector<Proposal> proposals;
  for (const Participant& participant : world.participants) {
    proposals.push_back({.participant_id = participant.id,
                         .opening_id = world.openings[0].id,
                         .score = 0.3});
  }
  EXPECT_THAT(ReconcileProposals(proposals, *now, {2027, 1, 15}),
              ElementsAre(Reconciled::kKept, Reconciled::kKept,
                          Reconciled::kNoFreePlace));
  EXPECT_TRUE(ReconcileProposals({}, *now, {2027, 1, 15}).empty());
}

}  // namespace
}  // namespace placement::app
