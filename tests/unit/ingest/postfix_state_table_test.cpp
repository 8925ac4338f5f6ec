#include "ingest/postfix_state_table.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "ingest/postfix_joiner.h"

namespace mailflow::postfix {
namespace {

// Keys shaped like the joiner's: queue ids with the bench's suffixes, and
// "host program[pid]" process keys; short keys (under a word) too.
std::string key_of(int n) {
  switch (n % 3) {
    case 0: return "5AAA410E884G" + std::to_string(n);
    case 1: return "mx1 postfix/smtpd[" + std::to_string(n) + "]";
    default: return std::to_string(n);
  }
}

TEST(PostfixStateTable, BehavesLikeAMapUnderRandomInsertsAndErases) {
  StateTable<int> table;
  std::map<std::string, int> want;
  std::mt19937 rng(19);
  for (int step = 0; step < 200000; ++step) {
    std::string key = key_of(static_cast<int>(rng() % 3000));
    switch (rng() % 4) {
      case 0:
      case 1: {
        auto [it, fresh] = table.try_emplace(key);
        EXPECT_EQ(fresh, !want.count(key)) << key;
        if (fresh) EXPECT_EQ(it->second, 0) << "a reused entry starts afresh: " << key;
        it->second = step;
        want[key] = step;
        break;
      }
      case 2: {
        auto it = table.find(key);
        ASSERT_EQ(it != table.end(), want.count(key) == 1) << key;
        if (it != table.end()) {
          EXPECT_EQ(it->first, key);
          EXPECT_EQ(it->second, want[key]);
          table.erase(it);
          want.erase(key);
        }
        break;
      }
      default:
        if (step % 5000 == 0) {
          int limit = step - 20000;
          table.erase_if([&](const auto& kv) { return kv.second < limit; });
          std::erase_if(want, [&](const auto& kv) { return kv.second < limit; });
        }
    }
    ASSERT_EQ(table.size(), want.size());
  }
  std::map<std::string, int> got;
  for (auto& [k, v] : table) got[k] = v;
  EXPECT_EQ(got, want);
  for (const auto& [k, v] : want) EXPECT_EQ(table.at(k), v);
  EXPECT_THROW(table.at("NOSUCHQUEUEID"), std::out_of_range);
  table.clear();
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.begin(), table.end());
  EXPECT_EQ(table.find(want.begin()->first), table.end());
}

TEST(PostfixStateTable, EntriesStayPutWhileOthersComeAndGo) {
  StateTable<std::string> table;
  std::string& kept = table["kept"];
  kept = "still here";
  for (int i = 0; i < 10000; ++i) table[key_of(i)] = "x";  // the index grows many times
  for (int i = 0; i < 10000; i += 2) table.erase(table.find(key_of(i)));
  EXPECT_EQ(kept, "still here");
  EXPECT_EQ(&table.at("kept"), &kept);
  EXPECT_EQ(table.size(), 5001u);
}

TEST(PostfixStateTable, AReusedQueueEntryIsAFreshOne) {
  StateTable<QueueEntry> table;
  QueueEntry& q = table["A1B0710E889"];
  q.host = "mx1";
  q.first_seen = q.last_seen = 5;
  q.line = 7;
  q.from_smtpd = q.authenticated = q.queued = q.started = true;
  q.client_host = "mail.example";
  q.client_ip = "192.0.2.1";
  q.client_tls = TlsVersion::Tls13;
  q.client_trust = "Trusted";
  q.client_cipher = "TLS_AES_256_GCM_SHA384";
  q.sasl_username = "alice";
  q.message_id = "<id@example>";
  q.sender = "a@example";
  q.size = 10;
  q.recipients = {"b@example"};
  q.deferred = {"b@example"};
  q.groups.emplace_back();
  table.erase(table.find("A1B0710E889"));
  QueueEntry& r = table["8F07510E8AC"];  // takes the erased entry's place
  EXPECT_EQ(&r, &q);
  QueueEntry fresh;
  EXPECT_EQ(r.host, fresh.host);
  EXPECT_EQ(r.first_seen, 0);
  EXPECT_EQ(r.last_seen, 0);
  EXPECT_EQ(r.line, 0);
  EXPECT_FALSE(r.from_smtpd || r.authenticated || r.queued || r.started);
  EXPECT_TRUE(r.client_host.empty() && r.client_ip.empty() && r.sender.empty());
  EXPECT_EQ(r.client_tls, TlsVersion::None);
  EXPECT_FALSE(r.client_trust || r.client_cipher || r.sasl_username || r.message_id);
  EXPECT_EQ(r.size, 0);
  EXPECT_TRUE(r.recipients.empty() && r.deferred.empty() && r.groups.empty());
}

TEST(PostfixStateTable, KeyHashReadsEveryByte) {
  // Keys that differ in one byte anywhere (in a full word, in the
  // overlapping tail, in a key under eight bytes) hash apart.
  for (std::string base : {std::string("5AAA410E884G1F"), std::string("mx1 postfix/smtpd[19018]"), std::string("ab")}) {
    for (std::size_t i = 0; i < base.size(); ++i) {
      std::string other = base;
      other[i] ^= 1;
      EXPECT_NE(key_hash(base), key_hash(other)) << base << " at " << i;
    }
    EXPECT_NE(key_hash(base), key_hash(base + '\0'));
  }
  EXPECT_EQ(key_hash("5AAA410E884"), key_hash(std::string("5AAA410E884")));
}

}  // namespace
}  // namespace mailflow::postfix
