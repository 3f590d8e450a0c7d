#pragma once
// A whole in-memory sandbox without HTTP for controller and kubelet tests: ObjectStore +
// ResourceService + every controller and the simulated kubelet, on the system clock with a
// high time scale so simulated seconds pass in milliseconds. Tests wait with waitUntil()
// (generous timeouts, polling) and never assert on timing.

#include "api/http_log.h"
#include "api/resource_service.h"
#include "controllers/controller_manager.h"
#include "store/object_store.h"
#include "util/clock.h"
#include "util/json_util.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <thread>

namespace sandbox::testenv {

inline const ResourceType &type(std::string_view group, std::string_view version,
                                std::string_view resource) {
    return *ResourceRegistry::builtin().byResource(group, version, resource);
}
inline const ResourceType &deployments() {
    return type("apps", "v1", "deployments");
}
inline const ResourceType &replicasets() {
    return type("apps", "v1", "replicasets");
}
inline const ResourceType &pods() {
    return type("", "v1", "pods");
}
inline const ResourceType &services() {
    return type("", "v1", "services");
}
inline const ResourceType &endpoints() {
    return type("", "v1", "endpoints");
}
inline const ResourceType &events() {
    return type("", "v1", "events");
}
inline const ResourceType &namespaces() {
    return type("", "v1", "namespaces");
}
inline const ResourceType &nodes() {
    return type("", "v1", "nodes");
}

inline boost::json::object parse(std::string_view text) {
    return boost::json::parse(text).as_object();
}

// Polls `done` until it holds or `timeout` passes.
inline bool waitUntil(const std::function<bool()> &done,
                      std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

class Cluster : public testing::Test {
protected:
    explicit Cluster(double timeScale = 20.0) { clock.setTimeScale(timeScale); }

    void SetUp() override {
        if (std::getenv("RF_TEST_DEBUG") != nullptr) {
            setLogLevel(LogLevel::Debug);
        }
        ASSERT_TRUE(store.load().ok());
        service = std::make_unique<ResourceService>(store, ResourceRegistry::builtin(), clock);
        write.fieldManager = "kubectl-client-side-apply";
        ASSERT_TRUE(
            service->create(namespaces(), "", parse(R"({"metadata":{"name":"demo"}})"), write)
                .ok());
        auto made = ControllerManager::create(*service, options());
        ASSERT_TRUE(made.ok()) << made.message();
        manager = std::move(made.value());
        manager->start();
    }
    void TearDown() override {
        if (manager) {
            manager->stop();
        }
    }
    virtual ControllerManagerOptions options() { return {}; }

    boost::json::object create(const ResourceType &t, boost::json::object body,
                               const std::string &ns = "demo") {
        auto created = service->create(t, ns, std::move(body), write);
        EXPECT_TRUE(created.ok()) << created.message();
        return created.ok() ? created.value() : boost::json::object();
    }
    std::optional<boost::json::object> get(const ResourceType &t, const std::string &name,
                                           const std::string &ns = "demo") {
        auto found = service->get(t, ns, name);
        if (!found) {
            return std::nullopt;
        }
        return std::move(found.value());
    }
    std::vector<boost::json::object> list(const ResourceType &t, const std::string &selector = "",
                                          const std::string &ns = "demo") {
        ListOptions options;
        options.labelSelector = selector;
        auto listed = service->list(t, ns, options);
        return listed ? listed->items : std::vector<boost::json::object>{};
    }
    bool patch(const ResourceType &t, const std::string &name, PatchType patchType,
               const std::string &body, const std::string &manager = "kubectl-patch") {
        WriteOptions options;
        options.fieldManager = manager;
        auto patched = service->patch(t, "demo", name, patchType, body, options);
        EXPECT_TRUE(patched.ok()) << patched.message();
        return patched.ok();
    }
    // Events about `name` whose message contains `text`.
    bool hasEvent(const std::string &reason, const std::string &text) {
        for (const auto &e : list(events())) {
            if (json::stringAt(e, {"reason"}) == reason &&
                json::stringAt(e, {"message"}).find(text) != std::string::npos) {
                return true;
            }
        }
        return false;
    }
    std::string dump(const ResourceType &t) {
        std::string out;
        for (const auto &o : list(t)) {
            out += boost::json::serialize(o) + "\n";
        }
        return out;
    }

    SystemClock clock;
    ObjectStore store{{}, ResourceRegistry::builtin(), clock};
    std::unique_ptr<ResourceService> service;
    std::unique_ptr<ControllerManager> manager;
    WriteOptions write;
};

inline boost::json::object webDeployment(int replicas = 3,
                                         const std::string &image = "nginx:1.25") {
    boost::json::object d = parse(R"({"apiVersion":"apps/v1","kind":"Deployment",
      "metadata":{"name":"web","labels":{"app":"web"}},
      "spec":{"selector":{"matchLabels":{"app":"web"}},
        "template":{"metadata":{"labels":{"app":"web"}},
          "spec":{"containers":[{"name":"web","image":"nginx:1.25",
                                 "ports":[{"name":"http","containerPort":80}]}]}}}})");
    d["spec"].as_object()["replicas"] = replicas;
    d["spec"]
        .as_object()["template"]
        .as_object()["spec"]
        .as_object()["containers"]
        .as_array()[0]
        .as_object()["image"] = image;
    return d;
}

inline std::int64_t statusOf(const boost::json::object &o, std::string_view field) {
    return json::intAt(o, {"status", field}).value_or(0);
}

} // namespace sandbox::testenv
