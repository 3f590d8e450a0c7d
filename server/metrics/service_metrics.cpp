#include "metrics/service_metrics.h"

#include "metrics/process_collector.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <atomic>
#include <mutex>

namespace forecast::metrics {
namespace {

using prometheus::Counter;
using prometheus::Histogram;

// Status codes forecast-api answers with; each gets a slot in the lock-free child table.
constexpr std::array<int, 12> kKnownStatus{200, 400, 404, 405, 408, 413,
                                           415, 422, 431, 500, 503, 204};

int statusSlot(int status) {
    for (std::size_t i = 0; i < kKnownStatus.size(); ++i) {
        if (kKnownStatus[i] == status) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

constexpr std::array<std::string_view, kMethodCount> kMethodLabels{
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "other"};

} // namespace

Method methodFromString(std::string_view method) {
    for (std::size_t i = 0; i + 1 < kMethodLabels.size(); ++i) {
        if (kMethodLabels[i] == method) {
            return static_cast<Method>(i);
        }
    }
    return Method::Other;
}

std::string_view methodLabel(Method method) {
    return kMethodLabels[static_cast<std::size_t>(method)];
}

struct ServiceMetrics::Impl {
    std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
    std::array<std::string, kHandlerCount> handlerLabels;

    prometheus::Family<Counter> &requests =
        prometheus::BuildCounter()
            .Name("http_requests_total")
            .Help("HTTP requests answered, by route template, method and status code.")
            .Register(*registry);
    prometheus::Family<Histogram> &durations =
        prometheus::BuildHistogram()
            .Name("http_request_duration_seconds")
            .Help("Time from a complete request to its response being built, in seconds.")
            .Register(*registry);
    prometheus::Family<Histogram> &predictionFamily =
        prometheus::BuildHistogram()
            .Name("model_prediction_duration_seconds")
            .Help("Time to forecast one series, in seconds.")
            .Register(*registry);
    prometheus::Family<prometheus::Gauge> &loadedFamily =
        prometheus::BuildGauge()
            .Name("model_loaded")
            .Help("1 once a model is loaded and served, else 0.")
            .Register(*registry);
    prometheus::Family<prometheus::Gauge> &infoFamily =
        prometheus::BuildGauge()
            .Name("model_info")
            .Help("The served model: 1 for its version label.")
            .Register(*registry);
    prometheus::Family<Counter> &reloadFamily =
        prometheus::BuildCounter()
            .Name("model_reloads_total")
            .Help("Model file reloads after a change on disk, by result.")
            .Register(*registry);

    Histogram &prediction =
        predictionFamily.Add({}, Histogram::BucketBoundaries(kPredictionDurationBuckets.begin(),
                                                             kPredictionDurationBuckets.end()));
    prometheus::Gauge &loaded = loadedFamily.Add({});
    Counter &reloadSuccess = reloadFamily.Add({{"result", "success"}});
    Counter &reloadFailure = reloadFamily.Add({{"result", "failure"}});

    std::mutex infoMutex;
    prometheus::Gauge *info = nullptr;

    // Children resolved on first use; Family::Add is idempotent and thread-safe, so a race
    // between two first uses stores the same pointer twice.
    std::array<std::atomic<Counter *>, kHandlerCount * kMethodCount * kKnownStatus.size()>
        requestChildren{};
    std::array<std::atomic<Histogram *>, kHandlerCount * kMethodCount> durationChildren{};

    ProcessCollector process;

    prometheus::Labels requestLabels(Handler handler, Method method, int status) const {
        return {{"handler", handlerLabels[static_cast<std::size_t>(handler)]},
                {"method", std::string(methodLabel(method))},
                {"code", std::to_string(status)}};
    }

    Counter &requestCounter(Handler handler, Method method, int status) {
        const int slot = statusSlot(status);
        if (slot < 0) {
            return requests.Add(requestLabels(handler, method, status)); // rare: slow path
        }
        auto &entry = requestChildren[(static_cast<std::size_t>(handler) * kMethodCount +
                                       static_cast<std::size_t>(method)) *
                                          kKnownStatus.size() +
                                      static_cast<std::size_t>(slot)];
        Counter *counter = entry.load(std::memory_order_acquire);
        if (counter == nullptr) {
            counter = &requests.Add(requestLabels(handler, method, status));
            entry.store(counter, std::memory_order_release);
        }
        return *counter;
    }

    Histogram &durationHistogram(Handler handler, Method method) {
        auto &entry = durationChildren[static_cast<std::size_t>(handler) * kMethodCount +
                                       static_cast<std::size_t>(method)];
        Histogram *histogram = entry.load(std::memory_order_acquire);
        if (histogram == nullptr) {
            histogram =
                &durations.Add({{"handler", handlerLabels[static_cast<std::size_t>(handler)]},
                                {"method", std::string(methodLabel(method))}},
                               Histogram::BucketBoundaries(kHttpDurationBuckets.begin(),
                                                           kHttpDurationBuckets.end()));
            entry.store(histogram, std::memory_order_release);
        }
        return *histogram;
    }
};

ServiceMetrics::ServiceMetrics(std::string healthPath, std::string readyPath)
    : m(std::make_unique<Impl>()) {
    m->handlerLabels = {std::move(healthPath),
                        std::move(readyPath),
                        "/metrics",
                        "/predict",
                        "/predict/batch",
                        "/model",
                        "other"};
    // Resolve each route's usual children now so the series exist (at 0) from the start.
    const std::array<std::pair<Handler, Method>, 6> usual{
        std::pair{Handler::Health, Method::Get}, {Handler::Ready, Method::Get},
        {Handler::Metrics, Method::Get},         {Handler::Predict, Method::Post},
        {Handler::PredictBatch, Method::Post},   {Handler::Model, Method::Get}};
    for (const auto &[handler, method] : usual) {
        m->requestCounter(handler, method, 200);
        m->durationHistogram(handler, method);
    }
}

ServiceMetrics::~ServiceMetrics() = default;

void ServiceMetrics::observeRequest(Handler handler, Method method, int status, double seconds) {
    m->requestCounter(handler, method, status).Increment();
    m->durationHistogram(handler, method).Observe(seconds);
}

void ServiceMetrics::observePrediction(double seconds) {
    m->prediction.Observe(seconds);
}

void ServiceMetrics::setModel(std::string_view version) {
    std::lock_guard lock(m->infoMutex);
    if (m->info != nullptr) {
        m->infoFamily.Remove(m->info);
    }
    m->info = &m->infoFamily.Add({{"version", std::string(version)}});
    m->info->Set(1.0);
    m->loaded.Set(1.0);
}

void ServiceMetrics::countReload(bool success) {
    (success ? m->reloadSuccess : m->reloadFailure).Increment();
}

std::string ServiceMetrics::scrape() const {
    auto families = m->registry->Collect();
    auto process = m->process.Collect();
    families.insert(families.end(), std::make_move_iterator(process.begin()),
                    std::make_move_iterator(process.end()));
    return prometheus::TextSerializer().Serialize(families);
}

} // namespace forecast::metrics
