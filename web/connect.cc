#include "web/connect.h"

#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"

namespace placement::web {
namespace {

struct CodeMapping {
  absl::string_view connect_code;
  int http_status;
};

CodeMapping MappingOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return {"", 200};
    case grpc::StatusCode::CANCELLED:
      return {"canceled", 499};
    case grpc::StatusCode::UNKNOWN:
      return {"unknown", 500};
    case grpc::StatusCode::INVALID_ARGUMENT:
      return {"invalid_argument", 400};
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return {"deadline_exceeded", 504};
    case grpc::StatusCode::NOT_FOUND:
      return {"not_found", 404};
    case grpc::StatusCode::ALREADY_EXISTS:
      return {"already_exists", 409};
    case grpc::StatusCode::PERMISSION_DENIED:
      return {"permission_denied", 403};
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return {"resource_exhausted", 429};
    // The Connect specification answered 412 until 2024 and 400 since; the
    // console's contract (web-contract.md) fixes 412, and clients branch on
    // the code, not the status.
    case grpc::StatusCode::FAILED_PRECONDITION:
      return {"failed_precondition", 412};
    case grpc::StatusCode::ABORTED:
      return {"aborted", 409};
    case grpc::StatusCode::OUT_OF_RANGE:
      return {"out_of_range", 400};
    case grpc::StatusCode::UNIMPLEMENTED:
      return {"unimplemented", 501};
    case grpc::StatusCode::INTERNAL:
      return {"internal", 500};
    case grpc::StatusCode::UNAVAILABLE:
      return {"unavailable", 503};
    case grpc::StatusCode::DATA_LOSS:
      return {"data_loss", 500};
    case grpc::StatusCode::UNAUTHENTICATED:
      return {"unauthenticated", 401};
    case grpc::StatusCode::DO_NOT_USE:
      break;
  }
  return {"unknown", 500};
}

// Protobuf 3.21 reports an unknown field as "(outer.inner) name: Cannot find
// field." (or "name: Cannot find field." at the top level). Returns the
// dotted path, or "" when the message is not of that form (other protobuf
// versions word it differently; their message is then passed on as it is).
std::string UnknownFieldPath(absl::string_view message) {
  absl::string_view rest = message;
  if (!absl::ConsumeSuffix(&rest, ": Cannot find field.")) return "";
  std::string path;
  if (absl::ConsumePrefix(&rest, "(")) {
    const size_t close = rest.find(") ");
    if (close == absl::string_view::npos) return "";
    path = absl::StrCat(rest.substr(0, close), ".");
    rest.remove_prefix(close + 2);
  }
  absl::StrAppend(&path, rest);
  return path;
}

// The length of the well-formed UTF-8 sequence (RFC 3629: no overlong form,
// no surrogate, nothing above U+10FFFF) that `text` starts with, 2 to 4; 0
// when it starts with none. `text` starts with a byte of 0x80 or above.
size_t Utf8SequenceLength(absl::string_view text) {
  const auto at = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = at(0);
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (text.size() < length || at(1) < low || at(1) > high) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (at(k) < 0x80 || at(k) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

absl::Status JsonToMessage(absl::string_view json,
                           google::protobuf::Message& message) {
  message.Clear();
  if (absl::StripAsciiWhitespace(json).empty()) return absl::OkStatus();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  options.case_insensitive_enum_parsing = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &message,
      options);
  if (status.ok()) return absl::OkStatus();
  const std::string type = message.GetDescriptor()->full_name();
  const std::string raw(status.message());
  const std::string field = UnknownFieldPath(raw);
  message.Clear();
  if (!field.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "request body: unknown field \"", field, "\" for ", type,
        " (fields are named in lowerCamelCase, as in the API's JSON)"));
  }
  // Protobuf's own words, on one line (its syntax errors quote the input
  // over several lines).
  std::string one_line = absl::StrReplaceAll(raw, {{"\n", " "}});
  return absl::InvalidArgumentError(
      absl::StrCat("request body is not a valid ", type,
                   " in JSON: ", absl::StripAsciiWhitespace(one_line)));
}

std::string MessageToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.always_print_enums_as_ints = false;
  options.preserve_proto_field_names = false;
  std::string json;
  // Printing a valid message cannot fail (Any with an unknown type aside,
  // which the API does not use).
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

absl::string_view ConnectCode(grpc::StatusCode code) {
  return MappingOf(code).connect_code;
}

int ConnectHttpStatus(grpc::StatusCode code) {
  return MappingOf(code).http_status;
}

std::string JsonQuote(absl::string_view text) {
  std::string out = "\"";
  out.reserve(text.size() + 2);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      const size_t length = Utf8SequenceLength(text.substr(i));
      if (length == 0) {
        out += "\\ufffd";
      } else {
        out.append(text.data() + i, length);
        i += length - 1;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '<':
      case '>':
      case '&': {
        char escaped[8];
        std::snprintf(escaped, sizeof(escaped), "\\u%04x", byte);
        out += escaped;
        break;
      }
      default:
        if (byte < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", byte);
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += "\"";
  return out;
}

ConnectError ConnectErrorOf(const grpc::Status& status) {
  const CodeMapping mapping = MappingOf(status.error_code());
  return {.http_status = mapping.http_status,
          .body = absl::StrCat(
              "{\"code\":", JsonQuote(mapping.connect_code),
              ",\"message\":", JsonQuote(status.error_message()), "}")};
}

ConnectError ConnectErrorOf(const absl::Status& status) {
  return ConnectErrorOf(
      grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                   std::string(status.message())));
}

}  // namespace placement::web
