// What every use case works against: the store, the current snapshot, the
// reference data, the server's scoring profile and its clock.
//
// A write goes to the store first and then to the snapshot, both under
// `write_mutex`, so the two change in the same order and every query that
// starts after a write returns sees it. Most writes go through the group
// commit (SubmitWrite, app/write_queue.h), which takes the lock for a batch.
// Reads take no lock: they read the snapshot current when they start.
//
// Thread safety: thread-safe. The pointers are borrowed and must outlive
// the context.

#ifndef PLACEMENT_APP_CONTEXT_H_
#define PLACEMENT_APP_CONTEXT_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "app/caller.h"
#include "app/retention.h"
#include "app/write_queue.h"
#include "engine/matcher.h"
#include "engine/mutex.h"
#include "engine/placements.h"
#include "engine/reference_data.h"
#include "engine/scoring.h"
#include "engine/validation.h"
#include "store/store.h"

namespace placement::app {

struct Context {
  std::shared_ptr<const ReferenceData> reference;
  store::Store* store = nullptr;
  SnapshotHolder* snapshots = nullptr;
  ScoringProfile profile = ScoringProfile::Default();
  std::function<absl::Time()> now = [] { return absl::Now(); };
  // Held while a write goes to the store and then to the snapshot. Guards
  // no member: the store and the snapshot holder are thread-safe on their
  // own; the lock makes their changes happen in the same order.
  Mutex write_mutex;
  // How many working days a hold lasts when the request does not say
  // (server flag --hold_working_days), 1..kMaxHoldWorkingDays.
  int hold_working_days = kDefaultHoldWorkingDays;
  // How long decided proposals and access-log records are kept (server
  // flags --retain_*; app/retention.h), checked by CheckRetentionPolicy.
  RetentionPolicy retention;
  // Unix microseconds of the earliest expiry of an ACTIVE hold: INT64_MIN
  // while unknown (the store is asked), INT64_MAX when there is none. Lets
  // LiveSnapshot skip the store on every read until a hold falls due.
  std::atomic<int64_t> next_hold_expiry{std::numeric_limits<int64_t>::min()};
  // The group commit of the use cases' writes (SubmitWrite). Last, so it is
  // stopped, with what it still holds committed, before anything it uses.
  WriteQueue writes;
};

// Queues `write` on context.writes (app/write_queue.h): its step runs under
// the write lock inside a shared transaction, and `done` runs once it is on
// disk and in the snapshot. Returns at once.
void SubmitWrite(Context& context, Write write);

// A write that answers a value: `step` returns it, and `done` gets it once
// the write is committed (or the step's or the batch's error). `alone` as
// Write::alone.
template <typename T>
void SubmitWrite(Context& context,
                 absl::AnyInvocable<absl::StatusOr<T>(WorkingSnapshot&)> step,
                 WriteDone<T> done, bool alone = false) {
  auto value = std::make_shared<std::optional<T>>();
  SubmitWrite(
      context,
      Write{
          .step = [step = std::move(step),
                   value](WorkingSnapshot& working) mutable -> absl::Status {
            absl::StatusOr<T> result = step(working);
            if (!result.ok()) return result.status();
            *value = *std::move(result);
            return absl::OkStatus();
          },
          .done =
              [value, done = std::move(done)](absl::Status committed) mutable {
                if (!committed.ok()) {
                  std::move(done)(std::move(committed));
                } else {
                  std::move(done)(std::move(**value));
                }
              },
          .alone = alone});
}

// Expires every hold due at context.now(): EXPIRED in the store, then their
// openings' places_held in the snapshot, under the write lock. Returns how
// many expired. Cheap when none is due (one atomic load); nothing without a
// store (a context over a snapshot alone has no holds). The periodic
// sweep (service/server.cc) and LiveSnapshot call it.
absl::StatusOr<int> ExpireDueHolds(Context& context)
    ABSL_LOCKS_EXCLUDED(context.write_mutex);

// The snapshot a read should answer from: ExpireDueHolds first, so no hold
// past its expiry keeps a place in any answer. If the expiry cannot be
// written (a full disk, a read-only file) the read goes on with the holds
// still counted: a place may stay taken a little longer, never promised
// twice. Must not be called under the write lock.
std::shared_ptr<const Snapshot> LiveSnapshot(Context& context)
    ABSL_LOCKS_EXCLUDED(context.write_mutex);

// After a hold is stored: its expiry may be the next one.
void NoteHoldExpiry(Context& context, absl::Time expires_at);

// The calendar day of `time` in Sweden (Europe/Stockholm, UTC if the zone
// database is missing): the "today" of every date rule.
Date SwedishDate(absl::Time time);
// The first instant of `date` in Sweden (as SwedishDate's zone).
absl::Time SwedishStartOfDay(const Date& date);

// One access record per participant id, stamped `context.now()`, naming the
// caller and `call` (e.g. "CoachService.SuggestOpenings").
std::vector<store::AccessRecord> AccessRecords(
    const Context& context, const Caller& caller, absl::string_view call,
    const std::vector<std::string>& participant_ids);

// Weights a request may set for itself, per component; unset keeps the
// server's profile.
using WeightOverrides = std::array<std::optional<double>, kComponentCount>;

// `base` with `weights` applied (ScoringProfile::WithOverrides);
// INVALID_ARGUMENT under the request field `path`.
absl::StatusOr<ScoringProfile> ProfileFor(const ScoringProfile& base,
                                          const WeightOverrides& weights,
                                          absl::string_view path);

// INVALID_ARGUMENT unless `id` is a well-formed id (IdProblems,
// engine/validation.h); `path` names the request field ("opening_id:
// required", "opening_id: 'O 1' ...").
absl::Status CheckId(absl::string_view id, absl::string_view path);

// INVALID_ARGUMENT listing every problem as "<path>: '<value>' <reason>",
// with the validator's field names (CSV columns) mapped to the API's field
// paths under `prefix` ("opening.location.point.latitude").
absl::Status ParticipantProblems(const std::vector<FieldProblem>& problems,
                                 absl::string_view prefix);
absl::Status OpeningProblems(const std::vector<FieldProblem>& problems,
                             absl::string_view prefix);

// Characters (not bytes) of UTF-8 text, for limits stated in characters.
size_t Utf8Characters(absl::string_view text);

}  // namespace placement::app

#endif  // PLACEMENT_APP_CONTEXT_H_
