// engine/csv.h on arbitrary bytes: every record the reader returns, written
// back with CsvWriter, reads back as the same fields (a CRLF inside a quoted
// field reads as LF, as the reader documents), and a table over the first
// record as header reads to the end.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "engine/csv.h"
#include "fuzz/fuzz_support.h"

namespace placement::fuzz {
namespace {

std::vector<std::vector<std::string>> ReadAll(std::string content) {
  CsvReader reader = CsvReader::FromString("fuzz.csv", std::move(content));
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  while (true) {
    absl::StatusOr<bool> got = reader.Next(fields);
    if (!got.ok() || !*got) break;
    Check(reader.line() >= 1, "a record starts on line 1 or later");
    records.push_back(fields);
    for (const std::string& field : fields) (void)SplitList(field);
  }
  return records;
}

void ReadAsTable(const std::string& content) {
  std::vector<std::string> header;
  CsvReader first = CsvReader::FromString("fuzz.csv", content);
  absl::StatusOr<bool> got = first.Next(header);
  if (!got.ok() || !*got || header.empty()) return;
  // The first column required, the rest optional.
  const std::vector<std::string> required(header.begin(), header.begin() + 1);
  const std::vector<std::string> optional(header.begin() + 1, header.end());
  absl::StatusOr<CsvTable> table = CsvTable::Open(
      CsvReader::FromString("fuzz.csv", content), required, optional);
  if (!table.ok()) return;
  for (int rows = 0; rows < 10000; ++rows) {
    absl::StatusOr<bool> next = table->Next();
    if (next.ok() && !*next) break;
    if (!next.ok()) continue;
    for (const std::string& column : header) (void)table->Get(column);
  }
}

}  // namespace
}  // namespace placement::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace placement;
  using namespace placement::fuzz;
  const std::string content(reinterpret_cast<const char*>(data), size);
  const std::vector<std::vector<std::string>> records = ReadAll(content);

  std::ostringstream written;
  CsvWriter writer(written);
  for (const std::vector<std::string>& record : records)
    writer.WriteRow(record);
  const std::vector<std::vector<std::string>> again = ReadAll(written.str());
  Check(again.size() == records.size(),
        "CsvWriter's output reads back as as many records");
  for (size_t r = 0; r < records.size() && r < again.size(); ++r) {
    Check(again[r].size() == records[r].size(),
          "a written record reads back with as many fields");
    for (size_t f = 0; f < records[r].size() && f < again[r].size(); ++f) {
      Check(again[r][f] == absl::StrReplaceAll(records[r][f], {{"\r\n", "\n"}}),
            "a written field reads back the same");
    }
  }
  ReadAsTable(content);
  return 0;
}
