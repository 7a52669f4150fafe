#include "service/account_service.h"

#include <string>

namespace placement::service {

grpc::ServerUnaryReactor* AccountService::WhoAmI(
    grpc::CallbackServerContext* server_context,
    const v1::WhoAmIRequest* /*request*/, v1::WhoAmIResponse* response) {
  return Respond(server_context, [&]() -> absl::Status {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server_context,
                  {Role::kCoach, Role::kEmployerContact, Role::kOperator,
                   Role::kAdmin, Role::kAuditor},
                  "AccountService.WhoAmI");
    if (!caller.ok()) return caller.status();
    response->set_principal_id(caller->principal);
    response->set_role(std::string(RoleSlug(caller->role)));
    return absl::OkStatus();
  });
}

}  // namespace placement::service
