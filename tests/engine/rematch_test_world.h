// Small, dense rematch instances for tests and the SciPy cross-check: records
// from PopulationGenerator moved into one town, with the rules that would
// leave almost no eligible pair on so few records relaxed, so that the
// candidate graph has real competition for places.

#ifndef PLACEMENT_TESTS_ENGINE_REMATCH_TEST_WORLD_H_
#define PLACEMENT_TESTS_ENGINE_REMATCH_TEST_WORLD_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/matcher.h"
#include "engine/population_generator.h"
#include "engine/reference_data.h"
#include "engine/types.h"

namespace placement::testing {

inline constexpr Date kRematchToday = {2026, 1, 10};

struct RematchWorld {
  std::vector<Participant> participants;
  std::vector<Opening> openings;
};

// `participants` and `openings` records drawn with `seed`; about one in ten
// participants is paused or placed and one in eight openings is full.
inline RematchWorld MakeRematchWorld(const ReferenceData& reference,
                                     uint64_t seed, int participants,
                                     int openings) {
  GeneratorConfig config;
  config.seed = seed;
  config.participants = participants;
  config.openings = openings;
  const PopulationGenerator generator(config, reference);
  const GeoPoint centre = {59.2741, 15.2066};  // Örebro
  uint64_t state = seed * 0x9E3779B97F4A7C15ULL + 1;
  auto next = [&state] {  // SplitMix64: fixed output on every platform
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  auto uniform = [&next] {
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
  };
  auto jitter = [&](GeoPoint& point) {
    point.latitude_deg = centre.latitude_deg + (uniform() - 0.5) * 0.1;
    point.longitude_deg = centre.longitude_deg + (uniform() - 0.5) * 0.2;
  };
  RematchWorld world;
  for (int i = 0; i < participants; ++i) {
    Participant p = generator.Participant(i);
    jitter(p.home);
    p.municipality_code = "1880";
    p.max_travel_minutes = std::max(p.max_travel_minutes, 45);
    p.travel_mode = TravelMode::kCar;
    p.hours_per_week = 40;
    for (SupportNeed& need : p.needs) need.strength = NeedStrength::kSoft;
    p.vetoed_organisations.clear();
    p.vetoed_fields.clear();
    p.swedish_level = SwedishLevel::kFluent;
    const uint64_t status = next() % 10;
    p.status = status == 0   ? ParticipantStatus::kPaused
               : status == 1 ? ParticipantStatus::kPlaced
                             : ParticipantStatus::kActive;
    world.participants.push_back(std::move(p));
  }
  for (int i = 0; i < openings; ++i) {
    Opening o = generator.Opening(i);
    jitter(o.location);
    o.municipality_code = "1880";
    o.status = OpeningStatus::kOpen;
    o.end_date.reset();
    o.capacity = 1 + static_cast<int>(next() % 3);
    o.places_taken =
        next() % 8 == 0 ? o.capacity : static_cast<int>(next() % 2);
    o.places_taken = std::min(o.places_taken, o.capacity);
    o.min_hours_per_week = 0;
    o.min_age = 0;
    o.max_age = 0;
    o.target_groups.clear();
    o.min_swedish = SwedishLevel::kNone;
    world.openings.push_back(std::move(o));
  }
  return world;
}

}  // namespace placement::testing

#endif  // PLACEMENT_TESTS_ENGINE_REMATCH_TEST_WORLD_H_
