#include "store/database_lock.h"

#include <unistd.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace placement::store {
namespace {

using ::placement::testing::ReadFileOrDie;
using ::placement::testing::ScratchDir;
using ::testing::HasSubstr;

TEST(DatabaseLockTest, OneHolderAtATimeNamedInTheRefusal) {
  ScratchDir scratch;
  const std::string db = scratch.File("x.db");
  absl::StatusOr<std::unique_ptr<DatabaseLock>> first =
      DatabaseLock::Acquire(db, "placement-server");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)->path(), DatabaseLock::LockPathOf(db));
  EXPECT_THAT(ReadFileOrDie((*first)->path()),
              HasSubstr("placement-server pid " + std::to_string(getpid()) +
                        " on host "));

  // flock locks belong to the open file: a second open in the same process
  // is refused as another process's would be, also by another path.
  absl::StatusOr<std::unique_ptr<DatabaseLock>> second =
      DatabaseLock::Acquire(scratch.File(".") + "/x.db", "placement-server");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(),
              HasSubstr("is in use by placement-server pid " +
                        std::to_string(getpid())));
  EXPECT_THAT(second.status().message(), HasSubstr("x.db.lock"));

  // Released with its owner; the file stays and blocks nobody.
  first->reset();
  absl::StatusOr<std::unique_ptr<DatabaseLock>> third =
      DatabaseLock::Acquire(db, "placement-backup");
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_THAT(ReadFileOrDie((*third)->path()),
              HasSubstr("placement-backup pid "));
}

TEST(DatabaseLockTest, AFolderThatDoesNotExistIsUnavailable) {
  ScratchDir scratch;
  absl::StatusOr<std::unique_ptr<DatabaseLock>> lock =
      DatabaseLock::Acquire(scratch.File("missing/x.db"), "placement-server");
  ASSERT_FALSE(lock.ok());
  EXPECT_EQ(lock.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(lock.status().message(), HasSubstr("cannot create the lock"));
}

}  // namespace
}  // namespace placement::store
