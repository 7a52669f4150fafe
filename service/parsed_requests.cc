#include "service/parsed_requests.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/mutex.h"
#include "grpcpp/support/proto_buffer_reader.h"

namespace placement::service {

absl::Status ParseRequestBytes(grpc::ByteBuffer* buffer,
                               google::protobuf::Message& message) {
  if (buffer == nullptr || !buffer->Valid()) {
    return absl::InvalidArgumentError("request: no message received");
  }
  bool parsed = false;
  {
    grpc::ProtoBufferReader reader(buffer);
    parsed = reader.status().ok() && message.ParseFromZeroCopyStream(&reader);
  }
  // The parser keeps a known field sent with the wrong wire type as an
  // unknown one; only then, or when it failed, are the bytes walked again
  // (the reader left the buffer whole) to name the field at fault.
  if (parsed && !HasUnknownFields(message)) {
    buffer->Clear();
    return absl::OkStatus();
  }
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (buffer->Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  buffer->Clear();
  absl::Status problem = WireFormatProblem(bytes, *message.GetDescriptor());
  if (!problem.ok()) {
    message.Clear();
    return problem;
  }
  if (parsed) return absl::OkStatus();  // fields of a newer contract
  message.Clear();
  return absl::InvalidArgumentError(
      absl::StrCat("request: not a valid ", message.GetDescriptor()->name(),
                   " (", bytes.size(), " bytes)"));
}

namespace {

Mutex parsed_methods_mutex;
absl::flat_hash_set<std::string>& ParsedMethods()
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(parsed_methods_mutex) {
  static auto* const kMethods = new absl::flat_hash_set<std::string>();
  return *kMethods;
}

}  // namespace

void NoteParsedMethod(std::string method_path) {
  MutexLock lock(&parsed_methods_mutex);
  ParsedMethods().insert(std::move(method_path));
}

const google::protobuf::Message* ReceivedRequest(absl::string_view method_path,
                                                 const void* received) {
  if (received == nullptr) return nullptr;
  bool parsed = false;
  {
    MutexLock lock(&parsed_methods_mutex);
    parsed = ParsedMethods().contains(method_path);
  }
  if (!parsed) return static_cast<const google::protobuf::Message*>(received);
  const auto* request = static_cast<const ParsedRequest*>(received);
  return request->status.ok() ? &request->request() : nullptr;
}

int MethodIndex(absl::string_view service_full_name, absl::string_view method,
                const google::protobuf::Descriptor& request,
                const google::protobuf::Descriptor& response) {
  const google::protobuf::ServiceDescriptor* service =
      request.file()->pool()->FindServiceByName(std::string(service_full_name));
  const google::protobuf::MethodDescriptor* found =
      service == nullptr ? nullptr
                         : service->FindMethodByName(std::string(method));
  if (found == nullptr || found->input_type() != &request ||
      found->output_type() != &response) {
    std::fprintf(stderr,
                 "%s has no method %s(%s) returns (%s): the handler named "
                 "for it does not match the contract\n",
                 std::string(service_full_name).c_str(),
                 std::string(method).c_str(), request.full_name().c_str(),
                 response.full_name().c_str());
    std::abort();
  }
  return found->index();
}

}  // namespace placement::service
