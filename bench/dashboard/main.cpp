// dashboard-core-bench (issues 5 and 6): what a workload's informers cost in dashboard_core
// with 3 pods and with 5,000 other pods in the namespace, the GUI-thread event-loop latency
// under ~1,000 watch events per second on the workload's pods, and (with --dashboard) the
// forecast-dashboard's time to first render and idle CPU/RSS in both namespaces.
// Starts its own sandbox with a temporary state directory; every measurement runs in a fresh
// process ("probe" mode of this binary, or the dashboard) so /proc figures are its own.
#include "bench_http.h"
#include "core_probe.h"
#include "sandbox_process.h"

#include <boost/json.hpp>
#include <curl/curl.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace bj = boost::json;
using namespace rf::bench;

namespace {

struct Options {
    std::string sandboxBinary;
    std::string dashboard;
    std::size_t pods = 5000;
    int rate = 1000;
    int seconds = 10;
    int idleSeconds = 10;
    int dashboardIdleSeconds = 60;
    int timeScale = 20;
};

const char *kNamespace = "dashboard-bench";
const char *kDeployment = "bench-workload";
const char *kSelector = "app=bench-workload";

[[noreturn]] void usage(int code) {
    std::fprintf(code ? stderr : stdout,
                 "usage: dashboard-core-bench [--sandbox PATH] [--dashboard PATH] [--pods 5000]\n"
                 "  [--rate 1000] [--seconds 10] [--idle 10] [--dashboard-idle 60]\n"
                 "  [--time-scale 20]\n");
    std::exit(code);
}

Options parseOptions(int argc, char **argv) {
    Options o;
    std::error_code ignored;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ignored);
    o.sandboxBinary = (self.parent_path() / "forecast-sandbox").string();
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i];
        if (flag == "--help" || flag == "-h")
            usage(0);
        if (i + 1 >= argc)
            usage(2);
        std::string value = argv[++i];
        int number = std::atoi(value.c_str());
        if (flag == "--sandbox")
            o.sandboxBinary = value;
        else if (flag == "--dashboard")
            o.dashboard = value;
        else if (flag == "--pods")
            o.pods = static_cast<std::size_t>(number);
        else if (flag == "--rate")
            o.rate = number;
        else if (flag == "--seconds")
            o.seconds = number;
        else if (flag == "--idle")
            o.idleSeconds = number;
        else if (flag == "--dashboard-idle")
            o.dashboardIdleSeconds = number;
        else if (flag == "--time-scale")
            o.timeScale = number;
        else
            usage(2);
    }
    if (o.rate <= 0 || o.seconds <= 0 || o.idleSeconds <= 0 || o.dashboardIdleSeconds < 10)
        usage(2);
    return o;
}

int failures = 0;
void fail(const std::string &message) {
    ++failures;
    std::fprintf(stderr, "dashboard-core-bench: %s\n", message.c_str());
}

std::string fmt(const char *format, double a, double b = 0, double c = 0) {
    char text[160];
    std::snprintf(text, sizeof text, format, a, b, c);
    return text;
}

std::size_t countRunning(SyncClient &client, const std::string &selector) {
    auto response = client.request("GET", std::string("/api/v1/namespaces/") + kNamespace +
                                              "/pods?fieldSelector=status.phase%3DRunning&" +
                                              "labelSelector=" + selector);
    if (response.status != 200)
        return 0;
    return bj::parse(response.body).as_object().at("items").as_array().size();
}

bool waitRunning(SyncClient &client, const std::string &selector, std::size_t want,
                 double seconds) {
    auto start = SteadyClock::now();
    while (std::chrono::duration<double>(SteadyClock::now() - start).count() < seconds) {
        if (countRunning(client, selector) >= want)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return false;
}

// Runs this binary in probe mode and collects its key=value lines.
std::map<std::string, double> probe(const std::string &kubeconfig, const Options &o,
                                    const std::string &extra) {
    std::error_code ignored;
    std::string self = std::filesystem::read_symlink("/proc/self/exe", ignored).string();
    std::string command = "'" + self + "' probe --kubeconfig '" + kubeconfig + "' --namespace " +
                          kNamespace + " --deployment " + kDeployment + " --selector " + kSelector +
                          " --idle " + std::to_string(o.idleSeconds) + " " + extra;
    std::map<std::string, double> values;
    FILE *out = popen(command.c_str(), "r");
    if (!out) {
        fail("cannot run the probe");
        return values;
    }
    char line[256];
    while (std::fgets(line, sizeof line, out)) {
        std::string text(line);
        auto eq = text.find('=');
        if (eq != std::string::npos)
            values[text.substr(0, eq)] = std::atof(text.c_str() + eq + 1);
    }
    if (pclose(out) != 0)
        fail("probe failed: " + command);
    return values;
}

// `log`: where the child's stderr goes (its --screenshot report); empty keeps ours.
pid_t spawnDashboard(const Options &o, const std::string &kubeconfig, const std::string &shot,
                     const std::string &log = {}) {
    pid_t child = fork();
    if (child == 0) {
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
        setenv("LC_ALL", "C.UTF-8", 1); // the report below is parsed in English
        std::vector<std::string> args{o.dashboard, "--kubeconfig", kubeconfig, "--namespace",
                                      kNamespace,  "--deployment", kDeployment};
        if (!shot.empty()) {
            args.push_back("--screenshot");
            args.push_back(shot);
        }
        std::vector<char *> argv;
        for (auto &arg : args)
            argv.push_back(arg.data());
        argv.push_back(nullptr);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, 1);
        if (!log.empty()) {
            int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd >= 0)
                dup2(fd, 2);
        }
        execv(argv[0], argv.data());
        _exit(127);
    }
    return child;
}

// "... its first complete picture was drawn 512 ms after the process started." -> 512
double firstPictureMs(const std::string &log) {
    FILE *file = std::fopen(log.c_str(), "r");
    if (!file)
        return -1;
    char line[1024];
    double value = -1;
    static constexpr const char *kMarker = "first complete picture was drawn ";
    while (std::fgets(line, sizeof line, file)) {
        if (const char *at = std::strstr(line, kMarker))
            value = std::atof(at + std::strlen(kMarker));
    }
    std::fclose(file);
    return value;
}

struct DashboardFigures {
    double firstPictureMs = -1; // median: process start to the first complete picture drawn
    double firstRenderMs = -1;  // median end-to-end --screenshot run
    double idleCpuPercent = -1;
    double rssMb = -1;
};

DashboardFigures measureDashboard(const Options &o, const std::string &kubeconfig,
                                  const std::string &dir) {
    DashboardFigures figures;
    std::vector<double> runs;
    std::vector<double> pictures;
    for (int i = 0; i < 3; ++i) {
        std::string shot = dir + "/first-render-" + std::to_string(i) + ".png";
        std::string log = dir + "/first-render-" + std::to_string(i) + ".log";
        std::int64_t start = nowNs();
        pid_t pid = spawnDashboard(o, kubeconfig, shot, log);
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !std::filesystem::exists(shot)) {
            fail("forecast-dashboard --screenshot failed (status " + std::to_string(status) + ")");
            continue;
        }
        runs.push_back((nowNs() - start) / 1e6);
        const double picture = firstPictureMs(log);
        if (picture < 0)
            fail("forecast-dashboard did not report its first complete picture (" + log + ")");
        else
            pictures.push_back(picture);
    }
    if (!runs.empty())
        figures.firstRenderMs = percentile(runs, 50);
    if (!pictures.empty())
        figures.firstPictureMs = percentile(pictures, 50);
    // Idle: CPU over the last third of the window, RSS at its end.
    pid_t pid = spawnDashboard(o, kubeconfig, {});
    const int windowSeconds = o.dashboardIdleSeconds / 3;
    std::this_thread::sleep_for(std::chrono::seconds(o.dashboardIdleSeconds - windowSeconds));
    double cpu0 = readCpuSeconds(pid);
    std::this_thread::sleep_for(std::chrono::seconds(windowSeconds));
    double cpu1 = readCpuSeconds(pid);
    Memory memory = readMemory(pid);
    if (cpu0 < 0 || cpu1 < 0 || memory.rssKb < 0)
        fail("forecast-dashboard exited before the idle measurement");
    else {
        figures.idleCpuPercent = 100.0 * (cpu1 - cpu0) / windowSeconds;
        figures.rssMb = memory.rssKb / 1024.0;
    }
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    return figures;
}

std::string podBody(std::size_t i) {
    char name[32];
    std::snprintf(name, sizeof name, "other-%05zu", i);
    bj::object pod{
        {"apiVersion", "v1"},
        {"kind", "Pod"},
        {"metadata", {{"name", name}, {"labels", {{"app", "other"}}}}},
        {"spec", {{"containers", bj::array{bj::object{{"name", "web"}, {"image", "nginx:1.25"}}}}}},
    };
    return bj::serialize(pod);
}

std::string deploymentBody() {
    bj::object labels{{"app", kDeployment}};
    bj::object deployment{
        {"apiVersion", "apps/v1"},
        {"kind", "Deployment"},
        {"metadata", {{"name", kDeployment}, {"labels", labels}}},
        {"spec",
         {{"replicas", 3},
          {"selector", {{"matchLabels", labels}}},
          {"template",
           {{"metadata", {{"labels", labels}}},
            {"spec",
             {{"containers", bj::array{bj::object{{"name", "web"}, {"image", "nginx:1.25"}}}}}}}}}},
    };
    return bj::serialize(deployment);
}

std::vector<std::string> workloadPods(SyncClient &client) {
    std::vector<std::string> names;
    auto response = client.request("GET", std::string("/api/v1/namespaces/") + kNamespace +
                                              "/pods?labelSelector=" + kSelector);
    if (response.status != 200)
        return names;
    const bj::value parsed = bj::parse(response.body);
    for (const auto &item : parsed.at("items").as_array())
        names.push_back(bj::value_to<std::string>(item.at("metadata").at("name")));
    return names;
}

void printRow(const std::string &what, const std::string &three, const std::string &many) {
    std::printf("| %-44s | %-22s | %-22s |\n", what.c_str(), three.c_str(), many.c_str());
}

// Set while the sandbox runs, so an interrupted or timed-out run does not leave it behind.
volatile pid_t g_sandboxPid = -1;

void onTerminate(int signal) {
    if (g_sandboxPid > 0)
        kill(g_sandboxPid, SIGTERM);
    _exit(128 + signal);
}

} // namespace

int main(int argc, char **argv) {
    if (argc > 1 && std::string(argv[1]) == "probe")
        return runProbe(argc - 2, argv + 2);
    Options o = parseOptions(argc, argv);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    SandboxProcess sandbox;
    if (auto error = sandbox.start(o.sandboxBinary, o.timeScale)) {
        std::fprintf(stderr, "dashboard-core-bench: %s\n", error->c_str());
        return 1;
    }
    g_sandboxPid = sandbox.pid();
    std::signal(SIGTERM, onTerminate);
    std::signal(SIGINT, onTerminate);
    const std::string kubeconfig = sandbox.kubeconfigPath();
    std::string error;
    auto endpoint = readKubeconfig(kubeconfig, error);
    if (!endpoint) {
        std::fprintf(stderr, "dashboard-core-bench: %s\n", error.c_str());
        return 1;
    }
    SyncClient client(*endpoint);
    auto ns = client.request(
        "POST", "/api/v1/namespaces",
        std::string(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")") + kNamespace +
            "\"}}",
        "application/json");
    if (ns.status != 201 && ns.status != 409)
        fail("create namespace: HTTP " + std::to_string(ns.status) + " " + ns.body);
    auto created = client.request(
        "POST", std::string("/apis/apps/v1/namespaces/") + kNamespace + "/deployments",
        deploymentBody(), "application/json");
    if (created.status != 201)
        fail("create deployment: HTTP " + std::to_string(created.status) + " " + created.body);
    if (!waitRunning(client, kSelector, 3, 120))
        fail("the workload's 3 pods are not Running after 120 s");
    auto names = workloadPods(client);
    std::string patchPods;
    for (auto &name : names)
        patchPods += (patchPods.empty() ? "" : ",") + name;

    const bool withDashboard = !o.dashboard.empty();
    std::fprintf(stderr, "measuring the core with 3 pods...\n");
    auto few = probe(kubeconfig, o, "--quiet-latency 0");
    DashboardFigures dashFew;
    if (withDashboard) {
        std::fprintf(stderr, "measuring forecast-dashboard with 3 pods...\n");
        dashFew = measureDashboard(o, kubeconfig, std::filesystem::path(kubeconfig).parent_path());
    }

    std::fprintf(stderr, "creating %zu other pods...\n", o.pods);
    std::string podsPath = std::string("/api/v1/namespaces/") + kNamespace + "/pods";
    auto others = runParallel(*endpoint, o.pods, 16, 0, 0, [&](std::size_t i) {
        return RequestSpec{"POST", podsPath, podBody(i), "application/json"};
    });
    if (others.failures)
        fail(std::to_string(others.failures) +
             " pod creates failed; first: " + others.firstFailure);
    const bool othersRunning = waitRunning(client, "app%3Dother", o.pods, 180);
    const std::size_t running = countRunning(client, "app%3Dother");

    std::fprintf(stderr, "measuring the core with %zu other pods...\n", o.pods);
    auto many = probe(kubeconfig, o, "--quiet-latency 0");
    DashboardFigures dashMany;
    if (withDashboard) {
        std::fprintf(stderr, "measuring forecast-dashboard with %zu other pods...\n", o.pods);
        dashMany = measureDashboard(o, kubeconfig, std::filesystem::path(kubeconfig).parent_path());
    }
    std::fprintf(stderr, "GUI-thread latency under %d patches/s...\n", o.rate);
    auto load = probe(kubeconfig, o,
                      "--quiet-latency 5 --rate " + std::to_string(o.rate) + " --seconds " +
                          std::to_string(o.seconds) + " --patch-pods " + patchPods);

    const std::string manyLabel = std::to_string(o.pods) + " other pods";
    std::printf("\n### dashboard_core informers (pods + ReplicaSets by label, Deployment by "
                "name)\n\n");
    std::printf("Other pods Running: %zu of %zu%s (sandbox time scale %d)\n\n", running, o.pods,
                othersRunning ? "" : " (not all Running in 180 s)", o.timeScale);
    printRow("measure", "3 pods only", manyLabel);
    printRow("--------------------------------------------", "----------------------",
             "----------------------");
    auto both = [&](const char *what, const char *key, const char *format) {
        printRow(what, fmt(format, few[key]), fmt(format, many[key]));
    };
    both("pods in the informer cache", "cached_pods", "%.0f");
    both("start to all 3 informers synced", "sync_ms", "%.0f ms");
    both("CPU to sync (process start included)", "cpu_to_sync_s", "%.2f s");
    both(("CPU while idle for " + std::to_string(o.idleSeconds) + " s").c_str(), "idle_cpu_percent",
         "%.2f %%");
    both("RSS after idle", "rss_mb", "%.1f MB");
    both("peak RSS (VmHWM)", "hwm_mb", "%.1f MB");

    std::printf(
        "\n### GUI-thread event-loop latency (1 ms PreciseTimer lateness), %zu other pods\n\n",
        o.pods);
    std::printf("| %-44s | %-40s |\n", "measure", "value");
    std::printf("|----------------------------------------------|----------------------------------"
                "--------|\n");
    auto row = [](const std::string &what, const std::string &value) {
        std::printf("| %-44s | %-40s |\n", what.c_str(), value.c_str());
    };
    row("quiet (no writes) p50 / p99 / max", fmt("%.2f / %.2f / %.2f ms", load["quiet_p50_ms"],
                                                 load["quiet_p99_ms"], load["quiet_max_ms"]));
    row("under load p50 / p99 / max", fmt("%.2f / %.2f / %.2f ms", load["load_p50_ms"],
                                          load["load_p99_ms"], load["load_max_ms"]));
    row("timer ticks quiet / under load",
        fmt("%.0f / %.0f", load["quiet_ticks"], load["load_ticks"]));
    row("patches written (8 connections, in-process)",
        fmt("%.0f ok, %.0f failed, %.0f/s", load["writes_ok"], load["writes_failed"],
            load["write_rate"]));
    row("changed() signals / updated keys per s",
        fmt("%.0f / %.0f", load["changed_signals_per_s"], load["updated_keys_per_s"]));
    row("distinct patches seen in the cache", fmt("%.0f (%.0f/s over %.1f s)", load["seq_seen"],
                                                  load["seq_seen_per_s"], load["load_seconds"]));
    row("last patch sent / seen", fmt("%.0f / %.0f", load["last_seq_sent"], load["last_seq_seen"]));
    if (load["last_seq_seen"] != load["last_seq_sent"])
        fail("the cache did not converge to the last patch");

    if (withDashboard) {
        std::printf("\n### forecast-dashboard (QT_QPA_PLATFORM=offscreen)\n\n");
        printRow("measure", "3 pods only", manyLabel);
        printRow("--------------------------------------------", "----------------------",
                 "----------------------");
        printRow("start to first complete picture (median, 3)",
                 fmt("%.0f ms", dashFew.firstPictureMs), fmt("%.0f ms", dashMany.firstPictureMs));
        printRow("--screenshot run, start to exit (median of 3)",
                 fmt("%.0f ms", dashFew.firstRenderMs), fmt("%.0f ms", dashMany.firstRenderMs));
        printRow(("idle CPU, last " + std::to_string(o.dashboardIdleSeconds / 3) + " s of " +
                  std::to_string(o.dashboardIdleSeconds) + " s")
                     .c_str(),
                 fmt("%.2f %%", dashFew.idleCpuPercent), fmt("%.2f %%", dashMany.idleCpuPercent));
        printRow(("RSS after " + std::to_string(o.dashboardIdleSeconds) + " s").c_str(),
                 fmt("%.1f MB", dashFew.rssMb), fmt("%.1f MB", dashMany.rssMb));
    } else {
        std::printf("\nforecast-dashboard: not measured (no --dashboard given)\n");
    }
    std::fflush(stdout);
    sandbox.stop();
    curl_global_cleanup();
    return failures ? 1 : 0;
}
