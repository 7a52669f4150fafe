// Concurrent writers through the real placement-server: the registry's
// writes share commits (app/write_queue.h), and still every acknowledged
// write is seen by the writer's next query and is on disk after a restart.

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "tests/testing/running_server.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::kCoachToken;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;

constexpr int kWriters = 16;
constexpr int kParticipantsEach = 3;
constexpr int kRounds = 3;

// The demo coach's first participant, as a template for new ones.
v1::Participant Template(const RunningServer& server) {
  auto registry = v1::ParticipantRegistry::NewStub(server.channel());
  v1::ListParticipantsRequest request;
  request.mutable_page()->set_page_size(1);
  v1::ListParticipantsResponse response;
  EXPECT_TRUE(
      registry->ListParticipants(CallAs(kCoachToken).get(), request, &response)
          .ok());
  EXPECT_EQ(response.participants_size(), 1);
  v1::Participant p = response.participants(0);
  p.clear_updated_at();
  return p;
}

std::string IdOf(int writer, int participant) {
  return absl::StrFormat("PW%02d%02d", writer, participant);
}

// The value writer `w` leaves on its participant `p` in round `round`.
int MinutesOf(int w, int p, int round) { return 10 + w + p + 5 * round; }

TEST(WritePathApiTest, ConcurrentWritesAreSeenAtOnceAndSurviveARestart) {
  ScratchDir scratch;
  v1::Participant base;
  {
    RunningServer server(scratch, "writes.db");
    base = Template(server);
    std::atomic<int> failed{0};
    std::atomic<int> unseen{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        // A channel each: sixteen connections, as sixteen clients.
        grpc::ChannelArguments arguments;
        arguments.SetInt("placement.writer", w);
        auto registry =
            v1::ParticipantRegistry::NewStub(grpc::CreateCustomChannel(
                server.address(), grpc::InsecureChannelCredentials(),
                arguments));
        for (int round = 0; round < kRounds; ++round) {
          for (int p = 0; p < kParticipantsEach; ++p) {
            v1::UpsertParticipantRequest upsert;
            *upsert.mutable_participant() = base;
            upsert.mutable_participant()->set_id(IdOf(w, p));
            upsert.mutable_participant()->set_max_travel_minutes(
                static_cast<uint32_t>(MinutesOf(w, p, round)));
            v1::Participant saved;
            const grpc::Status status = registry->UpsertParticipant(
                CallAs(kCoachToken).get(), upsert, &saved);
            if (!status.ok()) {
              ADD_FAILURE() << IdOf(w, p) << ": " << status.error_message();
              ++failed;
              continue;
            }
            // Acknowledged: the next query sees it.
            v1::GetParticipantRequest get;
            get.set_participant_id(IdOf(w, p));
            v1::Participant read;
            if (!registry->GetParticipant(CallAs(kCoachToken).get(), get, &read)
                     .ok() ||
                static_cast<int>(read.max_travel_minutes()) !=
                    MinutesOf(w, p, round)) {
              ++unseen;
            }
          }
        }
      });
    }
    for (std::thread& writer : writers) writer.join();
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(unseen.load(), 0);
  }  // SIGTERM: the server stops

  // A new server on the same file holds every acknowledged write.
  RunningServer restarted(scratch, "writes.db");
  auto registry = v1::ParticipantRegistry::NewStub(restarted.channel());
  for (int w = 0; w < kWriters; ++w) {
    for (int p = 0; p < kParticipantsEach; ++p) {
      v1::GetParticipantRequest get;
      get.set_participant_id(IdOf(w, p));
      v1::Participant read;
      const grpc::Status status =
          registry->GetParticipant(CallAs(kCoachToken).get(), get, &read);
      ASSERT_TRUE(status.ok()) << IdOf(w, p) << ": " << status.error_message();
      EXPECT_EQ(static_cast<int>(read.max_travel_minutes()),
                MinutesOf(w, p, kRounds - 1))
          << IdOf(w, p);
    }
  }
}

}  // namespace
}  // namespace placement::service
