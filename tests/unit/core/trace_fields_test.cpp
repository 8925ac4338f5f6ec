// The trace-field table (core/trace_fields.h): one row per SPEC section 4
// property, and every row reads back what it wrote.
#include "core/trace_fields.h"

#include <gtest/gtest.h>

#include <set>

#include "core/text.h"

namespace mailflow {

TEST(TraceFields, OneRowPerSpecPropertyInRecordOrder) {
  EXPECT_EQ(trace_property_names(),
            (std::vector<std::string>{"Received", "Direction", "Connector", "TlsVersion", "TlsTrust", "Cipher",
                                      "SenderAddress", "RecipientAddress", "RemoteHost", "RemoteIP", "Size",
                                      "Status", "MessageId"}));
  std::set<std::string, ILess> keys;
  for (const TraceField& f : kTraceFields) EXPECT_TRUE(keys.insert(std::string(f.key)).second) << f.key;
}

TEST(TraceFields, FindsKeysCaseInsensitively) {
  ASSERT_TRUE(find_trace_field_key(" TLS_Trust "));
  EXPECT_EQ(kTraceFields[*find_trace_field_key("TLS_TRUST")].property, "TlsTrust");
  EXPECT_FALSE(find_trace_field_key("trust"));
}

TEST(TraceFields, EveryRowSetsWhatItGets) {
  Trace t;
  t.received = 1763280902;
  t.direction = Direction::Outbound;
  t.connector = "Contoso";
  t.tls = TlsVersion::Tls12;
  t.tls_trust = TlsTrust::Verified;
  t.cipher = "TLS_AES_256_GCM_SHA384";
  t.sender = "a@contoso.com";
  t.recipient = "b@fabrikam.com";
  t.remote_host = "mx.fabrikam.com";
  t.remote_ip = "203.0.113.7";
  t.size = 4096;
  t.status = "Failed";
  t.message_id = "<1@contoso.com>";
  Trace copy;
  for (const TraceField& f : kTraceFields) f.set(copy, f.get(t));
  for (const TraceField& f : kTraceFields) EXPECT_EQ(f.get(copy), f.get(t)) << f.key;

  Trace empty;
  for (const TraceField& f : kTraceFields) f.set(copy, f.get(empty));
  EXPECT_FALSE(copy.tls_trust);
  EXPECT_FALSE(copy.connector);
  EXPECT_EQ(copy.sender, "");
}

TEST(TraceFields, RecordValuesByKind) {
  Trace t;
  t.received = 1763280902;
  t.tls = TlsVersion::Tls13;
  t.tls_trust = TlsTrust::Anonymous;
  t.size = 7;
  auto value = [&](std::string_view key) { return trace_field_value(kTraceFields[*find_trace_field_key(key)], t); };
  EXPECT_TRUE(value("received").is_datetime());
  EXPECT_EQ(value("direction").as_string(), "Inbound");
  EXPECT_EQ(value("tls").as_string(), "TLS1.3");
  EXPECT_EQ(value("tls_trust").as_string(), "Anonymous");
  EXPECT_TRUE(value("connector").is_null());
  EXPECT_EQ(value("size").as_int(), 7);
  t.tls_trust.reset();
  EXPECT_TRUE(value("tls_trust").is_null());
}

TEST(TraceFields, TlsTrustNames) {
  for (TlsTrust v : {TlsTrust::Anonymous, TlsTrust::Untrusted, TlsTrust::Trusted, TlsTrust::Verified})
    EXPECT_EQ(parse_tls_trust(to_lower(tls_trust_name(v))), v);
  EXPECT_FALSE(parse_tls_trust("Unknown"));
  EXPECT_FALSE(parse_tls_trust(""));
}

}  // namespace mailflow
