#include "ingest/exchange_connector_report_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/error.h"
#include "core/text.h"
#include "ingest/exchange_fields.h"

namespace mailflow {

namespace {

// "11/10/2026" or "2026-11-10".
std::optional<DayNumber> parse_report_date(std::string_view t) {
  t = trim(t);
  if (auto d = parse_date(t)) return d;
  auto s1 = t.find('/'), s2 = t.rfind('/');
  if (s1 == std::string_view::npos || s1 == s2) return std::nullopt;
  auto number = [](std::string_view s, int& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && !s.empty();
  };
  int m, d, y;
  if (!number(t.substr(0, s1), m) || !number(t.substr(s1 + 1, s2 - s1 - 1), d) || !number(t.substr(s2 + 1), y))
    return std::nullopt;
  CivilDate c{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
  if (m < 1 || d < 1 || !valid_civil(c)) return std::nullopt;
  return days_from_civil(c);
}

// The largest count a row may give (2^40, as kMaxMessageSize for sizes): no
// connector carries that many messages in a day, so a larger count is
// garbage, and the sums below and in the daily rollup stay in 64 bits.
constexpr double kMaxReportCount = 1099511627776.0;

// "97.50%" (a share, at most 100%) or "37" (a count, at most kMaxReportCount).
bool parse_amount(std::string_view t, double& value, bool& percent) {
  t = trim(t);
  percent = !t.empty() && t.back() == '%';
  if (percent) t.remove_suffix(1);
  if (t.empty()) {
    value = 0;
    return true;
  }
  std::string s(t);
  char* end = nullptr;
  value = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(value) && value >= 0 &&
         value <= (percent ? 100.0 : kMaxReportCount);
}

}  // namespace

ExchangeConnectorReportReader::ExchangeConnectorReportReader(const ReaderOptions& options) : options_(options) {
  index_.fill(-1);
}

bool ExchangeConnectorReportReader::looks_like(const std::vector<std::string>& head) {
  for (const std::string& l : head) {
    if (trim(l).empty()) continue;
    DelimitedRecord r;
    if (r.add(l, 1) != DelimitedRecord::Status::Complete) return false;
    bool name = false, volume = false;
    for (std::size_t i = 0; i < r.size(); ++i) {
      std::string k = header_key(r.field(i));
      name |= k == "connectordirectionandname";
      volume |= k == "volume";
    }
    return name && volume;
  }
  return false;
}

void ExchangeConnectorReportReader::line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  if (!record_.open() && trim(text).empty()) return;
  if (!record_.take(text, number, sink)) return;
  if (!have_header_) {
    static const std::pair<const char*, Column> known[] = {
        {"date", Date},   {"connectordirectionandname", DirectionAndName}, {"connectortype", Type},
        {"notls", NoTls}, {"tls1.0", Tls10}, {"tls1.1", Tls11}, {"tls1.2", Tls12}, {"tls1.3", Tls13},
        {"volume", Volume}};
    for (std::size_t i = 0; i < record_.size(); ++i)
      for (const auto& [name, c] : known)
        if (header_key(record_.field(i)) == name) {
          index_[c] = static_cast<int>(i);
          names_[c] = std::string(trim(record_.field(i)));
        }
    for (Column c : {Date, DirectionAndName, Volume})
      if (index_[c] < 0)
        throw Error("ImportFormat", "line " + std::to_string(number) +
                                        ": the header lacks Date, Connector direction and name, or Volume");
    width_ = record_.size();
    have_header_ = true;
    return;
  }
  row(record_.first_line(), sink);
}

void ExchangeConnectorReportReader::row(std::int64_t number, ReaderSink& sink) {
  auto col = [&](Column c) -> std::string_view {
    return index_[c] < 0 || static_cast<std::size_t>(index_[c]) >= record_.size()
               ? std::string_view()
               : std::string_view(record_.field(static_cast<std::size_t>(index_[c])));
  };
  auto reject = [&](Column c, std::string_view what) {
    sink.reject(number, "bad " + names_[c] + " '" + std::string(trim(col(c))).substr(0, 60) + "'" +
                            std::string(what),
                record_.raw());
  };
  if (record_.size() != width_) {
    sink.reject(number, std::to_string(record_.size()) + " fields where the header names " + std::to_string(width_),
                record_.raw());
    return;
  }
  auto day = parse_report_date(col(Date));
  if (!day) return reject(Date, "");
  // "Inbound - Inbound from Fabrikam", "Outbound - Internet".
  std::string_view dn = trim(col(DirectionAndName));
  std::size_t sep = dn.find(" - ");
  auto direction = parse_direction(trim(dn.substr(0, sep)));
  if (!direction) return reject(DirectionAndName, " (expected 'Inbound - <name>' or 'Outbound - <name>')");
  std::string_view name = sep == std::string_view::npos ? std::string_view() : trim(dn.substr(sep + 3));
  std::optional<std::string> connector;
  if (!name.empty() && !iequals(name, "Internet") && !iequals(trim(col(Type)), "Internet")) connector = std::string(name);
  double volume_value;
  bool volume_percent;
  if (!parse_amount(col(Volume), volume_value, volume_percent) || volume_percent ||
      volume_value != std::floor(volume_value))
    return reject(Volume, " (expected a message count)");
  auto volume = static_cast<std::int64_t>(volume_value);

  struct Bucket {
    TlsVersion tls;
    double value;
    std::int64_t count;
  };
  std::vector<Bucket> buckets;
  bool any_percent = false;
  for (auto [c, v] : {std::pair{NoTls, TlsVersion::None}, {Tls10, TlsVersion::Tls10}, {Tls11, TlsVersion::Tls11},
                      {Tls12, TlsVersion::Tls12}, {Tls13, TlsVersion::Tls13}}) {
    if (index_[c] < 0) continue;
    double value;
    bool percent;
    if (!parse_amount(col(c), value, percent)) return reject(c, " (expected a share like 97.50% or a count)");
    any_percent |= percent;
    buckets.push_back({v, value, 0});
  }
  std::int64_t assigned = 0;
  if (any_percent) {
    // Shares of Volume: whole counts by the largest remainder, adding up to Volume.
    std::vector<std::pair<double, std::size_t>> remainders;
    double share_total = 0;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      double exact = buckets[i].value * static_cast<double>(volume) / 100.0;
      buckets[i].count = static_cast<std::int64_t>(std::floor(exact + 1e-9));
      assigned += buckets[i].count;
      remainders.push_back({exact - static_cast<double>(buckets[i].count), i});
      share_total += buckets[i].value;
    }
    if (std::fabs(share_total - 100.0) > 1.0 && volume > 0)
      return reject(NoTls, " (the TLS shares add up to " + std::to_string(share_total) + "%, not 100%)");
    std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; assigned < volume && i < remainders.size(); ++i, ++assigned)
      ++buckets[remainders[i].second].count;
  } else {
    for (Bucket& b : buckets) {
      b.count = static_cast<std::int64_t>(b.value);
      assigned += b.count;
    }
    if (assigned != volume)
      return reject(Volume, " (the TLS counts add up to " + std::to_string(assigned) + ")");
  }
  for (const Bucket& b : buckets)
    if (b.count > 0) sink.rollup_total({*day, *direction, connector, b.tls, b.count}, number);
}

void ExchangeConnectorReportReader::finish(ReaderSink& sink) {
  record_.finish(sink);
}

}  // namespace mailflow
