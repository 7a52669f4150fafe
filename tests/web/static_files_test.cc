// Which file a request path names under the console's folder, and the
// content types (web/static_files.h).

#include "web/static_files.h"

#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace placement::web {
namespace {

using ::placement::testing::ScratchDir;
using ::placement::testing::WriteFileOrDie;

class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest() : root_(scratch_.File("console")) {
    std::filesystem::create_directories(root_ + "/assets");
    WriteFileOrDie(root_ + "/index.html", "<!doctype html>");
    WriteFileOrDie(root_ + "/assets/app.js", "1");
    WriteFileOrDie(scratch_.File("secret.txt"), "outside");
    std::filesystem::create_symlink(scratch_.File("secret.txt"),
                                    root_ + "/link.txt");
  }

  std::string Resolved(const std::string& request_path) const {
    const auto file = ResolveStaticFile(root_, request_path);
    return file.has_value() ? file->filename().string() : "";
  }

  ScratchDir scratch_;
  const std::string root_;
};

TEST_F(StaticFilesTest, TheRootIsIndexHtmlAndFilesAreFound) {
  EXPECT_EQ(Resolved("/"), "index.html");
  EXPECT_EQ(Resolved("/index.html"), "index.html");
  EXPECT_EQ(Resolved("/assets/app.js"), "app.js");
}

TEST_F(StaticFilesTest, UnknownFilesAndFoldersAreNotFound) {
  EXPECT_EQ(Resolved("/missing.js"), "");
  EXPECT_EQ(Resolved("/assets"), "");
  EXPECT_EQ(Resolved("/assets/"), "");
  EXPECT_EQ(Resolved(""), "");
  EXPECT_EQ(Resolved("index.html"), "");
}

TEST_F(StaticFilesTest, PathsThatLeaveTheRootAreRefused) {
  for (const std::string& path : std::vector<std::string>{
           "/../secret.txt", "/assets/../../secret.txt",
           "/assets/../index.html", "/./index.html", "//index.html", "/..",
           "/assets\\..\\index.html", std::string("/index.html\0.js", 15),
           "/link.txt"}) {
    EXPECT_EQ(Resolved(path), "") << path;
  }
  // A root that does not exist serves nothing.
  EXPECT_FALSE(
      ResolveStaticFile(scratch_.File("nowhere"), "/index.html").has_value());
}

TEST(ContentTypeTest, EachKindOfFileHasItsType) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("app.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("styles.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("sweden.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("app.js.map"), "application/json");
  EXPECT_EQ(ContentTypeFor("logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("logo.PNG"), "image/png");
  EXPECT_EQ(ContentTypeFor("font.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("favicon.ico"), "image/x-icon");
  EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("x.exe"), "application/octet-stream");
}

}  // namespace
}  // namespace placement::web
