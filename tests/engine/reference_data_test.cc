#include "engine/reference_data.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace placement {
namespace {

using ::placement::testing::CopyTreeOrDie;
using ::placement::testing::DataDir;
using ::placement::testing::ReadFileOrDie;
using ::placement::testing::ScratchDir;
using ::placement::testing::WriteFileOrDie;
using ::testing::HasSubstr;

TEST(ReferenceDataTest, ShippedDataLoadsAndIsLargeEnough) {
  absl::StatusOr<ReferenceData> data = LoadReferenceData(DataDir());
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_GE(data->skills.skills().size(), 200u);
  EXPECT_GE(data->skills.fields().size(), 20u);
  EXPECT_GE(data->supports.needs().size(), 10u);
  EXPECT_GE(data->municipalities.all().size(), 80u);
}

TEST(ReferenceDataTest, EveryFieldHasGroupsAndEveryGroupRelatedSkills) {
  const SkillTaxonomy& taxonomy = placement::testing::Reference().skills;
  std::vector<int> groups_per_field(taxonomy.fields().size());
  std::vector<int> skills_per_group(taxonomy.groups().size());
  for (const auto& group : taxonomy.groups()) ++groups_per_field[group.field];
  for (const auto& skill : taxonomy.skills()) ++skills_per_group[skill.group];
  for (size_t f = 0; f < groups_per_field.size(); ++f) {
    EXPECT_GE(groups_per_field[f], 1) << taxonomy.fields()[f].code;
  }
  for (size_t g = 0; g < skills_per_group.size(); ++g) {
    // Partial credit between related skills needs at least two per group.
    EXPECT_GE(skills_per_group[g], 2) << taxonomy.groups()[g].code;
  }
  for (const auto& skill : taxonomy.skills()) {
    EXPECT_FALSE(skill.label_sv.empty());
    EXPECT_FALSE(skill.label_en.empty());
  }
}

TEST(ReferenceDataTest, LookupsByCode) {
  const ReferenceData& data = placement::testing::Reference();
  std::optional<int> skill = data.skills.FindSkill("5120.01");
  ASSERT_TRUE(skill.has_value());
  EXPECT_EQ(data.skills.groups()[data.skills.skills()[*skill].group].code,
            "5120");
  EXPECT_FALSE(data.skills.FindSkill("9999.99").has_value());
  std::optional<int> need = data.supports.FindNeed("wheelchair_access");
  ASSERT_TRUE(need.has_value());
  EXPECT_TRUE(data.supports.needs()[*need].may_be_hard);
  EXPECT_TRUE(data.supports.needs()[*need].health_related);
  ASSERT_EQ(data.supports.needs()[*need].met_by.size(), 1u);
  EXPECT_EQ(
      data.supports.supports()[data.supports.needs()[*need].met_by[0]].code,
      "step_free_access");
}

// Every place named in the programme descriptions, with its official code.
TEST(ReferenceDataTest, ProgrammePlacesHaveTheirOfficialCodes) {
  const MunicipalityTable& table =
      placement::testing::Reference().municipalities;
  const std::vector<std::pair<std::string, std::string>> places = {
      {"1863", "Hällefors"},    {"1864", "Ljusnarsberg"},
      {"0136", "Haninge"},      {"0192", "Nynäshamn"},
      {"0138", "Tyresö"},       {"1280", "Malmö"},
      {"1290", "Kristianstad"}, {"1264", "Skurup"},
      {"0880", "Kalmar"},       {"0821", "Högsby"},
      {"0885", "Borgholm"},     {"0840", "Mörbylånga"},
      {"1452", "Tranemo"},      {"1980", "Västerås"},
      {"1880", "Örebro"},       {"0180", "Stockholm"}};
  for (const auto& [code, name] : places) {
    std::optional<int> index = table.Find(code);
    ASSERT_TRUE(index.has_value()) << code << " " << name;
    EXPECT_EQ(table.all()[*index].name, name);
  }
}

// Loads a copy of data/ in which `file` had `from` replaced by `to`.
absl::Status LoadWithEdit(const std::string& file, const std::string& from,
                          const std::string& to) {
  ScratchDir scratch;
  CopyTreeOrDie(DataDir() + "/taxonomy", scratch.File("taxonomy"));
  CopyTreeOrDie(DataDir() + "/support", scratch.File("support"));
  CopyTreeOrDie(DataDir() + "/geo", scratch.File("geo"));
  const std::string path = scratch.File(file);
  const std::string original = ReadFileOrDie(path);
  const std::string edited = absl::StrReplaceAll(original, {{from, to}});
  EXPECT_NE(original, edited) << "the edit " << from << " matched nothing";
  WriteFileOrDie(path, edited);
  return LoadReferenceData(scratch.path()).status();
}

TEST(ReferenceDataTest, CopyOfShippedDataLoads) {
  ScratchDir scratch;
  CopyTreeOrDie(DataDir(), scratch.path());
  EXPECT_TRUE(LoadReferenceData(scratch.path()).ok());
}

TEST(MunicipalityLoaderTest, LatitudeOutsideSwedenNamesFileLineFieldAndValue) {
  absl::Status status =
      LoadWithEdit("geo/municipalities.csv", "1863,Hällefors,18,Örebro län,59.",
                   "1863,Hällefors,18,Örebro län,71.");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("municipalities.csv:"));
  EXPECT_THAT(status.message(), HasSubstr("field 'lat', value '71."));
  EXPECT_THAT(status.message(), HasSubstr("outside the range"));
}

TEST(MunicipalityLoaderTest, CountyCodeMustMatchCode) {
  absl::Status status = LoadWithEdit(
      "geo/municipalities.csv", "1863,Hällefors,18,", "1863,Hällefors,17,");
  EXPECT_THAT(status.message(), HasSubstr("field 'county_code', value '17'"));
}

TEST(MunicipalityLoaderTest, DuplicateCodeIsRejected) {
  absl::Status status = LoadWithEdit("geo/municipalities.csv",
                                     "1864,Ljusnarsberg", "1863,Ljusnarsberg");
  EXPECT_THAT(status.message(),
              HasSubstr("value '1863': the code appears twice"));
}

TEST(MunicipalityLoaderTest, MalformedNumbersAndCodes) {
  EXPECT_THAT(
      LoadWithEdit("geo/municipalities.csv", "1863,Hällefors", "186,Hällefors")
          .message(),
      HasSubstr("field 'code', value '186'"));
  EXPECT_THAT(
      LoadWithEdit("geo/municipalities.csv", "1863,Hällefors,18,Örebro län,59.",
                   "1863,Hällefors,18,Örebro län,north")
          .message(),
      HasSubstr("value 'north"));
}

TEST(MunicipalityLoaderTest, MissingColumnAndMissingFile) {
  EXPECT_THAT(
      LoadWithEdit("geo/municipalities.csv", "lat,lon,population", "lat,lon")
          .message(),
      HasSubstr("missing column 'population'"));
  ScratchDir empty;
  EXPECT_EQ(MunicipalityTable::Load(empty.path()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(TaxonomyLoaderTest, SkillInUnknownGroup) {
  absl::Status status =
      LoadWithEdit("taxonomy/skills.csv", "5120.01,5120,", "5120.01,5129,");
  EXPECT_THAT(status.message(), HasSubstr("skills.csv:"));
  EXPECT_THAT(status.message(), HasSubstr("field 'group_code', value '5129'"));
}

TEST(TaxonomyLoaderTest, SkillCodeMustStartWithItsGroup) {
  absl::Status status =
      LoadWithEdit("taxonomy/skills.csv", "5120.01,5120,", "5121.01,5120,");
  EXPECT_THAT(status.message(), HasSubstr("field 'code', value '5121.01'"));
}

TEST(TaxonomyLoaderTest, GroupInUnknownField) {
  absl::Status status = LoadWithEdit("taxonomy/skill_groups.csv", "5120,",
                                     "5120,no_such_field_x");
  EXPECT_THAT(status.message(), HasSubstr("skill_groups.csv:"));
  EXPECT_THAT(status.message(), HasSubstr("field_code"));
}

TEST(TaxonomyLoaderTest, DuplicateSkillCode) {
  absl::Status status =
      LoadWithEdit("taxonomy/skills.csv", "5120.02,5120,", "5120.01,5120,");
  EXPECT_THAT(status.message(),
              HasSubstr("value '5120.01': the code appears twice"));
}

TEST(SupportCatalogueLoaderTest, NeedMetByUnknownSupport) {
  absl::Status status =
      LoadWithEdit("support/needs.csv", "true,true,step_free_access",
                   "true,true,ramp_somewhere");
  EXPECT_THAT(status.message(),
              HasSubstr("field 'met_by', value 'ramp_somewhere'"));
}

TEST(SupportCatalogueLoaderTest, FlagsMustBeBooleans) {
  absl::Status status = LoadWithEdit(
      "support/needs.csv", "Uses a wheelchair,true,", "Uses a wheelchair,yes,");
  EXPECT_THAT(status.message(), HasSubstr("field 'may_be_hard', value 'yes'"));
}

TEST(ContainsIgnoringCaseTest, FoldsAsciiAndSwedishLetters) {
  EXPECT_TRUE(ContainsIgnoringCase("Hällefors", "HÄLLE"));
  EXPECT_TRUE(ContainsIgnoringCase("HÄLLEFORS", "hälle"));
  EXPECT_TRUE(ContainsIgnoringCase("Äldreomsorg och vård", "ÅR"));
  EXPECT_TRUE(ContainsIgnoringCase("Örebro", "öre"));
  EXPECT_TRUE(ContainsIgnoringCase("Café", "CAFÉ"));
  EXPECT_TRUE(ContainsIgnoringCase("5120.03", "5120"));
  EXPECT_FALSE(ContainsIgnoringCase("Malmö", "malmo"));
  EXPECT_FALSE(ContainsIgnoringCase("kök", "kak"));
}

TEST(ContainsIgnoringCaseTest, EmptyAndLongerQueries) {
  EXPECT_TRUE(ContainsIgnoringCase("", ""));
  EXPECT_TRUE(ContainsIgnoringCase("anything", ""));
  EXPECT_FALSE(ContainsIgnoringCase("", "a"));
  EXPECT_FALSE(ContainsIgnoringCase("dog", "doggy"));
  // The multiplication sign (U+00D7) is no capital: it is not folded onto
  // the division sign (U+00F7).
  EXPECT_FALSE(ContainsIgnoringCase("\xC3\xB7", "\xC3\x97"));
}

}  // namespace
}  // namespace placement

namespace placement {
namespace {

TEST(ReferenceMatchingTest, SkillsMatchOnTheirGroupAndFieldToo) {
  const SkillTaxonomy& taxonomy = placement::testing::Reference().skills;
  const std::vector<int> dishwashing = taxonomy.SkillsMatching("DISKMASKIN");
  ASSERT_EQ(dishwashing.size(), 1u);
  EXPECT_EQ(taxonomy.skills()[dishwashing[0]].code, "9412.01");
  // The field's label finds every skill of the field, and only those.
  const std::optional<int> kitchen = taxonomy.FindField("kitchen_restaurant");
  ASSERT_TRUE(kitchen.has_value());
  const std::vector<int> in_kitchen =
      taxonomy.SkillsMatching("kök och restaurang");
  int expected = 0;
  for (int i = 0; i < static_cast<int>(taxonomy.skills().size()); ++i) {
    expected += taxonomy.FieldOfSkill(i) == *kitchen;
  }
  EXPECT_EQ(static_cast<int>(in_kitchen.size()), expected);
  for (int skill : in_kitchen)
    EXPECT_EQ(taxonomy.FieldOfSkill(skill), *kitchen);
  // No query finds everything, in file order.
  const std::vector<int> all = taxonomy.SkillsMatching("");
  ASSERT_EQ(all.size(), taxonomy.skills().size());
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_THAT(taxonomy.FieldsMatching("animal"),
              ::testing::ElementsAre(*taxonomy.FindField("animal_care")));
  EXPECT_TRUE(taxonomy.SkillsMatching("no such skill anywhere").empty());
}

TEST(ReferenceMatchingTest, SupportsNeedsAndMunicipalitiesMatchCodeOrLabel) {
  const ReferenceData& reference = placement::testing::Reference();
  const SupportCatalogue& catalogue = reference.supports;
  EXPECT_THAT(
      catalogue.SupportsMatching("rullstol"),
      ::testing::ElementsAre(*catalogue.FindSupport("step_free_access")));
  EXPECT_THAT(catalogue.NeedsMatching("wheelchair_access"),
              ::testing::ElementsAre(*catalogue.FindNeed("wheelchair_access")));
  const MunicipalityTable& municipalities = reference.municipalities;
  EXPECT_THAT(municipalities.Matching("HÄLLEFORS"),
              ::testing::ElementsAre(*municipalities.Find("1863")));
  // The county's name finds each of its municipalities.
  const std::vector<int> county = municipalities.Matching("örebro län");
  EXPECT_GT(county.size(), 1u);
  for (int m : county) {
    EXPECT_EQ(municipalities.all()[m].county_code, "18");
  }
}

}  // namespace
}  // namespace placement
