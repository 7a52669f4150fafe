#include "app/funnel.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"

namespace placement::app {
namespace {

constexpr absl::string_view kFunnelCall = "FollowUpService.GetDecisionFunnel";

absl::Status CheckDay(const Date& date, absl::string_view field) {
  if (IsValidDate(date)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": ", FormatDate(date), " is not a valid date"));
}

FunnelParticipant FunnelParticipantOf(const Participant& p) {
  FunnelParticipant out;
  out.id = p.id;
  out.gender = p.gender;
  out.born_abroad = p.born_abroad;
  out.birth_year = p.birth_year;
  out.target_groups = p.target_groups;
  out.municipality_code = p.municipality_code;
  out.entry_date = p.entry_date;
  out.exit_date = p.exit_date;
  return out;
}

}  // namespace

absl::StatusOr<FunnelEvents> LoadFunnelEvents(store::Store& store,
                                              const Snapshot& snapshot,
                                              const Date& from,
                                              const Date& to) {
  FunnelEvents events;
  events.participants.reserve(
      static_cast<size_t>(snapshot.participant_count()));
  for (int i : snapshot.ParticipantIndices()) {
    events.participants.push_back(FunnelParticipantOf(snapshot.participant(i)));
  }
  absl::StatusOr<std::vector<FunnelSuggestion>> marks =
      store.LoadSuggestionMarks(from, to);
  if (!marks.ok()) return marks.status();
  events.suggestions = *std::move(marks);
  absl::StatusOr<std::vector<store::ProposalDates>> proposals =
      store.LoadProposalDates(SwedishStartOfDay(from),
                              SwedishStartOfDay(NextDay(to)));
  if (!proposals.ok()) return proposals.status();
  events.proposals.reserve(proposals->size());
  for (store::ProposalDates& p : *proposals) {
    FunnelProposal proposal{.participant_id = std::move(p.participant_id),
                            .proposed_on = SwedishDate(p.created_at),
                            .accepted_on = std::nullopt,
                            .id = std::move(p.proposal_id)};
    if (p.accepted_at) proposal.accepted_on = SwedishDate(*p.accepted_at);
    events.proposals.push_back(std::move(proposal));
  }
  absl::StatusOr<std::vector<FunnelPlacement>> placements =
      store.LoadPlacementDates(from, to);
  if (!placements.ok()) return placements.status();
  events.placements = *std::move(placements);
  return events;
}

absl::StatusOr<DecisionFunnel> GetDecisionFunnel(Context& context,
                                                 const Caller& caller,
                                                 const Date& from,
                                                 const Date& to) {
  if (absl::Status s =
          CheckRole(caller, {Role::kOperator, Role::kAdmin}, kFunnelCall);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckDay(from, "from_date"); !s.ok()) return s;
  if (absl::Status s = CheckDay(to, "to_date"); !s.ok()) return s;
  if (to < from) {
    return absl::InvalidArgumentError(absl::StrCat("to_date: ", FormatDate(to),
                                                   " is before from_date ",
                                                   FormatDate(from)));
  }
  std::shared_ptr<const Snapshot> snapshot = context.snapshots->Current();
  absl::StatusOr<FunnelEvents> events =
      LoadFunnelEvents(*context.store, *snapshot, from, to);
  if (!events.ok()) return events.status();
  return ComputeDecisionFunnel(*events, from, to);
}

}  // namespace placement::app
