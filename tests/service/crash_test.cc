// Durability under SIGKILL: a real server takes concurrent writes and is
// killed at a random moment, again and again. After every kill the database
// passes its integrity check and holds every write that was acknowledged.
// Rounds: 50 by default; PLACEMENT_CRASH_ROUNDS=500 for a longer run.

#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "engine/mutex.h"
#include "gtest/gtest.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "proto/convert.h"
#include "store/store.h"
#include "tests/testing/running_server.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::kCoachPrincipal;
using ::placement::testing::kCoachToken;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;

int Rounds() {
  const char* rounds = std::getenv("PLACEMENT_CRASH_ROUNDS");
  return rounds != nullptr ? std::max(1, std::atoi(rounds)) : 50;
}

TEST(CrashTest, AcknowledgedWritesSurviveSigkill) {
  constexpr int kWriters = 3;
  ScratchDir scratch;
  std::mt19937 random(20261122);
  // A valid participant to copy: the demo's first, moved to our caseload.
  v1::Participant model;
  absl::flat_hash_set<std::string> acknowledged;
  Mutex mutex;  // guards `acknowledged`
  int total_acknowledged = 0;

  for (int round = 0; round < Rounds(); ++round) {
    RunningServer server(scratch);
    ASSERT_EQ(server.Health(), RunningServer::HealthResponse::SERVING)
        << server.log();
    if (round == 0) {
      absl::StatusOr<std::unique_ptr<store::Store>> store =
          store::Store::Open(server.db_path());
      ASSERT_TRUE(store.ok());
      absl::StatusOr<std::vector<Participant>> all =
          (*store)->LoadParticipants();
      ASSERT_TRUE(all.ok());
      ToProto(all->front(), model);
      model.set_coach_id(kCoachPrincipal);
    }

    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        auto stub = v1::ParticipantRegistry::NewStub(server.channel());
        for (int n = 0; !stop.load(); ++n) {
          v1::UpsertParticipantRequest request;
          *request.mutable_participant() = model;
          const std::string id = absl::StrFormat("PK%03d%d%04d", round, w, n);
          request.mutable_participant()->set_id(id);
          v1::Participant response;
          const grpc::Status status = stub->UpsertParticipant(
              CallAs(kCoachToken, absl::Seconds(2)).get(), request, &response);
          if (!status.ok()) break;  // the server is gone
          MutexLock lock(&mutex);
          acknowledged.insert(id);
        }
      });
    }
    std::this_thread::sleep_for(
        std::chrono::milliseconds(20 + static_cast<int>(random() % 200)));
    server.process().Signal(SIGKILL);
    ASSERT_TRUE(server.process().Wait(absl::Seconds(10)).has_value());
    stop = true;
    for (std::thread& writer : writers) writer.join();

    // Opening runs the integrity check; then every acknowledged id is there.
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::Store::Open(server.db_path());
    ASSERT_TRUE(store.ok()) << "round " << round << ": " << store.status();
    absl::StatusOr<std::vector<Participant>> stored =
        (*store)->LoadParticipants();
    ASSERT_TRUE(stored.ok()) << stored.status();
    absl::flat_hash_set<std::string> present;
    for (const Participant& p : *stored) present.insert(p.id);
    MutexLock lock(&mutex);
    for (const std::string& id : acknowledged) {
      ASSERT_TRUE(present.contains(id))
          << "round " << round << ": acknowledged " << id << " was lost";
    }
    total_acknowledged = static_cast<int>(acknowledged.size());
  }
  std::printf("%d rounds, %d acknowledged writes, none lost\n", Rounds(),
              total_acknowledged);
  EXPECT_GT(total_acknowledged, Rounds());
}

}  // namespace
}  // namespace placement::service
