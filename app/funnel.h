// The operator's decision funnel audit (engine/funnel.h): the store's
// suggestion marks, proposals and placements of a period, with the
// audited attributes of the participants in the current snapshot, counted
// per group. FollowUpService.GetDecisionFunnel (service/followup_service.h)
// authorises, converts and calls this; tests and the benchmark call it in
// process.
//
// Days are Swedish calendar days (SwedishDate): a proposal published or
// accepted at 23:30 UTC on 31 March counts on 1 April in summer time.
// Participants are those of the current snapshot: someone erased is gone
// from every count, with all their events (erasure deletes the events too).
// The answer holds counts only, so no access record is written.
//
// Cost: one pass over the snapshot's participants and three reads of the
// store, each bounded by the period (the marks and proposals by an index,
// placements by a scan of the placements table); see the README for the
// figures at 100,000 participants.
//
// Thread safety: thread-safe (reads only).

#ifndef PLACEMENT_APP_FUNNEL_H_
#define PLACEMENT_APP_FUNNEL_H_

#include "absl/status/statusor.h"
#include "app/caller.h"
#include "app/context.h"
#include "engine/funnel.h"

namespace placement::app {

// The funnel over [from, to], both days included. Roles: operator, admin
// (PERMISSION_DENIED otherwise). INVALID_ARGUMENT naming `from_date` or
// `to_date` for a date that is not a real date (`from_date: 2027-02-30 is
// not a valid date`) or from after to. UNAVAILABLE when the store cannot be
// read.
absl::StatusOr<DecisionFunnel> GetDecisionFunnel(Context& context,
                                                 const Caller& caller,
                                                 const Date& from,
                                                 const Date& to);

// The events the funnel reads for [from, to]: the participants of
// `snapshot` and the store's marks, proposals and placements of the
// period, days in Swedish time. Precondition: valid dates, from <= to.
absl::StatusOr<FunnelEvents> LoadFunnelEvents(store::Store& store,
                                              const Snapshot& snapshot,
                                              const Date& from, const Date& to);

}  // namespace placement::app

#endif  // PLACEMENT_APP_FUNNEL_H_
