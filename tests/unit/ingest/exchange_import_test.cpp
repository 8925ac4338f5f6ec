// Exchange tracking and protocol logs through the real importer: the TLS of a
// tracking record's SMTP session comes from the protocol log imported before
// or after it, the rollup moves with it, and re-imports add nothing.
#include <gtest/gtest.h>

#include "import_fixture.h"
#include "ingest/importer.h"

namespace mailflow {
namespace {

class ExchangeImport : public testing::ImportFixture {
 protected:
  static std::string data(const char* rel) { return std::string(MAILFLOW_TEST_DATA) + "/exchange/" + rel; }
  ImportSummary import(const char* rel) {
    ImportOptions o;
    o.reader.internal_networks = {"10.0.0.0/16"};
    o.reader.organization_domains = {"contoso.com"};
    return import_trace_file(*store_, data(rel), o);
  }
  void import_tracking() {
    for (const char* f : {"multiserver/EXMBX01/MSGTRKMS2026111809-1.LOG", "multiserver/EXMBX01/MSGTRK2026111809-1.LOG",
                          "multiserver/EXMBX01/MSGTRKMD2026111809-1.LOG", "multiserver/EXMBX02/MSGTRK2026111809-1.LOG",
                          "multiserver/EXEDGE01/MSGTRK2026111809-1.LOG"})
      EXPECT_EQ(import(f).format, "ExchangeTracking") << f;
  }
  void import_protocol() {
    EXPECT_EQ(import("multiserver/EXEDGE01/RECV2026111809-1.LOG").format, "ExchangeProtocol");
    EXPECT_EQ(import("multiserver/EXEDGE01/SEND2026111809-1.LOG").format, "ExchangeProtocol");
  }
  std::vector<std::string> tls_by_message() {
    return rows("SELECT message_id, tls, coalesce(cipher, '') FROM traces ORDER BY message_id");
  }
};

const std::vector<std::string> kWithTls = {
    "<20261118101902.3F2A1C0B4D@smtp.woodgrove.example>|0|",
    "<DB7PR03MB4972A1B2C3D4E5F6@EXMBX01.contoso.com>|12|CALG_AES_256/CALG_SHA_384/CALG_ECDH_EPHEM",
    "<PAXPR08MB7213E9F8A7B6C5D4@PAXPR08MB7213.eurprd08.prod.outlook.com>|12|CALG_AES_256/CALG_SHA_384/CALG_ECDH_EPHEM",
};

TEST_F(ExchangeImport, TrackingAloneIsUnknown) {
  import_tracking();
  EXPECT_EQ(scalar("SELECT count(*) FROM traces"), 3);
  EXPECT_EQ(scalar("SELECT count(*) FROM traces WHERE tls = -1"), 3);
  expect_rollup_matches_traces();
}

TEST_F(ExchangeImport, ProtocolLogAfterTracking) {
  import_tracking();
  import_protocol();
  EXPECT_EQ(tls_by_message(), kWithTls);
  expect_rollup_matches_traces();
}

TEST_F(ExchangeImport, ProtocolLogBeforeTracking) {
  import_protocol();
  import_tracking();
  EXPECT_EQ(tls_by_message(), kWithTls);
  expect_rollup_matches_traces();
}

TEST_F(ExchangeImport, ReimportsAddNothing) {
  import_tracking();
  import_protocol();
  ImportSummary again = import("multiserver/EXEDGE01/MSGTRK2026111809-1.LOG");
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.duplicates, 3);
  ImportSummary recv = import("multiserver/EXEDGE01/RECV2026111809-1.LOG");
  EXPECT_EQ(recv.imported, 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM traces"), 3);
  EXPECT_EQ(tls_by_message(), kWithTls);
  expect_rollup_matches_traces();
}

TEST_F(ExchangeImport, FailedHandshakesAreKept) {
  import_protocol();
  EXPECT_EQ(rows("SELECT time, direction, peer_ip, reason FROM tls_failures"),
            std::vector<std::string>{"1794999760|0|203.0.113.201|SocketError"});
  import("multiserver/EXEDGE01/RECV2026111809-1.LOG");
  EXPECT_EQ(scalar("SELECT count(*) FROM tls_failures"), 1);
  // The daily failure rollup counted it once, under its IP (no host name).
  EXPECT_EQ(rows("SELECT day, direction, connector, peer_domain, failures FROM tls_failure_daily"),
            std::vector<std::string>{"20775|0||203.0.113.201|1"});
}

// --- outbound proxy through the Front End Transport service, record lifecycle ---

class ExchangeProxyImport : public ExchangeImport {
 protected:
  static constexpr const char* kHour10 = "proxy/EXMBX03/MSGTRK2026112010-1.LOG";
  static constexpr const char* kHour11 = "proxy/EXMBX03/MSGTRK2026112011-1.LOG";
  static constexpr const char* kHubSend = "proxy/EXMBX03/Hub/SEND2026112010-1.LOG";
  static constexpr const char* kFrontEndSend = "proxy/EXMBX03/FrontEnd/SEND2026112010-1.LOG";
  // Every property of every trace, and the rollup, as text.
  std::vector<std::string> state(TraceStore& store) {
    std::vector<std::string> out;
    for (const char* sql :
         {"SELECT received, direction, connector, tls, cipher, sender, recipient, remote_host, remote_ip, size,"
          " status, message_id FROM traces ORDER BY received, recipient",
          "SELECT day, direction, connector, tls, status, messages, bytes FROM daily_rollup ORDER BY 1, 2, 3, 4, 5",
          "SELECT key, pending FROM trace_lifecycle ORDER BY key"}) {
      auto s = store.db().prepare(sql);
      while (s->step()) {
        std::string row;
        for (int i = 0; i < s->column_count(); ++i) row += (i ? "|" : "") + (s->column_is_null(i) ? "NULL" : s->column_text(i));
        out.push_back(row);
      }
      out.push_back("--");
    }
    return out;
  }
  std::vector<std::string> outcomes() {
    return rows("SELECT message_id, recipient, status, tls, coalesce(cipher, ''), remote_ip FROM traces ORDER BY received");
  }
};

const std::vector<std::string> kProxyUnknown = {
    "<AM0PR02MB5634D7E8F9A0B1C2@EXMBX03.contoso.com>|ivan@litware.example|Delivered|-1||192.0.2.91",
    "<AM0PR02MB5634E3F4A5B6C7D8@EXMBX03.contoso.com>|bob@fabrikam.com|Delivered|-1||192.0.2.25",
    "<AM0PR02MB5634C1D2E3F4A5B6@EXMBX03.contoso.com>|gina@northwind.example|Delivered|-1||192.0.2.80",
};
const std::vector<std::string> kProxyWithTls = {
    "<AM0PR02MB5634D7E8F9A0B1C2@EXMBX03.contoso.com>|ivan@litware.example|Delivered|0||192.0.2.91",
    "<AM0PR02MB5634E3F4A5B6C7D8@EXMBX03.contoso.com>|bob@fabrikam.com|Delivered|12|"
    "CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM|192.0.2.25",
    "<AM0PR02MB5634C1D2E3F4A5B6@EXMBX03.contoso.com>|gina@northwind.example|Delivered|12|"
    "CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM|192.0.2.80",
};

TEST_F(ExchangeProxyImport, DeferredInOneImportDeliveredInTheNext) {
  ImportSummary first = import(kHour10);
  EXPECT_EQ(first.imported, 3);
  EXPECT_EQ(scalar("SELECT count(*) FROM traces WHERE status = 'Pending'"), 1);
  ImportSummary second = import(kHour11);
  EXPECT_EQ(second.imported, 1);
  EXPECT_EQ(outcomes(), kProxyUnknown);  // the Pending record became the Delivered one
  expect_rollup_matches_traces();
  // The deferral's file again: its Pending record does not come back.
  ImportSummary again = import(kHour10);
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(outcomes(), kProxyUnknown);
  expect_rollup_matches_traces();
}

TEST_F(ExchangeProxyImport, TwoImportsEqualOneImportOfBothFiles) {
  import(kHour10);
  import(kHour11);
  TraceStore together((dir_ / "together.db").string());
  ImportOptions o;
  o.reader.internal_networks = {"10.0.0.0/16"};
  o.reader.organization_domains = {"contoso.com"};
  MultiFileImport both(together, {data(kHour10), data(kHour11)}, o);
  while (both.next()) {
  }
  EXPECT_EQ(state(*store_), state(together));
  // And the send's file before the deferral's: still one Delivered record.
  TraceStore reversed((dir_ / "reversed.db").string());
  import_trace_file(reversed, data(kHour11), o);
  import_trace_file(reversed, data(kHour10), o);
  EXPECT_EQ(state(*store_), state(reversed));
}

TEST_F(ExchangeProxyImport, QueueFailInALaterImportFailsTheDeferral) {
  import(kHour10);
  std::string fail = write_file(
      "MSGTRK2026112109-1.LOG",
      "#Software: Microsoft Exchange Server\r\n#Version: 15.02.1544.004\r\n#Log-type: Message Tracking Log\r\n"
      "#Date: 2026-11-21T09:00:00.000Z\r\n"
      "#Fields: date-time,server-hostname,source,event-id,message-id,recipient-address,recipient-status\r\n"
      "2026-11-21T10:20:15.000Z,EXMBX03,QUEUE,FAIL,<AM0PR02MB5634C1D2E3F4A5B6@EXMBX03.contoso.com>,"
      "gina@northwind.example,550 4.4.7 QUEUE.Expired; message expired\r\n");
  ImportOptions o;
  o.reader.internal_networks = {"10.0.0.0/16"};
  import_trace_file(*store_, fail, o);
  EXPECT_EQ(rows("SELECT status, received FROM traces WHERE recipient = 'gina@northwind.example'"),
            std::vector<std::string>{"Failed|1795256415"});
  expect_rollup_matches_traces();
}

TEST_F(ExchangeProxyImport, FrontEndSessionGivesTheTlsInEitherOrder) {
  import(kHour10);
  import(kHour11);
  import(kHubSend);  // the hop to our own front end: TLS 1.2 inside, not the message's
  EXPECT_EQ(outcomes(), kProxyUnknown);
  import(kFrontEndSend);
  EXPECT_EQ(outcomes(), kProxyWithTls);
  expect_rollup_matches_traces();

  TraceStore before((dir_ / "before.db").string());
  ImportOptions o;
  o.reader.internal_networks = {"10.0.0.0/16"};
  o.reader.organization_domains = {"contoso.com"};
  for (const char* f : {kFrontEndSend, kHubSend, kHour10, kHour11}) import_trace_file(before, data(f), o);
  EXPECT_EQ(state(*store_), state(before));
}

}  // namespace
}  // namespace mailflow
