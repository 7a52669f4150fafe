// The group commit (app/write_queue.h) through the registry's use cases on a
// real store: concurrent writers share commits, every acknowledged write is
// on disk and in the snapshot, a write refused inside a batch fails alone,
// and a failed commit fails every write in it and changes nothing.
#include "app/write_queue.h"

#include <atomic>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/context.h"
#include "app/registry.h"
#include "engine/population_generator.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/testing/fault_injection_vfs.h"
#include "tests/testing/test_util.h"

namespace placement::app {
namespace {

using testing::Reference;
using testing::ScratchDir;

constexpr char kCoach[] = "C0001-01";
constexpr int kWriters = 16;
constexpr int kWritesEach = 12;

// A context over a store opened through the fault-injection VFS and a
// snapshot of the same participants, every one ACTIVE and of one coach.
class WriteQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fault_injection::RegisterFaultInjectionVfs();
    const PopulationGenerator generator(
        {.seed = 5, .participants = kWriters, .openings = 4}, Reference());
    for (int i = 0; i < kWriters; ++i) {
      participants_.push_back(generator.Participant(i));
      participants_.back().status = ParticipantStatus::kActive;
      participants_.back().coach_id = kCoach;
    }
    for (int i = 0; i < 4; ++i) openings_.push_back(generator.Opening(i));
    Open(/*seed=*/true);
  }
  void TearDown() override {
    fault_injection::SetWriteFault(fault_injection::WriteFault::kNone);
  }

  // (Re)opens the store and builds the snapshot from what it holds, as a
  // server starting on the file would.
  void Open(bool seed) {
    context_.reset();
    store_.reset();
    absl::StatusOr<std::unique_ptr<store::Store>> opened =
        store::Store::Open(scratch_.File("writes.db"),
                           {.vfs = fault_injection::kFaultInjectionVfsName});
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = *std::move(opened);
    if (seed) {
      ASSERT_TRUE(store_->UpsertParticipants(participants_).ok());
      ASSERT_TRUE(store_->UpsertOpenings(openings_).ok());
    }
    absl::StatusOr<std::vector<Participant>> participants =
        store_->LoadParticipants();
    absl::StatusOr<std::vector<Opening>> openings = store_->LoadOpenings();
    ASSERT_TRUE(participants.ok() && openings.ok());
    auto reference = std::make_shared<const ReferenceData>(Reference());
    absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot =
        Snapshot::Build(reference, *participants, *openings);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status();
    holder_ = std::make_unique<SnapshotHolder>(*snapshot);
    context_ = std::make_unique<Context>();
    context_->reference = reference;
    context_->store = store_.get();
    context_->snapshots = holder_.get();
    context_->now = [] { return absl::FromUnixSeconds(1'800'000'000); };
  }

  Participant InSnapshot(const std::string& id) const {
    const std::shared_ptr<const Snapshot> snapshot = holder_->Current();
    const std::optional<int> index = snapshot->FindParticipant(id);
    EXPECT_TRUE(index.has_value()) << id;
    return index ? snapshot->participant(*index) : Participant{};
  }
  std::optional<Participant> InStore(const std::string& id) const {
    absl::StatusOr<std::vector<Participant>> all = store_->LoadParticipants();
    EXPECT_TRUE(all.ok()) << all.status();
    for (const Participant& p : *all) {
      if (p.id == id) return p;
    }
    return std::nullopt;
  }

  const Caller coach_{.principal = kCoach, .role = Role::kCoach};
  std::vector<Participant> participants_;
  std::vector<Opening> openings_;
  ScratchDir scratch_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SnapshotHolder> holder_;
  std::unique_ptr<Context> context_;
};

TEST_F(WriteQueueTest, ConcurrentWritersAreDurableAndSeenByTheNextQuery) {
  std::atomic<int> unseen{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      Participant p = participants_[static_cast<size_t>(w)];
      for (int i = 1; i <= kWritesEach; ++i) {
        p.max_travel_minutes = 10 + i;
        absl::StatusOr<Participant> saved =
            UpsertParticipant(*context_, coach_, {.participant = p});
        if (!saved.ok()) {
          ++failed;
          continue;
        }
        // Acknowledged: the very next query sees it.
        if (InSnapshot(p.id).max_travel_minutes != 10 + i) ++unseen;
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(unseen.load(), 0);
  // Every write has its access record, in the same commit.
  absl::StatusOr<std::vector<store::AccessRecord>> log =
      store_->ReadAccessLog(participants_[0].id);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->size(), static_cast<size_t>(kWritesEach));

  Open(/*seed=*/false);  // a restart on the same file
  for (const Participant& p : participants_) {
    const std::optional<Participant> stored = InStore(p.id);
    ASSERT_TRUE(stored.has_value()) << p.id;
    EXPECT_EQ(stored->max_travel_minutes, 10 + kWritesEach) << p.id;
  }
}

// Writes queued while the committer waits for the lock go into one batch.
// Submits `count` upserts of participants_[0..count) while the write lock
// is held, releases it and waits for every answer.
std::vector<absl::Status> OneBatch(Context& context, const Caller& caller,
                                   std::vector<Participant> writes) {
  std::vector<absl::Status> statuses(writes.size());
  // std::latch rather than absl::BlockingCounter: ThreadSanitizer sees its
  // atomics, not Debian's uninstrumented Abseil (engine/mutex.h).
  std::latch answered(static_cast<std::ptrdiff_t>(writes.size()));
  {
    MutexLock lock(&context.write_mutex);
    for (size_t i = 0; i < writes.size(); ++i) {
      UpsertParticipant(
          context, caller, {.participant = writes[i]},
          [&statuses, &answered, i](absl::StatusOr<Participant> saved) {
            statuses[i] = saved.status();
            answered.count_down();
          });
    }
  }
  answered.wait();
  return statuses;
}

TEST_F(WriteQueueTest, AWriteRefusedInsideABatchFailsAlone) {
  // A participant of another caseload: refused by the step, under the lock.
  Participant theirs = participants_[3];
  theirs.coach_id = "C0002-01";
  ASSERT_TRUE(store_->UpsertParticipants({theirs}).ok());
  Open(/*seed=*/false);
  theirs.coach_id = kCoach;  // an attempt to take them over
  Participant first = participants_[0];
  first.max_travel_minutes = 77;
  Participant second = participants_[1];
  second.max_travel_minutes = 78;
  const std::vector<absl::Status> statuses =
      OneBatch(*context_, coach_, {first, theirs, second});
  EXPECT_TRUE(statuses[0].ok()) << statuses[0];
  EXPECT_EQ(statuses[1].code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(statuses[2].ok()) << statuses[2];
  EXPECT_EQ(InSnapshot(first.id).max_travel_minutes, 77);
  EXPECT_EQ(InSnapshot(second.id).max_travel_minutes, 78);
  EXPECT_EQ(InStore(theirs.id)->coach_id, "C0002-01");
  EXPECT_EQ(InSnapshot(theirs.id).coach_id, "C0002-01");
}

TEST_F(WriteQueueTest, AFailedCommitFailsEveryWriteInItAndChangesNothing) {
  std::vector<Participant> writes;
  for (int i = 0; i < 5; ++i) {
    Participant p = participants_[static_cast<size_t>(i)];
    p.max_travel_minutes = 91;
    writes.push_back(p);
  }
  const int before = participants_[0].max_travel_minutes;
  const auto version = holder_->Current()->version();
  fault_injection::SetWriteFault(fault_injection::WriteFault::kDiskFull);
  const std::vector<absl::Status> statuses =
      OneBatch(*context_, coach_, writes);
  fault_injection::SetWriteFault(fault_injection::WriteFault::kNone);
  for (const absl::Status& status : statuses) {
    EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
  }
  EXPECT_EQ(holder_->Current()->version(), version);
  EXPECT_EQ(InSnapshot(writes[0].id).max_travel_minutes, before);
  EXPECT_EQ(InStore(writes[0].id)->max_travel_minutes, before);
  absl::StatusOr<std::vector<store::AccessRecord>> log =
      store_->ReadAccessLog(writes[0].id);
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(log->empty());

  // Once the disk has room again, the same writes go through.
  for (const absl::Status& status : OneBatch(*context_, coach_, writes)) {
    EXPECT_TRUE(status.ok()) << status;
  }
  EXPECT_EQ(InSnapshot(writes[4].id).max_travel_minutes, 91);
  Open(/*seed=*/false);
  EXPECT_EQ(InStore(writes[4].id)->max_travel_minutes, 91);
}

}  // namespace
}  // namespace placement::app
