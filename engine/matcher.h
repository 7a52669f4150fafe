// Fast top-k matching in both directions over an immutable snapshot, with
// the semantics of scoring.h.
//
// Layout: openings and participants are held twice: as records (for
// explanations and the API) and as structure-of-arrays columns sorted by a
// spatial grid cell (0.2 degrees of latitude by 0.4 of longitude, about
// 22 x 22 km in southern Sweden). Skills, supports, needs, target groups and
// vetoed fields become bitsets over dense taxonomy indices; locations become
// 3-D unit vectors, so distance is a chord (two subtractions, one square
// root) and the travel rule is one comparison against a per-query chord
// limit before any trigonometry.
//
// A query for participant P: (1) with the spatial index, visit only the grid
// cells within P's longest reachable distance; without it, every opening;
// (2) per opening, evaluate the hard rules on the columns (integer and bit
// tests, then the chord limit); (3) score survivors fully and keep the best
// k in a bounded heap. Cost is O(openings visited + survivors * skills * log
// k). The reverse query (participants for an opening) uses the same steps
// over the participant columns, with each participant's own reach.
//
// Writes. A snapshot is a base and a log per side (engine/internal/
// columns.h): the base is the columns above, built once, with a tombstone
// per record; the log holds every record written since, one entry per
// write, with the same columns in write order. A write (WithOpening,
// WithParticipant, WithoutParticipant) appends one entry and marks the
// record it replaces: O(size of the record), about a microsecond, plus an
// amortised O(1) for the log's doubling and, when the record brings a code
// never seen before (a new employer), a copy of the interned codes. The
// snapshots of one lineage share the base and the log; each reads only the
// entries it counts and the tombstones set before its version, so every
// snapshot keeps the contents it had when made. A query scans the base as
// before and then the log's entries, the ones outside the grid cells within
// reach skipped by one integer test each: O(log entries) more per query.
// Compaction (Compacted, SnapshotHolder::Compact) builds a new base from
// every current record, O((N + M) log(N + M)), outside the writer lock, then
// replays the writes made meanwhile; SnapshotHolder::CompactIfDue does it
// once a log passes 1 % of its base (at least 256 entries), which keeps a
// query within a few per cent of a freshly built snapshot.
//
// Record indices: a record's index is its place in the base (id order) or
// the base's size plus its log entry. An index is stable for the snapshot's
// life and below index_end(), but the indices of current records are not
// dense once a side has a log: iterate with OpeningIndices() /
// ParticipantIndices() (id order), never with 0..count-1.
//
// Results equal the slow reference in the tests (totals within 1e-6, same
// ranking: total descending, then id ascending), over snapshots built by
// Build and by any sequence of writes and compactions.
//
// Usage:
//   auto snapshot = Snapshot::Build(reference, participants, openings);
//   TopKQuery query{.k = 20, .context = {.today = {2026, 11, 22}}};
//   std::vector<RankedMatch> best = TopOpenings(*snapshot, participant, query);
//   Explanation why = ExplainPair(participant,
//                                 snapshot->opening(best[0].index),
//                                 snapshot->reference(), query.context);
//
// Thread safety: a Snapshot's contents never change and it is safe to share;
// queries are reentrant. Writes on one lineage must be serialised (the
// SnapshotHolder does it); a write on a snapshot that is no longer the
// newest of its lineage is still correct but copies its tombstones and logs,
// O(N + L) (milliseconds at a million records). SnapshotHolder is
// thread-safe.

#ifndef PLACEMENT_ENGINE_MATCHER_H_
#define PLACEMENT_ENGINE_MATCHER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "engine/mutex.h"
#include "engine/reference_data.h"
#include "engine/scoring.h"
#include "engine/types.h"

namespace placement {

namespace internal {
struct OpeningColumns;
struct ParticipantColumns;
struct OpeningLog;
struct ParticipantLog;
struct Interned;
class Tombstones;
struct Lineage;
struct SnapshotAccess;
}  // namespace internal

class Snapshot {
 public:
  // Builds a snapshot; records are sorted by id. Ids must be unique within
  // each kind (INVALID_ARGUMENT names the first repeat). Records are taken
  // as they are: validation is the loaders' and the service's job; codes
  // unknown to `reference` earn no credit. O((N + M) log(N + M)).
  static absl::StatusOr<std::shared_ptr<const Snapshot>> Build(
      std::shared_ptr<const ReferenceData> reference,
      std::vector<Participant> participants, std::vector<Opening> openings,
      uint64_t version = 1);

  // The next snapshot with one record inserted or replaced by id (or erased),
  // version + 1. The side that did not change is shared, not copied; the
  // one that did shares its base and log (see Writes above).
  std::shared_ptr<const Snapshot> WithOpening(Opening opening) const;
  std::shared_ptr<const Snapshot> WithParticipant(
      Participant participant) const;
  std::shared_ptr<const Snapshot> WithoutParticipant(
      absl::string_view id) const;

  // The same records and version with every record in a new base and empty
  // logs: O((N + M) log(N + M)). Indices of the result are dense, in id
  // order (0..count-1), as after Build.
  std::shared_ptr<const Snapshot> Compacted() const;
  // Writes since the base was built, per side.
  int opening_log_entries() const { return opening_log_count_; }
  int participant_log_entries() const { return participant_log_count_; }
  // Whether a log has grown past the point where compaction pays:
  // more than 1 % of its base, and at least 256 entries.
  bool CompactionDue() const;

  uint64_t version() const { return version_; }
  const ReferenceData& reference() const { return *reference_; }
  const std::shared_ptr<const ReferenceData>& shared_reference() const {
    return reference_;
  }

  // Current records.
  int opening_count() const { return opening_live_; }
  int participant_count() const { return participant_live_; }
  // Records by index (see Record indices above).
  const Opening& opening(int index) const;
  const Participant& participant(int index) const;
  int opening_index_end() const;
  int participant_index_end() const;
  // Indices of the current records, in id order: O(N + L log L) for L log
  // entries.
  std::vector<int> OpeningIndices() const;
  std::vector<int> ParticipantIndices() const;
  // At most `limit` (no limit when negative) of them whose id is above
  // `after` (all for an empty `after`), in id order:
  // O(log N + limit + L log L).
  std::vector<int> OpeningIndicesAfter(absl::string_view after,
                                       int limit) const;
  std::vector<int> ParticipantIndicesAfter(absl::string_view after,
                                           int limit) const;
  std::optional<int> FindOpening(absl::string_view id) const;
  std::optional<int> FindParticipant(absl::string_view id) const;

  // Bytes held by each side's columns, records, tombstones and log, for
  // capacity planning.
  size_t opening_bytes() const;
  size_t participant_bytes() const;

  // The bases (tests compare them to check what is shared).
  const internal::OpeningColumns& opening_columns() const { return *openings_; }
  const internal::ParticipantColumns& participant_columns() const {
    return *participants_;
  }

 private:
  friend class SnapshotHolder;
  friend struct internal::SnapshotAccess;

  Snapshot() = default;

  static absl::StatusOr<std::shared_ptr<Snapshot>> BuildMutable(
      std::shared_ptr<const ReferenceData> reference,
      std::vector<Participant> participants, std::vector<Opening> openings,
      uint64_t version);
  // A copy to write version_ + 1 into: shares the base and logs when this
  // is the newest snapshot of its lineage, else shares the base's columns
  // only (a new lineage).
  std::shared_ptr<Snapshot> NextWrite() const;
  std::shared_ptr<Snapshot> MutableCompacted() const;
  // The write itself, at `version`, on a snapshot no one else sees yet.
  void UpsertOpening(Opening opening, uint64_t version);
  void UpsertParticipant(Participant participant, uint64_t version);
  void EraseParticipant(absl::string_view id, uint64_t version);

  // This snapshot's writes after `since` (a snapshot of the same lineage),
  // replayed onto `base` (a compaction of `since`), or null when `since` is
  // of another lineage. For SnapshotHolder::Compact, under its writer lock.
  std::shared_ptr<const Snapshot> ReplayedOnto(
      const Snapshot& since, std::shared_ptr<const Snapshot> base) const;

  uint64_t version_ = 0;
  std::shared_ptr<const ReferenceData> reference_;
  std::shared_ptr<const internal::Interned> interned_;
  std::shared_ptr<internal::Lineage> lineage_;

  std::shared_ptr<const internal::OpeningColumns> openings_;
  std::shared_ptr<internal::Tombstones> opening_tombstones_;
  std::shared_ptr<internal::OpeningLog> opening_log_;  // null while empty
  int opening_log_count_ = 0;
  int opening_live_ = 0;

  std::shared_ptr<const internal::ParticipantColumns> participants_;
  std::shared_ptr<internal::Tombstones> participant_tombstones_;
  std::shared_ptr<internal::ParticipantLog> participant_log_;
  int participant_log_count_ = 0;
  int participant_live_ = 0;
  // Farthest any participant in the log may travel (never shrinks).
  double participant_log_reach_km_ = 0;
};

struct TopKQuery {
  int k = 10;  // 1..1000; larger values are clamped
  ScoringContext context;
  std::vector<OpeningKind> kinds;           // empty = every kind
  std::vector<std::string> municipalities;  // empty = everywhere
  // Visit only grid cells within reach. Results are identical either way;
  // false exists for benchmarks and tests.
  bool use_spatial_index = true;
};

struct RankedMatch {
  int index = 0;     // opening or participant index in the snapshot
  double total = 0;  // weighted score in [0, 1]
};

// What one TopOpenings query looked at.
struct TopKCounts {
  // Openings of the snapshot that the query's filters (kinds,
  // municipalities) let through, in any status.
  int considered = 0;
  // Of those, the ones that break no hard rule: every one that could have
  // been returned, so possibly more than k.
  int eligible = 0;
};

// Best k eligible openings for `participant` (who need not be in the
// snapshot), best first. Filters (kinds, municipalities) apply to openings.
// With `counts`, also how many openings were considered and eligible.
std::vector<RankedMatch> TopOpenings(const Snapshot& snapshot,
                                     const Participant& participant,
                                     const TopKQuery& query,
                                     TopKCounts* counts = nullptr);

// Best k eligible participants for `opening` (which need not be in the
// snapshot), best first. The municipality filter applies to participants'
// homes; kinds is ignored.
std::vector<RankedMatch> TopParticipants(const Snapshot& snapshot,
                                         const Opening& opening,
                                         const TopKQuery& query);

// Holds the current snapshot. Readers never wait for a snapshot to be
// built: Current() copies a shared pointer under a lock held only for that
// copy, and a writer builds the next snapshot outside that lock and takes it
// only to swap the pointer. Writers are serialised among themselves, so each
// update sees the previous one; an update is visible to every Current() that
// starts after Update() returns.
//
// Compaction (Compact, CompactIfDue; e.g. from a periodic task) builds the
// new base without the writer lock, so writes go on meanwhile; it then
// takes the lock only to replay those writes onto the new base (a few
// microseconds each) and swap. Compactions are serialised among themselves.
//
// (A mutex rather than std::atomic<std::shared_ptr>: libstdc++ 12's
// atomic shared_ptr is reported as racy by ThreadSanitizer, and a mutex held
// for a pointer copy costs readers nothing measurable.)
class SnapshotHolder {
 public:
  explicit SnapshotHolder(std::shared_ptr<const Snapshot> initial);

  std::shared_ptr<const Snapshot> Current() const
      ABSL_LOCKS_EXCLUDED(pointer_mutex_);

  // Replaces the snapshot with update(current). `update` runs under the
  // writer lock; it must not call back into this holder.
  template <typename Fn>
  std::shared_ptr<const Snapshot> Update(Fn update)
      ABSL_LOCKS_EXCLUDED(writer_mutex_, pointer_mutex_) {
    MutexLock writer(&writer_mutex_);
    std::shared_ptr<const Snapshot> next = update(Current());
    MutexLock pointer(&pointer_mutex_);
    current_ = next;
    return next;
  }

  // Compacts the current snapshot (Snapshot::Compacted) and installs it
  // with every write made meanwhile. False when there was nothing to
  // compact, or when an update replaced the whole snapshot (a new Build)
  // while the compaction ran. `meanwhile`, when given, runs once the new
  // base is built, before the replay, with no lock held (tests write
  // through Update there, as writers would during a compaction).
  // `writers`, when given, is a mutex every writer holds from its
  // Current() to its Update() (the app's write_mutex): the replay takes it
  // too, so no writer that read the snapshot before the swap overwrites the
  // compacted one with its own successor.
  bool Compact(const std::function<void()>& meanwhile = {},
               Mutex* writers = nullptr)
      ABSL_LOCKS_EXCLUDED(compact_mutex_, writer_mutex_, pointer_mutex_);
  // Compact() when Current()->CompactionDue().
  bool CompactIfDue(Mutex* writers = nullptr)
      ABSL_LOCKS_EXCLUDED(compact_mutex_, writer_mutex_, pointer_mutex_);

 private:
  // Serialise compactions and writers; guard no data of their own.
  Mutex compact_mutex_ ABSL_ACQUIRED_BEFORE(writer_mutex_);
  Mutex writer_mutex_ ABSL_ACQUIRED_BEFORE(pointer_mutex_);
  mutable Mutex pointer_mutex_;
  std::shared_ptr<const Snapshot> current_ ABSL_GUARDED_BY(pointer_mutex_);
};

}  // namespace placement

#endif  // PLACEMENT_ENGINE_MATCHER_H_
