#include "cli/sandbox_app.h"

#include "api/http_log.h"
#include "api/http_server.h"
#include "api/resource_registry.h"
#include "api/resource_service.h"
#include "api/router.h"
#include "cli/certificates.h"
#include "cli/instance_lock.h"
#include "cli/kubeconfig_writer.h"
#include "controllers/controller_manager.h"
#include "kubelet/kubelet.h"
#include "kubelet/pod_logs.h"
#include "network/address_plan.h"
#include "network/service_proxy.h"
#include "store/object_store.h"
#include "util/clock.h"

#include <optional>

#include <unistd.h>

namespace sandbox {

namespace {

// Namespaces every cluster has, plus the one the kubeconfig's context points at, so
// `kubectl apply -f` of a namespace-less manifest works right after `up`.
const char *const kBootstrapNamespaces[] = {"default", "kube-system", "kube-public",
                                            "kube-node-lease", "retail-forecast"};

} // namespace

struct SandboxApp::Impl {
    SandboxOptions options;
    InstanceLock lock;
    std::optional<AddressPlan> addresses;
    std::string nodeIp;
    SystemClock clock;
    std::unique_ptr<ObjectStore> store;
    std::unique_ptr<ResourceService> service;
    std::unique_ptr<ControllerManager> controllers;
    std::unique_ptr<ServiceProxy> proxy;
    std::unique_ptr<ApiRouter> router;
    std::unique_ptr<HttpServer> server;
    std::filesystem::path kubeconfig;
    bool started = false;

    rf::Status bootstrapNamespaces() {
        const ResourceType *namespaces =
            ResourceRegistry::builtin().byResource("", "v1", "namespaces");
        if (!namespaces) {
            return rf::fail("the registry has no namespaces resource");
        }
        for (const char *name : kBootstrapNamespaces) {
            if (store->get(*namespaces, "", name)) {
                continue;
            }
            boost::json::object ns{{"apiVersion", "v1"},
                                   {"kind", "Namespace"},
                                   {"metadata", boost::json::object{{"name", name}}}};
            auto created = service->create(*namespaces, "", std::move(ns), WriteOptions{});
            if (!created.ok() && created.error().code != 409) {
                return rf::fail("cannot create namespace " + std::string(name) + ": " +
                                created.error().message);
            }
        }
        return rf::ok();
    }
};

SandboxApp::SandboxApp(SandboxOptions options)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->options = std::move(options);
}

SandboxApp::~SandboxApp() {
    stop();
}

rf::Status SandboxApp::start() {
    Impl &d = *m_impl;
    const auto &stateDir = d.options.stateDir;
    if (stateDir.empty()) {
        return rf::fail("a state directory is required (--state-dir DIR)");
    }
    if (auto locked = d.lock.acquire(stateDir); !locked.ok()) {
        return locked;
    }
    d.clock.setTimeScale(d.options.timeScale);
    auto plan = AddressPlan::claim(stateDir, d.options.addressLockDir);
    if (!plan.ok()) {
        return rf::fail("cannot claim an address block: " + plan.message());
    }
    d.addresses.emplace(std::move(plan.value()));
    d.nodeIp = d.options.nodeIp == "auto" ? d.addresses->blockNodeIp() : d.options.nodeIp;
    if (std::uint32_t parsed = 0; !parseIpv4(d.nodeIp, parsed)) {
        return rf::fail("invalid --node-ip \"" + d.options.nodeIp +
                        "\": want an IPv4 address or \"auto\"");
    }

    auto tls = ensureTlsMaterial(stateDir);
    if (!tls.ok()) {
        return tls.error();
    }
    auto token = ensureToken(stateDir);
    if (!token.ok()) {
        return token.error();
    }

    const ResourceRegistry &registry = ResourceRegistry::builtin();
    d.store = std::make_unique<ObjectStore>(stateDir / "store", registry, d.clock);
    if (auto loaded = d.store->load(); !loaded.ok()) {
        return rf::fail("cannot load the state in " + (stateDir / "store").string() + ": " +
                        loaded.message());
    }
    d.service = std::make_unique<ResourceService>(*d.store, registry, d.clock);
    d.service->setServiceCidr(d.addresses->serviceCidr());
    if (auto bootstrapped = d.bootstrapNamespaces(); !bootstrapped.ok()) {
        return bootstrapped;
    }
    ControllerManagerOptions controllerOptions;
    controllerOptions.imagesFile = d.options.imagesFile;
    // Absolute: pod processes run in their own working directories, and paths the runtime
    // hands them (per-tag model files) must not depend on where the sandbox was started.
    controllerOptions.stateDir = std::filesystem::absolute(stateDir);
    auto controllers = ControllerManager::create(*d.service, controllerOptions);
    if (!controllers.ok()) {
        return controllers.error();
    }
    d.controllers = std::move(controllers.value());
    if (Kubelet *kubelet = d.controllers->kubelet()) {
        kubelet->ipAllocator().setRange(d.addresses->podRange());
        kubelet->setNodeIp(d.nodeIp);
    }
    // Controllers (and the simulated kubelet) run before the API opens, so the first
    // request already sees a working cluster.
    d.controllers->start();
    ServiceProxyOptions proxyOptions;
    proxyOptions.nodeIp = d.nodeIp;
    proxyOptions.threads = d.options.proxyThreads;
    d.proxy = std::make_unique<ServiceProxy>(*d.service, proxyOptions);
    if (auto proxying = d.proxy->start(); !proxying.ok()) {
        return proxying;
    }

    ApiRouterConfig routerConfig;
    routerConfig.service = d.service.get();
    routerConfig.registry = &registry;
    routerConfig.clock = &d.clock;
    routerConfig.podLogs = &d.controllers->podLogs();
    routerConfig.podMetrics = &d.controllers->podMetrics();
    routerConfig.token = token.value();
    d.router = std::make_unique<ApiRouter>(std::move(routerConfig));

    HttpServerConfig serverConfig;
    serverConfig.port = d.options.port;
    serverConfig.threads = d.options.httpThreads;
    serverConfig.certificateChainPem = tls->serverCertificatePem;
    serverConfig.privateKeyPem = tls->serverKeyPem;
    ApiRouter *router = d.router.get();
    d.server = std::make_unique<HttpServer>(
        serverConfig, [router](HttpRequest &request) { return router->handle(request); });
    if (auto listening = d.server->start(); !listening.ok()) {
        return listening;
    }

    d.kubeconfig =
        d.options.kubeconfigOut.empty() ? stateDir / "kubeconfig" : d.options.kubeconfigOut;
    KubeconfigSpec spec;
    spec.server = serverUrl();
    spec.caCertificatePem = tls->caCertificatePem;
    spec.token = token.value();
    if (auto written = writeKubeconfig(d.kubeconfig, spec); !written.ok()) {
        return written;
    }
    InstanceInfo info;
    info.pid = static_cast<long>(::getpid());
    info.port = port();
    info.server = serverUrl();
    info.kubeconfig = std::filesystem::absolute(d.kubeconfig).string();
    info.startedAt = formatRfc3339(d.clock.now());
    if (auto published = d.lock.publish(info); !published.ok()) {
        return published;
    }
    d.started = true;
    logLine(LogLevel::Info, "forecast-sandbox started",
            {{"server", info.server},
             {"kubeconfig", info.kubeconfig},
             {"stateDir", std::filesystem::absolute(stateDir).string()},
             {"timeScale", d.options.timeScale},
             {"addressBlock", d.addresses->block()},
             {"serviceCidr", d.addresses->serviceCidr()},
             {"nodeIp", d.nodeIp}});
    return rf::ok();
}

void SandboxApp::stop() {
    Impl &d = *m_impl;
    if (d.server) {
        d.server->stop();
    }
    d.server.reset();
    d.router.reset();
    if (d.proxy) {
        d.proxy->stop();
    }
    d.proxy.reset();
    if (d.controllers) {
        d.controllers->stop();
    }
    d.controllers.reset();
    d.service.reset();
    d.store.reset();
    if (d.started) {
        logLine(LogLevel::Info, "forecast-sandbox stopped");
    }
    d.started = false;
    d.addresses.reset();
    d.lock.release();
}

unsigned short SandboxApp::port() const {
    return m_impl->server ? m_impl->server->port() : 0;
}

std::string SandboxApp::serverUrl() const {
    return "https://127.0.0.1:" + std::to_string(port());
}

std::filesystem::path SandboxApp::kubeconfigPath() const {
    return m_impl->kubeconfig;
}

int SandboxApp::addressBlock() const {
    return m_impl->addresses ? m_impl->addresses->block() : 0;
}

std::string SandboxApp::nodeIp() const {
    return m_impl->addresses ? m_impl->nodeIp : std::string();
}

} // namespace sandbox
