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
// Schema versions (PRAGMA user_version), each reached from the one before by
// a forward migration that Open() runs in one transaction:
//   1  participants, openings
//   2  placements, rematch runs, proposals, suggestion actions, access log
//
// Faults: SQLITE_FULL (disk full, size limit) is RESOURCE_EXHAUSTED; a
// read-only file, I/O errors and a busy database are UNAVAILABLE. A failed
// write leaves the store as it was; reads keep working, and writes work
// again once the cause is gone.
//
// Erasure (GDPR Art. 17): EraseParticipant deletes every row that names the
// participant (profile, proposals, placements, suggestion actions), replaces
// their id in the access log with an unlinkable "erased-N" reference, and
// checkpoints the WAL (TRUNCATE) before returning. With secure_delete on, no
// byte of the erased profile remains in the database or WAL files.
//
// Thread safety: thread-safe; calls are serialised on an internal mutex
// (SQLite allows one writer at a time anyway).

#ifndef PLACEMENT_SERVICE_STORE_H_
#define PLACEMENT_SERVICE_STORE_H_

#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "engine/reference_data.h"
#include "engine/row_error.h"
#include "engine/types.h"

struct sqlite3;

namespace placement::service {

struct StoreOptions {
  // SQLite VFS to open the file with; empty for the default. Tests use
  // internal::kFaultInjectionVfsName.
  std::string vfs;
  // Largest size the database file may grow to, in bytes; 0 for no limit.
  // Writes beyond it fail with RESOURCE_EXHAUSTED like a full disk.
  int64_t max_bytes = 0;
};

// One read or change of a participant's data. Never holds profile content.
struct AccessRecord {
  absl::Time at;
  std::string actor;           // principal id of the caller
  std::string role;            // coach, employer_contact, operator, admin
  std::string call;            // e.g. "ParticipantRegistry.GetParticipant"
  std::string participant_id;  // "erased-N" once the participant is erased
};

struct ErasureCounts {
  int participants = 0;
  int proposals = 0;
  int placements = 0;
  int suggestion_actions = 0;
  int access_records_unlinked = 0;
};

// Outcome of importing one file. The policy: rows that pass validation are
// upserted by id in one transaction; bad rows are skipped and every problem
// is listed. With dry_run nothing is written.
struct ImportReport {
  int rows_read = 0;
  int inserted = 0;
  int updated = 0;
  int rejected = 0;  // rows with at least one error
  std::vector<RowError> errors;
  bool dry_run = false;
  std::vector<std::string> ids;  // ids of the rows stored (or that would be)
};

class Store {
 public:
  static constexpr int kSchemaVersion = 2;

  // Opens `path`, creating the file and schema when it does not exist and
  // migrating an older schema forward. FAILED_PRECONDITION for a corrupt
  // file, another application's database or a newer schema (the file is then
  // left untouched); UNAVAILABLE when the file cannot be opened.
  static absl::StatusOr<std::unique_ptr<Store>> Open(
      const std::string& path, const StoreOptions& options = {});
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

  // Appends one record; the caller's write and its log record are separate
  // transactions, so a failed log write is reported, not hidden.
  absl::Status AppendAccess(const AccessRecord& record);
  // Appends many records in one transaction (one fsync), as for a listing.
  absl::Status AppendAccess(const std::vector<AccessRecord>& records);
  // Records naming `participant_id`, oldest first, at most `limit`.
  absl::StatusOr<std::vector<AccessRecord>> ReadAccessLog(
      absl::string_view participant_id, int limit = 1000);

  // See the class comment. NOT_FOUND when no participant has the id.
  absl::StatusOr<ErasureCounts> EraseParticipant(
      absl::string_view participant_id);

  // Imports a CSV file in the formats of data/README.md.
  absl::StatusOr<ImportReport> ImportParticipantsCsv(
      std::istream& input, const std::string& file_name,
      const ReferenceData& reference, bool dry_run = false);
  absl::StatusOr<ImportReport> ImportOpeningsCsv(std::istream& input,
                                                 const std::string& file_name,
                                                 const ReferenceData& reference,
                                                 bool dry_run = false);
  // Writes every record, in id order, in the same formats; importing the
  // output into an empty store gives back the same records.
  absl::Status ExportParticipantsCsv(std::ostream& output);
  absl::Status ExportOpeningsCsv(std::ostream& output);

  // Copies the WAL into the database and truncates the WAL file.
  absl::Status Checkpoint();

  const std::string& path() const { return path_; }

 private:
  Store(std::string path, sqlite3* db, int64_t max_bytes)
      : path_(std::move(path)), max_bytes_(max_bytes), db_(db) {}

  absl::Status Execute(const std::string& sql)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::StatusOr<int64_t> QueryInt(const std::string& sql)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::StatusOr<std::string> QueryText(const std::string& sql)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::Status Configure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::Status Migrate(int64_t from_version)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // Ids among `ids` that are stored in `table`.
  absl::StatusOr<std::vector<bool>> Exists(const char* table,
                                           const std::vector<std::string>& ids)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::Status SqliteError(absl::string_view what)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const std::string path_;
  const int64_t max_bytes_;
  absl::Mutex mutex_;
  sqlite3* const db_ ABSL_PT_GUARDED_BY(mutex_);
};

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_STORE_H_
