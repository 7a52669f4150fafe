#include "service/reference_service.h"

#include <vector>

#include "engine/reference_data.h"

namespace placement::service {
namespace {

void SetLabel(absl::string_view sv, absl::string_view en,
              v1::LocalizedText& out) {
  out.set_sv(std::string(sv));
  out.set_en(std::string(en));
}

void SetCode(absl::string_view code, absl::string_view sv, absl::string_view en,
             v1::ReferenceCode& out) {
  out.set_code(std::string(code));
  SetLabel(sv, en, *out.mutable_label());
}

}  // namespace

template <typename Fill>
grpc::ServerUnaryReactor* ReferenceService::Answer(
    grpc::CallbackServerContext* server_context,
    const v1::ListReferenceRequest& request, app::ReferenceTable table,
    absl::string_view call, Fill fill) const {
  return Respond(server_context, [&]() -> absl::Status {
    absl::StatusOr<Caller> caller = Authorize(
        context_, *server_context,
        {Role::kCoach, Role::kEmployerContact, Role::kOperator, Role::kAdmin},
        call);
    if (!caller.ok()) return caller.status();
    absl::StatusOr<std::vector<int>> found =
        app::LookUpCodes(context_, *caller, table, request.query());
    if (!found.ok()) return found.status();
    for (int index : *found) fill(*context_.reference, index);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReferenceService::ListSkills(
    grpc::CallbackServerContext* server_context,
    const v1::ListReferenceRequest* request, v1::ListSkillsResponse* response) {
  return Answer(
      server_context, *request, app::ReferenceTable::kSkills,
      "ReferenceDataService.ListSkills",
      [&](const ReferenceData& reference, int index) {
        const SkillTaxonomy& taxonomy = reference.skills;
        const SkillTaxonomy::Skill& skill = taxonomy.skills()[index];
        const SkillTaxonomy::Group& group = taxonomy.groups()[skill.group];
        const SkillTaxonomy::Field& field = taxonomy.fields()[group.field];
        v1::Skill* out = response->add_skills();
        out->set_code(skill.code);
        SetLabel(skill.label_sv, skill.label_en, *out->mutable_label());
        SetCode(group.code, group.label_sv, group.label_en,
                *out->mutable_group());
        SetCode(field.code, field.label_sv, field.label_en,
                *out->mutable_field());
      });
}

grpc::ServerUnaryReactor* ReferenceService::ListOccupationFields(
    grpc::CallbackServerContext* server_context,
    const v1::ListReferenceRequest* request,
    v1::ListOccupationFieldsResponse* response) {
  return Answer(
      server_context, *request, app::ReferenceTable::kOccupationFields,
      "ReferenceDataService.ListOccupationFields",
      [&](const ReferenceData& reference, int index) {
        const SkillTaxonomy::Field& field = reference.skills.fields()[index];
        SetCode(field.code, field.label_sv, field.label_en,
                *response->add_fields());
      });
}

grpc::ServerUnaryReactor* ReferenceService::ListSupports(
    grpc::CallbackServerContext* server_context,
    const v1::ListReferenceRequest* request,
    v1::ListSupportsResponse* response) {
  return Answer(server_context, *request, app::ReferenceTable::kSupports,
                "ReferenceDataService.ListSupports",
                [&](const ReferenceData& reference, int index) {
                  const SupportCatalogue::Support& support =
                      reference.supports.supports()[index];
                  SetCode(support.code, support.label_sv, support.label_en,
                          *response->add_supports());
                });
}

grpc::ServerUnaryReactor* ReferenceService::ListSupportNeeds(
    grpc::CallbackServerContext* server_context,
    const v1::ListReferenceRequest* request,
    v1::ListSupportNeedsResponse* response) {
  return Answer(
      server_context, *request, app::ReferenceTable::kSupportNeeds,
      "ReferenceDataService.ListSupportNeeds",
      [&](const ReferenceData& reference, int index) {
        const SupportCatalogue& catalogue = reference.supports;
        const SupportCatalogue::Need& need = catalogue.needs()[index];
        v1::SupportNeedCode* out = response->add_needs();
        out->set_code(need.code);
        SetLabel(need.label_sv, need.label_en, *out->mutable_label());
        out->set_may_be_hard(need.may_be_hard);
        out->set_health_related(need.health_related);
        for (int support : need.met_by) {
          out->add_met_by_support_codes(catalogue.supports()[support].code);
        }
      });
}

grpc::ServerUnaryReactor* ReferenceService::ListMunicipalities(
    grpc::CallbackServerContext* server_context,
    const v1::ListReferenceRequest* request,
    v1::ListMunicipalitiesResponse* response) {
  return Answer(server_context, *request, app::ReferenceTable::kMunicipalities,
                "ReferenceDataService.ListMunicipalities",
                [&](const ReferenceData& reference, int index) {
                  const MunicipalityTable::Municipality& m =
                      reference.municipalities.all()[index];
                  v1::Municipality* out = response->add_municipalities();
                  out->set_code(m.code);
                  SetLabel(m.name, m.name, *out->mutable_label());
                  SetCode(m.county_code, m.county_name, m.county_name,
                          *out->mutable_county());
                  out->mutable_centre()->set_latitude(m.centre.latitude_deg);
                  out->mutable_centre()->set_longitude(m.centre.longitude_deg);
                });
}

}  // namespace placement::service
