// Every service of the v1 API, for tests that go through all of its calls
// (the role x call matrix, the bad-input rows).

#ifndef PLACEMENT_TESTS_SERVICE_API_SERVICES_H_
#define PLACEMENT_TESTS_SERVICE_API_SERVICES_H_

#include "google/protobuf/descriptor.h"
#include "placement/v1/account_service.pb.h"
#include "placement/v1/admin_service.pb.h"
#include "placement/v1/audit_service.pb.h"
#include "placement/v1/coach_service.pb.h"
#include "placement/v1/employer_service.pb.h"
#include "placement/v1/followup_service.pb.h"
#include "placement/v1/placement_service.pb.h"
#include "placement/v1/reference_service.pb.h"
#include "placement/v1/registry_service.pb.h"
#include "placement/v1/rematch_service.pb.h"

namespace placement::testing {

// Each service through a message of its file, so that the file's
// descriptors are linked in from the static proto library.
inline const google::protobuf::ServiceDescriptor* const kApiServices[] = {
    v1::WhoAmIRequest::descriptor()->file()->FindServiceByName(
        "AccountService"),
    v1::UpsertParticipantRequest::descriptor()->file()->FindServiceByName(
        "ParticipantRegistry"),
    v1::SuggestOpeningsRequest::descriptor()->file()->FindServiceByName(
        "CoachService"),
    v1::PublishOpeningRequest::descriptor()->file()->FindServiceByName(
        "EmployerService"),
    v1::ImportRequest::descriptor()->file()->FindServiceByName("AdminService"),
    v1::StartRunRequest::descriptor()->file()->FindServiceByName(
        "RematchService"),
    v1::ListReferenceRequest::descriptor()->file()->FindServiceByName(
        "ReferenceDataService"),
    v1::HoldPlaceRequest::descriptor()->file()->FindServiceByName(
        "PlacementService"),
    v1::ListAccessLogRequest::descriptor()->file()->FindServiceByName(
        "AuditService"),
    v1::GetDecisionFunnelRequest::descriptor()->file()->FindServiceByName(
        "FollowUpService"),
};

}  // namespace placement::testing

#endif  // PLACEMENT_TESTS_SERVICE_API_SERVICES_H_
