#include "cli/command_line.h"

#include "cli/instance_lock.h"
#include "network/address_plan.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <pthread.h>
#include <thread>

namespace sandbox {

namespace {

bool parseNumber(const std::string &text, double &out) {
    char *end = nullptr;
    errno = 0;
    out = std::strtod(text.c_str(), &end);
    return errno == 0 && end != text.c_str() && *end == '\0';
}

} // namespace

std::string usage(const std::string &command) {
    if (command == "up") {
        return "Usage: forecast-sandbox up --state-dir DIR [--port N] [--kubeconfig-out FILE]\n"
               "                           [--time-scale N] [--images FILE] [--node-ip ADDR]\n"
               "\n"
               "Runs a local Kubernetes API server (HTTPS on 127.0.0.1) in the foreground until\n"
               "SIGTERM or SIGINT. State, certificates and the token live in DIR and survive\n"
               "restarts.\n"
               "\n"
               "  --state-dir DIR        where objects, certificates, token and kubeconfig live\n"
               "  --port N               port to listen on (default 0: pick a free one)\n"
               "  --kubeconfig-out FILE  write the kubeconfig here (default DIR/kubeconfig)\n"
               "  --time-scale N         run simulated periods N times faster (default 1)\n"
               "  --images FILE          image table replacing the built-in one\n"
               "  --node-ip ADDR         the node's address, where NodePorts listen (default\n"
               "                         127.0.0.1; \"auto\": 127.N.0.1 of this sandbox's address\n"
               "                         block, so parallel sandboxes never share NodePorts)\n"
               "\n"
               "Each running sandbox claims an address block N (1..63): pod IPs are 127.N.x.y,\n"
               "Service ClusterIPs 127.(64+N).x.y; see docs/sandbox.md, Networking.\n";
    }
    if (command == "down") {
        return "Usage: forecast-sandbox down --state-dir DIR [--timeout SECONDS]\n"
               "\n"
               "Stops the sandbox running for DIR (SIGTERM, then waits; default 30 s).\n";
    }
    if (command == "status") {
        return "Usage: forecast-sandbox status --state-dir DIR\n"
               "\n"
               "Says whether a sandbox runs for DIR and where. Exit code 0 when it runs,\n"
               "3 when it does not.\n";
    }
    return "Usage: forecast-sandbox <command> [flags]\n"
           "\n"
           "A local, single-node stand-in for a Kubernetes API server that kubectl can drive.\n"
           "\n"
           "Commands:\n"
           "  up      run a sandbox in the foreground and write its kubeconfig\n"
           "  down    stop a running sandbox\n"
           "  status  tell whether a sandbox runs and where\n"
           "\n"
           "Run `forecast-sandbox <command> --help` for the flags of a command.\n";
}

bool parseCommandLine(const std::vector<std::string> &args, CommandLine &out, std::string &error) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        out.command = "help";
        out.help = true;
        return true;
    }
    out.command = args[0];
    if (out.command != "up" && out.command != "down" && out.command != "status") {
        error = "unknown command \"" + out.command + "\"";
        return false;
    }
    for (std::size_t i = 1; i < args.size(); ++i) {
        std::string flag = args[i];
        if (flag == "--help" || flag == "-h") {
            out.help = true;
            return true;
        }
        std::string value;
        bool hasValue = false;
        if (auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = flag.substr(eq + 1);
            flag = flag.substr(0, eq);
            hasValue = true;
        }
        auto takeValue = [&]() -> bool {
            if (hasValue) {
                return true;
            }
            if (i + 1 >= args.size()) {
                error = "flag " + flag + " needs a value";
                return false;
            }
            value = args[++i];
            return true;
        };
        const bool upOnly = flag == "--port" || flag == "--kubeconfig-out" ||
                            flag == "--time-scale" || flag == "--images" || flag == "--node-ip";
        if (flag == "--state-dir") {
            if (!takeValue()) {
                return false;
            }
            out.options.stateDir = value;
        } else if (upOnly && out.command == "up") {
            if (!takeValue()) {
                return false;
            }
            if (flag == "--port") {
                double port = -1;
                if (!parseNumber(value, port) || port < 0 || port > 65535 ||
                    port != static_cast<int>(port)) {
                    error = "invalid --port \"" + value + "\": want 0..65535 (0 picks a free port)";
                    return false;
                }
                out.options.port = static_cast<unsigned short>(port);
            } else if (flag == "--kubeconfig-out") {
                out.options.kubeconfigOut = value;
            } else if (flag == "--time-scale") {
                double scale = 0;
                if (!parseNumber(value, scale) || scale <= 0) {
                    error = "invalid --time-scale \"" + value + "\": want a number > 0";
                    return false;
                }
                out.options.timeScale = scale;
            } else if (flag == "--node-ip") {
                std::uint32_t address = 0;
                if (value != "auto" && !parseIpv4(value, address)) {
                    error = "invalid --node-ip \"" + value + "\": want an IPv4 address or auto";
                    return false;
                }
                out.options.nodeIp = value;
            } else {
                out.options.imagesFile = value;
            }
        } else if (flag == "--timeout" && out.command == "down") {
            if (!takeValue()) {
                return false;
            }
            double seconds = 0;
            if (!parseNumber(value, seconds) || seconds <= 0) {
                error = "invalid --timeout \"" + value + "\": want seconds > 0";
                return false;
            }
            out.stopTimeoutSeconds = static_cast<int>(seconds);
        } else {
            error = "unknown flag " + flag + " for `" + out.command + "`";
            return false;
        }
    }
    if (out.options.stateDir.empty()) {
        error = "--state-dir DIR is required";
        return false;
    }
    return true;
}

int runUp(const CommandLine &cmd, std::ostream &out, std::ostream &err) {
    // Block the stop signals in every thread the sandbox starts; main waits for them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // A client that disconnects mid-write must not kill the process.
    std::signal(SIGPIPE, SIG_IGN);

    SandboxApp app(cmd.options);
    if (auto started = app.start(); !started.ok()) {
        err << "forecast-sandbox: " << started.message() << "\n";
        app.stop();
        return 1;
    }
    out << "forecast-sandbox listening on " << app.serverUrl() << "\n"
        << "addresses: pods 127." << app.addressBlock() << ".0.0/16, services 127."
        << 64 + app.addressBlock() << ".0.0/16, node " << app.nodeIp() << "\n"
        << "kubeconfig: " << std::filesystem::absolute(app.kubeconfigPath()).string() << "\n"
        << "use it: kubectl --kubeconfig "
        << std::filesystem::absolute(app.kubeconfigPath()).string() << " get namespaces\n";
    out.flush();
    int received = 0;
    sigwait(&signals, &received);
    app.stop();
    out << "forecast-sandbox stopped (" << (received == SIGINT ? "SIGINT" : "SIGTERM") << ")\n";
    out.flush();
    return 0;
}

int runDown(const CommandLine &cmd, std::ostream &out, std::ostream &err) {
    auto running = findRunningInstance(cmd.options.stateDir);
    if (!running) {
        out << "forecast-sandbox is not running for " << cmd.options.stateDir.string() << "\n";
        return 0;
    }
    if (running->pid <= 0 || ::kill(static_cast<pid_t>(running->pid), SIGTERM) != 0) {
        err << "forecast-sandbox: cannot signal pid " << running->pid << ": "
            << std::strerror(errno) << "\n";
        return 1;
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(cmd.stopTimeoutSeconds);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!findRunningInstance(cmd.options.stateDir)) {
            out << "forecast-sandbox stopped (pid " << running->pid << ")\n";
            return 0;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    err << "forecast-sandbox: pid " << running->pid << " did not stop within "
        << cmd.stopTimeoutSeconds << " s\n";
    return 1;
}

int runStatus(const CommandLine &cmd, std::ostream &out, std::ostream &) {
    auto running = findRunningInstance(cmd.options.stateDir);
    if (!running) {
        out << "forecast-sandbox is not running for " << cmd.options.stateDir.string() << "\n";
        return 3;
    }
    out << "forecast-sandbox is running (pid " << running->pid << ")";
    if (!running->server.empty()) {
        out << " on " << running->server;
    } else {
        out << ", still starting";
    }
    out << "\n";
    if (!running->kubeconfig.empty()) {
        out << "kubeconfig: " << running->kubeconfig << "\n";
    }
    if (!running->startedAt.empty()) {
        out << "started: " << running->startedAt << "\n";
    }
    return 0;
}

} // namespace sandbox
