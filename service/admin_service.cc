#include "service/admin_service.h"

#include <sstream>

#include "absl/strings/str_cat.h"

namespace placement::service {
namespace {

// Streams a finished export in chunks; deletes itself when done.
class ChunkWriter final : public grpc::ServerWriteReactor<v1::ExportChunk> {
 public:
  explicit ChunkWriter(absl::StatusOr<std::string> data)
      : data_(std::move(data)) {
    if (!data_.ok()) {
      Finish(ToGrpcStatus(data_.status()));
      return;
    }
    WriteNext();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
      return;
    }
    WriteNext();
  }

  void OnDone() override { delete this; }

 private:
  void WriteNext() {
    if (offset_ >= data_->size()) {
      Finish(grpc::Status::OK);
      return;
    }
    chunk_.set_content(data_->substr(offset_, AdminService::kExportChunkBytes));
    offset_ += AdminService::kExportChunkBytes;
    StartWrite(&chunk_);
  }

  absl::StatusOr<std::string> data_;
  size_t offset_ = 0;
  v1::ExportChunk chunk_;
};

}  // namespace

grpc::ServerUnaryReactor* AdminService::ImportData(
    grpc::CallbackServerContext* server_context,
    const v1::ImportRequest* request, v1::ImportReport* response) {
  return Respond(server_context,
                 [&] { return Import(*server_context, *request, *response); });
}

grpc::ServerWriteReactor<v1::ExportChunk>* AdminService::ExportData(
    grpc::CallbackServerContext* server_context,
    const v1::ExportRequest* request) {
  return new ChunkWriter(Export(*server_context, *request));
}

absl::Status AdminService::Import(
    const grpc::CallbackServerContext& server_context,
    const v1::ImportRequest& request, v1::ImportReport& response) {
  constexpr absl::string_view kCall = "AdminService.ImportData";
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  if (request.kind() != v1::DATA_KIND_PARTICIPANTS &&
      request.kind() != v1::DATA_KIND_OPENINGS) {
    return absl::InvalidArgumentError(absl::StrCat(
        "kind: ", request.kind(), " is not PARTICIPANTS or OPENINGS"));
  }
  if (request.content().empty())
    return absl::InvalidArgumentError("content: empty");
  if (request.content().size() > kMaxImportBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("content: ", request.content().size(),
                     " bytes is above the limit of ", kMaxImportBytes));
  }
  const bool participants = request.kind() == v1::DATA_KIND_PARTICIPANTS;
  const std::string file_name =
      request.file_name().empty()
          ? (participants ? "participants.csv" : "openings.csv")
          : request.file_name();
  std::istringstream input(request.content());
  store::ImportReport report;
  {
    MutexLock lock(&context_.write_mutex);
    absl::StatusOr<store::ImportReport> imported =
        participants
            ? context_.store->ImportParticipantsCsv(
                  input, file_name, *context_.reference, request.dry_run())
            : context_.store->ImportOpeningsCsv(
                  input, file_name, *context_.reference, request.dry_run());
    if (!imported.ok()) return imported.status();
    report = std::move(*imported);
    if (!request.dry_run() && report.inserted + report.updated > 0) {
      // Many records changed at once: rebuild from the store, the truth.
      absl::StatusOr<std::vector<Participant>> all_participants =
          context_.store->LoadParticipants();
      if (!all_participants.ok()) return all_participants.status();
      absl::StatusOr<std::vector<Opening>> all_openings =
          context_.store->LoadOpenings();
      if (!all_openings.ok()) return all_openings.status();
      absl::Status rebuilt = absl::OkStatus();
      context_.snapshots->Update(
          [&](const std::shared_ptr<const Snapshot>& current) {
            absl::StatusOr<std::shared_ptr<const Snapshot>> next =
                Snapshot::Build(
                    context_.reference, std::move(*all_participants),
                    std::move(*all_openings), current->version() + 1);
            if (!next.ok()) {
              rebuilt = next.status();
              return current;
            }
            return *next;
          });
      if (!rebuilt.ok()) return rebuilt;
    }
  }
  if (participants && !request.dry_run()) {
    if (absl::Status s = LogAccess(context_, *caller, kCall, report.ids);
        !s.ok())
      return s;
  }
  response.set_rows_read(static_cast<uint32_t>(report.rows_read));
  response.set_rows_inserted(static_cast<uint32_t>(report.inserted));
  response.set_rows_updated(static_cast<uint32_t>(report.updated));
  response.set_rows_rejected(static_cast<uint32_t>(report.rejected));
  response.set_dry_run(report.dry_run);
  response.set_errors_truncated(static_cast<int>(report.errors.size()) >
                                kMaxErrorsListed);
  for (size_t i = 0;
       i < report.errors.size() && static_cast<int>(i) < kMaxErrorsListed;
       ++i) {
    const RowError& e = report.errors[i];
    v1::RowError* out = response.add_errors();
    out->set_file(e.file);
    out->set_line(static_cast<uint32_t>(e.line));
    out->set_field(e.field);
    out->set_value(e.value);
    out->set_reason(e.reason);
  }
  response.set_snapshot_version(context_.snapshots->Current()->version());
  return absl::OkStatus();
}

absl::StatusOr<std::string> AdminService::Export(
    const grpc::CallbackServerContext& server_context,
    const v1::ExportRequest& request) {
  constexpr absl::string_view kCall = "AdminService.ExportData";
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  std::ostringstream out;
  if (request.kind() == v1::DATA_KIND_PARTICIPANTS) {
    if (absl::Status s = context_.store->ExportParticipantsCsv(out); !s.ok())
      return s;
    std::vector<std::string> ids;
    std::shared_ptr<const Snapshot> snapshot = context_.snapshots->Current();
    for (int i = 0; i < snapshot->participant_count(); ++i) {
      ids.push_back(snapshot->participant(i).id);
    }
    if (absl::Status s = LogAccess(context_, *caller, kCall, ids); !s.ok())
      return s;
  } else if (request.kind() == v1::DATA_KIND_OPENINGS) {
    if (absl::Status s = context_.store->ExportOpeningsCsv(out); !s.ok())
      return s;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "kind: ", request.kind(), " is not PARTICIPANTS or OPENINGS"));
  }
  return out.str();
}

}  // namespace placement::service
