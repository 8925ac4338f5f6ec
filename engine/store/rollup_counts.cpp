#include "store/rollup_counts.h"

namespace mailflow {

namespace {

// Shared by every grouping. The day range is the leading column of the
// rollup's primary key, so each query is a range search on it. Optional
// filters are bound as NULL / 0 when not wanted:
//   ?3 direction or NULL; ?4 connector scope 0 All, 1 Named (?5), 2 None;
//   ?6 the counted status.
#define MAILFLOW_ROLLUP_WHERE                                                        \
  " FROM daily_rollup WHERE day BETWEEN ?1 AND ?2 AND status = ?6 COLLATE NOCASE"   \
  " AND (?3 IS NULL OR direction = ?3)"                                              \
  " AND (?4 = 0 OR (?4 = 1 AND connector = ?5 COLLATE NOCASE) OR (?4 = 2 AND connector = ''))"

struct GroupingQuery {
  const char* name;
  const char* sql;
};

GroupingQuery query_for(RollupGrouping grouping) {
  switch (grouping) {
    case RollupGrouping::DayDirectionConnector:
      return {"rollup.by_day_direction_connector",
              "SELECT day, direction, connector, 0, sum(messages)" MAILFLOW_ROLLUP_WHERE
              " GROUP BY day, direction, connector"};
    case RollupGrouping::DirectionConnectorTls:
      return {"rollup.by_direction_connector_tls",
              "SELECT 0, direction, connector, tls, sum(messages)" MAILFLOW_ROLLUP_WHERE
              " GROUP BY direction, connector, tls"};
    case RollupGrouping::DirectionTls:
      return {"rollup.by_direction_tls",
              "SELECT 0, direction, '', tls, sum(messages)" MAILFLOW_ROLLUP_WHERE
              " GROUP BY direction, tls"};
  }
  return {"", ""};
}

#undef MAILFLOW_ROLLUP_WHERE

}  // namespace

std::string rollup_query_sql(RollupGrouping grouping) { return query_for(grouping).sql; }

std::vector<RollupCount> rollup_counts(TraceStore& store, const RollupSelection& sel,
                                       RollupGrouping grouping) {
  GroupingQuery q = query_for(grouping);
  StatementUse s(store.db().cached(q.name, q.sql));
  s->bind(1, static_cast<std::int64_t>(sel.first)).bind(2, static_cast<std::int64_t>(sel.last));
  if (sel.direction) s->bind(3, static_cast<int>(*sel.direction));
  else s->bind_null(3);
  using C = RollupSelection::Connectors;
  s->bind(4, sel.connectors == C::All ? 0 : sel.connectors == C::Named ? 1 : 2);
  s->bind(5, sel.connector);
  s->bind(6, sel.status);
  std::vector<RollupCount> out;
  while (s->step()) {
    RollupCount c;
    c.day = static_cast<DayNumber>(s->column_int(0));
    c.direction = s->column_int(1) == 1 ? Direction::Outbound : Direction::Inbound;
    std::string connector = s->column_text(2);
    if (!connector.empty()) c.connector = std::move(connector);
    c.tls = static_cast<TlsVersion>(s->column_int(3));
    c.messages = s->column_int(4);
    if (c.messages > 0) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace mailflow
