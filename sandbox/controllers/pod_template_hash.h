#pragma once
// pod-template-hash and template identity (k8s-api-notes §4, §5). The real controller
// hashes Go's deep dump of the template; we hash the canonical JSON of the *normalized*
// template (nulls and empties dropped, API defaults applied, the hash label removed), so
// the template kubectl sends on rollback (creationTimestamp: null, resources: {}) hashes
// and compares equal to the one stored in the ReplicaSet.

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sandbox {

inline constexpr std::string_view kPodTemplateHashLabel = "pod-template-hash";
// k8s.io/apimachinery/pkg/util/rand: no vowels (no words), no look-alike 0/1/3.
inline constexpr std::string_view kSafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

std::uint32_t fnv32a(std::string_view data, std::uint32_t hash = 2166136261u);
// Each byte mapped to kSafeAlphabet[byte % 27], as rand.SafeEncodeString does.
std::string safeEncode(std::string_view text);
// n random characters of kSafeAlphabet (pod name suffixes).
std::string randomSafeString(std::size_t n);

// The template as the API server would hold it, minus noise: nulls, empty objects, empty
// arrays and empty strings dropped; integral doubles made integers; pod defaults applied
// (restartPolicy, dnsPolicy, schedulerName, terminationGracePeriodSeconds, container
// terminationMessagePath/Policy, imagePullPolicy, port protocol, probe timings); the
// pod-template-hash label and metadata.creationTimestamp removed.
boost::json::object normalizePodTemplate(const boost::json::object &podTemplate);

// FNV-32a over canonical(normalized template) (+ collisionCount as 4 little-endian bytes),
// decimal, safe-encoded: e.g. "5d59d67564".
std::string computePodTemplateHash(const boost::json::object &podTemplate,
                                   std::optional<std::int64_t> collisionCount = std::nullopt);

// Template equality ignoring the hash label and normalization noise.
bool templatesEqualIgnoringHash(const boost::json::object &a, const boost::json::object &b);

} // namespace sandbox
