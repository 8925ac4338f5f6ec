#include "render/svg_chart.h"

#include <algorithm>

#include "locale/messages.h"
#include "render/html_text.h"

namespace mailflow {

namespace {

// The daily chart's frame, in SVG user units (the SVG scales to its box).
constexpr double kDailyWidth = 960, kDailyHeight = 300;
constexpr double kDailyLeft = 56, kDailyRight = 12, kDailyTop = 14, kDailyBottom = 40;

// The percent bars' frame.
constexpr double kBarsWidth = 960, kBarsLabel = 250, kBarsValue = 120;
constexpr double kRowHeight = 30, kBarHeight = 20, kBarsTop = 6;
constexpr size_t kMaxLabelChars = 34;

std::string attr(const char* name, const std::string& value) {
  return std::string(" ") + name + "=\"" + html_escape(value) + "\"";
}

// Axis labels: the culture's short date without the year ("11-22", "22/11").
std::string month_day(DayNumber day) { return current_culture().month_day(day); }

// Shortens a label drawn inside the SVG (SVG text does not wrap); the full
// text stays in the <title>.
std::string shorten(const std::string& text) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (++chars > kMaxLabelChars - 1) return text.substr(0, i) + "…";
  }
  return text;
}

}  // namespace

AxisScale nice_scale(std::int64_t max) {
  if (max <= 0) return {4, 1};
  std::int64_t raw = (max + 3) / 4;
  std::int64_t magnitude = 1;
  while (magnitude * 10 <= raw) magnitude *= 10;
  std::int64_t step = magnitude;
  for (std::int64_t m : {1, 2, 5, 10}) {
    step = m * magnitude;
    if (step >= raw) break;
  }
  return {(max + step - 1) / step * step, step};
}

std::string svg_daily_stacked(const std::string& chart_id, const std::string& title,
                              const std::string& direction, DayNumber first_day, int days,
                              const std::vector<DailySeries>& series) {
  std::int64_t peak = 0;
  for (int d = 0; d < days; ++d) {
    std::int64_t total = 0;
    for (const DailySeries& s : series) total += s.per_day[static_cast<size_t>(d)];
    peak = std::max(peak, total);
  }
  const AxisScale scale = nice_scale(peak);
  const double plot_w = kDailyWidth - kDailyLeft - kDailyRight;
  const double plot_h = kDailyHeight - kDailyTop - kDailyBottom;
  const double bottom = kDailyTop + plot_h;
  const double slot = plot_w / std::max(days, 1);
  const double bar_w = slot * 0.74;

  std::string svg = "<svg class=\"chart\" viewBox=\"0 0 " + format_coord(kDailyWidth) + " " +
                    format_coord(kDailyHeight) + "\" role=\"img\"" + attr("aria-label", title) +
                    attr("data-chart", chart_id) + ">\n<title>" + html_escape(title) + "</title>\n";
  // Grid and y axis labels.
  for (std::int64_t v = 0; v <= scale.max; v += scale.step) {
    double y = bottom - static_cast<double>(v) / static_cast<double>(scale.max) * plot_h;
    svg += "<line class=\"grid\" x1=\"" + format_coord(kDailyLeft) + "\" x2=\"" +
           format_coord(kDailyWidth - kDailyRight) + "\" y1=\"" + format_coord(y) + "\" y2=\"" +
           format_coord(y) + "\"/>\n<text class=\"axis\" x=\"" + format_coord(kDailyLeft - 6) +
           "\" y=\"" + format_coord(y + 4) + "\" text-anchor=\"end\">" + format_count(v) + "</text>\n";
  }
  // Day labels: about a dozen, whatever the range.
  const int label_every = std::max(1, (days + 11) / 12);
  for (int d = 0; d < days; d += label_every) {
    double x = kDailyLeft + slot * d + slot / 2;
    svg += "<text class=\"axis\" x=\"" + format_coord(x) + "\" y=\"" +
           format_coord(bottom + 18) + "\" text-anchor=\"middle\">" + html_escape(month_day(first_day + d)) +
           "</text>\n";
  }
  // The stacked columns.
  for (int d = 0; d < days; ++d) {
    double x = kDailyLeft + slot * d + (slot - bar_w) / 2;
    double y = bottom;
    const std::string date = format_date(first_day + d);
    for (const DailySeries& s : series) {
      std::int64_t n = s.per_day[static_cast<size_t>(d)];
      if (n <= 0) continue;
      double h = static_cast<double>(n) / static_cast<double>(scale.max) * plot_h;
      y -= h;
      svg += "<rect class=\"seg\" x=\"" + format_coord(x) + "\" y=\"" + format_coord(y) +
             "\" width=\"" + format_coord(bar_w) + "\" height=\"" + format_coord(h) + "\"" +
             attr("fill", s.colour) + attr("data-direction", direction) + attr("data-date", date) +
             attr("data-connector", s.label) + attr("data-messages", format_count(n)) + "><title>" +
             html_escape(current_culture().date(first_day + d) + " · " + s.label + ": " +
                         format_message(_n("%s message", "%s messages", n),
                                        {current_culture().count(n)})) +
             "</title></rect>\n";
    }
  }
  svg += "<line class=\"axisline\" x1=\"" + format_coord(kDailyLeft) + "\" x2=\"" +
         format_coord(kDailyWidth - kDailyRight) + "\" y1=\"" + format_coord(bottom) + "\" y2=\"" +
         format_coord(bottom) + "\"/>\n</svg>\n";
  return svg;
}

std::string svg_percent_bars(const std::string& chart_id, const std::string& title,
                             const std::vector<PercentBar>& bars) {
  const double height = kBarsTop * 2 + kRowHeight * static_cast<double>(bars.size());
  const double plot_w = kBarsWidth - kBarsLabel - kBarsValue;
  std::string svg = "<svg class=\"chart bars\" viewBox=\"0 0 " + format_coord(kBarsWidth) + " " +
                    format_coord(height) + "\" role=\"img\"" + attr("aria-label", title) +
                    attr("data-chart", chart_id) + ">\n<title>" + html_escape(title) + "</title>\n";
  for (size_t b = 0; b < bars.size(); ++b) {
    const PercentBar& bar = bars[b];
    const double top = kBarsTop + kRowHeight * static_cast<double>(b);
    const double mid = top + kRowHeight / 2 + 4;
    svg += "<text class=\"label\" x=\"" + format_coord(kBarsLabel - 10) + "\" y=\"" +
           format_coord(mid) + "\" text-anchor=\"end\"><title>" + html_escape(bar.label) +
           "</title>" + html_escape(shorten(bar.label)) + "</text>\n";
    double x = kBarsLabel;
    for (const PercentSegment& seg : bar.segments) {
      if (seg.messages <= 0) continue;
      // Percentages are rounded to two decimals by the cmdlet, so they may
      // add up to 100.01: the last segment is clipped to the bar's end.
      double w = std::min(seg.percent / 100.0 * plot_w, kBarsLabel + plot_w - x);
      svg += "<rect class=\"seg\" x=\"" + format_coord(x) + "\" y=\"" +
             format_coord(top + (kRowHeight - kBarHeight) / 2) + "\" width=\"" +
             format_coord(std::max(w, 0.0)) + "\" height=\"" + format_coord(kBarHeight) + "\"" +
             attr("fill", seg.colour) + attr("data-direction", bar.direction) +
             attr("data-label", bar.label) + attr("data-tls", seg.key) +
             attr("data-messages", format_count(seg.messages)) +
             attr("data-percent", format_percent(seg.percent)) + "><title>" +
             html_escape(bar.label + " · " + seg.label + ": " +
                         format_message(_n("%1$s message (%2$s)", "%1$s messages (%2$s)", seg.messages),
                                        {current_culture().count(seg.messages),
                                         current_culture().percent(seg.percent)})) +
             "</title></rect>\n";
      x += w;
    }
    svg += "<text class=\"value\" x=\"" + format_coord(kBarsWidth - 4) + "\" y=\"" +
           format_coord(mid) + "\" text-anchor=\"end\">" +
           html_escape(format_message(_n("%s message", "%s messages", bar.total),
                                      {current_culture().count(bar.total)})) +
           "</text>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace mailflow
