// A slow, obviously-correct scorer written from the text of engine/scoring.h
// alone, for tests of ExplainPair and of the fast matcher (matcher.h).
//
// Every rule and component is re-implemented plainly over the records: string
// comparisons on codes, linear scans, GreatCircleKm for distance and the
// constants of scoring.h. Nothing here calls ExplainPair, EstimateTravel,
// StepScore, TravelScore or the matcher, so a shared mistake would have to be
// made twice. The top-k functions score every record; cost O(N * skills^2).
//
// Thread safety: pure functions.

#ifndef PLACEMENT_TESTS_ENGINE_REFERENCE_SCORER_H_
#define PLACEMENT_TESTS_ENGINE_REFERENCE_SCORER_H_

#include <string>
#include <vector>

#include "engine/matcher.h"  // TopKQuery only: no function of matcher.h is used.
#include "engine/reference_data.h"
#include "engine/scoring.h"
#include "engine/types.h"

namespace placement::testing {

struct ReferenceScore {
  bool eligible = false;
  HardRuleSet excluded_by = 0;
  ComponentValues components{};
  double total = 0;
  double travel_km = 0;       // great-circle, before the detour factor
  double travel_minutes = 0;  // one way, by the participant's mode
};

// Minutes of one-way travel by the model of scoring.h.
double ReferenceTravelMinutes(const GeoPoint& from, const GeoPoint& to,
                              TravelMode mode);

// The step component from the table of scoring.h, by offset opening -
// participant.
double ReferenceStepScore(int participant_step, int opening_step);

// Age of the participant on `today` as scoring.h defines it.
int ReferenceAge(const Participant& participant, const Date& today);

ReferenceScore ReferenceScorePair(const Participant& participant,
                                  const Opening& opening,
                                  const ReferenceData& reference,
                                  const ScoringContext& context);

struct ReferenceMatch {
  std::string id;
  double total = 0;
};

// Brute force: every eligible opening passing the query's filters (kinds, and
// municipalities on the opening's municipality_code), total descending then id
// ascending, the first min(k, 1000).
std::vector<ReferenceMatch> ReferenceTopOpenings(
    const std::vector<Opening>& openings, const Participant& participant,
    const ReferenceData& reference, const TopKQuery& query);

// Openings passing the query's filters, and of those the eligible ones,
// counted by brute force (TopKCounts of matcher.h).
struct ReferenceCounts {
  int considered = 0;
  int eligible = 0;
};
ReferenceCounts ReferenceOpeningCounts(const std::vector<Opening>& openings,
                                       const Participant& participant,
                                       const ReferenceData& reference,
                                       const TopKQuery& query);

// Likewise over participants; the municipality filter applies to the
// participant's home municipality_code and kinds is ignored.
std::vector<ReferenceMatch> ReferenceTopParticipants(
    const std::vector<Participant>& participants, const Opening& opening,
    const ReferenceData& reference, const TopKQuery& query);

}  // namespace placement::testing

#endif  // PLACEMENT_TESTS_ENGINE_REFERENCE_SCORER_H_
