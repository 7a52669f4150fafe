// The CLI's JSON input (cli/json_input.h) on arbitrary text: the first byte
// chooses the message (ApiMessageTypes: the Participant and Opening files
// `placement participant|opening` read, and every request type, for the
// enum rewriter's walk over every message shape), the rest is the file. What
// parses prints (as `--json` prints it) and parses back to the same message; a
// Participant or Opening that parses is converted as the server will convert
// it.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "cli/json_input.h"
#include "fuzz/fuzz_support.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "placement/v1/opening.pb.h"
#include "placement/v1/participant.pb.h"
#include "proto/convert.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace placement::fuzz;
  const Selected input = Select(data, size);
  const auto& types = ApiMessageTypes();
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          types[input.selector % types.size()]);
  std::unique_ptr<google::protobuf::Message> message(prototype->New());
  const absl::Status parsed =
      placement::cli::JsonToMessage(input.rest, *message);
  if (!parsed.ok()) {
    Check(!parsed.message().empty(), "a refusal says what is wrong");
    return 0;
  }
  std::string printed;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  Check(google::protobuf::util::MessageToJsonString(*message, &printed, options)
            .ok(),
        "a message read from JSON prints as JSON");
  std::unique_ptr<google::protobuf::Message> again(prototype->New());
  const absl::Status reparsed = placement::cli::JsonToMessage(printed, *again);
  Check(reparsed.ok(), "printed JSON reads back");
  if (FieldMasksRoundTrip(*message)) {
    Check(google::protobuf::util::MessageDifferencer::Equals(*message, *again),
          "printed JSON reads back as the same message");
  }
  if (auto* p =
          dynamic_cast<const placement::v1::Participant*>(message.get())) {
    (void)placement::FromProto(*p);
  } else if (auto* o =
                 dynamic_cast<const placement::v1::Opening*>(message.get())) {
    (void)placement::FromProto(*o);
  }
  return 0;
}
