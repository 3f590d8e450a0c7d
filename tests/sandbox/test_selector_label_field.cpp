// Label selectors (every operator, parse errors, LabelSelector objects) and field selectors
// (supported labels per kind, errors), as list and watch requests use them.
#include "api/field_selector.h"
#include "api/resource_service.h"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

using namespace sandbox;
using boost::json::object;

namespace {

object labels(std::string_view json) {
    return boost::json::parse(json).as_object();
}

const ResourceType &type(std::string_view group, std::string_view resource) {
    return *ResourceRegistry::builtin().byResource(
        group, group.empty() ? "v1" : (group == "autoscaling" ? "v2" : "v1"), resource);
}

struct LabelCase {
    const char *name;
    const char *selector;
    const char *labels;
    bool matches;
};

class LabelSelectorMatch : public ::testing::TestWithParam<LabelCase> {};

} // namespace

TEST_P(LabelSelectorMatch, Matches) {
    const LabelCase &c = GetParam();
    auto selector = LabelSelector::parse(c.selector);
    ASSERT_TRUE(selector.ok()) << selector.message();
    EXPECT_EQ(selector->matches(labels(c.labels)), c.matches);
}

INSTANTIATE_TEST_SUITE_P(
    Operators, LabelSelectorMatch,
    ::testing::Values(
        LabelCase{"empty_matches_all", "", R"({})", true},
        LabelCase{"equals", "app=web", R"({"app":"web"})", true},
        LabelCase{"equals_other_value", "app=web", R"({"app":"db"})", false},
        LabelCase{"equals_missing", "app=web", R"({})", false},
        LabelCase{"double_equals", "app==web", R"({"app":"web"})", true},
        LabelCase{"not_equals", "app!=web", R"({"app":"db"})", true},
        LabelCase{"not_equals_missing_label_matches", "app!=web", R"({})", true},
        LabelCase{"not_equals_same", "app!=web", R"({"app":"web"})", false},
        LabelCase{"in", "env in (prod,staging)", R"({"env":"staging"})", true},
        LabelCase{"in_not_listed", "env in (prod,staging)", R"({"env":"dev"})", false},
        LabelCase{"in_missing", "env in (prod)", R"({})", false},
        LabelCase{"notin", "env notin (prod)", R"({"env":"dev"})", true},
        LabelCase{"notin_missing_matches", "env notin (prod)", R"({})", true},
        LabelCase{"notin_listed", "env notin (prod, dev)", R"({"env":"dev"})", false},
        LabelCase{"exists", "tier", R"({"tier":""})", true},
        LabelCase{"exists_missing", "tier", R"({"app":"x"})", false},
        LabelCase{"not_exists", "!tier", R"({"app":"x"})", true},
        LabelCase{"not_exists_present", "!tier", R"({"tier":"a"})", false},
        LabelCase{"and", "app=web,tier!=db, env in (a,b),!canary",
                  R"({"app":"web","tier":"fe","env":"b"})", true},
        LabelCase{"and_one_fails", "app=web,!canary", R"({"app":"web","canary":"1"})", false},
        LabelCase{"prefixed_key", "app.kubernetes.io/name=web",
                  R"({"app.kubernetes.io/name":"web"})", true},
        LabelCase{"empty_value", "app=", R"({"app":""})", true}),
    [](const auto &info) { return std::string(info.param.name); });

namespace {

struct ParseErrorCase {
    const char *name;
    const char *selector;
    const char *messageStart;
};

class LabelSelectorParseError : public ::testing::TestWithParam<ParseErrorCase> {};

} // namespace

TEST_P(LabelSelectorParseError, IsBadRequest) {
    auto selector = LabelSelector::parse(GetParam().selector);
    ASSERT_FALSE(selector.ok());
    EXPECT_EQ(selector.error().code, 400);
    EXPECT_EQ(selector.error().reason, "BadRequest");
    EXPECT_TRUE(selector.message().starts_with(GetParam().messageStart)) << selector.message();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, LabelSelectorParseError,
    ::testing::Values(
        ParseErrorCase{
            "empty_in_set", "env in ()",
            "unable to parse requirement: for 'in', 'notin' operators, values set can't be empty"},
        ParseErrorCase{"missing_paren", "env in prod",
                       "unable to parse requirement: found 'prod', expected: '('"},
        ParseErrorCase{"bad_key", "a b=c", "unable to parse requirement: found 'b'"},
        ParseErrorCase{"invalid_key_chars", "-app=x",
                       "unable to parse requirement: <nil>: Invalid value: \"-app\""},
        ParseErrorCase{"invalid_value", "app=a$b",
                       "unable to parse requirement: values[0][a$b]: Invalid value: \"a$b\""},
        ParseErrorCase{"trailing_comma_operator", "app=web,=x",
                       "unable to parse requirement: found '='"}),
    [](const auto &info) { return std::string(info.param.name); });

TEST(LabelSelector, FromObjectAndCanonicalString) {
    auto selector = LabelSelector::fromObject(labels(
        R"({"matchLabels":{"app":"web"},"matchExpressions":[{"key":"env","operator":"In","values":["prod","dev"]},{"key":"canary","operator":"DoesNotExist"}]})"));
    ASSERT_TRUE(selector.ok()) << selector.message();
    EXPECT_EQ(selector->toString(), "app=web,!canary,env in (dev,prod)");
    EXPECT_TRUE(selector->matches(labels(R"({"app":"web","env":"dev"})")));
    EXPECT_FALSE(selector->matches(labels(R"({"app":"web","env":"dev","canary":"y"})")));

    EXPECT_TRUE(LabelSelector::fromObject(labels(R"({})"))->empty());
    auto bad = LabelSelector::fromObject(
        labels(R"({"matchExpressions":[{"key":"a","operator":"Near"}]})"));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.message(), "\"Near\" is not a valid label selector operator");
}

TEST(LabelSelector, ParsedSelectorRoundTrips) {
    auto selector = LabelSelector::parse("tier notin (db), app = web ,x");
    ASSERT_TRUE(selector.ok());
    EXPECT_EQ(selector->toString(), "app=web,tier notin (db),x");
}

namespace {

struct FieldCase {
    const char *name;
    const char *group;
    const char *resource;
    const char *selector;
    const char *object;
    bool matches;
};

class FieldSelectorMatch : public ::testing::TestWithParam<FieldCase> {};

const char *kPod = R"({"metadata":{"name":"web-1","namespace":"demo"},
  "spec":{"nodeName":"sandbox","restartPolicy":"Always"},"status":{"phase":"Running","podIP":"127.0.1.5"}})";
const char *kEvent =
    R"({"metadata":{"name":"web.1","namespace":"demo"},"reason":"ScalingReplicaSet","type":"Normal",
  "involvedObject":{"kind":"Deployment","name":"web","namespace":"demo","uid":"u-1","apiVersion":"apps/v1"},
  "source":{"component":"deployment-controller"}})";

} // namespace

TEST_P(FieldSelectorMatch, Matches) {
    const FieldCase &c = GetParam();
    auto selector = FieldSelector::parse(c.selector, type(c.group, c.resource));
    ASSERT_TRUE(selector.ok()) << selector.message();
    EXPECT_EQ(selector->matches(labels(c.object)), c.matches);
}

INSTANTIATE_TEST_SUITE_P(
    Labels, FieldSelectorMatch,
    ::testing::Values(
        FieldCase{"name", "", "pods", "metadata.name=web-1", kPod, true},
        FieldCase{"name_double_equals", "", "pods", "metadata.name==web-1", kPod, true},
        FieldCase{"name_other", "", "pods", "metadata.name=web-2", kPod, false},
        FieldCase{"namespace", "", "pods", "metadata.namespace=demo", kPod, true},
        FieldCase{"phase_not", "", "pods", "status.phase!=Running", kPod, false},
        FieldCase{"phase_and_node", "", "pods", "status.phase=Running,spec.nodeName=sandbox", kPod,
                  true},
        FieldCase{"unscheduled", "", "pods", "spec.nodeName=", R"({"metadata":{"name":"p"}})",
                  true},
        FieldCase{"restart_policy", "", "pods", "spec.restartPolicy=Always", kPod, true},
        FieldCase{"pod_ip", "", "pods", "status.podIP=127.0.1.5", kPod, true},
        FieldCase{"event_describe", "", "events",
                  "involvedObject.name=web,involvedObject.namespace=demo,involvedObject.kind="
                  "Deployment,involvedObject.uid=u-1",
                  kEvent, true},
        FieldCase{"event_uid_other", "", "events", "involvedObject.uid=u-2", kEvent, false},
        FieldCase{"event_reason_type", "", "events", "reason=ScalingReplicaSet,type=Normal", kEvent,
                  true},
        FieldCase{"event_source", "", "events", "source=deployment-controller", kEvent, true},
        FieldCase{"event_api_version", "", "events", "involvedObject.apiVersion=apps/v1", kEvent,
                  true},
        FieldCase{"deployment_name", "apps", "deployments", "metadata.name!=web",
                  R"({"metadata":{"name":"api"}})", true}),
    [](const auto &info) { return std::string(info.param.name); });

TEST(FieldSelector, UnsupportedLabelsAreBadRequest) {
    auto deploy = FieldSelector::parse("spec.replicas=3", type("apps", "deployments"));
    ASSERT_FALSE(deploy.ok());
    EXPECT_EQ(deploy.error().code, 400);
    EXPECT_EQ(deploy.message(), "field label not supported: spec.replicas");
    EXPECT_EQ(FieldSelector::parse("status.phase=Running", type("", "configmaps")).message(),
              "field label not supported: status.phase");
    EXPECT_EQ(FieldSelector::parse("reason=x", type("", "pods")).message(),
              "field label not supported: reason");
    auto garbage = FieldSelector::parse("metadata.name", type("", "pods"));
    ASSERT_FALSE(garbage.ok());
    EXPECT_EQ(garbage.message(),
              "invalid selector: 'metadata.name'; can't understand 'metadata.name'");
}

TEST(FieldSelector, EscapedValues) {
    auto selector = FieldSelector::parse("metadata.name=a\\,b", type("", "configmaps"));
    ASSERT_TRUE(selector.ok()) << selector.message();
    EXPECT_TRUE(selector->matches(labels(R"({"metadata":{"name":"a,b"}})")));
}
