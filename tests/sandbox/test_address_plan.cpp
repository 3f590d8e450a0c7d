// The sandbox's address plan: each running sandbox claims its own block, pods and Services
// take their addresses from it, and a restarted sandbox gets its block back.
#include "api/resource_service.h"
#include "kubelet/pod_ip_allocator.h"
#include "network/address_plan.h"
#include "store/object_store.h"
#include "util/clock.h"
#include "util/json_util.h"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

using namespace sandbox;
namespace fs = std::filesystem;

namespace {

class TempDir {
public:
    TempDir() {
        std::random_device random;
        m_path = fs::temp_directory_path() / ("rf-address-plan-" + std::to_string(random()));
        fs::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    const fs::path &path() const { return m_path; }

private:
    fs::path m_path;
};

std::uint32_t ip(const std::string &text) {
    std::uint32_t value = 0;
    EXPECT_TRUE(parseIpv4(text, value)) << text;
    return value;
}

} // namespace

TEST(AddressPlan, TwoRunningSandboxesClaimDifferentBlocks) {
    TempDir locks, stateA, stateB;
    auto a = AddressPlan::claim(stateA.path(), locks.path() / "blocks");
    auto b = AddressPlan::claim(stateB.path(), locks.path() / "blocks");
    ASSERT_TRUE(a.ok()) << a.message();
    ASSERT_TRUE(b.ok()) << b.message();
    EXPECT_NE(a->block(), b->block());
    EXPECT_TRUE(a->claimed());
    // Their address ranges do not overlap.
    EXPECT_FALSE(a->podRange().contains(b->podRange().first));
    EXPECT_FALSE(b->podRange().contains(a->podRange().last));
    EXPECT_NE(a->serviceCidr(), b->serviceCidr());
}

TEST(AddressPlan, ARestartedSandboxGetsItsBlockBack) {
    TempDir locks, stateA, stateB;
    const fs::path dir = locks.path() / "blocks";
    int blockOfB = 0;
    {
        auto a = AddressPlan::claim(stateA.path(), dir);
        auto b = AddressPlan::claim(stateB.path(), dir);
        ASSERT_TRUE(a.ok() && b.ok());
        blockOfB = b->block();
    } // both stopped
    // B starts first this time, yet takes its recorded block, not the lowest free one.
    auto b = AddressPlan::claim(stateB.path(), dir);
    ASSERT_TRUE(b.ok()) << b.message();
    EXPECT_EQ(b->block(), blockOfB);
    auto a = AddressPlan::claim(stateA.path(), dir);
    ASSERT_TRUE(a.ok());
    EXPECT_NE(a->block(), b->block());
}

TEST(AddressPlan, ATakenRecordedBlockFallsBackToAFreeOne) {
    TempDir locks, stateA, stateB;
    const fs::path dir = locks.path() / "blocks";
    int recorded = 0;
    {
        auto a = AddressPlan::claim(stateA.path(), dir);
        ASSERT_TRUE(a.ok());
        recorded = a->block();
    }
    auto b = AddressPlan::claim(stateB.path(), dir); // takes the now free block first
    ASSERT_TRUE(b.ok());
    ASSERT_EQ(b->block(), recorded);
    auto a = AddressPlan::claim(stateA.path(), dir);
    ASSERT_TRUE(a.ok()) << a.message();
    EXPECT_NE(a->block(), recorded);
    b->release();
    EXPECT_FALSE(b->claimed());
    auto c = AddressPlan::claim({}, dir);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->block(), recorded) << "a released block is free again";
}

TEST(AddressPlan, EveryBlockTakenIsAClearError) {
    TempDir locks;
    const fs::path dir = locks.path() / "blocks";
    std::vector<AddressPlan> held;
    for (int i = AddressPlan::kFirstBlock; i <= AddressPlan::kLastBlock; ++i) {
        auto plan = AddressPlan::claim({}, dir);
        ASSERT_TRUE(plan.ok()) << plan.message();
        held.push_back(std::move(plan.value()));
    }
    auto none = AddressPlan::claim({}, dir);
    ASSERT_FALSE(none.ok());
    EXPECT_NE(none.message().find("held by running sandboxes"), std::string::npos)
        << none.message();
}

TEST(AddressPlan, RangesOfABlock) {
    const AddressPlan plan = AddressPlan::forBlock(5);
    EXPECT_EQ(formatIpv4(plan.podRange().first), "127.5.0.2");
    EXPECT_EQ(formatIpv4(plan.podRange().last), "127.5.255.254");
    EXPECT_EQ(plan.serviceCidr(), "127.69.0.0/16");
    EXPECT_EQ(plan.blockNodeIp(), "127.5.0.1");
    EXPECT_FALSE(plan.claimed());
    std::uint32_t value = 0;
    EXPECT_FALSE(parseIpv4("127.1.2", value));
    EXPECT_FALSE(parseIpv4("127.1.2.256", value));
    EXPECT_FALSE(parseIpv4("127.1.2.3 ", value));
}

TEST(AddressPlan, PodAddressesStayInsideTheBlock) {
    const Ipv4Range range = AddressPlan::forBlock(7).podRange();
    PodIpAllocator ips(range);
    for (int i = 0; i < 600; ++i) {
        const std::string address = ips.allocate("pod-" + std::to_string(i));
        const std::uint32_t value = ip(address);
        ASSERT_TRUE(range.contains(value)) << address;
        ASSERT_NE(value & 0xffu, 0u) << address;
        ASSERT_NE(value & 0xffu, 255u) << address;
    }
    EXPECT_EQ(ips.inUse(), 600u);
    EXPECT_FALSE(ips.reserve("other", "127.8.0.5")) << "another sandbox's block";
    EXPECT_TRUE(ips.reserve("kept", "127.7.200.9")) << "a pod's address from before a restart";
    ips.setRange(AddressPlan::forBlock(9).podRange());
    EXPECT_TRUE(ips.allocate("late").starts_with("127.9.")) << "new block, new addresses";
}

TEST(AddressPlan, ClusterIpsComeFromTheServiceRange) {
    SystemClock clock;
    ObjectStore store({}, ResourceRegistry::builtin(), clock);
    ASSERT_TRUE(store.load().ok());
    ResourceService service(store, ResourceRegistry::builtin(), clock);
    service.setServiceCidr(AddressPlan::forBlock(3).serviceCidr());
    const ResourceType &services = *ResourceRegistry::builtin().byResource("", "v1", "services");
    for (int i = 0; i < 20; ++i) {
        auto created =
            service.create(services, "default",
                           boost::json::parse(R"({"metadata":{"name":"s)" + std::to_string(i) +
                                              R"("},"spec":{"ports":[{"port":80}]}})")
                               .as_object(),
                           WriteOptions{});
        ASSERT_TRUE(created.ok()) << created.error().message;
        const std::string address = json::stringAt(*created, {"spec", "clusterIP"});
        EXPECT_TRUE(address.starts_with("127.67.")) << address;
        EXPECT_NE(address, "127.67.0.1") << "reserved, as the kubernetes Service's";
    }
    auto outside = service.create(services, "default",
                                  boost::json::parse(R"({"metadata":{"name":"fixed"},
            "spec":{"clusterIP":"10.96.0.50","ports":[{"port":80}]}})")
                                      .as_object(),
                                  WriteOptions{});
    ASSERT_FALSE(outside.ok());
    EXPECT_EQ(outside.error().code, 422);
    EXPECT_NE(outside.error().message.find("is not in the valid range. The range of valid IPs is "
                                           "127.67.0.0/16"),
              std::string::npos)
        << outside.error().message;
    auto inside = service.create(services, "default",
                                 boost::json::parse(R"({"metadata":{"name":"fixed"},
            "spec":{"clusterIP":"127.67.3.4","ports":[{"port":80}]}})")
                                     .as_object(),
                                 WriteOptions{});
    ASSERT_TRUE(inside.ok()) << inside.error().message;
}
