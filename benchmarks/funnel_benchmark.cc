// The decision funnel (engine/funnel.h) over one year of events:
// - BM_DecisionFunnel/P: ComputeDecisionFunnel for P participants over the
//   year 2026, with a year's events per participant: 26 suggestion marks
//   (a coach looks every other week, nine times in ten), a published
//   proposal in half of the 52 weeks (one in twenty accepted), 0 to 2
//   placements (four in five ended, five outcomes in nine good): about 50
//   events per participant. Counters: events processed per second, the
//   input's size (elements x their size, strings inline) and the process's
//   peak resident set (input included).
// Known answer, checked on every iteration: the totals' count at each stage
// equals the count taken while the events were generated.
//
//   build/release/benchmarks/funnel_benchmark --benchmark_repetitions=3
//
// Data are built outside the timed loop, once per size, with a fixed seed.

#include <sys/resource.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "benchmark/benchmark.h"
#include "engine/funnel.h"

namespace placement {
namespace {

Date DayOfYear(int year, int day_index) {
  const absl::CivilDay day = absl::CivilDay(year, 1, 1) + day_index;
  return Date{.year = static_cast<int>(day.year()),
              .month = day.month(),
              .day = day.day()};
}

struct World {
  FunnelEvents events;
  std::array<int, kFunnelStageCount> expected = {};
  int64_t event_count = 0;
  double input_megabytes = 0;
};

World MakeWorld(int participants) {
  std::mt19937_64 random(20261201);
  auto uniform = [&](int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(random);
  };
  auto chance = [&](double p) {
    return std::uniform_real_distribution<double>(0, 1)(random) < p;
  };
  World world;
  FunnelEvents& events = world.events;
  const std::vector<std::string> municipalities = {
      "0114", "0136", "0138", "0180", "0192", "0821", "0880", "1280",
      "1480", "2480", "2584", "1264", "0885", "0840", "1880", "2281"};
  events.participants.reserve(static_cast<size_t>(participants));
  events.suggestions.reserve(static_cast<size_t>(participants) * 26);
  events.proposals.reserve(static_cast<size_t>(participants) * 52);
  events.placements.reserve(static_cast<size_t>(participants) * 3 / 2);
  for (int i = 0; i < participants; ++i) {
    FunnelParticipant p;
    p.id = absl::StrCat("P", 1000000 + i);
    p.gender = static_cast<Gender>(uniform(kGenderCount));
    p.born_abroad = chance(0.35);
    p.birth_year = 1960 + uniform(50);
    for (int g = uniform(3); g > 0; --g) {
      p.target_groups.push_back(
          static_cast<TargetGroup>(uniform(kTargetGroupCount)));
    }
    p.municipality_code = municipalities[static_cast<size_t>(
        uniform(static_cast<int>(municipalities.size())))];
    events.participants.push_back(std::move(p));
  }
  // Events of 2026 for everyone; every participant is counted (no exits),
  // so the expected totals are the participants with each kind of event.
  std::vector<uint8_t> reached(static_cast<size_t>(participants), 0);
  for (int i = 0; i < participants; ++i) {
    const std::string& id = events.participants[static_cast<size_t>(i)].id;
    uint8_t& bits = reached[static_cast<size_t>(i)];
    for (int k = 0; k < 26; ++k) {
      if (!chance(0.9)) continue;
      events.suggestions.push_back({id, DayOfYear(2026, k * 14 + uniform(14))});
      bits |= 1u << static_cast<int>(FunnelStage::kSuggested);
    }
    for (int k = 0; k < 52; ++k) {
      if (!chance(0.5)) continue;
      FunnelProposal proposal{id, DayOfYear(2026, k * 7), std::nullopt, ""};
      bits |= 1u << static_cast<int>(FunnelStage::kProposed);
      if (chance(0.05) && k < 51) {
        proposal.accepted_on = DayOfYear(2026, k * 7 + 1 + uniform(5));
        bits |= 1u << static_cast<int>(FunnelStage::kAccepted);
      }
      events.proposals.push_back(std::move(proposal));
    }
    for (int k = uniform(3); k > 0; --k) {
      FunnelPlacement placement{id, DayOfYear(2026, uniform(250)), std::nullopt,
                                std::nullopt, ""};
      bits |= 1u << static_cast<int>(FunnelStage::kStarted);
      if (chance(0.8)) {
        placement.end_date = DayOfYear(2026, 250 + uniform(100));
        placement.outcome =
            static_cast<PlacementOutcome>(uniform(kPlacementOutcomeCount));
        if (IsGoodOutcome(*placement.outcome)) {
          bits |= 1u << static_cast<int>(FunnelStage::kGoodOutcome);
        }
      }
      events.placements.push_back(std::move(placement));
    }
  }
  for (uint8_t bits : reached) {
    for (int s = 0; s < kFunnelStageCount; ++s) {
      if (bits & (1u << s)) ++world.expected[static_cast<size_t>(s)];
    }
  }
  world.event_count =
      static_cast<int64_t>(events.suggestions.size() + events.proposals.size() +
                           events.placements.size());
  double bytes = 0;
  for (const FunnelParticipant& p : events.participants) {
    bytes += static_cast<double>(sizeof(p) + p.target_groups.size());
  }
  bytes +=
      static_cast<double>(events.suggestions.size()) *
          sizeof(FunnelSuggestion) +
      static_cast<double>(events.proposals.size()) * sizeof(FunnelProposal) +
      static_cast<double>(events.placements.size()) * sizeof(FunnelPlacement);
  world.input_megabytes = bytes / 1e6;
  return world;
}

const World& WorldOf(int participants) {
  static auto* worlds = new std::vector<std::pair<int, World*>>();
  for (const auto& [size, world] : *worlds) {
    if (size == participants) return *world;
  }
  worlds->emplace_back(participants, new World(MakeWorld(participants)));
  return *worlds->back().second;
}

void BM_DecisionFunnel(benchmark::State& state) {
  const World& world = WorldOf(static_cast<int>(state.range(0)));
  const Date from = DayOfYear(2026, 0);
  const Date to = DayOfYear(2026, 364);
  for (auto _ : state) {
    DecisionFunnel funnel = ComputeDecisionFunnel(world.events, from, to);
    benchmark::DoNotOptimize(funnel);
    for (int s = 0; s < kFunnelStageCount; ++s) {
      if (funnel.totals.stages[static_cast<size_t>(s)].reached !=
          world.expected[static_cast<size_t>(s)]) {
        std::fprintf(stderr, "stage %d: %d reached, expected %d\n", s,
                     funnel.totals.stages[static_cast<size_t>(s)].reached,
                     world.expected[static_cast<size_t>(s)]);
        std::abort();
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * world.event_count);
  state.counters["events"] = static_cast<double>(world.event_count);
  state.counters["input_MB"] = world.input_megabytes;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_MB"] = static_cast<double>(usage.ru_maxrss) / 1e3;
}
BENCHMARK(BM_DecisionFunnel)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace placement

BENCHMARK_MAIN();
