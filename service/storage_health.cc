#include "service/storage_health.h"

#include <cstdio>
#include <utility>

#include "absl/strings/str_join.h"
#include "store/store.h"

namespace placement::service {

StorageHealth::StorageHealth(std::vector<std::string> services)
    : services_([&services] {
        services.insert(services.begin(), "");
        return std::move(services);
      }()) {}

void StorageHealth::Attach(grpc::HealthCheckServiceInterface* health) {
  MutexLock lock(&mutex_);
  health_ = health;
  Publish();
}

void StorageHealth::Detach() {
  MutexLock lock(&mutex_);
  health_ = nullptr;
}

void StorageHealth::Report(const absl::Status& write) {
  if (!write.ok() && !store::IsStorageFault(write)) return;
  MutexLock lock(&mutex_);
  if (write.ok() == fault_.ok()) {
    fault_ = write;  // the latest cause, no change of state
    return;
  }
  fault_ = write;
  if (write.ok()) {
    std::fprintf(stderr, "Storage: writes succeed again; health SERVING\n");
  } else {
    std::fprintf(
        stderr,
        "Storage fault: writes fail (%s: %s); health NOT_SERVING "
        "for the server and %s until a write succeeds\n",
        absl::StatusCodeToString(write.code()).c_str(),
        std::string(write.message()).c_str(),
        absl::StrJoin(services_.begin() + 1, services_.end(), ", ").c_str());
  }
  std::fflush(stderr);
  Publish();
}

absl::Status StorageHealth::state() const {
  MutexLock lock(&mutex_);
  return fault_;
}

void StorageHealth::Publish() {
  if (health_ == nullptr) return;
  for (const std::string& service : services_) {
    health_->SetServingStatus(service, fault_.ok());
  }
}

}  // namespace placement::service
