// Requests parsed by the service itself, so that bytes that are not the
// request get INVALID_ARGUMENT naming the field where they go wrong rather
// than gRPC's own answer (UNIMPLEMENTED with no message from the callback
// API, INTERNAL from the synchronous one).
//
// A service derives from ParsesRequests<v1::XService> instead of
// v1::XService::CallbackService (or ::Service) and names each of its methods
// once in its constructor:
//
//   class CoachService final : public ParsesRequests<v1::CoachService> {
//    public:
//     explicit CoachService(ServiceContext& context) : context_(context) {
//       ParseRequestsOf("SuggestOpenings", &CoachService::SuggestOpenings);
//       ...
//
// The method's handler is replaced by one whose request type is
// Parsed<Request>: gRPC hands it the bytes (SerializationTraits below), the
// bytes are parsed and, where they are not a valid Request, walked with the
// request's descriptor to name the field (WireFormatProblem,
// proto/request_check.h). A request that parses is then checked for its
// required ids (CheckRequestFields); that answer waits for the handler's
// Authorize, so a caller without the role still hears PERMISSION_DENIED
// first. The typed handler itself is unchanged.
//
// Server-streaming methods of the synchronous API (RematchService.WatchRun)
// keep gRPC's parser: their writer type cannot be handed over.
//
// Thread safety: the handlers are thread-safe as the typed ones are.

#ifndef PLACEMENT_SERVICE_PARSED_REQUESTS_H_
#define PLACEMENT_SERVICE_PARSED_REQUESTS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/impl/codegen/serialization_traits.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/message_allocator.h"
#include "grpcpp/support/method_handler.h"
#include "proto/request_check.h"
#include "service/rpc_support.h"

namespace placement::service {

// A request as received: the message, or why the bytes are not one.
class ParsedRequest {
 public:
  virtual ~ParsedRequest() = default;
  virtual const google::protobuf::Message& request() const = 0;

  absl::Status status;  // INVALID_ARGUMENT naming the field, or OK
};
template <typename Request>
class Parsed final : public ParsedRequest {
 public:
  const google::protobuf::Message& request() const override { return message; }

  Request message;
};

// Notes that the method "/package.Service/Method" takes a ParsedRequest
// (done by ParsesRequests when a service is built). Thread-safe.
void NoteParsedMethod(std::string method_path);

// The request a server interceptor receives (GetRecvMessage) for the method
// `method_path`: a ParsedRequest for a method noted parsed, the protobuf
// message itself otherwise; nullptr when `received` is, or when the bytes
// were not a request.
const google::protobuf::Message* ReceivedRequest(absl::string_view method_path,
                                                 const void* received);

// Parses `buffer` into `message` and clears the buffer; INVALID_ARGUMENT
// naming the faulty field when the bytes are not a valid message.
absl::Status ParseRequestBytes(grpc::ByteBuffer* buffer,
                               google::protobuf::Message& message);

// The index of `method` in the service `service_full_name`, whose request
// and response types must be `request` and `response`; aborts the process
// otherwise (a programming error, found by every server start).
int MethodIndex(absl::string_view service_full_name, absl::string_view method,
                const google::protobuf::Descriptor& request,
                const google::protobuf::Descriptor& response);

// A stream that ends at once with `status`; deletes itself when done.
template <typename Response>
class RefusedStream final : public grpc::ServerWriteReactor<Response> {
 public:
  explicit RefusedStream(const absl::Status& status) {
    this->Finish(ToGrpcStatus(status));
  }
  void OnDone() override { delete this; }
};

// See the file comment. `Api` is the generated service class
// (v1::CoachService); `Base` the generated service to derive from.
template <typename Api, typename Base = typename Api::CallbackService>
class ParsesRequests : public Base {
 protected:
  // A unary method of the callback API; `allocator`, when given, allocates
  // the call's request and response (e.g. ArenaMessageAllocator).
  template <typename Self, typename Request, typename Response>
  void ParseRequestsOf(
      absl::string_view method,
      grpc::ServerUnaryReactor* (Self::*handler)(grpc::CallbackServerContext*,
                                                 const Request*, Response*),
      grpc::MessageAllocator<Parsed<Request>, Response>* allocator = nullptr) {
    Self* self = static_cast<Self*>(this);
    auto* unary =
        new grpc::internal::CallbackUnaryHandler<Parsed<Request>, Response>(
            [self, handler](grpc::CallbackServerContext* context,
                            const Parsed<Request>* request,
                            Response* response) -> grpc::ServerUnaryReactor* {
              if (!request->status.ok()) {
                grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
                reactor->Finish(ToGrpcStatus(request->status));
                return reactor;
              }
              const PendingRequestCheck check(
                  *context, CheckRequestFields(request->message));
              return (self->*handler)(context, &request->message, response);
            });
    if (allocator != nullptr) unary->SetMessageAllocator(allocator);
    this->MarkMethodCallback(Index<Request, Response>(method), unary);
  }

  // A server-streaming method of the callback API.
  template <typename Self, typename Request, typename Response>
  void ParseRequestsOf(absl::string_view method,
                       grpc::ServerWriteReactor<Response>* (Self::*handler)(
                           grpc::CallbackServerContext*, const Request*)) {
    Self* self = static_cast<Self*>(this);
    this->MarkMethodCallback(
        Index<Request, Response>(method),
        new grpc::internal::CallbackServerStreamingHandler<Parsed<Request>,
                                                           Response>(
            [self, handler](grpc::CallbackServerContext* context,
                            const Parsed<Request>* request)
                -> grpc::ServerWriteReactor<Response>* {
              if (!request->status.ok()) {
                return new RefusedStream<Response>(request->status);
              }
              const PendingRequestCheck check(
                  *context, CheckRequestFields(request->message));
              return (self->*handler)(context, &request->message);
            }));
  }

  // A unary method of the synchronous API, served as a streamed unary call
  // so that the request arrives as bytes.
  template <typename Self, typename Request, typename Response>
  void ParseRequestsOf(absl::string_view method,
                       grpc::Status (Self::*handler)(grpc::ServerContext*,
                                                     const Request*,
                                                     Response*)) {
    Self* self = static_cast<Self*>(this);
    this->MarkMethodStreamed(
        Index<Request, Response>(method),
        new grpc::internal::StreamedUnaryHandler<Parsed<Request>, Response>(
            [self, handler](
                grpc::ServerContext* context,
                grpc::ServerUnaryStreamer<Parsed<Request>, Response>* stream)
                -> grpc::Status {
              Parsed<Request> request;
              if (!stream->Read(&request)) {
                return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                    "request: no message received");
              }
              if (!request.status.ok()) return ToGrpcStatus(request.status);
              Response response;
              grpc::Status status;
              {
                const PendingRequestCheck check(
                    *context, CheckRequestFields(request.message));
                status = (self->*handler)(context, &request.message, &response);
              }
              if (status.ok()) stream->Write(response);
              return status;
            }));
  }

 private:
  template <typename Request, typename Response>
  static int Index(absl::string_view method) {
    NoteParsedMethod(absl::StrCat("/", Api::service_full_name(), "/", method));
    return MethodIndex(Api::service_full_name(), method, *Request::descriptor(),
                       *Response::descriptor());
  }
};

}  // namespace placement::service

namespace grpc {

// gRPC hands a Parsed<Request> its bytes; the parse never fails the call
// here, so that the handler can answer with the field at fault.
template <typename Request>
class SerializationTraits<placement::service::Parsed<Request>, void> {
 public:
  static Status Deserialize(ByteBuffer* buffer,
                            placement::service::Parsed<Request>* parsed) {
    parsed->status =
        placement::service::ParseRequestBytes(buffer, parsed->message);
    return Status::OK;
  }
};

}  // namespace grpc

#endif  // PLACEMENT_SERVICE_PARSED_REQUESTS_H_
