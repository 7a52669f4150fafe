#include "engine/opening_rules.h"

#include "absl/strings/str_cat.h"

namespace placement {

absl::Status CheckAcceptsPlacement(const Opening& opening, const Date& today) {
  const OpeningAvailability a = AvailabilityOn(opening, today);
  if (!a.open) {
    return absl::FailedPreconditionError(
        absl::StrCat("opening ", opening.id, ": status ",
                     OpeningStatusSlug(opening.status), ", not open"));
  }
  if (a.ended) {
    return absl::FailedPreconditionError(absl::StrCat(
        "opening ", opening.id, " ended on ", FormatDate(*opening.end_date)));
  }
  if (!a.free_place) {
    return absl::FailedPreconditionError(absl::StrCat(
        "opening ", opening.id, ": places_taken ", opening.places_taken,
        opening.places_held > 0
            ? absl::StrCat(" + places_held ", opening.places_held)
            : std::string(),
        " = capacity ", opening.capacity));
  }
  return absl::OkStatus();
}

}  // namespace placement
