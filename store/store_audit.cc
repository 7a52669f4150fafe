// The access log as an auditor reads it, and retention: the purge of
// records kept past their period (store/store.h).

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "store/internal/sqlite_support.h"
#include "store/store.h"

namespace placement::store {
namespace {

using internal::InTransaction;
using internal::Statement;
using internal::StepError;

constexpr char kAllowed[] = "allowed";
constexpr char kDenied[] = "denied";

}  // namespace

const char* AccessOutcomeSlug(AccessOutcome outcome) {
  return outcome == AccessOutcome::kDenied ? kDenied : kAllowed;
}

absl::StatusOr<std::vector<AccessLogEntry>> Store::ListAccessLog(
    const AccessLogQuery& query) {
  if (query.participant_id.empty() == query.principal.empty()) {
    return absl::InvalidArgumentError(
        "name either a participant or a principal, not both");
  }
  CallLock lock(this);
  // Newest first along the row id: the scan starts at the end of the table
  // and stops after `limit` matches.
  Statement statement(
      db_, absl::StrCat(
               "SELECT id, at, actor, role, call, participant_ref, outcome, "
               "asked_principal FROM access_log WHERE ",
               query.participant_id.empty() ? "actor" : "participant_ref",
               " = ?1 AND (?2 IS NULL OR at >= ?2) AND (?3 IS NULL OR at < "
               "?3) AND (?4 = 0 OR id < ?4) ORDER BY id DESC LIMIT ?5")
               .c_str());
  if (!statement.ok()) return SqliteError("cannot read the access log");
  statement.BindText(
      1, query.participant_id.empty() ? query.principal : query.participant_id);
  if (query.from) {
    statement.BindInt(2, absl::ToUnixMicros(*query.from));
  } else {
    statement.BindNull(2);
  }
  if (query.until) {
    statement.BindInt(3, absl::ToUnixMicros(*query.until));
  } else {
    statement.BindNull(3);
  }
  statement.BindInt(4, query.before_id);
  statement.BindInt(5, query.limit);
  std::vector<AccessLogEntry> entries;
  int code;
  while ((code = statement.Step()) == SQLITE_ROW) {
    entries.push_back(AccessLogEntry{
        .id = statement.Int(0),
        .record = AccessRecord{.at = absl::FromUnixMicros(statement.Int(1)),
                               .actor = statement.Text(2),
                               .role = statement.Text(3),
                               .call = statement.Text(4),
                               .participant_id = statement.Text(5),
                               .outcome = statement.Text(6) == kDenied
                                              ? AccessOutcome::kDenied
                                              : AccessOutcome::kAllowed,
                               .asked_principal = statement.Text(7)}});
  }
  if (code != SQLITE_DONE) return SqliteError("reading the access log failed");
  return entries;
}

absl::StatusOr<PurgeCounts> Store::PurgeExpired(
    const RetentionCutoffs& cutoffs) {
  CallLock lock(this);
  PurgeCounts counts;
  absl::Status status = InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    struct Step {
      const char* sql;
      absl::Time before;
      int* count;
    };
    const Step steps[] = {
        // Counted from the decision or the expiry (decided_at); a proposal
        // that expired before the store kept that time has its run's time
        // instead (it expired then or later). Pending ones stay whatever
        // their age.
        {"DELETE FROM proposals WHERE state <> 'pending' AND "
         "coalesce(decided_at, created_at) < ?1",
         cutoffs.proposals_before, &counts.proposals},
        // A scan, as erasure's (schema version 4).
        {"DELETE FROM access_log WHERE at < ?1", cutoffs.access_log_before,
         &counts.access_records},
    };
    for (const Step& step : steps) {
      Statement statement(db_, step.sql);
      if (!statement.ok())
        return StepError(db_, path_, "cannot prepare the purge");
      statement.BindInt(1, absl::ToUnixMicros(step.before));
      if (statement.Step() != SQLITE_DONE) {
        return StepError(db_, path_, "purge failed");
      }
      *step.count = sqlite3_changes(db_);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  // With secure_delete the rows are overwritten in the database; their old
  // page images leave the WAL with this checkpoint, or, if it is busy now,
  // with the checkpointer's next one. The purge itself is committed either
  // way.
  if (counts.proposals + counts.access_records > 0) {
    TruncateWal().IgnoreError();
  }
  return counts;
}

}  // namespace placement::store
