#pragma once
// Internal to the router: the handler functions behind ApiRouter, one file per concern
// (handlers_read/write/watch/logs/meta.cpp), and the helpers they share.

#include "api/api_error.h"
#include "api/content_negotiation.h"
#include "api/resource_service.h"
#include "api/router.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace sandbox {

using Config = ApiRouterConfig;

// ---- responses (handlers_common.cpp) ---------------------------------------------------
HttpResponse jsonResponse(int status, const boost::json::value &body,
                          std::string contentType = "application/json");
HttpResponse errorResponse(const ApiError &error);
// An object answer in the negotiated format (JSON or YAML; Table formats are the read
// handlers' business).
HttpResponse objectResponse(int status, const boost::json::object &object, ResponseFormat format);
HttpResponse statusSuccess(int status, const ResourceType *type = nullptr,
                           const std::string &name = {});

// ---- query parameters (handlers_common.cpp) --------------------------------------------
ApiResult<ListOptions> listOptionsFrom(const HttpRequest &request);
// dryRun (only "All"), fieldManager, force, fieldValidation (Strict|Warn|Ignore).
// `optionsKind` names the options kind in errors ("CreateOptions", "PatchOptions", ...).
ApiResult<WriteOptions> writeOptionsFrom(const HttpRequest &request, const char *optionsKind);
// The field manager the API server assumes when a non-apply write names none.
std::string managerFromUserAgent(const HttpRequest &request);
ApiResult<bool> boolParam(const HttpRequest &request, const char *name, bool fallback);
ApiResult<std::optional<std::int64_t>> intParam(const HttpRequest &request, const char *name);
std::string queryOr(const HttpRequest &request, const char *name, std::string fallback = {});

// Applies fieldValidation to a decoded body: Strict -> error, Warn (or unset) -> Warning
// headers added to `warnings` (299 "unknown field ..."), Ignore -> nothing.
ApiResult<bool> checkFields(const ResourceType &type, const boost::json::object &body,
                            const WriteOptions &options, std::vector<std::string> &warnings);
void addWarnings(HttpResponse &response, const std::vector<std::string> &warnings);

// ---- metadata-only answers (handlers_read.cpp) -----------------------------------------
// as=PartialObjectMetadata(List): kind/apiVersion meta.k8s.io/v1 with the object's metadata.
boost::json::object partialObjectMetadata(const boost::json::object &object);

// ---- handlers --------------------------------------------------------------------------
HttpResponse handleGet(const Config &config, const HttpRequest &request, const ResourceType &type,
                       const ResourcePath &path);
HttpResponse handleList(const Config &config, const HttpRequest &request, const ResourceType &type,
                        const ResourcePath &path);
HttpResponse handleWatch(const Config &config, const HttpRequest &request, const ResourceType &type,
                         const ResourcePath &path);
HttpResponse handleCreate(const Config &config, const HttpRequest &request,
                          const ResourceType &type, const ResourcePath &path);
HttpResponse handleUpdate(const Config &config, const HttpRequest &request,
                          const ResourceType &type, const ResourcePath &path);
HttpResponse handlePatch(const Config &config, const HttpRequest &request, const ResourceType &type,
                         const ResourcePath &path);
HttpResponse handleDelete(const Config &config, const HttpRequest &request,
                          const ResourceType &type, const ResourcePath &path);
HttpResponse handleDeleteCollection(const Config &config, const HttpRequest &request,
                                    const ResourceType &type, const ResourcePath &path);
HttpResponse handleLog(const Config &config, const HttpRequest &request, const ResourceType &type,
                       const ResourcePath &path);
// services/{name}[:port]/proxy/... and pods/{name}[:port]/proxy/... (handlers_proxy.cpp).
HttpResponse handleProxy(const Config &config, const HttpRequest &request, const ResourceType &type,
                         const ResourcePath &path);
HttpResponse handleSelfSubjectAccessReview(const Config &config, const HttpRequest &request,
                                           const ResourceType &type);

// Kinds without storage of their own (ResourceRegistry::servedOnly): metrics.k8s.io
// (handlers_metrics.cpp) and autoscaling/v1 HPAs (handlers_hpa_v1.cpp).
HttpResponse handleServedOnly(const Config &config, HttpRequest &request, const ResourceType &type,
                              const ResourcePath &path);
HttpResponse handleMetrics(const Config &config, const HttpRequest &request,
                           const ResourceType &type, const ResourcePath &path);
HttpResponse handleConvertedHpa(const Config &config, HttpRequest &request,
                                const ResourceType &type, const ResourcePath &path);

// Non-resource endpoints (handlers_meta.cpp). Each returns nullopt-like 404 when the path
// is not one of its own.
HttpResponse handleVersion(const HttpRequest &request);
HttpResponse handleHealth(const HttpRequest &request, const std::string &which);
bool handleDiscovery(const Config &config, const HttpRequest &request, HttpResponse &out);
bool handleOpenApi(const Config &config, const HttpRequest &request, HttpResponse &out);

HttpResponse notFoundPath();
HttpResponse methodNotAllowed();

} // namespace sandbox
