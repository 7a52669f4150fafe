#include "proto/request_check.h"

#include <cstdint>
#include <map>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "engine/validation.h"
#include "google/protobuf/io/coded_stream.h"

namespace placement {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::io::CodedInputStream;

// Deeper than any message of the contract nests; the parser's own limit is
// 100.
constexpr int kMaxDepth = 64;

// The wire types (protobuf encoding guide).
enum WireType : int {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

const char* WireTypeName(int wire_type) {
  switch (wire_type) {
    case kVarint:
      return "varint";
    case kFixed64:
      return "64-bit";
    case kLengthDelimited:
      return "length-delimited";
    case kStartGroup:
      return "start-group";
    case kEndGroup:
      return "end-group";
    case kFixed32:
      return "32-bit";
  }
  return "invalid";
}

int ExpectedWireType(const FieldDescriptor& field) {
  switch (field.type()) {
    case FieldDescriptor::TYPE_DOUBLE:
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_SFIXED64:
      return kFixed64;
    case FieldDescriptor::TYPE_FLOAT:
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_SFIXED32:
      return kFixed32;
    case FieldDescriptor::TYPE_STRING:
    case FieldDescriptor::TYPE_BYTES:
    case FieldDescriptor::TYPE_MESSAGE:
      return kLengthDelimited;
    case FieldDescriptor::TYPE_GROUP:
      return kStartGroup;
    default:
      return kVarint;
  }
}

size_t CharacterStart(absl::string_view text, size_t at) {
  while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) {
    --at;
  }
  return at;
}

// One pass over the wire format of a message, field by field, with the
// descriptor of its type; stops at the first fault.
class WireWalker {
 public:
  explicit WireWalker(absl::string_view bytes)
      : bytes_(bytes),
        in_(reinterpret_cast<const uint8_t*>(bytes.data()),
            static_cast<int>(bytes.size())) {
    in_.SetRecursionLimit(kMaxDepth + 1);
  }

  absl::Status Walk(const Descriptor& type) {
    in_.PushLimit(static_cast<int>(bytes_.size()));
    return Fields(type, "", 0);
  }

 private:
  absl::Status Fault(absl::string_view path, absl::string_view reason) {
    return absl::InvalidArgumentError(absl::StrCat(
        path.empty() ? "request" : path, ": ", reason, " (at byte ",
        in_.CurrentPosition(), " of ", bytes_.size(), ")"));
  }

  absl::Status Fields(const Descriptor& type, const std::string& prefix,
                      int depth) {
    if (depth > kMaxDepth) return Fault(prefix, "nested too deeply");
    std::map<int, int> occurrences;
    while (in_.BytesUntilLimit() > 0) {
      const uint32_t tag = in_.ReadTag();
      const int number = static_cast<int>(tag >> 3);
      const int wire_type = static_cast<int>(tag & 7);
      if (number == 0) {
        return Fault(prefix.empty() ? "request" : prefix,
                     absl::StrCat("not a valid ", type.name(),
                                  ": truncated or invalid field tag"));
      }
      const FieldDescriptor* field = type.FindFieldByNumber(number);
      if (field == nullptr) {
        const std::string path =
            absl::StrCat(prefix, prefix.empty() ? "" : ".", "field ", number);
        if (absl::Status s = SkipUnknown(path, wire_type); !s.ok()) return s;
        continue;
      }
      std::string path =
          absl::StrCat(prefix, prefix.empty() ? "" : ".", field->name());
      const int index = occurrences[number]++;
      const int expected = ExpectedWireType(*field);
      const bool packed = field->is_packable() && wire_type == kLengthDelimited;
      if (field->is_repeated() && !packed)
        absl::StrAppend(&path, "[", index, "]");
      if (wire_type != expected && !packed) {
        return Fault(path, absl::StrCat("wire type ", WireTypeName(wire_type),
                                        " where a ", field->type_name(),
                                        " field has ", WireTypeName(expected)));
      }
      if (packed) {
        if (absl::Status s = Packed(path, expected); !s.ok()) return s;
        continue;
      }
      if (absl::Status s = Value(*field, path, depth); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status Value(const FieldDescriptor& field, const std::string& path,
                     int depth) {
    const int wire_type = ExpectedWireType(field);
    if (wire_type == kStartGroup) {
      return Fault(path, "groups are not part of this contract");
    }
    if (wire_type != kLengthDelimited) return Scalar(path, wire_type);
    uint32_t length = 0;
    if (!in_.ReadVarint32(&length)) return Fault(path, "truncated length");
    if (static_cast<int64_t>(length) > in_.BytesUntilLimit()) {
      return Fault(path,
                   absl::StrCat("truncated: declares ", length, " bytes, ",
                                in_.BytesUntilLimit(), " remain"));
    }
    if (field.type() == FieldDescriptor::TYPE_MESSAGE) {
      const CodedInputStream::Limit limit =
          in_.PushLimit(static_cast<int>(length));
      if (absl::Status s = Fields(*field.message_type(), path, depth + 1);
          !s.ok()) {
        return s;
      }
      in_.PopLimit(limit);
      return absl::OkStatus();
    }
    std::string value;
    if (!in_.ReadString(&value, static_cast<int>(length))) {
      return Fault(path, "truncated");
    }
    size_t bad = 0;
    if (field.type() == FieldDescriptor::TYPE_STRING &&
        field.file()->syntax() ==
            google::protobuf::FileDescriptor::SYNTAX_PROTO3 &&
        !IsValidUtf8(value, &bad)) {
      return Fault(path, absl::StrCat("not valid UTF-8 (byte ", bad, " of a ",
                                      value.size(), "-byte value)"));
    }
    return absl::OkStatus();
  }

  absl::Status Scalar(const std::string& path, int wire_type) {
    uint64_t ignored = 0;
    uint32_t ignored32 = 0;
    bool read = false;
    switch (wire_type) {
      case kVarint:
        read = in_.ReadVarint64(&ignored);
        break;
      case kFixed64:
        read = in_.ReadLittleEndian64(&ignored);
        break;
      case kFixed32:
        read = in_.ReadLittleEndian32(&ignored32);
        break;
    }
    return read ? absl::OkStatus() : Fault(path, "truncated");
  }

  absl::Status Packed(const std::string& path, int element_wire_type) {
    uint32_t length = 0;
    if (!in_.ReadVarint32(&length)) return Fault(path, "truncated length");
    if (static_cast<int64_t>(length) > in_.BytesUntilLimit()) {
      return Fault(path,
                   absl::StrCat("truncated: declares ", length, " bytes, ",
                                in_.BytesUntilLimit(), " remain"));
    }
    const CodedInputStream::Limit limit =
        in_.PushLimit(static_cast<int>(length));
    for (int i = 0; in_.BytesUntilLimit() > 0; ++i) {
      if (absl::Status s =
              Scalar(absl::StrCat(path, "[", i, "]"), element_wire_type);
          !s.ok()) {
        return s;
      }
    }
    in_.PopLimit(limit);
    return absl::OkStatus();
  }

  absl::Status SkipUnknown(const std::string& path, int wire_type) {
    switch (wire_type) {
      case kVarint:
      case kFixed64:
      case kFixed32:
        return Scalar(path, wire_type);
      case kLengthDelimited: {
        uint32_t length = 0;
        if (!in_.ReadVarint32(&length) ||
            static_cast<int64_t>(length) > in_.BytesUntilLimit() ||
            !in_.Skip(static_cast<int>(length))) {
          return Fault(path, "truncated");
        }
        return absl::OkStatus();
      }
      default:
        return Fault(path, absl::StrCat("wire type ", WireTypeName(wire_type),
                                        " is not accepted"));
    }
  }

  absl::string_view bytes_;
  CodedInputStream in_;
};

// The required fields of each request, as proto paths ("participant.id"),
// from the comments of proto/placement/v1/*.proto. A request type not listed
// has none.
const std::map<std::string, std::vector<std::string>, std::less<>>&
RequiredFields() {
  static const auto* const kRequired =
      new std::map<std::string, std::vector<std::string>, std::less<>>{
          {"placement.v1.SuggestOpeningsRequest", {"participant_id"}},
          {"placement.v1.ExplainMatchRequest",
           {"participant_id", "opening_id"}},
          {"placement.v1.DecideProposalRequest", {"proposal_id"}},
          {"placement.v1.UpsertParticipantRequest", {"participant.id"}},
          {"placement.v1.UpdateParticipantRequest", {"participant.id"}},
          {"placement.v1.GetParticipantRequest", {"participant_id"}},
          {"placement.v1.EraseParticipantRequest", {"participant_id"}},
          {"placement.v1.UpdateOpeningRequest", {"opening.id"}},
          {"placement.v1.PauseOpeningRequest", {"opening_id"}},
          {"placement.v1.ReopenOpeningRequest", {"opening_id"}},
          {"placement.v1.CloseOpeningRequest", {"opening_id"}},
          {"placement.v1.GetOpeningRequest", {"opening_id"}},
          {"placement.v1.SuggestCandidatesRequest", {"opening_id"}},
          {"placement.v1.HoldPlaceRequest", {"participant_id", "opening_id"}},
          {"placement.v1.ReleaseHoldRequest", {"hold_id"}},
          {"placement.v1.StartPlacementRequest", {"participant_id"}},
          {"placement.v1.EndPlacementRequest", {"placement_id"}},
          {"placement.v1.GetTimelineRequest", {"participant_id"}},
          {"placement.v1.GetOpeningPlacementCountsRequest", {"opening_id"}},
          {"placement.v1.RecordExitFollowUpRequest", {"participant_id"}},
          {"placement.v1.WatchRunRequest", {"run_id"}},
          {"placement.v1.CancelRunRequest", {"run_id"}},
          {"placement.v1.GetRunReportRequest", {"run_id"}},
          {"placement.v1.ListRunProposalsRequest", {"run_id"}},
      };
  return *kRequired;
}

// The required string at `path` below `message`: a missing message on the
// way is reported under its own path ("participant: required").
absl::Status CheckRequiredPath(const Message& message, absl::string_view path) {
  const Message* current = &message;
  std::string walked;
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    absl::StrAppend(&walked, walked.empty() ? "" : ".", parts[i]);
    const FieldDescriptor* field =
        current->GetDescriptor()->FindFieldByName(std::string(parts[i]));
    const Reflection& reflection = *current->GetReflection();
    if (field == nullptr || field->is_repeated()) {
      return absl::InternalError(
          absl::StrCat("the required field ", path, " is not a field"));
    }
    if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (!reflection.HasField(*current, field)) {
        return absl::InvalidArgumentError(absl::StrCat(walked, ": required"));
      }
      current = &reflection.GetMessage(*current, field);
      continue;
    }
    return CheckIdField(walked, reflection.GetString(*current, field));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsValidUtf8(absl::string_view text, size_t* bad_offset) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    size_t length = 0;
    uint32_t min = 0;
    uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2, min = 0x80, code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3, min = 0x800, code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4, min = 0x10000, code = c & 0x07;
    } else {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    bool ok = i + length <= n;
    for (size_t k = 1; ok && k < length; ++k) {
      ok = (s[i + k] & 0xC0) == 0x80;
      code = (code << 6) | (s[i + k] & 0x3F);
    }
    ok = ok && code >= min && code <= 0x10FFFF &&
         !(code >= 0xD800 && code <= 0xDFFF);
    if (!ok) {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    i += length;
  }
  return true;
}

bool HasUnknownFields(const google::protobuf::Message& message) {
  const Reflection& reflection = *message.GetReflection();
  if (!reflection.GetUnknownFields(message).empty()) return true;
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      const int size = reflection.FieldSize(message, field);
      for (int i = 0; i < size; ++i) {
        if (HasUnknownFields(
                reflection.GetRepeatedMessage(message, field, i))) {
          return true;
        }
      }
    } else if (HasUnknownFields(reflection.GetMessage(message, field))) {
      return true;
    }
  }
  return false;
}

absl::Status CheckIdField(absl::string_view path, absl::string_view id) {
  if (id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": required"));
  }
  std::vector<std::string> problems = IdProblems(id);
  if (problems.empty()) return absl::OkStatus();
  // A personal identity number is personal data: not echoed, not logged.
  const std::string shown = LooksLikePersonalIdentityNumber(id)
                                ? std::string("(value not shown)")
                                : QuoteValue(id);
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": ", shown, " ", absl::StrJoin(problems, "; ")));
}

std::string QuoteValue(absl::string_view value) {
  if (value.size() <= kMaxQuotedBytes) return absl::StrCat("'", value, "'");
  const size_t cut = CharacterStart(value, kMaxQuotedBytes);
  return absl::StrCat("'", value.substr(0, cut), "…' (", value.size(),
                      " bytes)");
}

std::string LimitMessage(absl::string_view message) {
  if (message.size() <= kMaxStatusMessageBytes) return std::string(message);
  const std::string suffix = absl::StrCat("… (", message.size(), " bytes)");
  const size_t cut =
      CharacterStart(message, kMaxStatusMessageBytes - suffix.size());
  return absl::StrCat(message.substr(0, cut), suffix);
}

absl::Status WireFormatProblem(absl::string_view bytes,
                               const google::protobuf::Descriptor& type) {
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::InvalidArgumentError("request: larger than 2 GiB");
  }
  return WireWalker(bytes).Walk(type);
}

absl::Status CheckRequestFields(const google::protobuf::Message& request) {
  const Descriptor& type = *request.GetDescriptor();
  const auto required = RequiredFields().find(type.full_name());
  if (required != RequiredFields().end()) {
    for (const std::string& path : required->second) {
      if (absl::Status s = CheckRequiredPath(request, path); !s.ok()) return s;
    }
  }
  // Any other id the request names must at least be an id.
  const Reflection& reflection = *request.GetReflection();
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    if (field.type() != FieldDescriptor::TYPE_STRING || field.is_repeated() ||
        !absl::EndsWith(field.name(), "_id")) {
      continue;
    }
    const std::string& value = reflection.GetString(request, &field);
    if (value.empty()) continue;
    if (absl::Status s = CheckIdField(field.name(), value); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace placement
