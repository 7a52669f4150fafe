// The reference-data loaders (engine/reference_data.h) and the scoring
// profile loader (engine/scoring.h) on arbitrary bytes: the first byte
// chooses which of data/'s files the rest replaces, in a scratch copy of
// data/ holding the real files otherwise. A table that loads finds each of
// its codes at its own index. One more choice fuzzes ContainsIgnoringCase:
// text and query split at the first NUL; for valid UTF-8, a text contains
// itself and anything it contains byte for byte.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "engine/reference_data.h"
#include "engine/scoring.h"
#include "fuzz/fuzz_support.h"

namespace placement::fuzz {
namespace {

struct DataFile {
  const char* dir;   // under data/
  const char* name;  // the file in it
};
constexpr DataFile kFiles[] = {
    {"taxonomy", "occupation_fields.csv"},
    {"taxonomy", "skill_groups.csv"},
    {"taxonomy", "skills.csv"},
    {"support", "supports.csv"},
    {"support", "needs.csv"},
    {"geo", "municipalities.csv"},
    {"programmes", "programmes.csv"},
    {"profiles", "default.csv"},
};
constexpr size_t kFileCount = sizeof(kFiles) / sizeof(kFiles[0]);
// Look-ups by text per loaded table.
constexpr size_t kLookUps = 3;

// The scratch copy of data/'s reference files.
const std::string& CopyOfData() {
  static const std::string* root = [] {
    auto* made = new std::string(ScratchDir() + "/data");
    for (const DataFile& file : kFiles) {
      std::filesystem::create_directories(*made + "/" + file.dir);
      WriteFileOrDie(
          *made + "/" + file.dir + "/" + file.name,
          ReadDataFileOrDie(std::string(file.dir) + "/" + file.name));
    }
    return made;
  }();
  return *root;
}

void CheckTaxonomy(const SkillTaxonomy& taxonomy) {
  for (size_t i = 0; i < taxonomy.skills().size(); ++i) {
    const SkillTaxonomy::Skill& skill = taxonomy.skills()[i];
    Check(taxonomy.FindSkill(skill.code) == static_cast<int>(i),
          "FindSkill finds a loaded skill at its index");
    (void)taxonomy.FieldOfSkill(static_cast<int>(i));
    // A look-up reads every entry: a few, or a whole taxonomy is quadratic.
    if (i < kLookUps) (void)taxonomy.SkillsMatching(skill.label_sv);
  }
  for (size_t i = 0; i < taxonomy.fields().size(); ++i) {
    Check(taxonomy.FindField(taxonomy.fields()[i].code) == static_cast<int>(i),
          "FindField finds a loaded field at its index");
    if (i < kLookUps)
      (void)taxonomy.FieldsMatching(taxonomy.fields()[i].label_en);
  }
}

void CheckSupports(const SupportCatalogue& catalogue) {
  for (size_t i = 0; i < catalogue.needs().size(); ++i) {
    const SupportCatalogue::Need& need = catalogue.needs()[i];
    Check(catalogue.FindNeed(need.code) == static_cast<int>(i),
          "FindNeed finds a loaded need at its index");
    Check(!need.met_by.empty(), "every need is met by some support");
    for (int support : need.met_by) {
      Check(support >= 0 &&
                static_cast<size_t>(support) < catalogue.supports().size(),
            "met_by holds indices of supports");
    }
    if (i < kLookUps) (void)catalogue.NeedsMatching(need.label_sv);
  }
  for (size_t i = 0; i < catalogue.supports().size() && i < kLookUps; ++i) {
    (void)catalogue.SupportsMatching(catalogue.supports()[i].label_sv);
  }
}

void LoadReplaced(size_t which, absl::string_view content) {
  const DataFile& file = kFiles[which];
  const std::string dir = CopyOfData() + "/" + file.dir;
  const std::string path = dir + "/" + file.name;
  WriteFileOrDie(path, content);
  switch (which) {
    case 0:
    case 1:
    case 2:
      if (absl::StatusOr<SkillTaxonomy> t = SkillTaxonomy::Load(dir); t.ok())
        CheckTaxonomy(*t);
      break;
    case 3:
    case 4:
      if (absl::StatusOr<SupportCatalogue> c = SupportCatalogue::Load(dir);
          c.ok())
        CheckSupports(*c);
      break;
    case 5:
      if (absl::StatusOr<MunicipalityTable> m = MunicipalityTable::Load(dir);
          m.ok()) {
        for (size_t i = 0; i < m->all().size(); ++i) {
          Check(m->Find(m->all()[i].code) == static_cast<int>(i),
                "Find finds a loaded municipality at its index");
          if (i < kLookUps) (void)m->Matching(m->all()[i].name);
        }
      }
      break;
    case 6:
      if (absl::StatusOr<ProgrammeTable> p = ProgrammeTable::Load(dir);
          p.ok()) {
        for (size_t i = 0; i < p->all().size(); ++i) {
          Check(p->Find(p->all()[i].code) == static_cast<int>(i),
                "Find finds a loaded programme at its index");
        }
      }
      break;
    case 7:
      if (absl::StatusOr<ScoringProfile> profile = ScoringProfile::Load(path);
          profile.ok()) {
        double sum = 0;
        for (int c = 0; c < kComponentCount; ++c) {
          const double weight = profile->weight(static_cast<Component>(c));
          Check(weight >= 0 && weight <= 1, "a loaded weight is in 0..1");
          sum += weight;
        }
        Check(sum > 0.999 && sum < 1.001, "loaded weights sum to 1");
      }
      break;
  }
  WriteFileOrDie(path,
                 ReadDataFileOrDie(std::string(file.dir) + "/" + file.name));
}

bool IsValidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    size_t length = c < 0x80           ? 1
                    : (c >> 5) == 0x6  ? 2
                    : (c >> 4) == 0xE  ? 3
                    : (c >> 3) == 0x1E ? 4
                                       : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
        return false;
    }
    i += length;
  }
  return true;
}

void ContainsIgnoringCaseProperties(absl::string_view input) {
  const size_t nul = input.find('\0');
  const absl::string_view text = input.substr(0, nul);
  const absl::string_view query = nul == absl::string_view::npos
                                      ? absl::string_view()
                                      : input.substr(nul + 1);
  const bool found = ContainsIgnoringCase(text, query);
  Check(ContainsIgnoringCase(text, ""), "an empty query is in every text");
  if (IsValidUtf8(text) && IsValidUtf8(query)) {
    Check(ContainsIgnoringCase(text, text), "a text contains itself");
    if (absl::StrContains(text, query)) {
      Check(found, "a text contains what it contains byte for byte");
    }
  }
}

}  // namespace
}  // namespace placement::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace placement::fuzz;
  const Selected input = Select(data, size);
  const size_t which = input.selector % (kFileCount + 1);
  if (which == kFileCount) {
    ContainsIgnoringCaseProperties(input.rest);
  } else {
    LoadReplaced(which, input.rest);
  }
  return 0;
}
