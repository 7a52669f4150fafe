#include "engine/row_error.h"

#include "absl/strings/str_cat.h"

namespace placement {

std::string RowError::ToString() const {
  std::string text = absl::StrCat(file, ":", line, ": ");
  if (!field.empty()) {
    absl::StrAppend(&text, "field '", field, "', value '", value, "': ");
  }
  absl::StrAppend(&text, reason);
  return text;
}

absl::Status RowError::ToStatus() const {
  return absl::InvalidArgumentError(ToString());
}

}  // namespace placement
