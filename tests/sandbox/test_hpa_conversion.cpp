// What the metrics API and autoscaling/v1 look like on the wire: quantities in the forms the
// API server and metrics-server print, metrics objects, and the v1 <-> v2 HPA conversion
// (a v1 round trip keeps every v2 field through the autoscaling.alpha annotations).
#include "api/hpa_conversion.h"
#include "api/metrics_api.h"
#include "api/quantity.h"
#include "util/json_util.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

namespace sandbox {
namespace {

boost::json::object parse(std::string_view text) {
    return boost::json::parse(text).as_object();
}

TEST(Quantity, ParsesIntoMilliUnits) {
    EXPECT_EQ(quantity::parseMilli("100m"), 100);
    EXPECT_EQ(quantity::parseMilli("1"), 1000);
    EXPECT_EQ(quantity::parseMilli("1.5"), 1500);
    EXPECT_EQ(quantity::parseMilli("64Mi"), 64LL * 1024 * 1024 * 1000);
    EXPECT_EQ(quantity::parseMilli("1G"), 1'000'000'000'000LL);
    EXPECT_EQ(quantity::parseMilli("2e3"), 2'000'000);
    EXPECT_EQ(quantity::parseMilli("1500u"), 2); // MilliValue rounds up
    EXPECT_EQ(quantity::parseMilli("12345n"), 1);
    EXPECT_FALSE(quantity::parseMilli("").has_value());
    EXPECT_FALSE(quantity::parseMilli("ten").has_value());
    EXPECT_FALSE(quantity::parseMilli("5 m").has_value());
}

TEST(Quantity, PrintsCanonicalForms) {
    EXPECT_EQ(quantity::formatDecimalMilli(230), "230m");
    EXPECT_EQ(quantity::formatDecimalMilli(1000), "1");
    EXPECT_EQ(quantity::formatDecimalMilli(1500), "1500m");
    EXPECT_EQ(quantity::formatDecimalMilli(4'000'000), "4k");
    EXPECT_EQ(quantity::formatDecimalMilli(0), "0");
    EXPECT_EQ(quantity::formatBinary(12'644'352), "12348Ki");
    EXPECT_EQ(quantity::formatBinary(1024 * 1024), "1Mi");
    EXPECT_EQ(quantity::formatBinary(1'000'001), "1000001");
    EXPECT_EQ(quantity::formatNanoCores(12'345'678), "12345678n");
    EXPECT_EQ(quantity::formatNanoCores(5'000'000), "5m");
    EXPECT_EQ(quantity::formatNanoCores(2'000'000'000), "2");
}

TEST(MetricsApi, PodMetricsLookLikeMetricsServers) {
    const auto pod = parse(R"({"metadata":{"name":"web-1","namespace":"shop","uid":"u1",
                                           "labels":{"app":"web"}}})");
    PodUsage usage;
    usage.namespaceName = "shop";
    usage.name = "web-1";
    usage.uid = "u1";
    usage.timestamp = std::chrono::system_clock::from_time_t(1'800'000'000);
    usage.window = std::chrono::milliseconds(15'002);
    usage.containers.push_back({"web", 12, 12'644'352});
    const auto now = std::chrono::system_clock::from_time_t(1'800'000'005);
    EXPECT_EQ(boost::json::serialize(metrics_api::podMetrics(pod, usage, now)),
              R"({"kind":"PodMetrics","apiVersion":"metrics.k8s.io/v1beta1",)"
              R"("metadata":{"name":"web-1","namespace":"shop",)"
              R"("creationTimestamp":"2027-01-15T08:00:05Z","labels":{"app":"web"}},)"
              R"("timestamp":"2027-01-15T08:00:00Z","window":"15.002s",)"
              R"("containers":[{"name":"web","usage":{"cpu":"12m","memory":"12348Ki"}}]})");

    const auto node = parse(R"({"metadata":{"name":"forecast-sandbox"}})");
    const auto nodeMetrics = metrics_api::nodeMetrics(node, {usage, usage}, now);
    EXPECT_EQ(json::stringAt(nodeMetrics, {"usage", "cpu"}), "24m");
    EXPECT_EQ(json::stringAt(nodeMetrics, {"usage", "memory"}), "24696Ki");
    EXPECT_EQ(metrics_api::durationText(std::chrono::milliseconds(75'000)), "1m15s");
}

const char *const kV2 = R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
  "metadata":{"name":"web","namespace":"shop","resourceVersion":"7"},
  "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
    "minReplicas":2,"maxReplicas":10,
    "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":70}}},
               {"type":"Resource","resource":{"name":"memory","target":{"type":"Utilization","averageUtilization":80}}}],
    "behavior":{"scaleDown":{"stabilizationWindowSeconds":300,"selectPolicy":"Max",
                             "policies":[{"type":"Percent","value":10,"periodSeconds":60}]}}},
  "status":{"currentReplicas":3,"desiredReplicas":4,
    "currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":92}}},
                      {"type":"Resource","resource":{"name":"memory","current":{"averageUtilization":40,"averageValue":"27Mi"}}}],
    "conditions":[{"type":"AbleToScale","status":"True","reason":"SucceededRescale","message":"m"}]}})";

TEST(HpaConversion, V1CarriesTheCpuTargetAndAnnotatesTheRest) {
    const auto v1 = hpa_conversion::toV1(parse(kV2));
    EXPECT_EQ(json::stringAt(v1, {"apiVersion"}), "autoscaling/v1");
    EXPECT_EQ(json::intAt(v1, {"spec", "targetCPUUtilizationPercentage"}), 70);
    EXPECT_EQ(json::intAt(v1, {"status", "currentCPUUtilizationPercentage"}), 92);
    EXPECT_EQ(json::intAt(v1, {"status", "desiredReplicas"}), 4);
    EXPECT_EQ(
        json::annotation(v1, hpa_conversion::kMetricsAnnotation),
        R"([{"type":"Resource","resource":{"name":"memory","targetAverageUtilization":80}}])");
    EXPECT_FALSE(json::annotation(v1, hpa_conversion::kBehaviorAnnotation).empty());
    EXPECT_FALSE(json::annotation(v1, hpa_conversion::kConditionsAnnotation).empty());
}

// (As upstream, the CPU entry of currentMetrics keeps only its utilization through v1.)
TEST(HpaConversion, RoundTripKeepsEveryField) {
    const auto original = parse(kV2);
    const auto back = hpa_conversion::toV2(hpa_conversion::toV1(original));
    EXPECT_EQ(json::canonical(back.at("spec")), json::canonical(original.at("spec")));
    EXPECT_EQ(json::canonical(back.at("status")), json::canonical(original.at("status")));
    EXPECT_EQ(json::annotations(back), nullptr);
    EXPECT_EQ(json::stringAt(back, {"metadata", "resourceVersion"}), "7");
}

TEST(HpaConversion, KubectlAutoscaleBody) {
    // What kubectl 1.32 `autoscale --min 2 --max 5 --cpu-percent 70` posts.
    const auto v2 = hpa_conversion::toV2(parse(R"({"kind":"HorizontalPodAutoscaler",
      "apiVersion":"autoscaling/v1","metadata":{"name":"web","creationTimestamp":null},
      "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},
              "minReplicas":2,"maxReplicas":5,"targetCPUUtilizationPercentage":70},
      "status":{"currentReplicas":0,"desiredReplicas":0}})"));
    EXPECT_EQ(json::stringAt(v2, {"apiVersion"}), "autoscaling/v2");
    EXPECT_EQ(
        boost::json::serialize(v2.at("spec").at("metrics")),
        R"([{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":70}}}])");
    EXPECT_EQ(json::intAt(v2, {"spec", "maxReplicas"}), 5);
}

} // namespace
} // namespace sandbox
