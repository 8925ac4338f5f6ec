#include "lua/value_bridge.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/error.h"
#include "core/text.h"

namespace mailflow {

namespace {

constexpr int kMaxDepth = 64;

// [-0, +1] A per-conversion cache of record metatables, keyed by schema, so
// that a million records of one schema share one metatable.
void push_record(lua_State* L, const Record& record, int cache);

void push_any(lua_State* L, const Value& v, int cache) {
  switch (v.kind()) {
    case Value::Kind::Null: lua_pushnil(L); return;
    case Value::Kind::Bool: lua_pushboolean(L, v.as_bool()); return;
    case Value::Kind::Int: lua_pushinteger(L, static_cast<lua_Integer>(v.as_int())); return;
    case Value::Kind::Double: lua_pushnumber(L, v.as_double()); return;
    case Value::Kind::String: lua_pushlstring(L, v.as_string().data(), v.as_string().size()); return;
    case Value::Kind::DateTime:
    case Value::Kind::Date: {
      std::string text = v.to_display();
      lua_pushlstring(L, text.data(), text.size());
      return;
    }
    case Value::Kind::Array: {
      const Array& a = v.as_array();
      lua_checkstack(L, 4);
      lua_createtable(L, static_cast<int>(a.size()), 0);
      for (size_t i = 0; i < a.size(); ++i) {
        push_any(L, a[i], cache);
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
      }
      return;
    }
    case Value::Kind::Record: push_record(L, v.as_record(), cache); return;
  }
  lua_pushnil(L);
}

void push_record(lua_State* L, const Record& record, int cache) {
  lua_checkstack(L, 4);
  lua_createtable(L, 0, static_cast<int>(record.size()));
  for (size_t i = 0; i < record.size(); ++i) {
    lua_pushlstring(L, record.name(i).data(), record.name(i).size());
    push_any(L, record.value(i), cache);
    lua_rawset(L, -3);
  }
  if (lua_rawgetp(L, cache, record.schema_ptr().get()) == LUA_TNIL) {
    lua_pop(L, 1);
    push_record_metatable(L, record.schema().names());
    lua_pushvalue(L, -1);
    lua_rawsetp(L, cache, record.schema_ptr().get());
  }
  lua_setmetatable(L, -2);
}

std::string key_text(lua_State* L, int index) {
  switch (lua_type(L, index)) {
    case LUA_TSTRING: {
      size_t len = 0;
      const char* s = lua_tolstring(L, index, &len);  // a string: no conversion
      return std::string(s, len);
    }
    case LUA_TNUMBER: {
      if (lua_isinteger(L, index)) return std::to_string(lua_tointeger(L, index));
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", lua_tonumber(L, index));
      return buf;
    }
    case LUA_TBOOLEAN: return lua_toboolean(L, index) ? "true" : "false";
    default: return std::string("(") + lua_typename(L, lua_type(L, index)) + ")";
  }
}

Value read(lua_State* L, int index, std::string_view what, const std::vector<std::string>& order,
           int depth);

// The property order a record table declares through its metatable.
std::vector<std::string> declared_order(lua_State* L, int index) {
  std::vector<std::string> names;
  if (!lua_getmetatable(L, index)) return names;
  lua_pushliteral(L, "__fields");
  if (lua_rawget(L, -2) == LUA_TTABLE) {
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; ++i) {
      names.push_back(key_text(L, -1));
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
  return names;
}

Value read_table(lua_State* L, int index, std::string_view what,
                 const std::vector<std::string>& order, int depth) {
  if (depth > kMaxDepth)
    throw Error("LuaValueNotConvertible",
                std::string(what) + ": tables nested more than 64 deep (a cycle?)");
  if (!lua_checkstack(L, 6)) throw Error("LuaStackOverflow", std::string(what) + ": Lua stack overflow");
  index = lua_absindex(L, index);

  // Count the entries and see whether they are exactly 1..n.
  lua_Integer count = 0;
  bool sequence = true;
  lua_pushnil(L);
  while (lua_next(L, index)) {
    ++count;
    if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1) sequence = false;
    lua_pop(L, 1);
  }
  std::vector<std::string> fields = declared_order(L, index);
  if (sequence && fields.empty()) {
    Array items;
    items.reserve(static_cast<size_t>(count));
    for (lua_Integer i = 1; i <= count; ++i) {
      if (lua_rawgeti(L, index, i) == LUA_TNIL) {
        lua_pop(L, 1);
        throw Error("LuaValueNotConvertible",
                    std::string(what) + ": array has a hole at index " + std::to_string(i));
      }
      items.push_back(read(L, -1, what, {}, depth + 1));
      lua_pop(L, 1);
    }
    return Value(std::move(items));
  }

  // A record: every key with its value, then ordered.
  std::map<std::string, Value, ILess> props;
  lua_pushnil(L);
  while (lua_next(L, index)) {
    std::string key = key_text(L, -2);
    // Paths name the first levels only, so that a cycle's message stays short.
    Value v = read(L, -1, depth < 3 ? std::string(what) + "." + key : std::string(what), {},
                   depth + 1);
    props.emplace(std::move(key), std::move(v));
    lua_pop(L, 1);
  }
  std::vector<std::string> names;
  std::vector<Value> values;
  auto take = [&](const std::string& name) {
    auto it = props.find(name);
    if (it == props.end()) return;
    names.push_back(it->first);
    values.push_back(std::move(it->second));
    props.erase(it);
  };
  // Declared columns are always there, nil or not, so that tables of such
  // records keep their columns.
  auto take_declared = [&](const std::string& name) {
    if (props.find(name) == props.end() &&
        std::none_of(names.begin(), names.end(), [&](const std::string& n) { return iequals(n, name); })) {
      names.push_back(name);
      values.emplace_back();
    }
    take(name);
  };
  for (const std::string& name : fields) take_declared(name);
  for (const std::string& name : order) take_declared(name);
  for (auto& [name, v] : props) {
    names.push_back(name);
    values.push_back(std::move(v));
  }
  return Value(Record(std::make_shared<Schema>(std::move(names)), std::move(values)));
}

Value read(lua_State* L, int index, std::string_view what, const std::vector<std::string>& order,
           int depth) {
  switch (lua_type(L, index)) {
    case LUA_TNIL:
    case LUA_TNONE: return Value();
    case LUA_TBOOLEAN: return Value(lua_toboolean(L, index) != 0);
    case LUA_TNUMBER:
      if (lua_isinteger(L, index)) return Value(static_cast<std::int64_t>(lua_tointeger(L, index)));
      return Value(static_cast<double>(lua_tonumber(L, index)));
    case LUA_TSTRING: return Value(key_text(L, index));
    case LUA_TTABLE: return read_table(L, index, what, order, depth);
    default:
      throw Error("LuaValueNotConvertible", std::string(what) + ": a Lua " +
                                                luaL_typename(L, index) +
                                                " cannot be passed to mailflow");
  }
}

}  // namespace

void push_value(lua_State* L, const Value& value) {
  lua_checkstack(L, 8);
  lua_newtable(L);  // schema -> metatable cache for this conversion
  int cache = lua_gettop(L);
  push_any(L, value, cache);
  lua_remove(L, cache);
}

void push_array(lua_State* L, const std::vector<Value>& values) {
  lua_checkstack(L, 8);
  lua_newtable(L);
  int cache = lua_gettop(L);
  lua_createtable(L, static_cast<int>(values.size()), 0);
  for (size_t i = 0; i < values.size(); ++i) {
    push_any(L, values[i], cache);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_remove(L, cache);
}

void push_record_metatable(lua_State* L, const std::vector<std::string>& names) {
  lua_createtable(L, 0, 2);
  lua_createtable(L, static_cast<int>(names.size()), 0);
  for (size_t i = 0; i < names.size(); ++i) {
    lua_pushlstring(L, names[i].data(), names[i].size());
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_setfield(L, -2, "__fields");
  lua_pushliteral(L, "record");
  lua_setfield(L, -2, "__name");
}

Value to_value(lua_State* L, int index, std::string_view what,
               const std::vector<std::string>& order) {
  return read(L, index, what, order, 0);
}

std::vector<Value> to_values(lua_State* L, int index, std::string_view what,
                             const std::vector<std::string>& order) {
  if (lua_isnoneornil(L, index)) return {};
  Value v = read(L, index, what, order, 0);
  if (v.is_array()) {
    // Elements of an array of records take the order hint too.
    if (order.empty()) return v.as_array();
    std::vector<Value> out;
    index = lua_absindex(L, index);
    lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, index));
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_rawgeti(L, index, i);
      out.push_back(read(L, -1, what, order, 1));
      lua_pop(L, 1);
    }
    return out;
  }
  return {std::move(v)};
}

}  // namespace mailflow
