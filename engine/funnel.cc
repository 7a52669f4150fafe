#include "engine/funnel.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "engine/rematch.h"

namespace placement {
namespace {

constexpr std::array<absl::string_view, kFunnelStageCount> kStageSlugs = {
    "suggested", "proposed", "accepted", "started", "good_outcome"};

constexpr std::array<absl::string_view, 5> kAgeBands = {
    "under-16", "16-24", "25-29", "30-54", "55+"};

int AgeBandIndex(int age) {
  if (age < 16) return 0;
  if (age <= 24) return 1;
  if (age <= 29) return 2;
  if (age <= 54) return 3;
  return 4;
}

// One bit per FunnelStage for the stages reached, and one more per stage
// (shifted by kFunnelStageCount) for its conversion.
using StageBits = uint16_t;

StageBits StageBit(FunnelStage stage) {
  return static_cast<StageBits>(1u << static_cast<int>(stage));
}
StageBits ConversionBit(FunnelStage stage) {
  return static_cast<StageBits>(
      1u << (kFunnelStageCount + static_cast<int>(stage)));
}

bool InPeriod(const Date& day, const Date& from, const Date& to) {
  return from <= day && day <= to;
}

// Counts of one group before shares are taken.
struct Tally {
  int participants = 0;
  std::array<int, kFunnelStageCount> reached = {};
  std::array<int, kFunnelStageCount> converted = {};

  void Add(StageBits bits) {
    ++participants;
    for (int s = 0; s < kFunnelStageCount; ++s) {
      const auto stage = static_cast<FunnelStage>(s);
      if (bits & StageBit(stage)) ++reached[static_cast<size_t>(s)];
      if (bits & ConversionBit(stage)) ++converted[static_cast<size_t>(s)];
    }
  }
};

FunnelGroupResult Finish(std::string dimension, std::string group,
                         const Tally& tally, bool withheld) {
  FunnelGroupResult result;
  result.dimension = std::move(dimension);
  result.group = std::move(group);
  if (withheld) {
    result.suppressed = true;  // withheld: counts stay zero
    return result;
  }
  result.participants = tally.participants;
  for (size_t s = 0; s < kFunnelStageCount; ++s) {
    FunnelStageResult& stage = result.stages[s];
    stage.reached = tally.reached[s];
    if (tally.participants > 0) {
      stage.share = static_cast<double>(stage.reached) / tally.participants;
    }
    if (!HasFunnelConversion(static_cast<FunnelStage>(s))) continue;
    FunnelConversion& conversion = stage.conversion.emplace();
    conversion.converted = tally.converted[s];
    if (const int before = tally.reached[s - 1]; before > 0) {
      conversion.rate = static_cast<double>(conversion.converted) / before;
    }
  }
  return result;
}

// Sets ratio_to_best and below_four_fifths of every value `get` gives
// (null: none), against the highest among them.
template <typename Get>
void CompareTo(std::vector<FunnelGroupResult>::iterator begin,
               std::vector<FunnelGroupResult>::iterator end, Get get) {
  double best = 0;
  for (auto it = begin; it != end; ++it) {
    if (it->suppressed) continue;
    if (auto [value, ratio, flag] = get(*it); value != nullptr) {
      best = std::max(best, *value);
    }
  }
  if (best <= 0) return;
  for (auto it = begin; it != end; ++it) {
    if (it->suppressed) continue;
    auto [value, ratio, flag] = get(*it);
    if (value == nullptr) continue;
    *ratio = *value / best;
    *flag = *ratio < kFourFifths;
  }
}

// Ratios and flags within one dimension, against its best-off
// unsuppressed group at each stage: of the shares, and of the conversions.
void CompareGroups(std::vector<FunnelGroupResult>::iterator begin,
                   std::vector<FunnelGroupResult>::iterator end) {
  struct Compared {
    const double* value;
    std::optional<double>* ratio;
    bool* flag;
  };
  for (size_t s = 0; s < kFunnelStageCount; ++s) {
    CompareTo(begin, end, [s](FunnelGroupResult& group) {
      FunnelStageResult& stage = group.stages[s];
      return Compared{stage.share ? &*stage.share : nullptr,
                      &stage.ratio_to_best, &stage.below_four_fifths};
    });
    if (!HasFunnelConversion(static_cast<FunnelStage>(s))) continue;
    CompareTo(begin, end, [s](FunnelGroupResult& group) {
      std::optional<FunnelConversion>& conversion = group.stages[s].conversion;
      if (!conversion || !conversion->rate) {
        return Compared{nullptr, nullptr, nullptr};
      }
      return Compared{&*conversion->rate, &conversion->ratio_to_best,
                      &conversion->below_four_fifths};
    });
  }
}

}  // namespace

absl::string_view FunnelStageSlug(FunnelStage stage) {
  return kStageSlugs[static_cast<size_t>(stage)];
}

bool HasFunnelConversion(FunnelStage stage) {
  return stage == FunnelStage::kAccepted || stage == FunnelStage::kStarted ||
         stage == FunnelStage::kGoodOutcome;
}

bool IsGoodOutcome(PlacementOutcome outcome) {
  switch (outcome) {
    case PlacementOutcome::kCompleted:
    case PlacementOutcome::kMovedUp:
    case PlacementOutcome::kUnsubsidisedWork:
    case PlacementOutcome::kSubsidisedWork:
    case PlacementOutcome::kStudies:
      return true;
    case PlacementOutcome::kInterruptedByParticipant:
    case PlacementOutcome::kInterruptedByEmployer:
    case PlacementOutcome::kInterruptedForHealth:
    case PlacementOutcome::kInterruptedOther:
      return false;
  }
  return false;
}

absl::string_view FunnelAgeBand(int age) {
  return kAgeBands[static_cast<size_t>(AgeBandIndex(age))];
}

DecisionFunnel ComputeDecisionFunnel(const FunnelEvents& events,
                                     const Date& from, const Date& to) {
  // Who is counted, and the stages each reached (by index into the
  // participants; -1 for anyone not counted).
  absl::flat_hash_map<absl::string_view, int> index;
  index.reserve(events.participants.size());
  std::vector<StageBits> reached(events.participants.size(), 0);
  std::vector<bool> counted(events.participants.size(), false);
  for (size_t i = 0; i < events.participants.size(); ++i) {
    const FunnelParticipant& p = events.participants[i];
    const bool left_before = p.exit_date.has_value() && *p.exit_date < from;
    const bool entered_after = p.entry_date.has_value() && *p.entry_date > to;
    if (left_before || entered_after) continue;
    // A duplicate id keeps its first record.
    if (index.emplace(p.id, static_cast<int>(i)).second) counted[i] = true;
  }
  auto mark = [&](absl::string_view participant_id, StageBits bits) {
    auto it = index.find(participant_id);
    if (it == index.end()) return;
    reached[static_cast<size_t>(it->second)] |= bits;
  };
  for (const FunnelSuggestion& s : events.suggestions) {
    if (InPeriod(s.on, from, to)) {
      mark(s.participant_id, StageBit(FunnelStage::kSuggested));
    }
  }
  // Proposals accepted in the period, by id, with their participant: a
  // placement started from one carries its participant from accepted to
  // started.
  absl::flat_hash_map<absl::string_view, absl::string_view> accepted;
  for (const FunnelProposal& p : events.proposals) {
    const bool proposed = InPeriod(p.proposed_on, from, to);
    if (proposed) mark(p.participant_id, StageBit(FunnelStage::kProposed));
    if (p.accepted_on.has_value() && InPeriod(*p.accepted_on, from, to)) {
      StageBits bits = StageBit(FunnelStage::kAccepted);
      if (proposed) bits |= ConversionBit(FunnelStage::kAccepted);
      mark(p.participant_id, bits);
      if (!p.id.empty()) accepted.emplace(p.id, p.participant_id);
    }
  }
  for (const FunnelPlacement& p : events.placements) {
    const bool started = InPeriod(p.start_date, from, to);
    if (started) {
      StageBits bits = StageBit(FunnelStage::kStarted);
      if (!p.proposal_id.empty()) {
        auto it = accepted.find(p.proposal_id);
        if (it != accepted.end() && it->second == p.participant_id) {
          bits |= ConversionBit(FunnelStage::kStarted);
        }
      }
      mark(p.participant_id, bits);
    }
    if (p.end_date.has_value() && p.outcome.has_value() &&
        InPeriod(*p.end_date, from, to) && IsGoodOutcome(*p.outcome)) {
      StageBits bits = StageBit(FunnelStage::kGoodOutcome);
      if (started) bits |= ConversionBit(FunnelStage::kGoodOutcome);
      mark(p.participant_id, bits);
    }
  }

  Tally totals;
  std::array<Tally, kGenderCount> gender = {};
  std::array<Tally, 2> born_abroad = {};
  std::array<Tally, kAgeBands.size()> age = {};
  std::array<Tally, kTargetGroupCount + 1> target = {};  // + "none"
  absl::flat_hash_map<absl::string_view, Tally> municipality;
  for (size_t i = 0; i < events.participants.size(); ++i) {
    if (!counted[i]) continue;
    const FunnelParticipant& p = events.participants[i];
    const StageBits bits = reached[i];
    totals.Add(bits);
    gender[static_cast<size_t>(p.gender)].Add(bits);
    born_abroad[p.born_abroad ? 1 : 0].Add(bits);
    age[static_cast<size_t>(AgeBandIndex(to.year - p.birth_year))].Add(bits);
    if (p.target_groups.empty()) {
      target[kTargetGroupCount].Add(bits);
    } else {
      uint32_t seen =
          0;  // a person counts once per group, even if listed twice
      for (TargetGroup g : p.target_groups) {
        const uint32_t bit = 1u << static_cast<int>(g);
        if (seen & bit) continue;
        seen |= bit;
        target[static_cast<size_t>(g)].Add(bits);
      }
    }
    municipality[p.municipality_code].Add(bits);
  }

  DecisionFunnel funnel;
  funnel.from = from;
  funnel.to = to;
  funnel.totals = Finish("", "", totals, totals.participants < kAuditMinGroup);
  std::vector<FunnelGroupResult>& groups = funnel.groups;
  auto add_dimension = [&groups](absl::string_view dimension,
                                 const auto& named_tallies, bool partition) {
    std::vector<std::pair<absl::string_view, const Tally*>> listed;
    for (const auto& [name, tally] : named_tallies) {
      if (tally->participants > 0) listed.emplace_back(name, tally);
    }
    std::vector<bool> withheld(listed.size(), false);
    int withheld_people = 0;
    for (size_t i = 0; i < listed.size(); ++i) {
      withheld[i] = listed[i].second->participants < kAuditMinGroup;
      if (withheld[i]) withheld_people += listed[i].second->participants;
    }
    // In a partition the totals minus the groups shown give the withheld
    // groups' sum: while that is 1..4 people, the smallest shown group is
    // withheld too (the first in order among equals).
    while (partition && withheld_people > 0 &&
           withheld_people < kAuditMinGroup) {
      std::optional<size_t> smallest;
      for (size_t i = 0; i < listed.size(); ++i) {
        if (withheld[i]) continue;
        if (!smallest || listed[i].second->participants <
                             listed[*smallest].second->participants) {
          smallest = i;
        }
      }
      if (!smallest) break;  // everything is withheld already
      withheld[*smallest] = true;
      withheld_people += listed[*smallest].second->participants;
    }
    const size_t first = groups.size();
    for (size_t i = 0; i < listed.size(); ++i) {
      groups.push_back(Finish(std::string(dimension),
                              std::string(listed[i].first), *listed[i].second,
                              withheld[i]));
    }
    CompareGroups(groups.begin() + static_cast<std::ptrdiff_t>(first),
                  groups.end());
  };
  using Named = std::vector<std::pair<absl::string_view, const Tally*>>;
  Named named;
  for (int g = 0; g < kGenderCount; ++g) {
    named.emplace_back(GenderSlug(static_cast<Gender>(g)),
                       &gender[static_cast<size_t>(g)]);
  }
  add_dimension("gender", named, /*partition=*/true);
  named = {{"no", &born_abroad[0]}, {"yes", &born_abroad[1]}};
  add_dimension("born_abroad", named, /*partition=*/true);
  named.clear();
  for (size_t b = 0; b < kAgeBands.size(); ++b) {
    named.emplace_back(kAgeBands[b], &age[b]);
  }
  add_dimension("age_band", named, /*partition=*/true);
  named.clear();
  for (int g = 0; g < kTargetGroupCount; ++g) {
    named.emplace_back(TargetGroupSlug(static_cast<TargetGroup>(g)),
                       &target[static_cast<size_t>(g)]);
  }
  named.emplace_back("none", &target[kTargetGroupCount]);
  add_dimension("target_group", named, /*partition=*/false);
  named.clear();
  for (const auto& [code, tally] : municipality) {
    named.emplace_back(code, &tally);
  }
  std::sort(named.begin(), named.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  add_dimension("municipality", named, /*partition=*/true);
  return funnel;
}

}  // namespace placement
