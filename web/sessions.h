// Signed-in people, held by the gateway: a session maps a random id (the
// browser's cookie) to the bearer token it stands for, which never leaves
// the gateway; and the slow-down of repeated failed sign-ins per client
// address.
//
// Sessions end when idle for longer than the idle limit (each use counts as
// activity) or when ended (sign-out). Ids are 32 bytes from OpenSSL's CSPRNG
// (RAND_bytes), written as 64 lowercase hex digits.
//
// Sign-in slow-down: after `free_failures` failures from one address (with
// no quiet `window` between them), that address is refused for 1 s, then 2,
// 4, ... with each further failure, at most `max_delay`. A success forgets
// the address; so does a quiet window after the refusal has run out.
//
// Example:
//   SessionStore sessions(absl::Minutes(30));
//   std::string id = sessions.Create({.token = t, .principal_id = "C0136-01",
//                                     .role = "coach"});
//   std::optional<Session> s = sessions.Find(id);  // nullopt once idle
//
// Thread safety: both classes are thread-safe. Time comes from a clock
// function (absl::Now by default) so tests can move it.

#ifndef PLACEMENT_WEB_SESSIONS_H_
#define PLACEMENT_WEB_SESSIONS_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "engine/mutex.h"

namespace placement::web {

using Clock = std::function<absl::Time()>;

struct Session {
  std::string token = {};
  std::string principal_id = {};
  // Role slug, as AccountService.WhoAmI answers it.
  std::string role = {};
};

// 64 lowercase hex digits from 32 bytes of OpenSSL's CSPRNG. Aborts if the
// generator fails (there is no safe fallback).
std::string NewSessionId();

// Whether `id` has the form NewSessionId makes (checked before any look-up).
bool IsWellFormedSessionId(absl::string_view id);

class SessionStore {
 public:
  // At most this many live sessions; creating one more ends the least
  // recently used.
  static constexpr size_t kMaxSessions = 100000;

  explicit SessionStore(absl::Duration idle_limit, Clock clock = absl::Now);

  // Starts a session and returns its id.
  std::string Create(Session session) ABSL_LOCKS_EXCLUDED(mutex_);
  // The session of `id` if it is live, and marks it used now; nullopt (and
  // the session ended) if it has been idle for longer than the limit.
  std::optional<Session> Find(absl::string_view id) ABSL_LOCKS_EXCLUDED(mutex_);
  // Ends the session; nothing happens for an unknown id.
  void End(absl::string_view id) ABSL_LOCKS_EXCLUDED(mutex_);
  // Live sessions (those idle too long included until next touched).
  size_t size() const ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  struct Entry {
    Session session;
    absl::Time last_used;
  };
  // Ends every session idle for longer than the limit.
  void SweepLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const absl::Duration idle_limit_;
  const Clock clock_;
  mutable Mutex mutex_;
  absl::flat_hash_map<std::string, Entry> sessions_ ABSL_GUARDED_BY(mutex_);
};

class SignInThrottle {
 public:
  struct Options {
    int free_failures = 5;
    absl::Duration window = absl::Minutes(1);
    absl::Duration max_delay = absl::Minutes(15);
  };

  explicit SignInThrottle(Options options, Clock clock = absl::Now);

  // How long `address` must wait before its next sign-in is looked at;
  // zero when it may try now.
  absl::Duration RetryAfter(absl::string_view address)
      ABSL_LOCKS_EXCLUDED(mutex_);
  void RecordFailure(absl::string_view address) ABSL_LOCKS_EXCLUDED(mutex_);
  void RecordSuccess(absl::string_view address) ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  struct Entry {
    int failures = 0;
    absl::Time last_failure;
    absl::Time refused_until;
  };
  // Whether the address's record has lapsed: no refusal running and a quiet
  // window since both the last failure and the refusal's end.
  bool LapsedLocked(const Entry& entry, absl::Time now) const;

  const Options options_;
  const Clock clock_;
  Mutex mutex_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace placement::web

#endif  // PLACEMENT_WEB_SESSIONS_H_
