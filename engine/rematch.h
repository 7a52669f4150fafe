// The overnight rematch (issue 6): every active participant against every
// open place at once, as an exact assignment under capacities, with
// continuity towards the previous run's pending proposals and a fairness
// audit of the outcome. It proposes; a coach decides (GDPR Art. 22).
//
// Algorithm, in three phases:
//  1. Candidates. For each active participant, TopOpenings (matcher.h) with
//     k = K + that participant's rejected pairs; rejected pairs are dropped
//     and the best K kept. A still-pending pair of the previous run that
//     falls outside those K but is still eligible is added as an extra
//     candidate, so the continuity bonus can keep it (continuity_bonus = 0
//     turns continuity off: no extra candidates, no bonus, no pair marked
//     continues_pending). Participants are cut
//     into tiles; worker threads take tiles in turn and write each
//     participant's candidates to its own fixed slot, so the result does not
//     depend on the thread count and memory is N x K candidates plus one
//     tile of query scratch per thread.
//  2. Assignment. Each candidate pair gets the integer weight
//     round((score + bonus) * kWeightScale), bonus = continuity_bonus when
//     the pair is a still-pending proposal of the previous run, else 0
//     (precision: 1e-6 of a score point per pair). The maximum-weight
//     assignment (each participant at most once, each opening at most its
//     free places, leaving people out allowed) is solved exactly as a
//     min-cost flow with LEMON: participant nodes (supply 1) -> opening
//     nodes (cost -weight, capacity 1) -> sink (capacity free places), plus
//     an arc participant -> sink of cost 0 for "no proposal". LEMON's
//     network simplex (block-search pivots) solves it; cost scaling is
//     available and was measured on the same graphs (BM_Flow in
//     benchmarks/rematch_benchmark.cc): network simplex was faster at every
//     size, 2.4-3x from 43k to 3.1M arcs, so kAuto switches only from
//     kCostScalingMinArcs, which is beyond every size measured.
//  3. Audit. Over the outcome only: per group of gender, age band, target
//     group, municipality and born abroad, the share of participants with a
//     proposal, the mean score of their proposals, the ratio of the share to
//     the best-off group's and a four-fifths-rule flag. Scoring never reads
//     these attributes; only this phase does.
//
// Complexity: phase 1 is N queries of matcher.h, O(N x openings in reach)
// and embarrassingly parallel; phase 2 is a min-cost flow on
// V <= N + M + 1 nodes and E <= N x (K + 1) + M arcs (network simplex has no
// useful polynomial bound; measured here it grows about as E^1.4: 0.06 s at
// 131k arcs, 0.5 s at 645k, 5 s at 3.1M, 120 s at 38.7M; cost scaling is
// O(V E log(V C))); phase 3 is O(N) plus, for each unmatched participant
// without candidates, at most kBlockingSampleOpenings ExplainPair calls.
// Memory: phase 1 holds N x K slots of 12 bytes, then 21 bytes per kept
// pair; phase 2 adds about 70 bytes per arc (the static graph, the solver's
// arrays). Measured peak RSS of the whole 1M x 100k benchmark: see
// benchmarks/rematch_benchmark.cc.
//
// Usage:
//   RematchInput input{.snapshot = holder.Current(),
//                      .previous_pending = pending, .rejected = rejected};
//   RematchOptions options;
//   options.context.today = {2026, 11, 22};
//   options.on_progress = [](const RematchProgress& p) { ... };
//   absl::StatusOr<RematchResult> result = RunRematch(input, options);
//   if (!result.ok()) return result.status();        // bad input only
//   if (result->report.outcome == RematchOutcome::kCancelled) ...;
//   for (const Proposal& p : result->proposals) store.SavePending(p);
//
// Thread safety: RunRematch is reentrant; it reads the snapshot (immutable)
// and the inputs, which must not change during the run. on_progress is
// called from the calling thread and the worker threads, one call at a time.
//
// Determinism: same snapshot, inputs and options (seed included) give the
// same proposals and report (timings aside), whatever the thread count. Ties
// between equal-weight optima are broken by the deterministic solver on a
// graph whose participant order is a permutation drawn from `seed`, so no
// group of ids is systematically favoured in exact ties.

#ifndef PLACEMENT_ENGINE_REMATCH_H_
#define PLACEMENT_ENGINE_REMATCH_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "engine/matcher.h"
#include "engine/scoring.h"
#include "engine/types.h"

namespace placement {

// Scores are turned into integer weights with this scale: 1e-6 precision.
inline constexpr int64_t kWeightScale = 1'000'000;
// From this many arcs on, kAuto uses cost scaling. Network simplex won at
// every measured size (43k to 3.1M arcs; see the file comment), so this is
// "never" until a measurement says otherwise.
inline constexpr int64_t kCostScalingMinArcs =
    std::numeric_limits<int64_t>::max();
// Unmatched participants without any candidate are explained by at most this
// many openings of their home municipality.
inline constexpr int kBlockingSampleOpenings = 24;

enum class RematchPhase : uint8_t { kCandidates, kAssignment, kAudit };
absl::string_view RematchPhaseSlug(RematchPhase phase);  // "candidates", ...

struct RematchProgress {
  RematchPhase phase = RematchPhase::kCandidates;
  double percent = 0;  // of the whole run, 0..100, non-decreasing
  absl::Duration elapsed;
};

enum class FlowAlgorithm : uint8_t {
  kAuto,            // by size: kCostScalingMinArcs
  kNetworkSimplex,  // LEMON NetworkSimplex, block-search pivot
  kCostScaling,     // LEMON CostScaling, partial augment-relabel
};
absl::string_view FlowAlgorithmSlug(FlowAlgorithm algorithm);

struct RematchOptions {
  // K, 1..1000. A participant with rejected pairs is queried for
  // K + rejected (at most 1000) so that dropping them still leaves K.
  int candidates_per_participant = 50;
  // Added to a still-pending pair, [0, 1]; 0 turns continuity off (see
  // phase 1 above): previous_pending is then ignored.
  double continuity_bonus = 0.05;
  int threads = 0;  // worker threads, 0 = std::thread::hardware_concurrency()
  int tile_size = 2048;    // participants per tile, 1..1,000,000
  ScoringContext context;  // today and profile; require_free_place is forced on
  uint64_t seed = 1;       // tie-breaking permutation (see Determinism)
  FlowAlgorithm algorithm = FlowAlgorithm::kAuto;
  // At most this many ids in RematchReport::openings_without_candidate.
  int max_listed_openings = 1000;
  // Progress at tile granularity; may be empty.
  std::function<void(const RematchProgress&)> on_progress;
  // When set and it becomes true, the run stops between tiles or before the
  // assignment and returns outcome kCancelled with no proposals. Not owned.
  const std::atomic<bool>* cancel = nullptr;
};

struct ParticipantOpeningPair {
  std::string participant_id;
  std::string opening_id;
};

struct RematchInput {
  std::shared_ptr<const Snapshot> snapshot;  // required
  // Proposals of the previous run that no coach has answered yet. Pairs
  // naming records not in the snapshot are ignored (and counted).
  std::vector<ParticipantOpeningPair> previous_pending;
  // Pairs a coach rejected: never proposed again.
  std::vector<ParticipantOpeningPair> rejected;
};

struct Proposal {
  std::string participant_id;
  std::string opening_id;
  double score = 0;  // the scoring total in [0, 1], without the bonus
  bool continues_pending = false;  // the pair was pending from the last run
};

enum class RematchOutcome : uint8_t {
  kOptimal,          // solved exactly; some or all people have proposals
  kNothingEligible,  // no eligible pair at all: no proposals, not an error
  kCancelled,        // stopped by RematchOptions::cancel: no proposals
};
absl::string_view RematchOutcomeSlug(RematchOutcome outcome);

// One group of one audited dimension.
struct AuditGroup {
  std::string group;  // "female", "25-34", "newly_arrived", "1863", "yes", ...
  int participants = 0;  // active participants considered
  int proposed = 0;
  double share_proposed = 0;  // proposed / participants
  double mean_score = 0;      // mean score of the group's proposals; 0 if none
  // share / the largest share among groups of at least kAuditMinGroup (among
  // all groups when none is that large); 1 when that share is 0.
  double ratio_to_best = 1;
  bool too_small = false;  // participants < kAuditMinGroup: never flagged
  bool flagged = false;    // ratio_to_best < kFourFifths and not too small
};

// Dimensions and their groups: "gender" (GenderSlug), "age_band" (age on
// context.today: "16-24", "25-34", "35-44", "45-54", "55-64", "65+", and
// "under-16" should anyone be younger), "target_group" (TargetGroupSlug; a
// person counts in each of their groups, "none" when they have none),
// "municipality" (home kommunkod), "born_abroad" ("no", "yes").
struct AuditDimension {
  std::string dimension;
  // Groups with at least one participant, in enum order (municipalities in
  // code order).
  std::vector<AuditGroup> groups;
};

inline constexpr double kFourFifths = 0.8;
inline constexpr int kAuditMinGroup = 5;

struct PhaseTimings {
  absl::Duration candidates;
  absl::Duration assignment;
  absl::Duration audit;
  absl::Duration total;
};

struct RematchReport {
  RematchOutcome outcome = RematchOutcome::kOptimal;
  int participants_in_snapshot = 0;
  int active_considered = 0;  // status active; placed and paused are skipped
  int proposed = 0;
  int unmatched = 0;          // active_considered - proposed
  int continued_pending = 0;  // proposals that continue a pending pair
  int64_t candidate_pairs = 0;
  int openings_with_free_places = 0;  // open, not ended, capacity > taken
  int openings_without_candidate_count = 0;  // of those, never a candidate
  std::vector<std::string> openings_without_candidate;  // ids, capped
  int ignored_pairs = 0;  // input pairs naming unknown records
  // Sum of the chosen weights: sum of round((score + bonus) * objective_scale).
  int64_t objective = 0;
  int64_t objective_scale = kWeightScale;
  FlowAlgorithm algorithm_used = FlowAlgorithm::kAuto;  // kAuto: no solve ran
  // Per HardRule, how many unmatched participants it blocked most often
  // (see RunRematch). kNoFreePlace counts people whose candidates were all
  // filled by others.
  std::array<int, kHardRuleCount> unmatched_by_blocking_rule{};
  std::vector<AuditDimension> audit;
  PhaseTimings timings;
};

struct RematchResult {
  RematchReport report;
  // One per proposed participant, in participant id order.
  std::vector<Proposal> proposals;
};

// Runs the rematch. INVALID_ARGUMENT names the field for bad options (K,
// bonus, threads, tile size out of range) or a missing snapshot; anything
// else, including "nobody can be proposed" and cancellation, is a result.
//
// Blocking rule of an unmatched participant: when they had candidates, all
// of them went to others, which counts as kNoFreePlace; otherwise the hard
// rule that excludes them from the most openings among up to
// kBlockingSampleOpenings open openings of their home municipality (in id
// order; ties go to the rule listed first in HardRule), or kTravelTooLong
// when that municipality has no open opening (everything is elsewhere).
// When every sampled opening is eligible, only rejected pairs stood in the
// way; that is no hard rule and the person is not counted under any.
absl::StatusOr<RematchResult> RunRematch(const RematchInput& input,
                                         const RematchOptions& options);

// Building blocks of RunRematch, exposed for tests, benchmarks and tools.

// The candidate graph of phase 1, in compressed rows: row r is participant
// `participant[r]` (a snapshot index; rows in participant index order, one
// per active participant, possibly with no candidate); its candidates are
// [row_begin[r], row_begin[r + 1]) in ranking order.
struct CandidateGraph {
  std::vector<int32_t> participant;
  std::vector<int64_t> row_begin;  // rows + 1
  std::vector<int32_t> opening;    // snapshot opening index
  std::vector<double> score;       // scoring total in [0, 1]
  std::vector<int64_t> weight;     // round((score + bonus) * kWeightScale)
  std::vector<uint8_t> continues_pending;
  std::vector<int32_t> free_places;  // per snapshot opening index, >= 0
  int ignored_pairs = 0;

  int rows() const { return static_cast<int>(participant.size()); }
  int64_t pairs() const { return static_cast<int64_t>(opening.size()); }
};

// Phase 1 alone (progress goes up to 80 %). Returns an empty graph and sets
// *cancelled when cancelled. The graph's indices are dense (0..count-1), so
// the snapshot must have no writes since its base (Snapshot::Compacted;
// FAILED_PRECONDITION otherwise); RunRematch compacts by itself.
absl::StatusOr<CandidateGraph> BuildCandidateGraph(
    const RematchInput& input, const RematchOptions& options,
    bool* cancelled = nullptr);

struct Assignment {
  int64_t objective = 0;
  std::vector<int64_t> chosen;  // per row: the chosen pair index, or -1
  FlowAlgorithm algorithm_used = FlowAlgorithm::kAuto;
};

// Phase 2 alone: the exact maximum-weight assignment of `graph`. kAuto picks
// by size. Deterministic for a given graph, algorithm and seed.
Assignment SolveAssignment(const CandidateGraph& graph, FlowAlgorithm algorithm,
                           uint64_t seed);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_REMATCH_H_
