// End to end over loopback against the real placement-server: the registry
// and coach RPCs, authentication, the caseload rule, validation errors and
// the access log.

#include <algorithm>
#include <map>

#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "placement/v1/admin_service.grpc.pb.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "store/store.h"
#include "tests/testing/running_server.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::kAdminToken;
using ::placement::testing::kCoachPrincipal;
using ::placement::testing::kCoachToken;
using ::placement::testing::kEmployerToken;
using ::placement::testing::kOtherCoachToken;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::testing::HasSubstr;

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir();
    server_ = new RunningServer(*scratch_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete scratch_;
  }

  static std::unique_ptr<v1::CoachService::Stub> Coach() {
    return v1::CoachService::NewStub(server_->channel());
  }
  static std::unique_ptr<v1::ParticipantRegistry::Stub> Registry() {
    return v1::ParticipantRegistry::NewStub(server_->channel());
  }

  // The caseload of the demo coach (kCoachPrincipal).
  static std::vector<v1::Participant> Caseload() {
    v1::ListParticipantsRequest request;
    request.mutable_page()->set_page_size(500);
    v1::ListParticipantsResponse response;
    EXPECT_TRUE(
        Registry()
            ->ListParticipants(CallAs(kCoachToken).get(), request, &response)
            .ok());
    return {response.participants().begin(), response.participants().end()};
  }

  static v1::SuggestOpeningsResponse Suggest(const std::string& token,
                                             const std::string& id,
                                             grpc::Status* status,
                                             uint32_t k = 10) {
    v1::SuggestOpeningsRequest request;
    request.set_participant_id(id);
    request.set_k(k);
    v1::SuggestOpeningsResponse response;
    *status = Coach()->SuggestOpenings(CallAs(token).get(), request, &response);
    return response;
  }

  static ScratchDir* scratch_;
  static RunningServer* server_;
};
ScratchDir* ApiTest::scratch_ = nullptr;
RunningServer* ApiTest::server_ = nullptr;

TEST_F(ApiTest, CoachListsOnlyTheirCaseloadWithSupportNeeds) {
  std::vector<v1::Participant> caseload = Caseload();
  ASSERT_FALSE(caseload.empty());
  for (const v1::Participant& p : caseload) {
    EXPECT_EQ(p.coach_id(), kCoachPrincipal);
    EXPECT_FALSE(p.sensitive_fields_redacted());
  }
}

TEST_F(ApiTest, SuggestionsAreRankedEligibleAndExplained) {
  int with_suggestions = 0;
  uint32_t considered = 0;
  for (const v1::Participant& p : Caseload()) {
    grpc::Status status;
    v1::SuggestOpeningsResponse response =
        Suggest(kCoachToken, p.id(), &status, 5);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_LE(response.suggestions_size(), 5);
    EXPECT_EQ(response.profile_name(), "default");
    // Without filters every opening is considered; every eligible one
    // could have been returned, so fewer than k returned means all of them.
    EXPECT_GT(response.openings_considered(), 0u);
    EXPECT_LE(response.openings_eligible(), response.openings_considered());
    if (response.suggestions_size() < 5) {
      EXPECT_EQ(response.openings_eligible(),
                static_cast<uint32_t>(response.suggestions_size()));
    } else {
      EXPECT_GE(response.openings_eligible(), 5u);
    }
    if (considered == 0) considered = response.openings_considered();
    EXPECT_EQ(response.openings_considered(), considered);
    for (int i = 0; i < response.suggestions_size(); ++i) {
      const v1::Match& match = response.suggestions(i);
      EXPECT_TRUE(match.eligible());
      EXPECT_EQ(match.components_size(), 5);
      EXPECT_FALSE(match.reasons().empty());
      EXPECT_EQ(match.exclusions_size(), 0);
      double sum = 0;
      for (const auto& c : match.components()) sum += c.contribution();
      EXPECT_NEAR(sum, match.score(), 1e-9);
      if (i > 0) {
        EXPECT_GE(response.suggestions(i - 1).score(), match.score());
      }
    }
    with_suggestions += response.suggestions_size() > 0;
  }
  EXPECT_GT(with_suggestions, 0);
}

// A client that shows one language asks for it, and gets only it; the texts
// are those of the two-language answer.
TEST_F(ApiTest, LanguageChoosesWhichTextsAreSent) {
  const std::string id = Caseload().front().id();
  std::map<v1::Language, v1::SuggestOpeningsResponse> answers;
  for (v1::Language language :
       {v1::LANGUAGE_UNSPECIFIED, v1::LANGUAGE_SV, v1::LANGUAGE_EN}) {
    v1::SuggestOpeningsRequest request;
    request.set_participant_id(id);
    request.set_k(5);
    request.set_language(language);
    const grpc::Status status = Coach()->SuggestOpenings(
        CallAs(kCoachToken).get(), request, &answers[language]);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  const v1::SuggestOpeningsResponse& both = answers[v1::LANGUAGE_UNSPECIFIED];
  ASSERT_GT(both.suggestions_size(), 0);
  int texts = 0;
  for (int i = 0; i < both.suggestions_size(); ++i) {
    const v1::Match& whole = both.suggestions(i);
    const v1::Match& sv = answers[v1::LANGUAGE_SV].suggestions(i);
    const v1::Match& en = answers[v1::LANGUAGE_EN].suggestions(i);
    EXPECT_EQ(sv.opening_id(), whole.opening_id());
    EXPECT_EQ(en.opening_id(), whole.opening_id());
    ASSERT_EQ(sv.reasons_size(), whole.reasons_size());
    ASSERT_EQ(en.reasons_size(), whole.reasons_size());
    for (int r = 0; r < whole.reasons_size(); ++r) {
      EXPECT_FALSE(whole.reasons(r).text().sv().empty());
      EXPECT_FALSE(whole.reasons(r).text().en().empty());
      EXPECT_EQ(sv.reasons(r).text().sv(), whole.reasons(r).text().sv());
      EXPECT_EQ(sv.reasons(r).text().en(), "");
      EXPECT_EQ(en.reasons(r).text().en(), whole.reasons(r).text().en());
      EXPECT_EQ(en.reasons(r).text().sv(), "");
      ++texts;
    }
  }
  EXPECT_GT(texts, 0);
  EXPECT_LT(answers[v1::LANGUAGE_SV].ByteSizeLong(), both.ByteSizeLong());

  // ExplainMatch too, exclusions included.
  v1::ExplainMatchRequest explain;
  explain.set_participant_id(id);
  explain.set_opening_id(both.suggestions(0).opening_id());
  explain.set_language(v1::LANGUAGE_EN);
  v1::Match match;
  ASSERT_TRUE(
      Coach()->ExplainMatch(CallAs(kCoachToken).get(), explain, &match).ok());
  ASSERT_GT(match.reasons_size(), 0);
  for (const v1::Reason& reason : match.reasons()) {
    EXPECT_FALSE(reason.text().en().empty());
    EXPECT_EQ(reason.text().sv(), "");
  }

  // A value outside the enum names the field.
  v1::SuggestOpeningsRequest bad;
  bad.set_participant_id(id);
  bad.set_language(static_cast<v1::Language>(7));
  v1::SuggestOpeningsResponse ignored;
  const grpc::Status refused =
      Coach()->SuggestOpenings(CallAs(kCoachToken).get(), bad, &ignored);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("language: 7"));
}

TEST_F(ApiTest, OtherCaseloadsAndUnknownIdsLookTheSame) {
  grpc::Status other;
  Suggest(kOtherCoachToken, Caseload().front().id(), &other);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(other.error_message(), HasSubstr("not in your caseload"));
  grpc::Status unknown;
  Suggest(kOtherCoachToken, "P9999999", &unknown);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ApiTest, CallsWithoutValidTokensOrTheRightRoleAreRefused) {
  const std::string id = Caseload().front().id();
  grpc::Status status;
  Suggest("", id, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  Suggest("not-a-token-at-all-xyz", id, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  Suggest(kEmployerToken, id, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  Suggest(kAdminToken, id, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ApiTest, InvalidArgumentsNameTheFieldAndValue) {
  grpc::Status status;
  Suggest(kCoachToken, Caseload().front().id(), &status, 101);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("k: 101"));

  v1::SuggestOpeningsRequest request;
  request.set_participant_id(Caseload().front().id());
  request.mutable_profile()->set_travel_weight(-1);
  v1::SuggestOpeningsResponse response;
  status =
      Coach()->SuggestOpenings(CallAs(kCoachToken).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("travel"));
}

TEST_F(ApiTest, UpsertGetExplainAndEraseAParticipant) {
  v1::Participant p = Caseload().front();
  p.set_id("PAPI0001");
  p.clear_updated_at();
  v1::UpsertParticipantRequest upsert;
  *upsert.mutable_participant() = p;
  v1::Participant saved;
  ASSERT_TRUE(Registry()
                  ->UpsertParticipant(CallAs(kCoachToken).get(), upsert, &saved)
                  .ok());
  EXPECT_EQ(saved.id(), "PAPI0001");

  // Visible to the next query.
  v1::GetParticipantRequest get;
  get.set_participant_id("PAPI0001");
  v1::Participant fetched;
  ASSERT_TRUE(Registry()
                  ->GetParticipant(CallAs(kCoachToken).get(), get, &fetched)
                  .ok());
  EXPECT_EQ(fetched.skills_size(), p.skills_size());

  v1::ExplainMatchRequest explain;
  explain.set_participant_id("PAPI0001");
  explain.set_opening_id("O000001");
  v1::Match match;
  ASSERT_TRUE(
      Coach()->ExplainMatch(CallAs(kCoachToken).get(), explain, &match).ok());
  EXPECT_EQ(match.components_size(), 5);
  EXPECT_EQ(match.eligible(), match.exclusions().empty());

  // Validation names proto paths; another coach's id is refused.
  v1::UpsertParticipantRequest bad = upsert;
  bad.mutable_participant()->mutable_home()->mutable_point()->set_latitude(
      71.2);
  v1::Participant ignored;
  grpc::Status status =
      Registry()->UpsertParticipant(CallAs(kCoachToken).get(), bad, &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("participant.home.point.latitude: '71.2'"));
  v1::UpsertParticipantRequest foreign = upsert;
  foreign.mutable_participant()->set_coach_id("C1280-04");
  status = Registry()->UpsertParticipant(CallAs(kCoachToken).get(), foreign,
                                         &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // Erasure is for admins only, and then the participant is gone.
  v1::EraseParticipantRequest erase;
  erase.set_participant_id("PAPI0001");
  v1::EraseParticipantResponse erased;
  EXPECT_EQ(Registry()
                ->EraseParticipant(CallAs(kCoachToken).get(), erase, &erased)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Registry()
                  ->EraseParticipant(CallAs(kAdminToken).get(), erase, &erased)
                  .ok());
  EXPECT_EQ(erased.participants_removed(), 1u);
  EXPECT_EQ(Registry()
                ->GetParticipant(CallAs(kCoachToken).get(), get, &fetched)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ApiTest, AdminListsWithoutSupportNeedsOrFollowUp) {
  v1::ListParticipantsRequest request;
  request.mutable_page()->set_page_size(20);
  v1::ListParticipantsResponse response;
  ASSERT_TRUE(
      Registry()
          ->ListParticipants(CallAs(kAdminToken).get(), request, &response)
          .ok());
  ASSERT_EQ(response.participants_size(), 20);
  EXPECT_FALSE(response.next_page_token().empty());
  for (const v1::Participant& p : response.participants()) {
    EXPECT_TRUE(p.sensitive_fields_redacted());
    EXPECT_EQ(p.support_needs_size(), 0);
    EXPECT_FALSE(p.has_follow_up());
  }
  // The next page starts after the token.
  request.mutable_page()->set_page_token(response.next_page_token());
  v1::ListParticipantsResponse next;
  ASSERT_TRUE(Registry()
                  ->ListParticipants(CallAs(kAdminToken).get(), request, &next)
                  .ok());
  ASSERT_GT(next.participants_size(), 0);
  EXPECT_GT(next.participants(0).id(), response.next_page_token());
}

TEST_F(ApiTest, AdminReadsOneParticipantWithoutSupportNeedsOrFollowUp) {
  const v1::Participant own = Caseload().front();
  ASSERT_GT(own.support_needs_size() + (own.has_follow_up() ? 1 : 0), 0);
  v1::GetParticipantRequest request;
  request.set_participant_id(own.id());
  v1::Participant seen;
  ASSERT_TRUE(Registry()
                  ->GetParticipant(CallAs(kAdminToken).get(), request, &seen)
                  .ok());
  EXPECT_EQ(seen.id(), own.id());
  EXPECT_TRUE(seen.sensitive_fields_redacted());
  EXPECT_EQ(seen.support_needs_size(), 0);
  EXPECT_FALSE(seen.has_follow_up());
  request.set_participant_id("P9999999");
  const grpc::Status status =
      Registry()->GetParticipant(CallAs(kAdminToken).get(), request, &seen);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ApiTest, EveryReadIsInTheAccessLog) {
  const std::string id = Caseload().back().id();
  grpc::Status status;
  Suggest(kCoachToken, id, &status);
  ASSERT_TRUE(status.ok());
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::Store::Open(server_->db_path());
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<std::vector<store::AccessRecord>> log =
      (*store)->ReadAccessLog(id);
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(
      std::any_of(log->begin(), log->end(), [](const store::AccessRecord& r) {
        return r.call == "CoachService.SuggestOpenings" &&
               r.actor == kCoachPrincipal && r.role == "coach";
      }));
}

}  // namespace
}  // namespace placement::service

namespace placement::service {
namespace {

TEST_F(ApiTest, ExportThenImportIsLosslessAndBadRowsAreReported) {
  auto admin = v1::AdminService::NewStub(server_->channel());
  v1::ExportRequest request;
  request.set_kind(v1::DATA_KIND_OPENINGS);
  auto context = CallAs(kAdminToken);
  auto reader = admin->ExportData(context.get(), request);
  std::string csv;
  v1::ExportChunk chunk;
  while (reader->Read(&chunk)) csv += chunk.content();
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(csv, ::placement::testing::ReadFileOrDie(
                     ::placement::testing::DataDir() + "/demo/openings.csv"));

  v1::ImportRequest import;
  import.set_kind(v1::DATA_KIND_OPENINGS);
  import.set_file_name("openings.csv");
  // Re-import with one row changed and one broken.
  std::vector<std::string> lines = absl::StrSplit(csv, '\n');
  lines[1] = absl::StrReplaceAll(lines[1], {{",open", ",paused"}});
  lines[2] =
      absl::StrReplaceAll(lines[2], {{",employer_internship,", ",castle,"},
                                     {",work_training,", ",castle,"},
                                     {",enhanced_work_training,", ",castle,"},
                                     {",social_enterprise,", ",castle,"},
                                     {",supported_employment,", ",castle,"}});
  import.set_content(absl::StrJoin(lines, "\n"));
  v1::ImportReport report;
  ASSERT_TRUE(
      admin->ImportData(CallAs(kAdminToken).get(), import, &report).ok());
  EXPECT_EQ(report.rows_read(), 150u);
  EXPECT_EQ(report.rows_rejected(), 1u);
  EXPECT_EQ(report.rows_updated(), 149u);
  ASSERT_EQ(report.errors_size(), 1);
  EXPECT_EQ(report.errors(0).line(), 3u);
  EXPECT_EQ(report.errors(0).field(), "kind");
  EXPECT_EQ(report.errors(0).value(), "castle");

  // Coaches may not import.
  EXPECT_EQ(admin->ImportData(CallAs(kCoachToken).get(), import, &report)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// The wording admin_service.proto documents for a header that lacks a
// required column: the file's name, its line, the column; nothing imported.
TEST_F(ApiTest, ImportOfAFileLackingAColumnNamesTheColumn) {
  auto admin = v1::AdminService::NewStub(server_->channel());
  v1::ImportRequest import;
  import.set_kind(v1::DATA_KIND_PARTICIPANTS);
  import.set_file_name("participants.csv");
  import.set_content(
      "id,coach_id,birth_year,municipality\nP9999999,C0136-01,1990,0136\n");
  v1::ImportReport report;
  const grpc::Status status =
      admin->ImportData(CallAs(kAdminToken).get(), import, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "participants.csv:1: missing column 'travel_mode'");

  // Without a file name the kind's file name is used.
  import.clear_file_name();
  import.set_kind(v1::DATA_KIND_OPENINGS);
  import.set_content("id\nO999999\n");
  EXPECT_EQ(admin->ImportData(CallAs(kAdminToken).get(), import, &report)
                .error_message(),
            "openings.csv:1: missing column 'kind'");
}

}  // namespace
}  // namespace placement::service

namespace placement::service {
namespace {

TEST_F(ApiTest, FullOpeningsAreListedOnlyOnRequestAndMarkedIneligible) {
  // Every suggestion by default has a free place; asking for full openings
  // may add some, each marked with the one rule that excludes it.
  int full_listed = 0;
  for (const v1::Participant& p : Caseload()) {
    v1::SuggestOpeningsRequest request;
    request.set_participant_id(p.id());
    request.set_k(20);
    v1::SuggestOpeningsResponse strict;
    ASSERT_TRUE(
        Coach()
            ->SuggestOpenings(CallAs(kCoachToken).get(), request, &strict)
            .ok());
    for (const v1::Match& match : strict.suggestions())
      EXPECT_TRUE(match.eligible());
    request.mutable_filters()->set_include_full_openings(true);
    v1::SuggestOpeningsResponse relaxed;
    ASSERT_TRUE(
        Coach()
            ->SuggestOpenings(CallAs(kCoachToken).get(), request, &relaxed)
            .ok());
    for (const v1::Match& match : relaxed.suggestions()) {
      if (match.eligible()) continue;
      ++full_listed;
      ASSERT_EQ(match.exclusions_size(), 1);
      EXPECT_EQ(match.exclusions(0).rule(), v1::HARD_RULE_NO_FREE_PLACE);
    }
  }
  EXPECT_GT(full_listed, 0);
}

TEST_F(ApiTest, UpdateChangesOnlyTheNamedFieldsOfAParticipant) {
  const std::vector<v1::Participant> caseload = Caseload();
  ASSERT_GE(caseload.size(), 2u);
  const v1::Participant& before = caseload[1];
  v1::UpdateParticipantRequest request;
  request.mutable_participant()->set_id(before.id());
  // Values sent for fields not named are ignored.
  request.mutable_participant()->set_max_travel_minutes(
      before.max_travel_minutes() == 77 ? 78 : 77);
  request.mutable_participant()->set_hours_per_week_available(1);
  request.mutable_participant()->add_wanted_fields("animal_care");
  request.mutable_update_mask()->add_paths("max_travel_minutes");
  request.mutable_update_mask()->add_paths("wanted_fields");
  v1::Participant updated;
  const grpc::Status status = Registry()->UpdateParticipant(
      CallAs(kCoachToken).get(), request, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.max_travel_minutes(),
            request.participant().max_travel_minutes());
  ASSERT_EQ(updated.wanted_fields_size(), 1);
  EXPECT_EQ(updated.wanted_fields(0), "animal_care");

  v1::GetParticipantRequest get;
  get.set_participant_id(before.id());
  v1::Participant stored;
  ASSERT_TRUE(
      Registry()->GetParticipant(CallAs(kCoachToken).get(), get, &stored).ok());
  v1::Participant expected = before;
  expected.set_max_travel_minutes(request.participant().max_travel_minutes());
  *expected.mutable_wanted_fields() = request.participant().wanted_fields();
  expected.clear_updated_at();
  stored.clear_updated_at();
  EXPECT_EQ(stored.SerializeAsString(), expected.SerializeAsString())
      << stored.DebugString();
}

TEST_F(ApiTest, UpdateRefusesBadMasksOtherCaseloadsAndInvalidValues) {
  const v1::Participant own = Caseload().at(0);
  auto update = [&](const std::vector<std::string>& paths,
                    const v1::Participant& values, const std::string& token) {
    v1::UpdateParticipantRequest request;
    *request.mutable_participant() = values;
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    v1::Participant response;
    return Registry()->UpdateParticipant(CallAs(token).get(), request,
                                         &response);
  };
  v1::Participant values;
  values.set_id(own.id());
  const struct {
    std::vector<std::string> paths;
    std::string message;
  } kBadMasks[] = {
      {{}, "update_mask: required"},
      {{"salary"}, "update_mask: \"salary\" is not a field of Participant"},
      {{"updated_at"}, "update_mask: \"updated_at\" is output only"},
      {{"sensitive_fields_redacted"},
       "update_mask: \"sensitive_fields_redacted\" is output only"},
      {{"id"}, "update_mask: \"id\" is immutable"},
      {{"home.nowhere"}, "\"home.nowhere\" is not a field of Participant"},
  };
  for (const auto& bad : kBadMasks) {
    const grpc::Status status = update(bad.paths, values, kCoachToken);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << bad.message;
    EXPECT_THAT(status.error_message(), HasSubstr(bad.message));
  }
  // The changed record must still be valid.
  values.set_max_travel_minutes(500);
  grpc::Status status = update({"max_travel_minutes"}, values, kCoachToken);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("max_travel_minutes"));
  // Another coach's participant, and one that does not exist, look the same.
  values.set_max_travel_minutes(30);
  status = update({"max_travel_minutes"}, values, kOtherCoachToken);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::Participant unknown = values;
  unknown.set_id("P9999999");
  status = update({"max_travel_minutes"}, unknown, kCoachToken);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A coach may not hand a participant over by naming coach_id.
  values.set_coach_id("C1280-04");
  status = update({"coach_id"}, values, kCoachToken);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("participant.coach_id"));
  // Nothing of the refused updates was stored.
  v1::GetParticipantRequest get;
  get.set_participant_id(own.id());
  v1::Participant stored;
  ASSERT_TRUE(
      Registry()->GetParticipant(CallAs(kCoachToken).get(), get, &stored).ok());
  EXPECT_EQ(stored.max_travel_minutes(), own.max_travel_minutes());
  EXPECT_EQ(stored.coach_id(), kCoachPrincipal);
}

}  // namespace
}  // namespace placement::service
