#include "engine/row_reader.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace placement {
namespace {

constexpr size_t kMaxEchoedValueBytes = 80;

std::string Echo(absl::string_view value) {
  if (value.size() <= kMaxEchoedValueBytes) return std::string(value);
  // Cut on a UTF-8 character boundary.
  size_t end = kMaxEchoedValueBytes;
  while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) {
    --end;
  }
  return absl::StrCat(value.substr(0, end), "...");
}

}  // namespace

void RowReader::Fail(absl::string_view column, absl::string_view value,
                     absl::string_view reason) {
  errors_.push_back(RowError{.file = table_.file(),
                             .line = table_.line(),
                             .field = std::string(column),
                             .value = Echo(value),
                             .reason = std::string(reason)});
}

std::string RowReader::OptionalText(absl::string_view column,
                                    size_t max_bytes) {
  const absl::string_view value =
      absl::StripAsciiWhitespace(table_.Get(column));
  if (value.size() > max_bytes) {
    Fail(column, value, absl::StrCat("longer than ", max_bytes, " bytes"));
    return {};
  }
  return std::string(value);
}

std::string RowReader::Text(absl::string_view column, size_t max_bytes) {
  const size_t errors_before = errors_.size();
  std::string value = OptionalText(column, max_bytes);
  if (value.empty() && errors_.size() == errors_before) {
    Fail(column, value, "is required");
  }
  return value;
}

int RowReader::Int(absl::string_view column, int min, int max) {
  const absl::string_view value =
      absl::StripAsciiWhitespace(table_.Get(column));
  int parsed = 0;
  if (!absl::SimpleAtoi(value, &parsed)) {
    Fail(column, value, "not a whole number");
    return min;
  }
  if (parsed < min || parsed > max) {
    Fail(column, value, absl::StrCat("outside the range ", min, " to ", max));
    return min;
  }
  return parsed;
}

double RowReader::Double(absl::string_view column, double min, double max) {
  const absl::string_view value =
      absl::StripAsciiWhitespace(table_.Get(column));
  double parsed = 0;
  if (!absl::SimpleAtod(value, &parsed) || !std::isfinite(parsed)) {
    Fail(column, value, "not a number");
    return min;
  }
  if (parsed < min || parsed > max) {
    Fail(column, value, absl::StrCat("outside the range ", min, " to ", max));
    return min;
  }
  return parsed;
}

bool RowReader::Bool(absl::string_view column) {
  const absl::string_view value =
      absl::StripAsciiWhitespace(table_.Get(column));
  if (value == "true") return true;
  if (value == "false") return false;
  Fail(column, value, "expected 'true' or 'false'");
  return false;
}

absl::Status FirstErrorAsStatus(const std::vector<RowError>& errors) {
  if (errors.empty()) return absl::OkStatus();
  return errors.front().ToStatus();
}

}  // namespace placement
