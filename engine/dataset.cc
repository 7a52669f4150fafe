#include "engine/dataset.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "engine/geo.h"
#include "engine/internal/csv.h"
#include "engine/internal/row_reader.h"

namespace placement {
namespace {

using internal::CsvReader;
using internal::CsvTable;
using internal::CsvWriter;
using internal::RowReader;
using internal::SplitList;

const std::vector<std::string>& ParticipantRequiredColumns() {
  static const auto* const kColumns = new std::vector<std::string>{
      "id",   "coach_id",           "birth_year",     "municipality",
      "travel_mode", "max_travel_minutes", "hours_per_week", "step",
      "swedish_level", "skills"};
  return *kColumns;
}

const std::vector<std::string>& ParticipantOptionalColumns() {
  static const auto* const kColumns = new std::vector<std::string>{
      "lat",   "lon",          "target_groups",  "wanted_fields",
      "needs", "vetoed_organisations", "vetoed_fields", "status",
      "gender", "born_abroad"};
  return *kColumns;
}

const std::vector<std::string>& OpeningRequiredColumns() {
  static const auto* const kColumns = new std::vector<std::string>{
      "id",       "kind",      "organisation_id",  "organisation_name",
      "municipality", "occupation_field", "essential_skills", "capacity",
      "min_hours", "max_hours", "step",             "start_date"};
  return *kColumns;
}

const std::vector<std::string>& OpeningOptionalColumns() {
  static const auto* const kColumns = new std::vector<std::string>{
      "title",   "lat",     "lon",        "optional_skills", "supports",
      "places_taken", "min_age", "max_age", "target_groups", "min_swedish",
      "end_date", "status"};
  return *kColumns;
}

std::string FormatDouble(double value) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, end);
}

// Ids read so far and the line each appeared on, to report repeats.
class IdRegistry {
 public:
  bool Add(const std::string& id, int line, RowReader& row) {
    auto [it, inserted] = lines_.emplace(id, line);
    if (!inserted) {
      row.Fail("id", id,
               absl::StrCat("the id already appears on line ", it->second));
    }
    return inserted;
  }

 private:
  absl::flat_hash_map<std::string, int> lines_;
};

std::vector<TargetGroup> ReadTargetGroups(RowReader& row, const CsvTable& table) {
  std::vector<TargetGroup> groups;
  for (absl::string_view slug : SplitList(table.Get("target_groups"))) {
    absl::StatusOr<TargetGroup> group = ParseTargetGroup(slug);
    if (!group.ok()) {
      row.Fail("target_groups", slug, group.status().message());
    } else if (std::find(groups.begin(), groups.end(), *group) != groups.end()) {
      row.Fail("target_groups", slug, "listed twice");
    } else {
      groups.push_back(*group);
    }
  }
  return groups;
}

std::vector<std::string> ReadFields(RowReader& row, const CsvTable& table,
                                    absl::string_view column,
                                    const SkillTaxonomy& taxonomy) {
  std::vector<std::string> fields;
  for (absl::string_view code : SplitList(table.Get(column))) {
    if (!taxonomy.FindField(code)) {
      row.Fail(column, code, "no such occupation field");
    } else if (std::find(fields.begin(), fields.end(), code) != fields.end()) {
      row.Fail(column, code, "listed twice");
    } else {
      fields.emplace_back(code);
    }
  }
  return fields;
}

std::vector<std::string> ReadSkillCodes(RowReader& row, const CsvTable& table,
                                        absl::string_view column,
                                        const SkillTaxonomy& taxonomy) {
  std::vector<std::string> skills;
  for (absl::string_view code : SplitList(table.Get(column))) {
    if (!taxonomy.FindSkill(code)) {
      row.Fail(column, code, "no such skill in the taxonomy");
    } else if (std::find(skills.begin(), skills.end(), code) != skills.end()) {
      row.Fail(column, code, "listed twice");
    } else {
      skills.emplace_back(code);
    }
  }
  return skills;
}

std::vector<std::string> ReadIds(RowReader& row, const CsvTable& table,
                                 absl::string_view column) {
  std::vector<std::string> ids;
  for (absl::string_view id : SplitList(table.Get(column))) {
    if (id.size() > 40 || internal::LooksLikePersonalIdentityNumber(id)) {
      row.Fail(column, id, "not a valid organisation id");
    } else {
      ids.emplace_back(id);
    }
  }
  return ids;
}

// Location: municipality code, with coordinates defaulting to its centre.
void ReadLocation(RowReader& row, const CsvTable& table,
                  const MunicipalityTable& municipalities,
                  std::string& municipality_code, GeoPoint& point) {
  municipality_code = row.Text("municipality", 4);
  std::optional<int> municipality = municipalities.Find(municipality_code);
  if (!municipality_code.empty() && !municipality) {
    row.Fail("municipality", municipality_code,
             "no such municipality code (4 digits, e.g. 1863 for Hällefors)");
  }
  const bool has_lat = !table.Get("lat").empty();
  const bool has_lon = !table.Get("lon").empty();
  if (has_lat != has_lon) {
    row.Fail(has_lat ? "lon" : "lat", "",
             "give both lat and lon, or neither to use the municipality's centre");
    return;
  }
  if (has_lat) {
    point.latitude_deg = row.Double("lat", kSwedenMinLatitude, kSwedenMaxLatitude);
    point.longitude_deg =
        row.Double("lon", kSwedenMinLongitude, kSwedenMaxLongitude);
  } else if (municipality) {
    point = municipalities.all()[*municipality].centre;
  }
}

template <typename T, typename Parser>
T EnumOrDefault(RowReader& row, const CsvTable& table, absl::string_view column,
                Parser parse, T fallback) {
  if (table.Get(column).empty()) return fallback;
  return row.Parse<T>(column, parse);
}

Participant ReadParticipantRow(RowReader& row, const CsvTable& table,
                               const ReferenceData& reference) {
  Participant p;
  p.id = row.Id("id");
  p.coach_id = row.Id("coach_id");
  p.birth_year = row.Int("birth_year", 1920, 2020);
  ReadLocation(row, table, reference.municipalities, p.municipality_code, p.home);
  p.travel_mode = row.Parse<TravelMode>("travel_mode", ParseTravelMode);
  p.max_travel_minutes = row.Int("max_travel_minutes", 1, 240);
  p.hours_per_week = row.Double("hours_per_week", 1, 60);
  p.step = row.Int("step", kMinStep, kMaxStep);
  p.swedish_level = row.Parse<SwedishLevel>("swedish_level", ParseSwedishLevel);
  p.target_groups = ReadTargetGroups(row, table);

  for (absl::string_view item : SplitList(table.Get("skills"))) {
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(item, absl::MaxSplits(':', 1));
    int level = 0;
    if (!reference.skills.FindSkill(parts.first)) {
      row.Fail("skills", item, "no such skill in the taxonomy");
    } else if (!absl::SimpleAtoi(parts.second, &level) ||
               level < kMinSkillLevel || level > kMaxSkillLevel) {
      row.Fail("skills", item, "expected CODE:LEVEL with LEVEL 1, 2 or 3");
    } else if (std::any_of(p.skills.begin(), p.skills.end(),
                           [&](const SkillLevel& s) {
                             return s.skill_code == parts.first;
                           })) {
      row.Fail("skills", item, "skill listed twice");
    } else {
      p.skills.push_back({.skill_code = std::string(parts.first), .level = level});
    }
  }

  p.wanted_fields = ReadFields(row, table, "wanted_fields", reference.skills);
  for (absl::string_view item : SplitList(table.Get("needs"))) {
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(item, absl::MaxSplits(':', 1));
    std::optional<int> need = reference.supports.FindNeed(parts.first);
    absl::StatusOr<NeedStrength> strength = ParseNeedStrength(parts.second);
    if (!need) {
      row.Fail("needs", item, "no such support need in the catalogue");
    } else if (!strength.ok()) {
      row.Fail("needs", item, "expected CODE:hard or CODE:soft");
    } else if (*strength == NeedStrength::kHard &&
               !reference.supports.needs()[*need].may_be_hard) {
      row.Fail("needs", item, "this need cannot be marked hard");
    } else if (std::any_of(p.needs.begin(), p.needs.end(),
                           [&](const SupportNeed& n) {
                             return n.need_code == parts.first;
                           })) {
      row.Fail("needs", item, "need listed twice");
    } else {
      p.needs.push_back({.need_code = std::string(parts.first), .strength = *strength});
    }
  }
  p.vetoed_organisations = ReadIds(row, table, "vetoed_organisations");
  p.vetoed_fields = ReadFields(row, table, "vetoed_fields", reference.skills);
  p.status = EnumOrDefault(row, table, "status", ParseParticipantStatus,
                           ParticipantStatus::kActive);
  p.gender = EnumOrDefault(row, table, "gender", ParseGender, Gender::kUndisclosed);
  p.born_abroad = table.Get("born_abroad").empty() ? false : row.Bool("born_abroad");
  return p;
}

Opening ReadOpeningRow(RowReader& row, const CsvTable& table,
                       const ReferenceData& reference) {
  Opening o;
  o.id = row.Id("id");
  o.kind = row.Parse<OpeningKind>("kind", ParseOpeningKind);
  o.organisation_id = row.Id("organisation_id");
  o.organisation_name = row.Text("organisation_name");
  o.title = row.OptionalText("title");
  ReadLocation(row, table, reference.municipalities, o.municipality_code,
               o.location);
  o.occupation_field = row.Text("occupation_field", 60);
  if (!o.occupation_field.empty() &&
      !reference.skills.FindField(o.occupation_field)) {
    row.Fail("occupation_field", o.occupation_field, "no such occupation field");
  }
  o.essential_skills =
      ReadSkillCodes(row, table, "essential_skills", reference.skills);
  o.optional_skills = ReadSkillCodes(row, table, "optional_skills", reference.skills);
  for (const std::string& skill : o.optional_skills) {
    if (std::find(o.essential_skills.begin(), o.essential_skills.end(), skill) !=
        o.essential_skills.end()) {
      row.Fail("optional_skills", skill, "already an essential skill");
    }
  }
  for (absl::string_view code : SplitList(table.Get("supports"))) {
    if (!reference.supports.FindSupport(code)) {
      row.Fail("supports", code, "no such support in the catalogue");
    } else if (std::find(o.supports.begin(), o.supports.end(), code) !=
               o.supports.end()) {
      row.Fail("supports", code, "listed twice");
    } else {
      o.supports.emplace_back(code);
    }
  }
  o.capacity = row.Int("capacity", 1, 1000);
  o.places_taken =
      table.Get("places_taken").empty() ? 0 : row.Int("places_taken", 0, 1000);
  if (o.places_taken > o.capacity) {
    row.Fail("places_taken", table.Get("places_taken"),
             absl::StrCat("more places taken than the capacity ", o.capacity));
  }
  o.min_hours_per_week = row.Double("min_hours", 1, 60);
  o.max_hours_per_week = row.Double("max_hours", 1, 60);
  if (o.max_hours_per_week < o.min_hours_per_week) {
    row.Fail("max_hours", table.Get("max_hours"),
             absl::StrCat("below min_hours ", table.Get("min_hours")));
  }
  o.step = row.Int("step", kMinStep, kMaxStep);
  o.min_age = table.Get("min_age").empty() ? 0 : row.Int("min_age", 0, 100);
  o.max_age = table.Get("max_age").empty() ? 0 : row.Int("max_age", 0, 100);
  if (o.max_age != 0 && o.max_age < o.min_age) {
    row.Fail("max_age", table.Get("max_age"),
             absl::StrCat("below min_age ", o.min_age));
  }
  o.target_groups = ReadTargetGroups(row, table);
  o.min_swedish = EnumOrDefault(row, table, "min_swedish", ParseSwedishLevel,
                                SwedishLevel::kNone);
  o.start_date = row.Parse<Date>("start_date", ParseDate);
  if (!table.Get("end_date").empty()) {
    o.end_date = row.Parse<Date>("end_date", ParseDate);
    if (row.ok() && *o.end_date < o.start_date) {
      row.Fail("end_date", table.Get("end_date"), "before start_date");
    }
  }
  o.status = EnumOrDefault(row, table, "status", ParseOpeningStatus,
                           OpeningStatus::kOpen);
  return o;
}

// Shared reading loop: header check, then each row through `read_row`.
template <typename Record, typename Rows, typename ReadRow>
absl::StatusOr<Rows> ReadRows(std::istream& input, const std::string& file_name,
                              const std::vector<std::string>& required,
                              const std::vector<std::string>& optional,
                              std::vector<Record> Rows::*records,
                              ReadRow read_row) {
  absl::StatusOr<CsvTable> table = CsvTable::Open(
      CsvReader::FromStream(file_name, input), required, optional);
  if (!table.ok()) return table.status();
  Rows rows;
  RowReader row(*table);
  IdRegistry ids;
  while (true) {
    absl::StatusOr<bool> got = table->Next();
    if (!got.ok()) {
      ++rows.rows_read;
      rows.errors.push_back(RowError{.file = file_name,
                                     .line = table->line(),
                                     .field = "",
                                     .value = "",
                                     .reason = std::string(got.status().message())});
      continue;
    }
    if (!*got) break;
    ++rows.rows_read;
    row.StartRow();
    Record record = read_row(row, *table);
    if (row.ok()) ids.Add(record.id, table->line(), row);
    if (row.ok()) {
      (rows.*records).push_back(std::move(record));
    } else {
      rows.errors.insert(rows.errors.end(), row.errors().begin(),
                         row.errors().end());
    }
  }
  return rows;
}

template <typename Result, typename Reader>
absl::StatusOr<Result> ReadFile(const std::string& path, Reader reader) {
  std::ifstream file(path, std::ios::binary);
  if (!file.is_open()) {
    return absl::NotFoundError(absl::StrCat("cannot open '", path, "'"));
  }
  return reader(file, path);
}

std::string JoinSlugs(const std::vector<TargetGroup>& groups) {
  return absl::StrJoin(groups, ";", [](std::string* out, TargetGroup group) {
    absl::StrAppend(out, TargetGroupSlug(group));
  });
}

}  // namespace

absl::StatusOr<ParticipantRows> ReadParticipantsCsv(
    std::istream& input, const std::string& file_name,
    const ReferenceData& reference) {
  return ReadRows<Participant, ParticipantRows>(
      input, file_name, ParticipantRequiredColumns(), ParticipantOptionalColumns(),
      &ParticipantRows::participants,
      [&](RowReader& row, const CsvTable& table) {
        return ReadParticipantRow(row, table, reference);
      });
}

absl::StatusOr<ParticipantRows> ReadParticipantsCsv(
    const std::string& path, const ReferenceData& reference) {
  return ReadFile<ParticipantRows>(
      path, [&](std::istream& input, const std::string& name) {
        return ReadParticipantsCsv(input, name, reference);
      });
}

absl::StatusOr<OpeningRows> ReadOpeningsCsv(std::istream& input,
                                            const std::string& file_name,
                                            const ReferenceData& reference) {
  return ReadRows<Opening, OpeningRows>(
      input, file_name, OpeningRequiredColumns(), OpeningOptionalColumns(),
      &OpeningRows::openings, [&](RowReader& row, const CsvTable& table) {
        return ReadOpeningRow(row, table, reference);
      });
}

absl::StatusOr<OpeningRows> ReadOpeningsCsv(const std::string& path,
                                            const ReferenceData& reference) {
  return ReadFile<OpeningRows>(
      path, [&](std::istream& input, const std::string& name) {
        return ReadOpeningsCsv(input, name, reference);
      });
}

const std::vector<std::string>& ParticipantColumns() {
  static const auto* const kColumns = new std::vector<std::string>{
      "id",          "coach_id",      "birth_year",    "municipality",
      "lat",         "lon",           "travel_mode",   "max_travel_minutes",
      "hours_per_week", "step",       "swedish_level", "target_groups",
      "skills",      "wanted_fields", "needs",         "vetoed_organisations",
      "vetoed_fields", "status",      "gender",        "born_abroad"};
  return *kColumns;
}

const std::vector<std::string>& OpeningColumns() {
  static const auto* const kColumns = new std::vector<std::string>{
      "id",           "kind",          "organisation_id", "organisation_name",
      "title",        "municipality",  "lat",             "lon",
      "occupation_field", "essential_skills", "optional_skills", "supports",
      "capacity",     "places_taken",  "min_hours",       "max_hours",
      "step",         "min_age",       "max_age",         "target_groups",
      "min_swedish",  "start_date",    "end_date",        "status"};
  return *kColumns;
}

ParticipantCsvWriter::ParticipantCsvWriter(std::ostream& out) : out_(out) {
  CsvWriter(out_).WriteRow(ParticipantColumns());
}

void ParticipantCsvWriter::Write(const Participant& p) {
  CsvWriter(out_).WriteRow({
      p.id,
      p.coach_id,
      absl::StrCat(p.birth_year),
      p.municipality_code,
      FormatDouble(p.home.latitude_deg),
      FormatDouble(p.home.longitude_deg),
      std::string(TravelModeSlug(p.travel_mode)),
      absl::StrCat(p.max_travel_minutes),
      FormatDouble(p.hours_per_week),
      absl::StrCat(p.step),
      std::string(SwedishLevelSlug(p.swedish_level)),
      JoinSlugs(p.target_groups),
      absl::StrJoin(p.skills, ";",
                    [](std::string* out, const SkillLevel& skill) {
                      absl::StrAppend(out, skill.skill_code, ":", skill.level);
                    }),
      absl::StrJoin(p.wanted_fields, ";"),
      absl::StrJoin(p.needs, ";",
                    [](std::string* out, const SupportNeed& need) {
                      absl::StrAppend(out, need.need_code, ":",
                                      NeedStrengthSlug(need.strength));
                    }),
      absl::StrJoin(p.vetoed_organisations, ";"),
      absl::StrJoin(p.vetoed_fields, ";"),
      std::string(ParticipantStatusSlug(p.status)),
      std::string(GenderSlug(p.gender)),
      p.born_abroad ? "true" : "false",
  });
}

OpeningCsvWriter::OpeningCsvWriter(std::ostream& out) : out_(out) {
  CsvWriter(out_).WriteRow(OpeningColumns());
}

void OpeningCsvWriter::Write(const Opening& o) {
  CsvWriter(out_).WriteRow({
      o.id,
      std::string(OpeningKindSlug(o.kind)),
      o.organisation_id,
      o.organisation_name,
      o.title,
      o.municipality_code,
      FormatDouble(o.location.latitude_deg),
      FormatDouble(o.location.longitude_deg),
      o.occupation_field,
      absl::StrJoin(o.essential_skills, ";"),
      absl::StrJoin(o.optional_skills, ";"),
      absl::StrJoin(o.supports, ";"),
      absl::StrCat(o.capacity),
      absl::StrCat(o.places_taken),
      FormatDouble(o.min_hours_per_week),
      FormatDouble(o.max_hours_per_week),
      absl::StrCat(o.step),
      absl::StrCat(o.min_age),
      absl::StrCat(o.max_age),
      JoinSlugs(o.target_groups),
      std::string(SwedishLevelSlug(o.min_swedish)),
      FormatDate(o.start_date),
      o.end_date ? FormatDate(*o.end_date) : "",
      std::string(OpeningStatusSlug(o.status)),
  });
}

}  // namespace placement
