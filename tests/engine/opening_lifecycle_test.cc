#include "engine/opening_lifecycle.h"

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace placement {
namespace {

using S = OpeningStatus;
using A = OpeningAction;

constexpr absl::string_view kSubject = "opening_id: 'O000012'";

struct Transition {
  S from;
  A action;
  std::optional<S> to;  // nullopt: refused with `message`
  std::string message;
};

// Every (status, action) pair, the table of opening_lifecycle.h.
const Transition kTable[] = {
    {S::kDraft, A::kPause, std::nullopt,
     "opening_id: 'O000012' is DRAFT; only an OPEN opening can be paused"},
    {S::kDraft, A::kReopen, S::kOpen, ""},
    {S::kDraft, A::kClose, S::kClosed, ""},
    {S::kDraft, A::kEdit, S::kDraft, ""},

    {S::kOpen, A::kPause, S::kPaused, ""},
    {S::kOpen, A::kReopen, S::kOpen, ""},
    {S::kOpen, A::kClose, S::kClosed, ""},
    {S::kOpen, A::kEdit, S::kOpen, ""},

    {S::kPaused, A::kPause, S::kPaused, ""},
    {S::kPaused, A::kReopen, S::kOpen, ""},
    {S::kPaused, A::kClose, S::kClosed, ""},
    {S::kPaused, A::kEdit, S::kPaused, ""},

    {S::kClosed, A::kPause, std::nullopt,
     "opening_id: 'O000012' is CLOSED; only an OPEN opening can be paused"},
    {S::kClosed, A::kReopen, std::nullopt,
     "opening_id: 'O000012' is CLOSED; closing is final"},
    {S::kClosed, A::kClose, S::kClosed, ""},
    {S::kClosed, A::kEdit, std::nullopt,
     "opening_id: 'O000012' is CLOSED; closing is final"},
};

TEST(OpeningLifecycleTest, EveryStatusAndActionHasItsOutcome) {
  for (const Transition& t : kTable) {
    const std::string name = absl::StrCat(OpeningStatusName(t.from), " ",
                                          OpeningActionSlug(t.action));
    const absl::StatusOr<OpeningStatus> next =
        NextOpeningStatus(t.from, t.action, kSubject);
    if (t.to) {
      ASSERT_TRUE(next.ok()) << name << ": " << next.status();
      EXPECT_EQ(*next, *t.to) << name;
    } else {
      EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition)
          << name;
      EXPECT_EQ(next.status().message(), t.message) << name;
    }
  }
}

TEST(OpeningLifecycleTest, TheTableCoversEveryPairOnce) {
  int seen[kOpeningStatusCount][kOpeningActionCount] = {};
  for (const Transition& t : kTable) {
    ++seen[static_cast<int>(t.from)][static_cast<int>(t.action)];
  }
  for (int from = 0; from < kOpeningStatusCount; ++from) {
    for (int action = 0; action < kOpeningActionCount; ++action) {
      EXPECT_EQ(seen[from][action], 1)
          << OpeningStatusName(static_cast<S>(from)) << " "
          << OpeningActionSlug(static_cast<A>(action));
    }
  }
}

TEST(OpeningLifecycleTest, ClosingIsFinal) {
  // Whatever the sequence, nothing but closing again leaves CLOSED.
  for (int action = 0; action < kOpeningActionCount; ++action) {
    const absl::StatusOr<OpeningStatus> next =
        NextOpeningStatus(S::kClosed, static_cast<A>(action), kSubject);
    EXPECT_TRUE(!next.ok() || *next == S::kClosed)
        << OpeningActionSlug(static_cast<A>(action));
  }
}

TEST(OpeningLifecycleTest, NamesAndSlugs) {
  EXPECT_EQ(OpeningStatusName(S::kDraft), "DRAFT");
  EXPECT_EQ(OpeningStatusName(S::kOpen), "OPEN");
  EXPECT_EQ(OpeningStatusName(S::kPaused), "PAUSED");
  EXPECT_EQ(OpeningStatusName(S::kClosed), "CLOSED");
  EXPECT_EQ(OpeningActionSlug(A::kPause), "pause");
  EXPECT_EQ(OpeningActionSlug(A::kReopen), "reopen");
  EXPECT_EQ(OpeningActionSlug(A::kClose), "close");
  EXPECT_EQ(OpeningActionSlug(A::kEdit), "edit");
}

}  // namespace
}  // namespace placement
