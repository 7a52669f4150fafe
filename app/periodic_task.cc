#include "app/periodic_task.h"

#include <chrono>
#include <utility>

namespace placement::app {

PeriodicTask::PeriodicTask(absl::Duration interval, std::function<void()> work)
    : interval_(interval), work_(std::move(work)) {
  MutexLock lock(&join_mutex_);
  thread_ = std::thread([this] { Loop(); });
}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Stop() {
  {
    MutexLock lock(&mutex_);
    stopping_ = true;
  }
  stop_requested_.SignalAll();
  MutexLock lock(&join_mutex_);
  if (thread_.joinable()) thread_.join();
}

void PeriodicTask::Loop() {
  const auto interval = absl::ToChronoMicroseconds(interval_);
  auto next = std::chrono::steady_clock::now() + interval;
  while (true) {
    {
      MutexLock lock(&mutex_);
      while (!stopping_ && std::chrono::steady_clock::now() < next) {
        stop_requested_.WaitUntil(&mutex_, next);
      }
      if (stopping_) return;
    }
    work_();
    next = std::chrono::steady_clock::now() + interval;
  }
}

}  // namespace placement::app
