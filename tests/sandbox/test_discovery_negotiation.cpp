// Which discovery document each client gets for /api and /apis, decided from Accept, and
// the exact Content-Type that tells kubectl how to parse it (k8s-api-notes §1).
#include "api/discovery.h"

#include <gtest/gtest.h>

using sandbox::DiscoveryFormat;
using sandbox::negotiateDiscovery;

namespace {

constexpr const char *kV2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
constexpr const char *kV2Beta1 =
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

} // namespace

TEST(DiscoveryNegotiation, Kubectl132GetsV2) {
    const auto n = negotiateDiscovery(
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/"
        "json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json");
    EXPECT_EQ(n.format, DiscoveryFormat::AggregatedV2);
    EXPECT_EQ(n.contentType, kV2);
}

TEST(DiscoveryNegotiation, Kubectl129GetsV2Beta1) {
    const auto n = negotiateDiscovery(
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/"
        "json");
    EXPECT_EQ(n.format, DiscoveryFormat::AggregatedV2Beta1);
    EXPECT_EQ(n.contentType, kV2Beta1);
}

TEST(DiscoveryNegotiation, ProtobufEntriesAreSkipped) {
    const auto n = negotiateDiscovery(
        "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
    EXPECT_EQ(n.format, DiscoveryFormat::AggregatedV2);
}

TEST(DiscoveryNegotiation, ParameterOrderAndSpacesDoNotMatter) {
    EXPECT_EQ(negotiateDiscovery("application/json; as=APIGroupDiscoveryList; v=v2; "
                                 "g=apidiscovery.k8s.io")
                  .format,
              DiscoveryFormat::AggregatedV2);
}

TEST(DiscoveryNegotiation, PlainClientsGetLegacyJson) {
    for (const char *accept : {"", "application/json", "*/*", "application/json, */*",
                               "application/yaml", "text/html"}) {
        const auto n = negotiateDiscovery(accept);
        EXPECT_EQ(n.format, DiscoveryFormat::Legacy) << accept;
        EXPECT_EQ(n.contentType, "application/json") << accept;
    }
}

TEST(DiscoveryNegotiation, PlainJsonFirstMeansLegacy) {
    EXPECT_EQ(negotiateDiscovery(std::string("application/json,") + kV2).format,
              DiscoveryFormat::Legacy);
}

TEST(DiscoveryNegotiation, UnknownVersionsAndRefusedEntriesFallThrough) {
    EXPECT_EQ(negotiateDiscovery("application/json;g=apidiscovery.k8s.io;v=v3;"
                                 "as=APIGroupDiscoveryList,application/json")
                  .format,
              DiscoveryFormat::Legacy);
    EXPECT_EQ(negotiateDiscovery(std::string(kV2) + ";q=0," + kV2Beta1).format,
              DiscoveryFormat::AggregatedV2Beta1);
    // A Table request is not a discovery format.
    EXPECT_EQ(negotiateDiscovery("application/json;as=Table;v=v1;g=meta.k8s.io").format,
              DiscoveryFormat::Legacy);
}
