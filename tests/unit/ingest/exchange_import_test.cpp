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
}

}  // namespace
}  // namespace mailflow
