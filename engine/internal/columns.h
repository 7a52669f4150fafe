// Structure-of-arrays columns of a snapshot, the layout the matcher scans,
// and the append-only logs that hold what changed since the columns were
// built. See engine/matcher.h for the algorithm and the cost of a write.
//
// A side (openings or participants) is a base and a log:
// - The base (OpeningColumns, ParticipantColumns) is immutable: records in id
//   order, columns in grid order (sorted by spatial cell, then id), `record`
//   mapping a column position back to the record index, and one tombstone
//   per record: the version at which a later write replaced or erased it.
// - The log (OpeningLog, ParticipantLog) holds the records written since,
//   one entry per write, in write order; its columns are in entry order. A
//   writer appends while readers scan: each snapshot reads only the entries
//   it counts, and an entry, once written, changes only in its tombstone.

#ifndef PLACEMENT_ENGINE_INTERNAL_COLUMNS_H_
#define PLACEMENT_ENGINE_INTERNAL_COLUMNS_H_

#include <array>
#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "engine/geo.h"
#include "engine/mutex.h"
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
// comparison of codes and a comparison of indices always agree. Immutable
// once a snapshot holds it: a write that brings a new code copies the
// tables (rare: a new employer or field), every other write shares them.
struct Interned {
  absl::flat_hash_map<std::string, int32_t> fields;
  absl::flat_hash_map<std::string, int32_t> organisations;
  absl::flat_hash_map<std::string, int32_t> municipalities;
};

// A column of fixed capacity that one writer appends to while readers read
// positions below the count their snapshot holds. Never reallocated, so a
// reader's pointer stays valid; the writer alone reads size(). A log that
// runs out of room is copied into a larger one (see OpeningLog::Fits).
template <typename T>
class AppendArray {
 public:
  AppendArray() = default;
  explicit AppendArray(size_t capacity)
      : data_(std::make_unique<T[]>(capacity)), capacity_(capacity) {}
  AppendArray(const AppendArray&) = delete;
  AppendArray& operator=(const AppendArray&) = delete;
  AppendArray(AppendArray&&) = default;
  AppendArray& operator=(AppendArray&&) = default;

  const T& operator[](size_t i) const { return data_[i]; }
  const T* data() const { return data_.get(); }
  // Writer only, and only while Fits(1): a log checks before it appends.
  void push_back(T value) {
    assert(size_ < capacity_);
    data_[size_++] = std::move(value);
  }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  bool Fits(size_t more) const { return size_ + more <= capacity_; }

 private:
  std::unique_ptr<T[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

template <typename T>
using Vector = std::vector<T>;

// The columns of openings, per position, in whatever array type the base
// (std::vector) or the log (AppendArray) uses. One function appends a
// record's columns to either (AppendOpeningColumns in matcher.cc).
template <template <typename> class Array>
struct OpeningColumnsOf {
  Array<Opening> records;  // base: id order; log: entry order

  Array<UnitVector> where;
  Array<uint8_t> is_open;      // status == open
  Array<int32_t> end_key;      // yyyymmdd of end_date; INT32_MAX if none
  Array<int32_t> free_places;  // FreePlaces(): capacity - taken - held
  Array<int8_t> step;
  Array<double> min_hours;
  Array<int16_t> min_age;
  Array<int16_t> max_age;
  Array<uint8_t> target_groups;  // bit per TargetGroup; 0 = open to all
  Array<uint8_t> min_swedish;
  Array<uint8_t> kind;
  Array<int32_t> field;
  Array<int32_t> organisation;
  Array<int32_t> municipality;
  Array<uint64_t> supports;  // bit per catalogue support
  // Skills asked for: positions skill_begin[p] .. skill_begin[p + 1], the
  // first essential_count[p] of them essential. -1 for a code unknown to the
  // taxonomy (earns no credit).
  Array<int32_t> skill_begin;
  Array<uint8_t> essential_count;
  Array<int16_t> skill;
  Array<int16_t> skill_group;
};

template <template <typename> class Array>
struct ParticipantColumnsOf {
  Array<Participant> records;  // base: id order; log: entry order

  Array<UnitVector> where;
  Array<uint8_t> is_active;
  Array<int32_t> birth_year;
  Array<uint8_t> travel_mode;
  Array<int32_t> max_minutes;
  Array<double> hours;
  Array<int8_t> step;
  Array<uint8_t> swedish;
  Array<uint8_t> target_groups;
  Array<int32_t> municipality;
  // Skill and group bitsets: words_per_skills (words_per_groups) words per
  // position.
  Array<uint64_t> skill_bits;
  Array<uint64_t> group_bits;
  // Needs: need_begin[p] .. need_begin[p + 1]; mask of supports meeting
  // each need (0 for a need unknown to the catalogue), hard or soft.
  Array<int32_t> need_begin;
  Array<uint64_t> need_mask;
  Array<uint8_t> need_hard;
  Array<int32_t> soft_need_count;
  // Field and organisation lists, interned.
  Array<int32_t> wanted_begin;
  Array<int32_t> wanted;
  Array<int32_t> vetoed_field_begin;
  Array<int32_t> vetoed_field;
  Array<int32_t> vetoed_org_begin;
  Array<int32_t> vetoed_org;
};

// Per record of a base: 0 while it is current, else the version of the
// write that replaced or erased it. Written once, by the writer that
// replaces the record, while readers of older versions read it; a reader
// at version v treats the record as current when the value is 0 or above
// v, and every value written after its snapshot was published is above v,
// so relaxed atomics suffice.
class Tombstones {
 public:
  explicit Tombstones(size_t count)
      : dead_since_(std::make_unique<std::atomic<uint64_t>[]>(count)),
        count_(count) {}
  bool CurrentAt(size_t i, uint64_t version) const {
    const uint64_t dead = dead_since_[i].load(std::memory_order_relaxed);
    return dead == 0 || dead > version;
  }
  uint64_t DeadSince(size_t i) const {
    return dead_since_[i].load(std::memory_order_relaxed);
  }
  void Kill(size_t i, uint64_t version) {
    dead_since_[i].store(version, std::memory_order_relaxed);
  }
  size_t bytes() const { return count_ * sizeof(std::atomic<uint64_t>); }

 private:
  std::unique_ptr<std::atomic<uint64_t>[]> dead_since_;
  size_t count_ = 0;
};

struct OpeningColumns : OpeningColumnsOf<Vector> {
  absl::flat_hash_map<std::string, int32_t> by_id;
  std::vector<int32_t> record;      // position -> record index
  std::vector<int32_t> cell_begin;  // Grid::kRows * kColumns + 1 offsets

  // Openings per kind, in all and per interned municipality, so a query's
  // TopKCounts::considered is a sum over its filters, not a scan.
  using KindCounts = std::array<int32_t, kOpeningKindCount>;
  KindCounts by_kind{};
  absl::flat_hash_map<int32_t, KindCounts> by_municipality_kind;
};

struct ParticipantColumns : ParticipantColumnsOf<Vector> {
  absl::flat_hash_map<std::string, int32_t> by_id;
  std::vector<int32_t> record;
  std::vector<int32_t> cell_begin;
  int words_per_skills = 0;
  int words_per_groups = 0;
  double max_reach_km = 0;  // farthest any participant may travel
};

// The snapshots that grew from one Build by writes: `head` is the version
// of the newest, the only one a write may extend in place (Snapshot::
// NextWrite claims it by compare-and-swap); kRetired once a compaction has
// replaced the lineage.
struct Lineage {
  static constexpr uint64_t kRetired = UINT64_MAX;
  explicit Lineage(uint64_t version) : head(version) {}
  std::atomic<uint64_t> head;
};

// What the logs of both sides keep per entry besides the columns.
struct LogEntries {
  explicit LogEntries(size_t capacity)
      : created(capacity),
        previous(capacity),
        replaced_base(capacity),
        erased(capacity),
        row(capacity),
        column(capacity),
        dead_since(std::make_unique<std::atomic<uint64_t>[]>(capacity)) {}

  bool CurrentAt(size_t i, uint64_t version) const {
    const uint64_t dead = dead_since[i].load(std::memory_order_relaxed);
    return dead == 0 || dead > version;
  }

  AppendArray<uint64_t> created;       // the write's version
  AppendArray<int32_t> previous;       // older entry of the same id, or -1
  AppendArray<int32_t> replaced_base;  // base record it replaced, or -1
  AppendArray<uint8_t> erased;         // an erasure: no record, never current
  AppendArray<int16_t> row;            // grid row and column of the record
  AppendArray<int16_t> column;
  // As Tombstones, per entry.
  std::unique_ptr<std::atomic<uint64_t>[]> dead_since;

  // The newest entry per id. Readers look up under the lock and then walk
  // `previous` back to the newest entry their snapshot counts.
  mutable Mutex mutex;
  absl::flat_hash_map<std::string, int32_t> newest ABSL_GUARDED_BY(mutex);
};

struct OpeningLog : OpeningColumnsOf<AppendArray> {
  explicit OpeningLog(size_t capacity, size_t skill_capacity);
  LogEntries entries;
};

struct ParticipantLog : ParticipantColumnsOf<AppendArray> {
  ParticipantLog(size_t capacity, size_t list_capacity, int skill_words,
                 int group_words);
  LogEntries entries;
  int words_per_skills = 0;
  int words_per_groups = 0;
};

}  // namespace placement::internal

#endif  // PLACEMENT_ENGINE_INTERNAL_COLUMNS_H_
