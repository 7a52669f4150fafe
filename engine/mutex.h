// The project's one mutex type: Mutex, its scoped lock MutexLock, and
// CondVar, with Abseil's thread-safety annotations, so that clang's
// -Wthread-safety (scripts/check-thread-safety, run in CI) checks every
// ABSL_GUARDED_BY and ABSL_EXCLUSIVE_LOCKS_REQUIRED in the code base.
//
// Why not absl::Mutex, which carries the same annotations: Debian's Abseil is
// not built for ThreadSanitizer, so TSan cannot see absl::Mutex's lock and
// unlock, and reports races on data it guards. std::mutex is intercepted by
// TSan. std::mutex itself carries no annotations clang can use, hence this
// thin wrapper; it adds nothing at run time.
//
// Usage:
//   class Counter {  // Thread safety: thread-safe.
//    public:
//     void Add(int n) ABSL_LOCKS_EXCLUDED(mutex_) {
//       MutexLock lock(&mutex_);
//       total_ += n;
//       changed_.SignalAll();
//     }
//     void WaitFor(int n) ABSL_LOCKS_EXCLUDED(mutex_) {
//       MutexLock lock(&mutex_);
//       while (total_ < n) changed_.Wait(&mutex_);
//     }
//    private:
//     Mutex mutex_;
//     CondVar changed_;
//     int total_ ABSL_GUARDED_BY(mutex_) = 0;
//   };
//
// Thread safety: Mutex and CondVar are thread-safe (that is their purpose);
// a MutexLock belongs to the thread that made it. Not recursive: locking a
// Mutex the thread already holds is undefined, as for std::mutex.

#ifndef PLACEMENT_ENGINE_MUTEX_H_
#define PLACEMENT_ENGINE_MUTEX_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "absl/base/thread_annotations.h"

namespace placement {

class ABSL_LOCKABLE Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { mutex_.lock(); }
  void Unlock() ABSL_UNLOCK_FUNCTION() { mutex_.unlock(); }

  // Tells the analysis that the calling thread holds this mutex, where it
  // cannot see the lock: in a callback that its caller runs under the lock.
  // Checks nothing at run time.
  void AssertHeld() const ABSL_ASSERT_EXCLUSIVE_LOCK() {}

 private:
  friend class CondVar;
  std::mutex mutex_;
};

// Holds `mutex` from construction to destruction, except between Unlock()
// and the next Lock() (for a slow call that must not hold it).
class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex* mutex) ABSL_EXCLUSIVE_LOCK_FUNCTION(mutex)
      : mutex_(mutex) {
    mutex_->Lock();
  }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;
  ~MutexLock() ABSL_UNLOCK_FUNCTION() {
    if (held_) mutex_->Unlock();
  }

  // Releases the mutex; it must be held.
  void Unlock() ABSL_UNLOCK_FUNCTION() {
    mutex_->Unlock();
    held_ = false;
  }
  // Takes the mutex again after Unlock().
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    mutex_->Lock();
    held_ = true;
  }

 private:
  Mutex* const mutex_;
  bool held_ = true;
};

// A condition variable for Mutex. Waits may wake spuriously: wait in a loop
// that tests the condition, which the analysis then checks like any other
// access under the lock.
class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // Releases `mutex`, waits for a signal, and takes `mutex` again.
  void Wait(Mutex* mutex) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex) {
    std::unique_lock<std::mutex> lock(mutex->mutex_, std::adopt_lock);
    condition_.wait(lock);
    lock.release();
  }

  // Like Wait, but returns at `deadline` at the latest. Returns true when
  // the deadline has passed (the condition may have changed all the same).
  bool WaitUntil(Mutex* mutex, std::chrono::steady_clock::time_point deadline)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex) {
    std::unique_lock<std::mutex> lock(mutex->mutex_, std::adopt_lock);
    const std::cv_status status = condition_.wait_until(lock, deadline);
    lock.release();
    return status == std::cv_status::timeout;
  }

  void Signal() { condition_.notify_one(); }
  void SignalAll() { condition_.notify_all(); }

 private:
  std::condition_variable condition_;
};

}  // namespace placement

#endif  // PLACEMENT_ENGINE_MUTEX_H_
