// The life cycle of an opening, as a state machine over OpeningStatus:
//
//   publish --> DRAFT --reopen--> OPEN <--pause / reopen--> PAUSED
//                 |                 |                          |
//                 +----- close ---> CLOSED <------ close ------+
//
// Publishing creates an opening as DRAFT or OPEN. Then, for each action on
// an opening in each status ("=" : unchanged; the action succeeds and
// nothing needs writing; "refused": FAILED_PRECONDITION):
//
//             DRAFT      OPEN       PAUSED     CLOSED
//   pause     refused    PAUSED     = PAUSED   refused
//   reopen    OPEN       = OPEN     OPEN       refused: closing is final
//   close     CLOSED     CLOSED     CLOSED     = CLOSED
//   edit      = DRAFT    = OPEN     = PAUSED   refused: closing is final
//
// "reopen" on a DRAFT publishes it; "edit" is a change of the opening's
// fields (UpdateOpening), which never moves its status.
//
// Only the status decides here. Guards on the opening's content stay with
// the caller, after a transition that changes the status: reopening needs an
// end date that has not passed, and a draft must be complete
// (EmployerService.ReopenOpening).
//
// Usage:
//   absl::StatusOr<OpeningStatus> next = NextOpeningStatus(
//       opening.status, OpeningAction::kPause, "opening_id: 'O000012'");
//   if (!next.ok()) return next.status();
//   if (*next != opening.status) { opening.status = *next; /* store it */ }
//
// Thread safety: pure functions.

#ifndef PLACEMENT_ENGINE_OPENING_LIFECYCLE_H_
#define PLACEMENT_ENGINE_OPENING_LIFECYCLE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/types.h"

namespace placement {

enum class OpeningAction : uint8_t { kPause, kReopen, kClose, kEdit };
inline constexpr int kOpeningActionCount = 4;

// "pause", "reopen", "close", "edit".
absl::string_view OpeningActionSlug(OpeningAction action);

// The status as the API and its messages name it: "DRAFT", "OPEN",
// "PAUSED", "CLOSED".
absl::string_view OpeningStatusName(OpeningStatus status);

// The status after `action` on an opening in `from` (the table above), or
// FAILED_PRECONDITION whose message starts with `subject`, which names the
// opening as the caller's field does ("opening_id: 'O000012'"), and names
// both statuses where a transition is refused:
//   "opening_id: 'O000012' is DRAFT; only an OPEN opening can be paused"
//   "opening_id: 'O000012' is CLOSED; closing is final"
absl::StatusOr<OpeningStatus> NextOpeningStatus(OpeningStatus from,
                                                OpeningAction action,
                                                absl::string_view subject);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_OPENING_LIFECYCLE_H_
