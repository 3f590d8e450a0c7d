// pod-template-hash: stable, realistic-looking, and blind to the noise kubectl adds when it
// sends a ReplicaSet's template back on `rollout undo` (notes §4, §5).
#include "controllers/pod_template_hash.h"

#include "util/json_util.h"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

using namespace sandbox;
using boost::json::object;

namespace {

object parse(std::string_view text) {
    return boost::json::parse(text).as_object();
}

// What a user writes in a Deployment.
const char *kUserTemplate = R"({"metadata":{"labels":{"app":"web"}},
  "spec":{"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80}]}]}})";

// The same template as the API server stores it in the ReplicaSet (defaults applied, hash
// label added) and as kubectl sends it back on rollback (hash label dropped, then
// creationTimestamp: null and resources: {} from Go's zero values).
const char *kRollbackTemplate = R"({"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},
  "spec":{"containers":[{"name":"web","image":"nginx:1.25","imagePullPolicy":"IfNotPresent",
     "ports":[{"containerPort":80,"protocol":"TCP"}],"resources":{},
     "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
   "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler",
   "securityContext":{},"terminationGracePeriodSeconds":30}})";

} // namespace

TEST(ControllerHash, Fnv32aMatchesTheReferenceVectors) {
    EXPECT_EQ(fnv32a(""), 0x811c9dc5u);
    EXPECT_EQ(fnv32a("a"), 0xe40c292cu);
    EXPECT_EQ(fnv32a("foobar"), 0xbf9cf968u);
}

TEST(ControllerHash, SafeEncodingMapsDigitsLikeKubernetes) {
    // '0'..'9' are bytes 48..57; 48 % 27 = 21 -> '4' ... 57 % 27 = 3 -> 'f'.
    EXPECT_EQ(safeEncode("0123456789"), "456789bcdf");
    const std::string hash = computePodTemplateHash(parse(kUserTemplate));
    EXPECT_GE(hash.size(), 1u);
    EXPECT_LE(hash.size(), 10u);
    EXPECT_EQ(hash.find_first_not_of("456789bcdf"), std::string::npos) << hash;
}

TEST(ControllerHash, RandomSuffixesUseTheSafeAlphabet) {
    for (int i = 0; i < 50; ++i) {
        const std::string s = randomSafeString(5);
        ASSERT_EQ(s.size(), 5u);
        EXPECT_EQ(s.find_first_not_of(kSafeAlphabet), std::string::npos) << s;
    }
}

TEST(ControllerHash, IsStableAcrossKeyOrder) {
    const object a = parse(kUserTemplate);
    const object b = parse(R"({"spec":{"containers":[{"ports":[{"containerPort":80}],
        "image":"nginx:1.25","name":"web"}]},"metadata":{"labels":{"app":"web"}}})");
    EXPECT_EQ(computePodTemplateHash(a), computePodTemplateHash(b));
}

TEST(ControllerHash, KubectlRollbackBodyHashesToTheSameReplicaSet) {
    const object user = parse(kUserTemplate);
    object stored = parse(kRollbackTemplate);
    EXPECT_EQ(computePodTemplateHash(user), computePodTemplateHash(stored));
    EXPECT_TRUE(templatesEqualIgnoringHash(user, stored));
    // The hash label of the stored ReplicaSet template does not count either.
    json::ensureObject(stored, {"metadata", "labels"})[kPodTemplateHashLabel] = "5d59d67564";
    stored["metadata"].as_object().erase("creationTimestamp");
    EXPECT_TRUE(templatesEqualIgnoringHash(user, stored));
    EXPECT_EQ(computePodTemplateHash(user), computePodTemplateHash(stored));
}

TEST(ControllerHash, RealChangesChangeTheHash) {
    const object base = parse(kUserTemplate);
    object image = base;
    image["spec"].as_object()["containers"].as_array()[0].as_object()["image"] = "nginx:1.27";
    object annotation = base;
    json::ensureObject(annotation,
                       {"metadata", "annotations"})["kubectl.kubernetes.io/restartedAt"] =
        "2026-11-25T15:00:00Z";
    object pullPolicy = base;
    pullPolicy["spec"].as_object()["containers"].as_array()[0].as_object()["imagePullPolicy"] =
        "Always";
    EXPECT_NE(computePodTemplateHash(base), computePodTemplateHash(image));
    EXPECT_NE(computePodTemplateHash(base), computePodTemplateHash(annotation));
    EXPECT_NE(computePodTemplateHash(base), computePodTemplateHash(pullPolicy));
    EXPECT_FALSE(templatesEqualIgnoringHash(base, image));
}

TEST(ControllerHash, CollisionCountChangesTheHash) {
    const object base = parse(kUserTemplate);
    EXPECT_NE(computePodTemplateHash(base), computePodTemplateHash(base, 1));
    EXPECT_NE(computePodTemplateHash(base, 1), computePodTemplateHash(base, 2));
    EXPECT_EQ(computePodTemplateHash(base, 1), computePodTemplateHash(base, 1));
}

TEST(ControllerHash, LatestTagDefaultsToPullAlways) {
    const object latest = parse(R"({"spec":{"containers":[{"name":"c","image":"nginx"}]}})");
    const object always = parse(
        R"({"spec":{"containers":[{"name":"c","image":"nginx","imagePullPolicy":"Always"}]}})");
    const object ifPresent = parse(
        R"({"spec":{"containers":[{"name":"c","image":"nginx","imagePullPolicy":"IfNotPresent"}]}})");
    EXPECT_TRUE(templatesEqualIgnoringHash(latest, always));
    EXPECT_FALSE(templatesEqualIgnoringHash(latest, ifPresent));
}
