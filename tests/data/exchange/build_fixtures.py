#!/usr/bin/env python3
"""Writes the Exchange fixture files of tests/data/exchange/ from the rows below.

The rows are the content; this script only does the mechanical part the way
Exchange's log writer does it: the header lines, a UTF-8 byte order mark,
CRLF line ends, and RFC 4180 quoting (a field is quoted when it holds a comma,
a double quote or a line break; a double quote inside is doubled). Field lists
and sample values come from the sources named in README.md. Run it from any
directory; it rewrites the files next to it. The expected-records files
(*.expected.csv) are written by hand and are not touched here.
"""
import csv, io, json, os

HERE = os.path.dirname(os.path.abspath(__file__))

TRK_2010 = ("date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,"
            "source,event-id,internal-message-id,message-id,recipient-address,recipient-status,total-bytes,"
            "recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,"
            "message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data").split(",")
TRK_2013 = TRK_2010[:11] + ["network-message-id"] + TRK_2010[11:]
TRK_2016 = TRK_2013 + ["transport-traffic-type", "log-id", "schema-version"]
PROTO = "date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context".split(",")


def csv_line(values):
    out = io.StringIO()
    csv.writer(out, lineterminator="", quoting=csv.QUOTE_MINIMAL).writerow(values)
    return out.getvalue()


def write(path, lines, bom=True, encoding="utf-8", newline="\r\n"):
    full = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    text = newline.join(lines) + newline
    data = text.encode(encoding)
    if bom and encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    with open(full, "wb") as f:
        f.write(data)


def w3c_log(path, version, log_type, date, fields, rows):
    lines = ["#Software: Microsoft Exchange Server", "#Version: " + version, "#Log-type: " + log_type,
             "#Date: " + date, "#Fields: " + ",".join(fields)]
    for r in rows:
        unknown = set(r) - set(fields)
        assert not unknown, (path, unknown)
        lines.append(csv_line([r.get(f, "") for f in fields]))
    write(path, lines)


# ---------------------------------------------------------------------------------------------
# Servers of the Contoso organisation (InternalNetworks 10.0.0.0/16, OrganizationDomains contoso.com)
MBX01, MBX01_IP = "EXMBX01", "10.0.1.11"
MBX02, MBX02_IP = "EXMBX02", "10.0.1.12"
EDGE, EDGE_IN, EDGE_OUT = "EXEDGE01", "10.0.2.21", "203.0.113.25"
V2019 = "15.02.1544.004"


def trk(**kw):
    """One message tracking row; keyword names are field names with '_' for '-'."""
    return {k.replace("_", "-"): v for k, v in kw.items()}


def sub_ctx(mailbox, event, created, client="OWA"):
    return (f"MDB:61914740-3f1b-4ddb-94e0-557196870cfa, Mailbox:{mailbox}, Event:{event}, "
            f"MessageClass:IPM.Note, CreationTime:{created}, ClientType:{client}, "
            "SubmissionAssistant:MailboxTransportSubmissionEmailAssistant")


# --- multi-server outbound flow (Exchange 2019): alice@contoso.com in OWA on EXMBX01 writes to
# bob@fabrikam.com (outside) and carol@contoso.com (a mailbox on EXMBX01). The message leaves the
# organisation once, from the Edge server, over the EdgeSync send connector.
M1 = "<DB7PR03MB4972A1B2C3D4E5F6@EXMBX01.contoso.com>"
M1_NET = "6a638d20-1e63-493a-80a2-08de2d1a0001"
M1_SUBJ = 'Q4 numbers, "final" version'
M1_SIZE_SUB, M1_SIZE = "7734", "8512"
M1_SUBMIT = "2026-11-18T09:00:01.870Z"
M1_INFO = M1_SUBMIT + ";SRV=EXMBX01.contoso.com:TOTAL-SUB=0.331|SA=0.128|MTSS-PEN=0.000"
M1_OUT_SESSION = "08DE2D1A3F5B7C07"

ms_rows = [
    trk(date_time="2026-11-18T09:00:01.902Z", client_ip="fe80::2d4c:18b1:7a3e:91f0%4", client_hostname=MBX01,
        source_context=sub_ctx("279f077c-216f-4323-a9ee-48e50ffd3cad", "269492708", M1_SUBMIT),
        source="STOREDRIVER", event_id="NOTIFYMAPI", sender_address="alice@contoso.com",
        message_info=M1_SUBMIT + ";LSRV=EXMBX01.contoso.com:TOTAL-SUB=0.032|SA=0.032|MTSS-PEN=0.000",
        custom_data="S:ItemEntryId=00-00-00-00-37-DB-F9-F9-B5-F2-42-4F-86-62-E6-5D-FC-0C-A1-41-07-00",
        transport_traffic_type="", log_id="a1d5c8e2-0d34-4b7e-9f11-08de2d1a0101", schema_version=V2019),
    trk(date_time="2026-11-18T09:00:02.033Z", client_ip="fe80::2d4c:18b1:7a3e:91f0%4",
        client_hostname="EXMBX01.contoso.com", server_ip="fe80::2d4c:18b1:7a3e:91f0%4", server_hostname=MBX01,
        source_context=sub_ctx("279f077c-216f-4323-a9ee-48e50ffd3cad", "269492708", M1_SUBMIT)
        + ", ServerMdbConnectionId:08DE2D1A3F5B7C00",
        source="STOREDRIVER", event_id="RECEIVE", internal_message_id="438", message_id=M1,
        network_message_id=M1_NET, recipient_address="bob@fabrikam.com;carol@contoso.com",
        recipient_status="To;To", total_bytes=M1_SIZE_SUB, recipient_count="2", message_subject=M1_SUBJ,
        sender_address="alice@contoso.com", return_path="alice@contoso.com", message_info="04I: ",
        directionality="Originating", original_client_ip="198.51.100.200",
        original_server_ip="fe80::2d4c:18b1:7a3e:91f0%4",
        custom_data="S:MailboxDatabaseGuid=61914740-3f1b-4ddb-94e0-557196870cfa;S:DeliveryPriority=Normal;"
                    "S:AccountForest=contoso.com",
        transport_traffic_type="Email", log_id="a1d5c8e2-0d34-4b7e-9f11-08de2d1a0102", schema_version=V2019),
    trk(date_time="2026-11-18T09:00:02.109Z", client_ip="fe80::2d4c:18b1:7a3e:91f0%4", client_hostname=MBX01,
        server_ip=MBX01_IP, server_hostname="EXMBX01.contoso.com",
        source_context=sub_ctx("279f077c-216f-4323-a9ee-48e50ffd3cad", "269492708", M1_SUBMIT),
        source="STOREDRIVER", event_id="SUBMIT", internal_message_id="438", message_id=M1,
        network_message_id=M1_NET, recipient_address="bob@fabrikam.com;carol@contoso.com",
        total_bytes=M1_SIZE_SUB, recipient_count="2", message_subject=M1_SUBJ,
        sender_address="alice@contoso.com", return_path="alice@contoso.com", message_info=M1_INFO,
        directionality="Originating", transport_traffic_type="Email",
        log_id="a1d5c8e2-0d34-4b7e-9f11-08de2d1a0103", schema_version=V2019),
]

hub1_rows = [
    trk(date_time="2026-11-18T09:00:02.151Z", client_ip=MBX01_IP, client_hostname="EXMBX01.contoso.com",
        server_ip=MBX02_IP, server_hostname="EXMBX02.contoso.com",
        source_context="08DE2D1A3F5B7C02;250 2.0.0 OK;ClientSubmitTime:" + M1_SUBMIT,
        source="SMTP", event_id="HAREDIRECT", internal_message_id="51539607553", message_id=M1,
        network_message_id=M1_NET, recipient_address="bob@fabrikam.com;carol@contoso.com",
        recipient_status="To;To", total_bytes=M1_SIZE, recipient_count="2", message_subject=M1_SUBJ,
        sender_address="alice@contoso.com", return_path="alice@contoso.com", message_info=M1_INFO,
        directionality="Originating", transport_traffic_type="Email",
        log_id="b7e1f4a2-5c60-4d1b-8e22-08de2d1a0201", schema_version=V2019),
    trk(date_time="2026-11-18T09:00:02.184Z", client_ip=MBX01_IP, client_hostname="EXMBX01.contoso.com",
        server_ip=MBX01_IP, server_hostname=MBX01,
        source_context="08DE2D1A3F5B7C01;2026-11-18T09:00:02.112Z;0",
        connector_id="EXMBX01\\Default EXMBX01", source="SMTP", event_id="RECEIVE",
        internal_message_id="51539607553", message_id=M1, network_message_id=M1_NET,
        recipient_address="bob@fabrikam.com;carol@contoso.com", recipient_status="To;To",
        total_bytes=M1_SIZE, recipient_count="2", message_subject=M1_SUBJ, sender_address="alice@contoso.com",
        return_path="alice@contoso.com", message_info="08I: ", directionality="Originating",
        original_client_ip="198.51.100.200", original_server_ip=MBX01_IP,
        custom_data="S:FirstForestHop=EXMBX01.contoso.com;S:ProxyHop1=EXMBX01.contoso.com(10.0.1.11)",
        transport_traffic_type="Email", log_id="b7e1f4a2-5c60-4d1b-8e22-08de2d1a0202", schema_version=V2019),
    trk(date_time="2026-11-18T09:00:02.211Z", source_context="Transport Rule Agent", source="AGENT",
        event_id="AGENTINFO", internal_message_id="51539607553", message_id=M1, network_message_id=M1_NET,
        recipient_address="bob@fabrikam.com;carol@contoso.com", total_bytes=M1_SIZE, recipient_count="2",
        message_subject=M1_SUBJ, sender_address="alice@contoso.com", return_path="alice@contoso.com",
        directionality="Originating",
        custom_data="S:TRA=ETR|ruleId=3f7a4b0e-9a8c-4d2e-b1f0-6c5d4e3f2a1b|st=2026-11-01T10:00:00.000Z|action=SetHeader",
        transport_traffic_type="Email", log_id="b7e1f4a2-5c60-4d1b-8e22-08de2d1a0203", schema_version=V2019),
    # carol@contoso.com: delivered to the mailbox on this server (Mailbox Transport Delivery on port 475)
    trk(date_time="2026-11-18T09:00:02.402Z", client_ip=MBX01_IP, client_hostname=MBX01,
        server_ip=MBX01_IP, server_hostname="EXMBX01.contoso.com",
        source_context="08DE2D1A3F5B7C03;250 2.1.5 Recipient OK;ClientSubmitTime:" + M1_SUBMIT,
        connector_id="Intra-Organization SMTP Send Connector", source="SMTP", event_id="SEND",
        internal_message_id="51539607553", message_id=M1, network_message_id=M1_NET,
        recipient_address="carol@contoso.com", recipient_status="250 2.1.5 Recipient OK", total_bytes=M1_SIZE,
        recipient_count="1", message_subject=M1_SUBJ, sender_address="alice@contoso.com",
        return_path="alice@contoso.com", message_info=M1_INFO, directionality="Originating",
        custom_data="E2ELatency=0.532;ExternalSendLatency=0.000;ToEntity=Hosted",
        transport_traffic_type="Email", log_id="b7e1f4a2-5c60-4d1b-8e22-08de2d1a0204", schema_version=V2019),
    # bob@fabrikam.com: the hub on EXMBX01 hands the message to EXMBX02 (same site, internal hop)
    trk(date_time="2026-11-18T09:00:02.455Z", client_ip=MBX01_IP, client_hostname=MBX01,
        server_ip=MBX02_IP, server_hostname="EXMBX02.contoso.com",
        source_context="08DE2D1A3F5B7C04;250 2.6.0 <DB7PR03MB4972A1B2C3D4E5F6@EXMBX01.contoso.com> "
                       "[InternalId=64424509441, Hostname=EXMBX02.contoso.com] 9012 bytes in 0.021, "
                       "419.085 KB/sec Queued mail for delivery;ClientSubmitTime:" + M1_SUBMIT,
        connector_id="Intra-Organization SMTP Send Connector", source="SMTP", event_id="SEND",
        internal_message_id="51539607553", message_id=M1, network_message_id=M1_NET,
        recipient_address="bob@fabrikam.com", recipient_status="250 2.1.5 Recipient OK", total_bytes=M1_SIZE,
        recipient_count="1", message_subject=M1_SUBJ, sender_address="alice@contoso.com",
        return_path="alice@contoso.com", message_info=M1_INFO, directionality="Originating",
        custom_data="E2ELatency=0.585;ExternalSendLatency=0.000;ToEntity=Hosted",
        transport_traffic_type="Email", log_id="b7e1f4a2-5c60-4d1b-8e22-08de2d1a0205", schema_version=V2019),
]

md1_rows = [
    trk(date_time="2026-11-18T09:00:02.431Z", client_ip=MBX01_IP, client_hostname=MBX01,
        server_hostname="EXMBX01.contoso.com",
        source_context="MDB:61914740-3f1b-4ddb-94e0-557196870cfa, Mailbox:9c1e6f3a-2b7d-4e58-a0c4-d1f2e3a4b5c6, "
                       "Event:269492911, MessageClass:IPM.Note, CreationTime:2026-11-18T09:00:02.402Z, "
                       "ClientType:StoreDriver, 08DE2D1A3F5B7C03;2026-11-18T09:00:02.402Z;0",
        connector_id="EXMBX01\\Default EXMBX01", source="STOREDRIVER", event_id="DELIVER",
        internal_message_id="438", message_id=M1, network_message_id=M1_NET,
        recipient_address="carol@contoso.com", recipient_status="250 2.0.0 Delivered", total_bytes=M1_SIZE,
        recipient_count="1", message_subject=M1_SUBJ, sender_address="alice@contoso.com",
        return_path="alice@contoso.com", message_info=M1_INFO + ";MDB:61914740",
        directionality="Originating", original_client_ip="198.51.100.200",
        custom_data="S:Mailboxes=9c1e6f3a-2b7d-4e58-a0c4-d1f2e3a4b5c6;S:DatabaseHealth=-1",
        transport_traffic_type="Email", log_id="c2a7e9b4-1f86-4a3c-9d33-08de2d1a0301", schema_version=V2019),
]

M2 = "<PAXPR08MB7213E9F8A7B6C5D4@PAXPR08MB7213.eurprd08.prod.outlook.com>"
M2_NET = "0f4b3a92-8c61-4d7e-a5b2-08de2d1b0001"
M3 = "<20261118101902.3F2A1C0B4D@smtp.woodgrove.example>"
M3_NET = "5e2c7d10-4a9b-4f3e-8c21-08de2d1b0002"

hub2_rows = [
    trk(date_time="2026-11-18T09:00:02.163Z", client_ip=MBX01_IP, client_hostname="EXMBX01.contoso.com",
        server_ip=MBX02_IP, server_hostname=MBX02,
        source_context="08DE2D1A3F5B7C02;2026-11-18T09:00:02.151Z;0",
        connector_id="EXMBX02\\Default EXMBX02", source="SMTP", event_id="HARECEIVE",
        internal_message_id="64424509440", message_id=M1, network_message_id=M1_NET,
        recipient_address="bob@fabrikam.com;carol@contoso.com", recipient_status="To;To",
        total_bytes=M1_SIZE, recipient_count="2", message_subject=M1_SUBJ, sender_address="alice@contoso.com",
        return_path="alice@contoso.com", message_info="08I: ", directionality="Originating",
        original_client_ip="198.51.100.200", original_server_ip=MBX01_IP,
        transport_traffic_type="Email", log_id="d4f8a1c6-3b92-4e5d-a044-08de2d1a0401", schema_version=V2019),
    trk(date_time="2026-11-18T09:00:02.476Z", client_ip=MBX01_IP, client_hostname="EXMBX01.contoso.com",
        server_ip=MBX02_IP, server_hostname=MBX02,
        source_context="08DE2D1A3F5B7C04;2026-11-18T09:00:02.455Z;0",
        connector_id="EXMBX02\\Default EXMBX02", source="SMTP", event_id="RECEIVE",
        internal_message_id="64424509441", message_id=M1, network_message_id=M1_NET,
        recipient_address="bob@fabrikam.com", recipient_status="To", total_bytes=M1_SIZE, recipient_count="1",
        message_subject=M1_SUBJ, sender_address="alice@contoso.com", return_path="alice@contoso.com",
        message_info="08I: ", directionality="Originating", original_client_ip="198.51.100.200",
        original_server_ip=MBX01_IP, transport_traffic_type="Email",
        log_id="d4f8a1c6-3b92-4e5d-a044-08de2d1a0402", schema_version=V2019),
    # hand-off to the Edge Transport server (internal side of the perimeter)
    trk(date_time="2026-11-18T09:00:02.611Z", client_ip=MBX02_IP, client_hostname=MBX02,
        server_ip=EDGE_IN, server_hostname="EXEDGE01.contoso.com",
        source_context="08DE2D1A3F5B7C05;250 2.6.0 <DB7PR03MB4972A1B2C3D4E5F6@EXMBX01.contoso.com> "
                       "[InternalId=21474836485, Hostname=EXEDGE01.contoso.com] Queued mail for delivery;"
                       "ClientSubmitTime:" + M1_SUBMIT,
        connector_id="Intra-Organization SMTP Send Connector", source="SMTP", event_id="SEND",
        internal_message_id="64424509441", message_id=M1, network_message_id=M1_NET,
        recipient_address="bob@fabrikam.com", recipient_status="250 2.1.5 Recipient OK", total_bytes=M1_SIZE,
        recipient_count="1", message_subject=M1_SUBJ, sender_address="alice@contoso.com",
        return_path="alice@contoso.com", message_info=M1_INFO, directionality="Originating",
        custom_data="E2ELatency=0.741;ExternalSendLatency=0.000;ToEntity=Hosted",
        transport_traffic_type="Email", log_id="d4f8a1c6-3b92-4e5d-a044-08de2d1a0403", schema_version=V2019),
    trk(date_time="2026-11-18T09:00:03.870Z", client_ip=MBX02_IP, client_hostname=MBX02,
        server_ip=MBX01_IP, server_hostname="EXMBX01.contoso.com", source="REDUNDANCY",
        event_id="HADISCARD", internal_message_id="64424509440", message_id=M1, network_message_id=M1_NET,
        recipient_address="bob@fabrikam.com;carol@contoso.com", total_bytes=M1_SIZE, recipient_count="2",
        message_subject=M1_SUBJ, sender_address="alice@contoso.com", return_path="alice@contoso.com",
        directionality="Originating", transport_traffic_type="Email",
        log_id="d4f8a1c6-3b92-4e5d-a044-08de2d1a0404", schema_version=V2019),
    # inbound M2 and M3 arrive from the Edge server
    trk(date_time="2026-11-18T10:15:03.402Z", client_ip=EDGE_IN, client_hostname="EXEDGE01.contoso.com",
        server_ip=MBX02_IP, server_hostname=MBX02, source_context="08DE2D1A3F5B7C11;2026-11-18T10:15:03.390Z;0",
        connector_id="EXMBX02\\Default EXMBX02", source="SMTP", event_id="RECEIVE",
        internal_message_id="64424509477", message_id=M2, network_message_id=M2_NET,
        recipient_address="alice@contoso.com", recipient_status="To", total_bytes="24811", recipient_count="1",
        message_subject="Contract draft", sender_address="sam@fabrikam.com", return_path="sam@fabrikam.com",
        message_info="08I: ", directionality="Incoming", original_client_ip="198.51.100.7",
        original_server_ip=EDGE_IN, transport_traffic_type="Email",
        log_id="d4f8a1c6-3b92-4e5d-a044-08de2d1a0411", schema_version=V2019),
    trk(date_time="2026-11-18T10:19:04.215Z", client_ip=EDGE_IN, client_hostname="EXEDGE01.contoso.com",
        server_ip=MBX02_IP, server_hostname=MBX02, source_context="08DE2D1A3F5B7C12;2026-11-18T10:19:04.201Z;0",
        connector_id="EXMBX02\\Default EXMBX02", source="SMTP", event_id="RECEIVE",
        internal_message_id="64424509478", message_id=M3, network_message_id=M3_NET,
        recipient_address="alice@contoso.com", recipient_status="To", total_bytes="3311", recipient_count="1",
        message_subject="Invoice 2026-1142", sender_address="billing@woodgrove.example",
        return_path="bounces@woodgrove.example", message_info="08I: ", directionality="Incoming",
        original_client_ip="192.0.2.66", original_server_ip=EDGE_IN, transport_traffic_type="Email",
        log_id="d4f8a1c6-3b92-4e5d-a044-08de2d1a0412", schema_version=V2019),
]

edge_rows = [
    trk(date_time="2026-11-18T09:00:02.598Z", client_ip=MBX02_IP, client_hostname="EXMBX02.contoso.com",
        server_ip=EDGE_IN, server_hostname=EDGE, source_context="08DE2D1A3F5B7C06;2026-11-18T09:00:02.590Z;0",
        connector_id="EXEDGE01\\Default internal receive connector EXEDGE01", source="SMTP", event_id="RECEIVE",
        internal_message_id="21474836485", message_id=M1, network_message_id=M1_NET,
        recipient_address="bob@fabrikam.com", recipient_status="To", total_bytes=M1_SIZE, recipient_count="1",
        message_subject=M1_SUBJ, sender_address="alice@contoso.com", return_path="alice@contoso.com",
        message_info="08I: ", directionality="Originating", original_client_ip="198.51.100.200",
        original_server_ip=MBX02_IP, transport_traffic_type="Email",
        log_id="e9b3c5d7-6a14-4f2e-b155-08de2d1a0501", schema_version=V2019),
    trk(date_time="2026-11-18T09:00:03.756Z", client_ip=EDGE_OUT, client_hostname=EDGE,
        server_ip="192.0.2.25", server_hostname="mail.fabrikam.com",
        source_context=M1_OUT_SESSION + ";250 2.0.0 Ok: queued as 4Dk1vX0bYcz9sWJ;ClientSubmitTime:" + M1_SUBMIT,
        connector_id="EdgeSync - Default-First-Site-Name to Internet", source="SMTP", event_id="SENDEXTERNAL",
        internal_message_id="21474836485", message_id=M1, network_message_id=M1_NET,
        recipient_address="bob@fabrikam.com", recipient_status="250 2.1.5 Ok", total_bytes=M1_SIZE,
        recipient_count="1", message_subject=M1_SUBJ, sender_address="alice@contoso.com",
        return_path="alice@contoso.com", message_info=M1_INFO, directionality="Originating",
        custom_data="E2ELatency=1.886;ExternalSendLatency=0.602;ToEntity=Internet;FromEntity=Hosted",
        transport_traffic_type="Email", log_id="e9b3c5d7-6a14-4f2e-b155-08de2d1a0502", schema_version=V2019),
    # M2: sam@fabrikam.com -> alice@contoso.com over STARTTLS (TLS 1.2 in RECV)
    trk(date_time="2026-11-18T10:15:03.377Z", client_ip="198.51.100.7", client_hostname="mail.fabrikam.com",
        server_ip=EDGE_OUT, server_hostname=EDGE, source_context="08DE2D1A3F5B7C21;2026-11-18T10:15:02.500Z;0",
        connector_id="EXEDGE01\\Default internal receive connector EXEDGE01", source="SMTP", event_id="RECEIVE",
        internal_message_id="21474836492", message_id=M2, network_message_id=M2_NET,
        recipient_address="alice@contoso.com", recipient_status="To", total_bytes="24811", recipient_count="1",
        message_subject="Contract draft", sender_address="sam@fabrikam.com", return_path="sam@fabrikam.com",
        message_info="08I: ", directionality="Incoming", original_client_ip="198.51.100.7",
        original_server_ip=EDGE_OUT, transport_traffic_type="Email",
        log_id="e9b3c5d7-6a14-4f2e-b155-08de2d1a0511", schema_version=V2019),
    trk(date_time="2026-11-18T10:15:03.395Z", client_ip=EDGE_IN, client_hostname=EDGE,
        server_ip=MBX02_IP, server_hostname="EXMBX02.contoso.com",
        source_context="08DE2D1A3F5B7C22;250 2.6.0 " + M2 + " [InternalId=64424509477, Hostname=EXMBX02.contoso.com] "
                       "Queued mail for delivery;ClientSubmitTime:2026-11-18T10:15:01.000Z",
        connector_id="EdgeSync - Inbound to Default-First-Site-Name", source="SMTP", event_id="SEND",
        internal_message_id="21474836492", message_id=M2, network_message_id=M2_NET,
        recipient_address="alice@contoso.com", recipient_status="250 2.1.5 Recipient OK", total_bytes="24811",
        recipient_count="1", message_subject="Contract draft", sender_address="sam@fabrikam.com",
        return_path="sam@fabrikam.com", message_info="2026-11-18T10:15:03.377Z;SRV=EXEDGE01.contoso.com:TOTAL=0",
        directionality="Incoming", transport_traffic_type="Email",
        log_id="e9b3c5d7-6a14-4f2e-b155-08de2d1a0512", schema_version=V2019),
    # M3: billing@woodgrove.example -> alice@contoso.com in plain text (no STARTTLS in RECV)
    trk(date_time="2026-11-18T10:19:04.188Z", client_ip="192.0.2.66", client_hostname="smtp.woodgrove.example",
        server_ip=EDGE_OUT, server_hostname=EDGE, source_context="08DE2D1A3F5B7C23;2026-11-18T10:19:03.901Z;0",
        connector_id="EXEDGE01\\Default internal receive connector EXEDGE01", source="SMTP", event_id="RECEIVE",
        internal_message_id="21474836493", message_id=M3, network_message_id=M3_NET,
        recipient_address="alice@contoso.com", recipient_status="To", total_bytes="3311", recipient_count="1",
        message_subject="Invoice 2026-1142", sender_address="billing@woodgrove.example",
        return_path="bounces@woodgrove.example", message_info="08I: ", directionality="Incoming",
        original_client_ip="192.0.2.66", original_server_ip=EDGE_OUT, transport_traffic_type="Email",
        log_id="e9b3c5d7-6a14-4f2e-b155-08de2d1a0513", schema_version=V2019),
    trk(date_time="2026-11-18T10:19:04.206Z", client_ip=EDGE_IN, client_hostname=EDGE,
        server_ip=MBX02_IP, server_hostname="EXMBX02.contoso.com",
        source_context="08DE2D1A3F5B7C24;250 2.6.0 " + M3 + " [InternalId=64424509478, Hostname=EXMBX02.contoso.com] "
                       "Queued mail for delivery;ClientSubmitTime:2026-11-18T10:19:02.000Z",
        connector_id="EdgeSync - Inbound to Default-First-Site-Name", source="SMTP", event_id="SEND",
        internal_message_id="21474836493", message_id=M3, network_message_id=M3_NET,
        recipient_address="alice@contoso.com", recipient_status="250 2.1.5 Recipient OK", total_bytes="3311",
        recipient_count="1", message_subject="Invoice 2026-1142", sender_address="billing@woodgrove.example",
        return_path="bounces@woodgrove.example",
        message_info="2026-11-18T10:19:04.188Z;SRV=EXEDGE01.contoso.com:TOTAL=0", directionality="Incoming",
        transport_traffic_type="Email", log_id="e9b3c5d7-6a14-4f2e-b155-08de2d1a0514", schema_version=V2019),
]

D0 = "2026-11-18T09:00:00.512Z"
w3c_log("multiserver/EXMBX01/MSGTRKMS2026111809-1.LOG", V2019, "Message Tracking Log", D0, TRK_2016, ms_rows)
w3c_log("multiserver/EXMBX01/MSGTRK2026111809-1.LOG", V2019, "Message Tracking Log", D0, TRK_2016, hub1_rows)
w3c_log("multiserver/EXMBX01/MSGTRKMD2026111809-1.LOG", V2019, "Message Tracking Log", D0, TRK_2016, md1_rows)
w3c_log("multiserver/EXMBX02/MSGTRK2026111809-1.LOG", V2019, "Message Tracking Log", D0, TRK_2016, hub2_rows)
w3c_log("multiserver/EXEDGE01/MSGTRK2026111809-1.LOG", V2019, "Message Tracking Log", D0, TRK_2016, edge_rows)

# ---------------------------------------------------------------------------------------------
# SMTP protocol logs of the Edge server for the same day: RECV (Default internal receive connector)
# and SEND (EdgeSync send connector). Session ids match the source-context of the tracking rows.
RC = "EXEDGE01\\Default internal receive connector EXEDGE01"
TLS12_SERVER = ("TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm "
                "CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and "
                "key exchange algorithm CALG_ECDH_EPHEM with strength 384 bits")
TLS12_CLIENT = ("TLS protocol SP_PROT-TLS1_2_CLIENT negotiation succeeded using bulk encryption algorithm "
                "CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and "
                "key exchange algorithm CALG_ECDH_EPHEM with strength 384 bits")
TLS10_SERVER = ("TLS protocol SP_PROT_TLS1_0_SERVER negotiation succeeded using bulk encryption algorithm "
                "CALG_AES_128 with strength 128 bits, MAC hash algorithm CALG_SHA1 with strength 160 bits and "
                "key exchange algorithm CALG_ECDH_EPHEM with strength 256 bits")


def session(connector, sid, local, remote, t0, events):
    rows = []
    for n, (dt, ev, data, ctx) in enumerate(events):
        rows.append({"date-time": dt, "connector-id": connector, "session-id": sid, "sequence-number": str(n),
                     "local-endpoint": local, "remote-endpoint": remote, "event": ev, "data": data, "context": ctx})
    return rows


EHLO_REPLY = ("250  EXEDGE01.contoso.com Hello [{ip}] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS "
              "X-ANONYMOUSTLS AUTH NTLM X-EXPS GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST")
EHLO_REPLY_TLS = ("250  EXEDGE01.contoso.com Hello [{ip}] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES "
                  "AUTH NTLM LOGIN X-EXPS GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST")
BANNER = "220 EXEDGE01.contoso.com Microsoft ESMTP MAIL Service ready at Wed, 18 Nov 2026 10:15:02 +0000"

recv_rows = []
recv_rows += session(RC, "08DE2D1A3F5B7C06", EDGE_IN + ":25", MBX02_IP + ":28713", "", [
    ("2026-11-18T09:00:02.590Z", "+", "", ""),
    ("2026-11-18T09:00:02.590Z", ">", BANNER.replace("10:15:02", "09:00:02"), ""),
    ("2026-11-18T09:00:02.591Z", "<", "EHLO EXMBX02.contoso.com", ""),
    ("2026-11-18T09:00:02.591Z", ">", EHLO_REPLY.format(ip=MBX02_IP), ""),
    ("2026-11-18T09:00:02.592Z", "<", "STARTTLS", ""),
    ("2026-11-18T09:00:02.592Z", ">", "220 2.0.0 SMTP server ready", ""),
    ("2026-11-18T09:00:02.592Z", "*", "", "Sending certificate"),
    ("2026-11-18T09:00:02.592Z", "*", "CN=EXEDGE01", "Certificate subject"),
    ("2026-11-18T09:00:02.593Z", "*", "", TLS12_SERVER),
    ("2026-11-18T09:00:02.594Z", "<", "XEXPS NTLM", ""),
    ("2026-11-18T09:00:02.595Z", "*", "SMTPSubmit SMTPAcceptAnySender SMTPAcceptAnyRecipient AcceptRoutingHeaders",
     "Set Session Permissions"),
    ("2026-11-18T09:00:02.595Z", "<", "MAIL FROM:<alice@contoso.com> SIZE=" + M1_SIZE, ""),
    ("2026-11-18T09:00:02.595Z", "<", "RCPT TO:<bob@fabrikam.com>", ""),
    ("2026-11-18T09:00:02.596Z", "<", "BDAT " + M1_SIZE + " LAST", ""),
    ("2026-11-18T09:00:02.598Z", ">", "250 2.6.0 " + M1 + " [InternalId=21474836485, Hostname=EXEDGE01.contoso.com] "
     "Queued mail for delivery", ""),
    ("2026-11-18T09:00:02.602Z", "<", "QUIT", ""),
    ("2026-11-18T09:00:02.602Z", ">", "221 2.0.0 Service closing transmission channel", ""),
    ("2026-11-18T09:00:02.602Z", "-", "", "Local"),
])
recv_rows += session(RC, "08DE2D1A3F5B7C21", EDGE_OUT + ":25", "198.51.100.7:49152", "", [
    ("2026-11-18T10:15:02.500Z", "+", "", ""),
    ("2026-11-18T10:15:02.500Z", ">", BANNER, ""),
    ("2026-11-18T10:15:02.531Z", "<", "EHLO mail.fabrikam.com", ""),
    ("2026-11-18T10:15:02.531Z", ">", EHLO_REPLY.format(ip="198.51.100.7"), ""),
    ("2026-11-18T10:15:02.560Z", "<", "STARTTLS", ""),
    ("2026-11-18T10:15:02.560Z", ">", "220 2.0.0 SMTP server ready", ""),
    ("2026-11-18T10:15:02.560Z", "*", "", "Sending certificate"),
    ("2026-11-18T10:15:02.560Z", "*", "CN=mail.contoso.com", "Certificate subject"),
    ("2026-11-18T10:15:02.560Z", "*", "CN=R11, O=Let's Encrypt, C=US", "Certificate issuer name"),
    ("2026-11-18T10:15:02.612Z", "*", "", TLS12_SERVER),
    ("2026-11-18T10:15:02.640Z", "<", "EHLO mail.fabrikam.com", ""),
    ("2026-11-18T10:15:02.640Z", "*", "", "Client certificate chain validation status: 'EmptyCertificate'"),
    ("2026-11-18T10:15:02.640Z", "*", "", "TlsDomainCapabilities='None'; Status='NoRemoteCertificate'"),
    ("2026-11-18T10:15:02.640Z", ">", EHLO_REPLY_TLS.format(ip="198.51.100.7"), ""),
    ("2026-11-18T10:15:02.671Z", "*", "SMTPSubmit SMTPAcceptAnyRecipient SMTPAcceptAuthenticationFlag "
     "SMTPAcceptAnySender SMTPAcceptAuthoritativeDomainSender BypassAntiSpam BypassMessageSizeLimit "
     "SMTPAcceptEXCH50 AcceptRoutingHeaders", "Set Session Permissions"),
    ("2026-11-18T10:15:02.671Z", "<", "MAIL FROM:<sam@fabrikam.com> SIZE=24811", ""),
    ("2026-11-18T10:15:02.702Z", "<", "RCPT TO:<alice@contoso.com>", ""),
    ("2026-11-18T10:15:02.733Z", "<", "BDAT 24811 LAST", ""),
    ("2026-11-18T10:15:03.377Z", ">", "250 2.6.0 " + M2 + " [InternalId=21474836492, Hostname=EXEDGE01.contoso.com] "
     "Queued mail for delivery", ""),
    ("2026-11-18T10:15:03.410Z", "<", "QUIT", ""),
    ("2026-11-18T10:15:03.410Z", ">", "221 2.0.0 Service closing transmission channel", ""),
    ("2026-11-18T10:15:03.410Z", "-", "", "Local"),
])
recv_rows += session(RC, "08DE2D1A3F5B7C23", EDGE_OUT + ":25", "192.0.2.66:36612", "", [
    ("2026-11-18T10:19:03.901Z", "+", "", ""),
    ("2026-11-18T10:19:03.901Z", ">", BANNER.replace("10:15:02", "10:19:03"), ""),
    ("2026-11-18T10:19:03.950Z", "<", "EHLO smtp.woodgrove.example", ""),
    ("2026-11-18T10:19:03.950Z", ">", EHLO_REPLY.format(ip="192.0.2.66"), ""),
    ("2026-11-18T10:19:03.990Z", "<", "MAIL FROM:<bounces@woodgrove.example>", ""),
    ("2026-11-18T10:19:04.030Z", "<", "RCPT TO:<alice@contoso.com>", ""),
    ("2026-11-18T10:19:04.070Z", "<", "DATA", ""),
    ("2026-11-18T10:19:04.070Z", ">", "354 Start mail input; end with <CRLF>.<CRLF>", ""),
    ("2026-11-18T10:19:04.188Z", ">", "250 2.6.0 " + M3 + " [InternalId=21474836493, Hostname=EXEDGE01.contoso.com] "
     "Queued mail for delivery", ""),
    ("2026-11-18T10:19:04.230Z", "<", "QUIT", ""),
    ("2026-11-18T10:19:04.230Z", ">", "221 2.0.0 Service closing transmission channel", ""),
    ("2026-11-18T10:19:04.230Z", "-", "", "Local"),
])
# A client that asks for STARTTLS and drops the handshake: a failed TLS handshake, no message.
recv_rows += session(RC, "08DE2D1A3F5B7C25", EDGE_OUT + ":25", "203.0.113.201:50812", "", [
    ("2026-11-18T11:02:40.004Z", "+", "", ""),
    ("2026-11-18T11:02:40.004Z", ">", BANNER.replace("10:15:02", "11:02:40"), ""),
    ("2026-11-18T11:02:40.101Z", "<", "EHLO scanner.tailspin.example", ""),
    ("2026-11-18T11:02:40.101Z", ">", EHLO_REPLY.format(ip="203.0.113.201"), ""),
    ("2026-11-18T11:02:40.190Z", "<", "STARTTLS", ""),
    ("2026-11-18T11:02:40.190Z", ">", "220 2.0.0 SMTP server ready", ""),
    ("2026-11-18T11:02:40.190Z", "*", "", "Sending certificate"),
    ("2026-11-18T11:02:40.190Z", "*", "CN=mail.contoso.com", "Certificate subject"),
    ("2026-11-18T11:02:40.291Z", "*", "", "TLS negotiation failed with error SocketError"),
    ("2026-11-18T11:02:40.291Z", "-", "", "Remote(SocketError)"),
])
recv_rows.sort(key=lambda r: (r["date-time"], r["session-id"], int(r["sequence-number"])))
w3c_log("multiserver/EXEDGE01/RECV2026111809-1.LOG", "15.0.0.0", "SMTP Receive Protocol Log",
        "2026-11-18T09:00:02.590Z", PROTO, recv_rows)

SC = "EdgeSync - Default-First-Site-Name to Internet"
send_rows = []
send_rows += session(SC, M1_OUT_SESSION, EDGE_OUT + ":51234", "192.0.2.25:25", "", [
    ("2026-11-18T09:00:03.154Z", "+", "", ""),
    ("2026-11-18T09:00:03.201Z", "<", "220 mail.fabrikam.com ESMTP Postfix", ""),
    ("2026-11-18T09:00:03.201Z", ">", "EHLO mail.contoso.com", ""),
    ("2026-11-18T09:00:03.249Z", "<", "250-mail.fabrikam.com PIPELINING SIZE 10240000 VRFY ETRN STARTTLS "
     "ENHANCEDSTATUSCODES 8BITMIME DSN SMTPUTF8 CHUNKING", ""),
    ("2026-11-18T09:00:03.249Z", ">", "STARTTLS", ""),
    ("2026-11-18T09:00:03.297Z", "<", "220 2.0.0 Ready to start TLS", ""),
    ("2026-11-18T09:00:03.297Z", "*", "", "Sending certificate"),
    ("2026-11-18T09:00:03.297Z", "*", "CN=mail.contoso.com", "Certificate subject"),
    ("2026-11-18T09:00:03.390Z", "*", "", TLS12_CLIENT),
    ("2026-11-18T09:00:03.390Z", "*", "CN=mail.fabrikam.com", "Remote certificate"),
    ("2026-11-18T09:00:03.390Z", ">", "EHLO mail.contoso.com", ""),
    ("2026-11-18T09:00:03.438Z", "<", "250-mail.fabrikam.com PIPELINING SIZE 10240000 VRFY ETRN "
     "ENHANCEDSTATUSCODES 8BITMIME DSN SMTPUTF8 CHUNKING", ""),
    ("2026-11-18T09:00:03.438Z", "*", "", "sending message with RecordId 21474836485 and InternetMessageId " + M1),
    ("2026-11-18T09:00:03.438Z", ">", "MAIL FROM:<alice@contoso.com> SIZE=" + M1_SIZE, ""),
    ("2026-11-18T09:00:03.438Z", ">", "RCPT TO:<bob@fabrikam.com>", ""),
    ("2026-11-18T09:00:03.486Z", "<", "250 2.1.0 Ok", ""),
    ("2026-11-18T09:00:03.486Z", "<", "250 2.1.5 Ok", ""),
    ("2026-11-18T09:00:03.486Z", ">", "BDAT " + M1_SIZE + " LAST", ""),
    ("2026-11-18T09:00:03.756Z", "<", "250 2.0.0 Ok: queued as 4Dk1vX0bYcz9sWJ", ""),
    ("2026-11-18T09:00:03.756Z", ">", "QUIT", ""),
    ("2026-11-18T09:00:03.803Z", "<", "221 2.0.0 Bye", ""),
    ("2026-11-18T09:00:03.803Z", "-", "", "Local"),
])
send_rows.sort(key=lambda r: (r["date-time"], r["session-id"], int(r["sequence-number"])))
w3c_log("multiserver/EXEDGE01/SEND2026111809-1.LOG", "15.0.0.0", "SMTP Send Protocol Log",
        "2026-11-18T09:00:03.154Z", PROTO, send_rows)

# ---------------------------------------------------------------------------------------------
# Exchange 2010 Hub Transport server facing the internet (no network-message-id, 26 fields).
HUB10, HUB10_IP = "EXHUB10", "10.0.3.31"
I3 = "<CAF=Kx7u0p2Q1m9vX3@mail.gmail.com>"
O5 = "<6B1E7A4C0D9F2E3B8A5C4D3E2F1A0B9C@EXHUB10.contoso.com>"
O6 = "<C0FFEE11D00D4A5B9E8F7A6B5C4D3E2F@EXHUB10.contoso.com>"
rows10 = [
    trk(date_time="2026-11-16T08:41:17.340Z", client_ip="209.85.220.41", client_hostname="mail-sor-f41.google.com",
        server_ip=HUB10_IP, server_hostname=HUB10, source_context="08CD4A7F1E2B3C41;2026-11-16T08:41:16.902Z;0",
        connector_id="EXHUB10\\Default EXHUB10", source="SMTP", event_id="RECEIVE", internal_message_id="1187",
        message_id=I3, recipient_address="dave@contoso.com;erin@contoso.com", recipient_status=";",
        total_bytes="6120", recipient_count="2", message_subject="Lunch on Friday?",
        sender_address="frank.miller@gmail.com", return_path="frank.miller@gmail.com", message_info="0cI:"),
    trk(date_time="2026-11-16T08:41:18.012Z", server_hostname=HUB10, source="STOREDRIVER", event_id="DELIVER",
        internal_message_id="1187", message_id=I3, recipient_address="dave@contoso.com;erin@contoso.com",
        total_bytes="6120", recipient_count="2", message_subject="Lunch on Friday?",
        sender_address="frank.miller@gmail.com", return_path="frank.miller@gmail.com",
        message_info="2026-11-16T08:41:17.340Z;SRV=EXHUB10.contoso.com:TOTAL=0"),
    # O5: dave@contoso.com -> three recipients at northwind, one SMTP connection
    trk(date_time="2026-11-16T09:12:05.551Z", server_ip=HUB10_IP, server_hostname=HUB10,
        source_context="MDB:0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6, Mailbox:1a2b3c4d-5e6f-7a8b-9c0d-e1f2a3b4c5d6, "
                       "Event:4410923, MessageClass:IPM.Note, CreationTime:2026-11-16T09:12:04.998Z, ClientType:MOMT",
        source="STOREDRIVER", event_id="RECEIVE", internal_message_id="1191", message_id=O5,
        recipient_address="gina@northwind.example;hank@northwind.example;ivy@northwind.example",
        recipient_status="To;To;Cc", total_bytes="15233", recipient_count="3",
        message_subject='Re: "Project Falcon" kickoff, agenda', sender_address="dave@contoso.com",
        return_path="dave@contoso.com", message_info="04I:"),
    trk(date_time="2026-11-16T09:12:05.583Z", server_ip=HUB10_IP, server_hostname=HUB10,
        source_context="MDB:0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6, Mailbox:1a2b3c4d-5e6f-7a8b-9c0d-e1f2a3b4c5d6, "
                       "Event:4410923, MessageClass:IPM.Note, CreationTime:2026-11-16T09:12:04.998Z, ClientType:MOMT",
        source="STOREDRIVER", event_id="SUBMIT", internal_message_id="1191", message_id=O5,
        recipient_address="gina@northwind.example;hank@northwind.example;ivy@northwind.example",
        total_bytes="15233", recipient_count="3", message_subject='Re: "Project Falcon" kickoff, agenda',
        sender_address="dave@contoso.com", return_path="dave@contoso.com"),
    trk(date_time="2026-11-16T09:12:06.920Z", client_ip=HUB10_IP, client_hostname=HUB10,
        server_ip="192.0.2.80", server_hostname="mx.northwind.example",
        source_context='08CD4A7F1E2B3C52;250 2.0.0 Ok: queued as "9F3C21A0B7" (mx.northwind.example);'
                       'ClientSubmitTime:2026-11-16T09:12:04.998Z',
        connector_id="Internet Send Connector", source="SMTP", event_id="SEND", internal_message_id="1191",
        message_id=O5, recipient_address="gina@northwind.example;hank@northwind.example;ivy@northwind.example",
        recipient_status="250 2.1.5 Ok;250 2.1.5 Ok;250 2.1.5 Ok", total_bytes="15233", recipient_count="3",
        message_subject='Re: "Project Falcon" kickoff, agenda', sender_address="dave@contoso.com",
        return_path="dave@contoso.com", message_info="2026-11-16T09:12:05.551Z;SRV=EXHUB10.contoso.com:TOTAL=1"),
    # O6: deferred by the remote server, delivered on the retry an hour later
    trk(date_time="2026-11-16T13:30:02.118Z", server_ip=HUB10_IP, server_hostname=HUB10,
        source_context="MDB:0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6, Mailbox:5b6c7d8e-9f0a-1b2c-3d4e-5f6a7b8c9d0e, "
                       "Event:4411877, MessageClass:IPM.Note, CreationTime:2026-11-16T13:30:01.650Z, ClientType:MOMT",
        source="STOREDRIVER", event_id="RECEIVE", internal_message_id="1204", message_id=O6,
        recipient_address="orders@litware.example", recipient_status="To", total_bytes="4410", recipient_count="1",
        message_subject="PO 55120", sender_address="erin@contoso.com", return_path="erin@contoso.com",
        message_info="04I:"),
    trk(date_time="2026-11-16T13:30:33.406Z", server_hostname=HUB10,
        source_context="08CD4A7F1E2B3C60;2026-11-16T13:30:33.406Z;0", connector_id="Internet Send Connector",
        source="SMTP", event_id="DEFER", internal_message_id="1204", message_id=O6,
        recipient_address="orders@litware.example",
        recipient_status='451 4.4.0 Primary target IP address responded with: "421 4.7.0 Greylisted, '
                         'please try again in 600 seconds." Attempted failover to alternate host, but that did '
                         'not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts.',
        total_bytes="4410", recipient_count="1", message_subject="PO 55120", sender_address="erin@contoso.com",
        return_path="erin@contoso.com", message_info="2026-11-16T13:30:01.650Z;SRV=EXHUB10.contoso.com:TOTAL=0"),
    trk(date_time="2026-11-16T14:30:41.733Z", client_ip=HUB10_IP, client_hostname=HUB10,
        server_ip="192.0.2.91", server_hostname="mail.litware.example",
        source_context="08CD4A7F1E2B3C6F;250 2.0.0 OK 1763303441 qp-20020a05;ClientSubmitTime:2026-11-16T13:30:01.650Z",
        connector_id="Internet Send Connector", source="SMTP", event_id="SEND", internal_message_id="1204",
        message_id=O6, recipient_address="orders@litware.example", recipient_status="250 2.1.5 OK",
        total_bytes="4410", recipient_count="1", message_subject="PO 55120", sender_address="erin@contoso.com",
        return_path="erin@contoso.com", message_info="2026-11-16T13:30:01.650Z;SRV=EXHUB10.contoso.com:TOTAL=3600"),
    # an application server inside the organisation relays through the hub: internal, no record
    trk(date_time="2026-11-16T15:00:00.217Z", client_ip="10.0.5.20", client_hostname="app01.contoso.com",
        server_ip=HUB10_IP, server_hostname=HUB10, source_context="08CD4A7F1E2B3C71;2026-11-16T15:00:00.101Z;0",
        connector_id="EXHUB10\\Relay from application servers", source="SMTP", event_id="RECEIVE",
        internal_message_id="1210", message_id="<report-20261116-1500@app01.contoso.com>",
        recipient_address="dave@contoso.com", recipient_status="", total_bytes="2200", recipient_count="1",
        message_subject="Nightly report", sender_address="noreply@contoso.com", return_path="noreply@contoso.com",
        message_info="0cI:"),
]
w3c_log("ex2010/MSGTRK20261116-1.LOG", "14.0.0.0", "Message Tracking Log", "2026-11-16T08:00:00.113Z",
        TRK_2010, rows10)

# ---------------------------------------------------------------------------------------------
# Exchange 2013 Mailbox server without Edge (27 fields: network-message-id, no traffic type/log id/schema).
MBX13, MBX13_IP = "EXMBX13", "10.0.4.41"
V2013 = "15.00.1497.002"
I4 = "<BN8PR12MB3345F0E1D2C3B4A5@BN8PR12MB3345.namprd12.prod.outlook.com>"
I4_NET = "2b4c6d8e-0f1a-4b3c-9d5e-08d9f1a20001"
O7 = "<3D2C1B0A9F8E7D6C5B4A3F2E1D0C9B8A@EXMBX13.contoso.com>"
O7_NET = "9a8b7c6d-5e4f-4a3b-8c2d-08d9f1a20002"
O8 = "<77AA55CC33EE11FF99BB44DD22CC00EE@EXMBX13.contoso.com>"
O8_NET = "1f2e3d4c-5b6a-4978-8c9d-08d9f1a20003"
rows13 = [
    # I4: a partner on Microsoft 365 writes to two people here
    trk(date_time="2026-11-17T07:55:12.804Z", client_ip="40.107.22.93",
        client_hostname="mail-db8eur05on2093.outbound.protection.outlook.com", server_ip=MBX13_IP,
        server_hostname=MBX13, source_context="08D9F1A2B3C4D501;2026-11-17T07:55:12.006Z;0",
        connector_id="EXMBX13\\Default EXMBX13", source="SMTP", event_id="RECEIVE", internal_message_id="73014444033",
        message_id=I4, network_message_id=I4_NET, recipient_address="dave@contoso.com;erin@contoso.com",
        recipient_status="To;Cc", total_bytes="40951", recipient_count="2", message_subject="Quarterly review",
        sender_address="kim@tailspintoys.example", return_path="kim@tailspintoys.example",
        message_info="08I: NTS: None [FirstForestHop, EXMBX13.contoso.com]", directionality="Incoming",
        original_client_ip="40.107.22.93", original_server_ip=MBX13_IP),
    trk(date_time="2026-11-17T07:55:13.390Z", client_ip=MBX13_IP, client_hostname=MBX13,
        server_ip=MBX13_IP, server_hostname="EXMBX13.contoso.com",
        source_context="08D9F1A2B3C4D502;250 2.1.5 Recipient OK;ClientSubmitTime:2026-11-17T07:55:11.000Z",
        connector_id="Intra-Organization SMTP Send Connector", source="SMTP", event_id="SEND",
        internal_message_id="73014444033", message_id=I4, network_message_id=I4_NET,
        recipient_address="dave@contoso.com;erin@contoso.com", recipient_status="250 2.1.5 Recipient OK;250 2.1.5 Recipient OK",
        total_bytes="40951", recipient_count="2", message_subject="Quarterly review",
        sender_address="kim@tailspintoys.example", return_path="kim@tailspintoys.example",
        message_info="2026-11-17T07:55:12.804Z;SRV=EXMBX13.contoso.com:TOTAL=0", directionality="Incoming"),
    # O7: deferred (greylisting), then delivered after the retry in another file hour
    trk(date_time="2026-11-17T11:04:40.271Z", client_ip=MBX13_IP, client_hostname=MBX13,
        server_ip="192.0.2.80", server_hostname="mx.northwind.example",
        source_context="08D9F1A2B3C4D510;", connector_id="Outbound to Internet", source="SMTP", event_id="DEFER",
        internal_message_id="73014444101", message_id=O7, network_message_id=O7_NET,
        recipient_address="gina@northwind.example",
        recipient_status='[{LRT=11/17/2026 11:04:40 AM};{LED=451 4.4.0 Primary target IP address responded with: '
                         '"451 4.7.1 Greylisted, see https://northwind.example/greylist." Attempted failover to '
                         'alternate host, but that did not succeed.};{FQDN=mx.northwind.example};{IP=192.0.2.80}]',
        total_bytes="12045", recipient_count="1", message_subject="Falcon: revised timeline",
        sender_address="dave@contoso.com", return_path="dave@contoso.com",
        message_info="2026-11-17T11:04:39.102Z;SRV=EXMBX13.contoso.com:TOTAL=1", directionality="Originating"),
    trk(date_time="2026-11-17T11:15:42.009Z", client_ip=MBX13_IP, client_hostname=MBX13,
        server_ip="192.0.2.80", server_hostname="mx.northwind.example",
        source_context="08D9F1A2B3C4D51A;250 2.0.0 Ok: queued as 4Dk2Qm1tNpz3xTr;ClientSubmitTime:2026-11-17T11:04:39.102Z",
        connector_id="Outbound to Internet", source="SMTP", event_id="SEND", internal_message_id="73014444101",
        message_id=O7, network_message_id=O7_NET, recipient_address="gina@northwind.example",
        recipient_status="250 2.1.5 Ok", total_bytes="12045", recipient_count="1",
        message_subject="Falcon: revised timeline", sender_address="dave@contoso.com", return_path="dave@contoso.com",
        message_info="2026-11-17T11:04:39.102Z;SRV=EXMBX13.contoso.com:TOTAL=663", directionality="Originating"),
    # O8: the remote server rejects the recipient: FAIL, and a DSN back to the sender
    trk(date_time="2026-11-17T12:20:05.512Z", client_ip=MBX13_IP, client_hostname=MBX13,
        server_ip="192.0.2.91", server_hostname="mail.litware.example",
        source_context="08D9F1A2B3C4D520;", connector_id="Outbound to Internet", source="SMTP", event_id="FAIL",
        internal_message_id="73014444150", message_id=O8, network_message_id=O8_NET,
        recipient_address="nobody@litware.example",
        recipient_status="550 5.1.1 <nobody@litware.example>: Recipient address rejected: User unknown in virtual mailbox table",
        total_bytes="3002", recipient_count="1", message_subject="Hello", sender_address="erin@contoso.com",
        return_path="erin@contoso.com", message_info="2026-11-17T12:20:04.300Z;SRV=EXMBX13.contoso.com:TOTAL=1",
        directionality="Originating"),
    trk(date_time="2026-11-17T12:20:05.640Z", server_ip=MBX13_IP, server_hostname=MBX13, source="DSN",
        event_id="DSN", internal_message_id="73014444151",
        message_id="<a1b2c3d4e5f64a7b8c9d0e1f2a3b4c5d@EXMBX13.contoso.com>", network_message_id="4c5d6e7f-8091-4a2b-bc3d-08d9f1a20004",
        recipient_address="erin@contoso.com", recipient_status="250 2.1.5 Recipient OK", total_bytes="6612",
        recipient_count="1", reference=O8, message_subject="Undeliverable: Hello",
        sender_address="MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.com", return_path="<>",
        directionality="Originating"),
]
w3c_log("ex2013/MSGTRK2026111707-1.LOG", V2013, "Message Tracking Log", "2026-11-17T07:00:00.201Z", TRK_2013, rows13)

# Moderated transport log of the same server: approval events, never a boundary crossing.
rowsma = [
    trk(date_time="2026-11-17T09:30:11.402Z", server_hostname="EXMBX13.contoso.com", source="APPROVAL",
        event_id="INITMESSAGECREATED", internal_message_id="0", message_id="<5E6F7A8B9C0D1E2F@EXMBX13.contoso.com>",
        network_message_id="7d8e9f0a-1b2c-4d3e-8f4a-08d9f1a20005", recipient_address="board@contoso.com",
        total_bytes="0", recipient_count="1", message_subject="Minutes for approval",
        sender_address="erin@contoso.com", return_path="erin@contoso.com", directionality="Originating"),
    trk(date_time="2026-11-17T09:41:55.117Z", server_hostname="EXMBX13.contoso.com", source="APPROVAL",
        event_id="MODERATORAPPROVE", internal_message_id="0", message_id="<5E6F7A8B9C0D1E2F@EXMBX13.contoso.com>",
        network_message_id="7d8e9f0a-1b2c-4d3e-8f4a-08d9f1a20005", recipient_address="board@contoso.com",
        total_bytes="0", recipient_count="1", message_subject="Minutes for approval",
        sender_address="erin@contoso.com", return_path="erin@contoso.com", directionality="Originating"),
]
w3c_log("ex2013/MSGTRKMA2026111709-1.LOG", V2013, "Message Tracking Log", "2026-11-17T09:00:00.004Z",
        TRK_2013, rowsma)

# ---------------------------------------------------------------------------------------------
# Get-MessageTrackingLog -Server EXMBX13 ... | Export-Csv, from Windows PowerShell 5.1 in a remote
# Exchange Management Shell session (Deserialized type, PS* columns, en-US dates in the exporting
# machine's local time, here UTC-05:00). Export-Csv writes a string[] property as "System.String[]":
# the raw export carries no recipients; the second file is the usual fix with the arrays joined.
GMTL_COLS = ["PSComputerName", "RunspaceId", "PSShowComputerName", "Timestamp", "ClientIp", "ClientHostname",
             "ServerIp", "ServerHostname", "SourceContext", "ConnectorId", "Source", "EventId", "InternalMessageId",
             "MessageId", "NetworkMessageId", "Recipients", "RecipientStatus", "TotalBytes", "RecipientCount",
             "RelatedRecipientAddress", "Reference", "MessageSubject", "Sender", "ReturnPath", "Directionality",
             "TenantId", "OriginalClientIp", "MessageInfo", "MessageLatency", "MessageLatencyType", "EventData",
             "TransportTrafficType", "SchemaVersion"]
FIELD_TO_PROP = {"date-time": "Timestamp", "recipient-address": "Recipients", "sender-address": "Sender"}


def us_local(iso, offset_hours=-5):
    import datetime
    t = datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ") + datetime.timedelta(hours=offset_hours)
    return f"{t.month}/{t.day}/{t.year} {(t.hour % 12) or 12}:{t.minute:02d}:{t.second:02d} {'AM' if t.hour < 12 else 'PM'}"


def gmtl_row(r, joined):
    out = {"PSComputerName": "exmbx13.contoso.com", "RunspaceId": "5c1e2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
           "PSShowComputerName": "False", "MessageLatency": "", "MessageLatencyType": "None",
           "EventData": "System.Collections.Generic.KeyValuePair`2[System.String,System.Object][]",
           "TransportTrafficType": "", "SchemaVersion": "", "TenantId": ""}
    for f, v in r.items():
        prop = FIELD_TO_PROP.get(f) or "".join(w.capitalize() for w in f.split("-"))
        prop = {"ClientIp": "ClientIp", "ServerIp": "ServerIp", "OriginalClientIp": "OriginalClientIp"}.get(prop, prop)
        out[prop] = v
    out["Timestamp"] = us_local(r["date-time"])
    for arr in ("Recipients", "RecipientStatus", "Reference"):
        v = out.get(arr, "")
        if joined:
            out[arr] = v
        else:
            out[arr] = "System.String[]"
    out.pop("OriginalServerIp", None)
    out.pop("CustomData", None)
    return [out.get(c, "") for c in GMTL_COLS]


def quoted_all(values):
    return ",".join('"' + v.replace('"', '""') + '"' for v in values)


raw = ["#TYPE Deserialized.Microsoft.Exchange.Management.TransportLogSearchTasks.MessageTrackingEvent",
       quoted_all(GMTL_COLS)] + [quoted_all(gmtl_row(r, False)) for r in rows13]
write("gmtl-export/raw-export.csv", raw, bom=False)
joined = [quoted_all(GMTL_COLS)] + [quoted_all(gmtl_row(r, True)) for r in rows13]
write("gmtl-export/joined-notype.csv", joined, bom=False)

# ---------------------------------------------------------------------------------------------
# Exchange Online (tenant contoso.com, contoso.onmicrosoft.com). One day of message trace,
# 2026-11-19, the same records in every shape below.
EXO = [
    # Received (UTC), SenderAddress, RecipientAddress, Subject, Status, ToIP, FromIP, Size, MessageId, MessageTraceId
    ("2026-11-19T08:02:11.4830000Z", "sam@fabrikam.com", "alice@contoso.com", "Weekly sync", "Delivered",
     "", "198.51.100.7", 18022, "<AM9PR08MB6100A1B2C3D4E5F6@AM9PR08MB6100.eurprd08.prod.outlook.com>",
     "0a1b2c3d-4e5f-4a6b-8c7d-08de2e000001"),
    ("2026-11-19T08:15:40.0120000Z", "alice@contoso.com", "bob@fabrikam.com", 'RE: "Weekly sync", notes',
     "Delivered", "192.0.2.25", "10.80.14.7", 22310,
     "<DB7PR03MB4972B1C2D3E4F5A6@DB7PR03MB4972.eurprd03.prod.outlook.com>",
     "1b2c3d4e-5f6a-4b7c-8d9e-08de2e000002"),
    ("2026-11-19T09:47:03.9900000Z", "alice@contoso.com", "gina@northwind.example", "Falcon budget",
     "Pending", "192.0.2.80", "10.80.14.7", 9120,
     "<DB7PR03MB4972C2D3E4F5A6B7@DB7PR03MB4972.eurprd03.prod.outlook.com>",
     "2c3d4e5f-6a7b-4c8d-9e0f-08de2e000003"),
    ("2026-11-19T10:05:55.2210000Z", "erin@contoso.com", "nobody@litware.example", "Hello again",
     "Failed", "192.0.2.91", "10.80.14.9", 3102,
     "<DB7PR03MB4972D3E4F5A6B7C8@DB7PR03MB4972.eurprd03.prod.outlook.com>",
     "3d4e5f6a-7b8c-4d9e-8f1a-08de2e000004"),
    ("2026-11-19T11:30:00.0000000Z", "promo@deals.example", "dave@contoso.com", "You have WON",
     "FilteredAsSpam", "", "203.0.113.77", 51800, "<1763551800.77@deals.example>",
     "4e5f6a7b-8c9d-4e0f-9a2b-08de2e000005"),
    ("2026-11-19T11:42:17.5500000Z", "kim@tailspintoys.example", "allstaff@contoso.com", "Holiday schedule",
     "Expanded", "", "40.107.22.93", 30511, "<BN8PR12MB3345A9B8C7D6E5F4@BN8PR12MB3345.namprd12.prod.outlook.com>",
     "5f6a7b8c-9d0e-4f1a-8b3c-08de2e000006"),
    ("2026-11-19T12:01:09.7000000Z", "phish@lookalike.example", "erin@contoso.com", "Invoice overdue",
     "Quarantined", "", "203.0.113.150", 14400, "<20261119120109.1@lookalike.example>",
     "6a7b8c9d-0e1f-4a2b-9c4d-08de2e000007"),
    ("2026-11-19T12:59:58.1000000Z", "alice@contoso.com", "dave@contoso.com", "Lunch", "Delivered",
     "", "10.80.14.7", 2100, "<DB7PR03MB4972E4F5A6B7C8D9@DB7PR03MB4972.eurprd03.prod.outlook.com>",
     "7b8c9d0e-1f2a-4b3c-8d5e-08de2e000008"),
    ("2026-11-19T13:10:00.3000000Z", "alice@contoso.com", "bob@fabrikam.com", "Contract", "GettingStatus",
     "", "10.80.14.7", 40210, "<DB7PR03MB4972F5A6B7C8D9E0@DB7PR03MB4972.eurprd03.prod.outlook.com>",
     "8c9d0e1f-2a3b-4c4d-9e6f-08de2e000009"),
]


def us_utc(iso):
    import datetime
    t = datetime.datetime.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S")
    return f"{t.month}/{t.day}/{t.year} {(t.hour % 12) or 12}:{t.minute:02d}:{t.second:02d} {'AM' if t.hour < 12 else 'PM'}"


def epoch_ms(iso):
    import datetime
    t = datetime.datetime.strptime(iso[:26], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp() * 1000)


START, END = "11/19/2026 12:00:00 AM", "11/20/2026 12:00:00 AM"
DAY_START = "\\/Date(%d)\\/" % epoch_ms("2026-11-19T00:00:00.000000")
DAY_END = "\\/Date(%d)\\/" % epoch_ms("2026-11-20T00:00:00.000000")


def ps51_json(value):
    """Windows PowerShell 5.1 ConvertTo-Json: 4-space indent, two spaces after the colon, and the
    JavaScriptSerializer escapes of < > ' & as \\u003c \\u003e \\u0027 \\u0026."""
    text = json.dumps(value, indent=4, ensure_ascii=False)
    text = text.replace('": ', '":  ').replace("\\\\/", "\\/")
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027"), ("&", "\\u0026")):
        text = text.replace(ch, esc)
    return text
V1_COLS = ["PSComputerName", "RunspaceId", "PSShowComputerName", "Organization", "MessageId", "Received",
           "SenderAddress", "RecipientAddress", "Subject", "Status", "ToIP", "FromIP", "Size", "MessageTraceId",
           "StartDate", "EndDate", "Index"]
lines = ["#TYPE Deserialized.Microsoft.Exchange.Management.FfoReporting.MessageTrace", quoted_all(V1_COLS)]
for i, (rcv, snd, rcp, subj, st, toip, fromip, size, mid, tid) in enumerate(EXO):
    v = {"PSComputerName": "outlook.office365.com", "RunspaceId": "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b",
         "PSShowComputerName": "False", "Organization": "contoso.onmicrosoft.com", "MessageId": mid,
         "Received": us_utc(rcv), "SenderAddress": snd, "RecipientAddress": rcp, "Subject": subj, "Status": st,
         "ToIP": toip, "FromIP": fromip, "Size": str(size), "MessageTraceId": tid, "StartDate": START,
         "EndDate": END, "Index": str(i)}
    lines.append(quoted_all([v[c] for c in V1_COLS]))
write("exo/messagetrace-remote-session.csv", lines, bom=False)

V2_COLS = ["Received", "SenderAddress", "RecipientAddress", "Subject", "Status", "ToIP", "FromIP", "Size",
           "MessageId", "MessageTraceId"]
lines = [quoted_all(V2_COLS)]
for rcv, snd, rcp, subj, st, toip, fromip, size, mid, tid in EXO:
    lines.append(quoted_all([us_utc(rcv), snd, rcp, subj, st, toip, fromip, str(size), mid, tid]))
write("exo/messagetracev2.csv", lines, bom=False)

# ConvertTo-Json in Windows PowerShell 5.1: one array, 4-space indent, DateTime as \/Date(ms)\/.
objs = []
for i, (rcv, snd, rcp, subj, st, toip, fromip, size, mid, tid) in enumerate(EXO):
    objs.append({"Organization": "contoso.onmicrosoft.com", "MessageId": mid,
                 "Received": "\\/Date(%d)\\/" % epoch_ms(rcv), "SenderAddress": snd, "RecipientAddress": rcp,
                 "Subject": subj, "Status": st, "ToIP": toip or None, "FromIP": fromip, "Size": size,
                 "MessageTraceId": tid, "StartDate": DAY_START, "EndDate": DAY_END, "Index": i})
text = ps51_json(objs)
write("exo/messagetrace-ps51.json", text.split("\n"), bom=False)

# PowerShell 7: Get-MessageTraceV2 | ForEach-Object { $_ | ConvertTo-Json -Compress }: one object a line,
# DateTime as ISO 8601.
lines = []
for rcv, snd, rcp, subj, st, toip, fromip, size, mid, tid in EXO:
    lines.append(json.dumps({"Received": rcv, "SenderAddress": snd, "RecipientAddress": rcp, "Subject": subj,
                             "Status": st, "ToIP": toip or None, "FromIP": fromip, "Size": size, "MessageId": mid,
                             "MessageTraceId": tid}, separators=(",", ":"), ensure_ascii=False))
write("exo/messagetracev2-ps7.jsonl", lines, bom=False, newline="\n")

# Reporting web service (reports.office365.com/ecp/reportingwebservice/reporting.svc/MessageTrace):
# OData verbose JSON (d/results with __metadata) and JSON light (value).
base = "https://reports.office365.com/ecp/ReportingWebService/Reporting.svc/"
verbose = []
light = []
for i, (rcv, snd, rcp, subj, st, toip, fromip, size, mid, tid) in enumerate(EXO):
    rec = {"Organization": "contoso.onmicrosoft.com", "MessageId": mid, "Received": "\\/Date(%d)\\/" % epoch_ms(rcv),
           "SenderAddress": snd, "RecipientAddress": rcp, "Subject": subj, "Status": st, "ToIP": toip or None,
           "FromIP": fromip, "Size": size, "MessageTraceId": tid, "StartDate": DAY_START, "EndDate": DAY_END, "Index": i}
    meta = {"__metadata": {"id": base + "MessageTrace(%d)" % i, "uri": base + "MessageTrace(%d)" % i,
                           "type": "TenantReporting.MessageTrace"}}
    verbose.append({**meta, **rec})
    lrec = dict(rec)
    lrec["Received"] = rcv[:23] + "Z"
    lrec["StartDate"], lrec["EndDate"] = "2026-11-19T00:00:00Z", "2026-11-20T00:00:00Z"
    light.append(lrec)
write("exo/reportingwebservice-verbose.json",
      [json.dumps({"d": {"results": verbose}}, ensure_ascii=False).replace("\\\\/", "\\/")], bom=False, newline="\n")
write("exo/reportingwebservice-light.json",
      [json.dumps({"odata.metadata": base + "$metadata#MessageTrace", "value": light}, ensure_ascii=False)],
      bom=False, newline="\n")

# Historical search reports (Start-HistoricalSearch -ReportType MessageTrace / MessageTraceDetail), as the
# service delivers them: UTF-16LE with a byte order mark, every field quoted; and the same saved as UTF-8.
SUMMARY_COLS = ["origin_timestamp_utc", "sender_address", "recipient_status", "message_subject", "total_bytes",
                "message_id", "network_message_id", "original_client_ip", "directionality", "connector_id",
                "delivery_priority"]
summary = [quoted_all(SUMMARY_COLS),
           quoted_all(["2026-11-12T08:02:11.4830000Z", "sam@fabrikam.com", "alice@contoso.com##Receive, Deliver",
                       "Weekly sync", "18022", "<AM9PR08MB6100A9B8C7D6E5F4@AM9PR08MB6100.eurprd08.prod.outlook.com>",
                       "9d0e1f2a-3b4c-4d5e-8f7a-08de26000001", "198.51.100.7", "Incoming", "", "Normal"]),
           quoted_all(["2026-11-12T08:15:40.0120000Z", "alice@contoso.com",
                       "bob@fabrikam.com##Receive, Send;carol@fabrikam.com##Receive, Send", "RE: Weekly sync",
                       "22310", "<DB7PR03MB4972A9B8C7D6E5F4@DB7PR03MB4972.eurprd03.prod.outlook.com>",
                       "0e1f2a3b-4c5d-4e6f-9a8b-08de26000002", "10.80.14.7", "Originating",
                       "Outbound to Fabrikam", "Normal"]),
           quoted_all(["2026-11-12T10:05:55.2210000Z", "erin@contoso.com",
                       "nobody@litware.example##Receive, Fail;ok@litware.example##Receive, Send", "Hello again",
                       "3102", "<DB7PR03MB4972B9C8D7E6F5A4@DB7PR03MB4972.eurprd03.prod.outlook.com>",
                       "1f2a3b4c-5d6e-4f7a-8b9c-08de26000003", "10.80.14.9", "Originating", "", "Normal"]),
           quoted_all(["2026-11-12T11:00:00.0000000Z", "partner-app@fabrikam.com",
                       "dave@contoso.com##Receive, Deliver", "Nightly feed", "7700",
                       "<feed-20261112@app.fabrikam.com>", "2a3b4c5d-6e7f-4a8b-9c0d-08de26000004", "192.0.2.40",
                       "Incoming", "Inbound from Fabrikam", "Normal"])]
write("historical/summary-utf16.csv", summary, bom=False, encoding="utf-16-le")
write("historical/summary-utf8.csv", summary, bom=True)

EXT_COLS = [f.replace("-", "_") for f in TRK_2013]
EXT_COLS[0] = "date_time_utc"
ext_rows = [
    {"date_time_utc": "2026-11-12T08:02:11.4830000Z", "client_ip": "198.51.100.7", "client_hostname": "mail.fabrikam.com",
     "server_ip": "", "server_hostname": "AM9PR08MB6100", "source_context": "08DE26A1B2C3D4E5;2026-11-12T08:02:10.910Z;0",
     "connector_id": "", "source": "SMTP", "event_id": "RECEIVE", "internal_message_id": "51200",
     "message_id": "<AM9PR08MB6100A9B8C7D6E5F4@AM9PR08MB6100.eurprd08.prod.outlook.com>",
     "network_message_id": "9d0e1f2a-3b4c-4d5e-8f7a-08de26000001", "recipient_address": "alice@contoso.com",
     "recipient_status": "", "total_bytes": "18022", "recipient_count": "1", "message_subject": "Weekly sync",
     "sender_address": "sam@fabrikam.com", "return_path": "sam@fabrikam.com", "directionality": "Incoming",
     "tenant_id": "72f988bf-86f1-41af-91ab-2d7cd011db47", "original_client_ip": "198.51.100.7"},
    {"date_time_utc": "2026-11-12T08:02:12.0030000Z", "server_hostname": "AM9PR08MB6100", "source": "STOREDRIVER",
     "event_id": "DELIVER", "internal_message_id": "51200",
     "message_id": "<AM9PR08MB6100A9B8C7D6E5F4@AM9PR08MB6100.eurprd08.prod.outlook.com>",
     "network_message_id": "9d0e1f2a-3b4c-4d5e-8f7a-08de26000001", "recipient_address": "alice@contoso.com",
     "total_bytes": "18022", "recipient_count": "1", "message_subject": "Weekly sync",
     "sender_address": "sam@fabrikam.com", "return_path": "sam@fabrikam.com", "directionality": "Incoming",
     "tenant_id": "72f988bf-86f1-41af-91ab-2d7cd011db47"},
    {"date_time_utc": "2026-11-12T08:15:41.2200000Z", "client_ip": "", "server_ip": "192.0.2.25",
     "server_hostname": "mail.fabrikam.com",
     "source_context": "08DE26A1B2C3D4F0;250 2.0.0 Ok: queued as 4Dk9AbCdEfGh;ClientSubmitTime:2026-11-12T08:15:39.000Z",
     "connector_id": "Outbound to Fabrikam", "source": "SMTP", "event_id": "SENDEXTERNAL", "internal_message_id": "51233",
     "message_id": "<DB7PR03MB4972A9B8C7D6E5F4@DB7PR03MB4972.eurprd03.prod.outlook.com>",
     "network_message_id": "0e1f2a3b-4c5d-4e6f-9a8b-08de26000002",
     "recipient_address": "bob@fabrikam.com;carol@fabrikam.com", "recipient_status": "250 2.1.5 Ok;250 2.1.5 Ok",
     "total_bytes": "22310", "recipient_count": "2", "message_subject": "RE: Weekly sync",
     "sender_address": "alice@contoso.com", "return_path": "alice@contoso.com", "directionality": "Originating",
     "tenant_id": "72f988bf-86f1-41af-91ab-2d7cd011db47", "original_client_ip": "10.80.14.7"},
]
lines = [quoted_all(EXT_COLS)] + [quoted_all([r.get(c, "") for c in EXT_COLS]) for r in ext_rows]
write("historical/extended-utf16.csv", lines, bom=False, encoding="utf-16-le")

# EAC Inbound messages / Outbound messages report, "Connector report details", Export.
CR_COLS = ["Date", "Connector direction and name", "Connector type", "Forced TLS", "No TLS", "TLS 1.0", "TLS 1.1",
           "TLS 1.2", "Volume"]
cr = [
    ["11/10/2026", "Inbound - Internet", "Internet", "No", "2.50%", "0.00%", "0.00%", "97.50%", "400"],
    ["11/10/2026", "Inbound - Inbound from Fabrikam", "Partner", "Yes", "0.00%", "0.00%", "0.00%", "100.00%", "37"],
    ["11/10/2026", "Outbound - Internet", "Internet", "No", "4.00%", "1.00%", "0.00%", "95.00%", "200"],
    ["11/10/2026", "Outbound - Outbound to Fabrikam", "Partner", "Yes", "0.00%", "0.00%", "0.00%", "100.00%", "12"],
    ["11/11/2026", "Inbound - Internet", "Internet", "No", "30.00%", "0.00%", "0.00%", "70.00%", "10"],
    ["11/11/2026", "Outbound - Outbound to Contoso on-premises", "OnPremises", "Yes", "0.00%", "60.00%", "0.00%",
     "40.00%", "5"],
]
write("connector-report/inbound-outbound-report.csv", [quoted_all(CR_COLS)] + [quoted_all(r) for r in cr], bom=True)

# ---------------------------------------------------------------------------------------------
# Outbound proxy through the Front End Transport service (Exchange 2019 Mailbox server EXMBX03,
# no Edge; the Send connector "Outbound via Frontend" has -FrontEndProxyEnabled $true). The
# Transport service connects to the front end's "Outbound Proxy Frontend EXMBX03" receive
# connector (port 717), sends XPROXYTO naming its own session id, and the front end connects to
# the target. Message tracking (Transport service only: the front end keeps no tracking log)
# logs the SEND with the front end as server-ip and the target in custom-data. Two hours of
# tracking in two files: Q1 is deferred by greylisting in the first and sent in the second;
# Q2 goes to a peer without STARTTLS; Q3 to a peer with TLS. Lines per README.md ("Outbound proxy").
MBX03, MBX03_IP = "EXMBX03", "10.0.1.13"
PX_CONNECTOR = "Outbound via Frontend"
Q1 = "<AM0PR02MB5634C1D2E3F4A5B6@EXMBX03.contoso.com>"
Q2 = "<AM0PR02MB5634D7E8F9A0B1C2@EXMBX03.contoso.com>"
Q3 = "<AM0PR02MB5634E3F4A5B6C7D8@EXMBX03.contoso.com>"
H_DEFER, H1, H2, H3 = "08DE2F3A4B5C6D01", "08DE2F3A4B5C6D12", "08DE2F3A4B5C6D07", "08DE2F3A4B5C6D09"
R_DEFER, R1, R2, R3 = "08DE2F3A4B5C6E01", "08DE2F3A4B5C6E12", "08DE2F3A4B5C6E07", "08DE2F3A4B5C6E09"
P_DEFER, P1, P2, P3 = "08DE2F3A4B5C6F01", "08DE2F3A4B5C6F12", "08DE2F3A4B5C6F07", "08DE2F3A4B5C6F09"


def proxy_data(ip, host):
    return (f"S:OutboundProxyTargetIPAddress={ip};S:OutboundProxyTargetHostName={host};"
            f"S:OutboundProxyFrontendName=EXMBX03.contoso.com")


def px_row(dt, event, sid, reply, msgid, rcpt, status, size, subject, sender, target_ip, target_host, submit):
    ctx = f"{sid};{reply};ClientSubmitTime:{submit}" if event == "SEND" else f"{sid};"
    return trk(date_time=dt, client_ip=MBX03_IP, client_hostname=MBX03, server_ip=MBX03_IP,
               server_hostname="EXMBX03.contoso.com", source_context=ctx, connector_id=PX_CONNECTOR, source="SMTP",
               event_id=event, internal_message_id="8641" + sid[-4:], message_id=msgid,
               network_message_id="6e1f0a2b-3c4d-4e5f-a617-08de2f3a" + sid[-4:], recipient_address=rcpt,
               recipient_status=status, total_bytes=size, recipient_count="1", message_subject=subject,
               sender_address=sender, return_path=sender,
               message_info=f"{submit};SRV=EXMBX03.contoso.com:TOTAL=1", directionality="Originating",
               custom_data=proxy_data(target_ip, target_host), transport_traffic_type="Email",
               schema_version="15.02.1544.004")


px10 = [
    # Q1 as the OWA submission reaches the Transport service: never a boundary crossing.
    trk(date_time="2026-11-20T10:20:11.051Z", server_hostname="EXMBX03", source_context=sub_ctx(
        "0f2e6b7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b", "126554", "2026-11-20T10:20:10.402Z"),
        source="STOREDRIVER", event_id="RECEIVE", internal_message_id="86416d01", message_id=Q1,
        network_message_id="6e1f0a2b-3c4d-4e5f-a617-08de2f3a6d01", recipient_address="gina@northwind.example",
        total_bytes="9214", recipient_count="1", message_subject="Site visit", sender_address="frank@contoso.com",
        return_path="frank@contoso.com", directionality="Originating", transport_traffic_type="Email",
        schema_version="15.02.1544.004"),
    px_row("2026-11-20T10:20:14.377Z", "DEFER", H_DEFER, "", Q1, "gina@northwind.example",
           '[{LRT=11/20/2026 10:20:14 AM};{LED=451 4.7.1 Greylisted, see https://northwind.example/greylist.};'
           '{FQDN=mx.northwind.example};{IP=192.0.2.80}]', "9214", "Site visit", "frank@contoso.com",
           "192.0.2.80", "mx.northwind.example", "2026-11-20T10:20:10.402Z"),
    px_row("2026-11-20T10:41:03.912Z", "SEND", H2, "250 2.0.0 Ok: queued as 4Dn7Hx2QpKz1vWb", Q2,
           "ivan@litware.example", "250 2.1.5 Ok", "4410", "Invoice 7731", "frank@contoso.com",
           "192.0.2.91", "mail.litware.example", "2026-11-20T10:41:02.118Z"),
    px_row("2026-11-20T10:52:40.228Z", "SEND", H3, "250 2.0.0 Ok: queued as 4Dn7Xc1RmTz4yQa", Q3,
           "bob@fabrikam.com", "250 2.1.5 Ok", "15822", "Agenda", "grace@contoso.com",
           "192.0.2.25", "mail.fabrikam.com", "2026-11-20T10:52:39.020Z"),
]
px11 = [
    px_row("2026-11-20T11:05:19.604Z", "SEND", H1, "250 2.0.0 Ok: queued as 4Dn8Bq3SvWz2xPc", Q1,
           "gina@northwind.example", "250 2.1.5 Ok", "9214", "Site visit", "frank@contoso.com",
           "192.0.2.80", "mx.northwind.example", "2026-11-20T10:20:10.402Z"),
]
w3c_log("proxy/EXMBX03/MSGTRK2026112010-1.LOG", V2019, "Message Tracking Log", "2026-11-20T10:00:00.117Z",
        TRK_2016, px10)
w3c_log("proxy/EXMBX03/MSGTRK2026112011-1.LOG", V2019, "Message Tracking Log", "2026-11-20T11:00:00.082Z",
        TRK_2016, px11)

FE_BANNER = "220 EXMBX03.contoso.com Microsoft ESMTP MAIL Service ready at Fri, 20 Nov 2026 {t} +0000"
FE_EHLO = ("250  EXMBX03.contoso.com Hello [10.0.1.13] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS "
           "X-ANONYMOUSTLS AUTH NTLM X-EXPS GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING XPROXYTO XRSETPROXYTO SMTPUTF8")
FE_EHLO_TLS = ("250  EXMBX03.contoso.com Hello [10.0.1.13] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES "
               "AUTH NTLM X-EXPS GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING XPROXYTO XRSETPROXYTO SMTPUTF8")
TLS12_CLIENT_INTERNAL = TLS12_CLIENT.replace("SP_PROT-TLS1_2_CLIENT", "SP_PROT_TLS1_2_CLIENT")
TLS12_CLIENT_AES128 = ("TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded using bulk encryption algorithm "
                       "CALG_AES_128 with strength 128 bits, MAC hash algorithm CALG_SHA_256 with strength 0 bits "
                       "and key exchange algorithm CALG_ECDH_EPHEM with strength 256 bits")


def xproxyto(sid, domain):
    return (f"XPROXYTO DESTINATIONS={domain} FORCEHELO=False SHOULDSKIPTLS=False PORT=25 REQUIRETLS=False "
            f"REQUIREOORG=False RISK=Normal OUTBOUNDIPPOOL=0 SESSIONID={sid} NEXTHOPDOMAIN={domain} "
            f"DNSROUTING=True LAST=True")


def hub_session(sid, t, port, domain, target_ip, target_host, target_ehlo, msgid, sender, rcpt, size, final):
    """The Transport service's SmtpSend session to its front end, then proxied to the target."""
    s = lambda ms: f"2026-11-20T{t}.{ms:03d}Z"
    ev = [
        (s(10), "+", "", ""),
        (s(12), "<", FE_BANNER.format(t=t), ""),
        (s(12), ">", "EHLO EXMBX03.contoso.com", ""),
        (s(13), "<", FE_EHLO, ""),
        (s(13), ">", "STARTTLS", ""),
        (s(14), "<", "220 2.0.0 SMTP server ready", ""),
        (s(14), "*", "", "Sending certificate"),
        (s(14), "*", "CN=EXMBX03", "Certificate subject"),
        (s(18), "*", "", TLS12_CLIENT_INTERNAL),
        (s(18), "*", "CN=EXMBX03", "Remote certificate"),
        (s(18), ">", "EHLO EXMBX03.contoso.com", ""),
        (s(19), "<", FE_EHLO_TLS, ""),
        (s(19), ">", "X-EXPS EXCHANGEAUTH SHA256", ""),
        (s(20), "<", "235 <authentication response>", ""),
        (s(20), "*", "SMTPSubmit SMTPAcceptAnySender SMTPAcceptAnyRecipient AcceptRoutingHeaders",
         "Set Session Permissions"),
        (s(20), ">", xproxyto(sid, domain), ""),
        (s(95), "<", f"250  XPROXYTOTARGETIPADDRESS {target_ip} XPROXYTOTARGETHOSTNAME {target_host} {target_ehlo}", ""),
        (s(95), "*", "", "This session is now being proxied through the next hop. The actual connector being used "
         "is: " + PX_CONNECTOR),
        (s(95), "*", "", f"sending message with RecordId 86416{sid[-3:]} and InternetMessageId {msgid}"),
        (s(95), ">", f"MAIL FROM:<{sender}> SIZE={size}", ""),
        (s(95), ">", f"RCPT TO:<{rcpt}>", ""),
        (s(140), "<", "250 2.1.0 Ok", ""),
    ]
    ev += final(s)
    return session(PX_CONNECTOR, sid, MBX03_IP + f":{port}", MBX03_IP + ":717", "", ev)


def fe_session(sid, hub_sid, proxied_sid, t, port, target_ip, target_host, starttls, tls_line):
    """The front end's SmtpSend session to the target, for the Transport service's session hub_sid."""
    s = lambda ms: f"2026-11-20T{t}.{ms:03d}Z"
    ev = [
        (s(21), "*", "", f"attempting to connect. Outbound proxy from EXMBX03.contoso.com with session id {hub_sid}. "
         f"Proxied session id {proxied_sid}"),
        (s(40), "+", "", ""),
        (s(61), "<", f"220 {target_host} ESMTP Postfix", ""),
        (s(61), ">", "EHLO EXMBX03.contoso.com", ""),
    ]
    if starttls:
        ev += [
            (s(72), "<", f"250-{target_host} PIPELINING SIZE 10240000 VRFY ETRN STARTTLS ENHANCEDSTATUSCODES 8BITMIME "
             "DSN SMTPUTF8 CHUNKING", ""),
            (s(72), ">", "STARTTLS", ""),
            (s(80), "<", "220 2.0.0 Ready to start TLS", ""),
            (s(80), "*", "", "Sending certificate"),
            (s(80), "*", "CN=mail.contoso.com", "Certificate subject"),
            (s(90), "*", "", tls_line),
            (s(90), "*", "", "Received certificate"),
            (s(90), ">", "EHLO EXMBX03.contoso.com", ""),
            (s(94), "<", f"250-{target_host} PIPELINING SIZE 10240000 VRFY ETRN ENHANCEDSTATUSCODES 8BITMIME DSN "
             "SMTPUTF8 CHUNKING", ""),
        ]
    else:
        ev += [(s(94), "<", f"250-{target_host} PIPELINING SIZE 10240000 VRFY ETRN ENHANCEDSTATUSCODES 8BITMIME "
                "DSN SMTPUTF8 CHUNKING", "")]
    ev += [(s(95), "*", "", "Proxy session successfully set up for outbound proxy. Inbound session will now be "
            "blindly proxied"),
           (s(420), "-", "", "Local")]
    return session("Outbound proxy virtual send connector", sid, MBX03_IP + ":" + str(port), target_ip + ":25", "", ev)


def sent(queued):
    return lambda s: [(s(141), ">", "BDAT LAST", ""), (s(380), "<", f"250 2.0.0 Ok: queued as {queued}", ""),
                      (s(381), ">", "QUIT", ""), (s(420), "<", "221 2.0.0 Bye", ""), (s(420), "-", "", "Local")]


def greylisted(s):
    return [(s(141), "<", "451 4.7.1 Greylisted, see https://northwind.example/greylist.", ""),
            (s(142), ">", "QUIT", ""), (s(170), "<", "221 2.0.0 Bye", ""), (s(170), "-", "", "Local")]


PF_EHLO = "{h} PIPELINING SIZE 10240000 VRFY ETRN ENHANCEDSTATUSCODES 8BITMIME DSN SMTPUTF8 CHUNKING"
hub_rows = []
hub_rows += hub_session(H_DEFER, "10:20:14", 14601, "northwind.example", "192.0.2.80", "mx.northwind.example",
                        PF_EHLO.format(h="mx.northwind.example"), Q1, "frank@contoso.com", "gina@northwind.example",
                        "9214", greylisted)
hub_rows += hub_session(H2, "10:41:03", 14688, "litware.example", "192.0.2.91", "mail.litware.example",
                        PF_EHLO.format(h="mail.litware.example"), Q2, "frank@contoso.com", "ivan@litware.example",
                        "4410", sent("4Dn7Hx2QpKz1vWb"))
hub_rows += hub_session(H3, "10:52:40", 14702, "fabrikam.com", "192.0.2.25", "mail.fabrikam.com",
                        PF_EHLO.format(h="mail.fabrikam.com"), Q3, "grace@contoso.com", "bob@fabrikam.com",
                        "15822", sent("4Dn7Xc1RmTz4yQa"))
hub_rows += hub_session(H1, "11:05:19", 14930, "northwind.example", "192.0.2.80", "mx.northwind.example",
                        PF_EHLO.format(h="mx.northwind.example"), Q1, "frank@contoso.com", "gina@northwind.example",
                        "9214", sent("4Dn8Bq3SvWz2xPc"))
hub_rows.sort(key=lambda r: (r["date-time"], r["session-id"], int(r["sequence-number"])))
w3c_log("proxy/EXMBX03/Hub/SEND2026112010-1.LOG", "15.02.1544.004", "SMTP Send Protocol Log",
        "2026-11-20T10:20:14.010Z", PROTO, hub_rows)

fe_rows = []
fe_rows += fe_session(P_DEFER, H_DEFER, R_DEFER, "10:20:14", 40211, "192.0.2.80", "mx.northwind.example", True,
                      TLS12_CLIENT_AES128)
fe_rows += fe_session(P2, H2, R2, "10:41:03", 40377, "192.0.2.91", "mail.litware.example", False, "")
fe_rows += fe_session(P3, H3, R3, "10:52:40", 40402, "192.0.2.25", "mail.fabrikam.com", True, TLS12_CLIENT_AES128)
fe_rows += fe_session(P1, H1, R1, "11:05:19", 40619, "192.0.2.80", "mx.northwind.example", True,
                      TLS12_CLIENT_AES128)
fe_rows.sort(key=lambda r: (r["date-time"], r["session-id"], int(r["sequence-number"])))
w3c_log("proxy/EXMBX03/FrontEnd/SEND2026112010-1.LOG", "15.02.1544.004", "SMTP Send Protocol Log",
        "2026-11-20T10:20:14.021Z", PROTO, fe_rows)
