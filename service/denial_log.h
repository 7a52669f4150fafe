// Every call refused with PERMISSION_DENIED leaves an access-log record:
// who (the authenticated principal and role), which call, and the
// participant id the request named, if any (app::DenialRecord).
//
// Why an interceptor rather than a line in each use case: the refusals come
// from the role and caseload rules (app/caller.h), called from some forty
// places in app/ and service/; at the edge one rule sees them all,
// including those of RPCs added later, and the request's participant id is
// read the same way for every call (a string field `participant_id`, or
// `participant.id`). Unauthenticated calls leave no record: they have no
// principal to name.
//
// Cost: the record joins the access-log writer's next group commit
// (store::Store::AppendAccessAsync), as the records of served reads do;
// the refusal is sent once it is on disk, and no fsync is added per
// refused call. The record is the same whether or not the participant
// exists, and the refusal's answer does not change.
//
// Thread safety: the factory is thread-safe; each interceptor serves one
// call.

#ifndef PLACEMENT_SERVICE_DENIAL_LOG_H_
#define PLACEMENT_SERVICE_DENIAL_LOG_H_

#include <memory>

#include "grpcpp/support/server_interceptor.h"
#include "service/rpc_support.h"

namespace placement::service {

// Interceptors that log refused calls of the placement.v1 services to
// `context`'s store. `context` must outlive the server.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeDenialLogInterceptorFactory(ServiceContext& context);

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_DENIAL_LOG_H_
