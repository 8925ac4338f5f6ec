cmake_minimum_required(VERSION 3.25)
# The include check behind STYLE.md's dependency direction: every
# `#include "folder/..."` in the engine must name the including file's own
# folder or one that the layer table (declared once, in CMakeLists.txt as
# MAILFLOW_LAYERS) lets it use. All headers share one include root, so the
# per-folder link targets alone would not stop a back edge through a header.
#
#   cmake -DENGINE_DIR=<dir> -DLAYERS="core=|store=core|..." [-DSTAMP=<file>] -P check_layering.cmake
#
# Fails (exit status 1) with one line per back edge: file:line: the include,
# and what that folder may use.
if(NOT ENGINE_DIR OR NOT DEFINED LAYERS)
  message(FATAL_ERROR "check_layering: ENGINE_DIR and LAYERS are required")
endif()

string(REPLACE "|" ";" layer_entries "${LAYERS}")
set(known_folders "")
foreach(entry IN LISTS layer_entries)
  if(NOT entry MATCHES "^([a-z_]+)=([a-z_,]*)$")
    message(FATAL_ERROR "check_layering: bad layer entry '${entry}' (want folder=dep,dep)")
  endif()
  set(folder "${CMAKE_MATCH_1}")
  string(REPLACE "," ";" deps "${CMAKE_MATCH_2}")
  set(allowed_${folder} ${folder} ${deps})
  list(APPEND known_folders ${folder})
endforeach()

file(GLOB_RECURSE sources RELATIVE "${ENGINE_DIR}" "${ENGINE_DIR}/*.h" "${ENGINE_DIR}/*.cpp")
list(SORT sources)
set(violations "")
foreach(rel IN LISTS sources)
  if(NOT rel MATCHES "^([a-z_]+)/")
    continue()  # a file at the engine root belongs to no layer
  endif()
  set(folder "${CMAKE_MATCH_1}")
  if(NOT folder IN_LIST known_folders)
    list(APPEND violations "engine/${rel}: folder '${folder}' is not in MAILFLOW_LAYERS (CMakeLists.txt)")
    continue()
  endif()
  file(READ "${ENGINE_DIR}/${rel}" content)
  if(NOT content MATCHES "#[ \t]*include[ \t]*\"[a-z_]+/")
    continue()
  endif()
  # One list item per line: neutralise the characters CMake lists treat specially.
  string(REPLACE "\\" "/" content "${content}")
  string(REPLACE ";" "," content "${content}")
  string(REPLACE "[" "(" content "${content}")
  string(REPLACE "]" ")" content "${content}")
  string(REPLACE "\n" ";" lines "${content}")
  set(line_no 0)
  foreach(line IN LISTS lines)
    math(EXPR line_no "${line_no} + 1")
    if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*\"([a-z_]+)/")
      set(target "${CMAKE_MATCH_1}")
      if(NOT target IN_LIST allowed_${folder})
        list(REMOVE_ITEM allowed_${folder} ${folder})
        string(REPLACE ";" ", " may "${allowed_${folder}}")
        list(PREPEND allowed_${folder} ${folder})
        if(may STREQUAL "")
          set(may "nothing but itself")
        endif()
        string(STRIP "${line}" shown)
        list(APPEND violations "engine/${rel}:${line_no}: ${shown}: ${folder}/ may use ${may}")
      endif()
    endif()
  endforeach()
endforeach()

if(violations)
  list(LENGTH violations count)
  string(REPLACE ";" "\n" report "${violations}")
  message("${report}")
  message(FATAL_ERROR "check_layering: ${count} include(s) against the layer table in CMakeLists.txt (MAILFLOW_LAYERS)")
endif()
if(STAMP)
  file(WRITE "${STAMP}" "ok\n")
endif()
