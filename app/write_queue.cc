#include "app/write_queue.h"

#include <iterator>

namespace placement::app {

WriteQueue::~WriteQueue() {
  std::thread committer;
  {
    MutexLock lock(&mutex_);
    stopping_ = true;
    committer = std::move(committer_);
  }
  queued_.Signal();
  if (committer.joinable()) committer.join();
}

void WriteQueue::Submit(const WriteTarget& target, Write write) {
  {
    MutexLock lock(&mutex_);
    if (!committer_.joinable()) {
      target_ = target;
      committer_ = std::thread([this] { Commit(); });
    }
    queue_.push_back(std::move(write));
  }
  queued_.Signal();
}

// Every write waits for an fsync (milliseconds) before it is acknowledged;
// a transaction per write would cap the server at one write per fsync. The
// committer takes everything queued while it committed the previous batch.
void WriteQueue::Commit() {
  while (true) {
    std::vector<Write> taken;
    {
      MutexLock lock(&mutex_);
      while (queue_.empty() && !stopping_) queued_.Wait(&mutex_);
      if (queue_.empty()) return;  // stopping, and nothing is left
      taken.swap(queue_);
    }
    // Batches of consecutive shared writes, at most kMaxBatch; a write that
    // commits alone is a batch of its own.
    size_t begin = 0;
    while (begin < taken.size()) {
      size_t end = begin + 1;
      if (!taken[begin].alone) {
        while (end < taken.size() && !taken[end].alone &&
               end - begin < static_cast<size_t>(kMaxBatch)) {
          ++end;
        }
      }
      std::vector<Write> batch(std::make_move_iterator(taken.begin() + begin),
                               std::make_move_iterator(taken.begin() + end));
      std::vector<absl::Status> statuses;
      CommitBatch(batch, statuses);
      for (size_t i = 0; i < batch.size(); ++i) {
        std::move(batch[i].done)(std::move(statuses[i]));
      }
      begin = end;
    }
  }
}

void WriteQueue::CommitBatch(std::vector<Write>& batch,
                             std::vector<absl::Status>& out) {
  WriteTarget target;
  {
    MutexLock lock(&mutex_);
    target = target_;
  }
  out.assign(batch.size(), absl::OkStatus());
  MutexLock write_lock(target.write_mutex);
  WorkingSnapshot working(target.snapshots->Current());
  const std::shared_ptr<const Snapshot> published = working.Current();
  // One step, undone in the working snapshot when it fails (the store undoes
  // its part: a savepoint, or the step's own transactions).
  auto run = [&working](Write& write) {
    const std::shared_ptr<const Snapshot> before = working.Current();
    absl::Status status = write.step(working);
    if (!status.ok()) working = WorkingSnapshot(before);
    return status;
  };
  if (batch.size() == 1 && batch[0].alone) {
    // Its store calls committed themselves, error or not: the snapshot
    // follows what they did.
    out[0] = batch[0].step(working);
  } else if (target.store == nullptr) {
    for (size_t i = 0; i < batch.size(); ++i) out[i] = run(batch[i]);
  } else {
    store::Store& store = *target.store;
    const absl::Status committed = store.InBatch([&] {
      for (size_t i = 0; i < batch.size(); ++i) {
        out[i] = store.Atomically([&] { return run(batch[i]); });
      }
    });
    if (!committed.ok()) {
      // Nothing of the batch is stored: nothing of it is published.
      for (absl::Status& status : out) status = committed;
      return;
    }
  }
  if (working.Current() != published) {
    target.snapshots->Update([&](const std::shared_ptr<const Snapshot>&) {
      return working.Current();
    });
  }
}

}  // namespace placement::app
