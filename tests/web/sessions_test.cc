// Sessions with idle expiry and the sign-in slow-down (web/sessions.h), on
// a clock the test moves.

#include "web/sessions.h"

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace placement::web {
namespace {

class FakeClock {
 public:
  absl::Time Now() const { return now_; }
  void Advance(absl::Duration d) { now_ += d; }
  Clock AsClock() {
    return [this] { return now_; };
  }

 private:
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
};

TEST(SessionIdTest, IdsAre64HexDigitsAndDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    const std::string id = NewSessionId();
    EXPECT_TRUE(IsWellFormedSessionId(id)) << id;
    EXPECT_TRUE(seen.insert(id).second) << "repeated " << id;
  }
  EXPECT_FALSE(IsWellFormedSessionId(""));
  EXPECT_FALSE(IsWellFormedSessionId(std::string(63, 'a')));
  EXPECT_FALSE(IsWellFormedSessionId(std::string(64, 'A')));
  EXPECT_FALSE(IsWellFormedSessionId(std::string(64, 'g')));
  EXPECT_TRUE(IsWellFormedSessionId(std::string(64, 'f')));
}

TEST(SessionStoreTest, ASessionLivesWhileUsedAndEndsWhenIdle) {
  FakeClock clock;
  SessionStore sessions(absl::Minutes(30), clock.AsClock());
  const std::string id = sessions.Create(
      {.token = "secret-token", .principal_id = "C0136-01", .role = "coach"});
  std::optional<Session> found = sessions.Find(id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->token, "secret-token");
  EXPECT_EQ(found->principal_id, "C0136-01");
  EXPECT_EQ(found->role, "coach");
  // Used every 20 minutes for two hours: still live.
  for (int i = 0; i < 6; ++i) {
    clock.Advance(absl::Minutes(20));
    ASSERT_TRUE(sessions.Find(id).has_value()) << i;
  }
  // Exactly the limit is still live; a moment more is not.
  clock.Advance(absl::Minutes(30));
  ASSERT_TRUE(sessions.Find(id).has_value());
  clock.Advance(absl::Minutes(30) + absl::Seconds(1));
  EXPECT_FALSE(sessions.Find(id).has_value());
  // And it stays ended.
  clock.Advance(-absl::Hours(1));
  EXPECT_FALSE(sessions.Find(id).has_value());
}

TEST(SessionStoreTest, EndEndsOnlyThatSession) {
  FakeClock clock;
  SessionStore sessions(absl::Minutes(30), clock.AsClock());
  const std::string a = sessions.Create({.token = "a"});
  const std::string b = sessions.Create({.token = "b"});
  EXPECT_NE(a, b);
  sessions.End(a);
  EXPECT_FALSE(sessions.Find(a).has_value());
  ASSERT_TRUE(sessions.Find(b).has_value());
  EXPECT_EQ(sessions.Find(b)->token, "b");
  sessions.End("no-such-session");
  EXPECT_EQ(sessions.size(), 1u);
}

TEST(SessionStoreTest, UnknownAndMalformedIdsFindNothing) {
  SessionStore sessions(absl::Minutes(30));
  sessions.Create({.token = "t"});
  EXPECT_FALSE(sessions.Find("").has_value());
  EXPECT_FALSE(sessions.Find(NewSessionId()).has_value());
  EXPECT_FALSE(sessions.Find("../../etc/passwd").has_value());
}

TEST(SessionStoreTest, CreatingSweepsIdleSessions) {
  FakeClock clock;
  SessionStore sessions(absl::Minutes(1), clock.AsClock());
  for (int i = 0; i < 10; ++i) sessions.Create({.token = "t"});
  EXPECT_EQ(sessions.size(), 10u);
  clock.Advance(absl::Minutes(2));
  sessions.Create({.token = "u"});
  EXPECT_EQ(sessions.size(), 1u);
}

TEST(SessionStoreTest, ManyThreadsSignInUseAndSignOutAtOnce) {
  SessionStore sessions(absl::Minutes(30));
  SignInThrottle throttle({});
  std::atomic<int> found{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const std::string address = "10.0.0." + std::to_string(t);
      for (int i = 0; i < 200; ++i) {
        const std::string id = sessions.Create(
            {.token = address, .principal_id = "p", .role = "coach"});
        std::optional<Session> session = sessions.Find(id);
        if (session.has_value() && session->token == address) ++found;
        sessions.End(id);
        throttle.RecordFailure(address);
        (void)throttle.RetryAfter(address);
        if (i % 7 == 0) throttle.RecordSuccess(address);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(found.load(), 8 * 200);
  EXPECT_EQ(sessions.size(), 0u);
}

TEST(SignInThrottleTest, FiveFailuresThenRefusalsThatDouble) {
  FakeClock clock;
  SignInThrottle throttle({}, clock.AsClock());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(throttle.RetryAfter("10.0.0.1"), absl::ZeroDuration());
    throttle.RecordFailure("10.0.0.1");
  }
  EXPECT_EQ(throttle.RetryAfter("10.0.0.1"), absl::ZeroDuration());
  throttle.RecordFailure("10.0.0.1");  // the fifth
  EXPECT_EQ(throttle.RetryAfter("10.0.0.1"), absl::Seconds(1));
  // Another address is not affected.
  EXPECT_EQ(throttle.RetryAfter("10.0.0.2"), absl::ZeroDuration());
  for (int64_t expected : {2, 4, 8, 16}) {
    clock.Advance(throttle.RetryAfter("10.0.0.1"));
    EXPECT_EQ(throttle.RetryAfter("10.0.0.1"), absl::ZeroDuration());
    throttle.RecordFailure("10.0.0.1");
    EXPECT_EQ(throttle.RetryAfter("10.0.0.1"), absl::Seconds(expected));
  }
  clock.Advance(absl::Seconds(3));
  EXPECT_EQ(throttle.RetryAfter("10.0.0.1"), absl::Seconds(13));
}

TEST(SignInThrottleTest, TheRefusalIsCapped) {
  FakeClock clock;
  SignInThrottle throttle({.max_delay = absl::Minutes(15)}, clock.AsClock());
  for (int i = 0; i < 60; ++i) {
    clock.Advance(throttle.RetryAfter("a"));
    throttle.RecordFailure("a");
  }
  EXPECT_EQ(throttle.RetryAfter("a"), absl::Minutes(15));
}

TEST(SignInThrottleTest, ASuccessForgetsTheAddress) {
  FakeClock clock;
  SignInThrottle throttle({}, clock.AsClock());
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("a");
  throttle.RecordSuccess("a");
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("a");
  EXPECT_EQ(throttle.RetryAfter("a"), absl::ZeroDuration());
}

TEST(SignInThrottleTest, AQuietWindowForgetsTheFailures) {
  FakeClock clock;
  SignInThrottle throttle({.window = absl::Minutes(1)}, clock.AsClock());
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("a");
  clock.Advance(absl::Seconds(59));
  throttle.RecordFailure("a");  // within the window: the fifth
  EXPECT_EQ(throttle.RetryAfter("a"), absl::Seconds(1));
  // A minute of quiet after the refusal ran out: counting starts again.
  clock.Advance(absl::Seconds(1) + absl::Minutes(1) + absl::Seconds(1));
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("a");
  EXPECT_EQ(throttle.RetryAfter("a"), absl::ZeroDuration());
}

}  // namespace
}  // namespace placement::web
