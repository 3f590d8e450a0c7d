#pragma once
// Small accessors for nested boost::json objects, so code reads
// `stringAt(pod, {"metadata", "name"})` instead of chains of if_contains().

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace sandbox::json {

using Path = std::initializer_list<std::string_view>;

// The value at path, or nullptr when any step is missing or not an object.
const boost::json::value *valueAt(const boost::json::object &root, Path path);
const boost::json::object *objectAt(const boost::json::object &root, Path path);
const boost::json::array *arrayAt(const boost::json::object &root, Path path);
// The string at path, or fallback when missing or not a string.
std::string stringAt(const boost::json::object &root, Path path, std::string_view fallback = {});
// The integer at path (int64, uint64 or an integral double), or nullopt.
std::optional<std::int64_t> intAt(const boost::json::object &root, Path path);
std::optional<bool> boolAt(const boost::json::object &root, Path path);

// The object at path, created (replacing non-objects) when missing.
boost::json::object &ensureObject(boost::json::object &root, Path path);

// metadata.name / namespace / labels / annotations shortcuts.
std::string name(const boost::json::object &object);
std::string namespaceOf(const boost::json::object &object);
const boost::json::object *labels(const boost::json::object &object);
const boost::json::object *annotations(const boost::json::object &object);
std::string annotation(const boost::json::object &object, std::string_view key);

// Deterministic serialization with object keys sorted recursively: for hashing and for
// comparing documents regardless of key order.
std::string canonical(const boost::json::value &value);

} // namespace sandbox::json
