#include "app/admin.h"

#include <memory>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace placement::app {
namespace {

constexpr absl::string_view kImportCall = "AdminService.ImportData";
constexpr absl::string_view kExportCall = "AdminService.ExportData";

// Many records changed at once: the next snapshot is built from the store,
// the truth. Under the write lock.
absl::Status RebuildSnapshot(Context& context) {
  absl::StatusOr<std::vector<Participant>> participants =
      context.store->LoadParticipants();
  if (!participants.ok()) return participants.status();
  absl::StatusOr<std::vector<Opening>> openings = context.store->LoadOpenings();
  if (!openings.ok()) return openings.status();
  absl::Status rebuilt = absl::OkStatus();
  context.snapshots->Update(
      [&](const std::shared_ptr<const Snapshot>& current) {
        absl::StatusOr<std::shared_ptr<const Snapshot>> next =
            Snapshot::Build(context.reference, *std::move(participants),
                            *std::move(openings), current->version() + 1);
        if (!next.ok()) {
          rebuilt = next.status();
          return current;
        }
        return *next;
      });
  return rebuilt;
}

}  // namespace

absl::StatusOr<Imported> ImportData(Context& context, const Caller& caller,
                                    DataKind kind, const std::string& content,
                                    absl::string_view file_name, bool dry_run) {
  if (absl::Status s = CheckRole(caller, {Role::kAdmin}, kImportCall);
      !s.ok()) {
    return s;
  }
  if (content.empty()) return absl::InvalidArgumentError("content: empty");
  if (content.size() > kMaxImportBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("content: ", content.size(),
                     " bytes is above the limit of ", kMaxImportBytes));
  }
  const bool participants = kind == DataKind::kParticipants;
  const std::string name =
      file_name.empty() ? (participants ? "participants.csv" : "openings.csv")
                        : std::string(file_name);
  std::istringstream input(content);
  Imported result;
  {
    MutexLock lock(&context.write_mutex);
    absl::StatusOr<store::ImportReport> imported =
        participants ? context.store->ImportParticipantsCsv(
                           input, name, *context.reference, dry_run)
                     : context.store->ImportOpeningsCsv(
                           input, name, *context.reference, dry_run);
    if (!imported.ok()) return imported.status();
    result.report = *std::move(imported);
    if (!dry_run && result.report.inserted + result.report.updated > 0) {
      if (absl::Status s = RebuildSnapshot(context); !s.ok()) return s;
    }
  }
  if (participants && !dry_run && !result.report.ids.empty()) {
    if (absl::Status s = context.store->AppendAccess(
            AccessRecords(context, caller, kImportCall, result.report.ids));
        !s.ok()) {
      return s;
    }
  }
  result.snapshot_version = context.snapshots->Current()->version();
  return result;
}

absl::StatusOr<std::string> ExportData(Context& context, const Caller& caller,
                                       DataKind kind) {
  if (absl::Status s = CheckRole(caller, {Role::kAdmin}, kExportCall);
      !s.ok()) {
    return s;
  }
  std::ostringstream out;
  if (kind == DataKind::kOpenings) {
    if (absl::Status s = context.store->ExportOpeningsCsv(out); !s.ok()) {
      return s;
    }
    return out.str();
  }
  if (absl::Status s = context.store->ExportParticipantsCsv(out); !s.ok()) {
    return s;
  }
  std::vector<std::string> ids;
  std::shared_ptr<const Snapshot> snapshot = context.snapshots->Current();
  ids.reserve(static_cast<size_t>(snapshot->participant_count()));
  for (int i : snapshot->ParticipantIndices()) {
    ids.push_back(snapshot->participant(i).id);
  }
  if (!ids.empty()) {
    if (absl::Status s = context.store->AppendAccess(
            AccessRecords(context, caller, kExportCall, ids));
        !s.ok()) {
      return s;
    }
  }
  return out.str();
}

}  // namespace placement::app
