#include "arguments.h"

#include <charconv>

namespace forecast {

rf::Result<Arguments> Arguments::parse(const std::vector<std::string> &args,
                                       const std::set<std::string> &options,
                                       const std::set<std::string> &flags) {
    Arguments parsed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (!arg.starts_with("--")) {
            return rf::fail("unexpected argument '" + arg + "'");
        }
        std::string name = arg.substr(2);
        std::string value;
        bool hasValue = false;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
            hasValue = true;
        }
        if (flags.contains(name)) {
            if (hasValue) {
                return rf::fail("option --" + name + " takes no value");
            }
            parsed.m_values[name] = "1";
            continue;
        }
        if (!options.contains(name)) {
            return rf::fail("unknown option --" + name);
        }
        if (!hasValue) {
            if (i + 1 >= args.size()) {
                return rf::fail("option --" + name + " needs a value");
            }
            value = args[++i];
        }
        parsed.m_values[name] = value;
    }
    return parsed;
}

std::string Arguments::text(const std::string &name, const std::string &fallback) const {
    const auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second;
}

rf::Result<long long> Arguments::integer(const std::string &name, long long fallback, long long lo,
                                         long long hi) const {
    const auto it = m_values.find(name);
    if (it == m_values.end()) {
        return fallback;
    }
    long long v = 0;
    const std::string &s = it->second;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || v < lo || v > hi) {
        return rf::fail("option --" + name + ": '" + s + "' is not an integer from " +
                        std::to_string(lo) + " to " + std::to_string(hi));
    }
    return v;
}

rf::Result<std::uint64_t> Arguments::unsignedInteger(const std::string &name,
                                                     std::uint64_t fallback) const {
    const auto it = m_values.find(name);
    if (it == m_values.end()) {
        return fallback;
    }
    std::uint64_t v = 0;
    const std::string &s = it->second;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) {
        return rf::fail("option --" + name + ": '" + s + "' is not a non-negative integer");
    }
    return v;
}

} // namespace forecast
