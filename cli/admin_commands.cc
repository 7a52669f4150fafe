// CLI commands for admins: bulk import and export.

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "placement/v1/admin_service.grpc.pb.h"

ABSL_FLAG(bool, dry_run, false, "Compute and report, but store nothing");

namespace placement::cli {
namespace {

bool ParseKind(const std::string& word, placement::v1::DataKind* kind) {
  if (word == "participants") {
    *kind = placement::v1::DATA_KIND_PARTICIPANTS;
  } else if (word == "openings") {
    *kind = placement::v1::DATA_KIND_OPENINGS;
  } else {
    std::fprintf(stderr, "placement: '%s' is not participants or openings\n",
                 word.c_str());
    return false;
  }
  return true;
}

}  // namespace

int ImportCommand(const Channel& channel, const Args& args) {
  if (args.size() != 4) {
    return UsageError("import needs participants|openings FILE");
  }
  const std::string what = args[2];
  const std::string path = args[3];
  placement::v1::ImportRequest request;
  placement::v1::DataKind kind;
  if (!ParseKind(what, &kind)) return kUsage;
  request.set_kind(kind);
  if (!ReadFile(path, request.mutable_content())) return kUsage;
  request.set_file_name(path);
  request.set_dry_run(absl::GetFlag(FLAGS_dry_run));
  auto stub = placement::v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  placement::v1::ImportReport report;
  const grpc::Status status = stub->ImportData(&context, request, &report);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(report);
  } else {
    std::printf("%s%u rows read: %u inserted, %u updated, %u rejected\n",
                report.dry_run() ? "(dry run) " : "", report.rows_read(),
                report.rows_inserted(), report.rows_updated(),
                report.rows_rejected());
    for (const auto& e : report.errors()) {
      std::printf("  %s:%u: field '%s', value '%s': %s\n", e.file().c_str(),
                  e.line(), e.field().c_str(), e.value().c_str(),
                  e.reason().c_str());
    }
  }
  return report.rows_rejected() == 0 ? kOk : kServerError;
}

int ExportCommand(const Channel& channel, const Args& args) {
  if (args.size() != 3) return UsageError("export needs participants|openings");
  const std::string what = args[2];
  placement::v1::ExportRequest request;
  placement::v1::DataKind kind;
  if (!ParseKind(what, &kind)) return kUsage;
  request.set_kind(kind);
  auto stub = placement::v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  std::unique_ptr<grpc::ClientReader<placement::v1::ExportChunk>> reader =
      stub->ExportData(&context, request);
  placement::v1::ExportChunk chunk;
  while (reader->Read(&chunk)) {
    std::fwrite(chunk.content().data(), 1, chunk.content().size(), stdout);
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return ReportCallError(status);
  return kOk;
}

}  // namespace placement::cli
