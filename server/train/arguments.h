#pragma once
// Minimal "--name value" / "--name=value" option parsing for forecast-train's commands.

#include <rf/result.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace forecast {

class Arguments final {
public:
    // Accepts only the named options (without "--"); flags take no value.
    static rf::Result<Arguments> parse(const std::vector<std::string> &args,
                                       const std::set<std::string> &options,
                                       const std::set<std::string> &flags = {});

    bool has(const std::string &name) const { return m_values.contains(name); }
    std::string text(const std::string &name, const std::string &fallback = {}) const;
    // Integers within [lo, hi]; the error names the option.
    rf::Result<long long> integer(const std::string &name, long long fallback, long long lo,
                                  long long hi) const;
    rf::Result<std::uint64_t> unsignedInteger(const std::string &name,
                                              std::uint64_t fallback) const;

private:
    std::map<std::string, std::string> m_values;
};

} // namespace forecast
