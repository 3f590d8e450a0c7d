// The process runtime behind a real Kubelet and ResourceService: pods whose images the
// table maps to small shell/python programs run as local processes on their pod IP, crash
// into CrashLoopBackOff with previous logs, take env from ConfigMaps and Secrets (or wait in
// CreateContainerConfigError), get SIGTERM then SIGKILL at the end of their grace period, are
// OOMKilled above their memory limit, and leave no process behind.
#include "controller_test_env.h"

#include "controllers/deployment_util.h"
#include "kubelet/kubelet.h"
#include "kubelet/process_runtime.h"

#include <boost/json/array.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

using namespace sandbox;
using namespace sandbox::testenv;
using boost::json::object;
using namespace std::chrono_literals;

namespace {

// Images of the tests: argv[0] "/bin/sh -c" with the script as CMD, so a pod's `args`
// (["-c", "..."]) replace the script as Kubernetes replaces CMD.
constexpr const char *kImages = R"(
- pattern: "test/http*"
  mode: process
  command: ["/bin/sh", "-c", "exec python3 -u -m http.server \"$PORT\" --bind \"$HOST\""]
  env: {HOST: "${POD_IP}", IMAGE_TAG: "${TAG}"}
- pattern: "test/sh*"
  mode: process
  command: ["/bin/sh", "-c", "echo no script given"]
)";

bool alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text);
    const auto close = text.rfind(')');
    return close != std::string::npos && text[close + 2] != 'Z';
}

int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

// One plain HTTP/1.0 GET; the raw response ("" when the connection fails).
std::string httpGet(const std::string &ip, int port, const std::string &path) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, ip.c_str(), &addr.sin_addr);
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return {};
    }
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: " + ip + "\r\n\r\n";
    [[maybe_unused]] auto sent = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string response;
    char buffer[4096];
    for (ssize_t got; (got = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
        response.append(buffer, static_cast<std::size_t>(got));
    }
    ::close(fd);
    return response;
}

class ProcessPods : public testing::Test {
protected:
    ProcessPods() { clock.setTimeScale(20); }

    void SetUp() override {
        std::string pattern = (std::filesystem::temp_directory_path() / "rf-pods-XXXXXX").string();
        dir = ::mkdtemp(pattern.data());
        ASSERT_TRUE(store.load().ok());
        service = std::make_unique<ResourceService>(store, ResourceRegistry::builtin(), clock);
        write.fieldManager = "kubectl-client-side-apply";
        ASSERT_TRUE(
            service->create(namespaces(), "", parse(R"({"metadata":{"name":"demo"}})"), write)
                .ok());
        auto table = ImageTable::fromText(kImages);
        ASSERT_TRUE(table.ok()) << table.message();
        images = std::make_unique<ImageTable>(std::move(table.value()));
        startKubelet();
    }
    void TearDown() override {
        if (kubelet) {
            kubelet->stopKubelet();
        }
        kubelet.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    void startKubelet() {
        kubelet = std::make_unique<Kubelet>(*service, logs, metrics, *images, dir / "state");
        auto process = std::make_unique<ProcessRuntime>(kubelet->runtimeContext());
        runtime = process.get();
        kubelet->addRuntime(std::move(process));
        kubelet->startKubelet();
    }

    object pod(const std::string &name, const std::string &image, const std::string &extra = "{}") {
        object p = parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},
            "spec":{"terminationGracePeriodSeconds":30,
                    "containers":[{"name":"app","image":"x"}]}})");
        p["metadata"].as_object()["name"] = name;
        object &c = p["spec"].as_object()["containers"].as_array()[0].as_object();
        c["image"] = image;
        for (const auto &[k, v] : parse(extra)) {
            if (k == "restartPolicy" || k == "terminationGracePeriodSeconds") {
                p["spec"].as_object()[k] = v;
            } else {
                c[k] = v;
            }
        }
        return p;
    }
    object script(const std::string &name, const std::string &text,
                  const std::string &extra = "{}") {
        object p = pod(name, "test/sh:1", extra);
        p["spec"].as_object()["containers"].as_array()[0].as_object()["args"] =
            boost::json::array{"-c", text};
        return p;
    }
    object create(const ResourceType &t, object body) {
        auto created = service->create(t, "demo", std::move(body), write);
        EXPECT_TRUE(created.ok()) << created.message();
        return created.ok() ? created.value() : object();
    }
    object podNow(const std::string &name) {
        auto found = service->get(pods(), "demo", name);
        return found ? found.value() : object();
    }
    object containerStatus(const std::string &name) {
        const object p = podNow(name);
        const auto *statuses = json::arrayAt(p, {"status", "containerStatuses"});
        return statuses && !statuses->empty() ? (*statuses)[0].as_object() : object();
    }
    std::string logText(const std::string &name, bool previous = false) {
        LogRequest request;
        request.previous = previous;
        auto opened = logs.open(podNow(name), request);
        return opened ? opened->text : "<" + opened.error().message + ">";
    }
    bool hasEvent(const std::string &reason, const std::string &text) {
        auto listed = service->list(events(), "demo", ListOptions{});
        for (const auto &e : listed ? listed->items : std::vector<object>{}) {
            if (json::stringAt(e, {"reason"}) == reason &&
                json::stringAt(e, {"message"}).find(text) != std::string::npos) {
                return true;
            }
        }
        return false;
    }
    void removePod(const std::string &name, std::optional<std::int64_t> grace = std::nullopt) {
        DeleteOptions options;
        options.gracePeriodSeconds = grace;
        ASSERT_TRUE(service->remove(pods(), "demo", name, options).ok());
    }
    std::optional<pid_t> pidOf(const std::string &name) {
        return runtime->containerPid(json::stringAt(podNow(name), {"metadata", "uid"}), "app");
    }

    SystemClock clock;
    ObjectStore store{{}, ResourceRegistry::builtin(), clock};
    std::unique_ptr<ResourceService> service;
    WriteOptions write;
    PodLogs logs{clock};
    PodMetricsStore metrics;
    std::unique_ptr<ImageTable> images;
    std::unique_ptr<Kubelet> kubelet;
    ProcessRuntime *runtime = nullptr;
    std::filesystem::path dir;
};

} // namespace

TEST_F(ProcessPods, APodRunsAsAProcessListeningOnItsOwnPodIp) {
    const int port = freePort();
    create(type("", "v1", "configmaps"),
           parse(R"({"metadata":{"name":"web-config"},"data":{"PORT":")" + std::to_string(port) +
                 R"("}})"));
    create(pods(), pod("web", "test/http:v3",
                       R"({
        "envFrom":[{"configMapRef":{"name":"web-config"}}],
        "ports":[{"name":"http","containerPort":)" +
                           std::to_string(port) + R"(}],
        "readinessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":1}})"));
    ASSERT_TRUE(waitUntil([&] { return deployment::podReady(podNow("web")); }, 90s))
        << boost::json::serialize(podNow("web"));
    const object p = podNow("web");
    EXPECT_EQ(json::stringAt(p, {"status", "phase"}), "Running");
    const std::string ip = json::stringAt(p, {"status", "podIP"});
    ASSERT_EQ(ip.rfind("127.", 0), 0u) << ip;
    const object status = containerStatus("web");
    EXPECT_EQ(json::boolAt(status, {"started"}), true);
    EXPECT_EQ(json::stringAt(status, {"containerID"}).rfind("containerd://", 0), 0u);
    EXPECT_FALSE(json::stringAt(status, {"state", "running", "startedAt"}).empty());

    // A real server on the pod IP (and only there: 127.0.0.1 has nothing on that port).
    EXPECT_EQ(httpGet(ip, port, "/").rfind("HTTP/1.0 200", 0), 0u);
    EXPECT_TRUE(httpGet("127.0.0.1", port, "/").empty());
    EXPECT_TRUE(waitUntil([&] {
        return logText("web").find("\"GET / HTTP/1.0\" 200") != std::string::npos;
    })) << logText("web");
    EXPECT_TRUE(hasEvent("Created", "Created container: app"));
    EXPECT_TRUE(hasEvent("Started", "Started container app"));
    // Usage from /proc reaches the metrics store.
    EXPECT_TRUE(waitUntil([&] {
        auto usage = metrics.pod("demo", "web");
        return usage && usage->memoryBytes() > 1024 * 1024;
    })) << "no metrics";
}

TEST_F(ProcessPods, ACrashingContainerRestartsIntoCrashLoopBackOffWithPreviousLogs) {
    create(pods(), script("crasher", "echo \"starting\"; echo \"fatal: boom\" >&2; exit 3"));
    ASSERT_TRUE(waitUntil(
        [&] {
            return json::stringAt(containerStatus("crasher"), {"state", "waiting", "reason"}) ==
                   "CrashLoopBackOff";
        },
        90s))
        << boost::json::serialize(podNow("crasher"));
    const object p = podNow("crasher");
    const object status = containerStatus("crasher");
    EXPECT_GE(json::intAt(status, {"restartCount"}).value_or(0), 1);
    const std::string uid = json::stringAt(p, {"metadata", "uid"});
    EXPECT_EQ(json::stringAt(status, {"state", "waiting", "message"}).find("back-off "), 0u);
    EXPECT_NE(json::stringAt(status, {"state", "waiting", "message"})
                  .find("s restarting failed container=app pod=crasher_demo(" + uid + ")"),
              std::string::npos)
        << boost::json::serialize(status);
    EXPECT_EQ(json::intAt(status, {"lastState", "terminated", "exitCode"}), 3);
    EXPECT_EQ(json::stringAt(status, {"lastState", "terminated", "reason"}), "Error");
    EXPECT_FALSE(json::stringAt(status, {"lastState", "terminated", "finishedAt"}).empty());
    EXPECT_EQ(json::boolAt(status, {"ready"}), false);
    EXPECT_NE(logText("crasher").find("fatal: boom"), std::string::npos) << logText("crasher");
    EXPECT_TRUE(hasEvent(
        "BackOff", "Back-off restarting failed container app in pod crasher_demo(" + uid + ")"));
    // The back-off ends and the container runs again: the count keeps going up.
    const auto before = json::intAt(status, {"restartCount"}).value_or(0);
    EXPECT_TRUE(waitUntil(
        [&] {
            return json::intAt(containerStatus("crasher"), {"restartCount"}).value_or(0) > before;
        },
        90s));
    EXPECT_NE(logText("crasher", true).find("fatal: boom"), std::string::npos);
}

TEST_F(ProcessPods, RestartPolicyNeverAndOnFailureLetContainersFinish) {
    create(pods(), script("once", "echo done; exit 0", R"({"restartPolicy":"Never"})"));
    create(pods(), script("fails", "exit 4", R"({"restartPolicy":"Never"})"));
    create(pods(), script("retry-ok", "exit 0", R"({"restartPolicy":"OnFailure"})"));
    ASSERT_TRUE(waitUntil(
        [&] {
            return json::stringAt(podNow("once"), {"status", "phase"}) == "Succeeded" &&
                   json::stringAt(podNow("fails"), {"status", "phase"}) == "Failed" &&
                   json::stringAt(podNow("retry-ok"), {"status", "phase"}) == "Succeeded";
        },
        90s))
        << boost::json::serialize(podNow("fails"));
    EXPECT_EQ(json::stringAt(containerStatus("once"), {"state", "terminated", "reason"}),
              "Completed");
    EXPECT_EQ(json::intAt(containerStatus("fails"), {"state", "terminated", "exitCode"}), 4);
    EXPECT_EQ(json::intAt(containerStatus("fails"), {"restartCount"}), 0);
    EXPECT_NE(logText("once").find("done"), std::string::npos);
}

TEST_F(ProcessPods, EnvComesFromConfigMapsAndSecretsAndAMissingOneIsAConfigError) {
    create(pods(), script("envy", "echo \"greeting=$GREETING token=$TOKEN\"; exec sleep 600", R"({
        "env":[{"name":"GREETING","valueFrom":{"configMapKeyRef":{"name":"settings","key":"greeting"}}},
               {"name":"TOKEN","valueFrom":{"secretKeyRef":{"name":"creds","key":"token"}}}]})"));
    ASSERT_TRUE(waitUntil(
        [&] {
            return json::stringAt(containerStatus("envy"), {"state", "waiting", "reason"}) ==
                   "CreateContainerConfigError";
        },
        60s))
        << boost::json::serialize(podNow("envy"));
    EXPECT_EQ(json::stringAt(containerStatus("envy"), {"state", "waiting", "message"}),
              "configmap \"settings\" not found");
    EXPECT_TRUE(hasEvent("Failed", "Error: configmap \"settings\" not found"));

    create(type("", "v1", "configmaps"),
           parse(R"({"metadata":{"name":"settings"},"data":{"greeting":"hello"}})"));
    create(type("", "v1", "secrets"),
           parse(R"({"metadata":{"name":"creds"},"data":{"token":"czNjcjN0"}})")); // s3cr3t
    ASSERT_TRUE(waitUntil(
        [&] { return logText("envy").find("greeting=hello token=s3cr3t") != std::string::npos; },
        90s))
        << logText("envy") << boost::json::serialize(podNow("envy"));
    EXPECT_EQ(json::stringAt(podNow("envy"), {"status", "phase"}), "Running");
}

TEST_F(ProcessPods, DeletionSendsSigtermAndSigkillsAtTheEndOfTheGracePeriod) {
    // Ignores SIGTERM (and so do its children, which inherit the disposition).
    create(pods(), script("stubborn",
                          "trap 'echo got SIGTERM, ignoring' TERM; echo up; "
                          "while :; do sleep 0.1; done",
                          R"({"terminationGracePeriodSeconds":100})"));
    ASSERT_TRUE(waitUntil([&] { return deployment::podReady(podNow("stubborn")); }, 90s));
    ASSERT_TRUE(waitUntil([&] { return logText("stubborn").find("up") != std::string::npos; }));
    const auto pid = pidOf("stubborn");
    ASSERT_TRUE(pid.has_value());
    removePod("stubborn");
    // SIGTERM arrives first and the process survives it, inside the grace period
    // (100 s at time scale 20 = 5 s).
    ASSERT_TRUE(waitUntil([&] {
        return logText("stubborn").find("got SIGTERM") != std::string::npos;
    })) << logText("stubborn");
    EXPECT_TRUE(hasEvent("Killing", "Stopping container app"));
    // Then SIGKILL: the process is gone and the kubelet removes the pod.
    EXPECT_TRUE(waitUntil([&] { return !service->get(pods(), "demo", "stubborn").ok(); }, 90s));
    EXPECT_FALSE(alive(*pid));
}

TEST_F(ProcessPods, PreStopHookRunsBeforeSigterm) {
    // Both run in the container's workingDir (a directory of this machine, so it is used):
    // the hook leaves hook.txt, the SIGTERM trap records whether it was already there.
    const auto work = dir / "work";
    std::filesystem::create_directories(work);
    object p = script("hooked",
                      "trap 'if [ -f hook.txt ]; then echo hook-first; else echo no-hook; fi "
                      "> order.txt; exit 0' TERM; while :; do sleep 0.1; done",
                      R"({"lifecycle":{"preStop":{"exec":{"command":
                          ["/bin/sh","-c","sleep 0.3; echo ran > hook.txt"]}}}})");
    p["spec"].as_object()["containers"].as_array()[0].as_object()["workingDir"] = work.string();
    create(pods(), p);
    ASSERT_TRUE(waitUntil([&] { return deployment::podReady(podNow("hooked")); }, 90s));
    removePod("hooked");
    ASSERT_TRUE(waitUntil([&] { return !service->get(pods(), "demo", "hooked").ok(); }, 60s));
    std::string order;
    std::ifstream(work / "order.txt") >> order;
    std::string listing;
    for (const auto &entry : std::filesystem::directory_iterator(work)) {
        listing += entry.path().filename().string() + " ";
    }
    EXPECT_EQ(order, "hook-first") << "in " << work << ": " << listing;
    EXPECT_TRUE(hasEvent("Killing", "Stopping container app"));
}

TEST_F(ProcessPods, AContainerAboveItsMemoryLimitIsOomKilled) {
    create(pods(), script("hog",
                          "echo allocating; exec python3 -c \"import time; b = b'x' * (300 << 20); "
                          "time.sleep(600)\"",
                          R"({"restartPolicy":"Never","resources":{"limits":{"memory":"64Mi"}}})"));
    ASSERT_TRUE(waitUntil(
        [&] {
            return json::objectAt(containerStatus("hog"), {"state", "terminated"}) != nullptr;
        },
        90s))
        << boost::json::serialize(podNow("hog"));
    const object status = containerStatus("hog");
    EXPECT_EQ(json::stringAt(status, {"state", "terminated", "reason"}), "OOMKilled");
    EXPECT_EQ(json::intAt(status, {"state", "terminated", "exitCode"}), 137);
    EXPECT_EQ(json::stringAt(podNow("hog"), {"status", "phase"}), "Failed");
}

TEST_F(ProcessPods, DeletingAPodAndStoppingTheKubeletLeaveNoProcessBehind) {
    create(pods(), script("short", "sleep 600 & wait"));
    create(pods(), script("long", "sleep 600 & wait"));
    ASSERT_TRUE(waitUntil(
        [&] {
            return deployment::podReady(podNow("short")) && deployment::podReady(podNow("long"));
        },
        90s));
    const auto shortPid = pidOf("short");
    const auto longPid = pidOf("long");
    ASSERT_TRUE(shortPid && longPid);
    removePod("short");
    EXPECT_TRUE(waitUntil([&] { return !service->get(pods(), "demo", "short").ok(); }, 60s));
    EXPECT_FALSE(alive(*shortPid));
    EXPECT_EQ(killSession(*shortPid), 0); // the background sleep went too

    kubelet->stopKubelet();
    EXPECT_FALSE(alive(*longPid));
    EXPECT_EQ(killSession(*longPid), 0);
}

TEST_F(ProcessPods, ARestartedKubeletRestartsContainersWhoseProcessesAreGone) {
    create(pods(), script("survivor", "echo run; exec sleep 600"));
    ASSERT_TRUE(waitUntil([&] { return deployment::podReady(podNow("survivor")); }, 90s));
    const auto first = pidOf("survivor");
    ASSERT_TRUE(first.has_value());
    kubelet->stopKubelet(); // like a sandbox stop: every process ends with it
    kubelet.reset();
    EXPECT_FALSE(alive(*first));

    startKubelet();
    ASSERT_TRUE(waitUntil(
        [&] {
            return json::intAt(containerStatus("survivor"), {"restartCount"}).value_or(0) == 1 &&
                   deployment::podReady(podNow("survivor"));
        },
        90s))
        << boost::json::serialize(podNow("survivor"));
    EXPECT_EQ(json::stringAt(containerStatus("survivor"), {"lastState", "terminated", "reason"}),
              "Unknown");
    EXPECT_TRUE(hasEvent("SandboxChanged", "Pod sandbox changed"));
    // The run before the restart is kept from its log file.
    EXPECT_NE(logText("survivor", true).find("run"), std::string::npos)
        << logText("survivor", true);
    const auto second = pidOf("survivor");
    ASSERT_TRUE(second.has_value());
    EXPECT_NE(*second, *first);
}

TEST_F(ProcessPods, AFailingLivenessProbeRestartsTheContainer) {
    const int port = freePort();
    create(pods(), script("unwell", "exec sleep 600",
                          R"({
        "terminationGracePeriodSeconds":1,
        "livenessProbe":{"tcpSocket":{"port":)" +
                              std::to_string(port) + R"(},
                         "periodSeconds":1,"failureThreshold":2}})"));
    ASSERT_TRUE(waitUntil(
        [&] { return json::intAt(containerStatus("unwell"), {"restartCount"}).value_or(0) >= 1; },
        90s))
        << boost::json::serialize(podNow("unwell"));
    EXPECT_TRUE(hasEvent("Killing", "Container app failed liveness probe, will be restarted"));
    EXPECT_TRUE(hasEvent("Unhealthy", "Liveness probe failed"));
}
