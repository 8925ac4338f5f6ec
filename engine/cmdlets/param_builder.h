// A parameter with its name, type and help; callers set the rest. Shared by
// cmdlet files that build their ParamSpecs one by one.
#pragma once

#include "host/cmdlet.h"

namespace mailflow {

inline ParamSpec make_param(const char* name, ParamType type, const char* help) {
  ParamSpec p;
  p.name = name;
  p.type = type;
  p.help = help;
  return p;
}

}  // namespace mailflow
