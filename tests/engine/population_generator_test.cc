#include "engine/population_generator.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace placement {
namespace {

using ::placement::testing::DataDir;
using ::placement::testing::ReadFileOrDie;
using ::placement::testing::Reference;
using ::placement::testing::ScratchDir;

// The demo set under data/demo is this configuration's output: the
// municipalities named in the programme descriptions and their neighbours.
GeneratorConfig DemoConfig() {
  return GeneratorConfig{
      .seed = 1,
      .participants = 500,
      .openings = 150,
      .reference_date = {2026, 11, 1},
      .municipalities = {"1863", "1864", "1885", "1884", "1880", "1883", "1980",
                         "0136", "0192", "0138", "1280", "1290", "1264", "0880",
                         "0821", "0885", "0840", "1452", "1490"}};
}
constexpr Date kGeneratorDefaultDate = {2026, 1, 1};

TEST(PopulationGeneratorTest, SameSeedGivesSameBytes) {
  ScratchDir first;
  ScratchDir second;
  const GeneratorConfig config{
      .seed = 5, .participants = 3000, .openings = 700};
  ASSERT_TRUE(WritePopulation(config, Reference(), first.path()).ok());
  ASSERT_TRUE(WritePopulation(config, Reference(), second.path()).ok());
  EXPECT_EQ(ReadFileOrDie(first.File("participants.csv")),
            ReadFileOrDie(second.File("participants.csv")));
  EXPECT_EQ(ReadFileOrDie(first.File("openings.csv")),
            ReadFileOrDie(second.File("openings.csv")));
}

TEST(PopulationGeneratorTest, DifferentSeedGivesDifferentPopulation) {
  const PopulationGenerator a({.seed = 1}, Reference());
  const PopulationGenerator b({.seed = 2}, Reference());
  int differing = 0;
  for (int i = 0; i < 50; ++i)
    differing += !(a.Participant(i) == b.Participant(i));
  EXPECT_GE(differing, 49);
}

TEST(PopulationGeneratorTest, RecordsDoNotDependOnPopulationSize) {
  // Participants come from per-record streams; only organisations (and so
  // opening employers) scale with the number of openings.
  const PopulationGenerator small(
      {.seed = 3, .participants = 10, .openings = 30}, Reference());
  const PopulationGenerator large(
      {.seed = 3, .participants = 10000, .openings = 30}, Reference());
  for (int i = 0; i < 10; ++i) {
    Participant p = small.Participant(i);
    Participant q = large.Participant(i);
    // The caseload size (and so the coach) depends on the population size.
    p.coach_id = q.coach_id = "";
    EXPECT_EQ(p, q);
  }
}

TEST(PopulationGeneratorTest, CommittedDemoDataIsTheGeneratorsOutput) {
  ScratchDir scratch;
  ASSERT_TRUE(WritePopulation(DemoConfig(), Reference(), scratch.path()).ok());
  EXPECT_EQ(ReadFileOrDie(scratch.File("participants.csv")),
            ReadFileOrDie(DataDir() + "/demo/participants.csv"))
      << "data/demo is stale; regenerate it with the command in data/README.md";
  EXPECT_EQ(ReadFileOrDie(scratch.File("openings.csv")),
            ReadFileOrDie(DataDir() + "/demo/openings.csv"));
}

// Proportions over a population large enough that each tolerance below is at
// least five standard errors wide.
class GeneratedProportionsTest : public ::testing::Test {
 protected:
  static constexpr int kParticipants = 20000;
  static constexpr int kOpenings = 5000;

  static void SetUpTestSuite() {
    generator_ = new PopulationGenerator(
        {.seed = 11, .participants = kParticipants, .openings = kOpenings},
        Reference());
    participants_ = new std::vector<Participant>();
    openings_ = new std::vector<Opening>();
    for (int i = 0; i < kParticipants; ++i)
      participants_->push_back(generator_->Participant(i));
    for (int i = 0; i < kOpenings; ++i)
      openings_->push_back(generator_->Opening(i));
  }
  static void TearDownTestSuite() {
    delete generator_;
    delete participants_;
    delete openings_;
  }

  template <typename Predicate>
  static double ShareOfParticipants(Predicate predicate) {
    return static_cast<double>(std::count_if(participants_->begin(),
                                             participants_->end(), predicate)) /
           kParticipants;
  }
  static bool HasNeed(const Participant& p, const std::string& code) {
    return std::any_of(
        p.needs.begin(), p.needs.end(),
        [&](const SupportNeed& n) { return n.need_code == code; });
  }

  static PopulationGenerator* generator_;
  static std::vector<Participant>* participants_;
  static std::vector<Opening>* openings_;
};
PopulationGenerator* GeneratedProportionsTest::generator_ = nullptr;
std::vector<Participant>* GeneratedProportionsTest::participants_ = nullptr;
std::vector<Opening>* GeneratedProportionsTest::openings_ = nullptr;

TEST_F(GeneratedProportionsTest, AgeAndSteps) {
  const int year = kGeneratorDefaultDate.year;
  EXPECT_NEAR(ShareOfParticipants([&](const Participant& p) {
                return year - p.birth_year <= 24;
              }),
              PopulationGenerator::kYouthShare, 0.015);
  EXPECT_EQ(ShareOfParticipants([&](const Participant& p) {
              return year - p.birth_year < 16 || year - p.birth_year > 64;
            }),
            0.0);
  const double step_weights[] = {0.15, 0.22, 0.25, 0.20, 0.12, 0.06};
  for (int step = kMinStep; step <= kMaxStep; ++step) {
    EXPECT_NEAR(ShareOfParticipants(
                    [&](const Participant& p) { return p.step == step; }),
                step_weights[step], 0.015)
        << "step " << step;
  }
}

TEST_F(GeneratedProportionsTest, RuralParticipantsOftenHaveNoCar) {
  int rural = 0, rural_car = 0, town = 0, town_car = 0;
  for (const Participant& p : *participants_) {
    const bool car = p.travel_mode == TravelMode::kCar;
    if (generator_->IsRural(p.municipality_code)) {
      ++rural;
      rural_car += car;
    } else {
      ++town;
      town_car += car;
    }
  }
  ASSERT_GT(rural, 1000);
  EXPECT_NEAR(static_cast<double>(rural_car) / rural, 0.30, 0.03);
  EXPECT_NEAR(static_cast<double>(town_car) / town, 0.12, 0.02);
}

TEST_F(GeneratedProportionsTest, PeopleAndOpeningsFollowPopulation) {
  // Share living in Stockholms län against the län's share of inhabitants.
  int64_t total = 0, stockholm = 0;
  for (const auto& m : Reference().municipalities.all()) {
    total += m.population;
    if (m.county_code == "01") stockholm += m.population;
  }
  const double expected =
      static_cast<double>(stockholm) / static_cast<double>(total);
  EXPECT_NEAR(ShareOfParticipants([](const Participant& p) {
                return p.municipality_code.substr(0, 2) == "01";
              }),
              expected, 0.02);
  // Openings follow their organisations, of which there are few, so the
  // tolerance is wider.
  const double opening_share =
      static_cast<double>(std::count_if(openings_->begin(), openings_->end(),
                                        [](const Opening& o) {
                                          return o.municipality_code.substr(
                                                     0, 2) == "01";
                                        })) /
      kOpenings;
  EXPECT_NEAR(opening_share, expected, 0.06);
}

TEST_F(GeneratedProportionsTest, SupportNeedPrevalence) {
  EXPECT_NEAR(ShareOfParticipants([](const Participant& p) {
                return HasNeed(p, "wheelchair_access");
              }),
              0.03, 0.01);
  EXPECT_NEAR(ShareOfParticipants([](const Participant& p) {
                return HasNeed(p, "mental_health_support");
              }),
              0.25, 0.02);
  int little_swedish = 0, with_language_support = 0;
  for (const Participant& p : *participants_) {
    if (p.swedish_level <= SwedishLevel::kBasic) {
      ++little_swedish;
      with_language_support += HasNeed(p, "language_support");
    }
  }
  ASSERT_GT(little_swedish, 500);
  EXPECT_NEAR(static_cast<double>(with_language_support) / little_swedish, 0.70,
              0.05);
  // Wheelchair use is always an absolute need.
  for (const Participant& p : *participants_) {
    for (const SupportNeed& need : p.needs) {
      if (need.need_code == "wheelchair_access") {
        EXPECT_EQ(need.strength, NeedStrength::kHard);
      }
    }
  }
}

TEST_F(GeneratedProportionsTest, SkillsClusterByOccupationField) {
  const SkillTaxonomy& taxonomy = Reference().skills;
  double clustered = 0;
  int counted = 0;
  for (const Participant& p : *participants_) {
    if (p.skills.size() < 3) continue;
    std::map<int, int> per_field;
    for (const SkillLevel& s : p.skills) {
      ++per_field[taxonomy.FieldOfSkill(*taxonomy.FindSkill(s.skill_code))];
    }
    int largest = 0;
    for (const auto& [field, count] : per_field)
      largest = std::max(largest, count);
    clustered +=
        static_cast<double>(largest) / static_cast<double>(p.skills.size());
    ++counted;
  }
  ASSERT_GT(counted, 1000);
  // Uniform skills over 24 fields would give about 0.4 for 3–7 skills.
  EXPECT_GT(clustered / counted, 0.6);
}

TEST_F(GeneratedProportionsTest, OpeningsAreWellFormed) {
  const SkillTaxonomy& taxonomy = Reference().skills;
  std::map<OpeningKind, int> kinds;
  for (const Opening& o : *openings_) {
    ++kinds[o.kind];
    EXPECT_GE(o.capacity, 1);
    EXPECT_LE(o.capacity, 20);
    EXPECT_LE(o.places_taken, o.capacity);
    EXPECT_GE(o.essential_skills.size(), 1u);
    for (const std::string& skill : o.essential_skills) {
      EXPECT_EQ(
          taxonomy.fields()[taxonomy.FieldOfSkill(*taxonomy.FindSkill(skill))]
              .code,
          o.occupation_field);
    }
    EXPECT_LE(o.min_hours_per_week, o.max_hours_per_week);
    if (o.kind == OpeningKind::kSocialEnterprise) {
      EXPECT_GE(o.capacity, 3);
    }
    if (o.kind == OpeningKind::kSupportedEmployment) {
      EXPECT_GE(o.step, 4);
    }
  }
  const double kind_weights[] = {0.35, 0.28, 0.12, 0.15, 0.10};
  for (int k = 0; k < kOpeningKindCount; ++k) {
    EXPECT_NEAR(
        static_cast<double>(kinds[static_cast<OpeningKind>(k)]) / kOpenings,
        kind_weights[k], 0.03)
        << OpeningKindSlug(static_cast<OpeningKind>(k));
  }
}

TEST(PopulationGeneratorTest, IdsArePseudonymousSerials) {
  const PopulationGenerator generator({.seed = 1}, Reference());
  EXPECT_EQ(generator.Participant(0).id, "P0000001");
  EXPECT_EQ(generator.Participant(999'999).id, "P1000000");
  EXPECT_EQ(generator.Opening(41).id, "O000042");
}

}  // namespace
}  // namespace placement
