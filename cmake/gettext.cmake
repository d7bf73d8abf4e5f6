# The message catalogues (po/): GNU gettext's tools from Debian's gettext
# package. At build time msgfmt compiles each po/<lang>.po into
# <build>/share/locale/<lang>/LC_MESSAGES/bordercov.mo, where the built
# binary finds it (bin/../share/locale, as installed); `cmake --build build
# --target bordercov_pot` extracts the marked strings of the sources anew
# into po/bordercov.pot and merges them into each po/<lang>.po (po/README.md).
find_program(BORDERCOV_MSGFMT msgfmt)
find_program(BORDERCOV_XGETTEXT xgettext)
find_program(BORDERCOV_MSGMERGE msgmerge)
find_program(BORDERCOV_MSGCMP msgcmp)
if(NOT BORDERCOV_MSGFMT OR NOT BORDERCOV_XGETTEXT OR NOT BORDERCOV_MSGMERGE OR NOT BORDERCOV_MSGCMP)
  message(FATAL_ERROR "GNU gettext's msgfmt, xgettext, msgmerge and msgcmp are needed to build the "
                      "message catalogues (Debian: apt install gettext; tools/install-deps does).")
endif()

# The sources whose strings people read: tr("..."), trn("...", "...", n), N_("...").
set(BORDERCOV_TRANSLATED_SOURCES
    src/labels.cpp
    src/report.cpp
    src/report_sections.cpp
    src/report_map.cpp
    src/report_review.cpp
    src/report_changes.cpp
    src/io/report_writer.cpp
    src/detail/qgis_layout.cpp
    src/io/qgis_style.cpp)
set(BORDERCOV_XGETTEXT_OPTIONS --language=C++ --from-code=UTF-8 --keyword=tr --keyword=trn:1,2
    --keyword=N_ --add-comments=TRANSLATORS: --sort-by-file --package-name=bordercov
    --package-version=${PROJECT_VERSION} --msgid-bugs-address=-)
set(BORDERCOV_LANGUAGES vi)

set(catalogues)
foreach(lang IN LISTS BORDERCOV_LANGUAGES)
  set(mo ${CMAKE_BINARY_DIR}/share/locale/${lang}/LC_MESSAGES/bordercov.mo)
  add_custom_command(
    OUTPUT ${mo}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/share/locale/${lang}/LC_MESSAGES
    COMMAND ${BORDERCOV_MSGFMT} --check --output-file=${mo} ${PROJECT_SOURCE_DIR}/po/${lang}.po
    DEPENDS ${PROJECT_SOURCE_DIR}/po/${lang}.po
    COMMENT "Compiling the ${lang} message catalogue"
    VERBATIM)
  list(APPEND catalogues ${mo})
  include(GNUInstallDirs)
  install(FILES ${mo} DESTINATION ${CMAKE_INSTALL_LOCALEDIR}/${lang}/LC_MESSAGES)
endforeach()
add_custom_target(bordercov_catalogues ALL DEPENDS ${catalogues})

add_custom_target(bordercov_pot
  COMMAND ${BORDERCOV_XGETTEXT} ${BORDERCOV_XGETTEXT_OPTIONS} --output=po/bordercov.pot
          ${BORDERCOV_TRANSLATED_SOURCES}
  COMMAND ${BORDERCOV_MSGMERGE} --quiet --update --backup=none --no-fuzzy-matching po/vi.po po/bordercov.pot
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  COMMENT "Extracting the strings for translation into po/bordercov.pot, merging into po/*.po"
  VERBATIM)
