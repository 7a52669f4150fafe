#include "service/denial_log.h"

#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "app/audit.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "service/parsed_requests.h"

namespace placement::service {
namespace {

using grpc::experimental::InterceptionHookPoints;

constexpr absl::string_view kApiPrefix = "/placement.v1.";
// Ids are at most 40 characters; a longer value is cut, so a refused caller
// cannot make the log hold whatever they send.
constexpr size_t kMaxLoggedIdLength = 40;

// The participant id a request names: its string field participant_id, or
// the id of its message field participant; empty when it names none.
std::string ParticipantIdOf(const google::protobuf::Message& request) {
  const google::protobuf::Descriptor& type = *request.GetDescriptor();
  const google::protobuf::Reflection& reflection = *request.GetReflection();
  using Field = google::protobuf::FieldDescriptor;
  std::string id;
  if (const Field* field = type.FindFieldByName("participant_id");
      field != nullptr && field->type() == Field::TYPE_STRING &&
      !field->is_repeated()) {
    id = reflection.GetString(request, field);
  } else if (const Field* participant = type.FindFieldByName("participant");
             participant != nullptr &&
             participant->type() == Field::TYPE_MESSAGE &&
             !participant->is_repeated() &&
             reflection.HasField(request, participant)) {
    const google::protobuf::Message& inner =
        reflection.GetMessage(request, participant);
    const Field* inner_id = inner.GetDescriptor()->FindFieldByName("id");
    if (inner_id != nullptr && inner_id->type() == Field::TYPE_STRING &&
        !inner_id->is_repeated()) {
      id = inner.GetReflection()->GetString(inner, inner_id);
    }
  }
  if (id.size() > kMaxLoggedIdLength) id.resize(kMaxLoggedIdLength);
  return id;
}

class DenialLogInterceptor final : public grpc::experimental::Interceptor {
 public:
  DenialLogInterceptor(ServiceContext& context,
                       grpc::experimental::ServerRpcInfo* info)
      : context_(context),
        info_(info),
        // "/placement.v1.CoachService/SuggestOpenings" is logged as
        // "CoachService.SuggestOpenings", as served calls are.
        call_(absl::StrReplaceAll(
            absl::string_view(info->method()).substr(kApiPrefix.size()),
            {{"/", "."}})) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        !seen_request_) {
      seen_request_ = true;
      // Every method of a placement.v1 service takes a protobuf message
      // (only those are intercepted; see the factory), most of them parsed
      // by the service itself (ReceivedRequest).
      if (const google::protobuf::Message* request =
              ReceivedRequest(info_->method(), methods->GetRecvMessage());
          request != nullptr) {
        participant_id_ = ParticipantIdOf(*request);
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS) &&
        methods->GetSendStatus().error_code() ==
            grpc::StatusCode::PERMISSION_DENIED) {
      absl::StatusOr<Caller> caller =
          context_.credentials->Authenticate(*info_->server_context());
      if (caller.ok()) {
        // A failed write cannot change the answer, which is already a
        // refusal; the refusal goes out once the writer is done with it,
        // and the outcome tells the health service whether writes work.
        context_.store->AppendAccessAsync(
            {app::DenialRecord(context_, *caller, call_, participant_id_)},
            [methods, health = context_.storage_health](absl::Status logged) {
              if (health != nullptr) health->Report(logged);
              methods->Proceed();
            });
        return;
      }
    }
    methods->Proceed();
  }

 private:
  ServiceContext& context_;
  grpc::experimental::ServerRpcInfo* const info_;
  const std::string call_;
  bool seen_request_ = false;
  std::string participant_id_;
};

class DenialLogInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit DenialLogInterceptorFactory(ServiceContext& context)
      : context_(context) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    // Health checks and reflection are not ours and take raw messages.
    if (info->method() == nullptr ||
        !absl::StartsWith(info->method(), kApiPrefix)) {
      return nullptr;
    }
    return new DenialLogInterceptor(context_, info);
  }

 private:
  ServiceContext& context_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeDenialLogInterceptorFactory(ServiceContext& context) {
  return std::make_unique<DenialLogInterceptorFactory>(context);
}

}  // namespace placement::service
