// A background thread that runs one piece of upkeep at a fixed interval
// until it is stopped: the server's sweep of expired holds, and the daily
// retention purge. The work is never run concurrently with itself, and
// Stop() returns as soon as a run in progress ends (a wait between runs is
// cut short), so shutting down does not wait out the interval.
//
// Example:
//   PeriodicTask sweep(absl::Minutes(1), [&] { ExpireDueHolds(context); });
//   ...
//   sweep.Stop();  // or let the destructor stop it
//
// Thread safety: Stop() may be called from any thread but the task's own,
// more than once.

#ifndef PLACEMENT_APP_PERIODIC_TASK_H_
#define PLACEMENT_APP_PERIODIC_TASK_H_

#include <functional>
#include <thread>

#include "absl/time/time.h"
#include "engine/mutex.h"

namespace placement::app {

class PeriodicTask {
 public:
  // Starts the thread. The first run is one interval from now; interval
  // must be positive.
  PeriodicTask(absl::Duration interval, std::function<void()> work);
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;
  ~PeriodicTask();

  // Ends the thread after the run in progress, if any; no run starts after.
  void Stop() ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  void Loop() ABSL_LOCKS_EXCLUDED(mutex_);

  const absl::Duration interval_;
  const std::function<void()> work_;
  Mutex mutex_;
  CondVar stop_requested_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  Mutex join_mutex_ ABSL_ACQUIRED_AFTER(mutex_);
  std::thread thread_ ABSL_GUARDED_BY(join_mutex_);
};

}  // namespace placement::app

#endif  // PLACEMENT_APP_PERIODIC_TASK_H_
