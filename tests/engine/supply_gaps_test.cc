#include "engine/supply_gaps.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/population_generator.h"
#include "engine/scoring.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace placement {
namespace {

using ::placement::testing::Reference;

constexpr Date kToday{2026, 3, 1};
// Hällefors and Kalmar: about 370 km apart.
constexpr GeoPoint kHallefors{59.7828, 14.5200};
constexpr GeoPoint kKalmar{56.6634, 16.3568};

std::shared_ptr<const ReferenceData> SharedReference() {
  return std::shared_ptr<const ReferenceData>(
      std::shared_ptr<const ReferenceData>(), &Reference());
}

std::shared_ptr<const Snapshot> BuildOrDie(std::vector<Participant> people,
                                           std::vector<Opening> openings) {
  absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot = Snapshot::Build(
      SharedReference(), std::move(people), std::move(openings));
  EXPECT_TRUE(snapshot.ok()) << snapshot.status();
  return *snapshot;
}

Participant Person(int n, const std::string& municipality, GeoPoint home,
                   std::vector<SupportNeed> needs,
                   std::vector<std::string> wanted = {}) {
  Participant p;
  p.id = absl::StrFormat("P%07d", n);
  p.coach_id = "C1";
  p.birth_year = 1990;
  p.municipality_code = municipality;
  p.home = home;
  p.travel_mode = TravelMode::kPublicTransport;
  p.max_travel_minutes = 60;
  p.hours_per_week = 20;
  p.step = 2;
  p.swedish_level = SwedishLevel::kFluent;
  p.needs = std::move(needs);
  p.wanted_fields = std::move(wanted);
  return p;
}

Opening Slot(int n, const std::string& municipality, GeoPoint where,
             std::vector<std::string> supports, const std::string& field) {
  Opening o;
  o.id = absl::StrFormat("O%06d", n);
  o.organisation_id = "ORG00001";
  o.organisation_name = "Org";
  o.title = "Slot";
  o.municipality_code = municipality;
  o.location = where;
  o.occupation_field = field;
  o.supports = std::move(supports);
  o.capacity = 3;
  o.places_taken = 1;
  o.min_hours_per_week = 10;
  o.max_hours_per_week = 30;
  o.step = 3;
  o.start_date = {2026, 1, 1};
  o.status = OpeningStatus::kOpen;
  return o;
}

std::vector<Participant> Many(int first, int count,
                              const std::string& municipality, GeoPoint home,
                              std::vector<SupportNeed> needs,
                              std::vector<std::string> wanted = {}) {
  std::vector<Participant> people;
  for (int i = 0; i < count; ++i) {
    people.push_back(Person(first + i, municipality, home, needs, wanted));
  }
  return people;
}

const GapCount* FindGap(const std::vector<GapCount>& gaps,
                        const std::string& code) {
  for (const GapCount& gap : gaps) {
    if (gap.code == code) return &gap;
  }
  return nullptr;
}

TEST(SupplyGapsTest, EmptySnapshotReportsNothingOrZerosForAskedMunicipalities) {
  auto snapshot = BuildOrDie({}, {});
  EXPECT_TRUE(ComputeSupplyGaps(*snapshot, kToday, {}).empty());
  std::vector<MunicipalityGaps> gaps =
      ComputeSupplyGaps(*snapshot, kToday, {"1863", "0880", "1863"});
  ASSERT_EQ(gaps.size(), 2u);  // deduplicated, by code
  EXPECT_EQ(gaps[0].municipality_code, "0880");
  EXPECT_EQ(gaps[1].municipality_code, "1863");
  for (const MunicipalityGaps& m : gaps) {
    EXPECT_EQ(m.free_places, 0);
    EXPECT_TRUE(m.needs.empty());
    EXPECT_TRUE(m.fields.empty());
  }
}

TEST(SupplyGapsTest, CountsUnmetNeedsAndSuppressesSmallCounts) {
  const SupportNeed sign{"sign_language", NeedStrength::kHard};
  const SupportNeed wheelchair{"wheelchair_access", NeedStrength::kSoft};
  std::vector<Participant> people =
      Many(1, 6, "1863", kHallefors, {sign}, {"animal_care"});
  for (Participant& p : Many(100, 3, "1863", kHallefors, {wheelchair})) {
    people.push_back(p);
  }
  // Exactly at the threshold: reported.
  for (Participant& p : Many(200, 5, "0880", kKalmar, {wheelchair})) {
    people.push_back(p);
  }
  // Not ACTIVE: never counted.
  Participant placed = Person(300, "1863", kHallefors, {sign});
  placed.status = ParticipantStatus::kPlaced;
  people.push_back(placed);
  // In Kalmar, a wheelchair-accessible slot, far from Hällefors.
  std::vector<Opening> openings = {
      Slot(1, "0880", kKalmar, {"step_free_access"}, "kitchen_restaurant")};

  auto snapshot = BuildOrDie(people, openings);
  std::vector<MunicipalityGaps> gaps = ComputeSupplyGaps(*snapshot, kToday, {});
  ASSERT_EQ(gaps.size(), 2u);
  const MunicipalityGaps& kalmar = gaps[0];
  const MunicipalityGaps& hallefors = gaps[1];
  ASSERT_EQ(kalmar.municipality_code, "0880");
  EXPECT_EQ(kalmar.free_places, 2);
  EXPECT_TRUE(kalmar.needs.empty()) << "the Kalmar slot meets their need";
  EXPECT_EQ(hallefors.free_places, 0);
  ASSERT_EQ(hallefors.needs.size(), 2u);
  EXPECT_EQ(hallefors.needs[0].code, "sign_language");
  EXPECT_EQ(hallefors.needs[0].participants, 6);
  EXPECT_FALSE(hallefors.needs[0].suppressed);
  EXPECT_EQ(hallefors.needs[1].code, "wheelchair_access");
  EXPECT_EQ(hallefors.needs[1].participants, 0);
  EXPECT_TRUE(hallefors.needs[1].suppressed);
  ASSERT_EQ(hallefors.fields.size(), 1u);
  EXPECT_EQ(hallefors.fields[0].code, "animal_care");
  EXPECT_EQ(hallefors.fields[0].participants, 6);

  // Five in Kalmar with no slot: reported, not suppressed.
  openings[0].supports.clear();
  snapshot = BuildOrDie(people, openings);
  gaps = ComputeSupplyGaps(*snapshot, kToday, {"0880"});
  ASSERT_EQ(gaps.size(), 1u);
  const GapCount* gap = FindGap(gaps[0].needs, "wheelchair_access");
  ASSERT_NE(gap, nullptr);
  EXPECT_EQ(gap->participants, 5);
  EXPECT_FALSE(gap->suppressed);
}

TEST(SupplyGapsTest, OnlyAvailableReachableOpeningsMeetNeeds) {
  const SupportNeed sign{"sign_language", NeedStrength::kHard};
  const std::vector<Participant> people =
      Many(1, 5, "1863", kHallefors, {sign}, {"animal_care"});
  const Opening good =
      Slot(1, "1863", kHallefors, {"sign_language"}, "animal_care");
  auto gaps_with = [&](const Opening& opening) {
    auto snapshot = BuildOrDie(people, {opening});
    return ComputeSupplyGaps(*snapshot, kToday, {"1863"}).at(0);
  };
  MunicipalityGaps met = gaps_with(good);
  EXPECT_TRUE(met.needs.empty());
  EXPECT_TRUE(met.fields.empty());
  EXPECT_EQ(met.free_places, 2);

  Opening full = good;
  full.places_taken = full.capacity;
  Opening paused = good;
  paused.status = OpeningStatus::kPaused;
  Opening draft = good;
  draft.status = OpeningStatus::kDraft;
  Opening ended = good;
  ended.end_date = Date{2026, 2, 28};
  Opening far = good;
  far.location = kKalmar;
  for (const Opening& unavailable : {full, paused, draft, ended, far}) {
    MunicipalityGaps gaps = gaps_with(unavailable);
    ASSERT_EQ(gaps.needs.size(), 1u);
    EXPECT_EQ(gaps.needs[0].participants, 5);
    ASSERT_EQ(gaps.fields.size(), 1u);
    EXPECT_EQ(gaps.fields[0].participants, 5);
  }
  // An end date of today still counts.
  Opening last_day = good;
  last_day.end_date = kToday;
  EXPECT_TRUE(gaps_with(last_day).needs.empty());
  // Another support that meets the need (catalogue met_by) counts too:
  // plain_instructions is met by visual_instructions or language_support.
  std::vector<Participant> readers =
      Many(1, 5, "1863", kHallefors,
           {SupportNeed{"plain_instructions", NeedStrength::kSoft}});
  auto snapshot = BuildOrDie(
      readers, {Slot(1, "1863", kHallefors, {"language_support"}, "x")});
  EXPECT_TRUE(ComputeSupplyGaps(*snapshot, kToday, {}).at(0).needs.empty());
}

// The latitude band must not change any answer: compare with a scan of every
// opening for every participant on a generated population.
TEST(SupplyGapsTest, EqualsABruteForceScanOnAGeneratedPopulation) {
  GeneratorConfig config;
  config.seed = 11;
  config.participants = 3000;
  config.openings = 400;
  config.reference_date = kToday;
  PopulationGenerator generator(config, Reference());
  std::vector<Participant> people;
  std::vector<Opening> openings;
  for (int i = 0; i < config.participants; ++i)
    people.push_back(generator.Participant(i));
  for (int i = 0; i < config.openings; ++i)
    openings.push_back(generator.Opening(i));
  auto snapshot = BuildOrDie(people, openings);

  // code -> (need or field) -> count.
  std::map<std::string, std::map<std::string, int>> needs;
  std::map<std::string, std::map<std::string, int>> fields;
  std::map<std::string, std::map<std::string, int>> missing_supports;
  const SupportCatalogue& catalogue = Reference().supports;
  for (const Participant& p : people) {
    if (p.status != ParticipantStatus::kActive) continue;
    std::set<std::string> supports;
    std::set<std::string> reached_fields;
    for (const Opening& o : openings) {
      const bool available = o.status == OpeningStatus::kOpen &&
                             (!o.end_date || *o.end_date >= kToday) &&
                             o.places_taken < o.capacity;
      if (!available) continue;
      if (EstimateTravel(p.home, o.location, p.travel_mode).minutes >
          p.max_travel_minutes)
        continue;
      supports.insert(o.supports.begin(), o.supports.end());
      reached_fields.insert(o.occupation_field);
    }
    std::set<std::string> wanted_supports;
    for (const SupportNeed& need : p.needs) {
      const auto& entry =
          catalogue.needs()[*catalogue.FindNeed(need.need_code)];
      bool met = false;
      for (int s : entry.met_by)
        met |= supports.count(catalogue.supports()[s].code) > 0;
      if (met) continue;
      ++needs[p.municipality_code][need.need_code];
      for (int s : entry.met_by)
        wanted_supports.insert(catalogue.supports()[s].code);
    }
    for (const std::string& support : wanted_supports) {
      ++missing_supports[p.municipality_code][support];
    }
    for (const std::string& field : p.wanted_fields) {
      if (!reached_fields.count(field)) ++fields[p.municipality_code][field];
    }
  }

  const std::vector<MunicipalityGaps> gaps =
      ComputeSupplyGaps(*snapshot, kToday, {});
  ASSERT_FALSE(gaps.empty());
  int reported = 0;
  int suppressed = 0;
  for (const MunicipalityGaps& m : gaps) {
    auto check = [&](const std::vector<GapCount>& got,
                     const std::map<std::string, int>& want) {
      size_t nonzero = 0;
      for (const auto& [code, count] : want) nonzero += count > 0;
      ASSERT_EQ(got.size(), nonzero) << m.municipality_code;
      for (size_t i = 0; i < got.size(); ++i) {
        const GapCount& gap = got[i];
        const int expected = want.at(gap.code);
        if (expected < kGapSuppressionThreshold) {
          EXPECT_TRUE(gap.suppressed);
          EXPECT_EQ(gap.participants, 0);
          ++suppressed;
        } else {
          EXPECT_FALSE(gap.suppressed);
          EXPECT_EQ(gap.participants, expected);
          ++reported;
        }
        if (i > 0) {
          const GapCount& before = got[i - 1];
          EXPECT_TRUE((!before.suppressed && gap.suppressed) ||
                      (before.suppressed == gap.suppressed &&
                       (before.participants > gap.participants ||
                        (before.participants == gap.participants &&
                         before.code < gap.code))))
              << before.code << " before " << gap.code;
        }
      }
    };
    check(m.needs, needs[m.municipality_code]);
    check(m.fields, fields[m.municipality_code]);
    check(m.supports, missing_supports[m.municipality_code]);
  }
  // The population exercises both sides of the threshold.
  EXPECT_GT(reported, 0);
  EXPECT_GT(suppressed, 0);
}

}  // namespace
}  // namespace placement
