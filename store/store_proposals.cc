// The store's rematch runs, proposals, decisions and placements (see the
// comments in store.h).

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/opening_rules.h"
#include "proto/convert.h"
#include "store/internal/records.h"
#include "store/internal/sqlite_support.h"
#include "store/store.h"

namespace placement::store {
namespace {

using internal::Change;
using internal::InTransaction;
using internal::ReadRecord;
using internal::Statement;
using internal::StepError;
using internal::WriteOpening;
using internal::WriteParticipant;

// Proposal states as stored in proposals.state.
constexpr char kPending[] = "pending";
constexpr char kAccepted[] = "accepted";
constexpr char kRejected[] = "rejected";
constexpr char kExpired[] = "expired";
constexpr char kDryRun[] = "dry_run";

const char* StateSlug(ProposalState state) {
  switch (state) {
    case ProposalState::kPending:
      return kPending;
    case ProposalState::kAccepted:
      return kAccepted;
    case ProposalState::kRejected:
      return kRejected;
    case ProposalState::kExpired:
      return kExpired;
    case ProposalState::kDryRun:
      break;
  }
  return kDryRun;
}

ProposalState StateFromSlug(const std::string& slug) {
  if (slug == kPending) return ProposalState::kPending;
  if (slug == kAccepted) return ProposalState::kAccepted;
  if (slug == kRejected) return ProposalState::kRejected;
  if (slug == kExpired) return ProposalState::kExpired;
  return ProposalState::kDryRun;
}

int64_t Micros(absl::Time at) { return absl::ToUnixMicros(at); }

// runs.state holds the API's state name ("RUN_STATE_QUEUED"), as rows
// written by earlier builds do.
std::string RunStateColumn(RunState state) {
  return absl::StrCat("RUN_STATE_", RunStateName(state));
}

constexpr char kProposalColumns[] =
    "p.proposal_id, p.run_id, p.participant_id, p.opening_id, p.state, "
    "p.explanation, p.decided_by, p.decided_at, p.reason, p.created_at, "
    "p.continued";
// The same for operators: the redacted explanation, no rejection reason.
constexpr char kRedactedProposalColumns[] =
    "p.proposal_id, p.run_id, p.participant_id, p.opening_id, p.state, "
    "p.redacted_explanation, p.decided_by, p.decided_at, '', p.created_at, "
    "p.continued";

// A row selected with kProposalColumns as its first columns.
absl::StatusOr<PublishedProposal> ReadProposal(Statement& row) {
  PublishedProposal proposal;
  proposal.id = row.Text(0);
  proposal.run_id = row.Text(1);
  proposal.participant_id = row.Text(2);
  proposal.opening_id = row.Text(3);
  proposal.state = StateFromSlug(row.Text(4));
  proposal.explanation_record = row.Blob(5);
  proposal.decided_by = row.Text(6);
  if (!row.IsNull(7)) proposal.decided_at = absl::FromUnixMicros(row.Int(7));
  proposal.rejection_reason = row.Text(8);
  proposal.created_at = absl::FromUnixMicros(row.Int(9));
  proposal.continued_from_previous_run = row.Int(10) != 0;
  return proposal;
}

absl::Status WriteRun(sqlite3* db, const std::string& path,
                      const RematchRun& run, const absl::string_view* report) {
  Statement statement(
      db,
      "INSERT OR REPLACE INTO runs (run_id, state, started_at, finished_at, "
      "report, record) VALUES (?, ?, ?, ?, ?, ?)");
  v1::Run record;
  ToProto(run, record);
  statement.BindText(1, run.id);
  statement.BindText(2, RunStateColumn(run.state));
  statement.BindInt(3, Micros(run.created_at));
  if (run.finished_at) {
    statement.BindInt(4, Micros(*run.finished_at));
  } else {
    statement.BindNull(4);
  }
  if (report != nullptr) {
    statement.BindBlob(5, *report);
  } else {
    statement.BindNull(5);
  }
  statement.BindBlob(6, record.SerializeAsString());
  if (statement.Step() != SQLITE_DONE) {
    return StepError(db, path, "writing the run failed");
  }
  return absl::OkStatus();
}

absl::StatusOr<RematchRun> ReadRun(Statement& row, int column,
                                   const std::string& path) {
  v1::Run record;
  if (!record.ParseFromString(row.Blob(column))) {
    return absl::DataLossError(
        absl::StrCat("'", path, "': a stored run cannot be decoded"));
  }
  absl::StatusOr<RematchRun> run = FromProto(record);
  if (!run.ok()) {
    return absl::DataLossError(
        absl::StrCat("'", path, "': stored run ", record.run_id(),
                     " is invalid: ", run.status().message()));
  }
  return run;
}

}  // namespace

absl::StatusOr<RematchRun> Store::CreateRun(RematchRun run) {
  CallLock lock(this);
  absl::Status status = InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    absl::StatusOr<int64_t> last = QueryInt(
        "SELECT coalesce(max(CAST(substr(run_id, 2) AS INTEGER)), 0) FROM "
        "runs");
    if (!last.ok()) return last.status();
    if (*last >= 999'999) {
      return absl::ResourceExhaustedError("no free run id is left");
    }
    run.id = absl::StrFormat("R%06d", *last + 1);
    return WriteRun(db_, path_, run, nullptr);
  });
  if (!status.ok()) return status;
  return run;
}

absl::Status Store::UpdateRun(const RematchRun& run) {
  CallLock lock(this);
  return InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    absl::StatusOr<int> exists =
        Change(db_, path_, "UPDATE runs SET state = state WHERE run_id = ?1",
               {run.id});
    if (!exists.ok()) return exists.status();
    if (*exists == 0) {
      return absl::NotFoundError(
          absl::StrCat("run ", run.id, " does not exist"));
    }
    return WriteRun(db_, path_, run, nullptr);
  });
}

absl::StatusOr<RematchRun> Store::GetRun(absl::string_view run_id) {
  CallLock lock(this);
  Statement statement(db_, "SELECT record FROM runs WHERE run_id = ?");
  statement.BindText(1, run_id);
  const int code = statement.Step();
  if (code == SQLITE_DONE) {
    return absl::NotFoundError(absl::StrCat("run ", run_id, " does not exist"));
  }
  if (code != SQLITE_ROW) return SqliteError("reading a run failed");
  return ReadRun(statement, 0, path_);
}

absl::StatusOr<std::vector<RematchRun>> Store::ListRuns(
    int limit, absl::string_view before_run_id) {
  CallLock lock(this);
  // Run ids are "R" + 6 digits: in text order they sort by number.
  Statement statement(
      db_,
      before_run_id.empty()
          ? "SELECT record FROM runs ORDER BY run_id DESC LIMIT ?1"
          : "SELECT record FROM runs WHERE run_id < ?2 ORDER BY run_id DESC "
            "LIMIT ?1");
  statement.BindInt(1, std::max(0, limit));
  if (!before_run_id.empty()) statement.BindText(2, before_run_id);
  std::vector<RematchRun> runs;
  int code;
  while ((code = statement.Step()) == SQLITE_ROW) {
    absl::StatusOr<RematchRun> run = ReadRun(statement, 0, path_);
    if (!run.ok()) return run.status();
    runs.push_back(std::move(*run));
  }
  if (code != SQLITE_DONE) return SqliteError("reading the runs failed");
  return runs;
}

absl::StatusOr<std::string> Store::GetRunReport(absl::string_view run_id) {
  CallLock lock(this);
  Statement statement(db_, "SELECT report FROM runs WHERE run_id = ?");
  statement.BindText(1, run_id);
  const int code = statement.Step();
  if (code == SQLITE_DONE || (code == SQLITE_ROW && statement.IsNull(0))) {
    return absl::NotFoundError(absl::StrCat("run ", run_id, " has no report"));
  }
  if (code != SQLITE_ROW) return SqliteError("reading a run report failed");
  return statement.Blob(0);
}

absl::Status Store::PublishRun(const RematchRun& run, absl::string_view report,
                               const std::vector<NewProposal>& proposals) {
  if (run.state != RunState::kSucceeded || !run.finished_at) {
    return absl::InvalidArgumentError(
        absl::StrCat("run ", run.id,
                     ": only a SUCCEEDED run with its finish time is "
                     "published"));
  }
  const bool dry_run = run.parameters.dry_run;
  CallLock lock(this);
  return InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    if (!dry_run) {
      absl::StatusOr<int> expired =
          Change(db_, path_,
                 "UPDATE proposals SET state = ?1, decided_at = ?3 "
                 "WHERE state = ?2",
                 {kExpired, kPending,
                  absl::StrCat(absl::ToUnixMicros(*run.finished_at))});
      if (!expired.ok()) return expired.status();
    }
    Statement insert(
        db_,
        "INSERT INTO proposals (proposal_id, run_id, "
        "participant_id, opening_id, state, score, explanation, "
        "created_at, continued, redacted_explanation) VALUES (?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?)");
    if (!insert.ok()) return SqliteError("cannot prepare the proposals");
    const int64_t created_at = Micros(*run.finished_at);
    int sequence = 0;
    for (const NewProposal& proposal : proposals) {
      insert.Reset();
      insert.BindText(1, absl::StrFormat("%s-%07d", run.id, ++sequence));
      insert.BindText(2, run.id);
      insert.BindText(3, proposal.participant_id);
      insert.BindText(4, proposal.opening_id);
      insert.BindText(5, dry_run ? kDryRun : kPending);
      insert.BindDouble(6, proposal.score);
      insert.BindBlob(7, proposal.explanation_record);
      insert.BindInt(8, created_at);
      insert.BindInt(9, proposal.continued_from_previous_run ? 1 : 0);
      insert.BindBlob(10, proposal.redacted_explanation_record);
      if (insert.Step() != SQLITE_DONE) {
        return SqliteError("storing a proposal failed");
      }
    }
    return WriteRun(db_, path_, run, &report);
  });
}

absl::StatusOr<int> Store::FailUnfinishedRuns(absl::Time at,
                                              absl::string_view message) {
  CallLock lock(this);
  int failed = 0;
  absl::Status status = InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    Statement select(db_,
                     "SELECT record FROM runs WHERE state IN "
                     "('RUN_STATE_QUEUED', 'RUN_STATE_RUNNING')");
    std::vector<RematchRun> runs;
    int code;
    while ((code = select.Step()) == SQLITE_ROW) {
      absl::StatusOr<RematchRun> run = ReadRun(select, 0, path_);
      if (!run.ok()) return run.status();
      runs.push_back(std::move(*run));
    }
    if (code != SQLITE_DONE) return SqliteError("reading the runs failed");
    for (RematchRun& run : runs) {
      run.state = RunState::kFailed;
      run.finished_at = at;
      run.error_message = std::string(message);
      if (absl::Status s = WriteRun(db_, path_, run, nullptr); !s.ok())
        return s;
      ++failed;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return failed;
}

absl::StatusOr<std::vector<PublishedProposal>> Store::ListProposals(
    const ProposalQuery& query) {
  std::vector<std::string> where = {"p.proposal_id > ?1"};
  std::vector<std::string> parameters = {query.after_proposal_id};
  auto add = [&](const std::string& condition, const std::string& value) {
    parameters.push_back(value);
    where.push_back(absl::StrCat(condition, " ?", parameters.size()));
  };
  if (!query.participant_id.empty()) {
    add("p.participant_id =", query.participant_id);
  }
  if (!query.run_id.empty()) add("p.run_id =", query.run_id);
  if (!query.coach_id.empty()) {
    add("p.participant_id IN (SELECT id FROM participants WHERE coach_id =",
        query.coach_id);
    where.back() += ")";
  }
  std::vector<std::string> states;
  if (query.states.empty()) {
    states = {kPending, kAccepted, kRejected, kExpired};
  } else {
    for (ProposalState state : query.states) {
      states.push_back(StateSlug(state));
    }
  }
  std::vector<std::string> placeholders;
  for (const std::string& state : states) {
    parameters.push_back(state);
    placeholders.push_back(absl::StrCat("?", parameters.size()));
  }
  where.push_back(
      absl::StrCat("p.state IN (", absl::StrJoin(placeholders, ", "), ")"));
  const std::string sql = absl::StrCat(
      "SELECT ", query.redacted ? kRedactedProposalColumns : kProposalColumns,
      " FROM proposals p WHERE ", absl::StrJoin(where, " AND "),
      " ORDER BY p.proposal_id LIMIT ", std::max(0, query.limit));

  CallLock lock(this);
  Statement statement(db_, sql.c_str());
  if (!statement.ok()) return SqliteError("cannot prepare the proposal query");
  for (size_t i = 0; i < parameters.size(); ++i) {
    statement.BindText(static_cast<int>(i + 1), parameters[i]);
  }
  std::vector<PublishedProposal> proposals;
  int code;
  while ((code = statement.Step()) == SQLITE_ROW) {
    absl::StatusOr<PublishedProposal> proposal = ReadProposal(statement);
    if (!proposal.ok()) return proposal.status();
    proposals.push_back(std::move(*proposal));
  }
  if (code != SQLITE_DONE) return SqliteError("reading proposals failed");
  return proposals;
}

absl::StatusOr<PublishedProposal> Store::GetProposal(
    absl::string_view proposal_id) {
  CallLock lock(this);
  Statement statement(db_,
                      absl::StrCat("SELECT ", kProposalColumns,
                                   " FROM proposals p WHERE p.proposal_id = ?")
                          .c_str());
  statement.BindText(1, proposal_id);
  const int code = statement.Step();
  if (code == SQLITE_DONE) {
    return absl::NotFoundError(
        absl::StrCat("proposal ", proposal_id, " does not exist"));
  }
  if (code != SQLITE_ROW) return SqliteError("reading a proposal failed");
  return ReadProposal(statement);
}

absl::StatusOr<RematchHistory> Store::LoadRematchHistory() {
  CallLock lock(this);
  Statement statement(db_,
                      "SELECT participant_id, opening_id, state FROM proposals "
                      "WHERE state IN (?, ?) ORDER BY participant_id, "
                      "opening_id");
  statement.BindText(1, kPending);
  statement.BindText(2, kRejected);
  RematchHistory history;
  int code;
  while ((code = statement.Step()) == SQLITE_ROW) {
    auto& pairs =
        statement.Text(2) == kPending ? history.pending : history.rejected;
    pairs.emplace_back(statement.Text(0), statement.Text(1));
  }
  if (code != SQLITE_DONE) return SqliteError("reading proposals failed");
  return history;
}

absl::StatusOr<DecisionOutcome> Store::DecideProposal(
    absl::string_view proposal_id, Decision decision, absl::string_view actor,
    absl::string_view reason, absl::Time at, Date today) {
  const bool accept = decision == Decision::kAccept;
  const int64_t at_micros = absl::ToUnixMicros(at);
  CallLock lock(this);
  DecisionOutcome outcome;
  absl::Status status = InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    {
      Statement select(db_,
                       absl::StrCat("SELECT ", kProposalColumns,
                                    " FROM proposals p WHERE p.proposal_id = ?")
                           .c_str());
      select.BindText(1, proposal_id);
      const int code = select.Step();
      if (code == SQLITE_DONE) {
        return absl::NotFoundError(
            absl::StrCat("proposal ", proposal_id, " does not exist"));
      }
      if (code != SQLITE_ROW) return SqliteError("reading a proposal failed");
      absl::StatusOr<PublishedProposal> proposal = ReadProposal(select);
      if (!proposal.ok()) return proposal.status();
      outcome.proposal = std::move(*proposal);
    }
    PublishedProposal& proposal = outcome.proposal;
    const std::string id(proposal_id);
    absl::StatusOr<ProposalState> next =
        NextProposalState(proposal.state, decision, id);
    if (!next.ok()) return next.status();
    if (*next == proposal.state) return absl::OkStatus();  // a safe retry

    if (accept) {
      absl::StatusOr<Participant> participant =
          ReadRecord<v1::Participant, Participant>(db_, path_, "participants",
                                                   proposal.participant_id);
      if (!participant.ok()) return participant.status();
      PlacementChange placed;
      if (absl::Status s =
              TakePlace(*std::move(participant), proposal.opening_id,
                        PlacementSource::kProposal, id, std::string(actor),
                        today, at, today, placed);
          !s.ok()) {
        return s;
      }
      outcome.expired_others = placed.expired_proposals;
      outcome.participant = std::move(placed.participant);
      for (Opening& opening : placed.openings) {
        if (opening.id == proposal.opening_id) {
          outcome.opening = std::move(opening);
        } else {
          outcome.released_openings.push_back(std::move(opening));
        }
      }
      outcome.placement = std::move(placed.placement);
      outcome.hold = std::move(placed.hold);
    }

    Statement update(db_,
                     "UPDATE proposals SET state = ?, decided_by = ?, "
                     "decided_at = ?, reason = ? WHERE proposal_id = ?");
    update.BindText(1, accept ? kAccepted : kRejected);
    update.BindText(2, actor);
    update.BindInt(3, at_micros);
    if (accept) {
      update.BindNull(4);
    } else {
      update.BindText(4, reason);
    }
    update.BindText(5, id);
    if (update.Step() != SQLITE_DONE) {
      return SqliteError("recording the decision failed");
    }
    Statement action(db_,
                     "INSERT INTO suggestion_actions (participant_id, "
                     "opening_id, action, actor, at, note) VALUES (?, ?, ?, "
                     "?, ?, ?)");
    action.BindText(1, proposal.participant_id);
    action.BindText(2, proposal.opening_id);
    action.BindText(3, accept ? kAccepted : kRejected);
    action.BindText(4, actor);
    action.BindInt(5, at_micros);
    action.BindText(6, proposal_id);
    if (action.Step() != SQLITE_DONE) {
      return SqliteError("recording the suggestion action failed");
    }
    proposal.state = *next;
    proposal.decided_by = std::string(actor);
    proposal.decided_at = absl::FromUnixMicros(at_micros);
    proposal.rejection_reason = accept ? "" : std::string(reason);
    outcome.changed = true;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return outcome;
}

absl::Status Store::ReleasePlaces(const std::string& participant_id,
                                  std::vector<std::string>& opening_ids) {
  Statement select(db_,
                   "SELECT opening_id, 1 FROM placements WHERE participant_id "
                   "= ?1 AND end_date IS NULL UNION ALL SELECT opening_id, 0 "
                   "FROM holds WHERE participant_id = ?1 AND state = "
                   "'active' ORDER BY 1");
  select.BindText(1, participant_id);
  std::vector<std::string> taken;
  int code;
  while ((code = select.Step()) == SQLITE_ROW) {
    opening_ids.push_back(select.Text(0));
    if (select.Int(1) == 1) taken.push_back(select.Text(0));
  }
  if (code != SQLITE_DONE) return SqliteError("reading placements failed");
  opening_ids.erase(std::unique(opening_ids.begin(), opening_ids.end()),
                    opening_ids.end());
  for (const std::string& opening_id : taken) {
    absl::StatusOr<Opening> opening =
        ReadRecord<v1::Opening, Opening>(db_, path_, "openings", opening_id);
    if (absl::IsNotFound(opening.status())) continue;
    if (!opening.ok()) return opening.status();
    opening->places_taken = std::max(0, opening->places_taken - 1);
    if (absl::Status s = WriteOpening(db_, path_, *opening); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Store::NextOpeningId() {
  constexpr int kMaxIdNumber = 999'999;
  // Only ids of exactly "O" + 6 digits; in text order they sort by number.
  constexpr absl::string_view kServerIds =
      "FROM openings WHERE id BETWEEN 'O000000' AND 'O999999' AND id GLOB "
      "'O[0-9][0-9][0-9][0-9][0-9][0-9]' ORDER BY id";
  auto number = [](Statement& statement) {
    int value = 0;  // the GLOB admits six digits only
    (void)absl::SimpleAtoi(statement.Text(0).substr(1), &value);
    return value;
  };
  int next = 1;
  {
    Statement highest(
        db_, absl::StrCat("SELECT id ", kServerIds, " DESC LIMIT 1").c_str());
    const int code = highest.Step();
    if (code == SQLITE_ROW) {
      next = number(highest) + 1;
    } else if (code != SQLITE_DONE) {
      return SqliteError("reading the highest opening id failed");
    }
  }
  if (next <= kMaxIdNumber) return absl::StrFormat("O%06d", next);
  // Every number up to the top has been given: the lowest gap.
  Statement all(db_, absl::StrCat("SELECT id ", kServerIds).c_str());
  next = 1;
  int code;
  while ((code = all.Step()) == SQLITE_ROW) {
    const int used = number(all);
    if (used > next) break;
    if (used == next) ++next;
  }
  if (code != SQLITE_ROW && code != SQLITE_DONE) {
    return SqliteError("reading the opening ids failed");
  }
  if (next > kMaxIdNumber) {
    return absl::ResourceExhaustedError(
        "opening.id: no free id is left (O000001 to O999999 are all used); "
        "give an explicit id");
  }
  return absl::StrFormat("O%06d", next);
}

absl::StatusOr<Opening> Store::InsertNewOpening(Opening opening) {
  CallLock lock(this);
  absl::Status status = InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    absl::StatusOr<std::string> id = NextOpeningId();
    if (!id.ok()) return id.status();
    opening.id = *std::move(id);
    return WriteOpening(db_, path_, opening);
  });
  if (!status.ok()) return status;
  return opening;
}

absl::StatusOr<int> Store::CloseOpening(const Opening& closed) {
  if (closed.status != OpeningStatus::kClosed) {
    return absl::InvalidArgumentError(absl::StrCat(
        "opening ", closed.id, ": CloseOpening needs status closed, got ",
        OpeningStatusSlug(closed.status)));
  }
  CallLock lock(this);
  int expired_count = 0;
  absl::Status status = InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    if (absl::Status s = WriteOpening(db_, path_, closed); !s.ok()) return s;
    absl::StatusOr<int> expired = Change(
        db_, path_,
        "UPDATE proposals SET state = ?1, decided_at = ?4 WHERE opening_id = "
        "?2 AND state = ?3",
        {kExpired, closed.id, kPending,
         absl::StrCat(
             absl::ToUnixMicros(closed.updated_at.value_or(absl::Now())))});
    if (!expired.ok()) return expired.status();
    expired_count = *expired;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return expired_count;
}

}  // namespace placement::store
