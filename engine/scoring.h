// What a match score means: the hard rules that exclude a pair, the five
// components in [0, 1], the scoring profile that weights them, and the
// plain-language explanation of one pair. This header is the specification;
// the fast path (matcher.h) and the reference scorer in the tests both
// implement it, and tests hold them to the same answers.
//
// For a participant P and an opening O, on the day `today`:
//
// Hard rules. O is never suggested to P when any holds (HardRule):
//   kOpeningNotOpen        O.status is not open, or O.end_date is before today
//   kNoFreePlace           O.places_taken >= O.capacity (a query may waive it)
//                          (these two are AcceptsPlacement, opening_rules.h)
//   kParticipantNotActive  P.status is not active
//   kAgeOutsideRange       age = today.year - P.birth_year; below O.min_age
//                          (when > 0) or above O.max_age (when > 0)
//   kTargetGroupMismatch   O lists target groups and P is in none of them
//   kHardNeedUnmet         a need P's coach marked hard is met by none of O's
//                          supports (catalogue column met_by)
//   kTravelTooLong         EstimateTravel(P.home, O.location, P.travel_mode)
//                          .minutes > P.max_travel_minutes (or the query's
//                          tighter limit)
//   kHoursTooFew           O.min_hours_per_week > P.hours_per_week
//   kEmployerVetoed        O.organisation_id is among P's vetoed organisations
//   kFieldVetoed           O.occupation_field is among P's vetoed fields
//   kSwedishTooLow         P.swedish_level < O.min_swedish
//
// Components, each in [0, 1]:
//   skills      Each skill O asks for earns credit 1 when P has it (any
//               level), kRelatedSkillCredit when P has another skill of the
//               same taxonomy group, else 0. E = mean credit over O's
//               essential skills, X = mean over its optional skills.
//               skills = kEssentialShare * E + (1 - kEssentialShare) * X when
//               O has both kinds; E or X alone when it has one; 1 when O asks
//               for no skill.
//   support     Share of P's soft needs met by O's supports; 1 when P has no
//               soft need. (Hard needs are rules, not part of the score.)
//   travel      exp(-minutes / kTravelDecayMinutes).
//   step        StepScore(P.step, O.step): 1 for the next step up, 0.7 for
//               the same step, 0.3 one step back, 0.2 two steps ahead, 0.1
//               two or more back, 0 three or more ahead.
//   preference  1 when O's occupation field is among P's wanted fields;
//               kNoPreferenceScore when P named no wanted field; else 0.
//
// Total = sum over components of weight * value, with the weights of the
// scoring profile (non-negative, summing to 1), so totals lie in [0, 1].
// Ranking: total descending, then id ascending, so results are deterministic.
//
// Protected attributes: Participant::gender and ::born_abroad are never read
// here; birth_year only by kAgeOutsideRange.
//
// Thread safety: functions are pure; ScoringProfile is a value type.

#ifndef PLACEMENT_ENGINE_SCORING_H_
#define PLACEMENT_ENGINE_SCORING_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/reference_data.h"
#include "engine/types.h"

namespace placement {

enum class HardRule : uint8_t {
  kOpeningNotOpen,
  kNoFreePlace,
  kParticipantNotActive,
  kAgeOutsideRange,
  kTargetGroupMismatch,
  kHardNeedUnmet,
  kTravelTooLong,
  kHoursTooFew,
  kEmployerVetoed,
  kFieldVetoed,
  kSwedishTooLow,
};
inline constexpr int kHardRuleCount = 11;
absl::string_view HardRuleSlug(HardRule rule);

// A set of hard rules, one bit per HardRule.
using HardRuleSet = uint32_t;
inline constexpr HardRuleSet RuleBit(HardRule rule) {
  return HardRuleSet{1} << static_cast<int>(rule);
}

enum class Component : uint8_t {
  kSkills,
  kSupport,
  kTravel,
  kStep,
  kPreference
};
inline constexpr int kComponentCount = 5;
absl::string_view ComponentSlug(Component component);
absl::StatusOr<Component> ParseComponent(absl::string_view slug);

using ComponentValues = std::array<double, kComponentCount>;

// Constants of the components (documented above).
inline constexpr double kRelatedSkillCredit = 0.5;
inline constexpr double kEssentialShare = 0.75;
inline constexpr double kTravelDecayMinutes = 45.0;
inline constexpr double kNoPreferenceScore = 0.5;

// Travel-time model: great-circle km x kDetourFactor (roads and tracks are
// not straight) / the mode's speed, plus a fixed wait for public transport
// (sparse rural buses: half of a typical 30-minute headway) and for parking.
inline constexpr double kDetourFactor = 1.3;
struct TravelModeModel {
  double speed_kmh;
  double fixed_minutes;
};
inline constexpr std::array<TravelModeModel, kTravelModeCount> kTravelModels = {
    {
        {5.0, 0.0},    // walk
        {15.0, 0.0},   // bike
        {30.0, 15.0},  // public transport: average speed with stops and changes
        {50.0, 5.0},   // car
    }};

struct TravelEstimate {
  double distance_km = 0;  // great-circle, before the detour factor
  double minutes = 0;      // one way, by `mode`
  TravelMode mode = TravelMode::kPublicTransport;
};

// Estimated one-way travel. Deterministic; symmetric in the two points.
TravelEstimate EstimateTravel(const GeoPoint& from, const GeoPoint& to,
                              TravelMode mode);
// Minutes of one-way travel over `km` great-circle kilometres by `mode`:
// km x kDetourFactor / the mode's speed, plus its fixed minutes. The one
// formula EstimateTravel and the matcher's scans use; inline for the scans.
inline double TravelMinutes(double km, TravelMode mode) {
  const TravelModeModel& model = kTravelModels[static_cast<size_t>(mode)];
  return km * kDetourFactor / model.speed_kmh * 60.0 + model.fixed_minutes;
}
// Component values for one input each.
double TravelScore(double minutes);
double StepScore(int participant_step, int opening_step);

// Weights for the five components, with a name for reports.
//
// Profile files are CSV with the header `component,weight`, one row per
// component (skills, support, travel, step, preference), weights in
// [0, kMaxWeight], not all zero; they are normalised to sum to 1.
class ScoringProfile {
 public:
  static constexpr double kMaxWeight = 10.0;

  // The built-in default: skills 0.30, support 0.15, travel 0.20, step 0.15,
  // preference 0.20. The same as data/profiles/default.csv.
  static ScoringProfile Default();
  // `name` is the file's stem ("default" for .../default.csv).
  static absl::StatusOr<ScoringProfile> Load(const std::string& path);
  // Weights as given (each in [0, kMaxWeight], not all zero), normalised.
  static absl::StatusOr<ScoringProfile> FromWeights(
      std::string name, const ComponentValues& weights);

  // This profile with some weights replaced (each in [0, kMaxWeight]), then
  // normalised again. INVALID_ARGUMENT names the component and value.
  absl::StatusOr<ScoringProfile> WithOverrides(
      const std::array<std::optional<double>, kComponentCount>& overrides)
      const;

  const std::string& name() const { return name_; }
  // Normalised: non-negative, summing to 1.
  const ComponentValues& weights() const { return weights_; }
  double weight(Component c) const { return weights_[static_cast<int>(c)]; }

 private:
  std::string name_;
  ComponentValues weights_{};
};

// A reason in both languages, e.g. {"täcker 3 av 4 nödvändiga kompetenser;
// saknas: Truckkort A+B", "covers 3 of 4 essential skills; missing: Forklift
// licence (A+B)"}.
struct Reason {
  Component component;
  std::string sv;
  std::string en;
  // True when the reason speaks of support needs, which may be health data:
  // never shown to anyone but the participant's coaches.
  bool mentions_support_needs = false;
};

struct RuleExplanation {
  HardRule rule;
  std::string sv;
  std::string en;
  bool mentions_support_needs = false;  // as for Reason
};

// Everything about one pair.
struct Explanation {
  std::string participant_id;
  std::string opening_id;
  bool eligible = false;            // no hard rule holds
  double total = 0;                 // weighted sum (also for ineligible pairs)
  ComponentValues components{};     // values in [0, 1]
  ComponentValues weights{};        // the profile's normalised weights
  ComponentValues contributions{};  // weight * value
  TravelEstimate travel;
  HardRuleSet excluded_by = 0;         // every rule that holds
  std::vector<RuleExplanation> rules;  // one per rule in excluded_by
  std::vector<Reason> reasons;         // one or more per component
};

// Whether a reason speaks for a pair, against it, or only informs: by the
// value of the reason's component, positive from 0.7, negative up to 0.3.
// (Declared in the order of the API's ReasonEffect.)
enum class ReasonEffect : uint8_t { kPositive, kNegative, kNeutral };
ReasonEffect EffectOf(const Explanation& explanation, const Reason& reason);

// How far `component` moved the pair's total from a neutral middle:
// weight * |value - 0.5|. Reasons shown in a short list (an employer's
// candidates) are ordered by it, most influential first.
double Influence(const Explanation& explanation, Component component);

// The reasons an employer-contact person may see for a candidate: none of
// the support component and none that mentions support needs (health data
// is for the participant's coaches only); most influential first, stable
// among equals; at most `limit`. Pointers into `explanation`.
std::vector<const Reason*> ReasonsForEmployer(const Explanation& explanation,
                                              size_t limit);

struct ScoringContext {
  Date today;
  ScoringProfile profile = ScoringProfile::Default();
  // 0 = the participant's own limit; otherwise the smaller of the two.
  int max_travel_minutes = 0;
  // When false, kNoFreePlace does not exclude (an employer previewing
  // candidates for a full opening, a coach looking for a slot to queue for).
  bool require_free_place = true;
};

// Explains any pair, eligible or not. `reference` resolves codes to labels
// and relations; codes unknown to it earn no credit and are named as is.
Explanation ExplainPair(const Participant& participant, const Opening& opening,
                        const ReferenceData& reference,
                        const ScoringContext& context);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_SCORING_H_
