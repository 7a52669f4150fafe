#include "engine/scoring.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/geo.h"
#include "engine/population_generator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/reference_scorer.h"
#include "tests/testing/test_util.h"

namespace placement {
namespace {

using ::placement::testing::Reference;
using ::placement::testing::ReferenceScore;
using ::placement::testing::ReferenceScorePair;
using ::placement::testing::ReferenceStepScore;
using ::placement::testing::ReferenceTravelMinutes;
using ::placement::testing::ScratchDir;
using ::placement::testing::WriteFileOrDie;
using ::testing::DoubleNear;
using ::testing::HasSubstr;

constexpr Date kToday{2026, 6, 15};
constexpr double kComponentTolerance = 1e-9;
constexpr double kTotalTolerance = 1e-6;

constexpr std::array<HardRule, kHardRuleCount> kAllRules = {
    HardRule::kOpeningNotOpen,       HardRule::kNoFreePlace,
    HardRule::kParticipantNotActive, HardRule::kAgeOutsideRange,
    HardRule::kTargetGroupMismatch,  HardRule::kHardNeedUnmet,
    HardRule::kTravelTooLong,        HardRule::kHoursTooFew,
    HardRule::kEmployerVetoed,       HardRule::kFieldVetoed,
    HardRule::kSwedishTooLow};

constexpr std::array<Component, kComponentCount> kAllComponents = {
    Component::kSkills, Component::kSupport, Component::kTravel,
    Component::kStep, Component::kPreference};

size_t Index(Component component) { return static_cast<size_t>(component); }

ScoringContext Context() {
  ScoringContext context;
  context.today = kToday;
  return context;
}

GeoPoint CentreOf(absl::string_view code) {
  const MunicipalityTable& table = Reference().municipalities;
  return table.all()[static_cast<size_t>(*table.Find(code))].centre;
}

// Hällefors; 36 years old on kToday; public transport, 60 minutes.
Participant BaseParticipant() {
  Participant p;
  p.id = "P0000001";
  p.coach_id = "C1863-01";
  p.birth_year = 1990;
  p.municipality_code = "1863";
  p.home = CentreOf("1863");
  p.travel_mode = TravelMode::kPublicTransport;
  p.max_travel_minutes = 60;
  p.hours_per_week = 20;
  p.step = 2;
  p.swedish_level = SwedishLevel::kGood;
  p.target_groups = {TargetGroup::kLongTermUnemployed};
  p.skills = {{"5120.01", 2}};
  p.wanted_fields = {"kitchen_restaurant"};
  return p;
}

// At the participant's home, so public transport takes exactly its fixed 15
// minutes; eligible for BaseParticipant().
Opening BaseOpening() {
  Opening o;
  o.id = "O000001";
  o.kind = OpeningKind::kWorkTraining;
  o.organisation_id = "ORG00001";
  o.organisation_name = "Kök i Hällefors";
  o.title = "Köksbiträde";
  o.municipality_code = "1863";
  o.location = CentreOf("1863");
  o.occupation_field = "kitchen_restaurant";
  o.essential_skills = {"5120.01"};
  o.capacity = 2;
  o.places_taken = 0;
  o.min_hours_per_week = 10;
  o.max_hours_per_week = 30;
  o.step = 3;
  o.start_date = {2026, 1, 1};
  o.status = OpeningStatus::kOpen;
  return o;
}

Explanation Explain(const Participant& p, const Opening& o,
                    const ScoringContext& context = Context()) {
  return ExplainPair(p, o, Reference(), context);
}

std::string RuleNames(HardRuleSet set) {
  std::string names;
  for (HardRule rule : kAllRules) {
    if ((set & RuleBit(rule)) != 0)
      absl::StrAppend(&names, HardRuleSlug(rule), " ");
  }
  return names.empty() ? "(none)" : names;
}

::testing::AssertionResult RuleExplanationsMatch(const Explanation& e) {
  HardRuleSet seen = 0;
  for (const RuleExplanation& rule : e.rules) {
    if ((seen & RuleBit(rule.rule)) != 0) {
      return ::testing::AssertionFailure()
             << "rule " << HardRuleSlug(rule.rule) << " explained twice";
    }
    seen |= RuleBit(rule.rule);
    if (rule.sv.empty() || rule.en.empty()) {
      return ::testing::AssertionFailure()
             << "rule " << HardRuleSlug(rule.rule) << " has an empty text: sv '"
             << rule.sv << "', en '" << rule.en << "'";
    }
  }
  if (seen != e.excluded_by) {
    return ::testing::AssertionFailure()
           << "rules explained: " << RuleNames(seen)
           << "; excluded_by: " << RuleNames(e.excluded_by);
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult ExcludedOnlyBy(const Explanation& e, HardRule rule) {
  if (e.eligible) return ::testing::AssertionFailure() << "eligible";
  if (e.excluded_by != RuleBit(rule)) {
    return ::testing::AssertionFailure()
           << "excluded by " << RuleNames(e.excluded_by) << ", expected "
           << HardRuleSlug(rule);
  }
  return RuleExplanationsMatch(e);
}

::testing::AssertionResult Eligible(const Explanation& e) {
  if (!e.eligible || e.excluded_by != 0) {
    return ::testing::AssertionFailure()
           << "eligible=" << e.eligible << ", excluded by "
           << RuleNames(e.excluded_by);
  }
  if (!e.rules.empty()) {
    return ::testing::AssertionFailure()
           << e.rules.size() << " rule explanations";
  }
  return ::testing::AssertionSuccess();
}

// The slow reference agrees on the rules (so the hand-made cases check it too).
::testing::AssertionResult ReferenceAgrees(
    const Participant& p, const Opening& o,
    const ScoringContext& context = Context()) {
  const Explanation e = Explain(p, o, context);
  const ReferenceScore r = ReferenceScorePair(p, o, Reference(), context);
  if (r.excluded_by != e.excluded_by || r.eligible != e.eligible) {
    return ::testing::AssertionFailure()
           << "ExplainPair excluded by " << RuleNames(e.excluded_by)
           << ", reference by " << RuleNames(r.excluded_by);
  }
  return ::testing::AssertionSuccess();
}

TEST(ScoringBaseTest, BasePairIsEligible) {
  EXPECT_TRUE(Eligible(Explain(BaseParticipant(), BaseOpening())));
  EXPECT_TRUE(ReferenceAgrees(BaseParticipant(), BaseOpening()));
}

// --- Hard rules, one test each, with the boundary on both sides. ---

TEST(HardRuleTest, OpeningNotOpen) {
  const Participant p = BaseParticipant();
  for (OpeningStatus status : {OpeningStatus::kDraft, OpeningStatus::kPaused,
                               OpeningStatus::kClosed}) {
    Opening o = BaseOpening();
    o.status = status;
    EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kOpeningNotOpen))
        << OpeningStatusSlug(status);
    EXPECT_TRUE(ReferenceAgrees(p, o));
  }
  Opening o = BaseOpening();
  o.end_date = kToday;  // the last day still counts
  EXPECT_TRUE(Eligible(Explain(p, o)));
  o.end_date = Date{2026, 6, 14};
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kOpeningNotOpen));
  EXPECT_TRUE(ReferenceAgrees(p, o));
  o.end_date = Date{2025, 12, 31};
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kOpeningNotOpen));
  // A start in the future is no rule: a coach may queue for it.
  o = BaseOpening();
  o.start_date = {2026, 9, 1};
  o.end_date = Date{2026, 12, 31};
  EXPECT_TRUE(Eligible(Explain(p, o)));
  EXPECT_TRUE(ReferenceAgrees(p, o));
}

TEST(HardRuleTest, NoFreePlace) {
  const Participant p = BaseParticipant();
  Opening o = BaseOpening();
  o.capacity = 3;
  o.places_taken = 2;
  EXPECT_TRUE(Eligible(Explain(p, o)));
  o.places_taken = 3;
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kNoFreePlace));
  EXPECT_TRUE(ReferenceAgrees(p, o));
  ScoringContext waived = Context();
  waived.require_free_place = false;
  EXPECT_TRUE(Eligible(Explain(p, o, waived)));
  EXPECT_TRUE(ReferenceAgrees(p, o, waived));
}

TEST(HardRuleTest, ParticipantNotActive) {
  const Opening o = BaseOpening();
  for (ParticipantStatus status :
       {ParticipantStatus::kPaused, ParticipantStatus::kPlaced}) {
    Participant p = BaseParticipant();
    p.status = status;
    EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kParticipantNotActive))
        << ParticipantStatusSlug(status);
    EXPECT_TRUE(ReferenceAgrees(p, o));
  }
}

TEST(HardRuleTest, AgeOutsideRange) {
  const Participant p = BaseParticipant();  // 2026 - 1990 = 36
  Opening o = BaseOpening();
  o.min_age = 36;
  EXPECT_TRUE(Eligible(Explain(p, o)));
  o.min_age = 37;
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kAgeOutsideRange));
  EXPECT_TRUE(ReferenceAgrees(p, o));
  o.min_age = 0;
  o.max_age = 36;
  EXPECT_TRUE(Eligible(Explain(p, o)));
  o.max_age = 35;
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kAgeOutsideRange));
  EXPECT_TRUE(ReferenceAgrees(p, o));
  // Age is by year alone: on 1 January the participant already counts as 36.
  o.max_age = 0;
  o.min_age = 36;
  ScoringContext new_year = Context();
  new_year.today = {2026, 1, 1};
  EXPECT_TRUE(Eligible(Explain(p, o, new_year)));
  new_year.today = {2025, 12, 31};
  EXPECT_TRUE(
      ExcludedOnlyBy(Explain(p, o, new_year), HardRule::kAgeOutsideRange));
}

TEST(HardRuleTest, TargetGroupMismatch) {
  Participant p = BaseParticipant();  // long-term unemployed
  Opening o = BaseOpening();
  o.target_groups = {TargetGroup::kDisability, TargetGroup::kNewlyArrived};
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kTargetGroupMismatch));
  EXPECT_TRUE(ReferenceAgrees(p, o));
  o.target_groups.push_back(TargetGroup::kLongTermUnemployed);
  EXPECT_TRUE(Eligible(Explain(p, o)));
  p.target_groups.clear();
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kTargetGroupMismatch));
  o.target_groups.clear();  // open to all, also to a person in no group
  EXPECT_TRUE(Eligible(Explain(p, o)));
}

TEST(HardRuleTest, HardNeedUnmet) {
  Participant p = BaseParticipant();
  p.needs = {{"wheelchair_access", NeedStrength::kHard}};
  Opening o = BaseOpening();
  o.supports = {"job_coach_on_site"};
  const Explanation e = Explain(p, o);
  EXPECT_TRUE(ExcludedOnlyBy(e, HardRule::kHardNeedUnmet));
  ASSERT_EQ(e.rules.size(), 1u);
  EXPECT_TRUE(e.rules[0].mentions_support_needs);
  EXPECT_TRUE(ReferenceAgrees(p, o));
  o.supports.push_back("step_free_access");
  EXPECT_TRUE(Eligible(Explain(p, o)));
  EXPECT_TRUE(ReferenceAgrees(p, o));
  // The same need, soft, lowers the score but excludes nothing.
  p.needs = {{"wheelchair_access", NeedStrength::kSoft}};
  o.supports = {};
  EXPECT_TRUE(Eligible(Explain(p, o)));
  // Any one of the catalogue's met_by supports meets a need.
  p.needs = {{"plain_instructions", NeedStrength::kHard}};
  o.supports = {"language_support"};
  EXPECT_TRUE(Eligible(Explain(p, o)));
  o.supports = {"visual_instructions"};
  EXPECT_TRUE(Eligible(Explain(p, o)));
  o.supports = {"sign_language"};
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kHardNeedUnmet));
  EXPECT_TRUE(ReferenceAgrees(p, o));
}

TEST(HardRuleTest, TravelTooLongAtExactLimit) {
  // Same point by public transport: exactly the fixed 15 minutes.
  Participant p = BaseParticipant();
  const Opening o = BaseOpening();
  p.max_travel_minutes = 15;
  EXPECT_TRUE(Eligible(Explain(p, o)));
  EXPECT_DOUBLE_EQ(Explain(p, o).travel.minutes, 15.0);
  p.max_travel_minutes = 14;
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kTravelTooLong));
  EXPECT_TRUE(ReferenceAgrees(p, o));
  // By car the fixed part is 5 minutes (parking); on foot nothing.
  p.travel_mode = TravelMode::kCar;
  p.max_travel_minutes = 5;
  EXPECT_TRUE(Eligible(Explain(p, o)));
  p.max_travel_minutes = 4;
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kTravelTooLong));
  p.travel_mode = TravelMode::kWalk;
  p.max_travel_minutes = 1;
  EXPECT_TRUE(Eligible(Explain(p, o)));
}

TEST(HardRuleTest, TravelTooLongOverDistance) {
  Participant p = BaseParticipant();
  Opening o = BaseOpening();
  o.location.latitude_deg += 0.09;  // about 10 km north
  for (TravelMode mode : {TravelMode::kWalk, TravelMode::kBike,
                          TravelMode::kPublicTransport, TravelMode::kCar}) {
    SCOPED_TRACE(TravelModeSlug(mode));
    p.travel_mode = mode;
    const double minutes = ReferenceTravelMinutes(p.home, o.location, mode);
    ASSERT_NE(minutes, std::floor(minutes));
    p.max_travel_minutes = static_cast<int>(std::ceil(minutes));
    EXPECT_TRUE(Eligible(Explain(p, o)));
    EXPECT_THAT(Explain(p, o).travel.minutes,
                DoubleNear(minutes, kComponentTolerance));
    p.max_travel_minutes = static_cast<int>(std::floor(minutes));
    EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kTravelTooLong));
    EXPECT_TRUE(ReferenceAgrees(p, o));
  }
}

TEST(HardRuleTest, TravelLimitOfTheQueryOnlyTightens) {
  Participant p = BaseParticipant();  // 15 minutes to the opening
  const Opening o = BaseOpening();
  ScoringContext context = Context();
  context.max_travel_minutes = 15;
  EXPECT_TRUE(Eligible(Explain(p, o, context)));
  context.max_travel_minutes = 14;
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o, context), HardRule::kTravelTooLong));
  EXPECT_TRUE(ReferenceAgrees(p, o, context));
  // A looser query limit does not loosen the participant's own.
  p.max_travel_minutes = 14;
  context.max_travel_minutes = 120;
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o, context), HardRule::kTravelTooLong));
  context.max_travel_minutes = 0;
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o, context), HardRule::kTravelTooLong));
}

TEST(HardRuleTest, HoursTooFew) {
  const Participant p = BaseParticipant();  // 20 hours
  Opening o = BaseOpening();
  o.min_hours_per_week = 20;
  EXPECT_TRUE(Eligible(Explain(p, o)));
  o.min_hours_per_week = 20.5;
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kHoursTooFew));
  EXPECT_TRUE(ReferenceAgrees(p, o));
}

TEST(HardRuleTest, EmployerVetoed) {
  Participant p = BaseParticipant();
  const Opening o = BaseOpening();
  p.vetoed_organisations = {"ORG00002"};
  EXPECT_TRUE(Eligible(Explain(p, o)));
  p.vetoed_organisations.push_back("ORG00001");
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kEmployerVetoed));
  EXPECT_TRUE(ReferenceAgrees(p, o));
}

TEST(HardRuleTest, FieldVetoed) {
  Participant p = BaseParticipant();
  const Opening o = BaseOpening();
  p.vetoed_fields = {"cleaning_facility"};
  EXPECT_TRUE(Eligible(Explain(p, o)));
  p.vetoed_fields.push_back("kitchen_restaurant");
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kFieldVetoed));
  EXPECT_TRUE(ReferenceAgrees(p, o));
}

TEST(HardRuleTest, SwedishTooLow) {
  const Participant p = BaseParticipant();  // good
  Opening o = BaseOpening();
  o.min_swedish = SwedishLevel::kGood;
  EXPECT_TRUE(Eligible(Explain(p, o)));
  o.min_swedish = SwedishLevel::kFluent;
  EXPECT_TRUE(ExcludedOnlyBy(Explain(p, o), HardRule::kSwedishTooLow));
  EXPECT_TRUE(ReferenceAgrees(p, o));
}

TEST(HardRuleTest, EveryRuleThatHoldsIsReportedAndTheScoreStillComputed) {
  Participant p = BaseParticipant();
  p.status = ParticipantStatus::kPaused;
  p.max_travel_minutes = 10;
  p.vetoed_fields = {"kitchen_restaurant"};
  Opening o = BaseOpening();
  o.status = OpeningStatus::kClosed;
  o.places_taken = o.capacity;
  o.min_swedish = SwedishLevel::kFluent;
  const Explanation e = Explain(p, o);
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(e.excluded_by, RuleBit(HardRule::kOpeningNotOpen) |
                               RuleBit(HardRule::kNoFreePlace) |
                               RuleBit(HardRule::kParticipantNotActive) |
                               RuleBit(HardRule::kTravelTooLong) |
                               RuleBit(HardRule::kFieldVetoed) |
                               RuleBit(HardRule::kSwedishTooLow))
      << RuleNames(e.excluded_by);
  EXPECT_TRUE(RuleExplanationsMatch(e));
  EXPECT_TRUE(ReferenceAgrees(p, o));
  // The total is the weighted sum also for an excluded pair.
  EXPECT_GT(e.total, 0.0);
  EXPECT_THAT(e.total,
              DoubleNear(ReferenceScorePair(p, o, Reference(), Context()).total,
                         kTotalTolerance));
}

TEST(HardRuleTest, SlugsAreDistinctAndNonEmpty) {
  absl::flat_hash_set<std::string> slugs;
  for (HardRule rule : kAllRules) {
    const std::string slug(HardRuleSlug(rule));
    EXPECT_FALSE(slug.empty());
    EXPECT_TRUE(slugs.insert(slug).second) << slug;
  }
}

// --- Components. ---

double ComponentOf(const Participant& p, const Opening& o, Component c,
                   const ScoringContext& context = Context()) {
  return Explain(p, o, context).components[Index(c)];
}

TEST(SkillsComponentTest, ExactRelatedAndUnrelated) {
  Participant p = BaseParticipant();
  Opening o = BaseOpening();
  o.essential_skills = {"5120.03"};
  p.skills = {{"5120.03", 1}};
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kSkills), 1.0);
  p.skills = {{"5120.03", 3}};  // any level
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kSkills), 1.0);
  p.skills = {{"5120.05", 1}};  // same group 5120
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kSkills), kRelatedSkillCredit);
  EXPECT_DOUBLE_EQ(kRelatedSkillCredit, 0.5);
  p.skills = {{"9412.01", 3}};  // same field, another group: no credit
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kSkills), 0.0);
  p.skills = {};
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kSkills), 0.0);
  // An exact match is not added to a related one: credit is at most 1.
  p.skills = {{"5120.05", 1}, {"5120.03", 1}};
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kSkills), 1.0);
}

TEST(SkillsComponentTest, EssentialAndOptionalMix) {
  Participant p = BaseParticipant();
  p.skills = {{"5120.01", 1}, {"4322.02", 2}};
  Opening o = BaseOpening();
  // E = mean(1 [exact], 0 [9412: none]) = 0.5;
  // X = mean(0.5 [4322.02 for 4322.01], 0 [8344: none]) = 0.25.
  o.essential_skills = {"5120.01", "9412.01"};
  o.optional_skills = {"4322.01", "8344.01"};
  EXPECT_DOUBLE_EQ(kEssentialShare, 0.75);
  EXPECT_NEAR(ComponentOf(p, o, Component::kSkills), 0.75 * 0.5 + 0.25 * 0.25,
              kComponentTolerance);
  // Essential only: E.
  o.optional_skills.clear();
  EXPECT_NEAR(ComponentOf(p, o, Component::kSkills), 0.5, kComponentTolerance);
  // Optional only: X.
  o.essential_skills.clear();
  o.optional_skills = {"4322.01", "8344.01", "5120.02"};
  EXPECT_NEAR(ComponentOf(p, o, Component::kSkills), (0.5 + 0.0 + 0.5) / 3.0,
              kComponentTolerance);
  // Asks for nothing: 1, whatever the participant has.
  o.optional_skills.clear();
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kSkills), 1.0);
  p.skills.clear();
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kSkills), 1.0);
}

TEST(SupportComponentTest, ShareOfSoftNeedsMet) {
  Participant p = BaseParticipant();
  Opening o = BaseOpening();
  o.supports = {"job_coach_on_site", "transport_help", "quiet_workspace"};
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kSupport), 1.0);  // no needs
  // Hard needs are rules, not part of the score.
  p.needs = {{"wheelchair_access", NeedStrength::kHard}};
  o.supports.push_back("step_free_access");
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kSupport), 1.0);
  p.needs = {{"job_coach", NeedStrength::kSoft},
             {"predictable_tasks", NeedStrength::kSoft},
             {"travel_assistance", NeedStrength::kSoft},
             {"wheelchair_access", NeedStrength::kHard}};
  EXPECT_NEAR(ComponentOf(p, o, Component::kSupport), 2.0 / 3.0,
              kComponentTolerance);
  o.supports = {};
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kSupport), 0.0);
  // A need met by the second of its met_by supports.
  p.needs = {{"plain_instructions", NeedStrength::kSoft},
             {"low_stimulus", NeedStrength::kSoft}};
  o.supports = {"language_support"};
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kSupport), 0.5);
}

TEST(TravelComponentTest, ExponentialDecayOfMinutes) {
  EXPECT_DOUBLE_EQ(kTravelDecayMinutes, 45.0);
  EXPECT_DOUBLE_EQ(TravelScore(0), 1.0);
  EXPECT_NEAR(TravelScore(45), std::exp(-1.0), 1e-12);
  EXPECT_NEAR(TravelScore(15), std::exp(-1.0 / 3.0), 1e-12);
  EXPECT_NEAR(TravelScore(90), std::exp(-2.0), 1e-12);
  Participant p = BaseParticipant();
  Opening o = BaseOpening();
  EXPECT_NEAR(ComponentOf(p, o, Component::kTravel), std::exp(-15.0 / 45.0),
              kComponentTolerance);
  p.travel_mode = TravelMode::kWalk;
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kTravel), 1.0);
  o.location.longitude_deg += 0.1;
  p.travel_mode = TravelMode::kBike;
  const double minutes =
      ReferenceTravelMinutes(p.home, o.location, TravelMode::kBike);
  EXPECT_NEAR(ComponentOf(p, o, Component::kTravel), std::exp(-minutes / 45.0),
              kComponentTolerance);
}

TEST(EstimateTravelTest, ModelOfEachMode) {
  const GeoPoint a{59.0, 15.0};
  const GeoPoint b{59.1, 15.0};
  const double km = GreatCircleKm(a, b);
  EXPECT_NEAR(km, kEarthRadiusKm * 0.1 * std::numbers::pi / 180.0, 1e-9);
  struct Case {
    TravelMode mode;
    double speed;
    double fixed;
  };
  for (const Case& c :
       {Case{TravelMode::kWalk, 5, 0}, Case{TravelMode::kBike, 15, 0},
        Case{TravelMode::kPublicTransport, 30, 15},
        Case{TravelMode::kCar, 50, 5}}) {
    SCOPED_TRACE(TravelModeSlug(c.mode));
    const TravelEstimate estimate = EstimateTravel(a, b, c.mode);
    EXPECT_EQ(estimate.mode, c.mode);
    EXPECT_NEAR(estimate.distance_km, km, 1e-9);
    EXPECT_NEAR(estimate.minutes, km * 1.3 / c.speed * 60.0 + c.fixed, 1e-9);
    const TravelEstimate back = EstimateTravel(b, a, c.mode);
    EXPECT_EQ(back.minutes, estimate.minutes);
    EXPECT_EQ(back.distance_km, estimate.distance_km);
    EXPECT_DOUBLE_EQ(EstimateTravel(a, a, c.mode).minutes, c.fixed);
    EXPECT_DOUBLE_EQ(EstimateTravel(a, a, c.mode).distance_km, 0.0);
  }
}

TEST(StepComponentTest, EveryOffsetOfTheTable) {
  // Offset = opening step - participant step, -5..+5.
  auto expected = [](int offset) {
    if (offset == 1) return 1.0;
    if (offset == 0) return 0.7;
    if (offset == -1) return 0.3;
    if (offset == 2) return 0.2;
    if (offset <= -2) return 0.1;
    return 0.0;
  };
  EXPECT_DOUBLE_EQ(expected(-5), 0.1);
  EXPECT_DOUBLE_EQ(expected(3), 0.0);
  Participant p = BaseParticipant();
  Opening o = BaseOpening();
  for (int participant_step = kMinStep; participant_step <= kMaxStep;
       ++participant_step) {
    for (int opening_step = kMinStep; opening_step <= kMaxStep;
         ++opening_step) {
      SCOPED_TRACE(absl::StrCat("participant ", participant_step, ", opening ",
                                opening_step));
      const double want = expected(opening_step - participant_step);
      EXPECT_DOUBLE_EQ(StepScore(participant_step, opening_step), want);
      EXPECT_DOUBLE_EQ(ReferenceStepScore(participant_step, opening_step),
                       want);
      p.step = participant_step;
      o.step = opening_step;
      EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kStep), want);
    }
  }
}

TEST(PreferenceComponentTest, WantedNoneNamedOrNotWanted) {
  Participant p = BaseParticipant();
  Opening o = BaseOpening();
  p.wanted_fields = {"retail_shop", "kitchen_restaurant"};
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kPreference), 1.0);
  p.wanted_fields = {};
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kPreference),
                   kNoPreferenceScore);
  EXPECT_DOUBLE_EQ(kNoPreferenceScore, 0.5);
  p.wanted_fields = {"retail_shop"};
  EXPECT_DOUBLE_EQ(ComponentOf(p, o, Component::kPreference), 0.0);
}

TEST(TotalTest, WeightedSumByHand) {
  Participant p = BaseParticipant();
  p.needs = {{"job_coach", NeedStrength::kSoft},
             {"low_stimulus", NeedStrength::kSoft}};
  Opening o = BaseOpening();
  o.supports = {"job_coach_on_site"};
  o.essential_skills = {"5120.01", "5120.02"};  // E = (1 + 0.5) / 2
  // skills 0.75, support 0.5, travel exp(-1/3), step 1 (2 -> 3), preference 1.
  const double want = 0.30 * 0.75 + 0.15 * 0.5 + 0.20 * std::exp(-1.0 / 3.0) +
                      0.15 * 1.0 + 0.20 * 1.0;
  const Explanation e = Explain(p, o);
  EXPECT_TRUE(Eligible(e));
  EXPECT_EQ(e.participant_id, "P0000001");
  EXPECT_EQ(e.opening_id, "O000001");
  EXPECT_NEAR(e.total, want, 1e-12);
  for (Component c : kAllComponents) {
    EXPECT_EQ(e.weights[Index(c)], Context().profile.weight(c));
    EXPECT_NEAR(e.contributions[Index(c)],
                e.weights[Index(c)] * e.components[Index(c)], 1e-15);
  }
  EXPECT_EQ(e.travel.mode, TravelMode::kPublicTransport);
  EXPECT_DOUBLE_EQ(e.travel.minutes, 15.0);
}

// --- Scoring profiles. ---

MATCHER_P(IsInvalidArgumentWith, substrings, "") {
  if (arg.ok() || arg.status().code() != absl::StatusCode::kInvalidArgument) {
    *result_listener << "status " << arg.status();
    return false;
  }
  for (const std::string& part : substrings) {
    if (arg.status().message().find(part) == absl::string_view::npos) {
      *result_listener << "message '" << arg.status().message() << "' lacks '"
                       << part << "'";
      return false;
    }
  }
  return true;
}

TEST(ScoringProfileTest, DefaultWeights) {
  const ScoringProfile profile = ScoringProfile::Default();
  EXPECT_NEAR(profile.weight(Component::kSkills), 0.30, 1e-12);
  EXPECT_NEAR(profile.weight(Component::kSupport), 0.15, 1e-12);
  EXPECT_NEAR(profile.weight(Component::kTravel), 0.20, 1e-12);
  EXPECT_NEAR(profile.weight(Component::kStep), 0.15, 1e-12);
  EXPECT_NEAR(profile.weight(Component::kPreference), 0.20, 1e-12);
  double sum = 0;
  for (double w : profile.weights()) sum += w;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_FALSE(profile.name().empty());
}

TEST(ScoringProfileTest, DefaultEqualsTheShippedFile) {
  absl::StatusOr<ScoringProfile> loaded =
      ScoringProfile::Load(testing::DataDir() + "/profiles/default.csv");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->name(), "default");
  EXPECT_EQ(ScoringProfile::Default().name(), "default");
  for (Component c : kAllComponents) {
    EXPECT_NEAR(loaded->weight(c), ScoringProfile::Default().weight(c), 1e-12)
        << ComponentSlug(c);
  }
}

TEST(ScoringProfileTest, LoadNormalisesAndNamesByStem) {
  ScratchDir dir;
  const std::string path = dir.File("heavy_skills.csv");
  // Order of the rows is free; weights up to kMaxWeight.
  WriteFileOrDie(path,
                 "component,weight\ntravel,2\nskills,10\nsupport,1\nstep,"
                 "2\npreference,5\n");
  absl::StatusOr<ScoringProfile> profile = ScoringProfile::Load(path);
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ(profile->name(), "heavy_skills");
  EXPECT_NEAR(profile->weight(Component::kSkills), 0.5, 1e-12);
  EXPECT_NEAR(profile->weight(Component::kSupport), 0.05, 1e-12);
  EXPECT_NEAR(profile->weight(Component::kTravel), 0.1, 1e-12);
  EXPECT_NEAR(profile->weight(Component::kStep), 0.1, 1e-12);
  EXPECT_NEAR(profile->weight(Component::kPreference), 0.25, 1e-12);
  // A zero weight is allowed when another is positive.
  WriteFileOrDie(path,
                 "component,weight\nskills,0\nsupport,0\ntravel,1\nstep,"
                 "0\npreference,0\n");
  profile = ScoringProfile::Load(path);
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_DOUBLE_EQ(profile->weight(Component::kTravel), 1.0);
  EXPECT_DOUBLE_EQ(profile->weight(Component::kSkills), 0.0);
}

struct BadProfileCase {
  std::string name;
  std::string rows;  // after the header
  // A bad weight is named by file and line (which names the row) and value.
  std::vector<std::string> message_parts;
};

class BadProfileTest : public ::testing::TestWithParam<BadProfileCase> {};

TEST_P(BadProfileTest, InvalidArgumentNamingComponentAndValue) {
  ScratchDir dir;
  const std::string path = dir.File("bad.csv");
  WriteFileOrDie(path, absl::StrCat("component,weight\n", GetParam().rows));
  EXPECT_THAT(ScoringProfile::Load(path),
              IsInvalidArgumentWith(GetParam().message_parts));
}

INSTANTIATE_TEST_SUITE_P(
    EveryError, BadProfileTest,
    ::testing::Values(
        BadProfileCase{
            "Negative",
            "skills,1\nsupport,1\ntravel,-0.5\nstep,1\npreference,1\n",
            {"bad.csv:4", "-0.5"}},
        BadProfileCase{
            "AboveMax",
            "skills,1\nsupport,1\ntravel,1\nstep,10.5\npreference,1\n",
            {"bad.csv:5", "10.5"}},
        BadProfileCase{
            "NotANumber",
            "skills,1\nsupport,lots\ntravel,1\nstep,1\npreference,1\n",
            {"bad.csv:3", "lots"}},
        BadProfileCase{"AllZero",
                       "skills,0\nsupport,0\ntravel,0\nstep,0\npreference,0\n",
                       {}},
        BadProfileCase{
            "UnknownComponent",
            "skills,1\nsupport,1\ntravel,1\nstep,1\npreference,1\nspeed,0.2\n",
            {"speed"}},
        BadProfileCase{"MissingRow",
                       "skills,1\nsupport,1\ntravel,1\nstep,1\n",
                       {"preference"}},
        BadProfileCase{
            "RepeatedRow",
            "skills,1\nsupport,1\ntravel,1\nstep,1\npreference,1\nskills,2\n",
            {"skills"}}),
    [](const ::testing::TestParamInfo<BadProfileCase>& param_info) {
      return param_info.param.name;
    });

TEST(ScoringProfileTest, LoadOfAMissingFileFails) {
  ScratchDir dir;
  const std::string path = dir.File("absent.csv");
  absl::StatusOr<ScoringProfile> profile = ScoringProfile::Load(path);
  EXPECT_FALSE(profile.ok());
  EXPECT_THAT(profile.status().message(), HasSubstr("absent.csv"));
}

TEST(ScoringProfileTest, FromWeights) {
  absl::StatusOr<ScoringProfile> profile =
      ScoringProfile::FromWeights("even", {1, 1, 1, 1, 1});
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ(profile->name(), "even");
  for (double w : profile->weights()) EXPECT_NEAR(w, 0.2, 1e-12);
  EXPECT_TRUE(ScoringProfile::FromWeights("max", {10, 0, 0, 0, 0}).ok());
  EXPECT_THAT(ScoringProfile::FromWeights("neg", {1, 1, 1, -2, 1}),
              IsInvalidArgumentWith(std::vector<std::string>{"step", "-2"}));
  EXPECT_THAT(ScoringProfile::FromWeights("big", {1, 11, 1, 1, 1}),
              IsInvalidArgumentWith(std::vector<std::string>{"support", "11"}));
  EXPECT_THAT(ScoringProfile::FromWeights("zero", {0, 0, 0, 0, 0}),
              IsInvalidArgumentWith(std::vector<std::string>{}));
}

TEST(ScoringProfileTest, WithOverridesReplacesThenNormalises) {
  const ScoringProfile base = ScoringProfile::Default();
  std::array<std::optional<double>, kComponentCount> overrides{};
  overrides[Index(Component::kTravel)] = 0.4;
  absl::StatusOr<ScoringProfile> profile = base.WithOverrides(overrides);
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ(profile->name(), base.name());
  EXPECT_NEAR(profile->weight(Component::kTravel), 0.4 / 1.2, 1e-12);
  EXPECT_NEAR(profile->weight(Component::kSkills), 0.3 / 1.2, 1e-12);
  EXPECT_NEAR(profile->weight(Component::kPreference), 0.2 / 1.2, 1e-12);
  // No override: the same weights.
  profile = base.WithOverrides({});
  ASSERT_TRUE(profile.ok()) << profile.status();
  for (Component c : kAllComponents)
    EXPECT_NEAR(profile->weight(c), base.weight(c), 1e-12);
  // Bounds: 0 and kMaxWeight are allowed.
  overrides[Index(Component::kTravel)] = ScoringProfile::kMaxWeight;
  overrides[Index(Component::kSkills)] = 0.0;
  profile = base.WithOverrides(overrides);
  ASSERT_TRUE(profile.ok()) << profile.status();
  // support 0.15 + step 0.15 + preference 0.20 remain.
  EXPECT_NEAR(profile->weight(Component::kTravel), 10.0 / 10.5, 1e-12);
  EXPECT_DOUBLE_EQ(profile->weight(Component::kSkills), 0.0);

  overrides = {};
  overrides[Index(Component::kSupport)] = -0.1;
  EXPECT_THAT(
      base.WithOverrides(overrides),
      IsInvalidArgumentWith(std::vector<std::string>{"support", "-0.1"}));
  overrides = {};
  overrides[Index(Component::kPreference)] = 10.5;
  EXPECT_THAT(
      base.WithOverrides(overrides),
      IsInvalidArgumentWith(std::vector<std::string>{"preference", "10.5"}));
  overrides = {0.0, 0.0, 0.0, 0.0, 0.0};
  EXPECT_THAT(base.WithOverrides(overrides),
              IsInvalidArgumentWith(std::vector<std::string>{}));
}

TEST(ComponentSlugTest, RoundTripAndUnknown) {
  const std::array<std::string, kComponentCount> slugs = {
      "skills", "support", "travel", "step", "preference"};
  for (Component c : kAllComponents) {
    EXPECT_EQ(ComponentSlug(c), slugs[Index(c)]);
    absl::StatusOr<Component> parsed = ParseComponent(slugs[Index(c)]);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, c);
  }
  EXPECT_THAT(ParseComponent("speed"),
              IsInvalidArgumentWith(std::vector<std::string>{"speed"}));
}

// --- Generated populations. ---

struct Population {
  std::vector<Participant> participants;
  std::vector<Opening> openings;
};

Population Generate(uint64_t seed, int participants, int openings) {
  const PopulationGenerator generator(
      {.seed = seed, .participants = participants, .openings = openings},
      Reference());
  Population population;
  for (int i = 0; i < participants; ++i) {
    population.participants.push_back(generator.Participant(i));
  }
  for (int i = 0; i < openings; ++i)
    population.openings.push_back(generator.Opening(i));
  return population;
}

// Random pairs and, so that many are eligible, pairs in one municipality.
std::vector<std::pair<size_t, size_t>> SomePairs(const Population& population,
                                                 size_t random_pairs,
                                                 uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::pair<size_t, size_t>> pairs;
  for (size_t i = 0; i < random_pairs; ++i) {
    pairs.emplace_back(rng() % population.participants.size(),
                       rng() % population.openings.size());
  }
  for (size_t pi = 0; pi < population.participants.size(); ++pi) {
    for (size_t oi = 0; oi < population.openings.size(); ++oi) {
      if (population.participants[pi].municipality_code ==
          population.openings[oi].municipality_code) {
        pairs.emplace_back(pi, oi);
      }
    }
  }
  return pairs;
}

std::vector<ScoringContext> SomeContexts() {
  std::vector<ScoringContext> contexts(4, Context());
  contexts[1].max_travel_minutes = 30;
  contexts[2].require_free_place = false;
  contexts[3].today = {2026, 12, 1};
  contexts[3].profile =
      *ScoringProfile::FromWeights("custom", {1, 3, 0.5, 2, 0});
  return contexts;
}

TEST(ExplainPairPropertyTest, EqualsTheReferenceOnGeneratedPairs) {
  const Population population = Generate(21, 400, 200);
  const auto pairs = SomePairs(population, 1000, 5);
  int eligible = 0;
  int failures = 0;
  for (const ScoringContext& context : SomeContexts()) {
    for (const auto& [pi, oi] : pairs) {
      const Participant& p = population.participants[pi];
      const Opening& o = population.openings[oi];
      const Explanation e = ExplainPair(p, o, Reference(), context);
      const ReferenceScore r = ReferenceScorePair(p, o, Reference(), context);
      eligible += r.eligible;
      ::testing::AssertionResult same = ::testing::AssertionSuccess();
      if (e.excluded_by != r.excluded_by || e.eligible != r.eligible) {
        same = ::testing::AssertionFailure()
               << "excluded by " << RuleNames(e.excluded_by) << ", reference "
               << RuleNames(r.excluded_by);
      }
      for (Component c : kAllComponents) {
        if (std::abs(e.components[Index(c)] - r.components[Index(c)]) >
            kComponentTolerance) {
          same = ::testing::AssertionFailure()
                 << ComponentSlug(c) << " " << e.components[Index(c)]
                 << ", reference " << r.components[Index(c)];
        }
        if (std::abs(e.contributions[Index(c)] -
                     e.weights[Index(c)] * e.components[Index(c)]) > 1e-12 ||
            e.weights[Index(c)] != context.profile.weight(c)) {
          same = ::testing::AssertionFailure()
                 << ComponentSlug(c) << " contribution";
        }
        if (!(e.components[Index(c)] >= 0.0 && e.components[Index(c)] <= 1.0)) {
          same = ::testing::AssertionFailure()
                 << ComponentSlug(c) << " out of [0, 1]";
        }
      }
      if (std::abs(e.total - r.total) > kTotalTolerance) {
        same = ::testing::AssertionFailure()
               << "total " << e.total << ", reference " << r.total;
      }
      if (!(e.total >= 0.0 && e.total <= 1.0 + 1e-12)) {
        same = ::testing::AssertionFailure()
               << "total " << e.total << " out of [0, 1]";
      }
      if (std::abs(e.travel.minutes - r.travel_minutes) > kComponentTolerance ||
          std::abs(e.travel.distance_km - r.travel_km) > kComponentTolerance ||
          e.travel.mode != p.travel_mode) {
        same = ::testing::AssertionFailure()
               << "travel " << e.travel.minutes << " min, reference "
               << r.travel_minutes;
      }
      if (e.participant_id != p.id || e.opening_id != o.id) {
        same = ::testing::AssertionFailure() << "ids";
      }
      if (!same && ++failures <= 10) {
        ADD_FAILURE() << p.id << " x " << o.id << ": " << same.message();
      }
    }
  }
  EXPECT_EQ(failures, 0);
  // The test means something only when both outcomes occur often.
  EXPECT_GT(eligible, 500);
  EXPECT_LT(eligible, static_cast<int>(4 * pairs.size()) - 500);
}

TEST(ExplainPairPropertyTest, EveryRuleOccursInTheGeneratedPairs) {
  const Population population = Generate(21, 400, 200);
  const auto pairs = SomePairs(population, 3000, 6);
  HardRuleSet seen = 0;
  for (const auto& [pi, oi] : pairs) {
    seen |= ExplainPair(population.participants[pi], population.openings[oi],
                        Reference(), Context())
                .excluded_by;
  }
  // Each rule is exercised by the property test above, not only by hand.
  for (HardRule rule : kAllRules) {
    if (rule == HardRule::kTargetGroupMismatch ||
        rule == HardRule::kEmployerVetoed) {
      continue;  // rare in generated data (5 % and 3 % x 1/organisations)
    }
    EXPECT_NE(seen & RuleBit(rule), 0u) << HardRuleSlug(rule);
  }
}

// --- Protected attributes never move a score. ---

TEST(ProtectedAttributesTest, GenderBornAbroadAndBirthYearMoveNoScore) {
  const Population population = Generate(33, 150, 120);
  const ScoringContext context = Context();
  int age_flips = 0;
  for (const Participant& original : population.participants) {
    std::vector<Participant> variants;
    for (int g = 0; g < kGenderCount; ++g) {
      Participant v = original;
      v.gender = static_cast<Gender>(g);
      v.born_abroad = !original.born_abroad;
      variants.push_back(v);
    }
    for (int years : {-7, -1, 1, 7}) {
      Participant v = original;
      v.birth_year += years;
      v.gender = Gender::kUndisclosed;
      variants.push_back(v);
    }
    std::vector<std::pair<double, std::string>> ranking;
    std::vector<std::vector<std::pair<double, std::string>>> variant_rankings(
        variants.size());
    for (const Opening& o : population.openings) {
      const Explanation e = ExplainPair(original, o, Reference(), context);
      if (e.eligible) ranking.emplace_back(-e.total, o.id);
      for (size_t vi = 0; vi < variants.size(); ++vi) {
        const Participant& v = variants[vi];
        const Explanation ve = ExplainPair(v, o, Reference(), context);
        ASSERT_EQ(ve.total, e.total)
            << original.id << " x " << o.id << " variant " << vi;
        ASSERT_EQ(ve.components, e.components) << original.id << " x " << o.id;
        const bool only_gender = v.birth_year == original.birth_year;
        if (only_gender) {
          ASSERT_EQ(ve.excluded_by, e.excluded_by)
              << original.id << " x " << o.id;
          ASSERT_EQ(ve.reasons.size(), e.reasons.size());
          for (size_t i = 0; i < e.reasons.size(); ++i) {
            ASSERT_EQ(ve.reasons[i].en, e.reasons[i].en);
            ASSERT_EQ(ve.reasons[i].sv, e.reasons[i].sv);
          }
        } else {
          // birth_year is read by the age rule only.
          const HardRuleSet others = ~RuleBit(HardRule::kAgeOutsideRange);
          ASSERT_EQ(ve.excluded_by & others, e.excluded_by & others)
              << original.id << " x " << o.id;
          age_flips += ve.excluded_by != e.excluded_by;
        }
        if (ve.eligible) variant_rankings[vi].emplace_back(-ve.total, o.id);
      }
    }
    std::sort(ranking.begin(), ranking.end());
    for (size_t vi = 0; vi < variants.size(); ++vi) {
      auto& variant_ranking = variant_rankings[vi];
      std::sort(variant_ranking.begin(), variant_ranking.end());
      if (variants[vi].birth_year == original.birth_year) {
        ASSERT_EQ(variant_ranking, ranking) << original.id;
      }
    }
  }
  EXPECT_GT(age_flips, 0);  // the birth-year variants did reach the age rule
}

// --- Reasons. ---

std::string AllText(const Explanation& e, Component c, bool english) {
  std::string text;
  for (const Reason& reason : e.reasons) {
    if (reason.component == c)
      absl::StrAppend(&text, english ? reason.en : reason.sv, "\n");
  }
  return text;
}

const std::string& SkillLabel(absl::string_view code) {
  const SkillTaxonomy& taxonomy = Reference().skills;
  return taxonomy.skills()[static_cast<size_t>(*taxonomy.FindSkill(code))]
      .label_en;
}

TEST(ReasonTest, SkillsCoverageAndMissingSkill) {
  Participant p = BaseParticipant();
  p.skills = {{"5120.01", 1}, {"9412.02", 2}};
  Opening o = BaseOpening();
  o.essential_skills = {"5120.01", "9412.02", "8344.01"};
  Explanation e = Explain(p, o);
  std::string en = AllText(e, Component::kSkills, true);
  EXPECT_THAT(en, HasSubstr("covers 2 of 3 essential skills"));
  EXPECT_THAT(en, HasSubstr(absl::StrCat("missing: ", SkillLabel("8344.01"))));
  EXPECT_EQ(SkillLabel("8344.01"), "Forklift licence (A+B)");
  EXPECT_FALSE(AllText(e, Component::kSkills, false).empty());

  o.essential_skills = {"5120.01", "9412.02"};
  e = Explain(p, o);
  en = AllText(e, Component::kSkills, true);
  EXPECT_THAT(en, HasSubstr("covers 2 of 2 essential skills"));
  EXPECT_THAT(en, ::testing::Not(HasSubstr("missing")));
}

TEST(ReasonTest, TravelNamesMinutesAndMode) {
  Participant p = BaseParticipant();
  Opening o = BaseOpening();
  o.location.latitude_deg += 0.05;
  const std::vector<std::pair<TravelMode, std::string>> phrases = {
      {TravelMode::kWalk, "on foot"},
      {TravelMode::kBike, "by bike"},
      {TravelMode::kPublicTransport, "by public transport"},
      {TravelMode::kCar, "by car"}};
  for (const auto& [mode, phrase] : phrases) {
    p.travel_mode = mode;
    const Explanation e = Explain(p, o);
    const std::string en = AllText(e, Component::kTravel, true);
    EXPECT_THAT(en, HasSubstr("min")) << TravelModeSlug(mode);
    EXPECT_THAT(en, HasSubstr(phrase)) << TravelModeSlug(mode);
    EXPECT_FALSE(AllText(e, Component::kTravel, false).empty());
  }
}

TEST(ReasonTest, EveryReasonInBothLanguagesAndSupportNeedsMarked) {
  const Population population = Generate(44, 200, 100);
  const auto pairs = SomePairs(population, 1500, 7);
  int support_reasons = 0;
  int hard_need_rules = 0;
  for (const auto& [pi, oi] : pairs) {
    const Participant& p = population.participants[pi];
    const Opening& o = population.openings[oi];
    const Explanation e = ExplainPair(p, o, Reference(), Context());
    ASSERT_TRUE(RuleExplanationsMatch(e)) << p.id << " x " << o.id;
    std::array<int, kComponentCount> per_component{};
    for (const Reason& reason : e.reasons) {
      ++per_component[Index(reason.component)];
      ASSERT_FALSE(reason.sv.empty()) << p.id << " x " << o.id;
      ASSERT_FALSE(reason.en.empty()) << p.id << " x " << o.id;
      if (reason.component == Component::kSupport) {
        ++support_reasons;
        ASSERT_TRUE(reason.mentions_support_needs) << reason.en;
      } else {
        ASSERT_FALSE(reason.mentions_support_needs) << reason.en;
      }
    }
    for (Component c : kAllComponents) {
      ASSERT_GE(per_component[Index(c)], 1)
          << ComponentSlug(c) << ", " << p.id << " x " << o.id;
    }
    for (const RuleExplanation& rule : e.rules) {
      if (rule.rule == HardRule::kHardNeedUnmet) {
        ++hard_need_rules;
        ASSERT_TRUE(rule.mentions_support_needs) << rule.en;
      }
    }
  }
  EXPECT_GT(support_reasons, 0);
  EXPECT_GT(hard_need_rules, 0);
}

}  // namespace
}  // namespace placement
