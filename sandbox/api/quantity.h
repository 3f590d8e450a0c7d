#pragma once
// Kubernetes resource quantities ("500m", "1.5", "128Mi", "1G", "2e3") as the HPA controller
// and the metrics API need them: parsed into milli-units (what the controller computes in,
// as upstream's MilliValue()), and printed in the canonical forms the API server and
// metrics-server write (DecimalSI "230m" / "4k", BinarySI "12345Ki", nanocores "12345n").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sandbox::quantity {

// The quantity in milli-units, rounded up as resource.Quantity.MilliValue() does
// ("100m" -> 100, "1" -> 1000, "1Ki" -> 1024000). nullopt for malformed text or overflow.
std::optional<std::int64_t> parseMilli(std::string_view text);

// DecimalSI canonical form of a milli-unit value: 230 -> "230m", 1000 -> "1",
// 1500 -> "1500m", 4000000 -> "4k", 0 -> "0".
std::string formatDecimalMilli(std::int64_t milli);

// BinarySI canonical form of a byte count: 12644352 -> "12348Ki", 1048576 -> "1Mi",
// 1000000 -> "1000000", 1000 -> "1k" (below 1024 Go prints DecimalSI).
std::string formatBinary(std::int64_t bytes);

// A CPU amount in nanocores as metrics-server writes it (scale -9, canonical):
// 12345678 -> "12345678n", 5000000 -> "5m", 2000000000 -> "2".
std::string formatNanoCores(std::int64_t nanoCores);

} // namespace sandbox::quantity
