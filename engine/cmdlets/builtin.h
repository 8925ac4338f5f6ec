// The whole built-in cmdlet surface, registered in one explicit list
// (builtin.cpp) so that it can be read in one place.
#pragma once

#include "host/cmdlet.h"

namespace mailflow {

void register_builtin_cmdlets(Registry& registry);

// Get-Help about_Pipelines (pipeline_help_topic.cpp).
std::string pipelines_help_topic();
// Get-Help about_Boundary (boundary_help_topic.cpp).
const char* boundary_help_topic();
// Get-Help about_LuaCmdlets (lua_cmdlets_help_topic.cpp).
const char* lua_cmdlets_help_topic();

}  // namespace mailflow
