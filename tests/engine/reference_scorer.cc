#include "tests/engine/reference_scorer.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>

#include "engine/geo.h"

namespace placement::testing {
namespace {

constexpr int kMaxK = 1000;

template <typename T>
bool Contains(const std::vector<T>& items, const T& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// The taxonomy group of a skill code; nullopt when the code is unknown.
std::optional<int> GroupOfSkill(const std::string& code,
                                const SkillTaxonomy& taxonomy) {
  const std::optional<int> skill = taxonomy.FindSkill(code);
  if (!skill.has_value()) return std::nullopt;
  return taxonomy.skills()[static_cast<size_t>(*skill)].group;
}

// Credit for one skill the opening asks for: 1 when the participant has it,
// kRelatedSkillCredit for another skill of the same group, else 0. Codes
// unknown to the taxonomy earn nothing.
double SkillCredit(const std::string& wanted, const Participant& participant,
                   const SkillTaxonomy& taxonomy) {
  const std::optional<int> wanted_group = GroupOfSkill(wanted, taxonomy);
  if (!wanted_group.has_value()) return 0.0;
  for (const SkillLevel& had : participant.skills) {
    if (had.skill_code == wanted) return 1.0;
  }
  for (const SkillLevel& had : participant.skills) {
    const std::optional<int> group = GroupOfSkill(had.skill_code, taxonomy);
    if (group.has_value() && *group == *wanted_group)
      return kRelatedSkillCredit;
  }
  return 0.0;
}

double MeanCredit(const std::vector<std::string>& wanted,
                  const Participant& participant,
                  const SkillTaxonomy& taxonomy) {
  double sum = 0;
  for (const std::string& code : wanted)
    sum += SkillCredit(code, participant, taxonomy);
  return sum / static_cast<double>(wanted.size());
}

double SkillsValue(const Participant& participant, const Opening& opening,
                   const SkillTaxonomy& taxonomy) {
  const bool has_essential = !opening.essential_skills.empty();
  const bool has_optional = !opening.optional_skills.empty();
  if (!has_essential && !has_optional) return 1.0;
  if (has_essential && !has_optional) {
    return MeanCredit(opening.essential_skills, participant, taxonomy);
  }
  if (!has_essential && has_optional) {
    return MeanCredit(opening.optional_skills, participant, taxonomy);
  }
  return kEssentialShare *
             MeanCredit(opening.essential_skills, participant, taxonomy) +
         (1.0 - kEssentialShare) *
             MeanCredit(opening.optional_skills, participant, taxonomy);
}

// True when one of the opening's supports is in the need's met_by column.
bool NeedMet(const std::string& need_code, const Opening& opening,
             const SupportCatalogue& catalogue) {
  for (const SupportCatalogue::Need& need : catalogue.needs()) {
    if (need.code != need_code) continue;
    for (int support : need.met_by) {
      if (Contains(opening.supports,
                   catalogue.supports()[static_cast<size_t>(support)].code)) {
        return true;
      }
    }
    return false;
  }
  return false;  // unknown need: nothing meets it
}

double SupportValue(const Participant& participant, const Opening& opening,
                    const SupportCatalogue& catalogue) {
  int soft = 0;
  int met = 0;
  for (const SupportNeed& need : participant.needs) {
    if (need.strength != NeedStrength::kSoft) continue;
    ++soft;
    if (NeedMet(need.need_code, opening, catalogue)) ++met;
  }
  if (soft == 0) return 1.0;
  return static_cast<double>(met) / static_cast<double>(soft);
}

double PreferenceValue(const Participant& participant, const Opening& opening) {
  if (Contains(participant.wanted_fields, opening.occupation_field)) return 1.0;
  if (participant.wanted_fields.empty()) return kNoPreferenceScore;
  return 0.0;
}

bool AnyTargetGroupShared(const Participant& participant,
                          const Opening& opening) {
  for (TargetGroup group : opening.target_groups) {
    if (Contains(participant.target_groups, group)) return true;
  }
  return false;
}

int TravelLimit(const Participant& participant, const ScoringContext& context) {
  if (context.max_travel_minutes > 0) {
    return std::min(participant.max_travel_minutes, context.max_travel_minutes);
  }
  return participant.max_travel_minutes;
}

bool ByTotalThenId(const ReferenceMatch& a, const ReferenceMatch& b) {
  if (a.total != b.total) return a.total > b.total;
  return a.id < b.id;
}

void SortAndTruncate(std::vector<ReferenceMatch>& matches, int k) {
  std::sort(matches.begin(), matches.end(), ByTotalThenId);
  const size_t keep = static_cast<size_t>(std::clamp(k, 0, kMaxK));
  if (matches.size() > keep) matches.resize(keep);
}

}  // namespace

double ReferenceTravelMinutes(const GeoPoint& from, const GeoPoint& to,
                              TravelMode mode) {
  const TravelModeModel& model = kTravelModels[static_cast<size_t>(mode)];
  const double km = GreatCircleKm(from, to);
  return km * kDetourFactor / model.speed_kmh * 60.0 + model.fixed_minutes;
}

double ReferenceStepScore(int participant_step, int opening_step) {
  const int ahead = opening_step - participant_step;
  if (ahead == 1) return 1.0;
  if (ahead == 0) return 0.7;
  if (ahead == -1) return 0.3;
  if (ahead == 2) return 0.2;
  if (ahead <= -2) return 0.1;
  return 0.0;  // three or more ahead
}

int ReferenceAge(const Participant& participant, const Date& today) {
  return today.year - participant.birth_year;
}

ReferenceScore ReferenceScorePair(const Participant& participant,
                                  const Opening& opening,
                                  const ReferenceData& reference,
                                  const ScoringContext& context) {
  ReferenceScore score;
  score.travel_km = GreatCircleKm(participant.home, opening.location);
  score.travel_minutes = ReferenceTravelMinutes(
      participant.home, opening.location, participant.travel_mode);

  auto exclude_when = [&score](bool holds, HardRule rule) {
    if (holds) score.excluded_by |= RuleBit(rule);
  };
  exclude_when(
      opening.status != OpeningStatus::kOpen ||
          (opening.end_date.has_value() && *opening.end_date < context.today),
      HardRule::kOpeningNotOpen);
  exclude_when(
      context.require_free_place && opening.places_taken >= opening.capacity,
      HardRule::kNoFreePlace);
  exclude_when(participant.status != ParticipantStatus::kActive,
               HardRule::kParticipantNotActive);
  const int age = ReferenceAge(participant, context.today);
  exclude_when((opening.min_age > 0 && age < opening.min_age) ||
                   (opening.max_age > 0 && age > opening.max_age),
               HardRule::kAgeOutsideRange);
  exclude_when(!opening.target_groups.empty() &&
                   !AnyTargetGroupShared(participant, opening),
               HardRule::kTargetGroupMismatch);
  bool hard_need_unmet = false;
  for (const SupportNeed& need : participant.needs) {
    if (need.strength == NeedStrength::kHard &&
        !NeedMet(need.need_code, opening, reference.supports)) {
      hard_need_unmet = true;
    }
  }
  exclude_when(hard_need_unmet, HardRule::kHardNeedUnmet);
  exclude_when(score.travel_minutes >
                   static_cast<double>(TravelLimit(participant, context)),
               HardRule::kTravelTooLong);
  exclude_when(opening.min_hours_per_week > participant.hours_per_week,
               HardRule::kHoursTooFew);
  exclude_when(
      Contains(participant.vetoed_organisations, opening.organisation_id),
      HardRule::kEmployerVetoed);
  exclude_when(Contains(participant.vetoed_fields, opening.occupation_field),
               HardRule::kFieldVetoed);
  exclude_when(participant.swedish_level < opening.min_swedish,
               HardRule::kSwedishTooLow);
  score.eligible = score.excluded_by == 0;

  auto set = [&score](Component component, double value) {
    score.components[static_cast<size_t>(component)] = value;
  };
  set(Component::kSkills, SkillsValue(participant, opening, reference.skills));
  set(Component::kSupport,
      SupportValue(participant, opening, reference.supports));
  set(Component::kTravel,
      std::exp(-score.travel_minutes / kTravelDecayMinutes));
  set(Component::kStep, ReferenceStepScore(participant.step, opening.step));
  set(Component::kPreference, PreferenceValue(participant, opening));

  for (int c = 0; c < kComponentCount; ++c) {
    score.total += context.profile.weights()[static_cast<size_t>(c)] *
                   score.components[static_cast<size_t>(c)];
  }
  return score;
}

std::vector<ReferenceMatch> ReferenceTopOpenings(
    const std::vector<Opening>& openings, const Participant& participant,
    const ReferenceData& reference, const TopKQuery& query) {
  std::vector<ReferenceMatch> matches;
  for (const Opening& opening : openings) {
    if (!query.kinds.empty() && !Contains(query.kinds, opening.kind)) continue;
    if (!query.municipalities.empty() &&
        !Contains(query.municipalities, opening.municipality_code)) {
      continue;
    }
    const ReferenceScore score =
        ReferenceScorePair(participant, opening, reference, query.context);
    if (score.eligible) matches.push_back({opening.id, score.total});
  }
  SortAndTruncate(matches, query.k);
  return matches;
}

ReferenceCounts ReferenceOpeningCounts(const std::vector<Opening>& openings,
                                       const Participant& participant,
                                       const ReferenceData& reference,
                                       const TopKQuery& query) {
  ReferenceCounts counts;
  for (const Opening& opening : openings) {
    if (!query.kinds.empty() && !Contains(query.kinds, opening.kind)) continue;
    if (!query.municipalities.empty() &&
        !Contains(query.municipalities, opening.municipality_code)) {
      continue;
    }
    ++counts.considered;
    counts.eligible +=
        ReferenceScorePair(participant, opening, reference, query.context)
            .eligible;
  }
  return counts;
}

std::vector<ReferenceMatch> ReferenceTopParticipants(
    const std::vector<Participant>& participants, const Opening& opening,
    const ReferenceData& reference, const TopKQuery& query) {
  std::vector<ReferenceMatch> matches;
  for (const Participant& participant : participants) {
    if (!query.municipalities.empty() &&
        !Contains(query.municipalities, participant.municipality_code)) {
      continue;
    }
    const ReferenceScore score =
        ReferenceScorePair(participant, opening, reference, query.context);
    if (score.eligible) matches.push_back({participant.id, score.total});
  }
  SortAndTruncate(matches, query.k);
  return matches;
}

}  // namespace placement::testing
