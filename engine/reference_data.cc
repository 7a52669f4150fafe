#include "engine/reference_data.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/csv.h"
#include "engine/geo.h"
#include "engine/row_reader.h"

namespace placement {
namespace {

absl::StatusOr<CsvTable> OpenTable(const std::string& path,
                                   const std::vector<std::string>& columns) {
  absl::StatusOr<CsvReader> reader = CsvReader::OpenFile(path);
  if (!reader.ok()) return reader.status();
  return CsvTable::Open(std::move(*reader), columns, {});
}

// Reads every data row of `table`, calling parse_row(row_reader) for each;
// the first error of any row fails the whole load.
template <typename ParseRow>
absl::Status ForEachRow(CsvTable& table, ParseRow parse_row) {
  RowReader row(table);
  while (true) {
    absl::StatusOr<bool> got = table.Next();
    if (!got.ok()) return got.status();
    if (!*got) return absl::OkStatus();
    row.StartRow();
    parse_row(row);
    if (!row.ok()) return FirstErrorAsStatus(row.errors());
  }
}

bool IsSlug(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

bool IsDigits(absl::string_view text, size_t count) {
  if (text.size() != count) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Inserts code -> index, reporting a duplicate on the row's `column`.
bool IndexCode(absl::flat_hash_map<std::string, int>& index,
               const std::string& code, int position, RowReader& row,
               absl::string_view column) {
  if (!index.emplace(code, position).second) {
    row.Fail(column, code, "the code appears twice in the file");
    return false;
  }
  return true;
}

// Whether any of `texts` contains `query` (ContainsIgnoringCase).
bool AnyContains(std::initializer_list<absl::string_view> texts,
                 absl::string_view query) {
  for (absl::string_view text : texts) {
    if (ContainsIgnoringCase(text, query)) return true;
  }
  return false;
}

// The indices of the `entries` for which `matches(entry)` holds.
template <typename Entry, typename Matches>
std::vector<int> IndicesWhere(const std::vector<Entry>& entries,
                              Matches matches) {
  std::vector<int> indices;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (matches(entries[i])) indices.push_back(static_cast<int>(i));
  }
  return indices;
}

}  // namespace

absl::StatusOr<SkillTaxonomy> SkillTaxonomy::Load(const std::string& dir) {
  SkillTaxonomy taxonomy;

  absl::StatusOr<CsvTable> fields = OpenTable(dir + "/occupation_fields.csv",
                                              {"code", "label_sv", "label_en"});
  if (!fields.ok()) return fields.status();
  absl::Status status = ForEachRow(*fields, [&](RowReader& row) {
    Field field{.code = row.Text("code", 60),
                .label_sv = row.Text("label_sv"),
                .label_en = row.Text("label_en")};
    if (!row.ok()) return;
    if (!IsSlug(field.code)) {
      row.Fail("code", field.code,
               "a field code is a lower-case slug (a-z, 0-9, _)");
      return;
    }
    if (IndexCode(taxonomy.field_index_, field.code,
                  static_cast<int>(taxonomy.fields_.size()), row, "code")) {
      taxonomy.fields_.push_back(std::move(field));
    }
  });
  if (!status.ok()) return status;

  absl::StatusOr<CsvTable> groups =
      OpenTable(dir + "/skill_groups.csv",
                {"code", "field_code", "label_sv", "label_en"});
  if (!groups.ok()) return groups.status();
  status = ForEachRow(*groups, [&](RowReader& row) {
    Group group{.code = row.Text("code", 4),
                .field = 0,
                .label_sv = row.Text("label_sv"),
                .label_en = row.Text("label_en")};
    const std::string field_code = row.Text("field_code", 60);
    if (!row.ok()) return;
    if (!IsDigits(group.code, 4)) {
      row.Fail("code", group.code, "a group code is 4 digits (SSYK-like)");
      return;
    }
    std::optional<int> field = taxonomy.FindField(field_code);
    if (!field) {
      row.Fail("field_code", field_code, "no such occupation field");
      return;
    }
    group.field = *field;
    if (IndexCode(taxonomy.group_index_, group.code,
                  static_cast<int>(taxonomy.groups_.size()), row, "code")) {
      taxonomy.groups_.push_back(std::move(group));
    }
  });
  if (!status.ok()) return status;

  absl::StatusOr<CsvTable> skills = OpenTable(
      dir + "/skills.csv", {"code", "group_code", "label_sv", "label_en"});
  if (!skills.ok()) return skills.status();
  status = ForEachRow(*skills, [&](RowReader& row) {
    Skill skill{.code = row.Text("code", 7),
                .group = 0,
                .label_sv = row.Text("label_sv"),
                .label_en = row.Text("label_en")};
    const std::string group_code = row.Text("group_code", 4);
    if (!row.ok()) return;
    std::optional<int> group = taxonomy.FindGroup(group_code);
    if (!group) {
      row.Fail("group_code", group_code, "no such skill group");
      return;
    }
    if (skill.code.size() != 7 || skill.code[4] != '.' ||
        !IsDigits(absl::string_view(skill.code).substr(5), 2) ||
        !absl::StartsWith(skill.code, group_code)) {
      row.Fail("code", skill.code,
               absl::StrCat("a skill code is the group code, '.', and two "
                            "digits, e.g. '",
                            group_code, ".01'"));
      return;
    }
    skill.group = *group;
    if (IndexCode(taxonomy.skill_index_, skill.code,
                  static_cast<int>(taxonomy.skills_.size()), row, "code")) {
      taxonomy.skills_.push_back(std::move(skill));
    }
  });
  if (!status.ok()) return status;
  if (taxonomy.skills_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir, "/skills.csv: the taxonomy has no skills"));
  }
  return taxonomy;
}

std::optional<int> SkillTaxonomy::FindField(absl::string_view code) const {
  auto it = field_index_.find(code);
  if (it == field_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<int> SkillTaxonomy::FindGroup(absl::string_view code) const {
  auto it = group_index_.find(code);
  if (it == group_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<int> SkillTaxonomy::FindSkill(absl::string_view code) const {
  auto it = skill_index_.find(code);
  if (it == skill_index_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<SupportCatalogue> SupportCatalogue::Load(
    const std::string& dir) {
  SupportCatalogue catalogue;

  absl::StatusOr<CsvTable> supports =
      OpenTable(dir + "/supports.csv", {"code", "label_sv", "label_en"});
  if (!supports.ok()) return supports.status();
  absl::Status status = ForEachRow(*supports, [&](RowReader& row) {
    Support support{.code = row.Text("code", 60),
                    .label_sv = row.Text("label_sv"),
                    .label_en = row.Text("label_en")};
    if (!row.ok()) return;
    if (!IsSlug(support.code)) {
      row.Fail("code", support.code, "a support code is a lower-case slug");
      return;
    }
    if (IndexCode(catalogue.support_index_, support.code,
                  static_cast<int>(catalogue.supports_.size()), row, "code")) {
      catalogue.supports_.push_back(std::move(support));
    }
  });
  if (!status.ok()) return status;

  absl::StatusOr<CsvTable> needs = OpenTable(
      dir + "/needs.csv", {"code", "label_sv", "label_en", "may_be_hard",
                           "health_related", "met_by"});
  if (!needs.ok()) return needs.status();
  status = ForEachRow(*needs, [&](RowReader& row) {
    Need need{.code = row.Text("code", 60),
              .label_sv = row.Text("label_sv"),
              .label_en = row.Text("label_en"),
              .may_be_hard = row.Bool("may_be_hard"),
              .health_related = row.Bool("health_related"),
              .met_by = {}};
    const std::string met_by = row.Text("met_by", 1000);
    if (!row.ok()) return;
    if (!IsSlug(need.code)) {
      row.Fail("code", need.code, "a need code is a lower-case slug");
      return;
    }
    for (absl::string_view support : SplitList(met_by)) {
      std::optional<int> index = catalogue.FindSupport(support);
      if (!index) {
        row.Fail("met_by", support, "no such support in supports.csv");
        return;
      }
      need.met_by.push_back(*index);
    }
    if (need.met_by.empty()) {
      row.Fail("met_by", met_by, "names no support");
      return;
    }
    if (IndexCode(catalogue.need_index_, need.code,
                  static_cast<int>(catalogue.needs_.size()), row, "code")) {
      catalogue.needs_.push_back(std::move(need));
    }
  });
  if (!status.ok()) return status;
  return catalogue;
}

std::optional<int> SupportCatalogue::FindSupport(absl::string_view code) const {
  auto it = support_index_.find(code);
  if (it == support_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<int> SupportCatalogue::FindNeed(absl::string_view code) const {
  auto it = need_index_.find(code);
  if (it == need_index_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<MunicipalityTable> MunicipalityTable::Load(
    const std::string& dir) {
  MunicipalityTable table;
  absl::StatusOr<CsvTable> csv = OpenTable(
      dir + "/municipalities.csv", {"code", "name", "county_code",
                                    "county_name", "lat", "lon", "population"});
  if (!csv.ok()) return csv.status();
  absl::Status status = ForEachRow(*csv, [&](RowReader& row) {
    Municipality municipality{
        .code = row.Text("code", 4),
        .name = row.Text("name"),
        .county_code = row.Text("county_code", 2),
        .county_name = row.Text("county_name"),
        .centre = {.latitude_deg = row.Double("lat", kSwedenMinLatitude,
                                              kSwedenMaxLatitude),
                   .longitude_deg = row.Double("lon", kSwedenMinLongitude,
                                               kSwedenMaxLongitude)},
        .population = row.Int("population", 1, 10'000'000)};
    if (!row.ok()) return;
    if (!IsDigits(municipality.code, 4)) {
      row.Fail("code", municipality.code, "a municipality code is 4 digits");
      return;
    }
    if (municipality.county_code != municipality.code.substr(0, 2)) {
      row.Fail("county_code", municipality.county_code,
               absl::StrCat("must be the first two digits of the code '",
                            municipality.code, "'"));
      return;
    }
    if (IndexCode(table.index_, municipality.code,
                  static_cast<int>(table.municipalities_.size()), row,
                  "code")) {
      table.municipalities_.push_back(std::move(municipality));
    }
  });
  if (!status.ok()) return status;
  if (table.municipalities_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir, "/municipalities.csv: no municipalities"));
  }
  return table;
}

absl::StatusOr<ProgrammeTable> ProgrammeTable::Load(const std::string& dir) {
  ProgrammeTable table;
  absl::StatusOr<CsvTable> csv =
      OpenTable(dir + "/programmes.csv", {"code", "name"});
  if (!csv.ok()) return csv.status();
  absl::Status status = ForEachRow(*csv, [&](RowReader& row) {
    Programme programme{.code = row.Text("code", 40), .name = row.Text("name")};
    if (!row.ok()) return;
    const bool well_formed =
        std::all_of(programme.code.begin(), programme.code.end(), [](char c) {
          return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                 c == '-' || c == '/';
        });
    if (!well_formed) {
      row.Fail("code", programme.code,
               "a programme code holds only letters, digits, '-' and '/'");
      return;
    }
    if (IndexCode(table.index_, programme.code,
                  static_cast<int>(table.programmes_.size()), row, "code")) {
      table.programmes_.push_back(std::move(programme));
    }
  });
  if (!status.ok()) return status;
  return table;
}

std::optional<int> ProgrammeTable::Find(absl::string_view code) const {
  auto it = index_.find(code);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::optional<int> MunicipalityTable::Find(absl::string_view code) const {
  auto it = index_.find(code);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::vector<int> SkillTaxonomy::SkillsMatching(absl::string_view query) const {
  return IndicesWhere(skills_, [&](const Skill& skill) {
    const Group& group = groups_[skill.group];
    const Field& field = fields_[group.field];
    return AnyContains(
        {skill.code, skill.label_sv, skill.label_en, group.label_sv,
         group.label_en, field.code, field.label_sv, field.label_en},
        query);
  });
}

std::vector<int> SkillTaxonomy::FieldsMatching(absl::string_view query) const {
  return IndicesWhere(fields_, [&](const Field& field) {
    return AnyContains({field.code, field.label_sv, field.label_en}, query);
  });
}

std::vector<int> SupportCatalogue::SupportsMatching(
    absl::string_view query) const {
  return IndicesWhere(supports_, [&](const Support& support) {
    return AnyContains({support.code, support.label_sv, support.label_en},
                       query);
  });
}

std::vector<int> SupportCatalogue::NeedsMatching(
    absl::string_view query) const {
  return IndicesWhere(needs_, [&](const Need& need) {
    return AnyContains({need.code, need.label_sv, need.label_en}, query);
  });
}

std::vector<int> MunicipalityTable::Matching(absl::string_view query) const {
  return IndicesWhere(municipalities_, [&](const Municipality& m) {
    return AnyContains({m.code, m.name, m.county_name}, query);
  });
}

absl::StatusOr<ReferenceData> LoadReferenceData(const std::string& data_dir) {
  absl::StatusOr<SkillTaxonomy> skills =
      SkillTaxonomy::Load(data_dir + "/taxonomy");
  if (!skills.ok()) return skills.status();
  absl::StatusOr<SupportCatalogue> supports =
      SupportCatalogue::Load(data_dir + "/support");
  if (!supports.ok()) return supports.status();
  absl::StatusOr<MunicipalityTable> municipalities =
      MunicipalityTable::Load(data_dir + "/geo");
  if (!municipalities.ok()) return municipalities.status();
  absl::StatusOr<ProgrammeTable> programmes =
      ProgrammeTable::Load(data_dir + "/programmes");
  if (!programmes.ok()) return programmes.status();
  return ReferenceData{.skills = std::move(*skills),
                       .supports = std::move(*supports),
                       .municipalities = std::move(*municipalities),
                       .programmes = std::move(*programmes)};
}

bool ContainsIgnoringCase(absl::string_view text, absl::string_view query) {
  // Lower case, byte by byte: ASCII letters, and the second byte of a
  // two-byte UTF-8 Latin-1 capital (U+00C0..U+00DE, except U+00D7 the
  // multiplication sign), whose small letter is 0x20 above it.
  auto fold = [](absl::string_view in) {
    std::string out(in);
    for (size_t i = 0; i < out.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(out[i]);
      if (c >= 'A' && c <= 'Z') {
        out[i] = static_cast<char>(c + ('a' - 'A'));
      } else if (c == 0xC3 && i + 1 < out.size()) {
        const unsigned char next = static_cast<unsigned char>(out[i + 1]);
        if (next >= 0x80 && next <= 0x9E && next != 0x97) {
          out[i + 1] = static_cast<char>(next + 0x20);
        }
        ++i;
      }
    }
    return out;
  };
  return absl::StrContains(fold(text), fold(query));
}

}  // namespace placement
