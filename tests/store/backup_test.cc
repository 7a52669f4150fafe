#include "store/backup.h"

#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "engine/mutex.h"
#include "engine/population_generator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/store/sqlite_file.h"
#include "tests/testing/test_util.h"

namespace placement::store {
namespace {

using ::placement::testing::Reference;
using ::placement::testing::ScratchDir;
using ::placement::testing::WriteFileOrDie;
using ::testing::HasSubstr;

// A writer thread upserts participants one at a time into an open store (the
// server's connection) while the backup runs. Every write acknowledged
// before the backup began must be in the copy; the copy passes its
// integrity check and opens as a store.
TEST(BackupTest, CopyUnderConcurrentWritesHoldsEveryEarlierAcknowledgedWrite) {
  ScratchDir scratch;
  const std::string db_path = scratch.File("live.db");
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(db_path);
  ASSERT_TRUE(store.ok()) << store.status();
  const PopulationGenerator generator({.seed = 5, .participants = 1},
                                      Reference());

  Mutex mutex;
  std::vector<std::string> acknowledged;  // in the order the store said OK
  std::atomic<bool> stop = false;
  std::thread writer([&] {
    for (int i = 0; !stop && i < 100000; ++i) {
      Participant participant = generator.Participant(0);
      participant.id = absl::StrFormat("PB%06d", i);
      if (!(*store)->UpsertParticipants({participant}).ok()) continue;
      MutexLock lock(&mutex);
      acknowledged.push_back(participant.id);
    }
  });
  const auto acknowledged_count = [&] {
    MutexLock lock(&mutex);
    return acknowledged.size();
  };
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (acknowledged_count() < 100 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  // Writes still in the WAL, not yet in the main file, are the point.
  ASSERT_GT(std::filesystem::file_size(db_path + "-wal"), 0u);

  const size_t before_backup = acknowledged_count();
  absl::StatusOr<BackupResult> backup =
      BackupDatabase(db_path, scratch.File("copy.db"));
  const size_t after_backup = acknowledged_count();
  // The writer goes on for a while after the copy, then stops.
  while (acknowledged_count() < after_backup + 20 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  stop = true;
  writer.join();
  ASSERT_TRUE(backup.ok()) << backup.status();
  ASSERT_GE(before_backup, 100u);
  EXPECT_GT(backup->pages, 0);
  EXPECT_EQ(backup->bytes, static_cast<int64_t>(std::filesystem::file_size(
                               scratch.File("copy.db"))));
  EXPECT_EQ(backup->schema_version, Store::kSchemaVersion);
  EXPECT_FALSE(std::filesystem::exists(scratch.File("copy.db.partial")));

  EXPECT_EQ(IntegrityCheck(scratch.File("copy.db")), "ok");
  absl::StatusOr<std::unique_ptr<Store>> restored =
      Store::Open(scratch.File("copy.db"));
  ASSERT_TRUE(restored.ok()) << restored.status();
  absl::StatusOr<std::vector<Participant>> loaded =
      (*restored)->LoadParticipants();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  std::set<std::string> ids;
  for (const Participant& participant : *loaded) ids.insert(participant.id);
  MutexLock lock(&mutex);
  for (size_t i = 0; i < before_backup; ++i) {
    EXPECT_TRUE(ids.contains(acknowledged[i])) << acknowledged[i];
  }
  // One consistent state: a prefix of the writes, at most those
  // acknowledged by the time the copy ended (plus the one in flight).
  EXPECT_LE(ids.size(), after_backup + 1);
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_TRUE(ids.contains(acknowledged[i])) << acknowledged[i];
  }
}

TEST(BackupTest, NeverOverwritesAFile) {
  ScratchDir scratch;
  ASSERT_TRUE(Store::Open(scratch.File("live.db")).ok());
  WriteFileOrDie(scratch.File("old.db"), "yesterday's backup");
  absl::StatusOr<BackupResult> backup =
      BackupDatabase(scratch.File("live.db"), scratch.File("old.db"));
  EXPECT_EQ(backup.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(backup.status().message(), HasSubstr("old.db"));
  EXPECT_EQ(testing::ReadFileOrDie(scratch.File("old.db")),
            "yesterday's backup");
}

TEST(BackupTest, RefusesTheDatabaseItselfAndAMissingDatabase) {
  ScratchDir scratch;
  ASSERT_TRUE(Store::Open(scratch.File("live.db")).ok());
  EXPECT_EQ(BackupDatabase(scratch.File("live.db"), scratch.File("live.db"))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<BackupResult> missing =
      BackupDatabase(scratch.File("none.db"), scratch.File("copy.db"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(scratch.File("none.db")));
  EXPECT_FALSE(std::filesystem::exists(scratch.File("copy.db")));
}

TEST(BackupTest, RefusesAFileThatIsNotADatabaseAndLeavesNoCopy) {
  ScratchDir scratch;
  WriteFileOrDie(scratch.File("notes.db"), std::string(4096, 'x'));
  absl::StatusOr<BackupResult> backup =
      BackupDatabase(scratch.File("notes.db"), scratch.File("copy.db"));
  EXPECT_EQ(backup.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(std::filesystem::exists(scratch.File("copy.db")));
  EXPECT_FALSE(std::filesystem::exists(scratch.File("copy.db.partial")));
}

TEST(BackupTest, AFolderThatCannotBeWrittenIsUnavailable) {
  ScratchDir scratch;
  ASSERT_TRUE(Store::Open(scratch.File("live.db")).ok());
  absl::StatusOr<BackupResult> backup = BackupDatabase(
      scratch.File("live.db"), scratch.File("no/such/folder/copy.db"));
  EXPECT_EQ(backup.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(backup.status().message(), HasSubstr("copy.db.partial"));
}

}  // namespace
}  // namespace placement::store
