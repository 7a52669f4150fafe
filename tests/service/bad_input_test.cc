// Bad input against a real server, refused to the last byte: every required
// id of every RPC left empty is INVALID_ARGUMENT naming the field by its
// proto path (one row per RPC and field); a malformed or 1 MB id is named
// with a short quote and a message of at most 1 KiB; bytes that are not the
// request (truncated, a wrong wire type, invalid UTF-8) are INVALID_ARGUMENT
// naming the field, for every unary RPC; and the contract's coach_id rules
// of ListParticipants and UpsertParticipant.

#include <cstdlib>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
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
using ::testing::StartsWith;

constexpr size_t kMaxMessageBytes = 1024;

const google::protobuf::MethodDescriptor& Method(const std::string& name) {
  const size_t dot = name.find('.');
  for (const google::protobuf::ServiceDescriptor* service :
       ::placement::testing::kApiServices) {
    if (service->name() != name.substr(0, dot)) continue;
    const google::protobuf::MethodDescriptor* method =
        service->FindMethodByName(name.substr(dot + 1));
    if (method != nullptr) return *method;
  }
  ADD_FAILURE() << name << " is not an RPC";
  std::abort();
}

// One unary call with the request as raw bytes (grpc::GenericStub), so
// that a test can send bytes no client library would.
grpc::Status CallRaw(const std::shared_ptr<grpc::Channel>& channel,
                     const google::protobuf::MethodDescriptor& method,
                     const std::string& bytes, const std::string& token) {
  grpc::GenericStub stub(channel);
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::unique_ptr<grpc::ClientContext> context = CallAs(token);
  std::promise<grpc::Status> done;
  stub.UnaryCall(
      context.get(),
      absl::StrCat("/", method.service()->full_name(), "/", method.name()),
      grpc::StubOptions(), &request, &response,
      [&done](grpc::Status status) { done.set_value(status); });
  return done.get_future().get();
}

// The request of `method` from text format.
std::string RequestBytes(const google::protobuf::MethodDescriptor& method,
                         const std::string& text) {
  std::unique_ptr<google::protobuf::Message> request(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(method.input_type())
          ->New());
  EXPECT_TRUE(
      google::protobuf::TextFormat::ParseFromString(text, request.get()))
      << method.full_name() << ": " << text;
  return request->SerializeAsString();
}

class BadInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir();
    server_ = new RunningServer(*scratch_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete scratch_;
  }
  static ScratchDir* scratch_;
  static RunningServer* server_;
};
ScratchDir* BadInputTest::scratch_ = nullptr;
RunningServer* BadInputTest::server_ = nullptr;

struct Row {
  const char* rpc;      // Service.Method
  const char* token;    // a role the call allows
  const char* request;  // text format; every other required field set
  const char* field;    // the proto path the answer must name
};

// One row per RPC and required id. P0000012 is the coach's own participant
// and O000001 an opening of the demo data, so no other rule answers first.
const Row kEmptyRequiredIds[] = {
    {"CoachService.SuggestOpenings", kCoachToken, "", "participant_id"},
    {"CoachService.ExplainMatch", kCoachToken, "opening_id: 'O000001'",
     "participant_id"},
    {"CoachService.ExplainMatch", kCoachToken, "participant_id: 'P0000012'",
     "opening_id"},
    {"CoachService.DecideProposal", kCoachToken, "decision: DECISION_ACCEPT",
     "proposal_id"},
    {"ParticipantRegistry.UpsertParticipant", kCoachToken, "", "participant"},
    {"ParticipantRegistry.UpsertParticipant", kCoachToken,
     "participant { birth_year: 1990 }", "participant.id"},
    {"ParticipantRegistry.UpdateParticipant", kCoachToken,
     "participant { step: 2 } update_mask { paths: 'step' }", "participant.id"},
    {"ParticipantRegistry.GetParticipant", kCoachToken, "", "participant_id"},
    {"ParticipantRegistry.GetParticipant", kAdminToken, "", "participant_id"},
    {"ParticipantRegistry.EraseParticipant", kAdminToken, "", "participant_id"},
    {"EmployerService.UpdateOpening", kEmployerToken,
     "opening { capacity: 2 } update_mask { paths: 'capacity' }", "opening.id"},
    {"EmployerService.PauseOpening", kEmployerToken, "", "opening_id"},
    {"EmployerService.ReopenOpening", kEmployerToken, "", "opening_id"},
    {"EmployerService.CloseOpening", kAdminToken, "", "opening_id"},
    {"EmployerService.GetOpening", kCoachToken, "", "opening_id"},
    {"EmployerService.GetOpening", kEmployerToken, "", "opening_id"},
    {"EmployerService.SuggestCandidates", kEmployerToken, "", "opening_id"},
    {"PlacementService.HoldPlace", kCoachToken, "opening_id: 'O000001'",
     "participant_id"},
    {"PlacementService.HoldPlace", kCoachToken, "participant_id: 'P0000012'",
     "opening_id"},
    {"PlacementService.ReleaseHold", kCoachToken, "", "hold_id"},
    {"PlacementService.StartPlacement", kCoachToken, "opening_id: 'O000001'",
     "participant_id"},
    {"PlacementService.EndPlacement", kCoachToken, "", "placement_id"},
    {"PlacementService.GetTimeline", kCoachToken, "", "participant_id"},
    {"PlacementService.GetOpeningPlacementCounts", kEmployerToken, "",
     "opening_id"},
    {"PlacementService.RecordExitFollowUp", kCoachToken, "", "participant_id"},
    {"RematchService.CancelRun", kOperatorToken, "", "run_id"},
    {"RematchService.GetRunReport", kOperatorToken, "", "run_id"},
    {"RematchService.ListRunProposals", kAdminToken, "", "run_id"},
};

TEST_F(BadInputTest, AnEmptyRequiredIdIsInvalidArgumentNamingTheField) {
  for (const Row& row : kEmptyRequiredIds) {
    const grpc::Status status =
        CallRaw(server_->channel(), Method(row.rpc),
                RequestBytes(Method(row.rpc), row.request), row.token);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << row.rpc << " " << row.field << ": " << status.error_message();
    EXPECT_EQ(status.error_message(), absl::StrCat(row.field, ": required"))
        << row.rpc;
  }
}

// Ids that are set but are not ids, in the calls where they are optional.
const Row kMalformedIds[] = {
    {"CoachService.ListProposals", kCoachToken, "run_id: 'R 1'", "run_id"},
    {"CoachService.ListProposals", kCoachToken, "participant_id: 'P/1'",
     "participant_id"},
    {"PlacementService.ListHolds", kCoachToken, "participant_id: 'P 1'",
     "participant_id"},
    {"PlacementService.StartPlacement", kCoachToken,
     "participant_id: 'P0000012' hold_id: 'H;1'", "hold_id"},
    {"AuditService.ListAccessLog", kAuditorToken, "participant_id: 'x y'",
     "participant_id"},
    {"ParticipantRegistry.ListParticipants", kAdminToken, "coach_id: 'C 1'",
     "coach_id"},
    {"EmployerService.ListOpenings", kEmployerToken, "organisation_id: 'ORG 1'",
     "organisation_id"},
};

TEST_F(BadInputTest, AMalformedIdIsInvalidArgumentNamingTheField) {
  for (const Row& row : kMalformedIds) {
    const grpc::Status status =
        CallRaw(server_->channel(), Method(row.rpc),
                RequestBytes(Method(row.rpc), row.request), row.token);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << row.rpc << " " << row.field << ": " << status.error_message();
    EXPECT_THAT(status.error_message(),
                StartsWith(absl::StrCat(row.field, ": '")))
        << row.rpc;
  }
}

TEST_F(BadInputTest, AOneMegabyteIdIsNamedInAShortMessage) {
  const std::string huge(1 << 20, 'P');
  struct Case {
    const char* rpc;
    const char* token;
    std::string request;
    const char* field;
  };
  const Case kCases[] = {
      {"ParticipantRegistry.GetParticipant", kCoachToken,
       absl::StrCat("participant_id: '", huge, "'"), "participant_id"},
      {"ParticipantRegistry.UpsertParticipant", kCoachToken,
       absl::StrCat("participant { id: '", huge, "' }"), "participant.id"},
      {"EmployerService.GetOpening", kEmployerToken,
       absl::StrCat("opening_id: '", huge, "'"), "opening_id"},
      {"CoachService.ListProposals", kCoachToken,
       absl::StrCat("run_id: '", huge, "'"), "run_id"},
  };
  for (const Case& c : kCases) {
    const grpc::Status status =
        CallRaw(server_->channel(), Method(c.rpc),
                RequestBytes(Method(c.rpc), c.request), c.token);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.rpc << ": " << status.error_message().substr(0, 200);
    EXPECT_THAT(status.error_message(), StartsWith(absl::StrCat(c.field, ": ")))
        << c.rpc;
    EXPECT_THAT(status.error_message(), HasSubstr("(1048576 bytes)")) << c.rpc;
    EXPECT_LE(status.error_message().size(), kMaxMessageBytes) << c.rpc;
  }
}

TEST_F(BadInputTest, AFullParticipantWithHugeTextsStaysUnderOneKibibyte) {
  // Many bad fields at once: the message lists them, cut at 1 KiB.
  v1::UpsertParticipantRequest request;
  v1::Participant& participant = *request.mutable_participant();
  participant.set_id("P0000012");
  for (int i = 0; i < 200; ++i) {
    participant.add_wanted_fields(std::string(5000, 'w') + std::to_string(i));
  }
  const grpc::Status status = CallRaw(
      server_->channel(), Method("ParticipantRegistry.UpsertParticipant"),
      request.SerializeAsString(), kCoachToken);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message().substr(0, 200);
  EXPECT_THAT(status.error_message(), StartsWith("participant."));
  EXPECT_LE(status.error_message().size(), kMaxMessageBytes);
}

// Bytes that are not the request.
std::string Delimited(int number, const std::string& bytes) {
  std::string out;
  out.push_back(static_cast<char>(number << 3 | 2));
  out.push_back(static_cast<char>(bytes.size()));
  return out + bytes;
}

TEST_F(BadInputTest, InvalidUtf8IsInvalidArgumentNamingTheField) {
  const grpc::Status status = CallRaw(
      server_->channel(), Method("ParticipantRegistry.UpsertParticipant"),
      Delimited(1, Delimited(1, "P00\xff\xfe")), kCoachToken);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              StartsWith("participant.id: not valid UTF-8"));

  const grpc::Status in_list = CallRaw(
      server_->channel(), Method("CoachService.SuggestOpenings"),
      absl::StrCat(Delimited(1, "P0000012"),
                   Delimited(3, absl::StrCat(Delimited(2, "0136"),
                                             Delimited(2, "\xc0\xaf")))),
      kCoachToken);
  EXPECT_EQ(in_list.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(in_list.error_message(),
              StartsWith("filters.municipality_codes[1]: not valid UTF-8"));
}

TEST_F(BadInputTest, TruncatedProtobufIsInvalidArgumentNamingTheField) {
  v1::UpsertParticipantRequest request;
  request.mutable_participant()->set_id("P0000012");
  request.mutable_participant()->set_coach_id(kCoachPrincipal);
  const std::string bytes = request.SerializeAsString();
  const grpc::Status status = CallRaw(
      server_->channel(), Method("ParticipantRegistry.UpsertParticipant"),
      bytes.substr(0, bytes.size() - 4), kCoachToken);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("participant: truncated"));
}

TEST_F(BadInputTest, WrongWireTypeIsInvalidArgumentNamingTheField) {
  // participant_id (1, a string) as a varint; k (2, a uint32) as a string.
  grpc::Status status =
      CallRaw(server_->channel(), Method("ParticipantRegistry.GetParticipant"),
              std::string("\x08\x01", 2), kCoachToken);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              StartsWith("participant_id: wire type varint"));
  status = CallRaw(server_->channel(), Method("CoachService.SuggestOpenings"),
                   absl::StrCat(Delimited(1, "P0000012"), Delimited(2, "ten")),
                   kCoachToken);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              StartsWith("k: wire type length-delimited"));
}

TEST_F(BadInputTest, EveryUnaryCallAnswersBadBytesWithInvalidArgument) {
  int calls = 0;
  for (const google::protobuf::ServiceDescriptor* service :
       ::placement::testing::kApiServices) {
    ASSERT_NE(service, nullptr);
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor& method = *service->method(m);
      if (method.server_streaming() || method.client_streaming()) continue;
      ++calls;
      // A tag cut short: no request type parses it.
      const grpc::Status status =
          CallRaw(server_->channel(), method, "\xff", kAdminToken);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << method.full_name() << ": " << status.error_code() << " "
          << status.error_message();
      EXPECT_THAT(status.error_message(),
                  StartsWith(absl::StrCat("request: not a valid ",
                                          method.input_type()->name())))
          << method.full_name();
    }
  }
  EXPECT_GT(calls, 40);
  // The server still serves.
  EXPECT_EQ(server_->Health(), RunningServer::HealthResponse::SERVING);
}

TEST_F(BadInputTest, AnExportWithBadBytesEndsWithInvalidArgument) {
  // A server-streaming call of the callback API parses its own request too.
  grpc::GenericStub stub(server_->channel());
  std::unique_ptr<grpc::ClientContext> context = CallAs(kAdminToken);
  grpc::CompletionQueue queue;
  grpc::Slice slice(std::string("\x08", 1));
  grpc::ByteBuffer request(&slice, 1);
  auto call = stub.PrepareCall(context.get(),
                               "/placement.v1.AdminService/ExportData", &queue);
  void* tag = nullptr;
  bool ok = false;
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(queue.Next(&tag, &ok));
  call->Write(request, grpc::WriteOptions().set_last_message(),
              reinterpret_cast<void*>(2));
  ASSERT_TRUE(queue.Next(&tag, &ok));
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(3));
  while (queue.Next(&tag, &ok)) {
    if (tag == reinterpret_cast<void*>(3)) break;
  }
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_THAT(status.error_message(), StartsWith("kind: truncated"));
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
}

TEST_F(BadInputTest, ACoachNamingAnotherCoachsCaseloadIsDenied) {
  auto registry = v1::ParticipantRegistry::NewStub(server_->channel());
  v1::ListParticipantsRequest request;
  request.set_coach_id("C1280-04");
  v1::ListParticipantsResponse response;
  grpc::Status status =
      registry->ListParticipants(CallAs(kCoachToken).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << status.error_message();
  EXPECT_THAT(status.error_message(), StartsWith("coach_id: 'C1280-04'"));
  // Their own id, or none, is their caseload.
  for (const std::string& coach :
       {std::string(kCoachPrincipal), std::string()}) {
    request.set_coach_id(coach);
    response.Clear();
    status = registry->ListParticipants(CallAs(kCoachToken).get(), request,
                                        &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_GT(response.participants_size(), 0);
    for (const v1::Participant& p : response.participants()) {
      EXPECT_EQ(p.coach_id(), kCoachPrincipal);
    }
  }
  // An admin may name any coach.
  request.set_coach_id("C1280-04");
  status =
      registry->ListParticipants(CallAs(kAdminToken).get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(BadInputTest, AnUpsertWithoutCoachIdFillsInTheCallingCoach) {
  auto registry = v1::ParticipantRegistry::NewStub(server_->channel());
  v1::GetParticipantRequest get;
  get.set_participant_id("P0000012");
  v1::Participant stored;
  ASSERT_TRUE(
      registry->GetParticipant(CallAs(kCoachToken).get(), get, &stored).ok());
  v1::UpsertParticipantRequest upsert;
  *upsert.mutable_participant() = stored;
  upsert.mutable_participant()->clear_coach_id();
  upsert.mutable_participant()->set_id("P0009901");
  v1::Participant created;
  const grpc::Status status =
      registry->UpsertParticipant(CallAs(kCoachToken).get(), upsert, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.coach_id(), kCoachPrincipal);
  get.set_participant_id("P0009901");
  v1::Participant read;
  ASSERT_TRUE(
      registry->GetParticipant(CallAs(kCoachToken).get(), get, &read).ok());
  EXPECT_EQ(read.coach_id(), kCoachPrincipal);
}

}  // namespace
}  // namespace placement::service
