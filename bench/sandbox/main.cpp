// sandbox-bench: list, watch and write load against a forecast-sandbox (issue 3).
// Starts its own sandbox (or attaches with --kubeconfig), creates 5,000 pods, times LISTs as
// JSON and as Table, then runs 100 watches while pods are patched at 1,000/s and checks that
// every watcher saw every update. Prints one table; exits 1 on any failed request or lost event.
#include "bench_http.h"
#include "sandbox_process.h"

#include <boost/json.hpp>
#include <curl/curl.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <unistd.h>

namespace bj = boost::json;
using namespace rf::bench;

namespace {

struct Options {
    std::string sandboxBinary;
    std::string kubeconfig;
    pid_t attachPid = -1;
    std::size_t pods = 5000;
    int lists = 20;
    int watchers = 100;
    int rate = 1000;
    int seconds = 10;
    int timeScale = 20;
    int readyWaitSeconds = 60;
};

[[noreturn]] void usage(int code) {
    std::fprintf(code ? stderr : stdout,
                 "usage: sandbox-bench [--sandbox PATH] [--kubeconfig FILE [--pid PID]]\n"
                 "  [--pods 5000] [--lists 20] [--watchers 100] [--rate 1000] [--seconds 10]\n"
                 "  [--time-scale 20] [--ready-wait 60]\n"
                 "Without --kubeconfig it starts PATH (default: forecast-sandbox next to this\n"
                 "binary) with a temporary state directory and stops it at the end.\n");
    std::exit(code);
}

Options parseOptions(int argc, char **argv) {
    Options options;
    std::error_code ignored;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ignored);
    options.sandboxBinary = (self.parent_path() / "forecast-sandbox").string();
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i];
        if (flag == "--help" || flag == "-h")
            usage(0);
        if (i + 1 >= argc)
            usage(2);
        std::string value = argv[++i];
        auto number = [&] { return std::atoi(value.c_str()); };
        if (flag == "--sandbox")
            options.sandboxBinary = value;
        else if (flag == "--kubeconfig")
            options.kubeconfig = value;
        else if (flag == "--pid")
            options.attachPid = number();
        else if (flag == "--pods")
            options.pods = static_cast<std::size_t>(number());
        else if (flag == "--lists")
            options.lists = number();
        else if (flag == "--watchers")
            options.watchers = number();
        else if (flag == "--rate")
            options.rate = number();
        else if (flag == "--seconds")
            options.seconds = number();
        else if (flag == "--time-scale")
            options.timeScale = number();
        else if (flag == "--ready-wait")
            options.readyWaitSeconds = number();
        else
            usage(2);
    }
    if (options.pods == 0 || options.lists <= 0 || options.watchers <= 0 || options.rate <= 0 ||
        options.seconds <= 0)
        usage(2);
    return options;
}

const char *kNamespace = "sandbox-bench";
const char *kSeqKey = "bench.retail-forecast/seq";
const char *kTableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

std::string podName(std::size_t i) {
    char name[32];
    std::snprintf(name, sizeof name, "bench-%05zu", i);
    return name;
}

std::string podBody(std::size_t i) {
    bj::object pod{
        {"apiVersion", "v1"},
        {"kind", "Pod"},
        {"metadata", {{"name", podName(i)}, {"labels", {{"app", "sandbox-bench"}}}}},
        {"spec",
         {{"containers",
           bj::array{bj::object{{"name", "pause"}, {"image", "registry.k8s.io/pause:3.9"}}}}}},
    };
    return bj::serialize(pod);
}

struct Row {
    std::string what;
    std::string value;
};

int failures = 0;
std::vector<Row> rows;

void add(std::string what, std::string value) {
    rows.push_back({std::move(what), std::move(value)});
}

std::string fmt(const char *format, double a, double b = 0, double c = 0, double d = 0) {
    char text[160];
    std::snprintf(text, sizeof text, format, a, b, c, d);
    return text;
}

void fail(const std::string &message) {
    ++failures;
    std::fprintf(stderr, "sandbox-bench: %s\n", message.c_str());
}

void addMemory(const std::string &when, pid_t pid) {
    if (pid <= 0) {
        add("sandbox RSS " + when, "n/a (attached without --pid)");
        return;
    }
    Memory memory = readMemory(pid);
    add("sandbox RSS / HWM " + when,
        fmt("%.1f MB / %.1f MB", static_cast<double>(memory.rssKb) / 1024.0,
            static_cast<double>(memory.hwmKb) / 1024.0));
}

std::size_t countRunning(SyncClient &client) {
    auto response =
        client.request("GET",
                       std::string("/api/v1/namespaces/") + kNamespace +
                           "/pods?fieldSelector=status.phase%3DRunning",
                       {}, {}, "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
    if (response.status != 200)
        return 0;
    auto parsed = bj::parse(response.body);
    if (auto *rowsValue = parsed.as_object().if_contains("rows"))
        return rowsValue->as_array().size();
    if (auto *items = parsed.as_object().if_contains("items"))
        return items->as_array().size();
    return 0;
}

void timeLists(SyncClient &client, const Options &options, const char *label,
               const std::string &accept, std::string &resourceVersion) {
    std::vector<double> ms;
    std::size_t bytes = 0;
    std::string path = std::string("/api/v1/namespaces/") + kNamespace + "/pods";
    for (int i = 0; i < options.lists; ++i) {
        auto response = client.request("GET", path, {}, {}, accept);
        if (response.status != 200 || !response.error.empty()) {
            fail(std::string("LIST ") + label + ": HTTP " + std::to_string(response.status) + " " +
                 response.error);
            return;
        }
        ms.push_back(response.seconds * 1000);
        bytes = response.body.size();
        if (i == 0) {
            auto parsed = bj::parse(response.body).as_object();
            std::size_t count = parsed.contains("rows") ? parsed.at("rows").as_array().size()
                                                        : parsed.at("items").as_array().size();
            if (count != options.pods)
                fail(std::string("LIST ") + label + " returned " + std::to_string(count) + " pods");
            resourceVersion =
                bj::value_to<std::string>(parsed.at("metadata").as_object().at("resourceVersion"));
        }
    }
    add(std::string("LIST ") + std::to_string(options.pods) + " pods " + label + " p50 / p99 / max",
        fmt("%.1f / %.1f / %.1f ms", percentile(ms, 50), percentile(ms, 99),
            *std::max_element(ms.begin(), ms.end())));
    add(std::string("LIST ") + label + " body", fmt("%.2f MB", static_cast<double>(bytes) / 1e6));
}

} // namespace

int main(int argc, char **argv) {
    Options options = parseOptions(argc, argv);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    SandboxProcess sandbox;
    std::string kubeconfigPath = options.kubeconfig;
    if (kubeconfigPath.empty()) {
        if (auto error = sandbox.start(options.sandboxBinary, options.timeScale)) {
            std::fprintf(stderr, "sandbox-bench: %s\n", error->c_str());
            return 1;
        }
        kubeconfigPath = sandbox.kubeconfigPath();
    }
    std::string error;
    pid_t pid = options.kubeconfig.empty() ? sandbox.pid() : options.attachPid;
    auto endpoint = readKubeconfig(kubeconfigPath, error);
    if (!endpoint) {
        std::fprintf(stderr, "sandbox-bench: %s\n", error.c_str());
        return 1;
    }
    SyncClient client(*endpoint);
    addMemory("at start", pid);

    // Phase 1: namespace and pods.
    auto ns = client.request(
        "POST", "/api/v1/namespaces",
        std::string(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")") + kNamespace +
            "\"}}",
        "application/json");
    if (ns.status != 201 && ns.status != 409)
        fail("create namespace: HTTP " + std::to_string(ns.status) + " " + ns.error + ns.body);
    std::string podsPath = std::string("/api/v1/namespaces/") + kNamespace + "/pods";
    double cpuStart = readCpuSeconds(pid);
    auto created = runParallel(*endpoint, options.pods, 16, 0, 0, [&](std::size_t i) {
        return RequestSpec{"POST", podsPath, podBody(i), "application/json"};
    });
    if (created.failures)
        fail(std::to_string(created.failures) +
             " pod creates failed; first: " + created.firstFailure);
    add("create pods (16 connections)",
        fmt("%.0f pods in %.2f s = %.0f/s, p50 %.1f ms", static_cast<double>(options.pods),
            created.seconds, static_cast<double>(options.pods) / created.seconds,
            percentile(created.latencyMs, 50)) +
            fmt(", p99 %.1f ms", percentile(created.latencyMs, 99)));
    auto waitStart = SteadyClock::now();
    std::size_t running = 0;
    while (std::chrono::duration<double>(SteadyClock::now() - waitStart).count() <
           options.readyWaitSeconds) {
        running = countRunning(client);
        if (running >= options.pods)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    add("pods Running before measuring",
        fmt("%.0f of %.0f after %.1f s more (time scale %.0f)", static_cast<double>(running),
            static_cast<double>(options.pods),
            std::chrono::duration<double>(SteadyClock::now() - waitStart).count(),
            options.timeScale));
    addMemory("after creating pods", pid);

    // Phase 2: LIST as JSON and as Table.
    std::string resourceVersion;
    timeLists(client, options, "JSON", "application/json", resourceVersion);
    std::string tableVersion;
    timeLists(client, options, "Table", kTableAccept, tableVersion);

    // Phase 3: watches and paced merge patches.
    std::size_t total =
        static_cast<std::size_t>(options.rate) * static_cast<std::size_t>(options.seconds);
    WatchSet watches(*endpoint, options.watchers,
                     podsPath + "?watch=true&resourceVersion=" + resourceVersion, kSeqKey, total);
    if (!watches.waitEstablished(std::chrono::seconds(30)))
        fail("not every watch got its response headers within 30 s");
    std::vector<std::uint8_t> expected(total, 0);
    double cpuBeforeWrites = readCpuSeconds(pid);
    auto writes =
        runParallel(*endpoint, total, 16, 1000000000LL / options.rate,
                    (options.seconds + 5) * 1000000000LL, [&](std::size_t seq) {
                        std::string patch = std::string(R"({"metadata":{"annotations":{")") +
                                            kSeqKey + "\":\"" + std::to_string(seq) + ":" +
                                            std::to_string(nowNs()) + "\"}}}";
                        expected[seq] =
                            1; // a failed write is reported as a failure and as lost events
                        return RequestSpec{"PATCH", podsPath + "/" + podName(seq % options.pods),
                                           patch, "application/merge-patch+json"};
                    });
    if (writes.failures) {
        fail(std::to_string(writes.failures) + " patches failed; first: " + writes.firstFailure);
    }
    double cpuAfterWrites = readCpuSeconds(pid);
    bool delivered = watches.waitDelivered(expected, std::chrono::seconds(15));
    watches.stop();
    auto summary = watches.summarize(expected);
    add("patches (paced, 16 connections)",
        fmt("%.0f of %.0f sent in %.2f s = %.0f/s", static_cast<double>(writes.started),
            static_cast<double>(total), writes.seconds,
            static_cast<double>(writes.latencyMs.size()) / writes.seconds) +
            fmt(" (target %.0f/s)", options.rate));
    if (writes.started < total)
        fail("only " + std::to_string(writes.started) + " of " + std::to_string(total) +
             " patches could be sent within " + std::to_string(options.seconds + 5) + " s");
    if (pid > 0)
        add("sandbox CPU during pod creation / patch phase",
            fmt("%.1f s / %.1f s (2 cores; CPU s per wall s %.2f during patches)",
                cpuBeforeWrites - cpuStart, cpuAfterWrites - cpuBeforeWrites,
                (cpuAfterWrites - cpuBeforeWrites) / writes.seconds));
    add("patch latency p50 / p99 / max",
        fmt("%.1f / %.1f / %.1f ms", percentile(writes.latencyMs, 50),
            percentile(writes.latencyMs, 99), percentile(writes.latencyMs, 100)));
    add("watch delivery (send -> receive) p50 / p99 / max",
        fmt("%.1f / %.1f / %.1f ms", percentile(summary.deliveryMs, 50),
            percentile(summary.deliveryMs, 99), percentile(summary.deliveryMs, 100)));
    add("watchers x updates delivered / lost",
        fmt("%.0f / %.0f", static_cast<double>(summary.deliveryMs.size()),
            static_cast<double>(summary.lost)));
    add("watch events received (kubelet writes included)",
        fmt("%.0f", static_cast<double>(summary.events)));
    if (!delivered || summary.lost)
        fail(std::to_string(summary.lost) + " (watcher, update) pairs never delivered");
    if (summary.errors)
        fail(std::to_string(summary.errors) + " watch errors; first: " + summary.firstError);
    addMemory("after watch phase", pid);

    std::size_t width = 0;
    for (auto &row : rows)
        width = std::max(width, row.what.size());
    std::printf("| %-*s | value |\n", static_cast<int>(width), "measure");
    std::printf("|%s|-------|\n", std::string(width + 2, '-').c_str());
    for (auto &row : rows)
        std::printf("| %-*s | %s |\n", static_cast<int>(width), row.what.c_str(),
                    row.value.c_str());
    std::fflush(stdout);
    sandbox.stop();
    curl_global_cleanup();
    return failures ? 1 : 0;
}
