// Who is calling a use case, and what their role lets them see.
//
// A caller is a principal id with one role. A coach's principal is their
// coach id: their caseload is the participants whose coach_id equals it.
// How a caller is authenticated (bearer tokens, service/auth.h) is the
// transport's business; the use cases only ever see a Caller.
//
// Thread safety: plain values and pure functions.

#ifndef PLACEMENT_APP_CALLER_H_
#define PLACEMENT_APP_CALLER_H_

#include <initializer_list>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/matcher.h"
#include "engine/types.h"

namespace placement::app {

// kAuditor reads the access log and nothing else about participants than
// the ids in it (separation of duties: admins import, export and erase, and
// their reads are among what the auditor reviews).
enum class Role { kCoach, kEmployerContact, kOperator, kAdmin, kAuditor };

// "coach", "employer_contact", "operator", "admin", "auditor".
absl::string_view RoleSlug(Role role);
// The inverse of RoleSlug; INVALID_ARGUMENT listing the slugs otherwise.
absl::StatusOr<Role> ParseRole(absl::string_view slug);

struct Caller {
  std::string principal;
  Role role = Role::kCoach;
};

// PERMISSION_DENIED naming the role and `call` unless the caller's role is
// one of `allowed`.
absl::Status CheckRole(const Caller& caller,
                       std::initializer_list<Role> allowed,
                       absl::string_view call);

// Coaches may touch only their own caseload. The same answer whether or not
// the participant exists (`participant` null), so ids outside the caseload
// are not revealed. Other roles always pass.
absl::Status CheckCaseload(const Caller& caller,
                           absl::string_view participant_id,
                           const Participant* participant);

// The participant `id` of `snapshot` if the caller may see them. A coach
// sees only their own caseload, and gets the same PERMISSION_DENIED whether
// or not the id exists; other roles get NOT_FOUND naming `participant_id`
// for an unknown id. The pointer lives as long as `snapshot`.
absl::StatusOr<const Participant*> ParticipantForCaller(
    const Snapshot& snapshot, const Caller& caller, absl::string_view id);

// Whether the caller may see the participant's support needs (which may be
// health data) and follow-up attributes: only the participant's own coach.
bool SeesSensitiveFields(const Caller& caller, const Participant& participant);

}  // namespace placement::app

#endif  // PLACEMENT_APP_CALLER_H_
