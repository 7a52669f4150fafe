#include "engine/matcher.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <numbers>
#include <numeric>
#include <utility>

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
using internal::OpeningColumns;
using internal::ParticipantColumns;

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
  const size_t n = c.records.size();
  IndexRecords(
      c.records, [](const Opening& o) { return o.location; }, c.by_id, c.record,
      c.cell_begin);

  c.where.reserve(n);
  c.skill_begin.reserve(n + 1);
  c.skill_begin.push_back(0);
  const SkillTaxonomy& taxonomy = reference.skills;
  for (int32_t index : c.record) {
    const Opening& o = c.records[index];
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
    ++c.by_kind[static_cast<size_t>(o.kind)];
    ++c.by_municipality_kind[c.municipality.back()]
                            [static_cast<size_t>(o.kind)];
    c.supports.push_back(SupportMask(o.supports, reference.supports));
    auto add_skill = [&](const std::string& code) {
      std::optional<int> skill = taxonomy.FindSkill(code);
      c.skill.push_back(static_cast<int16_t>(skill ? *skill : -1));
      c.skill_group.push_back(
          static_cast<int16_t>(skill ? taxonomy.skills()[*skill].group : -1));
    };
    for (const std::string& code : o.essential_skills) add_skill(code);
    for (const std::string& code : o.optional_skills) add_skill(code);
    c.essential_count.push_back(
        static_cast<uint8_t>(o.essential_skills.size()));
    c.skill_begin.push_back(static_cast<int32_t>(c.skill.size()));
  }
  return columns;
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

  const SkillTaxonomy& taxonomy = reference.skills;
  c.words_per_skills =
      static_cast<int>(internal::SkillWords(taxonomy.skills().size()));
  c.words_per_groups =
      static_cast<int>(internal::SkillWords(taxonomy.groups().size()));
  c.skill_bits.assign(n * static_cast<size_t>(c.words_per_skills), 0);
  c.group_bits.assign(n * static_cast<size_t>(c.words_per_groups), 0);
  c.need_begin.push_back(0);
  c.wanted_begin.push_back(0);
  c.vetoed_field_begin.push_back(0);
  c.vetoed_org_begin.push_back(0);
  for (size_t position = 0; position < n; ++position) {
    const Participant& p = c.records[c.record[position]];
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
    uint64_t* skills =
        &c.skill_bits[position * static_cast<size_t>(c.words_per_skills)];
    uint64_t* groups =
        &c.group_bits[position * static_cast<size_t>(c.words_per_groups)];
    internal::AddSkillBits(p.skills, taxonomy, skills, groups);
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
    for (const std::string& f : p.vetoed_fields) {
      c.vetoed_field.push_back(interned.fields.at(f));
    }
    c.vetoed_field_begin.push_back(static_cast<int32_t>(c.vetoed_field.size()));
    for (const std::string& org : p.vetoed_organisations) {
      c.vetoed_org.push_back(interned.organisations.at(org));
    }
    c.vetoed_org_begin.push_back(static_cast<int32_t>(c.vetoed_org.size()));
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

// Keeps the k best (total descending, then index ascending: records are in
// id order, so index order is id order).
class TopK {
 public:
  explicit TopK(int k) : k_(static_cast<size_t>(std::clamp(k, 1, kMaxK))) {}

  void Push(double total, int index) {
    if (heap_.size() < k_) {
      heap_.push_back({.index = index, .total = total});
      std::push_heap(heap_.begin(), heap_.end(), Better);
    } else if (Better({.index = index, .total = total}, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), Better);
      heap_.back() = {.index = index, .total = total};
      std::push_heap(heap_.begin(), heap_.end(), Better);
    }
  }
  std::vector<RankedMatch> Take() {
    std::sort(heap_.begin(), heap_.end(), Better);
    return std::move(heap_);
  }

 private:
  static bool Better(const RankedMatch& a, const RankedMatch& b) {
    return a.total > b.total || (a.total == b.total && a.index < b.index);
  }
  size_t k_;
  std::vector<RankedMatch> heap_;  // a heap whose front is the worst kept
};

// The query participant, prepared for scanning openings.
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

PreparedParticipant Prepare(const Participant& p, const Snapshot& snapshot,
                            const ScoringContext& context) {
  const ReferenceData& reference = snapshot.reference();
  const Interned& interned = snapshot.interned();
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
double SkillsValue(const OpeningColumns& o, size_t position,
                   const uint64_t* skills, const uint64_t* groups) {
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

// Calls visit(begin, end) for the ranges of positions whose grid cells may
// hold points within `reach_km` of `centre`; everything when not indexed.
template <typename Visit>
void ForEachRange(const std::vector<int32_t>& cell_begin,
                  const GeoPoint& centre, double reach_km, bool indexed,
                  Visit visit) {
  if (!indexed) {
    visit(0, cell_begin.back());
    return;
  }
  // Exact bounds of the spherical cap within reach_km of the centre: along
  // the meridian the cap spans d/R radians of latitude; its widest longitude
  // span is where a meridian touches it, asin(sin(d/R) / cos(latitude)).
  // A small margin absorbs rounding; the chord test decides membership.
  constexpr double kDegreesPerRadian = 180.0 / std::numbers::pi;
  constexpr double kMarginDegrees = 1e-9;
  const double angle = reach_km / kEarthRadiusKm;
  const double lat_span = angle * kDegreesPerRadian + kMarginDegrees;
  const double lat_low = centre.latitude_deg - lat_span;
  const double lat_high = centre.latitude_deg + lat_span;
  const double sin_angle = std::sin(std::min(angle, std::numbers::pi / 2));
  const double cos_centre = std::cos(centre.latitude_deg / kDegreesPerRadian);
  const double lon_span =
      sin_angle >= cos_centre
          ? 360.0
          : std::asin(sin_angle / cos_centre) * kDegreesPerRadian +
                kMarginDegrees;
  const int row_low = Grid::Row(lat_low);
  const int row_high = Grid::Row(lat_high);
  const int column_low = Grid::Column(centre.longitude_deg - lon_span);
  const int column_high = Grid::Column(centre.longitude_deg + lon_span);
  for (int row = row_low; row <= row_high; ++row) {
    const int first = row * Grid::kColumns + column_low;
    const int last = row * Grid::kColumns + column_high;
    visit(cell_begin[first], cell_begin[last + 1]);
  }
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Snapshot>> Snapshot::Build(
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
  snapshot->openings_ =
      BuildOpeningColumns(std::move(openings), *reference, *interned);
  snapshot->participants_ =
      BuildParticipantColumns(std::move(participants), *reference, *interned);
  snapshot->interned_ = std::move(interned);
  snapshot->reference_ = std::move(reference);
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

std::shared_ptr<const Snapshot> Snapshot::WithOpening(Opening opening) const {
  auto interned = std::make_shared<Interned>(*interned_);
  InternCodesOf(opening, *interned);
  std::vector<Opening> records = openings_->records;
  auto it = std::lower_bound(
      records.begin(), records.end(), opening.id,
      [](const Opening& o, const std::string& id) { return o.id < id; });
  if (it != records.end() && it->id == opening.id) {
    *it = std::move(opening);
  } else {
    records.insert(it, std::move(opening));
  }
  std::shared_ptr<Snapshot> next(new Snapshot(*this));
  next->version_ = version_ + 1;
  next->openings_ =
      BuildOpeningColumns(std::move(records), *reference_, *interned);
  next->interned_ = std::move(interned);
  return next;
}

std::shared_ptr<const Snapshot> Snapshot::WithParticipant(
    Participant participant) const {
  auto interned = std::make_shared<Interned>(*interned_);
  InternCodesOf(participant, *interned);
  std::vector<Participant> records = participants_->records;
  auto it = std::lower_bound(
      records.begin(), records.end(), participant.id,
      [](const Participant& p, const std::string& id) { return p.id < id; });
  if (it != records.end() && it->id == participant.id) {
    *it = std::move(participant);
  } else {
    records.insert(it, std::move(participant));
  }
  std::shared_ptr<Snapshot> next(new Snapshot(*this));
  next->version_ = version_ + 1;
  next->participants_ =
      BuildParticipantColumns(std::move(records), *reference_, *interned);
  next->interned_ = std::move(interned);
  return next;
}

std::shared_ptr<const Snapshot> Snapshot::WithoutParticipant(
    absl::string_view id) const {
  std::vector<Participant> records = participants_->records;
  std::erase_if(records, [&](const Participant& p) { return p.id == id; });
  std::shared_ptr<Snapshot> next(new Snapshot(*this));
  next->version_ = version_ + 1;
  next->participants_ =
      BuildParticipantColumns(std::move(records), *reference_, *interned_);
  return next;
}

int Snapshot::opening_count() const {
  return static_cast<int>(openings_->records.size());
}
int Snapshot::participant_count() const {
  return static_cast<int>(participants_->records.size());
}
const Opening& Snapshot::opening(int index) const {
  return openings_->records[index];
}
const Participant& Snapshot::participant(int index) const {
  return participants_->records[index];
}

std::optional<int> Snapshot::FindOpening(absl::string_view id) const {
  auto it = openings_->by_id.find(id);
  if (it == openings_->by_id.end()) return std::nullopt;
  return it->second;
}

std::optional<int> Snapshot::FindParticipant(absl::string_view id) const {
  auto it = participants_->by_id.find(id);
  if (it == participants_->by_id.end()) return std::nullopt;
  return it->second;
}

namespace {

template <typename T>
size_t VectorBytes(const std::vector<T>& v) {
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

}  // namespace

size_t Snapshot::opening_bytes() const {
  const OpeningColumns& c = *openings_;
  size_t bytes = VectorBytes(c.records) + MapBytes(c.by_id);
  for (const Opening& o : c.records) {
    bytes +=
        StringBytes(o.id) + StringBytes(o.organisation_id) +
        StringBytes(o.organisation_name) + StringBytes(o.title) +
        StringBytes(o.municipality_code) + StringBytes(o.occupation_field) +
        StringsBytes(o.essential_skills) + StringsBytes(o.optional_skills) +
        StringsBytes(o.supports) + VectorBytes(o.target_groups);
  }
  bytes +=
      VectorBytes(c.record) + VectorBytes(c.where) + VectorBytes(c.is_open) +
      VectorBytes(c.end_key) + VectorBytes(c.free_places) +
      VectorBytes(c.step) + VectorBytes(c.min_hours) + VectorBytes(c.min_age) +
      VectorBytes(c.max_age) + VectorBytes(c.target_groups) +
      VectorBytes(c.min_swedish) + VectorBytes(c.kind) + VectorBytes(c.field) +
      VectorBytes(c.organisation) + VectorBytes(c.municipality) +
      VectorBytes(c.supports) + VectorBytes(c.skill_begin) +
      VectorBytes(c.essential_count) + VectorBytes(c.skill) +
      VectorBytes(c.skill_group) + VectorBytes(c.cell_begin);
  return bytes;
}

size_t Snapshot::participant_bytes() const {
  const ParticipantColumns& c = *participants_;
  size_t bytes = VectorBytes(c.records) + MapBytes(c.by_id);
  for (const Participant& p : c.records) {
    bytes += StringBytes(p.id) + StringBytes(p.coach_id) +
             StringBytes(p.municipality_code) + VectorBytes(p.target_groups) +
             VectorBytes(p.skills) + StringsBytes(p.wanted_fields) +
             VectorBytes(p.needs) + StringsBytes(p.vetoed_organisations) +
             StringsBytes(p.vetoed_fields);
    for (const SkillLevel& s : p.skills) bytes += StringBytes(s.skill_code);
    for (const SupportNeed& n : p.needs) bytes += StringBytes(n.need_code);
  }
  bytes += VectorBytes(c.record) + VectorBytes(c.where) +
           VectorBytes(c.is_active) + VectorBytes(c.birth_year) +
           VectorBytes(c.travel_mode) + VectorBytes(c.max_minutes) +
           VectorBytes(c.hours) + VectorBytes(c.step) + VectorBytes(c.swedish) +
           VectorBytes(c.target_groups) + VectorBytes(c.municipality) +
           VectorBytes(c.skill_bits) + VectorBytes(c.group_bits) +
           VectorBytes(c.need_begin) + VectorBytes(c.need_mask) +
           VectorBytes(c.need_hard) + VectorBytes(c.soft_need_count) +
           VectorBytes(c.wanted_begin) + VectorBytes(c.wanted) +
           VectorBytes(c.vetoed_field_begin) + VectorBytes(c.vetoed_field) +
           VectorBytes(c.vetoed_org_begin) + VectorBytes(c.vetoed_org) +
           VectorBytes(c.cell_begin);
  return bytes;
}

std::vector<RankedMatch> TopOpenings(const Snapshot& snapshot,
                                     const Participant& participant,
                                     const TopKQuery& query,
                                     TopKCounts* counts) {
  const OpeningColumns& o = snapshot.opening_columns();
  const ScoringContext& context = query.context;
  const Filters filters = MakeFilters(query, snapshot.interned());
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
  }
  const PreparedParticipant q = Prepare(participant, snapshot, context);
  TopK best(query.k);
  // Rules of the participant alone exclude everything.
  if (!q.active || o.record.empty()) return best.Take();
  const double reach_km = ReachKm(q.mode, q.limit_minutes);
  if (reach_km < 0) return best.Take();
  const double chord_limit = KmToChordSquared(reach_km) * kChordSlack;
  const int32_t today = DateKey(context.today);
  const ComponentValues& weights = context.profile.weights();
  const double soft_count = static_cast<double>(q.soft_masks.size());

  ForEachRange(
      o.cell_begin, participant.home, reach_km, query.use_spatial_index,
      [&](int32_t begin, int32_t end) {
        for (int32_t p = begin; p < end; ++p) {
          const size_t i = static_cast<size_t>(p);
          // Hard rules on columns, cheapest first. The first two are
          // AcceptsPlacement on columns (matcher_test holds them to it).
          if (!o.is_open[i] || o.end_key[i] < today) continue;
          if (context.require_free_place && o.free_places[i] <= 0) continue;
          if (q.hours < o.min_hours[i]) continue;
          if (q.swedish < o.min_swedish[i]) continue;
          if ((o.min_age[i] > 0 && q.age < o.min_age[i]) ||
              (o.max_age[i] > 0 && q.age > o.max_age[i])) {
            continue;
          }
          if (o.target_groups[i] != 0 &&
              (o.target_groups[i] & q.target_groups) == 0)
            continue;
          if (!((filters.kinds >> o.kind[i]) & 1)) continue;
          if (!MunicipalityAllowed(filters, o.municipality[i])) continue;
          const double chord = ChordSquared(q.where, o.where[i]);
          if (chord > chord_limit) continue;
          const uint64_t supports = o.supports[i];
          bool hard_unmet = false;
          for (uint64_t mask : q.hard_masks)
            hard_unmet |= (supports & mask) == 0;
          if (hard_unmet) continue;
          if (ListContains(q.vetoed_orgs.data(),
                           q.vetoed_orgs.data() + q.vetoed_orgs.size(),
                           o.organisation[i]) ||
              ListContains(q.vetoed_fields.data(),
                           q.vetoed_fields.data() + q.vetoed_fields.size(),
                           o.field[i])) {
            continue;
          }
          const double minutes = TravelMinutesOverChord(chord, q.mode);
          if (minutes > q.limit_minutes) continue;

          // Components.
          const double skills =
              SkillsValue(o, i, q.skills.data(), q.groups.data());
          double support = 1;
          if (!q.soft_masks.empty()) {
            int met = 0;
            for (uint64_t mask : q.soft_masks) met += (supports & mask) != 0;
            support = met / soft_count;
          }
          const double travel = TravelScore(minutes);
          const double step = StepScore(q.step, o.step[i]);
          const double preference =
              !q.wanted_any
                  ? kNoPreferenceScore
                  : (ListContains(q.wanted.data(),
                                  q.wanted.data() + q.wanted.size(), o.field[i])
                         ? 1.0
                         : 0.0);
          const double total =
              Total(weights, skills, support, travel, step, preference);
          ++eligible;
          best.Push(total, o.record[i]);
        }
      });
  if (counts != nullptr) counts->eligible = eligible;
  return best.Take();
}

std::vector<RankedMatch> TopParticipants(const Snapshot& snapshot,
                                         const Opening& opening,
                                         const TopKQuery& query) {
  const ParticipantColumns& c = snapshot.participant_columns();
  const ScoringContext& context = query.context;
  TopK best(query.k);
  // Rules of the opening alone exclude everyone.
  if (!AcceptsPlacement(opening, context.today, context.require_free_place) ||
      c.record.empty()) {
    return best.Take();
  }
  const ReferenceData& reference = snapshot.reference();
  const Interned& interned = snapshot.interned();
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

  double reach_km = c.max_reach_km;
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

  ForEachRange(
      c.cell_begin, opening.location, reach_km, query.use_spatial_index,
      [&](int32_t begin, int32_t end) {
        for (int32_t p = begin; p < end; ++p) {
          const size_t i = static_cast<size_t>(p);
          if (!c.is_active[i]) continue;
          if (c.hours[i] < opening.min_hours_per_week) continue;
          if (c.swedish[i] < min_swedish) continue;
          const int age = context.today.year - c.birth_year[i];
          if ((opening.min_age > 0 && age < opening.min_age) ||
              (opening.max_age > 0 && age > opening.max_age)) {
            continue;
          }
          if (targets != 0 && (targets & c.target_groups[i]) == 0) continue;
          if (!MunicipalityAllowed(filters, c.municipality[i])) continue;
          const double chord = ChordSquared(c.where[i], where);
          if (chord > chord_limit) continue;
          const TravelMode mode = static_cast<TravelMode>(c.travel_mode[i]);
          const int limit =
              context.max_travel_minutes > 0
                  ? std::min(context.max_travel_minutes, c.max_minutes[i])
                  : c.max_minutes[i];
          const double minutes = TravelMinutesOverChord(chord, mode);
          if (minutes > limit) continue;
          bool hard_unmet = false;
          int met = 0;
          for (int32_t n = c.need_begin[i]; n < c.need_begin[i + 1]; ++n) {
            const bool meets = (supports & c.need_mask[n]) != 0;
            if (c.need_hard[n]) {
              hard_unmet |= !meets;
            } else {
              met += meets;
            }
          }
          if (hard_unmet) continue;
          const int32_t* vetoed_orgs = c.vetoed_org.data();
          const int32_t* vetoed_fields = c.vetoed_field.data();
          if (ListContains(vetoed_orgs + c.vetoed_org_begin[i],
                           vetoed_orgs + c.vetoed_org_begin[i + 1],
                           organisation) ||
              ListContains(vetoed_fields + c.vetoed_field_begin[i],
                           vetoed_fields + c.vetoed_field_begin[i + 1],
                           field)) {
            continue;
          }

          const uint64_t* skills =
              &c.skill_bits[i * static_cast<size_t>(c.words_per_skills)];
          const uint64_t* groups =
              &c.group_bits[i * static_cast<size_t>(c.words_per_groups)];
          const double skills_value =
              internal::SkillsScore(essential, optional, [&](int s) {
                return internal::SkillCredit(skill[s], group[s], skills,
                                             groups);
              });
          const int soft = c.soft_need_count[i];
          const double support =
              soft == 0 ? 1.0 : static_cast<double>(met) / soft;
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
          best.Push(
              Total(weights, skills_value, support, travel, step, preference),
              c.record[i]);
        }
      });
  return best.Take();
}

SnapshotHolder::SnapshotHolder(std::shared_ptr<const Snapshot> initial)
    : current_(std::move(initial)) {}

std::shared_ptr<const Snapshot> SnapshotHolder::Current() const {
  MutexLock lock(&pointer_mutex_);
  return current_;
}

}  // namespace placement
