# Message catalogs (stdlib/locale/*.po, GNU gettext): compiled to
# build/locale/LANG/LC_MESSAGES/mailflow.mo next to the binary, where
# Culture finds them (engine/locale/culture.h), and installed under
# share/mailflow/locale. `mailflow_pot` regenerates mailflow.pot from the
# strings marked in C++ and Lua; `mailflow_po_update` merges it into the .po.
find_program(MSGFMT_EXECUTABLE msgfmt REQUIRED)
find_program(XGETTEXT_EXECUTABLE xgettext REQUIRED)  # used by extract.sh
find_program(MSGMERGE_EXECUTABLE msgmerge REQUIRED)

set(MAILFLOW_LOCALE_SOURCE_DIR ${PROJECT_SOURCE_DIR}/stdlib/locale)
set(MAILFLOW_LOCALE_BUILD_DIR ${PROJECT_BINARY_DIR}/locale)
file(GLOB MAILFLOW_PO_FILES CONFIGURE_DEPENDS ${MAILFLOW_LOCALE_SOURCE_DIR}/*.po)

set(mailflow_mo_files)
foreach(po ${MAILFLOW_PO_FILES})
  get_filename_component(lang ${po} NAME_WE)
  set(mo ${MAILFLOW_LOCALE_BUILD_DIR}/${lang}/LC_MESSAGES/mailflow.mo)
  # --check: format strings, plural header and forms; a broken catalog fails the build.
  add_custom_command(OUTPUT ${mo}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${MAILFLOW_LOCALE_BUILD_DIR}/${lang}/LC_MESSAGES
    COMMAND ${MSGFMT_EXECUTABLE} --check -o ${mo} ${po}
    DEPENDS ${po}
    COMMENT "Compiling message catalog ${lang}")
  list(APPEND mailflow_mo_files ${mo})
  install(FILES ${mo} DESTINATION share/mailflow/locale/${lang}/LC_MESSAGES)
endforeach()
add_custom_target(mailflow_catalogs ALL DEPENDS ${mailflow_mo_files})

# The .pot from the strings marked in C++ and Lua (extract.sh says which).
add_custom_target(mailflow_pot
  COMMAND bash ${MAILFLOW_LOCALE_SOURCE_DIR}/extract.sh ${MAILFLOW_LOCALE_SOURCE_DIR}/mailflow.pot
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  COMMENT "Regenerating stdlib/locale/mailflow.pot"
  VERBATIM)
add_custom_target(mailflow_po_update DEPENDS mailflow_pot)
foreach(po ${MAILFLOW_PO_FILES})
  add_custom_command(TARGET mailflow_po_update POST_BUILD
    COMMAND ${MSGMERGE_EXECUTABLE} --quiet --update --backup=none ${po} ${MAILFLOW_LOCALE_SOURCE_DIR}/mailflow.pot
    VERBATIM)
endforeach()

install(DIRECTORY ${PROJECT_SOURCE_DIR}/stdlib/ DESTINATION share/mailflow/stdlib
        PATTERN locale EXCLUDE)
install(TARGETS mailflow RUNTIME DESTINATION bin)
add_dependencies(mailflow mailflow_catalogs)
