// The image table: which images are simulated, run as processes, or fail to pull; and its
// file format (docs/sandbox-images.md).
#include "kubelet/image_table.h"

#include <gtest/gtest.h>

using namespace sandbox;

TEST(KubeletImages, ParsesReferencesLikeARuntime) {
    const ImageRef a = ImageRef::parse("nginx:1.25");
    EXPECT_EQ(a.repository, "nginx");
    EXPECT_EQ(a.tag, "1.25");
    EXPECT_EQ(a.normalized, "docker.io/library/nginx");
    EXPECT_EQ(a.fullName(), "docker.io/library/nginx:1.25");
    const ImageRef b = ImageRef::parse("localhost:5000/team/app@sha256:abc");
    EXPECT_EQ(b.repository, "localhost:5000/team/app");
    EXPECT_EQ(b.tag, "");
    EXPECT_EQ(b.digest, "sha256:abc");
    EXPECT_EQ(b.normalized, "localhost:5000/team/app");
    const ImageRef c = ImageRef::parse("bitnami/redis");
    EXPECT_EQ(c.normalized, "docker.io/bitnami/redis");
    EXPECT_EQ(c.fullName(), "docker.io/bitnami/redis:latest");
}

TEST(KubeletImages, BuiltinTableSimulatesOfficialAndK8sImages) {
    const ImageTable table = ImageTable::builtin();
    for (const char *image :
         {"nginx", "nginx:1.25", "nginx@sha256:0123", "busybox:1.36", "docker.io/library/redis:7",
          "registry.k8s.io/pause:3.9", "library/alpine", "docker.io/nginx:1.27"}) {
        const ImageRule *rule = table.match(image);
        ASSERT_NE(rule, nullptr) << image;
        EXPECT_EQ(rule->mode, ImageMode::Simulate) << image;
    }
    for (const char *image :
         {"example.invalid/no-such:1", "nosuchimage", "quay.io/x/y:1", "example.com/nginx:1.25"}) {
        EXPECT_EQ(table.match(image), nullptr) << image;
    }
    const ImageRule *forecast = table.match("ghcr.io/acme/retail-forecast:v2");
    ASSERT_NE(forecast, nullptr);
    EXPECT_EQ(forecast->mode, ImageMode::Process);
}

TEST(KubeletImages, GlobsMatchAcrossSlashes) {
    EXPECT_TRUE(globMatch("registry.k8s.io/*", "registry.k8s.io/a/b"));
    EXPECT_TRUE(globMatch("*retail-forecast", "x/y/retail-forecast"));
    EXPECT_TRUE(globMatch("app:v?", "app:v2"));
    EXPECT_FALSE(globMatch("app:v?", "app:v10"));
    EXPECT_FALSE(globMatch("nginx", "nginx2"));
}

TEST(KubeletImages, ReadsYamlAndJsonTables) {
    auto yaml = ImageTable::fromText(R"(
- pattern: "example.com/*"
  mode: simulate
  startSeconds: 0.5
- pattern: "*retail-forecast"
  mode: process
  command: ["${BIN_DIR}/forecast-api", "--port", "5000"]
  env:
    APP_VERSION: "${TAG}"
)");
    ASSERT_TRUE(yaml.ok()) << yaml.message();
    ASSERT_EQ(yaml->rules().size(), 2u);
    EXPECT_DOUBLE_EQ(yaml->rules()[0].startSeconds, 0.5);
    EXPECT_EQ(yaml->rules()[1].command.size(), 3u);
    EXPECT_EQ(yaml->rules()[1].env.at("APP_VERSION"), "${TAG}");
    EXPECT_NE(yaml->match("example.com/thing:1"), nullptr);
    EXPECT_EQ(yaml->match("nginx"), nullptr) << "a file replaces the built-in table";

    auto json = ImageTable::fromText(R"({"images":[{"pattern":"nginx*","mode":"simulate"}]})");
    ASSERT_TRUE(json.ok()) << json.message();
    EXPECT_NE(json->match("nginx:1.25"), nullptr);
}

TEST(KubeletImages, RejectsBadTablesWithTheEntryNamed) {
    auto noPattern = ImageTable::fromText("- mode: simulate\n");
    ASSERT_FALSE(noPattern.ok());
    EXPECT_NE(noPattern.message().find("images[0].pattern: required"), std::string::npos);
    auto badMode = ImageTable::fromText("- {pattern: a}\n- {pattern: b, mode: docker}\n");
    ASSERT_FALSE(badMode.ok());
    EXPECT_NE(badMode.message().find("images[1].mode: Unsupported value: \"docker\""),
              std::string::npos)
        << badMode.message();
    auto noCommand = ImageTable::fromText("- {pattern: a, mode: process}\n");
    ASSERT_FALSE(noCommand.ok());
    EXPECT_NE(noCommand.message().find("command: required"), std::string::npos);
    EXPECT_FALSE(ImageTable::fromText("just a string").ok());
    EXPECT_FALSE(ImageTable::fromFile("/nonexistent/images.yaml").ok());
}

TEST(KubeletImages, ExpandsVariables) {
    EXPECT_EQ(expandImageVariables("${BIN_DIR}/api --v=${TAG} ${UNKNOWN}",
                                   {{"BIN_DIR", "/opt/bin"}, {"TAG", "v2"}}),
              "/opt/bin/api --v=v2 ${UNKNOWN}");
}
