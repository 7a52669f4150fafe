// ReferenceDataService: the skill taxonomy, occupation fields, supports,
// support needs and municipalities, each entry with its Swedish and English
// label, filtered by a case-insensitive text (app/reference.h, the use case).
// Every role may call it; no access record is written (reference data is not
// personal), but every call is authenticated.
//
// Thread safety: thread-safe; the reference data is immutable.

#ifndef PLACEMENT_SERVICE_REFERENCE_SERVICE_H_
#define PLACEMENT_SERVICE_REFERENCE_SERVICE_H_

#include "app/reference.h"
#include "placement/v1/reference_service.grpc.pb.h"
#include "service/parsed_requests.h"
#include "service/rpc_support.h"

namespace placement::service {

class ReferenceService final : public ParsesRequests<v1::ReferenceDataService> {
 public:
  explicit ReferenceService(ServiceContext& context) : context_(context) {
    ParseRequestsOf("ListSkills", &ReferenceService::ListSkills);
    ParseRequestsOf("ListOccupationFields",
                    &ReferenceService::ListOccupationFields);
    ParseRequestsOf("ListSupports", &ReferenceService::ListSupports);
    ParseRequestsOf("ListSupportNeeds", &ReferenceService::ListSupportNeeds);
    ParseRequestsOf("ListMunicipalities",
                    &ReferenceService::ListMunicipalities);
  }

  grpc::ServerUnaryReactor* ListSkills(
      grpc::CallbackServerContext* server_context,
      const v1::ListReferenceRequest* request,
      v1::ListSkillsResponse* response) override;
  grpc::ServerUnaryReactor* ListOccupationFields(
      grpc::CallbackServerContext* server_context,
      const v1::ListReferenceRequest* request,
      v1::ListOccupationFieldsResponse* response) override;
  grpc::ServerUnaryReactor* ListSupports(
      grpc::CallbackServerContext* server_context,
      const v1::ListReferenceRequest* request,
      v1::ListSupportsResponse* response) override;
  grpc::ServerUnaryReactor* ListSupportNeeds(
      grpc::CallbackServerContext* server_context,
      const v1::ListReferenceRequest* request,
      v1::ListSupportNeedsResponse* response) override;
  grpc::ServerUnaryReactor* ListMunicipalities(
      grpc::CallbackServerContext* server_context,
      const v1::ListReferenceRequest* request,
      v1::ListMunicipalitiesResponse* response) override;

 private:
  // Authenticates (any role may read), looks `table` up, then runs
  // fill(reference, index) for each entry found to fill the response.
  template <typename Fill>
  grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* server_context,
                                   const v1::ListReferenceRequest& request,
                                   app::ReferenceTable table,
                                   absl::string_view call, Fill fill) const;

  ServiceContext& context_;
};

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_REFERENCE_SERVICE_H_
