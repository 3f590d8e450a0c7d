// YAML request bodies become the JSON the real API server would see (go-yaml v2 typing).

#include "util/yaml_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

using sandbox::yaml::allToJson;
using sandbox::yaml::fromJson;
using sandbox::yaml::toJson;

namespace {

std::string jsonOf(const std::string &yaml) {
    auto converted = toJson(yaml);
    EXPECT_TRUE(converted.ok()) << converted.message();
    return converted.ok() ? boost::json::serialize(converted.value()) : std::string();
}

} // namespace

TEST(YamlJson, PlainScalarsResolveToJsonTypes) {
    EXPECT_EQ(jsonOf("a: 3\nb: -7\nc: 1.5\nd: true\ne: null\nf: ~\ng:\nh: web\n"),
              R"({"a":3,"b":-7,"c":1.5E0,"d":true,"e":null,"f":null,"g":null,"h":"web"})");
}

TEST(YamlJson, QuotedAndTaggedScalarsStayStrings) {
    EXPECT_EQ(jsonOf("a: \"3\"\nb: '1.5'\nc: \"true\"\nd: !!str 42\ne: 'null'\n"),
              R"({"a":"3","b":"1.5","c":"true","d":"42","e":"null"})");
}

TEST(YamlJson, Yaml11BooleansAndNumberFormsAsGoYamlV2) {
    EXPECT_EQ(jsonOf("a: yes\nb: off\nc: 0x1F\nd: 1_000\ne: 1e3\nf: 010\n"),
              R"({"a":true,"b":false,"c":31,"d":1000,"e":1E3,"f":8})");
}

TEST(YamlJson, TimestampsAndVersionsStayStrings) {
    EXPECT_EQ(jsonOf("t: 2024-01-02T03:04:05Z\nv: 1.2.3\nimage: nginx:1.25\n"),
              R"({"t":"2024-01-02T03:04:05Z","v":"1.2.3","image":"nginx:1.25"})");
}

TEST(YamlJson, NonStringKeysBecomeTheirText) {
    EXPECT_EQ(jsonOf("1: a\ntrue: b\n"), R"({"1":"a","true":"b"})");
}

TEST(YamlJson, BlockScalarsAndNestedStructures) {
    EXPECT_EQ(
        jsonOf("spec:\n  containers:\n  - name: app\n    args: [\"--port\", 80]\n"
               "script: |\n  line1\n  line2\n"),
        R"({"spec":{"containers":[{"name":"app","args":["--port",80]}]},"script":"line1\nline2\n"})");
}

TEST(YamlJson, JsonIsValidYaml) {
    EXPECT_EQ(jsonOf(R"({"apiVersion":"v1","kind":"ConfigMap","data":{"k":"1"}})"),
              R"({"apiVersion":"v1","kind":"ConfigMap","data":{"k":"1"}})");
}

TEST(YamlJson, MultiDocumentStreamsSkipEmptyDocuments) {
    auto docs = allToJson("---\na: 1\n---\n---\nb: 2\n...\n");
    ASSERT_TRUE(docs.ok()) << docs.message();
    ASSERT_EQ(docs->size(), 2u);
    EXPECT_EQ(boost::json::serialize((*docs)[1]), R"({"b":2})");
}

TEST(YamlJson, SyntaxErrorsNameTheLine) {
    auto bad = toJson("a: 1\nb: [1, 2\nc: 3\n");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.message().rfind("yaml: line ", 0), 0u) << bad.message();
}

TEST(YamlJson, InfinityIsRejectedAsJsonCannotHoldIt) {
    EXPECT_FALSE(toJson("a: .inf\n").ok());
}

TEST(YamlJson, RoundTripKeepsTypes) {
    auto value = boost::json::parse(
        R"({"s":"true","n":"10","e":"","f":1.0,"i":3,"b":false,"z":null,"l":[],"o":{},"m":"a\nb","t":"x\ny\n"})");
    auto back = toJson(fromJson(value));
    ASSERT_TRUE(back.ok()) << back.message();
    EXPECT_EQ(boost::json::serialize(back.value()), boost::json::serialize(value));
}
