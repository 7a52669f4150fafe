// Overnight rematch speed on generated data (seed 7, today 2026-01-10, K 50):
// - BM_Rematch/N/M: RunRematch end to end on all cores, N participants x M
//   openings, with per-phase seconds as counters (candidates, assignment,
//   audit) so growth with N and M can be read off the rows;
// - BM_Flow/N/M/algorithm: phase 2 alone on the same candidate graph with
//   LEMON NetworkSimplex (0) and CostScaling (1), the data behind
//   kCostScalingMinArcs;
// - BM_SciPyPeer: SciPy's linear_sum_assignment on the capacity-expanded
//   dense matrix of a 5,000-participant instance against phase 2 on the same
//   graph, run as a Python subprocess in the same process run; the counter
//   speedup is SciPy's solve time over ours.
// Known answers, checked on the first iteration (untimed): every run's
// proposals respect capacities, one per participant and the rejected pairs;
// the objective equals the sum of the proposals' weights and, up to 200,000
// participants, the optimum found by the other LEMON algorithm (a second,
// independent exact solver); the SciPy peer must report the same objective.
//
// The 1,000,000 x 100,000 run is registered only with --rematch_1m (it needs
// minutes and several GiB):
//   build/release/benchmarks/rematch_benchmark --rematch_1m
//     --benchmark_filter=BM_Rematch/1000000   (one command line)
//
// Data are built outside the timed loops; the world of each size is kept for
// the whole process.
//
// Measured 2026-11-22 on the 2-core development machine, shared with other
// builds (load average 4-8, so wall times are pessimistic):
//   end to end      10k x 2k 0.18 s; 30k x 6k 1.0 s;
//                   100k x 20k 7.3-8.9 s (candidates 1.8-3.7, assignment
//                   4.9-5.2, audit 0.3; 3.07M pairs), 14.9 s at load 8;
//                   1M x 100k 226 s (candidates 104, assignment 120,
//                   audit 1.3; 38.7M pairs), peak RSS 4.8 GiB
//   phase 2, NS/CS  43k arcs 13/33 ms; 131k 55/134 ms; 645k 0.47/1.40 s;
//                   3.07M 5.0/13.5 s: network simplex 2.4-3x faster
//   SciPy peer      5k x 1k instance, 3,119 x 1,972 expanded matrix:
//                   linear_sum_assignment 0.30 s, ours 9 ms, same
//                   objective, 35x

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "benchmarks/benchmark_support.h"
#include "engine/matcher.h"
#include "engine/population_generator.h"
#include "engine/rematch.h"

namespace placement {
namespace {

constexpr uint64_t kSeed = 7;
constexpr Date kToday = {2026, 1, 10};
constexpr int kK = 50;

std::shared_ptr<const ReferenceData> Reference() {
  return benchmarks::SharedReference();
}

struct World {
  RematchInput input;
  std::optional<CandidateGraph> graph;  // phase 1 of input, built on first use
};

// Worlds up to this many participants are cross-checked with the second
// exact solver; larger ones (the 1M run) with the cheaper checks only.
constexpr int kCrossCheckMaxParticipants = 200'000;

RematchOptions Options() {
  RematchOptions options;
  options.candidates_per_participant = kK;
  options.context.today = kToday;
  return options;
}

// A snapshot of N generated participants and M openings; 1 in 50 active
// participants has a pending proposal (their best opening of a query with
// k = 2, the second) and 1 in 50 a rejected pair (their best).
World& GetWorld(int participants, int openings) {
  static auto* worlds = new std::map<std::pair<int, int>, World>();
  auto [it, inserted] = worlds->try_emplace({participants, openings});
  World& world = it->second;
  if (!inserted) return world;
  GeneratorConfig config;
  config.seed = kSeed;
  config.participants = participants;
  config.openings = openings;
  const PopulationGenerator generator(config, *Reference());
  std::vector<Participant> people(static_cast<size_t>(participants));
  std::vector<Opening> places(static_cast<size_t>(openings));
  for (int i = 0; i < participants; ++i)
    people[static_cast<size_t>(i)] = generator.Participant(i);
  for (int i = 0; i < openings; ++i)
    places[static_cast<size_t>(i)] = generator.Opening(i);
  world.input.snapshot =
      *Snapshot::Build(Reference(), std::move(people), std::move(places));
  const Snapshot& snapshot = *world.input.snapshot;
  TopKQuery query;
  query.k = 2;
  query.context = Options().context;
  for (int p = 0; p < snapshot.participant_count(); p += 50) {
    const std::vector<RankedMatch> best =
        TopOpenings(snapshot, snapshot.participant(p), query);
    if (best.size() < 2) continue;
    world.input.rejected.push_back(
        {snapshot.participant(p).id, snapshot.opening(best[0].index).id});
    world.input.previous_pending.push_back(
        {snapshot.participant(p).id, snapshot.opening(best[1].index).id});
  }
  return world;
}

const CandidateGraph& GraphOf(World& world) {
  if (!world.graph) world.graph = *BuildCandidateGraph(world.input, Options());
  return *world.graph;
}

// Capacities, one proposal per person, no rejected pair; returns "" or why not.
std::string CheckProposals(const World& world, const RematchResult& result) {
  const Snapshot& snapshot = *world.input.snapshot;
  absl::flat_hash_set<std::string> rejected;
  for (const auto& pair : world.input.rejected) {
    rejected.insert(absl::StrCat(pair.participant_id, "/", pair.opening_id));
  }
  absl::flat_hash_set<std::string> seen;
  absl::flat_hash_map<std::string, int> used;
  for (const Proposal& p : result.proposals) {
    if (!seen.insert(p.participant_id).second)
      return "a participant has two proposals";
    const Opening& o = snapshot.opening(*snapshot.FindOpening(p.opening_id));
    if (++used[o.id] > o.capacity - o.places_taken)
      return "an opening is overfilled";
    if (rejected.contains(absl::StrCat(p.participant_id, "/", p.opening_id))) {
      return "a rejected pair was proposed";
    }
  }
  return "";
}

// The optimum by the algorithm RunRematch does not use for this size.
int64_t CrossCheckObjective(World& world, FlowAlgorithm used) {
  const FlowAlgorithm other = used == FlowAlgorithm::kCostScaling
                                  ? FlowAlgorithm::kNetworkSimplex
                                  : FlowAlgorithm::kCostScaling;
  return SolveAssignment(GraphOf(world), other, Options().seed).objective;
}

void BM_Rematch(benchmark::State& state) {
  World& world = GetWorld(static_cast<int>(state.range(0)),
                          static_cast<int>(state.range(1)));
  const RematchOptions options = Options();
  RematchReport report;
  bool checked = false;
  for (auto _ : state) {
    absl::StatusOr<RematchResult> result = RunRematch(world.input, options);
    if (!result.ok()) {
      state.SkipWithError(result.status().ToString().c_str());
      return;
    }
    if (!checked) {
      state.PauseTiming();
      const std::string problem = CheckProposals(world, *result);
      if (!problem.empty()) {
        state.SkipWithError(problem.c_str());
        return;
      }
      // The reported objective is the sum of the proposals' weights.
      int64_t sum = 0;
      for (const Proposal& p : result->proposals) {
        const double bonus =
            p.continues_pending ? options.continuity_bonus : 0.0;
        sum +=
            std::llround((p.score + bonus) * static_cast<double>(kWeightScale));
      }
      if (sum != result->report.objective) {
        state.SkipWithError("objective differs from the sum of the proposals");
        return;
      }
      if (state.range(0) <= kCrossCheckMaxParticipants &&
          CrossCheckObjective(world, result->report.algorithm_used) !=
              result->report.objective) {
        state.SkipWithError("objective differs from the other exact solver");
        return;
      }
      checked = true;
      state.ResumeTiming();
    }
    report = std::move(result->report);
    benchmark::DoNotOptimize(report.objective);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["candidates_s"] =
      absl::ToDoubleSeconds(report.timings.candidates);
  state.counters["assignment_s"] =
      absl::ToDoubleSeconds(report.timings.assignment);
  state.counters["audit_s"] = absl::ToDoubleSeconds(report.timings.audit);
  state.counters["pairs"] = static_cast<double>(report.candidate_pairs);
  state.counters["proposed"] = report.proposed;
  state.counters["active"] = report.active_considered;
  state.counters["threads"] =
      static_cast<double>(std::thread::hardware_concurrency());
  state.SetLabel(std::string(FlowAlgorithmSlug(report.algorithm_used)));
}

void BM_Flow(benchmark::State& state) {
  World& world = GetWorld(static_cast<int>(state.range(0)),
                          static_cast<int>(state.range(1)));
  const FlowAlgorithm algorithm = state.range(2) == 0
                                      ? FlowAlgorithm::kNetworkSimplex
                                      : FlowAlgorithm::kCostScaling;
  const int64_t known = CrossCheckObjective(world, algorithm);
  for (auto _ : state) {
    const Assignment assignment =
        SolveAssignment(GraphOf(world), algorithm, Options().seed);
    if (assignment.objective != known) {
      state.SkipWithError("the two LEMON algorithms disagree");
      return;
    }
    benchmark::DoNotOptimize(assignment.objective);
  }
  state.counters["pairs"] = static_cast<double>(GraphOf(world).pairs());
  state.SetItemsProcessed(state.iterations() * GraphOf(world).pairs());
  state.SetLabel(std::string(FlowAlgorithmSlug(algorithm)));
}

// Writes "row opening weight" lines and the free places per opening index.
void WriteInstance(const CandidateGraph& graph, const std::string& path) {
  std::ofstream out(path);
  out << "free";
  for (int32_t f : graph.free_places) out << ' ' << f;
  out << '\n';
  for (int r = 0; r < graph.rows(); ++r) {
    for (int64_t e = graph.row_begin[static_cast<size_t>(r)];
         e < graph.row_begin[static_cast<size_t>(r) + 1]; ++e) {
      out << r << ' ' << graph.opening[static_cast<size_t>(e)] << ' '
          << graph.weight[static_cast<size_t>(e)] << '\n';
    }
  }
}

void BM_SciPyPeer(benchmark::State& state) {
  World& world = GetWorld(5'000, 1'000);
  const std::string dir =
      std::getenv("TMPDIR") != nullptr ? std::getenv("TMPDIR") : "/tmp";
  const std::string instance = dir + "/rematch_scipy_instance.txt";
  const std::string answer = dir + "/rematch_scipy_answer.txt";
  WriteInstance(GraphOf(world), instance);
  const std::string command =
      absl::StrCat(PLACEMENT_SCIPY_PYTHON, " ", PLACEMENT_SOURCE_DIR,
                   "/benchmarks/rematch_scipy_peer.py ", instance, " ", answer);
  for (auto _ : state) {
    // SciPy first (its own clock: solve only, matrix built before).
    if (std::system(command.c_str()) != 0) {
      state.SkipWithError("the SciPy peer failed (python3 with scipy needed)");
      return;
    }
    std::ifstream in(answer);
    double objective = 0, scipy_seconds = 0, rows = 0, columns = 0;
    in >> objective >> scipy_seconds >> rows >> columns;
    // Ours on the same graph, best of 5 (it is short).
    double ours = 1e30;
    Assignment assignment;
    for (int i = 0; i < 5; ++i) {
      const absl::Time start = absl::Now();
      assignment =
          SolveAssignment(GraphOf(world), FlowAlgorithm::kAuto, Options().seed);
      ours = std::min(ours, absl::ToDoubleSeconds(absl::Now() - start));
    }
    if (static_cast<int64_t>(objective + 0.5) != assignment.objective) {
      state.SkipWithError(absl::StrCat("objectives differ: scipy ", objective,
                                       " ours ", assignment.objective)
                              .c_str());
      return;
    }
    state.SetIterationTime(scipy_seconds);
    state.counters["scipy_s"] = scipy_seconds;
    state.counters["ours_s"] = ours;
    state.counters["speedup"] = scipy_seconds / ours;
    state.counters["matrix_rows"] = rows;
    state.counters["matrix_columns"] = columns;
    state.counters["pairs"] = static_cast<double>(GraphOf(world).pairs());
    state.SetLabel(std::string(FlowAlgorithmSlug(assignment.algorithm_used)));
  }
  std::remove(instance.c_str());
  std::remove(answer.c_str());
}

BENCHMARK(BM_Rematch)
    ->Args({10'000, 2'000})
    ->Args({30'000, 6'000})
    ->Args({100'000, 20'000})
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK(BM_Flow)
    ->ArgsProduct({{5'000}, {1'000}, {0, 1}})
    ->ArgsProduct({{10'000}, {2'000}, {0, 1}})
    ->ArgsProduct({{30'000}, {6'000}, {0, 1}})
    ->ArgsProduct({{100'000}, {20'000}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK(BM_SciPyPeer)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseManualTime();

}  // namespace
}  // namespace placement

int main(int argc, char** argv) {
  bool million = false;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rematch_1m") == 0) {
      million = true;
    } else {
      args.push_back(argv[i]);
    }
  }
  if (million) {
    benchmark::RegisterBenchmark("BM_Rematch", placement::BM_Rematch)
        ->Args({1'000'000, 100'000})
        ->Unit(benchmark::kSecond)
        ->Iterations(1)
        ->UseRealTime();
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
