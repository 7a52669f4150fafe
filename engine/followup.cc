#include "engine/followup.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"

namespace placement {
namespace {

constexpr absl::string_view kUnder16 = "under-16";
constexpr std::array<absl::string_view, 4> kAgeBands = {"16-24", "25-29",
                                                        "30-54", "55+"};
// The exit table's keys, in order.
constexpr std::array<absl::string_view, 8> kExitOutcomeKeys = {
    "completed", "moved_up",    "unsubsidised_work", "subsidised_work",
    "studies",   "interrupted", "not_ended",         "no_placement"};
constexpr absl::string_view kNotRecorded = "not_recorded";

absl::CivilDay ToCivil(const Date& date) {
  return absl::CivilDay(date.year, date.month, date.day);
}

bool InPeriod(const Date& day, const FollowUpQuery& query) {
  return query.from <= day && day <= query.to;
}

// Raw counts of one table: rows in key order, cells by gender then total.
class Tally {
 public:
  explicit Tally(std::vector<absl::string_view> keys)
      : keys_(std::move(keys)), counts_(keys_.size()) {}

  void Add(size_t row, Gender gender) {
    ++counts_[row][static_cast<size_t>(gender)];
    ++counts_[row][kFollowUpTotal];
  }
  size_t Row(absl::string_view key) const {
    return static_cast<size_t>(std::find(keys_.begin(), keys_.end(), key) -
                               keys_.begin());
  }
  // Shown rows; `skip_empty_first` drops the first row when no one is in it.
  std::vector<FollowUpRow> Rows(bool skip_empty_first = false) const {
    std::vector<FollowUpRow> rows;
    for (size_t row = 0; row < keys_.size(); ++row) {
      if (row == 0 && skip_empty_first && counts_[0][kFollowUpTotal] == 0)
        continue;
      rows.push_back({.key = std::string(keys_[row]),
                      .counts = ShownCounts(counts_[row])});
    }
    return rows;
  }

 private:
  std::vector<absl::string_view> keys_;
  std::vector<ByGender<int>> counts_;
};

// What the report needs of each participant beyond their record.
struct Progress {
  // The earliest placement starting on or after entry.
  std::optional<Date> first_placement = {};
  // The last placement started on or before the exit (by start, then id).
  const FollowUpPlacement* last_before_exit = nullptr;
  bool moved_up_in_period = false;
  std::optional<ExitSituation> situation = {};
};

double Median(std::vector<int>& values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  if (n % 2 == 1) return values[n / 2];
  return (static_cast<double>(values[n / 2 - 1]) + values[n / 2]) / 2.0;
}

}  // namespace

absl::Status CheckFollowUpQuery(const FollowUpQuery& query,
                                const ReferenceData& reference) {
  if (!IsValidDate(query.from)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "from_date: ", FormatDate(query.from), " is not a valid date"));
  }
  if (!IsValidDate(query.to)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "to_date: ", FormatDate(query.to), " is not a valid date"));
  }
  if (query.to < query.from) {
    return absl::InvalidArgumentError(
        absl::StrCat("to_date: ", FormatDate(query.to), " is before from_date ",
                     FormatDate(query.from)));
  }
  const int64_t days = ToCivil(query.to) - ToCivil(query.from) + 1;
  if (days > kMaxFollowUpDays) {
    return absl::InvalidArgumentError(
        absl::StrCat("to_date: the period from ", FormatDate(query.from),
                     " to ", FormatDate(query.to), " is ", days,
                     " days; at most ", kMaxFollowUpDays));
  }
  if (!query.municipality_code.empty() &&
      !reference.municipalities.Find(query.municipality_code)) {
    return absl::InvalidArgumentError(
        absl::StrCat("municipality_code: \"", query.municipality_code,
                     "\" is not a known municipality code"));
  }
  if (!query.programme_code.empty() &&
      !reference.programmes.Find(query.programme_code)) {
    return absl::InvalidArgumentError(
        absl::StrCat("programme_code: \"", query.programme_code,
                     "\" is not a known programme"));
  }
  return absl::OkStatus();
}

FollowUpCell ShownCount(int count) {
  if (count > 0 && count < kFollowUpWithheldBelow) {
    return {.withheld = true, .count = 0};
  }
  return {.withheld = false, .count = count};
}

ByGender<FollowUpCell> ShownCounts(const ByGender<int>& counts) {
  ByGender<FollowUpCell> cells;
  bool any_withheld = false;
  for (size_t g = 0; g < cells.size(); ++g) {
    cells[g] = ShownCount(counts[g]);
    any_withheld = any_withheld || cells[g].withheld;
  }
  // The total minus the cells shown would give the withheld ones.
  if (any_withheld) cells[kFollowUpTotal] = {.withheld = true, .count = 0};
  return cells;
}

absl::string_view FollowUpAgeBand(int birth_year, const Date& entry) {
  const int age = entry.year - birth_year;
  if (age < 16) return kUnder16;
  if (age <= 24) return kAgeBands[0];
  if (age <= 29) return kAgeBands[1];
  if (age <= 54) return kAgeBands[2];
  return kAgeBands[3];
}

absl::string_view FollowUpOutcomeKey(PlacementOutcome outcome) {
  const EmployerOutcome merged = EmployerOutcomeOf(outcome);
  return EmployerOutcomeSlug(merged);
}

FollowUpReport ComputeFollowUpReport(const FollowUpEvents& events,
                                     const FollowUpQuery& query) {
  // The participants the filters keep, by id.
  absl::flat_hash_map<absl::string_view, size_t> index;
  std::vector<const FollowUpParticipant*> people;
  for (const FollowUpParticipant& p : events.participants) {
    if (!query.municipality_code.empty() &&
        p.municipality_code != query.municipality_code) {
      continue;
    }
    if (!query.programme_code.empty() &&
        p.programme_code != query.programme_code) {
      continue;
    }
    index.emplace(p.id, people.size());
    people.push_back(&p);
  }
  std::vector<Progress> progress(people.size());

  std::vector<absl::string_view> kinds;
  for (int k = 0; k < kOpeningKindCount; ++k) {
    kinds.push_back(OpeningKindSlug(static_cast<OpeningKind>(k)));
  }
  Tally placements(kinds);
  for (const FollowUpPlacement& placement : events.placements) {
    auto found = index.find(placement.participant_id);
    if (found == index.end()) continue;
    const FollowUpParticipant& person = *people[found->second];
    Progress& mine = progress[found->second];
    if (InPeriod(placement.start_date, query)) {
      placements.Add(static_cast<size_t>(placement.kind), person.gender);
    }
    if (person.entry_date && *person.entry_date <= placement.start_date &&
        (!mine.first_placement ||
         placement.start_date < *mine.first_placement)) {
      mine.first_placement = placement.start_date;
    }
    if (person.exit_date && placement.start_date <= *person.exit_date) {
      const FollowUpPlacement* last = mine.last_before_exit;
      if (last == nullptr || std::tie(last->start_date, last->id) <
                                 std::tie(placement.start_date, placement.id)) {
        mine.last_before_exit = &placement;
      }
    }
  }
  for (const FollowUpStepChange& change : events.step_changes) {
    auto found = index.find(change.participant_id);
    if (found == index.end()) continue;
    if (change.from_step >= 0 && change.to_step > change.from_step &&
        InPeriod(change.on, query)) {
      progress[found->second].moved_up_in_period = true;
    }
  }
  for (const FollowUpSituation& situation : events.situations) {
    auto found = index.find(situation.participant_id);
    if (found == index.end()) continue;
    const FollowUpParticipant& person = *people[found->second];
    // A record of an earlier exit says nothing of this one.
    if (person.exit_date && *person.exit_date == situation.exit_date) {
      progress[found->second].situation = situation.situation;
    }
  }

  std::vector<absl::string_view> bands = {kUnder16};
  bands.insert(bands.end(), kAgeBands.begin(), kAgeBands.end());
  Tally entries(bands);
  Tally exits({kExitOutcomeKeys.begin(), kExitOutcomeKeys.end()});
  std::vector<absl::string_view> situations;
  for (int i = 0; i < kExitSituationCount; ++i) {
    situations.push_back(ExitSituationSlug(static_cast<ExitSituation>(i)));
  }
  situations.push_back(kNotRecorded);
  Tally after_exit(situations);
  ByGender<int> in_programme = {};
  ByGender<int> moved_up = {};
  ByGender<std::vector<int>> days_to_first = {};

  for (size_t i = 0; i < people.size(); ++i) {
    const FollowUpParticipant& person = *people[i];
    const Progress& mine = progress[i];
    const size_t gender = static_cast<size_t>(person.gender);
    if (person.entry_date && InPeriod(*person.entry_date, query)) {
      entries.Add(
          entries.Row(FollowUpAgeBand(person.birth_year, *person.entry_date)),
          person.gender);
      if (mine.first_placement) {
        const int days = static_cast<int>(ToCivil(*mine.first_placement) -
                                          ToCivil(*person.entry_date));
        days_to_first[gender].push_back(days);
        days_to_first[kFollowUpTotal].push_back(days);
      }
    }
    if (person.exit_date && InPeriod(*person.exit_date, query)) {
      absl::string_view outcome = "no_placement";
      if (mine.last_before_exit != nullptr) {
        outcome = mine.last_before_exit->outcome
                      ? FollowUpOutcomeKey(*mine.last_before_exit->outcome)
                      : absl::string_view("not_ended");
      }
      exits.Add(exits.Row(outcome), person.gender);
      after_exit.Add(
          after_exit.Row(mine.situation ? ExitSituationSlug(*mine.situation)
                                        : kNotRecorded),
          person.gender);
    }
    const bool entered_by_end =
        !person.entry_date || *person.entry_date <= query.to;
    const bool still_in_at_start =
        !person.exit_date || query.from <= *person.exit_date;
    if (entered_by_end && still_in_at_start) {
      ++in_programme[gender];
      ++in_programme[kFollowUpTotal];
      if (mine.moved_up_in_period) {
        ++moved_up[gender];
        ++moved_up[kFollowUpTotal];
      }
    }
  }

  FollowUpReport report;
  report.query = query;
  report.entries_by_age_band = entries.Rows(/*skip_empty_first=*/true);
  report.placements_by_kind = placements.Rows();
  report.exits_by_outcome = exits.Rows();
  report.exits_by_situation = after_exit.Rows();
  const ByGender<FollowUpCell> in_programme_shown = ShownCounts(in_programme);
  const ByGender<FollowUpCell> moved_up_shown = ShownCounts(moved_up);
  ByGender<int> with_placement = {};
  for (size_t g = 0; g < with_placement.size(); ++g) {
    with_placement[g] = static_cast<int>(days_to_first[g].size());
  }
  const ByGender<FollowUpCell> with_placement_shown =
      ShownCounts(with_placement);
  for (size_t g = 0; g < report.moved_up.size(); ++g) {
    FollowUpShare& share = report.moved_up[g];
    share.participants = in_programme_shown[g];
    share.moved_up = moved_up_shown[g];
    if (!share.participants.withheld && !share.moved_up.withheld &&
        in_programme[g] > 0) {
      share.share = static_cast<double>(moved_up[g]) / in_programme[g];
    }
    FollowUpMedian& median = report.days_to_first_placement[g];
    const int people_with_one = with_placement[g];
    median.participants = with_placement_shown[g];
    if (!median.participants.withheld && people_with_one > 0) {
      median.median_days = Median(days_to_first[g]);
    }
  }
  return report;
}

}  // namespace placement
