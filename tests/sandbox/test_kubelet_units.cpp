// Pure pieces of the kubelet: pod status assembly (notes §6), QoS classes, pod IPs, and the
// pods/log rules (notes §7).
#include "kubelet/pod_ip_allocator.h"
#include "kubelet/pod_logs.h"
#include "kubelet/pod_status.h"

#include "util/json_util.h"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

using namespace sandbox;
using boost::json::object;

namespace {

object parse(std::string_view text) {
    return boost::json::parse(text).as_object();
}

object podWith(const char *containers = R"([{"name":"app","image":"nginx"}])") {
    object pod = parse(R"({"metadata":{"name":"web-1","uid":"u1"},"spec":{}})");
    pod["spec"].as_object()["containers"] = boost::json::parse(containers);
    return pod;
}

boost::json::array statuses(const char *text) {
    return boost::json::parse(text).as_array();
}

std::string conditionStatus(const object &status, std::string_view type) {
    for (const auto &c : *json::arrayAt(status, {"conditions"})) {
        if (json::stringAt(c.as_object(), {"type"}) == type) {
            return json::stringAt(c.as_object(), {"status"});
        }
    }
    return "";
}

} // namespace

TEST(KubeletStatus, CreatingContainerIsPendingAndNotReady) {
    PodStatusInput input;
    input.podIP = "127.1.0.5";
    input.containerStatuses = statuses(
        R"([{"name":"app","ready":false,"state":{"waiting":{"reason":"ContainerCreating"}}}])");
    const TimePoint now = std::chrono::system_clock::now();
    const object status = buildPodStatus(podWith(), input, now);
    EXPECT_EQ(json::stringAt(status, {"phase"}), "Pending");
    EXPECT_EQ(conditionStatus(status, "Ready"), "False");
    EXPECT_EQ(conditionStatus(status, "PodScheduled"), "True");
    for (const auto &c : *json::arrayAt(status, {"conditions"})) {
        if (json::stringAt(c.as_object(), {"type"}) == "Ready") {
            EXPECT_EQ(json::stringAt(c.as_object(), {"reason"}), "ContainersNotReady");
            EXPECT_EQ(json::stringAt(c.as_object(), {"message"}),
                      "containers with unready status: [app]");
        }
    }
    EXPECT_EQ(json::stringAt(status, {"podIP"}), "127.1.0.5");
    EXPECT_EQ(json::stringAt(status, {"hostIP"}), "127.0.0.1");
    EXPECT_EQ(json::stringAt(status, {"startTime"}), formatRfc3339(now));
}

TEST(KubeletStatus, RunningReadyAndCrashLoopingPods) {
    PodStatusInput input;
    input.containerStatuses = statuses(
        R"([{"name":"a","ready":true,"state":{"running":{"startedAt":"2026-01-01T00:00:00Z"}}},
            {"name":"b","ready":false,"state":{"waiting":{"reason":"CrashLoopBackOff"}},
             "lastState":{"terminated":{"exitCode":1,"reason":"Error"}}}])");
    const object status = buildPodStatus(podWith(R"([{"name":"a"},{"name":"b"}])"), input,
                                         std::chrono::system_clock::now());
    EXPECT_EQ(json::stringAt(status, {"phase"}), "Running");
    EXPECT_EQ(conditionStatus(status, "Ready"), "False");
    input.containerStatuses = statuses(R"([{"name":"a","ready":true,"state":{"running":{}}}])");
    const object ready = buildPodStatus(podWith(), input, std::chrono::system_clock::now());
    EXPECT_EQ(conditionStatus(ready, "Ready"), "True");
    EXPECT_EQ(conditionStatus(ready, "ContainersReady"), "True");
}

TEST(KubeletStatus, TransitionTimesStayWhileStatusHolds) {
    object pod = podWith();
    pod["status"] = parse(R"({"startTime":"2026-01-01T00:00:00Z","conditions":[
        {"type":"Ready","status":"True","lastTransitionTime":"2026-01-01T00:00:05Z"}]})");
    PodStatusInput input;
    input.containerStatuses = statuses(R"([{"name":"app","ready":true,"state":{"running":{}}}])");
    const object status = buildPodStatus(pod, input, std::chrono::system_clock::now());
    EXPECT_EQ(json::stringAt(status, {"startTime"}), "2026-01-01T00:00:00Z");
    for (const auto &c : *json::arrayAt(status, {"conditions"})) {
        if (json::stringAt(c.as_object(), {"type"}) == "Ready") {
            EXPECT_EQ(json::stringAt(c.as_object(), {"lastTransitionTime"}),
                      "2026-01-01T00:00:05Z");
        }
    }
}

TEST(KubeletStatus, QosClasses) {
    EXPECT_EQ(podQosClass(podWith()), "BestEffort");
    EXPECT_EQ(podQosClass(podWith(R"([{"name":"a","resources":{"requests":{"cpu":"100m"}}}])")),
              "Burstable");
    EXPECT_EQ(
        podQosClass(podWith(R"([{"name":"a","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}])")),
        "Guaranteed");
    EXPECT_EQ(podQosClass(podWith(R"([{"name":"a","resources":{"limits":{"cpu":"1","memory":"1Gi"},
                                      "requests":{"cpu":"500m","memory":"1Gi"}}}])")),
              "Burstable");
}

TEST(KubeletIps, LoopbackAddressesAreUniqueAndStable) {
    PodIpAllocator ips;
    const std::string a = ips.allocate("a");
    const std::string b = ips.allocate("b");
    EXPECT_NE(a, b);
    EXPECT_EQ(ips.allocate("a"), a);
    EXPECT_EQ(a.rfind("127.", 0), 0u);
    EXPECT_NE(a, "127.0.0.1");
    EXPECT_FALSE(ips.reserve("c", a)) << "taken by a";
    EXPECT_TRUE(ips.reserve("c", "127.1.6.7"));
    EXPECT_FALSE(ips.reserve("e", "127.5.6.7")) << "another sandbox's block";
    EXPECT_FALSE(ips.reserve("d", "10.0.0.1"));
    ips.release("a");
    EXPECT_EQ(ips.inUse(), 2u);
}

namespace {

object runningPod(const char *containerState = R"({"running":{}})") {
    object pod = parse(R"({"metadata":{"name":"web-1","uid":"u1"},
        "spec":{"containers":[{"name":"app"}]},"status":{"containerStatuses":[{"name":"app"}]}})");
    auto &s = (*pod["status"].as_object()["containerStatuses"].as_array().begin()).as_object();
    s["state"] = boost::json::parse(containerState);
    return pod;
}

} // namespace

TEST(KubeletLogs, ValidationAndErrorsReadLikeTheApiServer) {
    SystemClock clock;
    PodLogs logs(clock);
    LogRequest request;
    request.tailLines = -1;
    auto bad = logs.open(runningPod(), request);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, 422);

    object two = runningPod();
    two["spec"].as_object()["containers"] = boost::json::parse(R"([{"name":"a"},{"name":"b"}])");
    auto ambiguous = logs.open(two, LogRequest{});
    ASSERT_FALSE(ambiguous.ok());
    EXPECT_EQ(ambiguous.error().message,
              "a container name must be specified for pod web-1, choose one of: [a b]");

    LogRequest unknown;
    unknown.container = "nope";
    auto missing = logs.open(runningPod(), unknown);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().message, "container \"nope\" in pod \"web-1\" is not available");

    auto waiting = logs.open(runningPod(R"({"waiting":{"reason":"ContainerCreating"}})"), {});
    ASSERT_FALSE(waiting.ok());
    EXPECT_EQ(waiting.error().message,
              "container \"app\" in pod \"web-1\" is waiting to start: ContainerCreating");
}

TEST(KubeletLogs, CurrentPreviousTailAndLimit) {
    SystemClock clock;
    PodLogs logs(clock);
    logs.containerStarted("u1", "app");
    logs.append("u1", "app", "first run\n");
    logs.containerStopped("u1", "app");
    logs.containerStarted("u1", "app");
    logs.append("u1", "app", "one\ntwo\nthree");
    object pod = runningPod();
    pod["status"].as_object()["containerStatuses"].as_array()[0].as_object()["lastState"] =
        parse(R"({"terminated":{"exitCode":1,"reason":"Error"}})");

    auto current = logs.open(pod, {});
    ASSERT_TRUE(current.ok());
    EXPECT_EQ(current->text, "one\ntwo\nthree\n");
    LogRequest previous;
    previous.previous = true;
    auto before = logs.open(pod, previous);
    ASSERT_TRUE(before.ok()) << before.message();
    EXPECT_EQ(before->text, "first run\n");
    LogRequest tail;
    tail.tailLines = 2;
    EXPECT_EQ(logs.open(pod, tail)->text, "two\nthree\n");
    LogRequest limit;
    limit.limitBytes = 5;
    EXPECT_EQ(logs.open(pod, limit)->text, "one\nt");
    EXPECT_EQ(logs.lineCount("u1", "app"), 3u);
    EXPECT_EQ(logs.lineCount("u1", "app", true), 1u);
    logs.removePod("u1");
    EXPECT_EQ(logs.lineCount("u1", "app"), 0u);
}

TEST(KubeletLogs, FollowDeliversNewLinesUntilTheContainerStops) {
    SystemClock clock;
    PodLogs logs(clock);
    logs.containerStarted("u1", "app");
    logs.append("u1", "app", "hello");
    std::string got;
    bool ended = false;
    LogRequest follow;
    follow.follow = true;
    auto stream = logs.open(
        runningPod(), follow, [&](std::string_view chunk) { got += chunk; }, [&] { ended = true; });
    ASSERT_TRUE(stream.ok());
    EXPECT_EQ(stream->text, "hello\n");
    EXPECT_FALSE(stream->ended);
    logs.append("u1", "app", "world");
    EXPECT_EQ(got, "world\n");
    logs.containerStopped("u1", "app");
    EXPECT_TRUE(ended);
    logs.append("u1", "app", "late");
    EXPECT_EQ(got, "world\n");
    logs.close(stream->subscription); // harmless after the end
}
