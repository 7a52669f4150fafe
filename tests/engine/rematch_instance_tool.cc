// Writes one rematch instance as JSON for tests/engine/rematch_optimum_test.py:
// the candidate graph the engine solves and the objective it found, so that
// an independent solver (SciPy's HiGHS) can solve the same graph.
//
//   rematch_instance_tool SEED PARTICIPANTS OPENINGS K > instance.json
//
// Output: {"scale": 1000000, "objective": int, "algorithm": "...",
//          "free_places": [int per opening index],
//          "rows": [[[opening, weight], ...] per participant row]}

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "engine/matcher.h"
#include "engine/rematch.h"
#include "tests/engine/rematch_test_world.h"

int main(int argc, char** argv) {
  using namespace placement;  // a small tool
  uint64_t seed = 0;
  int participants = 0, openings = 0, k = 0;
  if (argc != 5 || !absl::SimpleAtoi(argv[1], &seed) ||
      !absl::SimpleAtoi(argv[2], &participants) ||
      !absl::SimpleAtoi(argv[3], &openings) || !absl::SimpleAtoi(argv[4], &k)) {
    std::fprintf(stderr, "usage: %s SEED PARTICIPANTS OPENINGS K\n", argv[0]);
    return 2;
  }
  absl::StatusOr<ReferenceData> reference =
      LoadReferenceData(PLACEMENT_DATA_DIR);
  if (!reference.ok()) {
    std::fprintf(stderr, "%s\n", reference.status().ToString().c_str());
    return 1;
  }
  auto shared = std::make_shared<const ReferenceData>(std::move(*reference));
  testing::RematchWorld world =
      testing::MakeRematchWorld(*shared, seed, participants, openings);
  RematchInput input;
  // Every fifth participant has a pending proposal, so bonus weights appear.
  for (int i = 0; i < participants; i += 5) {
    input.previous_pending.push_back(
        {world.participants[static_cast<size_t>(i)].id,
         world.openings[static_cast<size_t>(i % openings)].id});
  }
  absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot = Snapshot::Build(
      shared, std::move(world.participants), std::move(world.openings));
  if (!snapshot.ok()) {
    std::fprintf(stderr, "%s\n", snapshot.status().ToString().c_str());
    return 1;
  }
  input.snapshot = *snapshot;
  RematchOptions options;
  options.candidates_per_participant = k;
  options.context.today = testing::kRematchToday;
  options.threads = 1;
  absl::StatusOr<CandidateGraph> graph = BuildCandidateGraph(input, options);
  absl::StatusOr<RematchResult> result = RunRematch(input, options);
  if (!graph.ok() || !result.ok()) {
    std::fprintf(
        stderr, "%s\n",
        (graph.ok() ? result.status() : graph.status()).ToString().c_str());
    return 1;
  }
  std::string json =
      "{\"scale\": " + std::to_string(result->report.objective_scale) +
      ", \"objective\": " + std::to_string(result->report.objective) +
      ", \"algorithm\": \"" +
      std::string(FlowAlgorithmSlug(result->report.algorithm_used)) +
      "\", \"free_places\": [";
  for (size_t o = 0; o < graph->free_places.size(); ++o) {
    json += (o ? ", " : "") + std::to_string(graph->free_places[o]);
  }
  json += "], \"rows\": [";
  for (int r = 0; r < graph->rows(); ++r) {
    json += r ? ", [" : "[";
    for (int64_t e = graph->row_begin[static_cast<size_t>(r)];
         e < graph->row_begin[static_cast<size_t>(r) + 1]; ++e) {
      json += (e > graph->row_begin[static_cast<size_t>(r)] ? ", [" : "[") +
              std::to_string(graph->opening[static_cast<size_t>(e)]) + ", " +
              std::to_string(graph->weight[static_cast<size_t>(e)]) + "]";
    }
    json += "]";
  }
  json += "]}\n";
  std::fputs(json.c_str(), stdout);
  return 0;
}
