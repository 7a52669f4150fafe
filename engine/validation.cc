#include "engine/validation.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "engine/geo.h"

namespace placement {
namespace {

// Collects problems for one record.
class Problems {
 public:
  void Add(absl::string_view field, absl::string_view value,
           absl::string_view reason) {
    problems_.push_back(
        {std::string(field), std::string(value), std::string(reason)});
  }
  template <typename Number>
  void Range(absl::string_view field, Number value, Number min, Number max) {
    if (!(value >= min && value <= max)) {
      Add(field, absl::StrCat(value),
          absl::StrCat("outside the range ", min, " to ", max));
    }
  }
  void Id(absl::string_view field, absl::string_view id) {
    for (const std::string& reason : IdProblems(id)) Add(field, id, reason);
  }
  void Coordinates(const GeoPoint& point) {
    Range("lat", point.latitude_deg, kSwedenMinLatitude, kSwedenMaxLatitude);
    Range("lon", point.longitude_deg, kSwedenMinLongitude, kSwedenMaxLongitude);
  }
  void Municipality(absl::string_view code, const MunicipalityTable& table) {
    if (code.empty()) {
      Add("municipality", code, "is required");
    } else if (!table.Find(code)) {
      Add("municipality", code,
          "no such municipality code (4 digits, e.g. 1863 for Hällefors)");
    }
  }
  // A list of occupation field codes: each known, none twice.
  void Fields(absl::string_view field, const std::vector<std::string>& codes,
              const SkillTaxonomy& taxonomy) {
    for (size_t i = 0; i < codes.size(); ++i) {
      if (!taxonomy.FindField(codes[i])) {
        Add(field, codes[i], "no such occupation field");
      } else if (Repeated(codes, i)) {
        Add(field, codes[i], "listed twice");
      }
    }
  }
  void Skills(absl::string_view field, const std::vector<std::string>& codes,
              const SkillTaxonomy& taxonomy) {
    for (size_t i = 0; i < codes.size(); ++i) {
      if (!taxonomy.FindSkill(codes[i])) {
        Add(field, codes[i], "no such skill in the taxonomy");
      } else if (Repeated(codes, i)) {
        Add(field, codes[i], "listed twice");
      }
    }
  }
  void TargetGroups(const std::vector<TargetGroup>& groups) {
    for (size_t i = 0; i < groups.size(); ++i) {
      if (std::find(groups.begin(), groups.begin() + static_cast<long>(i),
                    groups[i]) != groups.begin() + static_cast<long>(i)) {
        Add("target_groups", TargetGroupSlug(groups[i]), "listed twice");
      }
    }
  }
  void Text(absl::string_view field, absl::string_view text, bool required) {
    if (required && text.empty()) Add(field, text, "is required");
    if (text.size() > kMaxTextBytes) {
      Add(field, text.substr(0, 80),
          absl::StrCat("longer than ", kMaxTextBytes, " bytes"));
    }
  }

  template <typename T>
  static bool Repeated(const std::vector<T>& items, size_t i) {
    return std::find(items.begin(), items.begin() + static_cast<long>(i),
                     items[i]) != items.begin() + static_cast<long>(i);
  }

  std::vector<FieldProblem> Take() { return std::move(problems_); }

 private:
  std::vector<FieldProblem> problems_;
};

}  // namespace

bool LooksLikePersonalIdentityNumber(absl::string_view text) {
  // Scan for 10 or 12 digits, optionally with a '-' or '+' before the last
  // four.
  for (size_t start = 0; start < text.size(); ++start) {
    if (start > 0 &&
        absl::ascii_isdigit(static_cast<unsigned char>(text[start - 1]))) {
      continue;
    }
    size_t digits = 0;
    bool separator_seen = false;
    for (size_t i = start; i < text.size(); ++i) {
      const char c = text[i];
      if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
        ++digits;
      } else if ((c == '-' || c == '+') && !separator_seen &&
                 (digits == 6 || digits == 8)) {
        separator_seen = true;
        continue;
      } else {
        break;
      }
      const bool next_is_digit =
          i + 1 < text.size() &&
          absl::ascii_isdigit(static_cast<unsigned char>(text[i + 1]));
      if ((digits == 10 || digits == 12) && !next_is_digit) return true;
    }
  }
  return false;
}

std::vector<std::string> IdProblems(absl::string_view id) {
  if (id.empty()) return {"is required"};
  if (id.size() > kMaxIdLength) {
    return {absl::StrCat("an id has at most ", kMaxIdLength, " characters")};
  }
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-' && c != '.') {
      return {"an id may hold only letters A-Z, digits, '_', '-' and '.'"};
    }
  }
  if (LooksLikePersonalIdentityNumber(id)) {
    return {"looks like a personal identity number; use a pseudonymous id"};
  }
  return {};
}

std::vector<FieldProblem> CheckParticipant(const Participant& p,
                                           const ReferenceData& reference) {
  Problems problems;
  problems.Id("id", p.id);
  problems.Id("coach_id", p.coach_id);
  problems.Range("birth_year", p.birth_year, kMinBirthYear, kMaxBirthYear);
  problems.Municipality(p.municipality_code, reference.municipalities);
  problems.Coordinates(p.home);
  problems.Range("max_travel_minutes", p.max_travel_minutes, 1,
                 kMaxTravelMinutes);
  problems.Range("hours_per_week", p.hours_per_week, kMinHoursPerWeek,
                 kMaxHoursPerWeek);
  problems.Range("step", p.step, kMinStep, kMaxStep);
  problems.TargetGroups(p.target_groups);
  for (size_t i = 0; i < p.skills.size(); ++i) {
    const SkillLevel& skill = p.skills[i];
    const std::string item = absl::StrCat(skill.skill_code, ":", skill.level);
    if (!reference.skills.FindSkill(skill.skill_code)) {
      problems.Add("skills", item, "no such skill in the taxonomy");
    } else if (skill.level < kMinSkillLevel || skill.level > kMaxSkillLevel) {
      problems.Add("skills", item, "expected CODE:LEVEL with LEVEL 1, 2 or 3");
    } else if (std::any_of(p.skills.begin(),
                           p.skills.begin() + static_cast<long>(i),
                           [&](const SkillLevel& s) {
                             return s.skill_code == skill.skill_code;
                           })) {
      problems.Add("skills", item, "skill listed twice");
    }
  }
  problems.Fields("wanted_fields", p.wanted_fields, reference.skills);
  for (size_t i = 0; i < p.needs.size(); ++i) {
    const SupportNeed& need = p.needs[i];
    const std::string item =
        absl::StrCat(need.need_code, ":", NeedStrengthSlug(need.strength));
    std::optional<int> index = reference.supports.FindNeed(need.need_code);
    if (!index) {
      problems.Add("needs", item, "no such support need in the catalogue");
    } else if (need.strength == NeedStrength::kHard &&
               !reference.supports.needs()[*index].may_be_hard) {
      problems.Add("needs", item, "this need cannot be marked hard");
    } else if (std::any_of(p.needs.begin(),
                           p.needs.begin() + static_cast<long>(i),
                           [&](const SupportNeed& n) {
                             return n.need_code == need.need_code;
                           })) {
      problems.Add("needs", item, "need listed twice");
    }
  }
  for (const std::string& org : p.vetoed_organisations) {
    if (!IdProblems(org).empty()) {
      problems.Add("vetoed_organisations", org, "not a valid organisation id");
    }
  }
  problems.Fields("vetoed_fields", p.vetoed_fields, reference.skills);
  if (p.entry_date) {
    if (!IsValidDate(*p.entry_date)) {
      problems.Add("entry_date", FormatDate(*p.entry_date), "is not a date");
    } else if (*p.entry_date < kFirstEntryDate) {
      problems.Add("entry_date", FormatDate(*p.entry_date),
                   "is before 2000-01-01");
    }
  }
  if (!p.programme_code.empty() &&
      !reference.programmes.Find(p.programme_code)) {
    problems.Add("programme_code", p.programme_code,
                 "is not a known programme (data/programmes/programmes.csv)");
  }
  return problems.Take();
}

std::vector<FieldProblem> CheckEntryNotAhead(const Participant& participant,
                                             const Date& today) {
  if (!participant.entry_date || *participant.entry_date <= today) return {};
  return {{.field = "entry_date",
           .value = FormatDate(*participant.entry_date),
           .reason = absl::StrCat("is after today ", FormatDate(today))}};
}

std::vector<FieldProblem> CheckOpening(const Opening& o,
                                       const ReferenceData& reference) {
  Problems problems;
  problems.Id("id", o.id);
  problems.Id("organisation_id", o.organisation_id);
  problems.Text("organisation_name", o.organisation_name, /*required=*/true);
  problems.Text("title", o.title, /*required=*/false);
  problems.Municipality(o.municipality_code, reference.municipalities);
  problems.Coordinates(o.location);
  if (o.occupation_field.empty()) {
    problems.Add("occupation_field", o.occupation_field, "is required");
  } else if (!reference.skills.FindField(o.occupation_field)) {
    problems.Add("occupation_field", o.occupation_field,
                 "no such occupation field");
  }
  problems.Skills("essential_skills", o.essential_skills, reference.skills);
  problems.Skills("optional_skills", o.optional_skills, reference.skills);
  for (const std::string& skill : o.optional_skills) {
    if (std::find(o.essential_skills.begin(), o.essential_skills.end(),
                  skill) != o.essential_skills.end()) {
      problems.Add("optional_skills", skill, "already an essential skill");
    }
  }
  for (size_t i = 0; i < o.supports.size(); ++i) {
    if (!reference.supports.FindSupport(o.supports[i])) {
      problems.Add("supports", o.supports[i],
                   "no such support in the catalogue");
    } else if (Problems::Repeated(o.supports, i)) {
      problems.Add("supports", o.supports[i], "listed twice");
    }
  }
  problems.Range("capacity", o.capacity, 1, kMaxCapacity);
  if (o.places_taken < 0) {
    problems.Range("places_taken", o.places_taken, 0, kMaxCapacity);
  } else if (o.places_taken > o.capacity) {
    problems.Add(
        "places_taken", absl::StrCat(o.places_taken),
        absl::StrCat("more places taken than the capacity ", o.capacity));
  }
  problems.Range("min_hours", o.min_hours_per_week, kMinHoursPerWeek,
                 kMaxHoursPerWeek);
  problems.Range("max_hours", o.max_hours_per_week, kMinHoursPerWeek,
                 kMaxHoursPerWeek);
  if (o.max_hours_per_week < o.min_hours_per_week) {
    problems.Add("max_hours", absl::StrCat(o.max_hours_per_week),
                 absl::StrCat("below min_hours ", o.min_hours_per_week));
  }
  problems.Range("step", o.step, kMinStep, kMaxStep);
  problems.Range("min_age", o.min_age, 0, kMaxAge);
  problems.Range("max_age", o.max_age, 0, kMaxAge);
  if (o.max_age != 0 && o.max_age < o.min_age) {
    problems.Add("max_age", absl::StrCat(o.max_age),
                 absl::StrCat("below min_age ", o.min_age));
  }
  problems.TargetGroups(o.target_groups);
  if (!IsValidDate(o.start_date)) {
    problems.Add("start_date", FormatDate(o.start_date), "not a real date");
  }
  if (o.end_date) {
    if (!IsValidDate(*o.end_date)) {
      problems.Add("end_date", FormatDate(*o.end_date), "not a real date");
    } else if (*o.end_date < o.start_date) {
      problems.Add("end_date", FormatDate(*o.end_date), "before start_date");
    }
  }
  return problems.Take();
}

}  // namespace placement
