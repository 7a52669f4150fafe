// Whether an opening can take a participant on a given day. This is the one
// place the rule is written; scoring (HardRule::kOpeningNotOpen and
// kNoFreePlace), the matcher, the rematch, supply gaps, the reconciliation of
// proposals at publish and the accept path of a proposal all decide by it.
//
// An opening accepts a placement on `today` when
//   - its status is OPEN (not a draft, paused or closed);
//   - its end_date, if any, is not before today (the last day still counts);
//   - it has a free place: places_taken + places_held < capacity, where
//     places_held counts the live holds of coaches (engine/placements.h),
//     so a held place is taken for everyone else. Some queries waive this
//     one (an employer previewing candidates for a full opening, a coach
//     looking for a slot to queue for, the rematch's list of open openings).
//
// Usage:
//   if (!AcceptsPlacement(opening, today)) continue;
//   if (absl::Status s = CheckAcceptsPlacement(opening, today); !s.ok())
//     return s;  // FAILED_PRECONDITION "opening O000012 ended on 2026-11-30"
//
// The matcher's column scan holds the same rule in columns (status, end date
// key, free places); tests/engine/matcher_test.cc holds it to this one.
//
// Thread safety: pure functions of their arguments.

#ifndef PLACEMENT_ENGINE_OPENING_RULES_H_
#define PLACEMENT_ENGINE_OPENING_RULES_H_

#include "absl/status/status.h"
#include "engine/types.h"

namespace placement {

// The three facts the rule is made of, for callers that say which one holds
// (ExplainPair names each). They are independent: a paused opening may also
// have ended and be full.
struct OpeningAvailability {
  bool open = false;        // status is OPEN
  bool ended = false;       // end_date is set and before today
  bool free_place = false;  // FreePlaces(opening) > 0
};

// Places neither taken nor held: capacity - places_taken - places_held, at
// least 0. What suggestions, candidates, supply gaps and the rematch offer.
inline int FreePlaces(const Opening& opening) {
  const int free =
      opening.capacity - opening.places_taken - opening.places_held;
  return free > 0 ? free : 0;
}

inline OpeningAvailability AvailabilityOn(const Opening& opening,
                                          const Date& today) {
  return OpeningAvailability{
      .open = opening.status == OpeningStatus::kOpen,
      .ended = opening.end_date.has_value() &&
               *opening.end_date<today, .free_place = FreePlaces(opening)> 0};
}

// The rule: open, not ended and, unless `require_free_place` is false, with a
// free place.
inline bool AcceptsPlacement(const Opening& opening, const Date& today,
                             bool require_free_place = true) {
  const OpeningAvailability a = AvailabilityOn(opening, today);
  return a.open && !a.ended && (a.free_place || !require_free_place);
}

// AcceptsPlacement(opening, today) as a status: OK, or FAILED_PRECONDITION
// naming the opening and the first fact that fails, in the order status, end
// date, free place:
//   "opening O000012: status paused, not open"
//   "opening O000012 ended on 2026-11-30"
//   "opening O000012: places_taken 3 = capacity 3"
//   "opening O000012: places_taken 2 + places_held 1 = capacity 3"
absl::Status CheckAcceptsPlacement(const Opening& opening, const Date& today);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_OPENING_RULES_H_
