// Typed, validating access to the fields of one CSV record. Every failed
// check is recorded as a RowError (file, line, field, value, reason) and the
// accessor returns a neutral value, so a loader can check all fields of a row
// and report every problem at once instead of only the first.
//
// Thread safety: not thread-safe; one per loader.

#ifndef PLACEMENT_ENGINE_ROW_READER_H_
#define PLACEMENT_ENGINE_ROW_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/csv.h"
#include "engine/row_error.h"

namespace placement {

class RowReader {
 public:
  explicit RowReader(const CsvTable& table) : table_(table) {}

  // Clears the errors of the previous row.
  void StartRow() { errors_.clear(); }

  // Non-empty text of at most max_bytes (surrounding spaces trimmed).
  std::string Text(absl::string_view column, size_t max_bytes = 200);
  // Text that may be empty.
  std::string OptionalText(absl::string_view column, size_t max_bytes = 200);
  int Int(absl::string_view column, int min, int max);
  double Double(absl::string_view column, double min, double max);
  bool Bool(absl::string_view column);  // "true" or "false"

  // Parses with a parser such as ParseTravelMode or ParseDate.
  template <typename T, typename Parser>
  T Parse(absl::string_view column, Parser parse) {
    const absl::string_view value = table_.Get(column);
    absl::StatusOr<T> parsed = parse(value);
    if (parsed.ok()) return *parsed;
    Fail(column, value, parsed.status().message());
    return T{};
  }

  // Records an error on `column`.
  void Fail(absl::string_view column, absl::string_view value,
            absl::string_view reason);

  bool ok() const { return errors_.empty(); }
  const std::vector<RowError>& errors() const { return errors_; }

 private:
  const CsvTable& table_;
  std::vector<RowError> errors_;
};

// Returns the first error of `errors` as a status, or OK when empty; used by
// loaders that accept a file whole or not at all.
absl::Status FirstErrorAsStatus(const std::vector<RowError>& errors);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_ROW_READER_H_
