// SQLite helpers shared by the store's translation units: error mapping,
// prepared statements and transactions. Internal to service/store*.cc.

#ifndef PLACEMENT_STORE_INTERNAL_SQLITE_SUPPORT_H_
#define PLACEMENT_STORE_INTERNAL_SQLITE_SUPPORT_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "logging/log.h"

namespace placement::store::internal {

// The payload that marks a status as a storage fault (store::IsStorageFault).
inline constexpr char kStorageFaultPayload[] =
    "type.placement.example/placement.store.StorageFault";

// Disk full and read-only files are reported so callers can tell the user
// what to fix; a damaged file is FAILED_PRECONDITION; everything else is
// UNAVAILABLE. A full disk, a read-only file, an I/O error and a file that
// cannot be opened are also marked as storage faults (the payload above),
// so the server's health can tell them from a busy database or a bad
// request.
inline absl::Status FromSqliteCode(int code, absl::string_view message) {
  absl::Status status;
  switch (code & 0xFF) {
    case SQLITE_FULL:
      status = absl::ResourceExhaustedError(
          absl::StrCat(message,
                       " (the disk or the database's size limit is full; "
                       "free space and retry)"));
      break;
    case SQLITE_READONLY:
      status = absl::UnavailableError(absl::StrCat(
          message, " (the database file or its disk is read-only)"));
      break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      status = absl::UnavailableError(absl::StrCat(
          message, " (the disk or its file system failed; check the disk)"));
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::FailedPreconditionError(message);
    default:
      return absl::UnavailableError(message);
  }
  status.SetPayload(kStorageFaultPayload, absl::Cord(absl::StrCat(code)));
  return status;
}

// `status` with `prefix` before its message, its code and payloads kept.
inline absl::Status WithPrefix(const absl::Status& status,
                               absl::string_view prefix) {
  if (status.ok()) return status;
  absl::Status prefixed(status.code(), absl::StrCat(prefix, status.message()));
  status.ForEachPayload(
      [&prefixed](absl::string_view type_url, const absl::Cord& payload) {
        prefixed.SetPayload(type_url, payload);
      });
  return prefixed;
}

// The last error of `db`, as "<what> in '<path>': <sqlite message>".
inline absl::Status StepError(sqlite3* db, const std::string& path,
                              absl::string_view what) {
  return FromSqliteCode(
      sqlite3_extended_errcode(db),
      absl::StrCat(what, " in '", path, "': ", sqlite3_errmsg(db)));
}

// A prepared statement, finalised on destruction. Bind indexes start at 1,
// column indexes at 0.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    code_ = sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr);
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return code_ == SQLITE_OK; }
  sqlite3_stmt* get() { return statement_; }

  void BindText(int index, absl::string_view text) {
    sqlite3_bind_text(statement_, index, text.data(),
                      static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void BindBlob(int index, absl::string_view blob) {
    sqlite3_bind_blob(statement_, index, blob.data(),
                      static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  }
  void BindInt(int index, int64_t value) {
    sqlite3_bind_int64(statement_, index, value);
  }
  void BindDouble(int index, double value) {
    sqlite3_bind_double(statement_, index, value);
  }
  void BindNull(int index) { sqlite3_bind_null(statement_, index); }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(statement_); }
  void Reset() { sqlite3_reset(statement_); }

  std::string Text(int column) {
    const unsigned char* text = sqlite3_column_text(statement_, column);
    return text ? std::string(reinterpret_cast<const char*>(text))
                : std::string();
  }
  std::string Blob(int column) {
    const void* blob = sqlite3_column_blob(statement_, column);
    const int size = sqlite3_column_bytes(statement_, column);
    return blob ? std::string(static_cast<const char*>(blob),
                              static_cast<size_t>(size))
                : std::string();
  }
  int64_t Int(int column) { return sqlite3_column_int64(statement_, column); }
  double Double(int column) {
    return sqlite3_column_double(statement_, column);
  }
  bool IsNull(int column) {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
  }

 private:
  sqlite3_stmt* statement_ = nullptr;
  int code_;
};

// Whether a failed write is the database's fault (a full disk, a read-only
// file, an I/O error, a busy lock) rather than the request's.
inline bool IsStorageFailure(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsResourceExhausted(status);
}

// The log line of a write transaction that did not commit (event
// store.commit_failed; see logging/log.h). The message names the file and
// SQLite's error, never a value of the rows.
inline void LogFailedCommit(const std::string& path,
                            const absl::Status& status) {
  logging::Error("store.commit_failed",
                 {{"db", path},
                  {"code", absl::StatusCodeToString(status.code())},
                  {"error", status.message()}});
}

// Runs `body` (returning absl::Status) inside BEGIN IMMEDIATE .. COMMIT;
// rolls back on any error, so a failed call leaves the store as it was.
// Inside a transaction already open on `db` (a batch, Store::InBatch) it runs
// as a savepoint of that transaction instead: an error undoes what `body`
// wrote, and nothing is on disk until the batch commits.
// A storage failure (IsStorageFailure) is logged as store.commit_failed; a
// request the body refused is not.
template <typename Body>
absl::Status InTransaction(sqlite3* db, const std::string& path, Body body) {
  if (sqlite3_get_autocommit(db) == 0) {
    if (sqlite3_exec(db, "SAVEPOINT nested", nullptr, nullptr, nullptr) !=
        SQLITE_OK) {
      return StepError(db, path, "cannot start a write");
    }
    absl::Status status = body();
    if (!status.ok()) {
      // Fails harmlessly when an I/O error already rolled the whole
      // transaction back (Store::InBatch reports that).
      sqlite3_exec(db, "ROLLBACK TO nested", nullptr, nullptr, nullptr);
    }
    sqlite3_exec(db, "RELEASE nested", nullptr, nullptr, nullptr);
    return status;
  }
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    absl::Status status = StepError(db, path, "cannot start a write");
    LogFailedCommit(path, status);
    return status;
  }
  absl::Status status = body();
  bool storage_failure = IsStorageFailure(status);
  if (status.ok() &&
      sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    status = StepError(db, path, "commit failed");
    storage_failure = true;
  }
  if (!status.ok()) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  if (storage_failure) LogFailedCommit(path, status);
  return status;
}

}  // namespace placement::store::internal

#endif  // PLACEMENT_STORE_INTERNAL_SQLITE_SUPPORT_H_
