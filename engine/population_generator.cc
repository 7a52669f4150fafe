#include "engine/population_generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/dataset.h"
#include "engine/geo.h"
#include "engine/internal/random.h"

namespace placement {
namespace {

using internal::Rng;

// Random streams, one per kind of record.
constexpr uint64_t kParticipantStream = 1;
constexpr uint64_t kOpeningStream = 2;
constexpr uint64_t kOrganisationStream = 3;
// Entry dates and programmes: a stream of their own, so that adding them
// changed no other field of a generated participant.
constexpr uint64_t kProgrammeStream = 4;
// Entry dates lie within this many days before the reference date.
constexpr int kEntryWindowDays = 730;

constexpr double kKmPerDegreeLatitude = 111.2;
constexpr int kParticipantsPerCoach = 40;
constexpr int kOpeningsPerOrganisation = 3;

// Prevalence of each support need in the population; needs the catalogue adds
// later get kDefaultNeedPrevalence.
constexpr double kDefaultNeedPrevalence = 0.05;
const absl::flat_hash_map<std::string, double>& NeedPrevalence() {
  static const auto* const kPrevalence =
      new absl::flat_hash_map<std::string, double>{
          {"wheelchair_access", 0.03},  {"mental_health_support", 0.25},
          {"reduced_hours", 0.25},      {"low_stimulus", 0.12},
          {"job_coach", 0.15},          {"predictable_tasks", 0.15},
          {"childcare_hours", 0.10},    {"substance_free", 0.08},
          {"sign_language", 0.01},      {"no_heavy_lifting", 0.10},
          {"plain_instructions", 0.08}, {"travel_assistance", 0.06},
          {"animal_allergy", 0.04}};
  return *kPrevalence;
}
// Language support depends on the person's Swedish.
constexpr double kLanguageSupportIfLittleSwedish = 0.70;
constexpr double kLanguageSupportOtherwise = 0.05;
constexpr double kHardNeedShare = 0.4;

Date AddDays(const Date& date, int days) {
  // Civil-from-days and days-from-civil (H. Hinnant's algorithms).
  auto to_days = [](int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  };
  int z = to_days(date.year, date.month, date.day) + days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  return Date{.year = yoe + era * 400 + (m <= 2), .month = m, .day = d};
}

// Rounds to `decimals` decimal places. Dividing the rounded integer (rather
// than multiplying by 10^-decimals) yields the double nearest the decimal, so
// it prints in its short form ("13.0977", not "13.097700000000001").
double RoundToDecimals(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

// A point offset from `centre` by a normal draw of standard deviation sd_km in
// each direction, kept inside Sweden and rounded to 4 decimals (about 10 m).
GeoPoint Scatter(const GeoPoint& centre, double sd_km, Rng& rng) {
  const double north_km = rng.Normal() * sd_km;
  const double east_km = rng.Normal() * sd_km;
  const double km_per_degree_longitude =
      kKmPerDegreeLatitude *
      std::cos(centre.latitude_deg * std::numbers::pi / 180);
  GeoPoint point{.latitude_deg = std::clamp(
                     centre.latitude_deg + north_km / kKmPerDegreeLatitude,
                     kSwedenMinLatitude, kSwedenMaxLatitude),
                 .longitude_deg = std::clamp(
                     centre.longitude_deg + east_km / km_per_degree_longitude,
                     kSwedenMinLongitude, kSwedenMaxLongitude)};
  point.latitude_deg = RoundToDecimals(point.latitude_deg, 4);
  point.longitude_deg = RoundToDecimals(point.longitude_deg, 4);
  return point;
}

template <typename T>
void AddUnique(std::vector<T>& items, const T& item) {
  if (std::find(items.begin(), items.end(), item) == items.end()) {
    items.push_back(item);
  }
}

}  // namespace

PopulationGenerator::PopulationGenerator(const GeneratorConfig& config,
                                         const ReferenceData& reference)
    : config_(config), reference_(reference) {
  for (const std::string& code : config_.municipalities) {
    if (std::optional<int> index = reference_.municipalities.Find(code)) {
      drawable_.push_back(*index);
    }
  }
  if (drawable_.empty()) {
    drawable_.resize(reference_.municipalities.all().size());
    std::iota(drawable_.begin(), drawable_.end(), 0);
  }
  int64_t total = 0;
  for (int index : drawable_) {
    total += reference_.municipalities.all()[index].population;
    cumulative_population_.push_back(total);
  }

  skills_by_field_.resize(reference_.skills.fields().size());
  for (int skill = 0;
       skill < static_cast<int>(reference_.skills.skills().size()); ++skill) {
    skills_by_field_[reference_.skills.FieldOfSkill(skill)].push_back(skill);
  }

  const int organisation_count =
      std::max(1, config_.openings / kOpeningsPerOrganisation);
  const int field_count = static_cast<int>(reference_.skills.fields().size());
  organisations_.reserve(organisation_count);
  for (int i = 0; i < organisation_count; ++i) {
    Rng rng = Rng::ForRecord(config_.seed, kOrganisationStream, i);
    Organisation organisation;
    organisation.id = absl::StrFormat("ORG%05d", i + 1);
    organisation.municipality = DrawMunicipality(rng.Next());
    organisation.field = rng.UniformInt(0, field_count - 1);
    organisation.name = absl::StrCat(
        reference_.skills.fields()[organisation.field].label_sv, " i ",
        reference_.municipalities.all()[organisation.municipality].name, " nr ",
        i + 1);
    organisations_.push_back(std::move(organisation));
  }
}

int PopulationGenerator::DrawMunicipality(uint64_t uniform_bits) const {
  const int64_t target = static_cast<int64_t>(
      uniform_bits % static_cast<uint64_t>(cumulative_population_.back()));
  const auto position = std::upper_bound(cumulative_population_.begin(),
                                         cumulative_population_.end(), target) -
                        cumulative_population_.begin();
  return drawable_[static_cast<size_t>(position)];
}

bool PopulationGenerator::IsRural(const std::string& municipality_code) const {
  std::optional<int> index = reference_.municipalities.Find(municipality_code);
  return index &&
         reference_.municipalities.all()[*index].population < kRuralPopulation;
}

placement::Participant PopulationGenerator::Participant(int index) const {
  Rng rng = Rng::ForRecord(config_.seed, kParticipantStream, index);
  const auto& municipalities = reference_.municipalities.all();
  const SkillTaxonomy& taxonomy = reference_.skills;
  const int field_count = static_cast<int>(taxonomy.fields().size());

  placement::Participant p;
  p.id = absl::StrFormat("P%07d", index + 1);

  const int municipality = DrawMunicipality(rng.Next());
  const auto& home_town = municipalities[municipality];
  const bool rural = home_town.population < kRuralPopulation;
  p.municipality_code = home_town.code;
  p.home = Scatter(home_town.centre, rural ? 8.0 : 3.0, rng);

  // A caseload is about 40 participants of one municipality.
  const double expected_here =
      static_cast<double>(config_.participants) * home_town.population /
      static_cast<double>(cumulative_population_.back());
  const int coaches_here = std::max(
      1, static_cast<int>(std::ceil(expected_here / kParticipantsPerCoach)));
  p.coach_id = absl::StrFormat("C%s-%02d", home_town.code,
                               rng.UniformInt(1, std::min(coaches_here, 99)));

  const int age = rng.Bernoulli(kYouthShare) ? rng.UniformInt(16, 24)
                                             : rng.UniformInt(25, 64);
  p.birth_year = config_.reference_date.year - age;
  static constexpr std::array<double, kGenderCount> kGenderWeights = {
      0.49, 0.49, 0.01, 0.01};
  p.gender = static_cast<Gender>(rng.Weighted(kGenderWeights));
  p.born_abroad = rng.Bernoulli(0.40);

  // Target groups.
  if (p.born_abroad && rng.Bernoulli(0.35))
    AddUnique(p.target_groups, TargetGroup::kNewlyArrived);
  if (rng.Bernoulli(0.45))
    AddUnique(p.target_groups, TargetGroup::kLongTermUnemployed);
  if (rng.Bernoulli(0.20))
    AddUnique(p.target_groups, TargetGroup::kOutsideLabourMarket);
  if (rng.Bernoulli(0.22)) AddUnique(p.target_groups, TargetGroup::kDisability);
  if (age >= 25 && rng.Bernoulli(0.15))
    AddUnique(p.target_groups, TargetGroup::kSickLeaveReturn);
  if (age <= 29 && rng.Bernoulli(0.30))
    AddUnique(p.target_groups, TargetGroup::kActivityCompensation);
  if (rng.Bernoulli(age <= 24 ? 0.40 : 0.10))
    AddUnique(p.target_groups, TargetGroup::kNoUpperSecondary);
  if (rng.Bernoulli(0.35))
    AddUnique(p.target_groups, TargetGroup::kFinancialAssistance);
  if (p.target_groups.empty())
    p.target_groups.push_back(TargetGroup::kLongTermUnemployed);
  std::sort(p.target_groups.begin(), p.target_groups.end());

  // Swedish: none, basic, intermediate, good, fluent.
  const bool newly_arrived =
      std::find(p.target_groups.begin(), p.target_groups.end(),
                TargetGroup::kNewlyArrived) != p.target_groups.end();
  static constexpr std::array<double, kSwedishLevelCount> kNewlyArrivedSwedish =
      {0.20, 0.50, 0.25, 0.05, 0.0};
  static constexpr std::array<double, kSwedishLevelCount> kBornAbroadSwedish = {
      0.0, 0.15, 0.30, 0.35, 0.20};
  static constexpr std::array<double, kSwedishLevelCount> kBornHereSwedish = {
      0.0, 0.0, 0.0, 0.05, 0.95};
  p.swedish_level = static_cast<SwedishLevel>(
      rng.Weighted(newly_arrived   ? kNewlyArrivedSwedish
                   : p.born_abroad ? kBornAbroadSwedish
                                   : kBornHereSwedish));

  static constexpr std::array<double, kMaxStep + 1> kStepWeights = {
      0.15, 0.22, 0.25, 0.20, 0.12, 0.06};
  p.step = rng.Weighted(kStepWeights);

  // Travel.
  static constexpr std::array<double, kTravelModeCount> kRuralModes = {
      0.08, 0.12, 0.50, 0.30};
  static constexpr std::array<double, kTravelModeCount> kTownModes = {
      0.06, 0.17, 0.65, 0.12};
  p.travel_mode =
      static_cast<TravelMode>(rng.Weighted(rural ? kRuralModes : kTownModes));
  static constexpr std::array<std::array<int, 2>, kTravelModeCount> kMinutes = {
      {{15, 40}, {15, 45}, {30, 75}, {20, 60}}};
  const auto& [low, high] = kMinutes[static_cast<size_t>(p.travel_mode)];
  p.max_travel_minutes = 5 * rng.UniformInt(low / 5, high / 5);

  static constexpr std::array<std::array<int, 4>, 3> kHours = {
      {{10, 15, 20, 20}, {15, 20, 25, 30}, {20, 25, 30, 40}}};
  p.hours_per_week = kHours[static_cast<size_t>(p.step / 2)]
                           [static_cast<size_t>(rng.UniformInt(0, 3))];

  // Skills cluster in one or two occupation fields.
  const int main_field = rng.UniformInt(0, field_count - 1);
  const int second_field =
      rng.Bernoulli(0.5) ? rng.UniformInt(0, field_count - 1) : -1;
  const int skill_count = rng.UniformInt(1, 3 + p.step / 2 + 2);
  const int taxonomy_size = static_cast<int>(taxonomy.skills().size());
  for (int i = 0; i < skill_count; ++i) {
    int skill;
    if (rng.Bernoulli(0.8)) {
      const int field =
          (second_field >= 0 && rng.Bernoulli(0.4)) ? second_field : main_field;
      const auto& pool = skills_by_field_[field];
      if (pool.empty()) continue;
      skill = pool[static_cast<size_t>(
          rng.UniformInt(0, static_cast<int>(pool.size()) - 1))];
    } else {
      skill = rng.UniformInt(0, taxonomy_size - 1);
    }
    static constexpr std::array<double, 3> kLevelWeights = {0.55, 0.35, 0.10};
    const int level = 1 + rng.Weighted(kLevelWeights);
    const std::string& code = taxonomy.skills()[skill].code;
    if (std::none_of(
            p.skills.begin(), p.skills.end(),
            [&](const SkillLevel& s) { return s.skill_code == code; })) {
      p.skills.push_back({.skill_code = code, .level = level});
    }
  }

  if (rng.Bernoulli(0.85))
    AddUnique(p.wanted_fields, taxonomy.fields()[main_field].code);
  if (second_field >= 0)
    AddUnique(p.wanted_fields, taxonomy.fields()[second_field].code);
  if (rng.Bernoulli(0.2) || p.wanted_fields.empty()) {
    AddUnique(p.wanted_fields,
              taxonomy.fields()[rng.UniformInt(0, field_count - 1)].code);
  }

  // Support needs.
  const bool little_swedish = p.swedish_level <= SwedishLevel::kBasic;
  for (const auto& need : reference_.supports.needs()) {
    double prevalence = kDefaultNeedPrevalence;
    if (need.code == "language_support") {
      prevalence = little_swedish ? kLanguageSupportIfLittleSwedish
                                  : kLanguageSupportOtherwise;
    } else if (auto it = NeedPrevalence().find(need.code);
               it != NeedPrevalence().end()) {
      prevalence = it->second;
    }
    if (!rng.Bernoulli(prevalence)) continue;
    const bool always_hard =
        need.code == "wheelchair_access" || need.code == "sign_language";
    const bool hard =
        need.may_be_hard && (always_hard || rng.Bernoulli(kHardNeedShare));
    p.needs.push_back(
        {.need_code = need.code,
         .strength = hard ? NeedStrength::kHard : NeedStrength::kSoft});
  }

  // Vetoes.
  if (rng.Bernoulli(0.08)) {
    const std::string& field =
        taxonomy.fields()[rng.UniformInt(0, field_count - 1)].code;
    if (std::find(p.wanted_fields.begin(), p.wanted_fields.end(), field) ==
        p.wanted_fields.end()) {
      p.vetoed_fields.push_back(field);
    }
  }
  if (rng.Bernoulli(0.03)) {
    p.vetoed_organisations.push_back(
        organisations_[static_cast<size_t>(
                           rng.UniformInt(0, organisation_count() - 1))]
            .id);
  }

  // Active, paused, placed; generated people have not left the programme.
  static constexpr std::array<double, 3> kStatusWeights = {0.88, 0.07, 0.05};
  p.status = static_cast<ParticipantStatus>(rng.Weighted(kStatusWeights));

  Rng programme_rng = Rng::ForRecord(config_.seed, kProgrammeStream, index);
  p.entry_date = AddDays(config_.reference_date,
                         -programme_rng.UniformInt(0, kEntryWindowDays));
  const auto& programmes = reference_.programmes.all();
  if (!programmes.empty()) {
    p.programme_code =
        programmes[static_cast<size_t>(programme_rng.UniformInt(
                       0, static_cast<int>(programmes.size()) - 1))]
            .code;
  }
  return p;
}

placement::Opening PopulationGenerator::Opening(int index) const {
  Rng rng = Rng::ForRecord(config_.seed, kOpeningStream, index);
  const SkillTaxonomy& taxonomy = reference_.skills;
  const int field_count = static_cast<int>(taxonomy.fields().size());

  placement::Opening o;
  o.id = absl::StrFormat("O%06d", index + 1);
  const Organisation& organisation = organisations_[static_cast<size_t>(
      rng.UniformInt(0, organisation_count() - 1))];
  o.organisation_id = organisation.id;
  o.organisation_name = organisation.name;
  const auto& town = reference_.municipalities.all()[organisation.municipality];
  const bool rural = town.population < kRuralPopulation;
  o.municipality_code = town.code;
  o.location = Scatter(town.centre, rural ? 6.0 : 3.0, rng);

  static constexpr std::array<double, kOpeningKindCount> kKindWeights = {
      0.35, 0.28, 0.12, 0.15, 0.10};
  o.kind = static_cast<OpeningKind>(rng.Weighted(kKindWeights));

  // The step, capacity and supports follow the kind.
  switch (o.kind) {
    case OpeningKind::kEmployerInternship:
      o.step = rng.Bernoulli(0.8) ? 3 : 4;
      o.capacity = 1 + rng.Weighted(std::array<double, 3>{0.6, 0.3, 0.1});
      break;
    case OpeningKind::kWorkTraining:
      o.step = rng.Bernoulli(0.7) ? 2 : 1;
      o.capacity = rng.UniformInt(1, 6);
      break;
    case OpeningKind::kEnhancedWorkTraining:
      o.step = rng.Bernoulli(0.6) ? 3 : 2;
      o.capacity = rng.UniformInt(1, 4);
      break;
    case OpeningKind::kSocialEnterprise:
      o.step = rng.Weighted(std::array<double, 4>{0.10, 0.25, 0.45, 0.20});
      o.capacity = rng.UniformInt(3, 20);
      break;
    case OpeningKind::kSupportedEmployment:
      o.step = rng.Bernoulli(0.8) ? 4 : 5;
      o.capacity = rng.UniformInt(1, 2);
      break;
  }
  int taken = 0;
  for (int place = 0; place < o.capacity; ++place) taken += rng.Bernoulli(0.3);
  o.places_taken = taken;

  const int field = rng.Bernoulli(0.85) ? organisation.field
                                        : rng.UniformInt(0, field_count - 1);
  o.occupation_field = taxonomy.fields()[field].code;
  const auto& pool = skills_by_field_[field];
  const int pool_size = static_cast<int>(pool.size());
  const int essential = std::min(pool_size, rng.UniformInt(1, 3));
  const int optional = std::min(pool_size - essential, rng.UniformInt(0, 4));
  // A partial Fisher–Yates shuffle picks distinct skills of the field.
  std::vector<int> picks(pool.begin(), pool.end());
  for (int i = 0; i < essential + optional; ++i) {
    std::swap(picks[static_cast<size_t>(i)],
              picks[static_cast<size_t>(rng.UniformInt(i, pool_size - 1))]);
    const std::string& code =
        taxonomy.skills()[picks[static_cast<size_t>(i)]].code;
    (i < essential ? o.essential_skills : o.optional_skills).push_back(code);
  }
  o.title = absl::StrCat(
      taxonomy.groups()[taxonomy.skills()[picks[0]].group].label_sv, ", ",
      town.name);

  const bool supportive = o.kind == OpeningKind::kEnhancedWorkTraining ||
                          o.kind == OpeningKind::kSocialEnterprise ||
                          o.kind == OpeningKind::kSupportedEmployment;
  for (const auto& support : reference_.supports.supports()) {
    if (rng.Bernoulli(supportive ? 0.40 : 0.18))
      o.supports.push_back(support.code);
  }

  static constexpr std::array<double, 4> kMinHours = {8, 10, 15, 20};
  o.min_hours_per_week =
      kMinHours[static_cast<size_t>(rng.UniformInt(0, o.step >= 3 ? 3 : 2))];
  o.max_hours_per_week =
      std::min(40.0, o.min_hours_per_week + 5.0 * rng.UniformInt(1, 4));

  if (rng.Bernoulli(0.08)) {
    o.min_age = 16;
    o.max_age = rng.Bernoulli(0.5) ? 24 : 29;
  } else if (o.kind == OpeningKind::kEmployerInternship && rng.Bernoulli(0.3)) {
    o.min_age = 18;
  }
  if (rng.Bernoulli(0.05)) {
    o.target_groups.push_back(
        static_cast<TargetGroup>(rng.UniformInt(0, kTargetGroupCount - 1)));
  }

  static constexpr std::array<double, kSwedishLevelCount> kEmployerSwedish = {
      0.20, 0.30, 0.40, 0.10, 0.0};
  static constexpr std::array<double, kSwedishLevelCount> kShelteredSwedish = {
      0.60, 0.30, 0.10, 0.0, 0.0};
  const bool at_employer = o.kind == OpeningKind::kEmployerInternship ||
                           o.kind == OpeningKind::kSupportedEmployment;
  o.min_swedish = static_cast<SwedishLevel>(
      rng.Weighted(at_employer ? kEmployerSwedish : kShelteredSwedish));

  o.start_date = AddDays(config_.reference_date, rng.UniformInt(-90, 60));
  if (rng.Bernoulli(0.7))
    o.end_date = AddDays(o.start_date, 30 * rng.UniformInt(3, 12));

  static constexpr std::array<double, kOpeningStatusCount> kStatusWeights = {
      0.04, 0.85, 0.05, 0.06};
  o.status = static_cast<OpeningStatus>(rng.Weighted(kStatusWeights));
  return o;
}

absl::Status WritePopulation(const GeneratorConfig& config,
                             const ReferenceData& reference,
                             const std::string& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create '", directory, "': ", error.message()));
  }
  const PopulationGenerator generator(config, reference);

  const std::string participants_path = directory + "/participants.csv";
  std::ofstream participants(participants_path,
                             std::ios::binary | std::ios::trunc);
  ParticipantCsvWriter participant_writer(participants);
  for (int i = 0; i < config.participants; ++i) {
    participant_writer.Write(generator.Participant(i));
  }
  participants.close();
  if (!participants) {
    return absl::UnavailableError(
        absl::StrCat("writing '", participants_path, "' failed"));
  }

  const std::string openings_path = directory + "/openings.csv";
  std::ofstream openings(openings_path, std::ios::binary | std::ios::trunc);
  OpeningCsvWriter opening_writer(openings);
  for (int i = 0; i < config.openings; ++i) {
    opening_writer.Write(generator.Opening(i));
  }
  openings.close();
  if (!openings) {
    return absl::UnavailableError(
        absl::StrCat("writing '", openings_path, "' failed"));
  }
  return absl::OkStatus();
}

}  // namespace placement
