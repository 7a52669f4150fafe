// The decision funnel's events in the store (store/store_funnel.cc and the
// suggestion marks the access-log writer keeps): once a day per pair, in
// the record's own commit, and each loader's period.

#include <sqlite3.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/store/sqlite_file.h"
#include "tests/testing/test_util.h"

namespace placement::store {
namespace {

using ::placement::testing::ScratchDir;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

AccessRecord Suggestion(const std::string& participant,
                        std::vector<std::string> openings, const Date& on) {
  AccessRecord record{absl::Now(), "coach-1", "coach",
                      "CoachService.SuggestOpenings", participant};
  record.suggested_opening_ids = std::move(openings);
  record.suggested_on = on;
  return record;
}

class StoreFunnelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = scratch_.File("funnel.db");
    absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  ScratchDir scratch_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

MATCHER_P2(MarkIs, participant, on, "") {
  return arg.participant_id == participant && arg.on == on;
}

TEST_F(StoreFunnelTest, SuggestionsAreMarkedOncePerPairAndDay) {
  const Date monday{2026, 11, 2};
  const Date tuesday{2026, 11, 3};
  ASSERT_TRUE(
      store_
          ->AppendAccess(Suggestion("P0000001", {"O000001", "O000002"}, monday))
          .ok());
  // The same pair again that day: no new mark; a new opening: one more.
  ASSERT_TRUE(
      store_
          ->AppendAccess(Suggestion("P0000001", {"O000002", "O000003"}, monday))
          .ok());
  ASSERT_TRUE(
      store_->AppendAccess(Suggestion("P0000001", {"O000001"}, tuesday)).ok());
  // A record with no openings leaves no mark.
  ASSERT_TRUE(store_->AppendAccess(Suggestion("P0000002", {}, monday)).ok());
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM suggestions_shown"), 4);
  // Every call still has its own log line.
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM access_log"), 4);
  // The funnel reads one mark per participant and day.
  absl::StatusOr<std::vector<FunnelSuggestion>> marks =
      store_->LoadSuggestionMarks(monday, tuesday);
  ASSERT_TRUE(marks.ok()) << marks.status();
  EXPECT_THAT(*marks, ElementsAre(MarkIs("P0000001", monday),
                                  MarkIs("P0000001", tuesday)));
  // Both ends of the period are included, days outside are not.
  EXPECT_THAT(*store_->LoadSuggestionMarks(tuesday, tuesday),
              ElementsAre(MarkIs("P0000001", tuesday)));
  EXPECT_THAT(
      *store_->LoadSuggestionMarks(Date{2026, 11, 4}, Date{2026, 12, 31}),
      IsEmpty());
}

TEST_F(StoreFunnelTest, AsyncCallsShareCommitsAndKeepTheirMarks) {
  // Many calls queued at once: their marks go with their records, in the
  // same batches (no transaction of their own).
  constexpr int kCalls = 200;
  std::atomic<int> done{0};
  for (int i = 0; i < kCalls; ++i) {
    std::vector<AccessRecord> records = {
        Suggestion(absl::StrCat("P", 1000000 + i), {"O000001", "O000002"},
                   Date{2026, 11, 2})};
    store_->AppendAccessAsync(std::move(records), [&](absl::Status status) {
      EXPECT_TRUE(status.ok()) << status;
      ++done;
    });
  }
  while (done.load() < kCalls) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM suggestions_shown"),
            2 * kCalls);
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM access_log"), kCalls);
}

TEST_F(StoreFunnelTest,
       ProposalDatesArePublishedOnesCreatedOrAcceptedInTheRange) {
  const absl::Time t0 = absl::FromUnixSeconds(1'800'000'000);
  auto micros = [&](int hours) {
    return absl::StrCat(absl::ToUnixMicros(t0 + absl::Hours(hours)));
  };
  Execute(path_,
          absl::StrCat(
              "INSERT INTO proposals (proposal_id, run_id, participant_id, "
              "opening_id, state, score, decided_by, decided_at, created_at) "
              "VALUES "
              // created inside, pending
              "('R000001-0000001', 'R000001', 'P0000001', 'O000001', "
              "'pending', 0.5, NULL, NULL, ",
              micros(1),
              "),"
              // created before, accepted inside
              "('R000001-0000002', 'R000001', 'P0000002', 'O000001', "
              "'accepted', 0.5, 'coach-1', ",
              micros(2), ", ", micros(-5),
              "),"
              // created before, rejected inside: not in the range
              "('R000001-0000003', 'R000001', 'P0000003', 'O000001', "
              "'rejected', 0.5, 'coach-1', ",
              micros(2), ", ", micros(-5),
              "),"
              // a dry run's, inside: never counted
              "('R000002-0000001', 'R000002', 'P0000004', 'O000001', "
              "'dry_run', 0.5, NULL, NULL, ",
              micros(3),
              "),"
              // created at the end of the range (excluded)
              "('R000003-0000001', 'R000003', 'P0000005', 'O000001', "
              "'pending', 0.5, NULL, NULL, ",
              micros(10), ");"));
  absl::StatusOr<std::vector<ProposalDates>> dates =
      store_->LoadProposalDates(t0, t0 + absl::Hours(10));
  ASSERT_TRUE(dates.ok()) << dates.status();
  ASSERT_EQ(dates->size(), 2u);
  EXPECT_EQ((*dates)[0].participant_id, "P0000001");
  EXPECT_EQ((*dates)[0].created_at, t0 + absl::Hours(1));
  EXPECT_FALSE((*dates)[0].accepted_at.has_value());
  EXPECT_EQ((*dates)[1].participant_id, "P0000002");
  EXPECT_EQ((*dates)[1].created_at, t0 - absl::Hours(5));
  EXPECT_EQ((*dates)[1].accepted_at, t0 + absl::Hours(2));
  EXPECT_EQ((*dates)[0].proposal_id, "R000001-0000001");
  EXPECT_EQ((*dates)[1].proposal_id, "R000001-0000002");
}

TEST_F(StoreFunnelTest, PlacementDatesStartedOrEndedInThePeriod) {
  Execute(
      path_,
      "INSERT INTO placements (placement_id, participant_id, opening_id, "
      "source, source_id, start_date, created_at, end_date, outcome) VALUES "
      "('L0000001', 'P0000001', 'O000001', 'proposal', 'R000001-0000009', "
      "'2026-04-01', 0, NULL, NULL),"
      "('L0000002', 'P0000002', 'O000001', 'hold', 'H0000001', "
      "'2026-03-01', 0, '2026-04-30', 'moved_up'),"
      "('L0000003', 'P0000003', 'O000001', 'proposal', 'R000001-0000001', "
      "'2026-03-01', 0, '2026-05-01', 'completed'),"
      "('L0000004', 'P0000004', 'O000001', 'direct', '', '2026-05-01', 0, "
      "NULL, NULL);");
  absl::StatusOr<std::vector<FunnelPlacement>> placements =
      store_->LoadPlacementDates(Date{2026, 4, 1}, Date{2026, 4, 30});
  ASSERT_TRUE(placements.ok()) << placements.status();
  ASSERT_EQ(placements->size(), 2u);
  EXPECT_EQ((*placements)[0].participant_id, "P0000001");
  EXPECT_EQ((*placements)[0].start_date, (Date{2026, 4, 1}));
  EXPECT_FALSE((*placements)[0].end_date.has_value());
  EXPECT_EQ((*placements)[1].participant_id, "P0000002");
  EXPECT_EQ((*placements)[1].end_date, (Date{2026, 4, 30}));
  EXPECT_EQ((*placements)[1].outcome, PlacementOutcome::kMovedUp);
  // The proposal a placement started from; a hold's id is not one.
  EXPECT_EQ((*placements)[0].proposal_id, "R000001-0000009");
  EXPECT_EQ((*placements)[1].proposal_id, "");
}

}  // namespace
}  // namespace placement::store
