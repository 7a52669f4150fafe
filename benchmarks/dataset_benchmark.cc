// Throughput of the population generator and of the CSV reader, which bound
// how fast the large benchmark sets (up to 1,000,000 participants) are made
// and loaded. Each benchmark checks a known answer so a broken build cannot
// report a fast figure.

#include <sstream>

#include "benchmark/benchmark.h"
#include "benchmarks/benchmark_support.h"
#include "engine/dataset.h"
#include "engine/population_generator.h"
#include "engine/reference_data.h"

namespace placement {
namespace {

const ReferenceData& Reference() { return *benchmarks::SharedReference(); }

void BM_GenerateParticipants(benchmark::State& state) {
  const PopulationGenerator generator({.seed = 7, .participants = 1'000'000},
                                      Reference());
  int index = 0;
  for (auto _ : state) {
    Participant p = generator.Participant(index++ % 1'000'000);
    benchmark::DoNotOptimize(p);
  }
  if (generator.Participant(41).id != "P0000042")
    state.SkipWithError("wrong id");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GenerateParticipants);

void BM_ReadParticipantsCsv(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  const PopulationGenerator generator({.seed = 7, .participants = rows},
                                      Reference());
  std::ostringstream csv;
  ParticipantCsvWriter writer(csv);
  for (int i = 0; i < rows; ++i) writer.Write(generator.Participant(i));
  const std::string content = csv.str();
  for (auto _ : state) {
    std::istringstream input(content);
    absl::StatusOr<ParticipantRows> read =
        ReadParticipantsCsv(input, "bench.csv", Reference());
    if (!read.ok() || static_cast<int>(read->participants.size()) != rows) {
      state.SkipWithError("reader lost rows");
      break;
    }
    benchmark::DoNotOptimize(read);
  }
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(content.size()));
}
BENCHMARK(BM_ReadParticipantsCsv)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace placement

BENCHMARK_MAIN();
