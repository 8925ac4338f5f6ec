cmake_minimum_required(VERSION 3.25)
# Tests cmake/check_layering.cmake on a small planted tree: a clean tree
# passes, and a back edge (core including shell) fails with its file and line
# named. Run by ctest as layering.check_fails_on_back_edge.
#
#   cmake -DCHECK=<check_layering.cmake> -DWORK_DIR=<scratch dir> -P check_layering_test.cmake
set(layers "core=|host=core|shell=core,host")
file(REMOVE_RECURSE "${WORK_DIR}")
file(WRITE "${WORK_DIR}/engine/core/value.h" "#pragma once\n#include <string>\n")
file(WRITE "${WORK_DIR}/engine/host/cmdlet.h" "#pragma once\n\n#include \"core/value.h\"\n")
file(WRITE "${WORK_DIR}/engine/shell/shell.cpp"
     "// a comment; with [brackets] and a \\\n\n#include \"host/cmdlet.h\"\n#include \"shell/shell.h\"\n")

function(run_check expect_ok what)
  execute_process(COMMAND ${CMAKE_COMMAND} -DENGINE_DIR=${WORK_DIR}/engine "-DLAYERS=${layers}" -P ${CHECK}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(check_output "${out}${err}" PARENT_SCOPE)
  if(expect_ok AND NOT rc EQUAL 0)
    message(FATAL_ERROR "${what}: the check failed on a clean tree:\n${out}${err}")
  elseif(NOT expect_ok AND rc EQUAL 0)
    message(FATAL_ERROR "${what}: the check passed a back edge")
  endif()
endfunction()

run_check(TRUE "clean tree")

# The planted back edge: core/ may use nothing, so core -> shell fails, on line 4.
file(WRITE "${WORK_DIR}/engine/core/trace.cpp"
     "#include \"core/value.h\"\n\n// why\n#include \"shell/shell.h\"\n")
run_check(FALSE "core includes shell")
if(NOT check_output MATCHES "engine/core/trace.cpp:4: #include \"shell/shell.h\": core/ may use nothing but itself")
  message(FATAL_ERROR "the failure does not name the file and line:\n${check_output}")
endif()

# host -> shell is upward too, even though both sit above core.
file(REMOVE "${WORK_DIR}/engine/core/trace.cpp")
file(WRITE "${WORK_DIR}/engine/host/session.h" "#pragma once\n#include \"shell/pipeline.h\"\n")
run_check(FALSE "host includes shell")
if(NOT check_output MATCHES "engine/host/session.h:2: .*host/ may use core")
  message(FATAL_ERROR "the failure does not name host/session.h:2:\n${check_output}")
endif()

# A folder missing from the table fails rather than passing unchecked.
file(REMOVE "${WORK_DIR}/engine/host/session.h")
file(WRITE "${WORK_DIR}/engine/widgets/w.cpp" "#include \"core/value.h\"\n")
run_check(FALSE "undeclared folder")
if(NOT check_output MATCHES "folder 'widgets' is not in MAILFLOW_LAYERS")
  message(FATAL_ERROR "the failure does not name the undeclared folder:\n${check_output}")
endif()
