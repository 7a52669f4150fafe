// The structured log of the server: one line per event on stderr, in logfmt,
// so that journald, `grep` and log shippers (Loki, Vector, Fluent Bit) read
// it without a parser of our own:
//
//   2026-12-01T18:30:00.123Z level=info event=server.start port=50051 ...
//
// Each line is an RFC 3339 UTC timestamp with milliseconds, `level=` (info,
// warn, error), `event=` (a dotted name, e.g. rematch.run.end), then the
// event's fields as key=value. A value is written bare when it is a
// non-empty run of printable ASCII without space, '"', '=' or '\'; otherwise
// it is quoted, with \" \\ \n \r \t and \xNN escapes. Values longer than
// kMaxValueBytes are cut there and marked with their full length. The
// events and their fields are listed in the README ("Logs").
//
// No personal data: callers log counts, run ids, file names and error
// codes, never a participant's id, a name or free text from a request, and
// not the caller's principal either (the access log in the database records
// who did what; the log is for operating the service).
//
// Example:
//   logging::Info("rematch.run.start", {{"run_id", run.id}, {"threads", 8}});
//
// Thread safety: thread-safe. Each line is written with a single write(2)
// call, so lines from concurrent threads do not interleave (on a pipe, such
// as journald's, for lines up to PIPE_BUF, 4 KiB; lines are far shorter).

#ifndef PLACEMENT_LOGGING_LOG_H_
#define PLACEMENT_LOGGING_LOG_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace placement::logging {

enum class Level { kInfo, kWarning, kError };

// "info", "warn", "error".
const char* LevelName(Level level);

// Values longer than this are cut (see the header comment).
inline constexpr size_t kMaxValueBytes = 512;

// One key=value of a line. The key is a lower-case identifier chosen by the
// caller (snake_case); the value is formatted at construction.
class Field {
 public:
  Field(absl::string_view key, absl::string_view value)
      : key_(key), value_(value) {}
  Field(absl::string_view key, const char* value)
      : key_(key), value_(value == nullptr ? "" : value) {}
  Field(absl::string_view key, const std::string& value)
      : key_(key), value_(value) {}
  Field(absl::string_view key, bool value)
      : key_(key), value_(value ? "true" : "false") {}
  template <typename Number, std::enable_if_t<std::is_arithmetic_v<Number> &&
                                                  !std::is_same_v<Number, bool>,
                                              int> = 0>
  Field(absl::string_view key, Number value)
      : key_(key), value_(absl::StrCat(value)) {}
  // As absl::FormatDuration writes it: "1.5s", "250ms".
  Field(absl::string_view key, absl::Duration value)
      : key_(key), value_(absl::FormatDuration(value)) {}

  absl::string_view key() const { return key_; }
  const std::string& value() const { return value_; }

 private:
  absl::string_view key_;
  std::string value_;
};

// The line for an event at `at`, without the trailing newline.
std::string FormatLine(absl::Time at, Level level, absl::string_view event,
                       absl::Span<const Field> fields);

// Writes the event's line, stamped now, to stderr.
void Log(Level level, absl::string_view event,
         std::initializer_list<Field> fields = {});

inline void Info(absl::string_view event,
                 std::initializer_list<Field> fields = {}) {
  Log(Level::kInfo, event, fields);
}
inline void Warning(absl::string_view event,
                    std::initializer_list<Field> fields = {}) {
  Log(Level::kWarning, event, fields);
}
inline void Error(absl::string_view event,
                  std::initializer_list<Field> fields = {}) {
  Log(Level::kError, event, fields);
}

}  // namespace placement::logging

#endif  // PLACEMENT_LOGGING_LOG_H_
