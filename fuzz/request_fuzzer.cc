// Requests of the v1 API from arbitrary bytes, through the conversion and
// validation the handlers run before anything reaches the engine: the first
// byte chooses the request type (ApiMessageTypes), the rest is parsed as its
// protobuf wire form, and every part of the message is then checked as the
// service checks it: each Participant and Opening converted (FromProto) and
// validated (CheckParticipant, CheckOpening, and their messages with proto
// paths), each id (CheckId), enum (the *FromProto mappings, CheckLanguage),
// run, page request, scoring override (ProfileFor) and update mask
// (CheckUpdateMask, then MergeMasked onto a record). Properties: a record
// that converts and validates converts back (ToProto) to the same record;
// every status message names its field, so is not empty.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "app/context.h"
#include "engine/validation.h"
#include "fuzz/fuzz_support.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "placement/v1/common.pb.h"
#include "placement/v1/match.pb.h"
#include "placement/v1/opening.pb.h"
#include "placement/v1/participant.pb.h"
#include "placement/v1/rematch_service.pb.h"
#include "proto/convert.h"
#include "service/rpc_support.h"

namespace placement::fuzz {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;

constexpr Date kToday = {.year = 2026, .month = 6, .day = 1};

void CheckError(const absl::Status& status) {
  if (status.ok()) return;
  Check(!status.message().empty(), "an error says what is wrong");
  (void)service::ToGrpcStatus(status);
}

void ParticipantRecord(const v1::Participant& proto, const std::string& path) {
  absl::StatusOr<Participant> participant = FromProto(proto, path);
  if (!participant.ok()) {
    CheckError(participant.status());
    return;
  }
  const std::vector<FieldProblem> problems =
      CheckParticipant(*participant, Reference());
  CheckError(app::ParticipantProblems(problems, path));
  CheckError(
      app::ParticipantProblems(CheckEntryNotAhead(*participant, kToday), path));
  if (!problems.empty()) return;
  v1::Participant back;
  ToProto(*participant, back);
  absl::StatusOr<Participant> again = FromProto(back, path);
  Check(again.ok(), "ToProto of a valid participant converts again");
  Check(*again == *participant,
        "a valid participant converts back to the same participant");
}

void OpeningRecord(const v1::Opening& proto, const std::string& path) {
  absl::StatusOr<Opening> opening = FromProto(proto, path);
  if (!opening.ok()) {
    CheckError(opening.status());
    return;
  }
  const std::vector<FieldProblem> problems =
      CheckOpening(*opening, Reference());
  CheckError(app::OpeningProblems(problems, path));
  if (!problems.empty()) return;
  v1::Opening back;
  ToProto(*opening, back);
  absl::StatusOr<Opening> again = FromProto(back, path);
  Check(again.ok(), "ToProto of a valid opening converts again");
  Check(*again == *opening,
        "a valid opening converts back to the same opening");
}

void EnumValue(const FieldDescriptor& field, int value,
               const std::string& path) {
  const std::string& type = field.enum_type()->full_name();
  if (type == "placement.v1.OpeningKind") {
    CheckError(OpeningKindFromProto(value, path).status());
  } else if (type == "placement.v1.OpeningStatus") {
    CheckError(OpeningStatusFromProto(value, path).status());
  } else if (type == "placement.v1.ParticipantStatus") {
    CheckError(ParticipantStatusFromProto(value, path).status());
  } else if (type == "placement.v1.ProposalState") {
    CheckError(ProposalStateFromProto(value, path).status());
  } else if (type == "placement.v1.Decision") {
    CheckError(DecisionFromProto(value, path).status());
  } else if (type == "placement.v1.Language") {
    CheckError(service::CheckLanguage(value, path));
  }
}

void StringValue(const FieldDescriptor& field, const std::string& value,
                 const std::string& path) {
  if (field.name() == "id" || absl::EndsWith(field.name(), "_id")) {
    CheckError(app::CheckId(value, path));
  }
  (void)app::Utf8Characters(value);
  (void)LooksLikePersonalIdentityNumber(value);
}

// An update mask over the record in the same request (UpdateOpening,
// UpdateParticipant): checked, then merged onto an empty record and onto the
// request's own, and the result converted.
void UpdateMask(const Message& request, const google::protobuf::FieldMask& mask,
                const std::string& path) {
  const Descriptor& type = *request.GetDescriptor();
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    if (field.type() != FieldDescriptor::TYPE_MESSAGE || field.is_repeated())
      continue;
    const Descriptor& record = *field.message_type();
    if (record.full_name() != "placement.v1.Participant" &&
        record.full_name() != "placement.v1.Opening")
      continue;
    const absl::Status checked =
        service::CheckUpdateMask(mask, record, {"id"}, {}, "title");
    CheckError(checked);
    if (!checked.ok()) continue;
    const Message& source =
        request.GetReflection()->GetMessage(request, &field);
    std::unique_ptr<Message> merged(source.New());
    service::MergeMasked(source, mask, *merged);
    std::unique_ptr<Message> onto(source.New());
    onto->CopyFrom(source);
    service::MergeMasked(source, mask, *onto);
    if (auto* p = dynamic_cast<const v1::Participant*>(merged.get())) {
      ParticipantRecord(*p, path);
    } else if (auto* o = dynamic_cast<const v1::Opening*>(merged.get())) {
      OpeningRecord(*o, path);
    }
  }
}

void Visit(const Message& message, const std::string& path, int depth) {
  if (depth > 16) return;
  if (auto* p = dynamic_cast<const v1::Participant*>(&message)) {
    ParticipantRecord(*p, path);
  } else if (auto* o = dynamic_cast<const v1::Opening*>(&message)) {
    OpeningRecord(*o, path);
  } else if (auto* run = dynamic_cast<const v1::Run*>(&message)) {
    CheckError(FromProto(*run, path).status());
  } else if (auto* page = dynamic_cast<const v1::PageRequest*>(&message)) {
    const int size = service::PageSize(*page);
    Check(size >= 1 && size <= service::kMaxPageSize,
          "a page size is 1..kMaxPageSize");
  } else if (auto* profile =
                 dynamic_cast<const v1::ScoringProfileOverride*>(&message)) {
    CheckError(app::ProfileFor(ScoringProfile::Default(),
                               service::WeightOverridesOf(*profile), path)
                   .status());
  }
  const Descriptor& type = *message.GetDescriptor();
  const Reflection& reflection = *message.GetReflection();
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    const std::string field_path = absl::StrCat(path, ".", field.name());
    const int count =
        field.is_repeated() ? reflection.FieldSize(message, &field) : 1;
    for (int k = 0; k < count; ++k) {
      const std::string item_path = field.is_repeated()
                                        ? absl::StrCat(field_path, "[", k, "]")
                                        : field_path;
      switch (field.cpp_type()) {
        case FieldDescriptor::CPPTYPE_MESSAGE: {
          if (!field.is_repeated() && !reflection.HasField(message, &field))
            break;
          const Message& child =
              field.is_repeated()
                  ? reflection.GetRepeatedMessage(message, &field, k)
                  : reflection.GetMessage(message, &field);
          if (auto* mask =
                  dynamic_cast<const google::protobuf::FieldMask*>(&child)) {
            UpdateMask(message, *mask, item_path);
          }
          Visit(child, item_path, depth + 1);
          break;
        }
        case FieldDescriptor::CPPTYPE_ENUM:
          EnumValue(field,
                    field.is_repeated()
                        ? reflection.GetRepeatedEnumValue(message, &field, k)
                        : reflection.GetEnumValue(message, &field),
                    item_path);
          break;
        case FieldDescriptor::CPPTYPE_STRING:
          StringValue(field,
                      field.is_repeated()
                          ? reflection.GetRepeatedString(message, &field, k)
                          : reflection.GetString(message, &field),
                      item_path);
          break;
        default:
          break;
      }
    }
  }
}

}  // namespace
}  // namespace placement::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace placement::fuzz;
  const Selected input = Select(data, size);
  const auto& types = ApiMessageTypes();
  const google::protobuf::Descriptor* type =
      types[input.selector % types.size()];
  std::unique_ptr<google::protobuf::Message> request(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(type)
          ->New());
  if (!request->ParseFromArray(input.rest.data(),
                               static_cast<int>(input.rest.size()))) {
    return 0;
  }
  Visit(*request, "request", 0);
  return 0;
}
