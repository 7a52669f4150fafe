#include "engine/opening_lifecycle.h"

#include <array>
#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace placement {

absl::string_view OpeningActionSlug(OpeningAction action) {
  constexpr std::array<absl::string_view, kOpeningActionCount> kSlugs = {
      "pause", "reopen", "close", "edit"};
  return kSlugs[static_cast<size_t>(action)];
}

absl::string_view OpeningStatusName(OpeningStatus status) {
  constexpr std::array<absl::string_view, kOpeningStatusCount> kNames = {
      "DRAFT", "OPEN", "PAUSED", "CLOSED"};
  return kNames[static_cast<size_t>(status)];
}

absl::StatusOr<OpeningStatus> NextOpeningStatus(OpeningStatus from,
                                                OpeningAction action,
                                                absl::string_view subject) {
  const bool closed = from == OpeningStatus::kClosed;
  auto closing_is_final = [&] {
    return absl::FailedPreconditionError(
        absl::StrCat(subject, " is CLOSED; closing is final"));
  };
  switch (action) {
    case OpeningAction::kPause:
      if (from == OpeningStatus::kOpen || from == OpeningStatus::kPaused) {
        return OpeningStatus::kPaused;
      }
      return absl::FailedPreconditionError(
          absl::StrCat(subject, " is ", OpeningStatusName(from),
                       "; only an OPEN opening can be paused"));
    case OpeningAction::kReopen:
      if (closed) return closing_is_final();
      return OpeningStatus::kOpen;
    case OpeningAction::kClose:
      return OpeningStatus::kClosed;  // again, when closed: a retry
    case OpeningAction::kEdit:
      if (closed) return closing_is_final();
      return from;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("action ", static_cast<int>(action), " is not an action"));
}

}  // namespace placement
