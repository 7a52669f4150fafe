#include "engine/matcher.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/geo.h"
#include "engine/internal/columns.h"  // the grid layout, for boundary cases
#include "engine/opening_rules.h"
#include "engine/population_generator.h"
#include "engine/scoring.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/reference_scorer.h"
#include "tests/testing/test_util.h"

namespace placement {
namespace {

using ::placement::testing::Reference;
using ::placement::testing::ReferenceCounts;
using ::placement::testing::ReferenceMatch;
using ::placement::testing::ReferenceOpeningCounts;
using ::placement::testing::ReferenceTopOpenings;
using ::placement::testing::ReferenceTopParticipants;
using ::testing::HasSubstr;

constexpr Date kToday{2026, 3, 1};
constexpr double kTotalTolerance = 1e-6;
constexpr int kKs[] = {1, 5, 20, 1000};

// The process-wide reference data, shared without copying.
std::shared_ptr<const ReferenceData> SharedReference() {
  return std::shared_ptr<const ReferenceData>(
      std::shared_ptr<const ReferenceData>(), &Reference());
}

ScoringContext Context() {
  ScoringContext context;
  context.today = kToday;
  return context;
}

TopKQuery Query(int k, const ScoringContext& context) {
  TopKQuery query;
  query.k = k;
  query.context = context;
  return query;
}

std::shared_ptr<const Snapshot> BuildOrDie(
    std::vector<Participant> participants, std::vector<Opening> openings,
    uint64_t version = 1) {
  absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot = Snapshot::Build(
      SharedReference(), std::move(participants), std::move(openings), version);
  EXPECT_TRUE(snapshot.ok()) << snapshot.status();
  if (!snapshot.ok()) std::abort();
  return *snapshot;
}

// Compares a fast result with the reference's, whose list is the best 1000:
// the fast path must return its first min(k, size) entries in order.
::testing::AssertionResult SameRanking(
    const std::vector<RankedMatch>& fast,
    const std::vector<ReferenceMatch>& reference, int k, bool openings,
    const Snapshot& snapshot) {
  const size_t want =
      std::min(static_cast<size_t>(std::clamp(k, 0, 1000)), reference.size());
  auto id_of = [&](const RankedMatch& match) -> std::string {
    const int count = openings ? snapshot.opening_index_end()
                               : snapshot.participant_index_end();
    if (match.index < 0 || match.index >= count) {
      return absl::StrCat("<bad index ", match.index, ">");
    }
    return openings ? snapshot.opening(match.index).id
                    : snapshot.participant(match.index).id;
  };
  auto describe = [&](size_t at) {
    std::string text;
    for (size_t i = at >= 2 ? at - 2 : 0;
         i < std::max(fast.size(), want) && i < at + 3; ++i) {
      absl::StrAppend(
          &text, "\n  #", i, " fast ",
          i < fast.size()
              ? absl::StrFormat("%s %.12f", id_of(fast[i]), fast[i].total)
              : std::string("-"),
          " | reference ",
          i < want
              ? absl::StrFormat("%s %.12f", reference[i].id, reference[i].total)
              : std::string("-"));
    }
    return text;
  };
  for (size_t i = 0; i < std::min(fast.size(), want); ++i) {
    if (id_of(fast[i]) != reference[i].id ||
        std::abs(fast[i].total - reference[i].total) > kTotalTolerance) {
      return ::testing::AssertionFailure()
             << "first difference at #" << i << describe(i);
    }
  }
  if (fast.size() != want) {
    return ::testing::AssertionFailure()
           << fast.size() << " results, reference " << want
           << describe(std::min(fast.size(), want));
  }
  return ::testing::AssertionSuccess();
}

// Counts failures and reports the first few in full.
class FailureLog {
 public:
  void Check(const ::testing::AssertionResult& result,
             const std::string& what) {
    ++checks_;
    if (result) return;
    if (++failures_ <= 8) ADD_FAILURE() << what << ": " << result.message();
  }
  int failures() const { return failures_; }
  int checks() const { return checks_; }

 private:
  int failures_ = 0;
  int checks_ = 0;
};

struct NamedContext {
  std::string name;
  ScoringContext context;
};

std::vector<NamedContext> Contexts() {
  std::vector<NamedContext> contexts;
  contexts.push_back({"default", Context()});
  NamedContext tight{"query limit 25 min", Context()};
  tight.context.max_travel_minutes = 25;
  contexts.push_back(tight);
  NamedContext loose{"query limit 240 min", Context()};
  loose.context.max_travel_minutes = 240;
  contexts.push_back(loose);
  NamedContext waived{"free place waived", Context()};
  waived.context.require_free_place = false;
  contexts.push_back(waived);
  NamedContext later{"October, travel-heavy profile", Context()};
  later.context.today = {2026, 10, 1};
  later.context.profile =
      *ScoringProfile::FromWeights("travel_heavy", {1, 0.5, 3, 1, 1});
  contexts.push_back(later);
  return contexts;
}

// TopOpenings against the reference for one participant, over every context,
// k and index choice, and with filters. Returns how many queries found some.
int CheckTopOpenings(const Snapshot& snapshot,
                     const std::vector<Opening>& openings,
                     const Participant& participant, FailureLog& log) {
  int found = 0;
  auto run = [&](const std::string& what, TopKQuery query) {
    query.k = 1000;
    const std::vector<ReferenceMatch> reference =
        ReferenceTopOpenings(openings, participant, Reference(), query);
    const ReferenceCounts expected_counts =
        ReferenceOpeningCounts(openings, participant, Reference(), query);
    found += !reference.empty();
    for (int k : kKs) {
      for (bool spatial : {true, false}) {
        query.k = k;
        query.use_spatial_index = spatial;
        TopKCounts counts;
        const std::string where =
            absl::StrCat("TopOpenings for ", participant.id, ", ", what, ", k ",
                         k, spatial ? ", spatial index" : ", full scan");
        log.Check(
            SameRanking(TopOpenings(snapshot, participant, query, &counts),
                        reference, k,
                        /*openings=*/true, snapshot),
            where);
        log.Check(counts.considered == expected_counts.considered &&
                          counts.eligible == expected_counts.eligible
                      ? ::testing::AssertionSuccess()
                      : ::testing::AssertionFailure()
                            << "considered/eligible " << counts.considered
                            << "/" << counts.eligible << ", reference "
                            << expected_counts.considered << "/"
                            << expected_counts.eligible,
                  absl::StrCat(where, ", counts"));
      }
    }
  };
  for (const NamedContext& named : Contexts()) {
    run(named.name, Query(1000, named.context));
  }
  TopKQuery kinds = Query(1000, Context());
  kinds.kinds = {OpeningKind::kWorkTraining, OpeningKind::kSocialEnterprise};
  run("kinds filter", kinds);
  TopKQuery places = Query(1000, Context());
  places.municipalities = {participant.municipality_code, "0180", "1480"};
  run("municipality filter", places);
  TopKQuery both = places;
  both.kinds = {OpeningKind::kEmployerInternship};
  run("kinds and municipality filter", both);
  return found;
}

int CheckTopParticipants(const Snapshot& snapshot,
                         const std::vector<Participant>& participants,
                         const Opening& opening, FailureLog& log) {
  int found = 0;
  auto run = [&](const std::string& what, TopKQuery query) {
    query.k = 1000;
    const std::vector<ReferenceMatch> reference =
        ReferenceTopParticipants(participants, opening, Reference(), query);
    found += !reference.empty();
    for (int k : kKs) {
      for (bool spatial : {true, false}) {
        query.k = k;
        query.use_spatial_index = spatial;
        log.Check(
            SameRanking(TopParticipants(snapshot, opening, query), reference, k,
                        /*openings=*/false, snapshot),
            absl::StrCat("TopParticipants for ", opening.id, ", ", what, ", k ",
                         k, spatial ? ", spatial index" : ", full scan"));
      }
    }
  };
  for (const NamedContext& named : Contexts()) {
    run(named.name, Query(1000, named.context));
  }
  TopKQuery places = Query(1000, Context());
  places.municipalities = {opening.municipality_code, "0180"};
  // kinds is ignored for participants.
  places.kinds = {opening.kind == OpeningKind::kWorkTraining
                      ? OpeningKind::kSocialEnterprise
                      : OpeningKind::kWorkTraining};
  run("municipality filter", places);
  return found;
}

struct World {
  std::vector<Participant> participants;
  std::vector<Opening> openings;
  std::shared_ptr<const Snapshot> snapshot;
  // Records of the same distributions that are not in the snapshot.
  std::vector<Participant> other_participants;
  std::vector<Opening> other_openings;
};

World MakeWorld(uint64_t seed, int participants, int openings) {
  const PopulationGenerator generator(
      {.seed = seed, .participants = participants, .openings = openings},
      Reference());
  World world;
  for (int i = 0; i < participants; ++i)
    world.participants.push_back(generator.Participant(i));
  for (int i = 0; i < openings; ++i)
    world.openings.push_back(generator.Opening(i));
  for (int i = 0; i < 10; ++i) {
    world.other_participants.push_back(
        generator.Participant(participants + 1000 + i));
    world.other_openings.push_back(generator.Opening(openings + 1000 + i));
  }
  // The same id as a snapshot record, moved: the query's record counts.
  Participant moved = world.participants[7];
  moved.home = world.openings[3].location;
  moved.municipality_code = world.openings[3].municipality_code;
  world.other_participants.push_back(moved);
  Opening reopened = world.openings[11];
  reopened.status = OpeningStatus::kOpen;
  reopened.places_taken = 0;
  reopened.location = world.participants[5].home;
  world.other_openings.push_back(reopened);
  world.snapshot = BuildOrDie(world.participants, world.openings);
  return world;
}

class MatcherPropertyTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(MatcherPropertyTest, TopOpeningsEqualsReference) {
  const World world = MakeWorld(GetParam(), 3000, 800);
  ASSERT_EQ(world.snapshot->opening_count(), 800);
  FailureLog log;
  int found = 0;
  int queried = 0;
  for (size_t i = 0; i < world.participants.size(); i += 37) {
    found += CheckTopOpenings(*world.snapshot, world.openings,
                              world.participants[i], log);
    ++queried;
  }
  for (const Participant& p : world.other_participants) {
    found += CheckTopOpenings(*world.snapshot, world.openings, p, log);
    ++queried;
  }
  EXPECT_EQ(log.failures(), 0) << "of " << log.checks() << " queries";
  // Not vacuous: most participants have some eligible opening.
  EXPECT_GT(found, queried * 8 / 4)
      << "of " << queried * 8 << " reference lists";
}

TEST_P(MatcherPropertyTest, TopParticipantsEqualsReference) {
  const World world = MakeWorld(GetParam(), 3000, 800);
  FailureLog log;
  int found = 0;
  int queried = 0;
  for (size_t i = 0; i < world.openings.size(); i += 17) {
    found += CheckTopParticipants(*world.snapshot, world.participants,
                                  world.openings[i], log);
    ++queried;
  }
  for (const Opening& o : world.other_openings) {
    found += CheckTopParticipants(*world.snapshot, world.participants, o, log);
    ++queried;
  }
  EXPECT_EQ(log.failures(), 0) << "of " << log.checks() << " queries";
  EXPECT_GT(found, queried * 6 / 3)
      << "of " << queried * 6 << " reference lists";
}

INSTANTIATE_TEST_SUITE_P(Seeds, MatcherPropertyTest,
                         ::testing::Values(1, 2, 3));

// --- Hand-made edge cases. ---

GeoPoint At(double latitude, double longitude) {
  return GeoPoint{latitude, longitude};
}

Participant Person(std::string id, GeoPoint home, TravelMode mode,
                   int max_minutes) {
  Participant p;
  p.id = std::move(id);
  p.coach_id = "C1";
  p.birth_year = 1990;
  p.municipality_code = "1863";
  p.home = home;
  p.travel_mode = mode;
  p.max_travel_minutes = max_minutes;
  p.hours_per_week = 30;
  p.step = 2;
  p.swedish_level = SwedishLevel::kFluent;
  p.target_groups = {TargetGroup::kLongTermUnemployed};
  p.skills = {{"5120.01", 2}, {"9412.03", 1}};
  p.wanted_fields = {"kitchen_restaurant"};
  return p;
}

Opening Slot(std::string id, GeoPoint location) {
  Opening o;
  o.id = std::move(id);
  o.kind = OpeningKind::kWorkTraining;
  o.organisation_id = "ORG00001";
  o.organisation_name = "Kök";
  o.municipality_code = "1863";
  o.location = location;
  o.occupation_field = "kitchen_restaurant";
  o.essential_skills = {"5120.01"};
  o.capacity = 2;
  o.min_hours_per_week = 10;
  o.max_hours_per_week = 30;
  o.step = 3;
  o.start_date = {2026, 1, 1};
  return o;
}

std::vector<std::string> Ids(const Snapshot& snapshot,
                             const std::vector<RankedMatch>& matches,
                             bool openings) {
  std::vector<std::string> ids;
  for (const RankedMatch& m : matches) {
    ids.push_back(openings ? snapshot.opening(m.index).id
                           : snapshot.participant(m.index).id);
  }
  return ids;
}

TEST(SnapshotTest, EmptySnapshotGivesEmptyResults) {
  const auto snapshot = BuildOrDie({}, {});
  EXPECT_EQ(snapshot->opening_count(), 0);
  EXPECT_EQ(snapshot->participant_count(), 0);
  EXPECT_EQ(snapshot->FindOpening("O000001"), std::nullopt);
  EXPECT_EQ(snapshot->FindParticipant("P0000001"), std::nullopt);
  for (bool spatial : {true, false}) {
    TopKQuery query = Query(10, Context());
    query.use_spatial_index = spatial;
    EXPECT_THAT(
        TopOpenings(*snapshot,
                    Person("P1", At(59.78, 14.52), TravelMode::kCar, 60),
                    query),
        ::testing::IsEmpty());
    EXPECT_THAT(TopParticipants(*snapshot, Slot("O1", At(59.78, 14.52)), query),
                ::testing::IsEmpty());
  }
}

TEST(SnapshotTest, OneSideEmpty) {
  const GeoPoint here = At(59.78, 14.52);
  const auto no_openings =
      BuildOrDie({Person("P1", here, TravelMode::kWalk, 30)}, {});
  TopKQuery query = Query(10, Context());
  EXPECT_THAT(TopOpenings(*no_openings,
                          Person("P1", here, TravelMode::kWalk, 30), query),
              ::testing::IsEmpty());
  const std::vector<RankedMatch> found =
      TopParticipants(*no_openings, Slot("O1", here), query);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(no_openings->participant(found[0].index).id, "P1");
  const auto no_participants = BuildOrDie({}, {Slot("O1", here)});
  EXPECT_THAT(TopParticipants(*no_participants, Slot("O1", here), query),
              ::testing::IsEmpty());
  EXPECT_EQ(TopOpenings(*no_participants,
                        Person("P1", here, TravelMode::kWalk, 30), query)
                .size(),
            1u);
}

TEST(SnapshotTest, DuplicateIdsAreInvalidArgument) {
  const GeoPoint here = At(59.78, 14.52);
  absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot = Snapshot::Build(
      SharedReference(), {},
      {Slot("O000002", here), Slot("O000001", here), Slot("O000002", here)});
  EXPECT_EQ(snapshot.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(snapshot.status().message(), HasSubstr("O000002"));
  snapshot = Snapshot::Build(SharedReference(),
                             {Person("P7", here, TravelMode::kCar, 30),
                              Person("P3", here, TravelMode::kCar, 30),
                              Person("P7", here, TravelMode::kBike, 20)},
                             {});
  EXPECT_EQ(snapshot.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(snapshot.status().message(), HasSubstr("P7"));
  // Ids are unique within each kind; a participant and an opening may share
  // one.
  EXPECT_TRUE(Snapshot::Build(SharedReference(),
                              {Person("X1", here, TravelMode::kCar, 30)},
                              {Slot("X1", here)})
                  .ok());
}

TEST(SnapshotTest, RecordsAreSortedByIdAndFound) {
  const GeoPoint here = At(59.78, 14.52);
  const auto snapshot = BuildOrDie(
      {Person("P3", here, TravelMode::kCar, 30),
       Person("P1", here, TravelMode::kCar, 30),
       Person("P2", here, TravelMode::kCar, 30)},
      {Slot("O9", here), Slot("O1", here), Slot("O5", here), Slot("O3", here)},
      42);
  EXPECT_EQ(snapshot->version(), 42u);
  ASSERT_EQ(snapshot->opening_count(), 4);
  ASSERT_EQ(snapshot->participant_count(), 3);
  const std::vector<std::string> opening_ids = {"O1", "O3", "O5", "O9"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(snapshot->opening(i).id, opening_ids[static_cast<size_t>(i)]);
    EXPECT_EQ(snapshot->FindOpening(opening_ids[static_cast<size_t>(i)]), i);
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(snapshot->participant(i).id, absl::StrCat("P", i + 1));
    EXPECT_EQ(snapshot->FindParticipant(absl::StrCat("P", i + 1)), i);
  }
  EXPECT_EQ(snapshot->FindOpening("O2"), std::nullopt);
  EXPECT_EQ(snapshot->opening(snapshot->FindOpening("O5").value()),
            Slot("O5", here));
}

TEST(TopKTest, TiesAreBrokenByIdAscending) {
  const GeoPoint here = At(59.78, 14.52);
  std::vector<Opening> openings;
  std::vector<Participant> participants;
  // Identical records inserted in scrambled id order, and a worse group
  // (not a wanted field) with smaller ids.
  for (int i : {7, 3, 12, 1, 9, 5, 11, 2, 8, 4, 10, 6}) {
    openings.push_back(Slot(absl::StrFormat("O%06d", i + 100), here));
    participants.push_back(
        Person(absl::StrFormat("P%07d", i + 100), here, TravelMode::kBike, 30));
    Opening worse = Slot(absl::StrFormat("O%06d", i), here);
    worse.occupation_field = "retail_shop";
    openings.push_back(worse);
    Participant weaker =
        Person(absl::StrFormat("P%07d", i), here, TravelMode::kBike, 30);
    weaker.skills.clear();
    participants.push_back(weaker);
  }
  const auto snapshot = BuildOrDie(participants, openings);
  for (bool spatial : {true, false}) {
    TopKQuery query = Query(3, Context());
    query.use_spatial_index = spatial;
    std::vector<RankedMatch> top =
        TopOpenings(*snapshot, Person("P", here, TravelMode::kBike, 30), query);
    EXPECT_THAT(Ids(*snapshot, top, true),
                ::testing::ElementsAre("O000101", "O000102", "O000103"));
    ASSERT_EQ(top.size(), 3u);
    EXPECT_EQ(top[0].total, top[2].total);
    query.k = 1000;
    top =
        TopOpenings(*snapshot, Person("P", here, TravelMode::kBike, 30), query);
    std::vector<std::string> want;
    for (int i = 101; i <= 112; ++i)
      want.push_back(absl::StrFormat("O%06d", i));
    for (int i = 1; i <= 12; ++i) want.push_back(absl::StrFormat("O%06d", i));
    EXPECT_EQ(Ids(*snapshot, top, true), want);
    ASSERT_EQ(top.size(), 24u);
    EXPECT_GT(top[11].total, top[12].total);

    query.k = 14;
    top = TopParticipants(*snapshot, Slot("O", here), query);
    want.clear();
    for (int i = 101; i <= 112; ++i)
      want.push_back(absl::StrFormat("P%07d", i));
    want.push_back("P0000001");
    want.push_back("P0000002");
    EXPECT_EQ(Ids(*snapshot, top, false), want);
  }
}

TEST(TopKTest, KIsClampedToOneThousand) {
  const GeoPoint here = At(59.78, 14.52);
  std::vector<Opening> openings;
  for (int i = 1200; i >= 1; --i)
    openings.push_back(Slot(absl::StrFormat("O%06d", i), here));
  const auto snapshot = BuildOrDie({}, openings);
  const Participant p = Person("P1", here, TravelMode::kWalk, 10);
  TopKQuery query = Query(5000, Context());
  std::vector<RankedMatch> top = TopOpenings(*snapshot, p, query);
  ASSERT_EQ(top.size(), 1000u);
  EXPECT_EQ(snapshot->opening(top.front().index).id, "O000001");
  EXPECT_EQ(snapshot->opening(top.back().index).id, "O001000");
  query.k = 1;
  top = TopOpenings(*snapshot, p, query);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(snapshot->opening(top[0].index).id, "O000001");
}

TEST(TopKTest, TravelLimitIsInclusive) {
  // At the same point public transport takes exactly its fixed 15 minutes.
  const GeoPoint here = At(59.78, 14.52);
  const auto snapshot = BuildOrDie({}, {Slot("O1", here)});
  for (bool spatial : {true, false}) {
    TopKQuery query = Query(10, Context());
    query.use_spatial_index = spatial;
    EXPECT_EQ(
        TopOpenings(*snapshot,
                    Person("P1", here, TravelMode::kPublicTransport, 15), query)
            .size(),
        1u);
    EXPECT_THAT(
        TopOpenings(*snapshot,
                    Person("P1", here, TravelMode::kPublicTransport, 14),
                    query),
        ::testing::IsEmpty());
    query.context.max_travel_minutes = 14;
    EXPECT_THAT(
        TopOpenings(*snapshot,
                    Person("P1", here, TravelMode::kPublicTransport, 60),
                    query),
        ::testing::IsEmpty());
    query.context.max_travel_minutes = 15;
    EXPECT_EQ(
        TopOpenings(*snapshot,
                    Person("P1", here, TravelMode::kPublicTransport, 60), query)
            .size(),
        1u);
  }
}

// Every hard rule at its boundary, on both sides: each direction of the fast
// path keeps a pair exactly when ExplainPair calls it eligible, with its total.
TEST(TopKTest, HardRulesAtTheirBoundariesAgreeWithExplainPair) {
  const GeoPoint here = At(59.78, 14.52);
  struct Variant {
    std::string name;
    Participant p;
    Opening o;
    ScoringContext context;
    bool eligible;
  };
  std::vector<Variant> variants;
  auto add = [&](std::string name, bool eligible, auto change) {
    Variant v{std::move(name),
              Person("P1", here, TravelMode::kPublicTransport, 60),
              Slot("O1", here), Context(), eligible};
    change(v.p, v.o, v.context);
    variants.push_back(std::move(v));
  };
  // kToday is 2026-03-01; the person (born 1990) is 36.
  add("base", true, [](Participant&, Opening&, ScoringContext&) {});
  add("ends today", true,
      [](Participant&, Opening& o, ScoringContext&) { o.end_date = kToday; });
  add("ended yesterday", false, [](Participant&, Opening& o, ScoringContext&) {
    o.end_date = Date{2026, 2, 28};
  });
  add("paused opening", false, [](Participant&, Opening& o, ScoringContext&) {
    o.status = OpeningStatus::kPaused;
  });
  add("one place left", true, [](Participant&, Opening& o, ScoringContext&) {
    o.capacity = 4;
    o.places_taken = 3;
  });
  add("full", false, [](Participant&, Opening& o, ScoringContext&) {
    o.capacity = 4;
    o.places_taken = 4;
  });
  add("full, waived", true, [](Participant&, Opening& o, ScoringContext& c) {
    o.capacity = 4;
    o.places_taken = 4;
    c.require_free_place = false;
  });
  add("placed person", false, [](Participant& p, Opening&, ScoringContext&) {
    p.status = ParticipantStatus::kPlaced;
  });
  add("min age = age", true,
      [](Participant&, Opening& o, ScoringContext&) { o.min_age = 36; });
  add("min age = age + 1", false,
      [](Participant&, Opening& o, ScoringContext&) { o.min_age = 37; });
  add("max age = age", true,
      [](Participant&, Opening& o, ScoringContext&) { o.max_age = 36; });
  add("max age = age - 1", false,
      [](Participant&, Opening& o, ScoringContext&) { o.max_age = 35; });
  add("target group shared", true,
      [](Participant&, Opening& o, ScoringContext&) {
        o.target_groups = {TargetGroup::kDisability,
                           TargetGroup::kLongTermUnemployed};
      });
  add("target group not shared", false,
      [](Participant&, Opening& o, ScoringContext&) {
        o.target_groups = {TargetGroup::kDisability};
      });
  add("hard need met", true, [](Participant& p, Opening& o, ScoringContext&) {
    p.needs = {{"wheelchair_access", NeedStrength::kHard}};
    o.supports = {"step_free_access"};
  });
  add("hard need unmet", false,
      [](Participant& p, Opening& o, ScoringContext&) {
        p.needs = {{"wheelchair_access", NeedStrength::kHard}};
        o.supports = {"job_coach_on_site"};
      });
  add("travel = own limit", true,
      [](Participant& p, Opening&, ScoringContext&) {
        p.max_travel_minutes = 15;
      });
  add("travel > own limit", false,
      [](Participant& p, Opening&, ScoringContext&) {
        p.max_travel_minutes = 14;
      });
  add("travel = query limit", true,
      [](Participant&, Opening&, ScoringContext& c) {
        c.max_travel_minutes = 15;
      });
  add("travel > query limit", false,
      [](Participant&, Opening&, ScoringContext& c) {
        c.max_travel_minutes = 14;
      });
  add("hours equal", true, [](Participant&, Opening& o, ScoringContext&) {
    o.min_hours_per_week = 30;
  });
  add("hours short by half", false,
      [](Participant&, Opening& o, ScoringContext&) {
        o.min_hours_per_week = 30.5;
      });
  add("employer vetoed", false, [](Participant& p, Opening&, ScoringContext&) {
    p.vetoed_organisations = {"ORG00001"};
  });
  add("field vetoed", false, [](Participant& p, Opening&, ScoringContext&) {
    p.vetoed_fields = {"kitchen_restaurant"};
  });
  add("Swedish equal", true, [](Participant&, Opening& o, ScoringContext&) {
    o.min_swedish = SwedishLevel::kFluent;
  });
  add("Swedish too low", false,
      [](Participant& p, Opening& o, ScoringContext&) {
        p.swedish_level = SwedishLevel::kGood;
        o.min_swedish = SwedishLevel::kFluent;
      });
  for (const Variant& v : variants) {
    const Explanation e = ExplainPair(v.p, v.o, Reference(), v.context);
    ASSERT_EQ(e.eligible, v.eligible) << v.name;  // the case is what it says
    const auto snapshot = BuildOrDie({v.p}, {v.o});
    for (bool spatial : {true, false}) {
      TopKQuery query = Query(10, v.context);
      query.use_spatial_index = spatial;
      const std::string what =
          absl::StrCat(v.name, spatial ? ", spatial index" : ", full scan");
      for (const std::vector<RankedMatch>& found :
           {TopOpenings(*snapshot, v.p, query),
            TopParticipants(*snapshot, v.o, query)}) {
        ASSERT_EQ(found.size(), v.eligible ? 1u : 0u) << what;
        if (v.eligible) {
          EXPECT_NEAR(found[0].total, e.total, kTotalTolerance) << what;
        }
      }
      TopKCounts counts;
      TopOpenings(*snapshot, v.p, query, &counts);
      EXPECT_EQ(counts.considered, 1) << what;
      EXPECT_EQ(counts.eligible, v.eligible ? 1 : 0) << what;
    }
  }
}

// The column scan tests status, end date and free places on columns of its
// own; it must decide exactly as AcceptsPlacement does. Every status, end
// dates around today and every fill, with the free place required or waived,
// in both directions and in ExplainPair.
TEST(TopKTest, OpeningAvailabilityIsAcceptsPlacement) {
  const GeoPoint here = At(59.78, 14.52);
  const Participant person =
      Person("P1", here, TravelMode::kPublicTransport, 60);
  const std::optional<Date> ends[] = {std::nullopt, Date{2025, 12, 31},
                                      Date{2026, 2, 28}, kToday,
                                      Date{2026, 3, 2}};
  std::vector<Opening> openings;
  for (int status = 0; status < kOpeningStatusCount; ++status) {
    for (const std::optional<Date>& end : ends) {
      for (int taken = 0; taken <= 2; ++taken) {
        Opening o = Slot(absl::StrFormat("O%06d", openings.size()), here);
        o.status = static_cast<OpeningStatus>(status);
        o.end_date = end;
        o.capacity = 2;
        o.places_taken = taken;
        openings.push_back(std::move(o));
      }
    }
  }
  const std::shared_ptr<const Snapshot> snapshot =
      BuildOrDie({person}, openings);
  for (const bool require_free_place : {true, false}) {
    for (const bool indexed : {true, false}) {
      ScoringContext context = Context();
      context.require_free_place = require_free_place;
      TopKQuery query = Query(1000, context);
      query.use_spatial_index = indexed;
      std::vector<std::string> expected;
      for (const Opening& o : openings) {
        const bool accepts = AcceptsPlacement(o, kToday, require_free_place);
        if (accepts) expected.push_back(o.id);
        const std::string name = absl::StrCat(
            o.id, " ", OpeningStatusSlug(o.status), " ends ",
            o.end_date ? FormatDate(*o.end_date) : "never", " taken ",
            o.places_taken, " require ", require_free_place);
        EXPECT_EQ(!TopParticipants(*snapshot, o, query).empty(), accepts)
            << name;
        EXPECT_EQ(ExplainPair(person, o, Reference(), context).eligible,
                  accepts)
            << name;
      }
      std::vector<std::string> got =
          Ids(*snapshot, TopOpenings(*snapshot, person, query), true);
      std::sort(got.begin(), got.end());
      EXPECT_EQ(got, expected)
          << "require " << require_free_place << " indexed " << indexed;
    }
  }
}

TEST(TopKTest, FiltersOnKindAndMunicipality) {
  const GeoPoint here = At(59.78, 14.52);
  Opening a = Slot("O1", here);
  Opening b = Slot("O2", here);
  b.kind = OpeningKind::kSocialEnterprise;
  b.municipality_code = "1861";
  const auto snapshot = BuildOrDie({}, {a, b});
  const Participant p = Person("P1", here, TravelMode::kWalk, 30);
  TopKQuery query = Query(10, Context());
  query.kinds = {OpeningKind::kSocialEnterprise};
  EXPECT_THAT(Ids(*snapshot, TopOpenings(*snapshot, p, query), true),
              ::testing::ElementsAre("O2"));
  query.kinds = {};
  query.municipalities = {"1863"};
  EXPECT_THAT(Ids(*snapshot, TopOpenings(*snapshot, p, query), true),
              ::testing::ElementsAre("O1"));
  query.municipalities = {"9999"};
  EXPECT_THAT(TopOpenings(*snapshot, p, query), ::testing::IsEmpty());
}

// Openings on a fine lattice around grid-cell corners (cells are 0.2 degrees
// of latitude by 0.4 of longitude), people at and near the corners with
// every mode and reach: the spatial index must find exactly what a scan does.
std::vector<Opening> Lattice(GeoPoint centre, double half_lat, double half_lon,
                             int steps, const std::string& prefix) {
  std::vector<Opening> openings;
  for (int i = 0; i <= steps; ++i) {
    for (int j = 0; j <= steps; ++j) {
      Opening o =
          Slot(absl::StrFormat("%s%03d%03d", prefix, i, j),
               At(centre.latitude_deg - half_lat + 2 * half_lat * i / steps,
                  centre.longitude_deg - half_lon + 2 * half_lon * j / steps));
      o.step = (i + j) % 6;
      o.capacity = 1 + (i % 3);
      o.places_taken = (i * 7 + j) % 5 == 0 ? o.capacity : 0;
      if (j % 4 == 1) o.essential_skills = {"9412.01"};
      if (j % 4 == 2) o.occupation_field = "retail_shop";
      openings.push_back(o);
    }
  }
  return openings;
}

std::vector<Participant> PeopleAround(GeoPoint corner,
                                      const std::string& prefix) {
  std::vector<Participant> people;
  const std::vector<std::pair<TravelMode, int>> reaches = {
      {TravelMode::kWalk, 40},
      {TravelMode::kBike, 45},
      {TravelMode::kPublicTransport, 75},
      {TravelMode::kCar, 60},
      {TravelMode::kCar, 240},
      {TravelMode::kPublicTransport, 20},
      {TravelMode::kPublicTransport, 10}};
  const std::vector<std::pair<double, double>> offsets = {
      {0, 0}, {1e-9, -1e-9}, {-1e-9, 1e-9}, {0.0999, 0.1999}, {-0.05, 0.3}};
  int n = 0;
  for (const auto& [mode, minutes] : reaches) {
    for (const auto& [dlat, dlon] : offsets) {
      people.push_back(
          Person(absl::StrFormat("%s%03d", prefix, n++),
                 At(corner.latitude_deg + dlat, corner.longitude_deg + dlon),
                 mode, minutes));
    }
  }
  return people;
}

void CheckLattice(GeoPoint corner, double half_lat, double half_lon,
                  int steps) {
  const std::vector<Opening> openings =
      Lattice(corner, half_lat, half_lon, steps, "L");
  const std::vector<Participant> people = PeopleAround(corner, "Q");
  const auto snapshot = BuildOrDie(people, openings);
  FailureLog log;
  int found = 0;
  for (const Participant& p : people) {
    for (const NamedContext& named : Contexts()) {
      TopKQuery query = Query(1000, named.context);
      const auto reference =
          ReferenceTopOpenings(openings, p, Reference(), query);
      found += !reference.empty();
      for (bool spatial : {true, false}) {
        query.use_spatial_index = spatial;
        log.Check(SameRanking(TopOpenings(*snapshot, p, query), reference, 1000,
                              true, *snapshot),
                  absl::StrCat(p.id, " ", TravelModeSlug(p.travel_mode), " ",
                               p.max_travel_minutes, " min, ", named.name,
                               spatial ? ", spatial index" : ", full scan"));
      }
    }
  }
  // The reverse direction, with an opening at the corner and people spread.
  for (const Opening& o :
       {openings.front(), openings[openings.size() / 2], openings.back()}) {
    for (const NamedContext& named : Contexts()) {
      TopKQuery query = Query(1000, named.context);
      const auto reference =
          ReferenceTopParticipants(people, o, Reference(), query);
      for (bool spatial : {true, false}) {
        query.use_spatial_index = spatial;
        log.Check(SameRanking(TopParticipants(*snapshot, o, query), reference,
                              1000, false, *snapshot),
                  absl::StrCat(o.id, ", ", named.name,
                               spatial ? ", spatial index" : ", full scan"));
      }
    }
  }
  EXPECT_EQ(log.failures(), 0) << "of " << log.checks();
  EXPECT_GT(found, 50);
}

TEST(SpatialIndexTest, CellCornersInTheSouth) {
  CheckLattice(At(59.2, 15.2), 0.8, 1.6, 40);
}

TEST(SpatialIndexTest, CellCornersInTheFarNorth) {
  // Degrees of longitude are short at 68 N: reach spans more columns.
  CheckLattice(At(68.0, 20.4), 0.8, 2.4, 40);
}

TEST(SpatialIndexTest, PointsOutsideTheBoundingBox) {
  // Records are taken as they are; the grid's edge cells must not lose them.
  CheckLattice(At(55.0, 10.8), 0.3, 0.6, 12);
  CheckLattice(At(69.2, 24.6), 0.3, 0.6, 12);
}

// A pair just inside the travel limit with a cell boundary between them, in
// each direction, at several latitudes and for short reaches (where a few
// metres of error in the index's span matter). Uses the grid's layout.
TEST(SpatialIndexTest, PairJustWithinReachAcrossACellBoundary) {
  using internal::Grid;
  constexpr double kInside = 0.0002;      // km: 20 cm inside the reach
  constexpr double kPastBoundary = 1e-7;  // degrees
  const std::vector<std::pair<TravelMode, int>> reaches = {
      {TravelMode::kWalk, 40},
      {TravelMode::kWalk, 15},
      {TravelMode::kWalk, 5},
      {TravelMode::kBike, 10},
      {TravelMode::kPublicTransport, 20},
      {TravelMode::kCar, 7},
      {TravelMode::kCar, 60}};
  FailureLog log;
  int pairs = 0;
  for (double latitude : {55.7, 57.1, 59.1, 61.1, 63.1, 65.1, 67.9}) {
    for (int column : {6, 11, 17}) {
      for (const auto& [mode, minutes] : reaches) {
        const TravelModeModel& model = kTravelModels[static_cast<size_t>(mode)];
        const double reach_km = (minutes - model.fixed_minutes) *
                                model.speed_kmh / 60.0 / kDetourFactor;
        const double d = reach_km - kInside;
        const double boundary_lon =
            Grid::kMinLongitude + column * Grid::kCellLongitude;
        const double boundary_lat =
            Grid::kMinLatitude +
            std::round((latitude - Grid::kMinLatitude) / Grid::kCellLatitude) *
                Grid::kCellLatitude;
        // Longitude apart at one latitude for a great-circle distance d.
        const double lon_apart =
            2 *
            std::asin(std::sin(d / (2 * kEarthRadiusKm)) /
                      std::cos(latitude * std::numbers::pi / 180)) *
            180 / std::numbers::pi;
        const double lat_apart = d / kEarthRadiusKm * 180 / std::numbers::pi;
        // The point of the cap of radius d farthest in longitude, where a
        // meridian touches it: slightly poleward of the centre.
        const double cap = d / kEarthRadiusKm;
        const double phi = latitude * std::numbers::pi / 180;
        const double widest_lon_apart =
            std::asin(std::sin(cap) / std::cos(phi)) * 180 / std::numbers::pi;
        const double widest_lat =
            std::asin(std::sin(phi) / std::cos(cap)) * 180 / std::numbers::pi;
        struct Placement {
          std::string name;
          GeoPoint opening;
          GeoPoint person;
        };
        const std::vector<Placement> placements = {
            {"person west", At(latitude, boundary_lon + kPastBoundary),
             At(latitude, boundary_lon + kPastBoundary - lon_apart)},
            {"person east", At(latitude, boundary_lon - kPastBoundary),
             At(latitude, boundary_lon - kPastBoundary + lon_apart)},
            {"person south",
             At(boundary_lat + kPastBoundary, boundary_lon + 0.2),
             At(boundary_lat + kPastBoundary - lat_apart, boundary_lon + 0.2)},
            {"person north",
             At(boundary_lat - kPastBoundary, boundary_lon + 0.2),
             At(boundary_lat - kPastBoundary + lat_apart, boundary_lon + 0.2)},
            {"person west, opening at the cap's widest",
             At(widest_lat, boundary_lon + kPastBoundary),
             At(latitude, boundary_lon + kPastBoundary - widest_lon_apart)},
            {"person east, opening at the cap's widest",
             At(widest_lat, boundary_lon - kPastBoundary),
             At(latitude, boundary_lon - kPastBoundary + widest_lon_apart)}};
        for (const Placement& placement : placements) {
          const Participant p = Person("P1", placement.person, mode, minutes);
          const Opening o = Slot("O1", placement.opening);
          const std::string what = absl::StrFormat(
              "%s %d min at %.1f N, column %d, %s", TravelModeSlug(mode),
              minutes, latitude, column, placement.name);
          TopKQuery query = Query(10, Context());
          const auto reference =
              ReferenceTopOpenings({o}, p, Reference(), query);
          ASSERT_EQ(reference.size(), 1u) << what;  // the pair is within reach
          const auto snapshot = BuildOrDie({p}, {o});
          for (bool spatial : {true, false}) {
            query.use_spatial_index = spatial;
            const std::string how = spatial ? ", spatial index" : ", full scan";
            log.Check(SameRanking(TopOpenings(*snapshot, p, query), reference,
                                  10, true, *snapshot),
                      absl::StrCat("TopOpenings, ", what, how));
            log.Check(SameRanking(
                          TopParticipants(*snapshot, o, query),
                          ReferenceTopParticipants({p}, o, Reference(), query),
                          10, false, *snapshot),
                      absl::StrCat("TopParticipants, ", what, how));
          }
          ++pairs;
        }
      }
    }
  }
  EXPECT_EQ(log.failures(), 0)
      << "of " << log.checks() << " queries on " << pairs << " pairs";
}

TEST(SpatialIndexTest, FarAwayParticipantWithLongReach) {
  // 150 km away, by car with 240 minutes: found by the reverse query.
  const Opening o = Slot("O1", At(59.78, 14.52));
  std::vector<Participant> people = {
      Person("P1", At(61.1, 14.52), TravelMode::kCar, 240),
      Person("P2", At(61.1, 14.52), TravelMode::kCar, 60),
      Person("P3", At(59.79, 14.52), TravelMode::kWalk, 30)};
  const auto snapshot = BuildOrDie(people, {o});
  for (bool spatial : {true, false}) {
    TopKQuery query = Query(10, Context());
    query.use_spatial_index = spatial;
    EXPECT_THAT(Ids(*snapshot, TopParticipants(*snapshot, o, query), false),
                ::testing::UnorderedElementsAre("P1", "P3"));
    query.context.max_travel_minutes = 60;
    EXPECT_THAT(Ids(*snapshot, TopParticipants(*snapshot, o, query), false),
                ::testing::ElementsAre("P3"));
  }
}

// Codes the reference data does not know earn no credit (scoring.h); the fast
// path, ExplainPair and the slow reference must agree on them too.
TEST(TopKTest, UnknownCodesAgreeWithExplainPairAndReference) {
  const GeoPoint here = At(59.78, 14.52);
  std::vector<Participant> people;
  Participant a = Person("P1", here, TravelMode::kWalk, 30);
  a.skills = {{"5120.99", 2}, {"5120.01", 1}};
  a.wanted_fields = {"space_travel"};
  a.needs = {{"telepathy", NeedStrength::kSoft},
             {"job_coach", NeedStrength::kSoft}};
  people.push_back(a);
  Participant b = Person("P2", here, TravelMode::kWalk, 30);
  b.skills = {{"0000.01", 1}};
  b.vetoed_fields = {"space_travel"};
  b.vetoed_organisations = {"ORG-UNKNOWN"};
  people.push_back(b);
  Participant c = Person("P3", here, TravelMode::kWalk, 30);
  c.needs = {{"telepathy", NeedStrength::kHard}};
  people.push_back(c);
  std::vector<Opening> openings;
  Opening x = Slot("O1", here);
  x.essential_skills = {"5120.99", "5120.02"};
  x.optional_skills = {"0000.01"};
  x.supports = {"job_coach_on_site", "teleporter"};
  openings.push_back(x);
  Opening y = Slot("O2", here);
  y.occupation_field = "space_travel";
  y.municipality_code = "0000";
  openings.push_back(y);
  const auto snapshot = BuildOrDie(people, openings);
  FailureLog log;
  for (const Participant& p : people) {
    TopKQuery query = Query(1000, Context());
    const auto reference =
        ReferenceTopOpenings(openings, p, Reference(), query);
    for (bool spatial : {true, false}) {
      query.use_spatial_index = spatial;
      const std::vector<RankedMatch> fast = TopOpenings(*snapshot, p, query);
      log.Check(SameRanking(fast, reference, 1000, true, *snapshot), p.id);
      for (const Opening& o : openings) {
        const Explanation e = ExplainPair(p, o, Reference(), query.context);
        const auto it =
            std::find_if(fast.begin(), fast.end(), [&](const RankedMatch& m) {
              return snapshot->opening(m.index).id == o.id;
            });
        EXPECT_EQ(it != fast.end(), e.eligible) << p.id << " x " << o.id;
        if (it != fast.end()) {
          EXPECT_NEAR(it->total, e.total, kTotalTolerance);
        }
      }
    }
  }
  for (const Opening& o : openings) {
    TopKQuery query = Query(1000, Context());
    const auto reference =
        ReferenceTopParticipants(people, o, Reference(), query);
    log.Check(SameRanking(TopParticipants(*snapshot, o, query), reference, 1000,
                          false, *snapshot),
              o.id);
  }
  EXPECT_EQ(log.failures(), 0);
}

// --- Updates. ---

TEST(SnapshotUpdateTest, WithOpeningInsertsOrReplacesAndLeavesTheOldOne) {
  const GeoPoint here = At(59.78, 14.52);
  const Participant p = Person("P1", here, TravelMode::kWalk, 30);
  const auto v7 = BuildOrDie({p}, {Slot("O1", here), Slot("O3", here)}, 7);
  TopKQuery query = Query(10, Context());

  Opening added = Slot("O2", here);
  added.step = 2;  // worse step, so it ranks last
  const auto v8 = v7->WithOpening(added);
  EXPECT_EQ(v8->version(), 8u);
  EXPECT_EQ(v7->version(), 7u);
  EXPECT_EQ(v7->opening_count(), 2);
  EXPECT_EQ(v8->opening_count(), 3);
  EXPECT_EQ(v7->FindOpening("O2"), std::nullopt);
  ASSERT_TRUE(v8->FindOpening("O2").has_value());
  EXPECT_EQ(v8->opening(*v8->FindOpening("O2")), added);
  EXPECT_THAT(Ids(*v7, TopOpenings(*v7, p, query), true),
              ::testing::ElementsAre("O1", "O3"));
  EXPECT_THAT(Ids(*v8, TopOpenings(*v8, p, query), true),
              ::testing::ElementsAre("O1", "O3", "O2"));
  // The participant side did not change: shared, not copied.
  EXPECT_EQ(&v8->participant_columns(), &v7->participant_columns());

  Opening closed = Slot("O1", here);
  closed.status = OpeningStatus::kClosed;
  const auto v9 = v8->WithOpening(closed);
  EXPECT_EQ(v9->version(), 9u);
  EXPECT_EQ(v9->opening_count(), 3);
  EXPECT_EQ(v9->opening(*v9->FindOpening("O1")).status, OpeningStatus::kClosed);
  EXPECT_EQ(v8->opening(*v8->FindOpening("O1")).status, OpeningStatus::kOpen);
  EXPECT_THAT(Ids(*v9, TopOpenings(*v9, p, query), true),
              ::testing::ElementsAre("O3", "O2"));
  EXPECT_THAT(Ids(*v8, TopOpenings(*v8, p, query), true),
              ::testing::ElementsAre("O1", "O3", "O2"));
  EXPECT_THAT(TopParticipants(*v9, closed, query), ::testing::IsEmpty());
}

TEST(SnapshotUpdateTest, WithParticipantAndWithoutParticipant) {
  const GeoPoint here = At(59.78, 14.52);
  const Opening o = Slot("O1", here);
  const auto v1 = BuildOrDie({Person("P1", here, TravelMode::kWalk, 30)}, {o});
  TopKQuery query = Query(10, Context());

  Participant second = Person("P2", here, TravelMode::kWalk, 30);
  second.skills.clear();  // ranks below P1
  const auto v2 = v1->WithParticipant(second);
  EXPECT_EQ(v2->version(), 2u);
  EXPECT_EQ(v1->participant_count(), 1);
  EXPECT_EQ(v2->participant_count(), 2);
  EXPECT_EQ(&v2->opening_columns(), &v1->opening_columns());
  EXPECT_THAT(Ids(*v2, TopParticipants(*v2, o, query), false),
              ::testing::ElementsAre("P1", "P2"));
  EXPECT_THAT(Ids(*v1, TopParticipants(*v1, o, query), false),
              ::testing::ElementsAre("P1"));

  // Replacing P1 by a paused record drops it from the results.
  Participant paused = Person("P1", here, TravelMode::kWalk, 30);
  paused.status = ParticipantStatus::kPaused;
  const auto v3 = v2->WithParticipant(paused);
  EXPECT_EQ(v3->version(), 3u);
  EXPECT_EQ(v3->participant_count(), 2);
  EXPECT_EQ(v3->participant(*v3->FindParticipant("P1")), paused);
  EXPECT_THAT(Ids(*v3, TopParticipants(*v3, o, query), false),
              ::testing::ElementsAre("P2"));

  const auto v4 = v3->WithoutParticipant("P2");
  EXPECT_EQ(v4->version(), 4u);
  EXPECT_EQ(v4->participant_count(), 1);
  EXPECT_EQ(v4->FindParticipant("P2"), std::nullopt);
  EXPECT_TRUE(v3->FindParticipant("P2").has_value());
  EXPECT_THAT(TopParticipants(*v4, o, query), ::testing::IsEmpty());
  EXPECT_THAT(Ids(*v3, TopParticipants(*v3, o, query), false),
              ::testing::ElementsAre("P2"));
}

TEST(SnapshotUpdateTest, ChainOfUpdatesMatchesTheReference) {
  World world = MakeWorld(8, 1200, 400);
  std::shared_ptr<const Snapshot> snapshot = world.snapshot;
  const PopulationGenerator generator(
      {.seed = 9, .participants = 1200, .openings = 400}, Reference());
  std::mt19937_64 rng(17);
  for (int step = 0; step < 60; ++step) {
    const uint64_t before = snapshot->version();
    switch (rng() % 3) {
      case 0: {  // a new or a replaced opening
        Opening o = generator.Opening(static_cast<int>(rng() % 800));
        world.openings.erase(
            std::remove_if(world.openings.begin(), world.openings.end(),
                           [&](const Opening& x) { return x.id == o.id; }),
            world.openings.end());
        world.openings.push_back(o);
        snapshot = snapshot->WithOpening(o);
        break;
      }
      case 1: {  // a new or a replaced participant
        Participant p = generator.Participant(static_cast<int>(rng() % 2400));
        world.participants.erase(
            std::remove_if(world.participants.begin(), world.participants.end(),
                           [&](const Participant& x) { return x.id == p.id; }),
            world.participants.end());
        world.participants.push_back(p);
        snapshot = snapshot->WithParticipant(p);
        break;
      }
      default: {
        const std::string id =
            world.participants[rng() % world.participants.size()].id;
        world.participants.erase(
            std::remove_if(world.participants.begin(), world.participants.end(),
                           [&](const Participant& x) { return x.id == id; }),
            world.participants.end());
        snapshot = snapshot->WithoutParticipant(id);
        break;
      }
    }
    ASSERT_EQ(snapshot->version(), before + 1);
    ASSERT_EQ(snapshot->opening_count(),
              static_cast<int>(world.openings.size()));
    ASSERT_EQ(snapshot->participant_count(),
              static_cast<int>(world.participants.size()));
  }
  FailureLog log;
  for (size_t i = 0; i < world.participants.size(); i += 61) {
    TopKQuery query = Query(1000, Context());
    const auto reference = ReferenceTopOpenings(
        world.openings, world.participants[i], Reference(), query);
    for (int k : kKs) {
      query.k = k;
      log.Check(
          SameRanking(TopOpenings(*snapshot, world.participants[i], query),
                      reference, k, true, *snapshot),
          absl::StrCat("TopOpenings for ", world.participants[i].id, ", k ",
                       k));
    }
  }
  for (size_t i = 0; i < world.openings.size(); i += 23) {
    TopKQuery query = Query(1000, Context());
    const auto reference = ReferenceTopParticipants(
        world.participants, world.openings[i], Reference(), query);
    for (int k : kKs) {
      query.k = k;
      log.Check(
          SameRanking(TopParticipants(*snapshot, world.openings[i], query),
                      reference, k, false, *snapshot),
          absl::StrCat("TopParticipants for ", world.openings[i].id, ", k ",
                       k));
    }
  }
  EXPECT_EQ(log.failures(), 0) << "of " << log.checks();
  // The first snapshot is untouched.
  EXPECT_EQ(world.snapshot->version(), 1u);
  EXPECT_EQ(world.snapshot->opening_count(), 400);
  EXPECT_EQ(world.snapshot->participant_count(), 1200);
}

// --- Writes and compactions (the log over the base, matcher.h). ---

// The records a snapshot should hold, kept by id.
struct Model {
  std::map<std::string, Participant> participants;
  std::map<std::string, Opening> openings;

  std::vector<Participant> ParticipantList() const {
    std::vector<Participant> out;
    for (const auto& [id, p] : participants) out.push_back(p);
    return out;
  }
  std::vector<Opening> OpeningList() const {
    std::vector<Opening> out;
    for (const auto& [id, o] : openings) out.push_back(o);
    return out;
  }
};

Model ModelOf(const World& world) {
  Model model;
  for (const Participant& p : world.participants) model.participants[p.id] = p;
  for (const Opening& o : world.openings) model.openings[o.id] = o;
  return model;
}

// Everything a snapshot answers, against the model: counts, lookups, the
// id-ordered indices and their pages, and (for every `stride`-th record)
// both query directions against the reference scorer.
void CheckAgainstModel(const Snapshot& snapshot, const Model& model, int stride,
                       FailureLog& log, const std::string& when) {
  auto check = [&](bool ok, const std::string& what) {
    log.Check(ok ? ::testing::AssertionSuccess()
                 : ::testing::AssertionFailure() << what,
              absl::StrCat(when, ": ", what));
  };
  check(snapshot.participant_count() ==
            static_cast<int>(model.participants.size()),
        "participant count");
  check(snapshot.opening_count() == static_cast<int>(model.openings.size()),
        "opening count");
  std::vector<std::string> participant_ids;
  for (int index : snapshot.ParticipantIndices())
    participant_ids.push_back(snapshot.participant(index).id);
  std::vector<std::string> want_participants;
  for (const auto& [id, p] : model.participants)
    want_participants.push_back(id);
  check(participant_ids == want_participants, "participants in id order");
  std::vector<std::string> opening_ids;
  for (int index : snapshot.OpeningIndices())
    opening_ids.push_back(snapshot.opening(index).id);
  std::vector<std::string> want_openings;
  for (const auto& [id, o] : model.openings) want_openings.push_back(id);
  check(opening_ids == want_openings, "openings in id order");
  // Pages of 37 give the same list.
  std::vector<std::string> paged;
  std::string after;
  while (true) {
    const std::vector<int> page = snapshot.ParticipantIndicesAfter(after, 37);
    for (int index : page) paged.push_back(snapshot.participant(index).id);
    if (page.size() < 37) break;
    after = paged.back();
  }
  check(paged == want_participants, "participant pages");
  for (const auto& [id, p] : model.participants) {
    const std::optional<int> index = snapshot.FindParticipant(id);
    check(index.has_value() && snapshot.participant(*index) == p,
          absl::StrCat("FindParticipant ", id));
  }
  for (const auto& [id, o] : model.openings) {
    const std::optional<int> index = snapshot.FindOpening(id);
    check(index.has_value() && snapshot.opening(*index) == o,
          absl::StrCat("FindOpening ", id));
  }
  const std::vector<Participant> participants = model.ParticipantList();
  const std::vector<Opening> openings = model.OpeningList();
  for (size_t i = 0; i < participants.size(); i += stride)
    CheckTopOpenings(snapshot, openings, participants[i], log);
  for (size_t i = 0; i < openings.size(); i += stride / 3 + 1)
    CheckTopParticipants(snapshot, participants, openings[i], log);
}

class SnapshotWritesPropertyTest : public ::testing::TestWithParam<uint64_t> {};

// Random sequences of upserts, erasures and compactions, some of them with
// writes made while the compaction builds its base, through a
// SnapshotHolder. Every snapshot kept along the way must still answer as it
// did when made, after every later write and compaction.
TEST_P(SnapshotWritesPropertyTest, EqualsTheReferenceAfterAnyHistory) {
  const uint64_t seed = GetParam();
  const World world = MakeWorld(seed, 900, 300);
  Model model = ModelOf(world);
  const PopulationGenerator generator(
      {.seed = seed + 100, .participants = 900, .openings = 300}, Reference());
  std::mt19937_64 rng(seed * 7919);
  SnapshotHolder holder(world.snapshot);

  auto write = [&](Model& into) {
    switch (rng() % 4) {
      case 0: {  // a new or a replaced opening (ids overlap the base's)
        Opening o = generator.Opening(static_cast<int>(rng() % 600));
        if (rng() % 3 == 0) o.places_taken = o.capacity;  // full
        into.openings[o.id] = o;
        holder.Update([&](std::shared_ptr<const Snapshot> current) {
          return current->WithOpening(o);
        });
        break;
      }
      case 1:
      case 2: {  // a new or a replaced participant
        Participant p = generator.Participant(static_cast<int>(rng() % 1800));
        into.participants[p.id] = p;
        holder.Update([&](std::shared_ptr<const Snapshot> current) {
          return current->WithParticipant(p);
        });
        break;
      }
      default: {  // an erasure, sometimes of an id that is not there
        std::string id =
            absl::StrFormat("P%07d", static_cast<int>(rng() % 1800));
        if (!into.participants.empty() && rng() % 2 == 0) {
          auto it = into.participants.begin();
          std::advance(it, static_cast<long>(rng() % into.participants.size()));
          id = it->first;
        }
        into.participants.erase(id);
        holder.Update([&](std::shared_ptr<const Snapshot> current) {
          return current->WithoutParticipant(id);
        });
        break;
      }
    }
  };

  struct Kept {
    std::shared_ptr<const Snapshot> snapshot;
    Model model;
    uint64_t version;
  };
  std::vector<Kept> kept;
  FailureLog log;
  int compactions = 0;
  for (int step = 0; step < 400; ++step) {
    const uint64_t before = holder.Current()->version();
    const uint64_t roll = rng() % 100;
    if (roll < 3) {
      // A compaction with writes during it.
      int during = static_cast<int>(rng() % 5);
      const bool compacted = holder.Compact([&] {
        for (int i = 0; i < during; ++i) write(model);
      });
      compactions += compacted;
      ASSERT_EQ(holder.Current()->version(), before + during);
      // The base holds everything up to the compaction; the log only the
      // writes made during it (an erasure of an absent id leaves none).
      if (compacted) {
        ASSERT_LE(holder.Current()->opening_log_entries() +
                      holder.Current()->participant_log_entries(),
                  during);
      }
    } else {
      write(model);
      ASSERT_EQ(holder.Current()->version(), before + 1);
    }
    if (step % 40 == 0) {
      kept.push_back({holder.Current(), model, holder.Current()->version()});
    }
    if (step % 100 == 99) {
      CheckAgainstModel(*holder.Current(), model, 97, log,
                        absl::StrCat("seed ", seed, " step ", step));
    }
  }
  EXPECT_GT(compactions, 3);
  CheckAgainstModel(*holder.Current(), model, 31, log,
                    absl::StrCat("seed ", seed, " at the end"));
  for (const Kept& k : kept) {
    EXPECT_EQ(k.snapshot->version(), k.version);
    CheckAgainstModel(*k.snapshot, k.model, 131, log,
                      absl::StrCat("seed ", seed, " kept version ", k.version));
  }
  // A write on a snapshot that is no longer the newest forks a lineage of
  // its own: right for that history, and the holder's is untouched.
  const Kept& old = kept[kept.size() / 2];
  Model forked = old.model;
  const Participant extra = generator.Participant(1799);
  forked.participants[extra.id] = extra;
  const std::shared_ptr<const Snapshot> fork =
      old.snapshot->WithParticipant(extra);
  EXPECT_EQ(fork->version(), old.version + 1);
  CheckAgainstModel(*fork, forked, 131, log, "fork");
  CheckAgainstModel(*holder.Current(), model, 131, log, "head after the fork");
  EXPECT_EQ(log.failures(), 0) << "of " << log.checks();
}

INSTANTIATE_TEST_SUITE_P(Seeds, SnapshotWritesPropertyTest,
                         ::testing::Values(21, 22, 23));

TEST(SnapshotWritesTest, CompactionDueAfterOnePercentAndIndicesBecomeDense) {
  World world = MakeWorld(5, 30000, 10);
  std::shared_ptr<const Snapshot> snapshot = world.snapshot;
  const PopulationGenerator generator(
      {.seed = 6, .participants = 30000, .openings = 10}, Reference());
  // The same ids as the world's: each write replaces a record.
  for (int i = 0; i < 301; ++i) {
    EXPECT_FALSE(snapshot->CompactionDue()) << i;
    snapshot = snapshot->WithParticipant(generator.Participant(i));
  }
  EXPECT_EQ(snapshot->participant_log_entries(), 301);
  EXPECT_TRUE(snapshot->CompactionDue());  // 301 > 1 % of 30,000
  EXPECT_EQ(snapshot->participant_count(), 30000);
  EXPECT_EQ(snapshot->participant_index_end(), 30301);
  const std::shared_ptr<const Snapshot> compacted = snapshot->Compacted();
  EXPECT_EQ(compacted->version(), snapshot->version());
  EXPECT_EQ(compacted->participant_log_entries(), 0);
  EXPECT_FALSE(compacted->CompactionDue());
  EXPECT_EQ(compacted->participant_index_end(), 30000);
  const std::vector<int> indices = compacted->ParticipantIndices();
  for (int i = 0; i < static_cast<int>(indices.size()); ++i)
    ASSERT_EQ(indices[static_cast<size_t>(i)], i);
}

TEST(SnapshotWritesTest, TwoWritesOnOneSnapshotGiveTwoHistories) {
  const GeoPoint here = At(59.78, 14.52);
  const Participant p = Person("P1", here, TravelMode::kWalk, 30);
  const auto v1 = BuildOrDie({p}, {Slot("O1", here)});
  const auto v2 = v1->WithOpening(Slot("O2", here));
  Opening closed = Slot("O1", here);
  closed.status = OpeningStatus::kClosed;
  const auto v3 = v2->WithOpening(closed);
  // v2 is no longer the newest: this write forks from it.
  const auto other = v2->WithOpening(Slot("O3", here));
  TopKQuery query = Query(10, Context());
  EXPECT_THAT(Ids(*v3, TopOpenings(*v3, p, query), true),
              ::testing::ElementsAre("O2"));
  EXPECT_THAT(Ids(*other, TopOpenings(*other, p, query), true),
              ::testing::ElementsAre("O1", "O2", "O3"));
  EXPECT_EQ(other->version(), 3u);
  EXPECT_EQ(other->FindOpening("O1").has_value(), true);
  EXPECT_EQ(other->opening(*other->FindOpening("O1")).status,
            OpeningStatus::kOpen);
  // Both go on independently.
  const auto v4 = v3->WithOpening(Slot("O4", here));
  const auto other2 = other->WithOpening(closed);
  EXPECT_THAT(Ids(*v4, TopOpenings(*v4, p, query), true),
              ::testing::ElementsAre("O2", "O4"));
  EXPECT_THAT(Ids(*other2, TopOpenings(*other2, p, query), true),
              ::testing::ElementsAre("O2", "O3"));
  EXPECT_THAT(Ids(*v2, TopOpenings(*v2, p, query), true),
              ::testing::ElementsAre("O1", "O2"));
}

TEST(SnapshotWritesTest, TiesAcrossBaseAndLogAreBrokenById) {
  const GeoPoint here = At(59.78, 14.52);
  const Participant p = Person("P1", here, TravelMode::kWalk, 30);
  // Identical openings score the same: the order is by id, wherever each
  // record lives.
  auto snapshot = BuildOrDie({p}, {Slot("O2", here), Slot("O4", here)});
  snapshot = snapshot->WithOpening(Slot("O3", here));
  snapshot = snapshot->WithOpening(Slot("O1", here));
  snapshot = snapshot->WithOpening(Slot("O4", here));  // replaced: in the log
  TopKQuery query = Query(10, Context());
  EXPECT_THAT(Ids(*snapshot, TopOpenings(*snapshot, p, query), true),
              ::testing::ElementsAre("O1", "O2", "O3", "O4"));
  query.k = 2;
  EXPECT_THAT(Ids(*snapshot, TopOpenings(*snapshot, p, query), true),
              ::testing::ElementsAre("O1", "O2"));
}

// --- Protected attributes move no ranking. ---

TEST(ProtectedAttributesTest, GenderAndBornAbroadMoveNoRanking) {
  const World world = MakeWorld(5, 1500, 400);
  std::vector<Participant> flipped = world.participants;
  for (size_t i = 0; i < flipped.size(); ++i) {
    flipped[i].gender = static_cast<Gender>(
        (static_cast<int>(flipped[i].gender) + 1 + i % 3) % kGenderCount);
    flipped[i].born_abroad = !flipped[i].born_abroad;
  }
  const auto other = BuildOrDie(flipped, world.openings);
  TopKQuery query = Query(1000, Context());
  int compared = 0;
  for (size_t i = 0; i < world.openings.size(); i += 5) {
    const auto a = TopParticipants(*world.snapshot, world.openings[i], query);
    const auto b = TopParticipants(*other, world.openings[i], query);
    ASSERT_EQ(a.size(), b.size()) << world.openings[i].id;
    for (size_t j = 0; j < a.size(); ++j) {
      ASSERT_EQ(a[j].index, b[j].index) << world.openings[i].id;
      ASSERT_EQ(a[j].total, b[j].total) << world.openings[i].id;
    }
    compared += static_cast<int>(a.size());
  }
  for (size_t i = 0; i < flipped.size(); i += 15) {
    const auto a = TopOpenings(*world.snapshot, world.participants[i], query);
    const auto b = TopOpenings(*other, flipped[i], query);
    ASSERT_EQ(a.size(), b.size()) << flipped[i].id;
    for (size_t j = 0; j < a.size(); ++j) {
      ASSERT_EQ(a[j].index, b[j].index) << flipped[i].id;
      ASSERT_EQ(a[j].total, b[j].total) << flipped[i].id;
    }
    compared += static_cast<int>(a.size());
  }
  EXPECT_GT(compared, 1000);
}

}  // namespace
}  // namespace placement
