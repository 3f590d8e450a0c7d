#pragma once
// Runs a container's startup, readiness and liveness probes as the kubelet does
// (pkg/kubelet/prober): httpGet (scheme HTTP; 200-399 succeeds), tcpSocket and exec, with
// initialDelaySeconds, periodSeconds (10), timeoutSeconds (1), successThreshold (1),
// failureThreshold (3), all time-scaled through the Clock. Liveness and readiness wait for
// the startup probe to succeed. A container without a readiness probe is ready once started;
// without a startup probe it is started at once.
//
// One ProbeRunner serves every container of a runtime from its own thread(s); probes never
// run on the kubelet's workers. Results reach the runtime through the callback, invoked from
// the runner's thread whenever started/ready change or liveness fails for good.

#include "util/clock.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace sandbox {

struct ProbeTarget {
    std::string podKey;        // "namespace/name", for logs and resync
    std::string containerName;
    std::string podIP;         // httpGet/tcpSocket host when the probe names none
    boost::json::object container;          // spec.containers[i]: probes and named ports
    std::map<std::string, std::string> env; // the container's resolved environment (exec)
    std::string workingDir;                 // exec probes run here
};

struct ProbeState {
    bool started = false;          // startup probe passed (or none)
    bool ready = false;            // readiness probe passing (or none, once started)
    bool livenessFailed = false;   // failureThreshold reached: the runtime restarts it
    bool startupFailed = false;    // startup failureThreshold reached: restart as well
    // Set with each failing result: kubelet's event message, e.g.
    // "Readiness probe failed: HTTP probe failed with statuscode: 503" or
    // "Liveness probe failed: Get \"http://127.1.0.4:5000/health\": dial tcp ...: connect: connection refused".
    std::string lastFailure;
};

class ProbeRunner final {
public:
    using Id = std::uint64_t;
    // Called from the runner's thread. `failure` is non-empty when this call reports a
    // failed probe result worth an Unhealthy event (the runtime rate-limits events).
    using Callback = std::function<void(const ProbeState &state, const std::string &failure)>;

    explicit ProbeRunner(const Clock &clock);
    ~ProbeRunner();
    ProbeRunner(const ProbeRunner &) = delete;
    ProbeRunner &operator=(const ProbeRunner &) = delete;

    // Starts probing a container that has just started. The callback is never called after
    // remove(id) returns.
    Id add(ProbeTarget target, Callback callback);
    void remove(Id id);
    ProbeState state(Id id) const;
    void shutdown();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace sandbox
