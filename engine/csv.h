// RFC 4180 CSV reading and writing for the data files of data/README.md.
//
// Reader: comma-separated, double-quoted fields may hold commas, quotes ("")
// and newlines; CRLF and LF line ends; a leading UTF-8 byte-order mark (as
// spreadsheets write) is skipped. A CRLF inside a quoted field is read as LF,
// as a spreadsheet means one line break there. Records are read one at a time,
// so files of a million rows stream in constant memory.
//
// Thread safety: not thread-safe; one reader or writer per thread.

#ifndef PLACEMENT_ENGINE_CSV_H_
#define PLACEMENT_ENGINE_CSV_H_

#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace placement {

class CsvReader {
 public:
  // Reads from a file. NOT_FOUND when it does not exist or cannot be opened.
  static absl::StatusOr<CsvReader> OpenFile(const std::string& path);
  // Reads from an in-memory buffer; `name` is used in messages only.
  static CsvReader FromString(std::string name, std::string content);
  // Reads from a stream the caller owns and keeps alive while reading.
  static CsvReader FromStream(std::string name, std::istream& input);

  // Reads the next record into `fields`. Returns false at end of input, or
  // INVALID_ARGUMENT for a quote left open at end of input. Blank lines are
  // skipped.
  absl::StatusOr<bool> Next(std::vector<std::string>& fields);

  // 1-based line number on which the record last returned by Next() starts.
  int line() const { return record_line_; }
  const std::string& name() const { return name_; }

 private:
  CsvReader(std::string name, std::unique_ptr<std::istream> owned,
            std::istream* input);

  std::string name_;
  std::unique_ptr<std::istream> owned_;  // null when the caller owns the stream
  std::istream* input_;
  int next_line_ = 1;
  int record_line_ = 0;
  std::string buffer_;
};

// A CSV file whose first record names the columns. Columns are looked up by
// name, so their order in the file is free.
class CsvTable {
 public:
  // Reads the header and checks it: every name in `required` present, no name
  // twice, no name outside `required` and `optional`. The error names the file
  // and the offending column.
  static absl::StatusOr<CsvTable> Open(
      CsvReader reader, const std::vector<std::string>& required,
      const std::vector<std::string>& optional);

  // Next data record; false at end of input. Records with a different number of
  // fields than the header are reported as INVALID_ARGUMENT naming the line,
  // and reading can continue after them.
  absl::StatusOr<bool> Next();

  // The current record's value of `column`; "" for an optional column the file
  // does not have. `column` must be one of the names given to Open().
  absl::string_view Get(absl::string_view column) const;
  bool Has(absl::string_view column) const;

  int line() const { return reader_.line(); }
  const std::string& file() const { return reader_.name(); }

 private:
  explicit CsvTable(CsvReader reader) : reader_(std::move(reader)) {}

  CsvReader reader_;
  absl::flat_hash_map<std::string, size_t> column_index_;
  std::vector<std::string> fields_;
};

// Writes records with RFC 4180 quoting (only fields that need it are quoted,
// and a record of one empty field, which would otherwise be a blank line,
// and a field that starts with a byte-order mark, which the reader would
// otherwise skip at the start of a file) and LF line ends.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}
  void WriteRow(const std::vector<std::string>& fields);

 private:
  std::ostream& out_;
};

// Splits a list-valued field ("a;b;c") on ';', dropping empty items, and
// trims surrounding spaces.
std::vector<absl::string_view> SplitList(absl::string_view field);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_CSV_H_
