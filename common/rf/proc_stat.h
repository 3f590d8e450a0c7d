#pragma once
// One line of /proc/<pid>/stat, its fields numbered as in proc(5): field(3) is the state,
// field(14) utime, field(22) starttime. The command name (field 2) is parenthesised and may
// hold spaces and parentheses, so fields are counted from the line's last ')'. The object
// views the text it was given: keep that alive while reading fields.

#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace rf {

class ProcStatLine {
public:
    static constexpr int kLastField = 52;

    explicit ProcStatLine(std::string_view line) {
        const auto close = line.rfind(')');
        if (close == std::string_view::npos) {
            return;
        }
        std::string_view rest = line.substr(close + 1);
        int number = 3;
        while (number <= kLastField) {
            const auto start = rest.find_first_not_of(" \n");
            if (start == std::string_view::npos) {
                break;
            }
            rest.remove_prefix(start);
            const auto end = rest.find_first_of(" \n");
            m_fields[static_cast<std::size_t>(number)] = rest.substr(0, end);
            ++number;
            if (end == std::string_view::npos) {
                break;
            }
            rest.remove_prefix(end);
        }
        m_count = number - 1;
    }

    // The line had a command name and at least fields up to `number`.
    bool has(int number) const { return number >= 3 && number <= m_count; }

    // Field `number` (3..52) as text; empty when the line is shorter.
    std::string_view text(int number) const {
        return has(number) ? m_fields[static_cast<std::size_t>(number)] : std::string_view();
    }

    // Field `number` as a signed integer; 0 when absent or not a number.
    std::int64_t integer(int number) const {
        const std::string value(text(number));
        return value.empty() ? 0 : std::strtoll(value.c_str(), nullptr, 10);
    }

private:
    std::array<std::string_view, kLastField + 1> m_fields{};
    int m_count = 0;
};

} // namespace rf
