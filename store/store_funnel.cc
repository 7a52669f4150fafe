// The decision funnel's events as the store keeps them (see store.h):
// suggestion marks, the dates of published proposals, placements' starts
// and ends. Counts are taken in engine/funnel.h; these only read.

#include <sqlite3.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "store/internal/sqlite_support.h"
#include "store/store.h"

namespace placement::store {
namespace {

using internal::Statement;
using internal::StepError;

absl::Status BadRow(const std::string& path, absl::string_view table,
                    const absl::Status& status) {
  return absl::DataLossError(
      absl::StrCat("'", path, "': ", table, ": ", status.message()));
}

}  // namespace

absl::StatusOr<std::vector<FunnelSuggestion>> Store::LoadSuggestionMarks(
    const Date& from, const Date& to) {
  CallLock lock(this);
  // Several openings a day per participant are one mark for the funnel.
  Statement select(db_,
                   "SELECT DISTINCT day, participant_id FROM suggestions_shown "
                   "WHERE day BETWEEN ?1 AND ?2 ORDER BY day, participant_id");
  if (!select.ok()) return StepError(db_, path_, "cannot read suggestions");
  select.BindText(1, FormatDate(from));
  select.BindText(2, FormatDate(to));
  std::vector<FunnelSuggestion> marks;
  int code;
  while ((code = select.Step()) == SQLITE_ROW) {
    absl::StatusOr<Date> day = ParseDate(select.Text(0));
    if (!day.ok()) return BadRow(path_, "suggestions_shown", day.status());
    marks.push_back({.participant_id = select.Text(1), .on = *day});
  }
  if (code != SQLITE_DONE) {
    return StepError(db_, path_, "reading suggestions failed");
  }
  return marks;
}

absl::StatusOr<std::vector<ProposalDates>> Store::LoadProposalDates(
    absl::Time begin, absl::Time end) {
  CallLock lock(this);
  // Two ranges, each on an index (by created_at; by state), joined by
  // SQLite's OR optimisation.
  Statement select(
      db_,
      "SELECT participant_id, created_at, state, decided_at, proposal_id "
      "FROM proposals "
      "WHERE state != 'dry_run' AND ((created_at >= ?1 AND created_at < ?2) "
      "OR (state = 'accepted' AND decided_at >= ?1 AND decided_at < ?2)) "
      "ORDER BY proposal_id");
  if (!select.ok()) return StepError(db_, path_, "cannot read proposals");
  select.BindInt(1, absl::ToUnixMicros(begin));
  select.BindInt(2, absl::ToUnixMicros(end));
  std::vector<ProposalDates> proposals;
  int code;
  while ((code = select.Step()) == SQLITE_ROW) {
    ProposalDates dates{
        .proposal_id = select.Text(4),
        .participant_id = select.Text(0),
        .created_at = absl::FromUnixMicros(select.Int(1)),
        .accepted_at = std::nullopt,
    };
    if (select.Text(2) == "accepted" && !select.IsNull(3)) {
      dates.accepted_at = absl::FromUnixMicros(select.Int(3));
    }
    proposals.push_back(std::move(dates));
  }
  if (code != SQLITE_DONE) {
    return StepError(db_, path_, "reading proposals failed");
  }
  return proposals;
}

absl::StatusOr<std::vector<FunnelPlacement>> Store::LoadPlacementDates(
    const Date& from, const Date& to) {
  CallLock lock(this);
  Statement select(
      db_,
      "SELECT participant_id, start_date, end_date, outcome, source, "
      "source_id FROM placements "
      "WHERE start_date BETWEEN ?1 AND ?2 OR end_date BETWEEN ?1 AND ?2 "
      "ORDER BY placement_id");
  if (!select.ok()) return StepError(db_, path_, "cannot read placements");
  select.BindText(1, FormatDate(from));
  select.BindText(2, FormatDate(to));
  std::vector<FunnelPlacement> placements;
  int code;
  while ((code = select.Step()) == SQLITE_ROW) {
    FunnelPlacement placement;
    placement.participant_id = select.Text(0);
    absl::StatusOr<Date> start = ParseDate(select.Text(1));
    if (!start.ok()) return BadRow(path_, "placements", start.status());
    placement.start_date = *start;
    if (!select.IsNull(2)) {
      absl::StatusOr<Date> end = ParseDate(select.Text(2));
      if (!end.ok()) return BadRow(path_, "placements", end.status());
      placement.end_date = *end;
    }
    if (!select.IsNull(3)) {
      absl::StatusOr<PlacementOutcome> outcome =
          ParsePlacementOutcome(select.Text(3));
      if (!outcome.ok()) return BadRow(path_, "placements", outcome.status());
      placement.outcome = *outcome;
    }
    if (select.Text(4) == PlacementSourceSlug(PlacementSource::kProposal)) {
      placement.proposal_id = select.Text(5);
    }
    placements.push_back(std::move(placement));
  }
  if (code != SQLITE_DONE) {
    return StepError(db_, path_, "reading placements failed");
  }
  return placements;
}

}  // namespace placement::store
