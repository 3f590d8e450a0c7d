// A printer must never crash or return a short row, whatever a stored object looks like:
// objects written before defaulting, partial objects, and fields of the wrong JSON type.
#include "api/resource_registry.h"
#include "api/table.h"

#include "print_test_util.h"

#include <gtest/gtest.h>

namespace bj = boost::json;

namespace {

// The same shape for every kind: known field names holding values of the wrong type.
bj::object wrongTypes() {
    return bj::parse(R"({
      "metadata": {"name": 7, "creationTimestamp": 12, "labels": "x", "deletionTimestamp": null},
      "spec": {"containers": "nope", "initContainers": [1, "x", null], "replicas": "3",
               "selector": {"matchLabels": [1], "matchExpressions": [{"key": "a", "operator": "In", "values": [1, true]}]},
               "ports": [{"port": "80", "nodePort": -1}, 5], "type": 3, "clusterIPs": [null],
               "rules": [1, {"host": 5}], "tls": {}, "metrics": [1, {"type": "Resource"}, {"type": "Bogus"}],
               "scaleTargetRef": 1, "minAvailable": 1.5, "readinessGates": [{"conditionType": 3}]},
      "status": {"phase": 1, "containerStatuses": [1, {"state": {"terminated": "x"}, "restartCount": "9",
                 "lastState": {"terminated": {"finishedAt": "garbage"}}}],
                 "initContainerStatuses": {"a": 1}, "podIPs": ["127.0.0.1"], "conditions": [1],
                 "currentMetrics": "x", "loadBalancer": {"ingress": [1, {"ip": 2}]}, "addresses": 4},
      "subsets": [1, {"addresses": [1, {"ip": 1}], "ports": [{"port": "x"}]}],
      "involvedObject": "pod", "series": [], "source": 1, "data": [1, 2], "secrets": {}
    })")
        .as_object();
}

} // namespace

TEST(PrinterRobustness, EveryPrinterSurvivesEmptyAndMistypedObjects) {
    const auto now = printtest::fixedNow();
    for (const auto &type : sandbox::ResourceRegistry::builtin().all()) {
        for (const bj::object &object : {bj::object{}, wrongTypes()}) {
            bj::array cells;
            ASSERT_NE(type.printRow, nullptr) << type.resource;
            type.printRow(object, now, cells);
            EXPECT_EQ(cells.size(), type.columns.size()) << type.resource;
            for (std::size_t i = 0; i < cells.size() && i < type.columns.size(); ++i) {
                const auto &column = type.columns[i];
                if (column.type == "integer") {
                    EXPECT_TRUE(cells[i].is_int64()) << type.resource << " " << column.name;
                }
            }
            // And the Table around it.
            const bj::object table =
                sandbox::buildTable(type, object, now, sandbox::TableOptions{});
            EXPECT_EQ(table.at("rows").as_array().size(), 1u);
        }
    }
}
