// Rows for every other kind, compared as JSON so cell types are checked too: integer columns
// carry JSON integers, everything else strings, exactly as the real printers emit them
// (the server always prints the wide cells; kubectl drops priority-1 columns itself).
#include "api/printers.h"
#include "api/resource_registry.h"

#include "print_test_util.h"

#include <gtest/gtest.h>

#include <string>

namespace bj = boost::json;

namespace {

const bj::object &objects() {
    static const bj::object fixtures = printtest::loadFixtures("objects.json");
    return fixtures;
}

bj::array cellsOf(const std::string &fixtureName) {
    const bj::object &object = printtest::fixture(objects(), fixtureName);
    const auto *type = sandbox::ResourceRegistry::builtin().byKind(
        bj::value_to<std::string>(object.at("apiVersion")),
        bj::value_to<std::string>(object.at("kind")));
    EXPECT_NE(type, nullptr) << fixtureName;
    if (!type || !type->printRow) {
        ADD_FAILURE() << fixtureName << " has no printer";
        return {};
    }
    bj::array cells;
    type->printRow(object, printtest::fixedNow(), cells);
    EXPECT_EQ(cells.size(), type->columns.size()) << fixtureName;
    return cells;
}

std::vector<std::string> columnNames(const char *apiVersion, const char *kind) {
    std::vector<std::string> names;
    const auto *type = sandbox::ResourceRegistry::builtin().byKind(apiVersion, kind);
    EXPECT_NE(type, nullptr) << kind;
    if (type) {
        for (const auto &c : type->columns) {
            names.push_back(c.name + (c.priority ? "*" : ""));
        }
    }
    return names;
}

using Names = std::vector<std::string>;

} // namespace

TEST(PrinterObjects, ColumnSetsMatchKubectl) {
    // "*" marks priority-1 (wide-only) columns.
    EXPECT_EQ(columnNames("apps/v1", "Deployment"),
              (Names{"Name", "Ready", "Up-to-date", "Available", "Age", "Containers*", "Images*",
                     "Selector*"}));
    EXPECT_EQ(columnNames("apps/v1", "ReplicaSet"),
              (Names{"Name", "Desired", "Current", "Ready", "Age", "Containers*", "Images*",
                     "Selector*"}));
    EXPECT_EQ(columnNames("v1", "Service"),
              (Names{"Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector*"}));
    EXPECT_EQ(columnNames("v1", "Endpoints"), (Names{"Name", "Endpoints", "Age"}));
    EXPECT_EQ(columnNames("networking.k8s.io/v1", "Ingress"),
              (Names{"Name", "Class", "Hosts", "Address", "Ports", "Age"}));
    EXPECT_EQ(columnNames("v1", "ConfigMap"), (Names{"Name", "Data", "Age"}));
    EXPECT_EQ(columnNames("v1", "Secret"), (Names{"Name", "Type", "Data", "Age"}));
    EXPECT_EQ(columnNames("v1", "Namespace"), (Names{"Name", "Status", "Age"}));
    EXPECT_EQ(columnNames("v1", "ServiceAccount"), (Names{"Name", "Secrets", "Age"}));
    EXPECT_EQ(columnNames("v1", "Node"),
              (Names{"Name", "Status", "Roles", "Age", "Version", "Internal-IP*", "External-IP*",
                     "OS-Image*", "Kernel-Version*", "Container-Runtime*"}));
    EXPECT_EQ(columnNames("autoscaling/v2", "HorizontalPodAutoscaler"),
              (Names{"Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"}));
    EXPECT_EQ(columnNames("v1", "Event"),
              (Names{"Last Seen", "Type", "Reason", "Object", "Subobject*", "Source*", "Message",
                     "First Seen*", "Count*", "Name*"}));
    EXPECT_EQ(columnNames("policy/v1", "PodDisruptionBudget"),
              (Names{"Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"}));
    EXPECT_EQ(columnNames("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
              (Names{"Name", "Created At"}));
    EXPECT_EQ(columnNames("monitoring.coreos.com/v1", "PrometheusRule"), (Names{"Name", "Age"}));
}

TEST(PrinterObjects, EveryKindHasWellFormedColumns) {
    for (const auto &type : sandbox::ResourceRegistry::builtin().all()) {
        ASSERT_NE(type.printRow, nullptr) << type.resource;
        ASSERT_FALSE(type.columns.empty()) << type.resource;
        int nameColumns = 0;
        for (const auto &c : type.columns) {
            EXPECT_FALSE(c.description.empty()) << type.resource << " " << c.name;
            EXPECT_TRUE(c.type == "string" || c.type == "integer" || c.type == "date")
                << type.resource << " " << c.name << " " << c.type;
            EXPECT_TRUE(c.priority == 0 || c.priority == 1);
            if (c.format == "name") {
                ++nameColumns;
                EXPECT_EQ(c.name, "Name");
            }
        }
        EXPECT_EQ(nameColumns, 1) << type.resource;
    }
}

TEST(PrinterObjects, Deployment) {
    // Selector requirements are sorted by key, as labels.Selector prints them.
    EXPECT_EQ(cellsOf("deployment"),
              bj::parse(R"j(["web","2/3",3,2,"5m30s","app,sidecar","forecast-api:1.2,busybox:1.36",
                            "app=web,!canary,env in (dev,prod),tier=api"])j"));
    EXPECT_EQ(cellsOf("deploymentNew"),
              bj::parse(R"j(["fresh","0/0",0,0,"2s","app","nginx","app=fresh"])j"));
}

TEST(PrinterObjects, ReplicaSet) {
    EXPECT_EQ(cellsOf("replicaset"),
              bj::parse(R"j(["web-7d9c6b5f4",3,3,2,"2d6h","app","forecast-api:1.2",
                            "app=web,pod-template-hash=7d9c6b5f4"])j"));
}

TEST(PrinterObjects, Services) {
    EXPECT_EQ(cellsOf("serviceNodePort"),
              bj::parse(R"j(["web","NodePort","10.96.0.20","<none>","80:30080/TCP,9090:30090/TCP",
                            "60m","app=web"])j"));
    EXPECT_EQ(cellsOf("serviceClusterIP"),
              bj::parse(R"j(["db","ClusterIP","10.96.0.30","<none>","5432/TCP","5d","<none>"])j"));
    EXPECT_EQ(cellsOf("serviceLoadBalancer"),
              bj::parse(R"j(["public","LoadBalancer","10.96.0.40","<pending>","443:31443/TCP",
                            "60s","app=web,tier=edge"])j"));
    EXPECT_EQ(cellsOf("serviceHeadless"),
              bj::parse(R"j(["peers","ClusterIP","None","192.0.2.1,192.0.2.2","<none>","60s",
                            "<none>"])j"));
    EXPECT_EQ(cellsOf("serviceExternalName")[3], "api.example.com");
    EXPECT_EQ(cellsOf("serviceExternalName")[2], "<none>");
}

TEST(PrinterObjects, Endpoints) {
    EXPECT_EQ(cellsOf("endpoints"),
              bj::parse(R"j(["web","127.0.1.2:5000,127.0.1.3:5000,127.0.1.2:9090 + 1 more...",
                            "60m"])j"));
    EXPECT_EQ(cellsOf("endpointsEmpty")[1], "<none>");
    EXPECT_EQ(cellsOf("endpointsNotReady")[1], "");
}

TEST(PrinterObjects, Ingress) {
    EXPECT_EQ(
        cellsOf("ingress"),
        bj::parse(
            R"j(["web","nginx","forecast.example.com,api.example.com,a.example.com + 2 more...",
                            "192.0.2.10,lb.example.com","80, 443","60m"])j"));
    EXPECT_EQ(cellsOf("ingressNullClass")[1], "<none>");
    EXPECT_EQ(cellsOf("ingressBare"), bj::parse(R"j(["bare","<none>","*","","80","60m"])j"));
}

TEST(PrinterObjects, ConfigDataAndNamespaces) {
    EXPECT_EQ(cellsOf("configmap"), bj::parse(R"j(["forecast-config",3,"60m"])j"));
    EXPECT_EQ(cellsOf("secret"), bj::parse(R"j(["forecast-secret","Opaque",1,"60m"])j"));
    // Keys of data and a leftover stringData count once each.
    EXPECT_EQ(cellsOf("secretStringData"), bj::parse(R"j(["tls","kubernetes.io/tls",3,"60m"])j"));
    EXPECT_EQ(cellsOf("namespace"), bj::parse(R"j(["retail-forecast","Active","7d"])j"));
    EXPECT_EQ(cellsOf("serviceaccount"), bj::parse(R"j(["default",0,"60m"])j"));
}

TEST(PrinterObjects, Node) {
    EXPECT_EQ(cellsOf("node"),
              bj::parse(R"j(["forecast-sandbox","Ready","control-plane","4h","v1.32.0-sandbox",
                            "127.0.0.1","<none>","Debian GNU/Linux 12 (bookworm)","6.1.0",
                            "<unknown>"])j"));
}

TEST(PrinterObjects, Events) {
    EXPECT_EQ(cellsOf("eventRecorded"),
              bj::parse(R"j(["2m","Normal","ScalingReplicaSet","deployment/web","",
                            "deployment-controller",
                            "Scaled up replica set web-7d9c6b5f4 from 0 to 3","10m",4,
                            "web.17a2b3c4d5e6f708"])j"));
    // events.k8s.io-style event: eventTime for FIRST SEEN, series for LAST SEEN and COUNT,
    // reporting controller and instance as SOURCE. MicroTime fractions truncate as in Go:
    // 19m59.88s is "19m".
    EXPECT_EQ(cellsOf("eventNewApi"),
              bj::parse(R"j(["30s","Warning","BackOff","pod/web-bad-xyz12","spec.containers{app}",
                            "kubelet, forecast-sandbox","Back-off restarting failed container app",
                            "19m",12,"web-bad.1"])j"));
    EXPECT_EQ(cellsOf("eventSingleton"),
              bj::parse(R"j(["59s","Normal","Starting","node","","","Starting sandbox","59s",1,
                            "cluster.1"])j"));
}

TEST(PrinterObjects, PodDisruptionBudget) {
    EXPECT_EQ(cellsOf("pdb"), bj::parse(R"j(["web","2","N/A",1,"60m"])j"));
    EXPECT_EQ(cellsOf("pdbPercent"), bj::parse(R"j(["web-pct","N/A","25%",0,"60m"])j"));
}

TEST(PrinterObjects, HorizontalPodAutoscaler) {
    EXPECT_EQ(cellsOf("hpa"),
              bj::parse(R"j(["web","Deployment/web","cpu: 45%/70%, memory: <unknown>/80%","2",10,3,
                            "60m"])j"));
    // No status yet: every current value unknown; only two metrics are listed.
    EXPECT_EQ(cellsOf("hpaUnmeasured"), bj::parse(R"j(["fresh","Deployment/fresh",
                            "cpu: <unknown>/70%, memory: <unknown>/256Mi + 1 more...","<unset>",5,0,
                            "60s"])j"));
    EXPECT_EQ(cellsOf("hpaNoMetrics")[2], "<none>");
}

TEST(PrinterObjects, CustomResourceDefinitionsAndCustomResources) {
    EXPECT_EQ(cellsOf("crd"),
              bj::parse(R"j(["prometheusrules.monitoring.coreos.com","2026-11-01T08:30:00Z"])j"));
    EXPECT_EQ(cellsOf("prometheusrule"), bj::parse(R"j(["forecast-alerts","15m"])j"));
}
