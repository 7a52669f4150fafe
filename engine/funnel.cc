#include "engine/funnel.h"

#include <algorithm>
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

// One bit per FunnelStage.
using StageBits = uint8_t;

bool InPeriod(const Date& day, const Date& from, const Date& to) {
  return from <= day && day <= to;
}

// Counts of one group before rates are taken.
struct Tally {
  int participants = 0;
  std::array<int, kFunnelStageCount> reached = {};

  void Add(StageBits bits) {
    ++participants;
    for (int s = 0; s < kFunnelStageCount; ++s) {
      if (bits & (1u << s)) ++reached[static_cast<size_t>(s)];
    }
  }
};

FunnelGroupResult Finish(std::string dimension, std::string group,
                         const Tally& tally) {
  FunnelGroupResult result;
  result.dimension = std::move(dimension);
  result.group = std::move(group);
  if (tally.participants < kAuditMinGroup) {
    result.suppressed = true;  // withheld: counts stay zero
    return result;
  }
  result.participants = tally.participants;
  int previous = tally.participants;
  for (size_t s = 0; s < kFunnelStageCount; ++s) {
    FunnelStageResult& stage = result.stages[s];
    stage.reached = tally.reached[s];
    if (previous > 0) {
      stage.rate = static_cast<double>(stage.reached) / previous;
    }
    previous = stage.reached;
  }
  return result;
}

// Ratios and flags within one dimension, against its best-off
// unsuppressed group at each stage.
void CompareGroups(std::vector<FunnelGroupResult>::iterator begin,
                   std::vector<FunnelGroupResult>::iterator end) {
  for (size_t s = 0; s < kFunnelStageCount; ++s) {
    double best = 0;
    for (auto it = begin; it != end; ++it) {
      const std::optional<double>& rate = it->stages[s].rate;
      if (!it->suppressed && rate.has_value()) best = std::max(best, *rate);
    }
    if (best <= 0) continue;
    for (auto it = begin; it != end; ++it) {
      FunnelStageResult& stage = it->stages[s];
      if (it->suppressed || !stage.rate.has_value()) continue;
      stage.ratio_to_best = *stage.rate / best;
      stage.below_four_fifths = *stage.ratio_to_best < kFourFifths;
    }
  }
}

}  // namespace

absl::string_view FunnelStageSlug(FunnelStage stage) {
  return kStageSlugs[static_cast<size_t>(stage)];
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
  auto mark = [&](absl::string_view participant_id, FunnelStage stage) {
    auto it = index.find(participant_id);
    if (it == index.end()) return;
    reached[static_cast<size_t>(it->second)] |=
        static_cast<StageBits>(1u << static_cast<int>(stage));
  };
  for (const FunnelSuggestion& s : events.suggestions) {
    if (InPeriod(s.on, from, to))
      mark(s.participant_id, FunnelStage::kSuggested);
  }
  for (const FunnelProposal& p : events.proposals) {
    if (InPeriod(p.proposed_on, from, to)) {
      mark(p.participant_id, FunnelStage::kProposed);
    }
    if (p.accepted_on.has_value() && InPeriod(*p.accepted_on, from, to)) {
      mark(p.participant_id, FunnelStage::kAccepted);
    }
  }
  for (const FunnelPlacement& p : events.placements) {
    if (InPeriod(p.start_date, from, to)) {
      mark(p.participant_id, FunnelStage::kStarted);
    }
    if (p.end_date.has_value() && p.outcome.has_value() &&
        InPeriod(*p.end_date, from, to) && IsGoodOutcome(*p.outcome)) {
      mark(p.participant_id, FunnelStage::kGoodOutcome);
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
  funnel.totals = Finish("", "", totals);
  std::vector<FunnelGroupResult>& groups = funnel.groups;
  auto add_dimension = [&groups](absl::string_view dimension,
                                 const auto& named_tallies) {
    const size_t first = groups.size();
    for (const auto& [name, tally] : named_tallies) {
      if (tally->participants == 0) continue;
      groups.push_back(
          Finish(std::string(dimension), std::string(name), *tally));
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
  add_dimension("gender", named);
  named = {{"no", &born_abroad[0]}, {"yes", &born_abroad[1]}};
  add_dimension("born_abroad", named);
  named.clear();
  for (size_t b = 0; b < kAgeBands.size(); ++b) {
    named.emplace_back(kAgeBands[b], &age[b]);
  }
  add_dimension("age_band", named);
  named.clear();
  for (int g = 0; g < kTargetGroupCount; ++g) {
    named.emplace_back(TargetGroupSlug(static_cast<TargetGroup>(g)),
                       &target[static_cast<size_t>(g)]);
  }
  named.emplace_back("none", &target[kTargetGroupCount]);
  add_dimension("target_group", named);
  named.clear();
  for (const auto& [code, tally] : municipality) {
    named.emplace_back(code, &tally);
  }
  std::sort(named.begin(), named.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  add_dimension("municipality", named);
  return funnel;
}

}  // namespace placement
