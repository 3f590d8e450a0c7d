// route() as a pure function: every endpoint and error, without sockets.

#include "api_test_support.h"

#include "http/model_holder.h"
#include "http/router.h"
#include "http/service_state.h"
#include "metrics/service_metrics.h"

#include <gtest/gtest.h>

using namespace forecast::http;
namespace bj = boost::json;

namespace {

class RouterTest : public ::testing::Test {
protected:
    void SetUp() override {
        config.appVersion = "1.2.3";
        models.replace(std::make_shared<const forecast::Model>(apitest::makeModel("m-1")));
    }

    Response call(std::string_view method, std::string_view target, std::string_view body = "",
                  std::string_view contentType = "application/json") {
        return route({method, target, contentType, body}, deps);
    }
    static std::string code(const Response &r) {
        return std::string(bj::parse(r.body).at("error").at("code").as_string());
    }

    RouteConfig config;
    ModelHolder models;
    ServiceState state;
    forecast::metrics::ServiceMetrics metrics{"/health", "/ready"};
    RouteDeps deps{config, models, state, &metrics};
};

} // namespace

TEST_F(RouterTest, LivenessIsOkWhileDraining) {
    EXPECT_EQ(call("GET", "/health").status, 200);
    state.draining = true;
    const auto r = call("GET", "/health");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(bj::parse(r.body).at("status"), "ok");
}

TEST_F(RouterTest, ReadinessNeedsAModelAndNoDrain) {
    EXPECT_EQ(call("GET", "/ready").status, 200);
    models.replace(nullptr);
    auto r = call("GET", "/ready");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(bj::parse(r.body).at("reason"), "model not loaded yet");
    models.replace(std::make_shared<const forecast::Model>(apitest::makeModel("m-1")));
    state.draining = true;
    r = call("GET", "/ready");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(code(r), "draining");
}

TEST_F(RouterTest, ConfiguredProbePaths) {
    config.healthPath = "/livez";
    config.readyPath = "/readyz";
    EXPECT_EQ(call("GET", "/livez").status, 200);
    EXPECT_EQ(call("GET", "/readyz").status, 200);
    EXPECT_EQ(call("GET", "/health").status, 404);
}

TEST_F(RouterTest, PredictAnswersTheRequestedShape) {
    const auto r = call("POST", "/predict",
                        R"({"store":3,"item":17,"horizon":3,"quantiles":[0.05,0.5,0.95]})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.handler, forecast::metrics::Handler::Predict);
    const auto v = bj::parse(r.body);
    EXPECT_EQ(v.at("store"), "3");
    EXPECT_EQ(v.at("item"), "17");
    EXPECT_EQ(v.at("model_version"), "m-1");
    const auto &days = v.at("forecast").as_array();
    ASSERT_EQ(days.size(), 3u);
    EXPECT_EQ(days[0].at("date"), "2026-01-01");
    EXPECT_EQ(days[2].at("date"), "2026-01-03");
    const auto &q = days[0].at("quantiles").as_object();
    ASSERT_EQ(q.size(), 3u);
    const double lo = bj::value_to<double>(q.at("0.05"));
    const double mid = bj::value_to<double>(q.at("0.5"));
    const double hi = bj::value_to<double>(q.at("0.95"));
    const double mean = bj::value_to<double>(days[0].at("mean"));
    EXPECT_LT(lo, mid);
    EXPECT_LT(mid, hi);
    EXPECT_NEAR(mid, mean, 0.002);
}

TEST_F(RouterTest, PredictMatchesTheModel) {
    const auto model = models.current();
    const auto *series = model->find("1", "2");
    ASSERT_NE(series, nullptr);
    const double qs[] = {0.1, 0.9};
    const auto expected = model->forecast(*series, 28, qs);
    const auto v = bj::parse(call("POST", "/predict", R"({"store":"1","item":"2"})").body);
    const auto &days = v.at("forecast").as_array();
    ASSERT_EQ(days.size(), 28u);
    for (std::size_t d = 0; d < days.size(); ++d) {
        EXPECT_NEAR(bj::value_to<double>(days[d].at("mean")), expected[d].mean, 0.0006);
        EXPECT_NEAR(bj::value_to<double>(days[d].at("quantiles").at("0.9")),
                    expected[d].quantiles[1], 0.0006);
    }
}

TEST_F(RouterTest, PredictErrors) {
    EXPECT_EQ(call("POST", "/predict", R"({"store":3,"item":99})").status, 404);
    EXPECT_EQ(code(call("POST", "/predict", R"({"store":3,"item":99})")), "unknown_series");
    EXPECT_EQ(call("POST", "/predict", R"({"store":3)").status, 400);
    EXPECT_EQ(call("POST", "/predict", R"({"item":3})").status, 422);
    EXPECT_EQ(call("POST", "/predict", R"({"store":3,"item":17,"horizon":400})").status, 422);
    EXPECT_EQ(call("POST", "/predict", "{}", "text/plain").status, 415);
    EXPECT_EQ(call("POST", "/predict", "{}", "").status, 415);
    EXPECT_EQ(
        call("POST", "/predict", R"({"store":3,"item":17})", "Application/JSON; charset=utf-8")
            .status,
        200);
    models.replace(nullptr);
    EXPECT_EQ(call("POST", "/predict", R"({"store":3,"item":17})").status, 503);
}

TEST_F(RouterTest, UnknownPathAndWrongMethod) {
    auto r = call("GET", "/nope");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(code(r), "not_found");
    EXPECT_EQ(r.handler, forecast::metrics::Handler::Other);
    r = call("GET", "/predict");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.allow, "POST");
    r = call("DELETE", "/model");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.allow, "GET");
    EXPECT_EQ(call("GET", "/model?verbose=1").status, 200);
}

TEST_F(RouterTest, BatchMixesResultsAndErrors) {
    const auto r = call("POST", "/predict/batch",
                        R"({"requests":[{"store":1,"item":1,"horizon":2},{"store":9,"item":9},
                           {"store":1}]})");
    ASSERT_EQ(r.status, 200);
    const auto v = bj::parse(r.body);
    const auto &results = v.at("results").as_array();
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[0].at("status"), 200);
    EXPECT_EQ(results[0].at("forecast").as_array().size(), 2u);
    EXPECT_EQ(results[1].at("status"), 404);
    EXPECT_EQ(results[1].at("error").at("code"), "unknown_series");
    EXPECT_EQ(results[2].at("status"), 422);
    EXPECT_EQ(v.at("succeeded"), 1);
    EXPECT_EQ(v.at("failed"), 2);
}

TEST_F(RouterTest, ModelDescribesTheServedModel) {
    const auto r = call("GET", "/model");
    ASSERT_EQ(r.status, 200);
    const auto v = bj::parse(r.body);
    EXPECT_EQ(v.at("version"), "m-1");
    EXPECT_EQ(v.at("format_version"), 1);
    EXPECT_EQ(v.at("series_count"), 8);
    EXPECT_EQ(v.at("training_window").at("start"), "2021-01-01");
    EXPECT_EQ(v.at("training_window").at("end"), "2025-12-31");
    EXPECT_EQ(v.at("app_version"), "1.2.3");
    EXPECT_TRUE(v.at("holdout_accuracy").as_object().contains("mase"));
}

TEST_F(RouterTest, MetricsExposition) {
    metrics.setModel("m-1");
    call("POST", "/predict", R"({"store":3,"item":17})");
    metrics.observeRequest(forecast::metrics::Handler::Predict, forecast::metrics::Method::Post,
                           200, 0.001);
    const auto r = call("GET", "/metrics");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.contentType.substr(0, 10), "text/plain");
    for (const char *needle :
         {"http_requests_total{code=\"200\",handler=\"/predict\",method=\"POST\"} 1",
          "http_request_duration_seconds_bucket{handler=\"/"
          "predict\",method=\"POST\",le=\"0.0025\"} 1",
          "model_prediction_duration_seconds_count 1", "model_loaded 1",
          "model_info{version=\"m-1\"} 1", "model_reloads_total{result=\"failure\"} 0",
          "process_cpu_seconds_total", "process_resident_memory_bytes",
          "process_start_time_seconds"}) {
        EXPECT_NE(r.body.find(needle), std::string::npos) << needle << "\n" << r.body;
    }
    metrics.setModel("m-2");
    const auto after = call("GET", "/metrics").body;
    EXPECT_EQ(after.find("version=\"m-1\""), std::string::npos);
    EXPECT_NE(after.find("model_info{version=\"m-2\"} 1"), std::string::npos);
}
