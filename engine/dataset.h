// Reading and writing participants and openings in the CSV formats documented
// in data/README.md (one row per record, list fields separated by ';').
//
// Readers validate every field against the reference data (skill codes,
// municipality codes, support codes, ranges) and keep going past bad rows:
// the result holds the good rows and one RowError per problem, so a whole
// spreadsheet's mistakes can be reported at once. Whether a file with bad rows
// is used at all is the caller's policy. A Status error means the file as a
// whole could not be read (missing, unreadable header, unknown column).
//
// Writers produce exactly the format readers accept; writing what was read is
// lossless (numbers are written in their shortest round-trip form).
//
// Usage:
//   absl::StatusOr<ParticipantRows> rows =
//       ReadParticipantsCsv("data/demo/participants.csv", reference);
//   for (const RowError& e : rows->errors) std::cerr << e.ToString() << "\n";
//
// Thread safety: functions are reentrant; ParticipantCsvWriter and
// OpeningCsvWriter are not thread-safe.

#ifndef PLACEMENT_ENGINE_DATASET_H_
#define PLACEMENT_ENGINE_DATASET_H_

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/reference_data.h"
#include "engine/row_error.h"
#include "engine/types.h"

namespace placement {

struct ParticipantRows {
  std::vector<Participant> participants;  // good rows, in file order
  std::vector<RowError> errors;           // every problem found
  int rows_read = 0;                      // data rows, good and bad
};

struct OpeningRows {
  std::vector<Opening> openings;
  std::vector<RowError> errors;
  int rows_read = 0;
};

// `file_name` is used in RowErrors only. A repeated id is an error on the
// later row.
absl::StatusOr<ParticipantRows> ReadParticipantsCsv(
    std::istream& input, const std::string& file_name,
    const ReferenceData& reference);
absl::StatusOr<ParticipantRows> ReadParticipantsCsv(
    const std::string& path, const ReferenceData& reference);

absl::StatusOr<OpeningRows> ReadOpeningsCsv(std::istream& input,
                                            const std::string& file_name,
                                            const ReferenceData& reference);
absl::StatusOr<OpeningRows> ReadOpeningsCsv(const std::string& path,
                                            const ReferenceData& reference);

// The column names, in the order writers use.
const std::vector<std::string>& ParticipantColumns();
const std::vector<std::string>& OpeningColumns();

// Streaming writers: the header is written on construction, one row per
// Write(). The caller checks the stream's state when done.
class ParticipantCsvWriter {
 public:
  explicit ParticipantCsvWriter(std::ostream& out);
  void Write(const Participant& participant);

 private:
  std::ostream& out_;
};

class OpeningCsvWriter {
 public:
  explicit OpeningCsvWriter(std::ostream& out);
  void Write(const Opening& opening);

 private:
  std::ostream& out_;
};

}  // namespace placement

#endif  // PLACEMENT_ENGINE_DATASET_H_
