#include "engine/scoring.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "engine/csv.h"
#include "engine/geo.h"
#include "engine/internal/skills.h"
#include "engine/opening_rules.h"
#include "engine/row_reader.h"

namespace placement {
namespace {

constexpr std::array<absl::string_view, kHardRuleCount> kHardRuleSlugs = {
    "opening_not_open",  "no_free_place",         "participant_not_active",
    "age_outside_range", "target_group_mismatch", "hard_need_unmet",
    "travel_too_long",   "hours_too_few",         "employer_vetoed",
    "field_vetoed",      "swedish_too_low"};
constexpr std::array<absl::string_view, kComponentCount> kComponentSlugs = {
    "skills", "support", "travel", "step", "preference"};

// Plain-language words, Swedish and English.
struct Words {
  absl::string_view sv;
  absl::string_view en;
};
constexpr std::array<Words, kTravelModeCount> kModeWords = {{
    {"till fots", "on foot"},
    {"med cykel", "by bike"},
    {"med kollektivtrafik", "by public transport"},
    {"med bil", "by car"},
}};
constexpr std::array<Words, kMaxStep + 1> kStepNames = {{
    {"mötesplats", "meeting place"},
    {"aktiviteter", "activities"},
    {"arbetsträning", "work training"},
    {"praktik eller förstärkt arbetsträning",
     "internship or enhanced work training"},
    {"anställning med stöd", "supported employment"},
    {"arbete eller studier", "regular work or studies"},
}};
constexpr std::array<Words, kSwedishLevelCount> kSwedishWords = {{
    {"ingen", "no"},
    {"grundläggande", "basic"},
    {"medelgod", "intermediate"},
    {"god", "good"},
    {"flytande", "fluent"},
}};
constexpr std::array<Words, kTargetGroupCount> kTargetGroupWords = {{
    {"långtidsarbetslösa", "long-term unemployed"},
    {"personer utanför arbetsmarknaden", "people outside the labour market"},
    {"personer med funktionsnedsättning", "people with a disability"},
    {"personer som återgår efter sjukskrivning",
     "people returning from sick leave"},
    {"unga med aktivitetsersättning", "young people on activity compensation"},
    {"unga utan fullföljd gymnasieskola",
     "young people without upper-secondary school"},
    {"nyanlända", "newly arrived"},
    {"hushåll med ekonomiskt bistånd", "households on financial assistance"},
}};
constexpr std::array<Words, kOpeningStatusCount> kOpeningStatusWords = {{
    {"ett utkast", "a draft"},
    {"öppen", "open"},
    {"pausad", "paused"},
    {"stängd", "closed"},
}};
constexpr std::array<Words, kParticipantStatusCount> kParticipantStatusWords = {
    {
        {"aktiv", "active"},
        {"pausad", "paused"},
        {"placerad", "placed"},
        {"har lämnat programmet", "left the programme"},
    }};

template <typename Enum, size_t N>
const Words& WordsFor(const std::array<Words, N>& table, Enum value) {
  return table[static_cast<size_t>(value)];
}

// "Quiet workplace" -> "quiet workplace"; labels starting with a non-ASCII
// letter (Å, Ä, Ö) are left as they are.
std::string LowerFirst(absl::string_view text) {
  std::string out(text);
  if (!out.empty())
    out[0] = absl::ascii_tolower(static_cast<unsigned char>(out[0]));
  return out;
}

// Minutes as a person would say them: exact below 10, else to 5 minutes.
int RoundMinutes(double minutes) {
  if (minutes < 10) return std::max(1, static_cast<int>(std::lround(minutes)));
  return 5 * static_cast<int>(std::lround(minutes / 5));
}

std::string FormatKm(double km, bool swedish) {
  std::string text =
      km < 10 ? absl::StrFormat("%.1f", km) : absl::StrFormat("%.0f", km);
  if (swedish) absl::StrReplaceAll({{".", ","}}, &text);
  return text;
}

std::string FormatHours(double hours) {
  return hours == std::floor(hours) ? absl::StrFormat("%.0f", hours)
                                    : absl::StrFormat("%.1f", hours);
}

bool Contains(const std::vector<std::string>& items, absl::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// The participant's skills and their groups, as the kernel's bitsets.
struct SkillProfile {
  std::vector<uint64_t> skills;
  std::vector<uint64_t> groups;
};

SkillProfile ProfileOf(const Participant& participant,
                       const SkillTaxonomy& taxonomy) {
  SkillProfile profile;
  profile.skills.assign(internal::SkillWords(taxonomy.skills().size()), 0);
  profile.groups.assign(internal::SkillWords(taxonomy.groups().size()), 0);
  internal::AddSkillBits(participant.skills, taxonomy, profile.skills.data(),
                         profile.groups.data());
  return profile;
}

// Credit for one skill the opening asks for (internal::SkillCredit).
double SkillCredit(absl::string_view code, const SkillProfile& profile,
                   const SkillTaxonomy& taxonomy) {
  const std::optional<int> index = taxonomy.FindSkill(code);
  return internal::SkillCredit(index ? *index : -1,
                               index ? taxonomy.skills()[*index].group : -1,
                               profile.skills.data(), profile.groups.data());
}

Words SkillLabel(absl::string_view code, const SkillTaxonomy& taxonomy) {
  if (std::optional<int> index = taxonomy.FindSkill(code)) {
    const auto& skill = taxonomy.skills()[*index];
    return {skill.label_sv, skill.label_en};
  }
  return {code, code};
}

Words FieldLabel(absl::string_view code, const SkillTaxonomy& taxonomy) {
  if (std::optional<int> index = taxonomy.FindField(code)) {
    const auto& field = taxonomy.fields()[*index];
    return {field.label_sv, field.label_en};
  }
  return {code, code};
}

// The first support of the opening that meets `need`, or -1.
int SupportMeeting(const SupportCatalogue::Need& need, const Opening& opening,
                   const SupportCatalogue& catalogue) {
  for (int support : need.met_by) {
    if (Contains(opening.supports, catalogue.supports()[support].code))
      return support;
  }
  return -1;
}

void AddReason(Explanation& e, Component component, std::string sv,
               std::string en, bool mentions_support_needs = false) {
  e.reasons.push_back(Reason{.component = component,
                             .sv = std::move(sv),
                             .en = std::move(en),
                             .mentions_support_needs = mentions_support_needs});
}

void AddRule(Explanation& e, HardRule rule, std::string sv, std::string en,
             bool mentions_support_needs = false) {
  e.excluded_by |= RuleBit(rule);
  e.rules.push_back(
      RuleExplanation{.rule = rule,
                      .sv = std::move(sv),
                      .en = std::move(en),
                      .mentions_support_needs = mentions_support_needs});
}

double SkillsComponent(const Participant& participant, const Opening& opening,
                       const SkillTaxonomy& taxonomy, Explanation& e) {
  const SkillProfile profile = ProfileOf(participant, taxonomy);
  if (opening.essential_skills.empty() && opening.optional_skills.empty()) {
    AddReason(e, Component::kSkills, "kräver inga särskilda kompetenser",
              "asks for no particular skills");
    return 1;
  }
  // Essential skills first, then optional: the kernel's order.
  std::vector<double> credits;
  for (const auto* list :
       {&opening.essential_skills, &opening.optional_skills}) {
    for (const std::string& code : *list)
      credits.push_back(SkillCredit(code, profile, taxonomy));
  }
  const size_t n = opening.essential_skills.size();
  if (n > 0) {
    int exact = 0;
    int related = 0;
    std::vector<std::string> missing_sv;
    std::vector<std::string> missing_en;
    for (size_t i = 0; i < n; ++i) {
      if (credits[i] == 1) {
        ++exact;
      } else if (credits[i] > 0) {
        ++related;
      } else {
        const Words label = SkillLabel(opening.essential_skills[i], taxonomy);
        missing_sv.emplace_back(label.sv);
        missing_en.emplace_back(label.en);
      }
    }
    std::string sv =
        absl::StrCat("täcker ", exact, " av ", n, " nödvändiga kompetenser");
    std::string en =
        absl::StrCat("covers ", exact, " of ", n, " essential skills");
    if (related > 0) {
      absl::StrAppend(&sv, " (och ", related, " närliggande)");
      absl::StrAppend(&en, " (and ", related, " related)");
    }
    if (!missing_en.empty()) {
      absl::StrAppend(&sv, "; saknas: ", absl::StrJoin(missing_sv, ", "));
      absl::StrAppend(&en, "; missing: ", absl::StrJoin(missing_en, ", "));
    }
    AddReason(e, Component::kSkills, std::move(sv), std::move(en));
  }
  if (!opening.optional_skills.empty()) {
    const int exact = static_cast<int>(std::count(
        credits.begin() + static_cast<ptrdiff_t>(n), credits.end(), 1.0));
    AddReason(
        e, Component::kSkills,
        absl::StrCat("har ", exact, " av ", opening.optional_skills.size(),
                     " meriterande kompetenser"),
        absl::StrCat("has ", exact, " of ", opening.optional_skills.size(),
                     " optional skills"));
  }
  return internal::SkillsScore(
      static_cast<int>(n), static_cast<int>(opening.optional_skills.size()),
      [&](int i) { return credits[static_cast<size_t>(i)]; });
}

double SupportComponent(const Participant& participant, const Opening& opening,
                        const SupportCatalogue& catalogue, Explanation& e) {
  int soft = 0;
  int met = 0;
  for (const SupportNeed& need : participant.needs) {
    if (need.strength != NeedStrength::kSoft) continue;
    ++soft;
    std::optional<int> index = catalogue.FindNeed(need.need_code);
    if (!index) {
      AddReason(e, Component::kSupport,
                absl::StrCat("okänt stödbehov: ", need.need_code),
                absl::StrCat("unknown support need: ", need.need_code), true);
      continue;
    }
    const auto& entry = catalogue.needs()[*index];
    const int support = SupportMeeting(entry, opening, catalogue);
    if (support >= 0) {
      ++met;
      const auto& label = catalogue.supports()[support];
      AddReason(e, Component::kSupport,
                absl::StrCat("erbjuder ", LowerFirst(label.label_sv)),
                absl::StrCat("offers ", LowerFirst(label.label_en)), true);
    } else {
      const auto& label = catalogue.supports()[entry.met_by.front()];
      AddReason(e, Component::kSupport,
                absl::StrCat("erbjuder inte ", LowerFirst(label.label_sv)),
                absl::StrCat("does not offer ", LowerFirst(label.label_en)),
                true);
    }
  }
  if (soft == 0) {
    AddReason(e, Component::kSupport, "inga stödbehov att möta",
              "no support needs to meet", true);
    return 1;
  }
  return static_cast<double>(met) / soft;
}

double StepComponent(const Participant& participant, const Opening& opening,
                     Explanation& e) {
  const int from = std::clamp(participant.step, kMinStep, kMaxStep);
  const int to = std::clamp(opening.step, kMinStep, kMaxStep);
  const int delta = to - from;
  const std::string sv_path =
      absl::StrCat("från ", kStepNames[from].sv, " till ", kStepNames[to].sv);
  const std::string en_path =
      absl::StrCat("from ", kStepNames[from].en, " to ", kStepNames[to].en);
  if (delta == 1) {
    AddReason(e, Component::kStep, absl::StrCat("nästa steg: ", sv_path),
              absl::StrCat("the next step: ", en_path));
  } else if (delta == 0) {
    AddReason(e, Component::kStep,
              absl::StrCat("samma steg som nu: ", kStepNames[from].sv),
              absl::StrCat("the same step as now: ", kStepNames[from].en));
  } else if (delta < 0) {
    AddReason(
        e, Component::kStep, absl::StrCat(-delta, " steg tillbaka: ", sv_path),
        absl::StrCat(-delta,
                     delta == -1 ? " step back: " : " steps back: ", en_path));
  } else {
    AddReason(
        e, Component::kStep,
        absl::StrCat(delta, " steg framåt: ", sv_path,
                     delta == 2 ? " (ett stort kliv)" : " (för stort kliv)"),
        absl::StrCat(delta, " steps ahead: ", en_path,
                     delta == 2 ? " (a big jump)" : " (too big a jump)"));
  }
  return StepScore(participant.step, opening.step);
}

double PreferenceComponent(const Participant& participant,
                           const Opening& opening,
                           const SkillTaxonomy& taxonomy, Explanation& e) {
  const Words field = FieldLabel(opening.occupation_field, taxonomy);
  if (participant.wanted_fields.empty()) {
    AddReason(e, Component::kPreference, "inga önskade yrkesområden angivna",
              "no wanted occupation fields named");
    return kNoPreferenceScore;
  }
  if (Contains(participant.wanted_fields, opening.occupation_field)) {
    AddReason(e, Component::kPreference,
              absl::StrCat("inom ett önskat område: ", field.sv),
              absl::StrCat("in a wanted field: ", field.en));
    return 1;
  }
  AddReason(e, Component::kPreference,
            absl::StrCat(field.sv, " finns inte bland de önskade områdena"),
            absl::StrCat(field.en, " is not among the wanted fields"));
  return 0;
}

void CheckHardRules(const Participant& participant, const Opening& opening,
                    const ReferenceData& reference,
                    const ScoringContext& context, Explanation& e) {
  // The rule is AcceptsPlacement's; here each failing fact gets its words.
  const OpeningAvailability availability =
      AvailabilityOn(opening, context.today);
  if (!availability.open) {
    const Words& status = WordsFor(kOpeningStatusWords, opening.status);
    AddRule(e, HardRule::kOpeningNotOpen,
            absl::StrCat("platsen är ", status.sv),
            absl::StrCat("the opening is ", status.en));
  } else if (availability.ended) {
    AddRule(
        e, HardRule::kOpeningNotOpen,
        absl::StrCat("platsen upphörde ", FormatDate(*opening.end_date)),
        absl::StrCat("the opening ended on ", FormatDate(*opening.end_date)));
  }
  if (context.require_free_place && !availability.free_place) {
    AddRule(e, HardRule::kNoFreePlace,
            absl::StrCat(
                "ingen ledig plats (", opening.places_taken, " av ",
                opening.capacity, " tagna",
                opening.places_held > 0
                    ? absl::StrCat(", ", opening.places_held, " reserverade")
                    : std::string(),
                ")"),
            absl::StrCat("no free place (", opening.places_taken, " of ",
                         opening.capacity, " taken",
                         opening.places_held > 0
                             ? absl::StrCat(", ", opening.places_held, " held")
                             : std::string(),
                         ")"));
  }
  if (participant.status != ParticipantStatus::kActive) {
    const Words& status = WordsFor(kParticipantStatusWords, participant.status);
    AddRule(e, HardRule::kParticipantNotActive,
            absl::StrCat("deltagaren är ", status.sv),
            absl::StrCat("the participant is ", status.en));
  }
  const int age = context.today.year - participant.birth_year;
  if ((opening.min_age > 0 && age < opening.min_age) ||
      (opening.max_age > 0 && age > opening.max_age)) {
    const std::string range =
        opening.max_age > 0
            ? absl::StrCat(opening.min_age, "–", opening.max_age)
            : absl::StrCat(opening.min_age, "+");
    AddRule(e, HardRule::kAgeOutsideRange,
            absl::StrCat("åldern ", age, " ligger utanför ", range, " år"),
            absl::StrCat("age ", age, " is outside ", range, " years"));
  }
  if (!opening.target_groups.empty() &&
      std::none_of(opening.target_groups.begin(), opening.target_groups.end(),
                   [&](TargetGroup g) {
                     return std::find(participant.target_groups.begin(),
                                      participant.target_groups.end(),
                                      g) != participant.target_groups.end();
                   })) {
    std::vector<std::string> sv;
    std::vector<std::string> en;
    for (TargetGroup g : opening.target_groups) {
      sv.emplace_back(WordsFor(kTargetGroupWords, g).sv);
      en.emplace_back(WordsFor(kTargetGroupWords, g).en);
    }
    AddRule(e, HardRule::kTargetGroupMismatch,
            absl::StrCat("endast för: ", absl::StrJoin(sv, ", ")),
            absl::StrCat("open only to: ", absl::StrJoin(en, ", ")));
  }
  {
    std::vector<std::string> sv;
    std::vector<std::string> en;
    const SupportCatalogue& catalogue = reference.supports;
    for (const SupportNeed& need : participant.needs) {
      if (need.strength != NeedStrength::kHard) continue;
      std::optional<int> index = catalogue.FindNeed(need.need_code);
      if (!index) {
        sv.push_back(need.need_code);
        en.push_back(need.need_code);
        continue;
      }
      const auto& entry = catalogue.needs()[*index];
      if (SupportMeeting(entry, opening, catalogue) < 0) {
        const auto& label = catalogue.supports()[entry.met_by.front()];
        sv.push_back(LowerFirst(label.label_sv));
        en.push_back(LowerFirst(label.label_en));
      }
    }
    if (!en.empty()) {
      AddRule(e, HardRule::kHardNeedUnmet,
              absl::StrCat("erbjuder inte ", absl::StrJoin(sv, ", "),
                           " (ett absolut behov)"),
              absl::StrCat("does not offer ", absl::StrJoin(en, ", "),
                           " (a hard need)"),
              true);
    }
  }
  const int limit =
      context.max_travel_minutes > 0
          ? std::min(context.max_travel_minutes, participant.max_travel_minutes)
          : participant.max_travel_minutes;
  if (e.travel.minutes > limit) {
    const Words& mode = WordsFor(kModeWords, participant.travel_mode);
    AddRule(e, HardRule::kTravelTooLong,
            absl::StrCat("cirka ", RoundMinutes(e.travel.minutes), " min ",
                         mode.sv, ", över gränsen ", limit, " min"),
            absl::StrCat("about ", RoundMinutes(e.travel.minutes), " min ",
                         mode.en, ", over the limit of ", limit, " min"));
  }
  if (opening.min_hours_per_week > participant.hours_per_week) {
    AddRule(
        e, HardRule::kHoursTooFew,
        absl::StrCat("kräver minst ", FormatHours(opening.min_hours_per_week),
                     " tim/vecka; deltagaren kan ",
                     FormatHours(participant.hours_per_week)),
        absl::StrCat("needs at least ", FormatHours(opening.min_hours_per_week),
                     " h/week; the participant can do ",
                     FormatHours(participant.hours_per_week)));
  }
  if (Contains(participant.vetoed_organisations, opening.organisation_id)) {
    AddRule(e, HardRule::kEmployerVetoed,
            "deltagaren har avböjt denna arbetsgivare",
            "the participant declined this employer");
  }
  if (Contains(participant.vetoed_fields, opening.occupation_field)) {
    const Words field = FieldLabel(opening.occupation_field, reference.skills);
    AddRule(e, HardRule::kFieldVetoed,
            absl::StrCat("deltagaren har avböjt området ", field.sv),
            absl::StrCat("the participant declined the field ", field.en));
  }
  if (participant.swedish_level < opening.min_swedish) {
    AddRule(
        e, HardRule::kSwedishTooLow,
        absl::StrCat("kräver ", WordsFor(kSwedishWords, opening.min_swedish).sv,
                     " svenska; deltagaren har ",
                     WordsFor(kSwedishWords, participant.swedish_level).sv),
        absl::StrCat("needs ", WordsFor(kSwedishWords, opening.min_swedish).en,
                     " Swedish; the participant has ",
                     WordsFor(kSwedishWords, participant.swedish_level).en));
  }
}

absl::Status CheckWeight(absl::string_view component, double weight) {
  if (!(weight >= 0 && weight <= ScoringProfile::kMaxWeight)) {
    return absl::InvalidArgumentError(
        absl::StrCat("weight of '", component, "': ", weight,
                     " is outside 0 to ", ScoringProfile::kMaxWeight));
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view HardRuleSlug(HardRule rule) {
  return kHardRuleSlugs[static_cast<size_t>(rule)];
}

absl::string_view ComponentSlug(Component component) {
  return kComponentSlugs[static_cast<size_t>(component)];
}

absl::StatusOr<Component> ParseComponent(absl::string_view slug) {
  for (int i = 0; i < kComponentCount; ++i) {
    if (kComponentSlugs[i] == slug) return static_cast<Component>(i);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown score component '", slug, "'; expected one of ",
                   absl::StrJoin(kComponentSlugs, ", ")));
}

TravelEstimate EstimateTravel(const GeoPoint& from, const GeoPoint& to,
                              TravelMode mode) {
  const double km = GreatCircleKm(from, to);
  return TravelEstimate{
      .distance_km = km, .minutes = TravelMinutes(km, mode), .mode = mode};
}

double TravelScore(double minutes) {
  return std::exp(-minutes / kTravelDecayMinutes);
}

double StepScore(int participant_step, int opening_step) {
  const int delta = opening_step - participant_step;
  if (delta == 1) return 1.0;
  if (delta == 0) return 0.7;
  if (delta == -1) return 0.3;
  if (delta == 2) return 0.2;
  if (delta <= -2) return 0.1;
  return 0.0;  // three or more steps ahead
}

ScoringProfile ScoringProfile::Default() {
  ScoringProfile profile;
  profile.name_ = "default";
  profile.weights_ = {0.30, 0.15, 0.20, 0.15, 0.20};
  return profile;
}

absl::StatusOr<ScoringProfile> ScoringProfile::FromWeights(
    std::string name, const ComponentValues& weights) {
  double sum = 0;
  for (int i = 0; i < kComponentCount; ++i) {
    if (absl::Status s = CheckWeight(kComponentSlugs[i], weights[i]); !s.ok())
      return s;
    sum += weights[i];
  }
  if (sum <= 0) {
    return absl::InvalidArgumentError(
        "weights: all five are zero; at least one must be > 0");
  }
  ScoringProfile profile;
  profile.name_ = std::move(name);
  for (int i = 0; i < kComponentCount; ++i)
    profile.weights_[i] = weights[i] / sum;
  return profile;
}

absl::StatusOr<ScoringProfile> ScoringProfile::Load(const std::string& path) {
  absl::StatusOr<CsvReader> reader = CsvReader::OpenFile(path);
  if (!reader.ok()) return reader.status();
  absl::StatusOr<CsvTable> table =
      CsvTable::Open(std::move(*reader), {"component", "weight"}, {});
  if (!table.ok()) return table.status();
  RowReader row(*table);
  ComponentValues weights{};
  std::array<bool, kComponentCount> seen{};
  while (true) {
    absl::StatusOr<bool> got = table->Next();
    if (!got.ok()) return got.status();
    if (!*got) break;
    row.StartRow();
    const Component component =
        row.Parse<Component>("component", ParseComponent);
    const double weight = row.Double("weight", -1e300, 1e300);
    if (row.ok() && seen[static_cast<size_t>(component)]) {
      row.Fail("component", table->Get("component"), "listed twice");
    }
    if (row.ok()) {
      if (absl::Status s = CheckWeight(ComponentSlug(component), weight);
          !s.ok()) {
        row.Fail("weight", table->Get("weight"), s.message());
      }
    }
    if (!row.ok()) return row.errors().front().ToStatus();
    seen[static_cast<size_t>(component)] = true;
    weights[static_cast<size_t>(component)] = weight;
  }
  for (int i = 0; i < kComponentCount; ++i) {
    if (!seen[i]) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": no row for component '", kComponentSlugs[i], "'"));
    }
  }
  std::string name = path.substr(path.find_last_of('/') + 1);
  name = name.substr(0, name.rfind('.'));
  absl::StatusOr<ScoringProfile> profile =
      FromWeights(std::move(name), weights);
  if (!profile.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", profile.status().message()));
  }
  return profile;
}

absl::StatusOr<ScoringProfile> ScoringProfile::WithOverrides(
    const std::array<std::optional<double>, kComponentCount>& overrides) const {
  ComponentValues weights = weights_;
  for (int i = 0; i < kComponentCount; ++i) {
    if (!overrides[i]) continue;
    if (absl::Status s = CheckWeight(kComponentSlugs[i], *overrides[i]);
        !s.ok())
      return s;
    weights[i] = *overrides[i];
  }
  return FromWeights(name_, weights);
}

Explanation ExplainPair(const Participant& participant, const Opening& opening,
                        const ReferenceData& reference,
                        const ScoringContext& context) {
  Explanation e;
  e.participant_id = participant.id;
  e.opening_id = opening.id;
  e.weights = context.profile.weights();
  e.travel = EstimateTravel(participant.home, opening.location,
                            participant.travel_mode);

  CheckHardRules(participant, opening, reference, context, e);
  e.eligible = e.excluded_by == 0;

  auto& c = e.components;
  c[static_cast<int>(Component::kSkills)] =
      SkillsComponent(participant, opening, reference.skills, e);
  c[static_cast<int>(Component::kSupport)] =
      SupportComponent(participant, opening, reference.supports, e);
  c[static_cast<int>(Component::kTravel)] = TravelScore(e.travel.minutes);
  const Words& mode = WordsFor(kModeWords, participant.travel_mode);
  AddReason(e, Component::kTravel,
            absl::StrCat("cirka ", RoundMinutes(e.travel.minutes), " min ",
                         mode.sv, " (", FormatKm(e.travel.distance_km, true),
                         " km fågelvägen)"),
            absl::StrCat("about ", RoundMinutes(e.travel.minutes), " min ",
                         mode.en, " (", FormatKm(e.travel.distance_km, false),
                         " km as the crow flies)"));
  c[static_cast<int>(Component::kStep)] =
      StepComponent(participant, opening, e);
  c[static_cast<int>(Component::kPreference)] =
      PreferenceComponent(participant, opening, reference.skills, e);

  e.total = 0;
  for (int i = 0; i < kComponentCount; ++i) {
    e.contributions[i] = e.weights[i] * c[i];
    e.total += e.contributions[i];
  }
  return e;
}

ReasonEffect EffectOf(const Explanation& explanation, const Reason& reason) {
  const double value =
      explanation.components[static_cast<int>(reason.component)];
  if (value >= 0.7) return ReasonEffect::kPositive;
  if (value <= 0.3) return ReasonEffect::kNegative;
  return ReasonEffect::kNeutral;
}

double Influence(const Explanation& explanation, Component component) {
  const int c = static_cast<int>(component);
  return explanation.weights[c] * std::abs(explanation.components[c] - 0.5);
}

std::vector<const Reason*> ReasonsForEmployer(const Explanation& explanation,
                                              size_t limit) {
  std::vector<const Reason*> reasons;
  for (const Reason& reason : explanation.reasons) {
    if (reason.component != Component::kSupport &&
        !reason.mentions_support_needs) {
      reasons.push_back(&reason);
    }
  }
  std::stable_sort(reasons.begin(), reasons.end(),
                   [&](const Reason* a, const Reason* b) {
                     return Influence(explanation, a->component) >
                            Influence(explanation, b->component);
                   });
  if (reasons.size() > limit) reasons.resize(limit);
  return reasons;
}

}  // namespace placement
