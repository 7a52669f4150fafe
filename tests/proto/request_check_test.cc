#include "proto/request_check.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "placement/v1/coach_service.pb.h"
#include "placement/v1/registry_service.pb.h"

namespace placement {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A length-delimited field: tag, length, bytes.
std::string Delimited(int number, const std::string& bytes) {
  std::string out;
  out.push_back(static_cast<char>(number << 3 | 2));
  out.push_back(static_cast<char>(bytes.size()));
  return out + bytes;
}

TEST(QuoteValueTest, ShortValuesWholeLongOnesByPrefixAndLength) {
  EXPECT_EQ(QuoteValue(""), "''");
  EXPECT_EQ(QuoteValue("P0000001"), "'P0000001'");
  const std::string exactly(kMaxQuotedBytes, 'a');
  EXPECT_EQ(QuoteValue(exactly), "'" + exactly + "'");
  EXPECT_EQ(QuoteValue(std::string(1000000, 'a')),
            "'" + std::string(kMaxQuotedBytes, 'a') + "…' (1000000 bytes)");
  // Never cut inside a character: 'å' is two bytes.
  std::string text = "x";
  for (int i = 0; i < 50; ++i) text += "å";
  const std::string quoted = QuoteValue(text);
  EXPECT_TRUE(IsValidUtf8(quoted)) << quoted;
  EXPECT_THAT(quoted, HasSubstr("(101 bytes)"));
}

TEST(LimitMessageTest, CutsAtOneKibibyteWithTheLength) {
  EXPECT_EQ(LimitMessage("short"), "short");
  const std::string whole(kMaxStatusMessageBytes, 'm');
  EXPECT_EQ(LimitMessage(whole), whole);
  std::string long_text;
  for (int i = 0; i < 2000; ++i) long_text += "ö";
  const std::string limited = LimitMessage(long_text);
  EXPECT_LE(limited.size(), kMaxStatusMessageBytes);
  EXPECT_TRUE(IsValidUtf8(limited));
  EXPECT_THAT(limited, HasSubstr("(4000 bytes)"));
}

TEST(IsValidUtf8Test, RefusesOverlongSurrogatesAndTruncation) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Hällefors €𝄞"));
  size_t bad = 99;
  EXPECT_FALSE(IsValidUtf8("ab\xff", &bad));
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
}

TEST(WireFormatProblemTest, ValidBytesHaveNoProblem) {
  v1::UpsertParticipantRequest request;
  request.mutable_participant()->set_id("P0000001");
  request.mutable_participant()->add_wanted_fields("office_admin");
  EXPECT_TRUE(WireFormatProblem(request.SerializeAsString(),
                                *v1::UpsertParticipantRequest::descriptor())
                  .ok());
  EXPECT_TRUE(
      WireFormatProblem("", *v1::UpsertParticipantRequest::descriptor()).ok());
}

TEST(WireFormatProblemTest, InvalidUtf8IsNamedByItsPath) {
  const std::string bytes = Delimited(1, Delimited(1, "P\xff"));
  v1::UpsertParticipantRequest parsed;
  ASSERT_FALSE(parsed.ParseFromString(bytes));
  const absl::Status status =
      WireFormatProblem(bytes, *v1::UpsertParticipantRequest::descriptor());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("participant.id: not valid UTF-8"));
}

TEST(WireFormatProblemTest, TruncationIsNamedWhereItHappens) {
  v1::UpsertParticipantRequest request;
  request.mutable_participant()->set_id("P0000001");
  request.mutable_participant()->set_coach_id("C0136-01");
  const std::string bytes = request.SerializeAsString();
  const absl::Status status =
      WireFormatProblem(bytes.substr(0, bytes.size() - 3),
                        *v1::UpsertParticipantRequest::descriptor());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("participant: truncated"));
  // Cut inside the inner field, with the outer length rewritten to fit.
  std::string inner = request.participant().SerializeAsString();
  inner = inner.substr(0, inner.size() - 3);
  const absl::Status inner_status = WireFormatProblem(
      Delimited(1, inner), *v1::UpsertParticipantRequest::descriptor());
  EXPECT_THAT(std::string(inner_status.message()),
              StartsWith("participant.coach_id: truncated"));
}

TEST(WireFormatProblemTest, WrongWireTypeIsNamed) {
  // participant_id (field 1, a string) sent as a varint.
  const absl::Status status = WireFormatProblem(
      std::string("\x08\x01", 2), *v1::GetParticipantRequest::descriptor());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("participant_id: wire type varint where a string"));
  // The parser itself keeps such a field as unknown.
  v1::GetParticipantRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(std::string("\x08\x01", 2)));
  EXPECT_TRUE(HasUnknownFields(parsed));
  EXPECT_FALSE(HasUnknownFields(v1::GetParticipantRequest()));
  // A repeated field names its item.
  v1::SuggestOpeningsRequest suggest;
  suggest.mutable_filters()->add_municipality_codes("0136");
  std::string filters = suggest.filters().SerializeAsString();
  filters += std::string("\x15\x01\x02\x03\x04", 5);  // field 2 as fixed32
  EXPECT_THAT(
      std::string(WireFormatProblem(Delimited(3, filters),
                                    *v1::SuggestOpeningsRequest::descriptor())
                      .message()),
      HasSubstr("filters.municipality_codes[1]: wire type 32-bit"));
}

TEST(WireFormatProblemTest, GarbageIsARequestProblem) {
  const absl::Status status =
      WireFormatProblem("\xff", *v1::SuggestOpeningsRequest::descriptor());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("request: not a valid"));
  // Unknown fields are skipped, as the parser skips them.
  EXPECT_TRUE(WireFormatProblem(Delimited(15, "x"),
                                *v1::SuggestOpeningsRequest::descriptor())
                  .ok());
}

TEST(CheckRequestFieldsTest, RequiredIdsAreNamedByPath) {
  v1::ExplainMatchRequest explain;
  EXPECT_EQ(CheckRequestFields(explain).message(), "participant_id: required");
  explain.set_participant_id("P0000001");
  EXPECT_EQ(CheckRequestFields(explain).message(), "opening_id: required");
  explain.set_opening_id("O000001");
  EXPECT_TRUE(CheckRequestFields(explain).ok());

  v1::UpsertParticipantRequest upsert;
  EXPECT_EQ(CheckRequestFields(upsert).message(), "participant: required");
  upsert.mutable_participant()->set_birth_year(1990);
  EXPECT_EQ(CheckRequestFields(upsert).message(), "participant.id: required");
}

TEST(CheckRequestFieldsTest, AnIdThatIsSetMustBeAnId) {
  v1::ListProposalsRequest list;  // no required field
  EXPECT_TRUE(CheckRequestFields(list).ok());
  list.set_run_id("R 1");
  EXPECT_THAT(std::string(CheckRequestFields(list).message()),
              StartsWith("run_id: 'R 1'"));
  list.set_run_id(std::string(1000000, 'R'));
  const absl::Status huge = CheckRequestFields(list);
  EXPECT_THAT(std::string(huge.message()), StartsWith("run_id: 'RRR"));
  EXPECT_THAT(std::string(huge.message()), HasSubstr("(1000000 bytes)"));
  EXPECT_LE(huge.message().size(), 200u);
  // A personal identity number is refused without being echoed.
  list.set_run_id("19900101-1234");
  EXPECT_THAT(std::string(CheckRequestFields(list).message()),
              ::testing::Not(HasSubstr("1234")));
}

}  // namespace
}  // namespace placement
