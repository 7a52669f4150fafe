#include "engine/rematch.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "engine/internal/random.h"
#include "engine/internal/rematch_lemon.h"
#include "engine/mutex.h"
#include "engine/opening_rules.h"

namespace placement {
namespace {

constexpr int kMaxK = 1000;
constexpr int kMaxTileSize = 1'000'000;
constexpr int kMaxThreads = 1024;
// Shares of the whole run reported by the progress callback per phase.
constexpr double kCandidatesEnd = 80;
constexpr double kAssignmentEnd = 95;

uint64_t PairKey(int32_t participant, int32_t opening) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(participant)) << 32) |
         static_cast<uint32_t>(opening);
}

bool Cancelled(const RematchOptions& options) {
  return options.cancel != nullptr &&
         options.cancel->load(std::memory_order_relaxed);
}

int ThreadCount(const RematchOptions& options) {
  if (options.threads > 0) return options.threads;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

absl::Status Validate(const RematchInput& input,
                      const RematchOptions& options) {
  if (input.snapshot == nullptr) {
    return absl::InvalidArgumentError("RematchInput.snapshot is null");
  }
  if (options.candidates_per_participant < 1 ||
      options.candidates_per_participant > kMaxK) {
    return absl::InvalidArgumentError(
        absl::StrCat("candidates_per_participant must be in 1..", kMaxK,
                     ", not ", options.candidates_per_participant));
  }
  if (!(options.continuity_bonus >= 0 && options.continuity_bonus <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "continuity_bonus must be in [0, 1], not ", options.continuity_bonus));
  }
  if (options.threads < 0 || options.threads > kMaxThreads) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads must be in 0..", kMaxThreads,
                     " (0 = all cores), not ", options.threads));
  }
  if (options.tile_size < 1 || options.tile_size > kMaxTileSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tile_size must be in 1..", kMaxTileSize, ", not ", options.tile_size));
  }
  if (options.max_listed_openings < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_listed_openings must be >= 0, not ", options.max_listed_openings));
  }
  return absl::OkStatus();
}

// Serialises progress calls and keeps the percent non-decreasing.
// Thread safety: thread-safe.
class ProgressReporter {
 public:
  ProgressReporter(const RematchOptions& options, absl::Time start)
      : callback_(options.on_progress), start_(start) {}

  void Report(RematchPhase phase, double percent) ABSL_LOCKS_EXCLUDED(mutex_) {
    if (!callback_) return;
    MutexLock lock(&mutex_);
    last_percent_ = std::max(last_percent_, std::min(percent, 100.0));
    callback_(RematchProgress{phase, last_percent_, absl::Now() - start_});
  }

 private:
  const std::function<void(const RematchProgress&)>& callback_;
  const absl::Time start_;
  Mutex mutex_;
  double last_percent_ ABSL_GUARDED_BY(mutex_) = 0;
};

// Runs work(tile) for tiles 0..tiles-1 on `threads` threads (the caller is
// one of them); each worker checks `cancel` before taking a tile. Returns
// false when cancelled. after_tile(done) is called after each finished tile.
template <typename Work, typename AfterTile>
bool ParallelTiles(int64_t tiles, int threads, const RematchOptions& options,
                   Work work, AfterTile after_tile) {
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> done{0};
  std::atomic<bool> stopped{false};
  auto worker = [&] {
    while (true) {
      if (Cancelled(options)) {
        stopped.store(true);
        return;
      }
      const int64_t tile = next.fetch_add(1);
      if (tile >= tiles) return;
      work(tile);
      after_tile(done.fetch_add(1) + 1);
    }
  };
  const int extra = static_cast<int>(std::min<int64_t>(threads, tiles)) - 1;
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(std::max(0, extra)));
  for (int t = 0; t < extra; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& thread : pool) thread.join();
  return !stopped.load();
}

}  // namespace

absl::string_view RematchPhaseSlug(RematchPhase phase) {
  switch (phase) {
    case RematchPhase::kCandidates:
      return "candidates";
    case RematchPhase::kAssignment:
      return "assignment";
    case RematchPhase::kAudit:
      return "audit";
  }
  return "unknown";
}

absl::string_view FlowAlgorithmSlug(FlowAlgorithm algorithm) {
  switch (algorithm) {
    case FlowAlgorithm::kAuto:
      return "auto";
    case FlowAlgorithm::kNetworkSimplex:
      return "network_simplex";
    case FlowAlgorithm::kCostScaling:
      return "cost_scaling";
  }
  return "unknown";
}

absl::string_view RematchOutcomeSlug(RematchOutcome outcome) {
  switch (outcome) {
    case RematchOutcome::kOptimal:
      return "optimal";
    case RematchOutcome::kNothingEligible:
      return "nothing_eligible";
    case RematchOutcome::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

namespace {

// Phase 1 with an explicit progress reporter (RunRematch shares one across
// the phases).
// The graph holds records by index and its arrays are sized by the counts,
// so it needs the dense indices (id order) of a snapshot without a log: a
// snapshot written since its base is compacted first, O(N log N), small
// beside a run.
bool HasWritesSinceBase(const RematchInput& input) {
  return input.snapshot != nullptr &&
         (input.snapshot->opening_log_entries() > 0 ||
          input.snapshot->participant_log_entries() > 0);
}

RematchInput Dense(const RematchInput& input) {
  RematchInput dense = input;
  dense.snapshot = input.snapshot->Compacted();
  return dense;
}

absl::StatusOr<CandidateGraph> BuildCandidates(const RematchInput& input,
                                               const RematchOptions& options,
                                               ProgressReporter& progress,
                                               bool* cancelled) {
  if (absl::Status s = Validate(input, options); !s.ok()) return s;
  if (cancelled != nullptr) *cancelled = false;
  const Snapshot& snapshot = *input.snapshot;
  const int participant_count = snapshot.participant_count();
  const int opening_count = snapshot.opening_count();
  const int k = options.candidates_per_participant;
  ScoringContext context = options.context;
  context.require_free_place = true;

  CandidateGraph graph;
  graph.free_places.resize(static_cast<size_t>(opening_count));
  for (int o = 0; o < opening_count; ++o) {
    const Opening& opening = snapshot.opening(o);
    graph.free_places[static_cast<size_t>(o)] = FreePlaces(opening);
  }

  // Resolve the input pairs to indices; unknown records are ignored.
  absl::flat_hash_map<int32_t, std::vector<int32_t>> rejected_by_participant;
  absl::flat_hash_set<uint64_t> rejected;
  absl::flat_hash_map<int32_t, std::vector<int32_t>> pending_by_participant;
  absl::flat_hash_set<uint64_t> pending;
  auto resolve = [&](const ParticipantOpeningPair& pair, int32_t& p,
                     int32_t& o) {
    std::optional<int> pi = snapshot.FindParticipant(pair.participant_id);
    std::optional<int> oi = snapshot.FindOpening(pair.opening_id);
    if (!pi || !oi) {
      ++graph.ignored_pairs;
      return false;
    }
    p = static_cast<int32_t>(*pi);
    o = static_cast<int32_t>(*oi);
    return true;
  };
  for (const ParticipantOpeningPair& pair : input.rejected) {
    int32_t p = 0, o = 0;
    if (resolve(pair, p, o) && rejected.insert(PairKey(p, o)).second) {
      rejected_by_participant[p].push_back(o);
    }
  }
  // continuity_bonus = 0 turns continuity off: pending pairs are then pairs
  // like any other, with no extra candidate slot, no bonus and no mark.
  const bool continuity = options.continuity_bonus > 0;
  for (const ParticipantOpeningPair& pair : input.previous_pending) {
    if (!continuity) break;
    int32_t p = 0, o = 0;
    if (resolve(pair, p, o) && !rejected.contains(PairKey(p, o)) &&
        pending.insert(PairKey(p, o)).second) {
      pending_by_participant[p].push_back(o);
    }
  }

  // Rows and their fixed slots: K plus room for pending pairs outside the K.
  std::vector<int64_t> slot_begin{0};
  for (int p = 0; p < participant_count; ++p) {
    if (snapshot.participant(p).status != ParticipantStatus::kActive) continue;
    graph.participant.push_back(p);
    auto it = pending_by_participant.find(p);
    const int64_t extra = it == pending_by_participant.end()
                              ? 0
                              : static_cast<int64_t>(it->second.size());
    slot_begin.push_back(slot_begin.back() + k + extra);
  }
  const int rows = graph.rows();
  // The slots become the graph's columns, compacted in place afterwards.
  std::vector<int32_t>& slot_opening = graph.opening;
  std::vector<double>& slot_score = graph.score;
  slot_opening.assign(static_cast<size_t>(slot_begin.back()), 0);
  slot_score.assign(slot_opening.size(), 0.0);
  std::vector<int32_t> row_count(static_cast<size_t>(rows), 0);

  const int64_t tile_size = options.tile_size;
  const int64_t tiles = (rows + tile_size - 1) / tile_size;
  auto work = [&](int64_t tile) {
    TopKQuery query;
    query.context = context;
    const int64_t end = std::min<int64_t>(rows, (tile + 1) * tile_size);
    for (int64_t r = tile * tile_size; r < end; ++r) {
      const size_t row = static_cast<size_t>(r);
      const int32_t p = graph.participant[row];
      const Participant& participant = snapshot.participant(p);
      auto rejected_it = rejected_by_participant.find(p);
      const int rejected_here =
          rejected_it == rejected_by_participant.end()
              ? 0
              : static_cast<int>(rejected_it->second.size());
      query.k = std::min(kMaxK, k + rejected_here);
      const std::vector<RankedMatch> best =
          TopOpenings(snapshot, participant, query);
      int64_t slot = slot_begin[row];
      int count = 0;
      for (const RankedMatch& match : best) {
        if (count == k) break;
        if (rejected_here > 0 && rejected.contains(PairKey(p, match.index)))
          continue;
        slot_opening[static_cast<size_t>(slot)] = match.index;
        slot_score[static_cast<size_t>(slot)] = match.total;
        ++slot;
        ++count;
      }
      // Pending pairs that fell outside the K but are still eligible.
      if (auto it = pending_by_participant.find(p);
          it != pending_by_participant.end()) {
        for (int32_t o : it->second) {
          const int64_t first = slot_begin[row];
          const bool present = std::find(slot_opening.begin() + first,
                                         slot_opening.begin() + slot,
                                         o) != slot_opening.begin() + slot;
          if (present) continue;
          const Explanation why = ExplainPair(participant, snapshot.opening(o),
                                              snapshot.reference(), context);
          if (!why.eligible) continue;
          slot_opening[static_cast<size_t>(slot)] = o;
          slot_score[static_cast<size_t>(slot)] = why.total;
          ++slot;
          ++count;
        }
      }
      row_count[row] = count;
    }
  };
  auto after_tile = [&](int64_t done) {
    progress.Report(RematchPhase::kCandidates, kCandidatesEnd *
                                                   static_cast<double>(done) /
                                                   static_cast<double>(tiles));
  };
  if (!ParallelTiles(tiles, ThreadCount(options), options, work, after_tile)) {
    if (cancelled != nullptr) *cancelled = true;
    return CandidateGraph{};
  }

  // Compact the slots into rows (in place: a row never moves right).
  graph.row_begin.reserve(static_cast<size_t>(rows) + 1);
  graph.row_begin.push_back(0);
  size_t pairs = 0;
  for (int32_t count : row_count) pairs += static_cast<size_t>(count);
  graph.weight.reserve(pairs);
  graph.continues_pending.reserve(pairs);
  size_t out = 0;
  for (int r = 0; r < rows; ++r) {
    const size_t row = static_cast<size_t>(r);
    const int32_t p = graph.participant[row];
    const bool has_pending = pending_by_participant.contains(p);
    for (int64_t s = slot_begin[row]; s < slot_begin[row] + row_count[row];
         ++s) {
      const int32_t o = slot_opening[static_cast<size_t>(s)];
      const double score = slot_score[static_cast<size_t>(s)];
      const bool continues = has_pending && pending.contains(PairKey(p, o));
      const double value = score + (continues ? options.continuity_bonus : 0.0);
      slot_opening[out] = o;
      slot_score[out] = score;
      graph.weight.push_back(
          std::llround(value * static_cast<double>(kWeightScale)));
      graph.continues_pending.push_back(continues ? 1 : 0);
      ++out;
    }
    graph.row_begin.push_back(static_cast<int64_t>(out));
  }
  slot_opening.resize(out);
  slot_score.resize(out);
  return graph;
}

}  // namespace

absl::StatusOr<CandidateGraph> BuildCandidateGraph(
    const RematchInput& input, const RematchOptions& options, bool* cancelled) {
  if (HasWritesSinceBase(input)) {
    return absl::FailedPreconditionError(
        "the snapshot has writes since its base: compact it first "
        "(Snapshot::Compacted)");
  }
  ProgressReporter progress(options, absl::Now());
  return BuildCandidates(input, options, progress, cancelled);
}

namespace {

// The min-cost flow on a static graph. Node order: participant rows with at
// least one candidate (in a seeded permutation), then the openings that are
// candidates somewhere (index order), then the sink. Arcs are listed by
// source: each participant's candidate arcs then its "no proposal" arc, then
// each opening's arc to the sink.
// Arc a of participant node n is candidate pair
// row_begin[rows[n]] + (a - first arc of n), so no per-arc index is stored.
struct FlowNetwork {
  lemon::StaticDigraph digraph;
  std::vector<int32_t> rows;  // per participant node: its row
  int64_t arc_count = 0;
  std::vector<int> capacity;
  std::vector<int64_t> cost;
  std::vector<int> supply;
};

void BuildNetwork(const CandidateGraph& graph, uint64_t seed,
                  FlowNetwork& network) {
  std::vector<int32_t>& rows = network.rows;
  for (int r = 0; r < graph.rows(); ++r) {
    if (graph.row_begin[static_cast<size_t>(r) + 1] >
        graph.row_begin[static_cast<size_t>(r)]) {
      rows.push_back(r);
    }
  }
  // Fisher–Yates with the project's specified generator (not std::shuffle,
  // whose output differs between standard libraries).
  internal::Rng rng(seed);
  for (size_t i = rows.size(); i > 1; --i) {
    const size_t j = static_cast<size_t>(rng.Next() % i);
    std::swap(rows[i - 1], rows[j]);
  }
  std::vector<int32_t> opening_node(graph.free_places.size(), -1);
  std::vector<int32_t> openings;
  for (int32_t o : graph.opening) {
    if (opening_node[static_cast<size_t>(o)] < 0) {
      opening_node[static_cast<size_t>(o)] = 0;
    }
  }
  const int first_opening = static_cast<int>(rows.size());
  for (size_t o = 0; o < opening_node.size(); ++o) {
    if (opening_node[o] == 0) {
      opening_node[o] = first_opening + static_cast<int32_t>(openings.size());
      openings.push_back(static_cast<int32_t>(o));
    }
  }
  const int sink = first_opening + static_cast<int>(openings.size());
  const int node_count = sink + 1;

  const size_t arc_count =
      static_cast<size_t>(graph.pairs()) + rows.size() + openings.size();
  network.arc_count = static_cast<int64_t>(arc_count);
  std::vector<std::pair<int, int>> arcs;
  arcs.reserve(arc_count);
  network.capacity.reserve(arc_count);
  network.cost.reserve(arc_count);
  for (size_t node = 0; node < rows.size(); ++node) {
    const size_t r = static_cast<size_t>(rows[node]);
    for (int64_t e = graph.row_begin[r]; e < graph.row_begin[r + 1]; ++e) {
      const size_t pair = static_cast<size_t>(e);
      arcs.emplace_back(static_cast<int>(node),
                        opening_node[static_cast<size_t>(graph.opening[pair])]);
      network.capacity.push_back(1);
      network.cost.push_back(-graph.weight[pair]);
    }
    arcs.emplace_back(static_cast<int>(node), sink);
    network.capacity.push_back(1);
    network.cost.push_back(0);
  }
  for (size_t i = 0; i < openings.size(); ++i) {
    arcs.emplace_back(first_opening + static_cast<int>(i), sink);
    network.capacity.push_back(
        graph.free_places[static_cast<size_t>(openings[i])]);
    network.cost.push_back(0);
  }
  network.digraph.build(node_count, arcs.begin(), arcs.end());
  network.supply.assign(static_cast<size_t>(node_count), 0);
  for (size_t node = 0; node < rows.size(); ++node) network.supply[node] = 1;
  network.supply[static_cast<size_t>(sink)] = -static_cast<int>(rows.size());
}

template <typename Solver>
void Extract(const FlowNetwork& network, const Solver& solver,
             const CandidateGraph& graph, Assignment& assignment) {
  int64_t arc = 0;  // the first arc of each participant node in turn
  for (int32_t row : network.rows) {
    const size_t r = static_cast<size_t>(row);
    for (int64_t e = graph.row_begin[r]; e < graph.row_begin[r + 1];
         ++e, ++arc) {
      if (solver.flow(lemon::StaticDigraph::arc(static_cast<int>(arc))) > 0) {
        assignment.chosen[r] = e;
        assignment.objective += graph.weight[static_cast<size_t>(e)];
      }
    }
    ++arc;  // the "no proposal" arc
  }
}

// Hands capacities, costs and supplies to the solver, which copies them, and
// frees the network's own copies.
template <typename Solver>
void Configure(FlowNetwork& network, Solver& solver) {
  using Digraph = lemon::StaticDigraph;
  Digraph::ArcMap<int> capacity(network.digraph);
  Digraph::ArcMap<int64_t> cost(network.digraph);
  Digraph::NodeMap<int> supply(network.digraph);
  for (size_t a = 0; a < network.capacity.size(); ++a) {
    const Digraph::Arc arc = Digraph::arc(static_cast<int>(a));
    capacity[arc] = network.capacity[a];
    cost[arc] = network.cost[a];
  }
  for (size_t n = 0; n < network.supply.size(); ++n) {
    supply[Digraph::node(static_cast<int>(n))] = network.supply[n];
  }
  solver.upperMap(capacity).costMap(cost).supplyMap(supply);
  std::vector<int>().swap(network.capacity);
  std::vector<int64_t>().swap(network.cost);
}

}  // namespace

Assignment SolveAssignment(const CandidateGraph& graph, FlowAlgorithm algorithm,
                           uint64_t seed) {
  Assignment assignment;
  assignment.chosen.assign(static_cast<size_t>(graph.rows()), -1);
  if (graph.pairs() == 0) return assignment;
  FlowNetwork network;
  BuildNetwork(graph, seed, network);
  if (algorithm == FlowAlgorithm::kAuto) {
    algorithm = network.arc_count >= kCostScalingMinArcs
                    ? FlowAlgorithm::kCostScaling
                    : FlowAlgorithm::kNetworkSimplex;
  }
  assignment.algorithm_used = algorithm;
  // The problem is always feasible (every participant can take its "no
  // proposal" arc) and bounded (finite capacities), so the solvers return
  // OPTIMAL; anything else is a broken invariant.
  if (algorithm == FlowAlgorithm::kNetworkSimplex) {
    lemon::NetworkSimplex<lemon::StaticDigraph, int, int64_t> solver(
        network.digraph);
    Configure(network, solver);
    const auto result = solver.run(decltype(solver)::BLOCK_SEARCH);
    if (result != decltype(solver)::OPTIMAL) std::abort();
    Extract(network, solver, graph, assignment);
  } else {
    lemon::CostScaling<lemon::StaticDigraph, int, int64_t> solver(
        network.digraph);
    Configure(network, solver);
    const auto result = solver.run(decltype(solver)::PARTIAL_AUGMENT);
    if (result != decltype(solver)::OPTIMAL) std::abort();
    Extract(network, solver, graph, assignment);
  }
  return assignment;
}

namespace {

constexpr std::array<absl::string_view, 7> kAgeBands = {
    "under-16", "16-24", "25-34", "35-44", "45-54", "55-64", "65+"};

int AgeBand(int age) {
  if (age < 16) return 0;
  if (age <= 24) return 1;
  if (age >= 65) return 6;
  return 2 + (age - 25) / 10;
}

// Accumulates one dimension: group key -> counts.
struct GroupTally {
  int participants = 0;
  int proposed = 0;
  double score_sum = 0;
};

AuditDimension FinishDimension(
    std::string name, std::vector<std::pair<std::string, GroupTally>> tallies) {
  AuditDimension dimension;
  dimension.dimension = std::move(name);
  double best_large = -1;
  double best_any = 0;
  for (const auto& [group, tally] : tallies) {
    if (tally.participants == 0) continue;
    const double share =
        static_cast<double>(tally.proposed) / tally.participants;
    best_any = std::max(best_any, share);
    if (tally.participants >= kAuditMinGroup)
      best_large = std::max(best_large, share);
  }
  const double best = best_large >= 0 ? best_large : best_any;
  for (auto& [group, tally] : tallies) {
    if (tally.participants == 0) continue;
    AuditGroup g;
    g.group = group;
    g.participants = tally.participants;
    g.proposed = tally.proposed;
    g.share_proposed = static_cast<double>(tally.proposed) / tally.participants;
    g.mean_score = tally.proposed > 0 ? tally.score_sum / tally.proposed : 0;
    g.ratio_to_best = best > 0 ? g.share_proposed / best : 1;
    g.too_small = tally.participants < kAuditMinGroup;
    g.flagged = !g.too_small && g.ratio_to_best < kFourFifths;
    dimension.groups.push_back(std::move(g));
  }
  return dimension;
}

std::vector<AuditDimension> Audit(const Snapshot& snapshot,
                                  const CandidateGraph& graph,
                                  const Assignment& assignment,
                                  const Date& today) {
  std::vector<std::pair<std::string, GroupTally>> gender(kGenderCount);
  for (int g = 0; g < kGenderCount; ++g) {
    gender[static_cast<size_t>(g)].first =
        std::string(GenderSlug(static_cast<Gender>(g)));
  }
  std::vector<std::pair<std::string, GroupTally>> age(kAgeBands.size());
  for (size_t b = 0; b < kAgeBands.size(); ++b)
    age[b].first = std::string(kAgeBands[b]);
  std::vector<std::pair<std::string, GroupTally>> target(kTargetGroupCount + 1);
  for (int g = 0; g < kTargetGroupCount; ++g) {
    target[static_cast<size_t>(g)].first =
        std::string(TargetGroupSlug(static_cast<TargetGroup>(g)));
  }
  target[kTargetGroupCount].first = "none";
  std::vector<std::pair<std::string, GroupTally>> born_abroad = {{"no", {}},
                                                                 {"yes", {}}};
  absl::flat_hash_map<std::string, GroupTally> municipality;

  auto add = [](GroupTally& tally, bool proposed, double score) {
    ++tally.participants;
    if (proposed) {
      ++tally.proposed;
      tally.score_sum += score;
    }
  };
  for (int r = 0; r < graph.rows(); ++r) {
    const Participant& p =
        snapshot.participant(graph.participant[static_cast<size_t>(r)]);
    const int64_t chosen = assignment.chosen[static_cast<size_t>(r)];
    const bool proposed = chosen >= 0;
    const double score =
        proposed ? graph.score[static_cast<size_t>(chosen)] : 0.0;
    add(gender[static_cast<size_t>(p.gender)].second, proposed, score);
    add(age[static_cast<size_t>(AgeBand(today.year - p.birth_year))].second,
        proposed, score);
    if (p.target_groups.empty()) {
      add(target[kTargetGroupCount].second, proposed, score);
    } else {
      uint32_t seen =
          0;  // a person counts once per group, even if listed twice
      for (TargetGroup g : p.target_groups) {
        const uint32_t bit = 1u << static_cast<int>(g);
        if (seen & bit) continue;
        seen |= bit;
        add(target[static_cast<size_t>(g)].second, proposed, score);
      }
    }
    add(municipality[p.municipality_code], proposed, score);
    add(born_abroad[p.born_abroad ? 1 : 0].second, proposed, score);
  }
  std::vector<std::pair<std::string, GroupTally>> municipalities(
      municipality.begin(), municipality.end());
  std::sort(municipalities.begin(), municipalities.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<AuditDimension> audit;
  audit.push_back(FinishDimension("gender", std::move(gender)));
  audit.push_back(FinishDimension("age_band", std::move(age)));
  audit.push_back(FinishDimension("target_group", std::move(target)));
  audit.push_back(FinishDimension("municipality", std::move(municipalities)));
  audit.push_back(FinishDimension("born_abroad", std::move(born_abroad)));
  return audit;
}

}  // namespace

absl::StatusOr<RematchResult> RunRematch(const RematchInput& input,
                                         const RematchOptions& options) {
  if (HasWritesSinceBase(input)) return RunRematch(Dense(input), options);
  const absl::Time start = absl::Now();
  ProgressReporter progress(options, start);
  bool cancelled = false;
  absl::StatusOr<CandidateGraph> candidates =
      BuildCandidates(input, options, progress, &cancelled);
  if (!candidates.ok()) return candidates.status();
  const CandidateGraph& graph = *candidates;
  const Snapshot& snapshot = *input.snapshot;
  const Date& today = options.context.today;

  RematchResult result;
  RematchReport& report = result.report;
  report.participants_in_snapshot = snapshot.participant_count();
  const absl::Time candidates_done = absl::Now();
  report.timings.candidates = candidates_done - start;
  if (cancelled || Cancelled(options)) {
    report.outcome = RematchOutcome::kCancelled;
    report.timings.total = absl::Now() - start;
    return result;
  }
  report.active_considered = graph.rows();
  report.candidate_pairs = graph.pairs();
  report.ignored_pairs = graph.ignored_pairs;

  // Phase 2.
  progress.Report(RematchPhase::kAssignment, kCandidatesEnd);
  const Assignment assignment =
      SolveAssignment(graph, options.algorithm, options.seed);
  report.algorithm_used = assignment.algorithm_used;
  report.objective = assignment.objective;
  const absl::Time assignment_done = absl::Now();
  report.timings.assignment = assignment_done - candidates_done;
  progress.Report(RematchPhase::kAssignment, kAssignmentEnd);

  // Proposals, in row (= participant id) order.
  for (int r = 0; r < graph.rows(); ++r) {
    const int64_t chosen = assignment.chosen[static_cast<size_t>(r)];
    if (chosen < 0) continue;
    const size_t pair = static_cast<size_t>(chosen);
    Proposal proposal;
    proposal.participant_id =
        snapshot.participant(graph.participant[static_cast<size_t>(r)]).id;
    proposal.opening_id = snapshot.opening(graph.opening[pair]).id;
    proposal.score = graph.score[pair];
    proposal.continues_pending = graph.continues_pending[pair] != 0;
    report.continued_pending += proposal.continues_pending ? 1 : 0;
    result.proposals.push_back(std::move(proposal));
  }
  report.proposed = static_cast<int>(result.proposals.size());
  report.unmatched = report.active_considered - report.proposed;
  report.outcome = graph.pairs() == 0 ? RematchOutcome::kNothingEligible
                                      : RematchOutcome::kOptimal;

  // Openings with free places that no one had as a candidate.
  std::vector<uint8_t> is_candidate(
      static_cast<size_t>(snapshot.opening_count()), 0);
  for (int32_t o : graph.opening) is_candidate[static_cast<size_t>(o)] = 1;
  absl::flat_hash_map<std::string, std::vector<int32_t>> open_by_municipality;
  for (int o = 0; o < snapshot.opening_count(); ++o) {
    const Opening& opening = snapshot.opening(o);
    if (AcceptsPlacement(opening, today, /*require_free_place=*/false)) {
      std::vector<int32_t>& list =
          open_by_municipality[opening.municipality_code];
      if (static_cast<int>(list.size()) < kBlockingSampleOpenings)
        list.push_back(o);
    }
    if (!AcceptsPlacement(opening, today)) continue;
    ++report.openings_with_free_places;
    if (is_candidate[static_cast<size_t>(o)]) continue;
    ++report.openings_without_candidate_count;
    if (static_cast<int>(report.openings_without_candidate.size()) <
        options.max_listed_openings) {
      report.openings_without_candidate.push_back(opening.id);
    }
  }

  // Phase 3: blocking rules of unmatched participants (in parallel, one
  // counter array per tile, summed in tile order) and the audit.
  ScoringContext context = options.context;
  context.require_free_place = true;
  const int64_t tile_size = options.tile_size;
  const int64_t tiles = (graph.rows() + tile_size - 1) / tile_size;
  std::vector<std::array<int, kHardRuleCount>> tile_counts(
      static_cast<size_t>(tiles));
  auto explain_tile = [&](int64_t tile) {
    std::array<int, kHardRuleCount>& counts =
        tile_counts[static_cast<size_t>(tile)];
    counts.fill(0);
    const int64_t end = std::min<int64_t>(graph.rows(), (tile + 1) * tile_size);
    for (int64_t r = tile * tile_size; r < end; ++r) {
      const size_t row = static_cast<size_t>(r);
      if (assignment.chosen[row] >= 0) continue;
      if (graph.row_begin[row + 1] > graph.row_begin[row]) {
        ++counts[static_cast<size_t>(HardRule::kNoFreePlace)];
        continue;
      }
      const Participant& p = snapshot.participant(graph.participant[row]);
      auto it = open_by_municipality.find(p.municipality_code);
      if (it == open_by_municipality.end()) {
        ++counts[static_cast<size_t>(HardRule::kTravelTooLong)];
        continue;
      }
      std::array<int, kHardRuleCount> held{};
      for (int32_t o : it->second) {
        const Explanation why =
            ExplainPair(p, snapshot.opening(o), snapshot.reference(), context);
        for (int rule = 0; rule < kHardRuleCount; ++rule) {
          if (why.excluded_by & RuleBit(static_cast<HardRule>(rule)))
            ++held[static_cast<size_t>(rule)];
        }
      }
      const auto most = std::max_element(held.begin(), held.end());
      // Every sampled opening eligible: only rejected pairs stood in the way,
      // which is no hard rule; such people are not counted per rule.
      if (*most > 0) ++counts[static_cast<size_t>(most - held.begin())];
    }
  };
  // The audit phase is not cancellable: the assignment is already complete.
  RematchOptions no_cancel = options;
  no_cancel.cancel = nullptr;
  ParallelTiles(tiles, ThreadCount(options), no_cancel, explain_tile,
                [&](int64_t done) {
                  progress.Report(
                      RematchPhase::kAudit,
                      kAssignmentEnd +
                          (100 - kAssignmentEnd) * static_cast<double>(done) /
                              static_cast<double>(std::max<int64_t>(1, tiles)));
                });
  for (const auto& counts : tile_counts) {
    for (size_t rule = 0; rule < counts.size(); ++rule) {
      report.unmatched_by_blocking_rule[rule] += counts[rule];
    }
  }
  report.audit = Audit(snapshot, graph, assignment, today);
  const absl::Time audit_done = absl::Now();
  report.timings.audit = audit_done - assignment_done;
  report.timings.total = audit_done - start;
  progress.Report(RematchPhase::kAudit, 100);
  return result;
}

}  // namespace placement
