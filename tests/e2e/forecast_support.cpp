#include "forecast_support.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace e2e {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const json::value *child(const json::value &v, std::string_view key) {
    const auto *object = v.if_object();
    return object == nullptr ? nullptr : object->if_contains(key);
}

std::string stringAt(const json::value &v, std::initializer_list<std::string_view> path) {
    const json::value *at = &v;
    for (auto key : path) {
        at = child(*at, key);
        if (at == nullptr) {
            return {};
        }
    }
    const auto *s = at->if_string();
    return s == nullptr ? std::string() : std::string(*s);
}

// "/proc/net/tcp" local address of ip:port as the kernel prints it ("0100007F:1388").
std::string procNetAddress(const std::string &ip, std::uint16_t port) {
    in_addr addr{};
    if (inet_pton(AF_INET, ip.c_str(), &addr) != 1) {
        return {};
    }
    char text[32];
    // The address is printed as the host-order integer of the network-order bytes.
    std::snprintf(text, sizeof text, "%08X:%04X", addr.s_addr, port);
    return text;
}

} // namespace

std::string checkPredictAnswer(const std::string &text) {
    boost::system::error_code ec;
    const json::value answer = json::parse(text, ec);
    if (ec) {
        return "not JSON (" + ec.message() + "): " + text;
    }
    if (stringAt(answer, {"store"}) != "3" || stringAt(answer, {"item"}) != "17") {
        return "store/item not echoed: " + text;
    }
    if (stringAt(answer, {"model_version"}).empty()) {
        return "no model_version: " + text;
    }
    const auto *forecast = child(answer, "forecast");
    if (forecast == nullptr || !forecast->is_array() || forecast->as_array().size() != 7) {
        return "forecast is not 7 days: " + text;
    }
    for (const auto &day : forecast->as_array()) {
        const auto *mean = child(day, "mean");
        const auto *quantiles = child(day, "quantiles");
        if (mean == nullptr || !mean->is_number() || stringAt(day, {"date"}).empty() ||
            quantiles == nullptr || !quantiles->is_object() || quantiles->as_object().size() != 3 ||
            !quantiles->as_object().contains("0.5")) {
            return "a forecast day lacks date, mean or the quantiles 0.1/0.5/0.9: " + text;
        }
    }
    return {};
}

pid_t listeningProcess(const std::string &ip, std::uint16_t port) {
    const std::string wanted = procNetAddress(ip, port);
    std::ifstream table("/proc/net/tcp");
    std::string line;
    std::string inode;
    std::getline(table, line); // header
    while (std::getline(table, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, node;
        fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
            timeout >> node;
        if (local == wanted && state == "0A") { // 0A: LISTEN
            inode = node;
            break;
        }
    }
    if (inode.empty()) {
        return -1;
    }
    const std::string target = "socket:[" + inode + "]";
    std::error_code ec;
    for (const auto &process : fs::directory_iterator("/proc", ec)) {
        const std::string name = process.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        std::error_code fdError;
        for (const auto &fd : fs::directory_iterator(process.path() / "fd", fdError)) {
            std::error_code linkError;
            if (fs::read_symlink(fd.path(), linkError).string() == target) {
                return static_cast<pid_t>(std::stol(name));
            }
        }
    }
    return -1;
}

ForecastTest::ForecastTest(double timeScale)
    : sandbox(Sandbox::Options{timeScale, {}, freeLoopbackAddress(kForecastNodePort)}) {}

void ForecastTest::SetUp() {
    E2E_REQUIRE_KUBECTL();
    ASSERT_FALSE(sandbox.options().nodeIp.empty())
        << "no free 127.0.0.N address with port " << kForecastNodePort << " available";
    E2E_START_SANDBOX(sandbox);
    m_nodeIp = sandbox.nodeInternalIp();
    ASSERT_EQ(m_nodeIp, sandbox.options().nodeIp)
        << "the Node's InternalIP is not the --node-ip the sandbox was started with";
    auto apply = sandbox.kubectl({"apply", "-f", sourcePath("manifests/k8s").string()});
    ASSERT_TRUE(apply.ok()) << "kubectl apply -f manifests/k8s/\n" << apply.describe();
    applyOutput = apply.out;
}

RunResult ForecastTest::kubectl(const std::vector<std::string> &args,
                                std::chrono::milliseconds timeout) const {
    std::vector<std::string> all{"-n", kForecastNamespace};
    all.insert(all.end(), args.begin(), args.end());
    return sandbox.kubectl(all, timeout);
}

std::string ForecastTest::kubectlOk(const std::vector<std::string> &args,
                                    std::chrono::milliseconds timeout) const {
    std::vector<std::string> all{"-n", kForecastNamespace};
    all.insert(all.end(), args.begin(), args.end());
    return sandbox.kubectlOk(all, timeout);
}

std::string ForecastTest::jsonpath(const std::string &what, const std::string &path) const {
    auto result = kubectl({"get", what, "-o", "jsonpath=" + path});
    return result.ok() ? result.out : "error: " + result.err;
}

std::vector<ForecastPod> ForecastTest::pods() const {
    std::vector<ForecastPod> out;
    auto result = kubectl({"get", "pods", "-l", kForecastSelector, "-o", "json"});
    if (!result.ok()) {
        return out;
    }
    boost::system::error_code ec;
    const json::value list = json::parse(result.out, ec);
    const auto *items = ec ? nullptr : child(list, "items");
    if (items == nullptr || !items->is_array()) {
        return out;
    }
    for (const auto &item : items->as_array()) {
        ForecastPod pod;
        pod.name = stringAt(item, {"metadata", "name"});
        pod.deleting = !stringAt(item, {"metadata", "deletionTimestamp"}).empty();
        pod.ip = stringAt(item, {"status", "podIP"});
        pod.phase = stringAt(item, {"status", "phase"});
        const auto *spec = child(item, "spec");
        const auto *containers = spec == nullptr ? nullptr : child(*spec, "containers");
        if (containers != nullptr && containers->is_array() && !containers->as_array().empty()) {
            pod.image = stringAt(containers->as_array()[0], {"image"});
        }
        const auto *status = child(item, "status");
        const auto *conditions = status == nullptr ? nullptr : child(*status, "conditions");
        if (conditions != nullptr && conditions->is_array()) {
            for (const auto &condition : conditions->as_array()) {
                if (stringAt(condition, {"type"}) == "Ready") {
                    pod.ready = stringAt(condition, {"status"}) == "True";
                }
            }
        }
        const auto *statuses = status == nullptr ? nullptr : child(*status, "containerStatuses");
        if (statuses != nullptr && statuses->is_array() && !statuses->as_array().empty()) {
            const auto &first = statuses->as_array()[0];
            if (const auto *restarts = child(first, "restartCount");
                restarts != nullptr && restarts->is_int64()) {
                pod.restartCount = static_cast<int>(restarts->as_int64());
            }
            pod.waitingReason = stringAt(first, {"state", "waiting", "reason"});
        }
        out.push_back(std::move(pod));
    }
    return out;
}

std::vector<ForecastPod> ForecastTest::readyPods() const {
    std::vector<ForecastPod> out;
    for (auto &pod : pods()) {
        if (pod.ready && !pod.deleting) {
            out.push_back(std::move(pod));
        }
    }
    return out;
}

bool ForecastTest::waitForReadyPods(std::size_t count, std::chrono::milliseconds timeout) const {
    return waitUntil(
        [&] {
            const auto all = pods();
            if (all.size() != count) {
                return false;
            }
            for (const auto &pod : all) {
                if (!pod.ready || pod.deleting) {
                    return false;
                }
            }
            return true;
        },
        timeout, std::chrono::milliseconds(300));
}

RunResult ForecastTest::rolloutStatus(std::chrono::seconds timeout) const {
    return kubectl({"rollout", "status", std::string("deploy/") + kForecastDeployment,
                    "--timeout=" + std::to_string(timeout.count()) + "s"},
                   timeout + std::chrono::seconds(30));
}

void ForecastTest::removeAutoscaler() const {
    kubectlOk({"delete", "hpa", kForecastDeployment});
    // Back to the manifest's count in case the HPA had already changed it.
    kubectlOk({"scale", std::string("deploy/") + kForecastDeployment, "--replicas=3"});
}

HttpResponse ForecastTest::predictThroughNodePort() const {
    return httpRequest(m_nodeIp, kForecastNodePort, "POST", "/predict", kPredictBody);
}

LoadGenerator::Options ForecastTest::nodePortLoad() const {
    LoadGenerator::Options options;
    options.host = m_nodeIp;
    options.port = kForecastNodePort;
    options.body = kPredictBody;
    return options;
}

std::string ForecastTest::diagnostics() const {
    std::ostringstream text;
    for (const auto &args : std::vector<std::vector<std::string>>{
             {"get", "deploy,rs,pods,svc,endpoints,hpa", "-o", "wide"},
             {"get", "events", "--sort-by=.lastTimestamp"}}) {
        auto result = kubectl(args);
        text << "--- kubectl";
        for (const auto &a : args) {
            text << ' ' << a;
        }
        text << " ---\n" << result.out << result.err;
    }
    const std::string log = sandbox.log();
    const std::size_t tail = log.size() > 6000 ? log.size() - 6000 : 0;
    text << "--- sandbox log (tail) ---\n" << log.substr(tail);
    return text.str();
}

} // namespace e2e
