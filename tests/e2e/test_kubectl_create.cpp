// kubectl's typed commands (`kubectl create <kind>`, `kubectl auth can-i`) send their
// objects as Kubernetes protobuf; the sandbox decodes them and stores what was asked for.
#include "e2e_support.h"

#include <gmock/gmock.h>

using namespace std::chrono_literals;
using testing::HasSubstr;

namespace {

class KubectlCreate : public testing::Test {
protected:
    void SetUp() override {
        E2E_REQUIRE_KUBECTL();
        E2E_START_SANDBOX(sandbox);
    }

    // kubectl get <what> -o jsonpath=<path>
    std::string field(const std::string &what, const std::string &path) const {
        std::vector<std::string> args{"get"};
        std::string rest = what;
        for (std::size_t space; (space = rest.find(' ')) != std::string::npos;) {
            args.push_back(rest.substr(0, space));
            rest = rest.substr(space + 1);
        }
        args.push_back(rest);
        args.push_back("-o");
        args.push_back("jsonpath=" + path);
        return sandbox.kubectlOk(args);
    }

    e2e::Sandbox sandbox;
};

} // namespace

TEST_F(KubectlCreate, ConfigMapFromLiterals) {
    EXPECT_THAT(sandbox.kubectlOk({"create", "configmap", "settings", "--from-literal=a=b",
                                   "--from-literal=mode=fast"}),
                HasSubstr("configmap/settings created"));
    EXPECT_EQ(field("configmap settings", "{.data.a}"), "b");
    EXPECT_EQ(field("configmap settings", "{.data.mode}"), "fast");
    EXPECT_EQ(field("configmap settings", "{.metadata.namespace}"), "retail-forecast");
}

TEST_F(KubectlCreate, SecretsGenericAndDockerRegistry) {
    EXPECT_THAT(sandbox.kubectlOk({"create", "secret", "generic", "creds",
                                   "--from-literal=user=admin", "--from-literal=password=s3cr3t!"}),
                HasSubstr("secret/creds created"));
    EXPECT_EQ(field("secret creds", "{.type}"), "Opaque");
    EXPECT_EQ(field("secret creds", "{.data.password}"), "czNjcjN0IQ=="); // base64 of s3cr3t!
    EXPECT_EQ(field("secret creds", "{.data.user}"), "YWRtaW4=");

    sandbox.kubectlOk({"create", "secret", "docker-registry", "reg",
                       "--docker-server=registry.example", "--docker-username=u",
                       "--docker-password=p"});
    EXPECT_EQ(field("secret reg", "{.type}"), "kubernetes.io/dockerconfigjson");
    EXPECT_FALSE(field("secret reg", "{.data.\\.dockerconfigjson}").empty());
}

TEST_F(KubectlCreate, DeploymentRollsOut) {
    EXPECT_THAT(sandbox.kubectlOk({"create", "deployment", "web", "--image=nginx:1.27",
                                   "--replicas=2", "--port=80"}),
                HasSubstr("deployment.apps/web created"));
    EXPECT_EQ(field("deploy web", "{.spec.replicas}"), "2");
    EXPECT_EQ(field("deploy web", "{.spec.selector.matchLabels.app}"), "web");
    EXPECT_EQ(field("deploy web", "{.spec.template.spec.containers[0].image}"), "nginx:1.27");
    EXPECT_EQ(field("deploy web", "{.spec.template.spec.containers[0].ports[0].containerPort}"),
              "80");
    // Defaults were applied to the decoded object as to a JSON one.
    EXPECT_EQ(field("deploy web", "{.spec.strategy.type}"), "RollingUpdate");
    auto status = sandbox.kubectl({"rollout", "status", "deploy/web", "--timeout=120s"}, 150s);
    EXPECT_TRUE(status.ok()) << status.describe();
}

TEST_F(KubectlCreate, DeploymentWithZeroReplicasAndACommand) {
    sandbox.kubectlOk(
        {"create", "deployment", "idle", "--image=busybox", "--replicas=0", "--", "sleep", "3600"});
    EXPECT_EQ(field("deploy idle", "{.spec.replicas}"), "0");
    EXPECT_EQ(field("deploy idle", "{.spec.template.spec.containers[0].command}"),
              R"(["sleep","3600"])");
}

TEST_F(KubectlCreate, Services) {
    EXPECT_THAT(sandbox.kubectlOk({"create", "service", "clusterip", "api", "--tcp=80:8080"}),
                HasSubstr("service/api created"));
    EXPECT_EQ(field("svc api", "{.spec.type}"), "ClusterIP");
    EXPECT_EQ(field("svc api", "{.spec.ports[0].port}"), "80");
    EXPECT_EQ(field("svc api", "{.spec.ports[0].targetPort}"), "8080");
    EXPECT_EQ(field("svc api", "{.spec.selector.app}"), "api");
    EXPECT_FALSE(field("svc api", "{.spec.clusterIP}").empty());

    sandbox.kubectlOk(
        {"create", "service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080"});
    EXPECT_EQ(field("svc np", "{.spec.type}"), "NodePort");
    EXPECT_EQ(field("svc np", "{.spec.ports[0].nodePort}"), "30080");

    sandbox.kubectlOk({"create", "service", "externalname", "ext", "--external-name=example.com"});
    EXPECT_EQ(field("svc ext", "{.spec.type}"), "ExternalName");
    EXPECT_EQ(field("svc ext", "{.spec.externalName}"), "example.com");
}

TEST_F(KubectlCreate, NamespaceAndServiceAccountInIt) {
    EXPECT_THAT(sandbox.kubectlOk({"create", "namespace", "team-a"}),
                HasSubstr("namespace/team-a created"));
    EXPECT_EQ(field("namespace team-a", "{.status.phase}"), "Active");
    EXPECT_THAT(sandbox.kubectlOk({"create", "serviceaccount", "builder", "-n", "team-a"}),
                HasSubstr("serviceaccount/builder created"));
    EXPECT_EQ(field("serviceaccount builder -n team-a", "{.metadata.name}"), "builder");
}

TEST_F(KubectlCreate, Ingress) {
    sandbox.kubectlOk({"create", "ingress", "shop", "--class=nginx",
                       "--rule=shop.example/api*=api:80,tls=shop-cert",
                       "--default-backend=fallback:http", "--annotation=team=retail"});
    EXPECT_EQ(field("ingress shop", "{.spec.ingressClassName}"), "nginx");
    EXPECT_EQ(field("ingress shop", "{.spec.rules[0].host}"), "shop.example");
    EXPECT_EQ(field("ingress shop", "{.spec.rules[0].http.paths[0].path}"), "/api");
    EXPECT_EQ(field("ingress shop", "{.spec.rules[0].http.paths[0].pathType}"), "Prefix");
    EXPECT_EQ(field("ingress shop", "{.spec.rules[0].http.paths[0].backend.service.name}"), "api");
    EXPECT_EQ(field("ingress shop", "{.spec.rules[0].http.paths[0].backend.service.port.number}"),
              "80");
    EXPECT_EQ(field("ingress shop", "{.spec.defaultBackend.service.port.name}"), "http");
    EXPECT_EQ(field("ingress shop", "{.spec.tls[0].secretName}"), "shop-cert");
    EXPECT_EQ(field("ingress shop", "{.metadata.annotations.team}"), "retail");
}

TEST_F(KubectlCreate, PodDisruptionBudgets) {
    sandbox.kubectlOk(
        {"create", "poddisruptionbudget", "web-pdb", "--selector=app=web", "--min-available=1"});
    EXPECT_EQ(field("pdb web-pdb", "{.spec.minAvailable}"), "1");
    EXPECT_EQ(field("pdb web-pdb", "{.spec.selector.matchLabels.app}"), "web");
    sandbox.kubectlOk({"create", "pdb", "web-pdb2", "--selector=app=web", "--max-unavailable=50%"});
    EXPECT_EQ(field("pdb web-pdb2", "{.spec.maxUnavailable}"), "50%");
}

TEST_F(KubectlCreate, AuthCanI) {
    EXPECT_EQ(sandbox.kubectlOk({"auth", "can-i", "create", "deployments"}), "yes\n");
    EXPECT_EQ(sandbox.kubectlOk(
                  {"auth", "can-i", "get", "pods", "--subresource=log", "-n", "kube-system"}),
              "yes\n");
    EXPECT_EQ(sandbox.kubectlOk({"auth", "can-i", "get", "/healthz"}), "yes\n");
}

TEST_F(KubectlCreate, ObjectsAreThereAfterARestart) {
    sandbox.kubectlOk({"create", "configmap", "kept", "--from-literal=k=v"});
    sandbox.stop();
    E2E_START_SANDBOX(sandbox);
    EXPECT_EQ(field("configmap kept", "{.data.k}"), "v");
}

TEST_F(KubectlCreate, DuplicateCreateIsAlreadyExists) {
    sandbox.kubectlOk({"create", "configmap", "twice", "--from-literal=a=b"});
    auto again = sandbox.kubectl({"create", "configmap", "twice", "--from-literal=a=b"});
    EXPECT_NE(again.exitCode, 0);
    EXPECT_THAT(again.err, HasSubstr("configmaps \"twice\" already exists"));
}
