#include "logging/log.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace placement::logging {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const absl::Time kAt = absl::FromUnixMillis(1796149800123);  // 2026-12-01

TEST(LogTest, LineIsTimestampLevelEventThenFields) {
  const Field fields[] = {{"port", 50051},
                          {"db", "var/placement.db"},
                          {"dry_run", false},
                          {"grace", absl::Seconds(2)}};
  EXPECT_EQ(FormatLine(kAt, Level::kInfo, "server.start", fields),
            "2026-12-01T18:30:00.123Z level=info event=server.start "
            "port=50051 db=var/placement.db dry_run=false grace=2s");
}

TEST(LogTest, LevelsHaveShortNames) {
  EXPECT_THAT(FormatLine(kAt, Level::kWarning, "x", {}),
              HasSubstr(" level=warn "));
  EXPECT_THAT(FormatLine(kAt, Level::kError, "x", {}),
              HasSubstr(" level=error "));
}

TEST(LogTest, TimestampIsUtcWithPaddedMilliseconds) {
  EXPECT_THAT(FormatLine(absl::FromUnixSeconds(0), Level::kInfo, "x", {}),
              StartsWith("1970-01-01T00:00:00.000Z "));
}

TEST(LogTest, ValuesWithSpacesQuotesOrControlBytesAreQuotedAndEscaped) {
  const Field fields[] = {{"error", "disk is \"full\"\nretry"},
                          {"empty", ""},
                          {"eq", "a=b"},
                          {"path", "C:\\x"},
                          {"bell", "\a"},
                          {"name", "Hällefors"}};
  EXPECT_THAT(FormatLine(kAt, Level::kError, "store.commit_failed", fields),
              EndsWith(" error=\"disk is \\\"full\\\"\\nretry\" empty=\"\" "
                       "eq=\"a=b\" path=\"C:\\\\x\" bell=\"\\x07\" "
                       "name=\"Hällefors\""));
}

TEST(LogTest, LongValuesAreCutAndSayTheirLength) {
  const std::string long_value(2000, 'x');
  const Field fields[] = {{"error", long_value}};
  const std::string line = FormatLine(kAt, Level::kError, "x", fields);
  EXPECT_THAT(line,
              EndsWith(std::string(kMaxValueBytes, 'x') + "...(2000 bytes)\""));
  EXPECT_LT(line.size(), kMaxValueBytes + 100);
}

}  // namespace
}  // namespace placement::logging
