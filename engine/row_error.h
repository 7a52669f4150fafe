// A rejected row of an input file: where it is and what is wrong with it.
//
// Loaders report every bad row as a RowError so that the person who made the
// spreadsheet can find and fix it: file, 1-based line, the column, the value
// as written, and the reason in plain English.

#ifndef PLACEMENT_ENGINE_ROW_ERROR_H_
#define PLACEMENT_ENGINE_ROW_ERROR_H_

#include <string>

#include "absl/status/status.h"

namespace placement {

struct RowError {
  std::string file;
  int line = 0;
  std::string field;  // column name; empty when the whole row is malformed
  std::string value;  // the value as written (cut to 80 bytes)
  std::string reason;

  // "data/x.csv:17: field 'lat', value '91.0': outside Sweden (55.0 to 69.2)"
  std::string ToString() const;
  // INVALID_ARGUMENT carrying ToString().
  absl::Status ToStatus() const;

  friend bool operator==(const RowError&, const RowError&) = default;
};

}  // namespace placement

#endif  // PLACEMENT_ENGINE_ROW_ERROR_H_
