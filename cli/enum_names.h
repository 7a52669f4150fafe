// The names of API enum values as people read and type them: the value name
// without its type's prefix ("OPENING_KIND_SOCIAL_ENTERPRISE" is
// "SOCIAL_ENTERPRISE", in tables also "social_enterprise"), "-" for the unset
// value 0 (no table shows a protobuf placeholder such as UNSPECIFIED), and
// look-ups that accept any of these spellings, ignoring case.
//
// Every enum of placement.v1 names its value 0 <PREFIX>UNSPECIFIED; the
// prefix is what that name leaves after removing "UNSPECIFIED".
//
// Thread safety: stateless; safe from any thread.

#ifndef PLACEMENT_CLI_ENUM_NAMES_H_
#define PLACEMENT_CLI_ENUM_NAMES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace placement::cli {

// "OPENING_KIND_" for OpeningKind: the name of value 0 less "UNSPECIFIED".
std::string EnumPrefix(const google::protobuf::EnumDescriptor& type);

// The value's name without the prefix, e.g. "SOCIAL_ENTERPRISE"; "-" for
// value 0 and for a number the type does not define.
std::string ShortName(const google::protobuf::EnumDescriptor& type, int value);

template <typename Enum>
std::string ShortName(Enum value) {
  return ShortName(*google::protobuf::GetEnumDescriptor<Enum>(),
                   static_cast<int>(value));
}
// ShortName in lower case, e.g. "social_enterprise".
template <typename Enum>
std::string LowerName(Enum value) {
  return absl::AsciiStrToLower(ShortName(value));
}

// The values people may name, lower case, in number order, value 0 left out:
// "employer_internship, work_training, ...".
std::string EnumChoices(const google::protobuf::EnumDescriptor& type);

// The value named `name`, ignoring case: the short name
// ("social_enterprise") or the full one ("OPENING_KIND_SOCIAL_ENTERPRISE").
// Value 0 is never found: it means "not set". nullptr when nothing matches.
const google::protobuf::EnumValueDescriptor* FindEnumValue(
    const google::protobuf::EnumDescriptor& type, absl::string_view name);

// Comma-separated names (as FindEnumValue takes them) to values; empty items
// are skipped. INVALID_ARGUMENT names the first bad item and lists the valid
// values, prefixed by `what` (e.g. "--kind").
template <typename Enum>
absl::StatusOr<std::vector<Enum>> ParseEnumList(absl::string_view what,
                                                absl::string_view text);

// ---------------------------------------------------------------------------
// Implementation details.

absl::StatusOr<std::vector<int>> ParseEnumNumbers(
    const google::protobuf::EnumDescriptor& type, absl::string_view what,
    absl::string_view text);

template <typename Enum>
absl::StatusOr<std::vector<Enum>> ParseEnumList(absl::string_view what,
                                                absl::string_view text) {
  absl::StatusOr<std::vector<int>> numbers = ParseEnumNumbers(
      *google::protobuf::GetEnumDescriptor<Enum>(), what, text);
  if (!numbers.ok()) return numbers.status();
  std::vector<Enum> values;
  for (int number : *numbers) values.push_back(static_cast<Enum>(number));
  return values;
}

}  // namespace placement::cli

#endif  // PLACEMENT_CLI_ENUM_NAMES_H_
