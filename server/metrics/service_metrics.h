#pragma once
// All metrics forecast-api exposes on GET /metrics (DESIGN §4). Made once in main; families
// are registered in the constructor and children are resolved up front or on first use into
// a lock-free table, so the request path only increments and observes.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace forecast::metrics {

// Route templates (the `handler` label): never raw paths, so label cardinality is bounded.
enum class Handler : std::uint8_t { Health, Ready, Metrics, Predict, PredictBatch, Model, Other };
inline constexpr std::size_t kHandlerCount = 7;

enum class Method : std::uint8_t { Get, Head, Post, Put, Delete, Patch, Options, Other };
inline constexpr std::size_t kMethodCount = 8;
Method methodFromString(std::string_view method);
std::string_view methodLabel(Method method);

// Bucket layouts (seconds). HTTP requests: from sub-millisecond hot-path answers to slow
// batch requests. Predictions: one series forecast takes microseconds.
inline constexpr std::array<double, 12> kHttpDurationBuckets{
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5};
inline constexpr std::array<double, 10> kPredictionDurationBuckets{
    0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.005, 0.025};

class ServiceMetrics final {
public:
    // The health and readiness paths are configurable; they become those handlers' labels.
    ServiceMetrics(std::string healthPath, std::string readyPath);
    ~ServiceMetrics();
    ServiceMetrics(const ServiceMetrics &) = delete;
    ServiceMetrics &operator=(const ServiceMetrics &) = delete;

    // http_requests_total{handler,method,code} and http_request_duration_seconds{handler,method}.
    void observeRequest(Handler handler, Method method, int status, double seconds);
    // model_prediction_duration_seconds: one series forecast.
    void observePrediction(double seconds);
    // model_loaded=1 and model_info{version}=1 for the new version only.
    void setModel(std::string_view version);
    // model_reloads_total{result="success"|"failure"}.
    void countReload(bool success);

    // Text exposition format 0.0.4 of every family plus the process metrics.
    std::string scrape() const;
    static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

} // namespace forecast::metrics
