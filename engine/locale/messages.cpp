#include "locale/messages.h"

#include <mutex>

namespace mailflow {

namespace {

std::mutex g_default_mutex;
std::shared_ptr<const Culture> g_default;        // guarded by g_default_mutex
thread_local std::shared_ptr<const Culture> t_scoped;  // innermost CultureScope

}  // namespace

std::shared_ptr<const Culture> current_culture_ptr() {
  if (t_scoped) return t_scoped;
  std::lock_guard<std::mutex> lock(g_default_mutex);
  return g_default ? g_default : Culture::invariant();
}

const Culture& current_culture() {
  if (t_scoped) return *t_scoped;
  std::lock_guard<std::mutex> lock(g_default_mutex);
  // The default outlives the returned reference: it is replaced only by
  // set_default_culture, between commands.
  return g_default ? *g_default : *Culture::invariant();
}

void set_default_culture(std::shared_ptr<const Culture> culture) {
  std::lock_guard<std::mutex> lock(g_default_mutex);
  g_default = std::move(culture);
}

CultureScope::CultureScope(std::shared_ptr<const Culture> culture) : previous_(std::move(t_scoped)) {
  t_scoped = std::move(culture);
}

CultureScope::~CultureScope() { t_scoped = std::move(previous_); }

std::string format_message(std::string_view pattern, std::initializer_list<std::string> args) {
  const std::string* argv = args.begin();
  const size_t argc = args.size();
  std::string out;
  out.reserve(pattern.size() + 32);
  size_t next = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c != '%' || i + 1 >= pattern.size()) {
      out += c;
      continue;
    }
    if (pattern[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    // %s, %d, or %N$s / %N$d.
    size_t j = i + 1;
    size_t index = next;
    bool positional = false;
    if (pattern[j] >= '1' && pattern[j] <= '9') {
      size_t n = 0;
      size_t k = j;
      while (k < pattern.size() && pattern[k] >= '0' && pattern[k] <= '9') n = n * 10 + (pattern[k++] - '0');
      if (k < pattern.size() && pattern[k] == '$') {
        index = n - 1;
        positional = true;
        j = k + 1;
      }
    }
    if (j < pattern.size() && (pattern[j] == 's' || pattern[j] == 'd') && index < argc) {
      out += argv[index];
      if (!positional) ++next;
      i = j;
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace mailflow
