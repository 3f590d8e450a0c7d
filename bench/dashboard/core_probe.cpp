#include "core_probe.h"

#include "bench_http.h"
#include "sandbox_process.h"

#include "kube/informer.h"
#include "kube/kube_client.h"
#include "kube/kubeconfig.h"
#include "net/http_engine.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace rf::bench {
namespace {

const char *kSeqKey = "bench.retail-forecast/seq";

struct ProbeOptions {
    QString kubeconfig;
    QString namespaceName;
    QString deployment;
    QString selector;
    int idleSeconds = 10;
    int quietLatencySeconds = 5;
    int rate = 0;
    int seconds = 10;
    QStringList patchPods;
};

ProbeOptions parse(int argc, char **argv) {
    ProbeOptions o;
    for (int i = 0; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const QString value = QString::fromLocal8Bit(argv[i + 1]);
        if (flag == "--kubeconfig")
            o.kubeconfig = value;
        else if (flag == "--namespace")
            o.namespaceName = value;
        else if (flag == "--deployment")
            o.deployment = value;
        else if (flag == "--selector")
            o.selector = value;
        else if (flag == "--idle")
            o.idleSeconds = value.toInt();
        else if (flag == "--quiet-latency")
            o.quietLatencySeconds = value.toInt();
        else if (flag == "--rate")
            o.rate = value.toInt();
        else if (flag == "--seconds")
            o.seconds = value.toInt();
        else if (flag == "--patch-pods")
            o.patchPods = value.split(QLatin1Char(','), Qt::SkipEmptyParts);
    }
    return o;
}

void report(const char *key, double value) {
    std::printf("%s=%.3f\n", key, value);
    std::fflush(stdout);
}

// Runs the event loop for `ms`, with the 1 ms probe timer on when `lateness` is given:
// each tick records how much later than 1 ms after the previous tick it fired.
void runFor(int ms, std::vector<double> *lateness) {
    QEventLoop loop;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(1);
    std::int64_t last = 0;
    if (lateness) {
        QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
            const std::int64_t now = nowNs();
            if (last)
                lateness->push_back(std::max<double>(0.0, (now - last - 1000000) / 1e6));
            last = now;
        });
        tick.start();
    }
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

void reportLatency(const char *prefix, const std::vector<double> &lateness) {
    const std::string p = prefix;
    report((p + "_ticks").c_str(), static_cast<double>(lateness.size()));
    report((p + "_p50_ms").c_str(), percentile(lateness, 50));
    report((p + "_p99_ms").c_str(), percentile(lateness, 99));
    report((p + "_max_ms").c_str(), percentile(lateness, 100));
}

} // namespace

int runProbe(int argc, char **argv) {
    int qtArgc = 1;
    QCoreApplication app(qtArgc, argv - 1);
    const ProbeOptions o = parse(argc, argv);
    const double cpuAtStart = readCpuSeconds(getpid());

    dashboard::KubeconfigOptions kubeOptions;
    kubeOptions.explicitPath = o.kubeconfig;
    auto kubeconfig = dashboard::Kubeconfig::load(kubeOptions);
    if (!kubeconfig) {
        std::fprintf(stderr, "probe: %s\n", kubeconfig.message().c_str());
        return 1;
    }
    auto config = kubeconfig->restConfig();
    if (!config) {
        std::fprintf(stderr, "probe: %s\n", config.message().c_str());
        return 1;
    }
    dashboard::HttpEngine engine;
    dashboard::KubeClient client(engine, std::make_shared<const dashboard::RestConfig>(*config));

    const dashboard::ResourceId pods{
        {}, QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("Pod")};
    const dashboard::ResourceId replicaSets{QStringLiteral("apps"), QStringLiteral("v1"),
                                            QStringLiteral("replicasets"),
                                            QStringLiteral("ReplicaSet")};
    const dashboard::ResourceId deployments{QStringLiteral("apps"), QStringLiteral("v1"),
                                            QStringLiteral("deployments"),
                                            QStringLiteral("Deployment")};
    auto options = [&](const dashboard::ResourceId &resource, bool byName) {
        dashboard::InformerOptions io;
        io.resource = resource;
        io.namespaceName = o.namespaceName;
        if (byName)
            io.fieldSelector = QStringLiteral("metadata.name=") + o.deployment;
        else
            io.labelSelector = o.selector;
        return io;
    };
    dashboard::Informer podInformer(client, options(pods, false));
    dashboard::Informer rsInformer(client, options(replicaSets, false));
    dashboard::Informer deploymentInformer(client, options(deployments, true));
    const std::vector<dashboard::Informer *> informers{&podInformer, &rsInformer,
                                                       &deploymentInformer};

    // Every delivered update of a patched pod: count the keys the GUI thread is told about
    // and which sequence numbers reached the cache (several patches of one pod within one
    // event-loop turn coalesce into one key, as the informer promises).
    const std::size_t total =
        static_cast<std::size_t>(o.rate) * static_cast<std::size_t>(o.seconds);
    std::vector<std::uint8_t> seen(total, 0);
    std::size_t changedSignals = 0;
    std::size_t updatedKeys = 0;
    std::int64_t lastSeenSeq = -1;
    QObject::connect(&podInformer, &dashboard::Informer::changed, &app,
                     [&](const QStringList &, const QStringList &updated, const QStringList &) {
                         ++changedSignals;
                         updatedKeys += static_cast<std::size_t>(updated.size());
                         for (const QString &key : updated) {
                             const QString value = podInformer.item(key)
                                                       .value(QStringLiteral("metadata"))
                                                       .toObject()
                                                       .value(QStringLiteral("annotations"))
                                                       .toObject()
                                                       .value(QLatin1String(kSeqKey))
                                                       .toString();
                             bool ok = false;
                             const qint64 seq =
                                 value.section(QLatin1Char(':'), 0, 0).toLongLong(&ok);
                             if (ok && seq >= 0 && static_cast<std::size_t>(seq) < total) {
                                 seen[static_cast<std::size_t>(seq)] = 1;
                                 lastSeenSeq = std::max<std::int64_t>(lastSeenSeq, seq);
                             }
                         }
                     });

    const std::int64_t syncStart = nowNs();
    for (auto *informer : informers)
        informer->start();
    auto allSynced = [&] {
        for (auto *informer : informers)
            if (!informer->isSynced())
                return false;
        return true;
    };
    while (!allSynced() && nowNs() - syncStart < 60'000'000'000LL)
        runFor(5, nullptr);
    if (!allSynced()) {
        std::fprintf(stderr, "probe: informers not synced after 60 s\n");
        return 1;
    }
    report("sync_ms", (nowNs() - syncStart) / 1e6);
    report("cached_pods", podInformer.size());
    report("cpu_to_sync_s", readCpuSeconds(getpid()) - cpuAtStart);

    // Idle: informers connected and watching, nothing changing in the workload.
    const double cpuIdleStart = readCpuSeconds(getpid());
    runFor(o.idleSeconds * 1000, nullptr);
    const double cpuIdle = readCpuSeconds(getpid()) - cpuIdleStart;
    report("idle_cpu_percent", 100.0 * cpuIdle / o.idleSeconds);
    Memory memory = readMemory(getpid());
    report("rss_mb", memory.rssKb / 1024.0);
    report("hwm_mb", memory.hwmKb / 1024.0);

    if (o.quietLatencySeconds > 0) {
        std::vector<double> lateness;
        runFor(o.quietLatencySeconds * 1000, &lateness);
        reportLatency("quiet", lateness);
    }
    if (o.rate <= 0 || o.patchPods.isEmpty())
        return 0;

    std::string error;
    auto endpoint = readKubeconfig(o.kubeconfig.toStdString(), error);
    if (!endpoint) {
        std::fprintf(stderr, "probe: %s\n", error.c_str());
        return 1;
    }
    const std::string podsPath = "/api/v1/namespaces/" + o.namespaceName.toStdString() + "/pods/";
    std::vector<std::string> names;
    for (const QString &name : o.patchPods)
        names.push_back(name.toStdString());
    std::atomic<bool> writerDone{false};
    ParallelResult writes;
    const std::size_t changedBefore = changedSignals;
    const std::size_t keysBefore = updatedKeys;
    // The writer is a libcurl thread of this process: it competes for the same two cores
    // as the GUI thread, as a busy network thread of the app would.
    std::thread writer([&] {
        writes = runParallel(*endpoint, total, 8, 1000000000LL / o.rate,
                             (o.seconds + 5) * 1000000000LL, [&](std::size_t seq) {
                                 std::string patch =
                                     std::string(R"({"metadata":{"annotations":{")") + kSeqKey +
                                     "\":\"" + std::to_string(seq) + ":" + std::to_string(nowNs()) +
                                     "\"}}}";
                                 return RequestSpec{"PATCH", podsPath + names[seq % names.size()],
                                                    patch, "application/merge-patch+json"};
                             });
        writerDone = true;
    });
    std::vector<double> lateness;
    const std::int64_t loadStart = nowNs();
    while (!writerDone)
        runFor(200, &lateness);
    // Let the last events arrive (bounded) so the delivered rate covers the whole stream.
    const std::int64_t drainStart = nowNs();
    while (lastSeenSeq + 1 < static_cast<std::int64_t>(writes.started) &&
           nowNs() - drainStart < 10'000'000'000LL)
        runFor(50, &lateness);
    const double loadSeconds = (nowNs() - loadStart) / 1e9;
    writer.join();
    reportLatency("load", lateness);
    report("writes_ok", static_cast<double>(writes.latencyMs.size()));
    report("writes_failed", static_cast<double>(writes.failures));
    report("write_seconds", writes.seconds);
    report("write_rate", writes.latencyMs.size() / writes.seconds);
    report("load_seconds", loadSeconds);
    std::size_t distinct = 0;
    for (auto flag : seen)
        distinct += flag;
    report("seq_seen", static_cast<double>(distinct));
    report("last_seq_sent", static_cast<double>(writes.started) - 1);
    report("last_seq_seen", static_cast<double>(lastSeenSeq));
    report("changed_signals_per_s", (changedSignals - changedBefore) / loadSeconds);
    report("updated_keys_per_s", (updatedKeys - keysBefore) / loadSeconds);
    report("seq_seen_per_s", distinct / loadSeconds);
    if (!writes.firstFailure.empty())
        std::fprintf(stderr, "probe: first failed patch: %s\n", writes.firstFailure.c_str());
    return 0;
}

} // namespace rf::bench
