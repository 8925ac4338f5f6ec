// Shares as the reports show them: percent with two decimals, rounded half
// away from zero (12.345 -> 12.35), computed in integers so that no binary
// floating-point error can move a value across a rounding edge or a threshold.
#pragma once

#include <cmath>
#include <cstdint>

namespace mailflow {

// 100 * part / whole rounded to two decimals; 0 when whole is 0.
inline double percent_of(std::int64_t part, std::int64_t whole) {
  if (whole <= 0 || part <= 0) return 0.0;
  // hundredths = round(part * 10000 / whole); both operands are non-negative,
  // so half-up is half-away-from-zero.
  std::int64_t hundredths = (part * 20000 + whole) / (2 * whole);
  return static_cast<double>(hundredths) / 100.0;
}

// `value` rounded half away from zero to `decimals` places (2.5 -> 3,
// -2.5 -> -3): the one rounding rule of reports, the dashboard and Lua's
// report.round.
inline double round_to(double value, int decimals) {
  double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

}  // namespace mailflow
