#include "ingest/postfix_patterns.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace mailflow {
namespace {

// The matcher as first written: each capture ends at the first occurrence
// of the next literal (std::string_view::find). CompiledPattern searches
// differently (rarest byte, {qid} as a run) and must agree with it on
// every message.
struct PlainMatch {
  bool ok = false;
  std::vector<std::pair<std::string, std::string>> captures;
};

PlainMatch plain_match(const std::string& pattern, std::string_view m) {
  struct Part {
    bool capture;
    std::string text;
  };
  std::vector<Part> parts;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '{') {
      size_t close = pattern.find('}', i);
      parts.push_back({true, pattern.substr(i + 1, close - i - 1)});
      i = close + 1;
    } else {
      size_t next = std::min(pattern.find('{', i), pattern.size());
      parts.push_back({false, pattern.substr(i, next - i)});
      i = next;
    }
  }
  PlainMatch out;
  size_t pos = 0;
  for (size_t k = 0; k < parts.size(); ++k) {
    if (!parts[k].capture) {
      if (m.compare(pos, parts[k].text.size(), parts[k].text) != 0) return {};
      pos += parts[k].text.size();
      continue;
    }
    std::string_view value;
    if (k + 1 == parts.size()) {
      value = m.substr(pos);
      pos = m.size();
    } else {
      size_t at = m.find(parts[k + 1].text, pos);
      if (at == std::string_view::npos) return {};
      value = m.substr(pos, at - pos);
      pos = at;
    }
    if (parts[k].text == "qid" && !is_queue_id(value)) return {};
    if (parts[k].text != "*") out.captures.emplace_back(parts[k].text, value);
  }
  out.ok = pos == m.size();
  return out;
}

// Messages near every sample: the samples, cut short, with bytes changed,
// dropped or doubled, with a piece of another sample spliced in (literals
// that turn up twice, or in the wrong place), and with long queue ids.
std::vector<std::string> messages() {
  std::vector<std::string> base;
  for (const PostfixPattern& p : postfix_patterns().patterns)
    for (const std::string& s : p.samples) base.push_back(s.substr(s.find("]: ") + 3));
  base.push_back("NOQUEUE: client=mail.example[192.0.2.1]");
  base.push_back("ABCDEFGHIJKLMNOPQRSTUV: removed");          // 22 characters: no queue id
  base.push_back("ABCDEFGHIJKLMNOPQRST: removed");            // 20: a queue id
  base.push_back("ABCD: removed");                            // 4: too short
  base.push_back("5AAA410E884: client=a[1]: client=b[2]");    // a literal twice
  base.push_back("Anonymous TLS connection established from a[1] TLS connection established from b[2]: x with cipher y z");
  std::vector<std::string> out = base;
  std::mt19937 rng(19);
  for (int round = 0; round < 40; ++round)
    for (const std::string& s : base) {
      std::string m = s;
      size_t at = s.empty() ? 0 : rng() % s.size();
      switch (rng() % 5) {
        case 0: m = s.substr(0, at); break;
        case 1: if (!m.empty()) m[at] = "[]:, <>=TLx5"[rng() % 12]; break;
        case 2: if (!m.empty()) m.erase(at, 1 + rng() % 3); break;
        case 3: m.insert(at, s.substr(at, 1 + rng() % 8)); break;
        default: {
          const std::string& other = base[rng() % base.size()];
          size_t from = other.empty() ? 0 : rng() % other.size();
          m.insert(at, other.substr(from, 1 + rng() % 24));
        }
      }
      out.push_back(m);
    }
  return out;
}

TEST(PostfixPatterns, MatchAgreesWithAPlainFirstOccurrenceSearch) {
  const PostfixPatternSet& set = postfix_patterns();
  int matched = 0;
  for (const std::string& m : messages()) {
    int run = queue_id_run(m);
    for (size_t i = 0; i < set.patterns.size(); ++i) {
      PlainMatch want = plain_match(set.patterns[i].pattern, m);
      for (int leading : {-1, run}) {
        PatternMatch got;
        bool ok = set.compiled[i].match(m, got, leading);
        ASSERT_EQ(ok, want.ok) << set.patterns[i].pattern << " on: " << m;
        if (!ok) continue;
        ASSERT_EQ(static_cast<size_t>(got.count), want.captures.size());
        for (const auto& [name, value] : want.captures) EXPECT_EQ(got[name], value) << name << " in: " << m;
      }
      matched += want.ok;
    }
  }
  EXPECT_GT(matched, 100);  // the test saw matches, not only misses
}

TEST(PostfixPatterns, QueueIdRunCountsUpToTwentyOne) {
  EXPECT_EQ(queue_id_run("5AAA410E884: removed"), 11);
  EXPECT_EQ(queue_id_run("connect from a[1]"), 7);
  EXPECT_EQ(queue_id_run(": x"), 0);
  EXPECT_EQ(queue_id_run(""), 0);
  EXPECT_EQ(queue_id_run(std::string(40, 'A')), 21);
  EXPECT_EQ(queue_id_run("xxABCDE: y", 2), 5);
  EXPECT_EQ(queue_id_run("ab", 5), 0);
}

TEST(PostfixPatterns, EachDaemonTriesItsPatternsInTableOrder) {
  const PostfixPatternSet& set = postfix_patterns();
  for (size_t d = 0; d < kPostfixDaemons; ++d) {
    std::vector<std::uint8_t> want;
    for (size_t i = 0; i < set.patterns.size(); ++i)
      if (postfix_pattern_applies(static_cast<PostfixDaemon>(d), set.patterns[i])) want.push_back(static_cast<std::uint8_t>(i));
    EXPECT_EQ(set.by_daemon[d], want) << d;
  }
  EXPECT_EQ(set.by_daemon[static_cast<size_t>(PostfixDaemon::Unknown)].size(), set.patterns.size());
  EXPECT_TRUE(set.by_daemon[static_cast<size_t>(PostfixDaemon::Other)].empty());
}

TEST(PostfixPatterns, DaemonNames) {
  EXPECT_EQ(postfix_daemon("smtpd"), PostfixDaemon::Smtpd);
  EXPECT_EQ(postfix_daemon("smtp"), PostfixDaemon::SmtpClient);
  EXPECT_EQ(postfix_daemon("lmtp"), PostfixDaemon::SmtpClient);
  EXPECT_EQ(postfix_daemon("qmgr"), PostfixDaemon::Qmgr);
  EXPECT_EQ(postfix_daemon("nqmgr"), PostfixDaemon::Qmgr);
  EXPECT_EQ(postfix_daemon("cleanup"), PostfixDaemon::Cleanup);
  EXPECT_EQ(postfix_daemon("postscreen"), PostfixDaemon::Postscreen);
  EXPECT_EQ(postfix_daemon("pickup"), PostfixDaemon::Pickup);
  EXPECT_EQ(postfix_daemon("virtual"), PostfixDaemon::LocalDelivery);
  EXPECT_EQ(postfix_daemon("smtps"), PostfixDaemon::Other);
  EXPECT_EQ(postfix_daemon("scache"), PostfixDaemon::Other);
  EXPECT_EQ(postfix_daemon(""), PostfixDaemon::Other);
}

}  // namespace
}  // namespace mailflow
