// The simulated kubelet: scheduling onto the one node, pod status as notes §6 describes it,
// unknown images, graceful deletion, container logs, and endpoints following readiness.
#include "controller_test_env.h"

#include "controllers/deployment_util.h"
#include "kubelet/kubelet.h"

#include <boost/json/array.hpp>

using namespace sandbox;
using namespace sandbox::testenv;
using boost::json::object;

namespace {

class KubeletFlow : public Cluster {
protected:
    object pod(const std::string &name, const std::string &image,
               const std::string &labels = R"({"app":"web"})") {
        object p = parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},
            "spec":{"containers":[{"name":"app","image":"nginx",
                    "ports":[{"name":"http","containerPort":8080}]}]}})");
        p["metadata"].as_object()["name"] = name;
        p["metadata"].as_object()["labels"] = parse(labels);
        p["spec"].as_object()["containers"].as_array()[0].as_object()["image"] = image;
        return p;
    }
    std::string waitingReason(const object &p) {
        const auto *statuses = json::arrayAt(p, {"status", "containerStatuses"});
        if (statuses == nullptr || statuses->empty()) {
            return {};
        }
        return json::stringAt((*statuses)[0].as_object(), {"state", "waiting", "reason"});
    }
    object podNow(const std::string &name) { return get(pods(), name).value_or(object{}); }
};

} // namespace

TEST_F(KubeletFlow, RegistersTheNode) {
    auto node = get(nodes(), "forecast-sandbox", "");
    ASSERT_TRUE(node.has_value());
    EXPECT_EQ(json::stringAt(*node, {"metadata", "labels", "kubernetes.io/hostname"}),
              "forecast-sandbox");
    const auto *conditions = json::arrayAt(*node, {"status", "conditions"});
    ASSERT_NE(conditions, nullptr);
    bool ready = false;
    for (const auto &c : *conditions) {
        ready = ready || (json::stringAt(c.as_object(), {"type"}) == "Ready" &&
                          json::stringAt(c.as_object(), {"status"}) == "True");
    }
    EXPECT_TRUE(ready);
}

TEST_F(KubeletFlow, PodIsScheduledStartedAndReportedLikeAKubelet) {
    create(pods(), pod("solo", "nginx:1.25"));
    ASSERT_TRUE(waitUntil([&] { return deployment::podReady(podNow("solo")); })) << dump(pods());
    const object p = podNow("solo");
    EXPECT_EQ(json::stringAt(p, {"spec", "nodeName"}), "forecast-sandbox");
    EXPECT_EQ(json::stringAt(p, {"status", "phase"}), "Running");
    EXPECT_EQ(json::stringAt(p, {"status", "hostIP"}), "127.0.0.1");
    const std::string ip = json::stringAt(p, {"status", "podIP"});
    EXPECT_EQ(ip.rfind("127.", 0), 0u) << ip;
    EXPECT_NE(ip, "127.0.0.1");
    EXPECT_EQ(json::stringAt((*json::arrayAt(p, {"status", "podIPs"}))[0].as_object(), {"ip"}), ip);
    EXPECT_FALSE(json::stringAt(p, {"status", "startTime"}).empty());
    EXPECT_EQ(json::stringAt(p, {"status", "qosClass"}), "BestEffort");
    const auto *conditions = json::arrayAt(p, {"status", "conditions"});
    ASSERT_NE(conditions, nullptr);
    std::vector<std::string> types;
    for (const auto &c : *conditions) {
        types.push_back(json::stringAt(c.as_object(), {"type"}));
        EXPECT_EQ(json::stringAt(c.as_object(), {"status"}), "True");
    }
    EXPECT_EQ(types, (std::vector<std::string>{"PodReadyToStartContainers", "Initialized", "Ready",
                                               "ContainersReady", "PodScheduled"}));
    const object &status = (*json::arrayAt(p, {"status", "containerStatuses"}))[0].as_object();
    EXPECT_EQ(json::stringAt(status, {"name"}), "app");
    EXPECT_EQ(json::boolAt(status, {"ready"}), true);
    EXPECT_EQ(json::boolAt(status, {"started"}), true);
    EXPECT_EQ(json::intAt(status, {"restartCount"}), 0);
    EXPECT_EQ(json::stringAt(status, {"image"}), "docker.io/library/nginx:1.25");
    EXPECT_EQ(json::stringAt(status, {"imageID"}).rfind("docker.io/library/nginx@sha256:", 0), 0u);
    EXPECT_EQ(json::stringAt(status, {"containerID"}).rfind("containerd://", 0), 0u);
    EXPECT_FALSE(json::stringAt(status, {"state", "running", "startedAt"}).empty());
    EXPECT_TRUE(hasEvent("Scheduled", "Successfully assigned demo/solo to forecast-sandbox"));
    EXPECT_TRUE(waitUntil([&] { return hasEvent("Started", "Started container app"); }));
    EXPECT_TRUE(hasEvent("Pulling", "Pulling image \"nginx:1.25\""));
}

TEST_F(KubeletFlow, PodsGetDistinctLoopbackAddresses) {
    for (const char *name : {"a", "b", "c"}) {
        create(pods(), pod(name, "busybox"));
    }
    std::set<std::string> ips;
    ASSERT_TRUE(waitUntil([&] {
        ips.clear();
        for (const char *name : {"a", "b", "c"}) {
            ips.insert(json::stringAt(podNow(name), {"status", "podIP"}));
        }
        return ips.size() == 3u && ips.count("") == 0;
    }));
}

TEST_F(KubeletFlow, UnknownImageFailsToPullThenBacksOff) {
    create(pods(), pod("ghost", "example.invalid/no-such:1"));
    std::set<std::string> seen;
    ASSERT_TRUE(waitUntil([&] {
        const object p = podNow("ghost");
        seen.insert(waitingReason(p));
        return seen.count("ErrImagePull") && seen.count("ImagePullBackOff");
    })) << dump(pods());
    const object p = podNow("ghost");
    EXPECT_EQ(json::stringAt(p, {"status", "phase"}), "Pending");
    EXPECT_FALSE(deployment::podReady(p));
    EXPECT_TRUE(hasEvent("Failed", "Error: ErrImagePull"));
    EXPECT_TRUE(hasEvent("Failed", "Failed to pull image \"example.invalid/no-such:1\""));
    EXPECT_TRUE(waitUntil([&] { return hasEvent("BackOff", "Back-off pulling image"); }));
    // Logs of a container that never started are a 400 with the waiting reason.
    LogRequest request;
    auto logs = manager->podLogs().open(podNow("ghost"), request);
    ASSERT_FALSE(logs.ok());
    EXPECT_EQ(logs.error().code, 400);
    EXPECT_NE(logs.error().message.find("container \"app\" in pod \"ghost\" is waiting to start:"),
              std::string::npos)
        << logs.error().message;
}

TEST_F(KubeletFlow, GracefulDeletionStopsContainersThenRemovesThePod) {
    create(pods(), pod("bye", "nginx:1.25"));
    ASSERT_TRUE(waitUntil([&] { return deployment::podReady(podNow("bye")); }));
    DeleteOptions options; // default grace period: 30 s, time-scaled
    auto removed = service->remove(pods(), "demo", "bye", options);
    ASSERT_TRUE(removed.ok()) << removed.message();
    EXPECT_TRUE(deployment::beingDeleted(*removed));
    EXPECT_TRUE(waitUntil([&] { return !get(pods(), "bye").has_value(); })) << dump(pods());
    EXPECT_TRUE(hasEvent("Killing", "Stopping container app"));
}

TEST_F(KubeletFlow, ContainersWriteLogsThatFollowersReceive) {
    create(pods(), pod("talker", "nginx:1.25"));
    ASSERT_TRUE(waitUntil([&] { return deployment::podReady(podNow("talker")); }));
    const object p = podNow("talker");
    LogRequest request;
    auto logs = manager->podLogs().open(p, request);
    ASSERT_TRUE(logs.ok()) << logs.message();
    EXPECT_NE(logs->text.find("nginx/1.25"), std::string::npos) << logs->text;
    EXPECT_TRUE(logs->ended);

    request.tailLines = 1;
    request.timestamps = true;
    auto tail = manager->podLogs().open(p, request);
    ASSERT_TRUE(tail.ok());
    EXPECT_EQ(std::count(tail->text.begin(), tail->text.end(), '\n'), 1);
    EXPECT_EQ(tail->text.find(formatRfc3339(clock.now()).substr(0, 4)), 0u) << tail->text;

    // --previous: no terminated container yet.
    LogRequest previous;
    previous.previous = true;
    auto none = manager->podLogs().open(p, previous);
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().message,
              "previous terminated container \"app\" in pod \"talker\" not found");

    // Follow: the stop lines arrive, then the stream ends.
    std::mutex mutex;
    std::string followed;
    std::atomic<bool> ended{false};
    LogRequest follow;
    follow.follow = true;
    auto stream = manager->podLogs().open(
        p, follow,
        [&](std::string_view chunk) {
            std::lock_guard lock(mutex);
            followed += chunk;
        },
        [&] { ended = true; });
    ASSERT_TRUE(stream.ok());
    EXPECT_FALSE(stream->ended);
    ASSERT_TRUE(service->remove(pods(), "demo", "talker", DeleteOptions{}).ok());
    EXPECT_TRUE(waitUntil([&] { return ended.load(); }));
    std::lock_guard lock(mutex);
    EXPECT_NE(followed.find("SIGQUIT"), std::string::npos) << followed;
}

TEST_F(KubeletFlow, EndpointsFollowReadiness) {
    create(services(), parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"web",
        "labels":{"app":"web"}},"spec":{"selector":{"app":"web"},
        "ports":[{"name":"http","port":80,"targetPort":"http"}]}})"));
    create(pods(), pod("ready-1", "nginx:1.25"));
    create(pods(), pod("stuck-1", "example.invalid/no-such:1"));
    create(pods(), pod("other", "nginx:1.25", R"({"app":"other"})"));
    const auto addresses = [&](const char *field) {
        std::vector<std::string> names;
        auto ep = get(endpoints(), "web");
        const auto *subsets = ep ? json::arrayAt(*ep, {"subsets"}) : nullptr;
        if (subsets == nullptr) {
            return names;
        }
        for (const auto &subset : *subsets) {
            if (const auto *list = json::arrayAt(subset.as_object(), {field})) {
                for (const auto &a : *list) {
                    names.push_back(json::stringAt(a.as_object(), {"targetRef", "name"}));
                }
            }
        }
        return names;
    };
    ASSERT_TRUE(waitUntil([&] {
        return addresses("addresses") == std::vector<std::string>{"ready-1"} &&
               addresses("notReadyAddresses") == std::vector<std::string>{"stuck-1"};
    })) << dump(endpoints());
    const auto ep = get(endpoints(), "web");
    const auto &subset = (*json::arrayAt(*ep, {"subsets"}))[0].as_object();
    const auto &port = (*json::arrayAt(subset, {"ports"}))[0].as_object();
    EXPECT_EQ(json::intAt(port, {"port"}), 8080); // named targetPort "http" -> containerPort
    EXPECT_EQ(json::stringAt(port, {"name"}), "http");
    EXPECT_EQ(json::stringAt(port, {"protocol"}), "TCP");
    EXPECT_EQ(json::stringAt(*ep, {"metadata", "labels", "app"}), "web");

    // A pod that goes away leaves the endpoints.
    DeleteOptions now;
    now.gracePeriodSeconds = 0;
    ASSERT_TRUE(service->remove(pods(), "demo", "ready-1", now).ok());
    EXPECT_TRUE(waitUntil([&] { return addresses("addresses").empty(); })) << dump(endpoints());
    // And the Service's deletion removes its Endpoints.
    ASSERT_TRUE(service->remove(services(), "demo", "web", DeleteOptions{}).ok());
    EXPECT_TRUE(waitUntil([&] { return !get(endpoints(), "web").has_value(); }));
}
