#include "service/storage_health.h"

#include <utility>

#include "absl/strings/str_join.h"
#include "logging/log.h"
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
    logging::Info("storage.recovered", {{"health", "SERVING"}});
  } else {
    logging::Error("storage.fault",
                   {{"code", absl::StatusCodeToString(write.code())},
                    {"error", write.message()},
                    {"health", "NOT_SERVING"},
                    {"services", absl::StrJoin(services_.begin() + 1,
                                               services_.end(), ",")}});
  }
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
