#include "store/backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "store/internal/sqlite_support.h"

namespace placement::store {
namespace {

using internal::FromSqliteCode;

// fsync of a file or folder; false when it cannot be opened or synced.
bool SyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

absl::Status ConnectionError(sqlite3* db, int code, absl::string_view what,
                             const std::string& path) {
  return FromSqliteCode(
      code, absl::StrCat(what, " '", path, "': ",
                         db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

// One text value of a query on `db`.
absl::StatusOr<std::string> QueryText(sqlite3* db, const char* sql,
                                      const std::string& path) {
  internal::Statement statement(db, sql);
  if (!statement.ok() || statement.Step() != SQLITE_ROW) {
    return ConnectionError(db, sqlite3_extended_errcode(db), "cannot check",
                           path);
  }
  return statement.Text(0);
}

// Copies into `partial` and checks it; the caller renames it.
absl::StatusOr<BackupResult> CopyAndCheck(const std::string& db_path,
                                          const std::string& partial) {
  sqlite3* source = nullptr;
  // Read-write without create: a WAL reader needs the shared-memory index,
  // and a missing file must not be made. The connection only reads.
  int code =
      sqlite3_open_v2(db_path.c_str(), &source,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr);
  absl::Cleanup close_source = [&] { sqlite3_close(source); };
  if (code != SQLITE_OK) {
    return ConnectionError(source, code, "cannot open the database", db_path);
  }
  sqlite3_extended_result_codes(source, 1);
  sqlite3_busy_timeout(source, 5000);
  if (absl::StatusOr<std::string> version =
          QueryText(source, "PRAGMA user_version", db_path);
      !version.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("'", db_path, "' is not a readable database (",
                     version.status().message(), ")"));
  }

  sqlite3* copy = nullptr;
  code = sqlite3_open_v2(partial.c_str(), &copy,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  absl::Cleanup close_copy = [&] { sqlite3_close(copy); };
  if (code != SQLITE_OK) {
    return ConnectionError(copy, code, "cannot create", partial);
  }
  sqlite3_extended_result_codes(copy, 1);
  sqlite3_busy_timeout(copy, 5000);
  sqlite3_exec(copy, "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr);

  sqlite3_backup* backup = sqlite3_backup_init(copy, "main", source, "main");
  if (backup == nullptr) {
    return ConnectionError(copy, sqlite3_extended_errcode(copy),
                           "cannot start the backup into", partial);
  }
  BackupResult result;
  // All pages in one step: one read transaction on the source, so the copy
  // is one consistent state. A step in pieces would restart whenever the
  // server wrote in between, and might never end under steady writes.
  // SQLITE_BUSY/LOCKED (a writer holding an exclusive lock for a moment)
  // is retried within the busy time-out.
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  do {
    code = sqlite3_backup_step(backup, -1);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      absl::SleepFor(absl::Milliseconds(20));
    }
  } while ((code == SQLITE_BUSY || code == SQLITE_LOCKED) &&
           absl::Now() < give_up);
  result.pages = sqlite3_backup_pagecount(backup);
  sqlite3_backup_finish(backup);
  if (code != SQLITE_DONE) {
    return FromSqliteCode(code,
                          absl::StrCat("copying '", db_path, "' to '", partial,
                                       "' failed: ", sqlite3_errstr(code)));
  }
  if (const int finished = sqlite3_errcode(copy); finished != SQLITE_OK) {
    return ConnectionError(copy, finished, "cannot write", partial);
  }

  absl::StatusOr<std::string> integrity =
      QueryText(copy, "PRAGMA integrity_check", partial);
  if (!integrity.ok()) return integrity.status();
  if (*integrity != "ok") {
    return absl::FailedPreconditionError(
        absl::StrCat("the copy of '", db_path,
                     "' failed its integrity check: ", *integrity));
  }
  absl::StatusOr<std::string> version =
      QueryText(copy, "PRAGMA user_version", partial);
  if (!version.ok()) return version.status();
  result.schema_version = std::stoll(*version);
  return result;
}

}  // namespace

absl::StatusOr<BackupResult> BackupDatabase(const std::string& db_path,
                                            const std::string& backup_path) {
  const absl::Time started = absl::Now();
  std::error_code error;
  if (!std::filesystem::exists(db_path, error)) {
    return absl::NotFoundError(
        absl::StrCat("the database '", db_path, "' does not exist"));
  }
  if (std::filesystem::exists(backup_path, error)) {
    if (std::filesystem::equivalent(db_path, backup_path, error)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the backup '", backup_path, "' is the database itself"));
    }
    return absl::AlreadyExistsError(
        absl::StrCat("'", backup_path,
                     "' already exists; a backup never overwrites a file "
                     "(name each backup, e.g. by date)"));
  }
  const std::string partial = backup_path + ".partial";
  const auto remove_partial = [&partial] {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    std::filesystem::remove(partial + "-journal", ignored);
    std::filesystem::remove(partial + "-wal", ignored);
    std::filesystem::remove(partial + "-shm", ignored);
  };
  remove_partial();  // left by a backup that was killed
  absl::StatusOr<BackupResult> result = CopyAndCheck(db_path, partial);
  if (!result.ok()) {
    remove_partial();
    return result.status();
  }
  // The copy's connection is closed: the file is whole on its own.
  if (!SyncPath(partial, O_RDONLY)) {
    remove_partial();
    return absl::UnavailableError(
        absl::StrCat("cannot sync '", partial, "' to disk"));
  }
  std::filesystem::rename(partial, backup_path, error);
  if (error) {
    remove_partial();
    return absl::UnavailableError(absl::StrCat("cannot rename '", partial,
                                               "' to '", backup_path,
                                               "': ", error.message()));
  }
  std::filesystem::path folder =
      std::filesystem::absolute(backup_path, error).parent_path();
  SyncPath(folder.string(), O_RDONLY | O_DIRECTORY);
  result->bytes =
      static_cast<int64_t>(std::filesystem::file_size(backup_path, error));
  result->took = absl::Now() - started;
  return result;
}

}  // namespace placement::store
