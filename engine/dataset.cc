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
#include "engine/csv.h"
#include "engine/geo.h"
#include "engine/row_reader.h"
#include "engine/validation.h"

namespace placement {
namespace {

const std::vector<std::string>& ParticipantRequiredColumns() {
  static const auto* const kColumns =
      new std::vector<std::string>{"id",
                                   "coach_id",
                                   "birth_year",
                                   "municipality",
                                   "travel_mode",
                                   "max_travel_minutes",
                                   "hours_per_week",
                                   "step",
                                   "swedish_level",
                                   "skills"};
  return *kColumns;
}

const std::vector<std::string>& ParticipantOptionalColumns() {
  static const auto* const kColumns = new std::vector<std::string>{
      "lat",           "lon",       "target_groups",
      "wanted_fields", "needs",     "vetoed_organisations",
      "vetoed_fields", "status",    "gender",
      "born_abroad",   "exit_date", "entry_date",
      "programme_code"};
  return *kColumns;
}

const std::vector<std::string>& OpeningRequiredColumns() {
  static const auto* const kColumns =
      new std::vector<std::string>{"id",
                                   "kind",
                                   "organisation_id",
                                   "organisation_name",
                                   "municipality",
                                   "occupation_field",
                                   "essential_skills",
                                   "capacity",
                                   "min_hours",
                                   "max_hours",
                                   "step",
                                   "start_date"};
  return *kColumns;
}

const std::vector<std::string>& OpeningOptionalColumns() {
  static const auto* const kColumns = new std::vector<std::string>{
      "title",         "lat",          "lon",      "optional_skills",
      "supports",      "places_taken", "min_age",  "max_age",
      "target_groups", "min_swedish",  "end_date", "status"};
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

// Parsing turns text into typed values and reports text that is not a value
// at all ("sixty", "walk-ish"); every rule about the values (ranges, codes
// that must exist, repeats) is CheckParticipant's or CheckOpening's.

constexpr int kAnyInt = 1'000'000'000;
constexpr double kAnyDouble = 1e300;

std::vector<std::string> Items(const CsvTable& table,
                               absl::string_view column) {
  std::vector<std::string> items;
  for (absl::string_view item : SplitList(table.Get(column)))
    items.emplace_back(item);
  return items;
}

std::vector<TargetGroup> ParseTargetGroups(RowReader& row,
                                           const CsvTable& table) {
  std::vector<TargetGroup> groups;
  for (absl::string_view slug : SplitList(table.Get("target_groups"))) {
    absl::StatusOr<TargetGroup> group = ParseTargetGroup(slug);
    if (group.ok()) {
      groups.push_back(*group);
    } else {
      row.Fail("target_groups", slug, group.status().message());
    }
  }
  return groups;
}

// Location: coordinates default to the municipality's main town. Returns
// false when there are no usable coordinates (none given and the
// municipality unknown, or only one of the two given), so that the
// coordinate rules do not pile onto the real mistake.
bool ParseLocation(RowReader& row, const CsvTable& table,
                   const MunicipalityTable& municipalities,
                   std::string& municipality_code, GeoPoint& point) {
  municipality_code = row.OptionalText("municipality", 4);
  const bool has_lat = !table.Get("lat").empty();
  const bool has_lon = !table.Get("lon").empty();
  if (has_lat != has_lon) {
    row.Fail(
        has_lat ? "lon" : "lat", "",
        "give both lat and lon, or neither to use the municipality's centre");
    return false;
  }
  if (has_lat) {
    point.latitude_deg = row.Double("lat", -kAnyDouble, kAnyDouble);
    point.longitude_deg = row.Double("lon", -kAnyDouble, kAnyDouble);
    return true;
  }
  if (std::optional<int> index = municipalities.Find(municipality_code)) {
    point = municipalities.all()[*index].centre;
    return true;
  }
  return false;
}

template <typename T, typename Parser>
T EnumOrDefault(RowReader& row, const CsvTable& table, absl::string_view column,
                Parser parse, T fallback) {
  if (table.Get(column).empty()) return fallback;
  return row.Parse<T>(column, parse);
}

int OptionalInt(RowReader& row, const CsvTable& table,
                absl::string_view column) {
  return table.Get(column).empty() ? 0 : row.Int(column, -kAnyInt, kAnyInt);
}

// Adds the validator's problems, except on fields that did not even parse
// (and on the coordinates when there are none to check).
void AddProblems(RowReader& row, const std::vector<FieldProblem>& problems,
                 bool coordinates_known) {
  std::vector<std::string> unparsed;
  for (const RowError& e : row.errors()) unparsed.push_back(e.field);
  if (!coordinates_known) {
    unparsed.push_back("lat");
    unparsed.push_back("lon");
  }
  for (const FieldProblem& problem : problems) {
    if (std::find(unparsed.begin(), unparsed.end(), problem.field) ==
        unparsed.end()) {
      row.Fail(problem.field, problem.value, problem.reason);
    }
  }
}

Participant ReadParticipantRow(RowReader& row, const CsvTable& table,
                               const ReferenceData& reference) {
  Participant p;
  p.id = row.OptionalText("id", kMaxIdLength + 1);
  p.coach_id = row.OptionalText("coach_id", kMaxIdLength + 1);
  p.birth_year = row.Int("birth_year", -kAnyInt, kAnyInt);
  const bool coordinates_known = ParseLocation(
      row, table, reference.municipalities, p.municipality_code, p.home);
  p.travel_mode = row.Parse<TravelMode>("travel_mode", ParseTravelMode);
  p.max_travel_minutes = row.Int("max_travel_minutes", -kAnyInt, kAnyInt);
  p.hours_per_week = row.Double("hours_per_week", -kAnyDouble, kAnyDouble);
  p.step = row.Int("step", -kAnyInt, kAnyInt);
  p.swedish_level = row.Parse<SwedishLevel>("swedish_level", ParseSwedishLevel);
  p.target_groups = ParseTargetGroups(row, table);
  for (absl::string_view item : SplitList(table.Get("skills"))) {
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(item, absl::MaxSplits(':', 1));
    int level = 0;
    if (!absl::SimpleAtoi(parts.second, &level)) {
      row.Fail("skills", item, "expected CODE:LEVEL with LEVEL 1, 2 or 3");
    } else {
      p.skills.push_back(
          {.skill_code = std::string(parts.first), .level = level});
    }
  }
  p.wanted_fields = Items(table, "wanted_fields");
  for (absl::string_view item : SplitList(table.Get("needs"))) {
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(item, absl::MaxSplits(':', 1));
    absl::StatusOr<NeedStrength> strength = ParseNeedStrength(parts.second);
    if (!strength.ok()) {
      row.Fail("needs", item, "expected CODE:hard or CODE:soft");
    } else {
      p.needs.push_back(
          {.need_code = std::string(parts.first), .strength = *strength});
    }
  }
  p.vetoed_organisations = Items(table, "vetoed_organisations");
  p.vetoed_fields = Items(table, "vetoed_fields");
  p.status = EnumOrDefault(row, table, "status", ParseParticipantStatus,
                           ParticipantStatus::kActive);
  p.gender =
      EnumOrDefault(row, table, "gender", ParseGender, Gender::kUndisclosed);
  p.born_abroad =
      table.Get("born_abroad").empty() ? false : row.Bool("born_abroad");
  if (!table.Get("exit_date").empty()) {
    p.exit_date = row.Parse<Date>("exit_date", ParseDate);
    if (p.status != ParticipantStatus::kExited) {
      row.Fail("exit_date", table.Get("exit_date"),
               "an exit date goes with status exited only");
    }
  }
  if (!table.Get("entry_date").empty()) {
    p.entry_date = row.Parse<Date>("entry_date", ParseDate);
  }
  p.programme_code = row.OptionalText("programme_code", 41);
  AddProblems(row, CheckParticipant(p, reference), coordinates_known);
  return p;
}

Opening ReadOpeningRow(RowReader& row, const CsvTable& table,
                       const ReferenceData& reference) {
  Opening o;
  o.id = row.OptionalText("id", kMaxIdLength + 1);
  o.kind = row.Parse<OpeningKind>("kind", ParseOpeningKind);
  o.organisation_id = row.OptionalText("organisation_id", kMaxIdLength + 1);
  o.organisation_name =
      row.OptionalText("organisation_name", kMaxTextBytes + 1);
  o.title = row.OptionalText("title", kMaxTextBytes + 1);
  const bool coordinates_known = ParseLocation(
      row, table, reference.municipalities, o.municipality_code, o.location);
  o.occupation_field = row.OptionalText("occupation_field", 60);
  o.essential_skills = Items(table, "essential_skills");
  o.optional_skills = Items(table, "optional_skills");
  o.supports = Items(table, "supports");
  o.capacity = row.Int("capacity", -kAnyInt, kAnyInt);
  o.places_taken = OptionalInt(row, table, "places_taken");
  o.min_hours_per_week = row.Double("min_hours", -kAnyDouble, kAnyDouble);
  o.max_hours_per_week = row.Double("max_hours", -kAnyDouble, kAnyDouble);
  o.step = row.Int("step", -kAnyInt, kAnyInt);
  o.min_age = OptionalInt(row, table, "min_age");
  o.max_age = OptionalInt(row, table, "max_age");
  o.target_groups = ParseTargetGroups(row, table);
  o.min_swedish = EnumOrDefault(row, table, "min_swedish", ParseSwedishLevel,
                                SwedishLevel::kNone);
  o.start_date = row.Parse<Date>("start_date", ParseDate);
  if (!table.Get("end_date").empty())
    o.end_date = row.Parse<Date>("end_date", ParseDate);
  o.status = EnumOrDefault(row, table, "status", ParseOpeningStatus,
                           OpeningStatus::kOpen);
  AddProblems(row, CheckOpening(o, reference), coordinates_known);
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
      rows.errors.push_back(
          RowError{.file = file_name,
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
      input, file_name, ParticipantRequiredColumns(),
      ParticipantOptionalColumns(), &ParticipantRows::participants,
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
  static const auto* const kColumns =
      new std::vector<std::string>{"id",
                                   "coach_id",
                                   "birth_year",
                                   "municipality",
                                   "lat",
                                   "lon",
                                   "travel_mode",
                                   "max_travel_minutes",
                                   "hours_per_week",
                                   "step",
                                   "swedish_level",
                                   "target_groups",
                                   "skills",
                                   "wanted_fields",
                                   "needs",
                                   "vetoed_organisations",
                                   "vetoed_fields",
                                   "status",
                                   "gender",
                                   "born_abroad",
                                   "exit_date",
                                   "entry_date",
                                   "programme_code"};
  return *kColumns;
}

const std::vector<std::string>& OpeningColumns() {
  static const auto* const kColumns =
      new std::vector<std::string>{"id",
                                   "kind",
                                   "organisation_id",
                                   "organisation_name",
                                   "title",
                                   "municipality",
                                   "lat",
                                   "lon",
                                   "occupation_field",
                                   "essential_skills",
                                   "optional_skills",
                                   "supports",
                                   "capacity",
                                   "places_taken",
                                   "min_hours",
                                   "max_hours",
                                   "step",
                                   "min_age",
                                   "max_age",
                                   "target_groups",
                                   "min_swedish",
                                   "start_date",
                                   "end_date",
                                   "status"};
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
      p.exit_date ? FormatDate(*p.exit_date) : "",
      p.entry_date ? FormatDate(*p.entry_date) : "",
      p.programme_code,
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
