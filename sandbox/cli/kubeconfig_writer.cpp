#include "cli/kubeconfig_writer.h"

#include "cli/certificates.h"
#include "cli/secure_files.h"
#include "util/base64.h"
#include "util/yaml_json.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace sandbox {

std::string renderKubeconfig(const KubeconfigSpec &spec) {
    namespace bj = boost::json;
    bj::object cluster{{"server", spec.server},
                       {"certificate-authority-data", base64Encode(spec.caCertificatePem)}};
    bj::object user{{"token", spec.token}};
    bj::object context{{"cluster", spec.name}, {"user", spec.name}, {"namespace", spec.ns}};
    bj::object config{
        {"apiVersion", "v1"},
        {"kind", "Config"},
        {"clusters", bj::array{bj::object{{"name", spec.name}, {"cluster", std::move(cluster)}}}},
        {"users", bj::array{bj::object{{"name", spec.name}, {"user", std::move(user)}}}},
        {"contexts", bj::array{bj::object{{"name", spec.name}, {"context", std::move(context)}}}},
        {"current-context", spec.name},
        {"preferences", bj::object()},
    };
    return "# Written by forecast-sandbox; it holds a bearer token, keep it private.\n" +
           yaml::fromJson(config);
}

rf::Status writeKubeconfig(const std::filesystem::path &path, const KubeconfigSpec &spec) {
    if (path.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
    }
    return writeFileAtomic(path, renderKubeconfig(spec), 0600);
}

} // namespace sandbox
