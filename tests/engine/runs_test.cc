// The proposal life cycle as a table (engine/runs.h): every (state,
// decision) pair, and the names the API and messages use.

#include "engine/runs.h"

#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace placement {
namespace {

using ::testing::HasSubstr;

struct Row {
  ProposalState from;
  Decision decision;
  std::optional<ProposalState> to;  // nullopt: refused
  const char* message;              // part of the refusal
};

TEST(ProposalLifecycleTest, EveryStateAndDecisionAsTheTableSays) {
  const Row rows[] = {
      {ProposalState::kPending, Decision::kAccept, ProposalState::kAccepted,
       ""},
      {ProposalState::kPending, Decision::kReject, ProposalState::kRejected,
       ""},
      {ProposalState::kAccepted, Decision::kAccept, ProposalState::kAccepted,
       ""},
      {ProposalState::kAccepted, Decision::kReject, std::nullopt,
       "was already accepted"},
      {ProposalState::kRejected, Decision::kAccept, std::nullopt,
       "was already rejected"},
      {ProposalState::kRejected, Decision::kReject, ProposalState::kRejected,
       ""},
      {ProposalState::kExpired, Decision::kAccept, std::nullopt, "has expired"},
      {ProposalState::kExpired, Decision::kReject, std::nullopt, "has expired"},
      {ProposalState::kDryRun, Decision::kAccept, std::nullopt,
       "is from a dry run and cannot be decided"},
      {ProposalState::kDryRun, Decision::kReject, std::nullopt,
       "is from a dry run and cannot be decided"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(std::string(ProposalStateName(row.from)) +
                 (row.decision == Decision::kAccept ? " accept" : " reject"));
    absl::StatusOr<ProposalState> next =
        NextProposalState(row.from, row.decision, "R000003-0000012");
    if (row.to.has_value()) {
      ASSERT_TRUE(next.ok()) << next.status();
      EXPECT_EQ(*next, *row.to);
    } else {
      EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_THAT(next.status().message(), HasSubstr("R000003-0000012"));
      EXPECT_THAT(next.status().message(), HasSubstr(row.message));
    }
  }
}

TEST(RunStateTest, OnlyTheEndStatesAreTerminal) {
  EXPECT_FALSE(IsTerminal(RunState::kQueued));
  EXPECT_FALSE(IsTerminal(RunState::kRunning));
  EXPECT_TRUE(IsTerminal(RunState::kSucceeded));
  EXPECT_TRUE(IsTerminal(RunState::kFailed));
  EXPECT_TRUE(IsTerminal(RunState::kCancelled));
  EXPECT_EQ(RunStateName(RunState::kCancelled), "CANCELLED");
  EXPECT_EQ(ProposalStateName(ProposalState::kDryRun), "DRY_RUN");
}

}  // namespace
}  // namespace placement
