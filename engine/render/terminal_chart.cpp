#include "render/terminal_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/text.h"
#include "locale/messages.h"

namespace mailflow {

namespace {

// Eighths of a cell for plain Unicode bars: U+258F (1/8) ... U+2589 (7/8).
const char* const kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
const char* const kFullBlock = "█";
// Stack fills, darkest first, so that the first key (e.g. TLS1.3, the
// strongest) is the most solid. Block Elements only: one column wide everywhere.
const char* const kUnicodeFills[] = {"█", "▓", "▒", "░", "▚", "▞", "▀", "▄"};
const char* const kAsciiFills[] = {"#", "=", "+", "-", ".", ":", "o", "x"};
constexpr int kFillCount = 8;
// Sparkline levels 1..8; a day with nothing is a blank.
const char* const kUnicodeLevels[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
const char* const kAsciiLevels[] = {"_", ".", ",", "-", "=", "+", "*", "#"};

// Labels get up to two fifths of the width (24 to 48 columns), then are cut.
int max_label_width(int width) { return std::clamp(width * 2 / 5, 24, 48); }
constexpr int kMinPlotWidth = 10;

std::string repeat(const char* glyph, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += glyph;
  return out;
}

// Terminal columns of `text` (core/text.h), as an int for the layout arithmetic.
int columns(const std::string& text) { return static_cast<int>(display_width(text)); }

// Shortens `text` to `width` columns, marking the cut.
std::string fit(const std::string& text, int width, Glyphs glyphs) {
  if (columns(text) <= width) return text;
  size_t keep = prefix_within_width(text, static_cast<size_t>(std::max(width - 1, 0)));
  return text.substr(0, keep) + (glyphs == Glyphs::Unicode ? "…" : "~");
}

std::string pad_right(const std::string& text, int width) {
  int w = columns(text);
  return w >= width ? text : text + std::string(static_cast<size_t>(width - w), ' ');
}

std::string pad_left(const std::string& text, int width) {
  int w = columns(text);
  return w >= width ? text : std::string(static_cast<size_t>(width - w), ' ') + text;
}

// Integers print as integers; anything else with two decimals (the precision
// of the report cmdlets' Percent).
std::string format_number(double v, bool integral) {
  char buf[64];
  if (integral) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

bool all_integral(const std::vector<double>& values) {
  for (double v : values)
    if (v != std::floor(v)) return false;
  return true;
}

// Right-trims spaces so that golden files have no trailing blanks.
std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

std::vector<std::string> render_bar_chart(const BarChart& chart, int width, Glyphs glyphs) {
  std::vector<std::string> lines;
  if (chart.bars.empty()) return lines;
  const bool stacked = chart.stack_keys.size() > 1;
  const char* const* fills = glyphs == Glyphs::Unicode ? kUnicodeFills : kAsciiFills;

  std::vector<double> totals;
  std::vector<double> all_values;
  for (const ChartBar& bar : chart.bars) {
    double total = 0;
    for (double v : bar.segments) {
      total += v;
      all_values.push_back(v);
    }
    totals.push_back(total);
  }
  const bool integral = all_integral(all_values);
  const double scale = *std::max_element(totals.begin(), totals.end());

  int label_w = 0;
  for (const ChartBar& bar : chart.bars) label_w = std::max(label_w, columns(bar.label));
  label_w = std::min(label_w, max_label_width(width));
  int value_w = 0;
  for (double t : totals) value_w = std::max(value_w, columns(format_number(t, integral)));
  int plot_w = std::max(kMinPlotWidth, width - label_w - value_w - 4);
  if (label_w + plot_w + value_w + 4 > width)  // a very narrow terminal: shorten labels
    label_w = std::max(4, width - plot_w - value_w - 4);

  if (stacked) {
    // The legend wraps rather than overflow a narrow terminal.
    std::string legend;
    for (size_t k = 0; k < chart.stack_keys.size(); ++k) {
      std::string entry = std::string(fills[k % kFillCount]) + " " + chart.stack_keys[k];
      if (!legend.empty() && columns(legend) + 2 + columns(entry) > width) {
        lines.push_back(legend);
        legend.clear();
      }
      legend += (legend.empty() ? "" : "  ") + entry;
    }
    lines.push_back(legend);
  }

  for (size_t b = 0; b < chart.bars.size(); ++b) {
    const ChartBar& bar = chart.bars[b];
    std::string plot;
    int used = 0;
    if (scale > 0 && stacked) {
      // Segment ends are rounded cumulatively so that the bar's length is
      // the rounded total, whatever the segments' rounding.
      double cumulative = 0;
      for (size_t k = 0; k < bar.segments.size(); ++k) {
        cumulative += bar.segments[k];
        int end = static_cast<int>(std::lround(cumulative / scale * plot_w));
        plot += repeat(fills[k % kFillCount], end - used);
        used = end;
      }
    } else if (scale > 0) {
      double cells = totals[b] / scale * plot_w;
      if (glyphs == Glyphs::Unicode) {
        int eighths = static_cast<int>(std::lround(cells * 8));
        plot = repeat(kFullBlock, eighths / 8) + kEighths[eighths % 8];
        used = eighths / 8 + (eighths % 8 ? 1 : 0);
      } else {
        used = static_cast<int>(std::lround(cells));
        plot = repeat(fills[0], used);
      }
    }
    std::string line = pad_right(fit(bar.label, label_w, glyphs), label_w) + "  " + plot +
                       std::string(static_cast<size_t>(plot_w - used), ' ') + "  " +
                       pad_left(format_number(totals[b], integral), value_w);
    lines.push_back(rtrim(line));
  }
  return lines;
}

std::vector<std::string> render_sparklines(const SparklineChart& chart, int width, Glyphs glyphs) {
  std::vector<std::string> lines;
  if (chart.series.empty() || chart.days <= 0) return lines;
  const char* const* levels = glyphs == Glyphs::Unicode ? kUnicodeLevels : kAsciiLevels;

  int label_w = 0;
  std::vector<std::string> summaries;
  std::vector<double> all_values;
  for (const SparkSeries& s : chart.series) {
    label_w = std::max(label_w, columns(s.label));
    all_values.insert(all_values.end(), s.per_day.begin(), s.per_day.end());
  }
  label_w = std::min(label_w, max_label_width(width));
  const bool integral = all_integral(all_values);
  int summary_w = 0;
  for (const SparkSeries& s : chart.series) {
    double total = 0, peak = 0;
    for (double v : s.per_day) {
      total += v;
      peak = std::max(peak, v);
    }
    // TRANSLATORS: after a sparkline: the sum and the largest day of the series.
    summaries.push_back(format_message(_("total %1$s  peak %2$s"),
                                       {format_number(total, integral), format_number(peak, integral)}));
    summary_w = std::max(summary_w, columns(summaries.back()));
  }

  // More days than columns: each character stands for a bucket of days
  // (summed), said in the header so that the line is not misread.
  int plot_w = std::max(kMinPlotWidth, width - label_w - summary_w - 4);
  int per_char = (chart.days + plot_w - 1) / plot_w;
  int buckets = (chart.days + per_char - 1) / per_char;
  if (label_w + buckets + summary_w + 4 > width)
    label_w = std::max(4, width - buckets - summary_w - 4);

  std::string dash = glyphs == Glyphs::Unicode ? " – " : " .. ";
  std::string header = format_date(chart.first_day) + dash +
                       format_date(chart.first_day + chart.days - 1) + ", " +
                       format_message(_n("%s day", "%s days", chart.days), {std::to_string(chart.days)}) +
                       ", " +
                       (per_char == 1 ? _("one day per character")
                                      : format_message(_n("%s day per character", "%s days per character",
                                                          per_char),
                                                       {std::to_string(per_char)}));
  lines.push_back(header);

  for (size_t i = 0; i < chart.series.size(); ++i) {
    const SparkSeries& s = chart.series[i];
    std::vector<double> bucket(static_cast<size_t>(buckets), 0.0);
    for (size_t d = 0; d < s.per_day.size() && d < static_cast<size_t>(chart.days); ++d)
      bucket[d / static_cast<size_t>(per_char)] += s.per_day[d];
    double peak = *std::max_element(bucket.begin(), bucket.end());
    std::string spark;
    for (double v : bucket) {
      if (v <= 0 || peak <= 0) {
        spark += ' ';
        continue;
      }
      int level = static_cast<int>(std::ceil(v / peak * 8));
      spark += levels[std::clamp(level, 1, 8) - 1];
    }
    lines.push_back(rtrim(pad_right(fit(s.label, label_w, glyphs), label_w) + "  " + spark +
                          "  " + summaries[i]));
  }
  return lines;
}

}  // namespace mailflow
