// The embedded store: participants and openings in one SQLite file.
//
// Durability: WAL journal with synchronous=FULL, so a call that returned OK
// has its transaction on disk; Open() sets and then verifies both settings,
// and turns on secure_delete so erased rows are overwritten, not just
// unlinked. Open() refuses, and never modifies, a file that fails
// `PRAGMA integrity_check`, is not a SQLite database, or was written by a
// newer schema version than this build knows.
//
// Records are stored as serialised placement.v1 protobuf messages beside the
// columns that queries filter on; protobuf's field numbering keeps old rows
// readable as the messages grow.
//
// Schema versions (PRAGMA user_version): 1 = participants, openings.
//
// Thread safety: thread-safe; calls are serialised on an internal mutex
// (SQLite allows one writer at a time anyway).

#ifndef PLACEMENT_SERVICE_STORE_H_
#define PLACEMENT_SERVICE_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "engine/types.h"

struct sqlite3;

namespace placement::service {

class Store {
 public:
  static constexpr int kSchemaVersion = 1;

  // Opens `path`, creating the file and schema when it does not exist.
  // FAILED_PRECONDITION for a corrupt file or a newer schema; UNAVAILABLE when
  // the file cannot be opened.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Inserts or replaces by id, all in one transaction: on error nothing of
  // the call is stored.
  absl::Status UpsertParticipants(const std::vector<Participant>& participants);
  absl::Status UpsertOpenings(const std::vector<Opening>& openings);

  // Every stored record, ordered by id.
  absl::StatusOr<std::vector<Participant>> LoadParticipants();
  absl::StatusOr<std::vector<Opening>> LoadOpenings();

  absl::StatusOr<int64_t> CountParticipants();
  absl::StatusOr<int64_t> CountOpenings();

  const std::string& path() const { return path_; }

 private:
  Store(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}

  absl::Status Execute(const std::string& sql) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::StatusOr<int64_t> QueryInt(const std::string& sql)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::StatusOr<std::string> QueryText(const std::string& sql)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::Status Configure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::Status SqliteError(absl::string_view what) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const std::string path_;
  absl::Mutex mutex_;
  sqlite3* const db_ ABSL_PT_GUARDED_BY(mutex_);
};

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_STORE_H_
