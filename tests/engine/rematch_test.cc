#include "engine/rematch.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/matcher.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/rematch_test_world.h"
#include "tests/testing/test_util.h"

namespace placement {
namespace {

using ::placement::testing::kRematchToday;
using ::placement::testing::MakeRematchWorld;
using ::placement::testing::Reference;
using ::placement::testing::RematchWorld;
using ::testing::HasSubstr;

std::shared_ptr<const ReferenceData> SharedReference() {
  static const auto* const kShared = new std::shared_ptr<const ReferenceData>(
      std::make_shared<ReferenceData>(Reference()));
  return *kShared;
}

std::shared_ptr<const Snapshot> Build(const RematchWorld& world) {
  absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot =
      Snapshot::Build(SharedReference(), world.participants, world.openings);
  EXPECT_TRUE(snapshot.ok()) << snapshot.status();
  return *snapshot;
}

RematchInput Input(std::shared_ptr<const Snapshot> snapshot,
                   std::vector<ParticipantOpeningPair> pending = {}) {
  RematchInput input;
  input.snapshot = std::move(snapshot);
  input.previous_pending = std::move(pending);
  return input;
}

RematchOptions Options(int k = 50) {
  RematchOptions options;
  options.candidates_per_participant = k;
  options.context.today = kRematchToday;
  options.threads = 2;
  options.tile_size = 3;
  return options;
}

// The optimum of the candidate graph by exhaustive search over participants,
// memoised on the vector of remaining places (instances are small).
int64_t BruteForceOptimum(const CandidateGraph& graph) {
  std::vector<int32_t> openings(graph.opening.begin(), graph.opening.end());
  std::sort(openings.begin(), openings.end());
  openings.erase(std::unique(openings.begin(), openings.end()), openings.end());
  std::vector<int> remaining;
  for (int32_t o : openings)
    remaining.push_back(graph.free_places[static_cast<size_t>(o)]);
  auto local = [&](int32_t o) {
    return static_cast<size_t>(
        std::lower_bound(openings.begin(), openings.end(), o) -
        openings.begin());
  };
  std::map<std::pair<int, std::vector<int>>, int64_t> memo;
  auto best = [&](auto& self, int row) -> int64_t {
    if (row == graph.rows()) return 0;
    auto key = std::make_pair(row, remaining);
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    int64_t value = self(self, row + 1);  // no proposal
    for (int64_t e = graph.row_begin[static_cast<size_t>(row)];
         e < graph.row_begin[static_cast<size_t>(row) + 1]; ++e) {
      const size_t o = local(graph.opening[static_cast<size_t>(e)]);
      if (remaining[o] == 0) continue;
      --remaining[o];
      value = std::max(
          value, graph.weight[static_cast<size_t>(e)] + self(self, row + 1));
      ++remaining[o];
    }
    memo.emplace(std::move(key), value);
    return value;
  };
  return best(best, 0);
}

// Checks the feasibility of an assignment and returns the sum of its weights.
int64_t CheckFeasible(const CandidateGraph& graph,
                      const Assignment& assignment) {
  EXPECT_EQ(assignment.chosen.size(), static_cast<size_t>(graph.rows()));
  absl::flat_hash_map<int32_t, int> used;
  int64_t sum = 0;
  for (int r = 0; r < graph.rows(); ++r) {
    const int64_t e = assignment.chosen[static_cast<size_t>(r)];
    if (e < 0) continue;
    EXPECT_GE(e, graph.row_begin[static_cast<size_t>(r)]);
    EXPECT_LT(e, graph.row_begin[static_cast<size_t>(r) + 1]);
    const int32_t o = graph.opening[static_cast<size_t>(e)];
    EXPECT_LE(++used[o], graph.free_places[static_cast<size_t>(o)]);
    sum += graph.weight[static_cast<size_t>(e)];
  }
  return sum;
}

// Checks the invariants of a run's proposals against the snapshot.
void CheckProposals(const Snapshot& snapshot, const RematchResult& result,
                    const std::vector<ParticipantOpeningPair>& rejected = {}) {
  absl::flat_hash_set<std::string> participants;
  absl::flat_hash_map<std::string, int> per_opening;
  absl::flat_hash_set<std::string> rejected_keys;
  for (const auto& pair : rejected) {
    rejected_keys.insert(
        absl::StrCat(pair.participant_id, "/", pair.opening_id));
  }
  for (const Proposal& proposal : result.proposals) {
    EXPECT_TRUE(participants.insert(proposal.participant_id).second)
        << proposal.participant_id << " has two proposals";
    const Participant& p = snapshot.participant(
        *snapshot.FindParticipant(proposal.participant_id));
    EXPECT_EQ(p.status, ParticipantStatus::kActive) << p.id;
    const Opening& o =
        snapshot.opening(*snapshot.FindOpening(proposal.opening_id));
    EXPECT_LE(++per_opening[o.id], o.capacity - o.places_taken) << o.id;
    EXPECT_FALSE(rejected_keys.contains(absl::StrCat(p.id, "/", o.id)));
  }
  EXPECT_EQ(result.report.proposed, static_cast<int>(result.proposals.size()));
}

TEST(RematchTest, ObjectiveEqualsBruteForceOnSmallRandomInstances) {
  int instances_with_competition = 0;
  for (uint64_t seed = 1; seed <= 120; ++seed) {
    const int n = 6 + static_cast<int>(seed % 7);        // 6..12
    const int m = 3 + static_cast<int>((seed / 7) % 4);  // 3..6
    const RematchWorld world = MakeRematchWorld(Reference(), seed, n, m);
    const std::shared_ptr<const Snapshot> snapshot = Build(world);
    RematchInput input = Input(snapshot);
    RematchOptions options = Options(1 + static_cast<int>(seed % 4));
    // Some previous pending pairs, so weights with the bonus are covered too.
    for (int i = 0; i < n; i += 3) {
      input.previous_pending.push_back(
          {world.participants[static_cast<size_t>(i)].id,
           world.openings[static_cast<size_t>(i % m)].id});
    }
    absl::StatusOr<CandidateGraph> graph = BuildCandidateGraph(input, options);
    ASSERT_TRUE(graph.ok()) << graph.status();
    const int64_t optimum = BruteForceOptimum(*graph);
    for (FlowAlgorithm algorithm :
         {FlowAlgorithm::kNetworkSimplex, FlowAlgorithm::kCostScaling,
          FlowAlgorithm::kAuto}) {
      const Assignment assignment = SolveAssignment(*graph, algorithm, seed);
      EXPECT_EQ(assignment.objective, optimum)
          << "seed " << seed << " " << FlowAlgorithmSlug(algorithm);
      EXPECT_EQ(CheckFeasible(*graph, assignment), assignment.objective);
    }
    absl::StatusOr<RematchResult> result = RunRematch(input, options);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->report.objective, optimum) << "seed " << seed;
    CheckProposals(*snapshot, *result);
    int proposable = 0;
    for (int r = 0; r < graph->rows(); ++r) {
      proposable += graph->row_begin[static_cast<size_t>(r) + 1] >
                    graph->row_begin[static_cast<size_t>(r)];
    }
    if (proposable > result->report.proposed) ++instances_with_competition;
  }
  // The instances are meant to make people compete for places.
  EXPECT_GT(instances_with_competition, 30);
}

TEST(RematchTest, PlacedAndPausedParticipantsAreNeverProposed) {
  const RematchWorld world = MakeRematchWorld(Reference(), 42, 60, 20);
  const std::shared_ptr<const Snapshot> snapshot = Build(world);
  absl::StatusOr<RematchResult> result = RunRematch(Input(snapshot), Options());
  ASSERT_TRUE(result.ok());
  int active = 0;
  for (const Participant& p : world.participants)
    active += p.status == ParticipantStatus::kActive;
  ASSERT_LT(active, 60);  // the world holds paused and placed people
  EXPECT_EQ(result->report.active_considered, active);
  EXPECT_EQ(result->report.participants_in_snapshot, 60);
  EXPECT_GT(result->report.proposed, 0);
  CheckProposals(*snapshot, *result);
}

TEST(RematchTest, RejectedPairsNeverReappear) {
  const RematchWorld world = MakeRematchWorld(Reference(), 7, 40, 12);
  const std::shared_ptr<const Snapshot> snapshot = Build(world);
  absl::StatusOr<RematchResult> first = RunRematch(Input(snapshot), Options(2));
  ASSERT_TRUE(first.ok());
  ASSERT_GT(first->proposals.size(), 0u);
  RematchInput input = Input(snapshot);
  for (int round = 0; round < 3; ++round) {
    absl::StatusOr<RematchResult> run = RunRematch(input, Options(2));
    ASSERT_TRUE(run.ok());
    CheckProposals(*snapshot, *run, input.rejected);
    // Coaches reject everything proposed; the next night must avoid it all.
    for (const Proposal& p : run->proposals) {
      input.rejected.push_back({p.participant_id, p.opening_id});
    }
  }
  EXPECT_GT(input.rejected.size(), first->proposals.size());
}

TEST(RematchTest, UnknownIdsInInputPairsAreIgnoredAndCounted) {
  const RematchWorld world = MakeRematchWorld(Reference(), 3, 10, 4);
  RematchInput input = Input(Build(world));
  input.rejected.push_back({"P9999999", world.openings[0].id});
  input.previous_pending.push_back({world.participants[0].id, "O999999"});
  absl::StatusOr<RematchResult> result = RunRematch(input, Options());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->report.ignored_pairs, 2);
}

// Two people identical but for their id compete for one place: a tie.
RematchWorld TiedWorld() {
  RematchWorld world = MakeRematchWorld(Reference(), 11, 2, 1);
  world.participants[1] = world.participants[0];
  world.participants[1].id = "P0000002";
  for (Participant& p : world.participants)
    p.status = ParticipantStatus::kActive;
  world.openings[0].capacity = 1;
  world.openings[0].places_taken = 0;
  return world;
}

TEST(RematchTest, ContinuityBonusKeepsPendingPairInATie) {
  const RematchWorld world = TiedWorld();
  const std::shared_ptr<const Snapshot> snapshot = Build(world);
  const std::string& opening = world.openings[0].id;
  for (const std::string& pending :
       {std::string("P0000001"), std::string("P0000002")}) {
    for (uint64_t seed : {1, 2, 3, 4}) {
      RematchInput input = Input(snapshot, {{pending, opening}});
      RematchOptions options = Options();
      options.seed = seed;
      absl::StatusOr<RematchResult> result = RunRematch(input, options);
      ASSERT_TRUE(result.ok());
      ASSERT_EQ(result->proposals.size(), 1u);
      EXPECT_EQ(result->proposals[0].participant_id, pending);
      EXPECT_TRUE(result->proposals[0].continues_pending);
      EXPECT_EQ(result->report.continued_pending, 1);
    }
  }
}

TEST(RematchTest, ContinuityBonusOutweighsANearTieOnly) {
  RematchWorld world = TiedWorld();
  // The second person lives a little farther away: a slightly lower score.
  const bool north = world.participants[1].home.latitude_deg >=
                     world.openings[0].location.latitude_deg;
  world.participants[1].home.latitude_deg += north ? 0.01 : -0.01;
  const std::shared_ptr<const Snapshot> snapshot = Build(world);
  absl::StatusOr<RematchResult> plain = RunRematch(Input(snapshot), Options());
  ASSERT_TRUE(plain.ok());
  ASSERT_EQ(plain->proposals.size(), 1u);
  EXPECT_EQ(plain->proposals[0].participant_id, "P0000001");
  RematchInput input = Input(snapshot, {{"P0000002", world.openings[0].id}});
  absl::StatusOr<RematchResult> kept = RunRematch(input, Options());
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->proposals.size(), 1u);
  EXPECT_EQ(kept->proposals[0].participant_id, "P0000002");
  RematchOptions no_bonus = Options();
  no_bonus.continuity_bonus = 0;
  absl::StatusOr<RematchResult> churned = RunRematch(input, no_bonus);
  ASSERT_TRUE(churned.ok());
  EXPECT_EQ(churned->proposals[0].participant_id, "P0000001");
}

TEST(RematchTest, PendingPairOutsideTheTopKIsStillACandidate) {
  const RematchWorld world = MakeRematchWorld(Reference(), 5, 1, 6);
  RematchWorld one = world;
  one.participants[0].status = ParticipantStatus::kActive;
  const std::shared_ptr<const Snapshot> snapshot = Build(one);
  TopKQuery query;
  query.k = 6;
  query.context = Options().context;
  const std::vector<RankedMatch> ranked =
      TopOpenings(*snapshot, one.participants[0], query);
  ASSERT_GE(ranked.size(), 2u);
  const RankedMatch& last = ranked.back();
  ASSERT_LT(ranked[0].total - last.total, 0.9);
  RematchInput input = Input(
      snapshot, {{one.participants[0].id, snapshot->opening(last.index).id}});
  RematchOptions options = Options(1);
  options.continuity_bonus = 1;  // enough to beat the best
  absl::StatusOr<CandidateGraph> graph = BuildCandidateGraph(input, options);
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(graph->pairs(), 2);
  absl::StatusOr<RematchResult> result = RunRematch(input, options);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->proposals.size(), 1u);
  EXPECT_EQ(result->proposals[0].opening_id, snapshot->opening(last.index).id);
  EXPECT_TRUE(result->proposals[0].continues_pending);
  EXPECT_NEAR(result->proposals[0].score, last.total, 1e-6);
}

TEST(RematchTest, NoContinuityBonusGivesPendingPairsNoExtraPlace) {
  // continuity_bonus = 0 turns continuity off: a pending pair outside the
  // top K is not a candidate, and one inside it is not marked continued.
  const RematchWorld world = MakeRematchWorld(Reference(), 5, 1, 6);
  RematchWorld one = world;
  one.participants[0].status = ParticipantStatus::kActive;
  const std::shared_ptr<const Snapshot> snapshot = Build(one);
  TopKQuery query;
  query.k = 6;
  query.context = Options().context;
  const std::vector<RankedMatch> ranked =
      TopOpenings(*snapshot, one.participants[0], query);
  ASSERT_GE(ranked.size(), 2u);
  const std::string participant = one.participants[0].id;
  const std::string outside = snapshot->opening(ranked.back().index).id;
  const std::string best = snapshot->opening(ranked[0].index).id;
  RematchInput input = Input(snapshot, {{participant, outside}});
  RematchOptions options = Options(1);
  options.continuity_bonus = 0;
  absl::StatusOr<CandidateGraph> graph = BuildCandidateGraph(input, options);
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(graph->pairs(), 1);
  absl::StatusOr<RematchResult> result = RunRematch(input, options);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->proposals.size(), 1u);
  EXPECT_EQ(result->proposals[0].opening_id, best);
  EXPECT_FALSE(result->proposals[0].continues_pending);
  // The best pair itself pending: proposed again, but not as continued.
  result = RunRematch(Input(snapshot, {{participant, best}}), options);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->proposals.size(), 1u);
  EXPECT_EQ(result->proposals[0].opening_id, best);
  EXPECT_FALSE(result->proposals[0].continues_pending);
  EXPECT_EQ(result->report.continued_pending, 0);
}

void ExpectSameProposals(const RematchResult& a, const RematchResult& b) {
  ASSERT_EQ(a.proposals.size(), b.proposals.size());
  for (size_t i = 0; i < a.proposals.size(); ++i) {
    EXPECT_EQ(a.proposals[i].participant_id, b.proposals[i].participant_id);
    EXPECT_EQ(a.proposals[i].opening_id, b.proposals[i].opening_id);
    EXPECT_EQ(a.proposals[i].score, b.proposals[i].score);
    EXPECT_EQ(a.proposals[i].continues_pending,
              b.proposals[i].continues_pending);
  }
  EXPECT_EQ(a.report.objective, b.report.objective);
  EXPECT_EQ(a.report.unmatched_by_blocking_rule,
            b.report.unmatched_by_blocking_rule);
}

TEST(RematchTest, SameInputGivesSameOutputWhateverTheThreadsAndTiles) {
  const RematchWorld world = MakeRematchWorld(Reference(), 99, 300, 40);
  const std::shared_ptr<const Snapshot> snapshot = Build(world);
  RematchInput input = Input(snapshot);
  input.previous_pending.push_back(
      {world.participants[4].id, world.openings[4].id});
  input.rejected.push_back({world.participants[5].id, world.openings[5].id});
  RematchOptions options = Options(5);
  options.threads = 1;
  options.tile_size = 1000;
  absl::StatusOr<RematchResult> reference_run = RunRematch(input, options);
  ASSERT_TRUE(reference_run.ok());
  EXPECT_GT(reference_run->proposals.size(), 20u);
  for (int threads : {1, 2, 3}) {
    for (int tile : {1, 7, 64}) {
      options.threads = threads;
      options.tile_size = tile;
      absl::StatusOr<RematchResult> run = RunRematch(input, options);
      ASSERT_TRUE(run.ok());
      ExpectSameProposals(*reference_run, *run);
    }
  }
}

TEST(RematchTest, BothSolversReachTheSameObjective) {
  const RematchWorld world = MakeRematchWorld(Reference(), 5, 400, 60);
  RematchInput input = Input(Build(world));
  absl::StatusOr<CandidateGraph> graph = BuildCandidateGraph(input, Options(8));
  ASSERT_TRUE(graph.ok());
  const Assignment simplex =
      SolveAssignment(*graph, FlowAlgorithm::kNetworkSimplex, 1);
  const Assignment scaling =
      SolveAssignment(*graph, FlowAlgorithm::kCostScaling, 1);
  EXPECT_EQ(simplex.objective, scaling.objective);
  EXPECT_EQ(CheckFeasible(*graph, simplex), simplex.objective);
  EXPECT_EQ(CheckFeasible(*graph, scaling), scaling.objective);
  EXPECT_EQ(simplex.algorithm_used, FlowAlgorithm::kNetworkSimplex);
  EXPECT_EQ(scaling.algorithm_used, FlowAlgorithm::kCostScaling);
}

TEST(RematchTest, CancelledBeforeStartReturnsNoProposals) {
  const RematchWorld world = MakeRematchWorld(Reference(), 8, 50, 10);
  std::atomic<bool> cancel{true};
  RematchOptions options = Options();
  options.cancel = &cancel;
  absl::StatusOr<RematchResult> result =
      RunRematch(Input(Build(world)), options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->report.outcome, RematchOutcome::kCancelled);
  EXPECT_TRUE(result->proposals.empty());
}

TEST(RematchTest, CancelledDuringCandidatesReturnsNoProposals) {
  const RematchWorld world = MakeRematchWorld(Reference(), 8, 200, 10);
  std::atomic<bool> cancel{false};
  RematchOptions options = Options();
  options.tile_size = 2;
  options.cancel = &cancel;
  std::atomic<int> calls{0};
  options.on_progress = [&](const RematchProgress&) {
    if (++calls == 3) cancel = true;
  };
  absl::StatusOr<RematchResult> result =
      RunRematch(Input(Build(world)), options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->report.outcome, RematchOutcome::kCancelled);
  EXPECT_TRUE(result->proposals.empty());
  EXPECT_EQ(result->report.objective, 0);
}

TEST(RematchTest, ProgressIsMonotonicAndReachesOneHundred) {
  const RematchWorld world = MakeRematchWorld(Reference(), 9, 100, 20);
  RematchOptions options = Options();
  options.tile_size = 10;
  std::vector<RematchProgress> seen;
  options.on_progress = [&](const RematchProgress& p) { seen.push_back(p); };
  absl::StatusOr<RematchResult> result =
      RunRematch(Input(Build(world)), options);
  ASSERT_TRUE(result.ok());
  ASSERT_GE(seen.size(), 12u);  // at least one per tile, plus the later phases
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GE(seen[i].percent, seen[i - 1].percent);
    EXPECT_GE(static_cast<int>(seen[i].phase),
              static_cast<int>(seen[i - 1].phase));
    EXPECT_GE(seen[i].elapsed, seen[i - 1].elapsed);
  }
  EXPECT_EQ(seen.front().phase, RematchPhase::kCandidates);
  EXPECT_EQ(seen.back().phase, RematchPhase::kAudit);
  EXPECT_DOUBLE_EQ(seen.back().percent, 100);
}

TEST(RematchTest, BadOptionsAreInvalidArgument) {
  const RematchWorld world = MakeRematchWorld(Reference(), 1, 5, 2);
  const RematchInput input = Input(Build(world));
  auto expect_invalid = [&](RematchOptions options, absl::string_view field) {
    absl::StatusOr<RematchResult> result = RunRematch(input, options);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(result.status().message(), HasSubstr(std::string(field)));
  };
  RematchOptions options = Options();
  options.candidates_per_participant = 0;
  expect_invalid(options, "candidates_per_participant");
  options.candidates_per_participant = 1001;
  expect_invalid(options, "candidates_per_participant");
  options = Options();
  options.continuity_bonus = -0.1;
  expect_invalid(options, "continuity_bonus");
  options.continuity_bonus = 1.5;
  expect_invalid(options, "continuity_bonus");
  options = Options();
  options.tile_size = 0;
  expect_invalid(options, "tile_size");
  options = Options();
  options.threads = -1;
  expect_invalid(options, "threads");
  absl::StatusOr<RematchResult> no_snapshot = RunRematch({}, Options());
  EXPECT_EQ(no_snapshot.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RematchTest, EmptyAndIneligibleWorldsAreResultsNotErrors) {
  absl::StatusOr<RematchResult> empty = RunRematch(Input(Build({})), Options());
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->report.outcome, RematchOutcome::kNothingEligible);
  EXPECT_TRUE(empty->proposals.empty());

  RematchWorld world = MakeRematchWorld(Reference(), 2, 20, 5);
  for (Opening& o : world.openings) o.places_taken = o.capacity;  // all full
  absl::StatusOr<RematchResult> full =
      RunRematch(Input(Build(world)), Options());
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->report.outcome, RematchOutcome::kNothingEligible);
  EXPECT_TRUE(full->proposals.empty());
  EXPECT_EQ(full->report.objective, 0);
  EXPECT_EQ(full->report.openings_with_free_places, 0);
  // Everyone is blocked by full places.
  EXPECT_EQ(full->report.unmatched_by_blocking_rule[static_cast<size_t>(
                HardRule::kNoFreePlace)],
            full->report.active_considered);
}

TEST(RematchTest, ReportCountsBlockingRulesAndIdleOpenings) {
  RematchWorld world = MakeRematchWorld(Reference(), 21, 30, 6);
  // An opening far away in Kiruna: nobody can reach it.
  world.openings[0].location = {67.8558, 20.2253};
  world.openings[0].places_taken = 0;
  // Five people who need far more Swedish than they have.
  for (int i = 0; i < 5; ++i) {
    world.participants[static_cast<size_t>(i)].status =
        ParticipantStatus::kActive;
    world.participants[static_cast<size_t>(i)].swedish_level =
        SwedishLevel::kNone;
  }
  for (Opening& o : world.openings) o.min_swedish = SwedishLevel::kBasic;
  const std::shared_ptr<const Snapshot> snapshot = Build(world);
  RematchOptions options = Options();
  options.max_listed_openings = 5;
  absl::StatusOr<RematchResult> result = RunRematch(Input(snapshot), options);
  ASSERT_TRUE(result.ok());
  const RematchReport& report = result->report;
  EXPECT_EQ(report.unmatched, report.active_considered - report.proposed);
  EXPECT_THAT(report.openings_without_candidate,
              ::testing::Contains(world.openings[0].id));
  EXPECT_GE(report.unmatched_by_blocking_rule[static_cast<size_t>(
                HardRule::kSwedishTooLow)],
            5);
  int explained = 0;
  for (int count : report.unmatched_by_blocking_rule) explained += count;
  EXPECT_EQ(explained, report.unmatched);
  EXPECT_GT(report.timings.total, absl::ZeroDuration());
  EXPECT_GE(report.timings.total,
            report.timings.candidates + report.timings.assignment +
                report.timings.audit - absl::Milliseconds(1));
}

const AuditGroup* FindGroup(const RematchReport& report,
                            absl::string_view dimension,
                            absl::string_view group) {
  for (const AuditDimension& d : report.audit) {
    if (d.dimension != dimension) continue;
    for (const AuditGroup& g : d.groups) {
      if (g.group == group) return &g;
    }
  }
  return nullptr;
}

TEST(RematchTest, AuditFlagsGroupsBelowFourFifthsOfTheBestOff) {
  RematchWorld world = MakeRematchWorld(Reference(), 31, 16, 8);
  for (Opening& o : world.openings) {
    o.capacity = 5;
    o.places_taken = 0;
  }
  for (size_t i = 0; i < world.participants.size(); ++i) {
    Participant& p = world.participants[i];
    p.status = ParticipantStatus::kActive;
    p.birth_year = 1990;  // 36: one age band
    p.born_abroad = false;
    if (i < 10) {
      p.gender = Gender::kFemale;
    } else if (i < 15) {
      p.gender = Gender::kMale;
      p.max_travel_minutes = 0;  // nothing in reach: never proposed
    } else {
      p.gender = Gender::kOther;
      p.max_travel_minutes = 0;
    }
  }
  absl::StatusOr<RematchResult> result =
      RunRematch(Input(Build(world)), Options());
  ASSERT_TRUE(result.ok());
  const RematchReport& report = result->report;
  ASSERT_EQ(report.proposed, 10);
  const AuditGroup* female = FindGroup(report, "gender", "female");
  const AuditGroup* male = FindGroup(report, "gender", "male");
  const AuditGroup* other = FindGroup(report, "gender", "other");
  ASSERT_NE(female, nullptr);
  ASSERT_NE(male, nullptr);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(female->participants, 10);
  EXPECT_DOUBLE_EQ(female->share_proposed, 1);
  EXPECT_DOUBLE_EQ(female->ratio_to_best, 1);
  EXPECT_FALSE(female->flagged);
  EXPECT_GT(female->mean_score, 0);
  EXPECT_EQ(male->proposed, 0);
  EXPECT_DOUBLE_EQ(male->ratio_to_best, 0);
  EXPECT_TRUE(male->flagged);
  EXPECT_TRUE(other->too_small);
  EXPECT_FALSE(other->flagged);
  EXPECT_EQ(FindGroup(report, "gender", "undisclosed"),
            nullptr);  // empty groups omitted
  const AuditGroup* band = FindGroup(report, "age_band", "35-44");
  ASSERT_NE(band, nullptr);
  EXPECT_EQ(band->participants, 16);
  const AuditGroup* home = FindGroup(report, "municipality", "1880");
  ASSERT_NE(home, nullptr);
  EXPECT_EQ(home->participants, 16);
  EXPECT_EQ(FindGroup(report, "born_abroad", "no")->participants, 16);
  // A person counts once in each of their target groups.
  int memberships = 0;
  for (const Participant& p : world.participants) {
    memberships += std::max<int>(1, static_cast<int>(p.target_groups.size()));
  }
  int counted = 0;
  for (const AuditDimension& d : report.audit) {
    if (d.dimension != "target_group") continue;
    for (const AuditGroup& g : d.groups) counted += g.participants;
  }
  EXPECT_EQ(counted, memberships);
}

}  // namespace
}  // namespace placement
