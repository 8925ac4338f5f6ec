#include "lua/sandbox.h"

#include <cctype>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/error.h"
#include "core/terminal.h"
#include "lua/bounded_patterns.h"
#include "lua/c_function.h"
#include "lua/lua_state.h"

namespace mailflow {

namespace {

// Registry keys (addresses of these are unique light userdata keys).
char kBaseKey, kLoadedKey, kModuleDirsKey, kProxyMetaKey;

// What each library exposes to scripts; everything else stays out.
const char* const kBasicFunctions[] = {
    "assert",   "error",  "ipairs",       "next",         "pairs",  "pcall",  "rawequal",
    "rawget",   "rawlen", "rawset",       "select",       "setmetatable", "getmetatable",
    "tonumber", "tostring", "type",       "xpcall",       nullptr};
const char* const kOsFunctions[] = {"time", "date", "clock", nullptr};
const char* const kIoFunctions[] = {"open", "lines", "read", "write", "close", "type",
                                    "stdout", "stderr", "stdin", nullptr};

// __newindex of every read-only proxy.
int readonly_newindex(lua_State* L) {
  return luaL_error(L, "attempt to modify a read-only table (field '%s')",
                    lua_tostring(L, 2) ? lua_tostring(L, 2) : "?");
}

// __pairs of a proxy: iterate the library it stands for.
int proxy_pairs(lua_State* L) {
  lua_getmetatable(L, 1);
  lua_getfield(L, -1, "__index");
  lua_pushcfunction(L, [](lua_State* L) -> int {
    lua_settop(L, 2);
    return lua_next(L, 1) ? 2 : (lua_pushnil(L), 1);
  });
  lua_insert(L, -2);
  lua_pushnil(L);
  return 3;
}

// [-0, +1] A fresh read-only proxy of the table at `lib`. One metatable per
// library, kept in a registry cache and hidden behind __metatable.
void push_proxy(lua_State* L, int lib) {
  lib = lua_absindex(L, lib);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kProxyMetaKey);
  lua_pushvalue(L, lib);
  if (lua_rawget(L, -2) == LUA_TNIL) {
    lua_pop(L, 1);
    lua_createtable(L, 0, 4);
    lua_pushvalue(L, lib);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, readonly_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, proxy_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushvalue(L, lib);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
  }
  lua_remove(L, -2);
  lua_newtable(L);
  lua_insert(L, -2);
  lua_setmetatable(L, -2);
}

// [-0, +1] A table of the listed fields of global library `lib`.
void push_subset(lua_State* L, const char* lib, const char* const* names) {
  lua_newtable(L);
  lua_getglobal(L, lib);
  for (const char* const* n = names; *n; ++n) {
    lua_getfield(L, -1, *n);
    lua_setfield(L, -3, *n);
  }
  lua_pop(L, 1);
}

// __index of an environment: base entries (tables read-only), globals that
// were declared and are now nil, else an error.
// upvalues: 1 base, 2 declared names
int strict_index(lua_State* L) {
  lua_settop(L, 2);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) {
    if (lua_type(L, -1) == LUA_TTABLE) {  // registered after this env was made
      push_proxy(L, -1);
      lua_pushvalue(L, 2);
      lua_pushvalue(L, -2);
      lua_rawset(L, 1);
    }
    return 1;
  }
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) return 0;
  if (lua_type(L, 2) == LUA_TSTRING) return luaL_error(L, "undeclared global '%s'", lua_tostring(L, 2));
  return luaL_error(L, "undeclared global");
}

// __newindex of an environment. upvalues: 1 declared names, 2 session mode.
int strict_newindex(lua_State* L) {
  lua_settop(L, 3);
  lua_pushvalue(L, 2);
  bool declared = lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL;
  lua_pop(L, 1);
  if (!declared && !lua_toboolean(L, lua_upvalueindex(2))) {
    lua_Debug ar;
    bool top_level = true;
    if (lua_getstack(L, 1, &ar)) {
      lua_getinfo(L, "S", &ar);
      top_level = std::strcmp(ar.what, "main") == 0 || std::strcmp(ar.what, "C") == 0;
    }
    if (!top_level)
      return luaL_error(L,
                        "assignment to undeclared global '%s' (use local, or assign it at the "
                        "top level of the file first)",
                        lua_tostring(L, 2) ? lua_tostring(L, 2) : "?");
  }
  lua_pushvalue(L, 2);
  lua_pushboolean(L, 1);
  lua_rawset(L, lua_upvalueindex(1));
  lua_rawset(L, 1);
  return 0;
}

// load(chunk [, chunkname [, mode [, env]]]) — text chunks only; the
// environment defaults to the caller's. upvalue 1: that environment.
int sandbox_load(lua_State* L) {
  size_t len = 0;
  const char* code = luaL_checklstring(L, 1, &len);  // no reader functions
  const char* name = luaL_optstring(L, 2, "=(load)");
  const char* mode = luaL_optstring(L, 3, "t");
  if (std::strcmp(mode, "t") != 0)
    return luaL_error(L, "load: only text chunks may be loaded (mode \"t\"), not \"%s\"", mode);
  int env = lua_gettop(L) >= 4 ? 4 : lua_upvalueindex(1);
  if (luaL_loadbufferx(L, code, len, name, "t") != LUA_OK) {
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
  }
  lua_pushvalue(L, env);
  if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
  return 1;
}

// setmetatable(t, mt) as Lua's, except that a metatable with a `__gc` field
// is refused: Lua runs finalizers with debug hooks off, so a loop (or an
// allocation spree) in one could be stopped neither by the budget nor by
// Ctrl-C, and lua_close runs them all. Lua marks an object for finalization
// only when its metatable has `__gc` at this call, so checking here covers
// a `__gc` added to the metatable later.
int sandbox_setmetatable(lua_State* L) {
  int t = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
  if (t == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    bool has_gc = lua_rawget(L, 2) != LUA_TNIL;
    lua_pop(L, 1);
    if (has_gc)
      return luaL_error(L, "setmetatable: __gc finalizers are not available in mailflow scripts "
                           "(Lua runs them where neither the budget nor Ctrl-C can stop them)");
  }
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

// The message handler xpcall installs: the script's handler, except for the
// stop the instruction hook raises (budget, deadline, memory cap, Ctrl-C,
// exit). Lua calls a message handler before it unwinds, and after an error
// raised from a hook the hooks are still off there (Lua re-enables them only
// when the error reaches a pcall), so a loop in that handler could never be
// stopped. The stop's own message goes on unchanged instead.
int xpcall_handler(lua_State* L) {
  if (LuaState::from(L).stopping()) return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

// xpcall(f, msgh, ...) as Lua's, with msgh behind xpcall_handler.
int sandbox_xpcall(lua_State* L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, xpcall_handler, 1);
  lua_replace(L, 2);
  lua_pushboolean(L, 1);  // the first result when f succeeds
  lua_pushvalue(L, 1);
  lua_rotate(L, 3, 2);  // 1 f, 2 handler, 3 true, 4 f, 5.. arguments
  if (lua_pcall(L, n - 2, LUA_MULTRET, 2) != LUA_OK) {
    lua_pushboolean(L, 0);
    lua_pushvalue(L, -2);
    return 2;
  }
  return lua_gettop(L) - 2;
}

// collectgarbage("count") only: scripts may measure, not steer, the collector.
int sandbox_collectgarbage(lua_State* L) {
  const char* opt = luaL_optstring(L, 1, "collect");
  if (std::strcmp(opt, "count") != 0)
    return luaL_error(L, "collectgarbage: only \"count\" is available in mailflow scripts");
  int kb = lua_gc(L, LUA_GCCOUNT, 0);
  int rest = lua_gc(L, LUA_GCCOUNTB, 0);
  lua_pushnumber(L, static_cast<lua_Number>(kb) + static_cast<lua_Number>(rest) / 1024.0);
  return 1;
}

// print(...) to the runtime's output (the REPL's stream, or stdout).
// Data printed by a script (a connector name from a log) goes through
// terminal_safe like every other output. The text is built on the Lua
// stack (luaL_Buffer) so that no C++ object is alive if tostring raises.
void push_print_line(lua_State* L) {
  int n = lua_gettop(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; ++i) {
    if (i > 1) luaL_addchar(&b, '\t');
    luaL_tolstring(L, i, nullptr);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
}

void write_safe(lua_State* L, std::ostream& out, bool flush) {
  size_t len = 0;
  const char* line = lua_tolstring(L, -1, &len);
  Fault fault;
  bool ok = guarded(L, fault, [&] {
    out << terminal_safe(std::string_view(line, len)) << '\n';
    if (flush) out.flush();
  });
  if (!ok) raise_fault(L, fault);
}

int sandbox_print(lua_State* L) {
  push_print_line(L);
  write_safe(L, *LuaState::from(L).output, false);
  return 0;
}

// eprint(...) as print, to stderr: usage lines and warnings of scripts.
int sandbox_eprint(lua_State* L) {
  push_print_line(L);
  write_safe(L, std::cerr, true);
  return 0;
}

// exit([status]) ends the script (or -c line) with that exit status.
int sandbox_exit(lua_State* L) {
  lua_Integer status = 0;
  if (lua_isboolean(L, 1))
    status = lua_toboolean(L, 1) ? 0 : 1;
  else
    status = luaL_optinteger(L, 1, 0);
  // exit(2^40) once exited 0: the status was cut to an int, then to 8 bits.
  if (status < 0 || status > 255)
    return luaL_error(L, "exit: status %I is out of range (0 to 255)", status);
  LuaState& state = LuaState::from(L);
  if (state.current_call().empty()) return luaL_error(L, "exit: not inside a script");
  if (!state.request_exit(static_cast<int>(status)))
    return luaL_error(L, "exit: a rule cannot end mailflow; return its verdict or raise error() instead");
  lua_pushliteral(L, "exit");
  return lua_error(L);
}

bool valid_module_name(const char* name) {
  if (!*name || *name == '.') return false;
  for (const char* p = name; *p; ++p) {
    if (std::isalnum(static_cast<unsigned char>(*p)) || *p == '_' || *p == '-') continue;
    if (*p == '.' && p[1] != '.' && p[1] != '\0') continue;
    return false;
  }
  return true;
}

// require(name): a module from the stdlib or a rule directory, run once in a
// fresh environment; its result is cached. No C modules, no package.path.
int sandbox_require(lua_State* L) {
  const char* name = luaL_checkstring(L, 1);
  if (!valid_module_name(name))
    return luaL_error(L, "require: '%s' is not a module name (letters, digits, _ and dots)", name);
  lua_settop(L, 1);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kLoadedKey);  // 2
  lua_pushvalue(L, 1);
  if (lua_rawget(L, 2) != LUA_TNIL) {
    // Modules are shared by every script: hand out a read-only view.
    if (lua_type(L, -1) == LUA_TTABLE) push_proxy(L, -1);
    return 1;
  }
  lua_pop(L, 1);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kModuleDirsKey);  // 3
  Fault fault;
  bool ok = guarded(L, fault, [&] {
    std::string rel = name;
    for (char& c : rel)
      if (c == '.') c = '/';
    rel += ".lua";
    std::string searched;
    for (lua_Integer i = 1; lua_rawgeti(L, 3, i) == LUA_TSTRING; ++i) {
      std::string path = std::string(lua_tostring(L, -1)) + "/" + rel;
      lua_pop(L, 1);
      if (std::ifstream(path).good()) {
        std::string source = read_source_file(path);
        lua_pushlstring(L, source.data(), source.size());  // 4
        std::string chunkname = file_chunkname(path);
        lua_pushlstring(L, chunkname.data(), chunkname.size());  // 5
        return;
      }
      searched += (searched.empty() ? "" : ", ") + path;
    }
    lua_pop(L, 1);
    throw Error("ModuleNotFound", std::string("require: module '") + name + "' not found (" +
                                      (searched.empty() ? "no module directories" : searched) + ")");
  });
  if (!ok) return raise_fault(L, fault);
  size_t len = 0;
  const char* source = lua_tolstring(L, 4, &len);
  if (luaL_loadbufferx(L, source, len, lua_tostring(L, 5), "t") != LUA_OK) return lua_error(L);
  push_environment(L, EnvMode::Script);
  lua_setupvalue(L, -2, 1);
  lua_call(L, 0, 1);  // its errors propagate as Lua errors: no C++ object is alive here
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, 1);
  lua_pushvalue(L, -2);
  lua_rawset(L, 2);
  if (lua_type(L, -1) == LUA_TTABLE) push_proxy(L, -1);
  return 1;
}

}  // namespace

void install_sandbox(lua_State* L, const SandboxOptions& options) {
  lua_newtable(L);  // real table -> its proxies' metatable; weak keys (an ephemeron table)
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kProxyMetaKey);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kLoadedKey);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kModuleDirsKey);
  for (const std::string& dir : options.module_dirs) add_module_dir(L, dir);

  // Pattern matching that the budget, deadline and Ctrl-C can stop.
  install_bounded_patterns(L);

  // No string.dump anywhere: the real string table is reachable through the
  // string metatable ("x").dump, so remove it from the real table; and hide
  // the string metatable itself.
  lua_getglobal(L, "string");
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  lua_pop(L, 1);
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);

  lua_newtable(L);  // the base
  for (const char* const* n = kBasicFunctions; *n; ++n) {
    lua_getglobal(L, *n);
    lua_setfield(L, -2, *n);
  }
  lua_getglobal(L, "_VERSION");
  lua_setfield(L, -2, "_VERSION");
  for (const char* lib : {"string", "table", "math", "utf8"}) {
    lua_getglobal(L, lib);
    lua_setfield(L, -2, lib);
  }
  push_subset(L, "os", kOsFunctions);
  lua_setfield(L, -2, "os");
  if (options.allow_io) {
    push_subset(L, "io", kIoFunctions);
    lua_setfield(L, -2, "io");
  }
  static const luaL_Reg kSandboxFunctions[] = {
      /// collectgarbage("count") -> KB in use: the only option; scripts do not steer the collector.
      {"collectgarbage", sandbox_collectgarbage},
      /// print(...): tab-separated tostring of each argument, to the output (stdout, or the REPL's).
      {"print", sandbox_print},
      /// eprint(...): as print, to stderr (usage lines, warnings).
      {"eprint", sandbox_eprint},
      /// xpcall(f, msgh, ...) -> ok, results...: as Lua's; msgh is not run for a budget, deadline or Ctrl-C stop.
      {"xpcall", sandbox_xpcall},
      /// setmetatable(t, mt) -> t: as Lua's; a metatable with __gc is refused (finalizers cannot be stopped).
      {"setmetatable", sandbox_setmetatable},
      /// exit([n]): ends the script (or -c line) with exit status n (0 to 255, default 0; false = 1); not in rules.
      {"exit", sandbox_exit},
      /// require(name) -> module: NAME.lua from the stdlib or a rule directory, run once, read-only.
      {"require", sandbox_require},
      {nullptr, nullptr}};
  luaL_setfuncs(L, kSandboxFunctions, 0);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kBaseKey);
}

void add_module_dir(lua_State* L, const std::string& dir) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kModuleDirsKey);
  lua_pushlstring(L, dir.data(), dir.size());
  lua_rawseti(L, -2, static_cast<lua_Integer>(lua_rawlen(L, -2) + 1));
  lua_pop(L, 1);
}

void register_module(lua_State* L, const char* name) {
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kLoadedKey);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
  set_base(L, name);
}

void push_readonly(lua_State* L, int index) { push_proxy(L, index); }

void push_base(lua_State* L) { lua_rawgetp(L, LUA_REGISTRYINDEX, &kBaseKey); }

void set_base(lua_State* L, const char* name) {
  push_base(L);
  lua_insert(L, -2);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

void set_base_functions(lua_State* L, const luaL_Reg* functions) {
  push_base(L);
  luaL_setfuncs(L, functions, 0);
  lua_pop(L, 1);
}

void push_environment(lua_State* L, EnvMode mode) {
  lua_checkstack(L, 8);
  lua_newtable(L);  // env
  int env = lua_gettop(L);
  push_base(L);
  int base = env + 1;
  lua_pushnil(L);
  while (lua_next(L, base)) {
    if (lua_type(L, -1) == LUA_TTABLE) {
      push_proxy(L, -1);
      lua_remove(L, -2);
    }
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, env);
  }
  lua_pushvalue(L, env);
  lua_setfield(L, env, "_G");
  /// load(chunk [, chunkname [, mode [, env]]]) -> function | nil, message: compiles a text
  /// chunk (a string; mode "t" only, binary chunks refused) in the caller's environment or `env`.
  lua_pushvalue(L, env);
  lua_pushcclosure(L, sandbox_load, 1);
  lua_setfield(L, env, "load");

  lua_createtable(L, 0, 3);  // metatable
  lua_pushvalue(L, base);
  lua_newtable(L);  // declared names
  lua_pushvalue(L, -1);
  lua_insert(L, -3);  // mt, declared, base, declared
  lua_pushcclosure(L, strict_index, 2);
  lua_setfield(L, -3, "__index");
  lua_pushboolean(L, mode == EnvMode::Session);
  lua_pushcclosure(L, strict_newindex, 2);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, env);
  lua_settop(L, env);
}

void load_chunk(lua_State* L, std::string_view code, const std::string& chunkname, int env_index) {
  env_index = lua_absindex(L, env_index);
  if (luaL_loadbufferx(L, code.data(), code.size(), chunkname.c_str(), "t") != LUA_OK) {
    std::string message = lua_tostring(L, -1) ? lua_tostring(L, -1) : "syntax error";
    lua_pop(L, 1);
    throw LuaError("LuaSyntaxError", message, "");
  }
  lua_pushvalue(L, env_index);
  lua_setupvalue(L, -2, 1);  // _ENV of a main chunk is its first upvalue
}

std::string read_source_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("FileNotReadable", path + ": cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace mailflow
