// AGE cells must read exactly as against a real cluster: apimachinery's HumanDuration rules.
#include "api/human_duration.h"

#include "print_test_util.h"

#include <gtest/gtest.h>

#include <chrono>

using namespace std::chrono;
using sandbox::humanDuration;
using sandbox::translateTimestampSince;

namespace {

struct Case {
    const char *name;
    nanoseconds duration;
    const char *expected;
};

constexpr auto kDay = hours(24);
constexpr auto kYear = kDay * 365;

} // namespace

TEST(DurationHuman, MatchesKubernetesRules) {
    const Case cases[] = {
        {"clock skew beyond a second is invalid", -seconds(2), "<invalid>"},
        {"a second of skew is tolerated", -milliseconds(1500), "0s"},
        {"zero", seconds(0), "0s"},
        {"sub-second truncates", milliseconds(999), "0s"},
        {"seconds", seconds(59), "59s"},
        {"seconds up to two minutes", seconds(119), "119s"},
        {"two minutes", minutes(2), "2m"},
        {"minutes and seconds below ten minutes", minutes(5) + seconds(30), "5m30s"},
        {"whole minutes drop seconds", minutes(9), "9m"},
        {"ten minutes drops seconds", minutes(10) + seconds(59), "10m"},
        {"minutes up to three hours", minutes(179), "179m"},
        {"three hours", hours(3), "3h"},
        {"hours and minutes below eight hours", hours(7) + minutes(59), "7h59m"},
        {"hours up to two days", hours(47) + minutes(59), "47h"},
        {"two days", hours(48), "2d"},
        {"days and hours below eight days", kDay * 2 + hours(3), "2d3h"},
        {"whole days", kDay * 7, "7d"},
        {"days up to two years", kDay * 729 + hours(23), "729d"},
        {"two years", kYear * 2, "2y"},
        {"years and days below eight years", kYear * 3 + kDay * 30, "3y30d"},
        {"years", kYear * 8 + kDay * 100, "8y"},
    };
    for (const auto &c : cases) {
        EXPECT_EQ(humanDuration(c.duration), c.expected) << c.name;
    }
}

TEST(DurationHuman, TimestampSinceUsesRfc3339AndMarksMissingAsUnknown) {
    const auto now = printtest::fixedNow();
    EXPECT_EQ(translateTimestampSince("2026-11-25T11:55:00Z", now), "5m");
    EXPECT_EQ(translateTimestampSince("2026-11-25T11:59:30.500000Z", now), "29s");
    EXPECT_EQ(translateTimestampSince("2026-11-23T09:00:00Z", now), "2d3h");
    EXPECT_EQ(translateTimestampSince("", now), "<unknown>");
    EXPECT_EQ(translateTimestampSince("yesterday", now), "<unknown>");
    EXPECT_EQ(translateTimestampSince("2026-11-25T12:00:05Z", now), "<invalid>");
}

TEST(DurationHuman, FastTimestampParserAgreesWithTheGeneralOne) {
    for (const char *text : {"2026-11-25T12:00:00Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z",
                             "2000-03-01T00:00:00Z", "2026-11-25T11:59:30.5Z",
                             "2026-11-25T11:40:00.123456Z", "2099-12-31T23:59:59.999999999Z"}) {
        sandbox::TimePoint fast, general;
        ASSERT_TRUE(sandbox::parseTimestamp(text, fast)) << text;
        ASSERT_TRUE(sandbox::parseRfc3339(text, general)) << text;
        EXPECT_LT(std::chrono::abs(fast - general), std::chrono::microseconds(1)) << text;
    }
    sandbox::TimePoint t;
    EXPECT_FALSE(sandbox::parseTimestamp("", t));
    EXPECT_FALSE(sandbox::parseTimestamp("not a time", t));
}
