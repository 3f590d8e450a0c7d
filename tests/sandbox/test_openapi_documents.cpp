// The OpenAPI v3 that lets `kubectl apply` validate: an index entry per group version, and
// per group version a PATCH operation for every kind tagged with its GVK and carrying the
// fieldValidation query parameter (what cli-runtime's query-param verifier looks for).
#include "api/openapi.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

namespace bj = boost::json;
using sandbox::ResourceRegistry;

namespace {

constexpr const char *kVersion = "v1.32.0-forecast-sandbox";

// True when doc has a PATCH operation for the GVK with a fieldValidation query parameter,
// searched the way kubectl does (any path, operation-level parameters).
bool verifierAccepts(const bj::object &doc, const std::string &group, const std::string &version,
                     const std::string &kind) {
    for (const auto &path : doc.at("paths").as_object()) {
        const auto *patch = path.value().as_object().if_contains("patch");
        if (!patch) {
            continue;
        }
        const auto &gvk = patch->at("x-kubernetes-group-version-kind");
        if (gvk.at("group") != group.c_str() || gvk.at("version") != version.c_str() ||
            gvk.at("kind") != kind.c_str()) {
            continue;
        }
        for (const auto &p : patch->at("parameters").as_array()) {
            if (p.at("name") == "fieldValidation" && p.at("in") == "query") {
                return true;
            }
        }
    }
    return false;
}

} // namespace

TEST(OpenApiDocuments, IndexHasEveryGroupVersion) {
    const bj::object index = sandbox::openApiV3Index(ResourceRegistry::builtin(), kVersion);
    const auto &paths = index.at("paths").as_object();
    for (const char *key :
         {"api/v1", "apis/apps/v1", "apis/autoscaling/v2", "apis/networking.k8s.io/v1",
          "apis/policy/v1", "apis/monitoring.coreos.com/v1", "apis/apiextensions.k8s.io/v1",
          "apis/authorization.k8s.io/v1"}) {
        ASSERT_TRUE(paths.contains(key)) << key;
        const std::string url(paths.at(key).at("serverRelativeURL").as_string());
        EXPECT_EQ(url.rfind(std::string("/openapi/v3/") + key + "?hash=", 0), 0u) << url;
        EXPECT_GT(url.size(), std::string("/openapi/v3/").size() + std::string(key).size() + 6);
    }
    EXPECT_EQ(paths.size(), ResourceRegistry::builtin().groupVersions().size());
}

TEST(OpenApiDocuments, EveryPatchableKindHasAVerifiablePatchOperation) {
    const auto &registry = ResourceRegistry::builtin();
    for (const auto &type : registry.all()) {
        const std::string path =
            type.group.empty() ? "api/" + type.version : "apis/" + type.apiVersion();
        const auto doc = sandbox::openApiV3Document(registry, path, kVersion);
        ASSERT_TRUE(doc) << path;
        EXPECT_EQ(doc->at("openapi"), "3.0.0");
        EXPECT_EQ(doc->at("info").at("version"), kVersion);
        const bool patchable =
            std::find(type.verbs.begin(), type.verbs.end(), "patch") != type.verbs.end();
        EXPECT_EQ(verifierAccepts(*doc, type.group, type.version, type.kind), patchable)
            << type.kind;
    }
}

TEST(OpenApiDocuments, PathsFollowTheRealApiLayout) {
    const auto apps =
        sandbox::openApiV3Document(ResourceRegistry::builtin(), "apis/apps/v1", kVersion);
    ASSERT_TRUE(apps);
    const auto &paths = apps->at("paths").as_object();
    ASSERT_TRUE(paths.contains("/apis/apps/v1/namespaces/{namespace}/deployments/{name}"));
    const auto &patch =
        paths.at("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").at("patch");
    EXPECT_EQ(patch.at("x-kubernetes-group-version-kind"),
              bj::parse(R"({"group":"apps","version":"v1","kind":"Deployment"})"));
    EXPECT_EQ(patch.at("x-kubernetes-action"), "patch");
    EXPECT_EQ(patch.at("operationId"), "patchAppsV1NamespacedDeployment");
    EXPECT_FALSE(patch.as_object().contains("requestBody"))
        << "no schemas: client-side apply uses compiled-in types";
    // kubectl scale works on the Scale subresource, tagged with autoscaling/v1 Scale.
    ASSERT_TRUE(paths.contains("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"));
    EXPECT_EQ(paths.at("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale")
                  .at("patch")
                  .at("x-kubernetes-group-version-kind")
                  .at("kind"),
              "Scale");
    EXPECT_TRUE(paths.contains("/apis/apps/v1/namespaces/{namespace}/deployments"));

    const auto core =
        sandbox::openApiV3Document(ResourceRegistry::builtin(), "/api/v1?hash=X", kVersion);
    ASSERT_TRUE(core);
    EXPECT_TRUE(
        core->at("paths").as_object().contains("/api/v1/namespaces/{namespace}/pods/{name}"));
    EXPECT_TRUE(core->at("paths").as_object().contains("/api/v1/namespaces/{name}"));

    const auto crd = sandbox::openApiV3Document(ResourceRegistry::builtin(),
                                                "apis/apiextensions.k8s.io/v1", kVersion);
    ASSERT_TRUE(crd);
    EXPECT_TRUE(crd->at("paths").as_object().contains(
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}"));
    EXPECT_TRUE(verifierAccepts(*crd, "apiextensions.k8s.io", "v1", "CustomResourceDefinition"));

    const auto rules = sandbox::openApiV3Document(ResourceRegistry::builtin(),
                                                  "apis/monitoring.coreos.com/v1", kVersion);
    ASSERT_TRUE(rules);
    EXPECT_TRUE(verifierAccepts(*rules, "monitoring.coreos.com", "v1", "PrometheusRule"));
}

TEST(OpenApiDocuments, UnknownGroupVersionsAreNotServed) {
    EXPECT_FALSE(
        sandbox::openApiV3Document(ResourceRegistry::builtin(), "apis/batch/v1", kVersion));
    EXPECT_FALSE(sandbox::openApiV3Document(ResourceRegistry::builtin(), "apis/apps", kVersion));
    EXPECT_FALSE(sandbox::openApiV3Document(ResourceRegistry::builtin(), "", kVersion));
}

TEST(OpenApiDocuments, IndexHashFollowsDocumentContent) {
    const auto a = sandbox::openApiV3Index(ResourceRegistry::builtin(), kVersion);
    const auto b = sandbox::openApiV3Index(ResourceRegistry::builtin(), "v1.32.1-other");
    EXPECT_EQ(a, sandbox::openApiV3Index(ResourceRegistry::builtin(), kVersion));
    EXPECT_NE(a.at("paths").at("apis/apps/v1"), b.at("paths").at("apis/apps/v1"));
}
