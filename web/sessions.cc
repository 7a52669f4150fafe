#include "web/sessions.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"

namespace placement::web {
namespace {

constexpr int kSessionIdBytes = 32;
// Address records kept before lapsed ones are swept.
constexpr size_t kMaxThrottleEntries = 10000;

}  // namespace

std::string NewSessionId() {
  unsigned char bytes[kSessionIdBytes];
  if (RAND_bytes(bytes, kSessionIdBytes) != 1) {
    std::fprintf(stderr, "placement-web: the CSPRNG failed; stopping\n");
    std::abort();
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(2 * kSessionIdBytes);
  for (unsigned char byte : bytes) {
    id += kHex[byte >> 4];
    id += kHex[byte & 0xf];
  }
  return id;
}

bool IsWellFormedSessionId(absl::string_view id) {
  return id.size() == 2 * kSessionIdBytes &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return absl::ascii_isdigit(static_cast<unsigned char>(c)) ||
                  (c >= 'a' && c <= 'f');
         });
}

SessionStore::SessionStore(absl::Duration idle_limit, Clock clock)
    : idle_limit_(idle_limit), clock_(std::move(clock)) {}

std::string SessionStore::Create(Session session) {
  const absl::Time now = clock_();
  std::string id = NewSessionId();
  MutexLock lock(&mutex_);
  SweepLocked(now);
  if (sessions_.size() >= kMaxSessions) {
    auto oldest = std::min_element(
        sessions_.begin(), sessions_.end(), [](const auto& a, const auto& b) {
          return a.second.last_used < b.second.last_used;
        });
    sessions_.erase(oldest);
  }
  sessions_[id] = Entry{.session = std::move(session), .last_used = now};
  return id;
}

std::optional<Session> SessionStore::Find(absl::string_view id) {
  if (!IsWellFormedSessionId(id)) return std::nullopt;
  const absl::Time now = clock_();
  MutexLock lock(&mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  if (now - it->second.last_used > idle_limit_) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_used = now;
  return it->second.session;
}

void SessionStore::End(absl::string_view id) {
  MutexLock lock(&mutex_);
  auto it = sessions_.find(id);
  if (it != sessions_.end()) sessions_.erase(it);
}

size_t SessionStore::size() const {
  MutexLock lock(&mutex_);
  return sessions_.size();
}

void SessionStore::SweepLocked(absl::Time now) {
  absl::erase_if(sessions_, [&](const auto& entry) {
    return now - entry.second.last_used > idle_limit_;
  });
}

SignInThrottle::SignInThrottle(Options options, Clock clock)
    : options_(options), clock_(std::move(clock)) {}

bool SignInThrottle::LapsedLocked(const Entry& entry, absl::Time now) const {
  return now >= entry.refused_until &&
         now - std::max(entry.last_failure, entry.refused_until) >
             options_.window;
}

absl::Duration SignInThrottle::RetryAfter(absl::string_view address) {
  const absl::Time now = clock_();
  MutexLock lock(&mutex_);
  auto it = entries_.find(address);
  if (it == entries_.end() || now >= it->second.refused_until) {
    return absl::ZeroDuration();
  }
  return it->second.refused_until - now;
}

void SignInThrottle::RecordFailure(absl::string_view address) {
  const absl::Time now = clock_();
  MutexLock lock(&mutex_);
  if (entries_.size() >= kMaxThrottleEntries) {
    absl::erase_if(entries_, [&](const auto& entry) {
      return LapsedLocked(entry.second, now);
    });
  }
  Entry& entry = entries_[address];
  if (entry.failures > 0 && LapsedLocked(entry, now)) entry = Entry();
  ++entry.failures;
  entry.last_failure = now;
  if (entry.failures >= options_.free_failures) {
    const int doublings = std::min(entry.failures - options_.free_failures, 30);
    const absl::Duration delay =
        std::min(absl::Seconds(int64_t{1} << doublings), options_.max_delay);
    entry.refused_until = now + delay;
  }
}

void SignInThrottle::RecordSuccess(absl::string_view address) {
  MutexLock lock(&mutex_);
  auto it = entries_.find(address);
  if (it != entries_.end()) entries_.erase(it);
}

}  // namespace placement::web
