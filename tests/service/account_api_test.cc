// AccountService.WhoAmI against a real server: each demo token is answered
// with its principal and role slug; no token or an unknown one is
// UNAUTHENTICATED.

#include <string>

#include "gtest/gtest.h"
#include "placement/v1/account_service.grpc.pb.h"
#include "tests/testing/running_server.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;

TEST(AccountApiTest, WhoAmIAnswersEachTokensPrincipalAndRole) {
  ScratchDir scratch;
  RunningServer server(scratch);
  auto stub = v1::AccountService::NewStub(server.channel());
  struct Expected {
    const char* token;
    const char* principal;
    const char* role;
  };
  const Expected kExpected[] = {
      {::placement::testing::kCoachToken, "C0136-01", "coach"},
      {::placement::testing::kEmployerToken, "EC-0001", "employer_contact"},
      {::placement::testing::kOperatorToken, "OP-0001", "operator"},
      {::placement::testing::kAdminToken, "ADM-0001", "admin"},
  };
  for (const Expected& expected : kExpected) {
    v1::WhoAmIResponse response;
    const grpc::Status status = stub->WhoAmI(CallAs(expected.token).get(),
                                             v1::WhoAmIRequest(), &response);
    ASSERT_TRUE(status.ok())
        << expected.token << ": " << status.error_message();
    EXPECT_EQ(response.principal_id(), expected.principal);
    EXPECT_EQ(response.role(), expected.role);
  }
  for (const std::string token : {"", "not-a-token-anyone-was-given"}) {
    v1::WhoAmIResponse response;
    const grpc::Status status =
        stub->WhoAmI(CallAs(token).get(), v1::WhoAmIRequest(), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << status.error_message();
  }
}

}  // namespace
}  // namespace placement::service
