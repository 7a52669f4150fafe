// Writes into the engine's snapshot at national scale (issue 14), one
// thread, generated data (seed 7), 1,000,000 participants x 100,000
// openings:
// - BM_UpsertParticipant / BM_UpdateOpening: one write (a changed record of
//   an existing id) per iteration, each on the snapshot the previous one
//   made, as SnapshotHolder::Update does; items_per_second is writes/s
//   (compaction is not included: the server runs it on another thread, see
//   BM_Compaction);
// - BM_Compaction: Snapshot::Compacted() of a snapshot with 1 % of its
//   participants and openings rewritten (what the background task does);
// - BM_QueriesWithOnePercentLog: TopOpenings and TopParticipants on a
//   freshly built snapshot and on the same records reached by a base plus a
//   log of 1 % rewritten records, alternating query by query so both see
//   the same machine; counters give both medians and their ratio, and the
//   bytes per record of each snapshot.
// Before timing, the logged snapshot's answers are checked against the
// freshly built one's for 200 queries; any difference fails the benchmark.

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "benchmarks/benchmark_support.h"
#include "engine/matcher.h"
#include "engine/population_generator.h"

namespace placement {
namespace {

constexpr int kParticipants = 1'000'000;
constexpr int kOpenings = 100'000;
constexpr int kQueries = 1'000;
constexpr uint64_t kSeed = 7;
constexpr Date kToday = {2026, 1, 10};

struct World {
  std::shared_ptr<const Snapshot> fresh;      // built from the changed records
  std::shared_ptr<const Snapshot> logged;     // base + 1 % in the log
  std::shared_ptr<const Snapshot> base_only;  // the same base, no writes
  std::shared_ptr<const Snapshot> compacted;  // logged->Compacted()
  std::vector<Participant> participant_updates;  // changed records, by id
  std::vector<Opening> opening_updates;
  std::vector<Participant> query_participants;
  std::vector<Opening> query_openings;
};

// An existing record, changed the way a coach's edit changes it.
Participant Changed(Participant p, int serial) {
  p.hours_per_week = std::min(40.0, p.hours_per_week + 1 + serial % 3);
  p.max_travel_minutes = std::max(10, p.max_travel_minutes - 5 + serial % 11);
  return p;
}

Opening Changed(Opening o, int serial) {
  o.capacity += 1 + serial % 2;
  o.min_hours_per_week = std::max(0.0, o.min_hours_per_week - 1);
  return o;
}

const World& GetWorld() {
  static World* world = nullptr;
  if (world != nullptr) return *world;
  world = new World();
  const PopulationGenerator generator(
      {.seed = kSeed, .participants = kParticipants, .openings = kOpenings},
      *benchmarks::SharedReference());
  std::vector<Participant> participants;
  participants.reserve(kParticipants);
  for (int i = 0; i < kParticipants; ++i)
    participants.push_back(generator.Participant(i));
  std::vector<Opening> openings;
  openings.reserve(kOpenings);
  for (int i = 0; i < kOpenings; ++i) openings.push_back(generator.Opening(i));
  std::shared_ptr<const Snapshot> snapshot =
      *Snapshot::Build(benchmarks::SharedReference(), participants, openings);
  world->base_only = snapshot;
  // 1 % of each side rewritten, spread over the population.
  for (int i = 0; i < kParticipants / 100; ++i) {
    const int at = i * 100 + 37;
    participants[at] = Changed(participants[at], i);
    snapshot = snapshot->WithParticipant(participants[at]);
  }
  for (int i = 0; i < kOpenings / 100; ++i) {
    const int at = i * 100 + 11;
    openings[at] = Changed(openings[at], i);
    snapshot = snapshot->WithOpening(openings[at]);
  }
  world->logged = snapshot;
  world->compacted = snapshot->Compacted();
  world->fresh =
      *Snapshot::Build(benchmarks::SharedReference(), participants, openings);
  for (int i = 0; i < 20'000; ++i) {
    world->participant_updates.push_back(
        Changed(participants[(i * 7919) % kParticipants], i));
  }
  for (int i = 0; i < 20'000; ++i) {
    world->opening_updates.push_back(
        Changed(openings[(i * 7919) % kOpenings], i));
  }
  for (int i = 0; i < kQueries; ++i) {
    world->query_participants.push_back(
        participants[(i * 997) % kParticipants]);
    world->query_openings.push_back(openings[(i * 97) % kOpenings]);
  }
  return *world;
}

TopKQuery Query() {
  TopKQuery query;
  query.k = 20;
  query.context.today = kToday;
  return query;
}

// The newest snapshot of the lineage the write benchmarks extend: Google
// Benchmark runs a function several times, and a write on a snapshot that
// is no longer the newest would fork (a full build) instead of appending.
std::shared_ptr<const Snapshot>& Head() {
  static std::shared_ptr<const Snapshot> head = GetWorld().fresh->Compacted();
  return head;
}

void BM_UpsertParticipant(benchmark::State& state) {
  const World& world = GetWorld();
  std::shared_ptr<const Snapshot>& snapshot = Head();
  size_t i = 0;
  for (auto _ : state) {
    snapshot = snapshot->WithParticipant(
        world.participant_updates[i++ % world.participant_updates.size()]);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["log_entries"] = snapshot->participant_log_entries();
}

void BM_UpdateOpening(benchmark::State& state) {
  const World& world = GetWorld();
  std::shared_ptr<const Snapshot>& snapshot = Head();
  size_t i = 0;
  for (auto _ : state) {
    snapshot = snapshot->WithOpening(
        world.opening_updates[i++ % world.opening_updates.size()]);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["log_entries"] = snapshot->opening_log_entries();
}

void BM_Compaction(benchmark::State& state) {
  const World& world = GetWorld();
  for (auto _ : state) {
    std::shared_ptr<const Snapshot> compacted = world.logged->Compacted();
    benchmark::DoNotOptimize(compacted);
  }
}

bool SameMatches(const Snapshot& a, const std::vector<RankedMatch>& x,
                 const Snapshot& b, const std::vector<RankedMatch>& y,
                 bool openings) {
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) {
    const std::string& xid =
        openings ? a.opening(x[i].index).id : a.participant(x[i].index).id;
    const std::string& yid =
        openings ? b.opening(y[i].index).id : b.participant(y[i].index).id;
    if (xid != yid || x[i].total != y[i].total) return false;
  }
  return true;
}

double Median(std::vector<double> values) {
  std::nth_element(values.begin(), values.begin() + values.size() / 2,
                   values.end());
  return values[values.size() / 2];
}

template <typename Run>
double Microseconds(Run run) {
  const auto start = std::chrono::steady_clock::now();
  run();
  return std::chrono::duration<double, std::micro>(
             std::chrono::steady_clock::now() - start)
      .count();
}

void BM_QueriesWithOnePercentLog(benchmark::State& state) {
  const World& world = GetWorld();
  // Index 0 is the logged snapshot; the others are its baselines.
  const std::vector<const Snapshot*> snapshots = {
      world.logged.get(), world.fresh.get(), world.compacted.get(),
      world.base_only.get()};
  const std::vector<std::string> names = {"logged", "fresh", "compacted",
                                          "base_only"};
  const Snapshot& logged = *world.logged;
  const TopKQuery query = Query();
  for (int q = 0; q < 200; ++q) {
    const Participant& p = world.query_participants[static_cast<size_t>(q)];
    const Opening& o = world.query_openings[static_cast<size_t>(q)];
    for (const Snapshot* built : {world.fresh.get(), world.compacted.get()}) {
      if (!SameMatches(*built, TopOpenings(*built, p, query), logged,
                       TopOpenings(logged, p, query), true) ||
          !SameMatches(*built, TopParticipants(*built, o, query), logged,
                       TopParticipants(logged, o, query), false)) {
        state.SkipWithError("the logged snapshot answers differently");
        return;
      }
    }
  }
  const size_t n = snapshots.size();
  std::vector<std::vector<double>> openings_us(n), participants_us(n);
  size_t i = 0;
  for (auto _ : state) {
    const Participant& p = world.query_participants[i % kQueries];
    const Opening& o = world.query_openings[i % kQueries];
    // Rotate which snapshot goes first, so none gets the warm cache.
    for (size_t pass = 0; pass < n; ++pass) {
      const size_t s = (pass + i) % n;
      const Snapshot& snapshot = *snapshots[s];
      openings_us[s].push_back(Microseconds(
          [&] { benchmark::DoNotOptimize(TopOpenings(snapshot, p, query)); }));
      participants_us[s].push_back(Microseconds([&] {
        benchmark::DoNotOptimize(TopParticipants(snapshot, o, query));
      }));
    }
    ++i;
  }
  const double openings_logged = Median(openings_us[0]);
  const double participants_logged = Median(participants_us[0]);
  for (size_t s = 0; s < n; ++s) {
    const double o = Median(openings_us[s]);
    const double p = Median(participants_us[s]);
    state.counters["top_openings_" + names[s] + "_us"] = o;
    state.counters["top_participants_" + names[s] + "_us"] = p;
    if (s > 0) {
      state.counters["top_openings_logged_over_" + names[s]] =
          openings_logged / o;
      state.counters["top_participants_logged_over_" + names[s]] =
          participants_logged / p;
    }
  }
  state.counters["bytes_per_opening_fresh"] =
      static_cast<double>(world.fresh->opening_bytes()) / kOpenings;
  state.counters["bytes_per_opening_logged"] =
      static_cast<double>(logged.opening_bytes()) / kOpenings;
  state.counters["bytes_per_participant_fresh"] =
      static_cast<double>(world.fresh->participant_bytes()) / kParticipants;
  state.counters["bytes_per_participant_logged"] =
      static_cast<double>(logged.participant_bytes()) / kParticipants;
}

BENCHMARK(BM_UpsertParticipant)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_UpdateOpening)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Compaction)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_QueriesWithOnePercentLog)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(2000);

}  // namespace
}  // namespace placement

BENCHMARK_MAIN();
