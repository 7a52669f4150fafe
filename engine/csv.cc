#include "engine/csv.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace placement {
namespace {

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

}  // namespace

CsvReader::CsvReader(std::string name, std::unique_ptr<std::istream> owned,
                     std::istream* input)
    : name_(std::move(name)), owned_(std::move(owned)), input_(input) {
  // Skip a UTF-8 byte-order mark.
  if (input_->peek() == 0xEF) {
    // Zeroed: an input of one or two bytes leaves the rest unread.
    char bom[3] = {};
    input_->read(bom, 3);
    if (!(input_->gcount() == 3 && static_cast<unsigned char>(bom[1]) == 0xBB &&
          static_cast<unsigned char>(bom[2]) == 0xBF)) {
      input_->clear();
      input_->seekg(0);
    }
  }
}

absl::StatusOr<CsvReader> CsvReader::OpenFile(const std::string& path) {
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!file->is_open()) {
    return absl::NotFoundError(absl::StrCat("cannot open '", path, "'"));
  }
  std::istream* input = file.get();
  return CsvReader(path, std::move(file), input);
}

CsvReader CsvReader::FromString(std::string name, std::string content) {
  auto stream = std::make_unique<std::istringstream>(std::move(content));
  std::istream* input = stream.get();
  return CsvReader(std::move(name), std::move(stream), input);
}

CsvReader CsvReader::FromStream(std::string name, std::istream& input) {
  return CsvReader(std::move(name), nullptr, &input);
}

absl::StatusOr<bool> CsvReader::Next(std::vector<std::string>& fields) {
  fields.clear();
  while (std::getline(*input_, buffer_)) {
    record_line_ = next_line_++;
    if (!buffer_.empty() && buffer_.back() == '\r') buffer_.pop_back();
    if (buffer_.empty()) continue;

    std::string field;
    bool in_quotes = false;
    size_t i = 0;
    while (true) {
      if (i == buffer_.size()) {
        if (!in_quotes) break;
        // A quoted field runs on over the line end.
        if (!std::getline(*input_, buffer_)) {
          return absl::InvalidArgumentError(absl::StrCat(
              name_, ":", record_line_, ": a quoted field is never closed"));
        }
        ++next_line_;
        if (!buffer_.empty() && buffer_.back() == '\r') buffer_.pop_back();
        field.push_back('\n');
        i = 0;
        continue;
      }
      const char c = buffer_[i++];
      if (in_quotes) {
        if (c == '"') {
          if (i < buffer_.size() && buffer_[i] == '"') {
            field.push_back('"');
            ++i;
          } else {
            in_quotes = false;
          }
        } else {
          field.push_back(c);
        }
      } else if (c == '"') {
        in_quotes = true;
      } else if (c == ',') {
        fields.push_back(std::move(field));
        field.clear();
      } else {
        field.push_back(c);
      }
    }
    fields.push_back(std::move(field));
    return true;
  }
  return false;
}

absl::StatusOr<CsvTable> CsvTable::Open(
    CsvReader reader, const std::vector<std::string>& required,
    const std::vector<std::string>& optional) {
  CsvTable table(std::move(reader));
  std::vector<std::string> header;
  absl::StatusOr<bool> got = table.reader_.Next(header);
  if (!got.ok()) return got.status();
  if (!*got) {
    return absl::InvalidArgumentError(absl::StrCat(
        table.file(), ": the file is empty; expected a header row"));
  }
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string name(absl::StripAsciiWhitespace(header[i]));
    const bool known =
        std::find(required.begin(), required.end(), name) != required.end() ||
        std::find(optional.begin(), optional.end(), name) != optional.end();
    if (!known) {
      return absl::InvalidArgumentError(absl::StrCat(
          table.file(), ":", table.line(), ": unknown column '", name, "'"));
    }
    if (!table.column_index_.emplace(name, i).second) {
      return absl::InvalidArgumentError(absl::StrCat(table.file(), ":",
                                                     table.line(), ": column '",
                                                     name, "' appears twice"));
    }
  }
  for (const std::string& name : required) {
    if (!table.column_index_.contains(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          table.file(), ":", table.line(), ": missing column '", name, "'"));
    }
  }
  return table;
}

absl::StatusOr<bool> CsvTable::Next() {
  absl::StatusOr<bool> got = reader_.Next(fields_);
  if (!got.ok() || !*got) return got;
  if (fields_.size() != column_index_.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file(), ":", line(), ": expected ", column_index_.size(),
                     " fields, found ", fields_.size()));
  }
  return true;
}

absl::string_view CsvTable::Get(absl::string_view column) const {
  auto it = column_index_.find(column);
  if (it == column_index_.end()) return {};
  return fields_[it->second];
}

bool CsvTable::Has(absl::string_view column) const {
  return column_index_.contains(column);
}

void CsvWriter::WriteRow(const std::vector<std::string>& fields) {
  // One empty field, unquoted, would be a blank line, which readers skip.
  if (fields.size() == 1 && fields[0].empty()) {
    out_ << "\"\"\n";
    return;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out_ << ',';
    const std::string& field = fields[i];
    // A field that starts with a byte-order mark is quoted too: first in a
    // file, unquoted, the reader would skip its mark.
    if (field.find_first_of(",\"\n\r") == std::string::npos &&
        !absl::StartsWith(field, kByteOrderMark)) {
      out_ << field;
      continue;
    }
    out_ << '"';
    for (char c : field) {
      if (c == '"') out_ << '"';
      out_ << c;
    }
    out_ << '"';
  }
  out_ << '\n';
}

std::vector<absl::string_view> SplitList(absl::string_view field) {
  std::vector<absl::string_view> items;
  for (absl::string_view item : absl::StrSplit(field, ';')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

}  // namespace placement
