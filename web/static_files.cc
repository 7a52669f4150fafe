#include "web/static_files.h"

#include <system_error>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace placement::web {

std::optional<std::filesystem::path> ResolveStaticFile(
    const std::filesystem::path& root, absl::string_view request_path) {
  if (request_path.empty() || request_path.front() != '/') return std::nullopt;
  if (request_path.find('\\') != absl::string_view::npos ||
      request_path.find('\0') != absl::string_view::npos) {
    return std::nullopt;
  }
  std::string relative(request_path.substr(1));
  if (relative.empty()) relative = "index.html";
  for (absl::string_view segment : absl::StrSplit(relative, '/')) {
    if (segment.empty() || segment == "." || segment == "..") {
      return std::nullopt;
    }
  }
  std::error_code error;
  const std::filesystem::path canonical_root =
      std::filesystem::canonical(root, error);
  if (error) return std::nullopt;
  const std::filesystem::path file =
      std::filesystem::canonical(canonical_root / relative, error);
  if (error) return std::nullopt;
  // Inside the root after links are resolved: the root's components are a
  // prefix of the file's.
  auto file_part = file.begin();
  for (auto root_part = canonical_root.begin();
       root_part != canonical_root.end(); ++root_part, ++file_part) {
    if (file_part == file.end() || *file_part != *root_part) {
      return std::nullopt;
    }
  }
  if (!std::filesystem::is_regular_file(file, error) || error) {
    return std::nullopt;
  }
  return file;
}

absl::string_view ContentTypeFor(const std::filesystem::path& file) {
  const std::string extension =
      absl::AsciiStrToLower(file.extension().string());
  if (extension == ".html") return "text/html; charset=utf-8";
  if (extension == ".js" || extension == ".mjs") {
    return "text/javascript; charset=utf-8";
  }
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".json" || extension == ".map") {
    return "application/json";
  }
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  if (extension == ".jpg" || extension == ".jpeg") return "image/jpeg";
  if (extension == ".ico") return "image/x-icon";
  if (extension == ".woff2") return "font/woff2";
  if (extension == ".woff") return "font/woff";
  if (extension == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace placement::web
