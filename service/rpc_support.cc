#include "service/rpc_support.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/coach.h"
#include "google/protobuf/util/field_mask_util.h"
#include "proto/request_check.h"

namespace placement::service {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      LimitMessage(status.message()));
}

namespace {
// The innermost check of this thread (PendingRequestCheck).
thread_local PendingRequestCheck* pending_check = nullptr;
}  // namespace

PendingRequestCheck::PendingRequestCheck(const grpc::ServerContextBase& context,
                                         absl::Status check)
    : context_(&context), check_(std::move(check)), previous_(pending_check) {
  pending_check = this;
}

PendingRequestCheck::~PendingRequestCheck() { pending_check = previous_; }

absl::Status PendingRequestCheck::Take(const grpc::ServerContextBase& context) {
  for (PendingRequestCheck* check = pending_check; check != nullptr;
       check = check->previous_) {
    if (check->context_ == &context) return std::exchange(check->check_, {});
  }
  return absl::OkStatus();
}

absl::StatusOr<Caller> Authorize(const ServiceContext& context,
                                 const grpc::ServerContextBase& server_context,
                                 std::initializer_list<Role> allowed,
                                 absl::string_view call) {
  absl::StatusOr<Caller> caller =
      context.credentials->Authenticate(server_context);
  if (!caller.ok()) return caller.status();
  if (absl::Status s = app::CheckRole(*caller, allowed, call); !s.ok()) {
    return s;
  }
  if (absl::Status s = PendingRequestCheck::Take(server_context); !s.ok()) {
    return s;
  }
  return caller;
}

absl::Status LogAccess(ServiceContext& context, const Caller& caller,
                       absl::string_view call,
                       const std::vector<std::string>& participant_ids) {
  if (participant_ids.empty()) return absl::OkStatus();
  absl::Status logged = context.store->AppendAccess(
      app::AccessRecords(context, caller, call, participant_ids));
  if (context.storage_health != nullptr) context.storage_health->Report(logged);
  return logged;
}

absl::Status CheckLanguage(int language, absl::string_view field) {
  if (v1::Language_IsValid(language)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": ", language,
      " is not a Language (LANGUAGE_SV = 1, LANGUAGE_EN = 2, or unset for "
      "both)"));
}

app::WeightOverrides WeightOverridesOf(const v1::ScoringProfileOverride& o) {
  app::WeightOverrides overrides;
  if (o.has_skills_weight()) overrides[0] = o.skills_weight();
  if (o.has_support_weight()) overrides[1] = o.support_weight();
  if (o.has_travel_weight()) overrides[2] = o.travel_weight();
  if (o.has_step_weight()) overrides[3] = o.step_weight();
  if (o.has_preference_weight()) overrides[4] = o.preference_weight();
  return overrides;
}

absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask,
                             const google::protobuf::Descriptor& type,
                             absl::Span<const absl::string_view> output_only,
                             absl::Span<const absl::string_view> immutable,
                             absl::string_view example) {
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("update_mask: required; name the fields to change, e.g. "
                     "\"",
                     example, "\""));
  }
  for (const std::string& path : mask.paths()) {
    const absl::string_view top =
        absl::string_view(path).substr(0, path.find('.'));
    if (std::find(output_only.begin(), output_only.end(), top) !=
        output_only.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("update_mask: \"", path, "\" is output only"));
    }
    if (std::find(immutable.begin(), immutable.end(), top) != immutable.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("update_mask: \"", path, "\" is immutable"));
    }
    if (!google::protobuf::util::FieldMaskUtil::GetFieldDescriptors(&type, path,
                                                                    nullptr)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "update_mask: \"", absl::string_view(path).substr(0, 100),
          "\" is not a field of ", type.name()));
    }
  }
  return absl::OkStatus();
}

void MergeMasked(const google::protobuf::Message& source,
                 const google::protobuf::FieldMask& mask,
                 google::protobuf::Message& destination) {
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(source, mask, options,
                                                        &destination);
}

int PageSize(const v1::PageRequest& page) {
  if (page.page_size() == 0) return kDefaultPageSize;
  return static_cast<int>(std::min<uint32_t>(
      page.page_size(), static_cast<uint32_t>(kMaxPageSize)));
}

absl::Status ListProposalPage(
    ServiceContext& context, const Caller& caller, absl::string_view call,
    store::ProposalQuery query, const v1::PageRequest& page,
    google::protobuf::RepeatedPtrField<v1::Proposal>& out,
    std::string& next_page_token) {
  absl::StatusOr<app::ProposalPage> listed =
      app::ListProposals(context, caller, call, std::move(query),
                         PageSize(page), page.page_token());
  if (!listed.ok()) return listed.status();
  for (v1::Proposal& proposal : listed->proposals) {
    *out.Add() = std::move(proposal);
  }
  next_page_token = std::move(listed->next_page_token);
  return absl::OkStatus();
}

}  // namespace placement::service
