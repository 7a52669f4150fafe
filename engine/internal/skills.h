// The skills component of scoring.h as one kernel that ExplainPair and both
// matcher directions call, so the three cannot drift and their totals stay
// bit-identical. Header-only, so the matcher's scans inline it.
//
// A participant's skills are two bitsets over the taxonomy's dense indices:
// the skills held and the groups they fall in (SkillWords words each). A
// skill an opening asks for is its index and group, -1 for a code unknown
// to the taxonomy (it earns no credit).
//
// Thread safety: pure functions; the bitsets are the caller's.

#ifndef PLACEMENT_ENGINE_INTERNAL_SKILLS_H_
#define PLACEMENT_ENGINE_INTERNAL_SKILLS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/reference_data.h"
#include "engine/scoring.h"
#include "engine/types.h"

namespace placement::internal {

inline void SetBit(uint64_t* words, int bit) {
  words[bit / 64] |= uint64_t{1} << (bit % 64);
}
inline bool TestBit(const uint64_t* words, int bit) {
  return (words[bit / 64] >> (bit % 64)) & 1;
}

// Words of a bitset over `count` indices.
inline size_t SkillWords(size_t count) { return (count + 63) / 64; }

// Sets the bits of `skills` (SkillWords(taxonomy.skills().size()) words) and
// `groups` (SkillWords(taxonomy.groups().size()) words) for each skill the
// participant has that the taxonomy knows.
inline void AddSkillBits(const std::vector<SkillLevel>& held,
                         const SkillTaxonomy& taxonomy, uint64_t* skills,
                         uint64_t* groups) {
  for (const SkillLevel& skill : held) {
    if (std::optional<int> index = taxonomy.FindSkill(skill.skill_code)) {
      SetBit(skills, *index);
      SetBit(groups, taxonomy.skills()[*index].group);
    }
  }
}

// Credit for one skill asked for: 1 when the participant has it,
// kRelatedSkillCredit when they have another skill of its group, else 0.
// `skill` < 0: a code unknown to the taxonomy, no credit.
inline double SkillCredit(int skill, int group, const uint64_t* skills,
                          const uint64_t* groups) {
  if (skill < 0) return 0;
  if (TestBit(skills, skill)) return 1;
  if (TestBit(groups, group)) return kRelatedSkillCredit;
  return 0;
}

// The skills component from the credits of the skills an opening asks for:
// credit(i) for i in [0, essential) are its essential skills, for i in
// [essential, essential + optional) its optional ones. Credits are summed in
// that order (the order fixes the rounding, so every caller gets the same
// bits).
template <typename Credit>
inline double SkillsScore(int essential, int optional, Credit credit) {
  if (essential == 0 && optional == 0) return 1;
  double essential_sum = 0;
  for (int i = 0; i < essential; ++i) essential_sum += credit(i);
  double optional_sum = 0;
  for (int i = essential; i < essential + optional; ++i)
    optional_sum += credit(i);
  const double e =
      essential > 0 ? essential_sum / static_cast<double>(essential) : 0;
  const double x =
      optional > 0 ? optional_sum / static_cast<double>(optional) : 0;
  if (essential == 0) return x;
  if (optional == 0) return e;
  return kEssentialShare * e + (1 - kEssentialShare) * x;
}

}  // namespace placement::internal

#endif  // PLACEMENT_ENGINE_INTERNAL_SKILLS_H_
