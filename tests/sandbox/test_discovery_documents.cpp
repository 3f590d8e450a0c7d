// The discovery documents kubectl reads to resolve `kubectl get po,deploy,hpa`, `get all`,
// `scale` and `logs`: aggregated v2/v2beta1 and the legacy forms.
#include "api/discovery.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>
#include <string>

namespace bj = boost::json;
using sandbox::DiscoveryFormat;
using sandbox::ResourceRegistry;

namespace {

const ResourceRegistry &registry() {
    return ResourceRegistry::builtin();
}

// The aggregated resource entry for group/version/resource, or nullptr.
const bj::object *findResource(const bj::object &list, const std::string &group,
                               const std::string &version, const std::string &resource) {
    for (const auto &item : list.at("items").as_array()) {
        const auto &metadata = item.at("metadata").as_object();
        const std::string name =
            metadata.contains("name") ? std::string(metadata.at("name").as_string()) : "";
        if (name != group) {
            continue;
        }
        for (const auto &v : item.at("versions").as_array()) {
            if (v.at("version") != version.c_str()) {
                continue;
            }
            for (const auto &r : v.at("resources").as_array()) {
                if (r.at("resource") == resource.c_str()) {
                    return &r.as_object();
                }
            }
        }
    }
    return nullptr;
}

bool contains(const bj::value &array, const char *value) {
    for (const auto &v : array.as_array()) {
        if (v == value) {
            return true;
        }
    }
    return false;
}

} // namespace

TEST(DiscoveryDocuments, AggregatedCoreHasOneUnnamedGroup) {
    const bj::object api =
        sandbox::aggregatedDiscovery(registry(), true, DiscoveryFormat::AggregatedV2);
    EXPECT_EQ(api.at("kind"), "APIGroupDiscoveryList");
    EXPECT_EQ(api.at("apiVersion"), "apidiscovery.k8s.io/v2");
    const auto &items = api.at("items").as_array();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_FALSE(items[0].at("metadata").as_object().contains("name"));
    const auto &versions = items[0].at("versions").as_array();
    ASSERT_EQ(versions.size(), 1u);
    EXPECT_EQ(versions[0].at("version"), "v1");
    EXPECT_EQ(versions[0].at("freshness"), "Current");

    const bj::object *pods = findResource(api, "", "v1", "pods");
    ASSERT_NE(pods, nullptr);
    EXPECT_EQ(pods->at("scope"), "Namespaced");
    EXPECT_EQ(pods->at("singularResource"), "pod");
    EXPECT_EQ(pods->at("responseKind"), bj::parse(R"({"group":"","version":"v1","kind":"Pod"})"));
    EXPECT_TRUE(contains(pods->at("shortNames"), "po"));
    EXPECT_TRUE(contains(pods->at("categories"), "all"));
    bool log = false;
    for (const auto &sub : pods->at("subresources").as_array()) {
        if (sub.at("subresource") == "log") {
            log = true;
            EXPECT_EQ(sub.at("verbs"), bj::parse(R"(["get"])"));
        }
    }
    EXPECT_TRUE(log) << "kubectl logs needs pods/log";
    EXPECT_EQ(findResource(api, "", "v1", "namespaces")->at("scope"), "Cluster");
}

TEST(DiscoveryDocuments, AggregatedGroupsListEveryGroupWithScale) {
    const bj::object apis =
        sandbox::aggregatedDiscovery(registry(), false, DiscoveryFormat::AggregatedV2);
    std::set<std::string> groups;
    for (const auto &item : apis.at("items").as_array()) {
        groups.insert(std::string(item.at("metadata").at("name").as_string()));
        for (const auto &v : item.at("versions").as_array()) {
            EXPECT_EQ(v.at("freshness"), "Current");
            for (const auto &r : v.at("resources").as_array()) {
                // kubectl drops entries without responseKind.
                EXPECT_TRUE(r.as_object().contains("responseKind")) << r.at("resource");
                if (r.as_object().contains("subresources")) {
                    for (const auto &s : r.at("subresources").as_array()) {
                        EXPECT_TRUE(s.as_object().contains("responseKind"));
                    }
                }
            }
        }
    }
    for (const char *g :
         {"apps", "autoscaling", "networking.k8s.io", "policy", "monitoring.coreos.com",
          "apiextensions.k8s.io", "authorization.k8s.io"}) {
        EXPECT_TRUE(groups.count(g)) << g;
    }
    EXPECT_FALSE(groups.count(""));

    const bj::object *deploy = findResource(apis, "apps", "v1", "deployments");
    ASSERT_NE(deploy, nullptr);
    EXPECT_EQ(
        deploy->at("verbs"),
        bj::parse(
            R"(["create","delete","deletecollection","get","list","patch","update","watch"])"));
    EXPECT_EQ(deploy->at("shortNames"), bj::parse(R"(["deploy"])"));
    EXPECT_EQ(deploy->at("categories"), bj::parse(R"(["all"])"));
    EXPECT_EQ(deploy->at("subresources"), bj::parse(R"([
                {"subresource":"scale","responseKind":{"group":"autoscaling","version":"v1","kind":"Scale"},
                 "verbs":["get","patch","update"]},
                {"subresource":"status","responseKind":{"group":"apps","version":"v1","kind":"Deployment"},
                 "verbs":["get","patch","update"]}])"));

    const bj::object *hpa = findResource(apis, "autoscaling", "v2", "horizontalpodautoscalers");
    ASSERT_NE(hpa, nullptr);
    EXPECT_TRUE(contains(hpa->at("shortNames"), "hpa"));
    EXPECT_TRUE(contains(hpa->at("categories"), "all"));
    const bj::object *ssar =
        findResource(apis, "authorization.k8s.io", "v1", "selfsubjectaccessreviews");
    ASSERT_NE(ssar, nullptr);
    EXPECT_EQ(ssar->at("scope"), "Cluster");
    EXPECT_EQ(ssar->at("verbs"), bj::parse(R"(["create"])"));
    EXPECT_NE(findResource(apis, "monitoring.coreos.com", "v1", "prometheusrules"), nullptr);
    EXPECT_EQ(
        findResource(apis, "apiextensions.k8s.io", "v1", "customresourcedefinitions")->at("scope"),
        "Cluster");
}

TEST(DiscoveryDocuments, V2Beta1DiffersOnlyInApiVersion) {
    bj::object v2 = sandbox::aggregatedDiscovery(registry(), false, DiscoveryFormat::AggregatedV2);
    bj::object beta =
        sandbox::aggregatedDiscovery(registry(), false, DiscoveryFormat::AggregatedV2Beta1);
    EXPECT_EQ(beta.at("apiVersion"), "apidiscovery.k8s.io/v2beta1");
    beta["apiVersion"] = v2.at("apiVersion");
    EXPECT_EQ(beta, v2);
}

TEST(DiscoveryDocuments, LegacyApiVersions) {
    EXPECT_EQ(sandbox::apiVersions("127.0.0.1:6443"),
              bj::parse(R"({"kind":"APIVersions","versions":["v1"],
                "serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:6443"}]})"));
}

TEST(DiscoveryDocuments, LegacyGroupListAndGroup) {
    const bj::object list = sandbox::apiGroupList(registry());
    EXPECT_EQ(list.at("kind"), "APIGroupList");
    EXPECT_EQ(list.at("apiVersion"), "v1");
    bool apps = false;
    for (const auto &g : list.at("groups").as_array()) {
        EXPECT_NE(g.at("name"), "");
        if (g.at("name") == "apps") {
            apps = true;
            EXPECT_EQ(g.at("versions"),
                      bj::parse(R"([{"groupVersion":"apps/v1","version":"v1"}])"));
            EXPECT_EQ(g.at("preferredVersion"),
                      bj::parse(R"({"groupVersion":"apps/v1","version":"v1"})"));
        }
    }
    EXPECT_TRUE(apps);

    const auto group = sandbox::apiGroup(registry(), "autoscaling");
    ASSERT_TRUE(group);
    EXPECT_EQ(group->at("kind"), "APIGroup");
    EXPECT_EQ(group->at("name"), "autoscaling");
    EXPECT_EQ(group->at("preferredVersion").at("groupVersion"), "autoscaling/v2");
    EXPECT_FALSE(sandbox::apiGroup(registry(), "batch"));
    EXPECT_FALSE(sandbox::apiGroup(registry(), ""));
    EXPECT_EQ(sandbox::preferredVersion(registry(), "apps"), "v1");
}

TEST(DiscoveryDocuments, LegacyResourceListsIncludeSubresources) {
    const auto apps = sandbox::apiResourceList(registry(), "apps", "v1");
    ASSERT_TRUE(apps);
    EXPECT_EQ(apps->at("kind"), "APIResourceList");
    EXPECT_EQ(apps->at("groupVersion"), "apps/v1");
    bool scale = false, status = false, deployments = false;
    for (const auto &r : apps->at("resources").as_array()) {
        if (r.at("name") == "deployments") {
            deployments = true;
            EXPECT_EQ(r.at("namespaced"), true);
            EXPECT_EQ(r.at("kind"), "Deployment");
            EXPECT_EQ(r.at("singularName"), "deployment");
            EXPECT_EQ(r.at("shortNames"), bj::parse(R"(["deploy"])"));
        } else if (r.at("name") == "deployments/scale") {
            scale = true;
            EXPECT_EQ(r,
                      bj::parse(R"({"name":"deployments/scale","singularName":"","namespaced":true,
                "group":"autoscaling","version":"v1","kind":"Scale","verbs":["get","patch","update"]})"));
        } else if (r.at("name") == "deployments/status") {
            status = true;
            EXPECT_FALSE(r.as_object().contains("group")) << "same group version as the list";
            EXPECT_EQ(r.at("kind"), "Deployment");
        }
    }
    EXPECT_TRUE(scale && status && deployments);

    const auto core = sandbox::apiResourceList(registry(), "", "v1");
    ASSERT_TRUE(core);
    EXPECT_EQ(core->at("groupVersion"), "v1");
    bool log = false;
    for (const auto &r : core->at("resources").as_array()) {
        log = log || r.at("name") == "pods/log";
    }
    EXPECT_TRUE(log);
    EXPECT_FALSE(sandbox::apiResourceList(registry(), "apps", "v1beta1"));
    EXPECT_FALSE(sandbox::apiResourceList(registry(), "", "v2"));
}

TEST(DiscoveryDocuments, EtagIsStableAndChangesWithContent) {
    const bj::object a =
        sandbox::aggregatedDiscovery(registry(), false, DiscoveryFormat::AggregatedV2);
    const std::string etag = sandbox::documentEtag(a);
    EXPECT_EQ(etag.size(), 18u);
    EXPECT_EQ(etag.front(), '"');
    EXPECT_EQ(etag, sandbox::documentEtag(sandbox::aggregatedDiscovery(
                        registry(), false, DiscoveryFormat::AggregatedV2)));
    EXPECT_NE(etag, sandbox::documentEtag(sandbox::aggregatedDiscovery(
                        registry(), true, DiscoveryFormat::AggregatedV2)));
}
