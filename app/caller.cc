#include "app/caller.h"

#include <array>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace placement::app {
namespace {

constexpr std::array<absl::string_view, 5> kRoleSlugs = {
    "coach", "employer_contact", "operator", "admin", "auditor"};

}  // namespace

absl::string_view RoleSlug(Role role) {
  return kRoleSlugs[static_cast<size_t>(role)];
}

absl::StatusOr<Role> ParseRole(absl::string_view slug) {
  for (size_t i = 0; i < kRoleSlugs.size(); ++i) {
    if (kRoleSlugs[i] == slug) return static_cast<Role>(i);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown role '", slug, "'; expected one of ",
                   absl::StrJoin(kRoleSlugs, ", ")));
}

absl::Status CheckRole(const Caller& caller,
                       std::initializer_list<Role> allowed,
                       absl::string_view call) {
  for (Role role : allowed) {
    if (caller.role == role) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("the role ", RoleSlug(caller.role), " may not call ", call));
}

absl::Status CheckCaseload(const Caller& caller,
                           absl::string_view participant_id,
                           const Participant* participant) {
  if (caller.role != Role::kCoach) return absl::OkStatus();
  if (participant == nullptr || participant->coach_id != caller.principal) {
    return absl::PermissionDeniedError(absl::StrCat(
        "participant '", participant_id, "' is not in your caseload"));
  }
  return absl::OkStatus();
}

absl::StatusOr<const Participant*> ParticipantForCaller(
    const Snapshot& snapshot, const Caller& caller, absl::string_view id) {
  std::optional<int> index = snapshot.FindParticipant(id);
  const Participant* participant =
      index ? &snapshot.participant(*index) : nullptr;
  if (absl::Status s = CheckCaseload(caller, id, participant); !s.ok()) {
    return s;
  }
  if (participant == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("participant_id: '", id, "' does not exist"));
  }
  return participant;
}

bool SeesSensitiveFields(const Caller& caller, const Participant& participant) {
  return caller.role == Role::kCoach &&
         participant.coach_id == caller.principal;
}

}  // namespace placement::app
