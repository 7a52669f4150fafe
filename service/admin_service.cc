#include "service/admin_service.h"

#include "absl/strings/str_cat.h"
#include "app/admin.h"

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
  return RespondWhenCommitted(server_context, [&](Finish finish) {
    Import(*server_context, *request, *response, std::move(finish));
  });
}

grpc::ServerWriteReactor<v1::ExportChunk>* AdminService::ExportData(
    grpc::CallbackServerContext* server_context,
    const v1::ExportRequest* request) {
  return new ChunkWriter(Export(*server_context, *request));
}

namespace {

// INVALID_ARGUMENT naming `kind` unless it is PARTICIPANTS or OPENINGS.
absl::StatusOr<app::DataKind> DataKindOf(v1::DataKind kind) {
  switch (kind) {
    case v1::DATA_KIND_PARTICIPANTS:
      return app::DataKind::kParticipants;
    case v1::DATA_KIND_OPENINGS:
      return app::DataKind::kOpenings;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("kind: ", kind, " is not PARTICIPANTS or OPENINGS"));
  }
}

}  // namespace

void AdminService::Import(const grpc::CallbackServerContext& server_context,
                          const v1::ImportRequest& request,
                          v1::ImportReport& response, Finish finish) {
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context, {Role::kAdmin}, "AdminService.ImportData");
  if (!caller.ok()) return std::move(finish)(caller.status());
  absl::StatusOr<app::DataKind> kind = DataKindOf(request.kind());
  if (!kind.ok()) return std::move(finish)(kind.status());
  app::ImportData(
      context_, *caller, *kind, request.content(), request.file_name(),
      request.dry_run(),
      [&response, finish = std::move(finish)](
          absl::StatusOr<app::Imported> imported) mutable {
        if (!imported.ok()) return std::move(finish)(imported.status());
        const store::ImportReport& report = imported->report;
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
        response.set_snapshot_version(imported->snapshot_version);
        std::move(finish)(absl::OkStatus());
      });
}

absl::StatusOr<std::string> AdminService::Export(
    const grpc::CallbackServerContext& server_context,
    const v1::ExportRequest& request) {
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context, {Role::kAdmin}, "AdminService.ExportData");
  if (!caller.ok()) return caller.status();
  absl::StatusOr<app::DataKind> kind = DataKindOf(request.kind());
  if (!kind.ok()) return kind.status();
  return app::ExportData(context_, *caller, *kind);
}

}  // namespace placement::service
