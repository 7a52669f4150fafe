#include "engine/dataset.h"

#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "engine/population_generator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace placement {
namespace {

using ::placement::testing::DataDir;
using ::placement::testing::Reference;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kParticipantHeader[] =
    "id,coach_id,birth_year,municipality,travel_mode,max_travel_minutes,"
    "hours_per_week,step,swedish_level,skills,needs\n";
constexpr char kGoodParticipant[] =
    "P0000001,C1863-01,1990,1863,public_transport,45,20,2,good,"
    "5120.01:2;5120.02:1,wheelchair_access:hard;job_coach:soft\n";

ParticipantRows ReadParticipants(const std::string& content) {
  std::istringstream input(content);
  absl::StatusOr<ParticipantRows> rows =
      ReadParticipantsCsv(input, "people.csv", Reference());
  EXPECT_TRUE(rows.ok()) << rows.status();
  return rows.ok() ? *rows : ParticipantRows{};
}

TEST(ParticipantCsvTest, MinimalRowUsesDocumentedDefaults) {
  ParticipantRows rows =
      ReadParticipants(absl::StrCat(kParticipantHeader, kGoodParticipant));
  ASSERT_THAT(rows.errors, SizeIs(0));
  ASSERT_THAT(rows.participants, SizeIs(1));
  const Participant& p = rows.participants[0];
  EXPECT_EQ(p.id, "P0000001");
  EXPECT_EQ(p.travel_mode, TravelMode::kPublicTransport);
  EXPECT_EQ(p.swedish_level, SwedishLevel::kGood);
  ASSERT_THAT(p.skills, SizeIs(2));
  EXPECT_EQ(p.skills[0], (SkillLevel{"5120.01", 2}));
  ASSERT_THAT(p.needs, SizeIs(2));
  EXPECT_EQ(p.needs[0].strength, NeedStrength::kHard);
  // Defaults for the optional columns.
  EXPECT_EQ(p.status, ParticipantStatus::kActive);
  EXPECT_EQ(p.gender, Gender::kUndisclosed);
  EXPECT_FALSE(p.born_abroad);
  // No coordinates: the municipality's main town.
  const auto& hallefors =
      Reference()
          .municipalities.all()[*Reference().municipalities.Find("1863")];
  EXPECT_EQ(p.home, hallefors.centre);
}

struct BadParticipantCase {
  std::string from;  // text of kGoodParticipant to replace
  std::string to;
  std::string field;
  std::string value;
  std::string reason;
};

class BadParticipantRowTest
    : public ::testing::TestWithParam<BadParticipantCase> {};

TEST_P(BadParticipantRowTest, ReportsFileLineFieldValueAndReason) {
  const BadParticipantCase& bad = GetParam();
  const std::string row =
      absl::StrReplaceAll(kGoodParticipant, {{bad.from, bad.to}});
  ASSERT_NE(row, kGoodParticipant);
  ParticipantRows rows =
      ReadParticipants(absl::StrCat(kParticipantHeader, kGoodParticipant, row));
  EXPECT_THAT(rows.participants, SizeIs(bad.field == "id" ? 1 : 1));
  ASSERT_THAT(rows.errors, SizeIs(1));
  const RowError& error = rows.errors[0];
  EXPECT_EQ(error.file, "people.csv");
  EXPECT_EQ(error.line, 3);
  EXPECT_EQ(error.field, bad.field);
  EXPECT_EQ(error.value, bad.value);
  EXPECT_THAT(error.reason, HasSubstr(bad.reason));
  EXPECT_THAT(error.ToString(),
              HasSubstr(absl::StrCat("people.csv:3: field '", bad.field, "'")));
}

INSTANTIATE_TEST_SUITE_P(
    EveryRule, BadParticipantRowTest,
    ::testing::Values(
        // The same id twice: the second row is the bad one.
        BadParticipantCase{"C1863-01", "C1863-02", "id", "P0000001",
                           "already appears on line 2"},
        BadParticipantCase{"P0000001", "19900101-1234", "id", "19900101-1234",
                           "personal identity number"},
        BadParticipantCase{"P0000001", "P 1", "id", "P 1", "only letters"},
        BadParticipantCase{",1990,", ",1850,", "birth_year", "1850",
                           "outside the range"},
        BadParticipantCase{",1863,", ",9999,", "municipality", "9999",
                           "no such municipality"},
        BadParticipantCase{"public_transport", "boat", "travel_mode", "boat",
                           "unknown travel mode"},
        BadParticipantCase{",45,", ",0,", "max_travel_minutes", "0",
                           "outside the range"},
        BadParticipantCase{",20,2,", ",20,6,", "step", "6",
                           "outside the range 0 to 5"},
        BadParticipantCase{",good,", ",superb,", "swedish_level", "superb",
                           "unknown Swedish level"},
        BadParticipantCase{"5120.01:2", "5120.99:2", "skills", "5120.99:2",
                           "no such skill"},
        BadParticipantCase{"5120.01:2", "5120.01:4", "skills", "5120.01:4",
                           "LEVEL 1, 2 or 3"},
        BadParticipantCase{"5120.02:1", "5120.01:1", "skills", "5120.01:1",
                           "listed twice"},
        BadParticipantCase{"job_coach:soft", "job_coach:hard", "needs",
                           "job_coach:hard", "cannot be marked hard"},
        BadParticipantCase{"job_coach:soft", "telepathy:soft", "needs",
                           "telepathy:soft", "no such support need"},
        BadParticipantCase{",20,2,", ",sixty,2,", "hours_per_week", "sixty",
                           "not a number"}));

TEST(ParticipantCsvTest, OneBadRowDoesNotStopTheRest) {
  const std::string bad = absl::StrReplaceAll(
      kGoodParticipant, {{"P0000001", "P0000002"}, {"public_transport", "x"}});
  const std::string good =
      absl::StrReplaceAll(kGoodParticipant, {{"P0000001", "P0000003"}});
  ParticipantRows rows = ReadParticipants(absl::StrCat(
      kParticipantHeader, kGoodParticipant, bad, good, "too,few\n"));
  EXPECT_EQ(rows.rows_read, 4);
  ASSERT_THAT(rows.participants, SizeIs(2));
  EXPECT_EQ(rows.participants[1].id, "P0000003");
  ASSERT_THAT(rows.errors, SizeIs(2));
  EXPECT_EQ(rows.errors[0].line, 3);
  EXPECT_EQ(rows.errors[1].line, 5);
  EXPECT_THAT(rows.errors[1].reason, HasSubstr("expected 11 fields, found 2"));
}

TEST(ParticipantCsvTest, HalfGivenCoordinatesAreAnError) {
  ParticipantRows rows = ReadParticipants(
      "id,coach_id,birth_year,municipality,lat,travel_mode,max_travel_minutes,"
      "hours_per_week,step,swedish_level,skills\n"
      "P1,C1,1990,1863,59.7,walk,30,20,1,none,\n");
  ASSERT_THAT(rows.errors, SizeIs(1));
  EXPECT_EQ(rows.errors[0].field, "lon");
}

TEST(ParticipantCsvTest, UnknownColumnFailsTheWholeFile) {
  std::istringstream input("id,coach_id,shoe_size\n");
  absl::Status status =
      ReadParticipantsCsv(input, "x.csv", Reference()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("unknown column 'shoe_size'"));
}

constexpr char kOpeningHeader[] =
    "id,kind,organisation_id,organisation_name,municipality,occupation_field,"
    "essential_skills,optional_skills,capacity,places_taken,min_hours,max_"
    "hours,"
    "step,start_date,end_date\n";
constexpr char kGoodOpening[] =
    "O000001,social_enterprise,ORG00001,\"Hunddagis, Kalmar\",0880,animal_care,"
    "6122.01,6122.02,4,1,10,20,2,2026-01-15,2026-12-31\n";

OpeningRows ReadOpenings(const std::string& content) {
  std::istringstream input(content);
  absl::StatusOr<OpeningRows> rows =
      ReadOpeningsCsv(input, "slots.csv", Reference());
  EXPECT_TRUE(rows.ok()) << rows.status();
  return rows.ok() ? *rows : OpeningRows{};
}

TEST(OpeningCsvTest, GoodRow) {
  OpeningRows rows = ReadOpenings(absl::StrCat(kOpeningHeader, kGoodOpening));
  ASSERT_THAT(rows.errors, SizeIs(0));
  ASSERT_THAT(rows.openings, SizeIs(1));
  const Opening& o = rows.openings[0];
  EXPECT_EQ(o.organisation_name, "Hunddagis, Kalmar");
  EXPECT_EQ(o.kind, OpeningKind::kSocialEnterprise);
  EXPECT_EQ(o.capacity, 4);
  EXPECT_EQ(o.places_taken, 1);
  EXPECT_EQ(o.status, OpeningStatus::kOpen);
  ASSERT_TRUE(o.end_date.has_value());
  EXPECT_EQ(*o.end_date, (Date{2026, 12, 31}));
}

TEST(OpeningCsvTest, CrossFieldRules) {
  auto error_for = [](const std::string& from, const std::string& to) {
    OpeningRows rows = ReadOpenings(absl::StrCat(
        kOpeningHeader, absl::StrReplaceAll(kGoodOpening, {{from, to}})));
    return rows.errors.empty() ? RowError{} : rows.errors[0];
  };
  EXPECT_EQ(error_for(",4,1,", ",4,5,").field, "places_taken");
  EXPECT_EQ(error_for(",10,20,", ",20,10,").field, "max_hours");
  EXPECT_EQ(error_for("2026-12-31", "2025-12-31").field, "end_date");
  EXPECT_EQ(error_for(",6122.02,", ",6122.01,").field, "optional_skills");
  EXPECT_EQ(error_for(",4,1,", ",0,0,").field, "capacity");
  EXPECT_EQ(error_for("2026-01-15", "2026-02-30").field, "start_date");
  EXPECT_EQ(error_for("animal_care", "astronautics").field, "occupation_field");
  EXPECT_EQ(error_for("social_enterprise", "castle").field, "kind");
}

// Property: any generated population survives write -> read unchanged.
TEST(DatasetRoundTripTest, GeneratedRecordsRoundTripExactly) {
  const PopulationGenerator generator(
      {.seed = 99, .participants = 2000, .openings = 600}, Reference());
  std::vector<Participant> participants;
  std::vector<Opening> openings;
  std::ostringstream participant_csv;
  std::ostringstream opening_csv;
  {
    ParticipantCsvWriter writer(participant_csv);
    for (int i = 0; i < 2000; ++i) {
      participants.push_back(generator.Participant(i));
      writer.Write(participants.back());
    }
    OpeningCsvWriter opening_writer(opening_csv);
    for (int i = 0; i < 600; ++i) {
      openings.push_back(generator.Opening(i));
      opening_writer.Write(openings.back());
    }
  }
  ParticipantRows read_participants = ReadParticipants(participant_csv.str());
  EXPECT_THAT(read_participants.errors, SizeIs(0));
  EXPECT_EQ(read_participants.participants, participants);
  OpeningRows read_openings = ReadOpenings(opening_csv.str());
  EXPECT_THAT(read_openings.errors, SizeIs(0));
  EXPECT_EQ(read_openings.openings, openings);
}

TEST(DatasetRoundTripTest, CommittedDemoDataIsValid) {
  absl::StatusOr<ParticipantRows> participants =
      ReadParticipantsCsv(DataDir() + "/demo/participants.csv", Reference());
  ASSERT_TRUE(participants.ok()) << participants.status();
  EXPECT_THAT(participants->errors, SizeIs(0));
  EXPECT_THAT(participants->participants, SizeIs(500));
  absl::StatusOr<OpeningRows> openings =
      ReadOpeningsCsv(DataDir() + "/demo/openings.csv", Reference());
  ASSERT_TRUE(openings.ok()) << openings.status();
  EXPECT_THAT(openings->errors, SizeIs(0));
  EXPECT_THAT(openings->openings, SizeIs(150));
}

TEST(DatasetTest, MissingFileIsNotFound) {
  EXPECT_EQ(
      ReadParticipantsCsv("/nonexistent/p.csv", Reference()).status().code(),
      absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace placement
