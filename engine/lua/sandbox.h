// The sandbox, built from an allow-list (STYLE.md "The Lua boundary"; the
// approach of Redis src/script_lua.c).
//
// The state's own global table holds the full standard library and is never
// seen by a script. A shared, hidden "base" table holds what scripts may use:
// safe basic functions, wrapped `load`/`require`/`collectgarbage`/`print`/
// `exit`, the libraries string, table, math, utf8, a trimmed os (time, date,
// clock) and, only with --allow-io, io without popen; plus the mailflow API
// (cmdlet functions, Invoke, Register*, stdlib modules).
//
// Each script, rule file and module runs in a fresh environment: a table
// holding the base's functions and a read-only proxy of each base library
// (a fresh proxy per environment, so rawset on one cannot reach another).
// Environments are strict: reading a global that was never assigned is an
// error, and so is assigning a new global from inside a function (as Lua's
// etc/strict.lua; assignments in the main chunk declare). The REPL's session
// environment accepts new globals anywhere (SPEC 7: `t = GetTlsUsage{}`).
#pragma once

#include <lua.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace mailflow {

enum class EnvMode { Script, Session };

struct SandboxOptions {
  bool allow_io = false;
  // Where `require` looks for NAME.lua (stdlib first, then rule directories).
  std::vector<std::string> module_dirs;
};

// Builds the base table from the state's standard library. Call once, first.
void install_sandbox(lua_State* L, const SandboxOptions& options);
// Adds directories to `require`'s search list.
void add_module_dir(lua_State* L, const std::string& dir);

// [-1, +0] Pops a value into the base under `name`, for every environment
// made afterwards (functions are shared; tables are proxied read-only).
void set_base(lua_State* L, const char* name);
// [-0, +0] Registers C functions into the base.
void set_base_functions(lua_State* L, const luaL_Reg* functions);
// [-1, +0] Pops a module's value into the base under `name` and into
// `require`'s cache, so `dates` and `require "dates"` are the same table.
void register_module(lua_State* L, const char* name);
// [-0, +1] A read-only proxy of the table at `index` (pairs works on it).
void push_readonly(lua_State* L, int index);
// [-0, +1] Pushes the base table (for global_names and tests).
void push_base(lua_State* L);

// [-0, +1] A fresh environment.
void push_environment(lua_State* L, EnvMode mode);

// [-0, +1] Compiles text (never binary) into a function whose _ENV is the
// table at env_index. On a syntax error pushes nothing and throws
// LuaError("LuaSyntaxError") with "chunk:line: message".
void load_chunk(lua_State* L, std::string_view code, const std::string& chunkname, int env_index);

// Reads a file for load_chunk. Throws Error("FileNotReadable") naming it.
std::string read_source_file(const std::string& path);

// Chunk name for a file, so that Lua messages read "path:line: message".
inline std::string file_chunkname(const std::string& path) { return "@" + path; }

}  // namespace mailflow
