#include "app/reference.h"

#include "absl/strings/str_cat.h"

namespace placement::app {
namespace {

absl::string_view CallOf(ReferenceTable table) {
  switch (table) {
    case ReferenceTable::kSkills:
      return "ReferenceDataService.ListSkills";
    case ReferenceTable::kOccupationFields:
      return "ReferenceDataService.ListOccupationFields";
    case ReferenceTable::kSupports:
      return "ReferenceDataService.ListSupports";
    case ReferenceTable::kSupportNeeds:
      return "ReferenceDataService.ListSupportNeeds";
    case ReferenceTable::kMunicipalities:
      return "ReferenceDataService.ListMunicipalities";
  }
  return "ReferenceDataService";
}

}  // namespace

absl::StatusOr<std::vector<int>> LookUpCodes(const Context& context,
                                             const Caller& caller,
                                             ReferenceTable table,
                                             absl::string_view query) {
  // Every role today; a role added later is refused until it is listed.
  if (absl::Status s = CheckRole(
          caller,
          {Role::kCoach, Role::kEmployerContact, Role::kOperator, Role::kAdmin},
          CallOf(table));
      !s.ok()) {
    return s;
  }
  if (const size_t length = Utf8Characters(query);
      length > kMaxReferenceQueryCharacters) {
    return absl::InvalidArgumentError(
        absl::StrCat("query: ", length, " characters; at most ",
                     kMaxReferenceQueryCharacters));
  }
  const ReferenceData& reference = *context.reference;
  switch (table) {
    case ReferenceTable::kSkills:
      return reference.skills.SkillsMatching(query);
    case ReferenceTable::kOccupationFields:
      return reference.skills.FieldsMatching(query);
    case ReferenceTable::kSupports:
      return reference.supports.SupportsMatching(query);
    case ReferenceTable::kSupportNeeds:
      return reference.supports.NeedsMatching(query);
    case ReferenceTable::kMunicipalities:
      return reference.municipalities.Matching(query);
  }
  return std::vector<int>{};
}

}  // namespace placement::app
