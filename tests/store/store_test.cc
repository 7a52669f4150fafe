#include "store/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
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

// Openings with the given ids, otherwise as the generator makes them.
std::vector<Opening> OpeningsWithIds(const std::vector<std::string>& ids) {
  const PopulationGenerator generator(
      {.seed = 3, .openings = static_cast<int>(ids.size())}, Reference());
  std::vector<Opening> openings;
  for (size_t i = 0; i < ids.size(); ++i) {
    openings.push_back(generator.Opening(static_cast<int>(i)));
    openings.back().id = ids[i];
  }
  return openings;
}

// An empty store and an opening to insert under new ids.
class NewOpeningIdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Store>> opened =
        Store::Open(scratch_.File("p.db"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }
  ScratchDir scratch_;
  std::unique_ptr<Store> store_;
  const Opening model_ = OpeningsWithIds({"ignored"})[0];
};

TEST_F(NewOpeningIdTest, NewOpeningsGetTheNextServerId) {
  // An empty store starts at O000001, and the id given is ignored.
  absl::StatusOr<Opening> first = store_->InsertNewOpening(model_);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->id, "O000001");
  EXPECT_EQ(store_->LoadOpenings()->front(), *first);

  // One above the highest "O" + 6 digits id; ids of other forms, even ones
  // that sort above it, neither count nor block.
  ASSERT_TRUE(store_
                  ->UpsertOpenings(OpeningsWithIds(
                      {"O000041", "O00005", "O0000999", "O00004x", "OTEST-1",
                       "O99999", "P000100", "o000500"}))
                  .ok());
  absl::StatusOr<Opening> next = store_->InsertNewOpening(model_);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->id, "O000042");
  EXPECT_EQ(*store_->CountOpenings(), 10);

  // Once O999999 is taken, the lowest unused id.
  ASSERT_TRUE(
      store_->UpsertOpenings(OpeningsWithIds({"O999999", "O000002", "O000003"}))
          .ok());
  absl::StatusOr<Opening> gap = store_->InsertNewOpening(model_);
  ASSERT_TRUE(gap.ok()) << gap.status();
  EXPECT_EQ(gap->id, "O000004");
}

TEST_F(NewOpeningIdTest, ConcurrentNewOpeningsGetDistinctIds) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 10;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        absl::StatusOr<Opening> stored = store_->InsertNewOpening(model_);
        ASSERT_TRUE(stored.ok()) << stored.status();
        ids[t].push_back(stored->id);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<std::string> all;
  for (const std::vector<std::string>& some : ids)
    all.insert(all.end(), some.begin(), some.end());
  std::sort(all.begin(), all.end());
  std::vector<std::string> expected;
  for (int n = 1; n <= kThreads * kPerThread; ++n)
    expected.push_back(absl::StrFormat("O%06d", n));
  EXPECT_EQ(all, expected);
  EXPECT_EQ(*store_->CountOpenings(), kThreads * kPerThread);
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
