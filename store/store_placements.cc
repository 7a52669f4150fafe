// The store's holds, placements and step changes (see the comments in
// store.h; the life cycles are engine/placements.h).

#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/opening_rules.h"
#include "engine/placements.h"
#include "proto/convert.h"
#include "store/internal/records.h"
#include "store/internal/sqlite_support.h"
#include "store/store.h"

namespace placement::store {
namespace {

using internal::Change;
using internal::InTransaction;
using internal::ReadOpening;
using internal::ReadRecord;
using internal::Statement;
using internal::StepError;
using internal::WriteOpening;
using internal::WriteParticipant;

int64_t Micros(absl::Time at) { return absl::ToUnixMicros(at); }

constexpr char kHoldColumns[] =
    "hold_id, participant_id, opening_id, coach_id, state, created_at, "
    "expires_at, ended_at, ended_by, placement_id";

absl::StatusOr<Hold> ReadHold(Statement& row, const std::string& path) {
  Hold hold;
  hold.id = row.Text(0);
  hold.participant_id = row.Text(1);
  hold.opening_id = row.Text(2);
  hold.coach_id = row.Text(3);
  absl::StatusOr<HoldState> state = ParseHoldState(row.Text(4));
  if (!state.ok()) {
    return absl::DataLossError(absl::StrCat("'", path, "': hold ", hold.id,
                                            ": ", state.status().message()));
  }
  hold.state = *state;
  hold.created_at = absl::FromUnixMicros(row.Int(5));
  hold.expires_at = absl::FromUnixMicros(row.Int(6));
  if (!row.IsNull(7)) hold.ended_at = absl::FromUnixMicros(row.Int(7));
  hold.ended_by = row.Text(8);
  hold.placement_id = row.Text(9);
  return hold;
}

absl::Status WriteHold(sqlite3* db, const std::string& path, const Hold& hold) {
  Statement statement(
      db, absl::StrCat("INSERT OR REPLACE INTO holds (", kHoldColumns,
                       ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
              .c_str());
  statement.BindText(1, hold.id);
  statement.BindText(2, hold.participant_id);
  statement.BindText(3, hold.opening_id);
  statement.BindText(4, hold.coach_id);
  statement.BindText(5, HoldStateSlug(hold.state));
  statement.BindInt(6, Micros(hold.created_at));
  statement.BindInt(7, Micros(hold.expires_at));
  if (hold.ended_at) {
    statement.BindInt(8, Micros(*hold.ended_at));
  } else {
    statement.BindNull(8);
  }
  statement.BindText(9, hold.ended_by);
  statement.BindText(10, hold.placement_id);
  if (statement.Step() != SQLITE_DONE) {
    return StepError(db, path, "writing a hold failed");
  }
  return absl::OkStatus();
}

// The holds a query selects (a WHERE clause over holds, text parameters).
absl::StatusOr<std::vector<Hold>> SelectHolds(
    sqlite3* db, const std::string& path, const std::string& where,
    const std::vector<std::string>& parameters, const std::string& tail = "") {
  Statement statement(db, absl::StrCat("SELECT ", kHoldColumns,
                                       " FROM holds WHERE ", where, tail)
                              .c_str());
  if (!statement.ok()) return StepError(db, path, "cannot read holds");
  for (size_t i = 0; i < parameters.size(); ++i) {
    statement.BindText(static_cast<int>(i + 1), parameters[i]);
  }
  std::vector<Hold> holds;
  int code;
  while ((code = statement.Step()) == SQLITE_ROW) {
    absl::StatusOr<Hold> hold = ReadHold(statement, path);
    if (!hold.ok()) return hold.status();
    holds.push_back(*std::move(hold));
  }
  if (code != SQLITE_DONE) return StepError(db, path, "reading holds failed");
  return holds;
}

// The participant's holds live at `at`: at most one.
absl::StatusOr<std::vector<Hold>> LiveHoldsOf(sqlite3* db,
                                              const std::string& path,
                                              const std::string& participant,
                                              absl::Time at) {
  return SelectHolds(
      db, path,
      absl::StrCat("participant_id = ?1 AND state = 'active' AND expires_at > ",
                   Micros(at)),
      {participant});
}

constexpr char kPlacementColumns[] =
    "placement_id, participant_id, opening_id, source, source_id, "
    "started_by, start_date, created_at, end_date, outcome, moved_to_step, "
    "left_programme, ended_by, ended_at";

absl::StatusOr<PlacementRecord> ReadPlacement(Statement& row,
                                              const std::string& path) {
  PlacementRecord p;
  p.id = row.Text(0);
  p.participant_id = row.Text(1);
  p.opening_id = row.Text(2);
  auto bad = [&](const absl::Status& s) {
    return absl::DataLossError(
        absl::StrCat("'", path, "': placement ", p.id, ": ", s.message()));
  };
  absl::StatusOr<PlacementSource> source = ParsePlacementSource(row.Text(3));
  if (!source.ok()) return bad(source.status());
  p.source = *source;
  p.source_id = row.Text(4);
  p.started_by = row.Text(5);
  absl::StatusOr<Date> start = ParseDate(row.Text(6));
  if (!start.ok()) return bad(start.status());
  p.start_date = *start;
  p.created_at = absl::FromUnixMicros(row.Int(7));
  if (!row.IsNull(8)) {
    absl::StatusOr<Date> end = ParseDate(row.Text(8));
    if (!end.ok()) return bad(end.status());
    p.end_date = *end;
  }
  if (!row.IsNull(9)) {
    absl::StatusOr<PlacementOutcome> outcome =
        ParsePlacementOutcome(row.Text(9));
    if (!outcome.ok()) return bad(outcome.status());
    p.outcome = *outcome;
  }
  p.moved_to_step = static_cast<int>(row.Int(10));
  p.left_programme = row.Int(11) != 0;
  p.ended_by = row.Text(12);
  if (!row.IsNull(13)) p.ended_at = absl::FromUnixMicros(row.Int(13));
  return p;
}

absl::Status WritePlacement(sqlite3* db, const std::string& path,
                            const PlacementRecord& p) {
  Statement statement(
      db, absl::StrCat("INSERT OR REPLACE INTO placements (", kPlacementColumns,
                       ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
              .c_str());
  statement.BindText(1, p.id);
  statement.BindText(2, p.participant_id);
  statement.BindText(3, p.opening_id);
  statement.BindText(4, PlacementSourceSlug(p.source));
  statement.BindText(5, p.source_id);
  statement.BindText(6, p.started_by);
  statement.BindText(7, FormatDate(p.start_date));
  statement.BindInt(8, Micros(p.created_at));
  if (p.end_date) {
    statement.BindText(9, FormatDate(*p.end_date));
  } else {
    statement.BindNull(9);
  }
  if (p.outcome) {
    statement.BindText(10, PlacementOutcomeSlug(*p.outcome));
  } else {
    statement.BindNull(10);
  }
  statement.BindInt(11, p.moved_to_step);
  statement.BindInt(12, p.left_programme ? 1 : 0);
  statement.BindText(13, p.ended_by);
  if (p.ended_at) {
    statement.BindInt(14, Micros(*p.ended_at));
  } else {
    statement.BindNull(14);
  }
  if (statement.Step() != SQLITE_DONE) {
    return StepError(db, path, "writing a placement failed");
  }
  return absl::OkStatus();
}

absl::Status WriteStepChange(sqlite3* db, const std::string& path,
                             const StepChange& change) {
  Statement statement(
      db,
      "INSERT INTO step_changes (participant_id, on_date, from_step, "
      "to_step, reason, placement_id, actor, at) VALUES (?, ?, ?, ?, ?, ?, "
      "?, ?)");
  statement.BindText(1, change.participant_id);
  statement.BindText(2, FormatDate(change.on));
  statement.BindInt(3, change.from_step);
  statement.BindInt(4, change.to_step);
  statement.BindText(5, StepChangeReasonSlug(change.reason));
  statement.BindText(6, change.placement_id);
  statement.BindText(7, change.actor);
  statement.BindInt(8, Micros(change.at));
  if (statement.Step() != SQLITE_DONE) {
    return StepError(db, path, "writing a step change failed");
  }
  return absl::OkStatus();
}

// "participant P0000012: status placed, not active".
absl::Status CheckActive(const Participant& participant) {
  if (participant.status == ParticipantStatus::kActive) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("participant ", participant.id, ": status ",
                   ParticipantStatusSlug(participant.status), ", not active"));
}

}  // namespace

absl::StatusOr<std::string> Store::NextId(const char* table, const char* column,
                                          char prefix) {
  // Ids of one prefix and 7 digits sort by number in text order.
  Statement highest(db_, absl::StrCat("SELECT ", column, " FROM ", table,
                                      " ORDER BY ", column, " DESC LIMIT 1")
                             .c_str());
  int next = 1;
  const int code = highest.Step();
  if (code == SQLITE_ROW) {
    int number = 0;
    if (absl::SimpleAtoi(highest.Text(0).substr(1), &number)) next = number + 1;
  } else if (code != SQLITE_DONE) {
    return SqliteError("reading the highest id failed");
  }
  if (next > 9'999'999) {
    return absl::ResourceExhaustedError(
        absl::StrCat("no free id is left in ", table));
  }
  return absl::StrFormat("%c%07d", prefix, next);
}

absl::StatusOr<HoldChange> Store::PlaceHold(const HoldRequest& request) {
  CallLock lock(this);
  HoldChange change;
  absl::Status status = InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    absl::StatusOr<Participant> participant =
        ReadRecord<v1::Participant, Participant>(db_, path_, "participants",
                                                 request.participant_id);
    if (!participant.ok()) return participant.status();
    if (absl::Status s = CheckActive(*participant); !s.ok()) return s;
    absl::StatusOr<std::vector<Hold>> live =
        LiveHoldsOf(db_, path_, participant->id, request.at);
    if (!live.ok()) return live.status();
    if (!live->empty()) {
      const Hold& held = live->front();
      return absl::FailedPreconditionError(absl::StrCat(
          "participant ", participant->id, " already holds a place in ",
          held.opening_id, " (hold ", held.id, ", until ",
          absl::FormatTime(absl::RFC3339_sec, held.expires_at,
                           absl::UTCTimeZone()),
          "); release it first"));
    }
    absl::StatusOr<Opening> opening =
        ReadOpening(db_, path_, request.opening_id, request.at);
    if (!opening.ok()) return opening.status();
    if (absl::Status s = CheckAcceptsPlacement(*opening, request.today);
        !s.ok()) {
      if (AvailabilityOn(*opening, request.today).free_place) return s;
      return absl::FailedPreconditionError(
          absl::StrCat("opening ", opening->id,
                       ": no free place: the last one was just taken (",
                       s.message().substr(s.message().find(": ") + 2), ")"));
    }
    absl::StatusOr<std::string> id = NextId("holds", "hold_id", 'H');
    if (!id.ok()) return id.status();
    change.hold = Hold{.id = *id,
                       .participant_id = participant->id,
                       .opening_id = opening->id,
                       .coach_id = request.coach_id,
                       .state = HoldState::kActive,
                       .created_at = request.at,
                       .expires_at = request.expires_at};
    if (absl::Status s = WriteHold(db_, path_, change.hold); !s.ok()) return s;
    ++opening->places_held;
    change.opening = *std::move(opening);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return change;
}

absl::StatusOr<HoldChange> Store::ReleaseHold(absl::string_view hold_id,
                                              absl::string_view actor,
                                              absl::Time at) {
  CallLock lock(this);
  HoldChange change;
  absl::Status status = InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    absl::StatusOr<std::vector<Hold>> found =
        SelectHolds(db_, path_, "hold_id = ?1", {std::string(hold_id)});
    if (!found.ok()) return found.status();
    if (found->empty()) {
      return absl::NotFoundError(
          absl::StrCat("hold ", hold_id, " does not exist"));
    }
    change.hold = found->front();
    Hold& hold = change.hold;
    absl::StatusOr<HoldState> next =
        NextHoldState(StateAt(hold, at), HoldAction::kRelease, hold.id);
    if (!next.ok()) return next.status();
    if (*next == hold.state) {
      change.changed = false;
      return absl::OkStatus();
    }
    hold.state = *next;
    hold.ended_at = at;
    hold.ended_by = std::string(actor);
    if (absl::Status s = WriteHold(db_, path_, hold); !s.ok()) return s;
    absl::StatusOr<Opening> opening =
        ReadOpening(db_, path_, hold.opening_id, std::nullopt);
    if (absl::IsNotFound(opening.status())) return absl::OkStatus();
    if (!opening.ok()) return opening.status();
    change.opening = *std::move(opening);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return change;
}

absl::StatusOr<ExpiredHolds> Store::ExpireHolds(absl::Time at) {
  CallLock lock(this);
  ExpiredHolds expired;
  // Nothing due, the usual case: a read, so a store that cannot be written
  // (a full disk) still answers.
  {
    Statement due(db_,
                  "SELECT count(*) FROM holds WHERE state = 'active' AND "
                  "expires_at <= ?1");
    due.BindInt(1, Micros(at));
    if (due.Step() != SQLITE_ROW) return SqliteError("reading holds failed");
    if (due.Int(0) == 0) {
      Statement next(
          db_, "SELECT min(expires_at) FROM holds WHERE state = 'active'");
      if (next.Step() != SQLITE_ROW) return SqliteError("reading holds failed");
      if (!next.IsNull(0)) {
        expired.next_expiry = absl::FromUnixMicros(next.Int(0));
      }
      return expired;
    }
  }
  absl::Status status = InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    absl::StatusOr<std::vector<Hold>> due = SelectHolds(
        db_, path_,
        absl::StrCat("state = 'active' AND expires_at <= ", Micros(at)), {},
        " ORDER BY hold_id");
    if (!due.ok()) return due.status();
    std::vector<std::string> opening_ids;
    for (Hold& hold : *due) {
      absl::StatusOr<HoldState> next =
          NextHoldState(hold.state, HoldAction::kExpire, hold.id);
      if (!next.ok()) return next.status();
      hold.state = *next;
      hold.ended_at = hold.expires_at;
      if (absl::Status s = WriteHold(db_, path_, hold); !s.ok()) return s;
      opening_ids.push_back(hold.opening_id);
    }
    std::sort(opening_ids.begin(), opening_ids.end());
    opening_ids.erase(std::unique(opening_ids.begin(), opening_ids.end()),
                      opening_ids.end());
    for (const std::string& id : opening_ids) {
      absl::StatusOr<Opening> opening =
          ReadOpening(db_, path_, id, std::nullopt);
      if (absl::IsNotFound(opening.status())) continue;
      if (!opening.ok()) return opening.status();
      expired.openings.push_back(*std::move(opening));
    }
    expired.holds = *std::move(due);
    Statement next(db_,
                   "SELECT min(expires_at) FROM holds WHERE state = 'active'");
    if (next.Step() != SQLITE_ROW) return SqliteError("reading holds failed");
    if (!next.IsNull(0))
      expired.next_expiry = absl::FromUnixMicros(next.Int(0));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return expired;
}

absl::StatusOr<Hold> Store::GetHold(absl::string_view hold_id) {
  CallLock lock(this);
  absl::StatusOr<std::vector<Hold>> found =
      SelectHolds(db_, path_, "hold_id = ?1", {std::string(hold_id)});
  if (!found.ok()) return found.status();
  if (found->empty()) {
    return absl::NotFoundError(
        absl::StrCat("hold ", hold_id, " does not exist"));
  }
  return found->front();
}

absl::StatusOr<std::vector<Hold>> Store::ListHolds(const HoldQuery& query) {
  std::vector<std::string> where = {"1"};
  std::vector<std::string> parameters;
  auto add = [&](const std::string& condition, const std::string& value) {
    parameters.push_back(value);
    where.push_back(absl::StrCat(condition, " ?", parameters.size()));
  };
  if (!query.participant_id.empty()) {
    add("participant_id =", query.participant_id);
  }
  if (!query.opening_id.empty()) add("opening_id =", query.opening_id);
  if (!query.coach_id.empty()) {
    add("participant_id IN (SELECT id FROM participants WHERE coach_id =",
        query.coach_id);
    where.back() += ")";
  }
  if (query.live_at) {
    where.push_back(absl::StrCat("state = 'active' AND expires_at > ",
                                 Micros(*query.live_at)));
  }
  CallLock lock(this);
  return SelectHolds(
      db_, path_, absl::StrJoin(where, " AND "), parameters,
      absl::StrCat(" ORDER BY hold_id DESC LIMIT ", std::max(0, query.limit)));
}

absl::Status Store::TakePlace(Participant participant,
                              const std::string& opening_id,
                              PlacementSource source,
                              const std::string& source_id,
                              const std::string& actor, const Date& start_date,
                              absl::Time at, const Date& today,
                              PlacementChange& change) {
  if (absl::Status s = CheckActive(participant); !s.ok()) return s;
  absl::StatusOr<std::vector<Hold>> live =
      LiveHoldsOf(db_, path_, participant.id, at);
  if (!live.ok()) return live.status();
  std::optional<Hold> own;  // the participant's live hold on this opening
  std::optional<Hold> elsewhere;
  for (Hold& hold : *live) {
    (hold.opening_id == opening_id ? own : elsewhere) = std::move(hold);
  }
  if (source == PlacementSource::kHold && (!own || own->id != source_id)) {
    return absl::FailedPreconditionError(
        absl::StrCat("hold ", source_id, " is not live"));
  }
  absl::StatusOr<Opening> opening = ReadOpening(db_, path_, opening_id, at);
  if (!opening.ok()) return opening.status();
  // The participant's own hold is their place, not someone else's.
  Opening for_check = *opening;
  if (own) --for_check.places_held;
  if (absl::Status s = CheckAcceptsPlacement(for_check, today); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> id = NextId("placements", "placement_id", 'L');
  if (!id.ok()) return id.status();
  change.placement = PlacementRecord{.id = *id,
                                     .participant_id = participant.id,
                                     .opening_id = opening_id,
                                     .source = source,
                                     .source_id = source_id,
                                     .started_by = actor,
                                     .start_date = start_date,
                                     .created_at = at};
  if (absl::Status s = WritePlacement(db_, path_, change.placement); !s.ok())
    return s;
  if (own) {
    own->state = HoldState::kStarted;
    own->ended_at = at;
    own->ended_by = actor;
    own->placement_id = *id;
    if (absl::Status s = WriteHold(db_, path_, *own); !s.ok()) return s;
    change.hold = std::move(own);
  }
  if (elsewhere) {
    elsewhere->state = HoldState::kReleased;
    elsewhere->ended_at = at;
    elsewhere->ended_by = actor;
    if (absl::Status s = WriteHold(db_, path_, *elsewhere); !s.ok()) return s;
    absl::StatusOr<Opening> other =
        ReadOpening(db_, path_, elsewhere->opening_id, std::nullopt);
    if (other.ok()) {
      change.openings.push_back(*std::move(other));
    } else if (!absl::IsNotFound(other.status())) {
      return other.status();
    }
    if (!change.hold) change.hold = std::move(elsewhere);
  }
  ++opening->places_taken;
  opening->updated_at = at;
  if (absl::Status s = WriteOpening(db_, path_, *opening); !s.ok()) return s;
  absl::StatusOr<int> held = internal::HeldPlaces(db_, path_, opening_id, {});
  if (!held.ok()) return held.status();
  opening->places_held = *held;
  change.openings.insert(change.openings.begin(), *std::move(opening));
  participant.status = ParticipantStatus::kPlaced;
  participant.updated_at = at;
  if (absl::Status s = WriteParticipant(db_, path_, participant); !s.ok())
    return s;
  absl::StatusOr<int> expired = Change(
      db_, path_,
      "UPDATE proposals SET state = 'expired', decided_at = ?3 WHERE "
      "participant_id = ?1 AND state = 'pending' AND proposal_id <> ?2",
      {participant.id, source == PlacementSource::kProposal ? source_id : "",
       absl::StrCat(absl::ToUnixMicros(at))});
  if (!expired.ok()) return expired.status();
  change.expired_proposals = *expired;
  change.participant = std::move(participant);
  return absl::OkStatus();
}

absl::StatusOr<PlacementChange> Store::StartPlacement(
    const PlacementStart& start) {
  CallLock lock(this);
  PlacementChange change;
  absl::Status status = InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    absl::StatusOr<Participant> participant =
        ReadRecord<v1::Participant, Participant>(db_, path_, "participants",
                                                 start.participant_id);
    if (!participant.ok()) return participant.status();
    std::string opening_id = start.opening_id;
    PlacementSource source = PlacementSource::kDirect;
    if (!start.hold_id.empty()) {
      absl::StatusOr<std::vector<Hold>> found =
          SelectHolds(db_, path_, "hold_id = ?1", {start.hold_id});
      if (!found.ok()) return found.status();
      if (found->empty()) {
        return absl::NotFoundError(
            absl::StrCat("hold ", start.hold_id, " does not exist"));
      }
      const Hold& hold = found->front();
      if (hold.participant_id != participant->id) {
        return absl::InvalidArgumentError(absl::StrCat(
            "hold_id: ", hold.id, " is not a hold of ", participant->id));
      }
      if (!opening_id.empty() && opening_id != hold.opening_id) {
        return absl::InvalidArgumentError(
            absl::StrCat("opening_id: ", opening_id, " is not the opening of ",
                         hold.id, " (", hold.opening_id, ")"));
      }
      absl::StatusOr<HoldState> next =
          NextHoldState(StateAt(hold, start.at), HoldAction::kStart, hold.id);
      if (!next.ok()) return next.status();
      opening_id = hold.opening_id;
      source = PlacementSource::kHold;
    }
    return TakePlace(*std::move(participant), opening_id, source, start.hold_id,
                     start.actor, start.start_date, start.at, start.today,
                     change);
  });
  if (!status.ok()) return status;
  return change;
}

absl::StatusOr<PlacementChange> Store::EndPlacement(
    absl::string_view placement_id, const PlacementEnd& end,
    absl::string_view actor, absl::Time at, Date today) {
  CallLock lock(this);
  PlacementChange change;
  absl::Status status = InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    {
      Statement select(db_, absl::StrCat("SELECT ", kPlacementColumns,
                                         " FROM placements WHERE "
                                         "placement_id = ?")
                                .c_str());
      select.BindText(1, placement_id);
      const int code = select.Step();
      if (code == SQLITE_DONE) {
        return absl::NotFoundError(
            absl::StrCat("placement ", placement_id, " does not exist"));
      }
      if (code != SQLITE_ROW) return SqliteError("reading a placement failed");
      absl::StatusOr<PlacementRecord> placement = ReadPlacement(select, path_);
      if (!placement.ok()) return placement.status();
      change.placement = *std::move(placement);
    }
    PlacementRecord& placement = change.placement;
    absl::StatusOr<PlacementState> next =
        NextPlacementState(placement.state(), PlacementAction::kEnd,
                           placement.id, placement.end_date);
    if (!next.ok()) return next.status();
    absl::StatusOr<Participant> participant =
        ReadRecord<v1::Participant, Participant>(db_, path_, "participants",
                                                 placement.participant_id);
    if (!participant.ok()) return participant.status();
    absl::StatusOr<EndEffect> effect = ApplyPlacementEnd(
        placement, *std::move(participant), end, today, actor, at);
    if (!effect.ok()) return effect.status();
    placement.end_date = end.end_date;
    placement.outcome = end.outcome;
    placement.moved_to_step =
        end.outcome == PlacementOutcome::kMovedUp ? end.to_step : -1;
    placement.left_programme = end.leaves_programme;
    placement.ended_by = std::string(actor);
    placement.ended_at = at;
    if (absl::Status s = WritePlacement(db_, path_, placement); !s.ok())
      return s;
    absl::StatusOr<Opening> opening =
        ReadOpening(db_, path_, placement.opening_id, std::nullopt);
    if (opening.ok()) {
      opening->places_taken = std::max(0, opening->places_taken - 1);
      opening->updated_at = at;
      if (absl::Status s = WriteOpening(db_, path_, *opening); !s.ok())
        return s;
      change.openings.push_back(*std::move(opening));
    } else if (!absl::IsNotFound(opening.status())) {
      return opening.status();
    }
    if (absl::Status s = WriteParticipant(db_, path_, effect->participant);
        !s.ok()) {
      return s;
    }
    if (effect->step_change) {
      if (absl::Status s = WriteStepChange(db_, path_, *effect->step_change);
          !s.ok()) {
        return s;
      }
    }
    change.participant = std::move(effect->participant);
    change.step_change = std::move(effect->step_change);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return change;
}

absl::StatusOr<PlacementRecord> Store::GetPlacement(
    absl::string_view placement_id) {
  CallLock lock(this);
  Statement select(db_, absl::StrCat("SELECT ", kPlacementColumns,
                                     " FROM placements WHERE placement_id = ?")
                            .c_str());
  select.BindText(1, placement_id);
  const int code = select.Step();
  if (code == SQLITE_DONE) {
    return absl::NotFoundError(
        absl::StrCat("placement ", placement_id, " does not exist"));
  }
  if (code != SQLITE_ROW) return SqliteError("reading a placement failed");
  return ReadPlacement(select, path_);
}

absl::StatusOr<std::vector<PlacementRecord>> Store::ListPlacements(
    const PlacementQuery& query) {
  std::vector<std::string> where = {"1"};
  std::vector<std::string> parameters;
  if (!query.participant_id.empty()) {
    parameters.push_back(query.participant_id);
    where.push_back(absl::StrCat("participant_id = ?", parameters.size()));
  }
  if (!query.opening_id.empty()) {
    parameters.push_back(query.opening_id);
    where.push_back(absl::StrCat("opening_id = ?", parameters.size()));
  }
  CallLock lock(this);
  Statement select(
      db_,
      absl::StrCat("SELECT ", kPlacementColumns, " FROM placements WHERE ",
                   absl::StrJoin(where, " AND "),
                   " ORDER BY placement_id LIMIT ", std::max(0, query.limit))
          .c_str());
  if (!select.ok()) return SqliteError("cannot read placements");
  for (size_t i = 0; i < parameters.size(); ++i) {
    select.BindText(static_cast<int>(i + 1), parameters[i]);
  }
  std::vector<PlacementRecord> placements;
  int code;
  while ((code = select.Step()) == SQLITE_ROW) {
    absl::StatusOr<PlacementRecord> placement = ReadPlacement(select, path_);
    if (!placement.ok()) return placement.status();
    placements.push_back(*std::move(placement));
  }
  if (code != SQLITE_DONE) return SqliteError("reading placements failed");
  return placements;
}

absl::Status Store::SaveParticipant(
    const Participant& participant,
    const std::optional<StepChange>& step_change) {
  CallLock lock(this);
  absl::Status status = InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    if (absl::Status s = WriteParticipant(db_, path_, participant); !s.ok())
      return s;
    if (step_change) return WriteStepChange(db_, path_, *step_change);
    return absl::OkStatus();
  });
  if (status.ok()) erased_references_.erase(participant.id);
  return status;
}

absl::StatusOr<std::vector<StepChange>> Store::ListStepChanges(
    absl::string_view participant_id) {
  CallLock lock(this);
  Statement select(db_,
                   "SELECT participant_id, on_date, from_step, to_step, "
                   "reason, placement_id, actor, at FROM step_changes WHERE "
                   "participant_id = ? ORDER BY id");
  select.BindText(1, participant_id);
  std::vector<StepChange> changes;
  int code;
  while ((code = select.Step()) == SQLITE_ROW) {
    StepChange change;
    change.participant_id = select.Text(0);
    absl::StatusOr<Date> on = ParseDate(select.Text(1));
    absl::StatusOr<StepChangeReason> reason =
        ParseStepChangeReason(select.Text(4));
    if (!on.ok() || !reason.ok()) {
      return absl::DataLossError(
          absl::StrCat("'", path_, "': a step change of ", participant_id,
                       " cannot be decoded"));
    }
    change.on = *on;
    change.from_step = static_cast<int>(select.Int(2));
    change.to_step = static_cast<int>(select.Int(3));
    change.reason = *reason;
    change.placement_id = select.Text(5);
    change.actor = select.Text(6);
    change.at = absl::FromUnixMicros(select.Int(7));
    changes.push_back(std::move(change));
  }
  if (code != SQLITE_DONE) return SqliteError("reading step changes failed");
  return changes;
}

}  // namespace placement::store
