#include "engine/validation.h"

#include "engine/population_generator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace placement {
namespace {

using ::placement::testing::Reference;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(PersonalIdentityNumberTest, RecognisesTheShapes) {
  for (const char* text : {"19900101-1234", "900101-1234", "199001011234",
                           "9001011234", "P199001011234", "x900101+1234y"}) {
    EXPECT_TRUE(LooksLikePersonalIdentityNumber(text)) << text;
  }
  for (const char* text : {"P0000042", "O000317", "ORG00012", "12345",
                           "1990010112345", "19900101-123", "C1863-01"}) {
    EXPECT_FALSE(LooksLikePersonalIdentityNumber(text)) << text;
  }
}

TEST(IdProblemsTest, Rules) {
  EXPECT_THAT(IdProblems("P0000042"), IsEmpty());
  EXPECT_THAT(IdProblems(""), ElementsAre("is required"));
  EXPECT_THAT(IdProblems(std::string(41, 'a')),
              ElementsAre(HasSubstr("at most 40")));
  EXPECT_THAT(IdProblems("Anna Svensson"),
              ElementsAre(HasSubstr("only letters")));
  EXPECT_THAT(IdProblems("19900101-1234"),
              ElementsAre(HasSubstr("personal identity number")));
}

TEST(CheckParticipantTest, GeneratedParticipantsAreValid) {
  const PopulationGenerator generator({.seed = 31, .participants = 2000},
                                      Reference());
  for (int i = 0; i < 2000; ++i) {
    EXPECT_THAT(CheckParticipant(generator.Participant(i), Reference()),
                IsEmpty());
  }
}

TEST(CheckParticipantTest, ReportsEveryProblemWithFieldAndValue) {
  Participant p = PopulationGenerator({.seed = 1}, Reference()).Participant(0);
  p.home = {71.2, 18.0};
  p.max_travel_minutes = 0;
  p.skills = {{"5120.01", 2}, {"5120.01", 1}, {"0000.00", 1}};
  std::vector<FieldProblem> problems = CheckParticipant(p, Reference());
  EXPECT_THAT(
      problems,
      ::testing::UnorderedElementsAre(
          FieldProblem{"lat", "71.2", "outside the range 55 to 69.2"},
          FieldProblem{"max_travel_minutes", "0", "outside the range 1 to 240"},
          FieldProblem{"skills", "5120.01:1", "skill listed twice"},
          FieldProblem{"skills", "0000.00:1",
                       "no such skill in the taxonomy"}));
}

TEST(CheckOpeningTest, GeneratedOpeningsAreValid) {
  const PopulationGenerator generator({.seed = 31, .openings = 2000},
                                      Reference());
  for (int i = 0; i < 2000; ++i) {
    EXPECT_THAT(CheckOpening(generator.Opening(i), Reference()), IsEmpty());
  }
}

TEST(CheckOpeningTest, CapacityHoursAgesAndDates) {
  Opening o = PopulationGenerator({.seed = 1}, Reference()).Opening(0);
  o.capacity = 2;
  o.places_taken = 3;
  o.min_hours_per_week = 20;
  o.max_hours_per_week = 10;
  o.min_age = 30;
  o.max_age = 25;
  o.start_date = {2026, 5, 1};
  o.end_date = Date{2026, 4, 1};
  std::vector<FieldProblem> problems = CheckOpening(o, Reference());
  std::vector<std::string> fields;
  for (const FieldProblem& problem : problems) fields.push_back(problem.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre(
                          "places_taken", "max_hours", "max_age", "end_date"));
  EXPECT_THAT(problems, ::testing::Contains(
                            Field(&FieldProblem::reason,
                                  "more places taken than the capacity 2")));
}

}  // namespace
}  // namespace placement
