// The administrator's import and export in process: the snapshot follows an
// import, a dry run changes nothing, an export imports back to the same
// records, and every participant touched leaves an access record.

#include "app/admin.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"
#include "tests/testing/use_case_context.h"

namespace placement::app {
namespace {

using ::placement::testing::DataDir;
using ::placement::testing::ReadFileOrDie;
using ::placement::testing::UseCaseContext;
using ::testing::HasSubstr;

class AdminUseCaseTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(world_.Start({}, {})); }

  static std::string Demo(const std::string& file) {
    return ReadFileOrDie(DataDir() + "/demo/" + file);
  }

  const Caller admin_{.principal = "ADM-1", .role = Role::kAdmin};
  UseCaseContext world_;
  Context& context_ = world_.context();
};

TEST_F(AdminUseCaseTest, AnImportIsSeenByTheNextQueryAndLogged) {
  absl::StatusOr<Imported> dry = ImportData(
      context_, admin_, DataKind::kParticipants, Demo("participants.csv"), "",
      /*dry_run=*/true);
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_TRUE(dry->report.dry_run);
  EXPECT_EQ(dry->report.inserted, 500);
  EXPECT_EQ(world_.snapshot()->participant_count(), 0);
  EXPECT_EQ(*world_.store().CountParticipants(), 0);

  absl::StatusOr<Imported> real = ImportData(
      context_, admin_, DataKind::kParticipants, Demo("participants.csv"), "",
      /*dry_run=*/false);
  ASSERT_TRUE(real.ok()) << real.status();
  EXPECT_EQ(real->report.inserted, 500);
  EXPECT_EQ(world_.snapshot()->participant_count(), 500);
  EXPECT_EQ(real->snapshot_version, world_.snapshot()->version());
  const std::string first = world_.snapshot()->participant(0).id;
  absl::StatusOr<std::vector<store::AccessRecord>> log =
      world_.store().ReadAccessLog(first);
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].call, "AdminService.ImportData");
  EXPECT_EQ((*log)[0].actor, "ADM-1");

  // Exporting and importing again changes no record.
  absl::StatusOr<std::string> exported =
      ExportData(context_, admin_, DataKind::kParticipants);
  ASSERT_TRUE(exported.ok()) << exported.status();
  absl::StatusOr<Imported> again = ImportData(
      context_, admin_, DataKind::kParticipants, *exported, "export.csv",
      /*dry_run=*/false);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->report.inserted, 0);
  EXPECT_EQ(again->report.updated, 500);
  EXPECT_EQ(again->report.rejected, 0);
  absl::StatusOr<std::string> exported_again =
      ExportData(context_, admin_, DataKind::kParticipants);
  ASSERT_TRUE(exported_again.ok());
  EXPECT_EQ(*exported_again, *exported);
}

TEST_F(AdminUseCaseTest, BadRowsAreListedAndGoodRowsStored) {
  const std::string content =
      Demo("openings.csv") + "O999999,not,a,valid,row\n";
  absl::StatusOr<Imported> imported =
      ImportData(context_, admin_, DataKind::kOpenings, content, "mine.csv",
                 /*dry_run=*/false);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->report.rejected, 1);
  EXPECT_EQ(imported->report.inserted, 150);
  ASSERT_FALSE(imported->report.errors.empty());
  EXPECT_EQ(imported->report.errors[0].file, "mine.csv");
  EXPECT_EQ(world_.snapshot()->opening_count(), 150);
}

TEST_F(AdminUseCaseTest, OnlyAdminsAndOnlySensibleContent) {
  const Caller coach{.principal = "C0136-01", .role = Role::kCoach};
  EXPECT_EQ(ImportData(context_, coach, DataKind::kOpenings, "x", "", false)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      ExportData(context_, coach, DataKind::kParticipants).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(ImportData(context_, admin_, DataKind::kOpenings, "", "", false)
                  .status()
                  .message(),
              HasSubstr("content: empty"));
  EXPECT_EQ(ImportData(context_, admin_, DataKind::kOpenings,
                       std::string(kMaxImportBytes + 1, 'x'), "", false)
                .status()
                .code(),
            absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace placement::app
