// The follow-up report (engine/followup.h) over one year of events for
// 100,000 participants: time per report, and memory (the event records'
// bytes; the peak of the heap bytes the report allocates on top of them; the
// process's peak resident set). The events are generated here, outside the
// timed loop, with a fixed seed; every run checks the report's totals against
// the numbers the generator counted.
//
//   build/release/benchmarks/followup_benchmark --benchmark_repetitions=3

#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "benchmark/benchmark.h"
#include "engine/followup.h"

namespace placement {

// Live heap bytes, and their peak since the last reset: what the report
// allocates on top of its input. (The resident set hardly moves: the
// report's few megabytes fit in memory the event generation freed.)
std::atomic<int64_t> live_bytes{0};
std::atomic<int64_t> peak_bytes{0};

void* Allocate(size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  const int64_t now = live_bytes += static_cast<int64_t>(malloc_usable_size(p));
  int64_t peak = peak_bytes.load();
  while (now > peak && !peak_bytes.compare_exchange_weak(peak, now)) {
  }
  return p;
}

void Free(void* p) {
  if (p == nullptr) return;
  live_bytes -= static_cast<int64_t>(malloc_usable_size(p));
  std::free(p);
}

}  // namespace placement

void* operator new(size_t size) { return placement::Allocate(size); }
void* operator new[](size_t size) { return placement::Allocate(size); }
void operator delete(void* p) noexcept { placement::Free(p); }
void operator delete[](void* p) noexcept { placement::Free(p); }
void operator delete(void* p, size_t) noexcept { placement::Free(p); }
void operator delete[](void* p, size_t) noexcept { placement::Free(p); }

namespace placement {
namespace {

Date DayOf(absl::CivilDay day) {
  return Date{.year = static_cast<int>(day.year()),
              .month = day.month(),
              .day = day.day()};
}

struct World {
  FollowUpEvents events;
  FollowUpQuery query{.from = {2025, 1, 1}, .to = {2025, 12, 31}};
  int entries = 0;     // entry dates in the period
  int exits = 0;       // exit dates in the period
  int placements = 0;  // start dates in the period
  size_t bytes = 0;    // of the event records
};

// 100,000 participants: a third entered before 2025, the rest during it;
// one or two placements each on average, about two step changes, a third
// leaving (in 2025 or early 2026), half of those with a situation recorded.
World MakeWorld(int participants) {
  World world;
  std::mt19937_64 rng(20251231);
  auto uniform = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  const absl::CivilDay first(2024, 1, 1);
  const absl::CivilDay from(2025, 1, 1);
  const absl::CivilDay to(2025, 12, 31);
  const char* const municipalities[] = {"0136", "0880", "1490", "1280"};
  const char* const programmes[] = {"22-046-S01", "2016/00112", "22-014-S05",
                                    "2019/00145", "22-034-S14"};
  FollowUpEvents& events = world.events;
  events.participants.reserve(static_cast<size_t>(participants));
  int serial = 0;
  for (int i = 0; i < participants; ++i) {
    FollowUpParticipant p;
    p.id = absl::StrFormat("P%07d", i + 1);
    p.gender = static_cast<Gender>(uniform(0, 99) < 49   ? 0
                                   : uniform(0, 99) < 96 ? 1
                                                         : uniform(2, 3));
    p.municipality_code = municipalities[uniform(0, 3)];
    p.programme_code = programmes[uniform(0, 4)];
    const absl::CivilDay entry =
        uniform(0, 2) == 0 ? first + uniform(0, 365) : from + uniform(0, 364);
    p.entry_date = DayOf(entry);
    p.birth_year = static_cast<int>(entry.year()) - uniform(16, 64);
    if (from <= entry && entry <= to) ++world.entries;
    absl::CivilDay day = entry;
    for (int k = uniform(0, 3); k > 0; --k) {
      day += uniform(5, 90);
      FollowUpPlacement l{.id = absl::StrFormat("L%07d", ++serial),
                          .participant_id = p.id,
                          .kind = static_cast<OpeningKind>(uniform(0, 4)),
                          .start_date = DayOf(day)};
      if (from <= day && day <= to) ++world.placements;
      day += uniform(10, 120);
      l.end_date = DayOf(day);
      l.outcome = static_cast<PlacementOutcome>(uniform(0, 8));
      events.placements.push_back(l);
    }
    int step = uniform(0, 3);
    events.step_changes.push_back(
        {.participant_id = p.id, .on = DayOf(entry), .to_step = step});
    for (int k = uniform(0, 2); k > 0; --k) {
      events.step_changes.push_back({.participant_id = p.id,
                                     .on = DayOf(entry + uniform(0, 300)),
                                     .from_step = step,
                                     .to_step = step + 1});
      ++step;
    }
    if (uniform(0, 2) == 0) {
      const absl::CivilDay exit = day + uniform(0, 60);
      p.exit_date = DayOf(exit);
      if (from <= exit && exit <= to) ++world.exits;
      if (uniform(0, 1) == 0) {
        events.situations.push_back(
            {.participant_id = p.id,
             .exit_date = *p.exit_date,
             .situation = static_cast<ExitSituation>(uniform(0, 4))});
      }
    }
    events.participants.push_back(std::move(p));
  }
  // Ids, codes and slugs are short strings, held inside each record.
  world.bytes = events.participants.capacity() * sizeof(FollowUpParticipant) +
                events.placements.capacity() * sizeof(FollowUpPlacement) +
                events.step_changes.capacity() * sizeof(FollowUpStepChange) +
                events.situations.capacity() * sizeof(FollowUpSituation);
  return world;
}

const World& TheWorld() {
  static const World* const world = new World(MakeWorld(100'000));
  return *world;
}

long PeakKiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int Total(const std::vector<FollowUpRow>& rows) {
  int total = 0;
  for (const FollowUpRow& row : rows) total += row.counts[kFollowUpTotal].count;
  return total;
}

void CheckKnownAnswer(const World& world, const FollowUpReport& report) {
  // Every total is far above the threshold, so none is withheld.
  if (Total(report.entries_by_age_band) != world.entries ||
      Total(report.exits_by_outcome) != world.exits ||
      Total(report.placements_by_kind) != world.placements) {
    std::fprintf(stderr, "followup_benchmark: wrong totals\n");
    std::abort();
  }
}

void BM_FollowUpReport(benchmark::State& state) {
  const World& world = TheWorld();
  const long peak_before = PeakKiB();
  int64_t working_bytes = 0;
  for (auto _ : state) {
    const int64_t base = live_bytes.load();
    peak_bytes.store(base);
    FollowUpReport report = ComputeFollowUpReport(world.events, world.query);
    working_bytes = std::max(working_bytes, peak_bytes.load() - base);
    benchmark::DoNotOptimize(report);
    state.PauseTiming();
    CheckKnownAnswer(world, report);
    state.ResumeTiming();
  }
  const World& w = world;
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(w.events.participants.size()));
  state.counters["participants"] =
      static_cast<double>(w.events.participants.size());
  state.counters["placements"] =
      static_cast<double>(w.events.placements.size());
  state.counters["step_changes"] =
      static_cast<double>(w.events.step_changes.size());
  state.counters["situations"] =
      static_cast<double>(w.events.situations.size());
  state.counters["event_MiB"] = static_cast<double>(w.bytes) / (1 << 20);
  state.counters["report_heap_peak_MiB"] =
      static_cast<double>(working_bytes) / (1 << 20);
  state.counters["rss_growth_MiB"] =
      static_cast<double>(PeakKiB() - peak_before) / 1024;
  state.counters["peak_rss_MiB"] = static_cast<double>(PeakKiB()) / 1024;
}
BENCHMARK(BM_FollowUpReport)->Unit(benchmark::kMillisecond);

// The same with both filters: a municipality and a programme.
void BM_FollowUpReportFiltered(benchmark::State& state) {
  const World& world = TheWorld();
  FollowUpQuery query = world.query;
  query.municipality_code = "0136";
  query.programme_code = "22-014-S05";
  for (auto _ : state) {
    FollowUpReport report = ComputeFollowUpReport(world.events, query);
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(
      state.iterations() *
      static_cast<int64_t>(world.events.participants.size()));
}
BENCHMARK(BM_FollowUpReportFiltered)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace placement

BENCHMARK_MAIN();
