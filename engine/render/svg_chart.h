// The dashboard's two chart shapes as inline SVG: messages per day stacked by
// connector (the Mail Flow view), and 100% bars split by TLS version (the TLS
// usage view and the "protected in transit" summary). Every mark carries its
// numbers in a <title> (shown on hover) and in data-* attributes, and every
// string that reaches the SVG is escaped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace mailflow {

struct DailySeries {
  std::string label;   // connector, "(none)" for traffic without one
  std::string colour;  // CSS colour
  std::vector<std::int64_t> per_day;
};

// One stacked column per day from `first_day`, series stacked bottom-up in
// the order given. `chart_id` names the chart (data-chart) and its title.
std::string svg_daily_stacked(const std::string& chart_id, const std::string& title,
                              const std::string& direction, DayNumber first_day, int days,
                              const std::vector<DailySeries>& series);

struct PercentSegment {
  std::string key;     // TLS version (data-tls)
  std::string label;   // as the legend names it (None in the culture's words)
  std::string colour;
  std::int64_t messages = 0;
  double percent = 0;  // as the cmdlet returned it
};

struct PercentBar {
  std::string label;      // connector, or the direction in the summary
  std::string direction;  // Inbound / Outbound
  std::int64_t total = 0;
  std::vector<PercentSegment> segments;  // left to right
};

// One horizontal 100% bar per entry, segments left to right.
std::string svg_percent_bars(const std::string& chart_id, const std::string& title,
                             const std::vector<PercentBar>& bars);

// "Nice" axis maximum and step for counts up to `max` (1, 2 or 5 times a
// power of ten, about four steps).
struct AxisScale {
  std::int64_t max;
  std::int64_t step;
};
AxisScale nice_scale(std::int64_t max);

}  // namespace mailflow
