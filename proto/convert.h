// Conversion between the engine's domain types and the v1 protobuf messages.
// This is the only place that knows both; the engine never sees protobuf.
//
// ToProto never fails. FromProto maps every enum strictly: an UNSPECIFIED or
// unknown enum value is INVALID_ARGUMENT naming the field by its proto path
// and the value ("participant.travel_mode: 0 is not a travel mode"). Range
// and reference-data checks are the request validator's job, not this file's.
//
// Thread safety: stateless functions.

#ifndef PLACEMENT_PROTO_CONVERT_H_
#define PLACEMENT_PROTO_CONVERT_H_

#include "absl/status/statusor.h"
#include "engine/types.h"
#include "placement/v1/opening.pb.h"
#include "placement/v1/participant.pb.h"

namespace placement {

void ToProto(const Participant& participant, v1::Participant& out);
void ToProto(const Opening& opening, v1::Opening& out);

// `path` prefixes field names in errors ("participant", "opening",
// "request.participant", ...).
absl::StatusOr<Participant> FromProto(const v1::Participant& participant,
                                      absl::string_view path = "participant");
absl::StatusOr<Opening> FromProto(const v1::Opening& opening,
                                  absl::string_view path = "opening");

}  // namespace placement

#endif  // PLACEMENT_PROTO_CONVERT_H_
