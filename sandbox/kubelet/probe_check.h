#pragma once
// Internal to the probe runner (included only by probe_*.cpp): one probe execution as an
// asynchronous operation on the runner's io_context, and the parsed probe spec. Beast/Asio
// stay out of probe_runner.h; this header only names io_context.

#include "util/clock.h"

#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace sandbox {

// pkg/probe Result: Warning counts as success (e.g. a redirect the prober did not follow);
// Unknown is a probe that could not run (e.g. an unknown named port): the kubelet logs it as
// "errored" and keeps the previous result.
enum class ProbeResult { Success, Warning, Failure, Unknown };

struct ProbeOutcome {
    ProbeResult result = ProbeResult::Unknown;
    std::string output; // failure text as the kubelet words it (without "X probe failed: ")
};

using ProbeDone = std::function<void(ProbeOutcome)>;

// An in-flight probe. done is called exactly once on the io_context's thread, unless the
// io_context is stopped first; cancel() (also on that thread) ends it early with Unknown.
class ProbeCheck {
public:
    virtual ~ProbeCheck() = default;
    virtual void cancel() = 0;
};

enum class ProbeKind { HttpGet, TcpSocket, Exec, Grpc };

struct ProbeSpec {
    ProbeKind kind = ProbeKind::HttpGet;
    // httpGet / tcpSocket / grpc
    std::string scheme = "HTTP"; // "HTTP" or "HTTPS"
    std::string host;            // the pod IP unless the probe names one
    int port = 0;                // resolved; 0 when portError is set
    std::string portError;       // a port that cannot be resolved: every run is Unknown
    std::string path;
    std::vector<std::pair<std::string, std::string>> headers;
    // exec
    std::vector<std::string> command;

    int initialDelaySeconds = 0;
    int periodSeconds = 10;
    int timeoutSeconds = 1;
    int successThreshold = 1;
    int failureThreshold = 3;
};

// spec.containers[i].<field> ("startupProbe", "readinessProbe", "livenessProbe"), defaulted
// as the API server does; nullopt when the container has no such probe or it names no
// handler.
std::optional<ProbeSpec> parseProbe(const boost::json::object &container, std::string_view field,
                                    const std::string &podIP);

// Go's %q of a string.
std::string probeGoQuote(std::string_view text);

std::shared_ptr<ProbeCheck> startHttpCheck(boost::asio::io_context &io, const ProbeSpec &spec,
                                           Duration timeout, ProbeDone done);
std::shared_ptr<ProbeCheck> startTcpCheck(boost::asio::io_context &io, const ProbeSpec &spec,
                                          Duration timeout, ProbeDone done);
// Runs spec.command locally (PATH from env, else the sandbox's) in workingDir with env;
// the process group is killed at the timeout.
std::shared_ptr<ProbeCheck> startExecCheck(boost::asio::io_context &io, const ProbeSpec &spec,
                                           const std::map<std::string, std::string> &env,
                                           const std::string &workingDir, Duration timeout,
                                           ProbeDone done);

} // namespace sandbox
