// JSON patch (RFC 6902) as the sandbox applies it: every op, pointer escaping, "-" append,
// atomicity, and the error messages kubectl users see from a real API server.

#include "api/patch.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <string>

namespace {

using boost::json::parse;

struct JsonPatchCase {
    std::string name;
    std::string document;
    std::string patch;
    std::string expected;     // result document when the patch applies
    int errorCode = 0;        // otherwise the HTTP code of the error
    std::string errorMessage; // and its exact message
};

class JsonPatch : public testing::TestWithParam<JsonPatchCase> {};

TEST_P(JsonPatch, Applies) {
    const JsonPatchCase &c = GetParam();
    auto result = sandbox::applyJsonPatch(parse(c.document), parse(c.patch));
    if (c.errorCode != 0) {
        ASSERT_FALSE(result.ok()) << boost::json::serialize(result.value());
        EXPECT_EQ(result.error().code, c.errorCode);
        EXPECT_EQ(result.error().message, c.errorMessage);
        return;
    }
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_TRUE(sandbox::jsonEquals(result.value(), parse(c.expected)))
        << "got " << boost::json::serialize(result.value());
}

const JsonPatchCase kCases[] = {
    // RFC 6902 appendix A, in our own documents.
    {"AddObjectMember", R"({"a":"x"})", R"([{"op":"add","path":"/b","value":"y"}])",
     R"({"a":"x","b":"y"})"},
    {"AddArrayElement", R"({"l":["a","c"]})", R"([{"op":"add","path":"/l/1","value":"b"}])",
     R"({"l":["a","b","c"]})"},
    {"AddAtArrayEnd", R"({"l":["a"]})", R"([{"op":"add","path":"/l/1","value":"b"}])",
     R"({"l":["a","b"]})"},
    {"AppendWithDash", R"({"l":[1,2]})", R"([{"op":"add","path":"/l/-","value":3}])",
     R"({"l":[1,2,3]})"},
    {"AddReplacesExistingMember", R"({"a":1})", R"([{"op":"add","path":"/a","value":2}])",
     R"({"a":2})"},
    {"AddArrayValue", R"({"a":1})", R"([{"op":"add","path":"/l","value":["x",{"y":1}]}])",
     R"({"a":1,"l":["x",{"y":1}]})"},
    {"AddWholeDocument", R"({"a":1})", R"([{"op":"add","path":"","value":{"b":2}}])", R"({"b":2})"},
    {"AddNestedMember", R"({"spec":{}})", R"([{"op":"add","path":"/spec/replicas","value":3}])",
     R"({"spec":{"replicas":3}})"},
    {"RemoveObjectMember", R"({"a":1,"b":2})", R"([{"op":"remove","path":"/b"}])", R"({"a":1})"},
    {"RemoveArrayElement", R"({"l":["a","b","c"]})", R"([{"op":"remove","path":"/l/1"}])",
     R"({"l":["a","c"]})"},
    {"ReplaceValue", R"({"a":{"b":1}})", R"([{"op":"replace","path":"/a/b","value":"z"}])",
     R"({"a":{"b":"z"}})"},
    {"ReplaceArrayElement", R"({"l":[1,2]})", R"([{"op":"replace","path":"/l/0","value":9}])",
     R"({"l":[9,2]})"},
    {"ReplaceWholeDocument", R"({"a":1})", R"([{"op":"replace","path":"","value":[1]}])", R"([1])"},
    {"MoveValue", R"({"a":{"x":1},"b":{}})", R"([{"op":"move","from":"/a/x","path":"/b/y"}])",
     R"({"a":{},"b":{"y":1}})"},
    {"MoveArrayElement", R"({"l":["a","b","c","d"]})",
     R"([{"op":"move","from":"/l/1","path":"/l/3"}])", R"({"l":["a","c","d","b"]})"},
    {"MoveToSamePlace", R"({"a":1})", R"([{"op":"move","from":"/a","path":"/a"}])", R"({"a":1})"},
    {"CopyValue", R"({"a":{"x":[1]}})", R"([{"op":"copy","from":"/a/x","path":"/b"}])",
     R"({"a":{"x":[1]},"b":[1]})"},
    {"CopyIntoArray", R"({"a":"v","l":[1]})", R"([{"op":"copy","from":"/a","path":"/l/0"}])",
     R"({"a":"v","l":["v",1]})"},
    {"TestSucceeds", R"({"a":"x","l":[1,{"b":2}]})",
     R"([{"op":"test","path":"/a","value":"x"},{"op":"test","path":"/l","value":[1,{"b":2}]}])",
     R"({"a":"x","l":[1,{"b":2}]})"},
    {"TestNumbersCompareByValue", R"({"n":2})", R"([{"op":"test","path":"/n","value":2.0}])",
     R"({"n":2})"},
    {"TestObjectKeyOrderIrrelevant", R"({"o":{"a":1,"b":2}})",
     R"([{"op":"test","path":"/o","value":{"b":2,"a":1}}])", R"({"o":{"a":1,"b":2}})"},
    {"UnrecognizedMembersIgnored", R"({"a":1})",
     R"([{"op":"add","path":"/b","value":2,"xyz":123}])", R"({"a":1,"b":2})"},
    {"EscapedSlashAndTilde", R"({"a/b":1,"m~n":2})",
     R"([{"op":"replace","path":"/a~1b","value":3},{"op":"replace","path":"/m~0n","value":4}])",
     R"({"a/b":3,"m~n":4})"},
    {"TildeOneDecodedOnce", R"({"~1":1})", R"([{"op":"remove","path":"/~01"}])", R"({})"},
    {"AnnotationKeyWithSlash", R"({"metadata":{"annotations":{}}})",
     R"([{"op":"add","path":"/metadata/annotations/kubectl.kubernetes.io~1restartedAt","value":"now"}])",
     R"({"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"now"}}})"},
    {"EmptyKey", R"({"":1})", R"([{"op":"replace","path":"/","value":2}])", R"({"":2})"},
    {"EmptyPatch", R"({"a":1})", R"([])", R"({"a":1})"},
    {"RolloutUndoBody",
     R"({"metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"2"}},
         "spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},
         "spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}}})",
     R"([{"op":"replace","path":"/spec/template","value":{"metadata":{"creationTimestamp":null,
         "labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1.25",
         "resources":{}}]}}},{"op":"replace","path":"/metadata/annotations","value":
         {"deployment.kubernetes.io/revision":"2"}}])",
     R"({"metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"2"}},
         "spec":{"replicas":2,"template":{"metadata":{"creationTimestamp":null,
         "labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1.25",
         "resources":{}}]}}}})"},

    // Failures, with the jsonpatch library's messages.
    {"TestFails", R"({"a":"x"})", R"([{"op":"test","path":"/a","value":"y"}])", "", 422,
     "testing value /a failed: test failed"},
    {"TestStringVersusNumber", R"({"a":"10"})", R"([{"op":"test","path":"/a","value":10}])", "",
     422, "testing value /a failed: test failed"},
    {"TestMissingValue", R"({})", R"([{"op":"test","path":"/a","value":1}])", "", 422,
     "testing value /a failed: test failed"},
    {"AddToMissingParent", R"({"a":1})", R"([{"op":"add","path":"/b/c","value":1}])", "", 422,
     "add operation does not apply: doc is missing path: \"/b/c\": missing value"},
    {"ReplaceMissingKey", R"({"spec":{}})", R"([{"op":"replace","path":"/spec/foo","value":1}])",
     "", 422, "replace operation does not apply: doc is missing key: /spec/foo: missing value"},
    {"ReplaceMissingPath", R"({})", R"([{"op":"replace","path":"/spec/foo","value":1}])", "", 422,
     "replace operation does not apply: doc is missing path: /spec/foo: missing value"},
    {"RemoveMissingKey", R"({"a":1})", R"([{"op":"remove","path":"/b"}])", "", 422,
     "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value"},
    {"RemoveOutOfRange", R"({"l":[1]})", R"([{"op":"remove","path":"/l/5"}])", "", 422,
     "error in remove for path: '/l/5': Unable to access invalid index: 5: invalid index "
     "referenced"},
    {"AddOutOfRange", R"({"l":[1]})", R"([{"op":"add","path":"/l/3","value":2}])", "", 422,
     "error in add for path: '/l/3': Unable to access invalid index: 3: invalid index "
     "referenced"},
    {"LeadingZeroIndex", R"({"l":[1,2]})", R"([{"op":"replace","path":"/l/01","value":2}])", "",
     422, "replace operation does not apply: doc is missing key: /l/01: missing value"},
    {"MoveMissingFrom", R"({})", R"([{"op":"move","from":"/a","path":"/b"}])", "", 422,
     "move operation does not apply: doc is missing from path: /a: missing value"},
    {"MoveIntoOwnChild", R"({"a":{"b":{}}})", R"([{"op":"move","from":"/a","path":"/a/b/c"}])", "",
     422, "move operation does not apply: path /a/b/c is a child of from path /a"},
    {"CopyMissingFrom", R"({})", R"([{"op":"copy","from":"/x","path":"/y"}])", "", 422,
     "copy operation does not apply: doc is missing from path: /x: missing value"},
    {"UnknownOp", R"({})", R"([{"op":"frobnicate","path":"/a"}])", "", 422,
     "Unexpected kind: frobnicate"},
    {"MissingPath", R"({})", R"([{"op":"add","value":1}])", "", 422,
     "add operation failed to decode path: operation missing path field: missing value"},
    {"MissingValue", R"({})", R"([{"op":"add","path":"/a"}])", "", 422,
     "add operation, missing value field: missing value"},
    {"BadEscape", R"({})", R"([{"op":"add","path":"/a~2","value":1}])", "", 422,
     "add operation does not apply: invalid JSON pointer: /a~2"},
    {"PatchNotAList", R"({})", R"({"op":"add"})", "", 400,
     "json: cannot unmarshal object into Go value of type jsonpatch.Patch"},
    {"OperationNotAnObject", R"({})", R"(["add"])", "", 400,
     "json: cannot unmarshal string into Go value of type jsonpatch.Operation"},
};

INSTANTIATE_TEST_SUITE_P(Rfc6902, JsonPatch, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<JsonPatchCase> &info) {
                             return info.param.name;
                         });

TEST(JsonPatchAtomicity, FailedOpLeavesDocumentUntouched) {
    const auto document = parse(R"({"a":1,"b":2})");
    auto result = sandbox::applyJsonPatch(
        document, parse(R"([{"op":"remove","path":"/a"},{"op":"test","path":"/b","value":3}])"));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().reason, "Invalid");
    EXPECT_TRUE(sandbox::jsonEquals(document, parse(R"({"a":1,"b":2})")));
}

TEST(JsonPatchErrors, CauseCarriesTheMessageForKubectl) {
    auto result = sandbox::applyJsonPatch(parse(R"({"a":1})"),
                                          parse(R"([{"op":"test","path":"/a","value":2}])"));
    ASSERT_FALSE(result.ok());
    ASSERT_EQ(result.error().causes.size(), 1u);
    EXPECT_EQ(result.error().causes[0].field, "patch");
    EXPECT_EQ(result.error().causes[0].message, "testing value /a failed: test failed");
}

TEST(JsonPatchLimits, TooManyOperationsIsRejected) {
    boost::json::array ops;
    for (int i = 0; i < 10001; ++i) {
        ops.push_back(parse(R"({"op":"test","path":"","value":{}})"));
    }
    auto result = sandbox::applyJsonPatch(parse("{}"), ops);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, 413);
    EXPECT_EQ(result.error().message,
              "The allowed maximum operations in a JSON patch is 10000, got 10001");
}

} // namespace
