// Kubernetes protobuf request bodies: the bodies real kubectl 1.32 sends (captured into
// testdata/protobuf/ by regenerate.sh) decode to exactly the JSON that kubectl prints for
// the same command with --dry-run=client -o json; the wire-format corners; and the errors
// a client gets for bodies that are not what they claim.
#include "api/content_negotiation.h"
#include "api/protobuf_decoder.h"
#include "api/protobuf_wire.h"
#include "util/json_util.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace sandbox;
namespace bj = boost::json;

namespace {

std::string readFile(const std::filesystem::path &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::filesystem::path fixture(const std::string &name) {
    return std::filesystem::path(RF_SOURCE_DIR) / "tests/sandbox/testdata/protobuf" / name;
}

// ---- a tiny protobuf writer for hand-made bodies --------------------------------------------

std::string varint(std::uint64_t value) {
    std::string out;
    do {
        unsigned char byte = value & 0x7fU;
        value >>= 7;
        out += static_cast<char>(value ? (byte | 0x80U) : byte);
    } while (value);
    return out;
}
std::string key(int field, int wireType) {
    return varint(static_cast<std::uint64_t>(field) << 3 | static_cast<unsigned>(wireType));
}
std::string num(int field, std::uint64_t value) {
    return key(field, 0) + varint(value);
}
std::string bytes(int field, const std::string &payload) {
    return key(field, 2) + varint(payload.size()) + payload;
}
std::string fixed64(int field) {
    return key(field, 1) + std::string(8, '\x11');
}
std::string fixed32(int field) {
    return key(field, 5) + std::string(4, '\x22');
}
std::string entry(int field, const std::string &k, const std::string &v) {
    return bytes(field, bytes(1, k) + bytes(2, v));
}

std::string envelope(const std::string &apiVersion, const std::string &kind, const std::string &raw,
                     const std::string &extra = {}) {
    return std::string("k8s\0", 4) + bytes(1, bytes(1, apiVersion) + bytes(2, kind)) +
           bytes(2, raw) + extra;
}

bj::object decodeOk(const std::string &body) {
    auto result = decodeKubernetesProtobuf(body);
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
    return result.ok() ? result.value() : bj::object();
}

std::string canonical(const bj::value &value) {
    return json::canonical(value);
}

} // namespace

// ---- what real kubectl sends ------------------------------------------------------------

class KubectlBodies : public testing::TestWithParam<const char *> {};

TEST_P(KubectlBodies, DecodeToTheJsonKubectlWouldHaveSent) {
    const std::string name = GetParam();
    const std::string body = readFile(fixture(name + ".pb"));
    ASSERT_FALSE(body.empty()) << "missing fixture " << name << ".pb";
    auto decoded = decodeObjectBody("application/vnd.kubernetes.protobuf", body);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    const bj::value expected = bj::parse(readFile(fixture(name + ".json")));
    EXPECT_EQ(canonical(decoded.value()), canonical(expected));
}

INSTANTIATE_TEST_SUITE_P(
    Protobuf, KubectlBodies,
    testing::Values("configmap", "configmap-binary", "secret-generic", "secret-docker-registry",
                    "deployment", "deployment-command", "deployment-zero-replicas",
                    "service-clusterip", "service-nodeport", "service-loadbalancer",
                    "service-externalname", "namespace", "serviceaccount", "ingress",
                    "pdb-min-available", "pdb-max-unavailable", "hpa-autoscale", "ssar-resource",
                    "ssar-subresource", "ssar-nonresource"),
    [](const testing::TestParamInfo<const char *> &info) {
        std::string name = info.param;
        for (char &c : name) {
            c = c == '-' ? '_' : c;
        }
        return name;
    });

TEST(ProtobufDecode, ZeroReplicasIsKeptBecauseTheFieldIsAPointer) {
    auto object = decodeOk(readFile(fixture("deployment-zero-replicas.pb")));
    EXPECT_EQ(json::intAt(object, {"spec", "replicas"}), 0);
}

TEST(ProtobufDecode, SecretDataIsBase64AndBinaryConfigMapDataIsBinaryData) {
    auto secret = decodeOk(readFile(fixture("secret-generic.pb")));
    EXPECT_EQ(json::stringAt(secret, {"data", "password"}), "czNjcjN0IQ=="); // "s3cr3t!"
    auto blobs = decodeOk(readFile(fixture("configmap-binary.pb")));
    EXPECT_EQ(json::stringAt(blobs, {"binaryData", "blob"}), "YmluAAH+/w=="); // bin\0\1\xfe\xff
    EXPECT_EQ(json::stringAt(blobs, {"data", "text"}), "hi");
}

// ---- field semantics -------------------------------------------------------------------------

TEST(ProtobufDecode, EmptyStringsAndZerosFollowGoJsonTags) {
    // ContainerPort: name "" (omitempty) dropped, containerPort 0 (no omitempty) kept,
    // hostPort 0 (omitempty) dropped. Container.name has no omitempty either.
    std::string port = bytes(1, "") + num(2, 0) + num(3, 0) + bytes(4, "");
    std::string container = bytes(1, "") + bytes(2, "nginx") + bytes(6, port) + num(16, 0);
    std::string pod = bytes(1, bytes(1, "p")) + bytes(2, bytes(2, container));
    auto object = decodeOk(envelope("v1", "Pod", pod));
    EXPECT_EQ(bj::serialize(*json::valueAt(object, {"spec"})),
              R"({"containers":[{"name":"","image":"nginx","ports":[{"containerPort":0}]}]})");
}

TEST(ProtobufDecode, NegativeInt32AndPackedRepeatedInt64) {
    // A negative int32 travels as a 10-byte sign-extended varint.
    std::string probe = num(2, static_cast<std::uint64_t>(std::int64_t{-5}));
    std::string container = bytes(1, "c") + bytes(10, probe);
    // supplementalGroups: one packed run and one unpacked element; both append.
    std::string security = bytes(4, varint(1000) + varint(2000)) + num(4, 3000);
    std::string spec = bytes(2, container) + bytes(14, security);
    auto object = decodeOk(envelope("v1", "Pod", bytes(2, spec)));
    const auto &c = json::arrayAt(object, {"spec", "containers"})->at(0).as_object();
    EXPECT_EQ(json::intAt(c, {"livenessProbe", "initialDelaySeconds"}), -5);
    EXPECT_EQ(bj::serialize(*json::valueAt(object, {"spec", "securityContext"})),
              R"({"supplementalGroups":[1000,2000,3000]})");
}

TEST(ProtobufDecode, SpecialMessagesBecomeTheirJsonScalars) {
    std::string limits = bytes(1, bytes(1, "cpu") + bytes(2, bytes(1, "500m")));
    std::string requests = bytes(2, bytes(1, "memory") + bytes(2, bytes(1, "64Mi")));
    std::string httpGet = bytes(1, "/healthz") + bytes(2, num(1, 1) + num(2, 0) + bytes(3, "http"));
    std::string tcp = bytes(1, num(1, 0) + num(2, 8080) + bytes(3, ""));
    std::string container = bytes(1, "c") + bytes(8, limits + requests) +
                            bytes(10, bytes(1, bytes(2, httpGet))) + // Probe.handler is inline
                            bytes(11, bytes(1, bytes(3, tcp)));
    std::string meta =
        bytes(1, "p") + bytes(8, num(1, 1767225600)) + // 2026-01-01T00:00:00Z
        bytes(17, bytes(1, "kubectl") + bytes(4, num(1, 1767225600) + num(2, 5)) +
                      bytes(6, "FieldsV1") + bytes(7, bytes(1, R"({"f:data":{"f:a":{}}})")));
    auto object = decodeOk(envelope("v1", "Pod", bytes(1, meta) + bytes(2, bytes(2, container))));
    EXPECT_EQ(json::stringAt(object, {"metadata", "creationTimestamp"}), "2026-01-01T00:00:00Z");
    const auto *managed = json::arrayAt(object, {"metadata", "managedFields"});
    ASSERT_NE(managed, nullptr);
    EXPECT_EQ(bj::serialize(managed->at(0)),
              R"({"manager":"kubectl","time":"2026-01-01T00:00:00Z","fieldsType":"FieldsV1",)"
              R"("fieldsV1":{"f:data":{"f:a":{}}}})");
    const auto &c = json::arrayAt(object, {"spec", "containers"})->at(0).as_object();
    EXPECT_EQ(bj::serialize(*json::valueAt(c, {"resources"})),
              R"({"limits":{"cpu":"500m"},"requests":{"memory":"64Mi"}})");
    EXPECT_EQ(bj::serialize(*json::valueAt(c, {"livenessProbe"})),
              R"({"httpGet":{"path":"/healthz","port":"http"}})");
    EXPECT_EQ(bj::serialize(*json::valueAt(c, {"readinessProbe"})),
              R"({"tcpSocket":{"port":8080}})");
}

TEST(ProtobufDecode, ZeroTimeIsNullAsInGo) {
    auto object = decodeOk(envelope("v1", "Namespace", bytes(1, bytes(1, "n") + bytes(8, ""))));
    ASSERT_NE(json::valueAt(object, {"metadata", "creationTimestamp"}), nullptr);
    EXPECT_TRUE(json::valueAt(object, {"metadata", "creationTimestamp"})->is_null());
}

TEST(ProtobufDecode, UnknownFieldsOfEveryWireTypeAreSkipped) {
    std::string meta = bytes(1, "settings") + num(99, 7) + fixed64(100) + fixed32(101) +
                       bytes(102, "future field");
    std::string raw = bytes(1, meta) + entry(2, "a", "b") + fixed32(50) + bytes(51, "x");
    auto object = decodeOk(envelope("v1", "ConfigMap", raw));
    EXPECT_EQ(bj::serialize(object),
              R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},)"
              R"("data":{"a":"b"}})");
}

TEST(ProtobufDecode, RepeatedSingularMessageMergesAndLastScalarWins) {
    std::string raw =
        bytes(1, bytes(1, "first")) + bytes(1, bytes(3, "demo")) + bytes(1, bytes(1, "second"));
    auto object = decodeOk(envelope("v1", "ConfigMap", raw));
    EXPECT_EQ(bj::serialize(*json::valueAt(object, {"metadata"})),
              R"({"name":"second","namespace":"demo"})");
}

// ---- errors ---------------------------------------------------------------------------------

TEST(ProtobufDecode, BodyWithoutTheMagicPrefixIs400) {
    auto result = decodeObjectBody("application/vnd.kubernetes.protobuf", "{\"kind\":\"x\"}");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, 400);
    EXPECT_NE(result.error().message.find("k8s\\0"), std::string::npos) << result.error().message;
}

TEST(ProtobufDecode, TruncatedBodiesAre400AndSayWhere) {
    const std::string body = readFile(fixture("deployment.pb"));
    for (std::size_t cut : {std::size_t{5}, body.size() / 2, body.size() - 1}) {
        auto result = decodeKubernetesProtobuf(body.substr(0, cut));
        ASSERT_FALSE(result.ok()) << "cut at " << cut;
        EXPECT_EQ(result.error().code, 400);
        EXPECT_EQ(result.error().reason, "BadRequest");
        EXPECT_NE(result.error().message.find("not valid Kubernetes protobuf"), std::string::npos)
            << result.error().message;
    }
    // The message names the message type and field that broke.
    std::string badPort = key(3, 0); // ContainerPort.containerPort: a key, then nothing
    std::string raw = bytes(2, bytes(3, bytes(2, bytes(2, bytes(1, "c") + bytes(6, badPort)))));
    auto result = decodeKubernetesProtobuf(envelope("apps/v1", "Deployment", raw));
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find("truncated varint"), std::string::npos)
        << result.error().message;
    EXPECT_NE(result.error().message.find("ContainerPort"), std::string::npos)
        << result.error().message;
}

TEST(ProtobufDecode, WrongWireTypeForAKnownFieldIs400) {
    std::string raw = bytes(1, num(1, 5)); // metadata.name as a varint
    auto result = decodeKubernetesProtobuf(envelope("v1", "ConfigMap", raw));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, 400);
    EXPECT_NE(result.error().message.find("field 1 (name) of ObjectMeta"), std::string::npos)
        << result.error().message;
}

TEST(ProtobufDecode, KindsWithoutASchemaAre415NamingWhatIsDecoded) {
    auto result = decodeKubernetesProtobuf(envelope("batch/v1", "Job", bytes(1, bytes(1, "j"))));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, 415);
    EXPECT_NE(result.error().message.find("Deployment (apps/v1)"), std::string::npos);
    EXPECT_NE(result.error().message.find("send Job (batch/v1) as application/json"),
              std::string::npos)
        << result.error().message;
}

TEST(ProtobufDecode, CompressedAndKindlessEnvelopesAreRefused) {
    auto gzip = decodeKubernetesProtobuf(envelope("v1", "ConfigMap", "", bytes(3, "gzip")));
    ASSERT_FALSE(gzip.ok());
    EXPECT_EQ(gzip.error().code, 415);
    auto kindless = decodeKubernetesProtobuf(std::string("k8s\0", 4) + bytes(2, ""));
    ASSERT_FALSE(kindless.ok());
    EXPECT_EQ(kindless.error().code, 400);
}

TEST(ProtobufDecode, EmbeddedJsonThatDoesNotParseIs400) {
    std::string managed = bytes(17, bytes(7, bytes(1, "{not json")));
    auto result = decodeKubernetesProtobuf(envelope("v1", "ConfigMap", bytes(1, managed)));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, 400);
}

// ---- wire reader ----------------------------------------------------------------------------

TEST(ProtobufWire, VarintsUpToTenBytes) {
    const std::string max = varint(UINT64_MAX);
    ASSERT_EQ(max.size(), 10u);
    protobuf::WireReader reader(max);
    std::uint64_t value = 0;
    ASSERT_TRUE(reader.readVarint(value));
    EXPECT_EQ(value, UINT64_MAX);
    EXPECT_TRUE(reader.atEnd());

    const std::string tooLong(11, '\x80');
    protobuf::WireReader bad(tooLong);
    EXPECT_FALSE(bad.readVarint(value));
    EXPECT_NE(bad.error().find("longer than 10 bytes"), std::string::npos);
}

TEST(ProtobufWire, KeysFixedValuesAndBadWireTypes) {
    const std::string data = fixed64(3) + fixed32(4) + key(5, 7);
    protobuf::WireReader reader(data);
    protobuf::WireKey k;
    ASSERT_TRUE(reader.readKey(k));
    EXPECT_EQ(k.field, 3);
    EXPECT_EQ(k.type, protobuf::WireType::Fixed64);
    std::uint64_t v64 = 0;
    ASSERT_TRUE(reader.readFixed64(v64));
    EXPECT_EQ(v64, 0x1111111111111111ULL);
    ASSERT_TRUE(reader.readKey(k));
    EXPECT_EQ(k.type, protobuf::WireType::Fixed32);
    ASSERT_TRUE(reader.skip(k.type));
    EXPECT_FALSE(reader.readKey(k)); // wire type 7 does not exist
    EXPECT_NE(reader.error().find("invalid wire type 7"), std::string::npos);
}

TEST(ProtobufWire, LengthPastTheEndIsAnError) {
    const std::string data = key(1, 2) + varint(50) + "short";
    protobuf::WireReader reader(data);
    protobuf::WireKey k;
    ASSERT_TRUE(reader.readKey(k));
    std::string_view payload;
    EXPECT_FALSE(reader.readBytes(payload));
    EXPECT_NE(reader.error().find("runs past the end"), std::string::npos);
}
