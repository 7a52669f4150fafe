#include "store/database_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace placement::store {
namespace {

// The holder line the lock file holds, at most this long when read back.
constexpr size_t kMaxHolderBytes = 512;

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "?";
  return name;
}

// What the lock file says about its holder; empty when it says nothing yet
// (the holder is between locking and writing).
std::string ReadHolder(int fd) {
  char buffer[kMaxHolderBytes];
  const ssize_t read = pread(fd, buffer, sizeof(buffer), 0);
  if (read <= 0) return "";
  return std::string(
      absl::StripAsciiWhitespace(absl::string_view(buffer, read)));
}

}  // namespace

std::string DatabaseLock::LockPathOf(const std::string& database_path) {
  std::error_code error;
  std::filesystem::path canonical =
      std::filesystem::weakly_canonical(database_path, error);
  if (error) canonical = database_path;
  return canonical.string() + ".lock";
}

absl::StatusOr<std::unique_ptr<DatabaseLock>> DatabaseLock::Acquire(
    const std::string& database_path, absl::string_view holder) {
  const std::string path = LockPathOf(database_path);
  // O_CLOEXEC: a program this process starts does not inherit the lock.
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot create the lock file '", path, "' of database '",
                     database_path, "': ", std::strerror(errno)));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int lock_error = errno;
    std::string holder_line = ReadHolder(fd);
    close(fd);
    if (lock_error != EWOULDBLOCK) {
      return absl::UnavailableError(
          absl::StrCat("cannot lock '", path, "' of database '", database_path,
                       "': ", std::strerror(lock_error)));
    }
    if (holder_line.empty()) holder_line = "a process that is still starting";
    return absl::FailedPreconditionError(absl::StrCat(
        "database '", database_path, "' is in use by ", holder_line,
        " (lock file '", path,
        "'); one server per database: stop that one first, or give this one "
        "another --db"));
  }
  const std::string line = absl::StrCat(
      holder, " pid ", getpid(), " on host ", HostName(), ", started ",
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone()),
      "\n");
  // The line is for people reading a refusal; a failure to write it does
  // not weaken the lock, so it is not an error.
  const bool recorded =
      ftruncate(fd, 0) == 0 && pwrite(fd, line.data(), line.size(), 0) ==
                                   static_cast<ssize_t>(line.size());
  (void)recorded;
  return std::unique_ptr<DatabaseLock>(new DatabaseLock(path, fd));
}

DatabaseLock::~DatabaseLock() {
  // Closing the only descriptor releases the lock; the file stays (see the
  // header).
  close(fd_);
}

}  // namespace placement::store
