// The participant registry's use cases: a coach adds and changes the
// participants of their own caseload; coaches read and list their caseload,
// admins any participant; admins erase a participant (GDPR Art. 17). One
// gRPC-free function per operation; ParticipantRegistry
// (service/registry_service.h) authorises the caller, converts the request,
// calls one of these and converts the answer, and tests call them directly.
//
// Sensitive fields: support needs (which may be health data, GDPR Art. 9)
// and the follow-up attributes (gender, born abroad) are shown only to the
// participant's own coach (SeesSensitiveFields); every other caller gets
// them blanked and `sensitive_fields_redacted` set.
//
// Access log: every read or change of a participant's data is logged, one
// record per participant, stamped context.now(), under the API's call name
// ("ParticipantRegistry.GetParticipant"). Reads return the records of their
// answer in `access`; the caller writes them (store::Store::AppendAccess or
// AppendAccessAsync) before the answer leaves, and fails the call if they
// cannot be written. Writes log their own record before returning; an
// erasure logs that it happened ("erased"), never whom it concerned.
//
// A write goes to the store, then to the snapshot, through the context's
// group commit (SubmitWrite, app/write_queue.h), so it is seen by every query
// that starts after it returns. Each write has an asynchronous form, which
// answers through `done` once the write is on disk (checks that need no
// store answer at once, on the calling thread), and a blocking one.
//
// Errors name the request field as the API spells it (`participant.coach_id`,
// `participant.home.point.latitude`).
//
// Thread safety: thread-safe; reads see the snapshot current when they start.
//
// Usage:
//   absl::StatusOr<Participant> saved =
//       UpsertParticipant(context, coach, {.participant = p});
//   absl::StatusOr<ParticipantRead> read =
//       GetParticipant(context, admin, "P0000042");  // redacted

#ifndef PLACEMENT_APP_REGISTRY_H_
#define PLACEMENT_APP_REGISTRY_H_

#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/caller.h"
#include "app/context.h"
#include "engine/types.h"
#include "store/store.h"

namespace placement::app {

// A participant as a coach writes them. The client may leave the home
// coordinates out (`home_point_given` false): the main town of the home
// municipality stands in.
struct ParticipantDraft {
  Participant participant;
  bool home_point_given = true;
};

// Adds or replaces the participant `draft.participant.id`, stamped
// updated_at = context.now(). Its step is kept in the step history (the
// entry step of a new participant, "registered"; a changed one, "coach").
// With status EXITED the exit date is today unless given; with any other
// status it is cleared. Coaches only,
// for their own caseload: PERMISSION_DENIED naming `participant.coach_id`
// unless it is the caller, and when the id is a participant of another
// caseload (the same answer as for one that does not exist). INVALID_ARGUMENT
// listing every validation problem (engine/validation.h) as
// "participant.<path>: '<value>' <reason>". Writes one access record before
// returning. Returns the participant as stored.
absl::StatusOr<Participant> UpsertParticipant(Context& context,
                                              const Caller& caller,
                                              ParticipantDraft draft);
void UpsertParticipant(Context& context, const Caller& caller,
                       ParticipantDraft draft, WriteDone<Participant> done);

// A change to a stored participant: the participant as they are to be, from
// the participant as stored. Runs in the write's step, under the context's
// write lock, so no other write comes in between; it must not call back into
// the context. An error it returns fails the update unchanged.
using ParticipantChange =
    absl::AnyInvocable<absl::StatusOr<ParticipantDraft>(const Participant&)>;

// Applies `change` to the participant `participant_id` of the caller's
// caseload (the API's field mask is applied in the service). Coaches only;
// PERMISSION_DENIED outside the caseload (whether or not the id exists); the
// result is checked as UpsertParticipant's, so a coach cannot hand a
// participant to another (`participant.coach_id`). Writes to the store only
// if something changed, and one access record in either case. Returns the
// participant as stored.
absl::StatusOr<Participant> UpdateParticipant(Context& context,
                                              const Caller& caller,
                                              absl::string_view participant_id,
                                              ParticipantChange change);
void UpdateParticipant(Context& context, const Caller& caller,
                       absl::string_view participant_id,
                       ParticipantChange change, WriteDone<Participant> done);

// A participant as one caller may see them: sensitive fields blanked
// (needs empty, follow-up attributes at their defaults) and
// `sensitive_fields_redacted` set, unless the caller is their coach.
struct ShownParticipant {
  Participant participant;
  bool sensitive_fields_redacted = false;
};

struct ParticipantRead {
  ShownParticipant participant;
  std::vector<store::AccessRecord> access;  // to write before answering
};

// The participant `participant_id`. Coaches (their own caseload; the same
// PERMISSION_DENIED whether or not the id exists) and admins (NOT_FOUND
// naming `participant_id` for an unknown id).
absl::StatusOr<ParticipantRead> GetParticipant(
    Context& context, const Caller& caller, absl::string_view participant_id);

struct ParticipantQuery {
  std::vector<ParticipantStatus> statuses = {};  // empty: every status
  // Empty: every coach. A coach always gets their own caseload, whatever
  // this says.
  std::string coach_id = {};
  int page_size = 0;  // at least 1 (the service applies the API's default)
  // The last id of the previous page (its next_page_token); empty for the
  // first page.
  std::string page_token = {};
};

struct ParticipantPage {
  std::vector<ShownParticipant> participants;  // in id order
  std::string next_page_token;                 // empty on the last page
  std::vector<store::AccessRecord> access;     // to write before answering
};

// One page of the participants `query` selects, after the page token, at
// most `query.page_size`. Coaches and admins; INVALID_ARGUMENT naming
// `page.page_size` below 1. O(log n + participants scanned).
absl::StatusOr<ParticipantPage> ListParticipants(Context& context,
                                                 const Caller& caller,
                                                 const ParticipantQuery& query);

// Erases the participant `participant_id` and every row that names them
// (store::Store::EraseParticipant); the snapshot drops them and frees the
// places they held. Admins only. INVALID_ARGUMENT for an empty id, NOT_FOUND
// for an unknown one. Writes one access record, naming no one, before
// returning.
absl::StatusOr<store::ErasureCounts> EraseParticipant(
    Context& context, const Caller& caller, absl::string_view participant_id);
void EraseParticipant(Context& context, const Caller& caller,
                      absl::string_view participant_id,
                      WriteDone<store::ErasureCounts> done);

}  // namespace placement::app

#endif  // PLACEMENT_APP_REGISTRY_H_
