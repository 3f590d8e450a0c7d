#pragma once
// Field selectors (`metadata.name=web,status.phase!=Running`) with the field labels the
// real API server supports per kind; any other label is a 400 "field label not supported".

#include "api/api_error.h"
#include "api/resource_registry.h"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sandbox {

class FieldSelector final {
public:
    static ApiResult<FieldSelector> parse(std::string_view text, const ResourceType &type);
    bool matches(const boost::json::object &object) const;
    bool empty() const { return m_terms.empty(); }

    // The value a field label has on an object ("" when absent), as the server's
    // field-set functions compute it.
    static std::string fieldValue(const ResourceType &type, const boost::json::object &object,
                                  std::string_view label);
    static bool supports(const ResourceType &type, std::string_view label);

    struct Term {
        std::string label;
        bool negated = false;
        std::string value;
    };

private:
    const ResourceType *m_type = nullptr;
    std::vector<Term> m_terms;
};

} // namespace sandbox
