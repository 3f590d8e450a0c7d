// LabelSelector: the query-string grammar of k8s.io/apimachinery/pkg/labels (=, ==, !=, in,
// notin, exists, !exists; commas AND) and metav1.LabelSelector objects.
#include "api/resource_service.h"
#include "api/validation.h"
#include "util/json_util.h"

#include <algorithm>
#include <cctype>

namespace sandbox {

namespace {

using Op = LabelSelector::Requirement::Op;

enum class Token {
    End,
    Identifier,
    Not,
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    Open,
    Close,
    Comma
};

struct Lexeme {
    Token token;
    std::string text;
};

bool special(char c) {
    return c == '!' || c == '=' || c == '(' || c == ')' || c == ',' || c == '<' || c == '>' ||
           std::isspace(static_cast<unsigned char>(c));
}

class Lexer {
public:
    explicit Lexer(std::string_view text)
        : m_text(text) {}

    Lexeme next() {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos]))) {
            ++m_pos;
        }
        if (m_pos >= m_text.size()) {
            return {Token::End, ""};
        }
        const char c = m_text[m_pos];
        auto take = [&](Token t, std::size_t n) {
            Lexeme l{t, std::string(m_text.substr(m_pos, n))};
            m_pos += n;
            return l;
        };
        if (c == '!') {
            return m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '=' ? take(Token::NotEquals, 2)
                                                                         : take(Token::Not, 1);
        }
        if (c == '=') {
            return m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '='
                       ? take(Token::DoubleEquals, 2)
                       : take(Token::Equals, 1);
        }
        if (c == '(') {
            return take(Token::Open, 1);
        }
        if (c == ')') {
            return take(Token::Close, 1);
        }
        if (c == ',') {
            return take(Token::Comma, 1);
        }
        std::size_t end = m_pos;
        while (end < m_text.size() && !special(m_text[end])) {
            ++end;
        }
        if (end == m_pos) {
            // '<' or '>': numeric comparisons are not supported by label selectors here.
            return take(Token::Identifier, 1);
        }
        Lexeme l{Token::Identifier, std::string(m_text.substr(m_pos, end - m_pos))};
        m_pos = end;
        if (l.text == "in") {
            l.token = Token::In;
        } else if (l.text == "notin") {
            l.token = Token::NotIn;
        }
        return l;
    }

    Lexeme peek() {
        const std::size_t saved = m_pos;
        Lexeme l = next();
        m_pos = saved;
        return l;
    }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

ApiError parseError(const std::string &detail) {
    return ApiError::badRequest("unable to parse requirement: " + detail);
}

std::optional<ApiError> checkKey(const std::string &key) {
    const auto errors = validation::qualifiedName(key);
    if (errors.empty()) {
        return std::nullopt;
    }
    return parseError("<nil>: Invalid value: " + validation::goQuote(key) + ": " + errors.front());
}

std::optional<ApiError> checkValue(const std::string &value) {
    const auto errors = validation::labelValue(value);
    if (errors.empty()) {
        return std::nullopt;
    }
    return parseError("values[0][" + value + "]: Invalid value: " + validation::goQuote(value) +
                      ": " + errors.front());
}

} // namespace

ApiResult<LabelSelector> LabelSelector::parse(std::string_view text) {
    LabelSelector selector;
    Lexer lexer(text);
    if (lexer.peek().token == Token::End) {
        return selector;
    }
    while (true) {
        Requirement requirement;
        Lexeme first = lexer.next();
        bool negated = false;
        if (first.token == Token::Not) {
            negated = true;
            first = lexer.next();
        }
        if (first.token != Token::Identifier) {
            return parseError("found '" + first.text +
                              "', expected: !, identifier, or 'end of string'");
        }
        requirement.key = first.text;
        if (auto error = checkKey(requirement.key)) {
            return *error;
        }
        const Lexeme op = lexer.peek();
        if (negated) {
            requirement.op = Op::DoesNotExist;
        } else if (op.token == Token::Comma || op.token == Token::End) {
            requirement.op = Op::Exists;
        } else {
            lexer.next();
            if (op.token == Token::Equals || op.token == Token::DoubleEquals ||
                op.token == Token::NotEquals) {
                requirement.op = op.token == Token::NotEquals ? Op::NotEquals : Op::Equals;
                const Lexeme value = lexer.peek();
                std::string v;
                if (value.token == Token::Identifier) {
                    v = lexer.next().text;
                } else if (value.token != Token::Comma && value.token != Token::End) {
                    return parseError("found '" + value.text + "', expected: identifier");
                }
                if (auto error = checkValue(v)) {
                    return *error;
                }
                requirement.values.push_back(v);
            } else if (op.token == Token::In || op.token == Token::NotIn) {
                requirement.op = op.token == Token::In ? Op::In : Op::NotIn;
                const Lexeme open = lexer.next();
                if (open.token != Token::Open) {
                    return parseError("found '" + open.text + "', expected: '('");
                }
                while (true) {
                    Lexeme value = lexer.next();
                    std::string v;
                    if (value.token == Token::Identifier) {
                        v = value.text;
                        value = lexer.next();
                    }
                    if (auto error = checkValue(v)) {
                        return *error;
                    }
                    if (!(v.empty() && value.token == Token::Close && requirement.values.empty())) {
                        requirement.values.push_back(v);
                    }
                    if (value.token == Token::Close) {
                        break;
                    }
                    if (value.token != Token::Comma) {
                        return parseError("found '" + value.text +
                                          "', expected: ',', ')' or identifier");
                    }
                }
                if (requirement.values.empty()) {
                    return parseError("for 'in', 'notin' operators, values set can't be empty");
                }
                std::sort(requirement.values.begin(), requirement.values.end());
                requirement.values.erase(
                    std::unique(requirement.values.begin(), requirement.values.end()),
                    requirement.values.end());
            } else {
                return parseError("found '" + op.text +
                                  "', expected: in, notin, =, ==, !=, gt, lt");
            }
        }
        selector.m_requirements.push_back(std::move(requirement));
        const Lexeme separator = lexer.next();
        if (separator.token == Token::End) {
            break;
        }
        if (separator.token != Token::Comma) {
            return parseError("found '" + separator.text + "', expected: ',' or 'end of string'");
        }
    }
    std::stable_sort(selector.m_requirements.begin(), selector.m_requirements.end(),
                     [](const Requirement &a, const Requirement &b) { return a.key < b.key; });
    return selector;
}

ApiResult<LabelSelector> LabelSelector::fromObject(const boost::json::object &object) {
    LabelSelector selector;
    if (const boost::json::object *labels = json::objectAt(object, {"matchLabels"})) {
        for (const auto &[key, value] : *labels) {
            selector.m_requirements.push_back(
                Requirement{std::string(key),
                            Op::Equals,
                            {value.is_string() ? std::string(value.get_string()) : std::string()}});
        }
    }
    if (const boost::json::array *expressions = json::arrayAt(object, {"matchExpressions"})) {
        for (const boost::json::value &item : *expressions) {
            const boost::json::object *e = item.if_object();
            if (e == nullptr) {
                return ApiError::badRequest("matchExpressions entries must be objects");
            }
            Requirement requirement;
            requirement.key = json::stringAt(*e, {"key"});
            const std::string op = json::stringAt(*e, {"operator"});
            if (const boost::json::array *values = json::arrayAt(*e, {"values"})) {
                for (const boost::json::value &v : *values) {
                    if (v.is_string()) {
                        requirement.values.emplace_back(v.get_string());
                    }
                }
            }
            if (op == "In" || op == "NotIn") {
                requirement.op = op == "In" ? Op::In : Op::NotIn;
                if (requirement.values.empty()) {
                    return ApiError::badRequest(
                        "for 'in', 'notin' operators, values set can't be empty");
                }
            } else if (op == "Exists" || op == "DoesNotExist") {
                requirement.op = op == "Exists" ? Op::Exists : Op::DoesNotExist;
                if (!requirement.values.empty()) {
                    return ApiError::badRequest(
                        "values set must be empty for exists and does not exist");
                }
            } else {
                return ApiError::badRequest(validation::goQuote(op) +
                                            " is not a valid label selector operator");
            }
            std::sort(requirement.values.begin(), requirement.values.end());
            selector.m_requirements.push_back(std::move(requirement));
        }
    }
    std::stable_sort(selector.m_requirements.begin(), selector.m_requirements.end(),
                     [](const Requirement &a, const Requirement &b) { return a.key < b.key; });
    return selector;
}

bool LabelSelector::matches(const boost::json::object &labels) const {
    for (const Requirement &r : m_requirements) {
        const boost::json::value *v = labels.if_contains(r.key);
        const bool present = v != nullptr && v->is_string();
        const std::string_view value =
            present ? std::string_view(v->get_string()) : std::string_view();
        const bool listed =
            present && std::find(r.values.begin(), r.values.end(), value) != r.values.end();
        switch (r.op) {
        case Op::Equals:
        case Op::In:
            if (!listed) {
                return false;
            }
            break;
        case Op::NotEquals:
        case Op::NotIn:
            if (listed) {
                return false;
            }
            break;
        case Op::Exists:
            if (!present) {
                return false;
            }
            break;
        case Op::DoesNotExist:
            if (present) {
                return false;
            }
            break;
        }
    }
    return true;
}

std::string LabelSelector::toString() const {
    std::string text;
    for (const Requirement &r : m_requirements) {
        if (!text.empty()) {
            text += ",";
        }
        auto list = [&] {
            std::string joined;
            for (const std::string &v : r.values) {
                joined += (joined.empty() ? "" : ",") + v;
            }
            return joined;
        };
        switch (r.op) {
        case Op::Equals:
            text += r.key + "=" + (r.values.empty() ? "" : r.values.front());
            break;
        case Op::NotEquals:
            text += r.key + "!=" + (r.values.empty() ? "" : r.values.front());
            break;
        case Op::In:
            text += r.key + " in (" + list() + ")";
            break;
        case Op::NotIn:
            text += r.key + " notin (" + list() + ")";
            break;
        case Op::Exists:
            text += r.key;
            break;
        case Op::DoesNotExist:
            text += "!" + r.key;
            break;
        }
    }
    return text;
}

} // namespace sandbox
