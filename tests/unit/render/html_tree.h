// A strict parser for the dashboard's HTML, for tests: it accepts only
// well-formed markup (every element closed in order, quoted attributes, no
// duplicate attribute, known entities only, unique ids) and builds a tree to
// query. Stricter than HTML5 on purpose: the dashboard is written so that it
// is also well-formed XML, which makes a broken escape show up as a parse
// error here.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace mailflow::testing {

struct HtmlNode {
  std::string tag;  // "" for a text node
  std::map<std::string, std::string> attrs;
  std::string text;  // text nodes: decoded text
  std::vector<std::unique_ptr<HtmlNode>> children;
  HtmlNode* parent = nullptr;

  std::string attr(const std::string& name) const {
    auto it = attrs.find(name);
    return it == attrs.end() ? std::string() : it->second;
  }
  bool has(const std::string& name) const { return attrs.count(name) > 0; }

  // All text below, decoded.
  std::string inner_text() const {
    if (tag.empty()) return text;
    std::string out;
    for (const auto& c : children) out += c->inner_text();
    return out;
  }
  // Own text, without descendants' elements (e.g. an SVG <text> minus its <title>).
  std::string own_text() const {
    std::string out;
    for (const auto& c : children)
      if (c->tag.empty()) out += c->text;
    return out;
  }

  void collect(const std::string& t, std::vector<const HtmlNode*>& out) const {
    if (tag == t) out.push_back(this);
    for (const auto& c : children) c->collect(t, out);
  }
  std::vector<const HtmlNode*> all(const std::string& t) const {
    std::vector<const HtmlNode*> out;
    collect(t, out);
    return out;
  }
  const HtmlNode* child(const std::string& t) const {
    for (const auto& c : children)
      if (c->tag == t) return c.get();
    return nullptr;
  }
  const HtmlNode* by_id(const std::string& id) const {
    if (attr("id") == id) return this;
    for (const auto& c : children)
      if (const HtmlNode* n = c->by_id(id)) return n;
    return nullptr;
  }
  const HtmlNode* by_attr(const std::string& name, const std::string& value) const {
    if (has(name) && attr(name) == value) return this;
    for (const auto& c : children)
      if (const HtmlNode* n = c->by_attr(name, value)) return n;
    return nullptr;
  }
};

class HtmlParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline bool is_void_element(const std::string& tag) {
  static const std::set<std::string> v = {"area", "base", "br", "col", "embed", "hr", "img",
                                          "input", "link", "meta", "source", "track", "wbr"};
  return v.count(tag) > 0;
}

class HtmlParser {
 public:
  explicit HtmlParser(const std::string& text) : s_(text) {}

  std::unique_ptr<HtmlNode> parse() {
    auto root = std::make_unique<HtmlNode>();
    root->tag = "#document";
    skip_ws();
    expect("<!DOCTYPE html>");
    HtmlNode* current = root.get();
    while (pos_ < s_.size()) {
      if (s_.compare(pos_, 4, "<!--") == 0) {
        size_t end = s_.find("-->", pos_);
        if (end == std::string::npos) fail("unterminated comment");
        pos_ = end + 3;
      } else if (s_.compare(pos_, 2, "</") == 0) {
        pos_ += 2;
        std::string name = read_name();
        skip_ws();
        expect(">");
        if (current->tag != name)
          fail("</" + name + "> closes <" + current->tag + ">");
        current = current->parent;
      } else if (s_[pos_] == '<') {
        ++pos_;
        auto node = std::make_unique<HtmlNode>();
        node->tag = read_name();
        bool self_closed = read_attributes(*node);
        node->parent = current;
        HtmlNode* raw = node.get();
        current->children.push_back(std::move(node));
        if (is_void_element(raw->tag) || self_closed) continue;
        if (raw->tag == "style" || raw->tag == "script") {
          std::string close = "</" + raw->tag + ">";
          size_t end = s_.find(close, pos_);
          if (end == std::string::npos) fail("unterminated <" + raw->tag + ">");
          auto text = std::make_unique<HtmlNode>();
          text->text = s_.substr(pos_, end - pos_);
          raw->children.push_back(std::move(text));
          pos_ = end + close.size();
          continue;
        }
        current = raw;
      } else {
        size_t end = s_.find('<', pos_);
        if (end == std::string::npos) end = s_.size();
        auto text = std::make_unique<HtmlNode>();
        text->text = decode(s_.substr(pos_, end - pos_));
        text->parent = current;
        current->children.push_back(std::move(text));
        pos_ = end;
      }
    }
    if (current != root.get()) fail("<" + current->tag + "> is never closed");
    std::set<std::string> ids;
    check_ids(*root, ids);
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    size_t line = 1;
    for (size_t i = 0; i < pos_ && i < s_.size(); ++i) line += s_[i] == '\n';
    throw HtmlParseError("line " + std::to_string(line) + ": " + what);
  }
  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t')) ++pos_;
  }
  void expect(const std::string& lit) {
    if (s_.compare(pos_, lit.size(), lit) != 0) fail("expected '" + lit + "'");
    pos_ += lit.size();
  }
  std::string read_name() {
    size_t start = pos_;
    while (pos_ < s_.size() && (isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '-' ||
                                s_[pos_] == ':'))
      ++pos_;
    if (start == pos_) fail("expected a name");
    return s_.substr(start, pos_ - start);
  }
  bool read_attributes(HtmlNode& node) {
    for (;;) {
      size_t before = pos_;
      skip_ws();
      if (s_.compare(pos_, 2, "/>") == 0) {
        pos_ += 2;
        return true;
      }
      if (s_.compare(pos_, 1, ">") == 0) {
        ++pos_;
        return false;
      }
      if (before == pos_) fail("attributes of <" + node.tag + "> must be separated by spaces");
      std::string name = read_name();
      expect("=\"");
      size_t end = s_.find('"', pos_);
      if (end == std::string::npos) fail("unterminated attribute " + name);
      std::string raw = s_.substr(pos_, end - pos_);
      if (raw.find('<') != std::string::npos) fail("'<' inside attribute " + name);
      if (node.attrs.count(name)) fail("duplicate attribute " + name + " on <" + node.tag + ">");
      node.attrs[name] = decode(raw);
      pos_ = end + 1;
    }
  }
  std::string decode(const std::string& raw) const {
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '>') fail("unescaped '>' in text");
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      size_t semi = raw.find(';', i);
      if (semi == std::string::npos) fail("bare '&' in text");
      std::string entity = raw.substr(i, semi - i + 1);
      if (entity == "&amp;") out += '&';
      else if (entity == "&lt;") out += '<';
      else if (entity == "&gt;") out += '>';
      else if (entity == "&quot;") out += '"';
      else if (entity == "&#39;") out += '\'';
      else fail("unknown entity " + entity);
      i = semi;
    }
    return out;
  }
  void check_ids(const HtmlNode& n, std::set<std::string>& ids) const {
    if (n.has("id") && !ids.insert(n.attr("id")).second)
      throw HtmlParseError("duplicate id " + n.attr("id"));
    for (const auto& c : n.children) check_ids(*c, ids);
  }

  const std::string& s_;
  size_t pos_ = 0;
};

inline std::unique_ptr<HtmlNode> parse_html(const std::string& text) {
  return HtmlParser(text).parse();
}

}  // namespace mailflow::testing
