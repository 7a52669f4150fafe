#include "app/followup.h"

#include <memory>
#include <optional>

namespace placement::app {

absl::StatusOr<FollowUpEvents> LoadFollowUpEvents(Context& context) {
  std::shared_ptr<const Snapshot> snapshot = context.snapshots->Current();
  absl::StatusOr<FollowUpEvents> events = context.store->LoadFollowUpEvents(
      [&](absl::string_view opening_id) -> std::optional<OpeningKind> {
        std::optional<int> index = snapshot->FindOpening(opening_id);
        if (!index) return std::nullopt;
        return snapshot->opening(*index).kind;
      });
  if (!events.ok()) return events.status();
  events->participants.reserve(
      static_cast<size_t>(snapshot->participant_count()));
  for (int i : snapshot->ParticipantIndices()) {
    const Participant& p = snapshot->participant(i);
    events->participants.push_back(
        {.id = p.id,
         .gender = p.gender,
         .birth_year = p.birth_year,
         .municipality_code = p.municipality_code,
         .programme_code = p.programme_code,
         .entry_date = p.entry_date,
         .exit_date = p.status == ParticipantStatus::kExited ? p.exit_date
                                                             : std::nullopt});
  }
  return events;
}

absl::StatusOr<FollowUpReport> GetFollowUpReport(Context& context,
                                                 const Caller& caller,
                                                 const FollowUpQuery& query) {
  if (absl::Status s = CheckRole(caller, {Role::kOperator, Role::kAdmin},
                                 "FollowUpService.GetFollowUpReport");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckFollowUpQuery(query, *context.reference); !s.ok())
    return s;
  absl::StatusOr<FollowUpEvents> events = LoadFollowUpEvents(context);
  if (!events.ok()) return events.status();
  return ComputeFollowUpReport(*events, query);
}

}  // namespace placement::app
