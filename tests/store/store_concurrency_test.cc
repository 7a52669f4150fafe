// Concurrent writers and readers on one Store: every acknowledged write is
// readable afterwards, and ThreadSanitizer sees no race (run by
// `scripts/test tsan`).

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/mutex.h"
#include "engine/population_generator.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/testing/fault_injection_vfs.h"
#include "tests/testing/test_util.h"

namespace placement::store {
namespace {

// Waits for `count` calls of Done(). Thread safety: thread-safe.
class Countdown {
 public:
  explicit Countdown(int count) : count_(count) {}
  void Done() {
    MutexLock lock(&mutex_);
    if (--count_ == 0) zero_.SignalAll();
  }
  void Wait() {
    MutexLock lock(&mutex_);
    while (count_ != 0) zero_.Wait(&mutex_);
  }

 private:
  Mutex mutex_;
  CondVar zero_;
  int count_ ABSL_GUARDED_BY(mutex_);
};

using ::placement::testing::Reference;
using ::placement::testing::ScratchDir;

TEST(StoreConcurrencyTest, ConcurrentUpsertsAndLoadsLoseNothing) {
  constexpr int kWriters = 4;
  constexpr int kWritesPerWriter = 40;
  ScratchDir scratch;
  absl::StatusOr<std::unique_ptr<Store>> store =
      Store::Open(scratch.File("c.db"));
  ASSERT_TRUE(store.ok()) << store.status();
  const PopulationGenerator generator({.seed = 8}, Reference());

  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kWritesPerWriter; ++i) {
        Participant p = generator.Participant(w * kWritesPerWriter + i);
        EXPECT_TRUE((*store)->UpsertParticipants({p}).ok());
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 20; ++i) {
      absl::StatusOr<std::vector<Participant>> loaded =
          (*store)->LoadParticipants();
      EXPECT_TRUE(loaded.ok());
    }
  });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(*(*store)->CountParticipants(), kWriters * kWritesPerWriter);
}

AccessRecord Access(int caller, int call) {
  return AccessRecord{.at = absl::Now(),
                      .actor = absl::StrCat("C", caller),
                      .role = "coach",
                      .call = "CoachService.SuggestOpenings",
                      .participant_id = absl::StrFormat("P%07d", call)};
}

// Callers share transactions (group commit); none of their records is lost,
// duplicated or reported before it is readable.
// Checkpoints run on the store's own thread and connection while two
// threads write and one reads: every write is kept, and pages reach the
// database file while the store is open.
TEST(StoreConcurrencyTest, CheckpointsRunBesideWritersAndReaders) {
  ScratchDir scratch;
  const std::string path = scratch.File("p.db");
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  const PopulationGenerator generator({.seed = 11}, Reference());
  std::vector<Participant> participants;
  for (int i = 0; i < 1000; ++i)
    participants.push_back(generator.Participant(i));
  std::atomic<bool> failed{false};
  auto writer = [&](int first) {
    for (int round = 0; round < 10; ++round) {
      for (int i = first; i < 1000; i += 100) {
        std::vector<Participant> batch(participants.begin() + i,
                                       participants.begin() + i + 50);
        for (Participant& p : batch) p.step = round % 6;
        if (!(*store)->UpsertParticipants(batch).ok()) failed = true;
      }
    }
  };
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done) {
      if (!(*store)->CountParticipants().ok()) failed = true;
    }
  });
  std::thread a(writer, 0);
  std::thread b(writer, 50);
  a.join();
  b.join();
  done = true;
  reader.join();
  EXPECT_FALSE(failed);
  absl::StatusOr<std::vector<Participant>> loaded =
      (*store)->LoadParticipants();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->size(), 1000u);
  for (const Participant& p : *loaded) EXPECT_EQ(p.step, 9 % 6) << p.id;
  // Checkpointed pages are in the database file; without a checkpoint,
  // while the store is open, everything would still be in the WAL and the
  // file would hold one page (4 KiB); checkpointed, the records take
  // about 350 KiB.
  std::error_code error;
  const auto database_bytes = std::filesystem::file_size(path, error);
  ASSERT_FALSE(error) << error.message();
  EXPECT_GT(database_bytes, 100u << 10) << "no checkpoint ran";
}

TEST(StoreConcurrencyTest, ConcurrentAccessRecordsAreAllWritten) {
  constexpr int kCallers = 8;
  constexpr int kCallsPerCaller = 30;
  ScratchDir scratch;
  absl::StatusOr<std::unique_ptr<Store>> store =
      Store::Open(scratch.File("log.db"));
  ASSERT_TRUE(store.ok()) << store.status();

  std::vector<std::thread> threads;
  for (int c = 0; c < kCallers; ++c) {
    threads.emplace_back([&, c] {
      for (int i = 0; i < kCallsPerCaller; ++i) {
        const AccessRecord record = Access(c, i);
        if (c % 2 == 0) {
          EXPECT_TRUE((*store)->AppendAccess(record).ok());
        } else {
          Countdown done(1);
          (*store)->AppendAccessAsync({record}, [&](absl::Status status) {
            EXPECT_TRUE(status.ok()) << status;
            done.Done();
          });
          done.Wait();
        }
        absl::StatusOr<std::vector<AccessRecord>> log =
            (*store)->ReadAccessLog(record.participant_id);
        ASSERT_TRUE(log.ok()) << log.status();
        EXPECT_TRUE(std::any_of(
            log->begin(), log->end(),
            [&](const AccessRecord& r) { return r.actor == record.actor; }));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int i = 0; i < kCallsPerCaller; ++i) {
    absl::StatusOr<std::vector<AccessRecord>> log =
        (*store)->ReadAccessLog(absl::StrFormat("P%07d", i));
    ASSERT_TRUE(log.ok()) << log.status();
    EXPECT_EQ(static_cast<int>(log->size()), kCallers);
  }
}

TEST(StoreConcurrencyTest, ClosingTheStoreWritesTheQueuedAccessRecords) {
  constexpr int kCalls = 200;
  ScratchDir scratch;
  const std::string path = scratch.File("drain.db");
  std::atomic<int> acknowledged{0};
  {
    absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    for (int i = 0; i < kCalls; ++i) {
      (*store)->AppendAccessAsync({Access(1, 0)}, [&](absl::Status status) {
        EXPECT_TRUE(status.ok()) << status;
        ++acknowledged;
      });
    }
  }
  EXPECT_EQ(acknowledged.load(), kCalls);
  absl::StatusOr<std::unique_ptr<Store>> reopened = Store::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  absl::StatusOr<std::vector<AccessRecord>> log =
      (*reopened)->ReadAccessLog(Access(1, 0).participant_id, 10 * kCalls);
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_EQ(static_cast<int>(log->size()), kCalls);
}

// A failed transaction fails every caller whose records it held.
TEST(StoreConcurrencyTest, AFailedAccessLogWriteFailsEveryWaitingCaller) {
  constexpr int kCalls = 20;
  fault_injection::RegisterFaultInjectionVfs();
  ScratchDir scratch;
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(
      scratch.File("fault.db"),
      {.vfs = fault_injection::kFaultInjectionVfsName, .max_bytes = 0});
  ASSERT_TRUE(store.ok()) << store.status();
  fault_injection::SetWriteFault(fault_injection::WriteFault::kDiskFull);
  Countdown pending(kCalls);
  std::atomic<int> failed{0};
  for (int i = 0; i < kCalls; ++i) {
    (*store)->AppendAccessAsync({Access(2, i)}, [&](absl::Status status) {
      if (status.code() == absl::StatusCode::kResourceExhausted) ++failed;
      pending.Done();
    });
  }
  pending.Wait();
  fault_injection::SetWriteFault(fault_injection::WriteFault::kNone);
  EXPECT_EQ(failed.load(), kCalls);
  EXPECT_TRUE((*store)->ReadAccessLog(Access(2, 0).participant_id)->empty());
  EXPECT_TRUE((*store)->AppendAccess(Access(2, 0)).ok());
}

}  // namespace
}  // namespace placement::store
