// AdminService: bulk import and export of participants and openings in the
// CSV formats of data/README.md, admins only: the use cases of app/admin.h
// (import policy there and in data/README.md) over gRPC. An import's report
// lists at most 1000 row problems; export streams the file in chunks of at
// most 1 MiB.
//
// Thread safety: thread-safe.

#ifndef PLACEMENT_SERVICE_ADMIN_SERVICE_H_
#define PLACEMENT_SERVICE_ADMIN_SERVICE_H_

#include "placement/v1/admin_service.grpc.pb.h"
#include "service/parsed_requests.h"
#include "service/rpc_support.h"

namespace placement::service {

class AdminService final : public ParsesRequests<v1::AdminService> {
 public:
  static constexpr size_t kExportChunkBytes = 1024 * 1024;
  static constexpr int kMaxErrorsListed = 1000;

  explicit AdminService(ServiceContext& context) : context_(context) {
    ParseRequestsOf("ImportData", &AdminService::ImportData);
    ParseRequestsOf("ExportData", &AdminService::ExportData);
  }

  grpc::ServerUnaryReactor* ImportData(
      grpc::CallbackServerContext* server_context,
      const v1::ImportRequest* request, v1::ImportReport* response) override;
  grpc::ServerWriteReactor<v1::ExportChunk>* ExportData(
      grpc::CallbackServerContext* server_context,
      const v1::ExportRequest* request) override;

 private:
  // Answers through `finish` (RespondWhenCommitted).
  void Import(const grpc::CallbackServerContext& server_context,
              const v1::ImportRequest& request, v1::ImportReport& response,
              Finish finish);
  absl::StatusOr<std::string> Export(
      const grpc::CallbackServerContext& server_context,
      const v1::ExportRequest& request);

  ServiceContext& context_;
};

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_ADMIN_SERVICE_H_
