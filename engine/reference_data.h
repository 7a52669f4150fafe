// Reference data the engine scores against: the skill taxonomy, the
// support-need catalogue and the municipality table, loaded from the CSV files
// under data/ (formats in data/README.md).
//
// Each table is loaded whole or not at all: a malformed row fails the load with
// INVALID_ARGUMENT naming file, line, field, value and reason, because scoring
// against a half-read taxonomy would silently mis-rank everyone.
//
// Every entry gets a dense index (0..count-1) in file order; the scoring core
// uses indices, people and files use codes.
//
// Usage:
//   absl::StatusOr<ReferenceData> data = LoadReferenceData("data");
//   if (!data.ok()) return data.status();
//   std::optional<int> skill = data->skills.FindSkill("5120.03");
//
// Thread safety: immutable after loading; safe to share between threads.

#ifndef PLACEMENT_ENGINE_REFERENCE_DATA_H_
#define PLACEMENT_ENGINE_REFERENCE_DATA_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/types.h"

namespace placement {

// Three levels: occupation field > skill group (an SSYK-like 4-digit unit
// group) > skill ("SSSS.NN"). Skills in the same group are related and earn
// partial credit for each other.
class SkillTaxonomy {
 public:
  struct Field {
    std::string code;  // lower-case slug, e.g. "kitchen_restaurant"
    std::string label_sv;
    std::string label_en;
  };
  struct Group {
    std::string code;  // 4 digits
    int field = 0;     // index into fields()
    std::string label_sv;
    std::string label_en;
  };
  struct Skill {
    std::string code;  // "SSSS.NN", SSSS being the group's code
    int group = 0;     // index into groups()
    std::string label_sv;
    std::string label_en;
  };

  // Reads occupation_fields.csv, skill_groups.csv and skills.csv from `dir`.
  static absl::StatusOr<SkillTaxonomy> Load(const std::string& dir);

  const std::vector<Field>& fields() const { return fields_; }
  const std::vector<Group>& groups() const { return groups_; }
  const std::vector<Skill>& skills() const { return skills_; }

  std::optional<int> FindField(absl::string_view code) const;
  std::optional<int> FindGroup(absl::string_view code) const;
  std::optional<int> FindSkill(absl::string_view code) const;
  int FieldOfSkill(int skill) const {
    return groups_[skills_[skill].group].field;
  }

  // The look-up of codes by text (ContainsIgnoringCase), as indices in file
  // order. A skill matches on its code, its labels, its group's labels and
  // its field's code and labels; a field on its code and labels. O(entries *
  // |text| * |query|).
  std::vector<int> SkillsMatching(absl::string_view query) const;
  std::vector<int> FieldsMatching(absl::string_view query) const;

 private:
  std::vector<Field> fields_;
  std::vector<Group> groups_;
  std::vector<Skill> skills_;
  absl::flat_hash_map<std::string, int> field_index_;
  absl::flat_hash_map<std::string, int> group_index_;
  absl::flat_hash_map<std::string, int> skill_index_;
};

// Support needs a participant may have, and the supports an opening may offer
// to meet them. A need is met by any one of its `met_by` supports.
class SupportCatalogue {
 public:
  struct Support {
    std::string code;
    std::string label_sv;
    std::string label_en;
  };
  struct Need {
    std::string code;
    std::string label_sv;
    std::string label_en;
    bool may_be_hard = false;     // a coach may mark it as an absolute need
    bool health_related = false;  // GDPR Art. 9 special-category data
    std::vector<int> met_by;      // indices into supports()
  };

  // Reads supports.csv and needs.csv from `dir`.
  static absl::StatusOr<SupportCatalogue> Load(const std::string& dir);

  const std::vector<Support>& supports() const { return supports_; }
  const std::vector<Need>& needs() const { return needs_; }
  std::optional<int> FindSupport(absl::string_view code) const;
  std::optional<int> FindNeed(absl::string_view code) const;

  // The supports, and the needs, whose code or either label contains `query`
  // (ContainsIgnoringCase), as indices in file order.
  std::vector<int> SupportsMatching(absl::string_view query) const;
  std::vector<int> NeedsMatching(absl::string_view query) const;

 private:
  std::vector<Support> supports_;
  std::vector<Need> needs_;
  absl::flat_hash_map<std::string, int> support_index_;
  absl::flat_hash_map<std::string, int> need_index_;
};

// Swedish municipalities (kommuner) with their official codes.
class MunicipalityTable {
 public:
  struct Municipality {
    std::string code;         // official 4-digit kommunkod, e.g. "1863"
    std::string name;         // e.g. "Hällefors"
    std::string county_code;  // first two digits of code
    std::string county_name;
    GeoPoint centre;  // the main town, WGS84
    int population = 0;
  };

  // Reads municipalities.csv from `dir`.
  static absl::StatusOr<MunicipalityTable> Load(const std::string& dir);

  const std::vector<Municipality>& all() const { return municipalities_; }
  std::optional<int> Find(absl::string_view code) const;

  // The municipalities whose code, name or county name contains `query`
  // (ContainsIgnoringCase), as indices in file order.
  std::vector<int> Matching(absl::string_view query) const;

 private:
  std::vector<Municipality> municipalities_;
  absl::flat_hash_map<std::string, int> index_;
};

// The ESF projects (programmes) participants may be in, by their
// diarienummer or projektnummer, e.g. "22-014-S05" Lumena.
class ProgrammeTable {
 public:
  struct Programme {
    std::string code;  // 1..40 of A-Z a-z 0-9 '-' '/', e.g. "2016/00112"
    std::string name;  // e.g. "Lumena"
  };

  // Reads programmes.csv from `dir`.
  static absl::StatusOr<ProgrammeTable> Load(const std::string& dir);

  const std::vector<Programme>& all() const { return programmes_; }
  std::optional<int> Find(absl::string_view code) const;

 private:
  std::vector<Programme> programmes_;
  absl::flat_hash_map<std::string, int> index_;
};

struct ReferenceData {
  SkillTaxonomy skills;
  SupportCatalogue supports;
  MunicipalityTable municipalities;
  ProgrammeTable programmes;
};

// Loads data_dir/taxonomy, data_dir/support, data_dir/geo and
// data_dir/programmes.
absl::StatusOr<ReferenceData> LoadReferenceData(const std::string& data_dir);

// Whether UTF-8 `text` contains `query`, ignoring the case of ASCII letters
// and of the Latin-1 letters (Å Ä Ö É Ü ...), so that "ÅR" finds "vård" and
// "hällefors" finds "Hällefors". An empty query is in every text. For look-ups
// of reference entries by code or label; O(|text| * |query|).
bool ContainsIgnoringCase(absl::string_view text, absl::string_view query);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_REFERENCE_DATA_H_
