// The sandbox's API surface seen from outside: TLS with its own CA, bearer-token auth,
// watches that resume across a crash and answer 410 for versions too old.
#include "e2e_support.h"

#include <gmock/gmock.h>

#include <fstream>

using namespace std::chrono_literals;
using testing::HasSubstr;

namespace {

class SandboxApi : public testing::Test {
protected:
    void SetUp() override {
        E2E_REQUIRE_KUBECTL();
        if (!e2e::findOnPath("curl")) {
            GTEST_SKIP() << "curl not found on PATH";
        }
        E2E_START_SANDBOX(sandbox);
        sandbox.kubectlOk({"apply", "-f", e2e::sourcePath("tests/e2e/testdata/namespace.yaml")});
    }

    std::string server() const {
        return sandbox.kubectlOk(
            {"config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}"});
    }

    std::filesystem::path caFile() const {
        const std::string data =
            sandbox.kubectlOk({"config", "view", "--raw", "--minify", "-o",
                               "jsonpath={.clusters[0].cluster.certificate-authority-data}"});
        auto decoded = e2e::run({"base64", "-d"}, {}, 10s, data);
        const auto path = sandbox.stateDir().parent_path() / "ca-from-kubeconfig.pem";
        std::ofstream(path) << decoded.out;
        return path;
    }

    // The list's own resourceVersion (kubectl -o json rebuilds lists client-side without it).
    std::string resourceVersionOfList() const {
        const std::string body =
            sandbox.kubectlOk({"get", "--raw", "/api/v1/namespaces/retail-forecast/configmaps"});
        const std::string key = "\"resourceVersion\":\"";
        const auto start = body.find(key);
        if (start == std::string::npos) {
            ADD_FAILURE() << "no resourceVersion in " << body;
            return {};
        }
        const auto from = start + key.size();
        return body.substr(from, body.find('"', from) - from);
    }

    e2e::RunResult watchFrom(const std::string &rv) const {
        return sandbox.kubectl(
            {"get", "--raw",
             "/api/v1/namespaces/retail-forecast/configmaps?watch=true&resourceVersion=" + rv +
                 "&timeoutSeconds=2"},
            30s);
    }

    e2e::Sandbox sandbox;
};

} // namespace

TEST_F(SandboxApi, ServesTlsWithItsOwnCaAndRequiresTheToken) {
    const std::string url = server();
    ASSERT_THAT(url, testing::StartsWith("https://127.0.0.1:"));
    const auto ca = caFile();

    // The CA in the kubeconfig verifies the server certificate.
    auto health = e2e::run({"curl", "-sS", "--cacert", ca.string(), url + "/healthz"});
    EXPECT_TRUE(health.ok()) << health.describe();
    EXPECT_EQ(health.out, "ok");

    // Without the token: 401 as a Status object.
    auto anonymous = e2e::run({"curl", "-sS", "--cacert", ca.string(), "-w", "\n%{http_code}",
                               url + "/api/v1/namespaces"});
    EXPECT_THAT(anonymous.out, HasSubstr("\"kind\":\"Status\""));
    EXPECT_THAT(anonymous.out, HasSubstr("\"reason\":\"Unauthorized\""));
    EXPECT_THAT(anonymous.out, testing::EndsWith("\n401"));

    auto wrong = e2e::run({"curl", "-sS", "--cacert", ca.string(), "-H",
                           "Authorization: Bearer not-the-token", "-w", "\n%{http_code}",
                           url + "/api/v1/namespaces"});
    EXPECT_THAT(wrong.out, testing::EndsWith("\n401"));

    // The version answer makes the kubectl dispatcher pick kubectl 1.32 and is honest.
    const std::string version = sandbox.kubectlOk({"get", "--raw", "/version"});
    EXPECT_THAT(version, HasSubstr("\"minor\":\"32\""));
    EXPECT_THAT(version, HasSubstr("sandbox"));
}

TEST_F(SandboxApi, WatchFromAResourceVersionSeesOnlyLaterChanges) {
    sandbox.kubectlOk({"create", "configmap", "before", "--from-literal=a=1"});
    const std::string rv = resourceVersionOfList();
    sandbox.kubectlOk({"create", "configmap", "after", "--from-literal=a=2"});
    auto events = watchFrom(rv);
    ASSERT_TRUE(events.ok()) << events.describe();
    EXPECT_THAT(events.out, HasSubstr("\"type\":\"ADDED\""));
    EXPECT_THAT(events.out, HasSubstr("\"name\":\"after\""));
    EXPECT_THAT(events.out, testing::Not(HasSubstr("\"name\":\"before\"")));
}

TEST_F(SandboxApi, WatchResumesAfterACrashAndOldVersionsAreGone) {
    sandbox.kubectlOk({"create", "configmap", "one", "--from-literal=a=1"});
    const std::string rv = resourceVersionOfList();

    const std::string oneRv = sandbox.kubectlOk(
        {"get", "configmap", "one", "-o", "jsonpath={.metadata.resourceVersion}"});

    sandbox.kill9();
    E2E_START_SANDBOX(sandbox);
    // Objects keep their versions; the global version never goes back (the restarted
    // kubelet may write, e.g. its Node, so it can move forward).
    EXPECT_EQ(sandbox.kubectlOk(
                  {"get", "configmap", "one", "-o", "jsonpath={.metadata.resourceVersion}"}),
              oneRv);
    EXPECT_GE(std::stoull(resourceVersionOfList()), std::stoull(rv));
    sandbox.kubectlOk({"create", "configmap", "two", "--from-literal=a=2"});

    auto resumed = watchFrom(rv);
    ASSERT_TRUE(resumed.ok()) << resumed.describe();
    EXPECT_THAT(resumed.out, HasSubstr("\"name\":\"two\""));
    EXPECT_THAT(resumed.out, testing::Not(HasSubstr("\"name\":\"one\"")));

    auto tooOld = watchFrom("1");
    EXPECT_THAT(tooOld.out + tooOld.err, HasSubstr("\"type\":\"ERROR\""));
    EXPECT_THAT(tooOld.out + tooOld.err, HasSubstr("\"code\":410"));
}
