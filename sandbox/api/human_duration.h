#pragma once
// Ages as kubectl prints them ("45s", "5m30s", "3h", "2d3h", "1y30d"): the rules of
// apimachinery's duration.HumanDuration, which the API server applies when it builds Table
// rows, so `kubectl get` shows the same AGE here as against a real cluster.

#include <chrono>
#include <string>
#include <string_view>

namespace sandbox {

// "<invalid>" when d is more than a second in the future (clock skew beyond tolerance),
// "0s" for the tolerated second, then ~2-3 significant figures.
std::string humanDuration(std::chrono::nanoseconds d);

// Parses an RFC 3339 timestamp as the API server writes them (UTC "Z", optional fraction)
// quickly, falling back to the general parser for other forms. False when unparsable.
bool parseTimestamp(std::string_view text, std::chrono::system_clock::time_point &out);

// How long ago `timestamp` (RFC 3339, whole or fractional seconds) was, as humanDuration;
// "<unknown>" for an empty or unparsable timestamp (a zero metav1.Time).
std::string translateTimestampSince(std::string_view timestamp,
                                    std::chrono::system_clock::time_point now);

} // namespace sandbox
