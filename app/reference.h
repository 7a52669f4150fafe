// Looking codes up: the skill taxonomy, occupation fields, supports, support
// needs and municipalities, by a text that the code or a label contains
// (engine/reference_data.h says which texts each table matches on, and how
// case is ignored). Every role may look codes up, so that nobody has to open
// the CSV files to write an opening or a participant. Reference data is not
// personal: no access record is written.
//
// Thread safety: thread-safe; the reference data is immutable.

#ifndef PLACEMENT_APP_REFERENCE_H_
#define PLACEMENT_APP_REFERENCE_H_

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/caller.h"
#include "app/context.h"

namespace placement::app {

// Longest query, in characters (not bytes).
inline constexpr size_t kMaxReferenceQueryCharacters = 100;

enum class ReferenceTable {
  kSkills,            // indices into context.reference->skills.skills()
  kOccupationFields,  // ... skills.fields()
  kSupports,          // ... supports.supports()
  kSupportNeeds,      // ... supports.needs()
  kMunicipalities,    // ... municipalities.all()
};

// The entries of `table` that `query` finds, as indices in file order; an
// empty query finds every entry. Any role. INVALID_ARGUMENT naming `query`
// above kMaxReferenceQueryCharacters.
absl::StatusOr<std::vector<int>> LookUpCodes(const Context& context,
                                             const Caller& caller,
                                             ReferenceTable table,
                                             absl::string_view query);

}  // namespace placement::app

#endif  // PLACEMENT_APP_REFERENCE_H_
