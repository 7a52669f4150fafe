// The participant registry's use cases in process, without a server: a coach
// writes only their own caseload, reads follow the caseload rule and redact
// sensitive fields for everyone but the participant's coach, an update
// changes only what it names, an erasure leaves nothing of the participant in
// store or snapshot and frees their place, and every call leaves its access
// records.

#include "app/registry.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "app/coach.h"
#include "engine/population_generator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/app/use_case_test.h"
#include "tests/testing/test_util.h"

namespace placement::app {
namespace {

using ::placement::testing::Reference;
using ::placement::testing::UseCaseTest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kMine[] = "C0136-01";
constexpr char kTheirs[] = "C1280-04";

// 40 participants of a generated population, the even ones in kMine's
// caseload and the odd ones in kTheirs', every third paused, each with a
// support need and follow-up attributes; 10 open openings; a real store and
// a snapshot; the clock fixed (tests/app/use_case_test.h).
class RegistryUseCaseTest : public UseCaseTest {
 protected:
  void SetUp() override {
    const PopulationGenerator generator(
        {.seed = 7, .participants = 40, .openings = 10}, Reference());
    std::vector<Participant> participants;
    for (int i = 0; i < 40; ++i) {
      Participant p = generator.Participant(i);
      p.coach_id = i % 2 == 0 ? kMine : kTheirs;
      p.status =
          i % 3 == 0 ? ParticipantStatus::kPaused : ParticipantStatus::kActive;
      if (p.needs.empty()) {
        p.needs.push_back({.need_code = "wheelchair_access"});
      }
      p.gender = Gender::kFemale;
      p.born_abroad = true;
      participants.push_back(p);
    }
    ASSERT_TRUE(Init(participants, OpenOpenings(generator, 10)).ok());
    context_.now = [] { return absl::FromUnixSeconds(1'800'000'000); };
  }

  // The participant `id` as the current snapshot holds them.
  Participant InSnapshot(const std::string& id) const {
    const std::shared_ptr<const Snapshot> snapshot = holder_->Current();
    const std::optional<int> index = snapshot->FindParticipant(id);
    EXPECT_TRUE(index.has_value()) << id;
    return index ? snapshot->participant(*index) : Participant{};
  }
  // The participant `id` as the store holds them, if at all.
  std::optional<Participant> InStore(const std::string& id) const {
    absl::StatusOr<std::vector<Participant>> all = store_->LoadParticipants();
    EXPECT_TRUE(all.ok()) << all.status();
    for (const Participant& p : *all) {
      if (p.id == id) return p;
    }
    return std::nullopt;
  }
  // The calls of the access records naming `id`, oldest first.
  std::vector<std::string> LoggedCalls(const std::string& id) const {
    absl::StatusOr<std::vector<store::AccessRecord>> log =
        store_->ReadAccessLog(id);
    EXPECT_TRUE(log.ok()) << log.status();
    std::vector<std::string> calls;
    for (const store::AccessRecord& record : *log) calls.push_back(record.call);
    return calls;
  }
  // The ids of one caseload, in id order.
  std::vector<std::string> CaseloadOf(const std::string& coach) const {
    std::vector<std::string> ids;
    const std::shared_ptr<const Snapshot> snapshot = holder_->Current();
    for (int i : snapshot->ParticipantIndices()) {
      if (snapshot->participant(i).coach_id == coach) {
        ids.push_back(snapshot->participant(i).id);
      }
    }
    return ids;
  }

  const Caller mine_{.principal = kMine, .role = Role::kCoach};
  const Caller theirs_{.principal = kTheirs, .role = Role::kCoach};
  const Caller admin_{.principal = "ADM-1", .role = Role::kAdmin};
  const Caller employer_{.principal = "E1", .role = Role::kEmployerContact};
};

TEST_F(RegistryUseCaseTest, ACoachAddsToTheirOwnCaseloadOnly) {
  Participant added = InSnapshot(CaseloadOf(kMine)[0]);
  added.id = "P0999001";
  absl::StatusOr<Participant> saved =
      UpsertParticipant(context_, mine_, {.participant = added});
  ASSERT_TRUE(saved.ok()) << saved.status();
  added.updated_at = context_.now();  // the server stamps what it writes
  EXPECT_EQ(*saved, added);
  EXPECT_EQ(InSnapshot("P0999001"), added);
  EXPECT_EQ(InStore("P0999001"), added);
  absl::StatusOr<std::vector<store::AccessRecord>> log =
      store_->ReadAccessLog("P0999001");
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].call, "ParticipantRegistry.UpsertParticipant");
  EXPECT_EQ((*log)[0].actor, kMine);
  EXPECT_EQ((*log)[0].role, "coach");
  EXPECT_EQ((*log)[0].at, context_.now());

  // Left out, the home point is the home municipality's main town.
  Participant no_point = added;
  no_point.home = GeoPoint{};
  absl::StatusOr<Participant> placed = UpsertParticipant(
      context_, mine_, {.participant = no_point, .home_point_given = false});
  ASSERT_TRUE(placed.ok()) << placed.status();
  const MunicipalityTable& municipalities = Reference().municipalities;
  EXPECT_EQ(placed->home,
            municipalities.all()[*municipalities.Find(added.municipality_code)]
                .centre);

  // No coach named: the caller's own caseload (participant.proto).
  Participant unnamed = added;
  unnamed.id = "P0999003";
  unnamed.coach_id.clear();
  absl::StatusOr<Participant> filled =
      UpsertParticipant(context_, mine_, {.participant = unnamed});
  ASSERT_TRUE(filled.ok()) << filled.status();
  EXPECT_EQ(filled->coach_id, kMine);

  // Not into another coach's caseload, and not taking one of theirs over.
  Participant foreign = added;
  foreign.id = "P0999002";
  foreign.coach_id = kTheirs;
  absl::StatusOr<Participant> refused =
      UpsertParticipant(context_, mine_, {.participant = foreign});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("participant.coach_id: 'C1280-04' is not you"));
  const std::string their_id = CaseloadOf(kTheirs)[0];
  const Participant before = InSnapshot(their_id);
  Participant takeover = before;
  takeover.coach_id = kMine;
  refused = UpsertParticipant(context_, mine_, {.participant = takeover});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(refused.status().message(), HasSubstr("not in your caseload"));
  EXPECT_EQ(InSnapshot(their_id), before);
  EXPECT_EQ(InStore(their_id), before);
  EXPECT_TRUE(LoggedCalls(their_id).empty());
  EXPECT_EQ(InStore("P0999002"), std::nullopt);

  // Validation names the API's paths; only coaches may write.
  Participant invalid = added;
  invalid.home.latitude_deg = 71.2;
  refused = UpsertParticipant(context_, mine_, {.participant = invalid});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("participant.home.point.latitude: '71.2'"));
  for (const Caller& caller : {admin_, employer_}) {
    EXPECT_EQ(UpsertParticipant(context_, caller, {.participant = added})
                  .status()
                  .code(),
              absl::StatusCode::kPermissionDenied);
  }
}

TEST_F(RegistryUseCaseTest, ReadsFollowTheCaseloadAndRedactForOthers) {
  const std::string id = CaseloadOf(kMine)[0];
  const Participant stored = InSnapshot(id);
  absl::StatusOr<ParticipantRead> own = GetParticipant(context_, mine_, id);
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->participant.participant, stored);
  EXPECT_FALSE(own->participant.sensitive_fields_redacted);
  ASSERT_EQ(own->access.size(), 1u);
  EXPECT_EQ(own->access[0].participant_id, id);
  EXPECT_EQ(own->access[0].actor, kMine);
  EXPECT_EQ(own->access[0].call, "ParticipantRegistry.GetParticipant");
  // The caller writes the records it is given.
  EXPECT_TRUE(LoggedCalls(id).empty());

  // Another caseload and an unknown id look the same to a coach.
  for (const std::string& other :
       {CaseloadOf(kTheirs)[0], std::string("P9999999")}) {
    absl::StatusOr<ParticipantRead> refused =
        GetParticipant(context_, mine_, other);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_THAT(refused.status().message(), HasSubstr("not in your caseload"));
  }

  // An admin sees anyone, without support needs or follow-up attributes.
  absl::StatusOr<ParticipantRead> seen = GetParticipant(context_, admin_, id);
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_TRUE(seen->participant.sensitive_fields_redacted);
  Participant expected = stored;
  expected.needs.clear();
  expected.gender = Gender::kUndisclosed;
  expected.born_abroad = false;
  EXPECT_EQ(seen->participant.participant, expected);
  ASSERT_EQ(seen->access.size(), 1u);
  EXPECT_EQ(seen->access[0].role, "admin");
  absl::StatusOr<ParticipantRead> unknown =
      GetParticipant(context_, admin_, "P9999999");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unknown.status().message(),
              HasSubstr("participant_id: 'P9999999'"));
  EXPECT_EQ(GetParticipant(context_, employer_, id).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(RegistryUseCaseTest, ListPagesThroughWhatTheCallerMaySee) {
  // A coach naming another coach is refused; naming none, they page
  // through their own caseload.
  const absl::StatusOr<ParticipantPage> theirs = ListParticipants(
      context_, mine_, ParticipantQuery{.coach_id = kTheirs, .page_size = 7});
  EXPECT_EQ(theirs.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(theirs.status().message(), HasSubstr("coach_id: '"));
  std::vector<std::string> listed;
  size_t records = 0;
  ParticipantQuery query{.page_size = 7};
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<ParticipantPage> page =
        ListParticipants(context_, mine_, query);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->participants.size(), 7u);
    for (const ShownParticipant& shown : page->participants) {
      EXPECT_FALSE(shown.sensitive_fields_redacted);
      EXPECT_FALSE(shown.participant.needs.empty());
      listed.push_back(shown.participant.id);
    }
    ASSERT_EQ(page->access.size(), page->participants.size());
    for (size_t i = 0; i < page->access.size(); ++i) {
      EXPECT_EQ(page->access[i].participant_id,
                page->participants[i].participant.id);
      EXPECT_EQ(page->access[i].call, "ParticipantRegistry.ListParticipants");
    }
    records += page->access.size();
    if (page->next_page_token.empty()) break;
    EXPECT_EQ(page->next_page_token, listed.back());
    query.page_token = page->next_page_token;
  }
  EXPECT_EQ(listed, CaseloadOf(kMine));
  EXPECT_EQ(records, listed.size());

  // An admin may pick a coach and statuses, and sees everyone redacted.
  absl::StatusOr<ParticipantPage> paused =
      ListParticipants(context_, admin_,
                       {.statuses = {ParticipantStatus::kPaused},
                        .coach_id = kTheirs,
                        .page_size = 100});
  ASSERT_TRUE(paused.ok()) << paused.status();
  std::vector<std::string> expected;
  for (const std::string& id : CaseloadOf(kTheirs)) {
    if (InSnapshot(id).status == ParticipantStatus::kPaused) {
      expected.push_back(id);
    }
  }
  ASSERT_FALSE(expected.empty());
  std::vector<std::string> got;
  for (const ShownParticipant& shown : paused->participants) {
    EXPECT_TRUE(shown.sensitive_fields_redacted);
    EXPECT_TRUE(shown.participant.needs.empty());
    EXPECT_EQ(shown.participant.gender, Gender::kUndisclosed);
    got.push_back(shown.participant.id);
  }
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(paused->next_page_token.empty());

  // Nothing listed, nothing logged; a page holds at least one.
  absl::StatusOr<ParticipantPage> none = ListParticipants(
      context_, admin_, {.page_size = 5, .page_token = "P9999999"});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->participants.empty());
  EXPECT_TRUE(none->access.empty());
  EXPECT_THAT(ListParticipants(context_, admin_, {}).status().message(),
              HasSubstr("page.page_size: 0"));
  EXPECT_EQ(
      ListParticipants(context_, employer_, {.page_size = 5}).status().code(),
      absl::StatusCode::kPermissionDenied);
}

TEST_F(RegistryUseCaseTest, AnUpdateChangesOnlyWhatItSays) {
  const std::string id = CaseloadOf(kMine)[1];
  const Participant before = InSnapshot(id);
  const int minutes = before.max_travel_minutes == 77 ? 78 : 77;
  absl::StatusOr<Participant> updated = UpdateParticipant(
      context_, mine_, id,
      [&](const Participant& stored) -> absl::StatusOr<ParticipantDraft> {
        EXPECT_EQ(stored, before);
        ParticipantDraft draft{.participant = stored};
        draft.participant.max_travel_minutes = minutes;
        return draft;
      });
  ASSERT_TRUE(updated.ok()) << updated.status();
  Participant expected = before;
  expected.max_travel_minutes = minutes;
  expected.updated_at = context_.now();
  EXPECT_EQ(*updated, expected);
  EXPECT_EQ(InSnapshot(id), expected);
  EXPECT_EQ(InStore(id), expected);
  EXPECT_THAT(LoggedCalls(id),
              ElementsAre("ParticipantRegistry.UpdateParticipant"));

  // A refused change stores nothing: invalid values, handing over, the
  // change's own error.
  const auto refused = [&](const Caller& caller, const std::string& target,
                           auto edit) {
    absl::StatusOr<Participant> got = UpdateParticipant(
        context_, caller, target,
        [&](const Participant& stored) -> absl::StatusOr<ParticipantDraft> {
          ParticipantDraft draft{.participant = stored};
          if (absl::Status s = edit(draft.participant); !s.ok()) return s;
          return draft;
        });
    EXPECT_FALSE(got.ok());
    return got.status();
  };
  absl::Status status = refused(mine_, id, [](Participant& p) {
    p.max_travel_minutes = 500;
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("participant.max_travel_minutes"));
  status = refused(mine_, id, [](Participant& p) {
    p.coach_id = kTheirs;
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr("participant.coach_id"));
  status = refused(mine_, id, [](Participant&) {
    return absl::InvalidArgumentError("participant.travel_mode: 0");
  });
  EXPECT_THAT(status.message(), HasSubstr("participant.travel_mode: 0"));
  EXPECT_EQ(InStore(id), expected);
  EXPECT_EQ(InSnapshot(id), expected);

  // Outside the caseload the change is never asked for.
  for (const std::string& other :
       {CaseloadOf(kTheirs)[0], std::string("P9999999")}) {
    bool asked = false;
    absl::StatusOr<Participant> got = UpdateParticipant(
        context_, mine_, other,
        [&](const Participant& stored) -> absl::StatusOr<ParticipantDraft> {
          asked = true;
          return ParticipantDraft{.participant = stored};
        });
    EXPECT_EQ(got.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_FALSE(asked);
  }
  EXPECT_EQ(
      UpdateParticipant(
          context_, admin_, id,
          [](const Participant& stored) -> absl::StatusOr<ParticipantDraft> {
            return ParticipantDraft{.participant = stored};
          })
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  // Only the successful update was logged.
  EXPECT_THAT(LoggedCalls(id),
              ElementsAre("ParticipantRegistry.UpdateParticipant"));
}

TEST_F(RegistryUseCaseTest, ErasureLeavesNothingAndFreesThePlace) {
  // Place an active participant through an accepted proposal.
  std::string id;
  for (const std::string& candidate : CaseloadOf(kMine)) {
    if (InSnapshot(candidate).status == ParticipantStatus::kActive) {
      id = candidate;
      break;
    }
  }
  ASSERT_FALSE(id.empty());
  const std::string opening_id = holder_->Current()->opening(0).id;
  std::string proposal_id;
  ASSERT_NO_FATAL_FAILURE(PublishProposal(id, opening_id, &proposal_id));
  ASSERT_TRUE(
      DecideProposal(context_, mine_, proposal_id, Decision::kAccept, "").ok());
  const auto places_taken = [&] {
    const std::shared_ptr<const Snapshot> snapshot = holder_->Current();
    return snapshot->opening(*snapshot->FindOpening(opening_id)).places_taken;
  };
  ASSERT_EQ(places_taken(), 1);
  ASSERT_FALSE(LoggedCalls(id).empty());

  // Only admins erase, and only someone.
  EXPECT_EQ(EraseParticipant(context_, mine_, id).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(EraseParticipant(context_, admin_, "").status().message(),
              HasSubstr("participant_id: required"));
  EXPECT_EQ(EraseParticipant(context_, admin_, "P9999999").status().code(),
            absl::StatusCode::kNotFound);

  absl::StatusOr<store::ErasureCounts> erased =
      EraseParticipant(context_, admin_, id);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->participants, 1);
  EXPECT_EQ(erased->proposals, 1);
  EXPECT_EQ(erased->placements, 1);
  EXPECT_GT(erased->access_records_unlinked, 0);
  EXPECT_FALSE(holder_->Current()->FindParticipant(id).has_value());
  EXPECT_EQ(InStore(id), std::nullopt);
  EXPECT_EQ(places_taken(), 0);
  absl::StatusOr<std::vector<Opening>> openings = store_->LoadOpenings();
  ASSERT_TRUE(openings.ok()) << openings.status();
  for (const Opening& opening : *openings) {
    if (opening.id == opening_id) {
      EXPECT_EQ(opening.places_taken, 0);
    }
  }
  // The log no longer names them; it says an erasure happened, not whose.
  EXPECT_TRUE(LoggedCalls(id).empty());
  absl::StatusOr<std::vector<store::AccessRecord>> log =
      store_->ReadAccessLog("erased");
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].call, "ParticipantRegistry.EraseParticipant");
  EXPECT_EQ((*log)[0].actor, "ADM-1");
  EXPECT_EQ(GetParticipant(context_, admin_, id).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace placement::app
