#include "app/retention.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace placement::app {
namespace {

const absl::TimeZone& Zone() {
  static const absl::TimeZone* const kZone = [] {
    auto* zone = new absl::TimeZone(absl::UTCTimeZone());
    absl::LoadTimeZone("Europe/Stockholm", zone);
    return zone;
  }();
  return *kZone;
}

}  // namespace

absl::Status CheckRetentionPolicy(const RetentionPolicy& policy) {
  if (policy.decided_proposals_days < 1 ||
      policy.decided_proposals_days > kMaxRetainDays) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--retain_decided_proposals_days: ", policy.decided_proposals_days,
        " is outside 1..", kMaxRetainDays));
  }
  if (policy.access_log_months < kMinRetainAccessLogMonths) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--retain_access_log_months: ", policy.access_log_months, " is below ",
        kMinRetainAccessLogMonths,
        ": a deployer of a high-risk AI system keeps its logs at least six "
        "months (EU AI Act, Art. 26(6))"));
  }
  if (policy.access_log_months > kMaxRetainMonths) {
    return absl::InvalidArgumentError(
        absl::StrCat("--retain_access_log_months: ", policy.access_log_months,
                     " is above ", kMaxRetainMonths));
  }
  return absl::OkStatus();
}

store::RetentionCutoffs RetentionCutoffsAt(const RetentionPolicy& policy,
                                           absl::Time now) {
  const absl::CivilSecond local = absl::ToCivilSecond(now, Zone());
  // CivilSecond normalises: 31 August minus six months is 3 March's
  // "31 February", i.e. 3 March (or 2 March in a leap year).
  const absl::CivilSecond days_back(
      local.year(), local.month(), local.day() - policy.decided_proposals_days,
      local.hour(), local.minute(), local.second());
  const absl::CivilSecond months_back(
      local.year(), local.month() - policy.access_log_months, local.day(),
      local.hour(), local.minute(), local.second());
  // Sub-second precision of `now` is kept so that the cutoff is exactly the
  // same instant of the day.
  const absl::Duration fraction = now - absl::FromCivil(local, Zone());
  return store::RetentionCutoffs{
      .proposals_before = absl::FromCivil(days_back, Zone()) + fraction,
      .access_log_before = absl::FromCivil(months_back, Zone()) + fraction};
}

std::string RetentionSummary(const RetentionPolicy& policy) {
  return absl::StrCat("decided proposals ", policy.decided_proposals_days,
                      " days, access log ", policy.access_log_months,
                      " months");
}

}  // namespace placement::app
