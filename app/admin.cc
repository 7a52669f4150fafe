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
// the truth, into the working snapshot. Inside a write step.
absl::Status RebuildSnapshot(Context& context, WorkingSnapshot& working) {
  absl::StatusOr<std::vector<Participant>> participants =
      context.store->LoadParticipants();
  if (!participants.ok()) return participants.status();
  absl::StatusOr<std::vector<Opening>> openings = context.store->LoadOpenings();
  if (!openings.ok()) return openings.status();
  absl::StatusOr<std::shared_ptr<const Snapshot>> next =
      Snapshot::Build(context.reference, *std::move(participants),
                      *std::move(openings), working.Current()->version() + 1);
  if (!next.ok()) return next.status();
  working.Update([&](const std::shared_ptr<const Snapshot>&) { return *next; });
  return absl::OkStatus();
}

}  // namespace

void ImportData(Context& context, const Caller& caller, DataKind kind,
                std::string content, absl::string_view file_name, bool dry_run,
                WriteDone<Imported> done) {
  if (absl::Status s = CheckRole(caller, {Role::kAdmin}, kImportCall);
      !s.ok()) {
    return std::move(done)(s);
  }
  if (content.empty()) {
    return std::move(done)(absl::InvalidArgumentError("content: empty"));
  }
  if (content.size() > kMaxImportBytes) {
    return std::move(done)(absl::ResourceExhaustedError(
        absl::StrCat("content: ", content.size(),
                     " bytes is above the limit of ", kMaxImportBytes)));
  }
  const bool participants = kind == DataKind::kParticipants;
  std::string name = file_name.empty()
                         ? (participants ? "participants.csv" : "openings.csv")
                         : std::string(file_name);
  // Alone: the import commits in its own transactions, and the snapshot is
  // rebuilt from the store after it.
  SubmitWrite<Imported>(
      context,
      [&context, caller, participants, content = std::move(content),
       name = std::move(name),
       dry_run](WorkingSnapshot& working) -> absl::StatusOr<Imported> {
        std::istringstream input(content);
        absl::StatusOr<store::ImportReport> imported =
            participants ? context.store->ImportParticipantsCsv(
                               input, name, *context.reference, dry_run)
                         : context.store->ImportOpeningsCsv(
                               input, name, *context.reference, dry_run);
        if (!imported.ok()) return imported.status();
        Imported result{.report = *std::move(imported)};
        if (!dry_run && result.report.inserted + result.report.updated > 0) {
          if (absl::Status s = RebuildSnapshot(context, working); !s.ok()) {
            return s;
          }
        }
        if (participants && !dry_run && !result.report.ids.empty()) {
          if (absl::Status s = context.store->AppendAccess(AccessRecords(
                  context, caller, kImportCall, result.report.ids));
              !s.ok()) {
            return s;
          }
        }
        result.snapshot_version = working.Current()->version();
        return result;
      },
      std::move(done), /*alone=*/true);
}

absl::StatusOr<Imported> ImportData(Context& context, const Caller& caller,
                                    DataKind kind, const std::string& content,
                                    absl::string_view file_name, bool dry_run) {
  return Await<Imported>([&](WriteDone<Imported> done) {
    ImportData(context, caller, kind, content, file_name, dry_run,
               std::move(done));
  });
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
