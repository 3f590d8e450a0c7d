// The registry is what discovery, routing and the controllers agree on: these tests pin the
// names, scopes, verbs and subresources kubectl relies on (k8s-api-notes §1).
#include "api/resource_registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

using sandbox::ResourceRegistry;
using sandbox::ResourceType;

namespace {

const ResourceType &mustFind(std::string_view group, std::string_view version,
                             std::string_view resource) {
    const ResourceType *type = ResourceRegistry::builtin().byResource(group, version, resource);
    EXPECT_NE(type, nullptr) << group << "/" << version << "/" << resource;
    static ResourceType empty;
    return type ? *type : empty;
}

bool has(const std::vector<std::string> &list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

} // namespace

TEST(RegistryBuiltin, EveryKindOfTheIssueIsServed) {
    const char *core[] = {"namespaces",      "configmaps", "secrets", "services", "endpoints",
                          "serviceaccounts", "pods",       "events",  "nodes"};
    for (const char *resource : core) {
        mustFind("", "v1", resource);
    }
    mustFind("apps", "v1", "deployments");
    mustFind("apps", "v1", "replicasets");
    mustFind("autoscaling", "v2", "horizontalpodautoscalers");
    mustFind("networking.k8s.io", "v1", "ingresses");
    mustFind("policy", "v1", "poddisruptionbudgets");
    mustFind("monitoring.coreos.com", "v1", "prometheusrules");
    mustFind("apiextensions.k8s.io", "v1", "customresourcedefinitions");
    mustFind("authorization.k8s.io", "v1", "selfsubjectaccessreviews");
}

TEST(RegistryBuiltin, LooksUpByKindAndApiVersion) {
    const auto &registry = ResourceRegistry::builtin();
    const ResourceType *deploy = registry.byKind("apps/v1", "Deployment");
    ASSERT_NE(deploy, nullptr);
    EXPECT_EQ(deploy->resource, "deployments");
    EXPECT_EQ(deploy->storageKey(), "apps/deployments");
    EXPECT_EQ(deploy->groupResource(), "deployments.apps");
    const ResourceType *pod = registry.byKind("v1", "Pod");
    ASSERT_NE(pod, nullptr);
    EXPECT_EQ(pod->storageKey(), "core/pods");
    EXPECT_EQ(pod->groupResource(), "pods");
    EXPECT_EQ(registry.byKind("apps/v1", "Pod"), nullptr);
    EXPECT_EQ(registry.byKind("v1", "Deployment"), nullptr);
    EXPECT_EQ(registry.byResource("apps", "v1beta1", "deployments"), nullptr);
}

TEST(RegistryBuiltin, ScopesMatchKubernetes) {
    EXPECT_FALSE(mustFind("", "v1", "namespaces").namespaced);
    EXPECT_FALSE(mustFind("", "v1", "nodes").namespaced);
    EXPECT_FALSE(mustFind("apiextensions.k8s.io", "v1", "customresourcedefinitions").namespaced);
    EXPECT_FALSE(mustFind("authorization.k8s.io", "v1", "selfsubjectaccessreviews").namespaced);
    EXPECT_TRUE(mustFind("", "v1", "pods").namespaced);
    EXPECT_TRUE(mustFind("monitoring.coreos.com", "v1", "prometheusrules").namespaced);
}

TEST(RegistryBuiltin, ShortNamesAndCategoriesMakeAliasesWork) {
    struct Case {
        const char *group, *version, *resource, *shortName;
    } cases[] = {{"", "v1", "pods", "po"},
                 {"", "v1", "services", "svc"},
                 {"", "v1", "configmaps", "cm"},
                 {"", "v1", "namespaces", "ns"},
                 {"", "v1", "events", "ev"},
                 {"", "v1", "endpoints", "ep"},
                 {"", "v1", "serviceaccounts", "sa"},
                 {"apps", "v1", "replicasets", "rs"},
                 {"apps", "v1", "deployments", "deploy"},
                 {"autoscaling", "v2", "horizontalpodautoscalers", "hpa"},
                 {"networking.k8s.io", "v1", "ingresses", "ing"},
                 {"policy", "v1", "poddisruptionbudgets", "pdb"},
                 {"apiextensions.k8s.io", "v1", "customresourcedefinitions", "crd"}};
    for (const auto &c : cases) {
        EXPECT_TRUE(has(mustFind(c.group, c.version, c.resource).shortNames, c.shortName))
            << c.resource;
    }
    for (const char *resource : {"pods", "services"}) {
        EXPECT_TRUE(has(mustFind("", "v1", resource).categories, "all")) << resource;
    }
    EXPECT_TRUE(has(mustFind("apps", "v1", "deployments").categories, "all"));
    EXPECT_TRUE(has(mustFind("apps", "v1", "replicasets").categories, "all"));
    EXPECT_TRUE(has(mustFind("autoscaling", "v2", "horizontalpodautoscalers").categories, "all"));
    // `kubectl get all` does not list these in a real cluster either.
    EXPECT_FALSE(has(mustFind("", "v1", "configmaps").categories, "all"));
    EXPECT_FALSE(has(mustFind("networking.k8s.io", "v1", "ingresses").categories, "all"));
}

TEST(RegistryBuiltin, ScaleSubresourcesAnswerWithAutoscalingV1Scale) {
    for (const char *resource : {"deployments", "replicasets"}) {
        const auto *scale = mustFind("apps", "v1", resource).subresource("scale");
        ASSERT_NE(scale, nullptr) << resource;
        EXPECT_EQ(scale->responseKind.group, "autoscaling");
        EXPECT_EQ(scale->responseKind.version, "v1");
        EXPECT_EQ(scale->responseKind.kind, "Scale");
        EXPECT_EQ(scale->verbs, (std::vector<std::string>{"get", "patch", "update"}));
    }
    EXPECT_EQ(mustFind("", "v1", "pods").subresource("scale"), nullptr);
}

TEST(RegistryBuiltin, StatusSubresourceMatchesHasStatus) {
    for (const auto &type : ResourceRegistry::builtin().all()) {
        const auto *status = type.subresource("status");
        EXPECT_EQ(status != nullptr, type.hasStatus) << type.resource;
        if (status) {
            EXPECT_EQ(status->responseKind.kind, type.kind);
            EXPECT_EQ(status->responseKind.group, type.group);
        }
    }
    for (const char *resource : {"pods", "services", "namespaces"}) {
        EXPECT_TRUE(mustFind("", "v1", resource).hasStatus) << resource;
    }
    EXPECT_TRUE(mustFind("apps", "v1", "deployments").hasStatus);
    EXPECT_TRUE(mustFind("autoscaling", "v2", "horizontalpodautoscalers").hasStatus);
    EXPECT_FALSE(mustFind("", "v1", "configmaps").hasStatus);
}

TEST(RegistryBuiltin, PodLogIsAGetOnlySubresource) {
    const auto *log = mustFind("", "v1", "pods").subresource("log");
    ASSERT_NE(log, nullptr);
    EXPECT_EQ(log->verbs, std::vector<std::string>{"get"});
    EXPECT_EQ(log->responseKind.kind, "Pod");
}

TEST(RegistryBuiltin, VerbsMatchTheRealServer) {
    EXPECT_EQ(mustFind("authorization.k8s.io", "v1", "selfsubjectaccessreviews").verbs,
              std::vector<std::string>{"create"});
    EXPECT_FALSE(has(mustFind("", "v1", "namespaces").verbs, "deletecollection"));
    for (const char *verb :
         {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}) {
        EXPECT_TRUE(has(mustFind("apps", "v1", "deployments").verbs, verb)) << verb;
    }
}

TEST(RegistryBuiltin, NamesAreUniqueAndGroupVersionsOrdered) {
    std::set<std::string> keys;
    for (const auto &type : ResourceRegistry::builtin().all()) {
        EXPECT_TRUE(keys.insert(type.storageKey()).second) << type.storageKey();
        EXPECT_FALSE(type.singular.empty()) << type.resource;
        EXPECT_EQ(type.listKind(), type.kind + "List");
    }
    auto gvs = ResourceRegistry::builtin().groupVersions();
    ASSERT_FALSE(gvs.empty());
    EXPECT_EQ(gvs.front(), "v1");
    EXPECT_TRUE(has(gvs, "apps/v1"));
    EXPECT_TRUE(has(gvs, "autoscaling/v2"));
    EXPECT_TRUE(has(gvs, "monitoring.coreos.com/v1"));
    EXPECT_EQ(std::set<std::string>(gvs.begin(), gvs.end()).size(), gvs.size());
}
