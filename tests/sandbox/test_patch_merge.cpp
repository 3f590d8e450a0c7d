// JSON merge patch (RFC 7386): the behaviour of the RFC's appendix examples, plus the
// merge patches kubectl sends (scale) and that custom resources receive.

#include "api/patch.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <string>

namespace {

using boost::json::parse;

struct MergeCase {
    std::string name;
    std::string document;
    std::string patch;
    std::string expected;
};

class MergePatch : public testing::TestWithParam<MergeCase> {};

TEST_P(MergePatch, Applies) {
    const MergeCase &c = GetParam();
    boost::json::value result = sandbox::applyMergePatch(parse(c.document), parse(c.patch));
    EXPECT_TRUE(sandbox::jsonEquals(result, parse(c.expected)))
        << "got " << boost::json::serialize(result);
}

const MergeCase kCases[] = {
    {"ReplaceMember", R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
    {"AddMember", R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
    {"NullDeletes", R"({"a":"b"})", R"({"a":null})", R"({})"},
    {"NullDeletesOnlyThatMember", R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
    {"ScalarReplacesArray", R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
    {"ArrayReplacesScalar", R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
    {"NestedMergeAndDelete", R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})",
     R"({"a":{"b":"d"}})"},
    {"ArraysReplaceWhole", R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
    {"TopLevelArrays", R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
    {"ArrayPatchReplacesObject", R"({"a":"b"})", R"(["c"])", R"(["c"])"},
    {"NullPatchReplacesAll", R"({"a":"foo"})", R"(null)", R"(null)"},
    {"StringPatchReplacesAll", R"({"a":"foo"})", R"("bar")", R"("bar")"},
    {"ExistingNullKept", R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
    {"ObjectPatchOnArray", R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
    {"NullsInNewSubtreeDropped", R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
    {"EmptyPatchNoChange", R"({"a":{"b":1}})", R"({})", R"({"a":{"b":1}})"},
    // kubectl scale: PATCH .../scale with a merge patch.
    {"KubectlScale",
     R"({"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web"},
         "spec":{"replicas":2},"status":{"replicas":2,"selector":"app=web"}})",
     R"({"spec":{"replicas":3}})",
     R"({"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web"},
         "spec":{"replicas":3},"status":{"replicas":2,"selector":"app=web"}})"},
    {"LabelViaMergePatch", R"({"metadata":{"labels":{"app":"web","tier":"fe"}}})",
     R"({"metadata":{"labels":{"tier":null,"env":"prod"}}})",
     R"({"metadata":{"labels":{"app":"web","env":"prod"}}})"},
    // Custom resources (PrometheusRule) get merge patches: lists replace wholesale.
    {"PrometheusRuleGroupsReplace", R"({"spec":{"groups":[{"name":"a","rules":[{"alert":"X"}]}]}})",
     R"({"spec":{"groups":[{"name":"b","rules":[]}]}})",
     R"({"spec":{"groups":[{"name":"b","rules":[]}]}})"},
};

INSTANTIATE_TEST_SUITE_P(Rfc7386, MergePatch, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<MergeCase> &info) {
                             return info.param.name;
                         });

TEST(StrategicFallback, UnknownKindGetsMergePatch) {
    auto result = sandbox::applyStrategicMergePatch(
        parse(R"({"spec":{"groups":[{"name":"a"}],"x":1}})"),
        parse(R"({"spec":{"groups":[{"name":"b"}],"x":null}})"), "PrometheusRule");
    ASSERT_TRUE(result.ok());
    EXPECT_TRUE(
        sandbox::jsonEquals(result.value(), parse(R"({"spec":{"groups":[{"name":"b"}]}})")));
}

} // namespace
