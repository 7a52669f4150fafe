// `placement codes KIND [TEXT]`: the codes records are written in, with
// their Swedish and English labels, from the server's ReferenceDataService,
// so nobody needs to open the CSV files under data/ to write an opening or a
// participant.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "placement/v1/reference_service.grpc.pb.h"

namespace placement::cli {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Calls one List RPC with `query`; prints items(response) as JSON lines
// (--json) or a table of `header` and to_rows(response).
template <typename Response, typename Call, typename Items, typename ToRows>
int List(Call call, Items items, const std::vector<std::string>& header,
         ToRows to_rows, const std::string& query) {
  grpc::ClientContext context;
  Prepare(context);
  v1::ListReferenceRequest request;
  request.set_query(query);
  Response response;
  const grpc::Status status = call(&context, request, &response);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJsonLines(items(response));
    return kOk;
  }
  const Rows rows = to_rows(response);
  if (rows.empty()) {
    std::printf("(nothing matches '%s')\n", query.c_str());
    return kOk;
  }
  PrintTable(header, rows);
  return kOk;
}

}  // namespace

int CodesCommand(const Channel& channel, const Args& args) {
  constexpr char kKinds[] = "skills, fields, supports, needs or municipalities";
  if (args.size() < 3 || args.size() > 4) {
    return UsageError(
        absl::StrCat("codes needs a KIND (", kKinds, ") and at most one TEXT"));
  }
  const std::string kind = args[2];
  const std::string query = args.size() == 4 ? args[3] : "";
  auto stub = v1::ReferenceDataService::NewStub(channel);
  if (kind == "skills") {
    return List<v1::ListSkillsResponse>(
        [&](auto... a) { return stub->ListSkills(a...); },
        [](const v1::ListSkillsResponse& r) -> const auto& {
          return r.skills();
        },
        {"CODE", "SWEDISH", "ENGLISH", "FIELD"},
        [](const v1::ListSkillsResponse& r) {
          Rows rows;
          for (const v1::Skill& s : r.skills()) {
            rows.push_back(
                {s.code(), s.label().sv(), s.label().en(), s.field().code()});
          }
          return rows;
        },
        query);
  }
  if (kind == "fields" || kind == "supports") {
    auto rows_of = [](const auto& codes) {
      Rows rows;
      for (const v1::ReferenceCode& c : codes) {
        rows.push_back({c.code(), c.label().sv(), c.label().en()});
      }
      return rows;
    };
    const std::vector<std::string> header = {"CODE", "SWEDISH", "ENGLISH"};
    if (kind == "fields") {
      return List<v1::ListOccupationFieldsResponse>(
          [&](auto... a) { return stub->ListOccupationFields(a...); },
          [](const v1::ListOccupationFieldsResponse& r) -> const auto& {
            return r.fields();
          },
          header,
          [&](const v1::ListOccupationFieldsResponse& r) {
            return rows_of(r.fields());
          },
          query);
    }
    return List<v1::ListSupportsResponse>(
        [&](auto... a) { return stub->ListSupports(a...); },
        [](const v1::ListSupportsResponse& r) -> const auto& {
          return r.supports();
        },
        header,
        [&](const v1::ListSupportsResponse& r) {
          return rows_of(r.supports());
        },
        query);
  }
  if (kind == "needs") {
    return List<v1::ListSupportNeedsResponse>(
        [&](auto... a) { return stub->ListSupportNeeds(a...); },
        [](const v1::ListSupportNeedsResponse& r) -> const auto& {
          return r.needs();
        },
        {"CODE", "SWEDISH", "ENGLISH", "HARD", "HEALTH", "MET BY"},
        [](const v1::ListSupportNeedsResponse& r) {
          Rows rows;
          for (const v1::SupportNeedCode& n : r.needs()) {
            rows.push_back({n.code(), n.label().sv(), n.label().en(),
                            n.may_be_hard() ? "may be" : "no",
                            n.health_related() ? "yes" : "no",
                            absl::StrJoin(n.met_by_support_codes(), ", ")});
          }
          return rows;
        },
        query);
  }
  if (kind == "municipalities") {
    return List<v1::ListMunicipalitiesResponse>(
        [&](auto... a) { return stub->ListMunicipalities(a...); },
        [](const v1::ListMunicipalitiesResponse& r) -> const auto& {
          return r.municipalities();
        },
        {"CODE", "NAME", "COUNTY"},
        [](const v1::ListMunicipalitiesResponse& r) {
          Rows rows;
          for (const v1::Municipality& m : r.municipalities()) {
            rows.push_back({m.code(), m.label().sv(), m.county().label().sv()});
          }
          return rows;
        },
        query);
  }
  return UsageError(absl::StrCat("codes: '", kind, "' is not one of ", kKinds));
}

}  // namespace placement::cli
