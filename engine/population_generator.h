// Synthetic populations of participants and openings for the demo, tests and
// benchmarks. No real people: ids are serial pseudonyms, everything else is
// drawn from the distributions below.
//
// Determinism: record i of a kind is drawn from its own random stream seeded
// by (seed, kind, i), so the same seed gives the same bytes, any record can be
// generated alone, and generation needs no memory beyond one record. Only the
// pseudo-random generator and the arithmetic of this file are used (no
// std::*_distribution, whose output differs between standard libraries).
//
// The spread, with the prevalences chosen from the programme descriptions in
// shared/seeds (stated here so tests can check them within tolerance):
// - Municipality: drawn in proportion to population, for people and for
//   organisations (openings follow their organisation). A home or workplace
//   lies a normal offset from the main town: sd 3 km in towns, 8 km where the
//   municipality has fewer than kRuralPopulation inhabitants (rural).
// - Age: 16–24 with probability kYouthShare, otherwise 25–64 uniformly.
// - Travel mode: rural people have a car with probability 0.30 (walk 0.08,
//   bike 0.12, public transport 0.50); in towns 0.12 (0.06, 0.17, 0.65).
//   Maximum one-way minutes: walk 15–40, bike 15–45, public transport 30–75,
//   car 20–60, in steps of 5.
// - Step 0..5 with weights 15, 22, 25, 20, 12, 6 %.
// - Skills cluster: each person has a main occupation field (and a second one
//   with probability 0.5); 80 % of their 1–7 skills come from those fields.
// - Support needs: per-need prevalence (language support 70 % among people
//   with no or basic Swedish, mental-health-aware supervision 25 %, reduced
//   hours 25 %, wheelchair 3 %, …); may-be-hard needs are hard with
//   probability 0.4 (always for wheelchair and sign language).
// - Openings: kinds internship 35 %, work training 28 %, enhanced work
//   training 12 %, social enterprise 15 %, supported employment 10 %; the step
//   follows the kind; capacities 1–20 (social enterprises largest); essential
//   skills 1–3 from the opening's field.
//
// Thread safety: the generator is immutable after construction; Participant()
// and Opening() may be called from several threads at once.

#ifndef PLACEMENT_ENGINE_POPULATION_GENERATOR_H_
#define PLACEMENT_ENGINE_POPULATION_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "engine/reference_data.h"
#include "engine/types.h"

namespace placement {

struct GeneratorConfig {
  uint64_t seed = 1;
  int participants = 500;
  int openings = 150;
  // Ages and opening dates are drawn relative to this date, not to the clock,
  // so output does not change from day to day.
  Date reference_date = {2026, 1, 1};
  // Municipality codes to draw people and organisations from, in proportion
  // to their population; empty for all of Sweden. Unknown codes are ignored.
  std::vector<std::string> municipalities = {};
};

class PopulationGenerator {
 public:
  // Municipalities with fewer inhabitants count as rural.
  static constexpr int kRuralPopulation = 25'000;
  static constexpr double kYouthShare = 0.18;

  // `reference` must outlive the generator.
  PopulationGenerator(const GeneratorConfig& config,
                      const ReferenceData& reference);

  // Record `index` (0-based) of each kind; ids are "P%07d" and "O%06d" of
  // index + 1.
  placement::Participant Participant(int index) const;
  placement::Opening Opening(int index) const;

  const GeneratorConfig& config() const { return config_; }
  int organisation_count() const {
    return static_cast<int>(organisations_.size());
  }
  bool IsRural(const std::string& municipality_code) const;

 private:
  struct Organisation {
    std::string id;
    std::string name;
    int municipality = 0;
    int field = 0;
  };

  int DrawMunicipality(uint64_t uniform_bits) const;

  GeneratorConfig config_;
  const ReferenceData& reference_;
  std::vector<int> drawable_;  // municipality indices to draw from
  std::vector<int64_t> cumulative_population_;  // over drawable_
  std::vector<Organisation> organisations_;
  std::vector<std::vector<int>> skills_by_field_;
};

// Generates config.participants and config.openings records and writes
// directory/participants.csv and directory/openings.csv (overwriting them).
absl::Status WritePopulation(const GeneratorConfig& config,
                             const ReferenceData& reference,
                             const std::string& directory);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_POPULATION_GENERATOR_H_
