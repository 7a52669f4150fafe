#include "logging/log.h"

#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace placement::logging {
namespace {

bool NeedsQuotes(absl::string_view value) {
  if (value.empty()) return true;
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte >= 0x7f || c == '"' || c == '=' || c == '\\') {
      return true;
    }
  }
  return false;
}

void AppendValue(std::string& line, absl::string_view value) {
  const size_t full_size = value.size();
  const bool cut = full_size > kMaxValueBytes;
  if (cut) value = value.substr(0, kMaxValueBytes);
  if (!cut && !NeedsQuotes(value)) {
    line.append(value.data(), value.size());
    return;
  }
  line.push_back('"');
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        line.append("\\\"");
        break;
      case '\\':
        line.append("\\\\");
        break;
      case '\n':
        line.append("\\n");
        break;
      case '\r':
        line.append("\\r");
        break;
      case '\t':
        line.append("\\t");
        break;
      default:
        // UTF-8 passes through; other control bytes are escaped.
        if (byte < ' ' || byte == 0x7f) {
          absl::StrAppendFormat(&line, "\\x%02x", byte);
        } else {
          line.push_back(c);
        }
    }
  }
  if (cut) absl::StrAppend(&line, "...(", full_size, " bytes)");
  line.push_back('"');
}

}  // namespace

const char* LevelName(Level level) {
  switch (level) {
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

std::string FormatLine(absl::Time at, Level level, absl::string_view event,
                       absl::Span<const Field> fields) {
  std::string line =
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", at, absl::UTCTimeZone());
  absl::StrAppend(&line, " level=", LevelName(level), " event=");
  AppendValue(line, event);
  for (const Field& field : fields) {
    absl::StrAppend(&line, " ", field.key(), "=");
    AppendValue(line, field.value());
  }
  return line;
}

void Log(Level level, absl::string_view event,
         std::initializer_list<Field> fields) {
  std::string line =
      FormatLine(absl::Now(), level, event,
                 absl::MakeConstSpan(fields.begin(), fields.size()));
  line.push_back('\n');
  // One write per line; a short write (a signal, a full pipe) goes on from
  // where it stopped.
  size_t written = 0;
  while (written < line.size()) {
    const ssize_t n =
        ::write(STDERR_FILENO, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to log to: the event is lost, not fatal
    written += static_cast<size_t>(n);
  }
}

}  // namespace placement::logging
