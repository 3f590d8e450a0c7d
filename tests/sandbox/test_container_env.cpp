// Container environment resolution (kubelet makeEnvironmentVariables): what a pod's process
// sees, and the CreateContainerConfigError messages when a source is missing.

#include "kubelet/container_env.h"

#include "api/resource_service.h"
#include "store/object_store.h"
#include "util/clock.h"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <thread>

namespace sandbox {
namespace {

namespace bj = boost::json;

bj::object parse(std::string_view text) {
    return bj::parse(text).as_object();
}

const ResourceType &type(std::string_view resource) {
    return *ResourceRegistry::builtin().byResource("", "v1", resource);
}

class ContainerEnvTest : public testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(store.load().ok());
        service = std::make_unique<ResourceService>(store, ResourceRegistry::builtin(), clock);
        write.fieldManager = "test";
        create("namespaces", "", R"({"metadata":{"name":"shop"}})");
        create("configmaps", "shop", R"({"metadata":{"name":"app-config"},
            "data":{"LOG_LEVEL":"info","REGION":"eu","MODEL":"v1"}})");
        // "c2VjcmV0LXRva2Vu" = "secret-token", "aHVudGVyMg==" = "hunter2"
        create("secrets", "shop", R"({"metadata":{"name":"app-secret"},
            "data":{"API_TOKEN":"c2VjcmV0LXRva2Vu","DB_PASSWORD":"aHVudGVyMg=="}})");
    }

    void create(std::string_view resource, const std::string &ns, std::string_view body) {
        auto created = service->create(type(resource), ns, parse(body), write);
        ASSERT_TRUE(created.ok()) << created.message();
    }

    bj::object pod(std::string_view containerJson) {
        bj::object p = parse(R"({"apiVersion":"v1","kind":"Pod",
            "metadata":{"name":"web-0","namespace":"shop","uid":"1234-abcd",
                        "labels":{"app":"web","tier":"front"},
                        "annotations":{"note":"say \"hi\""}},
            "spec":{"nodeName":"forecast-sandbox","serviceAccountName":"runner","containers":[]}})");
        p["spec"].as_object()["containers"].as_array().push_back(parse(containerJson));
        return p;
    }

    rf::Result<EnvList> resolve(std::string_view containerJson) {
        const bj::object p = pod(containerJson);
        const bj::object &container =
            p.at("spec").as_object().at("containers").as_array().at(0).as_object();
        return resolveContainerEnv(*service, p, container, context);
    }

    static std::map<std::string, std::string> asMap(const EnvList &list) {
        return {list.begin(), list.end()};
    }

    SystemClock clock;
    ObjectStore store{{}, ResourceRegistry::builtin(), clock};
    std::unique_ptr<ResourceService> service;
    WriteOptions write;
    EnvContext context{"127.1.0.7", "forecast-sandbox", "127.0.0.1"};
};

TEST_F(ContainerEnvTest, EnvFromSourcesThenEnvEntriesLaterWins) {
    auto env = resolve(R"({"name":"app","envFrom":[
        {"configMapRef":{"name":"app-config"}},
        {"secretRef":{"name":"app-secret"},"prefix":"S_"}],
      "env":[{"name":"REGION","value":"us"},{"name":"PLAIN","value":"x"}]})");
    ASSERT_TRUE(env.ok()) << env.message();
    const auto values = asMap(*env);
    EXPECT_EQ(values.at("LOG_LEVEL"), "info");
    EXPECT_EQ(values.at("REGION"), "us"); // env beats envFrom
    EXPECT_EQ(values.at("S_API_TOKEN"), "secret-token");
    EXPECT_EQ(values.at("S_DB_PASSWORD"), "hunter2");
    EXPECT_EQ(values.at("PLAIN"), "x");
    EXPECT_EQ(values.count("API_TOKEN"), 0u);
    // Names are unique.
    EXPECT_EQ(values.size(), env->size());
}

TEST_F(ContainerEnvTest, LaterEnvFromSourceOverridesEarlierOne) {
    create("configmaps", "shop", R"({"metadata":{"name":"override"},"data":{"MODEL":"v2"}})");
    auto env = resolve(R"({"name":"app","envFrom":[
        {"configMapRef":{"name":"app-config"}},{"configMapRef":{"name":"override"}}]})");
    ASSERT_TRUE(env.ok()) << env.message();
    EXPECT_EQ(asMap(*env).at("MODEL"), "v2");
}

TEST_F(ContainerEnvTest, KeyRefsReadConfigMapsAndDecodeSecrets) {
    auto env = resolve(R"({"name":"app","env":[
        {"name":"LEVEL","valueFrom":{"configMapKeyRef":{"name":"app-config","key":"LOG_LEVEL"}}},
        {"name":"TOKEN","valueFrom":{"secretKeyRef":{"name":"app-secret","key":"API_TOKEN"}}}]})");
    ASSERT_TRUE(env.ok()) << env.message();
    ASSERT_EQ(env->size(), 2u);
    EXPECT_EQ((*env)[0], (std::pair<std::string, std::string>("LEVEL", "info")));
    EXPECT_EQ((*env)[1], (std::pair<std::string, std::string>("TOKEN", "secret-token")));
}

TEST_F(ContainerEnvTest, SecretStringDataIsReadAsPlainText) {
    create("secrets", "shop", R"({"metadata":{"name":"plain"},"stringData":{"USER":"admin"}})");
    auto env = resolve(R"({"name":"app","envFrom":[{"secretRef":{"name":"plain"}}],"env":[
        {"name":"WHO","valueFrom":{"secretKeyRef":{"name":"plain","key":"USER"}}}]})");
    ASSERT_TRUE(env.ok()) << env.message();
    EXPECT_EQ(asMap(*env).at("USER"), "admin");
    EXPECT_EQ(asMap(*env).at("WHO"), "admin");
}

TEST_F(ContainerEnvTest, ExpandsReferencesToEarlierVariablesOnly) {
    auto env =
        resolve(R"json({"name":"app","envFrom":[{"configMapRef":{"name":"app-config"}}],"env":[
        {"name":"HOST","value":"db"},
        {"name":"URL","value":"postgres://$(HOST):5432/$(REGION)?later=$(LATER)"},
        {"name":"ESCAPED","value":"$$(HOST) costs $$5"},
        {"name":"ODD","value":"a$b $(unclosed"},
        {"name":"TRAILING","value":"end$"},
        {"name":"LATER","value":"l"}]
})json");
    ASSERT_TRUE(env.ok()) << env.message();
    const auto values = asMap(*env);
    EXPECT_EQ(values.at("URL"), "postgres://db:5432/eu?later=$(LATER)");
    EXPECT_EQ(values.at("ESCAPED"), "$(HOST) costs $5");
    EXPECT_EQ(values.at("ODD"), "a$b $(unclosed");
    EXPECT_EQ(values.at("TRAILING"), "end$");
}

TEST_F(ContainerEnvTest, FieldRefsExposePodFields) {
    auto env = resolve(R"({"name":"app","env":[
        {"name":"NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
        {"name":"NS","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}},
        {"name":"UID","valueFrom":{"fieldRef":{"fieldPath":"metadata.uid"}}},
        {"name":"APP","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}},
        {"name":"NONE","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['missing']"}}},
        {"name":"NOTE","valueFrom":{"fieldRef":{"fieldPath":"metadata.annotations['note']"}}},
        {"name":"LABELS","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels"}}},
        {"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}},
        {"name":"SA","valueFrom":{"fieldRef":{"fieldPath":"spec.serviceAccountName"}}},
        {"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}},
        {"name":"POD_IPS","valueFrom":{"fieldRef":{"fieldPath":"status.podIPs"}}},
        {"name":"HOST_IP","valueFrom":{"fieldRef":{"fieldPath":"status.hostIP"}}}]})");
    ASSERT_TRUE(env.ok()) << env.message();
    const auto values = asMap(*env);
    EXPECT_EQ(values.at("NAME"), "web-0");
    EXPECT_EQ(values.at("NS"), "shop");
    EXPECT_EQ(values.at("UID"), "1234-abcd");
    EXPECT_EQ(values.at("APP"), "web");
    EXPECT_EQ(values.at("NONE"), "");
    EXPECT_EQ(values.at("NOTE"), "say \"hi\"");
    EXPECT_EQ(values.at("LABELS"), "app=\"web\"\ntier=\"front\"");
    EXPECT_EQ(values.at("NODE"), "forecast-sandbox");
    EXPECT_EQ(values.at("SA"), "runner");
    EXPECT_EQ(values.at("POD_IP"), "127.1.0.7");
    EXPECT_EQ(values.at("POD_IPS"), "127.1.0.7");
    EXPECT_EQ(values.at("HOST_IP"), "127.0.0.1");
}

TEST_F(ContainerEnvTest, UnsupportedFieldPathIsAnError) {
    auto env = resolve(R"({"name":"app","env":[
        {"name":"X","valueFrom":{"fieldRef":{"fieldPath":"spec.hostname"}}}]})");
    ASSERT_FALSE(env.ok());
    EXPECT_EQ(env.message(), "field label not supported: spec.hostname");
}

TEST_F(ContainerEnvTest, ResourceFieldRefsHonourDivisorAndDefaults) {
    auto env = resolve(R"({"name":"app",
      "resources":{"requests":{"cpu":"250m","memory":"64Mi"},"limits":{"cpu":"1500m","memory":"1Gi"}},
      "env":[
        {"name":"CPU_LIMIT","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu"}}},
        {"name":"CPU_REQ_M","valueFrom":{"resourceFieldRef":{"resource":"requests.cpu","divisor":"1m"}}},
        {"name":"CPU_REQ","valueFrom":{"resourceFieldRef":{"resource":"requests.cpu"}}},
        {"name":"MEM_LIMIT_MI","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"1Mi"}}},
        {"name":"MEM_REQ","valueFrom":{"resourceFieldRef":{"containerName":"app","resource":"requests.memory"}}}]})");
    ASSERT_TRUE(env.ok()) << env.message();
    const auto values = asMap(*env);
    EXPECT_EQ(values.at("CPU_LIMIT"), "2"); // rounded up, as the kubelet does
    EXPECT_EQ(values.at("CPU_REQ_M"), "250");
    EXPECT_EQ(values.at("CPU_REQ"), "1");
    EXPECT_EQ(values.at("MEM_LIMIT_MI"), "1024");
    EXPECT_EQ(values.at("MEM_REQ"), "67108864");
}

TEST_F(ContainerEnvTest, MissingLimitFallsBackToNodeAllocatable) {
    auto env = resolve(R"({"name":"app","env":[
        {"name":"CPUS","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu"}}},
        {"name":"REQ","valueFrom":{"resourceFieldRef":{"resource":"requests.memory"}}}]})");
    ASSERT_TRUE(env.ok()) << env.message();
    const auto values = asMap(*env);
    EXPECT_EQ(values.at("CPUS"), std::to_string(std::max(1u, std::thread::hardware_concurrency())));
    EXPECT_EQ(values.at("REQ"), "0");
}

TEST_F(ContainerEnvTest, MissingRequiredSourcesGiveTheKubeletsMessages) {
    auto cm = resolve(R"({"name":"app","envFrom":[{"configMapRef":{"name":"forecast-config"}}]})");
    ASSERT_FALSE(cm.ok());
    EXPECT_EQ(cm.message(), "configmap \"forecast-config\" not found");

    auto secret = resolve(R"({"name":"app","envFrom":[{"secretRef":{"name":"creds"}}]})");
    ASSERT_FALSE(secret.ok());
    EXPECT_EQ(secret.message(), "secret \"creds\" not found");

    auto cmRef = resolve(R"({"name":"app","env":[
        {"name":"X","valueFrom":{"configMapKeyRef":{"name":"nope","key":"K"}}}]})");
    ASSERT_FALSE(cmRef.ok());
    EXPECT_EQ(cmRef.message(), "configmap \"nope\" not found");

    auto cmKey = resolve(R"({"name":"app","env":[
        {"name":"X","valueFrom":{"configMapKeyRef":{"name":"app-config","key":"MISSING"}}}]})");
    ASSERT_FALSE(cmKey.ok());
    EXPECT_EQ(cmKey.message(), "couldn't find key MISSING in ConfigMap shop/app-config");

    auto secretKey = resolve(R"({"name":"app","env":[
        {"name":"X","valueFrom":{"secretKeyRef":{"name":"app-secret","key":"MISSING"}}}]})");
    ASSERT_FALSE(secretKey.ok());
    EXPECT_EQ(secretKey.message(), "couldn't find key MISSING in Secret shop/app-secret");
}

TEST_F(ContainerEnvTest, OptionalSourcesAndKeysAreSkippedSilently) {
    auto env = resolve(R"({"name":"app",
      "envFrom":[{"configMapRef":{"name":"absent","optional":true}},
                 {"secretRef":{"name":"absent","optional":true}}],
      "env":[{"name":"A","valueFrom":{"configMapKeyRef":{"name":"absent","key":"K","optional":true}}},
             {"name":"B","valueFrom":{"configMapKeyRef":{"name":"app-config","key":"K","optional":true}}},
             {"name":"C","valueFrom":{"secretKeyRef":{"name":"app-secret","key":"K","optional":true}}},
             {"name":"D","value":"kept"}]})");
    ASSERT_TRUE(env.ok()) << env.message();
    ASSERT_EQ(env->size(), 1u);
    EXPECT_EQ((*env)[0].first, "D");
}

TEST_F(ContainerEnvTest, EmptyValueWithoutSourceIsAnEmptyVariable) {
    auto env = resolve(R"({"name":"app","env":[{"name":"EMPTY"},{"name":"ALSO","value":""}]})");
    ASSERT_TRUE(env.ok()) << env.message();
    EXPECT_EQ(asMap(*env).at("EMPTY"), "");
    EXPECT_EQ(asMap(*env).at("ALSO"), "");
}

TEST_F(ContainerEnvTest, SourcesAreReadFromThePodsNamespace) {
    create("namespaces", "", R"({"metadata":{"name":"other"}})");
    create("configmaps", "other", R"({"metadata":{"name":"only-there"},"data":{"K":"v"}})");
    auto env = resolve(R"({"name":"app","envFrom":[{"configMapRef":{"name":"only-there"}}]})");
    ASSERT_FALSE(env.ok());
    EXPECT_EQ(env.message(), "configmap \"only-there\" not found");
}

} // namespace
} // namespace sandbox
