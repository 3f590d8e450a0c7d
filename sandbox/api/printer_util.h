#pragma once
// Helpers the row printers share: the standard Name/Age columns, cell formatting of label
// maps and selectors, and container name/image lists. Internal to sandbox/api/printers_*.

#include "api/resource_registry.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace sandbox::printing {

using Now = std::chrono::system_clock::time_point;

TableColumn nameColumn();
TableColumn ageColumn();
TableColumn column(std::string name, std::string type, std::string description, int priority = 0);

// metadata.name and the age of metadata.creationTimestamp ("<unknown>" when unset).
std::string name(const boost::json::object &object);
std::string age(const boost::json::object &object, Now now);

// labels.FormatLabels: "a=1,b=2" sorted by key, "<none>" when empty.
std::string formatLabels(const boost::json::object *labels);
// A LabelSelector object (matchLabels + matchExpressions) in selector string form, requirements
// sorted by key: "app=web,tier in (a,b),!x". Empty when the selector selects nothing/everything.
std::string selectorString(const boost::json::object *selector);
// metav1.FormatLabelSelector: selectorString, or "<none>" when empty.
std::string formatLabelSelector(const boost::json::object *selector);

// Container names and images of a pod spec, comma-joined (layoutContainerCells).
void containerCells(const boost::json::object *podSpec, std::string &names, std::string &images);

// An IntOrString value printed as Go's IntOrString.String(): "2" or "25%"; fallback when absent.
std::string intOrString(const boost::json::value *value, std::string_view fallback);

// Resource quantities as strings ("230m", "512Mi"); integers printed as numbers; "<nil>" when
// absent, as Go's (*Quantity).String() prints a nil quantity.
std::string quantity(const boost::json::value *value);

std::int64_t intOr(const boost::json::object &object, std::initializer_list<std::string_view> path,
                   std::int64_t fallback);

} // namespace sandbox::printing
