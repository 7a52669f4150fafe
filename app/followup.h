// The follow-up report as a use case: loads the events (participants and
// openings from the current snapshot; placements, step changes and the
// situations after exit from the store) and computes the report
// (engine/followup.h). FollowUpService (service/followup_service.h)
// converts the request, calls this and converts the answer.
//
// Who: operator and admin. The report is counts only, counts 1 to 4
// withheld, and names no one, so it writes nothing to the access log.
//
// Thread safety: thread-safe.

#ifndef PLACEMENT_APP_FOLLOWUP_H_
#define PLACEMENT_APP_FOLLOWUP_H_

#include "absl/status/statusor.h"
#include "app/caller.h"
#include "app/context.h"
#include "engine/followup.h"

namespace placement::app {

// Every event the report reads, as of now. UNAVAILABLE when the store
// cannot be read.
absl::StatusOr<FollowUpEvents> LoadFollowUpEvents(Context& context);

// The report for `query` (CheckFollowUpQuery's INVALID_ARGUMENT for a bad
// period, municipality or programme). PERMISSION_DENIED unless operator or
// admin.
absl::StatusOr<FollowUpReport> GetFollowUpReport(Context& context,
                                                 const Caller& caller,
                                                 const FollowUpQuery& query);

}  // namespace placement::app

#endif  // PLACEMENT_APP_FOLLOWUP_H_
