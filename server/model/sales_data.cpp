#include "model/sales_data.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>
#include <unordered_map>

namespace forecast {

namespace {

// Splits RFC 4180 records: quoted fields may hold commas, doubled quotes and newlines.
class CsvCursor {
public:
    explicit CsvCursor(std::string_view text)
        : m_text(text) {
        if (m_text.starts_with("\xEF\xBB\xBF")) { // UTF-8 byte order mark
            m_pos = 3;
        }
    }

    bool atEnd() const { return m_pos >= m_text.size(); }
    int line() const { return m_line; }

    // Reads one record into fields; returns an error text for a malformed quote.
    std::string next(std::vector<std::string> &fields) {
        fields.clear();
        m_line = m_nextLine;
        std::string field;
        bool quoted = false;
        bool wasQuoted = false;
        while (m_pos < m_text.size()) {
            const char ch = m_text[m_pos++];
            if (quoted) {
                if (ch == '"') {
                    if (m_pos < m_text.size() && m_text[m_pos] == '"') {
                        field.push_back('"');
                        ++m_pos;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (ch == '\n') {
                        ++m_nextLine;
                    }
                    field.push_back(ch);
                }
            } else if (ch == '"' && !wasQuoted && trimmed(field).empty()) {
                quoted = true;
                wasQuoted = true;
                field.clear();
            } else if (ch == ',') {
                fields.push_back(finish(field, wasQuoted));
                field.clear();
                wasQuoted = false;
            } else if (ch == '\n') {
                ++m_nextLine;
                break;
            } else if (ch == '\r' && m_pos < m_text.size() && m_text[m_pos] == '\n') {
                continue;
            } else if (wasQuoted && ch != ' ' && ch != '\t') {
                return "unexpected text after a closing quote";
            } else {
                field.push_back(ch);
            }
        }
        if (quoted) {
            return "unterminated quoted field";
        }
        fields.push_back(finish(field, wasQuoted));
        return {};
    }

    static std::string_view trimmed(std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
            s.remove_prefix(1);
        }
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
            s.remove_suffix(1);
        }
        return s;
    }

private:
    static std::string finish(const std::string &field, bool quoted) {
        return quoted ? field : std::string(trimmed(field));
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    int m_line = 1;     // line where the last record started
    int m_nextLine = 1; // line where the next record starts
};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

struct Row {
    std::uint32_t series;
    std::int32_t day; // days since 1970-01-01
    double value;     // NaN for an empty or NA field
    std::int32_t line;
};

enum Column { kDate, kStore, kItem, kSales, kColumnCount };
constexpr std::array<const char *, kColumnCount> kColumnNames{"date", "store", "item", "sales"};

} // namespace

rf::Result<SalesData> parseSalesCsv(std::string_view text, std::string_view sourceName) {
    const std::string source(sourceName);
    auto failAt = [&](int line, const std::string &what) {
        return rf::fail(source + ":" + std::to_string(line) + ": " + what);
    };
    CsvCursor cursor(text);
    std::vector<std::string> fields;
    if (cursor.atEnd()) {
        return failAt(1, "empty file; expected a header line with date,store,item,sales");
    }
    if (std::string err = cursor.next(fields); !err.empty()) {
        return failAt(cursor.line(), err);
    }
    std::array<std::size_t, kColumnCount> column{};
    for (int c = 0; c < kColumnCount; ++c) {
        const auto it = std::find_if(fields.begin(), fields.end(), [&](const std::string &f) {
            return lower(f) == kColumnNames[c];
        });
        if (it == fields.end()) {
            std::string found;
            for (const std::string &f : fields) {
                found += (found.empty() ? "" : ",") + f;
            }
            return failAt(cursor.line(), std::string("header has no '") + kColumnNames[c] +
                                             "' column (header is '" + found +
                                             "'; expected date,store,item,sales)");
        }
        column[c] = static_cast<std::size_t>(it - fields.begin());
    }
    const std::size_t needed = *std::max_element(column.begin(), column.end()) + 1;

    SalesData data;
    std::unordered_map<std::string, std::uint32_t> index;
    std::vector<Row> rows;
    std::string key;
    while (!cursor.atEnd()) {
        if (std::string err = cursor.next(fields); !err.empty()) {
            return failAt(cursor.line(), err);
        }
        const int line = cursor.line();
        if (fields.size() == 1 && fields[0].empty()) {
            continue; // blank line
        }
        if (fields.size() < needed) {
            return failAt(line, "expected at least " + std::to_string(needed) + " fields, found " +
                                    std::to_string(fields.size()));
        }
        auto fieldError = [&](Column c, const std::string &what) {
            return failAt(line, std::string("field '") + kColumnNames[c] + "': " + what);
        };
        auto date = parseDate(fields[column[kDate]]);
        if (!date) {
            return fieldError(kDate, date.message());
        }
        const std::string &store = fields[column[kStore]];
        const std::string &item = fields[column[kItem]];
        if (store.empty()) {
            return fieldError(kStore, "empty");
        }
        if (item.empty()) {
            return fieldError(kItem, "empty");
        }
        const std::string &salesText = fields[column[kSales]];
        double value = std::numeric_limits<double>::quiet_NaN();
        if (!salesText.empty() && salesText != "NA") {
            const char *first = salesText.data();
            const char *last = first + salesText.size();
            const auto [end, ec] = std::from_chars(first, last, value);
            if (ec != std::errc{} || end != last || !std::isfinite(value)) {
                return fieldError(kSales, "'" + salesText + "' is not a number");
            }
            if (value < 0.0) {
                return fieldError(kSales, "'" + salesText + "' is negative");
            }
        }
        key.assign(store);
        key.push_back('\x1f');
        key.append(item);
        auto [it, inserted] = index.try_emplace(key, static_cast<std::uint32_t>(index.size()));
        if (inserted) {
            data.series.push_back(SalesSeries{store, item, {}, {}});
        }
        rows.push_back(Row{it->second, static_cast<std::int32_t>(date->time_since_epoch().count()),
                           value, line});
    }
    if (rows.empty()) {
        return failAt(cursor.line(), "no data rows after the header");
    }
    data.rows = rows.size();

    // Dense daily arrays per series; a day given twice is an error naming both lines.
    std::vector<std::int32_t> first(data.series.size(), std::numeric_limits<std::int32_t>::max());
    std::vector<std::int32_t> last(data.series.size(), std::numeric_limits<std::int32_t>::min());
    for (const Row &r : rows) {
        first[r.series] = std::min(first[r.series], r.day);
        last[r.series] = std::max(last[r.series], r.day);
    }
    std::vector<std::vector<std::int32_t>> seenAt(data.series.size());
    for (std::size_t s = 0; s < data.series.size(); ++s) {
        const auto length = static_cast<std::size_t>(std::int64_t{last[s]} - first[s] + 1);
        data.series[s].firstDate = Date{std::chrono::days{first[s]}};
        data.series[s].values.assign(length, std::numeric_limits<double>::quiet_NaN());
        seenAt[s].assign(length, 0);
    }
    for (const Row &r : rows) {
        const auto offset = static_cast<std::size_t>(r.day - first[r.series]);
        if (const std::int32_t previous = seenAt[r.series][offset]; previous != 0) {
            const SalesSeries &s = data.series[r.series];
            return failAt(r.line, "duplicate row for date " +
                                      formatDate(Date{std::chrono::days{r.day}}) + ", store '" +
                                      s.store + "', item '" + s.item + "' (first given on line " +
                                      std::to_string(previous) + ")");
        }
        seenAt[r.series][offset] = r.line;
        data.series[r.series].values[offset] = r.value;
    }
    data.start = Date{std::chrono::days{*std::min_element(first.begin(), first.end())}};
    data.end = Date{std::chrono::days{*std::max_element(last.begin(), last.end())}};
    return data;
}

rf::Result<SalesData> readSalesCsv(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        return rf::fail(
            path + ": cannot open: " +
            (err == ENOENT ? std::string("not found") : std::generic_category().message(err)));
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) {
        return rf::fail(path + ": read error");
    }
    return parseSalesCsv(buf.str(), path);
}

} // namespace forecast
