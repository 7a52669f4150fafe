// ReferenceDataService end to end against the real placement-server: every
// entry carries its Swedish and English labels, the query filters on code or
// either label ignoring case, and an over-long query is refused. (Which roles
// may call it is in access_matrix_test.cc.)

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "placement/v1/reference_service.grpc.pb.h"
#include "tests/testing/running_server.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::kEmployerToken;
using ::placement::testing::kOperatorToken;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::testing::HasSubstr;

class ReferenceApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir();
    server_ = new RunningServer(*scratch_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete scratch_;
  }
  static std::unique_ptr<v1::ReferenceDataService::Stub> Stub() {
    return v1::ReferenceDataService::NewStub(server_->channel());
  }
  static v1::ListReferenceRequest Query(const std::string& text) {
    v1::ListReferenceRequest request;
    request.set_query(text);
    return request;
  }

  static ScratchDir* scratch_;
  static RunningServer* server_;
};
ScratchDir* ReferenceApiTest::scratch_ = nullptr;
RunningServer* ReferenceApiTest::server_ = nullptr;

TEST_F(ReferenceApiTest, SkillsComeWithBothLabelsTheirGroupAndField) {
  for (const char* text : {"diskmaskin", "DISHWASHING", "9412.01"}) {
    v1::ListSkillsResponse response;
    ASSERT_TRUE(
        Stub()
            ->ListSkills(CallAs(kEmployerToken).get(), Query(text), &response)
            .ok());
    ASSERT_EQ(response.skills_size(), 1) << text;
    const v1::Skill& skill = response.skills(0);
    EXPECT_EQ(skill.code(), "9412.01");
    EXPECT_EQ(skill.label().sv(), "Diskning och diskmaskin");
    EXPECT_EQ(skill.label().en(), "Dishwashing and dish machine");
    EXPECT_EQ(skill.group().code(), "9412");
    EXPECT_EQ(skill.group().label().en(), "Restaurant and kitchen assistants");
    EXPECT_EQ(skill.field().code(), "kitchen_restaurant");
    EXPECT_EQ(skill.field().label().sv(), "Kök och restaurang");
  }
  // A field's label finds its skills; no query finds every skill.
  v1::ListSkillsResponse kitchen;
  ASSERT_TRUE(Stub()
                  ->ListSkills(CallAs(kOperatorToken).get(),
                               Query("KÖK OCH RESTAURANG"), &kitchen)
                  .ok());
  EXPECT_GT(kitchen.skills_size(), 5);
  for (const v1::Skill& skill : kitchen.skills()) {
    EXPECT_EQ(skill.field().code(), "kitchen_restaurant") << skill.code();
  }
  v1::ListSkillsResponse all;
  ASSERT_TRUE(
      Stub()->ListSkills(CallAs(kOperatorToken).get(), Query(""), &all).ok());
  EXPECT_GT(all.skills_size(), kitchen.skills_size());
  for (const v1::Skill& skill : all.skills()) {
    EXPECT_FALSE(skill.label().sv().empty()) << skill.code();
    EXPECT_FALSE(skill.label().en().empty()) << skill.code();
  }
}

TEST_F(ReferenceApiTest, FieldsSupportsNeedsAndMunicipalities) {
  v1::ListOccupationFieldsResponse fields;
  ASSERT_TRUE(Stub()
                  ->ListOccupationFields(CallAs(kEmployerToken).get(),
                                         Query("animal"), &fields)
                  .ok());
  ASSERT_EQ(fields.fields_size(), 1);
  EXPECT_EQ(fields.fields(0).code(), "animal_care");

  v1::ListSupportsResponse supports;
  ASSERT_TRUE(Stub()
                  ->ListSupports(CallAs(kEmployerToken).get(),
                                 Query("rullstol"), &supports)
                  .ok());
  ASSERT_EQ(supports.supports_size(), 1);
  EXPECT_EQ(supports.supports(0).code(), "step_free_access");
  EXPECT_EQ(supports.supports(0).label().en(), "Wheelchair accessible");

  v1::ListSupportNeedsResponse needs;
  ASSERT_TRUE(Stub()
                  ->ListSupportNeeds(CallAs(kEmployerToken).get(),
                                     Query("wheelchair_access"), &needs)
                  .ok());
  ASSERT_EQ(needs.needs_size(), 1);
  EXPECT_EQ(needs.needs(0).label().sv(), "Använder rullstol");
  EXPECT_TRUE(needs.needs(0).may_be_hard());
  EXPECT_TRUE(needs.needs(0).health_related());
  EXPECT_THAT(needs.needs(0).met_by_support_codes(),
              ::testing::ElementsAre("step_free_access"));

  v1::ListMunicipalitiesResponse municipalities;
  ASSERT_TRUE(Stub()
                  ->ListMunicipalities(CallAs(kEmployerToken).get(),
                                       Query("HÄLLEFORS"), &municipalities)
                  .ok());
  ASSERT_EQ(municipalities.municipalities_size(), 1);
  const v1::Municipality& m = municipalities.municipalities(0);
  EXPECT_EQ(m.code(), "1863");
  EXPECT_EQ(m.label().sv(), "Hällefors");
  EXPECT_EQ(m.label().en(), "Hällefors");
  EXPECT_EQ(m.county().code(), "18");
  EXPECT_GT(m.centre().latitude(), 59);
}

TEST_F(ReferenceApiTest, AnOverLongQueryIsRefused) {
  v1::ListSkillsResponse response;
  const grpc::Status status = Stub()->ListSkills(
      CallAs(kEmployerToken).get(), Query(std::string(101, 'a')), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("query: 101 characters"));
}

}  // namespace
}  // namespace placement::service
