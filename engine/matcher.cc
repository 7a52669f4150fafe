#include "engine/matcher.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <numbers>
#include <numeric>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "engine/geo.h"
#include "engine/internal/columns.h"
#include "engine/internal/skills.h"
#include "engine/opening_rules.h"

namespace placement {
namespace internal {

int Grid::Row(double latitude) {
  const int row =
      static_cast<int>(std::floor((latitude - kMinLatitude) / kCellLatitude));
  return std::clamp(row, 0, kRows - 1);
}

int Grid::Column(double longitude) {
  const int column = static_cast<int>(
      std::floor((longitude - kMinLongitude) / kCellLongitude));
  return std::clamp(column, 0, kColumns - 1);
}

}  // namespace internal

namespace {

using internal::Grid;
using internal::Interned;
using internal::LogEntries;
using internal::OpeningColumns;
using internal::OpeningLog;
using internal::ParticipantColumns;
using internal::ParticipantLog;
using internal::Tombstones;

constexpr int kMaxK = 1000;
// Slack on the chord prefilter so that rounding can never drop a pair the
// exact travel rule would keep; survivors are then checked exactly.
constexpr double kChordSlack = 1 + 1e-9;

int32_t DateKey(const Date& date) {
  return date.year * 10000 + date.month * 100 + date.day;
}

int32_t InternedOr(const absl::flat_hash_map<std::string, int32_t>& table,
                   absl::string_view code) {
  auto it = table.find(code);
  return it == table.end() ? -1 : it->second;
}

void Intern(absl::flat_hash_map<std::string, int32_t>& table,
            const std::string& code) {
  table.emplace(code, static_cast<int32_t>(table.size()));
}

void InternCodesOf(const Opening& o, Interned& interned) {
  Intern(interned.fields, o.occupation_field);
  Intern(interned.organisations, o.organisation_id);
  Intern(interned.municipalities, o.municipality_code);
}

void InternCodesOf(const Participant& p, Interned& interned) {
  for (const std::string& field : p.wanted_fields)
    Intern(interned.fields, field);
  for (const std::string& field : p.vetoed_fields)
    Intern(interned.fields, field);
  for (const std::string& org : p.vetoed_organisations)
    Intern(interned.organisations, org);
  Intern(interned.municipalities, p.municipality_code);
}

uint8_t TargetMask(const std::vector<TargetGroup>& groups) {
  uint8_t mask = 0;
  for (TargetGroup g : groups)
    mask = static_cast<uint8_t>(mask | (1u << static_cast<int>(g)));
  return mask;
}

uint64_t SupportMask(const std::vector<std::string>& supports,
                     const SupportCatalogue& c) {
  uint64_t mask = 0;
  for (const std::string& code : supports) {
    if (std::optional<int> index = c.FindSupport(code))
      mask |= uint64_t{1} << *index;
  }
  return mask;
}

// Supports that meet a need; 0 for a need unknown to the catalogue (never met).
uint64_t NeedMask(absl::string_view need_code, const SupportCatalogue& c) {
  std::optional<int> need = c.FindNeed(need_code);
  if (!need) return 0;
  uint64_t mask = 0;
  for (int support : c.needs()[*need].met_by) mask |= uint64_t{1} << support;
  return mask;
}

// Farthest great-circle distance reachable within `minutes` by `mode`;
// negative when even a zero-distance trip takes longer.
double ReachKm(TravelMode mode, int minutes) {
  const TravelModeModel& model = kTravelModels[static_cast<size_t>(mode)];
  return (minutes - model.fixed_minutes) * model.speed_kmh / 60.0 /
         kDetourFactor;
}

// Exactly EstimateTravel(...).minutes, from a squared chord.
double TravelMinutesOverChord(double chord_squared, TravelMode mode) {
  return TravelMinutes(ChordSquaredToKm(chord_squared), mode);
}

// Sorts positions by grid cell then id (record index) and fills cell_begin.
std::vector<int32_t> GridOrder(const std::vector<int>& cells,
                               std::vector<int32_t>& cell_begin) {
  std::vector<int32_t> order(cells.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return cells[a] < cells[b]; });
  cell_begin.assign(Grid::kRows * Grid::kColumns + 1, 0);
  for (int cell : cells) ++cell_begin[cell + 1];
  std::partial_sum(cell_begin.begin(), cell_begin.end(), cell_begin.begin());
  return order;
}

// Fills the id index and the grid order (positions sorted by cell, then id)

// Appends one opening's columns (not its record) to a base or a log.
template <typename Columns>
void AppendOpeningColumns(Columns& c, const Opening& o,
                          const ReferenceData& reference,
                          const Interned& interned) {
  const SkillTaxonomy& taxonomy = reference.skills;
  c.where.push_back(ToUnitVector(o.location));
  c.is_open.push_back(o.status == OpeningStatus::kOpen);
  c.end_key.push_back(o.end_date ? DateKey(*o.end_date) : INT32_MAX);
  c.free_places.push_back(FreePlaces(o));
  c.step.push_back(static_cast<int8_t>(o.step));
  c.min_hours.push_back(o.min_hours_per_week);
  c.min_age.push_back(static_cast<int16_t>(o.min_age));
  c.max_age.push_back(static_cast<int16_t>(o.max_age));
  c.target_groups.push_back(TargetMask(o.target_groups));
  c.min_swedish.push_back(static_cast<uint8_t>(o.min_swedish));
  c.kind.push_back(static_cast<uint8_t>(o.kind));
  c.field.push_back(InternedOr(interned.fields, o.occupation_field));
  c.organisation.push_back(
      InternedOr(interned.organisations, o.organisation_id));
  c.municipality.push_back(
      InternedOr(interned.municipalities, o.municipality_code));
  c.supports.push_back(SupportMask(o.supports, reference.supports));
  auto add_skill = [&](const std::string& code) {
    std::optional<int> skill = taxonomy.FindSkill(code);
    c.skill.push_back(static_cast<int16_t>(skill ? *skill : -1));
    c.skill_group.push_back(
        static_cast<int16_t>(skill ? taxonomy.skills()[*skill].group : -1));
  };
  for (const std::string& code : o.essential_skills) add_skill(code);
  for (const std::string& code : o.optional_skills) add_skill(code);
  c.essential_count.push_back(static_cast<uint8_t>(o.essential_skills.size()));
  c.skill_begin.push_back(static_cast<int32_t>(c.skill.size()));
}

// Appends one participant's columns (not its record) to a base or a log.
template <typename Columns>
void AppendParticipantColumns(Columns& c, const Participant& p,
                              const ReferenceData& reference,
                              const Interned& interned, int words_per_skills,
                              int words_per_groups) {
  c.where.push_back(ToUnitVector(p.home));
  c.is_active.push_back(p.status == ParticipantStatus::kActive);
  c.birth_year.push_back(p.birth_year);
  c.travel_mode.push_back(static_cast<uint8_t>(p.travel_mode));
  c.max_minutes.push_back(p.max_travel_minutes);
  c.hours.push_back(p.hours_per_week);
  c.step.push_back(static_cast<int8_t>(p.step));
  c.swedish.push_back(static_cast<uint8_t>(p.swedish_level));
  c.target_groups.push_back(TargetMask(p.target_groups));
  c.municipality.push_back(
      InternedOr(interned.municipalities, p.municipality_code));
  absl::InlinedVector<uint64_t, 8> skills(static_cast<size_t>(words_per_skills),
                                          0);
  absl::InlinedVector<uint64_t, 8> groups(static_cast<size_t>(words_per_groups),
                                          0);
  internal::AddSkillBits(p.skills, reference.skills, skills.data(),
                         groups.data());
  for (uint64_t word : skills) c.skill_bits.push_back(word);
  for (uint64_t word : groups) c.group_bits.push_back(word);
  int soft = 0;
  for (const SupportNeed& need : p.needs) {
    c.need_mask.push_back(NeedMask(need.need_code, reference.supports));
    c.need_hard.push_back(need.strength == NeedStrength::kHard);
    soft += need.strength == NeedStrength::kSoft;
  }
  c.soft_need_count.push_back(soft);
  c.need_begin.push_back(static_cast<int32_t>(c.need_mask.size()));
  for (const std::string& f : p.wanted_fields)
    c.wanted.push_back(interned.fields.at(f));
  c.wanted_begin.push_back(static_cast<int32_t>(c.wanted.size()));
  for (const std::string& f : p.vetoed_fields)
    c.vetoed_field.push_back(interned.fields.at(f));
  c.vetoed_field_begin.push_back(static_cast<int32_t>(c.vetoed_field.size()));
  for (const std::string& org : p.vetoed_organisations)
    c.vetoed_org.push_back(interned.organisations.at(org));
  c.vetoed_org_begin.push_back(static_cast<int32_t>(c.vetoed_org.size()));
}

// Fills the id index and the grid order (positions sorted by cell, then id)
// of records already in id order.
template <typename Record, typename Where>
void IndexRecords(const std::vector<Record>& records, Where where,
                  absl::flat_hash_map<std::string, int32_t>& by_id,
                  std::vector<int32_t>& grid_order,
                  std::vector<int32_t>& cell_begin) {
  by_id.reserve(records.size());
  std::vector<int> cells(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    by_id.emplace(records[i].id, static_cast<int32_t>(i));
    cells[i] = Grid::Cell(where(records[i]));
  }
  grid_order = GridOrder(cells, cell_begin);
}

std::shared_ptr<const OpeningColumns> BuildOpeningColumns(
    std::vector<Opening> records, const ReferenceData& reference,
    const Interned& interned) {
  auto columns = std::make_shared<OpeningColumns>();
  OpeningColumns& c = *columns;
  c.records = std::move(records);
  IndexRecords(
      c.records, [](const Opening& o) { return o.location; }, c.by_id, c.record,
      c.cell_begin);
  c.where.reserve(c.records.size());
  c.skill_begin.reserve(c.records.size() + 1);
  c.skill_begin.push_back(0);
  for (int32_t index : c.record) {
    const Opening& o = c.records[index];
    AppendOpeningColumns(c, o, reference, interned);
    ++c.by_kind[static_cast<size_t>(o.kind)];
    ++c.by_municipality_kind[c.municipality.back()]
                            [static_cast<size_t>(o.kind)];
  }
  return columns;
}

int WordsPerSkills(const ReferenceData& reference) {
  return static_cast<int>(
      internal::SkillWords(reference.skills.skills().size()));
}
int WordsPerGroups(const ReferenceData& reference) {
  return static_cast<int>(
      internal::SkillWords(reference.skills.groups().size()));
}

std::shared_ptr<const ParticipantColumns> BuildParticipantColumns(
    std::vector<Participant> records, const ReferenceData& reference,
    const Interned& interned) {
  auto columns = std::make_shared<ParticipantColumns>();
  ParticipantColumns& c = *columns;
  c.records = std::move(records);
  const size_t n = c.records.size();
  IndexRecords(
      c.records, [](const Participant& p) { return p.home; }, c.by_id, c.record,
      c.cell_begin);
  c.words_per_skills = WordsPerSkills(reference);
  c.words_per_groups = WordsPerGroups(reference);
  c.skill_bits.reserve(n * static_cast<size_t>(c.words_per_skills));
  c.group_bits.reserve(n * static_cast<size_t>(c.words_per_groups));
  c.need_begin.push_back(0);
  c.wanted_begin.push_back(0);
  c.vetoed_field_begin.push_back(0);
  c.vetoed_org_begin.push_back(0);
  for (int32_t index : c.record) {
    const Participant& p = c.records[index];
    AppendParticipantColumns(c, p, reference, interned, c.words_per_skills,
                             c.words_per_groups);
    c.max_reach_km =
        std::max(c.max_reach_km, ReachKm(p.travel_mode, p.max_travel_minutes));
  }
  return columns;
}

template <typename Record>
absl::Status CheckUniqueIds(const std::vector<Record>& sorted,
                            absl::string_view what) {
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i].id == sorted[i - 1].id) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, " id '", sorted[i].id, "' appears more than once"));
    }
  }
  return absl::OkStatus();
}

template <typename Record>
void SortById(std::vector<Record>& records) {
  std::sort(records.begin(), records.end(),
            [](const Record& a, const Record& b) { return a.id < b.id; });
}

bool HasNewCodes(const Opening& o, const Interned& interned) {
  return !interned.fields.contains(o.occupation_field) ||
         !interned.organisations.contains(o.organisation_id) ||
         !interned.municipalities.contains(o.municipality_code);
}

bool HasNewCodes(const Participant& p, const Interned& interned) {
  auto any_new = [](const std::vector<std::string>& codes,
                    const absl::flat_hash_map<std::string, int32_t>& table) {
    return std::any_of(codes.begin(), codes.end(), [&](const std::string& c) {
      return !table.contains(c);
    });
  };
  return any_new(p.wanted_fields, interned.fields) ||
         any_new(p.vetoed_fields, interned.fields) ||
         any_new(p.vetoed_organisations, interned.organisations) ||
         !interned.municipalities.contains(p.municipality_code);
}

// --- Logs. ---

constexpr size_t kFirstLogCapacity = 64;

size_t SkillCount(const Opening& o) {
  return o.essential_skills.size() + o.optional_skills.size();
}

size_t ListItems(const Participant& p) {
  return std::max({p.needs.size(), p.wanted_fields.size(),
                   p.vetoed_fields.size(), p.vetoed_organisations.size()});
}

bool Fits(const OpeningLog& log, const Opening& o) {
  return log.entries.created.Fits(1) && log.skill.Fits(SkillCount(o));
}

bool Fits(const ParticipantLog& log, const Participant& p) {
  return log.entries.created.Fits(1) && log.need_mask.Fits(p.needs.size()) &&
         log.wanted.Fits(p.wanted_fields.size()) &&
         log.vetoed_field.Fits(p.vetoed_fields.size()) &&
         log.vetoed_org.Fits(p.vetoed_organisations.size());
}

// Copies the per-entry bookkeeping of `from`'s first `count` entries as a
// snapshot at `version` sees them: tombstones set later are dropped, and the
// newest entry per id is the newest of those copied.
void CopyEntries(const LogEntries& from, int count, uint64_t version,
                 const std::vector<std::string>& ids, LogEntries& to) {
  for (int i = 0; i < count; ++i) {
    const size_t e = static_cast<size_t>(i);
    to.created.push_back(from.created[e]);
    to.previous.push_back(from.previous[e]);
    to.replaced_base.push_back(from.replaced_base[e]);
    to.erased.push_back(from.erased[e]);
    to.row.push_back(from.row[e]);
    to.column.push_back(from.column[e]);
    const uint64_t dead = from.dead_since[e].load(std::memory_order_relaxed);
    to.dead_since[e].store(dead <= version ? dead : 0,
                           std::memory_order_relaxed);
  }
  MutexLock lock(&to.mutex);
  for (int i = 0; i < count; ++i) to.newest[ids[static_cast<size_t>(i)]] = i;
}

// A copy of `from` as a snapshot at `version` sees it (later tombstones
// dropped): O(N). What a write on a snapshot that is no longer the newest
// of its lineage starts from.
std::shared_ptr<Tombstones> TombstonesAt(const Tombstones& from, size_t count,
                                         uint64_t version) {
  auto copy = std::make_shared<Tombstones>(count);
  for (size_t i = 0; i < count; ++i) {
    const uint64_t dead = from.DeadSince(i);
    if (dead != 0 && dead <= version) copy->Kill(i, dead);
  }
  return copy;
}

// A log with room for `old`'s first `count` entries and then `next`: those
// entries copied as a snapshot at `version` sees them (their columns
// recomputed from their records, with the same interned codes), capacity
// doubled. Amortised O(1) per write.
std::shared_ptr<OpeningLog> GrownLog(const OpeningLog* old, int count,
                                     uint64_t version, const Opening& next,
                                     const ReferenceData& reference,
                                     const Interned& interned) {
  const size_t capacity =
      std::max(kFirstLogCapacity, 2 * static_cast<size_t>(count) + 1);
  // Room for `next` too, however many skills it asks for.
  const size_t skills =
      std::max(8 * capacity, old == nullptr ? 0 : 2 * old->skill.size()) +
      SkillCount(next);
  auto log = std::make_shared<OpeningLog>(capacity, skills);
  if (old == nullptr) return log;
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    const Opening& o = old->records[static_cast<size_t>(i)];
    AppendOpeningColumns(*log, o, reference, interned);
    log->records.push_back(o);
    ids.push_back(o.id);
  }
  CopyEntries(old->entries, count, version, ids, log->entries);
  return log;
}

std::shared_ptr<ParticipantLog> GrownLog(const ParticipantLog* old, int count,
                                         uint64_t version,
                                         const Participant& next,
                                         const ReferenceData& reference,
                                         const Interned& interned) {
  const size_t capacity =
      std::max(kFirstLogCapacity, 2 * static_cast<size_t>(count) + 1);
  size_t lists = 8 * capacity;
  if (old != nullptr) {
    lists =
        std::max({lists, 2 * old->need_mask.size(), 2 * old->wanted.size(),
                  2 * old->vetoed_field.size(), 2 * old->vetoed_org.size()});
  }
  lists += ListItems(next);
  auto log = std::make_shared<ParticipantLog>(
      capacity, lists, WordsPerSkills(reference), WordsPerGroups(reference));
  if (old == nullptr) return log;
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    const Participant& p = old->records[static_cast<size_t>(i)];
    AppendParticipantColumns(*log, p, reference, interned,
                             log->words_per_skills, log->words_per_groups);
    log->records.push_back(p);
    ids.push_back(p.id);
  }
  CopyEntries(old->entries, count, version, ids, log->entries);
  return log;
}

// What a write replaces: the newest log entry of the id (possibly an
// erasure) or the base record, at the newest snapshot of the lineage.
struct Replaced {
  int32_t previous = -1;  // newest log entry of the id
  int32_t base = -1;      // base record replaced
  bool existed = false;   // a current record was replaced
};

template <typename Base, typename Log>
Replaced ReplaceCurrent(const Base& base, Tombstones& tombstones, Log* log,
                        absl::string_view id, uint64_t version) {
  Replaced replaced;
  if (log != nullptr) {
    {
      MutexLock lock(&log->entries.mutex);
      auto it = log->entries.newest.find(id);
      if (it != log->entries.newest.end()) replaced.previous = it->second;
    }
    if (replaced.previous >= 0) {
      // The base record, if any, was replaced by the id's first entry.
      const size_t e = static_cast<size_t>(replaced.previous);
      if (!log->entries.erased[e]) {
        log->entries.dead_since[e].store(version, std::memory_order_relaxed);
        replaced.existed = true;
      }
      return replaced;
    }
  }
  auto it = base.by_id.find(id);
  if (it != base.by_id.end() &&
      tombstones.DeadSince(static_cast<size_t>(it->second)) == 0) {
    tombstones.Kill(static_cast<size_t>(it->second), version);
    replaced.base = it->second;
    replaced.existed = true;
  }
  return replaced;
}

// Appends the entry's bookkeeping and record; its columns are already
// appended.
template <typename Log, typename Record>
void AppendEntry(Log& log, Record record, const GeoPoint& where,
                 const Replaced& replaced, bool erased, uint64_t version) {
  LogEntries& entries = log.entries;
  const int32_t index = static_cast<int32_t>(entries.created.size());
  entries.created.push_back(version);
  entries.previous.push_back(replaced.previous);
  entries.replaced_base.push_back(replaced.base);
  entries.erased.push_back(erased);
  entries.row.push_back(static_cast<int16_t>(Grid::Row(where.latitude_deg)));
  entries.column.push_back(
      static_cast<int16_t>(Grid::Column(where.longitude_deg)));
  std::string id = record.id;
  log.records.push_back(std::move(record));
  MutexLock lock(&entries.mutex);
  entries.newest[std::move(id)] = index;
}

// The entry of `id` that a snapshot counting `count` entries sees: the
// newest below `count`, or -1.
int32_t EntryInView(const LogEntries& entries, int count,
                    absl::string_view id) {
  int32_t e = -1;
  {
    MutexLock lock(&entries.mutex);
    auto it = entries.newest.find(id);
    if (it != entries.newest.end()) e = it->second;
  }
  // Entries at or above `count` were fully written before the map named
  // them (the lock orders it), so their `previous` is safe to read.
  while (e >= count) e = entries.previous[static_cast<size_t>(e)];
  return e;
}

template <typename Base, typename Log>
std::optional<int> FindIn(const Base& base, const Tombstones& tombstones,
                          const Log* log, int log_count, uint64_t version,
                          absl::string_view id) {
  if (log != nullptr && log_count > 0) {
    const int32_t e = EntryInView(log->entries, log_count, id);
    if (e >= 0) {
      if (log->entries.erased[static_cast<size_t>(e)]) return std::nullopt;
      return static_cast<int>(base.records.size()) + e;
    }
  }
  auto it = base.by_id.find(id);
  if (it == base.by_id.end() ||
      !tombstones.CurrentAt(static_cast<size_t>(it->second), version)) {
    return std::nullopt;
  }
  return it->second;
}

// Indices of current records in id order, ids above `after` (all for an
// empty `after`), at most `limit` (-1: no limit).
template <typename Base, typename Log>
std::vector<int> IndicesInOrder(const Base& base, const Tombstones& tombstones,
                                const Log* log, int log_count, uint64_t version,
                                absl::string_view after, int limit) {
  const int base_count = static_cast<int>(base.records.size());
  std::vector<int> from_log;
  for (int e = 0; e < log_count; ++e) {
    const size_t i = static_cast<size_t>(e);
    if (log->entries.erased[i] || !log->entries.CurrentAt(i, version)) continue;
    if (!after.empty() && log->records[i].id <= after) continue;
    from_log.push_back(base_count + e);
  }
  std::sort(from_log.begin(), from_log.end(), [&](int a, int b) {
    return log->records[static_cast<size_t>(a - base_count)].id <
           log->records[static_cast<size_t>(b - base_count)].id;
  });
  int b = 0;
  if (!after.empty()) {
    b = static_cast<int>(
        std::upper_bound(base.records.begin(), base.records.end(), after,
                         [](absl::string_view id, const auto& record) {
                           return id < record.id;
                         }) -
        base.records.begin());
  }
  std::vector<int> out;
  size_t l = 0;
  auto full = [&] {
    return limit >= 0 && static_cast<int>(out.size()) >= limit;
  };
  while (!full()) {
    while (b < base_count &&
           !tombstones.CurrentAt(static_cast<size_t>(b), version)) {
      ++b;
    }
    const bool base_left = b < base_count;
    const bool log_left = l < from_log.size();
    if (!base_left && !log_left) break;
    if (!log_left ||
        (base_left &&
         base.records[static_cast<size_t>(b)].id <
             log->records[static_cast<size_t>(from_log[l] - base_count)].id)) {
      out.push_back(b++);
    } else {
      out.push_back(from_log[l++]);
    }
  }
  return out;
}

// Keeps the k best: total descending, then id ascending (`less` orders
// indices by id).
template <typename IdLess>
class TopK {
 public:
  TopK(int k, IdLess less)
      : k_(static_cast<size_t>(std::clamp(k, 1, kMaxK))), less_(less) {}

  void Push(double total, int index) {
    const RankedMatch match{.index = index, .total = total};
    if (heap_.size() < k_) {
      heap_.push_back(match);
      std::push_heap(heap_.begin(), heap_.end(), Better());
    } else if (Better()(match, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), Better());
      heap_.back() = match;
      std::push_heap(heap_.begin(), heap_.end(), Better());
    }
  }
  std::vector<RankedMatch> Take() {
    std::sort(heap_.begin(), heap_.end(), Better());
    return std::move(heap_);
  }

 private:
  auto Better() const {
    return [this](const RankedMatch& a, const RankedMatch& b) {
      return a.total > b.total ||
             (a.total == b.total && less_(a.index, b.index));
    };
  }
  size_t k_;
  IdLess less_;
  std::vector<RankedMatch> heap_;  // a heap whose front is the worst kept
};

// Orders indices by record id: base indices are in id order among
// themselves, so only a comparison with a log entry reads the ids.
template <typename RecordAt>
auto IdLessOf(int base_count, RecordAt record_at) {
  return [base_count, record_at](int a, int b) {
    if (a < base_count && b < base_count) return a < b;
    return record_at(a).id < record_at(b).id;
  };
}

struct PreparedParticipant {
  UnitVector where;
  TravelMode mode;
  int age = 0;
  bool active = false;
  double hours = 0;
  int step = 0;
  uint8_t swedish = 0;
  uint8_t target_groups = 0;
  std::vector<uint64_t> skills;
  std::vector<uint64_t> groups;
  std::vector<uint64_t> hard_masks;
  std::vector<uint64_t> soft_masks;
  std::vector<int32_t> wanted;
  bool wanted_any = false;  // named at least one wanted field (even unknown)
  std::vector<int32_t> vetoed_fields;
  std::vector<int32_t> vetoed_orgs;
  int limit_minutes = 0;
};

PreparedParticipant Prepare(const Participant& p,
                            const ReferenceData& reference,
                            const Interned& interned,
                            const ScoringContext& context) {
  PreparedParticipant q;
  q.where = ToUnitVector(p.home);
  q.mode = p.travel_mode;
  q.age = context.today.year - p.birth_year;
  q.active = p.status == ParticipantStatus::kActive;
  q.hours = p.hours_per_week;
  q.step = p.step;
  q.swedish = static_cast<uint8_t>(p.swedish_level);
  q.target_groups = TargetMask(p.target_groups);
  q.skills.assign(internal::SkillWords(reference.skills.skills().size()), 0);
  q.groups.assign(internal::SkillWords(reference.skills.groups().size()), 0);
  internal::AddSkillBits(p.skills, reference.skills, q.skills.data(),
                         q.groups.data());
  for (const SupportNeed& need : p.needs) {
    (need.strength == NeedStrength::kHard ? q.hard_masks : q.soft_masks)
        .push_back(NeedMask(need.need_code, reference.supports));
  }
  q.wanted_any = !p.wanted_fields.empty();
  for (const std::string& f : p.wanted_fields)
    q.wanted.push_back(InternedOr(interned.fields, f));
  for (const std::string& f : p.vetoed_fields) {
    q.vetoed_fields.push_back(InternedOr(interned.fields, f));
  }
  for (const std::string& org : p.vetoed_organisations) {
    q.vetoed_orgs.push_back(InternedOr(interned.organisations, org));
  }
  q.limit_minutes =
      context.max_travel_minutes > 0
          ? std::min(context.max_travel_minutes, p.max_travel_minutes)
          : p.max_travel_minutes;
  return q;
}

bool ListContains(const int32_t* begin, const int32_t* end, int32_t value) {
  return value >= 0 && std::find(begin, end, value) != end;
}

// The skills component for an opening at `position`, given the
// participant's skill and group bitsets (the kernel ExplainPair uses).
template <typename Columns>
double SkillsValue(const Columns& o, size_t position, const uint64_t* skills,
                   const uint64_t* groups) {
  const int32_t begin = o.skill_begin[position];
  const int essential = o.essential_count[position];
  const int optional = o.skill_begin[position + 1] - begin - essential;
  return internal::SkillsScore(essential, optional, [&](int i) {
    return internal::SkillCredit(o.skill[begin + i], o.skill_group[begin + i],
                                 skills, groups);
  });
}

double Total(const ComponentValues& weights, double skills, double support,
             double travel, double step, double preference) {
  double total = 0;
  total += weights[0] * skills;
  total += weights[1] * support;
  total += weights[2] * travel;
  total += weights[3] * step;
  total += weights[4] * preference;
  return total;
}

// Membership sets for the kind and municipality filters.
struct Filters {
  uint8_t kinds = 0xFF;  // bit per OpeningKind
  bool any_municipality = true;
  std::vector<int32_t> municipalities;  // interned, sorted
};

Filters MakeFilters(const TopKQuery& query, const Interned& interned) {
  Filters filters;
  if (!query.kinds.empty()) {
    filters.kinds = 0;
    for (OpeningKind kind : query.kinds) {
      filters.kinds =
          static_cast<uint8_t>(filters.kinds | (1u << static_cast<int>(kind)));
    }
  }
  if (!query.municipalities.empty()) {
    filters.any_municipality = false;
    for (const std::string& code : query.municipalities) {
      filters.municipalities.push_back(
          InternedOr(interned.municipalities, code));
    }
    std::sort(filters.municipalities.begin(), filters.municipalities.end());
  }
  return filters;
}

bool MunicipalityAllowed(const Filters& filters, int32_t municipality) {
  return filters.any_municipality ||
         (municipality >= 0 &&
          std::binary_search(filters.municipalities.begin(),
                             filters.municipalities.end(), municipality));
}

// The grid cells that may hold points within `reach_km` of `centre`: rows
// row_low..row_high, in each the columns column_low..column_high.
struct CellWindow {
  int row_low = 0;
  int row_high = Grid::kRows - 1;
  int column_low = 0;
  int column_high = Grid::kColumns - 1;

  bool Contains(int row, int column) const {
    return row >= row_low && row <= row_high && column >= column_low &&
           column <= column_high;
  }
};

// Every cell when not indexed.
CellWindow WindowAround(const GeoPoint& centre, double reach_km, bool indexed) {
  CellWindow window;
  if (!indexed) return window;
  // Exact bounds of the spherical cap within reach_km of the centre: along
  // the meridian the cap spans d/R radians of latitude; its widest longitude
  // span is where a meridian touches it, asin(sin(d/R) / cos(latitude)).
  // A small margin absorbs rounding; the chord test decides membership.
  constexpr double kDegreesPerRadian = 180.0 / std::numbers::pi;
  constexpr double kMarginDegrees = 1e-9;
  const double angle = reach_km / kEarthRadiusKm;
  const double lat_span = angle * kDegreesPerRadian + kMarginDegrees;
  const double sin_angle = std::sin(std::min(angle, std::numbers::pi / 2));
  const double cos_centre = std::cos(centre.latitude_deg / kDegreesPerRadian);
  const double lon_span =
      sin_angle >= cos_centre
          ? 360.0
          : std::asin(sin_angle / cos_centre) * kDegreesPerRadian +
                kMarginDegrees;
  window.row_low = Grid::Row(centre.latitude_deg - lat_span);
  window.row_high = Grid::Row(centre.latitude_deg + lat_span);
  window.column_low = Grid::Column(centre.longitude_deg - lon_span);
  window.column_high = Grid::Column(centre.longitude_deg + lon_span);
  return window;
}

// Calls visit(begin, end) for the ranges of base positions in the window's
// cells.
template <typename Visit>
void ForEachRange(const std::vector<int32_t>& cell_begin,
                  const CellWindow& window, Visit visit) {
  for (int row = window.row_low; row <= window.row_high; ++row) {
    const int first = row * Grid::kColumns + window.column_low;
    const int last = row * Grid::kColumns + window.column_high;
    visit(cell_begin[first], cell_begin[last + 1]);
  }
}

// Calls consider(columns, position, index, current) for every base position
// in the window's cells, then for every log entry in them that is not an
// erasure; `current()` says whether that record is current at `version`.
template <typename Base, typename Log, typename Consider>
void ScanBaseAndLog(const Base& base, const Tombstones& replaced,
                    const Log* log, int log_count, uint64_t version,
                    const CellWindow& window, Consider consider) {
  ForEachRange(base.cell_begin, window, [&](int32_t begin, int32_t end) {
    for (int32_t p = begin; p < end; ++p) {
      const size_t i = static_cast<size_t>(p);
      const int32_t index = base.record[i];
      consider(base, i, index, [&] {
        return replaced.CurrentAt(static_cast<size_t>(index), version);
      });
    }
  });
  const int base_count = static_cast<int>(base.records.size());
  for (int e = 0; e < log_count; ++e) {
    const size_t i = static_cast<size_t>(e);
    if (log->entries.erased[i] ||
        !window.Contains(log->entries.row[i], log->entries.column[i])) {
      continue;
    }
    consider(*log, i, base_count + e,
             [&] { return log->entries.CurrentAt(i, version); });
  }
}

}  // namespace

namespace internal {

OpeningLog::OpeningLog(size_t capacity, size_t skill_capacity)
    : entries(capacity) {
  records = AppendArray<Opening>(capacity);
  where = AppendArray<UnitVector>(capacity);
  is_open = AppendArray<uint8_t>(capacity);
  end_key = AppendArray<int32_t>(capacity);
  free_places = AppendArray<int32_t>(capacity);
  step = AppendArray<int8_t>(capacity);
  min_hours = AppendArray<double>(capacity);
  min_age = AppendArray<int16_t>(capacity);
  max_age = AppendArray<int16_t>(capacity);
  target_groups = AppendArray<uint8_t>(capacity);
  min_swedish = AppendArray<uint8_t>(capacity);
  kind = AppendArray<uint8_t>(capacity);
  field = AppendArray<int32_t>(capacity);
  organisation = AppendArray<int32_t>(capacity);
  municipality = AppendArray<int32_t>(capacity);
  supports = AppendArray<uint64_t>(capacity);
  skill_begin = AppendArray<int32_t>(capacity + 1);
  essential_count = AppendArray<uint8_t>(capacity);
  skill = AppendArray<int16_t>(skill_capacity);
  skill_group = AppendArray<int16_t>(skill_capacity);
  skill_begin.push_back(0);
}

ParticipantLog::ParticipantLog(size_t capacity, size_t list_capacity,
                               int skill_words, int group_words)
    : entries(capacity),
      words_per_skills(skill_words),
      words_per_groups(group_words) {
  records = AppendArray<Participant>(capacity);
  where = AppendArray<UnitVector>(capacity);
  is_active = AppendArray<uint8_t>(capacity);
  birth_year = AppendArray<int32_t>(capacity);
  travel_mode = AppendArray<uint8_t>(capacity);
  max_minutes = AppendArray<int32_t>(capacity);
  hours = AppendArray<double>(capacity);
  step = AppendArray<int8_t>(capacity);
  swedish = AppendArray<uint8_t>(capacity);
  target_groups = AppendArray<uint8_t>(capacity);
  municipality = AppendArray<int32_t>(capacity);
  skill_bits =
      AppendArray<uint64_t>(capacity * static_cast<size_t>(words_per_skills));
  group_bits =
      AppendArray<uint64_t>(capacity * static_cast<size_t>(words_per_groups));
  need_begin = AppendArray<int32_t>(capacity + 1);
  need_mask = AppendArray<uint64_t>(list_capacity);
  need_hard = AppendArray<uint8_t>(list_capacity);
  soft_need_count = AppendArray<int32_t>(capacity);
  wanted_begin = AppendArray<int32_t>(capacity + 1);
  wanted = AppendArray<int32_t>(list_capacity);
  vetoed_field_begin = AppendArray<int32_t>(capacity + 1);
  vetoed_field = AppendArray<int32_t>(list_capacity);
  vetoed_org_begin = AppendArray<int32_t>(capacity + 1);
  vetoed_org = AppendArray<int32_t>(list_capacity);
  need_begin.push_back(0);
  wanted_begin.push_back(0);
  vetoed_field_begin.push_back(0);
  vetoed_org_begin.push_back(0);
}

// What the query functions read of a snapshot beyond its public interface.
struct SnapshotAccess {
  static const Interned& interned(const Snapshot& s) { return *s.interned_; }
  static const Tombstones& opening_tombstones(const Snapshot& s) {
    return *s.opening_tombstones_;
  }
  static const Tombstones& participant_tombstones(const Snapshot& s) {
    return *s.participant_tombstones_;
  }
  static const OpeningLog* opening_log(const Snapshot& s) {
    return s.opening_log_.get();
  }
  static const ParticipantLog* participant_log(const Snapshot& s) {
    return s.participant_log_.get();
  }
  static double participant_log_reach_km(const Snapshot& s) {
    return s.participant_log_reach_km_;
  }
};

}  // namespace internal

using internal::SnapshotAccess;

absl::StatusOr<std::shared_ptr<Snapshot>> Snapshot::BuildMutable(
    std::shared_ptr<const ReferenceData> reference,
    std::vector<Participant> participants, std::vector<Opening> openings,
    uint64_t version) {
  if (reference->supports.supports().size() > 64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the support catalogue has ", reference->supports.supports().size(),
        " supports; the matcher handles at most 64"));
  }
  SortById(participants);
  SortById(openings);
  if (absl::Status s = CheckUniqueIds(participants, "participant"); !s.ok())
    return s;
  if (absl::Status s = CheckUniqueIds(openings, "opening"); !s.ok()) return s;

  auto interned = std::make_shared<Interned>();
  for (const auto& field : reference->skills.fields())
    Intern(interned->fields, field.code);
  for (const auto& m : reference->municipalities.all())
    Intern(interned->municipalities, m.code);
  for (const Opening& o : openings) InternCodesOf(o, *interned);
  for (const Participant& p : participants) InternCodesOf(p, *interned);

  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  snapshot->version_ = version;
  snapshot->lineage_ = std::make_shared<internal::Lineage>(version);
  snapshot->opening_live_ = static_cast<int>(openings.size());
  snapshot->participant_live_ = static_cast<int>(participants.size());
  snapshot->opening_tombstones_ = std::make_shared<Tombstones>(openings.size());
  snapshot->participant_tombstones_ =
      std::make_shared<Tombstones>(participants.size());
  snapshot->openings_ =
      BuildOpeningColumns(std::move(openings), *reference, *interned);
  snapshot->participants_ =
      BuildParticipantColumns(std::move(participants), *reference, *interned);
  snapshot->interned_ = std::move(interned);
  snapshot->reference_ = std::move(reference);
  return snapshot;
}

absl::StatusOr<std::shared_ptr<const Snapshot>> Snapshot::Build(
    std::shared_ptr<const ReferenceData> reference,
    std::vector<Participant> participants, std::vector<Opening> openings,
    uint64_t version) {
  absl::StatusOr<std::shared_ptr<Snapshot>> built =
      BuildMutable(std::move(reference), std::move(participants),
                   std::move(openings), version);
  if (!built.ok()) return built.status();
  return std::shared_ptr<const Snapshot>(*std::move(built));
}

std::shared_ptr<Snapshot> Snapshot::MutableCompacted() const {
  std::vector<Participant> participants;
  participants.reserve(static_cast<size_t>(participant_live_));
  for (int index : ParticipantIndices())
    participants.push_back(participant(index));
  std::vector<Opening> openings;
  openings.reserve(static_cast<size_t>(opening_live_));
  for (int index : OpeningIndices()) openings.push_back(opening(index));
  // Current records have unique ids and the catalogue was accepted before.
  return *BuildMutable(reference_, std::move(participants), std::move(openings),
                       version_);
}

std::shared_ptr<const Snapshot> Snapshot::Compacted() const {
  return MutableCompacted();
}

bool Snapshot::CompactionDue() const {
  auto due = [](int log, size_t base) {
    return log >= 256 && static_cast<size_t>(log) * 100 > base;
  };
  return due(opening_log_count_, openings_->records.size()) ||
         due(participant_log_count_, participants_->records.size());
}

std::shared_ptr<Snapshot> Snapshot::NextWrite() const {
  std::shared_ptr<Snapshot> next(new Snapshot(*this));
  uint64_t expected = version_;
  if (!lineage_->head.compare_exchange_strong(expected, version_ + 1)) {
    // Not the newest of its lineage: the base's columns are still shared,
    // but the tombstones and logs are copied as this version sees them,
    // O(N + L), and start a lineage of their own.
    next->lineage_ = std::make_shared<internal::Lineage>(version_ + 1);
    next->opening_tombstones_ =
        TombstonesAt(*opening_tombstones_, openings_->records.size(), version_);
    next->participant_tombstones_ = TombstonesAt(
        *participant_tombstones_, participants_->records.size(), version_);
    if (opening_log_ != nullptr) {
      next->opening_log_ =
          GrownLog(opening_log_.get(), opening_log_count_, version_, Opening{},
                   *reference_, *interned_);
    }
    if (participant_log_ != nullptr) {
      next->participant_log_ =
          GrownLog(participant_log_.get(), participant_log_count_, version_,
                   Participant{}, *reference_, *interned_);
    }
  }
  next->version_ = version_ + 1;
  return next;
}

void Snapshot::UpsertOpening(Opening opening, uint64_t version) {
  if (HasNewCodes(opening, *interned_)) {
    auto interned = std::make_shared<Interned>(*interned_);
    InternCodesOf(opening, *interned);
    interned_ = std::move(interned);
  }
  if (opening_log_ == nullptr || !Fits(*opening_log_, opening)) {
    opening_log_ = GrownLog(opening_log_.get(), opening_log_count_, version,
                            opening, *reference_, *interned_);
  }
  const Replaced replaced =
      ReplaceCurrent(*openings_, *opening_tombstones_, opening_log_.get(),
                     opening.id, version);
  AppendOpeningColumns(*opening_log_, opening, *reference_, *interned_);
  const GeoPoint where = opening.location;
  AppendEntry(*opening_log_, std::move(opening), where, replaced,
              /*erased=*/false, version);
  ++opening_log_count_;
  if (!replaced.existed) ++opening_live_;
}

void Snapshot::UpsertParticipant(Participant participant, uint64_t version) {
  if (HasNewCodes(participant, *interned_)) {
    auto interned = std::make_shared<Interned>(*interned_);
    InternCodesOf(participant, *interned);
    interned_ = std::move(interned);
  }
  if (participant_log_ == nullptr || !Fits(*participant_log_, participant)) {
    participant_log_ = GrownLog(participant_log_.get(), participant_log_count_,
                                version, participant, *reference_, *interned_);
  }
  const Replaced replaced =
      ReplaceCurrent(*participants_, *participant_tombstones_,
                     participant_log_.get(), participant.id, version);
  participant_log_reach_km_ = std::max(
      participant_log_reach_km_,
      ReachKm(participant.travel_mode, participant.max_travel_minutes));
  AppendParticipantColumns(*participant_log_, participant, *reference_,
                           *interned_, participant_log_->words_per_skills,
                           participant_log_->words_per_groups);
  const GeoPoint where = participant.home;
  AppendEntry(*participant_log_, std::move(participant), where, replaced,
              /*erased=*/false, version);
  ++participant_log_count_;
  if (!replaced.existed) ++participant_live_;
}

void Snapshot::EraseParticipant(absl::string_view id, uint64_t version) {
  Participant erased;
  erased.id = std::string(id);
  if (participant_log_ == nullptr || !Fits(*participant_log_, erased)) {
    participant_log_ = GrownLog(participant_log_.get(), participant_log_count_,
                                version, erased, *reference_, *interned_);
  }
  const Replaced replaced =
      ReplaceCurrent(*participants_, *participant_tombstones_,
                     participant_log_.get(), id, version);
  if (!replaced.existed) return;  // nothing to erase
  AppendParticipantColumns(*participant_log_, erased, *reference_, *interned_,
                           participant_log_->words_per_skills,
                           participant_log_->words_per_groups);
  const GeoPoint where = erased.home;
  AppendEntry(*participant_log_, std::move(erased), where, replaced,
              /*erased=*/true, version);
  ++participant_log_count_;
  --participant_live_;
}

std::shared_ptr<const Snapshot> Snapshot::WithOpening(Opening opening) const {
  std::shared_ptr<Snapshot> next = NextWrite();
  next->UpsertOpening(std::move(opening), next->version_);
  return next;
}

std::shared_ptr<const Snapshot> Snapshot::WithParticipant(
    Participant participant) const {
  std::shared_ptr<Snapshot> next = NextWrite();
  next->UpsertParticipant(std::move(participant), next->version_);
  return next;
}

std::shared_ptr<const Snapshot> Snapshot::WithoutParticipant(
    absl::string_view id) const {
  std::shared_ptr<Snapshot> next = NextWrite();
  next->EraseParticipant(id, next->version_);
  return next;
}

std::shared_ptr<const Snapshot> Snapshot::ReplayedOnto(
    const Snapshot& since, std::shared_ptr<const Snapshot> base) const {
  if (since.lineage_ != lineage_ || since.version_ != base->version_) {
    return nullptr;
  }
  std::shared_ptr<Snapshot> next(new Snapshot(*base));
  for (int e = since.opening_log_count_; e < opening_log_count_; ++e) {
    const size_t i = static_cast<size_t>(e);
    next->UpsertOpening(opening_log_->records[i],
                        opening_log_->entries.created[i]);
  }
  for (int e = since.participant_log_count_; e < participant_log_count_; ++e) {
    const size_t i = static_cast<size_t>(e);
    const uint64_t version = participant_log_->entries.created[i];
    if (participant_log_->entries.erased[i]) {
      next->EraseParticipant(participant_log_->records[i].id, version);
    } else {
      next->UpsertParticipant(participant_log_->records[i], version);
    }
  }
  next->version_ = version_;
  next->lineage_->head.store(version_);
  // A write on this lineage from now on would fork (a full build) rather
  // than append to logs the new base no longer reads.
  lineage_->head.store(internal::Lineage::kRetired);
  return next;
}

const Opening& Snapshot::opening(int index) const {
  const int base = static_cast<int>(openings_->records.size());
  if (index < base) return openings_->records[static_cast<size_t>(index)];
  return opening_log_->records[static_cast<size_t>(index - base)];
}

const Participant& Snapshot::participant(int index) const {
  const int base = static_cast<int>(participants_->records.size());
  if (index < base) return participants_->records[static_cast<size_t>(index)];
  return participant_log_->records[static_cast<size_t>(index - base)];
}

int Snapshot::opening_index_end() const {
  return static_cast<int>(openings_->records.size()) + opening_log_count_;
}

int Snapshot::participant_index_end() const {
  return static_cast<int>(participants_->records.size()) +
         participant_log_count_;
}

std::vector<int> Snapshot::OpeningIndices() const {
  return IndicesInOrder(*openings_, *opening_tombstones_, opening_log_.get(),
                        opening_log_count_, version_, "", -1);
}

std::vector<int> Snapshot::ParticipantIndices() const {
  return IndicesInOrder(*participants_, *participant_tombstones_,
                        participant_log_.get(), participant_log_count_,
                        version_, "", -1);
}

std::vector<int> Snapshot::OpeningIndicesAfter(absl::string_view after,
                                               int limit) const {
  return IndicesInOrder(*openings_, *opening_tombstones_, opening_log_.get(),
                        opening_log_count_, version_, after, limit);
}

std::vector<int> Snapshot::ParticipantIndicesAfter(absl::string_view after,
                                                   int limit) const {
  return IndicesInOrder(*participants_, *participant_tombstones_,
                        participant_log_.get(), participant_log_count_,
                        version_, after, limit);
}

std::optional<int> Snapshot::FindOpening(absl::string_view id) const {
  return FindIn(*openings_, *opening_tombstones_, opening_log_.get(),
                opening_log_count_, version_, id);
}

std::optional<int> Snapshot::FindParticipant(absl::string_view id) const {
  return FindIn(*participants_, *participant_tombstones_,
                participant_log_.get(), participant_log_count_, version_, id);
}

namespace {

template <typename T>
size_t VectorBytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

template <typename T>
size_t VectorBytes(const internal::AppendArray<T>& v) {
  return v.capacity() * sizeof(T);
}

size_t StringBytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1
                           : 0;  // beyond the small-string buffer
}

size_t StringsBytes(const std::vector<std::string>& strings) {
  size_t bytes = VectorBytes(strings);
  for (const std::string& s : strings) bytes += StringBytes(s);
  return bytes;
}

// Hash maps: slots of key + value, plus one control byte each.
size_t MapBytes(const absl::flat_hash_map<std::string, int32_t>& map) {
  size_t bytes = map.capacity() * (sizeof(std::pair<std::string, int32_t>) + 1);
  for (const auto& [key, value] : map) bytes += StringBytes(key);
  return bytes;
}

size_t RecordBytes(const Opening& o) {
  return StringBytes(o.id) + StringBytes(o.organisation_id) +
         StringBytes(o.organisation_name) + StringBytes(o.title) +
         StringBytes(o.municipality_code) + StringBytes(o.occupation_field) +
         StringsBytes(o.essential_skills) + StringsBytes(o.optional_skills) +
         StringsBytes(o.supports) + VectorBytes(o.target_groups);
}

size_t RecordBytes(const Participant& p) {
  size_t bytes = StringBytes(p.id) + StringBytes(p.coach_id) +
                 StringBytes(p.municipality_code) +
                 VectorBytes(p.target_groups) + VectorBytes(p.skills) +
                 StringsBytes(p.wanted_fields) + VectorBytes(p.needs) +
                 StringsBytes(p.vetoed_organisations) +
                 StringsBytes(p.vetoed_fields);
  for (const SkillLevel& s : p.skills) bytes += StringBytes(s.skill_code);
  for (const SupportNeed& n : p.needs) bytes += StringBytes(n.need_code);
  return bytes;
}

template <typename Columns>
size_t OpeningColumnBytes(const Columns& c) {
  return VectorBytes(c.records) + VectorBytes(c.where) +
         VectorBytes(c.is_open) + VectorBytes(c.end_key) +
         VectorBytes(c.free_places) + VectorBytes(c.step) +
         VectorBytes(c.min_hours) + VectorBytes(c.min_age) +
         VectorBytes(c.max_age) + VectorBytes(c.target_groups) +
         VectorBytes(c.min_swedish) + VectorBytes(c.kind) +
         VectorBytes(c.field) + VectorBytes(c.organisation) +
         VectorBytes(c.municipality) + VectorBytes(c.supports) +
         VectorBytes(c.skill_begin) + VectorBytes(c.essential_count) +
         VectorBytes(c.skill) + VectorBytes(c.skill_group);
}

template <typename Columns>
size_t ParticipantColumnBytes(const Columns& c) {
  return VectorBytes(c.records) + VectorBytes(c.where) +
         VectorBytes(c.is_active) + VectorBytes(c.birth_year) +
         VectorBytes(c.travel_mode) + VectorBytes(c.max_minutes) +
         VectorBytes(c.hours) + VectorBytes(c.step) + VectorBytes(c.swedish) +
         VectorBytes(c.target_groups) + VectorBytes(c.municipality) +
         VectorBytes(c.skill_bits) + VectorBytes(c.group_bits) +
         VectorBytes(c.need_begin) + VectorBytes(c.need_mask) +
         VectorBytes(c.need_hard) + VectorBytes(c.soft_need_count) +
         VectorBytes(c.wanted_begin) + VectorBytes(c.wanted) +
         VectorBytes(c.vetoed_field_begin) + VectorBytes(c.vetoed_field) +
         VectorBytes(c.vetoed_org_begin) + VectorBytes(c.vetoed_org);
}

size_t EntriesBytes(const internal::LogEntries& e) {
  return VectorBytes(e.created) + VectorBytes(e.previous) +
         VectorBytes(e.replaced_base) + VectorBytes(e.erased) +
         VectorBytes(e.row) + VectorBytes(e.column) +
         e.created.capacity() * sizeof(std::atomic<uint64_t>);
}

}  // namespace

size_t Snapshot::opening_bytes() const {
  const OpeningColumns& c = *openings_;
  size_t bytes = OpeningColumnBytes(c) + MapBytes(c.by_id) +
                 VectorBytes(c.record) + VectorBytes(c.cell_begin) +
                 opening_tombstones_->bytes();
  for (const Opening& o : c.records) bytes += RecordBytes(o);
  if (opening_log_ != nullptr) {
    bytes +=
        OpeningColumnBytes(*opening_log_) + EntriesBytes(opening_log_->entries);
    for (int e = 0; e < opening_log_count_; ++e)
      bytes += RecordBytes(opening_log_->records[static_cast<size_t>(e)]);
  }
  return bytes;
}

size_t Snapshot::participant_bytes() const {
  const ParticipantColumns& c = *participants_;
  size_t bytes = ParticipantColumnBytes(c) + MapBytes(c.by_id) +
                 VectorBytes(c.record) + VectorBytes(c.cell_begin) +
                 participant_tombstones_->bytes();
  for (const Participant& p : c.records) bytes += RecordBytes(p);
  if (participant_log_ != nullptr) {
    bytes += ParticipantColumnBytes(*participant_log_) +
             EntriesBytes(participant_log_->entries);
    for (int e = 0; e < participant_log_count_; ++e) {
      bytes += RecordBytes(participant_log_->records[static_cast<size_t>(e)]);
    }
  }
  return bytes;
}

std::vector<RankedMatch> TopOpenings(const Snapshot& snapshot,
                                     const Participant& participant,
                                     const TopKQuery& query,
                                     TopKCounts* counts) {
  const OpeningColumns& o = snapshot.opening_columns();
  const internal::Tombstones& replaced =
      SnapshotAccess::opening_tombstones(snapshot);
  const internal::OpeningLog* log = SnapshotAccess::opening_log(snapshot);
  const int log_count = snapshot.opening_log_entries();
  const int base_count = static_cast<int>(o.records.size());
  const uint64_t version = snapshot.version();
  const Interned& interned = SnapshotAccess::interned(snapshot);
  const ScoringContext& context = query.context;
  const Filters filters = MakeFilters(query, interned);
  // Every opening that reaches best.Push below is eligible; openings the
  // spatial index skips are beyond reach, so the count is exact either way.
  int eligible = 0;
  if (counts != nullptr) {
    *counts = TopKCounts{};
    auto add = [&](const OpeningColumns::KindCounts& by_kind) {
      for (size_t kind = 0; kind < by_kind.size(); ++kind) {
        if ((filters.kinds >> kind) & 1) counts->considered += by_kind[kind];
      }
    };
    if (filters.any_municipality) {
      add(o.by_kind);
    } else {
      // Sorted, so a repeated code is counted once.
      for (size_t m = 0; m < filters.municipalities.size(); ++m) {
        if (m > 0 && filters.municipalities[m] == filters.municipalities[m - 1])
          continue;
        auto found = o.by_municipality_kind.find(filters.municipalities[m]);
        if (found != o.by_municipality_kind.end()) add(found->second);
      }
    }
    // The log: base records it replaced no longer count; its current
    // entries do.
    auto passes = [&](OpeningKind kind, int32_t municipality) {
      return ((filters.kinds >> static_cast<int>(kind)) & 1) &&
             MunicipalityAllowed(filters, municipality);
    };
    for (int e = 0; e < log_count; ++e) {
      const size_t i = static_cast<size_t>(e);
      if (const int32_t b = log->entries.replaced_base[i]; b >= 0) {
        const Opening& old = o.records[static_cast<size_t>(b)];
        counts->considered -=
            passes(old.kind,
                   InternedOr(interned.municipalities, old.municipality_code));
      }
      if (!log->entries.erased[i] && log->entries.CurrentAt(i, version)) {
        counts->considered += passes(static_cast<OpeningKind>(log->kind[i]),
                                     log->municipality[i]);
      }
    }
  }
  const PreparedParticipant q =
      Prepare(participant, snapshot.reference(), interned, context);
  TopK best(query.k, IdLessOf(base_count, [&](int index) -> const Opening& {
              return snapshot.opening(index);
            }));
  // Rules of the participant alone exclude everything.
  if (!q.active || (base_count == 0 && log_count == 0)) return best.Take();
  const double reach_km = ReachKm(q.mode, q.limit_minutes);
  if (reach_km < 0) return best.Take();
  const double chord_limit = KmToChordSquared(reach_km) * kChordSlack;
  const int32_t today = DateKey(context.today);
  const ComponentValues& weights = context.profile.weights();
  const double soft_count = static_cast<double>(q.soft_masks.size());

  // The rules and score of the opening at position i of `c` (the base or
  // the log); `current` says whether the record is current at this version
  // (asked last: few openings get that far).
  auto consider = [&](const auto& c, size_t i, int index, auto current) {
    // Hard rules on columns, cheapest first. The first two are
    // AcceptsPlacement on columns (matcher_test holds them to it).
    if (!c.is_open[i] || c.end_key[i] < today) return;
    if (context.require_free_place && c.free_places[i] <= 0) return;
    if (q.hours < c.min_hours[i]) return;
    if (q.swedish < c.min_swedish[i]) return;
    if ((c.min_age[i] > 0 && q.age < c.min_age[i]) ||
        (c.max_age[i] > 0 && q.age > c.max_age[i])) {
      return;
    }
    if (c.target_groups[i] != 0 && (c.target_groups[i] & q.target_groups) == 0)
      return;
    if (!((filters.kinds >> c.kind[i]) & 1)) return;
    if (!MunicipalityAllowed(filters, c.municipality[i])) return;
    const double chord = ChordSquared(q.where, c.where[i]);
    if (chord > chord_limit) return;
    const uint64_t supports = c.supports[i];
    bool hard_unmet = false;
    for (uint64_t mask : q.hard_masks) hard_unmet |= (supports & mask) == 0;
    if (hard_unmet) return;
    if (ListContains(q.vetoed_orgs.data(),
                     q.vetoed_orgs.data() + q.vetoed_orgs.size(),
                     c.organisation[i]) ||
        ListContains(q.vetoed_fields.data(),
                     q.vetoed_fields.data() + q.vetoed_fields.size(),
                     c.field[i])) {
      return;
    }
    const double minutes = TravelMinutesOverChord(chord, q.mode);
    if (minutes > q.limit_minutes) return;
    if (!current()) return;

    // Components.
    const double skills = SkillsValue(c, i, q.skills.data(), q.groups.data());
    double support = 1;
    if (!q.soft_masks.empty()) {
      int met = 0;
      for (uint64_t mask : q.soft_masks) met += (supports & mask) != 0;
      support = met / soft_count;
    }
    const double travel = TravelScore(minutes);
    const double step = StepScore(q.step, c.step[i]);
    const double preference =
        !q.wanted_any
            ? kNoPreferenceScore
            : (ListContains(q.wanted.data(), q.wanted.data() + q.wanted.size(),
                            c.field[i])
                   ? 1.0
                   : 0.0);
    ++eligible;
    best.Push(Total(weights, skills, support, travel, step, preference), index);
  };

  ScanBaseAndLog(
      o, replaced, log, log_count, version,
      WindowAround(participant.home, reach_km, query.use_spatial_index),
      consider);
  if (counts != nullptr) counts->eligible = eligible;
  return best.Take();
}

std::vector<RankedMatch> TopParticipants(const Snapshot& snapshot,
                                         const Opening& opening,
                                         const TopKQuery& query) {
  const ParticipantColumns& base = snapshot.participant_columns();
  const internal::Tombstones& replaced =
      SnapshotAccess::participant_tombstones(snapshot);
  const internal::ParticipantLog* log =
      SnapshotAccess::participant_log(snapshot);
  const int log_count = snapshot.participant_log_entries();
  const int base_count = static_cast<int>(base.records.size());
  const uint64_t version = snapshot.version();
  const ScoringContext& context = query.context;
  TopK best(query.k, IdLessOf(base_count, [&](int index) -> const Participant& {
              return snapshot.participant(index);
            }));
  // Rules of the opening alone exclude everyone.
  if (!AcceptsPlacement(opening, context.today, context.require_free_place) ||
      (base_count == 0 && log_count == 0)) {
    return best.Take();
  }
  const ReferenceData& reference = snapshot.reference();
  const Interned& interned = SnapshotAccess::interned(snapshot);
  const UnitVector where = ToUnitVector(opening.location);
  const uint64_t supports = SupportMask(opening.supports, reference.supports);
  const uint8_t targets = TargetMask(opening.target_groups);
  const int32_t field = InternedOr(interned.fields, opening.occupation_field);
  const int32_t organisation =
      InternedOr(interned.organisations, opening.organisation_id);
  const uint8_t min_swedish = static_cast<uint8_t>(opening.min_swedish);
  const ComponentValues& weights = context.profile.weights();
  const Filters filters = MakeFilters(query, interned);

  // The opening's skills, as indices, in the order ExplainPair sums them.
  std::vector<int> skill;
  std::vector<int> group;
  for (const auto* list :
       {&opening.essential_skills, &opening.optional_skills}) {
    for (const std::string& code : *list) {
      std::optional<int> index = reference.skills.FindSkill(code);
      skill.push_back(index ? *index : -1);
      group.push_back(index ? reference.skills.skills()[*index].group : -1);
    }
  }
  const int essential = static_cast<int>(opening.essential_skills.size());
  const int optional = static_cast<int>(opening.optional_skills.size());

  double reach_km = std::max(
      base.max_reach_km, SnapshotAccess::participant_log_reach_km(snapshot));
  if (context.max_travel_minutes > 0) {
    double widest = -1;
    for (int mode = 0; mode < kTravelModeCount; ++mode) {
      widest = std::max(widest, ReachKm(static_cast<TravelMode>(mode),
                                        context.max_travel_minutes));
    }
    reach_km = std::min(reach_km, widest);
  }
  if (reach_km < 0) return best.Take();
  const double chord_limit = KmToChordSquared(reach_km) * kChordSlack;

  // As in TopOpenings, over position i of the base or the log.
  auto consider = [&](const auto& c, size_t i, int index, auto current) {
    if (!c.is_active[i]) return;
    if (c.hours[i] < opening.min_hours_per_week) return;
    if (c.swedish[i] < min_swedish) return;
    const int age = context.today.year - c.birth_year[i];
    if ((opening.min_age > 0 && age < opening.min_age) ||
        (opening.max_age > 0 && age > opening.max_age)) {
      return;
    }
    if (targets != 0 && (targets & c.target_groups[i]) == 0) return;
    if (!MunicipalityAllowed(filters, c.municipality[i])) return;
    const double chord = ChordSquared(c.where[i], where);
    if (chord > chord_limit) return;
    const TravelMode mode = static_cast<TravelMode>(c.travel_mode[i]);
    const int limit =
        context.max_travel_minutes > 0
            ? std::min(context.max_travel_minutes, c.max_minutes[i])
            : c.max_minutes[i];
    const double minutes = TravelMinutesOverChord(chord, mode);
    if (minutes > limit) return;
    bool hard_unmet = false;
    int met = 0;
    for (int32_t n = c.need_begin[i]; n < c.need_begin[i + 1]; ++n) {
      const size_t need = static_cast<size_t>(n);
      const bool meets = (supports & c.need_mask[need]) != 0;
      if (c.need_hard[need]) {
        hard_unmet |= !meets;
      } else {
        met += meets;
      }
    }
    if (hard_unmet) return;
    const int32_t* vetoed_orgs = c.vetoed_org.data();
    const int32_t* vetoed_fields = c.vetoed_field.data();
    if (ListContains(vetoed_orgs + c.vetoed_org_begin[i],
                     vetoed_orgs + c.vetoed_org_begin[i + 1], organisation) ||
        ListContains(vetoed_fields + c.vetoed_field_begin[i],
                     vetoed_fields + c.vetoed_field_begin[i + 1], field)) {
      return;
    }
    if (!current()) return;

    const uint64_t* skills =
        c.skill_bits.data() + i * static_cast<size_t>(base.words_per_skills);
    const uint64_t* groups =
        c.group_bits.data() + i * static_cast<size_t>(base.words_per_groups);
    const double skills_value =
        internal::SkillsScore(essential, optional, [&](int s) {
          return internal::SkillCredit(skill[static_cast<size_t>(s)],
                                       group[static_cast<size_t>(s)], skills,
                                       groups);
        });
    const int soft = c.soft_need_count[i];
    const double support = soft == 0 ? 1.0 : static_cast<double>(met) / soft;
    const double travel = TravelScore(minutes);
    const double step = StepScore(c.step[i], opening.step);
    const int32_t wanted_begin = c.wanted_begin[i];
    const int32_t wanted_end = c.wanted_begin[i + 1];
    const double preference =
        wanted_begin == wanted_end
            ? kNoPreferenceScore
            : (ListContains(c.wanted.data() + wanted_begin,
                            c.wanted.data() + wanted_end, field)
                   ? 1.0
                   : 0.0);
    best.Push(Total(weights, skills_value, support, travel, step, preference),
              index);
  };

  ScanBaseAndLog(
      base, replaced, log, log_count, version,
      WindowAround(opening.location, reach_km, query.use_spatial_index),
      consider);
  return best.Take();
}

SnapshotHolder::SnapshotHolder(std::shared_ptr<const Snapshot> initial)
    : current_(std::move(initial)) {}

std::shared_ptr<const Snapshot> SnapshotHolder::Current() const {
  MutexLock lock(&pointer_mutex_);
  return current_;
}

namespace {

// Holds `mutex` for its scope when it is not null. Outside the analysis,
// which cannot follow a lock taken on a condition.
class OptionalLock {
 public:
  explicit OptionalLock(Mutex* mutex) ABSL_NO_THREAD_SAFETY_ANALYSIS
      : mutex_(mutex) {
    if (mutex_ != nullptr) mutex_->Lock();
  }
  OptionalLock(const OptionalLock&) = delete;
  OptionalLock& operator=(const OptionalLock&) = delete;
  ~OptionalLock() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (mutex_ != nullptr) mutex_->Unlock();
  }

 private:
  Mutex* mutex_;
};

}  // namespace

bool SnapshotHolder::Compact(const std::function<void()>& meanwhile,
                             Mutex* writers) {
  MutexLock compacting(&compact_mutex_);
  const std::shared_ptr<const Snapshot> since = Current();
  if (since->opening_log_entries() == 0 &&
      since->participant_log_entries() == 0) {
    return false;
  }
  // The long part, while writers go on.
  std::shared_ptr<const Snapshot> base = since->Compacted();
  if (meanwhile) meanwhile();
  OptionalLock outer(writers);
  MutexLock writer(&writer_mutex_);
  std::shared_ptr<const Snapshot> next =
      Current()->ReplayedOnto(*since, std::move(base));
  if (next == nullptr) return false;
  MutexLock pointer(&pointer_mutex_);
  current_ = std::move(next);
  return true;
}

bool SnapshotHolder::CompactIfDue(Mutex* writers) {
  if (!Current()->CompactionDue()) return false;
  return Compact({}, writers);
}

}  // namespace placement
