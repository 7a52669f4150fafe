// The gateway's JSON <-> protobuf mapping and its gRPC status -> Connect
// error mapping (web/connect.h).

#include "web/connect.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "placement/v1/coach_service.pb.h"
#include "placement/v1/rematch_service.pb.h"

namespace placement::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(JsonToMessageTest, ReadsLowerCamelCaseNamesAndEnumNames) {
  v1::SuggestOpeningsRequest request;
  ASSERT_TRUE(JsonToMessage(R"({"participantId": "P0000012", "k": 5,
      "filters": {"kinds": ["OPENING_KIND_WORK_TRAINING"],
                  "municipalityCodes": ["0136"], "maxTravelMinutes": 45},
      "language": "LANGUAGE_SV"})",
                            request)
                  .ok());
  EXPECT_EQ(request.participant_id(), "P0000012");
  EXPECT_EQ(request.k(), 5u);
  ASSERT_EQ(request.filters().kinds_size(), 1);
  EXPECT_EQ(request.filters().kinds(0), v1::OPENING_KIND_WORK_TRAINING);
  EXPECT_EQ(request.filters().municipality_codes(0), "0136");
  EXPECT_EQ(request.filters().max_travel_minutes(), 45u);
  EXPECT_EQ(request.language(), v1::LANGUAGE_SV);
}

TEST(JsonToMessageTest, AnEmptyBodyIsTheEmptyMessage) {
  v1::SuggestOpeningsRequest request;
  request.set_k(3);
  ASSERT_TRUE(JsonToMessage("", request).ok());
  EXPECT_EQ(request.ByteSizeLong(), 0u);
  ASSERT_TRUE(JsonToMessage("  \n", request).ok());
  ASSERT_TRUE(JsonToMessage("{}", request).ok());
  EXPECT_EQ(request.ByteSizeLong(), 0u);
}

TEST(JsonToMessageTest, AnUnknownFieldIsRefusedByName) {
  v1::SuggestOpeningsRequest request;
  absl::Status status =
      JsonToMessage(R"({"participantId": "P1", "kk": 5})", request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("unknown field \"kk\""));
  EXPECT_THAT(status.message(),
              HasSubstr("placement.v1.SuggestOpeningsRequest"));

  status = JsonToMessage(R"({"filters": {"maxTravel": 5}})", request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("unknown field \"filters.maxTravel\""));
  EXPECT_EQ(request.ByteSizeLong(), 0u) << "nothing half-parsed is left";
}

TEST(JsonToMessageTest, AWrongEnumNameOrValueTypeIsRefusedNamingTheField) {
  v1::SuggestOpeningsRequest request;
  absl::Status status =
      JsonToMessage(R"({"language": "LANGUAGE_KLINGON"})", request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("language"));

  status = JsonToMessage(R"({"participantId": 12})", request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("participant_id"));

  status = JsonToMessage(R"({"k": -1})", request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("k"));
}

TEST(JsonToMessageTest, BadJsonIsRefusedOnOneLine) {
  v1::SuggestOpeningsRequest request;
  for (const std::string bad :
       {"{", "{\"k\": }", "[1, 2]", "not json", "{\"k\" 1}"}) {
    const absl::Status status = JsonToMessage(bad, request);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(status.message(),
                HasSubstr("placement.v1.SuggestOpeningsRequest"))
        << bad;
    EXPECT_THAT(status.message(), Not(HasSubstr("\n"))) << bad;
  }
}

TEST(MessageToJsonTest, WritesLowerCamelCaseEnumNamesAndDefaults) {
  v1::RunProgress progress;
  progress.set_phase(v1::RUN_PHASE_ASSIGNMENT);
  progress.set_state(v1::RUN_STATE_RUNNING);
  progress.mutable_elapsed()->set_seconds(2);
  const std::string json = MessageToJson(progress);
  EXPECT_THAT(json, HasSubstr("\"phase\":\"RUN_PHASE_ASSIGNMENT\""));
  EXPECT_THAT(json, HasSubstr("\"state\":\"RUN_STATE_RUNNING\""));
  EXPECT_THAT(json, HasSubstr("\"elapsed\":\"2s\""));
  // A default value is printed, not left out.
  EXPECT_THAT(json, HasSubstr("\"percent\":0"));

  v1::SuggestOpeningsResponse response;
  response.set_snapshot_version(7);
  response.set_profile_name("default");
  const std::string printed = MessageToJson(response);
  EXPECT_THAT(printed, HasSubstr("\"snapshotVersion\":\"7\""));
  EXPECT_THAT(printed, HasSubstr("\"profileName\":\"default\""));
  EXPECT_THAT(printed, HasSubstr("\"suggestions\":[]"));
  EXPECT_THAT(printed, Not(HasSubstr("snapshot_version")));
}

TEST(MessageToJsonTest, RoundTripsThroughJsonToMessage) {
  v1::SuggestOpeningsRequest request;
  request.set_participant_id("P0000012");
  request.set_k(7);
  request.mutable_filters()->add_kinds(v1::OPENING_KIND_SOCIAL_ENTERPRISE);
  request.mutable_filters()->set_include_full_openings(true);
  v1::SuggestOpeningsRequest back;
  ASSERT_TRUE(JsonToMessage(MessageToJson(request), back).ok());
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(request, back));
}

struct Mapping {
  grpc::StatusCode code;
  const char* connect_code;
  int http_status;
};

// The Connect protocol's table, with failed_precondition at 412 as
// web-contract.md fixes it.
const Mapping kMappings[] = {
    {grpc::StatusCode::CANCELLED, "canceled", 499},
    {grpc::StatusCode::UNKNOWN, "unknown", 500},
    {grpc::StatusCode::INVALID_ARGUMENT, "invalid_argument", 400},
    {grpc::StatusCode::DEADLINE_EXCEEDED, "deadline_exceeded", 504},
    {grpc::StatusCode::NOT_FOUND, "not_found", 404},
    {grpc::StatusCode::ALREADY_EXISTS, "already_exists", 409},
    {grpc::StatusCode::PERMISSION_DENIED, "permission_denied", 403},
    {grpc::StatusCode::RESOURCE_EXHAUSTED, "resource_exhausted", 429},
    {grpc::StatusCode::FAILED_PRECONDITION, "failed_precondition", 412},
    {grpc::StatusCode::ABORTED, "aborted", 409},
    {grpc::StatusCode::OUT_OF_RANGE, "out_of_range", 400},
    {grpc::StatusCode::UNIMPLEMENTED, "unimplemented", 501},
    {grpc::StatusCode::INTERNAL, "internal", 500},
    {grpc::StatusCode::UNAVAILABLE, "unavailable", 503},
    {grpc::StatusCode::DATA_LOSS, "data_loss", 500},
    {grpc::StatusCode::UNAUTHENTICATED, "unauthenticated", 401},
};

TEST(ConnectErrorTest, EveryGrpcCodeHasItsConnectCodeAndHttpStatus) {
  // Every code from CANCELLED (1) to UNAUTHENTICATED (16) is in the table.
  ASSERT_EQ(std::size(kMappings), 16u);
  for (const Mapping& m : kMappings) {
    EXPECT_EQ(ConnectCode(m.code), m.connect_code) << m.code;
    EXPECT_EQ(ConnectHttpStatus(m.code), m.http_status) << m.code;
  }
  EXPECT_EQ(ConnectCode(grpc::StatusCode::OK), "");
  EXPECT_EQ(ConnectHttpStatus(grpc::StatusCode::OK), 200);
  EXPECT_EQ(ConnectCode(static_cast<grpc::StatusCode>(20)), "unknown");
  EXPECT_EQ(ConnectHttpStatus(static_cast<grpc::StatusCode>(20)), 500);
}

TEST(ConnectErrorTest, TheBodyIsConnectErrorJsonWithTheMessageAsText) {
  for (const Mapping& m : kMappings) {
    const ConnectError error = ConnectErrorOf(
        grpc::Status(m.code, "opening 'O1' <b>\"x\"</b>\n & more"));
    EXPECT_EQ(error.http_status, m.http_status);
    google::protobuf::Struct body;
    ASSERT_TRUE(JsonToMessage(error.body, body).ok()) << error.body;
    EXPECT_EQ(body.fields().at("code").string_value(), m.connect_code);
    EXPECT_EQ(body.fields().at("message").string_value(),
              "opening 'O1' <b>\"x\"</b>\n & more");
    EXPECT_EQ(body.fields().size(), 2u);
    // No markup characters reach the wire as such.
    EXPECT_THAT(error.body, Not(HasSubstr("<")));
  }
  const ConnectError from_absl =
      ConnectErrorOf(absl::NotFoundError("no such run"));
  EXPECT_EQ(from_absl.http_status, 404);
  EXPECT_EQ(from_absl.body, R"({"code":"not_found","message":"no such run"})");
}

TEST(JsonQuoteTest, EscapesQuotesBackslashesControlsAndMarkup) {
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(JsonQuote(std::string("\x01\n", 2)), R"("\u0001\n")");
  EXPECT_EQ(JsonQuote("<img src=x>&"), R"("\u003cimg src=x\u003e\u0026")");
  EXPECT_EQ(JsonQuote("Ålö"), "\"Ålö\"");
}

// Found by fuzz/gateway_fuzzer: protobuf's JSON errors quote the request,
// so a body with a byte that is not UTF-8 came back in an error body that
// was not valid JSON. Every such byte is U+FFFD; well-formed UTF-8 of every
// length passes through.
TEST(JsonQuoteTest, InvalidUtf8BecomesTheReplacementCharacter) {
  EXPECT_EQ(JsonQuote("1\x8b"
                      "90"),
            R"("1\ufffd90")");
  EXPECT_EQ(JsonQuote("\xC3"), R"("\ufffd")");            // cut short
  EXPECT_EQ(JsonQuote("\xC0\xAF"), R"("\ufffd\ufffd")");  // overlong '/'
  EXPECT_EQ(JsonQuote("\xED\xA0\x80"), R"("\ufffd\ufffd\ufffd")");  // surrogate
  EXPECT_EQ(JsonQuote("\xF4\x90\x80\x80"),  // above U+10FFFF
            R"("\ufffd\ufffd\ufffd\ufffd")");
  EXPECT_EQ(JsonQuote("é€😀"), "\"é€😀\"");
  const ConnectError error =
      ConnectErrorOf(absl::InvalidArgumentError("municipality_code: '1\x8b"
                                                "90'"));
  EXPECT_EQ(error.body.find('\x8b'), std::string::npos) << error.body;
}

}  // namespace
}  // namespace placement::web
