#pragma once
// Shared by the PRINT tests (registry, printers, tables, discovery, OpenAPI): fixture loading
// and a fixed "now" so ages in expected cells never depend on the wall clock.

#include "util/clock.h"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace printtest {

// Every fixture's timestamps are relative to this instant.
inline sandbox::TimePoint fixedNow() {
    sandbox::TimePoint now;
    EXPECT_TRUE(sandbox::parseRfc3339("2026-11-25T12:00:00Z", now));
    return now;
}

// tests/sandbox/testdata/printers/<file>: a JSON object of named fixture objects.
inline boost::json::object loadFixtures(const std::string &file) {
    const std::string path =
        std::string(RF_SOURCE_DIR) + "/tests/sandbox/testdata/printers/" + file;
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << "missing fixture " << path;
    std::stringstream buffer;
    buffer << in.rdbuf();
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(buffer.str(), ec);
    EXPECT_FALSE(ec) << path << ": " << ec.message();
    return value.is_object() ? value.as_object() : boost::json::object{};
}

inline const boost::json::object &fixture(const boost::json::object &fixtures,
                                          const std::string &name) {
    static const boost::json::object empty;
    const auto *value = fixtures.if_contains(name);
    EXPECT_TRUE(value && value->is_object()) << "no fixture named " << name;
    return value && value->is_object() ? value->get_object() : empty;
}

} // namespace printtest
