// store_audit.cc and the access log's schema version 6: records of refused
// calls, reads by participant or principal, the purge, and erasure of a
// person whose id appears in refused calls.

#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

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
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::unique_ptr<Store> OpenOrDie(const std::string& path) {
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

std::vector<std::string> Calls(const std::vector<AccessLogEntry>& entries) {
  std::vector<std::string> calls;
  for (const AccessLogEntry& e : entries) calls.push_back(e.record.call);
  return calls;
}

// Version 6: the records of version 5 were all of served calls.
TEST(StoreAuditMigrationTest, VersionFiveRecordsBecomeAllowedRecords) {
  ScratchDir scratch;
  const std::string path = scratch.File("v5.db");
  {
    std::unique_ptr<Store> store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
  }
  // Back to version 5 (without version 8's situations after exit, version
  // 7's suggestion marks and version 6's columns), with one record in the
  // access log.
  Execute(path,
          "DROP TABLE exit_follow_ups;"
          "DROP TABLE suggestions_shown;"
          "DROP INDEX proposals_by_created_at;"
          "ALTER TABLE access_log DROP COLUMN outcome;"
          "ALTER TABLE access_log DROP COLUMN asked_principal;"
          "INSERT INTO access_log (at, actor, role, call, participant_ref) "
          "VALUES (5, 'C1', 'coach', 'CoachService.SuggestOpenings', "
          "'P0000001');"
          "PRAGMA user_version = 5;");
  std::unique_ptr<Store> store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(QueryInt(path, "PRAGMA user_version"), Store::kSchemaVersion);
  absl::StatusOr<std::vector<AccessRecord>> old =
      store->ReadAccessLog("P0000001");
  ASSERT_TRUE(old.ok()) << old.status();
  ASSERT_EQ(old->size(), 1u);
  EXPECT_EQ((*old)[0].outcome, AccessOutcome::kAllowed);
  EXPECT_EQ((*old)[0].asked_principal, "");
  EXPECT_EQ((*old)[0].at, absl::FromUnixMicros(5));
  // New records keep their outcome and the principal asked about.
  ASSERT_TRUE(store
                  ->AppendAccess({{.at = absl::FromUnixMicros(6),
                                   .actor = "EC-1",
                                   .role = "employer_contact",
                                   .call = "ParticipantRegistry.GetParticipant",
                                   .participant_id = "P0000001",
                                   .outcome = AccessOutcome::kDenied},
                                  {.at = absl::FromUnixMicros(7),
                                   .actor = "AUD-1",
                                   .role = "auditor",
                                   .call = "AuditService.ListAccessLog",
                                   .participant_id = "",
                                   .asked_principal = "EC-1"}})
                  .ok());
  absl::StatusOr<std::vector<AccessLogEntry>> by_participant =
      store->ListAccessLog({.participant_id = "P0000001"});
  ASSERT_TRUE(by_participant.ok());
  ASSERT_EQ(by_participant->size(), 2u);
  EXPECT_EQ((*by_participant)[0].record.outcome, AccessOutcome::kDenied);
  EXPECT_EQ((*by_participant)[1].record.outcome, AccessOutcome::kAllowed);
  EXPECT_GT((*by_participant)[0].id, (*by_participant)[1].id);
  absl::StatusOr<std::vector<AccessLogEntry>> audits =
      store->ListAccessLog({.principal = "AUD-1"});
  ASSERT_TRUE(audits.ok());
  ASSERT_EQ(audits->size(), 1u);
  EXPECT_EQ((*audits)[0].record.asked_principal, "EC-1");
}

TEST(StoreAuditTest, ListsByOneSubjectInAPeriodNewestFirstInPages) {
  ScratchDir scratch;
  std::unique_ptr<Store> store = OpenOrDie(scratch.File("log.db"));
  ASSERT_NE(store, nullptr);
  std::vector<AccessRecord> records;
  for (int i = 0; i < 6; ++i) {
    records.push_back({.at = absl::FromUnixSeconds(100 * i),
                       .actor = i % 2 == 0 ? "C1" : "C2",
                       .role = "coach",
                       .call = absl::StrCat("call ", i),
                       .participant_id = i < 4 ? "P1" : "P2"});
  }
  ASSERT_TRUE(store->AppendAccess(records).ok());
  EXPECT_THAT(Calls(*store->ListAccessLog({.participant_id = "P1"})),
              ElementsAre("call 3", "call 2", "call 1", "call 0"));
  EXPECT_THAT(Calls(*store->ListAccessLog({.principal = "C1"})),
              ElementsAre("call 4", "call 2", "call 0"));
  EXPECT_THAT(
      Calls(*store->ListAccessLog({.participant_id = "P1",
                                   .from = absl::FromUnixSeconds(100),
                                   .until = absl::FromUnixSeconds(300)})),
      ElementsAre("call 2", "call 1"));
  absl::StatusOr<std::vector<AccessLogEntry>> first =
      store->ListAccessLog({.participant_id = "P1", .limit = 3});
  ASSERT_EQ(first->size(), 3u);
  EXPECT_THAT(Calls(*store->ListAccessLog(
                  {.participant_id = "P1", .before_id = first->back().id})),
              ElementsAre("call 0"));
  EXPECT_EQ(store->ListAccessLog({}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->ListAccessLog({.participant_id = "P1", .principal = "C1"})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

// Erasure unlinks the person's id in refused calls' records as in served
// ones, and leaves no byte of the id in the files.
TEST(StoreAuditTest, ErasureUnlinksRefusedCallsToo) {
  ScratchDir scratch;
  const std::string path = scratch.File("erase.db");
  std::unique_ptr<Store> store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  const PopulationGenerator generator({.seed = 3, .participants = 3},
                                      Reference());
  std::vector<Participant> participants;
  for (int i = 0; i < 3; ++i) participants.push_back(generator.Participant(i));
  participants[0].id = "PZQX0042";
  ASSERT_TRUE(store->UpsertParticipants(participants).ok());
  ASSERT_TRUE(store
                  ->AppendAccess({{.at = absl::Now(),
                                   .actor = "EC-1",
                                   .role = "employer_contact",
                                   .call = "ParticipantRegistry.GetParticipant",
                                   .participant_id = "PZQX0042",
                                   .outcome = AccessOutcome::kDenied},
                                  {.at = absl::Now(),
                                   .actor = "C1",
                                   .role = "coach",
                                   .call = "CoachService.SuggestOpenings",
                                   .participant_id = "PZQX0042"}})
                  .ok());
  absl::StatusOr<ErasureCounts> erased = store->EraseParticipant("PZQX0042");
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->access_records_unlinked, 2);
  EXPECT_THAT(*store->ListAccessLog({.participant_id = "PZQX0042"}),
              ::testing::IsEmpty());
  absl::StatusOr<std::vector<AccessLogEntry>> refused =
      store->ListAccessLog({.principal = "EC-1"});
  ASSERT_EQ(refused->size(), 1u);
  EXPECT_THAT((*refused)[0].record.participant_id, HasSubstr("erased-"));
  EXPECT_EQ((*refused)[0].record.outcome, AccessOutcome::kDenied);
  store.reset();
  std::string bytes;
  for (const char* suffix : {"", "-wal"}) {
    if (std::filesystem::exists(path + suffix)) {
      bytes += ::placement::testing::ReadFileOrDie(path + suffix);
    }
  }
  EXPECT_THAT(bytes, ::testing::Not(HasSubstr("PZQX0042")));
}

TEST(StoreAuditTest, PurgeRemovesOnlyWhatIsOlderThanTheCutoffs) {
  ScratchDir scratch;
  std::unique_ptr<Store> store = OpenOrDie(scratch.File("purge.db"));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->AppendAccess({{.at = absl::FromUnixSeconds(99),
                                   .actor = "C1",
                                   .role = "coach",
                                   .call = "old",
                                   .participant_id = "P1"},
                                  {.at = absl::FromUnixSeconds(100),
                                   .actor = "C1",
                                   .role = "coach",
                                   .call = "kept",
                                   .participant_id = "P1"}})
                  .ok());
  absl::StatusOr<PurgeCounts> purged =
      store->PurgeExpired({.proposals_before = absl::FromUnixSeconds(100),
                           .access_log_before = absl::FromUnixSeconds(100)});
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(purged->access_records, 1);
  EXPECT_EQ(purged->proposals, 0);
  EXPECT_THAT(Calls(*store->ListAccessLog({.principal = "C1"})),
              ElementsAre("kept"));
}

}  // namespace
}  // namespace placement::store
