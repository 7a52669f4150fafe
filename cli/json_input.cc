#include "cli/json_input.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/enum_names.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace placement::cli {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Value;

const FieldDescriptor* FieldNamed(const Descriptor& type,
                                  const std::string& key) {
  if (const FieldDescriptor* field = type.FindFieldByName(key)) return field;
  for (int i = 0; i < type.field_count(); ++i) {
    if (type.field(i)->json_name() == key) return type.field(i);
  }
  return nullptr;
}

// Well-known types have JSON forms of their own (a Timestamp is a string).
bool IsWellKnown(const Descriptor& type) {
  return type.file()->package() == "google.protobuf";
}

absl::Status Rewrite(const Descriptor& type, const std::string& path,
                     google::protobuf::Struct& object);

// One value of `field` (an element, for a repeated field).
absl::Status RewriteValue(const FieldDescriptor& field, const std::string& path,
                          Value& value) {
  if (field.type() == FieldDescriptor::TYPE_ENUM &&
      value.kind_case() == Value::kStringValue) {
    const google::protobuf::EnumValueDescriptor* found =
        FindEnumValue(*field.enum_type(), value.string_value());
    if (found == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": '", value.string_value(), "' is not one of ",
                       EnumChoices(*field.enum_type())));
    }
    value.set_string_value(found->name());
  } else if (field.type() == FieldDescriptor::TYPE_MESSAGE &&
             !IsWellKnown(*field.message_type()) &&
             value.kind_case() == Value::kStructValue) {
    return Rewrite(*field.message_type(), path, *value.mutable_struct_value());
  }
  return absl::OkStatus();
}

absl::Status Rewrite(const Descriptor& type, const std::string& prefix,
                     google::protobuf::Struct& object) {
  // In key order, so that the first of several problems is always the same.
  std::vector<std::string> keys;
  for (const auto& entry : object.fields()) keys.push_back(entry.first);
  std::sort(keys.begin(), keys.end());
  for (const std::string& key : keys) {
    Value& value = (*object.mutable_fields())[key];
    const FieldDescriptor* field = FieldNamed(type, key);
    if (field == nullptr || field->is_map()) continue;  // protobuf reports it
    const std::string path =
        prefix.empty() ? key : absl::StrCat(prefix, ".", key);
    if (field->is_repeated() && value.kind_case() == Value::kListValue) {
      auto& items = *value.mutable_list_value()->mutable_values();
      for (int i = 0; i < items.size(); ++i) {
        if (absl::Status s =
                RewriteValue(*field, absl::StrCat(path, "[", i, "]"), items[i]);
            !s.ok()) {
          return s;
        }
      }
    } else if (absl::Status s = RewriteValue(*field, path, value); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status JsonToMessage(absl::string_view json,
                           google::protobuf::Message& message) {
  message.Clear();
  Value tree;
  if (auto parsed = google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(json.data(), json.size()), &tree);
      !parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not JSON: ", std::string(parsed.message())));
  }
  if (tree.kind_case() != Value::kStructValue) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected a JSON object (a ", message.GetDescriptor()->name(), ")"));
  }
  if (absl::Status s =
          Rewrite(*message.GetDescriptor(), "", *tree.mutable_struct_value());
      !s.ok()) {
    return s;
  }
  std::string rewritten;
  (void)google::protobuf::util::MessageToJsonString(tree.struct_value(),
                                                    &rewritten);
  if (auto parsed =
          google::protobuf::util::JsonStringToMessage(rewritten, &message);
      !parsed.ok()) {
    return absl::InvalidArgumentError(std::string(parsed.message()));
  }
  return absl::OkStatus();
}

}  // namespace placement::cli
