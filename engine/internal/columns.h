// Structure-of-arrays columns of a snapshot, the layout the matcher scans.
// See engine/matcher.h for the algorithm. Columns are in grid order (sorted
// by spatial cell, then id); `record` maps a column position back to the
// record index (id order).

#ifndef PLACEMENT_ENGINE_INTERNAL_COLUMNS_H_
#define PLACEMENT_ENGINE_INTERNAL_COLUMNS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/geo.h"
#include "engine/types.h"

namespace placement::internal {

// Cells of 0.2 degrees latitude by 0.4 longitude over Sweden's bounding box.
struct Grid {
  static constexpr double kCellLatitude = 0.2;
  static constexpr double kCellLongitude = 0.4;
  static constexpr double kMinLatitude = kSwedenMinLatitude;
  static constexpr double kMinLongitude = kSwedenMinLongitude;
  static constexpr int kRows = 72;     // covers 55.0 .. 69.4
  static constexpr int kColumns = 35;  // covers 10.9 .. 24.9

  static int Row(double latitude);
  static int Column(double longitude);
  static int Cell(const GeoPoint& point) {
    return Row(point.latitude_deg) * kColumns + Column(point.longitude_deg);
  }
};

// Names that records refer to by code, interned to small integers for the
// scan. Codes unknown to the reference data get indices too, so that a
// comparison of codes and a comparison of indices always agree.
struct Interned {
  absl::flat_hash_map<std::string, int32_t> fields;
  absl::flat_hash_map<std::string, int32_t> organisations;
  absl::flat_hash_map<std::string, int32_t> municipalities;
};

struct OpeningColumns {
  std::vector<Opening> records;  // id order
  absl::flat_hash_map<std::string, int32_t> by_id;

  // Per position, grid order.
  std::vector<int32_t> record;
  std::vector<UnitVector> where;
  std::vector<uint8_t> is_open;      // status == open
  std::vector<int32_t> end_key;      // yyyymmdd of end_date; INT32_MAX if none
  std::vector<int32_t> free_places;  // FreePlaces(): capacity - taken - held
  std::vector<int8_t> step;
  std::vector<double> min_hours;
  std::vector<int16_t> min_age;
  std::vector<int16_t> max_age;
  std::vector<uint8_t> target_groups;  // bit per TargetGroup; 0 = open to all
  std::vector<uint8_t> min_swedish;
  std::vector<uint8_t> kind;
  std::vector<int32_t> field;
  std::vector<int32_t> organisation;
  std::vector<int32_t> municipality;
  std::vector<uint64_t> supports;  // bit per catalogue support
  // Skills asked for: positions skill_begin[p] .. skill_begin[p + 1], the
  // first essential_count[p] of them essential. -1 for a code unknown to the
  // taxonomy (earns no credit).
  std::vector<int32_t> skill_begin;
  std::vector<uint8_t> essential_count;
  std::vector<int16_t> skill;
  std::vector<int16_t> skill_group;

  std::vector<int32_t> cell_begin;  // Grid::kRows * kColumns + 1 offsets

  // Openings per kind, in all and per interned municipality, so a query's
  // TopKCounts::considered is a sum over its filters, not a scan.
  using KindCounts = std::array<int32_t, kOpeningKindCount>;
  KindCounts by_kind{};
  absl::flat_hash_map<int32_t, KindCounts> by_municipality_kind;
};

struct ParticipantColumns {
  std::vector<Participant> records;  // id order
  absl::flat_hash_map<std::string, int32_t> by_id;

  std::vector<int32_t> record;
  std::vector<UnitVector> where;
  std::vector<uint8_t> is_active;
  std::vector<int32_t> birth_year;
  std::vector<uint8_t> travel_mode;
  std::vector<int32_t> max_minutes;
  std::vector<double> hours;
  std::vector<int8_t> step;
  std::vector<uint8_t> swedish;
  std::vector<uint8_t> target_groups;
  std::vector<int32_t> municipality;
  // Skill and group bitsets: words_per_skill_set words per participant.
  int words_per_skills = 0;
  int words_per_groups = 0;
  std::vector<uint64_t> skill_bits;
  std::vector<uint64_t> group_bits;
  // Needs: need_begin[p] .. need_begin[p + 1]; mask of supports meeting
  // each need (0 for a need unknown to the catalogue), hard or soft.
  std::vector<int32_t> need_begin;
  std::vector<uint64_t> need_mask;
  std::vector<uint8_t> need_hard;
  std::vector<int32_t> soft_need_count;
  // Field and organisation lists, interned.
  std::vector<int32_t> wanted_begin;
  std::vector<int32_t> wanted;
  std::vector<int32_t> vetoed_field_begin;
  std::vector<int32_t> vetoed_field;
  std::vector<int32_t> vetoed_org_begin;
  std::vector<int32_t> vetoed_org;

  std::vector<int32_t> cell_begin;
  double max_reach_km = 0;  // farthest any participant may travel
};

}  // namespace placement::internal

#endif  // PLACEMENT_ENGINE_INTERNAL_COLUMNS_H_
