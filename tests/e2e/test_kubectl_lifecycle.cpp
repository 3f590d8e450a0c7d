// Objects' lives through kubectl: cascading delete, describe with events, unknown images,
// and a sandbox that is killed and restarted without losing anything.
#include "e2e_support.h"

#include <gmock/gmock.h>

using namespace std::chrono_literals;
using testing::HasSubstr;
using testing::MatchesRegex;

namespace {

class KubectlLifecycle : public testing::Test {
protected:
    void SetUp() override {
        E2E_REQUIRE_KUBECTL();
        E2E_START_SANDBOX(sandbox);
        sandbox.kubectlOk({"apply", "-f", e2e::sourcePath("tests/e2e/testdata/namespace.yaml")});
    }

    void applyWeb() const {
        sandbox.kubectlOk({"apply", "-f", e2e::sourcePath("tests/e2e/testdata/web.yaml")});
        auto status = sandbox.kubectl({"rollout", "status", "deploy/web", "--timeout=120s"}, 150s);
        ASSERT_TRUE(status.ok()) << status.describe();
    }

    std::string names(const std::string &kind) const {
        auto r = sandbox.kubectl({"get", kind, "-o", "name"});
        return r.ok() ? r.out : "error: " + r.err;
    }

    e2e::Sandbox sandbox;
};

} // namespace

TEST_F(KubectlLifecycle, DeletingADeploymentDeletesItsReplicaSetsAndPods) {
    applyWeb();
    ASSERT_THAT(names("rs"), HasSubstr("replicaset.apps/web-"));
    ASSERT_THAT(names("pods"), HasSubstr("pod/web-"));
    EXPECT_THAT(sandbox.kubectlOk({"delete", "deploy", "web"}, 120s),
                HasSubstr("deployment.apps \"web\" deleted"));
    EXPECT_TRUE(e2e::waitUntil([&] { return names("rs").empty() && names("pods").empty(); }, 60s))
        << "left behind:\n"
        << names("rs") << names("pods");
    auto gone = sandbox.kubectl({"get", "deploy", "web"});
    EXPECT_NE(gone.exitCode, 0);
    EXPECT_THAT(gone.err, HasSubstr("deployments.apps \"web\" not found"));
}

TEST_F(KubectlLifecycle, ForegroundDeletionWaitsForDependents) {
    applyWeb();
    EXPECT_TRUE(sandbox.kubectl({"delete", "deploy", "web", "--cascade=foreground"}, 120s).ok());
    EXPECT_TRUE(names("rs").empty());
    EXPECT_TRUE(e2e::waitUntil([&] { return names("pods").empty(); }, 60s)) << names("pods");
}

TEST_F(KubectlLifecycle, OrphanDeletionKeepsTheReplicaSet) {
    applyWeb();
    EXPECT_TRUE(sandbox.kubectl({"delete", "deploy", "web", "--cascade=orphan"}, 120s).ok());
    EXPECT_THAT(names("rs"), HasSubstr("replicaset.apps/web-"));
    const std::string owners = sandbox.kubectlOk(
        {"get", "rs", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.ownerReferences}"});
    EXPECT_EQ(owners, "");
}

TEST_F(KubectlLifecycle, DescribeDeploymentShowsEvents) {
    applyWeb();
    const std::string out = sandbox.kubectlOk({"describe", "deploy", "web"});
    EXPECT_THAT(out, MatchesRegex("(.|\n)*Name: +web\n(.|\n)*"));
    EXPECT_THAT(out, MatchesRegex("(.|\n)*Replicas: +2 desired \\| 2 updated \\| 2 total \\| 2 "
                                  "available \\| 0 unavailable(.|\n)*"));
    EXPECT_THAT(out, MatchesRegex("(.|\n)*StrategyType: +RollingUpdate(.|\n)*"));
    EXPECT_THAT(out, HasSubstr("Events:"));
    EXPECT_THAT(out, MatchesRegex("(.|\n)*Normal +ScalingReplicaSet +.* +deployment-controller +"
                                  "Scaled up replica set web-[a-z0-9]+ (from 0 )?to 2(.|\n)*"));
}

TEST_F(KubectlLifecycle, UnknownImageShowsErrImagePullThenBackOff) {
    sandbox.kubectlOk({"create", "deployment", "ghost", "--image=example.invalid/no-such:1"});
    std::string seen;
    const bool pulled = e2e::waitUntil(
        [&] {
            auto r = sandbox.kubectl({"get", "pods", "-l", "app=ghost"});
            seen += r.out;
            return seen.find("ErrImagePull") != std::string::npos &&
                   r.out.find("ImagePullBackOff") != std::string::npos;
        },
        90s, 250ms);
    EXPECT_TRUE(pulled) << seen;
    const std::string describe = sandbox.kubectlOk({"describe", "pods", "-l", "app=ghost"});
    EXPECT_THAT(describe, HasSubstr("example.invalid/no-such:1"));
}

TEST_F(KubectlLifecycle, KilledSandboxRestartsWithEverything) {
    applyWeb();
    const std::string before = sandbox.kubectlOk(
        {"get", "deploy", "web", "-o", "jsonpath={.metadata.uid} {.metadata.resourceVersion}"});
    const std::string podsBefore = names("pods");

    sandbox.kill9();
    E2E_START_SANDBOX(sandbox);

    const std::string after = sandbox.kubectlOk(
        {"get", "deploy", "web", "-o", "jsonpath={.metadata.uid} {.metadata.resourceVersion}"});
    const std::string uid = before.substr(0, before.find(' '));
    EXPECT_THAT(after, testing::StartsWith(uid)) << "before: " << before;
    EXPECT_EQ(names("configmap/web-config"), "configmap/web-config\n");
    auto status = sandbox.kubectl({"rollout", "status", "deploy/web", "--timeout=120s"}, 150s);
    EXPECT_TRUE(status.ok()) << status.describe();
    EXPECT_FALSE(podsBefore.empty());
}
