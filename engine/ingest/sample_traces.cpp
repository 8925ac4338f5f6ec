#include "ingest/sample_traces.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/trace.h"

namespace mailflow {

namespace {

// xoshiro256** seeded through splitmix64 (Blackman and Vigna, public domain
// algorithms). Only integer operations, so the stream is the same everywhere.
class SampleRandom {
 public:
  explicit SampleRandom(std::uint64_t seed) {
    for (auto& word : s_) {
      seed += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      word = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) by multiply-shift (bias below 2^-32 for our n).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>((next() >> 1) % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool percent(std::uint32_t p) { return below(1000) < p * 10; }
  bool permille(std::uint32_t p) { return below(1000) < p; }
  template <typename T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(static_cast<std::uint32_t>(N))];
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// Integer weights: returns the index chosen.
std::size_t weighted(SampleRandom& rng, std::span<const std::uint32_t> weights) {
  std::uint32_t total = 0;
  for (auto w : weights) total += w;
  std::uint32_t r = rng.below(total);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (r < weights[i]) return i;
    r -= weights[i];
  }
  return weights.size() - 1;
}

constexpr std::string_view kFirst[] = {
    "megan", "alex", "lee", "nestor", "adele", "diego", "isaiah", "joni", "lidia", "lynne",
    "miriam", "patti", "pradeep", "grady", "johanna", "henrietta", "irvin", "christie", "allan",
    "debra", "enrico", "emily", "cameron", "raul", "brian", "kayo", "ravi", "sanjay", "ingrid",
    "tomas", "yuki", "fatima", "olga", "pierre", "anna", "marco", "sofia", "jakub", "chen", "amir"};
constexpr std::string_view kLast[] = {
    "bowen", "wilber", "gu", "wilke", "vance", "siciliani", "langer", "sherman", "holloway",
    "robbins", "graham", "fernandez", "gupta", "archie", "lauer", "mueller", "sanders", "cline",
    "deyoung", "berger", "catteneo", "braun", "white", "santos", "johnson", "miyazawa", "kumar",
    "rao", "larsen", "novak", "tanaka", "hassan", "petrova", "dubois", "kowalski", "rossi",
    "moreau", "nowak", "li", "rahimi"};
// Microsoft's fictitious company names, standing for the internet.
constexpr std::string_view kInternetDomains[] = {
    "northwindtraders.com", "adatum.com", "tailspintoys.com", "wingtiptoys.com",
    "woodgrovebank.com", "litwareinc.com", "proseware.com", "lucernepublishing.com",
    "treyresearch.net", "alpineskihouse.com", "fourthcoffee.com", "wideworldimporters.com",
    "margiestravel.com", "cohowinery.com", "humongousinsurance.com", "relecloud.com",
    "consolidatedmessenger.com", "blueyonderairlines.com", "southridgevideo.com",
    "bellowscollege.com", "fineartschool.net", "graphicdesigninstitute.com", "cpandl.com",
    "lamnahealthcare.com", "munsonspicklesandpreservescompany.com", "nodpublishers.com"};
constexpr std::string_view kNewsletterLocal[] = {"news", "noreply", "newsletter", "billing",
                                                 "notifications", "info", "support", "orders"};
constexpr std::string_view kLegacyApps[] = {"scanner", "erp-noreply", "alerts", "payroll",
                                            "helpdesk", "backup-report"};
constexpr std::string_view kLegacyHosts[] = {"mfp-2f.contoso.com", "mfp-3f.contoso.com",
                                             "erp01.contoso.com", "app01.contoso.com",
                                             "mon01.contoso.com"};

enum class Stream { InternetIn, InternetOut, OnPremIn, OnPremOut, PartnerIn, PartnerOut, Legacy };

struct StreamProfile {
  Stream stream;
  Direction direction;
  const char* connector;  // nullptr: no connector
  std::uint32_t share;    // per mille of a business day's volume
  std::uint32_t weekend;  // percent of the weekday volume on Saturday/Sunday
  // Weights for None, TLS1.0, TLS1.1, TLS1.2, TLS1.3.
  std::uint32_t tls[5];
};

constexpr StreamProfile kProfiles[] = {
    {Stream::InternetIn, Direction::Inbound, nullptr, 380, 45, {40, 30, 10, 470, 450}},
    {Stream::InternetOut, Direction::Outbound, nullptr, 220, 20, {35, 20, 5, 440, 500}},
    {Stream::OnPremIn, Direction::Inbound, "Contoso On-Premises Inbound", 120, 25, {0, 0, 0, 700, 300}},
    {Stream::OnPremOut, Direction::Outbound, "Contoso On-Premises Outbound", 100, 25, {0, 0, 0, 650, 350}},
    {Stream::PartnerIn, Direction::Inbound, "Fabrikam Partner Inbound", 70, 10, {30, 720, 0, 250, 0}},
    {Stream::PartnerOut, Direction::Outbound, "Fabrikam Partner Outbound", 50, 10, {0, 0, 0, 900, 100}},
    {Stream::Legacy, Direction::Inbound, "Legacy App Relay", 60, 60, {550, 150, 0, 300, 0}},
};

// Relative volume per UTC hour: night, the morning peak, a lunch dip, the
// afternoon, the evening tail.
constexpr std::uint32_t kOfficeHours[24] = {3,  2,  2,  2,  3,  5,  12, 40, 90, 100, 100, 95,
                                            70, 85, 100, 95, 85, 60, 30, 18, 12, 8,  6,  4};
// Scanners and batch jobs: a nightly report run at 02:00, then office hours.
constexpr std::uint32_t kLegacyHours[24] = {4,  4,  60, 8,  4,  4,  10, 40, 80, 90, 90, 80,
                                            60, 80, 90, 90, 80, 50, 20, 10, 6,  4,  4,  4};

constexpr std::string_view kTls13Ciphers[] = {"TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384",
                                              "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"};
constexpr std::string_view kTls12Ciphers[] = {
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"};
constexpr std::string_view kLegacyCiphers[] = {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                                               "TLS_RSA_WITH_AES_128_CBC_SHA",
                                               "TLS_RSA_WITH_AES_256_CBC_SHA"};

struct SampleRow {
  UnixSeconds received;
  std::uint64_t order;  // ties broken by generation order, so sorting is total
  std::string line;
};

class SampleWriter {
 public:
  explicit SampleWriter(std::uint64_t seed) : rng_(seed) {}

  void day(DayNumber day, int per_day, std::vector<SampleRow>& rows) {
    int wd = weekday(day);
    bool weekend = wd == 0 || wd == 6;
    // Day-to-day variation of +-10%.
    std::int64_t volume = per_day * static_cast<std::int64_t>(90 + rng_.below(21)) / 100;
    for (const StreamProfile& p : kProfiles) {
      std::int64_t n = volume * p.share / 1000;
      if (weekend) n = n * p.weekend / 100;
      for (std::int64_t i = 0; i < n; ++i) rows.push_back(message(day, p));
    }
    std::sort(rows.begin(), rows.end(), [](const SampleRow& a, const SampleRow& b) {
      return a.received != b.received ? a.received < b.received : a.order < b.order;
    });
  }

 private:
  std::string person() {
    // Draws are sequenced explicitly (the operands of + are not), in the order
    // the shipped sample was generated with: right operand first.
    std::string last(rng_.pick(kLast));
    std::string first(rng_.pick(kFirst));
    return first + "." + last;
  }
  std::string contoso_user() { return person() + "@contoso.com"; }
  std::string internet_user() {
    std::string domain(rng_.pick(kInternetDomains));
    return person() + "@" + domain;
  }

  std::string hex(int digits) {
    static const char* kHex = "0123456789ABCDEF";
    std::string s;
    for (int i = 0; i < digits; ++i) s.push_back(kHex[rng_.below(16)]);
    return s;
  }
  std::string alnum(int digits) {
    static const char* kChars = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string s;
    for (int i = 0; i < digits; ++i) s.push_back(kChars[rng_.below(36)]);
    return s;
  }

  // A documentation-range address (RFC 5737) fixed per domain.
  static std::string domain_ip(std::string_view domain, int host) {
    std::uint32_t h = 2166136261u;
    for (char c : domain) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    static const char* kNets[] = {"192.0.2.", "198.51.100.", "203.0.113."};
    return std::string(kNets[h % 3]) + std::to_string(16 + (h >> 8) % 200 + host);
  }

  // Exchange Online style Message-ID for mail written by Contoso's users.
  std::string exo_message_id() {
    std::string mb = std::to_string(1000 + rng_.below(9000));
    std::string pr = std::to_string(10 + rng_.below(9));
    std::string server = "DM6PR" + pr + "MB" + mb;
    std::string namprd = std::to_string(10 + rng_.below(9));
    std::string id = hex(24);
    return "<" + server + id + "@" + server + ".namprd" + namprd + ".prod.outlook.com>";
  }

  std::int64_t message_size(Stream s) {
    // Buckets in bytes: small notes, typical mail, attachments, big files.
    static constexpr std::uint32_t kMail[] = {30, 35, 20, 12, 3};
    static constexpr std::uint32_t kScans[] = {2, 10, 18, 55, 15};
    static constexpr std::int64_t kLo[] = {2000, 8000, 30000, 100000, 1000000};
    static constexpr std::int64_t kHi[] = {8000, 30000, 100000, 1000000, 12000000};
    std::size_t b = weighted(rng_, s == Stream::Legacy ? std::span(kScans) : std::span(kMail));
    return rng_.between(kLo[b], kHi[b]);
  }

  SampleRow message(DayNumber day, const StreamProfile& p) {
    const auto& hours = p.stream == Stream::Legacy ? kLegacyHours : kOfficeHours;
    std::size_t hour = weighted(rng_, std::span(hours));
    UnixSeconds when = start_of_day(day) + static_cast<UnixSeconds>(hour) * 3600 + rng_.below(3600);

    static constexpr TlsVersion kVersions[] = {TlsVersion::None, TlsVersion::Tls10, TlsVersion::Tls11,
                                               TlsVersion::Tls12, TlsVersion::Tls13};
    TlsVersion tls = kVersions[weighted(rng_, std::span(p.tls))];
    std::string cipher;
    if (tls == TlsVersion::Tls13) cipher = rng_.pick(kTls13Ciphers);
    else if (tls == TlsVersion::Tls12) cipher = rng_.pick(kTls12Ciphers);
    else if (tls != TlsVersion::None) cipher = rng_.pick(kLegacyCiphers);

    std::string sender, recipient, host, ip, message_id;
    std::string status = "Delivered";
    switch (p.stream) {
      case Stream::InternetIn: {
        std::string_view domain = rng_.pick(kInternetDomains);
        bool bulk = rng_.percent(35);
        sender = (bulk ? std::string(rng_.pick(kNewsletterLocal)) : person()) + "@" + std::string(domain);
        recipient = contoso_user();
        int mx = static_cast<int>(rng_.below(3));
        static const char* kPrefix[] = {"mail.", "mx1.", "smtp."};
        host = kPrefix[mx] + std::string(domain);
        ip = domain_ip(domain, mx);
        message_id = "<" + alnum(20) + "@" + host + ">";
        if (rng_.permille(6)) status = "Failed";
        break;
      }
      case Stream::InternetOut: {
        std::string_view domain = rng_.pick(kInternetDomains);
        sender = contoso_user();
        recipient = person() + "@" + std::string(domain);
        if (rng_.percent(45)) {  // the recipient's mail is hosted in Exchange Online
          std::string dashed(domain);
          std::replace(dashed.begin(), dashed.end(), '.', '-');
          host = dashed + ".mail.protection.outlook.com";
          ip = "198.51.100." + std::to_string(200 + rng_.below(50));
        } else {
          host = "mx1." + std::string(domain);
          ip = domain_ip(domain, 1);
        }
        message_id = exo_message_id();
        std::uint32_t roll = rng_.below(1000);
        if (roll < 15) status = "Failed";
        else if (roll < 19) status = "Pending";
        break;
      }
      case Stream::OnPremIn: {  // on-premises mailboxes writing to cloud mailboxes and out
        sender = contoso_user();
        recipient = rng_.percent(70) ? contoso_user()
                                     : internet_user();
        int n = static_cast<int>(rng_.below(2));
        host = "exch0" + std::to_string(n + 1) + ".contoso.com";
        ip = "203.0.113." + std::to_string(10 + n);
        message_id = "<" + hex(32) + "@exch0" + std::to_string(n + 1) + ".contoso.com>";
        break;
      }
      case Stream::OnPremOut: {  // cloud to on-premises mailboxes
        sender = rng_.percent(60) ? contoso_user()
                                  : internet_user();
        recipient = contoso_user();
        int n = static_cast<int>(rng_.below(2));
        host = "exch0" + std::to_string(n + 1) + ".contoso.com";
        ip = "203.0.113." + std::to_string(10 + n);
        message_id = exo_message_id();
        if (rng_.permille(3)) status = "Pending";
        break;
      }
      case Stream::PartnerIn: {
        sender = person() + "@fabrikam.com";
        recipient = contoso_user();
        int n = static_cast<int>(rng_.below(2));
        host = n ? "smtp2.fabrikam.com" : "mail.fabrikam.com";
        ip = "198.51.100." + std::to_string(25 + n);
        std::string tail = hex(12);
        message_id = "<" + std::to_string(rng_.between(100000, 999999)) + "." + tail + "@" + host + ">";
        break;
      }
      case Stream::PartnerOut: {
        sender = contoso_user();
        recipient = person() + "@fabrikam.com";
        host = "mail.fabrikam.com";
        ip = "198.51.100.25";
        message_id = exo_message_id();
        if (rng_.permille(4)) status = "Failed";
        break;
      }
      case Stream::Legacy: {
        std::size_t app = rng_.below(static_cast<std::uint32_t>(std::size(kLegacyApps)));
        sender = std::string(kLegacyApps[app]) + "@contoso.com";
        recipient = rng_.percent(85) ? contoso_user()
                                     : internet_user();
        std::size_t h = app < 2 ? rng_.below(2) : 2 + app % 3;
        host = kLegacyHosts[h];
        ip = "203.0.113." + std::to_string(50 + h);
        message_id = "<" + format_compact(when) + "." + std::to_string(rng_.between(1000, 99999)) + "@" + host + ">";
        if (rng_.permille(5)) status = "Failed";
        break;
      }
    }

    std::string line = format_instant(when);
    line += ',';
    line += direction_name(p.direction);
    line += ',';
    if (p.connector) line += p.connector;
    line += ',';
    line += tls_name(tls);
    for (const std::string* field : {&cipher, &sender, &recipient, &host, &ip}) {
      line += ',';
      line += *field;
    }
    line += ',' + std::to_string(message_size(p.stream)) + ',' + status + ',' + message_id + '\n';
    return SampleRow{when, order_++, std::move(line)};
  }

  static std::string format_compact(UnixSeconds t) {  // 20261116081502
    std::string s = format_instant(t);
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == '-' || c == ':' || c == 'T' || c == 'Z'; }),
            s.end());
    return s;
  }

  SampleRandom rng_;
  std::uint64_t order_ = 0;
};

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};

}  // namespace

SampleTraceResult write_sample_traces(const std::string& path, const SampleTraceOptions& options) {
  SampleTraceResult result;
  result.end_day = options.end_day;
  result.start_day = options.end_day - options.days + 1;

  std::string temp = path + ".partial";
  std::unique_ptr<std::FILE, FileCloser> out(std::fopen(temp.c_str(), "wb"));
  if (!out)
    throw Error("FileUnwritable", "cannot write '" + path + "': " + std::strerror(errno));
  std::vector<char> buffer(1 << 20);
  std::setvbuf(out.get(), buffer.data(), _IOFBF, buffer.size());

  auto fail = [&](int err) {
    out.reset();
    std::remove(temp.c_str());
    throw Error("FileUnwritable", "cannot write '" + path + "': " + std::strerror(err));
  };

  static const char kHeader[] =
      "received,direction,connector,tls,cipher,sender,recipient,remote_host,remote_ip,size,status,"
      "message_id\n";
  if (std::fputs(kHeader, out.get()) < 0) fail(errno);
  SampleWriter writer(options.seed);
  std::vector<SampleRow> rows;
  for (DayNumber day = result.start_day; day <= result.end_day; ++day) {
    rows.clear();
    writer.day(day, options.messages_per_day, rows);
    for (const SampleRow& row : rows) {
      if (options.max_records > 0 && result.records == options.max_records) break;
      if (std::fwrite(row.line.data(), 1, row.line.size(), out.get()) != row.line.size()) fail(errno);
      ++result.records;
    }
  }
  if (std::fflush(out.get()) != 0) fail(errno);
  out.reset();
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::remove(temp.c_str());
    throw Error("FileUnwritable", "cannot write '" + path + "': " + ec.message());
  }
  return result;
}

}  // namespace mailflow
