// The employer-contact use cases in process, without a server: publishing
// and the id an opening gets, updates, every life-cycle action and its
// refusals, candidates that never carry support needs, supply gaps, and who
// may call what. Store and snapshot are checked to change together.

#include "app/employer.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/population_generator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/app/use_case_test.h"
#include "tests/testing/test_util.h"

namespace placement::app {
namespace {

using ::placement::testing::UseCaseTest;
using ::testing::HasSubstr;

constexpr int kParticipants = 60;
constexpr int kOpenings = 30;

// A generated population (ACTIVE participants, OPEN openings O000001 to
// O000030 with no end date and no place taken) in a real store and a
// snapshot, with the clock fixed on 2027-01-15.
class EmployerUseCaseTest : public UseCaseTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        InitGenerated(
            {.seed = 23, .participants = kParticipants, .openings = kOpenings})
            .ok());
  }

  // A complete opening to publish: the first generated one without its id.
  Opening Fresh() const {
    Opening opening = holder_->Current()->opening(0);
    opening.id.clear();
    opening.title = "Kafébiträde";
    return opening;
  }

  // The opening as the snapshot and as the store hold it; they must agree.
  Opening Held(const std::string& id) const {
    const std::shared_ptr<const Snapshot> snapshot = holder_->Current();
    const std::optional<int> index = snapshot->FindOpening(id);
    EXPECT_TRUE(index.has_value()) << id;
    if (!index) return {};
    absl::StatusOr<std::vector<Opening>> stored = store_->LoadOpenings();
    EXPECT_TRUE(stored.ok()) << stored.status();
    bool found = false;
    for (const Opening& opening : *stored) {
      if (opening.id != id) continue;
      found = true;
      EXPECT_EQ(opening, snapshot->opening(*index)) << id;
    }
    EXPECT_TRUE(found) << id << " is not in the store";
    return snapshot->opening(*index);
  }

  // Puts `opening` in the store and the snapshot as an import would.
  void Hold(const Opening& opening) {
    ASSERT_TRUE(store_->UpsertOpenings({opening}).ok());
    holder_->Update([&](const std::shared_ptr<const Snapshot>& snapshot) {
      return snapshot->WithOpening(opening);
    });
  }

  const Caller employer_{.principal = "E0001", .role = Role::kEmployerContact};
  const Caller admin_{.principal = "A0001", .role = Role::kAdmin};
  const Caller operator_{.principal = "OP0001", .role = Role::kOperator};
  const Caller coach_{.principal = "C0001-01", .role = Role::kCoach};
};

TEST_F(EmployerUseCaseTest, PublishGivesTheNextIdAndTheServersFields) {
  Opening opening = Fresh();
  opening.places_taken = 1;  // the server's: ignored
  opening.status = OpeningStatus::kClosed;
  absl::StatusOr<Opening> open =
      PublishOpening(context_, employer_, {.opening = opening});
  ASSERT_TRUE(open.ok()) << open.status();
  EXPECT_EQ(open->id, "O000031");
  EXPECT_EQ(open->status, OpeningStatus::kOpen);
  EXPECT_EQ(open->places_taken, 0);
  EXPECT_EQ(Held(open->id), *open);

  absl::StatusOr<Opening> draft =
      PublishOpening(context_, admin_, {.opening = opening, .as_draft = true});
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->id, "O000032");
  EXPECT_EQ(draft->status, OpeningStatus::kDraft);
  EXPECT_EQ(Held(draft->id), *draft);

  // A given id is kept, once.
  opening.id = "OTEST-1";
  absl::StatusOr<Opening> named =
      PublishOpening(context_, employer_, {.opening = opening});
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(named->id, "OTEST-1");
  absl::StatusOr<Opening> again =
      PublishOpening(context_, employer_, {.opening = opening});
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(again.status().message(),
              HasSubstr("opening.id: 'OTEST-1' is already used"));

  // No coordinates: the municipality's main town stands in.
  opening.id.clear();
  opening.location = {};
  absl::StatusOr<Opening> unlocated = PublishOpening(
      context_, employer_, {.opening = opening, .located = false});
  ASSERT_TRUE(unlocated.ok()) << unlocated.status();
  const ReferenceData& reference = *context_.reference;
  EXPECT_EQ(
      unlocated->location,
      reference.municipalities
          .all()[*reference.municipalities.Find(opening.municipality_code)]
          .centre);
}

TEST_F(EmployerUseCaseTest, PublishRefusesBadOpeningsNamingTheField) {
  const auto refusal = [&](void (*change)(Opening&)) {
    Opening opening = Fresh();
    change(opening);
    absl::StatusOr<Opening> got =
        PublishOpening(context_, employer_, {.opening = opening});
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(got.status().message());
  };
  EXPECT_THAT(refusal([](Opening& o) { o.capacity = 0; }),
              HasSubstr("opening.capacity: '0' outside the range 1 to 1000"));
  EXPECT_THAT(refusal([](Opening& o) { o.title.clear(); }),
              HasSubstr("opening.title: '' is required"));
  EXPECT_THAT(refusal([](Opening& o) { o.location.longitude_deg = 30.1; }),
              HasSubstr("opening.location.point.longitude: '30.1'"));
  EXPECT_THAT(refusal([](Opening& o) { o.id = "bad id!"; }),
              HasSubstr("opening.id: 'bad id!'"));
  EXPECT_THAT(refusal([](Opening& o) {
                o.start_date = {2026, 1, 1};
                o.end_date = Date{2026, 1, 31};
              }),
              HasSubstr("opening.end_date: 2026-01-31 has passed (today is "
                        "2027-01-15)"));
  // Nothing was stored.
  EXPECT_EQ(holder_->Current()->opening_count(), kOpenings);
}

TEST_F(EmployerUseCaseTest, UpdateWritesTheChangeToStoreAndSnapshot) {
  const Opening before = Held("O000002");
  absl::StatusOr<Opening> updated = UpdateOpening(
      context_, employer_, "O000002",
      [](const Opening& stored) -> absl::StatusOr<OpeningChange> {
        OpeningChange change{.opening = stored, .fields = {"capacity"}};
        change.opening.capacity = 7;
        // The server's fields are not the change's to make.
        change.opening.id = "O999999";
        change.opening.status = OpeningStatus::kClosed;
        change.opening.places_taken = 5;
        return change;
      });
  ASSERT_TRUE(updated.ok()) << updated.status();
  Opening expected = before;
  expected.capacity = 7;
  expected.updated_at = context_.now();
  EXPECT_EQ(*updated, expected);
  EXPECT_EQ(Held("O000002"), expected);
  EXPECT_FALSE(holder_->Current()->FindOpening("O999999").has_value());

  // An editor's error is the update's.
  absl::StatusOr<Opening> failed =
      UpdateOpening(context_, employer_, "O000002",
                    [](const Opening&) -> absl::StatusOr<OpeningChange> {
                      return absl::InvalidArgumentError("opening.kind: 9");
                    });
  EXPECT_EQ(failed.status().message(), "opening.kind: 9");

  const auto set = [](void (*change)(Opening&),
                      std::vector<std::string> fields) {
    return [=](const Opening& stored) -> absl::StatusOr<OpeningChange> {
      OpeningChange result{.opening = stored, .fields = fields};
      change(result.opening);
      return result;
    };
  };
  EXPECT_THAT(UpdateOpening(context_, employer_, "O000002",
                            set([](Opening& o) { o.title.clear(); }, {"title"}))
                  .status()
                  .message(),
              HasSubstr("opening.title: '' is required"));
  EXPECT_THAT(UpdateOpening(context_, employer_, "O000002",
                            set(
                                [](Opening& o) {
                                  o.end_date = Date{2026, 1, 31};
                                },
                                {"end_date"}))
                  .status()
                  .message(),
              HasSubstr("opening.end_date: 2026-01-31 has passed"));
  absl::StatusOr<Opening> missing =
      UpdateOpening(context_, employer_, "O999999",
                    set([](Opening& o) { o.capacity = 2; }, {"capacity"}));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(),
              HasSubstr("opening.id: 'O999999' does not exist"));
  EXPECT_THAT(
      UpdateOpening(context_, employer_, "", set([](Opening&) {}, {"capacity"}))
          .status()
          .message(),
      HasSubstr("opening.id: required"));

  // Capacity below the places taken is a state, not a bad argument.
  Opening busy = Held("O000003");
  busy.capacity = 3;
  busy.places_taken = 3;
  Hold(busy);
  absl::StatusOr<Opening> below =
      UpdateOpening(context_, employer_, "O000003",
                    set([](Opening& o) { o.capacity = 2; }, {"capacity"}));
  EXPECT_EQ(below.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(below.status().message(),
              HasSubstr("opening.capacity: 2 is below places_taken 3"));
  EXPECT_EQ(Held("O000003"), busy);

  // A closed opening cannot change.
  ASSERT_TRUE(CloseOpening(context_, employer_, "O000002", "").ok());
  absl::StatusOr<Opening> closed =
      UpdateOpening(context_, employer_, "O000002",
                    set([](Opening& o) { o.capacity = 2; }, {"capacity"}));
  EXPECT_EQ(closed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(closed.status().message(),
              HasSubstr("opening.id: 'O000002' is CLOSED; closing is final"));
}

TEST_F(EmployerUseCaseTest, LifeCycleActionsFollowTheStateMachine) {
  absl::StatusOr<Opening> draft = PublishOpening(
      context_, employer_, {.opening = Fresh(), .as_draft = true});
  ASSERT_TRUE(draft.ok()) << draft.status();
  const std::string id = draft->id;
  const auto status_of = [&] { return Held(id).status; };

  absl::StatusOr<Opening> refused = PauseOpening(context_, employer_, id);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  // Both statuses are named: the one it is in and the one pausing needs.
  EXPECT_THAT(refused.status().message(),
              HasSubstr(absl::StrCat("opening_id: '", id,
                                     "' is DRAFT; only "
                                     "an OPEN opening can be paused")));
  EXPECT_EQ(status_of(), OpeningStatus::kDraft);

  absl::StatusOr<Opening> step = ReopenOpening(context_, employer_, id);
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->status, OpeningStatus::kOpen);
  EXPECT_EQ(status_of(), OpeningStatus::kOpen);
  step = ReopenOpening(context_, employer_, id);  // a retry: no change
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->status, OpeningStatus::kOpen);

  step = PauseOpening(context_, admin_, id);
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(status_of(), OpeningStatus::kPaused);
  step = PauseOpening(context_, admin_, id);
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->status, OpeningStatus::kPaused);
  step = ReopenOpening(context_, employer_, id);
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(status_of(), OpeningStatus::kOpen);

  step = CloseOpening(context_, employer_, id, "tjänsten är tillsatt");
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->status, OpeningStatus::kClosed);
  EXPECT_EQ(status_of(), OpeningStatus::kClosed);
  step = CloseOpening(context_, employer_, id, "");  // a retry
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->status, OpeningStatus::kClosed);

  // Closing is final.
  for (absl::StatusOr<Opening> after :
       {ReopenOpening(context_, employer_, id),
        PauseOpening(context_, employer_, id)}) {
    EXPECT_EQ(after.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(after.status().message(),
                HasSubstr(absl::StrCat("opening_id: '", id, "' is CLOSED")));
  }
  EXPECT_EQ(status_of(), OpeningStatus::kClosed);

  // Unknown and malformed ids name the field.
  EXPECT_THAT(PauseOpening(context_, employer_, "O999999").status().message(),
              HasSubstr("opening_id: 'O999999' does not exist"));
  EXPECT_THAT(CloseOpening(context_, employer_, "", "").status().message(),
              HasSubstr("opening_id: required"));
}

TEST_F(EmployerUseCaseTest, ReopenNeedsAnEndDateAheadAndACompleteDraft) {
  Opening ended = Held("O000004");
  ended.status = OpeningStatus::kPaused;
  ended.start_date = {2026, 1, 1};
  ended.end_date = Date{2026, 1, 31};
  Hold(ended);
  absl::StatusOr<Opening> got = ReopenOpening(context_, employer_, "O000004");
  EXPECT_EQ(got.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(got.status().message(),
              HasSubstr("opening_id: 'O000004' has end_date 2026-01-31, which "
                        "has passed (today is 2027-01-15); update end_date "
                        "first"));
  EXPECT_EQ(Held("O000004").status, OpeningStatus::kPaused);

  Opening draft = Held("O000005");
  draft.status = OpeningStatus::kDraft;
  draft.title.clear();  // as a CSV import may leave it
  Hold(draft);
  got = ReopenOpening(context_, employer_, "O000005");
  EXPECT_EQ(got.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(got.status().message(),
              HasSubstr("'O000005' is an incomplete draft: opening.title: '' "
                        "is required"));
  EXPECT_EQ(Held("O000005").status, OpeningStatus::kDraft);
}

TEST_F(EmployerUseCaseTest, CloseReasonIsAtMost500Characters) {
  absl::StatusOr<Opening> got =
      CloseOpening(context_, employer_, "O000006", std::string(501, 'x'));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(got.status().message(),
              HasSubstr("reason: 501 characters is above the maximum 500"));
  EXPECT_EQ(Held("O000006").status, OpeningStatus::kOpen);
  // Characters, not bytes: 500 two-byte letters pass.
  std::string swedish;
  for (int i = 0; i < 500; ++i) swedish += "å";
  ASSERT_TRUE(CloseOpening(context_, employer_, "O000006", swedish).ok());
  EXPECT_EQ(Held("O000006").status, OpeningStatus::kClosed);
}

TEST_F(EmployerUseCaseTest, GetAndListReadTheSnapshotInIdOrder) {
  absl::StatusOr<Opening> got = GetOpening(context_, coach_, "O000007");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, Held("O000007"));
  EXPECT_EQ(GetOpening(context_, operator_, "O999999").status().code(),
            absl::StatusCode::kNotFound);

  std::vector<std::string> ids;
  std::string token;
  do {
    absl::StatusOr<OpeningPage> page =
        ListOpenings(context_, operator_, {}, 7, token);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->openings.size(), 7u);
    for (const Opening& opening : page->openings) ids.push_back(opening.id);
    token = page->next_page_token;
  } while (!token.empty() && ids.size() <= kOpenings);
  ASSERT_EQ(ids.size(), static_cast<size_t>(kOpenings));
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));

  ASSERT_TRUE(PauseOpening(context_, employer_, "O000008").ok());
  absl::StatusOr<OpeningPage> paused = ListOpenings(
      context_, employer_, {.statuses = {OpeningStatus::kPaused}}, 50, "");
  ASSERT_TRUE(paused.ok()) << paused.status();
  ASSERT_EQ(paused->openings.size(), 1u);
  EXPECT_EQ(paused->openings[0].id, "O000008");

  // A token belongs to its filters.
  absl::StatusOr<OpeningPage> first = ListOpenings(context_, coach_, {}, 3, "");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(
      ListOpenings(context_, coach_, {.statuses = {OpeningStatus::kOpen}}, 3,
                   first->next_page_token)
          .status()
          .message(),
      HasSubstr("page.page_token: does not match the request's "
                "filters"));
  EXPECT_THAT(ListOpenings(context_, coach_, {}, 0, "").status().message(),
              HasSubstr("page.page_size: 0 is below 1"));
  EXPECT_THAT(
      ListOpenings(context_, coach_, {}, 3, "garbage").status().message(),
      HasSubstr("page.page_token: 'garbage' is not a token of ListOpenings"));
  EXPECT_THAT(
      ListOpenings(context_, coach_, {.municipality_codes = {"186"}}, 3, "")
          .status()
          .message(),
      HasSubstr("municipality_codes[0]: '186' is not a 4-digit"));
  EXPECT_THAT(
      ListOpenings(context_, coach_, {.organisation_id = "ORG 1"}, 3, "")
          .status()
          .message(),
      HasSubstr("organisation_id: 'ORG 1'"));
}

TEST_F(EmployerUseCaseTest, CandidatesAreTheEnginesRankingWithoutSupportNeeds) {
  const std::shared_ptr<const Snapshot> snapshot = holder_->Current();
  int redacted = 0;  // support reasons the engine gave and the answer left out
  for (int i = 0; i < kOpenings; ++i) {
    Opening opening = snapshot->opening(i);
    absl::StatusOr<Candidates> got = CandidatesForOpening(
        context_, employer_, {.opening_id = opening.id, .k = 8});
    ASSERT_TRUE(got.ok()) << got.status();

    TopKQuery query;
    query.k = 8;
    query.context.today = SwedishDate(context_.now());
    query.context.require_free_place = false;
    const std::vector<RankedMatch> expected =
        TopParticipants(*snapshot, opening, query);
    ASSERT_EQ(got->candidates.size(), expected.size()) << opening.id;
    ASSERT_EQ(got->access.size(), expected.size());
    for (size_t j = 0; j < expected.size(); ++j) {
      const Participant& participant = snapshot->participant(expected[j].index);
      const Candidate& candidate = got->candidates[j];
      EXPECT_EQ(candidate.participant_id, participant.id);
      EXPECT_EQ(candidate.coach_id, participant.coach_id);
      const Explanation full = ExplainPair(
          participant, opening, snapshot->reference(), query.context);
      EXPECT_EQ(candidate.explanation.total, full.total);
      EXPECT_TRUE(candidate.explanation.rules.empty());
      EXPECT_LE(candidate.explanation.reasons.size(), kMaxCandidateReasons);
      for (const Reason& reason : candidate.explanation.reasons) {
        EXPECT_NE(reason.component, Component::kSupport);
        EXPECT_FALSE(reason.mentions_support_needs);
      }
      for (const Reason& reason : full.reasons) {
        redacted += reason.component == Component::kSupport ||
                    reason.mentions_support_needs;
      }
      EXPECT_EQ(got->access[j].participant_id, participant.id);
      EXPECT_EQ(got->access[j].actor, employer_.principal);
      EXPECT_EQ(got->access[j].call, "EmployerService.SuggestCandidates");
    }
    EXPECT_EQ(got->snapshot_version, snapshot->version());
    EXPECT_EQ(got->profile_name, "default");
  }
  EXPECT_GT(redacted, 0) << "the population gives no support reason to hide";
}

TEST_F(EmployerUseCaseTest, CandidatesRefuseClosedOpeningsAndBadQueries) {
  ASSERT_TRUE(CloseOpening(context_, employer_, "O000009", "").ok());
  absl::StatusOr<Candidates> closed =
      CandidatesForOpening(context_, employer_, {.opening_id = "O000009"});
  EXPECT_EQ(closed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(closed.status().message(),
              HasSubstr("opening_id: 'O000009' is CLOSED; closed openings "
                        "have no candidates"));

  // A paused opening is previewed as if open.
  ASSERT_TRUE(PauseOpening(context_, employer_, "O000010").ok());
  EXPECT_TRUE(
      CandidatesForOpening(context_, employer_, {.opening_id = "O000010"})
          .ok());

  const auto message = [&](const CandidateQuery& query) {
    return std::string(
        CandidatesForOpening(context_, employer_, query).status().message());
  };
  EXPECT_THAT(message({.opening_id = "O000001", .k = 4'000'000'000}),
              HasSubstr("k: 4000000000 is above the maximum 100"));
  EXPECT_THAT(message({.opening_id = "O000001", .max_travel_minutes = 241}),
              HasSubstr("filters.max_travel_minutes: 241 is above the "
                        "maximum 240"));
  EXPECT_THAT(
      message({.opening_id = "O000001", .municipality_codes = {"9999"}}),
      HasSubstr("filters.municipality_codes[0]: '9999' is not a municipality "
                "code"));
  EXPECT_THAT(message({.opening_id = "O999999"}),
              HasSubstr("opening_id: 'O999999' does not exist"));
  EXPECT_THAT(message({.opening_id = "O 1"}), HasSubstr("opening_id: 'O 1'"));
}

// Employer-contact staff read missing supports, never need counts (a need
// may be health data); coaches read both, and both read the same supports.
TEST_F(EmployerUseCaseTest, EmployersReadMissingSupportsNotNeeds) {
  absl::StatusOr<SupplyGaps> coach = GetSupplyGaps(context_, coach_, {});
  absl::StatusOr<SupplyGaps> employer = GetSupplyGaps(context_, employer_, {});
  ASSERT_TRUE(coach.ok()) << coach.status();
  ASSERT_TRUE(employer.ok()) << employer.status();
  ASSERT_EQ(coach->municipalities.size(), employer->municipalities.size());
  int needs = 0;
  int supports = 0;
  for (size_t m = 0; m < coach->municipalities.size(); ++m) {
    const MunicipalityGaps& seen_by_coach = coach->municipalities[m];
    const MunicipalityGaps& seen_by_employer = employer->municipalities[m];
    needs += static_cast<int>(seen_by_coach.needs.size());
    supports += static_cast<int>(seen_by_employer.supports.size());
    EXPECT_TRUE(seen_by_employer.needs.empty())
        << seen_by_employer.municipality_code;
    ASSERT_EQ(seen_by_employer.supports.size(), seen_by_coach.supports.size());
    for (size_t i = 0; i < seen_by_coach.supports.size(); ++i) {
      EXPECT_EQ(seen_by_employer.supports[i].code,
                seen_by_coach.supports[i].code);
      EXPECT_EQ(seen_by_employer.supports[i].participants,
                seen_by_coach.supports[i].participants);
    }
    EXPECT_EQ(seen_by_employer.fields.size(), seen_by_coach.fields.size());
    // A municipality with an unmet need misses a support that meets it.
    EXPECT_EQ(seen_by_coach.needs.empty(), seen_by_coach.supports.empty());
  }
  EXPECT_GT(needs, 0) << "the world has unmet needs to hide";
  EXPECT_GT(supports, 0);
}

TEST_F(EmployerUseCaseTest, SupplyGapsCountOnlyFreePlaces) {
  const std::shared_ptr<const Snapshot> snapshot = holder_->Current();
  const Opening opening = snapshot->opening(0);
  const std::string code = opening.municipality_code;
  absl::StatusOr<SupplyGaps> before = GetSupplyGaps(context_, coach_, {code});
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->snapshot_version, snapshot->version());
  EXPECT_EQ(before->suppression_threshold, kGapSuppressionThreshold);
  const std::vector<MunicipalityGaps> expected =
      ComputeSupplyGaps(*snapshot, SwedishDate(context_.now()), {code});
  ASSERT_EQ(before->municipalities.size(), 1u);
  ASSERT_EQ(expected.size(), 1u);
  EXPECT_EQ(before->municipalities[0].free_places, expected[0].free_places);
  EXPECT_GE(before->municipalities[0].free_places, opening.capacity);

  // Places held by placed participants are not free.
  Opening taken = opening;
  taken.places_taken = taken.capacity;
  Hold(taken);
  absl::StatusOr<SupplyGaps> after = GetSupplyGaps(context_, operator_, {code});
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->municipalities[0].free_places,
            before->municipalities[0].free_places - opening.capacity);

  absl::StatusOr<SupplyGaps> bad =
      GetSupplyGaps(context_, employer_, {code, "12"});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(),
              HasSubstr("municipality_codes[1]: '12' is not a 4-digit"));
  EXPECT_THAT(
      GetSupplyGaps(context_, employer_, std::vector<std::string>(301, code))
          .status()
          .message(),
      HasSubstr("municipality_codes: 301 entries is above the "
                "maximum 300"));
}

TEST_F(EmployerUseCaseTest, OnlyEmployerContactsAndAdminsWrite) {
  const auto denied = [](const absl::Status& status, absl::string_view call) {
    EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << call;
    EXPECT_THAT(status.message(), HasSubstr(call));
  };
  const auto keep = [](const Opening& stored) -> absl::StatusOr<OpeningChange> {
    return OpeningChange{.opening = stored, .fields = {"capacity"}};
  };
  for (const Caller& reader : {coach_, operator_}) {
    denied(PublishOpening(context_, reader, {.opening = Fresh()}).status(),
           "EmployerService.PublishOpening");
    denied(UpdateOpening(context_, reader, "O000001", keep).status(),
           "EmployerService.UpdateOpening");
    denied(PauseOpening(context_, reader, "O000001").status(),
           "EmployerService.PauseOpening");
    denied(ReopenOpening(context_, reader, "O000001").status(),
           "EmployerService.ReopenOpening");
    denied(CloseOpening(context_, reader, "O000001", "").status(),
           "EmployerService.CloseOpening");
    denied(CandidatesForOpening(context_, reader, {.opening_id = "O000001"})
               .status(),
           "EmployerService.SuggestCandidates");
    // Readers may still read.
    EXPECT_TRUE(GetOpening(context_, reader, "O000001").ok());
    EXPECT_TRUE(ListOpenings(context_, reader, {}, 5, "").ok());
    EXPECT_TRUE(GetSupplyGaps(context_, reader, {}).ok());
  }
  EXPECT_EQ(Held("O000001").status, OpeningStatus::kOpen);
  EXPECT_EQ(holder_->Current()->opening_count(), kOpenings);
  EXPECT_TRUE(UpdateOpening(context_, admin_, "O000001", keep).ok());
}

}  // namespace
}  // namespace placement::app
