// Top-k matching speed, one thread, on generated data (seed 7):
// - TopOpenings over 100,000 openings: the slow reference scorer of the
//   tests, the fast path scanning every opening, and the fast path with the
//   spatial grid; FAISS's exact IndexFlatIP over 100,000 64-dimensional
//   vectors with the same k as the peer (skipped, saying so, without FAISS);
// - TopParticipants over 1,000,000 participants;
// - bytes per opening and per participant held by a snapshot (counters).
// Queries rotate over 1,000 participants (or openings) so no single easy
// case dominates. Before timing, each fast benchmark checks its results
// against the reference scorer for several queries and fails on any
// difference.

#include <cstdio>
#include <memory>
#include <random>

#include "benchmark/benchmark.h"
#include "benchmarks/benchmark_support.h"
#include "engine/matcher.h"
#include "engine/population_generator.h"
#include "tests/engine/reference_scorer.h"

#ifdef PLACEMENT_HAVE_FAISS
#include <omp.h>

#include "faiss/IndexFlat.h"
#endif

namespace placement {
namespace {

constexpr int kK = 20;
constexpr int kOpenings = 100'000;
constexpr int kQueryParticipants = 1'000;
constexpr int kManyParticipants = 1'000'000;
constexpr uint64_t kSeed = 7;
constexpr Date kToday = {2026, 1, 10};

std::shared_ptr<const ReferenceData> Reference() {
  return benchmarks::SharedReference();
}

struct World {
  std::vector<Opening> openings;
  std::vector<Participant> participants;
  std::shared_ptr<const Snapshot> snapshot;
};

// participants: how many the snapshot holds; the first kQueryParticipants are
// the queries of the opening benchmarks.
const World& GetWorld(int participant_count) {
  static World* worlds[2] = {nullptr, nullptr};
  World*& world = worlds[participant_count == kManyParticipants ? 1 : 0];
  if (world == nullptr) {
    world = new World();
    const PopulationGenerator generator({.seed = kSeed,
                                         .participants = participant_count,
                                         .openings = kOpenings},
                                        *Reference());
    for (int i = 0; i < kOpenings; ++i)
      world->openings.push_back(generator.Opening(i));
    for (int i = 0; i < participant_count; ++i) {
      world->participants.push_back(generator.Participant(i));
    }
    world->snapshot =
        *Snapshot::Build(Reference(), world->participants, world->openings);
  }
  return *world;
}

TopKQuery Query(bool spatial) {
  TopKQuery query;
  query.k = kK;
  query.context.today = kToday;
  query.use_spatial_index = spatial;
  return query;
}

bool SameAsReference(const Snapshot& snapshot,
                     const std::vector<RankedMatch>& fast,
                     const std::vector<testing::ReferenceMatch>& reference,
                     bool openings) {
  if (fast.size() != reference.size()) return false;
  for (size_t i = 0; i < fast.size(); ++i) {
    const std::string& id = openings ? snapshot.opening(fast[i].index).id
                                     : snapshot.participant(fast[i].index).id;
    if (id != reference[i].id ||
        std::abs(fast[i].total - reference[i].total) > 1e-6) {
      return false;
    }
  }
  return true;
}

void BM_TopOpenings_Reference(benchmark::State& state) {
  const World& world = GetWorld(kQueryParticipants);
  const TopKQuery query = Query(false);
  int i = 0;
  for (auto _ : state) {
    auto best = testing::ReferenceTopOpenings(
        world.openings, world.participants[i++ % kQueryParticipants],
        *Reference(), query);
    benchmark::DoNotOptimize(best);
  }
  state.SetItemsProcessed(state.iterations() * kOpenings);
}

void TopOpeningsFast(benchmark::State& state, bool spatial) {
  const World& world = GetWorld(kQueryParticipants);
  const TopKQuery query = Query(spatial);
  for (int check = 0; check < 25; ++check) {
    const Participant& p = world.participants[check * 37];
    if (!SameAsReference(*world.snapshot,
                         TopOpenings(*world.snapshot, p, query),
                         testing::ReferenceTopOpenings(world.openings, p,
                                                       *Reference(), query),
                         true)) {
      state.SkipWithError("fast path differs from the reference scorer");
      return;
    }
  }
  int i = 0;
  for (auto _ : state) {
    auto best = TopOpenings(
        *world.snapshot, world.participants[i++ % kQueryParticipants], query);
    benchmark::DoNotOptimize(best);
  }
  state.SetItemsProcessed(state.iterations() * kOpenings);
  state.counters["bytes_per_opening"] =
      static_cast<double>(world.snapshot->opening_bytes()) / kOpenings;
}

void BM_TopOpenings_FullScan(benchmark::State& state) {
  TopOpeningsFast(state, false);
}
void BM_TopOpenings_SpatialIndex(benchmark::State& state) {
  TopOpeningsFast(state, true);
}

void BM_FaissIndexFlatIP(benchmark::State& state) {
#ifdef PLACEMENT_HAVE_FAISS
  constexpr int kDimensions = 64;
  omp_set_num_threads(1);
  std::mt19937 random(kSeed);
  std::normal_distribution<float> normal;
  std::vector<float> vectors(static_cast<size_t>(kOpenings) * kDimensions);
  for (float& v : vectors) v = normal(random);
  faiss::IndexFlatIP index(kDimensions);
  index.add(kOpenings, vectors.data());
  std::vector<float> queries(static_cast<size_t>(kQueryParticipants) *
                             kDimensions);
  for (float& v : queries) v = normal(random);
  std::vector<float> distances(kK);
  std::vector<faiss::Index::idx_t> labels(kK);
  // Known answer: the best inner product equals a brute-force maximum.
  index.search(1, queries.data(), kK, distances.data(), labels.data());
  float best = -1e30f;
  for (int o = 0; o < kOpenings; ++o) {
    float dot = 0;
    for (int d = 0; d < kDimensions; ++d) {
      dot += queries[d] * vectors[static_cast<size_t>(o) * kDimensions + d];
    }
    best = std::max(best, dot);
  }
  if (std::abs(best - distances[0]) > 1e-3f * std::abs(best)) {
    state.SkipWithError("FAISS disagrees with brute force");
    return;
  }
  int i = 0;
  for (auto _ : state) {
    index.search(
        1,
        &queries[static_cast<size_t>(i++ % kQueryParticipants) * kDimensions],
        kK, distances.data(), labels.data());
    benchmark::DoNotOptimize(distances.data());
  }
  state.SetItemsProcessed(state.iterations() * kOpenings);
#else
  state.SkipWithError(
      "FAISS (libfaiss-dev) was not found at configure time; peer skipped");
#endif
}

void BM_TopParticipants_1M(benchmark::State& state) {
  const World& world = GetWorld(kManyParticipants);
  const TopKQuery query = Query(true);
  for (int check = 0; check < 5; ++check) {
    const Opening& o = world.openings[check * 101];
    if (!SameAsReference(*world.snapshot,
                         TopParticipants(*world.snapshot, o, query),
                         testing::ReferenceTopParticipants(
                             world.participants, o, *Reference(), query),
                         false)) {
      state.SkipWithError("fast path differs from the reference scorer");
      return;
    }
  }
  int i = 0;
  for (auto _ : state) {
    auto best = TopParticipants(
        *world.snapshot, world.openings[i++ % kQueryParticipants], query);
    benchmark::DoNotOptimize(best);
  }
  state.SetItemsProcessed(state.iterations() * kManyParticipants);
  state.counters["bytes_per_participant"] =
      static_cast<double>(world.snapshot->participant_bytes()) /
      kManyParticipants;
}

BENCHMARK(BM_TopOpenings_Reference)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TopOpenings_FullScan)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TopOpenings_SpatialIndex)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FaissIndexFlatIP)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TopParticipants_1M)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace placement

BENCHMARK_MAIN();
