// The store's guarantees: migrations, erasure leaving no trace, faults that
// fail writes but not reads, corrupt files refused, lossless import/export.

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "engine/population_generator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/store/sqlite_file.h"
#include "tests/testing/fault_injection_vfs.h"
#include "tests/testing/test_util.h"

namespace placement::store {
namespace {

using ::placement::testing::DataDir;
using ::placement::testing::ReadFileOrDie;
using ::placement::testing::Reference;
using ::placement::testing::ScratchDir;
using ::placement::testing::WriteFileOrDie;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

std::unique_ptr<Store> OpenOrDie(const std::string& path,
                                 const StoreOptions& options = {}) {
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path, options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

std::vector<Participant> Generated(int count, uint64_t seed = 12) {
  const PopulationGenerator generator({.seed = seed, .participants = count},
                                      Reference());
  std::vector<Participant> participants;
  for (int i = 0; i < count; ++i)
    participants.push_back(generator.Participant(i));
  return participants;
}

// Version 5: the placements of version 4 (all from accepted proposals) get
// ids and keep the proposal that started them.
TEST(StoreMigrationTest, VersionFourPlacementsBecomePlacementRecords) {
  ScratchDir scratch;
  const std::string path = scratch.File("v4.db");
  Execute(
      path,
      "PRAGMA journal_mode=WAL;"
      "CREATE TABLE participants (id TEXT PRIMARY KEY, coach_id TEXT NOT NULL, "
      "status TEXT NOT NULL, record BLOB NOT NULL) WITHOUT ROWID;"
      "CREATE TABLE openings (id TEXT PRIMARY KEY, organisation_id TEXT NOT "
      "NULL, status TEXT NOT NULL, record BLOB NOT NULL) WITHOUT ROWID;"
      "CREATE TABLE placements (participant_id TEXT NOT NULL, opening_id TEXT "
      "NOT NULL, since TEXT NOT NULL, PRIMARY KEY (participant_id, "
      "opening_id)) WITHOUT ROWID;"
      "CREATE INDEX placements_by_opening ON placements (opening_id);"
      "CREATE TABLE proposals (proposal_id TEXT PRIMARY KEY, run_id TEXT NOT "
      "NULL, participant_id TEXT NOT NULL, opening_id TEXT NOT NULL, state "
      "TEXT NOT NULL, score REAL NOT NULL, explanation BLOB, decided_by TEXT, "
      "decided_at INTEGER, reason TEXT, created_at INTEGER NOT NULL) WITHOUT "
      "ROWID;"
      "CREATE TABLE access_log (id INTEGER PRIMARY KEY, at INTEGER NOT "
      "NULL, actor TEXT NOT NULL, role TEXT NOT NULL, call TEXT NOT NULL, "
      "participant_ref TEXT NOT NULL);"
      "INSERT INTO proposals VALUES ('R000001-0000001', 'R000001', "
      "'P0000002', 'O000001', 'accepted', 0.5, NULL, 'C1', 77, NULL, 1);"
      "INSERT INTO placements VALUES ('P0000002', 'O000001', '2026-11-02');"
      "INSERT INTO placements VALUES ('P0000001', 'O000001', '2026-10-01');"
      "PRAGMA user_version = 4;");
  std::unique_ptr<Store> store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(QueryInt(path, "PRAGMA user_version"), Store::kSchemaVersion);
  absl::StatusOr<std::vector<PlacementRecord>> placements =
      store->ListPlacements({});
  ASSERT_TRUE(placements.ok()) << placements.status();
  ASSERT_EQ(placements->size(), 2u);
  EXPECT_EQ((*placements)[0].id, "L0000001");
  EXPECT_EQ((*placements)[0].participant_id, "P0000001");
  EXPECT_EQ((*placements)[0].source_id, "");
  EXPECT_EQ((*placements)[1].id, "L0000002");
  EXPECT_EQ((*placements)[1].source, PlacementSource::kProposal);
  EXPECT_EQ((*placements)[1].source_id, "R000001-0000001");
  EXPECT_EQ((*placements)[1].started_by, "C1");
  EXPECT_EQ((*placements)[1].start_date, (Date{2026, 11, 2}));
  EXPECT_EQ((*placements)[1].state(), PlacementState::kActive);
}

// Version 7: suggestion marks, and proposals indexed by publication time.
// A version-6 file is this build's schema without them (and without
// version 8's table).
TEST(StoreMigrationTest, VersionSixGainsSuggestionMarksKeepingItsRows) {
  ScratchDir scratch;
  const std::string path = scratch.File("v6.db");
  {
    std::unique_ptr<Store> store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->UpsertParticipants(Generated(2)).ok());
  }
  Execute(path,
          "DROP TABLE exit_follow_ups;"
          "DROP TABLE suggestions_shown;"
          "DROP INDEX proposals_by_created_at;"
          "INSERT INTO proposals (proposal_id, run_id, participant_id, "
          "opening_id, state, score, created_at) VALUES ('R000001-0000001', "
          "'R000001', 'P0000002', 'O000001', 'pending', 0.5, 7);"
          "PRAGMA user_version = 6;");
  ASSERT_EQ(QueryInt(path,
                     "SELECT count(*) FROM sqlite_master WHERE name = "
                     "'suggestions_shown'"),
            0);
  std::unique_ptr<Store> store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(QueryInt(path, "PRAGMA user_version"), Store::kSchemaVersion);
  EXPECT_EQ(QueryInt(path,
                     "SELECT count(*) FROM sqlite_master WHERE name IN "
                     "('suggestions_shown', 'proposals_by_created_at')"),
            2);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM proposals"), 1);
  EXPECT_EQ(*store->CountParticipants(), 2);
  // The new table works: a suggestion leaves its marks.
  AccessRecord shown{absl::Now(), "coach-1", "coach",
                     "CoachService.SuggestOpenings", "P0000002"};
  shown.suggested_opening_ids = {"O000001", "O000002"};
  shown.suggested_on = Date{2026, 11, 2};
  ASSERT_TRUE(store->AppendAccess(shown).ok());
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM suggestions_shown"), 2);
}

// Version 8: a table of situations after exit, empty, beside the rows of
// version 7.
TEST(StoreMigrationTest, VersionSevenGetsSituationsAfterExit) {
  ScratchDir scratch;
  const std::string path = scratch.File("v7.db");
  std::vector<Participant> participants = Generated(3);
  participants[1].status = ParticipantStatus::kExited;
  participants[1].exit_date = Date{2025, 2, 1};
  {
    std::unique_ptr<Store> store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->UpsertParticipants(participants).ok());
  }
  // Back to version 7 as it was: no such table.
  Execute(path, "DROP TABLE exit_follow_ups; PRAGMA user_version = 7;");
  ASSERT_EQ(QueryInt(path,
                     "SELECT count(*) FROM sqlite_master WHERE name = "
                     "'exit_follow_ups'"),
            0);
  std::unique_ptr<Store> store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(QueryInt(path, "PRAGMA user_version"), Store::kSchemaVersion);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM participants"), 3);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM exit_follow_ups"), 0);
  const ExitFollowUp follow_up{.participant_id = participants[1].id,
                               .situation = ExitSituation::kJobSeeking,
                               .checked_on = {2025, 8, 1},
                               .exit_date = {2025, 2, 1},
                               .recorded_by = "C1",
                               .recorded_at = absl::FromUnixSeconds(7)};
  ASSERT_TRUE(store->SaveExitFollowUp(follow_up).ok());
  // Recording again replaces it.
  ExitFollowUp again = follow_up;
  again.situation = ExitSituation::kUnsubsidisedWork;
  ASSERT_TRUE(store->SaveExitFollowUp(again).ok());
  absl::StatusOr<std::optional<ExitFollowUp>> stored =
      store->GetExitFollowUp(participants[1].id);
  ASSERT_TRUE(stored.ok() && stored->has_value()) << stored.status();
  EXPECT_EQ((*stored)->situation, ExitSituation::kUnsubsidisedWork);
  EXPECT_EQ((*stored)->checked_on, (Date{2025, 8, 1}));
  EXPECT_EQ((*stored)->recorded_at, absl::FromUnixSeconds(7));
  // Only for an exited participant, and for the exit they have.
  ExitFollowUp active = follow_up;
  active.participant_id = participants[0].id;
  EXPECT_EQ(store->SaveExitFollowUp(active).code(),
            absl::StatusCode::kFailedPrecondition);
  ExitFollowUp other_exit = follow_up;
  other_exit.exit_date = {2024, 2, 1};
  EXPECT_EQ(store->SaveExitFollowUp(other_exit).code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<FollowUpEvents> events = store->LoadFollowUpEvents(
      [](absl::string_view) { return std::optional<OpeningKind>(); });
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->situations.size(), 1u);
  EXPECT_EQ(events->situations[0].situation, ExitSituation::kUnsubsidisedWork);
  EXPECT_TRUE(events->participants.empty());
}

TEST(StoreMigrationTest, VersionOneIsMigratedForwardKeepingItsRows) {
  ScratchDir scratch;
  const std::string path = scratch.File("v1.db");
  Execute(
      path,
      "PRAGMA journal_mode=WAL;"
      "CREATE TABLE participants (id TEXT PRIMARY KEY, coach_id TEXT NOT NULL, "
      "status TEXT NOT NULL, record BLOB NOT NULL) WITHOUT ROWID;"
      "CREATE INDEX participants_by_coach ON participants (coach_id);"
      "CREATE TABLE openings (id TEXT PRIMARY KEY, organisation_id TEXT NOT "
      "NULL, "
      "status TEXT NOT NULL, record BLOB NOT NULL) WITHOUT ROWID;"
      "PRAGMA user_version = 1;");
  {
    std::unique_ptr<Store> store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->UpsertParticipants(Generated(3)).ok());
  }
  EXPECT_EQ(QueryInt(path, "PRAGMA user_version"), Store::kSchemaVersion);
  EXPECT_EQ(
      QueryInt(path,
               "SELECT count(*) FROM sqlite_master WHERE name = 'access_log'"),
      1);
  // Version 4: appends to the access log touch no index page.
  EXPECT_EQ(QueryInt(path,
                     "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                     "AND tbl_name = 'access_log'"),
            0);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM participants"), 3);
}

TEST(StoreAccessLogTest, RecordsAreKeptInOrderWithoutProfileContent) {
  ScratchDir scratch;
  std::unique_ptr<Store> store = OpenOrDie(scratch.File("a.db"));
  const absl::Time t0 = absl::FromUnixSeconds(1'800'000'000);
  ASSERT_TRUE(store
                  ->AppendAccess(
                      {t0, "coach-7", "coach", "Coach.SuggestOpenings", "P1"})
                  .ok());
  ASSERT_TRUE(store
                  ->AppendAccess({t0 + absl::Seconds(5), "admin-1", "admin",
                                  "Admin.Export", "P1"})
                  .ok());
  ASSERT_TRUE(
      store->AppendAccess({t0, "coach-7", "coach", "Coach.Explain", "P2"})
          .ok());
  absl::StatusOr<std::vector<AccessRecord>> log = store->ReadAccessLog("P1");
  ASSERT_TRUE(log.ok());
  ASSERT_THAT(*log, SizeIs(2));
  EXPECT_EQ((*log)[0].call, "Coach.SuggestOpenings");
  EXPECT_EQ((*log)[0].at, t0);
  EXPECT_EQ((*log)[1].actor, "admin-1");
}

// Bytes of the database and its WAL and shared-memory files.
std::string AllFileBytes(const std::string& path) {
  std::string bytes;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string file = path + suffix;
    if (std::filesystem::exists(file)) bytes += ReadFileOrDie(file);
  }
  return bytes;
}

TEST(StoreErasureTest, NoByteOfTheProfileRemainsAfterErasure) {
  ScratchDir scratch;
  const std::string path = scratch.File("e.db");
  const std::string kMarker = "ZQXMARKER7741";
  std::vector<Participant> participants = Generated(50);
  Participant& erased = participants[17];
  erased.id = "PZQX0001";
  erased.coach_id = "coach-ZQXMARKER7741";
  erased.vetoed_organisations = {"ORG-ZQXMARKER7741"};
  erased.status = ParticipantStatus::kExited;
  erased.exit_date = Date{2025, 1, 10};
  std::unique_ptr<Store> store = OpenOrDie(path);
  ASSERT_TRUE(store->UpsertParticipants(participants).ok());
  ASSERT_TRUE(store
                  ->SaveExitFollowUp({.participant_id = "PZQX0001",
                                      .situation = ExitSituation::kStudies,
                                      .checked_on = {2025, 7, 1},
                                      .exit_date = {2025, 1, 10},
                                      .recorded_by = "coach-ZQXMARKER7741",
                                      .recorded_at = absl::Now()})
                  .ok());
  ASSERT_TRUE(store
                  ->AppendAccess({absl::Now(), "coach-1", "coach",
                                  "Registry.Get", "PZQX0001"})
                  .ok());
  Execute(path,
          "INSERT INTO proposals (proposal_id, run_id, participant_id, "
          "opening_id, state, "
          "score, reason, created_at) VALUES ('prop-1', 'run-1', 'PZQX0001', "
          "'O000001', "
          "'rejected', 0.5, 'said ZQXMARKER7741', 0);"
          "INSERT INTO placements (placement_id, participant_id, opening_id, "
          "source, source_id, start_date, created_at) VALUES ('L0000001', "
          "'PZQX0001', 'O000002', 'direct', '', '2026-01-01', 0);"
          "INSERT INTO holds (hold_id, participant_id, opening_id, coach_id, "
          "state, created_at, expires_at) VALUES ('H0000001', 'PZQX0001', "
          "'O000003', 'coach-ZQXMARKER7741', 'released', 0, 1);"
          "INSERT INTO step_changes (participant_id, on_date, from_step, "
          "to_step, reason, actor, at) VALUES ('PZQX0001', '2026-01-01', 1, "
          "2, 'coach', 'coach-ZQXMARKER7741', 0);"
          "INSERT INTO suggestion_actions (participant_id, opening_id, action, "
          "actor, at) "
          "VALUES ('PZQX0001', 'O000003', 'shortlisted', 'coach-1', 0);");
  AccessRecord shown{absl::Now(), "coach-1", "coach",
                     "CoachService.SuggestOpenings", "PZQX0001"};
  shown.suggested_opening_ids = {"O000003", "O000004"};
  shown.suggested_on = Date{2026, 1, 2};
  ASSERT_TRUE(store->AppendAccess(shown).ok());
  // Rewrite other participants a few times so pages move around.
  for (int round = 0; round < 3; ++round) {
    std::vector<Participant> others(participants.begin(),
                                    participants.begin() + 10);
    for (Participant& p : others) p.step = (p.step + 1) % 6;
    ASSERT_TRUE(store->UpsertParticipants(others).ok());
  }
  ASSERT_THAT(AllFileBytes(path), HasSubstr(kMarker));

  absl::StatusOr<ErasureCounts> counts = store->EraseParticipant("PZQX0001");
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->participants, 1);
  EXPECT_EQ(counts->proposals, 1);
  EXPECT_EQ(counts->placements, 1);
  EXPECT_EQ(counts->suggestion_actions, 1);
  EXPECT_EQ(counts->holds, 1);
  EXPECT_EQ(counts->step_changes, 1);
  EXPECT_EQ(counts->suggestion_marks, 2);
  EXPECT_EQ(counts->exit_follow_ups, 1);
  EXPECT_EQ(counts->access_records_unlinked, 2);
  EXPECT_FALSE(store->GetExitFollowUp("PZQX0001")->has_value());

  const std::string bytes = AllFileBytes(path);
  EXPECT_THAT(bytes, ::testing::Not(HasSubstr(kMarker)));
  EXPECT_THAT(bytes, ::testing::Not(HasSubstr("PZQX0001")));
  // Everyone else is still there, and the log keeps an unlinked record.
  EXPECT_EQ(*store->CountParticipants(), 49);
  EXPECT_EQ(
      QueryInt(path,
               "SELECT count(*) FROM access_log WHERE participant_ref LIKE "
               "'erased-%'"),
      2);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM suggestions_shown"), 0);
  EXPECT_EQ(store->EraseParticipant("PZQX0001").status().code(),
            absl::StatusCode::kNotFound);
}

// A read that began before an erasure can queue its access record after it:
// that record is filed under the erasure's reference, never under the id.
TEST(StoreErasureTest, ARecordArrivingAfterTheErasureIsUnlinkedToo) {
  ScratchDir scratch;
  const std::string path = scratch.File("late.db");
  std::unique_ptr<Store> store = OpenOrDie(path);
  std::vector<Participant> participants = Generated(5);
  participants[0].id = "PZQX0002";
  ASSERT_TRUE(store->UpsertParticipants(participants).ok());
  const AccessRecord before{absl::Now(), "coach-1", "coach",
                            "CoachService.SuggestOpenings", "PZQX0002"};
  ASSERT_TRUE(store->AppendAccess(before).ok());
  absl::StatusOr<ErasureCounts> counts = store->EraseParticipant("PZQX0002");
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->access_records_unlinked, 1);

  AccessRecord late = before;
  late.call = "CoachService.ExplainMatch";
  ASSERT_TRUE(store->AppendAccess(late).ok());
  // A suggestion shown before the erasure and logged after it leaves no
  // mark: the marks name the participant.
  AccessRecord late_suggestion = before;
  late_suggestion.suggested_opening_ids = {"O000001"};
  late_suggestion.suggested_on = Date{2026, 11, 2};
  ASSERT_TRUE(store->AppendAccess(late_suggestion).ok());
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM suggestions_shown"), 0);
  EXPECT_THAT(*store->ReadAccessLog("PZQX0002"), ::testing::IsEmpty());
  // Both records under one reference, which is not the id.
  EXPECT_EQ(QueryInt(path,
                     "SELECT count(DISTINCT participant_ref) FROM access_log "
                     "WHERE participant_ref LIKE 'erased-%'"),
            1);
  EXPECT_EQ(QueryInt(path,
                     "SELECT count(*) FROM access_log WHERE participant_ref "
                     "LIKE 'erased-%'"),
            3);
  ASSERT_TRUE(store->Checkpoint().ok());
  EXPECT_THAT(AllFileBytes(path), ::testing::Not(HasSubstr("PZQX0002")));

  // The id stored again is a new person, whose reads are logged as theirs.
  ASSERT_TRUE(store->UpsertParticipants({participants[0]}).ok());
  ASSERT_TRUE(store->AppendAccess(late).ok());
  EXPECT_THAT(*store->ReadAccessLog("PZQX0002"), SizeIs(1));
}

class StoreFaultTest : public ::testing::Test {
 protected:
  void SetUp() override { fault_injection::RegisterFaultInjectionVfs(); }
  void TearDown() override {
    fault_injection::SetWriteFault(fault_injection::WriteFault::kNone);
  }
};

TEST_F(StoreFaultTest, DiskFullFailsWritesKeepsReadsAndRecovers) {
  ScratchDir scratch;
  std::unique_ptr<Store> store = OpenOrDie(
      scratch.File("f.db"),
      {.vfs = fault_injection::kFaultInjectionVfsName, .max_bytes = 0});
  ASSERT_NE(store, nullptr);
  std::vector<Participant> participants = Generated(20);
  ASSERT_TRUE(store
                  ->UpsertParticipants(
                      {participants.begin(), participants.begin() + 10})
                  .ok());

  fault_injection::SetWriteFault(fault_injection::WriteFault::kDiskFull);
  absl::Status full = store->UpsertParticipants(
      {participants.begin() + 10, participants.end()});
  EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(full.message(), HasSubstr("full"));
  absl::StatusOr<std::vector<Participant>> read = store->LoadParticipants();
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(*read, SizeIs(10));
  const absl::Status logged =
      store->AppendAccess({absl::Now(), "a", "admin", "x", "P1"});
  EXPECT_EQ(logged.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(logged.message()),
              ::testing::StartsWith("the access log cannot be written: "));
  // Both are storage faults, for the server's health; so is the probe's.
  EXPECT_TRUE(IsStorageFault(full));
  EXPECT_TRUE(IsStorageFault(logged));
  const absl::Status probe = store->ProbeWrite();
  EXPECT_EQ(probe.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(IsStorageFault(probe));

  fault_injection::SetWriteFault(fault_injection::WriteFault::kNone);
  EXPECT_TRUE(store->ProbeWrite().ok());
  ASSERT_TRUE(
      store->UpsertParticipants({participants.begin() + 10, participants.end()})
          .ok());
  EXPECT_EQ(*store->CountParticipants(), 20);
}

TEST(StoreSizeLimitTest,
     AFullDatabaseFailsWritesKeepsReadsAndTakesWritesWhenRoomIsMade) {
  ScratchDir scratch;
  const std::string path = scratch.File("limited.db");
  constexpr int64_t kLimit = 256 * 1024;
  std::unique_ptr<Store> store =
      OpenOrDie(path, {.vfs = "", .max_bytes = kLimit});
  ASSERT_NE(store, nullptr);
  std::vector<Participant> participants = Generated(4000, 5);
  int stored = 0;
  absl::Status status;
  // Write in batches until the limit stops us.
  for (size_t begin = 0; begin < participants.size(); begin += 50) {
    status = store->UpsertParticipants(
        {participants.begin() + static_cast<long>(begin),
         participants.begin() +
             static_cast<long>(std::min(begin + 50, participants.size()))});
    if (!status.ok()) break;
    stored += 50;
  }
  ASSERT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
  EXPECT_THAT(status.message(), HasSubstr("full"));
  EXPECT_TRUE(IsStorageFault(status));
  EXPECT_GT(stored, 0);
  // Reads keep working and the failed batch left nothing behind.
  EXPECT_EQ(*store->CountParticipants(), stored);
  // Making room (erasing people) lets writes through again.
  for (int i = 0; i < 200; ++i)
    ASSERT_TRUE(store->EraseParticipant(participants[i].id).ok());
  EXPECT_TRUE(store->UpsertParticipants({participants[3999]}).ok());
  EXPECT_LE(static_cast<int64_t>(std::filesystem::file_size(path)), kLimit);
}

TEST_F(StoreFaultTest, ReadOnlyFileFailsWritesAsUnavailableAndKeepsReads) {
  ScratchDir scratch;
  std::unique_ptr<Store> store = OpenOrDie(
      scratch.File("r.db"),
      {.vfs = fault_injection::kFaultInjectionVfsName, .max_bytes = 0});
  ASSERT_NE(store, nullptr);
  std::vector<Participant> participants = Generated(4);
  ASSERT_TRUE(store->UpsertParticipants({participants[0]}).ok());
  fault_injection::SetWriteFault(fault_injection::WriteFault::kReadOnly);
  absl::Status denied = store->UpsertParticipants({participants[1]});
  EXPECT_EQ(denied.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(denied.message(), HasSubstr("read-only"));
  EXPECT_TRUE(IsStorageFault(denied));
  EXPECT_EQ(store->ProbeWrite().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(*store->CountParticipants(), 1);
  fault_injection::SetWriteFault(fault_injection::WriteFault::kNone);
  EXPECT_TRUE(store->ProbeWrite().ok());
  EXPECT_TRUE(store->UpsertParticipants({participants[1]}).ok());
  // Errors that do not come from the disk are not storage faults.
  EXPECT_FALSE(IsStorageFault(absl::OkStatus()));
  EXPECT_FALSE(IsStorageFault(store->GetHold("H9999999").status()));
  EXPECT_FALSE(IsStorageFault(absl::UnavailableError("shutting down")));
}

TEST_F(StoreFaultTest, AFailedCommitIsOneLogLineWithoutTheRowsValues) {
  ScratchDir scratch;
  std::unique_ptr<Store> store = OpenOrDie(
      scratch.File("l.db"),
      {.vfs = fault_injection::kFaultInjectionVfsName, .max_bytes = 0});
  ASSERT_NE(store, nullptr);
  std::vector<Participant> participants = Generated(2);
  fault_injection::SetWriteFault(fault_injection::WriteFault::kDiskFull);
  ::testing::internal::CaptureStderr();
  EXPECT_FALSE(store->UpsertParticipants({participants[0]}).ok());
  EXPECT_FALSE(
      store->AppendAccess({absl::Now(), "C0001-01", "coach", "x", "PLOGX0001"})
          .ok());
  const std::string log = ::testing::internal::GetCapturedStderr();
  fault_injection::SetWriteFault(fault_injection::WriteFault::kNone);
  const std::vector<std::string> lines =
      absl::StrSplit(log, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << log;
  for (const std::string& line : lines) {
    EXPECT_THAT(line, HasSubstr(" level=error event=store.commit_failed db="));
    EXPECT_THAT(line, HasSubstr(" code=RESOURCE_EXHAUSTED error=\""));
  }
  EXPECT_THAT(log, Not(HasSubstr(participants[0].id)));
  EXPECT_THAT(log, Not(HasSubstr("PLOGX0001")));
  EXPECT_THAT(log, Not(HasSubstr("C0001-01")));
}

// Random byte flips: the store refuses the file (and leaves it alone) or,
// when the flips hit unused space, opens it; it never crashes.
TEST(StoreCorruptionTest, RandomByteFlipsAreRefusedWithoutCrashing) {
  ScratchDir scratch;
  const std::string clean = scratch.File("clean.db");
  {
    std::unique_ptr<Store> store = OpenOrDie(clean);
    ASSERT_TRUE(store->UpsertParticipants(Generated(200)).ok());
    ASSERT_TRUE(store->Checkpoint().ok());
  }
  const std::string original = ReadFileOrDie(clean);
  std::mt19937 random(2026);
  int refused = 0;
  for (int trial = 0; trial < 40; ++trial) {
    std::string damaged = original;
    const int flips = 1 + static_cast<int>(random() % 64);
    for (int f = 0; f < flips; ++f) {
      damaged[random() % damaged.size()] ^=
          static_cast<char>(1 + random() % 255);
    }
    const std::string path = scratch.File(absl::StrCat("bad", trial, ".db"));
    WriteFileOrDie(path, damaged);
    absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
    if (!store.ok()) {
      ++refused;
      EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition)
          << store.status();
      EXPECT_EQ(ReadFileOrDie(path), damaged) << "a refused file was modified";
    } else {
      // Whatever opened must read without crashing; records that cannot be
      // decoded are reported, not returned.
      absl::StatusOr<std::vector<Participant>> read =
          (*store)->LoadParticipants();
      if (!read.ok()) {
        EXPECT_EQ(read.status().code(), absl::StatusCode::kDataLoss);
      }
    }
  }
  EXPECT_GT(refused, 20);
}

TEST(StoreImportTest, DemoFilesRoundTripByteForByte) {
  ScratchDir scratch;
  std::unique_ptr<Store> store = OpenOrDie(scratch.File("i.db"));
  for (const char* file : {"participants.csv", "openings.csv"}) {
    std::ifstream input(DataDir() + "/demo/" + file);
    const bool participants = std::string(file) == "participants.csv";
    absl::StatusOr<ImportReport> report =
        participants ? store->ImportParticipantsCsv(input, file, Reference())
                     : store->ImportOpeningsCsv(input, file, Reference());
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(report->inserted, participants ? 500 : 150);
    EXPECT_EQ(report->rejected, 0);
  }
  std::ostringstream participants;
  ASSERT_TRUE(store->ExportParticipantsCsv(participants).ok());
  EXPECT_EQ(participants.str(),
            ReadFileOrDie(DataDir() + "/demo/participants.csv"));
  std::ostringstream openings;
  ASSERT_TRUE(store->ExportOpeningsCsv(openings).ok());
  EXPECT_EQ(openings.str(), ReadFileOrDie(DataDir() + "/demo/openings.csv"));

  // Importing the same file again is an idempotent upsert.
  std::istringstream again(participants.str());
  absl::StatusOr<ImportReport> report =
      store->ImportParticipantsCsv(again, "again.csv", Reference());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->inserted, 0);
  EXPECT_EQ(report->updated, 500);
  EXPECT_EQ(*store->CountParticipants(), 500);
}

TEST(StoreImportTest, BadRowsAreReportedAndGoodRowsImported) {
  ScratchDir scratch;
  std::unique_ptr<Store> store = OpenOrDie(scratch.File("b.db"));
  std::string content = ReadFileOrDie(DataDir() + "/demo/participants.csv");
  // Break line 3 (a municipality) and line 5 (a travel mode and a step).
  std::vector<std::string> lines = absl::StrSplit(content, '\n');
  lines[2] = absl::StrReplaceAll(lines[2], {{",0136,", ",9999,"}});
  lines[4] = absl::StrReplaceAll(lines[4], {{"public_transport", "hovercraft"},
                                            {"car", "hovercraft"},
                                            {"bike", "hovercraft"},
                                            {"walk", "hovercraft"}});
  std::istringstream input(absl::StrJoin(lines, "\n"));
  absl::StatusOr<ImportReport> report =
      store->ImportParticipantsCsv(input, "people.csv", Reference());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->rows_read, 500);
  EXPECT_GE(report->rejected, 1);
  EXPECT_EQ(report->inserted, 500 - report->rejected);
  ASSERT_FALSE(report->errors.empty());
  bool saw_travel = false;
  for (const RowError& e : report->errors) {
    EXPECT_EQ(e.file, "people.csv");
    if (e.line == 5 && e.field == "travel_mode") {
      saw_travel = true;
      EXPECT_EQ(e.value, "hovercraft");
    }
  }
  EXPECT_TRUE(saw_travel);
  EXPECT_EQ(*store->CountParticipants(), 500 - report->rejected);
}

TEST(StoreImportTest, DryRunWritesNothing) {
  ScratchDir scratch;
  std::unique_ptr<Store> store = OpenOrDie(scratch.File("d.db"));
  std::ifstream input(DataDir() + "/demo/openings.csv");
  absl::StatusOr<ImportReport> report = store->ImportOpeningsCsv(
      input, "openings.csv", Reference(), /*dry_run=*/true);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->dry_run);
  EXPECT_EQ(report->inserted, 150);
  EXPECT_EQ(*store->CountOpenings(), 0);
}

}  // namespace
}  // namespace placement::store
