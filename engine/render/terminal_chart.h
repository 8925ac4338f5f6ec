// Terminal charts drawn with text: horizontal bars (plain or stacked) and
// daily sparklines. Pure functions from a chart model to lines, so that the
// Format-Chart cmdlet (engine/cmdlets/format_chart.cpp) only groups records
// and the drawing is tested on its own against golden files.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/terminal.h"
#include "core/time.h"

namespace mailflow {

// The glyph set: Unicode block elements, or plain ASCII for terminals whose
// locale is not UTF-8 (a UTF-8 block in a Latin-1 terminal prints as junk).
enum class Glyphs { Unicode, Ascii };

// One bar: a label and one value per stack key (one value when not stacked).
struct ChartBar {
  std::string label;
  std::vector<double> segments;
};

// Bars share one scale: the longest total fills the bar column. With more
// than one stack key each key gets its own fill glyph and a legend line.
struct BarChart {
  std::vector<std::string> stack_keys;  // empty or one: plain bars
  std::vector<ChartBar> bars;
};

struct SparkSeries {
  std::string label;
  std::vector<double> per_day;  // one value per day from first_day
};

// Sparklines share the day axis; each line is scaled to its own peak, as a
// sparkline shows the shape of one series rather than compares series.
struct SparklineChart {
  DayNumber first_day = 0;
  int days = 0;
  std::vector<SparkSeries> series;
};

// Both return the lines to print (no trailing newline), at most `width`
// display columns each (labels are shortened to fit).
std::vector<std::string> render_bar_chart(const BarChart& chart, int width, Glyphs glyphs);
std::vector<std::string> render_sparklines(const SparklineChart& chart, int width, Glyphs glyphs);


}  // namespace mailflow
