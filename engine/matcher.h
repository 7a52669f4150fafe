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
// Results equal the slow reference in the tests (totals within 1e-6, same
// ranking: total descending, then id ascending).
//
// Usage:
//   auto snapshot = Snapshot::Build(reference, participants, openings);
//   TopKQuery query{.k = 20, .context = {.today = {2026, 11, 22}}};
//   std::vector<RankedMatch> best = TopOpenings(*snapshot, participant, query);
//   Explanation why = ExplainPair(participant,
//   snapshot->opening(best[0].index),
//                                 snapshot->reference(), query.context);
//
// Thread safety: Snapshot is immutable and safe to share; queries are
// reentrant. SnapshotHolder is thread-safe.

#ifndef PLACEMENT_ENGINE_MATCHER_H_
#define PLACEMENT_ENGINE_MATCHER_H_

#include <cstdint>
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
struct Interned;
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
  // version + 1. The side that did not change is shared, not copied.
  std::shared_ptr<const Snapshot> WithOpening(Opening opening) const;
  std::shared_ptr<const Snapshot> WithParticipant(
      Participant participant) const;
  std::shared_ptr<const Snapshot> WithoutParticipant(
      absl::string_view id) const;

  uint64_t version() const { return version_; }
  const ReferenceData& reference() const { return *reference_; }
  const std::shared_ptr<const ReferenceData>& shared_reference() const {
    return reference_;
  }

  int opening_count() const;
  int participant_count() const;
  // Records by index (0..count-1, in id order).
  const Opening& opening(int index) const;
  const Participant& participant(int index) const;
  std::optional<int> FindOpening(absl::string_view id) const;
  std::optional<int> FindParticipant(absl::string_view id) const;

  // Bytes held by each side's columns and records, for capacity planning.
  size_t opening_bytes() const;
  size_t participant_bytes() const;

  const internal::OpeningColumns& opening_columns() const { return *openings_; }
  const internal::ParticipantColumns& participant_columns() const {
    return *participants_;
  }
  const internal::Interned& interned() const { return *interned_; }

 private:
  Snapshot() = default;

  uint64_t version_ = 0;
  std::shared_ptr<const ReferenceData> reference_;
  std::shared_ptr<const internal::Interned> interned_;
  std::shared_ptr<const internal::OpeningColumns> openings_;
  std::shared_ptr<const internal::ParticipantColumns> participants_;
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

 private:
  // Serialises writers; guards no data of its own.
  Mutex writer_mutex_ ABSL_ACQUIRED_BEFORE(pointer_mutex_);
  mutable Mutex pointer_mutex_;
  std::shared_ptr<const Snapshot> current_ ABSL_GUARDED_BY(pointer_mutex_);
};

}  // namespace placement

#endif  // PLACEMENT_ENGINE_MATCHER_H_
