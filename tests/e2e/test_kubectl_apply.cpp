// kubectl apply (client-side and server-side), get with kubectl's columns, -o yaml, get -w.
#include "e2e_support.h"

#include <gmock/gmock.h>

#include <fstream>
#include <sstream>
#include <thread>

using namespace std::chrono_literals;
using testing::HasSubstr;
using testing::MatchesRegex;

namespace {

class KubectlApply : public testing::Test {
protected:
    void SetUp() override {
        E2E_REQUIRE_KUBECTL();
        E2E_START_SANDBOX(sandbox);
        ns = e2e::sourcePath("tests/e2e/testdata/namespace.yaml").string();
        web = e2e::sourcePath("tests/e2e/testdata/web.yaml").string();
        sandbox.kubectlOk({"apply", "-f", ns});
    }

    bool deploymentReady(const std::string &name, int replicas) const {
        auto r =
            sandbox.kubectl({"get", "deploy", name, "-o", "jsonpath={.status.readyReplicas}"}, 20s);
        return r.ok() && r.out == std::to_string(replicas);
    }

    e2e::Sandbox sandbox;
    std::string ns;
    std::string web;
};

std::string firstLine(const std::string &text) {
    return text.substr(0, text.find('\n'));
}

} // namespace

TEST_F(KubectlApply, ClientSideApplyTwiceSecondIsUnchanged) {
    const std::string first = sandbox.kubectlOk({"apply", "-f", web});
    EXPECT_THAT(first, HasSubstr("configmap/web-config created"));
    EXPECT_THAT(first, HasSubstr("deployment.apps/web created"));
    EXPECT_THAT(first, HasSubstr("service/web created"));
    EXPECT_THAT(first, HasSubstr("horizontalpodautoscaler.autoscaling/web created"));

    const std::string second = sandbox.kubectlOk({"apply", "-f", web});
    EXPECT_THAT(second, HasSubstr("configmap/web-config unchanged"));
    EXPECT_THAT(second, HasSubstr("deployment.apps/web unchanged"));
    EXPECT_THAT(second, HasSubstr("service/web unchanged"));
    EXPECT_THAT(second, HasSubstr("horizontalpodautoscaler.autoscaling/web unchanged"));

    // The stored object carries the last-applied annotation kubectl relies on.
    const std::string annotations = sandbox.kubectlOk(
        {"get", "deploy", "web", "-o",
         "jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}"});
    EXPECT_THAT(annotations, HasSubstr("\"image\":\"nginx:1.25\""));
}

TEST_F(KubectlApply, ClientSideApplyOfAChangedManifestPatchesOnlyTheChange) {
    sandbox.kubectlOk({"apply", "-f", web});
    std::ifstream in(web);
    std::stringstream text;
    text << in.rdbuf();
    std::string changed = text.str();
    changed.replace(changed.find("replicas: 2"), 11, "replicas: 3");
    auto result = sandbox.kubectl({"apply", "-f", "-"}, 60s, changed);
    ASSERT_TRUE(result.ok()) << result.describe();
    EXPECT_THAT(result.out, HasSubstr("deployment.apps/web configured"));
    EXPECT_THAT(result.out, HasSubstr("service/web unchanged"));
    EXPECT_EQ(sandbox.kubectlOk({"get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"}), "3");
}

TEST_F(KubectlApply, ServerSideApplyCreatesThenUpdatesAndReportsConflicts) {
    const std::string first = sandbox.kubectlOk({"apply", "--server-side", "-f", web});
    EXPECT_THAT(first, HasSubstr("deployment.apps/web serverside-applied"));
    EXPECT_THAT(first, HasSubstr("configmap/web-config serverside-applied"));
    const std::string again = sandbox.kubectlOk({"apply", "--server-side", "-f", web});
    EXPECT_THAT(again, HasSubstr("deployment.apps/web serverside-applied"));

    // Another manager takes spec.replicas; applying a different value then conflicts.
    sandbox.kubectlOk({"scale", "deploy/web", "--replicas=4"});
    std::ifstream in(web);
    std::stringstream text;
    text << in.rdbuf();
    std::string changed = text.str();
    changed.replace(changed.find("replicas: 2"), 11, "replicas: 3");
    auto conflict = sandbox.kubectl({"apply", "--server-side", "-f", "-"}, 60s, changed);
    EXPECT_NE(conflict.exitCode, 0) << conflict.describe();
    // kubectl scale names no manager: the API server takes it from the user agent.
    EXPECT_THAT(conflict.err, HasSubstr("conflict with \"kubectl\""));
    EXPECT_THAT(conflict.err, HasSubstr(".spec.replicas"));

    auto forced =
        sandbox.kubectl({"apply", "--server-side", "--force-conflicts", "-f", "-"}, 60s, changed);
    EXPECT_TRUE(forced.ok()) << forced.describe();
    EXPECT_EQ(sandbox.kubectlOk({"get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"}), "3");
}

TEST_F(KubectlApply, GetWideShowsKubectlColumnsForEveryKind) {
    sandbox.kubectlOk({"apply", "-f", web});
    ASSERT_TRUE(e2e::waitUntil([&] { return deploymentReady("web", 2); }, 60s))
        << sandbox.kubectl({"get", "deploy,rs,po", "-o", "wide"}).describe();

    const std::string out = sandbox.kubectlOk({"get", "deploy,rs,po,svc,hpa,cm", "-o", "wide"});
    EXPECT_THAT(out, MatchesRegex("(.|\n)*NAME +READY +UP-TO-DATE +AVAILABLE +AGE +CONTAINERS "
                                  "+IMAGES +SELECTOR(.|\n)*"));
    EXPECT_THAT(out, MatchesRegex("(.|\n)*deployment.apps/web +2/2 +2 +2 +[0-9]+s +web +nginx:1.25 "
                                  "+app=web(.|\n)*"));
    EXPECT_THAT(out, MatchesRegex("(.|\n)*NAME +DESIRED +CURRENT +READY +AGE +CONTAINERS +IMAGES "
                                  "+SELECTOR(.|\n)*"));
    EXPECT_THAT(out, MatchesRegex("(.|\n)*replicaset.apps/web-[a-z0-9]+ +2 +2 +2 (.|\n)*"));
    EXPECT_THAT(out, MatchesRegex("(.|\n)*NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED "
                                  "NODE +READINESS GATES(.|\n)*"));
    EXPECT_THAT(out, MatchesRegex("(.|\n)*pod/web-[a-z0-9]+-[a-z0-9]{5} +1/1 +Running +0 (.|\n)*"));
    EXPECT_THAT(out, MatchesRegex("(.|\n)*NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\\(S\\) +AGE "
                                  "+SELECTOR(.|\n)*"));
    EXPECT_THAT(out,
                MatchesRegex("(.|\n)*service/web +ClusterIP +[0-9.]+ +<none> +80/TCP (.|\n)*"));
    EXPECT_THAT(out, MatchesRegex("(.|\n)*NAME +REFERENCE +TARGETS +MINPODS +MAXPODS +REPLICAS "
                                  "+AGE(.|\n)*"));
    EXPECT_THAT(out, MatchesRegex("(.|\n)*horizontalpodautoscaler.autoscaling/web +Deployment/web "
                                  "+cpu: [^ ]+/70% +2 +5 (.|\n)*"));
    EXPECT_THAT(out, MatchesRegex("(.|\n)*configmap/web-config +2 (.|\n)*"));
}

TEST_F(KubectlApply, GetYamlGivesTheFullObject) {
    sandbox.kubectlOk({"apply", "-f", web});
    const std::string yaml = sandbox.kubectlOk({"get", "deploy", "web", "-o", "yaml"});
    EXPECT_THAT(yaml, HasSubstr("apiVersion: apps/v1"));
    EXPECT_THAT(yaml, HasSubstr("kind: Deployment"));
    EXPECT_THAT(yaml, MatchesRegex("(.|\n)*  uid: [0-9a-f-]{36}\n(.|\n)*"));
    EXPECT_THAT(yaml, MatchesRegex("(.|\n)*  resourceVersion: \"[0-9]+\"\n(.|\n)*"));
    EXPECT_THAT(yaml, HasSubstr("generation: 1"));
    EXPECT_THAT(yaml, HasSubstr("revisionHistoryLimit: 10"));
    EXPECT_THAT(yaml, HasSubstr("progressDeadlineSeconds: 600"));
    EXPECT_THAT(yaml, HasSubstr("image: nginx:1.25"));
}

TEST_F(KubectlApply, EmptyNamespaceSaysNoResourcesFound) {
    auto result = sandbox.kubectl({"get", "pods"});
    ASSERT_TRUE(result.ok()) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("No resources found in retail-forecast namespace."));
}

TEST_F(KubectlApply, GetWatchSeesChanges) {
    sandbox.kubectlOk({"apply", "-f", web});
    // Watch configmaps for a while in the background, change one meanwhile.
    std::thread changer([&] {
        std::this_thread::sleep_for(3s);
        sandbox.kubectl({"create", "configmap", "late-arrival", "--from-literal=a=b"});
    });
    auto watch = sandbox.kubectl({"get", "configmaps", "-w", "--request-timeout=12s"}, 30s);
    changer.join();
    EXPECT_THAT(watch.out, HasSubstr("web-config"));
    EXPECT_THAT(watch.out, HasSubstr("late-arrival")) << watch.describe();
}

TEST_F(KubectlApply, BadManifestsGetTheApiServersErrors) {
    auto badName = sandbox.kubectl({"create", "configmap", "Bad_Name"});
    EXPECT_NE(badName.exitCode, 0);
    EXPECT_THAT(badName.err, HasSubstr("a lowercase RFC 1123 subdomain"));

    const std::string mismatched = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: odd}
spec:
  selector: {matchLabels: {app: one}}
  template:
    metadata: {labels: {app: two}}
    spec: {containers: [{name: c, image: nginx}]}
)";
    auto selector = sandbox.kubectl({"apply", "-f", "-"}, 60s, mismatched);
    EXPECT_NE(selector.exitCode, 0);
    EXPECT_THAT(selector.err, HasSubstr("`selector` does not match template `labels`"));

    const std::string negative = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: negative}
spec:
  replicas: -1
  selector: {matchLabels: {app: n}}
  template:
    metadata: {labels: {app: n}}
    spec: {containers: [{name: c, image: nginx}]}
)";
    auto replicas = sandbox.kubectl({"apply", "-f", "-"}, 60s, negative);
    EXPECT_NE(replicas.exitCode, 0);
    EXPECT_THAT(replicas.err,
                HasSubstr("spec.replicas: Invalid value: -1: must be greater than or equal to 0"));

    const std::string noContainers = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: empty}
spec:
  selector: {matchLabels: {app: e}}
  template:
    metadata: {labels: {app: e}}
    spec: {containers: []}
)";
    auto empty = sandbox.kubectl({"apply", "-f", "-"}, 60s, noContainers);
    EXPECT_NE(empty.exitCode, 0);
    EXPECT_THAT(empty.err, HasSubstr("spec.template.spec.containers: Required value"));

    auto malformed = sandbox.kubectl({"apply", "-f", "-"}, 60s, "kind: [unclosed\n");
    EXPECT_NE(malformed.exitCode, 0);

    // Nothing partial was stored.
    auto list = sandbox.kubectl({"get", "deploy", "-o", "name"});
    EXPECT_TRUE(list.ok()) << list.describe();
    EXPECT_EQ(list.out, "");
}
