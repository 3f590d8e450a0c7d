#pragma once
// Shorthands for writing the protobuf schema tables (protobuf_schema_*.cpp) as data that
// reads like the generated.proto it transcribes, plus the top-level kinds they define.

#include "api/protobuf_schema.h"

namespace sandbox::protobuf {

constexpr FieldSchema scalar(int number, std::string_view json, ValueKind kind,
                             Emit emit = Emit::OmitEmpty) {
    return FieldSchema{number, json, kind, false, emit, nullptr};
}
constexpr FieldSchema text(int number, std::string_view json, Emit emit = Emit::OmitEmpty) {
    return scalar(number, json, ValueKind::String, emit);
}
constexpr FieldSchema flag(int number, std::string_view json, Emit emit = Emit::OmitEmpty) {
    return scalar(number, json, ValueKind::Bool, emit);
}
constexpr FieldSchema list(int number, std::string_view json, ValueKind kind) {
    return FieldSchema{number, json, kind, true, Emit::OmitEmpty, nullptr};
}
constexpr FieldSchema texts(int number, std::string_view json) {
    return list(number, json, ValueKind::String);
}
constexpr FieldSchema message(int number, std::string_view json, const MessageSchema &schema) {
    return FieldSchema{number, json, ValueKind::Message, false, Emit::OmitEmpty, &schema};
}
constexpr FieldSchema messages(int number, std::string_view json, const MessageSchema &schema) {
    return FieldSchema{number, json, ValueKind::Message, true, Emit::OmitEmpty, &schema};
}
constexpr FieldSchema inlined(int number, const MessageSchema &schema) {
    return FieldSchema{number, {}, ValueKind::Inline, false, Emit::OmitEmpty, &schema};
}

// Top-level kinds (protobuf_schema_core.cpp and protobuf_schema_groups.cpp).
extern const MessageSchema kConfigMap;
extern const MessageSchema kSecret;
extern const MessageSchema kNamespace;
extern const MessageSchema kServiceAccount;
extern const MessageSchema kService;
extern const MessageSchema kPod;
extern const MessageSchema kDeployment;
extern const MessageSchema kIngress;
extern const MessageSchema kPodDisruptionBudget;
extern const MessageSchema kSelfSubjectAccessReview;
extern const MessageSchema kHorizontalPodAutoscalerV1;
extern const MessageSchema kHorizontalPodAutoscalerV2;

} // namespace sandbox::protobuf
