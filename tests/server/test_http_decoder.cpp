// Request decoding for POST /predict and /predict/batch: what is accepted, and which status,
// code and message each kind of bad input gets.

#include "http/json_writer.h"
#include "http/request_decoder.h"

#include <gtest/gtest.h>

using namespace forecast::http;

namespace {

ApiError errorOf(std::string_view body) {
    auto decoded = decodePredict(body);
    EXPECT_FALSE(decoded.ok()) << body;
    return decoded.ok() ? ApiError{} : decoded.error();
}

} // namespace

TEST(RequestDecoder, StringKeysAndDefaults) {
    auto r = decodePredict(R"({"store":"north","item":"widget"})");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->store, "north");
    EXPECT_EQ(r->item, "widget");
    EXPECT_EQ(r->horizon, 28);
    ASSERT_EQ(r->quantiles().size(), 2u);
    EXPECT_DOUBLE_EQ(r->quantiles()[0], 0.1);
    EXPECT_DOUBLE_EQ(r->quantiles()[1], 0.9);
}

TEST(RequestDecoder, IntegerKeysBecomeDecimalStrings) {
    auto r = decodePredict(R"({"store":3,"item":17,"horizon":7,"quantiles":[0.05,0.5,0.95]})");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->store, "3");
    EXPECT_EQ(r->item, "17");
    EXPECT_EQ(r->horizon, 7);
    ASSERT_EQ(r->quantiles().size(), 3u);
    EXPECT_DOUBLE_EQ(r->quantiles()[2], 0.95);
}

TEST(RequestDecoder, HorizonBounds) {
    EXPECT_TRUE(decodePredict(R"({"store":1,"item":1,"horizon":1})").ok());
    EXPECT_TRUE(decodePredict(R"({"store":1,"item":1,"horizon":365})").ok());
    for (const char *body :
         {R"({"store":1,"item":1,"horizon":0})", R"({"store":1,"item":1,"horizon":366})",
          R"({"store":1,"item":1,"horizon":-5})",
          R"({"store":1,"item":1,"horizon":18446744073709551615})"}) {
        const auto e = errorOf(body);
        EXPECT_EQ(e.status, 422) << body;
        EXPECT_STREQ(e.code, "horizon_out_of_range") << body;
        EXPECT_NE(e.message.find("horizon"), std::string::npos);
    }
}

TEST(RequestDecoder, MalformedJsonIs400) {
    for (const char *body : {"", "{", "{\"store\":", "not json", "{\"store\":1,}", "[1,2"}) {
        const auto e = errorOf(body);
        EXPECT_EQ(e.status, 400) << body;
        EXPECT_STREQ(e.code, "invalid_json");
    }
}

TEST(RequestDecoder, NonObjectBodyIs422) {
    for (const char *body : {"[]", "42", "\"text\"", "null"}) {
        EXPECT_EQ(errorOf(body).status, 422) << body;
    }
}

struct FieldCase {
    const char *name;
    const char *body;
    const char *field; // must appear in the message
};

class RequestDecoderFields : public ::testing::TestWithParam<FieldCase> {};

TEST_P(RequestDecoderFields, Are422NamingTheField) {
    const auto e = errorOf(GetParam().body);
    EXPECT_EQ(e.status, 422);
    EXPECT_NE(e.message.find(GetParam().field), std::string::npos) << e.message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RequestDecoderFields,
    ::testing::Values(
        FieldCase{"missing_store", R"({"item":1})", "store"},
        FieldCase{"missing_item", R"({"store":1})", "item"},
        FieldCase{"null_store", R"({"store":null,"item":1})", "store"},
        FieldCase{"float_store", R"({"store":1.5,"item":1})", "store"},
        FieldCase{"bool_item", R"({"store":1,"item":true})", "item"},
        FieldCase{"empty_store", R"({"store":"","item":1})", "store"},
        FieldCase{"object_item", R"({"store":1,"item":{}})", "item"},
        FieldCase{"string_horizon", R"({"store":1,"item":1,"horizon":"7"})", "horizon"},
        FieldCase{"float_horizon", R"({"store":1,"item":1,"horizon":7.5})", "horizon"},
        FieldCase{"quantiles_not_array", R"({"store":1,"item":1,"quantiles":0.5})", "quantiles"},
        FieldCase{"quantile_zero", R"({"store":1,"item":1,"quantiles":[0]})", "quantiles[0]"},
        FieldCase{"quantile_one", R"({"store":1,"item":1,"quantiles":[0.5,1]})", "quantiles[1]"},
        FieldCase{"quantile_string", R"({"store":1,"item":1,"quantiles":["0.5"]})", "quantiles[0]"},
        FieldCase{"quantile_duplicate", R"({"store":1,"item":1,"quantiles":[0.5,0.5]})",
                  "quantiles"}),
    [](const auto &info) { return std::string(info.param.name); });

TEST(RequestDecoder, TooManyQuantilesIs422) {
    std::string body = R"({"store":1,"item":1,"quantiles":[)";
    for (int i = 1; i <= 40; ++i) {
        body += (i > 1 ? "," : "") + std::to_string(i / 41.0);
    }
    body += "]}";
    EXPECT_EQ(errorOf(body).status, 422);
}

TEST(RequestDecoder, DeepNestingIsRejectedNotCrashing) {
    const std::string body = std::string(10000, '[') + std::string(10000, ']');
    EXPECT_EQ(errorOf(body).status, 400);
}

TEST(RequestDecoder, BatchDecodesEachEntryOnItsOwn) {
    auto r = decodeBatch(R"({"requests":[{"store":1,"item":2},{"item":2},7]})");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->size(), 3u);
    EXPECT_TRUE((*r)[0].ok());
    ASSERT_FALSE((*r)[1].ok());
    EXPECT_NE((*r)[1].error().message.find("requests[1].store"), std::string::npos);
    ASSERT_FALSE((*r)[2].ok());
    EXPECT_EQ((*r)[2].error().status, 422);
}

TEST(RequestDecoder, BatchEnvelopeErrors) {
    EXPECT_EQ(decodeBatch("{").error().status, 400);
    EXPECT_EQ(decodeBatch("[]").error().status, 422);
    EXPECT_EQ(decodeBatch("{}").error().status, 422);
    EXPECT_NE(decodeBatch("{}").error().message.find("requests"), std::string::npos);
    EXPECT_EQ(decodeBatch(R"({"requests":{}})").error().status, 422);
    EXPECT_TRUE(decodeBatch(R"({"requests":[]})").ok());
}

TEST(RequestDecoder, BatchLimitIs1000) {
    auto build = [](int n) {
        std::string body = R"({"requests":[)";
        for (int i = 0; i < n; ++i) {
            body += (i ? "," : "") + std::string(R"({"store":1,"item":1})");
        }
        return body + "]}";
    };
    EXPECT_TRUE(decodeBatch(build(1000)).ok());
    const auto tooMany = decodeBatch(build(1001));
    ASSERT_FALSE(tooMany.ok());
    EXPECT_EQ(tooMany.error().status, 422);
    EXPECT_NE(tooMany.error().message.find("1000"), std::string::npos);
}

TEST(JsonWriter, NumbersAreRoundedAndShortest) {
    auto num = [](double v, int decimals = 3) {
        std::string out;
        json::appendNumber(out, v, decimals);
        return out;
    };
    EXPECT_EQ(num(12.5), "12.5");
    EXPECT_EQ(num(12.0), "12");
    EXPECT_EQ(num(0.0), "0");
    EXPECT_EQ(num(-0.0001), "0");
    EXPECT_EQ(num(1.23456), "1.235");
    EXPECT_EQ(num(-2.5), "-2.5");
    EXPECT_EQ(num(0.007), "0.007");
    EXPECT_EQ(num(123456.7891, 2), "123456.79");
    EXPECT_EQ(num(std::numeric_limits<double>::quiet_NaN()), "null");
    EXPECT_EQ(num(1e300), "1e+300");
}

TEST(JsonWriter, StringsAreEscaped) {
    std::string out;
    json::appendString(out, "a\"b\\c\n\x01");
    EXPECT_EQ(out, R"("a\"b\\c\n\u0001")");
}

TEST(JsonWriter, Dates) {
    using namespace std::chrono;
    std::string out;
    json::appendDate(out, sys_days{year{2026} / 1 / 9});
    EXPECT_EQ(out, "\"2026-01-09\"");
}
