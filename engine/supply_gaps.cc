#include "engine/supply_gaps.h"

#include <algorithm>
#include <numbers>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "engine/geo.h"
#include "engine/opening_rules.h"
#include "engine/scoring.h"

namespace placement {
namespace {

// Margin on the latitude band, in degrees (about 0.1 m): the exact travel
// estimate decides; the band only has to contain every reachable opening.
constexpr double kBandMarginDegrees = 1e-6;

// The farthest great-circle distance, in degrees of arc, that `participant`
// can travel within their limit; negative when even a zero distance is too
// far (the fixed minutes of the mode exceed the limit).
double ReachDegrees(const Participant& participant) {
  const TravelModeModel& model =
      kTravelModels[static_cast<size_t>(participant.travel_mode)];
  const double minutes = participant.max_travel_minutes - model.fixed_minutes;
  if (minutes < 0) return -1;
  const double km = minutes / 60.0 * model.speed_kmh / kDetourFactor;
  return km / kEarthRadiusKm * 180.0 / std::numbers::pi;
}

std::vector<GapCount> Ordered(const absl::flat_hash_map<std::string, int>& in) {
  std::vector<GapCount> out;
  for (const auto& [code, count] : in) {
    if (count == 0) continue;
    const bool suppressed = count < kGapSuppressionThreshold;
    out.push_back(GapCount{.code = code,
                           .participants = suppressed ? 0 : count,
                           .suppressed = suppressed});
  }
  std::sort(out.begin(), out.end(), [](const GapCount& a, const GapCount& b) {
    if (a.suppressed != b.suppressed) return !a.suppressed;
    if (a.participants != b.participants)
      return a.participants > b.participants;
    return a.code < b.code;
  });
  return out;
}

}  // namespace

std::vector<MunicipalityGaps> ComputeSupplyGaps(
    const Snapshot& snapshot, const Date& today,
    const std::vector<std::string>& municipalities) {
  std::vector<std::string> codes = municipalities;
  if (codes.empty()) {
    for (int i : snapshot.ParticipantIndices()) {
      const Participant& p = snapshot.participant(i);
      if (p.status == ParticipantStatus::kActive) {
        codes.push_back(p.municipality_code);
      }
    }
    for (int i : snapshot.OpeningIndices()) {
      const Opening& o = snapshot.opening(i);
      if (o.status == OpeningStatus::kOpen)
        codes.push_back(o.municipality_code);
    }
  }
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());

  std::vector<MunicipalityGaps> result(codes.size());
  absl::flat_hash_map<absl::string_view, size_t> position;
  for (size_t i = 0; i < codes.size(); ++i) {
    result[i].municipality_code = codes[i];
    position[codes[i]] = i;
  }

  struct Available {
    double latitude;
    int index;
  };
  std::vector<Available> available;
  for (int i : snapshot.OpeningIndices()) {
    const Opening& o = snapshot.opening(i);
    if (!AcceptsPlacement(o, today)) continue;
    available.push_back({o.location.latitude_deg, i});
    if (auto it = position.find(o.municipality_code); it != position.end()) {
      result[it->second].free_places += FreePlaces(o);
    }
  }
  std::sort(available.begin(), available.end(),
            [](const Available& a, const Available& b) {
              return a.latitude < b.latitude ||
                     (a.latitude == b.latitude && a.index < b.index);
            });

  const SupportCatalogue& catalogue = snapshot.reference().supports;
  std::vector<absl::flat_hash_map<std::string, int>> need_counts(codes.size());
  std::vector<absl::flat_hash_map<std::string, int>> field_counts(codes.size());
  std::vector<absl::flat_hash_map<std::string, int>> support_counts(
      codes.size());
  absl::flat_hash_set<int> supports_missing;
  absl::flat_hash_set<absl::string_view> supports_reached;
  absl::flat_hash_set<absl::string_view> fields_reached;
  absl::flat_hash_set<absl::string_view> counted;
  for (int i : snapshot.ParticipantIndices()) {
    const Participant& p = snapshot.participant(i);
    if (p.status != ParticipantStatus::kActive) continue;
    if (p.needs.empty() && p.wanted_fields.empty()) continue;
    auto it = position.find(p.municipality_code);
    if (it == position.end()) continue;
    const size_t m = it->second;

    supports_reached.clear();
    fields_reached.clear();
    const double reach = ReachDegrees(p);
    if (reach >= 0) {
      const double low = p.home.latitude_deg - reach - kBandMarginDegrees;
      const double high = p.home.latitude_deg + reach + kBandMarginDegrees;
      auto first = std::lower_bound(
          available.begin(), available.end(), low,
          [](const Available& a, double lat) { return a.latitude < lat; });
      for (auto a = first; a != available.end() && a->latitude <= high; ++a) {
        const Opening& o = snapshot.opening(a->index);
        if (EstimateTravel(p.home, o.location, p.travel_mode).minutes >
            p.max_travel_minutes) {
          continue;
        }
        for (const std::string& support : o.supports) {
          supports_reached.insert(support);
        }
        fields_reached.insert(o.occupation_field);
      }
    }

    counted.clear();
    supports_missing.clear();
    for (const SupportNeed& need : p.needs) {
      if (!counted.insert(need.need_code).second) continue;
      std::optional<int> index = catalogue.FindNeed(need.need_code);
      if (!index) continue;
      const bool met =
          std::any_of(catalogue.needs()[*index].met_by.begin(),
                      catalogue.needs()[*index].met_by.end(), [&](int support) {
                        return supports_reached.contains(
                            catalogue.supports()[support].code);
                      });
      if (met) continue;
      ++need_counts[m][need.need_code];
      supports_missing.insert(catalogue.needs()[*index].met_by.begin(),
                              catalogue.needs()[*index].met_by.end());
    }
    for (const int support : supports_missing) {
      ++support_counts[m][catalogue.supports()[support].code];
    }
    counted.clear();
    for (const std::string& field : p.wanted_fields) {
      if (!counted.insert(field).second) continue;
      if (!fields_reached.contains(field)) ++field_counts[m][field];
    }
  }
  for (size_t m = 0; m < codes.size(); ++m) {
    result[m].needs = Ordered(need_counts[m]);
    result[m].fields = Ordered(field_counts[m]);
    result[m].supports = Ordered(support_counts[m]);
  }
  return result;
}

}  // namespace placement
