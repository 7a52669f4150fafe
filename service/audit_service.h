// AuditService: the access log for the auditor (app/audit.h). The handler
// authorises, converts and answers once the auditor's own read is logged.
//
// Thread safety: thread-safe.

#ifndef PLACEMENT_SERVICE_AUDIT_SERVICE_H_
#define PLACEMENT_SERVICE_AUDIT_SERVICE_H_

#include "placement/v1/audit_service.grpc.pb.h"
#include "service/parsed_requests.h"
#include "service/rpc_support.h"

namespace placement::service {

class AuditService final : public ParsesRequests<v1::AuditService> {
 public:
  explicit AuditService(ServiceContext& context) : context_(context) {
    ParseRequestsOf("ListAccessLog", &AuditService::ListAccessLog);
  }

  grpc::ServerUnaryReactor* ListAccessLog(
      grpc::CallbackServerContext* server_context,
      const v1::ListAccessLogRequest* request,
      v1::ListAccessLogResponse* response) override;

 private:
  ServiceContext& context_;
};

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_AUDIT_SERVICE_H_
