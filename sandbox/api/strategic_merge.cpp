#include "api/patch.h"

namespace sandbox {

// Interim: strategic merge degrades to a JSON merge patch until the schema-driven
// implementation lands (same commit series).
ApiResult<boost::json::value> applyStrategicMergePatch(const boost::json::value &document,
                                                       const boost::json::value &patch,
                                                       std::string_view /*kind*/) {
    return applyMergePatch(document, patch);
}

} // namespace sandbox
