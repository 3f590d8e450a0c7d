// Strategic merge patch: the exact bodies kubectl sends (set image, rollout restart,
// pause/resume, label/annotate, client-side apply three-way patches), every merge key of
// the built-in kinds, and the $patch / $setElementOrder / $retainKeys /
// $deleteFromPrimitiveList directives.

#include "api/patch.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <string>

namespace {

using boost::json::parse;

struct StrategicCase {
    std::string name;
    std::string kind;
    std::string document;
    std::string patch;
    std::string expected;
    int errorCode = 0;
    std::string errorMessage;
};

class StrategicMerge : public testing::TestWithParam<StrategicCase> {};

TEST_P(StrategicMerge, Applies) {
    const StrategicCase &c = GetParam();
    auto result = sandbox::applyStrategicMergePatch(parse(c.document), parse(c.patch), c.kind);
    if (c.errorCode != 0) {
        ASSERT_FALSE(result.ok()) << boost::json::serialize(result.value());
        EXPECT_EQ(result.error().code, c.errorCode);
        EXPECT_EQ(result.error().message, c.errorMessage);
        return;
    }
    ASSERT_TRUE(result.ok()) << result.error().message;
    // Order matters for lists: compare serialized canonical forms via jsonEquals.
    EXPECT_TRUE(sandbox::jsonEquals(result.value(), parse(c.expected)))
        << "got      " << boost::json::serialize(result.value()) << "\nexpected "
        << boost::json::serialize(parse(c.expected));
}

// A Deployment's pod spec with two containers; rows patch pieces of it.
#define POD_SPEC(containers) R"({"spec":{"template":{"spec":{"containers":)" containers "}}}}"

const StrategicCase kKubectl[] = {
    {"SetImage", "Deployment",
     POD_SPEC(R"([{"name":"app","image":"nginx:1.25","ports":[{"containerPort":80}]},
                  {"name":"sidecar","image":"busybox"}])"),
     R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"},
         {"name":"sidecar"}],"containers":[{"image":"nginx:1.27","name":"app"}]}}}})",
     POD_SPEC(R"([{"name":"app","image":"nginx:1.27","ports":[{"containerPort":80}]},
                  {"name":"sidecar","image":"busybox"}])")},
    {"SetImageSecondContainer", "Deployment",
     POD_SPEC(R"([{"name":"app","image":"a"},{"name":"sidecar","image":"b"}])"),
     R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"},
         {"name":"sidecar"}],"containers":[{"image":"c","name":"sidecar"}]}}}})",
     POD_SPEC(R"([{"name":"app","image":"a"},{"name":"sidecar","image":"c"}])")},
    {"RolloutRestart", "Deployment",
     R"({"spec":{"template":{"metadata":{"labels":{"app":"web"}}}}})",
     R"({"spec":{"template":{"metadata":{"annotations":{
         "kubectl.kubernetes.io/restartedAt":"2026-11-25T15:00:00Z"}}}}})",
     R"({"spec":{"template":{"metadata":{"labels":{"app":"web"},"annotations":{
         "kubectl.kubernetes.io/restartedAt":"2026-11-25T15:00:00Z"}}}}})"},
    {"RolloutRestartAgain", "Deployment",
     R"({"spec":{"template":{"metadata":{"annotations":{"a":"1",
         "kubectl.kubernetes.io/restartedAt":"2026-11-25T15:00:00Z"}}}}})",
     R"({"spec":{"template":{"metadata":{"annotations":{
         "kubectl.kubernetes.io/restartedAt":"2026-11-25T16:00:00Z"}}}}})",
     R"({"spec":{"template":{"metadata":{"annotations":{"a":"1",
         "kubectl.kubernetes.io/restartedAt":"2026-11-25T16:00:00Z"}}}}})"},
    {"RolloutPause", "Deployment", R"({"spec":{"replicas":2}})", R"({"spec":{"paused":true}})",
     R"({"spec":{"replicas":2,"paused":true}})"},
    {"RolloutResume", "Deployment", R"({"spec":{"replicas":2,"paused":true}})",
     R"({"spec":{"paused":null}})", R"({"spec":{"replicas":2}})"},
    {"ResumeWhenNotPaused", "Deployment", R"({"spec":{"replicas":2}})",
     R"({"spec":{"paused":null}})", R"({"spec":{"replicas":2}})"},
    {"LabelAddAndRemove", "Pod", R"({"metadata":{"labels":{"app":"web","tier":"fe"}}})",
     R"({"metadata":{"labels":{"tier":null,"env":"prod"}}})",
     R"({"metadata":{"labels":{"app":"web","env":"prod"}}})"},
    {"AnnotateNoExisting", "Service", R"({"metadata":{"name":"web"}})",
     R"({"metadata":{"annotations":{"team":"retail"}}})",
     R"({"metadata":{"name":"web","annotations":{"team":"retail"}}})"},
    {"ScaleViaStrategicOnMain", "Deployment", R"({"spec":{"replicas":1}})",
     R"({"spec":{"replicas":5}})", R"({"spec":{"replicas":5}})"},
    // kubectl apply (client-side) three-way patches.
    {"ApplyDeletesContainer", "Deployment",
     POD_SPEC(R"([{"name":"app","image":"a"},{"name":"sidecar","image":"b"}])"),
     R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],
         "containers":[{"$patch":"delete","name":"sidecar"}]}}}})",
     POD_SPEC(R"([{"name":"app","image":"a"}])")},
    {"ApplyRemovesDroppedFields", "Deployment",
     R"({"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"old"}},
         "spec":{"replicas":3,"minReadySeconds":5,"template":{"spec":{"containers":[
         {"name":"app","image":"a","args":["--x"],"env":[{"name":"A","value":"1"},
         {"name":"B","value":"2"}]}]}}}})",
     R"({"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"new"}},
         "spec":{"minReadySeconds":null,"template":{"spec":{"$setElementOrder/containers":
         [{"name":"app"}],"containers":[{"$setElementOrder/env":[{"name":"A"}],"args":null,
         "env":[{"$patch":"delete","name":"B"}],"name":"app"}]}}}})",
     R"({"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"new"}},
         "spec":{"replicas":3,"template":{"spec":{"containers":[
         {"name":"app","image":"a","env":[{"name":"A","value":"1"}]}]}}}})"},
    {"ApplyAddsContainerInOrder", "Deployment", POD_SPEC(R"([{"name":"app","image":"a"}])"),
     R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"init"},
         {"name":"app"}],"containers":[{"image":"i","name":"init"}]}}}})",
     POD_SPEC(R"([{"name":"init","image":"i"},{"name":"app","image":"a"}])")},
    {"ApplyReordersContainers", "Deployment",
     POD_SPEC(R"([{"name":"a","image":"1"},{"name":"b","image":"2"}])"),
     R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"b"},
         {"name":"a"}]}}}})",
     POD_SPEC(R"([{"name":"b","image":"2"},{"name":"a","image":"1"}])")},
    {"ApplyKeepsServerOnlyItemsInPlace", "Deployment",
     POD_SPEC(R"([{"name":"a"},{"name":"injected"},{"name":"b"}])"),
     R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"a"},
         {"name":"b"}],"containers":[{"name":"b","image":"x"}]}}}})",
     POD_SPEC(R"([{"name":"a"},{"name":"injected"},{"name":"b","image":"x"}])")},
    {"ApplyAddsListToEmptyField", "Deployment", R"({"spec":{"template":{"spec":{}}}})",
     R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],
         "containers":[{"name":"app","image":"a","resources":{},"x":null}]}}}})",
     POD_SPEC(R"([{"name":"app","image":"a","resources":{}}])")},
    {"ApplySwitchesStrategy", "Deployment",
     R"({"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}}}})",
     R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}})",
     R"({"spec":{"strategy":{"type":"Recreate"}}})"},
    {"ApplySwitchesVolumeSource", "Deployment",
     R"({"spec":{"template":{"spec":{"volumes":[{"name":"data","configMap":{"name":"c"}}]}}}})",
     R"({"spec":{"template":{"spec":{"$setElementOrder/volumes":[{"name":"data"}],
         "volumes":[{"$retainKeys":["emptyDir","name"],"emptyDir":{},"name":"data"}]}}}})",
     R"({"spec":{"template":{"spec":{"volumes":[{"name":"data","emptyDir":{}}]}}}})"},
};

const StrategicCase kMergeKeys[] = {
    {"EnvByName", "Deployment",
     POD_SPEC(R"([{"name":"app","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}])"),
     POD_SPEC(R"([{"name":"app","env":[{"name":"B","value":"3"}]}])"),
     POD_SPEC(R"([{"name":"app","env":[{"name":"A","value":"1"},{"name":"B","value":"3"}]}])")},
    {"InitContainersByName", "Pod",
     R"({"spec":{"initContainers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]}})",
     R"({"spec":{"initContainers":[{"name":"b","image":"3"}]}})",
     R"({"spec":{"initContainers":[{"name":"a","image":"1"},{"name":"b","image":"3"}]}})"},
    {"EphemeralContainersByName", "Pod",
     R"({"spec":{"ephemeralContainers":[{"name":"dbg","image":"1"}]}})",
     R"({"spec":{"ephemeralContainers":[{"name":"dbg","tty":true}]}})",
     R"({"spec":{"ephemeralContainers":[{"name":"dbg","image":"1","tty":true}]}})"},
    {"VolumesByName", "Pod",
     R"({"spec":{"volumes":[{"name":"a","emptyDir":{}},{"name":"b","secret":{"secretName":"s"}}]}})",
     R"({"spec":{"volumes":[{"name":"b","secret":{"defaultMode":420}}]}})",
     R"({"spec":{"volumes":[{"name":"a","emptyDir":{}},{"name":"b","secret":{"secretName":"s",
         "defaultMode":420}}]}})"},
    {"ImagePullSecretsByName", "Pod", R"({"spec":{"imagePullSecrets":[{"name":"a"}]}})",
     R"({"spec":{"imagePullSecrets":[{"name":"a"},{"name":"b"}]}})",
     R"({"spec":{"imagePullSecrets":[{"name":"a"},{"name":"b"}]}})"},
    {"ContainerPortsByContainerPort", "Pod",
     R"({"spec":{"containers":[{"name":"app","ports":[{"containerPort":80,"name":"http"},
         {"containerPort":9090,"name":"metrics"}]}]}})",
     R"({"spec":{"containers":[{"name":"app","ports":[{"containerPort":9090,"name":"prom"}]}]}})",
     R"({"spec":{"containers":[{"name":"app","ports":[{"containerPort":80,"name":"http"},
         {"containerPort":9090,"name":"prom"}]}]}})"},
    {"ServicePortsByPort", "Service",
     R"({"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443,"targetPort":8443}]}})",
     R"({"spec":{"ports":[{"port":80,"targetPort":9000}]}})",
     R"({"spec":{"ports":[{"port":80,"targetPort":9000},{"port":443,"targetPort":8443}]}})"},
    {"VolumeMountsByMountPath", "Pod",
     R"({"spec":{"containers":[{"name":"app","volumeMounts":[{"mountPath":"/a","name":"x"},
         {"mountPath":"/b","name":"y"}]}]}})",
     R"({"spec":{"containers":[{"name":"app","volumeMounts":[{"mountPath":"/b","readOnly":true}]}]}})",
     R"({"spec":{"containers":[{"name":"app","volumeMounts":[{"mountPath":"/a","name":"x"},
         {"mountPath":"/b","name":"y","readOnly":true}]}]}})"},
    {"ConditionsByType", "Deployment",
     R"({"status":{"conditions":[{"type":"Available","status":"True"},
         {"type":"Progressing","status":"True","reason":"A"}]}})",
     R"({"status":{"conditions":[{"type":"Progressing","reason":"B"}]}})",
     R"({"status":{"conditions":[{"type":"Available","status":"True"},
         {"type":"Progressing","status":"True","reason":"B"}]}})"},
    {"PodConditionsByType", "Pod",
     R"({"status":{"conditions":[{"type":"Ready","status":"False"}]}})",
     R"({"status":{"conditions":[{"type":"Ready","status":"True"}]}})",
     R"({"status":{"conditions":[{"type":"Ready","status":"True"}]}})"},
    {"OwnerReferencesByUid", "ReplicaSet",
     R"({"metadata":{"ownerReferences":[{"uid":"1","name":"a","controller":true}]}})",
     R"({"metadata":{"ownerReferences":[{"uid":"1","blockOwnerDeletion":true},{"uid":"2","name":"b"}]}})",
     R"({"metadata":{"ownerReferences":[{"uid":"1","name":"a","controller":true,
         "blockOwnerDeletion":true},{"uid":"2","name":"b"}]}})"},
    {"TolerationsReplace", "Pod", R"({"spec":{"tolerations":[{"key":"a"},{"key":"b"}]}})",
     R"({"spec":{"tolerations":[{"key":"c"}]}})", R"({"spec":{"tolerations":[{"key":"c"}]}})"},
    {"HostAliasesByIp", "Pod",
     R"({"spec":{"hostAliases":[{"ip":"10.0.0.1","hostnames":["a"]},{"ip":"10.0.0.2","hostnames":["b"]}]}})",
     R"({"spec":{"hostAliases":[{"ip":"10.0.0.2","hostnames":["c"]}]}})",
     R"({"spec":{"hostAliases":[{"ip":"10.0.0.1","hostnames":["a"]},{"ip":"10.0.0.2","hostnames":["c"]}]}})"},
    {"FinalizersUnion", "Namespace", R"({"metadata":{"finalizers":["a","b"]}})",
     R"({"metadata":{"finalizers":["b","c"]}})", R"({"metadata":{"finalizers":["a","b","c"]}})"},
    {"TopologySpreadByTopologyKey", "Pod",
     R"({"spec":{"topologySpreadConstraints":[{"topologyKey":"zone","maxSkew":1},
         {"topologyKey":"host","maxSkew":1}]}})",
     R"({"spec":{"topologySpreadConstraints":[{"topologyKey":"host","maxSkew":2}]}})",
     R"({"spec":{"topologySpreadConstraints":[{"topologyKey":"zone","maxSkew":1},
         {"topologyKey":"host","maxSkew":2}]}})"},
    {"EnvFromReplace", "Pod",
     R"({"spec":{"containers":[{"name":"app","envFrom":[{"configMapRef":{"name":"a"}}]}]}})",
     R"({"spec":{"containers":[{"name":"app","envFrom":[{"secretRef":{"name":"b"}}]}]}})",
     R"({"spec":{"containers":[{"name":"app","envFrom":[{"secretRef":{"name":"b"}}]}]}})"},
    {"ArgsReplace", "Pod", R"({"spec":{"containers":[{"name":"app","args":["a","b"]}]}})",
     R"({"spec":{"containers":[{"name":"app","args":["c"]}]}})",
     R"({"spec":{"containers":[{"name":"app","args":["c"]}]}})"},
    {"ServiceAccountSecretsByName", "ServiceAccount", R"({"secrets":[{"name":"a"}]})",
     R"({"secrets":[{"name":"b"}]})", R"({"secrets":[{"name":"b"},{"name":"a"}]})"},
    {"NewItemWithoutOrderGoesFirst", "Pod", R"({"spec":{"containers":[{"name":"a"}]}})",
     R"({"spec":{"containers":[{"name":"b"}]}})",
     R"({"spec":{"containers":[{"name":"b"},{"name":"a"}]}})"},
    {"PatchOrderReordersMergedItems", "Pod",
     R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})",
     R"({"spec":{"containers":[{"name":"b"},{"name":"a"}]}})",
     R"({"spec":{"containers":[{"name":"b"},{"name":"a"}]}})"},
    {"ConfigMapDataMerges", "ConfigMap", R"({"data":{"a":"1","b":"2"}})",
     R"({"data":{"b":null,"c":"3"}})", R"({"data":{"a":"1","c":"3"}})"},
    {"IngressRulesReplace", "Ingress", R"({"spec":{"rules":[{"host":"a"},{"host":"b"}]}})",
     R"({"spec":{"rules":[{"host":"c"}]}})", R"({"spec":{"rules":[{"host":"c"}]}})"},
};

const StrategicCase kDirectives[] = {
    {"ReplaceMap", "Deployment",
     R"({"spec":{"template":{"metadata":{"labels":{"app":"web","tier":"fe"}}}}})",
     R"({"spec":{"template":{"metadata":{"labels":{"$patch":"replace","app":"api"}}}}})",
     R"({"spec":{"template":{"metadata":{"labels":{"app":"api"}}}}})"},
    {"DeleteMap", "Deployment", R"({"spec":{"strategy":{"type":"Recreate"},"replicas":1}})",
     R"({"spec":{"strategy":{"$patch":"delete"}}})", R"({"spec":{"strategy":{},"replicas":1}})"},
    {"MergeMapExplicit", "Deployment", R"({"spec":{"replicas":1}})",
     R"({"spec":{"$patch":"merge","paused":true}})", R"({"spec":{"replicas":1,"paused":true}})"},
    {"ReplaceList", "Pod", R"({"spec":{"containers":[{"name":"a","image":"1"},{"name":"b"}]}})",
     R"({"spec":{"containers":[{"$patch":"replace"},{"name":"c","image":"3"}]}})",
     R"({"spec":{"containers":[{"name":"c","image":"3"}]}})"},
    {"DeleteListElement", "Pod", R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})",
     R"({"spec":{"containers":[{"$patch":"delete","name":"a"}]}})",
     R"({"spec":{"containers":[{"name":"b"}]}})"},
    {"DeleteMissingListElementIsNoop", "Pod", R"({"spec":{"containers":[{"name":"a"}]}})",
     R"({"spec":{"containers":[{"$patch":"delete","name":"zzz"}]}})",
     R"({"spec":{"containers":[{"name":"a"}]}})"},
    {"MergeListElementExplicit", "Pod", R"({"spec":{"containers":[{"name":"a","image":"1"}]}})",
     R"({"spec":{"containers":[{"$patch":"merge","name":"a","tty":true}]}})",
     R"({"spec":{"containers":[{"name":"a","image":"1","tty":true}]}})"},
    {"DeleteFromPrimitiveList", "Deployment", R"({"metadata":{"finalizers":["a","b","c"]}})",
     R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}})",
     R"({"metadata":{"finalizers":["a","c"]}})"},
    {"DeleteAndOrderPrimitiveList", "Deployment", R"({"metadata":{"finalizers":["a","b"]}})",
     R"({"metadata":{"$setElementOrder/finalizers":["c","a"],
         "$deleteFromPrimitiveList/finalizers":["b"],"finalizers":["c"]}})",
     R"({"metadata":{"finalizers":["c","a"]}})"},
    {"RetainKeysKeepsListed", "Deployment",
     R"({"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}})",
     R"({"spec":{"strategy":{"$retainKeys":["type","rollingUpdate"],
         "rollingUpdate":{"maxUnavailable":0}}}})",
     R"({"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,
         "maxUnavailable":0}}}})"},
    {"NullForMissingKeyIgnored", "Deployment", R"({"spec":{}})",
     R"({"spec":{"paused":null,"template":{"metadata":{"annotations":{"x":null}}}}})",
     R"({"spec":{"template":{"metadata":{"annotations":{}}}}})"},
    {"SetElementOrderWithoutListInPatchOrLive", "Pod", R"({"spec":{}})",
     R"({"spec":{"$setElementOrder/containers":[{"name":"a"}]}})", R"({"spec":{}})"},
};

const StrategicCase kErrors[] = {
    {"MissingMergeKey", "Pod", R"({"spec":{"containers":[{"name":"a"}]}})",
     R"({"spec":{"containers":[{"image":"nginx"}]}})", "", 500,
     "map: map[image:nginx] does not contain declared merge key: name"},
    {"DeleteWithoutMergeKey", "Pod", R"({"spec":{"containers":[{"name":"a"}]}})",
     R"({"spec":{"containers":[{"$patch":"delete"}]}})", "", 500,
     "map: map[$patch:delete] does not contain declared merge key: name"},
    {"UnknownPatchTypeInMap", "Deployment", R"({"spec":{}})", R"({"spec":{"$patch":"frob"}})", "",
     500, "unknown patch type: frob in map: map[$patch:frob]"},
    {"RetainKeysNotAList", "Deployment", R"({"spec":{"strategy":{}}})",
     R"({"spec":{"strategy":{"$retainKeys":"type"}}})", "", 400,
     "invalid patch format of retainKeys"},
    {"RetainKeysMissingPatchedKey", "Deployment", R"({"spec":{"strategy":{}}})",
     R"({"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{}}}})", "", 400,
     "invalid patch format of retainKeys"},
    {"SetElementOrderNotAList", "Pod", R"({"spec":{}})",
     R"({"spec":{"$setElementOrder/containers":{"name":"a"}}})", "", 400,
     "invalid patch format of setElementOrder list"},
    {"DeleteFromPrimitiveListNotAList", "Pod", R"({"metadata":{"finalizers":["a"]}})",
     R"({"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}})", "", 400,
     "invalid patch format of primitive list"},
    {"PatchNotAnObject", "Pod", R"({})", R"([1])", "", 400,
     "json: cannot unmarshal array into Go value of type map[string]interface {}"},
};

auto rowName = [](const testing::TestParamInfo<StrategicCase> &info) { return info.param.name; };

INSTANTIATE_TEST_SUITE_P(Kubectl, StrategicMerge, testing::ValuesIn(kKubectl), rowName);
INSTANTIATE_TEST_SUITE_P(MergeKeys, StrategicMerge, testing::ValuesIn(kMergeKeys), rowName);
INSTANTIATE_TEST_SUITE_P(Directives, StrategicMerge, testing::ValuesIn(kDirectives), rowName);
INSTANTIATE_TEST_SUITE_P(Errors, StrategicMerge, testing::ValuesIn(kErrors), rowName);

TEST(StrategicMergeInput, DocumentIsNotModified) {
    const auto document = parse(POD_SPEC(R"([{"name":"a","image":"1"}])"));
    const auto copy = document;
    auto result = sandbox::applyStrategicMergePatch(
        document, parse(POD_SPEC(R"([{"name":"a","image":"2"}])")), "Deployment");
    ASSERT_TRUE(result.ok());
    EXPECT_TRUE(sandbox::jsonEquals(document, copy));
}

} // namespace
