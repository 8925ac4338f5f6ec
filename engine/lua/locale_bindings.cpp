// The Lua side of localisation: `_` translates what a person reads into the
// current culture (the same catalogs and culture as C++'s _(), see
// locale/messages.h), `N_` only marks a string for xgettext, FormatPercent
// writes a share as the culture does. The stdlib and rules use them.
#include "lua/c_function.h"
#include "lua/lua_api.h"
#include "lua/lua_insight_rule.h"
#include "lua/sandbox.h"
#include "locale/messages.h"

namespace mailflow {

namespace {

// _(text) / _{ en = "...", es = "..." } -> string
int l_translate(lua_State* L) {
  int type = lua_type(L, 1);
  if (type != LUA_TSTRING && type != LUA_TTABLE)
    return luaL_error(L, "_: expects a string or a table of translations { en = ..., es = ... }, not a %s",
                      luaL_typename(L, 1));
  lua_settop(L, 1);
  Fault fault;
  bool ok = guarded(L, fault, [&] {
    std::string text = localized_text_at(L, 1, "_").in(current_culture());
    lua_pushlstring(L, text.data(), text.size());
  });
  if (!ok) return raise_fault(L, fault);
  return 1;
}

// N_(text) -> text: marks a string for translation later with _().
int l_mark(lua_State* L) {
  luaL_checktype(L, 1, LUA_TSTRING);
  lua_settop(L, 1);
  return 1;
}

// FormatPercent(value) -> string: "58.50%", "58,50 %" (es), two decimals.
int l_format_percent(lua_State* L) {
  lua_Number value = luaL_checknumber(L, 1);
  Fault fault;
  bool ok = guarded(L, fault, [&] {
    std::string text = current_culture().percent(static_cast<double>(value));
    lua_pushlstring(L, text.data(), text.size());
  });
  if (!ok) return raise_fault(L, fault);
  return 1;
}

const luaL_Reg kLocaleFunctions[] = {
    /// _(text) -> string: `text` in the current culture (Set-MailFlowConfig -Culture,
    /// Export-MailFlowReport -Culture), from mailflow's catalogs; a table
    /// { en = "...", es = "...", ["zh-TW"] = "..." } picks its entry (en is the fallback).
    {"_", l_translate},
    /// N_(text) -> text: marks a string for xgettext without translating it yet.
    {"N_", l_mark},
    /// FormatPercent(value) -> string: a 0-100 share with two decimals as the current
    /// culture writes it ("58.50%", "58,50 %" in es-ES).
    {"FormatPercent", l_format_percent},
    {nullptr, nullptr}};

}  // namespace

void register_locale_api(lua_State* L) { set_base_functions(L, kLocaleFunctions); }

}  // namespace mailflow
