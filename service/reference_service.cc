#include "service/reference_service.h"

#include <initializer_list>

#include "absl/strings/str_cat.h"
#include "engine/reference_data.h"

namespace placement::service {
namespace {

void SetLabel(absl::string_view sv, absl::string_view en,
              v1::LocalizedText& out) {
  out.set_sv(std::string(sv));
  out.set_en(std::string(en));
}

// Whether any of `texts` contains the query (see ContainsIgnoringCase).
bool Matches(absl::string_view query,
             std::initializer_list<absl::string_view> texts) {
  for (absl::string_view text : texts) {
    if (ContainsIgnoringCase(text, query)) return true;
  }
  return false;
}

}  // namespace

template <typename Fill>
grpc::ServerUnaryReactor* ReferenceService::Answer(
    grpc::CallbackServerContext* server_context,
    const v1::ListReferenceRequest& request, absl::string_view call,
    Fill fill) const {
  return Respond(server_context, [&]() -> absl::Status {
    if (absl::Status s = Admit(*server_context, request, call); !s.ok()) {
      return s;
    }
    fill(absl::string_view(request.query()));
    return absl::OkStatus();
  });
}

absl::Status ReferenceService::Admit(
    const grpc::CallbackServerContext& server_context,
    const v1::ListReferenceRequest& request, absl::string_view call) const {
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context,
      {Role::kCoach, Role::kEmployerContact, Role::kOperator, Role::kAdmin},
      call);
  if (!caller.ok()) return caller.status();
  if (const size_t length = app::Utf8Characters(request.query());
      length > kMaxQueryCharacters) {
    return absl::InvalidArgumentError(absl::StrCat(
        "query: ", length, " characters; at most ", kMaxQueryCharacters));
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* ReferenceService::ListSkills(
    grpc::CallbackServerContext* server_context,
    const v1::ListReferenceRequest* request, v1::ListSkillsResponse* response) {
  return Answer(
      server_context, *request, "ReferenceDataService.ListSkills",
      [&](absl::string_view query) {
        const SkillTaxonomy& taxonomy = context_.reference->skills;
        for (const SkillTaxonomy::Skill& skill : taxonomy.skills()) {
          const SkillTaxonomy::Group& group = taxonomy.groups()[skill.group];
          const SkillTaxonomy::Field& field = taxonomy.fields()[group.field];
          if (!Matches(query, {skill.code, skill.label_sv, skill.label_en,
                               group.label_sv, group.label_en, field.code,
                               field.label_sv, field.label_en})) {
            continue;
          }
          v1::Skill* out = response->add_skills();
          out->set_code(skill.code);
          SetLabel(skill.label_sv, skill.label_en, *out->mutable_label());
          out->mutable_group()->set_code(group.code);
          SetLabel(group.label_sv, group.label_en,
                   *out->mutable_group()->mutable_label());
          out->mutable_field()->set_code(field.code);
          SetLabel(field.label_sv, field.label_en,
                   *out->mutable_field()->mutable_label());
        }
      });
}

grpc::ServerUnaryReactor* ReferenceService::ListOccupationFields(
    grpc::CallbackServerContext* server_context,
    const v1::ListReferenceRequest* request,
    v1::ListOccupationFieldsResponse* response) {
  return Answer(
      server_context, *request, "ReferenceDataService.ListOccupationFields",
      [&](absl::string_view query) {
        for (const SkillTaxonomy::Field& field :
             context_.reference->skills.fields()) {
          if (!Matches(query, {field.code, field.label_sv, field.label_en})) {
            continue;
          }
          v1::ReferenceCode* out = response->add_fields();
          out->set_code(field.code);
          SetLabel(field.label_sv, field.label_en, *out->mutable_label());
        }
      });
}

grpc::ServerUnaryReactor* ReferenceService::ListSupports(
    grpc::CallbackServerContext* server_context,
    const v1::ListReferenceRequest* request,
    v1::ListSupportsResponse* response) {
  return Answer(
      server_context, *request, "ReferenceDataService.ListSupports",
      [&](absl::string_view query) {
        for (const SupportCatalogue::Support& support :
             context_.reference->supports.supports()) {
          if (!Matches(query,
                       {support.code, support.label_sv, support.label_en})) {
            continue;
          }
          v1::ReferenceCode* out = response->add_supports();
          out->set_code(support.code);
          SetLabel(support.label_sv, support.label_en, *out->mutable_label());
        }
      });
}

grpc::ServerUnaryReactor* ReferenceService::ListSupportNeeds(
    grpc::CallbackServerContext* server_context,
    const v1::ListReferenceRequest* request,
    v1::ListSupportNeedsResponse* response) {
  return Answer(
      server_context, *request, "ReferenceDataService.ListSupportNeeds",
      [&](absl::string_view query) {
        const SupportCatalogue& catalogue = context_.reference->supports;
        for (const SupportCatalogue::Need& need : catalogue.needs()) {
          if (!Matches(query, {need.code, need.label_sv, need.label_en})) {
            continue;
          }
          v1::SupportNeedCode* out = response->add_needs();
          out->set_code(need.code);
          SetLabel(need.label_sv, need.label_en, *out->mutable_label());
          out->set_may_be_hard(need.may_be_hard);
          out->set_health_related(need.health_related);
          for (int support : need.met_by) {
            out->add_met_by_support_codes(catalogue.supports()[support].code);
          }
        }
      });
}

grpc::ServerUnaryReactor* ReferenceService::ListMunicipalities(
    grpc::CallbackServerContext* server_context,
    const v1::ListReferenceRequest* request,
    v1::ListMunicipalitiesResponse* response) {
  return Answer(
      server_context, *request, "ReferenceDataService.ListMunicipalities",
      [&](absl::string_view query) {
        for (const MunicipalityTable::Municipality& m :
             context_.reference->municipalities.all()) {
          if (!Matches(query, {m.code, m.name, m.county_name})) {
            continue;
          }
          v1::Municipality* out = response->add_municipalities();
          out->set_code(m.code);
          SetLabel(m.name, m.name, *out->mutable_label());
          out->mutable_county()->set_code(m.county_code);
          SetLabel(m.county_name, m.county_name,
                   *out->mutable_county()->mutable_label());
          out->mutable_centre()->set_latitude(m.centre.latitude_deg);
          out->mutable_centre()->set_longitude(m.centre.longitude_deg);
        }
      });
}

}  // namespace placement::service
