// Checks of a request before any handler sees it, free of gRPC so that a
// test or a fuzzer calls them on bytes or messages directly:
//
//   - WireFormatProblem: why bytes that failed to parse as `type` are not
//     one: truncated, a wrong wire type, invalid UTF-8 in a string field,
//     named by the field's proto path ("participant.skills[2].code"). It
//     walks the wire format once with the message's descriptor: O(bytes).
//   - CheckRequestFields: every required id of a request is set, and every
//     id field that is set (a string field named `*_id` at the top of the
//     request) is well-formed (IdProblems, engine/validation.h).
//   - QuoteValue / LimitMessage: a bad value is quoted by a short prefix
//     with its length, and no message grows past kMaxStatusMessageBytes.
//
// Thread safety: pure functions.

#ifndef PLACEMENT_PROTO_REQUEST_CHECK_H_
#define PLACEMENT_PROTO_REQUEST_CHECK_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace placement {

// At most this many bytes of a bad value are quoted in a message.
inline constexpr size_t kMaxQuotedBytes = 64;
// No status message is longer (in bytes) than this.
inline constexpr size_t kMaxStatusMessageBytes = 1024;

// `value` in single quotes; a value longer than kMaxQuotedBytes is cut at a
// UTF-8 character boundary and followed by "… (N bytes)".
std::string QuoteValue(absl::string_view value);

// `message` cut to at most kMaxStatusMessageBytes bytes at a character
// boundary, ending in "… (N bytes)" when cut.
std::string LimitMessage(absl::string_view message);

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF). Offset of the first bad byte in
// `bad_offset` otherwise.
bool IsValidUtf8(absl::string_view text, size_t* bad_offset = nullptr);

// INVALID_ARGUMENT saying why `bytes` are not a valid `type`, naming the
// field where the fault lies; OK when the walk finds no fault (the bytes
// parse). Unknown fields are skipped as the parser skips them.
absl::Status WireFormatProblem(absl::string_view bytes,
                               const google::protobuf::Descriptor& type);

// True when `message` or any message below it holds unknown fields: fields
// of a newer contract, or a known field sent with the wrong wire type (the
// parser keeps both as unknown; WireFormatProblem tells them apart).
bool HasUnknownFields(const google::protobuf::Message& message);

// INVALID_ARGUMENT under `path` unless `id` is a well-formed id
// (IdProblems): "opening_id: required", "run_id: 'R 1' an id may hold
// only ...". A value shaped like a personal identity number is not quoted.
absl::Status CheckIdField(absl::string_view path, absl::string_view id);

// INVALID_ARGUMENT naming the first field of `request` (its proto path)
// that is required and empty, or an id field that is set but malformed.
// The required fields of each request type are listed in request_check.cc,
// from the "Required" of the proto comments.
absl::Status CheckRequestFields(const google::protobuf::Message& request);

}  // namespace placement

#endif  // PLACEMENT_PROTO_REQUEST_CHECK_H_
