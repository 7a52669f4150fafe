// The administrator's use cases: bulk import and export of participants and
// openings in the CSV formats of data/README.md. Admins only.
//
// Import policy: rows that pass validation are upserted by id in one
// transaction; bad rows are skipped and every problem is reported (file,
// line, field, value, reason). Afterwards the snapshot is rebuilt from the
// store, so every later query sees the import. Importing an export
// reproduces the records exactly. Both write the access records of the
// participants they touch before returning (none for openings or a dry run).
//
// Thread safety: thread-safe; an import holds the context's write lock.

#ifndef PLACEMENT_APP_ADMIN_H_
#define PLACEMENT_APP_ADMIN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "app/caller.h"
#include "app/context.h"
#include "store/store.h"

namespace placement::app {

enum class DataKind { kParticipants, kOpenings };

// The largest import accepted, in bytes.
inline constexpr size_t kMaxImportBytes = 16 * 1024 * 1024;

struct Imported {
  store::ImportReport report;
  uint64_t snapshot_version = 0;  // the snapshot that holds the import
};

// Imports `content` (one CSV file; `file_name` names it in row errors, empty
// for "participants.csv" or "openings.csv"). INVALID_ARGUMENT for empty
// content; RESOURCE_EXHAUSTED above kMaxImportBytes.
absl::StatusOr<Imported> ImportData(Context& context, const Caller& caller,
                                    DataKind kind, const std::string& content,
                                    absl::string_view file_name, bool dry_run);
// The same through the group commit (app/write_queue.h), in a write of its
// own: `done` gets the answer once the import is stored and in the snapshot.
void ImportData(Context& context, const Caller& caller, DataKind kind,
                std::string content, absl::string_view file_name, bool dry_run,
                WriteDone<Imported> done);

// Every record of `kind`, in id order, as one CSV file.
absl::StatusOr<std::string> ExportData(Context& context, const Caller& caller,
                                       DataKind kind);

}  // namespace placement::app

#endif  // PLACEMENT_APP_ADMIN_H_
