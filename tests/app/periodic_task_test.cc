// The background upkeep thread: it runs its work again and again, never two
// runs at once, and stops without waiting out its interval.

#include "app/periodic_task.h"

#include <atomic>
#include <chrono>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace placement::app {
namespace {

TEST(PeriodicTaskTest, RunsAgainAndAgainOneAtATime) {
  std::atomic<int> runs{0};
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  absl::Notification third;
  PeriodicTask task(absl::Milliseconds(1), [&] {
    if (inside.fetch_add(1) != 0) overlapped = true;
    absl::SleepFor(absl::Microseconds(200));
    inside.fetch_sub(1);
    if (runs.fetch_add(1) + 1 == 3) third.Notify();
  });
  ASSERT_TRUE(third.WaitForNotificationWithTimeout(absl::Seconds(30)));
  task.Stop();
  const int after_stop = runs.load();
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(runs.load(), after_stop) << "a run started after Stop()";
  EXPECT_FALSE(overlapped.load());
}

TEST(PeriodicTaskTest, StopCutsTheWaitShort) {
  std::atomic<int> runs{0};
  const auto start = std::chrono::steady_clock::now();
  {
    PeriodicTask task(absl::Hours(24), [&] { runs.fetch_add(1); });
    task.Stop();
    task.Stop();  // a second stop is harmless; so is the destructor's
  }
  EXPECT_EQ(runs.load(), 0) << "the first run is one interval away";
  // Generous: a day's interval was not waited out.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

TEST(PeriodicTaskTest, TheDestructorStopsIt) {
  std::atomic<int> runs{0};
  absl::Notification first;
  {
    PeriodicTask task(absl::Milliseconds(1), [&] {
      if (runs.fetch_add(1) == 0) first.Notify();
    });
    ASSERT_TRUE(first.WaitForNotificationWithTimeout(absl::Seconds(30)));
  }
  const int after = runs.load();
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(runs.load(), after);
}

}  // namespace
}  // namespace placement::app
