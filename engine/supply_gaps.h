// Supply gaps: per municipality, how many ACTIVE participants have a support
// need or a wanted occupation field that no reachable place meets, so the
// programmes know which supports and slots are missing (Marykedjan's aim:
// open more slots). Aggregates only, with small counts suppressed.
//
// Definitions, on the day `today`:
//   A place is available when its opening accepts a placement today
//   (AcceptsPlacement, opening_rules.h: OPEN, end_date not passed, a free
//   place).
//   An opening is reachable for participant P when
//   EstimateTravel(P.home, opening.location, P.travel_mode).minutes <=
//   P.max_travel_minutes (scoring.h's travel rule).
//   P's need N (hard or soft) is unmet when no reachable available opening
//   offers any of the supports that meet N (catalogue column met_by).
//   P's wanted field F is unmet when no reachable available opening has
//   occupation field F.
//   A support S is missing for P when it would meet one of P's unmet needs
//   (S is in the need's met_by). Each participant counts once per support,
//   however many of their needs it would meet. Supports, unlike needs, say
//   nothing about a person's health: they are what employers can offer.
//   A participant counts in the municipality of their home.
// Counts from 1 to kGapSuppressionThreshold - 1 are suppressed (reported as 0,
// suppressed = true) so no one can be singled out; counts of 0 are left out.
//
// Algorithm: available openings are sorted by latitude; for each ACTIVE
// participant with needs or wanted fields, only the latitude band that their
// own travel limit can reach is scanned (a great-circle distance is at least
// the latitude difference), then travel is estimated exactly. Cost is
// O(M log M + P * openings in band). Need codes unknown to the catalogue
// cannot be met or named and are not counted.
//
// Usage:
//   std::vector<MunicipalityGaps> gaps =
//       ComputeSupplyGaps(*snapshot, {2026, 11, 22}, {"1863", "0880"});
//
// Thread safety: pure function over an immutable snapshot. Deterministic.

#ifndef PLACEMENT_ENGINE_SUPPLY_GAPS_H_
#define PLACEMENT_ENGINE_SUPPLY_GAPS_H_

#include <string>
#include <vector>

#include "engine/matcher.h"
#include "engine/types.h"

namespace placement {

// Counts below this (and above 0) are withheld.
inline constexpr int kGapSuppressionThreshold = 5;

struct GapCount {
  std::string code;      // need code, support code or occupation field slug
  int participants = 0;  // 0 when suppressed
  bool suppressed = false;
};

struct MunicipalityGaps {
  std::string municipality_code;
  // capacity - places_taken summed over the available openings located in
  // the municipality. Not person data; never suppressed.
  int free_places = 0;
  // Largest count first, suppressed ones last, then by code.
  std::vector<GapCount> needs;
  std::vector<GapCount> fields;
  std::vector<GapCount> supports;  // missing supports, ordered the same way
};

// Gaps of `municipalities` (deduplicated, reported by code ascending; codes
// are taken as given, so an unknown code reports no gaps). Empty: every
// municipality with at least one ACTIVE participant or OPEN opening.
std::vector<MunicipalityGaps> ComputeSupplyGaps(
    const Snapshot& snapshot, const Date& today,
    const std::vector<std::string>& municipalities);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_SUPPLY_GAPS_H_
