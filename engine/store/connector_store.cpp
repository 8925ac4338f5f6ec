#include "store/connector_store.h"

#include "core/error.h"
#include "core/text.h"

namespace mailflow {

namespace {

constexpr const char* kColumns =
    "name, direction, connector_type, enabled, require_tls, comment, sender_domains, sender_ips,"
    " tls_cert_name, recipient_domains, smart_hosts, created";

template <typename T, typename F>
std::string join_as_text(const std::vector<T>& items, F format) {
  std::vector<std::string> parts;
  for (const T& item : items) parts.push_back(format(item));
  return join(parts, ",");
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  for (const std::string& part : split(text, ','))
    if (!trim(part).empty()) out.emplace_back(trim(part));
  return out;
}

Connector read_row(Statement& s) {
  Connector c;
  c.name = s.column_text(0);
  c.direction = s.column_int(1) == 0 ? Direction::Inbound : Direction::Outbound;
  c.connector_type = s.column_text(2);
  c.enabled = s.column_int(3) != 0;
  c.require_tls = s.column_int(4) != 0;
  c.comment = s.column_optional_text(5);
  // Stored values were validated when written; parse them back the same way.
  c.sender_domains = parse_domain_patterns(split_list(s.column_text(6)), "SenderDomains");
  c.sender_ips = parse_ip_ranges(split_list(s.column_text(7)), "SenderIPAddresses");
  c.tls_sender_certificate_name = s.column_optional_text(8);
  c.recipient_domains = parse_domain_patterns(split_list(s.column_text(9)), "RecipientDomains");
  c.smart_hosts = split_list(s.column_text(10));
  c.created = s.column_int(11);
  return c;
}

void bind_row(Statement& s, const Connector& c) {
  s.bind(1, c.name)
      .bind(2, static_cast<int>(c.direction))
      .bind(3, c.connector_type)
      .bind(4, c.enabled ? 1 : 0)
      .bind(5, c.require_tls ? 1 : 0)
      .bind(6, c.comment)
      .bind(7, join_as_text(c.sender_domains, format_domain_pattern))
      .bind(8, join_as_text(c.sender_ips, format_ip_range))
      .bind(9, c.tls_sender_certificate_name)
      .bind(10, join_as_text(c.recipient_domains, format_domain_pattern))
      .bind(11, join(c.smart_hosts, ","))
      .bind(12, c.created);
}

std::string direction_word(Direction d) { return d == Direction::Inbound ? "inbound" : "outbound"; }

}  // namespace

std::vector<Connector> ConnectorStore::list(std::optional<Direction> direction) {
  StatementUse s(store_.db().cached(
      "connectors.list", std::string("SELECT ") + kColumns +
                             " FROM connectors WHERE ?1 IS NULL OR direction = ?1 ORDER BY name COLLATE NOCASE"));
  if (direction) s->bind(1, static_cast<int>(*direction));
  else s->bind_null(1);
  std::vector<Connector> out;
  while (s->step()) out.push_back(read_row(*s));
  return out;
}

std::optional<Connector> ConnectorStore::find(std::string_view name, Direction direction) {
  StatementUse s(store_.db().cached(
      "connectors.find",
      std::string("SELECT ") + kColumns + " FROM connectors WHERE name = ?1 AND direction = ?2"));
  s->bind(1, name).bind(2, static_cast<int>(direction));
  if (!s->step()) return std::nullopt;
  return read_row(*s);
}

void ConnectorStore::insert(const Connector& c) {
  {
    StatementUse taken(store_.db().cached("connectors.taken",
                                          "SELECT direction FROM connectors WHERE name = ?1"));
    taken->bind(1, c.name);
    if (taken->step())
      throw Error("DuplicateConnector",
                  "a connector named '" + c.name + "' already exists (" +
                      direction_word(taken->column_int(0) == 0 ? Direction::Inbound : Direction::Outbound) +
                      ")");
  }
  StatementUse s(store_.db().cached(
      "connectors.insert", std::string("INSERT INTO connectors(") + kColumns +
                               ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  bind_row(*s, c);
  s->run();
}

void ConnectorStore::update(const Connector& c) {
  StatementUse s(store_.db().cached(
      "connectors.update",
      "UPDATE connectors SET connector_type = ?3, enabled = ?4, require_tls = ?5, comment = ?6,"
      " sender_domains = ?7, sender_ips = ?8, tls_cert_name = ?9, recipient_domains = ?10,"
      " smart_hosts = ?11, created = ?12 WHERE name = ?1 AND direction = ?2"));
  bind_row(*s, c);
  s->run();
  if (store_.db().changes() == 0)
    throw Error("ConnectorNotFound", "no " + direction_word(c.direction) + " connector named '" + c.name + "'");
}

void ConnectorStore::remove(std::string_view name, Direction direction) {
  StatementUse s(store_.db().cached("connectors.delete",
                                    "DELETE FROM connectors WHERE name = ?1 AND direction = ?2"));
  s->bind(1, name).bind(2, static_cast<int>(direction));
  s->run();
  if (store_.db().changes() == 0)
    throw Error("ConnectorNotFound",
                "no " + direction_word(direction) + " connector named '" + std::string(name) + "'");
}

}  // namespace mailflow
