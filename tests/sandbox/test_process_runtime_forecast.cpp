// The built-in image table through the whole ControllerManager: `retail-forecast` images run
// the built forecast-api on the pod IP with a model trained for their tag (v1 and v2 serve
// different model versions), and `:broken` is a bad release that crash-loops with the reason
// in its logs.
#include "controller_test_env.h"

#include "controllers/deployment_util.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace sandbox;
using namespace sandbox::testenv;
using boost::json::object;
using namespace std::chrono_literals;

namespace {

const std::filesystem::path kBinDir = RF_BIN_DIR;

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

// The JSON body of a plain HTTP GET (empty object when it fails).
object getJson(const std::string &ip, int port, const std::string &path) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, ip.c_str(), &addr.sin_addr);
    timeval timeout{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string response;
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0) {
        const std::string request =
            "GET " + path + " HTTP/1.1\r\nHost: " + ip + "\r\nConnection: close\r\n\r\n";
        [[maybe_unused]] auto sent = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
        char buffer[8192];
        for (ssize_t got; (got = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
            response.append(buffer, static_cast<std::size_t>(got));
        }
    }
    ::close(fd);
    const auto body = response.find("\r\n\r\n");
    if (body == std::string::npos) {
        return {};
    }
    boost::system::error_code ec;
    auto value = boost::json::parse(response.substr(body + 4), ec);
    return !ec && value.is_object() ? value.as_object() : object();
}

class ForecastPods : public Cluster {
protected:
    ForecastPods() {
        std::string pattern = (std::filesystem::temp_directory_path() / "rf-fc-XXXXXX").string();
        m_dir = ::mkdtemp(pattern.data());
    }
    ~ForecastPods() override {
        if (manager) {
            manager->stop();
        }
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
    void SetUp() override {
        if (!std::filesystem::exists(kBinDir / "forecast-api") ||
            !std::filesystem::exists(kBinDir / "forecast-train")) {
            GTEST_SKIP() << "build forecast-api and forecast-train first (" << kBinDir << ")";
        }
        Cluster::SetUp();
        port = freePort();
        // Written for a real cluster: HOST and MODEL_PATH mean other things here, and the
        // image rule's values win (docs/sandbox-images.md).
        create(
            type("", "v1", "configmaps"),
            parse(R"({"metadata":{"name":"forecast-config"},"data":{"PORT":")" +
                  std::to_string(port) +
                  R"(","HOST":"0.0.0.0","LOG_LEVEL":"info","MODEL_PATH":"/models/model.json"}})"));
    }
    ControllerManagerOptions options() override {
        ControllerManagerOptions o;
        o.stateDir = m_dir;
        return o;
    }
    object forecastPod(const std::string &name, const std::string &tag) {
        object p = parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},
          "spec":{"containers":[{"name":"app","image":"x",
            "envFrom":[{"configMapRef":{"name":"forecast-config"}}],
            "readinessProbe":{"httpGet":{"path":"/ready","port":"http"},"periodSeconds":2}}]}})");
        p["metadata"].as_object()["name"] = name;
        object &c = p["spec"].as_object()["containers"].as_array()[0].as_object();
        c["image"] = "ghcr.io/acme/retail-forecast:" + tag;
        c["ports"] = boost::json::array{object{{"name", "http"}, {"containerPort", port}}};
        return p;
    }
    object podNow(const std::string &name) { return get(pods(), name).value_or(object{}); }
    std::string logText(const std::string &name, bool previous) {
        LogRequest request;
        request.previous = previous;
        auto opened = manager->podLogs().open(podNow(name), request);
        return opened ? opened->text : "<" + opened.error().message + ">";
    }

    int port = 0;
    std::filesystem::path m_dir;
};

} // namespace

TEST_F(ForecastPods, EachTagServesItsOwnModelOnThePodIp) {
    create(pods(), forecastPod("api-v1", "v1"));
    create(pods(), forecastPod("api-v2", "v2"));
    ASSERT_TRUE(waitUntil(
        [&] {
            return deployment::podReady(podNow("api-v1")) && deployment::podReady(podNow("api-v2"));
        },
        180s))
        << dump(pods());
    const std::string ip1 = json::stringAt(podNow("api-v1"), {"status", "podIP"});
    const std::string ip2 = json::stringAt(podNow("api-v2"), {"status", "podIP"});
    ASSERT_NE(ip1, ip2);
    const object model1 = getJson(ip1, port, "/model");
    const object model2 = getJson(ip2, port, "/model");
    EXPECT_EQ(json::stringAt(model1, {"app_version"}), "v1");
    EXPECT_EQ(json::stringAt(model2, {"app_version"}), "v2");
    EXPECT_FALSE(json::stringAt(model1, {"version"}).empty());
    EXPECT_NE(json::stringAt(model1, {"version"}), json::stringAt(model2, {"version"}));
    EXPECT_TRUE(std::filesystem::exists(m_dir / "models" / "v1.model"));
    EXPECT_TRUE(std::filesystem::exists(m_dir / "models" / "v2.model"));
    // The process runtime publishes usage for the HPA and metrics.k8s.io.
    EXPECT_TRUE(waitUntil([&] {
        auto usage = manager->podMetrics().pod("demo", "api-v1");
        return usage && usage->memoryBytes() > 0;
    }));
}

TEST_F(ForecastPods, TheBrokenTagCrashLoopsAndSaysWhy) {
    create(pods(), forecastPod("api-broken", "broken"));
    ASSERT_TRUE(waitUntil(
        [&] {
            const object p = podNow("api-broken");
            const auto *statuses = json::arrayAt(p, {"status", "containerStatuses"});
            return statuses && !statuses->empty() &&
                   json::stringAt((*statuses)[0].as_object(), {"state", "waiting", "reason"}) ==
                       "CrashLoopBackOff";
        },
        120s))
        << dump(pods());
    const object status =
        (*json::arrayAt(podNow("api-broken"), {"status", "containerStatuses"}))[0].as_object();
    EXPECT_EQ(json::intAt(status, {"lastState", "terminated", "exitCode"}), 2);
    const std::string previous = logText("api-broken", true);
    const std::string current = logText("api-broken", false);
    EXPECT_NE((previous + current).find("LOG_LEVEL"), std::string::npos) << previous << current;
}
