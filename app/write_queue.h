// Group commit of the use cases' writes: concurrent writes share one SQLite
// transaction (one fsync) and one snapshot change, and no caller's thread
// waits for the disk.
//
// A write is a step and a completion. WriteQueue::Submit queues it and
// returns at once. One thread of the queue (the committer) takes every write
// queued meanwhile, at most kMaxBatch, and, under the context's write lock:
//   1. opens one transaction (store::Store::InBatch) and runs each step in
//      turn, each as a savepoint (Store::Atomically), on a working copy of
//      the snapshot that holds the steps before it; a step that fails is
//      undone alone, in the store and in the working snapshot;
//   2. commits (one fsync);
//   3. publishes the working snapshot (one SnapshotHolder::Update);
// then, with the lock released, runs each write's completion: OK once its
// change is on disk and in the snapshot, the step's own error, or, when the
// commit fails, the store's error for every write of the batch, with neither
// the store nor the snapshot changed. So the store and the snapshot still
// change in the same order (every other writer takes the same lock), a write
// is acknowledged only once durable, and a query that starts after its
// acknowledgement sees it.
//
// Cost: one fsync and one snapshot publication per batch instead of per
// write; each step still pays its own snapshot change (Snapshot::With...).
// A write marked `alone` (an erasure, which checkpoints the WAL) runs in a
// batch of its own, outside any shared transaction: its store calls commit
// themselves.
//
// Thread safety: thread-safe. Steps run on the committer's thread, one at a
// time; completions run there too, after the lock is released, and must not
// wait for another write (CommitAndWait would deadlock).
//
// Usage:
//   queue.Submit(target, {.step = [&](WorkingSnapshot& working) {
//                           ... store calls ...;
//                           working.Update([&](const auto& s) {
//                             return s->WithParticipant(p);
//                           });
//                           return absl::OkStatus();
//                         },
//                         .done = [](absl::Status committed) { ... }});

#ifndef PLACEMENT_APP_WRITE_QUEUE_H_
#define PLACEMENT_APP_WRITE_QUEUE_H_

#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "engine/matcher.h"
#include "engine/mutex.h"
#include "store/store.h"

namespace placement::app {

// The snapshot as a write step sees it: the published one with the changes
// of the steps before it in the batch. A step reads it and replaces it; it
// is published when the batch commits. Not thread-safe (one step at a time).
class WorkingSnapshot {
 public:
  explicit WorkingSnapshot(std::shared_ptr<const Snapshot> snapshot)
      : current_(std::move(snapshot)) {}
  const std::shared_ptr<const Snapshot>& Current() const { return current_; }
  // Replaces the working snapshot with update(current), as
  // SnapshotHolder::Update does.
  template <typename Fn>
  void Update(Fn update) {
    current_ = update(current_);
  }

 private:
  std::shared_ptr<const Snapshot> current_;
};

// What the writes change: the store (null for a context over a snapshot
// alone: the steps then run without a transaction), the snapshot, and the
// lock every writer of both takes.
struct WriteTarget {
  store::Store* store = nullptr;
  SnapshotHolder* snapshots = nullptr;
  Mutex* write_mutex = nullptr;
};

struct Write {
  // Runs on the committer's thread under the write lock, inside the batch's
  // transaction: makes the write's store calls and its snapshot change on
  // `working`. An error fails this write alone and undoes what it did.
  absl::AnyInvocable<absl::Status(WorkingSnapshot& working)> step;
  // Runs once, after the batch: OK when the write is on disk and published,
  // else its step's error or the batch's.
  absl::AnyInvocable<void(absl::Status) &&> done;
  // Commits in its own transactions, in a batch of its own (see above).
  // Its store calls are durable when they return, so its working snapshot
  // is published even when the step then fails: the step keeps it in line
  // with what it stored.
  bool alone = false;
};

class WriteQueue {
 public:
  // Writes one batch takes at most, so a burst does not make one
  // transaction (and its snapshot changes) arbitrarily long.
  static constexpr int kMaxBatch = 256;

  WriteQueue() = default;
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;
  // Commits what is queued, then stops the committer.
  ~WriteQueue();

  // Queues `write` and returns at once. Every call must name the same
  // target, which must outlive the queue.
  void Submit(const WriteTarget& target, Write write)
      ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  void Commit() ABSL_LOCKS_EXCLUDED(mutex_);
  // One batch: the steps in one transaction, then the snapshot.
  void CommitBatch(std::vector<Write>& batch, std::vector<absl::Status>& out)
      ABSL_LOCKS_EXCLUDED(mutex_);

  Mutex mutex_;
  CondVar queued_;
  WriteTarget target_ ABSL_GUARDED_BY(mutex_);
  std::vector<Write> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread committer_ ABSL_GUARDED_BY(mutex_);
};

// The answer of a write that returns a value.
template <typename T>
using WriteDone = absl::AnyInvocable<void(absl::StatusOr<T>) &&>;

// Runs `start(done)`, which must call `done` exactly once (at once or from
// the committer), and waits for it: the blocking form of an asynchronous use
// case, for tests, tools and the web gateway. Must not be called on the
// committer's thread.
template <typename T, typename Start>
absl::StatusOr<T> Await(Start start) {
  struct Result {
    Mutex mutex;
    CondVar ready;
    std::optional<absl::StatusOr<T>> value ABSL_GUARDED_BY(mutex);
  };
  auto result = std::make_shared<Result>();
  start(WriteDone<T>([result](absl::StatusOr<T> value) {
    MutexLock lock(&result->mutex);
    result->value = std::move(value);
    result->ready.Signal();
  }));
  MutexLock lock(&result->mutex);
  while (!result->value.has_value()) result->ready.Wait(&result->mutex);
  return *std::move(result->value);
}

}  // namespace placement::app

#endif  // PLACEMENT_APP_WRITE_QUEUE_H_
