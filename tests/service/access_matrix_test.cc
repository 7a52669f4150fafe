// The role × call matrix, end to end: every RPC of every placement.v1
// service, called with each role's token (and with none), is refused with
// the role rule exactly where the contract says so and let through
// everywhere else. The RPCs are enumerated from the proto descriptors, so a
// new RPC without a row here fails the test. Also deadlines and cancellation:
// a call that runs out of time leaves no half-done write.

#include <future>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "placement/v1/account_service.grpc.pb.h"
#include "placement/v1/admin_service.grpc.pb.h"
#include "placement/v1/audit_service.grpc.pb.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "placement/v1/employer_service.grpc.pb.h"
#include "placement/v1/followup_service.grpc.pb.h"
#include "placement/v1/placement_service.grpc.pb.h"
#include "placement/v1/reference_service.grpc.pb.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "placement/v1/rematch_service.grpc.pb.h"
#include "tests/service/api_services.h"
#include "tests/testing/running_server.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::kAdminToken;
using ::placement::testing::kAuditorToken;
using ::placement::testing::kCoachPrincipal;
using ::placement::testing::kCoachToken;
using ::placement::testing::kEmployerToken;
using ::placement::testing::kOperatorToken;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::testing::HasSubstr;

enum Role { kCoach, kEmployer, kOperator, kAdmin, kAuditor };
constexpr Role kRoles[] = {kCoach, kEmployer, kOperator, kAdmin, kAuditor};
const char* Token(Role role) {
  switch (role) {
    case kCoach:
      return kCoachToken;
    case kEmployer:
      return kEmployerToken;
    case kOperator:
      return kOperatorToken;
    case kAdmin:
      return kAdminToken;
    case kAuditor:
      return kAuditorToken;
  }
  return "";
}
const char* Name(Role role) {
  static const char* const kNames[] = {"coach", "employer_contact", "operator",
                                       "admin", "auditor"};
  return kNames[role];
}

// Who may call what, from the "Roles:" lines of proto/placement/v1/.
const std::map<std::string, std::set<Role>>& Matrix() {
  static const auto* matrix = new std::map<std::string, std::set<Role>>{
      {"AccountService.WhoAmI",
       {kCoach, kEmployer, kOperator, kAdmin, kAuditor}},
      // The auditor reads the access log and nothing else; admins do not
      // read it (separation of duties).
      {"AuditService.ListAccessLog", {kAuditor}},
      {"ParticipantRegistry.UpsertParticipant", {kCoach}},
      {"ParticipantRegistry.UpdateParticipant", {kCoach}},
      {"ParticipantRegistry.GetParticipant", {kCoach, kAdmin}},
      {"ParticipantRegistry.ListParticipants", {kCoach, kAdmin}},
      {"ParticipantRegistry.EraseParticipant", {kAdmin}},
      {"CoachService.SuggestOpenings", {kCoach}},
      {"CoachService.ExplainMatch", {kCoach}},
      {"CoachService.ListProposals", {kCoach}},
      {"CoachService.DecideProposal", {kCoach}},
      {"EmployerService.PublishOpening", {kEmployer, kAdmin}},
      {"EmployerService.UpdateOpening", {kEmployer, kAdmin}},
      {"EmployerService.PauseOpening", {kEmployer, kAdmin}},
      {"EmployerService.ReopenOpening", {kEmployer, kAdmin}},
      {"EmployerService.CloseOpening", {kEmployer, kAdmin}},
      {"EmployerService.GetOpening", {kEmployer, kCoach, kOperator, kAdmin}},
      {"EmployerService.ListOpenings", {kEmployer, kCoach, kOperator, kAdmin}},
      {"EmployerService.SuggestCandidates", {kEmployer, kAdmin}},
      {"EmployerService.GetSupplyGaps", {kEmployer, kCoach, kOperator, kAdmin}},
      {"AdminService.ImportData", {kAdmin}},
      {"AdminService.ExportData", {kAdmin}},
      {"RematchService.StartRun", {kOperator, kAdmin}},
      {"RematchService.WatchRun", {kOperator, kAdmin}},
      {"RematchService.CancelRun", {kOperator, kAdmin}},
      {"RematchService.GetRunReport", {kOperator, kAdmin}},
      {"RematchService.ListRunProposals", {kOperator, kAdmin}},
      {"RematchService.ListRuns", {kOperator, kAdmin}},
      {"PlacementService.HoldPlace", {kCoach}},
      {"PlacementService.ReleaseHold", {kCoach}},
      {"PlacementService.ListHolds", {kCoach}},
      {"PlacementService.StartPlacement", {kCoach}},
      {"PlacementService.EndPlacement", {kCoach}},
      {"PlacementService.GetTimeline", {kCoach}},
      {"PlacementService.GetOpeningPlacementCounts",
       {kEmployer, kOperator, kAdmin}},
      {"FollowUpService.GetDecisionFunnel", {kOperator, kAdmin}},
      {"PlacementService.RecordExitFollowUp", {kCoach}},
      {"FollowUpService.GetFollowUpReport", {kOperator, kAdmin}},
      {"ReferenceDataService.ListSkills",
       {kCoach, kEmployer, kOperator, kAdmin}},
      {"ReferenceDataService.ListOccupationFields",
       {kCoach, kEmployer, kOperator, kAdmin}},
      {"ReferenceDataService.ListSupports",
       {kCoach, kEmployer, kOperator, kAdmin}},
      {"ReferenceDataService.ListSupportNeeds",
       {kCoach, kEmployer, kOperator, kAdmin}},
      {"ReferenceDataService.ListMunicipalities",
       {kCoach, kEmployer, kOperator, kAdmin}},
  };
  return *matrix;
}

// A request of the method's type: empty, except that a coach's request
// names a participant of their own caseload where it names one, so the
// caseload rule does not hide the role rule.
std::unique_ptr<google::protobuf::Message> RequestFor(
    const google::protobuf::MethodDescriptor& method, Role role,
    const std::string& own_participant) {
  std::unique_ptr<google::protobuf::Message> request(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(method.input_type())
          ->New());
  const google::protobuf::FieldDescriptor* field =
      method.input_type()->FindFieldByName("participant_id");
  if (role == kCoach && field != nullptr &&
      field->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
    request->GetReflection()->SetString(request.get(), field, own_participant);
  }
  return request;
}

grpc::Status Call(const std::shared_ptr<grpc::Channel>& channel,
                  const google::protobuf::MethodDescriptor& method,
                  const google::protobuf::Message& request,
                  const std::string& token) {
  grpc::GenericStub stub(channel);
  const std::string bytes = request.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  std::unique_ptr<grpc::ClientContext> context = CallAs(token);
  std::promise<grpc::Status> done;
  stub.UnaryCall(
      context.get(),
      absl::StrCat("/", method.service()->full_name(), "/", method.name()),
      grpc::StubOptions(), &request_buffer, &response_buffer,
      [&done](grpc::Status status) { done.set_value(status); });
  return done.get_future().get();
}

class AccessMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir();
    server_ = new RunningServer(*scratch_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete scratch_;
  }

  static std::string OwnParticipant() {
    v1::ListParticipantsRequest request;
    v1::ListParticipantsResponse response;
    EXPECT_TRUE(
        v1::ParticipantRegistry::NewStub(server_->channel())
            ->ListParticipants(CallAs(kCoachToken).get(), request, &response)
            .ok());
    EXPECT_GT(response.participants_size(), 0);
    return response.participants_size() > 0 ? response.participants(0).id()
                                            : "";
  }

  static ScratchDir* scratch_;
  static RunningServer* server_;
};
ScratchDir* AccessMatrixTest::scratch_ = nullptr;
RunningServer* AccessMatrixTest::server_ = nullptr;

TEST_F(AccessMatrixTest, EveryCallIsAllowedOrDeniedAsTheContractSays) {
  const std::string own = OwnParticipant();
  std::set<std::string> seen;
  int allowed = 0;
  int denied = 0;
  std::map<Role, int> denied_by_role;
  for (const google::protobuf::ServiceDescriptor* service :
       ::placement::testing::kApiServices) {
    ASSERT_NE(service, nullptr);
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor& method = *service->method(m);
      const std::string name =
          absl::StrCat(service->name(), ".", method.name());
      seen.insert(name);
      ASSERT_TRUE(Matrix().count(name))
          << name << " has no row in the role matrix";
      const std::set<Role>& roles = Matrix().at(name);

      // No token at all: UNAUTHENTICATED.
      grpc::Status status = Call(server_->channel(), method,
                                 *RequestFor(method, kAdmin, own), "");
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << name << ": " << status.error_message();
      status =
          Call(server_->channel(), method, *RequestFor(method, kAdmin, own),
               "not-a-token-anyone-was-given");
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << name << ": " << status.error_message();

      for (Role role : kRoles) {
        status = Call(server_->channel(), method,
                      *RequestFor(method, role, own), Token(role));
        const std::string where =
            absl::StrCat(name, " as ", Name(role), ": ", status.error_code(),
                         " ", status.error_message());
        if (roles.count(role)) {
          ++allowed;
          EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
              << where;
          EXPECT_THAT(status.error_message(),
                      ::testing::Not(HasSubstr("may not call")))
              << where;
        } else {
          ++denied;
          ++denied_by_role[role];
          EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
              << where;
          EXPECT_THAT(status.error_message(),
                      HasSubstr(absl::StrCat("the role ", Name(role),
                                             " may not call ", name)))
              << where;
        }
      }
    }
  }
  // Every row of the matrix names a real RPC.
  for (const auto& [name, roles] : Matrix()) {
    EXPECT_TRUE(seen.count(name)) << name << " is not an RPC";
  }
  EXPECT_EQ(allowed + denied, static_cast<int>(seen.size()) *
                                  static_cast<int>(std::size(kRoles)));
  EXPECT_GT(denied, 40);

  // Every refusal left a record naming the principal and the call; the
  // auditor reads them back, per principal.
  const std::map<Role, std::string> principals = {{kCoach, kCoachPrincipal},
                                                  {kEmployer, "EC-0001"},
                                                  {kOperator, "OP-0001"},
                                                  {kAdmin, "ADM-0001"},
                                                  {kAuditor, "AUD-0001"}};
  auto audit = v1::AuditService::NewStub(server_->channel());
  for (Role role : kRoles) {
    v1::ListAccessLogRequest request;
    request.set_principal(principals.at(role));
    request.mutable_page()->set_page_size(500);
    v1::ListAccessLogResponse response;
    ASSERT_TRUE(
        audit->ListAccessLog(CallAs(kAuditorToken).get(), request, &response)
            .ok());
    std::multiset<std::string> denied_calls;
    for (const v1::AccessLogRecord& record : response.records()) {
      if (record.outcome() != v1::ACCESS_OUTCOME_DENIED) continue;
      EXPECT_EQ(record.role(), Name(role));
      denied_calls.insert(record.call());
      EXPECT_FALSE(Matrix().at(record.call()).count(role)) << record.call();
    }
    EXPECT_EQ(static_cast<int>(denied_calls.size()), denied_by_role[role])
        << Name(role);
  }
}

TEST_F(AccessMatrixTest, ACallThatRunsOutOfTimeLeavesNoHalfDoneWrite) {
  // Upserts with deadlines from 0 to a few milliseconds: some finish, some
  // run out of time on the way in or out. Whatever happened, the stored
  // record is exactly one of the versions sent, and the last acknowledged
  // write is never lost.
  auto registry = v1::ParticipantRegistry::NewStub(server_->channel());
  v1::GetParticipantRequest get;
  get.set_participant_id(OwnParticipant());
  v1::Participant original;
  ASSERT_TRUE(
      registry->GetParticipant(CallAs(kCoachToken).get(), get, &original).ok());
  std::set<uint32_t> sent_hours;
  int exceeded = 0;
  for (int i = 0; i < 60; ++i) {
    v1::UpsertParticipantRequest request;
    *request.mutable_participant() = original;
    request.mutable_participant()->set_hours_per_week_available(
        static_cast<double>(10 + i % 25));
    sent_hours.insert(static_cast<uint32_t>(10 + i % 25));
    v1::Participant stored;
    const grpc::Status status = registry->UpsertParticipant(
        CallAs(kCoachToken, absl::Microseconds(100 * (i % 40))).get(), request,
        &stored);
    if (!status.ok()) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
          << status.error_message();
      ++exceeded;
    }
  }
  EXPECT_GT(exceeded, 0) << "no call ran out of time; the test proves nothing";
  v1::Participant now;
  ASSERT_TRUE(
      registry->GetParticipant(CallAs(kCoachToken).get(), get, &now).ok());
  const uint32_t hours = static_cast<uint32_t>(now.hours_per_week_available());
  EXPECT_TRUE(sent_hours.count(hours)) << hours;
  v1::Participant expected = original;
  expected.set_hours_per_week_available(now.hours_per_week_available());
  expected.clear_updated_at();
  now.clear_updated_at();
  EXPECT_EQ(now.SerializeAsString(), expected.SerializeAsString())
      << "the stored record is not one of the versions sent";
  // A write acknowledged now is what a read returns next.
  v1::UpsertParticipantRequest last;
  *last.mutable_participant() = original;
  last.mutable_participant()->set_hours_per_week_available(42);
  v1::Participant stored;
  ASSERT_TRUE(
      registry->UpsertParticipant(CallAs(kCoachToken).get(), last, &stored)
          .ok());
  ASSERT_TRUE(
      registry->GetParticipant(CallAs(kCoachToken).get(), get, &now).ok());
  EXPECT_EQ(now.hours_per_week_available(), 42);
}

TEST_F(AccessMatrixTest, ACancelledStreamEndsOnTheServer) {
  // An export cancelled after its first chunk, then a health check and a
  // full export: the server is unaffected.
  auto admin = v1::AdminService::NewStub(server_->channel());
  v1::ExportRequest request;
  request.set_kind(v1::DATA_KIND_PARTICIPANTS);
  for (int i = 0; i < 5; ++i) {
    std::unique_ptr<grpc::ClientContext> context = CallAs(kAdminToken);
    auto reader = admin->ExportData(context.get(), request);
    v1::ExportChunk chunk;
    EXPECT_TRUE(reader->Read(&chunk));
    context->TryCancel();
    const grpc::Status status = reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED);
  }
  EXPECT_EQ(server_->Health(), RunningServer::HealthResponse::SERVING);
  std::unique_ptr<grpc::ClientContext> context = CallAs(kAdminToken);
  auto reader = admin->ExportData(context.get(), request);
  v1::ExportChunk chunk;
  std::string all;
  while (reader->Read(&chunk)) all += chunk.content();
  EXPECT_TRUE(reader->Finish().ok());
  EXPECT_THAT(all, HasSubstr("P0000500"));
}

}  // namespace
}  // namespace placement::service
