#include "cli/enum_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace placement::cli {

std::string EnumPrefix(const google::protobuf::EnumDescriptor& type) {
  const google::protobuf::EnumValueDescriptor* unset =
      type.FindValueByNumber(0);
  if (unset == nullptr) return "";
  return std::string(absl::StripSuffix(unset->name(), "UNSPECIFIED"));
}

std::string ShortName(const google::protobuf::EnumDescriptor& type, int value) {
  const google::protobuf::EnumValueDescriptor* found =
      type.FindValueByNumber(value);
  if (value == 0 || found == nullptr) return "-";
  return std::string(absl::StripPrefix(found->name(), EnumPrefix(type)));
}

std::string EnumChoices(const google::protobuf::EnumDescriptor& type) {
  std::vector<std::string> names;
  for (int i = 0; i < type.value_count(); ++i) {
    const int number = type.value(i)->number();
    if (number != 0) {
      names.push_back(absl::AsciiStrToLower(ShortName(type, number)));
    }
  }
  return absl::StrJoin(names, ", ");
}

const google::protobuf::EnumValueDescriptor* FindEnumValue(
    const google::protobuf::EnumDescriptor& type, absl::string_view name) {
  const std::string upper = absl::AsciiStrToUpper(name);
  const std::string prefix = EnumPrefix(type);
  for (const std::string& candidate : {upper, prefix + upper}) {
    const google::protobuf::EnumValueDescriptor* value =
        type.FindValueByName(candidate);
    if (value != nullptr && value->number() != 0) return value;
  }
  return nullptr;
}

absl::StatusOr<std::vector<int>> ParseEnumNumbers(
    const google::protobuf::EnumDescriptor& type, absl::string_view what,
    absl::string_view text) {
  std::vector<int> numbers;
  for (absl::string_view item :
       absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    item = absl::StripAsciiWhitespace(item);
    const google::protobuf::EnumValueDescriptor* value =
        FindEnumValue(type, item);
    if (value == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, ": '", item, "' is not one of ", EnumChoices(type)));
    }
    numbers.push_back(value->number());
  }
  return numbers;
}

}  // namespace placement::cli
