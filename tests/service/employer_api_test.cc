// End to end over loopback against the real placement-server: the
// EmployerService RPCs (life cycle, validation, paging, roles, candidates,
// supply gaps), that employer-contact staff never receive health data, and
// the `placement opening|candidates|gaps` CLI commands.

#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "placement/v1/admin_service.grpc.pb.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "placement/v1/employer_service.grpc.pb.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "tests/testing/running_server.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::kAdminToken;
using ::placement::testing::kCoachPrincipal;
using ::placement::testing::kCoachToken;
using ::placement::testing::kEmployerToken;
using ::placement::testing::kOperatorToken;
using ::placement::testing::Reference;
using ::placement::testing::RunAndCapture;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::testing::HasSubstr;
using ::testing::Not;

// The third demo coach (data/demo/credentials.csv).
constexpr char kHalleforsCoachToken[] = "demo-coach-hallefors-1863-01";
constexpr char kEmployerPrincipal[] = "EC-0001";

// A participant the tests add to the Haninge coach's caseload, with a hard
// need (wheelchair) and a vetoed organisation: both must exclude silently.
constexpr char kTestParticipant[] = "PEMP0001";
constexpr char kVetoedOrganisation[] = "ORG90666";
constexpr double kHaningeLatitude = 59.1681;
constexpr double kHaningeLongitude = 18.1386;

std::string Token(const std::string& role) {
  if (role == "coach") return kCoachToken;
  if (role == "employer_contact") return kEmployerToken;
  if (role == "operator") return kOperatorToken;
  if (role == "admin") return kAdminToken;
  return "";
}
const std::vector<std::string> kRoles = {"coach", "employer_contact",
                                         "operator", "admin"};

v1::Date MakeDate(uint32_t year, uint32_t month, uint32_t day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

// A complete opening in Haninge, without an id.
v1::Opening BaseOpening(const std::string& organisation = "ORG90001") {
  v1::Opening o;
  o.set_kind(v1::OPENING_KIND_WORK_TRAINING);
  o.set_organisation_id(organisation);
  o.set_organisation_name("Testgården");
  o.set_title("Café assistant");
  o.mutable_location()->set_municipality_code("0136");
  o.mutable_location()->mutable_point()->set_latitude(kHaningeLatitude);
  o.mutable_location()->mutable_point()->set_longitude(kHaningeLongitude);
  o.set_occupation_field("kitchen_restaurant");
  o.add_supports_offered("step_free_access");
  o.set_capacity(2);
  o.set_min_hours_per_week(10);
  o.set_max_hours_per_week(30);
  o.set_step(3);
  *o.mutable_start_date() = MakeDate(2026, 12, 1);
  *o.mutable_end_date() = MakeDate(2027, 6, 30);
  return o;
}

// Text that names a support need or a support that meets one: every slug
// and label of the catalogue (data/support/).
bool NamesASupport(const std::string& text) {
  const std::string lower = absl::AsciiStrToLower(text);
  std::vector<std::string> words;
  for (const auto& need : Reference().supports.needs()) {
    words.insert(words.end(), {need.code, need.label_sv, need.label_en});
  }
  for (const auto& support : Reference().supports.supports()) {
    words.insert(words.end(),
                 {support.code, support.label_sv, support.label_en});
  }
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
    return absl::StrContains(lower, absl::AsciiStrToLower(w));
  });
}

// ... or speaks of support needs at all, in the engine's words.
bool MentionsSupportNeeds(const std::string& text) {
  const std::string lower = absl::AsciiStrToLower(text);
  return NamesASupport(text) || absl::StrContains(lower, "stödbehov") ||
         absl::StrContains(lower, "support need");
}

class EmployerApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir();
    server_ = new RunningServer(*scratch_);
    AddTestParticipant();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete scratch_;
  }

  static std::unique_ptr<v1::EmployerService::Stub> Employer() {
    return v1::EmployerService::NewStub(server_->channel());
  }
  static std::unique_ptr<v1::CoachService::Stub> Coach() {
    return v1::CoachService::NewStub(server_->channel());
  }

  // A Haninge participant with a hard wheelchair need and a veto.
  static void AddTestParticipant() {
    auto registry = v1::ParticipantRegistry::NewStub(server_->channel());
    v1::Participant p;
    p.set_id(kTestParticipant);
    p.set_coach_id(kCoachPrincipal);
    p.set_birth_year(1990);
    p.mutable_home()->set_municipality_code("0136");
    p.mutable_home()->mutable_point()->set_latitude(kHaningeLatitude);
    p.mutable_home()->mutable_point()->set_longitude(kHaningeLongitude);
    p.set_travel_mode(v1::TRAVEL_MODE_PUBLIC_TRANSPORT);
    p.set_max_travel_minutes(60);
    p.set_hours_per_week_available(30);
    p.set_step(2);
    p.set_swedish_level(v1::SWEDISH_LEVEL_FLUENT);
    p.add_wanted_fields("kitchen_restaurant");
    v1::SupportNeed* need = p.add_support_needs();
    need->set_need_code("wheelchair_access");
    need->set_strength(v1::NEED_STRENGTH_HARD);
    p.add_vetoed_organisation_ids(kVetoedOrganisation);
    p.set_status(v1::PARTICIPANT_STATUS_ACTIVE);
    v1::UpsertParticipantRequest request;
    *request.mutable_participant() = p;
    v1::Participant saved;
    const grpc::Status status =
        registry->UpsertParticipant(CallAs(kCoachToken).get(), request, &saved);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  static v1::Opening Publish(const v1::Opening& opening, bool draft = false,
                             grpc::Status* status_out = nullptr,
                             const std::string& token = kEmployerToken) {
    v1::PublishOpeningRequest request;
    *request.mutable_opening() = opening;
    request.set_as_draft(draft);
    v1::Opening response;
    const grpc::Status status =
        Employer()->PublishOpening(CallAs(token).get(), request, &response);
    if (status_out != nullptr) {
      *status_out = status;
    } else {
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
    return response;
  }

  static grpc::Status Transition(const std::string& verb, const std::string& id,
                                 v1::Opening* out,
                                 const std::string& token = kEmployerToken,
                                 const std::string& reason = "") {
    auto stub = Employer();
    if (verb == "pause") {
      v1::PauseOpeningRequest request;
      request.set_opening_id(id);
      return stub->PauseOpening(CallAs(token).get(), request, out);
    }
    if (verb == "reopen") {
      v1::ReopenOpeningRequest request;
      request.set_opening_id(id);
      return stub->ReopenOpening(CallAs(token).get(), request, out);
    }
    if (verb == "close") {
      v1::CloseOpeningRequest request;
      request.set_opening_id(id);
      request.set_reason(reason);
      return stub->CloseOpening(CallAs(token).get(), request, out);
    }
    v1::GetOpeningRequest request;
    request.set_opening_id(id);
    return stub->GetOpening(CallAs(token).get(), request, out);
  }

  static v1::SuggestCandidatesResponse Candidates(
      const std::string& id, grpc::Status* status, uint32_t k = 100,
      const std::vector<std::string>& municipalities = {},
      const std::string& token = kEmployerToken) {
    v1::SuggestCandidatesRequest request;
    request.set_opening_id(id);
    request.set_k(k);
    for (const std::string& code : municipalities) {
      request.mutable_filters()->add_municipality_codes(code);
    }
    v1::SuggestCandidatesResponse response;
    *status =
        Employer()->SuggestCandidates(CallAs(token).get(), request, &response);
    return response;
  }

  static std::vector<std::string> CandidateIds(const std::string& opening_id) {
    grpc::Status status;
    v1::SuggestCandidatesResponse response =
        Candidates(opening_id, &status, 100, {"0136"});
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> ids;
    for (const v1::Candidate& c : response.candidates())
      ids.push_back(c.participant_id());
    return ids;
  }

  static bool CoachIsSuggested(const std::string& opening_id) {
    v1::SuggestOpeningsRequest request;
    request.set_participant_id(kTestParticipant);
    request.set_k(100);
    v1::SuggestOpeningsResponse response;
    const grpc::Status status =
        Coach()->SuggestOpenings(CallAs(kCoachToken).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return std::any_of(
        response.suggestions().begin(), response.suggestions().end(),
        [&](const v1::Match& m) { return m.opening_id() == opening_id; });
  }

  static std::vector<v1::Opening> ListAll(v1::ListOpeningsRequest request,
                                          uint32_t page_size,
                                          int* pages = nullptr) {
    std::vector<v1::Opening> all;
    request.mutable_page()->set_page_size(page_size);
    int count = 0;
    do {
      v1::ListOpeningsResponse response;
      const grpc::Status status = Employer()->ListOpenings(
          CallAs(kEmployerToken).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      all.insert(all.end(), response.openings().begin(),
                 response.openings().end());
      request.mutable_page()->set_page_token(response.next_page_token());
      ++count;
    } while (!request.page().page_token().empty() && count < 1000);
    if (pages != nullptr) *pages = count;
    return all;
  }

  // Imports CSV rows of openings as the admin (places_taken, ended or
  // incomplete drafts cannot be made through the employer API).
  static void ImportOpenings(const std::vector<std::string>& rows) {
    const std::string csv = ::placement::testing::ReadFileOrDie(
        ::placement::testing::DataDir() + "/demo/openings.csv");
    const std::string header = csv.substr(0, csv.find('\n'));
    auto admin = v1::AdminService::NewStub(server_->channel());
    v1::ImportRequest import;
    import.set_kind(v1::DATA_KIND_OPENINGS);
    import.set_file_name("openings.csv");
    import.set_content(
        absl::StrCat(header, "\n", absl::StrJoin(rows, "\n"), "\n"));
    v1::ImportReport report;
    ASSERT_TRUE(
        admin->ImportData(CallAs(kAdminToken).get(), import, &report).ok());
    ASSERT_EQ(report.rows_rejected(), 0u)
        << (report.errors_size() > 0 ? report.errors(0).reason() : "");
  }

  static ScratchDir* scratch_;
  static RunningServer* server_;
};
ScratchDir* EmployerApiTest::scratch_ = nullptr;
RunningServer* EmployerApiTest::server_ = nullptr;

// ---------------------------------------------------------------------------
// PublishOpening

TEST_F(EmployerApiTest, PublishAssignsTheNextIdAndSetsOutputOnlyFields) {
  v1::Opening in = BaseOpening();
  in.set_places_taken(2);                    // output only: ignored
  in.set_status(v1::OPENING_STATUS_CLOSED);  // output only: ignored
  in.mutable_location()->clear_point();      // the municipality's centre
  const v1::Opening first = Publish(in);
  EXPECT_THAT(first.id(), ::testing::MatchesRegex("O[0-9]{6}"));
  EXPECT_GT(first.id(), "O000150");  // after the demo's openings
  EXPECT_EQ(first.places_taken(), 0u);
  EXPECT_EQ(first.status(), v1::OPENING_STATUS_OPEN);
  EXPECT_NEAR(first.location().point().latitude(), kHaningeLatitude, 1e-9);
  EXPECT_EQ(first.title(), "Café assistant");
  const v1::Opening second = Publish(BaseOpening(), /*draft=*/true);
  EXPECT_EQ(second.status(), v1::OPENING_STATUS_DRAFT);
  EXPECT_EQ(std::stoi(second.id().substr(1)),
            std::stoi(first.id().substr(1)) + 1);

  // Stored: the next read sees it.
  v1::Opening fetched;
  ASSERT_TRUE(Transition("get", second.id(), &fetched).ok());
  EXPECT_EQ(fetched.SerializeAsString(), second.SerializeAsString());

  // A given id is kept.
  v1::Opening named = BaseOpening();
  named.set_id("OTEST-named");
  EXPECT_EQ(Publish(named).id(), "OTEST-named");
}

TEST_F(EmployerApiTest, PublishRejectsBadFieldsNamingFieldAndValue) {
  struct Case {
    std::function<void(v1::Opening&)> change;
    grpc::StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {[](v1::Opening& o) { o.set_capacity(0); },
       grpc::StatusCode::INVALID_ARGUMENT,
       "opening.capacity: '0' outside the range 1 to 1000"},
      {[](v1::Opening& o) {
         o.mutable_location()->mutable_point()->set_longitude(30.1);
       },
       grpc::StatusCode::INVALID_ARGUMENT,
       "opening.location.point.longitude: '30.1' outside the range"},
      {[](v1::Opening& o) { o.clear_step(); },
       grpc::StatusCode::INVALID_ARGUMENT, "opening.step: required"},
      {[](v1::Opening& o) {
         *o.mutable_start_date() = MakeDate(2027, 2, 1);
         *o.mutable_end_date() = MakeDate(2027, 1, 31);
       },
       grpc::StatusCode::INVALID_ARGUMENT,
       "opening.end_date: '2027-01-31' before start_date"},
      {[](v1::Opening& o) {
         *o.mutable_start_date() = MakeDate(2026, 1, 1);
         *o.mutable_end_date() = MakeDate(2026, 1, 31);
       },
       grpc::StatusCode::INVALID_ARGUMENT,
       "opening.end_date: 2026-01-31 has passed"},
      {[](v1::Opening& o) { o.clear_title(); },
       grpc::StatusCode::INVALID_ARGUMENT, "opening.title: '' is required"},
      {[](v1::Opening& o) { o.set_kind(v1::OPENING_KIND_UNSPECIFIED); },
       grpc::StatusCode::INVALID_ARGUMENT,
       "opening.kind: 0 is not an opening kind"},
      {[](v1::Opening& o) { o.add_supports_offered("free_lunch"); },
       grpc::StatusCode::INVALID_ARGUMENT,
       "opening.supports_offered: 'free_lunch' no such support"},
      {[](v1::Opening& o) { o.mutable_eligibility()->set_max_age(101); },
       grpc::StatusCode::INVALID_ARGUMENT,
       "opening.eligibility.max_age: '101' outside the range 0 to 100"},
      {[](v1::Opening& o) { o.set_id("bad id!"); },
       grpc::StatusCode::INVALID_ARGUMENT, "opening.id: 'bad id!'"},
      {[](v1::Opening& o) { o.set_id("O000001"); },
       grpc::StatusCode::ALREADY_EXISTS,
       "opening.id: 'O000001' is already used"},
  };
  for (const Case& c : cases) {
    v1::Opening opening = BaseOpening();
    c.change(opening);
    grpc::Status status;
    Publish(opening, false, &status);
    EXPECT_EQ(status.error_code(), c.code) << c.message;
    EXPECT_THAT(status.error_message(), HasSubstr(c.message));
  }
  v1::PublishOpeningRequest empty;
  v1::Opening ignored;
  const grpc::Status status =
      Employer()->PublishOpening(CallAs(kEmployerToken).get(), empty, &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("opening: required"));
}

// ---------------------------------------------------------------------------
// UpdateOpening

TEST_F(EmployerApiTest, UpdateChangesOnlyTheNamedFields) {
  const v1::Opening stored = Publish(BaseOpening());
  v1::UpdateOpeningRequest request;
  request.mutable_opening()->set_id(stored.id());
  request.mutable_opening()->set_capacity(5);
  request.mutable_opening()->add_supports_offered("sign_language");
  request.mutable_opening()->mutable_eligibility()->set_max_age(30);
  request.mutable_opening()->set_title("ignored: not in the mask");
  request.mutable_update_mask()->add_paths("capacity");
  request.mutable_update_mask()->add_paths("supports_offered");
  request.mutable_update_mask()->add_paths("eligibility.max_age");
  v1::Opening updated;
  grpc::Status status = Employer()->UpdateOpening(CallAs(kEmployerToken).get(),
                                                  request, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.capacity(), 5u);
  ASSERT_EQ(updated.supports_offered_size(), 1);  // replaced as a whole
  EXPECT_EQ(updated.supports_offered(0), "sign_language");
  EXPECT_EQ(updated.eligibility().max_age(), 30u);
  EXPECT_EQ(updated.title(), stored.title());
  EXPECT_EQ(updated.status(), v1::OPENING_STATUS_OPEN);
  // Idempotent.
  v1::Opening again;
  ASSERT_TRUE(Employer()
                  ->UpdateOpening(CallAs(kEmployerToken).get(), request, &again)
                  .ok());
  EXPECT_EQ(again.SerializeAsString(), updated.SerializeAsString());
  v1::Opening fetched;
  ASSERT_TRUE(Transition("get", stored.id(), &fetched).ok());
  EXPECT_EQ(fetched.SerializeAsString(), updated.SerializeAsString());
}

TEST_F(EmployerApiTest, UpdateRejectsBadMasksValuesAndStates) {
  const v1::Opening stored = Publish(BaseOpening());
  auto update = [&](const std::string& id,
                    const std::vector<std::string>& paths,
                    std::function<void(v1::Opening&)> change) {
    v1::UpdateOpeningRequest request;
    request.mutable_opening()->set_id(id);
    change(*request.mutable_opening());
    for (const std::string& p : paths)
      request.mutable_update_mask()->add_paths(p);
    v1::Opening ignored;
    return Employer()->UpdateOpening(CallAs(kEmployerToken).get(), request,
                                     &ignored);
  };
  auto nothing = [](v1::Opening&) {};
  struct Case {
    grpc::Status status;
    grpc::StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {update(stored.id(), {}, nothing), grpc::StatusCode::INVALID_ARGUMENT,
       "update_mask: required"},
      {update(stored.id(), {"places_taken"}, nothing),
       grpc::StatusCode::INVALID_ARGUMENT,
       "update_mask: \"places_taken\" is output only"},
      {update(stored.id(), {"status"}, nothing),
       grpc::StatusCode::INVALID_ARGUMENT,
       "update_mask: \"status\" is output only"},
      {update(stored.id(), {"id"}, nothing), grpc::StatusCode::INVALID_ARGUMENT,
       "update_mask: \"id\" is immutable"},
      {update(stored.id(), {"salary"}, nothing),
       grpc::StatusCode::INVALID_ARGUMENT,
       "update_mask: \"salary\" is not a field of Opening"},
      {update(stored.id(), {"capacity.value"}, nothing),
       grpc::StatusCode::INVALID_ARGUMENT,
       "update_mask: \"capacity.value\" is not a field of Opening"},
      {update(stored.id(), {"min_hours_per_week"},
              [](v1::Opening& o) { o.set_min_hours_per_week(50); }),
       grpc::StatusCode::INVALID_ARGUMENT,
       "opening.max_hours_per_week: '30' below min_hours 50"},
      {update(stored.id(), {"capacity"}, nothing),
       grpc::StatusCode::INVALID_ARGUMENT,
       "opening.capacity: '0' outside the range 1 to 1000"},
      {update(stored.id(), {"title"}, nothing),
       grpc::StatusCode::INVALID_ARGUMENT, "opening.title: '' is required"},
      {update(stored.id(), {"step"}, nothing),
       grpc::StatusCode::INVALID_ARGUMENT, "opening.step: required"},
      {update(stored.id(), {"start_date", "end_date"},
              [](v1::Opening& o) {
                *o.mutable_end_date() = MakeDate(2026, 1, 31);
                *o.mutable_start_date() = MakeDate(2026, 1, 1);
              }),
       grpc::StatusCode::INVALID_ARGUMENT,
       "opening.end_date: 2026-01-31 has passed"},
      {update("", {"capacity"}, nothing), grpc::StatusCode::INVALID_ARGUMENT,
       "opening.id: required"},
      {update("O999999", {"capacity"},
              [](v1::Opening& o) { o.set_capacity(3); }),
       grpc::StatusCode::NOT_FOUND, "opening.id: 'O999999' does not exist"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.error_code(), c.code) << c.message;
    EXPECT_THAT(c.status.error_message(), HasSubstr(c.message));
  }
  // Nothing of it was stored.
  v1::Opening fetched;
  ASSERT_TRUE(Transition("get", stored.id(), &fetched).ok());
  EXPECT_EQ(fetched.SerializeAsString(), stored.SerializeAsString());

  // Capacity below the places taken: a state, not a bad argument.
  ImportOpenings(
      {"OTEST-busy,work_training,ORG90002,Busy AB,Busy slot,0136,59.1681,"
       "18.1386,kitchen_restaurant,,,,3,3,10,30,3,0,0,,none,2026-11-01,,open"});
  const grpc::Status below = update("OTEST-busy", {"capacity"},
                                    [](v1::Opening& o) { o.set_capacity(2); });
  EXPECT_EQ(below.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(below.error_message(),
              HasSubstr("opening.capacity: 2 is below places_taken 3"));
  EXPECT_TRUE(update("OTEST-busy", {"capacity"}, [](v1::Opening& o) {
                o.set_capacity(4);
              }).ok());

  // A closed opening cannot change.
  v1::Opening closed;
  ASSERT_TRUE(Transition("close", stored.id(), &closed).ok());
  const grpc::Status after_close = update(
      stored.id(), {"capacity"}, [](v1::Opening& o) { o.set_capacity(3); });
  EXPECT_EQ(after_close.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(after_close.error_message(),
              HasSubstr(absl::StrCat("opening.id: '", stored.id(),
                                     "' is CLOSED; closing is final")));
}

// ---------------------------------------------------------------------------
// The life cycle: DRAFT -> OPEN -> PAUSED -> OPEN -> CLOSED, closing final.

TEST_F(EmployerApiTest, LifeCycleFollowsTheStateMachine) {
  const std::string id = Publish(BaseOpening(), /*draft=*/true).id();
  v1::Opening out;
  auto expect_state = [&](const std::string& verb, v1::OpeningStatus want) {
    const grpc::Status status = Transition(verb, id, &out);
    ASSERT_TRUE(status.ok()) << verb << ": " << status.error_message();
    EXPECT_EQ(out.status(), want) << verb;
    v1::Opening fetched;
    ASSERT_TRUE(Transition("get", id, &fetched).ok());
    EXPECT_EQ(fetched.status(), want) << verb << " then get";
  };
  auto expect_refused = [&](const std::string& verb, const std::string& text) {
    const grpc::Status status = Transition(verb, id, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << verb;
    EXPECT_THAT(status.error_message(), HasSubstr(text)) << verb;
  };
  expect_refused("pause", absl::StrCat("opening_id: '", id, "' is DRAFT"));
  expect_state("reopen", v1::OPENING_STATUS_OPEN);
  expect_state("reopen", v1::OPENING_STATUS_OPEN);  // unchanged
  expect_state("pause", v1::OPENING_STATUS_PAUSED);
  expect_state("pause", v1::OPENING_STATUS_PAUSED);  // unchanged
  expect_state("reopen", v1::OPENING_STATUS_OPEN);
  expect_state("close", v1::OPENING_STATUS_CLOSED);
  expect_state("close", v1::OPENING_STATUS_CLOSED);  // unchanged
  expect_refused("reopen", "is CLOSED; closing is final");
  expect_refused("pause", "is CLOSED");
  grpc::Status status;
  Candidates(id, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("is CLOSED"));

  // A draft closes directly.
  const std::string draft = Publish(BaseOpening(), /*draft=*/true).id();
  ASSERT_TRUE(Transition("close", draft, &out).ok());
  EXPECT_EQ(out.status(), v1::OPENING_STATUS_CLOSED);
}

TEST_F(EmployerApiTest, TransitionsCheckIdsEndDatesAndCompleteness) {
  v1::Opening out;
  for (const std::string verb : {"pause", "reopen", "close", "get"}) {
    grpc::Status status = Transition(verb, "O999999", &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << verb;
    EXPECT_THAT(status.error_message(),
                HasSubstr("opening_id: 'O999999' does not exist"));
    status = Transition(verb, "no such id!", &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << verb;
    EXPECT_THAT(status.error_message(), HasSubstr("opening_id: 'no such id!'"));
    status = Transition(verb, "", &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << verb;
    EXPECT_THAT(status.error_message(), HasSubstr("opening_id: required"));
  }
  // An ended paused opening, and a draft without a title, as imports can
  // leave them.
  ImportOpenings(
      {"OTEST-ended,work_training,ORG90003,Ended AB,Old slot,0136,59.1681,"
       "18.1386,kitchen_restaurant,,,,2,0,10,30,3,0,0,,none,2026-01-01,"
       "2026-01-31,paused",
       "OTEST-draft,work_training,ORG90003,Draft AB,,0136,59.1681,18.1386,"
       "kitchen_restaurant,,,,2,0,10,30,3,0,0,,none,2026-12-01,,draft"});
  grpc::Status status = Transition("reopen", "OTEST-ended", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(),
              HasSubstr("'OTEST-ended' has end_date 2026-01-31, which has "
                        "passed"));
  status = Transition("reopen", "OTEST-draft", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(),
              HasSubstr("incomplete draft: opening.title: '' is required"));

  // The close reason: at most 500 characters (not bytes).
  const std::string id = Publish(BaseOpening()).id();
  status = Transition("close", id, &out, kEmployerToken, std::string(501, 'x'));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("reason: 501 characters is above the maximum 500"));
  std::string long_swedish;
  for (int i = 0; i < 500; ++i) long_swedish += "ö";
  ASSERT_TRUE(Transition("close", id, &out, kEmployerToken, long_swedish).ok());
  EXPECT_EQ(out.status(), v1::OPENING_STATUS_CLOSED);
}

// Closing expires the opening's PENDING proposals, in the same transaction
// as the status change; other proposals are untouched.
TEST_F(EmployerApiTest, CloseExpiresPendingProposalsOfThatOpeningOnly) {
  const std::string closing = Publish(BaseOpening()).id();
  const std::string other = Publish(BaseOpening()).id();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(server_->db_path().c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  auto exec = [&](const std::string& sql) {
    char* error = nullptr;
    const int code = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(code, SQLITE_OK) << (error ? error : "") << " in " << sql;
    sqlite3_free(error);
  };
  auto insert = [&](const std::string& proposal, const std::string& opening,
                    const std::string& state) {
    exec(absl::StrCat(
        "INSERT INTO proposals (proposal_id, run_id, participant_id, "
        "opening_id, state, score, created_at) VALUES ('",
        proposal, "', 'RTEST', 'P0000001', '", opening, "', '", state,
        "', 0.5, 0)"));
  };
  insert("PRTEST-1", closing, "pending");
  insert("PRTEST-2", closing, "pending");
  insert("PRTEST-3", closing, "rejected");
  insert("PRTEST-4", other, "pending");
  auto state_of = [&](const std::string& proposal) {
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(
                  db, "SELECT state FROM proposals WHERE proposal_id = ?", -1,
                  &statement, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(statement, 1, proposal.c_str(), -1, SQLITE_TRANSIENT);
    std::string state;
    if (sqlite3_step(statement) == SQLITE_ROW) {
      state = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    return state;
  };

  v1::Opening out;
  ASSERT_TRUE(
      Transition("close", closing, &out, kEmployerToken, "supervisor left")
          .ok());
  EXPECT_EQ(state_of("PRTEST-1"), "expired");
  EXPECT_EQ(state_of("PRTEST-2"), "expired");
  EXPECT_EQ(state_of("PRTEST-3"), "rejected");
  EXPECT_EQ(state_of("PRTEST-4"), "pending");
  exec("DELETE FROM proposals WHERE run_id = 'RTEST'");
  sqlite3_close(db);

  // The close is logged without its free text or the caller's principal.
  EXPECT_THAT(server_->log(), HasSubstr(absl::StrCat(
                                  "event=opening.closed opening_id=", closing,
                                  " role=employer_contact "
                                  "proposals_expired=2 "
                                  "reason_characters=15")));
  EXPECT_THAT(server_->log(), Not(HasSubstr("supervisor left")));
  EXPECT_THAT(server_->log(), Not(HasSubstr(kEmployerPrincipal)));
}

// ---------------------------------------------------------------------------
// GetOpening and ListOpenings

TEST_F(EmployerApiTest, ListPagesThroughEveryOpeningInIdOrder) {
  const std::vector<v1::Opening> one_page = ListAll({}, 500);
  ASSERT_GE(one_page.size(), 150u);
  int pages = 0;
  const std::vector<v1::Opening> paged = ListAll({}, 7, &pages);
  ASSERT_EQ(paged.size(), one_page.size());
  EXPECT_EQ(pages, static_cast<int>((one_page.size() + 6) / 7));
  for (size_t i = 0; i < paged.size(); ++i) {
    EXPECT_EQ(paged[i].id(), one_page[i].id());
    if (i > 0) {
      EXPECT_LT(paged[i - 1].id(), paged[i].id());
    }
  }
  // 0 means 50; above 500 means 500.
  v1::ListOpeningsRequest request;
  v1::ListOpeningsResponse response;
  ASSERT_TRUE(
      Employer()
          ->ListOpenings(CallAs(kEmployerToken).get(), request, &response)
          .ok());
  EXPECT_EQ(response.openings_size(), 50);
  EXPECT_EQ(response.next_page_token().empty(), false);
  request.mutable_page()->set_page_size(100000);
  ASSERT_TRUE(
      Employer()
          ->ListOpenings(CallAs(kEmployerToken).get(), request, &response)
          .ok());
  EXPECT_EQ(static_cast<size_t>(response.openings_size()),
            std::min<size_t>(one_page.size(), 500));
}

TEST_F(EmployerApiTest, ListFiltersByStatusKindMunicipalityAndOrganisation) {
  v1::ListOpeningsRequest request;
  request.add_statuses(v1::OPENING_STATUS_OPEN);
  request.add_kinds(v1::OPENING_KIND_WORK_TRAINING);
  request.add_kinds(v1::OPENING_KIND_ENHANCED_WORK_TRAINING);
  request.add_municipality_codes("0880");
  request.add_municipality_codes("1863");
  const std::vector<v1::Opening> found = ListAll(request, 5);
  ASSERT_FALSE(found.empty());
  for (const v1::Opening& o : found) {
    EXPECT_EQ(o.status(), v1::OPENING_STATUS_OPEN);
    EXPECT_TRUE(o.kind() == v1::OPENING_KIND_WORK_TRAINING ||
                o.kind() == v1::OPENING_KIND_ENHANCED_WORK_TRAINING);
    EXPECT_TRUE(o.location().municipality_code() == "0880" ||
                o.location().municipality_code() == "1863");
  }
  // The same set as filtering everything by hand.
  size_t expected = 0;
  for (const v1::Opening& o : ListAll({}, 500)) {
    expected += o.status() == v1::OPENING_STATUS_OPEN &&
                (o.kind() == v1::OPENING_KIND_WORK_TRAINING ||
                 o.kind() == v1::OPENING_KIND_ENHANCED_WORK_TRAINING) &&
                (o.location().municipality_code() == "0880" ||
                 o.location().municipality_code() == "1863");
  }
  EXPECT_EQ(found.size(), expected);

  v1::ListOpeningsRequest by_organisation;
  by_organisation.set_organisation_id("ORG90077");
  Publish(BaseOpening("ORG90077"));
  Publish(BaseOpening("ORG90077"), /*draft=*/true);
  const std::vector<v1::Opening> own = ListAll(by_organisation, 50);
  ASSERT_EQ(own.size(), 2u);
  for (const v1::Opening& o : own) EXPECT_EQ(o.organisation_id(), "ORG90077");
  by_organisation.add_statuses(v1::OPENING_STATUS_DRAFT);
  EXPECT_EQ(ListAll(by_organisation, 50).size(), 1u);
}

TEST_F(EmployerApiTest, ListRejectsMalformedFiltersAndForeignTokens) {
  auto list = [](const v1::ListOpeningsRequest& request) {
    v1::ListOpeningsResponse response;
    return Employer()->ListOpenings(CallAs(kEmployerToken).get(), request,
                                    &response);
  };
  struct Case {
    std::function<void(v1::ListOpeningsRequest&)> change;
    std::string message;
  };
  v1::ListOpeningsRequest first;
  first.mutable_page()->set_page_size(3);
  v1::ListOpeningsResponse page;
  ASSERT_TRUE(Employer()
                  ->ListOpenings(CallAs(kEmployerToken).get(), first, &page)
                  .ok());
  const std::string token = page.next_page_token();
  ASSERT_FALSE(token.empty());
  const std::vector<Case> cases = {
      {[](auto& r) { r.add_statuses(v1::OPENING_STATUS_UNSPECIFIED); },
       "statuses[0]: 0 is not an opening status"},
      {[](auto& r) { r.add_kinds(static_cast<v1::OpeningKind>(9)); },
       "kinds[0]: 9 is not an opening kind"},
      {[](auto& r) { r.add_municipality_codes("186"); },
       "municipality_codes[0]: '186' is not a 4-digit municipality code"},
      {[](auto& r) { r.add_municipality_codes("9999"); },
       "municipality_codes[0]: '9999' is not a municipality code"},
      {[](auto& r) { r.set_organisation_id("ORG 1"); },
       "organisation_id: 'ORG 1'"},
      {[&](auto& r) {
         r.mutable_page()->set_page_token(token);
         r.add_statuses(v1::OPENING_STATUS_OPEN);
       },
       "page.page_token: does not match the request's filters"},
      {[](auto& r) { r.mutable_page()->set_page_token("garbage"); },
       "page.page_token: 'garbage' is not a token of ListOpenings"},
  };
  for (const Case& c : cases) {
    v1::ListOpeningsRequest request;
    c.change(request);
    const grpc::Status status = list(request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.message;
    EXPECT_THAT(status.error_message(), HasSubstr(c.message));
  }
}

// ---------------------------------------------------------------------------
// Roles, RPC by RPC. Requests are invalid on purpose, so a call that passes
// the role check changes nothing and answers INVALID_ARGUMENT.

TEST_F(EmployerApiTest, EachRpcAdmitsExactlyItsRoles) {
  auto stub = Employer();
  using Call = std::function<grpc::Status(grpc::ClientContext*)>;
  struct Rpc {
    std::string name;
    std::set<std::string> allowed;
    Call call;
  };
  const std::set<std::string> writers = {"employer_contact", "admin"};
  const std::set<std::string> readers = {"employer_contact", "coach",
                                         "operator", "admin"};
  v1::Opening opening;
  const std::vector<Rpc> rpcs = {
      {"PublishOpening", writers,
       [&](grpc::ClientContext* c) {
         return stub->PublishOpening(c, v1::PublishOpeningRequest(), &opening);
       }},
      {"UpdateOpening", writers,
       [&](grpc::ClientContext* c) {
         return stub->UpdateOpening(c, v1::UpdateOpeningRequest(), &opening);
       }},
      {"PauseOpening", writers,
       [&](grpc::ClientContext* c) {
         return stub->PauseOpening(c, v1::PauseOpeningRequest(), &opening);
       }},
      {"ReopenOpening", writers,
       [&](grpc::ClientContext* c) {
         return stub->ReopenOpening(c, v1::ReopenOpeningRequest(), &opening);
       }},
      {"CloseOpening", writers,
       [&](grpc::ClientContext* c) {
         return stub->CloseOpening(c, v1::CloseOpeningRequest(), &opening);
       }},
      {"GetOpening", readers,
       [&](grpc::ClientContext* c) {
         return stub->GetOpening(c, v1::GetOpeningRequest(), &opening);
       }},
      {"ListOpenings", readers,
       [&](grpc::ClientContext* c) {
         v1::ListOpeningsRequest request;
         request.add_statuses(v1::OPENING_STATUS_UNSPECIFIED);
         v1::ListOpeningsResponse response;
         return stub->ListOpenings(c, request, &response);
       }},
      {"SuggestCandidates", writers,
       [&](grpc::ClientContext* c) {
         v1::SuggestCandidatesResponse response;
         return stub->SuggestCandidates(c, v1::SuggestCandidatesRequest(),
                                        &response);
       }},
      {"GetSupplyGaps", readers,
       [&](grpc::ClientContext* c) {
         v1::GetSupplyGapsRequest request;
         request.add_municipality_codes("12");
         v1::GetSupplyGapsResponse response;
         return stub->GetSupplyGaps(c, request, &response);
       }},
  };
  for (const Rpc& rpc : rpcs) {
    for (const std::string& role : kRoles) {
      const grpc::Status status = rpc.call(CallAs(Token(role)).get());
      if (rpc.allowed.count(role)) {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
            << rpc.name << " as " << role << ": " << status.error_message();
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << rpc.name << " as " << role;
        EXPECT_THAT(status.error_message(),
                    HasSubstr(absl::StrCat("the role ", role,
                                           " may not call EmployerService.",
                                           rpc.name)));
      }
    }
    EXPECT_EQ(rpc.call(CallAs("").get()).error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << rpc.name;
    EXPECT_EQ(rpc.call(CallAs("not-a-token-at-all-xyz").get()).error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << rpc.name;
  }
  // The happy paths of the admin (writers) and the other readers.
  const v1::Opening published =
      Publish(BaseOpening(), false, nullptr, kAdminToken);
  EXPECT_EQ(published.status(), v1::OPENING_STATUS_OPEN);
  for (const std::string& role : kRoles) {
    v1::Opening fetched;
    EXPECT_TRUE(Transition("get", published.id(), &fetched, Token(role)).ok())
        << role;
  }
  grpc::Status status;
  Candidates(published.id(), &status, 5, {}, kAdminToken);
  EXPECT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(Transition("close", published.id(), &opening, kAdminToken).ok());
}

// ---------------------------------------------------------------------------
// SuggestCandidates

TEST_F(EmployerApiTest, CandidatesAreRankedScoredAndExplainedWithoutSupport) {
  grpc::Status status;
  const v1::SuggestCandidatesResponse response =
      Candidates("O000001", &status, 25);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GT(response.candidates_size(), 0);
  EXPECT_LE(response.candidates_size(), 25);
  EXPECT_EQ(response.profile_name(), "default");
  EXPECT_GT(response.snapshot_version(), 0u);
  std::set<std::string> seen;
  for (int i = 0; i < response.candidates_size(); ++i) {
    const v1::Candidate& c = response.candidates(i);
    EXPECT_TRUE(seen.insert(c.participant_id()).second);
    EXPECT_FALSE(c.coach_id().empty());
    ASSERT_EQ(c.components_size(), 5);
    double sum = 0;
    for (const v1::ComponentScore& s : c.components()) sum += s.contribution();
    EXPECT_NEAR(sum, c.score(), 1e-9);
    EXPECT_FALSE(c.reasons().empty());
    EXPECT_LE(c.reasons_size(), 10);
    for (const v1::Reason& r : c.reasons()) {
      EXPECT_NE(r.component(), v1::SCORE_COMPONENT_SUPPORT);
      EXPECT_NE(r.component(), v1::SCORE_COMPONENT_UNSPECIFIED);
      EXPECT_FALSE(r.text().sv().empty());
      EXPECT_FALSE(r.text().en().empty());
    }
    if (i > 0) {
      EXPECT_GE(response.candidates(i - 1).score(), c.score());
    }
  }
  // The default k is 10.
  EXPECT_LE(Candidates("O000001", &status, 0).candidates_size(), 10);

  // A travel limit never widens, and narrows.
  v1::SuggestCandidatesRequest request;
  request.set_opening_id("O000001");
  request.set_k(100);
  request.mutable_filters()->set_max_travel_minutes(20);
  v1::SuggestCandidatesResponse near;
  ASSERT_TRUE(
      Employer()
          ->SuggestCandidates(CallAs(kEmployerToken).get(), request, &near)
          .ok());
  for (const v1::Candidate& c : near.candidates()) {
    EXPECT_LE(c.travel().minutes(), 20.0);
  }

  // One language on request: the same reasons, Swedish only.
  v1::SuggestCandidatesRequest swedish;
  swedish.set_opening_id("O000001");
  swedish.set_k(25);
  swedish.set_language(v1::LANGUAGE_SV);
  v1::SuggestCandidatesResponse in_swedish;
  ASSERT_TRUE(Employer()
                  ->SuggestCandidates(CallAs(kEmployerToken).get(), swedish,
                                      &in_swedish)
                  .ok());
  ASSERT_EQ(in_swedish.candidates_size(), response.candidates_size());
  for (int i = 0; i < response.candidates_size(); ++i) {
    const v1::Candidate& whole = response.candidates(i);
    const v1::Candidate& sv = in_swedish.candidates(i);
    ASSERT_EQ(sv.reasons_size(), whole.reasons_size());
    for (int r = 0; r < whole.reasons_size(); ++r) {
      EXPECT_EQ(sv.reasons(r).text().sv(), whole.reasons(r).text().sv());
      EXPECT_EQ(sv.reasons(r).text().en(), "");
    }
  }
}

TEST_F(EmployerApiTest, CandidateRequestsAreValidated) {
  struct Case {
    std::function<void(v1::SuggestCandidatesRequest&)> change;
    grpc::StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.set_k(101); }, grpc::StatusCode::INVALID_ARGUMENT,
       "k: 101 is above the maximum 100"},
      {[](auto& r) { r.mutable_filters()->set_max_travel_minutes(241); },
       grpc::StatusCode::INVALID_ARGUMENT,
       "filters.max_travel_minutes: 241 is above the maximum 240"},
      {[](auto& r) { r.mutable_filters()->add_municipality_codes("18630"); },
       grpc::StatusCode::INVALID_ARGUMENT,
       "filters.municipality_codes[0]: '18630' is not a 4-digit"},
      {[](auto& r) {
         for (int i = 0; i < 301; ++i)
           r.mutable_filters()->add_municipality_codes("1863");
       },
       grpc::StatusCode::INVALID_ARGUMENT,
       "filters.municipality_codes: 301 entries is above the maximum 300"},
      {[](auto& r) { r.set_opening_id("O 1"); },
       grpc::StatusCode::INVALID_ARGUMENT, "opening_id: 'O 1'"},
      {[](auto& r) { r.set_opening_id("O999999"); },
       grpc::StatusCode::NOT_FOUND, "opening_id: 'O999999' does not exist"},
  };
  for (const Case& c : cases) {
    v1::SuggestCandidatesRequest request;
    request.set_opening_id("O000001");
    c.change(request);
    v1::SuggestCandidatesResponse response;
    const grpc::Status status = Employer()->SuggestCandidates(
        CallAs(kEmployerToken).get(), request, &response);
    EXPECT_EQ(status.error_code(), c.code) << c.message;
    EXPECT_THAT(status.error_message(), HasSubstr(c.message));
    EXPECT_FALSE(MentionsSupportNeeds(status.error_message()));
  }
}

// Hard needs and vetoes exclude without a word; drafts and paused openings
// are previewed as if open, full ones as if a place were free.
TEST_F(EmployerApiTest, CandidatesLeaveOutVetoesAndUnmetHardNeedsSilently) {
  auto contains = [](const std::vector<std::string>& ids) {
    return std::find(ids.begin(), ids.end(), kTestParticipant) != ids.end();
  };
  const v1::Opening fitting = Publish(BaseOpening("ORG90010"));
  EXPECT_TRUE(contains(CandidateIds(fitting.id())));

  v1::Opening inaccessible = BaseOpening("ORG90010");
  inaccessible.clear_supports_offered();
  EXPECT_FALSE(contains(CandidateIds(Publish(inaccessible).id())));
  EXPECT_FALSE(
      contains(CandidateIds(Publish(BaseOpening(kVetoedOrganisation)).id())));
  // A field the participant did not ask for lowers the score only.
  v1::Opening unwanted_field = BaseOpening("ORG90010");
  unwanted_field.set_occupation_field("animal_care");
  EXPECT_TRUE(contains(CandidateIds(Publish(unwanted_field).id())));

  // Draft and paused: the same candidates as when open.
  const v1::Opening draft = Publish(BaseOpening("ORG90011"), /*draft=*/true);
  const std::vector<std::string> as_draft = CandidateIds(draft.id());
  EXPECT_TRUE(contains(as_draft));
  v1::Opening out;
  ASSERT_TRUE(Transition("reopen", draft.id(), &out).ok());
  const std::vector<std::string> as_open = CandidateIds(draft.id());
  ASSERT_TRUE(Transition("pause", draft.id(), &out).ok());
  EXPECT_EQ(as_draft, as_open);
  EXPECT_EQ(CandidateIds(draft.id()), as_open);

  // Full: the same candidates as a copy with free places.
  const std::string row_tail =
      ",work_training,ORG90012,Full AB,Full slot,0136,59.1681,18.1386,"
      "kitchen_restaurant,,,step_free_access,2,";
  const std::string row_end = ",10,30,3,0,0,,none,2026-11-01,,open";
  ImportOpenings({absl::StrCat("OTEST-full", row_tail, "2", row_end),
                  absl::StrCat("OTEST-free", row_tail, "0", row_end)});
  const std::vector<std::string> full = CandidateIds("OTEST-full");
  EXPECT_TRUE(contains(full));
  EXPECT_EQ(full, CandidateIds("OTEST-free"));
}

// ---------------------------------------------------------------------------
// Publishing reaches coaches: an open opening is suggested to a fitting
// participant; a paused or closed one is not.

TEST_F(EmployerApiTest, PublishedOpeningsReachCoachesUntilPausedOrClosed) {
  const v1::Opening draft = Publish(BaseOpening("ORG90020"), /*draft=*/true);
  EXPECT_FALSE(CoachIsSuggested(draft.id()));
  v1::Opening out;
  ASSERT_TRUE(Transition("reopen", draft.id(), &out).ok());
  EXPECT_TRUE(CoachIsSuggested(draft.id()));
  ASSERT_TRUE(Transition("pause", draft.id(), &out).ok());
  EXPECT_FALSE(CoachIsSuggested(draft.id()));
  ASSERT_TRUE(Transition("reopen", draft.id(), &out).ok());
  EXPECT_TRUE(CoachIsSuggested(draft.id()));
  ASSERT_TRUE(Transition("close", draft.id(), &out).ok());
  EXPECT_FALSE(CoachIsSuggested(draft.id()));

  // An update is seen by the next suggestion: removing the support the
  // participant's hard need requires takes the opening out.
  const v1::Opening open = Publish(BaseOpening("ORG90021"));
  EXPECT_TRUE(CoachIsSuggested(open.id()));
  v1::UpdateOpeningRequest update;
  update.mutable_opening()->set_id(open.id());
  update.mutable_update_mask()->add_paths("supports_offered");
  ASSERT_TRUE(Employer()
                  ->UpdateOpening(CallAs(kEmployerToken).get(), update, &out)
                  .ok());
  EXPECT_FALSE(CoachIsSuggested(open.id()));
}

// ---------------------------------------------------------------------------
// No health data to employer-contact staff, ever.

TEST_F(EmployerApiTest, EmployerContactsNeverSeeSupportNeedsButCoachesDo) {
  // The detector itself: it knows the catalogue's words.
  ASSERT_TRUE(NamesASupport("offers wheelchair accessible"));
  ASSERT_TRUE(NamesASupport("erbjuder teckenspråk på arbetsplatsen"));
  ASSERT_TRUE(MentionsSupportNeeds("no support needs to meet"));
  ASSERT_FALSE(MentionsSupportNeeds("about 15 min by public transport"));

  v1::ListOpeningsRequest open_ones;
  open_ones.add_statuses(v1::OPENING_STATUS_OPEN);
  const std::vector<v1::Opening> openings = ListAll(open_ones, 500);
  ASSERT_GE(openings.size(), 100u);
  const std::map<std::string, std::string> coach_tokens = {
      {kCoachPrincipal, kCoachToken},
      {"C1280-04", ::placement::testing::kOtherCoachToken},
      {"C1863-01", kHalleforsCoachToken}};
  int candidates = 0;
  int coach_pairs = 0;
  int coach_pairs_with_support_reasons = 0;
  for (const v1::Opening& opening : openings) {
    grpc::Status status;
    const v1::SuggestCandidatesResponse response =
        Candidates(opening.id(), &status, 100);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const v1::Candidate& c : response.candidates()) {
      ++candidates;
      for (const v1::Reason& r : c.reasons()) {
        EXPECT_NE(r.component(), v1::SCORE_COMPONENT_SUPPORT);
        EXPECT_FALSE(MentionsSupportNeeds(r.text().sv()))
            << opening.id() << " " << c.participant_id() << ": "
            << r.text().sv();
        EXPECT_FALSE(MentionsSupportNeeds(r.text().en()))
            << opening.id() << " " << c.participant_id() << ": "
            << r.text().en();
      }
      // The same pair explained to the participant's own coach.
      auto token = coach_tokens.find(c.coach_id());
      if (token == coach_tokens.end() || coach_pairs >= 60) continue;
      ++coach_pairs;
      v1::ExplainMatchRequest explain;
      explain.set_participant_id(c.participant_id());
      explain.set_opening_id(opening.id());
      v1::Match match;
      ASSERT_TRUE(
          Coach()
              ->ExplainMatch(CallAs(token->second).get(), explain, &match)
              .ok());
      const bool support_reason =
          std::any_of(match.reasons().begin(), match.reasons().end(),
                      [](const v1::Reason& r) {
                        return r.component() == v1::SCORE_COMPONENT_SUPPORT &&
                               NamesASupport(r.text().en());
                      });
      coach_pairs_with_support_reasons += support_reason;
    }
  }
  EXPECT_GT(candidates, 1000);
  EXPECT_GT(coach_pairs, 0);
  EXPECT_GT(coach_pairs_with_support_reasons, 0)
      << "coaches see support reasons, so the check above can fail";

  // Nor do errors or the server's log speak of needs.
  grpc::Status status;
  Candidates("O999999", &status);
  EXPECT_FALSE(MentionsSupportNeeds(status.error_message()));
  const std::string log = server_->log();
  for (const auto& need : Reference().supports.needs()) {
    EXPECT_THAT(log, ::testing::Not(HasSubstr(need.label_en)));
    EXPECT_THAT(log, ::testing::Not(HasSubstr(need.label_sv)));
  }
}

// ---------------------------------------------------------------------------
// GetSupplyGaps on the demo data

TEST_F(EmployerApiTest, SupplyGapsNeverShowSmallCounts) {
  auto stub = Employer();
  v1::GetSupplyGapsRequest request;
  v1::GetSupplyGapsResponse response;
  ASSERT_TRUE(
      stub->GetSupplyGaps(CallAs(kEmployerToken).get(), request, &response)
          .ok());
  EXPECT_EQ(response.suppression_threshold(), 5u);
  ASSERT_GT(response.municipalities_size(), 5);
  int suppressed = 0;
  int shown = 0;
  for (int i = 0; i < response.municipalities_size(); ++i) {
    const v1::MunicipalitySupplyGaps& m = response.municipalities(i);
    if (i > 0) {
      EXPECT_LT(response.municipalities(i - 1).municipality_code(),
                m.municipality_code());
    }
    for (const v1::NeedGap& gap : m.need_gaps()) {
      if (gap.suppressed()) {
        EXPECT_EQ(gap.participants(), 0u);
        ++suppressed;
      } else {
        EXPECT_GE(gap.participants(), 5u);
        ++shown;
      }
    }
    for (const v1::FieldGap& gap : m.field_gaps()) {
      if (gap.suppressed()) {
        EXPECT_EQ(gap.participants(), 0u);
        ++suppressed;
      } else {
        EXPECT_GE(gap.participants(), 5u);
      }
    }
  }
  EXPECT_GT(suppressed, 0);

  // Asked-for municipalities come back exactly, by code.
  request.add_municipality_codes("1863");
  request.add_municipality_codes("0136");
  ASSERT_TRUE(
      stub->GetSupplyGaps(CallAs(kCoachToken).get(), request, &response).ok());
  ASSERT_EQ(response.municipalities_size(), 2);
  EXPECT_EQ(response.municipalities(0).municipality_code(), "0136");
  EXPECT_EQ(response.municipalities(1).municipality_code(), "1863");

  v1::GetSupplyGapsRequest bad;
  bad.add_municipality_codes("1863");
  bad.add_municipality_codes("12");
  grpc::Status status =
      stub->GetSupplyGaps(CallAs(kEmployerToken).get(), bad, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("municipality_codes[1]: '12' is not a 4-digit "
                        "municipality code"));
  v1::GetSupplyGapsRequest too_many;
  for (int i = 0; i < 301; ++i) too_many.add_municipality_codes("1863");
  status =
      stub->GetSupplyGaps(CallAs(kEmployerToken).get(), too_many, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("301 entries"));
}

// ---------------------------------------------------------------------------
// The CLI, end to end.

class EmployerCliTest : public EmployerApiTest {
 protected:
  // Runs `placement` against the server; returns the exit code.
  static int Cli(const std::vector<std::string>& args, std::string* output,
                 const std::string& token = kEmployerToken) {
    std::vector<std::string> argv = {PLACEMENT_CLI_PATH,
                                     "--server=" + server_->address(),
                                     "--token=" + token};
    argv.insert(argv.end(), args.begin(), args.end());
    output->clear();
    return RunAndCapture(argv, output);
  }
  static std::string WriteOpening(const std::string& name,
                                  const v1::Opening& opening) {
    std::string json;
    EXPECT_TRUE(
        google::protobuf::util::MessageToJsonString(opening, &json).ok());
    const std::string path = scratch_->File(name);
    ::placement::testing::WriteFileOrDie(path, json);
    return path;
  }
};

TEST_F(EmployerCliTest, OpeningCommandsRunTheLifeCycle) {
  std::string out;
  const std::string file =
      WriteOpening("opening.json", BaseOpening("ORG90030"));
  ASSERT_EQ(Cli({"--json", "opening", "publish", file, "--draft"}, &out), 0)
      << out;
  v1::Opening published;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out, &published).ok())
      << out;
  EXPECT_EQ(published.status(), v1::OPENING_STATUS_DRAFT);
  const std::string id = published.id();

  ASSERT_EQ(Cli({"opening", "get", id}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("DRAFT"));
  EXPECT_THAT(out, HasSubstr("Café assistant"));
  EXPECT_THAT(out, HasSubstr("0 of 2 taken"));

  v1::Opening bigger;
  bigger.set_capacity(6);
  const std::string change = WriteOpening("change.json", bigger);
  ASSERT_EQ(Cli({"opening", "update", id, change, "--mask=capacity"}, &out), 0)
      << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("updated ", id, ": DRAFT, 0 of 6")));
  EXPECT_EQ(Cli({"opening", "update", id, change}, &out), 2) << out;
  EXPECT_THAT(out, HasSubstr("--mask"));

  ASSERT_EQ(Cli({"opening", "reopen", id}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("reopened ", id, ": OPEN")));
  ASSERT_EQ(Cli({"opening", "pause", id}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("paused ", id, ": PAUSED")));
  ASSERT_EQ(
      Cli({"opening", "list", "--status=paused", "--municipality=0136"}, &out),
      0)
      << out;
  EXPECT_THAT(out, HasSubstr(id));
  EXPECT_THAT(out, HasSubstr("ID        STATUS"));
  ASSERT_EQ(Cli({"opening", "list", "--status=open"}, &out), 0) << out;
  EXPECT_THAT(out, ::testing::Not(HasSubstr(id)));
  ASSERT_EQ(Cli({"opening", "close", id, "--reason=pilot ended"}, &out), 0)
      << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("closed ", id, ": CLOSED")));
  EXPECT_EQ(Cli({"opening", "reopen", id}, &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("closing is final"));

  // Exit codes: a coach may not publish (5); bad usage (2).
  EXPECT_EQ(Cli({"opening", "publish", file}, &out, kCoachToken), 5) << out;
  EXPECT_EQ(Cli({"opening", "list", "--status=sleeping"}, &out), 2) << out;
  EXPECT_EQ(Cli({"opening", "pause"}, &out), 2) << out;
  EXPECT_EQ(Cli({"opening", "fly", "O000001"}, &out), 2) << out;
  EXPECT_EQ(Cli({"opening", "publish", scratch_->File("missing.json")}, &out),
            2)
      << out;
}

TEST_F(EmployerCliTest, CandidatesAndGapsPrintTablesOrJson) {
  std::string out;
  ASSERT_EQ(Cli({"candidates", "O000001", "--k=3"}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("RANK PARTICIPANT"));
  const int rows = static_cast<int>(std::count(out.begin(), out.end(), '\n'));
  EXPECT_GE(rows, 2);
  EXPECT_LE(rows, 4);
  ASSERT_EQ(Cli({"--json", "candidates", "O000001", "--k=3"}, &out), 0) << out;
  v1::SuggestCandidatesResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out, &response).ok());
  EXPECT_GT(response.candidates_size(), 0);
  EXPECT_LE(response.candidates_size(), 3);
  EXPECT_EQ(Cli({"candidates", "O000001", "--k=101"}, &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("k: 101 is above the maximum 100"));
  EXPECT_EQ(Cli({"candidates", "O000001"}, &out, kCoachToken), 5) << out;

  ASSERT_EQ(Cli({"gaps", "1863", "0136"}, &out, kOperatorToken), 0) << out;
  EXPECT_THAT(out, HasSubstr("MUNI   FREE  GAP"));
  EXPECT_THAT(out, HasSubstr("1863"));
  EXPECT_THAT(out, HasSubstr("Counts from 1 to 4 are withheld"));
  ASSERT_EQ(Cli({"--json", "gaps", "1863"}, &out), 0) << out;
  v1::GetSupplyGapsResponse gaps;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out, &gaps).ok());
  ASSERT_EQ(gaps.municipalities_size(), 1);
  EXPECT_EQ(Cli({"gaps", "12"}, &out), 1) << out;
}

// ---------------------------------------------------------------------------
// Supply gaps end to end on a small population where every count is known.

class EmployerSupplyGapsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string seed = scratch_.path() + "/seed";
    ::placement::testing::CopyTreeOrDie(
        ::placement::testing::DataDir() + "/demo", seed);
    const std::string participants_header =
        "id,coach_id,birth_year,municipality,lat,lon,travel_mode,"
        "max_travel_minutes,hours_per_week,step,swedish_level,target_groups,"
        "skills,wanted_fields,needs,vetoed_organisations,vetoed_fields,status,"
        "gender,born_abroad\n";
    std::string participants = participants_header;
    auto add = [&](int n, const std::string& needs, const std::string& wanted,
                   const std::string& status) {
      absl::StrAppend(&participants, absl::StrFormat("P%07d", n),
                      ",C1863-01,1990,1863,59.7828,14.5200,public_transport,60,"
                      "30,2,fluent,,,",
                      wanted, ",", needs, ",,,", status,
                      ",undisclosed,false\n");
    };
    for (int n = 1; n <= 6; ++n)
      add(n, "sign_language:hard", "animal_care", "active");
    for (int n = 7; n <= 9; ++n) add(n, "wheelchair_access:soft", "", "active");
    add(10, "sign_language:hard", "animal_care", "paused");
    ::placement::testing::WriteFileOrDie(seed + "/participants.csv",
                                         participants);
    const std::string csv = ::placement::testing::ReadFileOrDie(
        ::placement::testing::DataDir() + "/demo/openings.csv");
    ::placement::testing::WriteFileOrDie(
        seed + "/openings.csv",
        absl::StrCat(csv.substr(0, csv.find('\n') + 1),
                     "O000001,work_training,ORG00001,Kalmar AB,Kitchen,0880,"
                     "56.6634,16.3568,kitchen_restaurant,,,step_free_access,3,"
                     "1,10,30,3,0,0,,none,2026-11-01,,open\n"));
    server_ = std::make_unique<RunningServer>(
        scratch_, "gaps.db", std::vector<std::string>{"--seed_from=" + seed});
  }

  // As a coach sees them (need counts included), or as `token` sees them.
  v1::GetSupplyGapsResponse Gaps(const char* token = kCoachToken) {
    v1::GetSupplyGapsResponse response;
    const grpc::Status status =
        v1::EmployerService::NewStub(server_->channel())
            ->GetSupplyGaps(CallAs(token).get(), v1::GetSupplyGapsRequest(),
                            &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // "code=count" or "code=suppressed", in the reply's order.
  static std::string Describe(const v1::MunicipalitySupplyGaps& m) {
    std::vector<std::string> parts = {
        absl::StrCat(m.municipality_code(), " free ", m.free_places())};
    for (const v1::NeedGap& g : m.need_gaps()) {
      parts.push_back(absl::StrCat(
          "need ", g.need_code(), "=",
          g.suppressed() ? "suppressed" : absl::StrCat(g.participants())));
    }
    for (const v1::FieldGap& g : m.field_gaps()) {
      parts.push_back(absl::StrCat(
          "field ", g.occupation_field(), "=",
          g.suppressed() ? "suppressed" : absl::StrCat(g.participants())));
    }
    for (const v1::SupportGap& g : m.support_gaps()) {
      parts.push_back(absl::StrCat(
          "support ", g.support_code(), "=",
          g.suppressed() ? "suppressed" : absl::StrCat(g.participants())));
    }
    return absl::StrJoin(parts, "; ");
  }

  ScratchDir scratch_;
  std::unique_ptr<RunningServer> server_;
};

TEST_F(EmployerSupplyGapsTest, CountsFollowPublishedPausedAndUpdatedOpenings) {
  v1::GetSupplyGapsResponse gaps = Gaps();
  ASSERT_EQ(gaps.municipalities_size(), 2);
  EXPECT_EQ(Describe(gaps.municipalities(0)), "0880 free 2");
  // Employer contacts read the same gaps as the supports that are missing,
  // never as support needs.
  EXPECT_EQ(Describe(Gaps(kEmployerToken).municipalities(1)),
            "1863 free 0; field animal_care=6; support sign_language=6; "
            "support step_free_access=suppressed");
  EXPECT_EQ(Describe(gaps.municipalities(1)),
            "1863 free 0; need sign_language=6; need "
            "wheelchair_access=suppressed; field animal_care=6; support "
            "sign_language=6; support step_free_access=suppressed");

  // A slot in Hällefors with sign language, in animal care.
  auto employer = v1::EmployerService::NewStub(server_->channel());
  v1::PublishOpeningRequest publish;
  v1::Opening* o = publish.mutable_opening();
  o->set_kind(v1::OPENING_KIND_SOCIAL_ENTERPRISE);
  o->set_organisation_id("ORG00002");
  o->set_organisation_name("Hunddagis i Hällefors");
  o->set_title("Dog daycare assistant");
  o->mutable_location()->set_municipality_code("1863");
  o->set_occupation_field("animal_care");
  o->add_supports_offered("sign_language");
  o->set_capacity(4);
  o->set_min_hours_per_week(10);
  o->set_max_hours_per_week(30);
  o->set_step(3);
  *o->mutable_start_date() = MakeDate(2026, 12, 1);
  v1::Opening published;
  ASSERT_TRUE(
      employer
          ->PublishOpening(CallAs(kEmployerToken).get(), publish, &published)
          .ok());
  EXPECT_EQ(published.id(), "O000002");
  EXPECT_EQ(Describe(Gaps().municipalities(1)),
            "1863 free 4; need wheelchair_access=suppressed; support "
            "step_free_access=suppressed");

  v1::Opening out;
  v1::PauseOpeningRequest pause;
  pause.set_opening_id(published.id());
  ASSERT_TRUE(
      employer->PauseOpening(CallAs(kEmployerToken).get(), pause, &out).ok());
  EXPECT_EQ(Describe(Gaps().municipalities(1)),
            "1863 free 0; need sign_language=6; need "
            "wheelchair_access=suppressed; field animal_care=6; support "
            "sign_language=6; support step_free_access=suppressed");

  v1::UpdateOpeningRequest update;
  update.mutable_opening()->set_id(published.id());
  update.mutable_opening()->add_supports_offered("sign_language");
  update.mutable_opening()->add_supports_offered("step_free_access");
  update.mutable_update_mask()->add_paths("supports_offered");
  ASSERT_TRUE(
      employer->UpdateOpening(CallAs(kEmployerToken).get(), update, &out).ok());
  v1::ReopenOpeningRequest reopen;
  reopen.set_opening_id(published.id());
  ASSERT_TRUE(
      employer->ReopenOpening(CallAs(kEmployerToken).get(), reopen, &out).ok());
  EXPECT_EQ(Describe(Gaps().municipalities(1)), "1863 free 4");
}

}  // namespace
}  // namespace placement::service
