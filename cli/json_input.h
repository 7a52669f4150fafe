// Proto JSON files as people write them: enum values may be named as the
// CLI's tables print them ("social_enterprise", "open") as well as by their
// proto names ("OPENING_KIND_SOCIAL_ENTERPRISE"), in any case; a bad enum
// value is refused with the field's path and the valid names.
//
// How: the text is parsed into a google.protobuf.Value tree, every string
// in an enum field (found through `message`'s descriptor) is replaced by the
// proto name of the value it names, and the tree is then read by protobuf's
// own JSON parser, which reports every other problem.
//
// Thread safety: stateless; safe from any thread.

#ifndef PLACEMENT_CLI_JSON_INPUT_H_
#define PLACEMENT_CLI_JSON_INPUT_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace placement::cli {

// Reads `json` into `message` (cleared first). INVALID_ARGUMENT with a
// message for people, e.g. `kind: 'sosial_enterprise' is not one of
// employer_internship, work_training, ...`.
absl::Status JsonToMessage(absl::string_view json,
                           google::protobuf::Message& message);

}  // namespace placement::cli

#endif  // PLACEMENT_CLI_JSON_INPUT_H_
