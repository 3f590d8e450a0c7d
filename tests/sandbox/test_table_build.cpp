// Table responses as `kubectl get` receives them: shape, column definitions serialized with
// every field, one row per object with typed cells, row.object per includeObject, list
// metadata, and the Accept header parsing that decides whether a Table is wanted.
#include "api/table.h"

#include "print_test_util.h"

#include <gtest/gtest.h>

namespace bj = boost::json;
using sandbox::IncludeObject;
using sandbox::ResourceRegistry;
using sandbox::TableOptions;

namespace {

const sandbox::ResourceType &type(const char *apiVersion, const char *kind) {
    const auto *t = ResourceRegistry::builtin().byKind(apiVersion, kind);
    EXPECT_NE(t, nullptr);
    return *t;
}

std::vector<bj::object> pods(std::initializer_list<const char *> names) {
    static const bj::object fixtures = printtest::loadFixtures("pods.json");
    std::vector<bj::object> out;
    for (const char *name : names) {
        out.push_back(printtest::fixture(fixtures, name));
    }
    return out;
}

} // namespace

TEST(TableBuild, ListTableHasKubectlShape) {
    const auto items = pods({"running", "crashloop"});
    const bj::object table = sandbox::buildTable(type("v1", "Pod"), items, printtest::fixedNow(),
                                                 TableOptions{}, {"108", "token-1", 7});
    EXPECT_EQ(table.at("kind"), "Table");
    EXPECT_EQ(table.at("apiVersion"), "meta.k8s.io/v1");
    EXPECT_EQ(
        table.at("metadata"),
        bj::parse(R"({"resourceVersion":"108","continue":"token-1","remainingItemCount":7})"));

    const auto &columns = table.at("columnDefinitions").as_array();
    ASSERT_EQ(columns.size(), 9u);
    const auto &first = columns[0].as_object();
    for (const char *field : {"name", "type", "format", "description", "priority"}) {
        EXPECT_TRUE(first.contains(field)) << field;
    }
    EXPECT_EQ(first.at("name"), "Name");
    EXPECT_EQ(first.at("format"), "name");
    EXPECT_EQ(first.at("priority"), 0);
    EXPECT_EQ(columns[5].at("name"), "IP");
    EXPECT_EQ(columns[5].at("priority"), 1);
    EXPECT_EQ(columns[5].at("format"), "");

    const auto &rows = table.at("rows").as_array();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].at("cells").as_array()[2], "CrashLoopBackOff");
    const auto &object = rows[0].at("object").as_object();
    EXPECT_EQ(object.at("kind"), "PartialObjectMetadata");
    EXPECT_EQ(object.at("apiVersion"), "meta.k8s.io/v1");
    EXPECT_EQ(object.at("metadata").at("name"), "web-7d9c6b5f4-abcde");
    EXPECT_EQ(object.at("metadata").at("labels").at("app"), "web");
    EXPECT_FALSE(object.contains("spec"));
}

TEST(TableBuild, EmptyListKeepsColumnsAndHasNoRows) {
    const bj::object table = sandbox::buildTable(type("apps/v1", "Deployment"), {},
                                                 printtest::fixedNow(), TableOptions{}, {"5"});
    EXPECT_TRUE(table.at("rows").as_array().empty());
    EXPECT_EQ(table.at("columnDefinitions").as_array().size(), 8u);
    EXPECT_EQ(table.at("metadata"), bj::parse(R"({"resourceVersion":"5"})"));
}

TEST(TableBuild, IncludeObjectChoosesRowObject) {
    const auto items = pods({"running"});
    TableOptions options;
    options.includeObject = IncludeObject::Object;
    bj::object table =
        sandbox::buildTable(type("v1", "Pod"), items, printtest::fixedNow(), options, {});
    EXPECT_EQ(table.at("rows").as_array()[0].at("object"), items[0]);

    options.includeObject = IncludeObject::None;
    table = sandbox::buildTable(type("v1", "Pod"), items, printtest::fixedNow(), options, {});
    EXPECT_TRUE(table.at("rows").as_array()[0].at("object").is_null());
}

TEST(TableBuild, SingleObjectTableCarriesObjectResourceVersion) {
    const auto items = pods({"running"});
    TableOptions options;
    options.apiVersion = "v1beta1";
    const bj::object table =
        sandbox::buildTable(type("v1", "Pod"), items[0], printtest::fixedNow(), options);
    EXPECT_EQ(table.at("apiVersion"), "meta.k8s.io/v1beta1");
    EXPECT_EQ(table.at("metadata"), bj::parse(R"({"resourceVersion":"120"})"));
    ASSERT_EQ(table.at("rows").as_array().size(), 1u);
    EXPECT_EQ(table.at("rows").as_array()[0].at("object").at("apiVersion"), "meta.k8s.io/v1beta1");
}

TEST(TableBuild, NoHeadersOmitsColumnDefinitions) {
    TableOptions options;
    options.noHeaders = true;
    const bj::object table = sandbox::buildTable(type("v1", "Pod"), pods({"running"})[0],
                                                 printtest::fixedNow(), options);
    EXPECT_FALSE(table.contains("columnDefinitions"));
    EXPECT_EQ(table.at("rows").as_array().size(), 1u);
}

TEST(TableBuild, FinishedPodsCarryCompletedRowCondition) {
    const bj::object table =
        sandbox::buildTable(type("v1", "Pod"), pods({"completed", "exitcode", "running"}),
                            printtest::fixedNow(), TableOptions{}, {});
    const auto &rows = table.at("rows").as_array();
    EXPECT_EQ(rows[0].at("conditions"),
              bj::parse(R"([{"type":"Completed","status":"True","reason":"Succeeded",
                             "message":"The pod has completed successfully."}])"));
    EXPECT_EQ(rows[1].at("conditions").as_array()[0].at("reason"), "Failed");
    EXPECT_FALSE(rows[2].as_object().contains("conditions"));
}

TEST(TableBuild, TypesWithoutPrinterFallBackToNameAndAge) {
    sandbox::ResourceType bare;
    bare.group = "example.com";
    bare.version = "v1";
    bare.kind = "Widget";
    bare.resource = "widgets";
    bj::object widget = bj::parse(R"({"apiVersion":"example.com/v1","kind":"Widget",
        "metadata":{"name":"w","creationTimestamp":"2026-11-25T11:00:00Z"}})")
                            .as_object();
    const bj::object table =
        sandbox::buildTable(bare, widget, printtest::fixedNow(), TableOptions{});
    EXPECT_EQ(table.at("columnDefinitions").as_array().size(), 2u);
    EXPECT_EQ(table.at("rows").as_array()[0].at("cells"), bj::parse(R"(["w","60m"])"));
}

TEST(TableBuild, ParsesIncludeObject) {
    EXPECT_EQ(sandbox::parseIncludeObject("").value(), IncludeObject::Metadata);
    EXPECT_EQ(sandbox::parseIncludeObject("Metadata").value(), IncludeObject::Metadata);
    EXPECT_EQ(sandbox::parseIncludeObject("Object").value(), IncludeObject::Object);
    EXPECT_EQ(sandbox::parseIncludeObject("None").value(), IncludeObject::None);
    const auto bad = sandbox::parseIncludeObject("All");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, 400);
}

TEST(TableBuild, AcceptHeaderDecidesTable) {
    // What kubectl get sends (notes §2).
    EXPECT_EQ(
        sandbox::tableVersionFromAccept(
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;"
            "g=meta.k8s.io,application/json"),
        "v1");
    EXPECT_EQ(sandbox::tableVersionFromAccept(
                  "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"),
              "v1beta1");
    EXPECT_EQ(sandbox::tableVersionFromAccept("application/json; g=meta.k8s.io; as=Table; v=v1"),
              "v1");
    // -o yaml / -o json / client-go informers.
    EXPECT_EQ(sandbox::tableVersionFromAccept("application/json"), std::nullopt);
    EXPECT_EQ(sandbox::tableVersionFromAccept(""), std::nullopt);
    EXPECT_EQ(sandbox::tableVersionFromAccept("application/json, application/json;as=Table;v=v1;"
                                              "g=meta.k8s.io"),
              std::nullopt);
    // Protobuf tables are not served; the JSON entry after them is.
    EXPECT_EQ(sandbox::tableVersionFromAccept(
                  "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/"
                  "json;as=Table;v=v1;g=meta.k8s.io"),
              "v1");
}
