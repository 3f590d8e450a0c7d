// The rollout lifecycle through kubectl: status, set image, history, undo (reusing the old
// ReplicaSet), undo --to-revision, restart, pause/resume, scale.
#include "e2e_support.h"

#include <gmock/gmock.h>

#include <sstream>

using namespace std::chrono_literals;
using testing::HasSubstr;
using testing::MatchesRegex;

namespace {

class KubectlRollout : public testing::Test {
protected:
    void SetUp() override {
        E2E_REQUIRE_KUBECTL();
        E2E_START_SANDBOX(sandbox);
        sandbox.kubectlOk({"apply", "-f", e2e::sourcePath("tests/e2e/testdata/namespace.yaml")});
        sandbox.kubectlOk({"apply", "-f", e2e::sourcePath("tests/e2e/testdata/web.yaml")});
        rolloutStatus();
    }

    void rolloutStatus() const {
        auto status = sandbox.kubectl({"rollout", "status", "deploy/web", "--timeout=120s"}, 150s);
        ASSERT_TRUE(status.ok()) << status.describe();
        ASSERT_THAT(status.out, HasSubstr("deployment \"web\" successfully rolled out"));
    }

    std::string jsonpath(const std::string &what, const std::string &path) const {
        return sandbox.kubectlOk({"get", what, "-o", "jsonpath=" + path});
    }

    // ReplicaSet name -> revision annotation, for the web deployment's sets.
    std::string replicaSetWithRevision(const std::string &revision) const {
        return sandbox.kubectlOk(
            {"get", "rs", "-l", "app=web", "-o",
             "jsonpath={range .items[?(@.metadata.annotations.deployment\\.kubernetes\\.io/"
             "revision==\"" +
                 revision + "\")]}{.metadata.name}{end}"});
    }

    e2e::Sandbox sandbox;
};

} // namespace

TEST_F(KubectlRollout, SetImageUndoReusesTheFirstReplicaSet) {
    const std::string firstRs = replicaSetWithRevision("1");
    ASSERT_FALSE(firstRs.empty());

    sandbox.kubectlOk({"set", "image", "deploy/web", "web=nginx:1.27"});
    sandbox.kubectlOk({"annotate", "deploy/web", "--overwrite",
                       "kubernetes.io/change-cause=upgrade to nginx 1.27"});
    rolloutStatus();
    EXPECT_EQ(
        jsonpath("deploy/web", "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"),
        "2");
    EXPECT_EQ(jsonpath("deploy/web", "{.spec.template.spec.containers[0].image}"), "nginx:1.27");

    const std::string history = sandbox.kubectlOk({"rollout", "history", "deploy/web"});
    EXPECT_THAT(history, MatchesRegex("(.|\n)*REVISION +CHANGE-CAUSE(.|\n)*"));
    EXPECT_THAT(history, MatchesRegex("(.|\n)*\n1 +initial release nginx 1.25\n(.|\n)*"));
    EXPECT_THAT(history, MatchesRegex("(.|\n)*\n2 +upgrade to nginx 1.27\n(.|\n)*"));

    const std::string undo = sandbox.kubectlOk({"rollout", "undo", "deploy/web"});
    EXPECT_THAT(undo, HasSubstr("deployment.apps/web rolled back"));
    rolloutStatus();
    // The first ReplicaSet is reused: now revision 3, remembering it was revision 1.
    EXPECT_EQ(replicaSetWithRevision("3"), firstRs);
    EXPECT_EQ(jsonpath("rs/" + firstRs,
                       "{.metadata.annotations.deployment\\.kubernetes\\.io/revision-history}"),
              "1");
    EXPECT_EQ(jsonpath("deploy/web", "{.spec.template.spec.containers[0].image}"), "nginx:1.25");
    EXPECT_EQ(jsonpath("rs/" + firstRs, "{.status.readyReplicas}"), "2");

    // Undoing to the revision we are on is skipped, as kubectl reports it.
    auto same = sandbox.kubectl({"rollout", "undo", "deploy/web", "--to-revision=3"});
    EXPECT_TRUE(same.ok()) << same.describe();
    EXPECT_THAT(same.out + same.err, HasSubstr("skipped rollback"));

    const std::string toTwo =
        sandbox.kubectlOk({"rollout", "undo", "deploy/web", "--to-revision=2"});
    EXPECT_THAT(toTwo, HasSubstr("rolled back"));
    rolloutStatus();
    EXPECT_EQ(jsonpath("deploy/web", "{.spec.template.spec.containers[0].image}"), "nginx:1.27");
    EXPECT_EQ(
        jsonpath("deploy/web", "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"),
        "4");

    auto missing = sandbox.kubectl({"rollout", "undo", "deploy/web", "--to-revision=42"});
    EXPECT_NE(missing.exitCode, 0);
    EXPECT_THAT(missing.err, HasSubstr("unable to find specified revision 42 in history"));
}

TEST_F(KubectlRollout, RestartRollsNewPods) {
    const std::string before = jsonpath("pods", "{.items[*].metadata.name}");
    const std::string out = sandbox.kubectlOk({"rollout", "restart", "deploy/web"});
    EXPECT_THAT(out, HasSubstr("deployment.apps/web restarted"));
    rolloutStatus();
    EXPECT_THAT(jsonpath("deploy/web", "{.spec.template.metadata.annotations}"),
                HasSubstr("kubectl.kubernetes.io/restartedAt"));
    EXPECT_EQ(
        jsonpath("deploy/web", "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"),
        "2");
    ASSERT_TRUE(e2e::waitUntil(
        [&] {
            auto names = sandbox.kubectl(
                {"get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}"});
            if (!names.ok() || names.out.empty()) {
                return false;
            }
            std::istringstream words(names.out);
            std::string name;
            int count = 0;
            while (words >> name) {
                if (before.find(name) != std::string::npos) {
                    return false;
                }
                ++count;
            }
            return count == 2;
        },
        60s))
        << sandbox.kubectl({"get", "pods"}).describe();
}

TEST_F(KubectlRollout, PauseBlocksRolloutsUntilResume) {
    EXPECT_THAT(sandbox.kubectlOk({"rollout", "pause", "deploy/web"}),
                HasSubstr("deployment.apps/web paused"));
    auto restart = sandbox.kubectl({"rollout", "restart", "deploy/web"});
    EXPECT_NE(restart.exitCode, 0);
    EXPECT_THAT(restart.err,
                HasSubstr("can't restart paused deployment (run rollout resume first)"));

    sandbox.kubectlOk({"set", "image", "deploy/web", "web=nginx:1.27"});
    // Paused: no new ReplicaSet, the condition says so.
    ASSERT_TRUE(e2e::waitUntil(
        [&] {
            return jsonpath("deploy/web",
                            "{.status.conditions[?(@.type==\"Progressing\")].reason}") ==
                   "DeploymentPaused";
        },
        30s));
    EXPECT_EQ(jsonpath("rs", "{.items[*].metadata.name}").find(' '), std::string::npos);

    EXPECT_THAT(sandbox.kubectlOk({"rollout", "resume", "deploy/web"}),
                HasSubstr("deployment.apps/web resumed"));
    rolloutStatus();
    EXPECT_EQ(
        jsonpath("deploy/web", "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"),
        "2");
}

TEST_F(KubectlRollout, ScaleChangesReplicasAndPods) {
    // web.yaml's HPA (minReplicas 2) would take the Deployment back up from 1, as it does on
    // a real cluster (seen: "New size: 2; reason: Current number of replicas below
    // Spec.MinReplicas" racing the check below): scaling by hand means no autoscaler.
    sandbox.kubectlOk({"delete", "hpa", "web"});
    EXPECT_THAT(sandbox.kubectlOk({"scale", "deploy/web", "--replicas=4"}),
                HasSubstr("deployment.apps/web scaled"));
    rolloutStatus();
    EXPECT_EQ(jsonpath("deploy/web", "{.status.readyReplicas}"), "4");
    sandbox.kubectlOk({"scale", "deploy/web", "--replicas=1"});
    ASSERT_TRUE(e2e::waitUntil(
        [&] {
            return jsonpath("pods", "{.items[*].metadata.name}").find(' ') == std::string::npos;
        },
        60s))
        << sandbox.kubectl({"get", "deploy,rs,pods", "-o", "wide"}).describe()
        << sandbox.kubectl({"get", "rs", "-o", "yaml"}).describe()
        << sandbox.kubectl({"get", "events", "--sort-by=.lastTimestamp"}).describe();

    // --current-replicas is a precondition.
    auto stale = sandbox.kubectl({"scale", "deploy/web", "--current-replicas=3", "--replicas=2"});
    EXPECT_NE(stale.exitCode, 0);
}
