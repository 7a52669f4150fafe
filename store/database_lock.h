// The exclusive lock a placement-server holds on its database for its whole
// life, so that two servers never serve one file (each would answer from
// its own snapshot, and their writes would interleave behind each other's
// back).
//
// How: flock(LOCK_EX | LOCK_NB) on a companion file `<database>.lock`
// beside the database (its path made canonical first, so "var/x.db" and
// "/srv/app/var/x.db" name one lock), holding one line about the holder:
// its pid, host and start time.
//
// Why a companion file and flock, not a lock on the database itself:
// SQLite locks byte ranges of the database with POSIX fcntl locks, and
// POSIX locks belong to the process, not the descriptor: closing any
// descriptor of the file drops all of the process's locks on it. A second
// lock of ours on the database would be dropped whenever SQLite closes a
// descriptor, and could collide with SQLite's own ranges. flock locks
// belong to the open file description, are independent of fcntl locks on
// Linux, and the kernel releases them when the process ends, however it
// ends: a lock file left behind by a crashed server blocks nobody, so the
// file is never deleted (deleting it would let a new server lock a new
// file while an old one still holds the unlinked one).
//
// Only the server takes it: other processes that open the database through
// SQLite (a backup, the store's tests, the sqlite3 shell) are not blocked.
//
// Thread safety: not thread-safe; one owner.

#ifndef PLACEMENT_STORE_DATABASE_LOCK_H_
#define PLACEMENT_STORE_DATABASE_LOCK_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace placement::store {

class DatabaseLock {
 public:
  // Takes the lock of `database_path` for `holder` (a program name, e.g.
  // "placement-server") without waiting, and writes the holder line. The
  // lock is held until the returned object is destroyed or the process
  // ends. FAILED_PRECONDITION when another process holds it, naming the
  // database, the lock file and the holder as it recorded itself;
  // UNAVAILABLE when the lock file cannot be created or locked.
  static absl::StatusOr<std::unique_ptr<DatabaseLock>> Acquire(
      const std::string& database_path, absl::string_view holder);
  ~DatabaseLock();
  DatabaseLock(const DatabaseLock&) = delete;
  DatabaseLock& operator=(const DatabaseLock&) = delete;

  // `<database_path>.lock`, with the database path made canonical.
  static std::string LockPathOf(const std::string& database_path);
  const std::string& path() const { return path_; }

 private:
  DatabaseLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  const std::string path_;
  const int fd_;
};

}  // namespace placement::store

#endif  // PLACEMENT_STORE_DATABASE_LOCK_H_
