#include "shell/format.h"

#include <algorithm>
#include <deque>

#include "core/error.h"
#include "core/terminal.h"
#include "core/text.h"

namespace mailflow {

namespace {

// A cell occupies one line: control characters (a newline in a subject, a
// tab in a log excerpt) would break the grid, so they become spaces; C1 and
// bidi controls become visible escapes (core/terminal.h) before widths are
// measured.
std::string single_line(std::string text) {
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return terminal_safe(text);
}

std::string rstrip(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string pad(std::string_view text, size_t width, bool right) {
  size_t w = display_width(text);
  std::string fill(w < width ? width - w : 0, ' ');
  return right ? fill + std::string(text) : std::string(text) + fill;
}

// Expands -Property patterns against a record's properties, keeping the
// record's spelling. A plain name the record lacks is an error: a typo would
// otherwise show as an empty column.
std::vector<std::string> resolve_properties(const std::vector<std::string>& patterns,
                                            const Record& first, const std::string& cmdlet) {
  const std::vector<std::string>& names = first.schema().names();
  if (patterns.empty()) return names;
  std::vector<std::string> out;
  auto add = [&out](const std::string& name) {
    for (const std::string& have : out)
      if (iequals(have, name)) return;
    out.push_back(name);
  };
  for (const std::string& pattern : patterns) {
    if (has_wildcard(pattern)) {
      for (const std::string& name : names)
        if (wildcard_match(pattern, name)) add(name);
      continue;
    }
    int i = first.schema().find(pattern);
    if (i < 0)
      throw Error("PropertyNotFound", cmdlet + ": -Property '" + pattern +
                                          "' is not a property of the input records (they have: " +
                                          join(names, ", ") + ")");
    add(names[static_cast<size_t>(i)]);
  }
  return out;
}

std::string scalar_line(const Value& v) { return v.to_display(); }

struct Column {
  std::string name;
  size_t width = 0;  // natural width, then the width after fitting
  bool right = false;
};

// Shrinks columns so that the line fits `max_width`: the widest columns give
// up characters first (no column below min(natural, 10)); when even that does
// not fit, columns are dropped from the right. Returns the dropped names.
std::vector<std::string> fit_columns(std::vector<Column>& columns, int max_width) {
  std::vector<std::string> dropped;
  if (max_width <= 0 || columns.empty()) return dropped;
  const size_t limit = static_cast<size_t>(max_width);
  auto total = [](const std::vector<Column>& cols, auto width_of) {
    size_t sum = cols.empty() ? 0 : cols.size() - 1;
    for (const Column& c : cols) sum += width_of(c);
    return sum;
  };
  if (total(columns, [](const Column& c) { return c.width; }) <= limit) return dropped;

  auto min_width = [](const Column& c) { return std::min<size_t>(c.width, 10); };
  while (columns.size() > 1 && total(columns, min_width) > limit) {
    dropped.insert(dropped.begin(), columns.back().name);
    columns.pop_back();
  }
  if (columns.size() == 1) {
    columns[0].width = std::min(columns[0].width, std::max<size_t>(limit, 1));
    return dropped;
  }
  if (total(columns, [](const Column& c) { return c.width; }) <= limit) return dropped;

  // The largest cap C such that every column at min(width, max(C, min)) fits.
  auto capped = [&](size_t cap) {
    return total(columns, [&](const Column& c) { return std::max(min_width(c), std::min(c.width, cap)); });
  };
  size_t lo = 0, hi = 0;
  for (const Column& c : columns) hi = std::max(hi, c.width);
  while (lo < hi) {
    size_t mid = lo + (hi - lo + 1) / 2;
    if (capped(mid) <= limit) lo = mid; else hi = mid - 1;
  }
  size_t slack = limit - capped(lo);
  for (Column& c : columns) {
    size_t w = std::max(min_width(c), std::min(c.width, lo));
    if (w < c.width && slack > 0) { ++w; --slack; }
    c.width = w;
  }
  return dropped;
}

class TableStream : public RecordStream {
 public:
  TableStream(std::unique_ptr<RecordStream> input, TableOptions options)
      : input_(std::move(input)), options_(std::move(options)) {
    if (options_.layout_rows == 0) options_.layout_rows = 1;
  }

  std::optional<Value> next() override {
    while (lines_.empty()) {
      if (done_) return std::nullopt;
      pump();
    }
    Value line(std::move(lines_.front()));
    lines_.pop_front();
    return line;
  }

 private:
  void pump() {
    std::optional<Value> v = input_->next();
    if (!v) {
      if (!laid_out_ && records_pending_ > 0) lay_out();
      if (!dropped_.empty())
        lines_.push_back("(" + std::to_string(dropped_.size()) + " column" +
                         (dropped_.size() == 1 ? "" : "s") + " did not fit the width of " +
                         std::to_string(options_.max_width) + ": " + join(dropped_, ", ") +
                         "; use Format-List or Format-Table -Property)");
      done_ = true;
      return;
    }
    if (laid_out_) return emit(*v);
    if (!v->is_record() && records_pending_ == 0) return emit(*v);
    if (v->is_record()) ++records_pending_;
    pending_.push_back(std::move(*v));
    if (records_pending_ >= options_.layout_rows) lay_out();
  }

  void lay_out() {
    laid_out_ = true;
    const Record* first = nullptr;
    for (const Value& v : pending_)
      if (v.is_record()) { first = &v.as_record(); break; }
    for (const std::string& name : resolve_properties(options_.properties, *first, options_.cmdlet))
      columns_.push_back(Column{name, display_width(name), false});

    // Numbers right-align when every value present in the column is one.
    std::vector<int> numeric(columns_.size(), 0);  // 1: numbers seen, -1: other
    for (const Value& v : pending_) {
      if (!v.is_record()) continue;
      index_columns(v.as_record());
      for (size_t i = 0; i < columns_.size(); ++i) {
        if (cell_index_[i] < 0) continue;
        const Value* cell = &v.as_record().value(static_cast<size_t>(cell_index_[i]));
        columns_[i].width = std::max(columns_[i].width, display_width(single_line(cell_text(*cell))));
        if (cell->is_null()) continue;
        if (!cell->is_number()) numeric[i] = -1;
        else if (numeric[i] == 0) numeric[i] = 1;
      }
    }
    for (size_t i = 0; i < columns_.size(); ++i) columns_[i].right = numeric[i] == 1;
    dropped_ = fit_columns(columns_, options_.max_width);

    if (!columns_.empty()) {
      std::string header, underline;
      for (size_t i = 0; i < columns_.size(); ++i) {
        const Column& c = columns_[i];
        std::string name = truncate_display(c.name, c.width, options_.unicode);
        if (i) { header += ' '; underline += ' '; }
        header += pad(name, c.width, c.right);
        underline += pad(std::string(display_width(name), '-'), c.width, c.right);
      }
      lines_.push_back(rstrip(std::move(header)));
      lines_.push_back(rstrip(std::move(underline)));
    }
    for (const Value& v : pending_) emit(v);
    pending_.clear();
  }

  void emit(const Value& v) {
    if (!v.is_record()) {
      if (!v.is_null()) lines_.push_back(scalar_line(v));
      return;
    }
    if (columns_.empty()) return;
    const Record& record = v.as_record();
    index_columns(record);
    std::string line;
    for (size_t i = 0; i < columns_.size(); ++i) {
      const Column& c = columns_[i];
      int index = cell_index_[i];
      std::string text =
          index < 0 ? std::string() : single_line(cell_text(record.value(static_cast<size_t>(index))));
      if (i) line += ' ';
      if (display_width(text) > c.width) text = truncate_display(text, c.width, options_.unicode);
      size_t w = display_width(text);
      if (c.right) line.append(c.width - w, ' ');
      line += text;
      if (!c.right) line.append(c.width - w, ' ');
    }
    lines_.push_back(rstrip(std::move(line)));
  }

  // Records from one source share a schema: the columns are looked up once
  // per schema rather than by name for every cell.
  void index_columns(const Record& record) {
    if (record.schema_ptr() == indexed_schema_) return;
    indexed_schema_ = record.schema_ptr();
    cell_index_.clear();
    for (const Column& c : columns_) cell_index_.push_back(record.schema().find(c.name));
  }

  std::shared_ptr<const Schema> indexed_schema_;
  std::vector<int> cell_index_;

  std::unique_ptr<RecordStream> input_;
  TableOptions options_;
  std::deque<std::string> lines_;
  std::vector<Value> pending_;  // read before the layout was known
  size_t records_pending_ = 0;
  bool laid_out_ = false;
  bool done_ = false;
  std::vector<Column> columns_;
  std::vector<std::string> dropped_;
};

class ListStream : public RecordStream {
 public:
  ListStream(std::unique_ptr<RecordStream> input, ListOptions options)
      : input_(std::move(input)), options_(std::move(options)) {}

  std::optional<Value> next() override {
    while (lines_.empty()) {
      std::optional<Value> v = input_->next();
      if (!v) return std::nullopt;
      emit(*v);
    }
    Value line(std::move(lines_.front()));
    lines_.pop_front();
    return line;
  }

 private:
  void emit(const Value& v) {
    if (!v.is_record()) {
      if (!v.is_null()) lines_.push_back(scalar_line(v));
      return;
    }
    const Record& record = v.as_record();
    if (!resolved_) {
      // -Property is checked against the first record, as in Format-Table.
      if (!options_.properties.empty()) names_ = resolve_properties(options_.properties, record, options_.cmdlet);
      resolved_ = true;
    }
    const std::vector<std::string>& names =
        options_.properties.empty() ? record.schema().names() : names_;
    if (names.empty()) return;
    size_t width = 0;
    for (const std::string& n : names) width = std::max(width, display_width(n));
    if (blocks_++ > 0) lines_.push_back("");
    const std::string indent(width + 3, ' ');
    for (const std::string& n : names) {
      const Value* cell = record.get(n);
      std::string text = cell ? cell_text(*cell) : std::string();
      std::vector<std::string> parts = split(text, '\n');
      for (size_t i = 0; i < parts.size(); ++i) {
        std::string part = parts[i];
        if (!part.empty() && part.back() == '\r') part.pop_back();
        lines_.push_back(rstrip((i == 0 ? pad(n, width, false) + " : " : indent) + part));
      }
    }
  }

  std::unique_ptr<RecordStream> input_;
  ListOptions options_;
  std::deque<std::string> lines_;
  std::vector<std::string> names_;
  bool resolved_ = false;
  size_t blocks_ = 0;
};

std::vector<std::string> drain_lines(RecordStream& stream) {
  std::vector<std::string> out;
  while (auto v = stream.next()) out.push_back(v->as_string());
  return out;
}

}  // namespace

std::unique_ptr<RecordStream> table_stream(std::unique_ptr<RecordStream> input, TableOptions options) {
  return std::make_unique<TableStream>(std::move(input), std::move(options));
}

std::vector<std::string> format_table(const std::vector<Value>& values, const TableOptions& options) {
  TableStream stream(std::make_unique<VectorStream>(values), options);
  return drain_lines(stream);
}

std::unique_ptr<RecordStream> list_stream(std::unique_ptr<RecordStream> input, ListOptions options) {
  return std::make_unique<ListStream>(std::move(input), std::move(options));
}

std::vector<std::string> format_list(const std::vector<Value>& values, const ListOptions& options) {
  ListStream stream(std::make_unique<VectorStream>(values), options);
  return drain_lines(stream);
}

std::string cell_text(const Value& value) {
  return value.is_null() ? std::string("(none)") : value.to_display();
}

bool has_wildcard(std::string_view pattern) {
  return pattern.find_first_of("*?") != std::string_view::npos;
}

bool wildcard_match(std::string_view pattern, std::string_view text) {
  // Greedy with one backtrack point: the last `*` seen.
  size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || ascii_lower(pattern[p]) == ascii_lower(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}


std::string truncate_display(std::string_view text, size_t width, bool unicode) {
  if (display_width(text) <= width) return std::string(text);
  const std::string_view ellipsis = unicode ? "\u2026" : "...";
  const size_t ellipsis_width = unicode ? 1 : 3;
  if (width <= ellipsis_width) return std::string(text.substr(0, prefix_within_width(text, width)));
  std::string out(text.substr(0, prefix_within_width(text, width - ellipsis_width)));
  return rstrip(std::move(out)) + std::string(ellipsis);
}

}  // namespace mailflow
