// What every RPC handler shares: the service context (store, snapshot,
// reference data, credentials), authorisation, request validation with proto
// field paths, and conversion of engine explanations to the API.
//
// Thread safety: ServiceContext is thread-safe; writers take write_mutex so
// the store and the snapshot change in the same order.

#ifndef PLACEMENT_SERVICE_RPC_SUPPORT_H_
#define PLACEMENT_SERVICE_RPC_SUPPORT_H_

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/matcher.h"
#include "engine/mutex.h"
#include "engine/scoring.h"
#include "engine/validation.h"
#include "google/protobuf/arena.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/message_allocator.h"
#include "placement/v1/common.pb.h"
#include "placement/v1/match.pb.h"
#include "service/auth.h"
#include "store/store.h"

namespace placement::service {

struct ServiceContext {
  std::shared_ptr<const ReferenceData> reference;
  store::Store* store = nullptr;
  SnapshotHolder* snapshots = nullptr;
  const Credentials* credentials = nullptr;
  ScoringProfile profile = ScoringProfile::Default();
  std::function<absl::Time()> now = [] { return absl::Now(); };
  // Held while a write goes to the store and then to the snapshot. Guards
  // no member: the store and the snapshot holder are thread-safe on their
  // own; the lock makes their changes happen in the same order.
  Mutex write_mutex;
};

grpc::Status ToGrpcStatus(const absl::Status& status);

// Runs a unary handler (returning absl::Status) and finishes the call with
// its status.
template <typename Handler>
grpc::ServerUnaryReactor* Respond(grpc::CallbackServerContext* server_context,
                                  Handler handler) {
  grpc::ServerUnaryReactor* reactor = server_context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(handler()));
  return reactor;
}

// Like Respond, for a handler whose answer must leave an access record:
// `handler(to_log)` fills the response, puts the records in `to_log` (see
// AccessRecords) and returns the status. An OK call finishes only once its
// records are on disk, and with the log's error instead of the answer if
// they cannot be written, so no answer leaves without its record. The RPC
// thread is not held while the log is written: calls share its fsyncs
// (store::Store::AppendAccessAsync).
template <typename Handler>
grpc::ServerUnaryReactor* RespondWhenLogged(
    ServiceContext& context, grpc::CallbackServerContext* server_context,
    Handler handler) {
  grpc::ServerUnaryReactor* reactor = server_context->DefaultReactor();
  std::vector<store::AccessRecord> to_log;
  const absl::Status status = handler(to_log);
  if (!status.ok() || to_log.empty()) {
    reactor->Finish(ToGrpcStatus(status));
    return reactor;
  }
  context.store->AppendAccessAsync(std::move(to_log),
                                   [reactor](absl::Status logged) {
                                     reactor->Finish(ToGrpcStatus(logged));
                                   });
  return reactor;
}

// The calendar day of `time` in Sweden (Europe/Stockholm, UTC if the zone
// database is missing).
Date SwedishDate(absl::Time time);

// Authenticates and checks the role; PERMISSION_DENIED names the call.
absl::StatusOr<Caller> Authorize(const ServiceContext& context,
                                 const grpc::ServerContextBase& server_context,
                                 std::initializer_list<Role> allowed,
                                 absl::string_view call);

// Coaches may touch only their own caseload. The same answer whether or not
// the participant exists, so ids outside the caseload are not revealed.
absl::Status CheckCaseload(const Caller& caller,
                           absl::string_view participant_id,
                           const Participant* participant);

// The participant `id` of `snapshot` if the caller may see them. A coach
// sees only their own caseload, and gets the same PERMISSION_DENIED whether
// or not the id exists; other roles get NOT_FOUND for an unknown id.
absl::StatusOr<const Participant*> ParticipantForCaller(
    const Snapshot& snapshot, const Caller& caller, absl::string_view id);

// Records one access; a failed log write is returned (the caller fails the
// call rather than serve data it could not log).
absl::Status LogAccess(ServiceContext& context, const Caller& caller,
                       absl::string_view call,
                       absl::string_view participant_id);
// One record per participant, written in one transaction.
absl::Status LogAccess(ServiceContext& context, const Caller& caller,
                       absl::string_view call,
                       const std::vector<std::string>& participant_ids);
// The records LogAccess writes, stamped now (for RespondWhenLogged).
std::vector<store::AccessRecord> AccessRecords(
    const ServiceContext& context, const Caller& caller, absl::string_view call,
    const std::vector<std::string>& participant_ids);

// Characters (not bytes) of UTF-8 text, for limits stated in characters.
size_t Utf8Characters(absl::string_view text);

// Items per page of a list call: 0 means kDefaultPageSize; at most
// kMaxPageSize (see PageRequest in common.proto).
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;
int PageSize(const v1::PageRequest& page);

// One page of proposals: `query` from after the page token, at most the
// page size, with the token of the next page (empty on the last); one
// access record per proposal listed.
absl::Status ListProposalPage(
    ServiceContext& context, const Caller& caller, absl::string_view call,
    store::ProposalQuery query, const v1::PageRequest& page,
    google::protobuf::RepeatedPtrField<v1::Proposal>& out,
    std::string& next_page_token);

// INVALID_ARGUMENT listing every problem as "<path>: '<value>' <reason>",
// with the validator's field names mapped to proto paths under `prefix`.
absl::Status ParticipantProblems(const std::vector<FieldProblem>& problems,
                                 absl::string_view prefix);
absl::Status OpeningProblems(const std::vector<FieldProblem>& problems,
                             absl::string_view prefix);

// The API form of an explanation. Reasons that mention support needs (which
// may be health data) are left out unless `include_support_needs`; texts are
// in `language` only, or in both when it is UNSPECIFIED. The explanation's
// texts are moved, not copied: pass a temporary, or a copy.
void ToProto(Explanation explanation, bool include_support_needs,
             v1::Match& out, v1::Language language = v1::LANGUAGE_UNSPECIFIED);

// INVALID_ARGUMENT naming `field` unless `language` is a known Language.
absl::Status CheckLanguage(int language, absl::string_view field);

// Allocates a unary call's request and response on one protobuf arena, freed
// at once when the call is done, rather than message by message: a
// SuggestOpenings response holds hundreds of small messages. Install it with
// the generated SetMessageAllocatorFor_<Method>. Thread-safe (stateless).
template <typename Request, typename Response>
class ArenaMessageAllocator final
    : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    return new Holder();
  }

 private:
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() : arena_(Options()) {
      this->set_request(
          google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(
          google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    void Release() override { delete this; }

   private:
    static google::protobuf::ArenaOptions Options() {
      google::protobuf::ArenaOptions options;
      options.start_block_size = 8 * 1024;
      options.max_block_size = 64 * 1024;
      return options;
    }
    google::protobuf::Arena arena_;
  };
};

// Scoring weights of the request applied to the server's profile.
absl::StatusOr<ScoringProfile> ProfileFor(
    const ScoringProfile& base,
    const v1::ScoringProfileOverride& override_weights, absl::string_view path);

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_RPC_SUPPORT_H_
