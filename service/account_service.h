// AccountService: the caller's principal and role, for clients that sign
// someone in with a token (the web gateway, web/). The answer is the
// authenticated Caller itself, so there is no use case in app/ to call: the
// handler authenticates (any role), and converts. No access record is
// written: nothing about a participant is read.
//
// Thread safety: thread-safe; the credentials are immutable.

#ifndef PLACEMENT_SERVICE_ACCOUNT_SERVICE_H_
#define PLACEMENT_SERVICE_ACCOUNT_SERVICE_H_

#include "placement/v1/account_service.grpc.pb.h"
#include "service/parsed_requests.h"
#include "service/rpc_support.h"

namespace placement::service {

class AccountService final : public ParsesRequests<v1::AccountService> {
 public:
  explicit AccountService(ServiceContext& context) : context_(context) {
    ParseRequestsOf("WhoAmI", &AccountService::WhoAmI);
  }

  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* server_context,
                                   const v1::WhoAmIRequest* request,
                                   v1::WhoAmIResponse* response) override;

 private:
  ServiceContext& context_;
};

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_ACCOUNT_SERVICE_H_
