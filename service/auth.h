// Who is calling: bearer tokens mapped to a principal and a role by a
// credentials file, checked on every call (deny by default).
//
// Credentials file: CSV with the header `token,principal,role`; role is one
// of coach, employer_contact, operator, admin, auditor; tokens are at least 16
// characters and unique. A coach's principal is their coach id: their
// caseload is the participants whose coach_id equals it.
// Clients send `authorization: Bearer <token>` metadata.
//
// Thread safety: Credentials is immutable after Load and safe to share.

#ifndef PLACEMENT_SERVICE_AUTH_H_
#define PLACEMENT_SERVICE_AUTH_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/caller.h"
#include "grpcpp/server_context.h"

namespace placement::service {

// The service speaks of callers as the use cases do (app/caller.h).
using app::Caller;
using app::Role;
using app::RoleSlug;

class Credentials {
 public:
  static constexpr size_t kMinTokenLength = 16;

  static absl::StatusOr<Credentials> Load(const std::string& path);
  // For tests: adds one token.
  void Add(std::string token, Caller caller) {
    callers_[std::move(token)] = std::move(caller);
  }

  // UNAUTHENTICATED when the metadata has no bearer token or an unknown one.
  absl::StatusOr<Caller> Authenticate(
      const grpc::ServerContextBase& context) const;
  size_t size() const { return callers_.size(); }

 private:
  absl::flat_hash_map<std::string, Caller> callers_;
};

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_AUTH_H_
