// The store's part of the follow-up: each exited participant's situation
// after exit, and the events the follow-up report reads.

#include <sqlite3.h>

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/followup.h"
#include "proto/convert.h"
#include "store/internal/records.h"
#include "store/internal/sqlite_support.h"
#include "store/store.h"

namespace placement::store {
namespace {

using internal::InTransaction;
using internal::ReadRecord;
using internal::Statement;
using internal::StepError;

absl::Status Corrupt(const std::string& path, absl::string_view what,
                     absl::string_view id) {
  return absl::DataLossError(
      absl::StrCat("'", path, "': ", what, " of ", id, " cannot be decoded"));
}

}  // namespace

absl::Status Store::SaveExitFollowUp(const ExitFollowUp& follow_up) {
  CallLock lock(this);
  return InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    absl::StatusOr<Participant> participant =
        ReadRecord<v1::Participant, Participant>(db_, path_, "participants",
                                                 follow_up.participant_id);
    if (!participant.ok()) return participant.status();
    if (participant->status != ParticipantStatus::kExited ||
        participant->exit_date != follow_up.exit_date) {
      return absl::FailedPreconditionError(absl::StrCat(
          "participant ", follow_up.participant_id, " is no longer exited on ",
          FormatDate(follow_up.exit_date)));
    }
    Statement statement(
        db_,
        "INSERT OR REPLACE INTO exit_follow_ups (participant_id, situation, "
        "checked_on, exit_date, recorded_by, recorded_at) VALUES (?, ?, ?, ?, "
        "?, ?)");
    statement.BindText(1, follow_up.participant_id);
    statement.BindText(2, ExitSituationSlug(follow_up.situation));
    statement.BindText(3, FormatDate(follow_up.checked_on));
    statement.BindText(4, FormatDate(follow_up.exit_date));
    statement.BindText(5, follow_up.recorded_by);
    statement.BindInt(6, absl::ToUnixMicros(follow_up.recorded_at));
    if (statement.Step() != SQLITE_DONE) {
      return StepError(db_, path_, "writing a follow-up after exit failed");
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<ExitFollowUp>> Store::GetExitFollowUp(
    absl::string_view participant_id) {
  CallLock lock(this);
  Statement select(db_,
                   "SELECT situation, checked_on, exit_date, recorded_by, "
                   "recorded_at FROM exit_follow_ups WHERE participant_id = ?");
  select.BindText(1, participant_id);
  const int code = select.Step();
  if (code == SQLITE_DONE) return std::optional<ExitFollowUp>();
  if (code != SQLITE_ROW) {
    return SqliteError("reading a follow-up after exit failed");
  }
  absl::StatusOr<ExitSituation> situation = ParseExitSituation(select.Text(0));
  absl::StatusOr<Date> checked_on = ParseDate(select.Text(1));
  absl::StatusOr<Date> exit_date = ParseDate(select.Text(2));
  if (!situation.ok() || !checked_on.ok() || !exit_date.ok()) {
    return Corrupt(path_, "the follow-up after exit", participant_id);
  }
  return ExitFollowUp{.participant_id = std::string(participant_id),
                      .situation = *situation,
                      .checked_on = *checked_on,
                      .exit_date = *exit_date,
                      .recorded_by = select.Text(3),
                      .recorded_at = absl::FromUnixMicros(select.Int(4))};
}

absl::StatusOr<FollowUpEvents> Store::LoadFollowUpEvents(
    absl::FunctionRef<std::optional<OpeningKind>(absl::string_view)> kind_of) {
  CallLock lock(this);
  FollowUpEvents events;
  // One snapshot of the three tables.
  if (absl::Status s = Execute("BEGIN"); !s.ok()) return s;
  absl::Status status = [&]() -> absl::Status {
    mutex_.AssertHeld();  // runs inside the read transaction, under the lock
    Statement placements(db_,
                         "SELECT placement_id, participant_id, opening_id, "
                         "start_date, end_date, outcome FROM placements");
    int code;
    while ((code = placements.Step()) == SQLITE_ROW) {
      std::optional<OpeningKind> kind = kind_of(placements.Text(2));
      if (!kind) continue;
      FollowUpPlacement placement{.id = placements.Text(0),
                                  .participant_id = placements.Text(1),
                                  .kind = *kind};
      absl::StatusOr<Date> start = ParseDate(placements.Text(3));
      if (!start.ok()) return Corrupt(path_, "the start", placement.id);
      placement.start_date = *start;
      if (!placements.IsNull(4)) {
        absl::StatusOr<Date> end = ParseDate(placements.Text(4));
        if (!end.ok()) return Corrupt(path_, "the end", placement.id);
        placement.end_date = *end;
      }
      if (!placements.IsNull(5)) {
        absl::StatusOr<PlacementOutcome> outcome =
            ParsePlacementOutcome(placements.Text(5));
        if (!outcome.ok()) return Corrupt(path_, "the outcome", placement.id);
        placement.outcome = *outcome;
      }
      events.placements.push_back(std::move(placement));
    }
    if (code != SQLITE_DONE) return SqliteError("reading placements failed");

    Statement steps(db_,
                    "SELECT participant_id, on_date, from_step, to_step FROM "
                    "step_changes");
    while ((code = steps.Step()) == SQLITE_ROW) {
      FollowUpStepChange change{.participant_id = steps.Text(0)};
      absl::StatusOr<Date> on = ParseDate(steps.Text(1));
      if (!on.ok())
        return Corrupt(path_, "a step change", change.participant_id);
      change.on = *on;
      change.from_step = static_cast<int>(steps.Int(2));
      change.to_step = static_cast<int>(steps.Int(3));
      events.step_changes.push_back(std::move(change));
    }
    if (code != SQLITE_DONE) return SqliteError("reading step changes failed");

    Statement situations(db_,
                         "SELECT participant_id, exit_date, situation FROM "
                         "exit_follow_ups");
    while ((code = situations.Step()) == SQLITE_ROW) {
      FollowUpSituation situation{.participant_id = situations.Text(0)};
      absl::StatusOr<Date> exit_date = ParseDate(situations.Text(1));
      absl::StatusOr<ExitSituation> what =
          ParseExitSituation(situations.Text(2));
      if (!exit_date.ok() || !what.ok()) {
        return Corrupt(path_, "the follow-up after exit",
                       situation.participant_id);
      }
      situation.exit_date = *exit_date;
      situation.situation = *what;
      events.situations.push_back(std::move(situation));
    }
    if (code != SQLITE_DONE) {
      return SqliteError("reading follow-ups after exit failed");
    }
    return absl::OkStatus();
  }();
  Execute(status.ok() ? "COMMIT" : "ROLLBACK").IgnoreError();
  if (!status.ok()) return status;
  return events;
}

}  // namespace placement::store
