// string.find, string.match, string.gmatch and string.gsub with Lua 5.4's
// pattern semantics (manual section 6.4.1), written so that matching can be
// stopped. The standard library's matcher is C code where the instruction
// hook never fires: a backtracking pattern such as
//   string.find(("a"):rep(40), ".-.-.-.-.-.-.-.-b")
// ran for hours, past the rule budget and Ctrl-C. Here every 1024 matcher
// steps are charged to the running call's instruction budget, and its
// deadline and the Ctrl-C flag are checked (LuaState::charge).
//
// LuaState::charge raises with lua_error (a longjmp), so nothing in this file
// owns a C++ object with a destructor: plain structs and the Lua stack only.
#include "lua/bounded_patterns.h"

#include <cctype>
#include <cstring>
#include <string_view>

#include "lua/lua_state.h"

namespace mailflow {

namespace {

constexpr int kMaxCaptures = 32;        // LUA_MAXCAPTURES
constexpr int kMaxDepth = 200;          // recursion bound, as MAXCCALLS in lstrlib
constexpr int kStepsPerCharge = 1024;
constexpr std::ptrdiff_t kCapUnfinished = -1;
constexpr std::ptrdiff_t kCapPosition = -2;

struct Capture {
  const char* init;
  std::ptrdiff_t len;
};

struct Matcher {
  const char* src_begin;
  const char* src_end;
  const char* pat_end;
  lua_State* L;
  int depth;
  int steps;
  int level;
  Capture capture[kMaxCaptures];
};

void reset(Matcher& m) {
  m.level = 0;
  m.depth = kMaxDepth;
}

void tick(Matcher& m) {
  if (++m.steps < kStepsPerCharge) return;
  LuaState::charge(m.L, m.steps);
  m.steps = 0;
}

unsigned char uc(char c) { return static_cast<unsigned char>(c); }

// %a %c %d %g %l %p %s %u %w %x and their complements (upper case); any
// other character after % stands for itself.
bool class_matches(int c, int cl) {
  bool res;
  switch (std::tolower(cl)) {
    case 'a': res = std::isalpha(c); break;
    case 'c': res = std::iscntrl(c); break;
    case 'd': res = std::isdigit(c); break;
    case 'g': res = std::isgraph(c); break;
    case 'l': res = std::islower(c); break;
    case 'p': res = std::ispunct(c); break;
    case 's': res = std::isspace(c); break;
    case 'u': res = std::isupper(c); break;
    case 'w': res = std::isalnum(c); break;
    case 'x': res = std::isxdigit(c); break;
    default: return cl == c;
  }
  return std::isupper(cl) ? !res : res;
}

// `p` at '[', `close` at the set's ']'.
bool set_matches(int c, const char* p, const char* close) {
  bool found = true;
  if (p[1] == '^') {
    found = false;
    ++p;
  }
  while (++p < close) {
    if (*p == '%') {
      ++p;
      if (class_matches(c, uc(*p))) return found;
    } else if (p[1] == '-' && p + 2 < close) {
      p += 2;
      if (uc(p[-2]) <= c && c <= uc(*p)) return found;
    } else if (uc(*p) == c) {
      return found;
    }
  }
  return !found;
}

// The end of the single-character class starting at `p`.
const char* class_end(Matcher& m, const char* p) {
  switch (*p++) {
    case '%':
      if (p >= m.pat_end) luaL_error(m.L, "malformed pattern (ends with '%%')");
      return p + 1;
    case '[':
      if (p < m.pat_end && *p == '^') ++p;
      do {  // the first ']' of a set is literal
        if (p >= m.pat_end) luaL_error(m.L, "malformed pattern (missing ']')");
        if (*p++ == '%' && p < m.pat_end) ++p;
      } while (p >= m.pat_end || *p != ']');
      return p + 1;
    default: return p;
  }
}

bool single_matches(const Matcher& m, const char* s, const char* p, const char* ep) {
  if (s >= m.src_end) return false;
  int c = uc(*s);
  switch (*p) {
    case '.': return true;
    case '%': return class_matches(c, uc(p[1]));
    case '[': return set_matches(c, p, ep - 1);
    default: return uc(*p) == c;
  }
}

const char* do_match(Matcher& m, const char* s, const char* p);

const char* max_expand(Matcher& m, const char* s, const char* p, const char* ep) {
  std::ptrdiff_t i = 0;
  while (single_matches(m, s + i, p, ep)) {
    ++i;
    tick(m);
  }
  for (; i >= 0; --i) {  // try the longest first, then shorter
    if (const char* res = do_match(m, s + i, ep + 1)) return res;
  }
  return nullptr;
}

const char* min_expand(Matcher& m, const char* s, const char* p, const char* ep) {
  for (;;) {
    if (const char* res = do_match(m, s, ep + 1)) return res;
    if (!single_matches(m, s, p, ep)) return nullptr;
    ++s;
  }
}

const char* start_capture(Matcher& m, const char* s, const char* p, std::ptrdiff_t what) {
  if (m.level >= kMaxCaptures) luaL_error(m.L, "too many captures");
  m.capture[m.level].init = s;
  m.capture[m.level].len = what;
  ++m.level;
  const char* res = do_match(m, s, p);
  if (!res) --m.level;
  return res;
}

const char* end_capture(Matcher& m, const char* s, const char* p) {
  int open = -1;
  for (int l = m.level - 1; l >= 0; --l)
    if (m.capture[l].len == kCapUnfinished) {
      open = l;
      break;
    }
  if (open < 0) luaL_error(m.L, "invalid pattern capture");
  m.capture[open].len = s - m.capture[open].init;
  const char* res = do_match(m, s, p);
  if (!res) m.capture[open].len = kCapUnfinished;
  return res;
}

const char* match_balance(Matcher& m, const char* s, const char* p) {
  if (p + 1 >= m.pat_end) luaL_error(m.L, "malformed pattern (missing arguments to '%%b')");
  if (s >= m.src_end || *s != *p) return nullptr;
  const char open = p[0], close = p[1];
  int depth = 1;
  while (++s < m.src_end) {
    tick(m);
    if (*s == close) {
      if (--depth == 0) return s + 1;
    } else if (*s == open) {
      ++depth;
    }
  }
  return nullptr;
}

int capture_index(Matcher& m, int c) {
  int l = c - '1';
  if (l < 0 || l >= m.level || m.capture[l].len == kCapUnfinished)
    luaL_error(m.L, "invalid capture index %%%d", l + 1);
  return l;
}

const char* match_capture(Matcher& m, const char* s, int c) {
  int l = capture_index(m, c);
  std::ptrdiff_t len = m.capture[l].len;
  if (m.src_end - s >= len && std::memcmp(m.capture[l].init, s, static_cast<size_t>(len)) == 0)
    return s + len;
  return nullptr;
}

// Matches pattern [p, pat_end) at s; the end of the match, or null.
const char* do_match(Matcher& m, const char* s, const char* p) {
  if (m.depth-- == 0) luaL_error(m.L, "pattern too complex");
  for (;;) {
    tick(m);
    if (p >= m.pat_end) break;
    if (*p == '(') {
      s = p + 1 < m.pat_end && p[1] == ')' ? start_capture(m, s, p + 2, kCapPosition)
                                           : start_capture(m, s, p + 1, kCapUnfinished);
      break;
    }
    if (*p == ')') {
      s = end_capture(m, s, p + 1);
      break;
    }
    if (*p == '$' && p + 1 == m.pat_end) {
      if (s != m.src_end) s = nullptr;
      break;
    }
    if (*p == '%' && p + 1 < m.pat_end && p[1] == 'b') {
      s = match_balance(m, s, p + 2);
      if (!s) break;
      p += 4;
      continue;
    }
    if (*p == '%' && p + 1 < m.pat_end && p[1] == 'f') {
      p += 2;
      if (p >= m.pat_end || *p != '[') luaL_error(m.L, "missing '[' after '%%f' in pattern");
      const char* ep = class_end(m, p);
      int previous = s == m.src_begin ? '\0' : uc(s[-1]);
      int current = s < m.src_end ? uc(*s) : '\0';
      if (!set_matches(previous, p, ep - 1) && set_matches(current, p, ep - 1)) {
        p = ep;
        continue;
      }
      s = nullptr;
      break;
    }
    if (*p == '%' && p + 1 < m.pat_end && std::isdigit(uc(p[1]))) {
      s = match_capture(m, s, uc(p[1]));
      if (!s) break;
      p += 2;
      continue;
    }
    const char* ep = class_end(m, p);
    const char q = ep < m.pat_end ? *ep : '\0';
    if (!single_matches(m, s, p, ep)) {
      if (q == '*' || q == '?' || q == '-') {  // these accept no match
        p = ep + 1;
        continue;
      }
      s = nullptr;
      break;
    }
    if (q == '?') {
      if (const char* res = do_match(m, s + 1, ep + 1)) {
        s = res;
        break;
      }
      p = ep + 1;
      continue;
    }
    if (q == '+') {
      s = max_expand(m, s + 1, p, ep);
      break;
    }
    if (q == '*') {
      s = max_expand(m, s, p, ep);
      break;
    }
    if (q == '-') {
      s = min_expand(m, s, p, ep);
      break;
    }
    ++s;
    p = ep;
  }
  ++m.depth;
  return s;
}

// [-0, +1] Capture `i` (the whole match [s, e) when there are none).
void push_capture(Matcher& m, int i, const char* s, const char* e) {
  if (i >= m.level) {
    if (i != 0) luaL_error(m.L, "invalid capture index %%%d", i + 1);
    lua_pushlstring(m.L, s, static_cast<size_t>(e - s));
    return;
  }
  std::ptrdiff_t len = m.capture[i].len;
  if (len == kCapUnfinished) luaL_error(m.L, "unfinished capture");
  if (len == kCapPosition)
    lua_pushinteger(m.L, static_cast<lua_Integer>(m.capture[i].init - m.src_begin) + 1);
  else
    lua_pushlstring(m.L, m.capture[i].init, static_cast<size_t>(len));
}

// [-0, +n] Every capture, or the whole match when `s` is given and the
// pattern has none.
int push_captures(Matcher& m, const char* s, const char* e) {
  int n = (m.level == 0 && s) ? 1 : m.level;
  luaL_checkstack(m.L, n, "too many captures");
  for (int i = 0; i < n; ++i) push_capture(m, i, s, e);
  return n;
}

void start(Matcher& m, lua_State* L, const char* s, size_t ls, const char* p, size_t lp) {
  m.L = L;
  m.src_begin = s;
  m.src_end = s + ls;
  m.pat_end = p + lp;
  m.steps = 0;
  reset(m);
}

// A 1-based, possibly negative, start position as lstrlib's posrelatI.
size_t start_position(lua_Integer pos, size_t len) {
  if (pos > 0) return static_cast<size_t>(pos);
  if (pos == 0) return 1;
  if (pos < -static_cast<lua_Integer>(len)) return 1;
  return len + static_cast<size_t>(pos) + 1;
}

bool has_specials(const char* p, size_t lp) {
  for (size_t i = 0; i < lp; ++i)
    if (std::strchr("^$*+?.([%-", p[i]) && p[i] != '\0') return true;
  return false;
}

int find_or_match(lua_State* L, bool find) {
  size_t ls = 0, lp = 0;
  const char* s = luaL_checklstring(L, 1, &ls);
  const char* p = luaL_checklstring(L, 2, &lp);
  size_t init = start_position(luaL_optinteger(L, 3, 1), ls) - 1;
  if (init > ls) {
    lua_pushnil(L);
    return 1;
  }
  if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
    size_t at = std::string_view(s, ls).find(std::string_view(p, lp), init);
    if (at == std::string_view::npos) {
      lua_pushnil(L);
      return 1;
    }
    lua_pushinteger(L, static_cast<lua_Integer>(at) + 1);
    lua_pushinteger(L, static_cast<lua_Integer>(at + lp));
    return 2;
  }
  Matcher m;
  const bool anchor = lp > 0 && *p == '^';
  if (anchor) {
    ++p;
    --lp;
  }
  start(m, L, s, ls, p, lp);
  const char* s1 = s + init;
  do {
    reset(m);
    if (const char* e = do_match(m, s1, p)) {
      if (!find) return push_captures(m, s1, e);
      lua_pushinteger(L, static_cast<lua_Integer>(s1 - s) + 1);
      lua_pushinteger(L, static_cast<lua_Integer>(e - s));
      return push_captures(m, nullptr, nullptr) + 2;
    }
  } while (s1++ < m.src_end && !anchor);
  lua_pushnil(L);
  return 1;
}

int bounded_find(lua_State* L) { return find_or_match(L, true); }

int bounded_match(lua_State* L) { return find_or_match(L, false); }

// The state of one gmatch iterator (a userdata, upvalue 3).
struct GmatchState {
  size_t position;        // where the next search starts
  std::ptrdiff_t last;    // end of the last match, -1 for none
};

int gmatch_step(lua_State* L) {
  size_t ls = 0, lp = 0;
  const char* s = lua_tolstring(L, lua_upvalueindex(1), &ls);
  const char* p = lua_tolstring(L, lua_upvalueindex(2), &lp);
  auto* state = static_cast<GmatchState*>(lua_touserdata(L, lua_upvalueindex(3)));
  Matcher m;
  start(m, L, s, ls, p, lp);
  for (const char* src = s + state->position; src <= m.src_end; ++src) {
    reset(m);
    const char* e = do_match(m, src, p);
    if (e && e - s != state->last) {
      state->position = static_cast<size_t>(e - s);
      state->last = e - s;
      return push_captures(m, src, e);
    }
  }
  return 0;
}

int bounded_gmatch(lua_State* L) {
  size_t ls = 0;
  luaL_checklstring(L, 1, &ls);
  luaL_checkstring(L, 2);
  size_t init = start_position(luaL_optinteger(L, 3, 1), ls) - 1;
  if (init > ls) init = ls + 1;  // no match at all
  lua_settop(L, 2);
  auto* state = static_cast<GmatchState*>(lua_newuserdatauv(L, sizeof(GmatchState), 0));
  state->position = init;
  state->last = -1;
  lua_pushcclosure(L, gmatch_step, 3);
  return 1;
}

// Appends the replacement of match [s, e) to `b`; the replacement is
// argument 3 (string, table or function).
void add_replacement(Matcher& m, luaL_Buffer* b, const char* s, const char* e, int type) {
  lua_State* L = m.L;
  if (type == LUA_TFUNCTION) {
    lua_pushvalue(L, 3);
    int n = push_captures(m, s, e);
    lua_call(L, n, 1);
  } else if (type == LUA_TTABLE) {
    push_capture(m, 0, s, e);
    lua_gettable(L, 3);
  } else {
    size_t l = 0;
    const char* news = lua_tolstring(L, 3, &l);
    const char* end = news + l;
    for (const char* q = news; q < end; ++q) {
      tick(m);
      if (*q != '%') {
        luaL_addchar(b, *q);
        continue;
      }
      ++q;
      if (q < end && *q == '%') {
        luaL_addchar(b, '%');
      } else if (q < end && std::isdigit(uc(*q))) {
        if (*q == '0') {
          luaL_addlstring(b, s, static_cast<size_t>(e - s));
        } else {
          push_capture(m, *q - '1', s, e);
          luaL_tolstring(L, -1, nullptr);
          lua_remove(L, -2);
          luaL_addvalue(b);
        }
      } else {
        luaL_error(L, "invalid use of '%%' in replacement string");
      }
    }
    return;
  }
  if (!lua_toboolean(L, -1)) {  // nil or false: keep the original text
    lua_pop(L, 1);
    luaL_addlstring(b, s, static_cast<size_t>(e - s));
  } else if (!lua_isstring(L, -1)) {
    luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  } else {
    luaL_addvalue(b);
  }
}

int bounded_gsub(lua_State* L) {
  size_t srcl = 0, lp = 0;
  const char* src = luaL_checklstring(L, 1, &srcl);
  const char* p = luaL_checklstring(L, 2, &lp);
  const char* last = nullptr;
  int type = lua_type(L, 3);
  lua_Integer max_n = luaL_optinteger(L, 4, static_cast<lua_Integer>(srcl) + 1);
  luaL_argexpected(L, type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION || type == LUA_TTABLE,
                   3, "string/function/table");
  const bool anchor = lp > 0 && *p == '^';
  if (anchor) {
    ++p;
    --lp;
  }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  Matcher m;
  start(m, L, src, srcl, p, lp);
  lua_Integer n = 0;
  while (n < max_n) {
    reset(m);
    const char* e = do_match(m, src, p);
    if (e && e != last) {
      ++n;
      add_replacement(m, &b, src, e, type);
      src = last = e;
    } else if (src < m.src_end) {
      luaL_addchar(&b, *src++);
    } else {
      break;
    }
    if (anchor) break;
  }
  if (n == 0) {
    lua_pushvalue(L, 1);
  } else {
    luaL_addlstring(&b, src, static_cast<size_t>(m.src_end - src));
    luaL_pushresult(&b);
  }
  lua_pushinteger(L, n);
  return 2;
}

}  // namespace

void install_bounded_patterns(lua_State* L) {
  static const luaL_Reg kFunctions[] = {
      /// string.find(s, pattern [, init [, plain]]) -> start, end, captures... | nil: as Lua's, stoppable.
      {"find", bounded_find},
      /// string.match(s, pattern [, init]) -> captures... | nil: as Lua's, stoppable.
      {"match", bounded_match},
      /// string.gmatch(s, pattern [, init]) -> iterator over each match's captures: as Lua's, stoppable.
      {"gmatch", bounded_gmatch},
      /// string.gsub(s, pattern, repl [, n]) -> string, count: as Lua's, stoppable.
      {"gsub", bounded_gsub},
      {nullptr, nullptr}};
  lua_getglobal(L, "string");
  luaL_setfuncs(L, kFunctions, 0);
  lua_pop(L, 1);
}

}  // namespace mailflow
