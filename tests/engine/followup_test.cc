// The follow-up report (engine/followup.h): every figure recomputed here from
// the raw events by a plain, separate counting (nested loops over the event
// lists, day numbers from the civil calendar), over randomised event sets;
// small counts withheld; the period's first and last days counted, the days
// outside not; the query's and the situation's rules.

#include "engine/followup.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace placement {
namespace {

using ::testing::HasSubstr;

long DayNumber(const Date& d) {
  return static_cast<long>(absl::CivilDay(d.year, d.month, d.day) -
                           absl::CivilDay(1970, 1, 1));
}

Date FromDayNumber(long n) {
  const absl::CivilDay day = absl::CivilDay(1970, 1, 1) + n;
  return Date{.year = static_cast<int>(day.year()),
              .month = day.month(),
              .day = day.day()};
}

// ---- The reference: obviously-correct counting ------------------------------

const char* const kGenderKeys[] = {"female", "male", "other", "undisclosed"};

// The count in a cell as the report must show it, on its own.
FollowUpCell Expected(int raw) {
  if (raw >= 1 && raw <= 4) return {.withheld = true, .count = 0};
  return {.withheld = false, .count = raw};
}

// A row of four gender counts and their total (raw[4]) as the report must
// show it: each cell on its own, and no total beside a withheld cell.
ByGender<FollowUpCell> ExpectedRow(const ByGender<int>& raw) {
  ByGender<FollowUpCell> cells;
  for (size_t g = 0; g < 5; ++g) cells[g] = Expected(raw[g]);
  for (size_t g = 0; g < 4; ++g) {
    if (cells[g].withheld) cells[4] = {.withheld = true, .count = 0};
  }
  return cells;
}

bool In(long day, long from, long to) { return from <= day && day <= to; }

bool Kept(const FollowUpParticipant& p, const FollowUpQuery& q) {
  return (q.municipality_code.empty() ||
          p.municipality_code == q.municipality_code) &&
         (q.programme_code.empty() || p.programme_code == q.programme_code);
}

std::string AgeBand(int age) {
  if (age < 16) return "under-16";
  if (age < 25) return "16-24";
  if (age < 30) return "25-29";
  if (age < 55) return "30-54";
  return "55+";
}

std::string OutcomeKey(PlacementOutcome outcome) {
  switch (outcome) {
    case PlacementOutcome::kCompleted:
      return "completed";
    case PlacementOutcome::kMovedUp:
      return "moved_up";
    case PlacementOutcome::kUnsubsidisedWork:
      return "unsubsidised_work";
    case PlacementOutcome::kSubsidisedWork:
      return "subsidised_work";
    case PlacementOutcome::kStudies:
      return "studies";
    case PlacementOutcome::kInterruptedByParticipant:
    case PlacementOutcome::kInterruptedByEmployer:
    case PlacementOutcome::kInterruptedForHealth:
    case PlacementOutcome::kInterruptedOther:
      return "interrupted";
  }
  return "?";
}

// The raw count of participants (or placements) of `gender` (-1: any)
// that `matches`.
template <typename Match>
int CountPeople(const FollowUpEvents& events, const FollowUpQuery& q,
                int gender, Match matches) {
  int n = 0;
  for (const FollowUpParticipant& p : events.participants) {
    if (!Kept(p, q)) continue;
    if (gender >= 0 && static_cast<int>(p.gender) != gender) continue;
    if (matches(p)) ++n;
  }
  return n;
}

// The key of the exit of `p` (who exited in the period).
std::string ExitKey(const FollowUpEvents& events,
                    const FollowUpParticipant& p) {
  const FollowUpPlacement* last = nullptr;
  for (const FollowUpPlacement& l : events.placements) {
    if (l.participant_id != p.id) continue;
    if (DayNumber(l.start_date) > DayNumber(*p.exit_date)) continue;
    if (last == nullptr ||
        DayNumber(l.start_date) > DayNumber(last->start_date) ||
        (l.start_date == last->start_date && l.id > last->id)) {
      last = &l;
    }
  }
  if (last == nullptr) return "no_placement";
  if (!last->outcome) return "not_ended";
  return OutcomeKey(*last->outcome);
}

std::string SituationKey(const FollowUpEvents& events,
                         const FollowUpParticipant& p) {
  for (const FollowUpSituation& s : events.situations) {
    if (s.participant_id == p.id && s.exit_date == *p.exit_date) {
      return std::string(ExitSituationSlug(s.situation));
    }
  }
  return "not_recorded";
}

// Days to the first placement on or after entry, or -1.
long DaysToFirst(const FollowUpEvents& events, const FollowUpParticipant& p) {
  long best = -1;
  for (const FollowUpPlacement& l : events.placements) {
    if (l.participant_id != p.id) continue;
    const long days = DayNumber(l.start_date) - DayNumber(*p.entry_date);
    if (days < 0) continue;
    if (best < 0 || days < best) best = days;
  }
  return best;
}

bool MovedUp(const FollowUpEvents& events, const FollowUpParticipant& p,
             long from, long to) {
  for (const FollowUpStepChange& s : events.step_changes) {
    if (s.participant_id == p.id && s.from_step >= 0 &&
        s.to_step > s.from_step && In(DayNumber(s.on), from, to)) {
      return true;
    }
  }
  return false;
}

// Checks every figure of `report` against the reference.
void CheckAgainstReference(const FollowUpEvents& events, const FollowUpQuery& q,
                           const FollowUpReport& report) {
  const long from = DayNumber(q.from);
  const long to = DayNumber(q.to);
  const auto gender_of = [](size_t g) { return g == 4 ? -1 : int(g); };

  // Entries by age band.
  const auto entered = [&](const FollowUpParticipant& p) {
    return p.entry_date && In(DayNumber(*p.entry_date), from, to);
  };
  const int under16 = CountPeople(events, q, -1, [&](const auto& p) {
    return entered(p) && p.entry_date->year - p.birth_year < 16;
  });
  std::vector<std::string> bands = {"16-24", "25-29", "30-54", "55+"};
  if (under16 > 0) bands.insert(bands.begin(), "under-16");
  ASSERT_EQ(report.entries_by_age_band.size(), bands.size());
  for (size_t r = 0; r < bands.size(); ++r) {
    const FollowUpRow& row = report.entries_by_age_band[r];
    EXPECT_EQ(row.key, bands[r]);
    ByGender<int> raw = {};
    for (size_t g = 0; g < 5; ++g) {
      raw[g] = CountPeople(events, q, gender_of(g), [&](const auto& p) {
        return entered(p) &&
               AgeBand(p.entry_date->year - p.birth_year) == bands[r];
      });
    }
    EXPECT_EQ(row.counts, ExpectedRow(raw)) << "entries " << bands[r];
  }

  // Placements started by kind.
  ASSERT_EQ(report.placements_by_kind.size(), size_t{kOpeningKindCount});
  for (int k = 0; k < kOpeningKindCount; ++k) {
    const FollowUpRow& row = report.placements_by_kind[static_cast<size_t>(k)];
    EXPECT_EQ(row.key, OpeningKindSlug(static_cast<OpeningKind>(k)));
    ByGender<int> raw = {};
    for (size_t g = 0; g < 5; ++g) {
      for (const FollowUpPlacement& l : events.placements) {
        if (static_cast<int>(l.kind) != k) continue;
        if (!In(DayNumber(l.start_date), from, to)) continue;
        for (const FollowUpParticipant& p : events.participants) {
          if (p.id == l.participant_id && Kept(p, q) &&
              (gender_of(g) < 0 ||
               static_cast<int>(p.gender) == gender_of(g))) {
            ++raw[g];
          }
        }
      }
    }
    EXPECT_EQ(row.counts, ExpectedRow(raw)) << "placements " << row.key;
  }

  // Exits by outcome and by situation.
  const auto exited = [&](const FollowUpParticipant& p) {
    return p.exit_date && In(DayNumber(*p.exit_date), from, to);
  };
  const std::vector<std::string> outcome_keys = {
      "completed", "moved_up",    "unsubsidised_work", "subsidised_work",
      "studies",   "interrupted", "not_ended",         "no_placement"};
  ASSERT_EQ(report.exits_by_outcome.size(), outcome_keys.size());
  for (size_t r = 0; r < outcome_keys.size(); ++r) {
    const FollowUpRow& row = report.exits_by_outcome[r];
    EXPECT_EQ(row.key, outcome_keys[r]);
    ByGender<int> raw = {};
    for (size_t g = 0; g < 5; ++g) {
      raw[g] = CountPeople(events, q, gender_of(g), [&](const auto& p) {
        return exited(p) && ExitKey(events, p) == outcome_keys[r];
      });
    }
    EXPECT_EQ(row.counts, ExpectedRow(raw)) << "exits " << row.key;
  }
  const std::vector<std::string> situation_keys = {
      "unsubsidised_work", "subsidised_work", "studies",
      "job_seeking",       "other",           "not_recorded"};
  ASSERT_EQ(report.exits_by_situation.size(), situation_keys.size());
  for (size_t r = 0; r < situation_keys.size(); ++r) {
    const FollowUpRow& row = report.exits_by_situation[r];
    EXPECT_EQ(row.key, situation_keys[r]);
    ByGender<int> raw = {};
    for (size_t g = 0; g < 5; ++g) {
      raw[g] = CountPeople(events, q, gender_of(g), [&](const auto& p) {
        return exited(p) && SituationKey(events, p) == situation_keys[r];
      });
    }
    EXPECT_EQ(row.counts, ExpectedRow(raw)) << "situation " << row.key;
  }

  // Moved up, and the median days to the first placement.
  const auto in_programme = [&](const FollowUpParticipant& p) {
    return (!p.entry_date || DayNumber(*p.entry_date) <= to) &&
           (!p.exit_date || DayNumber(*p.exit_date) >= from);
  };
  ByGender<int> people = {};
  ByGender<int> up = {};
  ByGender<std::vector<long>> days = {};
  for (size_t g = 0; g < 5; ++g) {
    people[g] = CountPeople(events, q, gender_of(g), in_programme);
    up[g] = CountPeople(events, q, gender_of(g), [&](const auto& p) {
      return in_programme(p) && MovedUp(events, p, from, to);
    });
    for (const FollowUpParticipant& p : events.participants) {
      if (!Kept(p, q) || !entered(p)) continue;
      if (gender_of(g) >= 0 && static_cast<int>(p.gender) != gender_of(g))
        continue;
      if (long d = DaysToFirst(events, p); d >= 0) days[g].push_back(d);
    }
  }
  ByGender<int> with_placement = {};
  for (size_t g = 0; g < 5; ++g) {
    with_placement[g] = static_cast<int>(days[g].size());
  }
  const ByGender<FollowUpCell> people_cells = ExpectedRow(people);
  const ByGender<FollowUpCell> up_cells = ExpectedRow(up);
  const ByGender<FollowUpCell> median_cells = ExpectedRow(with_placement);
  for (size_t g = 0; g < 5; ++g) {
    const FollowUpShare& share = report.moved_up[g];
    EXPECT_EQ(share.participants, people_cells[g]);
    EXPECT_EQ(share.moved_up, up_cells[g]);
    if (people[g] > 0 && !people_cells[g].withheld && !up_cells[g].withheld) {
      ASSERT_TRUE(share.share.has_value());
      EXPECT_DOUBLE_EQ(*share.share, double(up[g]) / people[g]);
    } else {
      EXPECT_FALSE(share.share.has_value());
    }

    const FollowUpMedian& median = report.days_to_first_placement[g];
    const int n = with_placement[g];
    EXPECT_EQ(median.participants, median_cells[g]);
    if (n > 0 && !median_cells[g].withheld) {
      std::vector<long>& sorted = days[g];
      std::sort(sorted.begin(), sorted.end());
      const double expected = n % 2 == 1 ? double(sorted[size_t(n / 2)])
                                         : (double(sorted[size_t(n / 2 - 1)]) +
                                            double(sorted[size_t(n / 2)])) /
                                               2;
      ASSERT_TRUE(median.median_days.has_value());
      EXPECT_DOUBLE_EQ(*median.median_days, expected);
    } else {
      EXPECT_FALSE(median.median_days.has_value());
    }
  }
}

// ---- Random events ----------------------------------------------------------

FollowUpEvents RandomEvents(uint32_t seed, int participants) {
  std::mt19937 rng(seed);
  auto uniform = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  const long start = DayNumber({2024, 1, 1});
  const char* const municipalities[] = {"0136", "0880", "1490"};
  const char* const programmes[] = {"", "22-014-S05", "22-046-S01"};
  FollowUpEvents events;
  int placement_serial = 0;
  for (int i = 0; i < participants; ++i) {
    FollowUpParticipant p;
    p.id = absl::StrCat("P", 1000000 + i);
    // Mostly women and men, so that some cells are large and others small.
    const int g = uniform(0, 19);
    p.gender = g < 9    ? Gender::kFemale
               : g < 18 ? Gender::kMale
               : g < 19 ? Gender::kOther
                        : Gender::kUndisclosed;
    p.municipality_code = municipalities[uniform(0, 2)];
    p.programme_code = programmes[uniform(0, 2)];
    if (uniform(0, 9) > 0) {
      p.entry_date = FromDayNumber(start + uniform(0, 900));
      p.birth_year = p.entry_date->year - uniform(15, 66);
    } else {
      p.birth_year = uniform(1960, 2008);
    }
    const long entry = p.entry_date ? DayNumber(*p.entry_date) : start;
    long day = entry;
    const int placements = uniform(0, 3);
    for (int k = 0; k < placements; ++k) {
      day += uniform(-20, 120);  // now and then one before the entry
      FollowUpPlacement l{
          .id = absl::StrFormat("L%07d", ++placement_serial),
          .participant_id = p.id,
          .kind = static_cast<OpeningKind>(uniform(0, kOpeningKindCount - 1)),
          .start_date = FromDayNumber(day)};
      if (uniform(0, 4) > 0) {
        day += uniform(0, 90);
        l.end_date = FromDayNumber(day);
        l.outcome = static_cast<PlacementOutcome>(
            uniform(0, kPlacementOutcomeCount - 1));
      }
      events.placements.push_back(l);
    }
    if (uniform(0, 2) == 0) {
      p.exit_date = FromDayNumber(day + uniform(0, 60));
      const int record = uniform(0, 3);
      if (record > 0) {
        events.situations.push_back(
            {.participant_id = p.id,
             // Now and then a record of an earlier exit.
             .exit_date = record == 3
                              ? FromDayNumber(DayNumber(*p.exit_date) - 1)
                              : *p.exit_date,
             .situation = static_cast<ExitSituation>(
                 uniform(0, kExitSituationCount - 1))});
      }
    }
    int step = uniform(0, 3);
    events.step_changes.push_back({.participant_id = p.id,
                                   .on = FromDayNumber(entry),
                                   .from_step = -1,
                                   .to_step = step});
    for (int k = uniform(0, 3); k > 0; --k) {
      const int next = std::clamp(step + uniform(-1, 2), 0, 5);
      events.step_changes.push_back(
          {.participant_id = p.id,
           .on = FromDayNumber(entry + uniform(0, 700)),
           .from_step = step,
           .to_step = next});
      step = next;
    }
    events.participants.push_back(p);
  }
  // Records of someone erased since are ignored.
  events.placements.push_back({.id = "L9999999",
                               .participant_id = "P9999999",
                               .start_date = {2025, 1, 1}});
  std::shuffle(events.placements.begin(), events.placements.end(), rng);
  std::shuffle(events.step_changes.begin(), events.step_changes.end(), rng);
  return events;
}

TEST(FollowUpReportTest, MatchesTheReferenceOnRandomEvents) {
  const std::vector<FollowUpQuery> queries = {
      {.from = {2024, 1, 1}, .to = {2026, 12, 31}},
      {.from = {2025, 1, 1}, .to = {2025, 12, 31}},
      {.from = {2025, 3, 15}, .to = {2025, 3, 31}},
      {.from = {2024, 6, 1}, .to = {2025, 5, 31}, .municipality_code = "0136"},
      {.from = {2024, 6, 1},
       .to = {2025, 5, 31},
       .programme_code = "22-014-S05"},
      {.from = {2024, 1, 1},
       .to = {2025, 12, 31},
       .municipality_code = "0880",
       .programme_code = "22-046-S01"},
  };
  for (uint32_t seed : {1u, 2u, 3u, 17u, 4242u}) {
    for (int size : {30, 400}) {
      const FollowUpEvents events = RandomEvents(seed, size);
      for (const FollowUpQuery& q : queries) {
        SCOPED_TRACE(absl::StrCat(
            "seed ", seed, ", ", size, " people, ", FormatDate(q.from), "..",
            FormatDate(q.to), " ", q.municipality_code, " ", q.programme_code));
        CheckAgainstReference(events, q, ComputeFollowUpReport(events, q));
      }
    }
  }
}

TEST(FollowUpReportTest, TheSameEventsInAnyOrderGiveTheSameReport) {
  FollowUpEvents events = RandomEvents(9, 300);
  const FollowUpQuery q{.from = {2024, 1, 1}, .to = {2025, 12, 31}};
  const FollowUpReport first = ComputeFollowUpReport(events, q);
  std::reverse(events.participants.begin(), events.participants.end());
  std::reverse(events.placements.begin(), events.placements.end());
  std::reverse(events.situations.begin(), events.situations.end());
  const FollowUpReport second = ComputeFollowUpReport(events, q);
  ASSERT_EQ(first.exits_by_outcome.size(), second.exits_by_outcome.size());
  for (size_t r = 0; r < first.exits_by_outcome.size(); ++r) {
    EXPECT_EQ(first.exits_by_outcome[r].counts,
              second.exits_by_outcome[r].counts);
  }
  for (size_t g = 0; g < 5; ++g) {
    EXPECT_EQ(first.days_to_first_placement[g].median_days,
              second.days_to_first_placement[g].median_days);
  }
}

TEST(FollowUpReportTest, NoEventsGiveZeroesAndNoShares) {
  const FollowUpReport report =
      ComputeFollowUpReport({}, {.from = {2025, 1, 1}, .to = {2025, 12, 31}});
  ASSERT_EQ(report.entries_by_age_band.size(), 4u);  // no under-16 row
  EXPECT_EQ(report.entries_by_age_band[0].key, "16-24");
  for (const FollowUpRow& row : report.exits_by_outcome) {
    EXPECT_EQ(row.counts[kFollowUpTotal], FollowUpCell{});
  }
  EXPECT_FALSE(report.moved_up[kFollowUpTotal].share.has_value());
  EXPECT_FALSE(
      report.days_to_first_placement[kFollowUpTotal].median_days.has_value());
}

// ---- Small counts -----------------------------------------------------------

FollowUpParticipant Woman(int i, Date entry, int birth_year = 1990) {
  return {.id = absl::StrCat("P", 2000000 + i),
          .gender = Gender::kFemale,
          .birth_year = birth_year,
          .municipality_code = "0136",
          .entry_date = entry};
}

TEST(FollowUpReportTest, CountsOfOneToFourAreWithheld) {
  const FollowUpQuery q{.from = {2025, 1, 1}, .to = {2025, 12, 31}};
  for (int n = 0; n <= 6; ++n) {
    FollowUpEvents events;
    for (int i = 0; i < n; ++i)
      events.participants.push_back(Woman(i, {2025, 5, 1}));
    const FollowUpReport report = ComputeFollowUpReport(events, q);
    const FollowUpRow& band = report.entries_by_age_band[2];  // 30-54
    ASSERT_EQ(band.key, "30-54");
    const FollowUpCell female =
        band.counts[static_cast<size_t>(Gender::kFemale)];
    const FollowUpCell total = band.counts[kFollowUpTotal];
    if (n >= 1 && n <= 4) {
      EXPECT_TRUE(female.withheld) << n;
      EXPECT_EQ(female.count, 0) << "a withheld cell holds no number";
      EXPECT_TRUE(total.withheld);
    } else {
      EXPECT_EQ(female, (FollowUpCell{.withheld = false, .count = n}));
      EXPECT_EQ(total, female);
    }
    // Men: none, shown as 0.
    EXPECT_EQ(band.counts[static_cast<size_t>(Gender::kMale)], FollowUpCell{});
  }
  EXPECT_EQ(kFollowUpWithheldBelow, kAuditMinGroup);
}

// Whoever reads a row knows the rule, the cells shown, and that the total
// is the sum of the four gender cells. Every raw row that the rule would
// publish the same way is possible to them; a withheld cell is given away
// when all those rows agree on it. Checked by trying every such raw row
// (every withheld cell is 1 or more, since a 0 is always shown).
TEST(FollowUpReportTest, NoWithheldCellCanBeWorkedOutFromTheRow) {
  std::mt19937 random(14);
  // Mostly small counts, so that rows withhold one, two or more cells.
  std::discrete_distribution<int> size({6, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1});
  int total_withheld_seen = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    ByGender<int> raw = {};
    for (size_t g = 0; g < 4; ++g) {
      raw[g] = size(random) * (trial % 3 == 0 ? 2 : 1);
      raw[kFollowUpTotal] += raw[g];
    }
    const ByGender<FollowUpCell> shown = ShownCounts(raw);
    // The report's own rows agree with ShownCounts.
    ASSERT_EQ(shown, ExpectedRow(raw));
    std::vector<size_t> hidden;
    for (size_t g = 0; g < 4; ++g) {
      if (shown[g].withheld) {
        hidden.push_back(g);
      } else {
        ASSERT_EQ(shown[g].count, raw[g]);  // a shown cell says its count
      }
    }
    if (shown[kFollowUpTotal].withheld && raw[kFollowUpTotal] >= 5) {
      ++total_withheld_seen;
    }
    if (hidden.empty() && !shown[kFollowUpTotal].withheld) continue;
    // Every assignment to the withheld gender cells: each 1 or more and,
    // with the total shown, adding up to it (so the last is the rest); with
    // the total withheld, each up to 5 (a cell of 5 or more is shown; fewer
    // candidates only make the check stricter).
    const bool total_shown = !shown[kFollowUpTotal].withheld;
    int rest = raw[kFollowUpTotal];
    for (size_t g = 0; g < 4; ++g) rest -= shown[g].withheld ? 0 : raw[g];
    const int bound = total_shown ? rest : 5;
    const size_t free = total_shown ? hidden.size() - 1 : hidden.size();
    // Possible values of each cell (the total up to 4 * 22 + 4 * 5).
    std::vector<std::vector<bool>> possible(5, std::vector<bool>(128, false));
    std::vector<int> values(free, 1);
    for (;;) {
      ByGender<int> candidate = raw;
      int used = 0;
      for (size_t i = 0; i < free; ++i) {
        candidate[hidden[i]] = values[i];
        used += values[i];
      }
      if (total_shown) candidate[hidden.back()] = rest - used;
      candidate[kFollowUpTotal] = 0;
      for (size_t g = 0; g < 4; ++g) candidate[kFollowUpTotal] += candidate[g];
      if ((!total_shown || candidate[hidden.back()] >= 1) &&
          ShownCounts(candidate) == shown) {
        for (size_t g = 0; g < 5; ++g) {
          if (shown[g].withheld)
            possible[g][static_cast<size_t>(candidate[g])] = true;
        }
      }
      size_t i = 0;
      while (i < values.size() && ++values[i] > bound) values[i++] = 1;
      if (i == values.size()) break;
    }
    for (size_t g = 0; g < 5; ++g) {
      if (!shown[g].withheld) continue;
      ASSERT_TRUE(possible[g][static_cast<size_t>(raw[g])]);
      const int values_possible = static_cast<int>(
          std::count(possible[g].begin(), possible[g].end(), true));
      EXPECT_GE(values_possible, 2)
          << "cell " << g << " of {" << raw[0] << ", " << raw[1] << ", "
          << raw[2] << ", " << raw[3] << " = " << raw[4]
          << "} can be worked out";
    }
  }
  // The trials cover the total withheld for a cell's sake.
  EXPECT_GT(total_withheld_seen, 0);
}

TEST(FollowUpReportTest, ARowWithAWithheldCellWithholdsItsTotal) {
  // 4 undisclosed: the total 14 minus 5 and 5 would give it.
  ByGender<FollowUpCell> cells = ShownCounts({5, 0, 5, 4, 14});
  EXPECT_EQ(cells[0], (FollowUpCell{false, 5}));
  EXPECT_EQ(cells[1], (FollowUpCell{false, 0}));
  EXPECT_EQ(cells[2], (FollowUpCell{false, 5}));
  EXPECT_TRUE(cells[3].withheld);
  EXPECT_TRUE(cells[4].withheld);
  EXPECT_EQ(cells[4].count, 0);
  // Nothing withheld: the total is shown.
  EXPECT_EQ(ShownCounts({5, 0, 0, 6, 11})[4], (FollowUpCell{false, 11}));
  EXPECT_EQ(ShownCounts({0, 0, 0, 0, 0})[4], (FollowUpCell{false, 0}));
  // In a report: 6 women and 2 men entered; the total 8 is withheld.
  FollowUpEvents events;
  for (int i = 0; i < 8; ++i) {
    FollowUpParticipant p = Woman(i, {2025, 5, 1});
    if (i >= 6) p.gender = Gender::kMale;
    events.participants.push_back(p);
  }
  const FollowUpReport report = ComputeFollowUpReport(
      events, {.from = {2025, 1, 1}, .to = {2025, 12, 31}});
  const FollowUpRow& band = report.entries_by_age_band[2];
  ASSERT_EQ(band.key, "30-54");
  EXPECT_EQ(band.counts[static_cast<size_t>(Gender::kFemale)],
            (FollowUpCell{false, 6}));
  EXPECT_TRUE(band.counts[static_cast<size_t>(Gender::kMale)].withheld);
  EXPECT_TRUE(band.counts[kFollowUpTotal].withheld);
  // The share who moved up: 8 in the programme, the total withheld too.
  EXPECT_TRUE(report.moved_up[kFollowUpTotal].participants.withheld);
  EXPECT_FALSE(report.moved_up[kFollowUpTotal].share);
}

TEST(FollowUpReportTest, ASmallShareOrMedianIsWithheld) {
  const FollowUpQuery q{.from = {2025, 1, 1}, .to = {2025, 12, 31}};
  FollowUpEvents events;
  // Ten women entered in 2025; three moved up, four had a placement.
  for (int i = 0; i < 10; ++i) {
    FollowUpParticipant p = Woman(i, {2025, 2, 1});
    if (i < 3) {
      events.step_changes.push_back({.participant_id = p.id,
                                     .on = {2025, 6, 1},
                                     .from_step = 1,
                                     .to_step = 2});
    }
    if (i < 4) {
      events.placements.push_back({.id = absl::StrCat("L", i),
                                   .participant_id = p.id,
                                   .start_date = {2025, 3, 1}});
    }
    events.participants.push_back(p);
  }
  FollowUpReport report = ComputeFollowUpReport(events, q);
  const FollowUpShare& share = report.moved_up[kFollowUpTotal];
  EXPECT_EQ(share.participants, (FollowUpCell{false, 10}));
  EXPECT_TRUE(share.moved_up.withheld);
  EXPECT_FALSE(share.share.has_value()) << "3 of 10 would tell the 3";
  EXPECT_TRUE(
      report.days_to_first_placement[kFollowUpTotal].participants.withheld);
  EXPECT_FALSE(report.days_to_first_placement[kFollowUpTotal].median_days);

  // Two more moved up and one more had a placement: shown.
  for (int i = 3; i < 5; ++i) {
    events.step_changes.push_back({.participant_id = events.participants[i].id,
                                   .on = {2025, 7, 1},
                                   .from_step = 1,
                                   .to_step = 3});
  }
  events.placements.push_back({.id = "L9",
                               .participant_id = events.participants[9].id,
                               .start_date = {2025, 4, 2}});
  report = ComputeFollowUpReport(events, q);
  ASSERT_TRUE(report.moved_up[kFollowUpTotal].share.has_value());
  EXPECT_DOUBLE_EQ(*report.moved_up[kFollowUpTotal].share, 0.5);
  // 28, 28, 28, 28, 60 days: the median is 28.
  ASSERT_TRUE(report.days_to_first_placement[kFollowUpTotal].median_days);
  EXPECT_DOUBLE_EQ(*report.days_to_first_placement[kFollowUpTotal].median_days,
                   28);
}

// ---- The period's boundaries ------------------------------------------------

TEST(FollowUpReportTest, TheFirstAndLastDaysCountAndTheDaysOutsideDoNot) {
  const FollowUpQuery q{.from = {2025, 3, 1}, .to = {2025, 3, 31}};
  const std::vector<Date> inside = {{2025, 3, 1}, {2025, 3, 31}};
  const std::vector<Date> outside = {{2025, 2, 28}, {2025, 4, 1}};
  FollowUpEvents events;
  int i = 0;
  // Five participants on each day, so that no cell is withheld.
  for (const std::vector<Date>* days : {&inside, &outside}) {
    for (const Date& day : *days) {
      for (int k = 0; k < 5; ++k, ++i) {
        FollowUpParticipant p = Woman(i, day);
        p.exit_date = day;
        events.placements.push_back({.id = absl::StrFormat("L%07d", i),
                                     .participant_id = p.id,
                                     .kind = OpeningKind::kSocialEnterprise,
                                     .start_date = day,
                                     .end_date = day,
                                     .outcome = PlacementOutcome::kStudies});
        events.step_changes.push_back(
            {.participant_id = p.id, .on = day, .from_step = 2, .to_step = 3});
        events.participants.push_back(p);
      }
    }
  }
  const FollowUpReport report = ComputeFollowUpReport(events, q);
  const auto total = [](const std::vector<FollowUpRow>& rows,
                        absl::string_view key) {
    for (const FollowUpRow& row : rows) {
      if (row.key == key) return row.counts[kFollowUpTotal].count;
    }
    return -1;
  };
  EXPECT_EQ(total(report.entries_by_age_band, "30-54"), 10);
  EXPECT_EQ(total(report.placements_by_kind, "social_enterprise"), 10);
  EXPECT_EQ(total(report.exits_by_outcome, "studies"), 10);
  EXPECT_EQ(total(report.exits_by_situation, "not_recorded"), 10);
  // In the programme during March: entered by the 31st and not gone before
  // the 1st (those who exited on 28 February are not; those who entered on
  // 1 April are not); moved up in March: the 10 of March.
  EXPECT_EQ(report.moved_up[kFollowUpTotal].participants.count, 10);
  EXPECT_EQ(report.moved_up[kFollowUpTotal].moved_up.count, 10);
  EXPECT_EQ(report.days_to_first_placement[kFollowUpTotal].participants.count,
            10);
  EXPECT_DOUBLE_EQ(*report.days_to_first_placement[kFollowUpTotal].median_days,
                   0);
}

TEST(FollowUpReportTest, AgeBandsAtEntry) {
  EXPECT_EQ(FollowUpAgeBand(2010, {2025, 1, 1}), "under-16");
  EXPECT_EQ(FollowUpAgeBand(2009, {2025, 1, 1}), "16-24");
  EXPECT_EQ(FollowUpAgeBand(2001, {2025, 1, 1}), "16-24");
  EXPECT_EQ(FollowUpAgeBand(2000, {2025, 1, 1}), "25-29");
  EXPECT_EQ(FollowUpAgeBand(1996, {2025, 1, 1}), "25-29");
  EXPECT_EQ(FollowUpAgeBand(1995, {2025, 1, 1}), "30-54");
  EXPECT_EQ(FollowUpAgeBand(1971, {2025, 1, 1}), "30-54");
  EXPECT_EQ(FollowUpAgeBand(1970, {2025, 1, 1}), "55+");
}

TEST(FollowUpReportTest, HealthReasonsAreOneInterruptedCount) {
  EXPECT_EQ(FollowUpOutcomeKey(PlacementOutcome::kInterruptedForHealth),
            "interrupted");
  EXPECT_EQ(FollowUpOutcomeKey(PlacementOutcome::kInterruptedByEmployer),
            "interrupted");
  EXPECT_EQ(FollowUpOutcomeKey(PlacementOutcome::kStudies), "studies");
}

// ---- The query's and the situation's rules
// -----------------------------------

TEST(FollowUpQueryTest, RefusesBadPeriodsAndUnknownCodesNamingTheField) {
  const ReferenceData& reference = placement::testing::Reference();
  const auto error = [&](FollowUpQuery q) {
    return std::string(CheckFollowUpQuery(q, reference).message());
  };
  EXPECT_TRUE(
      CheckFollowUpQuery({.from = {2025, 1, 1}, .to = {2025, 1, 1}}, reference)
          .ok());
  EXPECT_THAT(error({.from = {2025, 2, 30}, .to = {2025, 3, 1}}),
              HasSubstr("from_date: 2025-02-30 is not a valid date"));
  EXPECT_THAT(error({.from = {2025, 2, 1}, .to = {}}), HasSubstr("to_date"));
  EXPECT_THAT(error({.from = {2025, 2, 1}, .to = {2025, 1, 31}}),
              HasSubstr("to_date: 2025-01-31 is before from_date 2025-02-01"));
  EXPECT_TRUE(CheckFollowUpQuery({.from = {2024, 1, 1}, .to = {2026, 12, 31}},
                                 reference)
                  .ok());
  EXPECT_THAT(error({.from = {2024, 1, 1}, .to = {2027, 1, 1}}),
              HasSubstr("at most 1096"));
  EXPECT_THAT(error({.from = {2025, 1, 1},
                     .to = {2025, 2, 1},
                     .municipality_code = "9999"}),
              HasSubstr("municipality_code: \"9999\""));
  EXPECT_THAT(error({.from = {2025, 1, 1},
                     .to = {2025, 2, 1},
                     .programme_code = "22-999-S99"}),
              HasSubstr("programme_code: \"22-999-S99\" is not a known "
                        "programme"));
  EXPECT_TRUE(CheckFollowUpQuery({.from = {2025, 1, 1},
                                  .to = {2025, 2, 1},
                                  .programme_code = "2016/00112"},
                                 reference)
                  .ok());
}

TEST(ExitFollowUpTest, FromOneHundredAndFiftyDaysAfterTheExit) {
  Participant p;
  p.id = "P0000001";
  p.status = ParticipantStatus::kExited;
  p.exit_date = Date{2025, 1, 1};
  const Date today = {2025, 12, 1};
  // 2025-05-31 is 150 days after 2025-01-01.
  EXPECT_TRUE(CheckExitFollowUp(p, {2025, 5, 31}, today, "checked_on").ok());
  const absl::Status early =
      CheckExitFollowUp(p, {2025, 5, 30}, today, "checked_on");
  EXPECT_EQ(early.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(early.message(),
              HasSubstr("checked_on: 2025-05-30 is 149 days after the exit "
                        "2025-01-01; at least 150"));
  EXPECT_THAT(
      CheckExitFollowUp(p, {2025, 12, 2}, today, "checked_on").message(),
      HasSubstr("after today"));
  EXPECT_THAT(
      CheckExitFollowUp(p, {2025, 2, 30}, today, "checked_on").message(),
      HasSubstr("not a date"));
  p.status = ParticipantStatus::kActive;
  p.exit_date.reset();
  EXPECT_EQ(CheckExitFollowUp(p, {2025, 6, 1}, today, "checked_on").code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ExitFollowUpTest, SituationSlugsRoundTrip) {
  for (int i = 0; i < kExitSituationCount; ++i) {
    const auto s = static_cast<ExitSituation>(i);
    EXPECT_EQ(*ParseExitSituation(ExitSituationSlug(s)), s);
  }
  EXPECT_THAT(ParseExitSituation("employed").status().message(),
              HasSubstr("job_seeking"));
}

}  // namespace
}  // namespace placement
