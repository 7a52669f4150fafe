// The Connect protocol's unary JSON form, as the gateway speaks it to the
// browser (https://connectrpc.com/docs/protocol): request and response
// messages as protobuf's canonical JSON (json_util: lowerCamelCase field
// names, enum values by their proto names), and errors as
// {"code": "not_found", "message": "..."} with the HTTP status the code maps
// to.
//
// Example:
//   v1::SuggestOpeningsRequest request;
//   if (absl::Status s = JsonToMessage(body, request); !s.ok()) {
//     ConnectError error = ConnectErrorOf(s);  // 400 invalid_argument
//   }
//   std::string json = MessageToJson(response);
//
// Thread safety: stateless functions; safe from any thread.

#ifndef PLACEMENT_WEB_CONNECT_H_
#define PLACEMENT_WEB_CONNECT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"

namespace placement::web {

// The header every Connect POST carries, and its only version.
inline constexpr char kConnectProtocolHeader[] = "Connect-Protocol-Version";
inline constexpr char kConnectProtocolVersion[] = "1";

// Parses canonical JSON into `message` (cleared first). An empty body is the
// empty message. Unknown fields are refused. INVALID_ARGUMENT with a message
// for people that names the message type and, where protobuf says which, the
// field: `request body: unknown field "filters.bar" for
// placement.v1.SuggestOpeningsRequest`, or what is wrong with the JSON.
absl::Status JsonToMessage(absl::string_view json,
                           google::protobuf::Message& message);

// Canonical JSON of `message`, fields with default values included (so a
// client sees `"k": 0` rather than nothing), enums by name, one line.
std::string MessageToJson(const google::protobuf::Message& message);

// The Connect error code of a gRPC status code, e.g. "invalid_argument";
// "" for OK. Every code of grpc::StatusCode has one; a number outside them
// is "unknown".
absl::string_view ConnectCode(grpc::StatusCode code);

// The HTTP status a Connect error of that code is sent with: 400
// invalid_argument and out_of_range, 401 unauthenticated, 403
// permission_denied, 404 not_found, 409 already_exists and aborted, 412
// failed_precondition (as web-contract.md fixes it), 429
// resource_exhausted, 499 canceled, 501 unimplemented, 503 unavailable, 504
// deadline_exceeded, 500 unknown, internal and data_loss; 200 for OK.
int ConnectHttpStatus(grpc::StatusCode code);

// `text` as a JSON string literal, quotes included: `"`, `\` and control
// characters escaped, and `<`, `>`, `&` as \u escapes so the text can never
// be read as markup. UTF-8 passes through; a byte that is not part of
// well-formed UTF-8 becomes \ufffd (the replacement character), so the
// literal is always valid JSON, whatever an error message quotes.
std::string JsonQuote(absl::string_view text);

// A Connect error: the HTTP status and the JSON body.
struct ConnectError {
  int http_status = 500;
  std::string body;
};

// {"code":"...","message":"..."} for a gRPC status (not OK), with its HTTP
// status.
ConnectError ConnectErrorOf(const grpc::Status& status);
// The same for an absl::Status (canonical codes equal gRPC's).
ConnectError ConnectErrorOf(const absl::Status& status);

}  // namespace placement::web

#endif  // PLACEMENT_WEB_CONNECT_H_
