#include "store/store.h"

#include <sqlite3.h>

#include "engine/population_generator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace placement::store {
namespace {

using ::placement::testing::Reference;
using ::placement::testing::ScratchDir;
using ::placement::testing::WriteFileOrDie;
using ::testing::HasSubstr;

// Runs one statement on the file through a separate connection.
void ExecuteOnFile(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sql;
  sqlite3_close(db);
}

TEST(StoreTest, NewStoreIsEmptyAndRecordsRoundTrip) {
  ScratchDir scratch;
  const PopulationGenerator generator(
      {.seed = 4, .participants = 300, .openings = 90}, Reference());
  std::vector<Participant> participants;
  std::vector<Opening> openings;
  for (int i = 0; i < 300; ++i)
    participants.push_back(generator.Participant(i));
  for (int i = 0; i < 90; ++i) openings.push_back(generator.Opening(i));
  {
    absl::StatusOr<std::unique_ptr<Store>> store =
        Store::Open(scratch.File("p.db"));
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ(*(*store)->CountParticipants(), 0);
    ASSERT_TRUE((*store)->UpsertParticipants(participants).ok());
    ASSERT_TRUE((*store)->UpsertOpenings(openings).ok());
  }
  // Reopened: everything is there, in id order.
  absl::StatusOr<std::unique_ptr<Store>> store =
      Store::Open(scratch.File("p.db"));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(*(*store)->LoadParticipants(), participants);
  EXPECT_EQ(*(*store)->LoadOpenings(), openings);
}

TEST(StoreTest, UpsertReplacesById) {
  ScratchDir scratch;
  absl::StatusOr<std::unique_ptr<Store>> store =
      Store::Open(scratch.File("p.db"));
  ASSERT_TRUE(store.ok());
  Participant p = PopulationGenerator({.seed = 1}, Reference()).Participant(0);
  ASSERT_TRUE((*store)->UpsertParticipants({p}).ok());
  p.step = (p.step + 1) % 6;
  ASSERT_TRUE((*store)->UpsertParticipants({p}).ok());
  absl::StatusOr<std::vector<Participant>> loaded =
      (*store)->LoadParticipants();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->front().step, p.step);
}

TEST(StoreTest, RunsInWalModeWithFullSync) {
  ScratchDir scratch;
  ASSERT_TRUE(Store::Open(scratch.File("p.db")).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(scratch.File("p.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, nullptr);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)),
               "wal");
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

TEST(StoreTest, NewerSchemaIsRefused) {
  ScratchDir scratch;
  ASSERT_TRUE(Store::Open(scratch.File("p.db")).ok());
  ExecuteOnFile(scratch.File("p.db"), "PRAGMA user_version = 99");
  absl::Status status = Store::Open(scratch.File("p.db")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("schema version 99"));
}

TEST(StoreTest, NonDatabaseFileIsRefusedAndLeftUntouched) {
  ScratchDir scratch;
  const std::string content(8192, 'x');
  WriteFileOrDie(scratch.File("p.db"), content);
  absl::Status status = Store::Open(scratch.File("p.db")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("left untouched"));
  EXPECT_EQ(::placement::testing::ReadFileOrDie(scratch.File("p.db")), content);
}

TEST(StoreTest, ForeignSqliteDatabaseIsRefused) {
  ScratchDir scratch;
  ExecuteOnFile(scratch.File("other.db"), "CREATE TABLE recipes (name TEXT)");
  absl::Status status = Store::Open(scratch.File("other.db")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("another application"));
}

TEST(StoreTest, UnopenablePathIsUnavailable) {
  absl::Status status = Store::Open("/nonexistent-folder/p.db").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr("/nonexistent-folder/p.db"));
}

}  // namespace
}  // namespace placement::store
