# Embedded resources of dashboard_ui: the icons under :/icons, the bundled manifests under
# :/manifests/k8s and the compiled translations under :/i18n. (Resources of a static library are linked through Qt's object libraries, so no
# Q_INIT_RESOURCE is needed.)
qt_add_resources(dashboard_ui dashboard_icons
  PREFIX /icons
  BASE ${PROJECT_SOURCE_DIR}/resources/icons
  FILES ${PROJECT_SOURCE_DIR}/resources/icons/forecast-dashboard.svg)

# The bundled manifests (DESIGN §7: "bundled into the app"): what --sandbox applies to a
# fresh sandbox, under :/manifests/k8s.
file(GLOB DASHBOARD_MANIFESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/manifests/k8s/*.yaml)
qt_add_resources(dashboard_ui dashboard_manifests
  PREFIX /manifests/k8s
  BASE ${PROJECT_SOURCE_DIR}/manifests/k8s
  FILES ${DASHBOARD_MANIFESTS})

# The dashboard's translations (resources/translations/*.ts, edited with Qt Linguist):
# compiled by lrelease at build time and embedded under :/i18n. `ninja update_translations`
# refreshes the .ts files from the sources. The check below fails the build when a source
# string has no finished translation (new, changed or marked unfinished).
file(GLOB DASHBOARD_TS_FILES CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/resources/translations/forecast-dashboard_*.ts)
file(GLOB_RECURSE DASHBOARD_TR_SOURCES CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/app/core/*.cpp ${PROJECT_SOURCE_DIR}/app/core/*.h
  ${PROJECT_SOURCE_DIR}/app/ui/*.cpp ${PROJECT_SOURCE_DIR}/app/ui/*.h)

qt_add_translations(dashboard_ui
  TS_FILES ${DASHBOARD_TS_FILES}
  SOURCES ${DASHBOARD_TR_SOURCES}
  INCLUDE_DIRECTORIES ${PROJECT_SOURCE_DIR}/app ${PROJECT_SOURCE_DIR}/app/core
  LUPDATE_OPTIONS -locations none -no-obsolete
  RESOURCE_PREFIX /i18n)

set(check_stamp ${CMAKE_CURRENT_BINARY_DIR}/translations-checked.stamp)
add_custom_command(OUTPUT ${check_stamp}
  COMMAND ${CMAKE_COMMAND}
    -DLUPDATE=$<TARGET_FILE:Qt6::lupdate>
    "-DTS_FILES=${DASHBOARD_TS_FILES}"
    "-DSOURCE_DIRS=${PROJECT_SOURCE_DIR}/app/core;${PROJECT_SOURCE_DIR}/app/ui"
    "-DINCLUDE_DIRS=${PROJECT_SOURCE_DIR}/app;${PROJECT_SOURCE_DIR}/app/core"
    -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/translation-check
    -P ${PROJECT_SOURCE_DIR}/cmake/check_translations.cmake
  COMMAND ${CMAKE_COMMAND} -E touch ${check_stamp}
  DEPENDS ${DASHBOARD_TS_FILES} ${DASHBOARD_TR_SOURCES}
    ${PROJECT_SOURCE_DIR}/cmake/check_translations.cmake
  COMMENT "Checking that every dashboard string is translated"
  VERBATIM)
add_custom_target(check_translations ALL DEPENDS ${check_stamp})
add_dependencies(dashboard_ui check_translations)
