// What every RPC handler shares: the service context (the use cases'
// context and the credentials), authorisation, request validation with proto
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

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "app/context.h"
#include "engine/matcher.h"
#include "engine/mutex.h"
#include "engine/scoring.h"
#include "engine/validation.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/field_mask.pb.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/message_allocator.h"
#include "placement/v1/common.pb.h"
#include "placement/v1/match.pb.h"
#include "proto/convert.h"
#include "service/auth.h"
#include "service/storage_health.h"
#include "store/store.h"

namespace placement::service {

// The use cases' context (app/context.h), who may call, and where writes
// report their outcome for the health service (none in tests that build a
// context by hand).
struct ServiceContext : app::Context {
  const Credentials* credentials = nullptr;
  StorageHealth* storage_health = nullptr;
};

// The status for the wire; a message longer than kMaxStatusMessageBytes
// (proto/request_check.h) is cut, so a caller always receives it within its
// metadata limit.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The field check of the request being served on this thread
// (CheckRequestFields, proto/request_check.h), set by the request parser
// (service/parsed_requests.h) for the synchronous part of the handler.
// Authorize answers with it once the caller is known to hold the role: a
// caller without the role hears PERMISSION_DENIED, one with it hears which
// field is wrong before any use case runs. Not copyable; scoped.
class PendingRequestCheck {
 public:
  PendingRequestCheck(const grpc::ServerContextBase& context,
                      absl::Status check);
  ~PendingRequestCheck();
  PendingRequestCheck(const PendingRequestCheck&) = delete;
  PendingRequestCheck& operator=(const PendingRequestCheck&) = delete;

  // The check pending for `context` on this thread (OK when none), once:
  // a second call returns OK.
  static absl::Status Take(const grpc::ServerContextBase& context);

 private:
  const grpc::ServerContextBase* context_;
  absl::Status check_;
  PendingRequestCheck* previous_;
};

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
// `handler(to_log)` fills the response, puts the records in `to_log` (the
// `access` of the use case's answer) and returns the status. An OK call
// finishes only once its records are on disk, and with the log's error instead
// of the answer if they cannot be written ("the access log cannot be
// written: ", the cause; UNAVAILABLE or RESOURCE_EXHAUSTED), so no answer
// leaves without its record; the outcome goes to context.storage_health. The
// RPC thread is not held while the log is written: calls share its fsyncs
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
  context.store->AppendAccessAsync(
      std::move(to_log),
      [reactor, health = context.storage_health](absl::Status logged) {
        if (health != nullptr) health->Report(logged);
        reactor->Finish(ToGrpcStatus(logged));
      });
  return reactor;
}

// How a handler that answers later finishes its call: once, with its
// status, from any thread; the response must be filled before.
using Finish = absl::AnyInvocable<void(absl::Status) &&>;

// Like Respond, for a handler whose write goes through the group commit
// (app/write_queue.h): `handler(finish)` answers a refused request at once
// and otherwise hands `finish` to the use case, which calls it once the
// write is on disk and in the snapshot. The RPC thread never waits for the
// disk or the write lock.
template <typename Handler>
grpc::ServerUnaryReactor* RespondWhenCommitted(
    grpc::CallbackServerContext* server_context, Handler handler) {
  grpc::ServerUnaryReactor* reactor = server_context->DefaultReactor();
  handler(Finish([reactor](absl::Status status) {
    reactor->Finish(ToGrpcStatus(status));
  }));
  return reactor;
}

// Authenticates and checks the role; PERMISSION_DENIED names the call. Then
// the request's field check, if one is pending (PendingRequestCheck).
absl::StatusOr<Caller> Authorize(const ServiceContext& context,
                                 const grpc::ServerContextBase& server_context,
                                 std::initializer_list<Role> allowed,
                                 absl::string_view call);

// Records one access per participant, in one transaction; a failed log
// write is returned (the caller fails the call rather than serve data it
// could not log).
absl::Status LogAccess(ServiceContext& context, const Caller& caller,
                       absl::string_view call,
                       const std::vector<std::string>& participant_ids);
// Request checks the use cases share (app/context.h).
using app::CheckId;
using app::OpeningProblems;
using app::ParticipantProblems;

// The rules of an update mask over `type` (UpdateOpening,
// UpdateParticipant): INVALID_ARGUMENT naming the path when the mask is empty
// (`example` is a path to suggest) or a path is not a field of `type`, or its
// first component is in `output_only` or `immutable`.
absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask,
                             const google::protobuf::Descriptor& type,
                             absl::Span<const absl::string_view> output_only,
                             absl::Span<const absl::string_view> immutable,
                             absl::string_view example);

// Copies the fields of `source` named in `mask` onto `destination`; a
// repeated or message field named is replaced as a whole, and one named but
// unset in `source` is cleared. Check the mask first (CheckUpdateMask).
void MergeMasked(const google::protobuf::Message& source,
                 const google::protobuf::FieldMask& mask,
                 google::protobuf::Message& destination);

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
      this->set_request(google::protobuf::Arena::Create<Request>(&arena_));
      this->set_response(google::protobuf::Arena::Create<Response>(&arena_));
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

// The weights a request overrides, per component (unset: none).
app::WeightOverrides WeightOverridesOf(const v1::ScoringProfileOverride& o);

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_RPC_SUPPORT_H_
