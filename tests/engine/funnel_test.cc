// The decision funnel (engine/funnel.h): its numbers against a slow,
// obviously-correct count from the raw events over random worlds (shares
// never above 1, conversions nested), small groups withheld, a planted skew
// flagged at the right stage and only there, period boundaries, and the
// empty and zero-denominator cases.

#include "engine/funnel.h"

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace placement {
namespace {

Date Day(int year, int month, int day) {
  return Date{.year = year, .month = month, .day = day};
}

Date AddDays(const Date& date, int days) {
  const absl::CivilDay day =
      absl::CivilDay(date.year, date.month, date.day) + days;
  return Day(static_cast<int>(day.year()), day.month(), day.day());
}

FunnelParticipant Person(std::string id) {
  FunnelParticipant p;
  p.id = std::move(id);
  p.gender = Gender::kFemale;
  p.birth_year = 1990;
  p.municipality_code = "1480";
  return p;
}

const FunnelGroupResult* Find(const DecisionFunnel& funnel,
                              absl::string_view dimension,
                              absl::string_view group) {
  for (const FunnelGroupResult& g : funnel.groups) {
    if (g.dimension == dimension && g.group == group) return &g;
  }
  return nullptr;
}

const FunnelStageResult& Stage(const FunnelGroupResult& group,
                               FunnelStage stage) {
  return group.stages[static_cast<size_t>(stage)];
}

// ---- The slow reference ----------------------------------------------

bool Between(const Date& day, const Date& from, const Date& to) {
  return !(day < from) && !(to < day);
}

// Whether participant `p` reached `stage` in [from, to], by looking at every
// event.
bool ReachedSlowly(const FunnelEvents& events, const FunnelParticipant& p,
                   FunnelStage stage, const Date& from, const Date& to) {
  switch (stage) {
    case FunnelStage::kSuggested:
      for (const FunnelSuggestion& s : events.suggestions) {
        if (s.participant_id == p.id && Between(s.on, from, to)) return true;
      }
      return false;
    case FunnelStage::kProposed:
      for (const FunnelProposal& x : events.proposals) {
        if (x.participant_id == p.id && Between(x.proposed_on, from, to))
          return true;
      }
      return false;
    case FunnelStage::kAccepted:
      for (const FunnelProposal& x : events.proposals) {
        if (x.participant_id == p.id && x.accepted_on &&
            Between(*x.accepted_on, from, to))
          return true;
      }
      return false;
    case FunnelStage::kStarted:
      for (const FunnelPlacement& x : events.placements) {
        if (x.participant_id == p.id && Between(x.start_date, from, to))
          return true;
      }
      return false;
    case FunnelStage::kGoodOutcome:
      for (const FunnelPlacement& x : events.placements) {
        if (x.participant_id != p.id || !x.end_date ||
            !Between(*x.end_date, from, to))
          continue;
        const PlacementOutcome o = *x.outcome;
        if (o == PlacementOutcome::kCompleted ||
            o == PlacementOutcome::kMovedUp ||
            o == PlacementOutcome::kUnsubsidisedWork ||
            o == PlacementOutcome::kSubsidisedWork ||
            o == PlacementOutcome::kStudies)
          return true;
      }
      return false;
  }
  return false;
}

bool IsGoodSlowly(PlacementOutcome o) {
  return o == PlacementOutcome::kCompleted || o == PlacementOutcome::kMovedUp ||
         o == PlacementOutcome::kUnsubsidisedWork ||
         o == PlacementOutcome::kSubsidisedWork ||
         o == PlacementOutcome::kStudies;
}

// Whether one record carried `p` from the stage before `stage` to `stage`
// within [from, to], by looking at every pair of events.
bool ConvertedSlowly(const FunnelEvents& events, const FunnelParticipant& p,
                     FunnelStage stage, const Date& from, const Date& to) {
  auto accepted_in_period = [&](const FunnelProposal& x) {
    return x.participant_id == p.id && x.accepted_on &&
           Between(*x.accepted_on, from, to);
  };
  switch (stage) {
    case FunnelStage::kAccepted:
      for (const FunnelProposal& x : events.proposals) {
        if (accepted_in_period(x) && Between(x.proposed_on, from, to))
          return true;
      }
      return false;
    case FunnelStage::kStarted:
      for (const FunnelPlacement& x : events.placements) {
        if (x.participant_id != p.id || !Between(x.start_date, from, to) ||
            x.proposal_id.empty())
          continue;
        for (const FunnelProposal& y : events.proposals) {
          if (y.id == x.proposal_id && accepted_in_period(y)) return true;
        }
      }
      return false;
    case FunnelStage::kGoodOutcome:
      for (const FunnelPlacement& x : events.placements) {
        if (x.participant_id == p.id && Between(x.start_date, from, to) &&
            x.end_date && Between(*x.end_date, from, to) &&
            IsGoodSlowly(*x.outcome))
          return true;
      }
      return false;
    default:
      return false;
  }
}

bool InGroupSlowly(const FunnelParticipant& p, absl::string_view dimension,
                   absl::string_view group, const Date& to) {
  if (dimension == "gender") return GenderSlug(p.gender) == group;
  if (dimension == "born_abroad")
    return (p.born_abroad ? "yes" : "no") == group;
  if (dimension == "age_band") {
    const int age = to.year - p.birth_year;
    std::string band = age < 16   ? "under-16"
                       : age < 25 ? "16-24"
                       : age < 30 ? "25-29"
                       : age < 55 ? "30-54"
                                  : "55+";
    return band == group;
  }
  if (dimension == "target_group") {
    if (group == "none") return p.target_groups.empty();
    for (TargetGroup g : p.target_groups) {
      if (TargetGroupSlug(g) == group) return true;
    }
    return false;
  }
  return p.municipality_code == group;
}

struct SlowGroup {
  int participants = 0;
  int reached[kFunnelStageCount] = {};
  int converted[kFunnelStageCount] = {};
};

SlowGroup CountSlowly(const FunnelEvents& events, absl::string_view dimension,
                      absl::string_view group, const Date& from,
                      const Date& to) {
  SlowGroup result;
  for (const FunnelParticipant& p : events.participants) {
    if (p.exit_date && *p.exit_date < from) continue;
    if (p.entry_date && to < *p.entry_date) continue;
    if (!dimension.empty() && !InGroupSlowly(p, dimension, group, to)) continue;
    ++result.participants;
    for (int s = 0; s < kFunnelStageCount; ++s) {
      if (ReachedSlowly(events, p, static_cast<FunnelStage>(s), from, to))
        ++result.reached[s];
      if (ConvertedSlowly(events, p, static_cast<FunnelStage>(s), from, to))
        ++result.converted[s];
    }
  }
  return result;
}

// The groups of `dimension` (those listed in `groups`, in order) that are
// withheld: under 5 people, and, in a dimension where each person is in one
// group, the smallest shown while the withheld ones add up to 1..4.
std::vector<std::string> WithheldSlowly(const FunnelEvents& events,
                                        const std::string& dimension,
                                        const std::vector<std::string>& groups,
                                        const Date& from, const Date& to) {
  std::vector<int> people;
  std::vector<bool> withheld;
  int sum = 0;
  for (const std::string& group : groups) {
    people.push_back(
        CountSlowly(events, dimension, group, from, to).participants);
    withheld.push_back(people.back() > 0 && people.back() < 5);
    if (withheld.back()) sum += people.back();
  }
  while (dimension != "target_group" && sum > 0 && sum < 5) {
    int best = -1;
    for (size_t i = 0; i < groups.size(); ++i) {
      if (withheld[i] || people[i] == 0) continue;
      if (best < 0 || people[i] < people[static_cast<size_t>(best)]) {
        best = static_cast<int>(i);
      }
    }
    if (best < 0) break;
    withheld[static_cast<size_t>(best)] = true;
    sum += people[static_cast<size_t>(best)];
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (withheld[i]) out.push_back(groups[i]);
  }
  return out;
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// ---- Random worlds ---------------------------------------------------

FunnelEvents RandomWorld(uint32_t seed, int people) {
  std::mt19937 random(seed);
  auto chance = [&](double p) {
    return std::uniform_real_distribution<double>(0, 1)(random) < p;
  };
  auto pick = [&](int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(random);
  };
  const Date base = Day(2026, 1, 1);
  auto day = [&] { return AddDays(base, pick(240)); };
  const std::vector<std::string> municipalities = {"1480", "0180", "1280",
                                                   "2480", "0114"};
  FunnelEvents events;
  for (int i = 0; i < people; ++i) {
    FunnelParticipant p = Person(absl::StrCat("P", 1000000 + i));
    p.gender = static_cast<Gender>(pick(kGenderCount));
    p.born_abroad = chance(0.3);
    p.birth_year = 1955 + pick(60);
    const int groups = pick(3);
    for (int g = 0; g < groups; ++g) {
      p.target_groups.push_back(
          static_cast<TargetGroup>(pick(kTargetGroupCount)));
    }
    // A small municipality now and then, so some groups are withheld.
    p.municipality_code =
        chance(0.02) ? "2584" : municipalities[static_cast<size_t>(pick(5))];
    if (chance(0.15)) p.exit_date = day();
    if (chance(0.2)) p.entry_date = day();
    events.participants.push_back(std::move(p));
  }
  auto someone = [&] {
    // Now and then an id no participant has.
    return chance(0.02)
               ? std::string("P9999999")
               : events.participants[static_cast<size_t>(pick(people))].id;
  };
  for (int i = 0; i < people * 3; ++i) {
    events.suggestions.push_back({someone(), day()});
  }
  // A skew planted so some flags are raised: people born abroad are
  // accepted less often.
  for (int i = 0; i < people * 2; ++i) {
    FunnelProposal proposal{someone(), day(), std::nullopt,
                            absl::StrCat("R", 1000000 + i)};
    bool abroad = false;
    for (const FunnelParticipant& p : events.participants) {
      if (p.id == proposal.participant_id) abroad = p.born_abroad;
    }
    if (chance(abroad ? 0.2 : 0.6)) {
      proposal.accepted_on = AddDays(proposal.proposed_on, pick(20));
    }
    events.proposals.push_back(std::move(proposal));
  }
  // Some placements start from an accepted proposal, now and then one
  // naming another participant's proposal (which carries no one).
  for (const FunnelProposal& proposal : events.proposals) {
    if (!proposal.accepted_on || !chance(0.7)) continue;
    FunnelPlacement placement{proposal.participant_id,
                              AddDays(*proposal.accepted_on, pick(30)),
                              std::nullopt, std::nullopt, proposal.id};
    if (chance(0.05)) placement.participant_id = someone();
    if (chance(0.5)) {
      placement.end_date = AddDays(placement.start_date, pick(60));
      placement.outcome =
          static_cast<PlacementOutcome>(pick(kPlacementOutcomeCount));
    }
    events.placements.push_back(std::move(placement));
  }
  for (int i = 0; i < people; ++i) {
    FunnelPlacement placement{someone(), day(), std::nullopt, std::nullopt, ""};
    if (chance(0.6)) {
      placement.end_date = AddDays(placement.start_date, pick(90));
      placement.outcome =
          static_cast<PlacementOutcome>(pick(kPlacementOutcomeCount));
    }
    events.placements.push_back(std::move(placement));
  }
  return events;
}

TEST(DecisionFunnelTest, AgreesWithASlowCountOverRandomWorlds) {
  int flags_seen = 0;
  int conversion_flags_seen = 0;
  int converted_seen = 0;
  int suppressed_seen = 0;
  int withheld_for_others_seen = 0;
  for (uint32_t seed : {1u, 2u, 3u, 17u, 2026u}) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    const FunnelEvents events = RandomWorld(seed, 300);
    const Date from = Day(2026, 3, 1);
    const Date to = Day(2026, 5, 31);
    const DecisionFunnel funnel = ComputeDecisionFunnel(events, from, to);
    EXPECT_EQ(funnel.from, from);
    EXPECT_EQ(funnel.to, to);

    // The slow counts of each group, taken once.
    std::map<std::pair<std::string, std::string>, SlowGroup> slow_counts;
    auto slowly = [&](const std::string& dimension,
                      const std::string& group) -> const SlowGroup& {
      auto [it, added] = slow_counts.try_emplace({dimension, group});
      if (added) it->second = CountSlowly(events, dimension, group, from, to);
      return it->second;
    };
    const SlowGroup all = CountSlowly(events, "", "", from, to);
    EXPECT_EQ(funnel.totals.participants, all.participants);
    for (int s = 0; s < kFunnelStageCount; ++s) {
      EXPECT_EQ(funnel.totals.stages[static_cast<size_t>(s)].reached,
                all.reached[s]);
      EXPECT_FALSE(funnel.totals.stages[static_cast<size_t>(s)].ratio_to_best);
    }

    // Every group the slow count finds is listed, and nothing else.
    std::vector<std::pair<std::string, std::string>> expected_groups;
    std::vector<std::string> dimension_groups[5];
    const std::vector<std::string> dimensions = {
        "gender", "born_abroad", "age_band", "target_group", "municipality"};
    for (int g = 0; g < kGenderCount; ++g)
      dimension_groups[0].push_back(
          std::string(GenderSlug(static_cast<Gender>(g))));
    dimension_groups[1] = {"no", "yes"};
    dimension_groups[2] = {"under-16", "16-24", "25-29", "30-54", "55+"};
    for (int g = 0; g < kTargetGroupCount; ++g)
      dimension_groups[3].push_back(
          std::string(TargetGroupSlug(static_cast<TargetGroup>(g))));
    dimension_groups[3].push_back("none");
    dimension_groups[4] = {"0114", "0180", "1280", "1480", "2480", "2584"};
    for (size_t d = 0; d < dimensions.size(); ++d) {
      for (const std::string& group : dimension_groups[d]) {
        if (slowly(dimensions[d], group).participants > 0)
          expected_groups.emplace_back(dimensions[d], group);
      }
    }
    ASSERT_EQ(funnel.groups.size(), expected_groups.size());
    for (size_t i = 0; i < expected_groups.size(); ++i) {
      EXPECT_EQ(funnel.groups[i].dimension, expected_groups[i].first);
      EXPECT_EQ(funnel.groups[i].group, expected_groups[i].second);
    }

    // Each stage's count, share, conversion, ratios and flags, from the
    // slow counts.
    for (size_t d = 0; d < dimensions.size(); ++d) {
      const std::string& dimension = dimensions[d];
      const std::vector<std::string> withheld =
          WithheldSlowly(events, dimension, dimension_groups[d], from, to);
      std::vector<const FunnelGroupResult*> in_dimension;
      for (const FunnelGroupResult& g : funnel.groups) {
        if (g.dimension == dimension) in_dimension.push_back(&g);
      }
      for (int s = 0; s < kFunnelStageCount; ++s) {
        const bool nested = s >= static_cast<int>(FunnelStage::kAccepted);
        std::vector<std::optional<double>> shares;
        std::vector<std::optional<double>> conversions;
        double best_share = 0;
        double best_conversion = 0;
        for (const FunnelGroupResult* g : in_dimension) {
          const SlowGroup slow = slowly(dimension, g->group);
          const bool small = Contains(withheld, g->group);
          std::optional<double> share;
          std::optional<double> conversion;
          if (!small) {
            share = static_cast<double>(slow.reached[s]) / slow.participants;
            best_share = std::max(best_share, *share);
            if (nested && slow.reached[s - 1] > 0) {
              conversion =
                  static_cast<double>(slow.converted[s]) / slow.reached[s - 1];
              best_conversion = std::max(best_conversion, *conversion);
            }
          }
          shares.push_back(share);
          conversions.push_back(conversion);
        }
        for (size_t i = 0; i < in_dimension.size(); ++i) {
          const FunnelGroupResult& g = *in_dimension[i];
          SCOPED_TRACE(absl::StrCat(dimension, "/", g.group, " stage ", s));
          const SlowGroup slow = slowly(dimension, g.group);
          const FunnelStageResult& stage = g.stages[static_cast<size_t>(s)];
          if (Contains(withheld, g.group)) {
            ++suppressed_seen;
            if (slow.participants >= 5) ++withheld_for_others_seen;
            EXPECT_TRUE(g.suppressed);
            EXPECT_EQ(g.participants, 0);
            EXPECT_EQ(stage.reached, 0);
            EXPECT_FALSE(stage.share);
            EXPECT_FALSE(stage.ratio_to_best);
            EXPECT_FALSE(stage.below_four_fifths);
            EXPECT_FALSE(stage.conversion);
            continue;
          }
          EXPECT_FALSE(g.suppressed);
          EXPECT_EQ(g.participants, slow.participants);
          EXPECT_EQ(stage.reached, slow.reached[s]);
          ASSERT_TRUE(stage.share);
          EXPECT_DOUBLE_EQ(*stage.share, *shares[i]);
          EXPECT_LE(*stage.share, 1.0);
          ASSERT_EQ(stage.ratio_to_best.has_value(), best_share > 0);
          if (best_share > 0) {
            EXPECT_DOUBLE_EQ(*stage.ratio_to_best, *shares[i] / best_share);
            EXPECT_EQ(stage.below_four_fifths, *shares[i] / best_share < 0.8);
            flags_seen += stage.below_four_fifths ? 1 : 0;
          } else {
            EXPECT_FALSE(stage.below_four_fifths);
          }
          ASSERT_EQ(stage.conversion.has_value(), nested);
          if (!nested) continue;
          const FunnelConversion& conversion = *stage.conversion;
          EXPECT_EQ(conversion.converted, slow.converted[s]);
          // Nested: those converted reached both stages.
          EXPECT_LE(conversion.converted, slow.reached[s]);
          EXPECT_LE(conversion.converted, slow.reached[s - 1]);
          ASSERT_EQ(conversion.rate.has_value(), conversions[i].has_value());
          if (!conversions[i]) {
            EXPECT_FALSE(conversion.ratio_to_best);
            EXPECT_FALSE(conversion.below_four_fifths);
            continue;
          }
          EXPECT_DOUBLE_EQ(*conversion.rate, *conversions[i]);
          EXPECT_LE(*conversion.rate, 1.0);
          ASSERT_EQ(conversion.ratio_to_best.has_value(), best_conversion > 0);
          if (best_conversion > 0) {
            const double ratio = *conversions[i] / best_conversion;
            EXPECT_DOUBLE_EQ(*conversion.ratio_to_best, ratio);
            EXPECT_EQ(conversion.below_four_fifths, ratio < 0.8);
            conversion_flags_seen += conversion.below_four_fifths ? 1 : 0;
            converted_seen += conversion.converted > 0 ? 1 : 0;
          }
        }
      }
    }

    // The same events in another order give the same funnel.
    FunnelEvents shuffled = events;
    std::mt19937 random(seed);
    std::shuffle(shuffled.participants.begin(), shuffled.participants.end(),
                 random);
    std::shuffle(shuffled.proposals.begin(), shuffled.proposals.end(), random);
    std::shuffle(shuffled.placements.begin(), shuffled.placements.end(),
                 random);
    const DecisionFunnel again = ComputeDecisionFunnel(shuffled, from, to);
    ASSERT_EQ(again.groups.size(), funnel.groups.size());
    for (size_t i = 0; i < funnel.groups.size(); ++i) {
      EXPECT_EQ(again.groups[i].participants, funnel.groups[i].participants);
      for (size_t s = 0; s < kFunnelStageCount; ++s) {
        EXPECT_EQ(again.groups[i].stages[s].reached,
                  funnel.groups[i].stages[s].reached);
        EXPECT_EQ(again.groups[i].stages[s].ratio_to_best,
                  funnel.groups[i].stages[s].ratio_to_best);
        const auto& a = again.groups[i].stages[s].conversion;
        const auto& b = funnel.groups[i].stages[s].conversion;
        ASSERT_EQ(a.has_value(), b.has_value());
        if (a) {
          EXPECT_EQ(a->converted, b->converted);
        }
      }
    }
  }
  // The worlds exercise both flags and suppression.
  EXPECT_GT(flags_seen, 0);
  EXPECT_GT(conversion_flags_seen, 0);
  EXPECT_GT(converted_seen, 0);
  EXPECT_GT(suppressed_seen, 0);
  EXPECT_GT(withheld_for_others_seen, 0);
}

// ---- A planted skew --------------------------------------------------

// Shares carry a skew down the funnel; the conversions say where it arose.
TEST(DecisionFunnelTest, OneGroupAcceptedLessIsFlaggedAtTheAcceptedConversion) {
  const Date from = Day(2026, 4, 1);
  const Date to = Day(2026, 4, 30);
  FunnelEvents events;
  for (int i = 0; i < 200; ++i) {
    const bool female = i < 100;
    FunnelParticipant p = Person(absl::StrCat("P", 2000000 + i));
    p.gender = female ? Gender::kFemale : Gender::kMale;
    events.participants.push_back(p);
    events.suggestions.push_back({p.id, Day(2026, 4, 2)});
    FunnelProposal proposal{p.id, Day(2026, 4, 3), std::nullopt,
                            absl::StrCat("R", 2000000 + i)};
    // Women's proposals are accepted 4 times in 10, men's 9 in 10.
    const bool accepted = (i % 100) < (female ? 40 : 90);
    if (accepted) proposal.accepted_on = Day(2026, 4, 5);
    events.proposals.push_back(proposal);
    if (accepted) {
      events.placements.push_back({p.id, Day(2026, 4, 8), Day(2026, 4, 28),
                                   PlacementOutcome::kCompleted, proposal.id});
    }
  }
  const DecisionFunnel funnel = ComputeDecisionFunnel(events, from, to);
  const FunnelGroupResult* women = Find(funnel, "gender", "female");
  const FunnelGroupResult* men = Find(funnel, "gender", "male");
  ASSERT_NE(women, nullptr);
  ASSERT_NE(men, nullptr);
  EXPECT_EQ(women->participants, 100);
  const FunnelStageResult& accepted = Stage(*women, FunnelStage::kAccepted);
  EXPECT_EQ(accepted.reached, 40);
  EXPECT_DOUBLE_EQ(*accepted.share, 0.4);
  EXPECT_DOUBLE_EQ(*Stage(*men, FunnelStage::kAccepted).share, 0.9);
  EXPECT_DOUBLE_EQ(*accepted.ratio_to_best, 0.4 / 0.9);
  EXPECT_EQ(accepted.conversion->converted, 40);
  EXPECT_DOUBLE_EQ(*accepted.conversion->rate, 0.4);
  EXPECT_DOUBLE_EQ(*accepted.conversion->ratio_to_best, 0.4 / 0.9);
  for (int s = 0; s < kFunnelStageCount; ++s) {
    const auto stage = static_cast<FunnelStage>(s);
    SCOPED_TRACE(FunnelStageSlug(stage));
    // The shares from accepted on are all 0.4 against 0.9.
    EXPECT_EQ(Stage(*women, stage).below_four_fifths,
              s >= static_cast<int>(FunnelStage::kAccepted));
    EXPECT_FALSE(Stage(*men, stage).below_four_fifths);
    // Only the acceptance itself converts fewer women.
    if (HasFunnelConversion(stage)) {
      EXPECT_EQ(Stage(*women, stage).conversion->below_four_fifths,
                stage == FunnelStage::kAccepted);
      EXPECT_FALSE(Stage(*men, stage).conversion->below_four_fifths);
    } else {
      EXPECT_FALSE(Stage(*women, stage).conversion);
    }
  }
  // Every acceptance started from its proposal and ended well.
  EXPECT_DOUBLE_EQ(*Stage(*women, FunnelStage::kStarted).conversion->rate, 1.0);
  EXPECT_DOUBLE_EQ(*Stage(*women, FunnelStage::kGoodOutcome).conversion->rate,
                   1.0);
  // Nothing else differs, so no other dimension flags anything.
  for (const FunnelGroupResult& g : funnel.groups) {
    if (g.dimension == "gender") continue;
    for (const FunnelStageResult& stage : g.stages) {
      EXPECT_FALSE(stage.below_four_fifths) << g.dimension << "/" << g.group;
      if (stage.conversion) {
        EXPECT_FALSE(stage.conversion->below_four_fifths) << g.dimension;
      }
    }
  }
}

// ---- Suppression -----------------------------------------------------

TEST(DecisionFunnelTest, GroupsOfOneToFourAreWithheldAndNeverTheBest) {
  const Date from = Day(2026, 4, 1);
  const Date to = Day(2026, 4, 30);
  FunnelEvents events;
  auto add = [&](Gender gender, int count, int suggested) {
    for (int i = 0; i < count; ++i) {
      FunnelParticipant p =
          Person(absl::StrCat("P", 3000000 + events.participants.size()));
      p.gender = gender;
      if (i < suggested) events.suggestions.push_back({p.id, from});
      events.participants.push_back(std::move(p));
    }
  };
  add(Gender::kOther, 4, 4);        // share 1.0, but withheld
  add(Gender::kUndisclosed, 1, 0);  // withheld; 5 withheld in all
  add(Gender::kFemale, 10, 5);      // 0.5: the best shown
  add(Gender::kMale, 5, 1);         // 0.2: exactly 5 people, shown
  const DecisionFunnel funnel = ComputeDecisionFunnel(events, from, to);
  for (const char* withheld : {"other", "undisclosed"}) {
    const FunnelGroupResult* group = Find(funnel, "gender", withheld);
    ASSERT_NE(group, nullptr);
    EXPECT_TRUE(group->suppressed);
    EXPECT_EQ(group->participants, 0);
    for (const FunnelStageResult& stage : group->stages) {
      EXPECT_EQ(stage.reached, 0);
      EXPECT_FALSE(stage.share);
      EXPECT_FALSE(stage.conversion);
      EXPECT_FALSE(stage.ratio_to_best);
      EXPECT_FALSE(stage.below_four_fifths);
    }
  }
  const FunnelStageResult& female =
      Stage(*Find(funnel, "gender", "female"), FunnelStage::kSuggested);
  const FunnelGroupResult* male = Find(funnel, "gender", "male");
  EXPECT_DOUBLE_EQ(*female.ratio_to_best, 1.0);
  EXPECT_FALSE(male->suppressed);
  EXPECT_EQ(male->participants, 5);
  EXPECT_DOUBLE_EQ(*Stage(*male, FunnelStage::kSuggested).ratio_to_best, 0.4);
  EXPECT_TRUE(Stage(*male, FunnelStage::kSuggested).below_four_fifths);
  // The totals count everyone, the withheld groups too.
  EXPECT_EQ(funnel.totals.participants, 20);
  EXPECT_EQ(funnel.totals.stages[0].reached, 10);
}

// Totals minus the groups shown must not give away a group of 1..4.
TEST(DecisionFunnelTest,
     TheSmallestGroupShownIsWithheldWhenSubtractionWouldTell) {
  const Date from = Day(2026, 4, 1);
  const Date to = Day(2026, 4, 30);
  FunnelEvents events;
  auto add = [&](Gender gender, bool abroad, int count) {
    for (int i = 0; i < count; ++i) {
      FunnelParticipant p =
          Person(absl::StrCat("P", 3100000 + events.participants.size()));
      p.gender = gender;
      p.born_abroad = abroad;
      p.target_groups = {TargetGroup::kNewlyArrived};
      events.participants.push_back(std::move(p));
    }
  };
  add(Gender::kFemale, false, 40);
  add(Gender::kMale, false, 30);
  add(Gender::kUndisclosed, false, 8);
  add(Gender::kOther, true, 2);
  const DecisionFunnel funnel = ComputeDecisionFunnel(events, from, to);
  // other (2) is withheld, and so is undisclosed (8), the smallest shown.
  EXPECT_TRUE(Find(funnel, "gender", "other")->suppressed);
  EXPECT_TRUE(Find(funnel, "gender", "undisclosed")->suppressed);
  EXPECT_FALSE(Find(funnel, "gender", "male")->suppressed);
  EXPECT_FALSE(Find(funnel, "gender", "female")->suppressed);
  // Two groups, one of 2: both withheld.
  EXPECT_TRUE(Find(funnel, "born_abroad", "yes")->suppressed);
  EXPECT_TRUE(Find(funnel, "born_abroad", "no")->suppressed);
  // Target groups overlap, so nothing can be subtracted: none of them is
  // withheld for another's sake ("newly_arrived" is everyone's).
  EXPECT_FALSE(Find(funnel, "target_group", "newly_arrived")->suppressed);
  EXPECT_EQ(funnel.totals.participants, 80);
}

TEST(DecisionFunnelTest, TotalsOfFewerThanFiveAreWithheld) {
  FunnelEvents events;
  for (int i = 0; i < 3; ++i)
    events.participants.push_back(Person(absl::StrCat("P400000", i)));
  const DecisionFunnel funnel =
      ComputeDecisionFunnel(events, Day(2026, 1, 1), Day(2026, 1, 31));
  EXPECT_TRUE(funnel.totals.suppressed);
  EXPECT_EQ(funnel.totals.participants, 0);
  for (const FunnelGroupResult& g : funnel.groups) EXPECT_TRUE(g.suppressed);
}

// ---- Period boundaries -----------------------------------------------

TEST(DecisionFunnelTest, BothEndsOfThePeriodCountAndTheDaysOutsideDoNot) {
  const Date from = Day(2026, 4, 1);
  const Date to = Day(2026, 4, 30);
  const Date before = Day(2026, 3, 31);
  const Date after = Day(2026, 5, 1);
  FunnelEvents events;
  for (int i = 0; i < 10; ++i) {
    events.participants.push_back(Person(absl::StrCat("P500000", i)));
  }
  auto id = [&](int i) {
    return events.participants[static_cast<size_t>(i)].id;
  };
  // Suggested: on from and on to count; the days around do not.
  events.suggestions = {
      {id(0), from}, {id(1), to}, {id(2), before}, {id(3), after}};
  // Proposed before the period, accepted on its first day: accepted counts,
  // proposed does not. Proposed on its last day, accepted after: only
  // proposed.
  events.proposals = {{id(4), before, from, "R1"}, {id(5), to, after, "R2"}};
  // Started before, ended well within; started on the last day; ended on
  // the day after.
  events.placements = {
      {id(6), before, to, PlacementOutcome::kMovedUp, ""},
      {id(7), to, std::nullopt, std::nullopt, ""},
      {id(8), from, after, PlacementOutcome::kStudies, ""},
      {id(9), from, to, PlacementOutcome::kInterruptedForHealth, ""},
      // From R1, accepted on the first day: carried from accepted on.
      {id(4), to, std::nullopt, std::nullopt, "R1"},
  };
  const DecisionFunnel funnel = ComputeDecisionFunnel(events, from, to);
  const FunnelGroupResult& all = funnel.totals;
  EXPECT_EQ(all.participants, 10);
  EXPECT_EQ(Stage(all, FunnelStage::kSuggested).reached, 2);
  EXPECT_EQ(Stage(all, FunnelStage::kProposed).reached, 1);
  EXPECT_EQ(Stage(all, FunnelStage::kAccepted).reached, 1);
  EXPECT_EQ(Stage(all, FunnelStage::kStarted).reached, 4);  // 4, 7, 8, 9
  // 6 only: 8 ended after the period, 9 was interrupted.
  EXPECT_EQ(Stage(all, FunnelStage::kGoodOutcome).reached, 1);
  // Started 4 after 1 accepted: a stage reached by other paths. Each share
  // is against the 10 participants.
  EXPECT_DOUBLE_EQ(*Stage(all, FunnelStage::kStarted).share, 0.4);
  // The acceptance of 4 was not of a proposal of the period; its start was
  // from that acceptance. 6's good outcome ended a placement started before.
  EXPECT_EQ(Stage(all, FunnelStage::kAccepted).conversion->converted, 0);
  EXPECT_DOUBLE_EQ(*Stage(all, FunnelStage::kAccepted).conversion->rate, 0.0);
  EXPECT_EQ(Stage(all, FunnelStage::kStarted).conversion->converted, 1);
  EXPECT_DOUBLE_EQ(*Stage(all, FunnelStage::kStarted).conversion->rate, 1.0);
  EXPECT_EQ(Stage(all, FunnelStage::kGoodOutcome).conversion->converted, 0);
  EXPECT_DOUBLE_EQ(*Stage(all, FunnelStage::kGoodOutcome).conversion->rate,
                   0.0);
}

TEST(DecisionFunnelTest, WhoIsInTheProgrammeDuringThePeriod) {
  const Date from = Day(2026, 4, 1);
  const Date to = Day(2026, 4, 30);
  FunnelEvents events;
  auto add = [&](std::optional<Date> entry, std::optional<Date> exit) {
    FunnelParticipant p =
        Person(absl::StrCat("P60000", 10 + events.participants.size()));
    p.entry_date = entry;
    p.exit_date = exit;
    events.suggestions.push_back({p.id, Day(2026, 4, 15)});
    events.participants.push_back(std::move(p));
  };
  for (int i = 0; i < 5; ++i) add(std::nullopt, std::nullopt);  // counted
  add(std::nullopt, from);                // left on the first day: counted
  add(std::nullopt, Day(2026, 3, 31));    // left the day before: not
  add(to, std::nullopt);                  // entered on the last day: counted
  add(Day(2026, 5, 1), std::nullopt);     // entered after: not
  add(Day(2026, 1, 1), Day(2026, 6, 1));  // through the whole period
  const DecisionFunnel funnel = ComputeDecisionFunnel(events, from, to);
  EXPECT_EQ(funnel.totals.participants, 8);
  // The suggestions of the two not counted are ignored too.
  EXPECT_EQ(Stage(funnel.totals, FunnelStage::kSuggested).reached, 8);
}

// ---- Empty and zero denominators -------------------------------------

TEST(DecisionFunnelTest, NoEventsGivesZeroSharesAndNoConversions) {
  FunnelEvents events;
  for (int i = 0; i < 6; ++i) {
    events.participants.push_back(Person(absl::StrCat("P700000", i)));
  }
  const DecisionFunnel funnel =
      ComputeDecisionFunnel(events, Day(2026, 1, 1), Day(2026, 12, 31));
  const FunnelGroupResult* women = Find(funnel, "gender", "female");
  ASSERT_NE(women, nullptr);
  for (int s = 0; s < kFunnelStageCount; ++s) {
    const FunnelStageResult& stage = women->stages[static_cast<size_t>(s)];
    EXPECT_EQ(stage.reached, 0);
    // 0 of 6 is a share of 0, but no group reached the stage, so there is
    // no best to compare with.
    EXPECT_DOUBLE_EQ(*stage.share, 0.0);
    EXPECT_FALSE(stage.ratio_to_best);
    EXPECT_FALSE(stage.below_four_fifths);
    if (stage.conversion) {
      EXPECT_FALSE(stage.conversion->rate);  // 0 / 0
      EXPECT_FALSE(stage.conversion->ratio_to_best);
      EXPECT_FALSE(stage.conversion->below_four_fifths);
    }
  }
  const DecisionFunnel empty =
      ComputeDecisionFunnel({}, Day(2026, 1, 1), Day(2026, 1, 1));
  EXPECT_TRUE(empty.groups.empty());
  EXPECT_TRUE(empty.totals.suppressed);
}

TEST(DecisionFunnelTest, AGroupWithoutTheStageBeforeHasNoConversionToCompare) {
  const Date from = Day(2026, 4, 1);
  const Date to = Day(2026, 4, 30);
  FunnelEvents events;
  for (int i = 0; i < 10; ++i) {
    FunnelParticipant p = Person(absl::StrCat("P80000", 10 + i));
    p.gender = i < 5 ? Gender::kFemale : Gender::kMale;
    // Women are proposed and accepted; men are never proposed but start
    // placements directly.
    if (i < 5) {
      events.proposals.push_back(
          {p.id, from, from, absl::StrCat("R80000", 10 + i)});
    } else {
      events.placements.push_back({p.id, from, std::nullopt, std::nullopt, ""});
    }
    events.participants.push_back(std::move(p));
  }
  const DecisionFunnel funnel = ComputeDecisionFunnel(events, from, to);
  const FunnelGroupResult& men = *Find(funnel, "gender", "male");
  const FunnelGroupResult& women = *Find(funnel, "gender", "female");
  // Men: no conversion at accepted (0 proposed) or started (0 accepted),
  // though all 5 started.
  EXPECT_FALSE(Stage(men, FunnelStage::kAccepted).conversion->rate);
  EXPECT_FALSE(Stage(men, FunnelStage::kStarted).conversion->rate);
  EXPECT_EQ(Stage(men, FunnelStage::kStarted).reached, 5);
  EXPECT_DOUBLE_EQ(*Stage(men, FunnelStage::kStarted).share, 1.0);
  EXPECT_FALSE(Stage(men, FunnelStage::kStarted).below_four_fifths);
  EXPECT_FALSE(Stage(men, FunnelStage::kAccepted).conversion->ratio_to_best);
  // Women: every proposal accepted (conversion 1, the best), none started:
  // a conversion of 0 with nothing better to compare with.
  EXPECT_DOUBLE_EQ(*Stage(women, FunnelStage::kAccepted).conversion->rate, 1.0);
  EXPECT_DOUBLE_EQ(
      *Stage(women, FunnelStage::kAccepted).conversion->ratio_to_best, 1.0);
  EXPECT_DOUBLE_EQ(*Stage(women, FunnelStage::kStarted).conversion->rate, 0.0);
  EXPECT_FALSE(Stage(women, FunnelStage::kStarted).conversion->ratio_to_best);
  // The share started: women 0 of 5 against men's 5 of 5.
  EXPECT_DOUBLE_EQ(*Stage(women, FunnelStage::kStarted).ratio_to_best, 0.0);
  EXPECT_TRUE(Stage(women, FunnelStage::kStarted).below_four_fifths);
  // Suggested and proposed never have a conversion.
  EXPECT_FALSE(Stage(women, FunnelStage::kSuggested).conversion);
  EXPECT_FALSE(Stage(women, FunnelStage::kProposed).conversion);
}

TEST(DecisionFunnelTest, NamesAndOutcomes) {
  EXPECT_EQ(FunnelStageSlug(FunnelStage::kSuggested), "suggested");
  EXPECT_EQ(FunnelStageSlug(FunnelStage::kGoodOutcome), "good_outcome");
  EXPECT_EQ(FunnelAgeBand(15), "under-16");
  EXPECT_EQ(FunnelAgeBand(16), "16-24");
  EXPECT_EQ(FunnelAgeBand(24), "16-24");
  EXPECT_EQ(FunnelAgeBand(25), "25-29");
  EXPECT_EQ(FunnelAgeBand(29), "25-29");
  EXPECT_EQ(FunnelAgeBand(30), "30-54");
  EXPECT_EQ(FunnelAgeBand(54), "30-54");
  EXPECT_EQ(FunnelAgeBand(55), "55+");
  int good = 0;
  for (int o = 0; o < kPlacementOutcomeCount; ++o) {
    good += IsGoodOutcome(static_cast<PlacementOutcome>(o)) ? 1 : 0;
  }
  EXPECT_EQ(good, 5);
  EXPECT_FALSE(IsGoodOutcome(PlacementOutcome::kInterruptedForHealth));
  EXPECT_TRUE(IsGoodOutcome(PlacementOutcome::kSubsidisedWork));
}

}  // namespace
}  // namespace placement
