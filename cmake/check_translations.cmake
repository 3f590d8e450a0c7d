# cmake -P script: runs lupdate over the sources into scratch copies of the .ts files and
# fails when any message is left unfinished (a new or changed string nobody translated, or
# one a translator marked unfinished). The committed .ts files are never modified here.
foreach(var LUPDATE TS_FILES SOURCE_DIRS WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_translations.cmake: ${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(failures "")
foreach(ts ${TS_FILES})
  get_filename_component(name ${ts} NAME)
  set(copy ${WORK_DIR}/${name})
  file(COPY_FILE ${ts} ${copy})
  set(includes "")
  foreach(dir ${INCLUDE_DIRS})
    list(APPEND includes -I ${dir})
  endforeach()
  execute_process(
    COMMAND ${LUPDATE} -silent ${includes} -locations none -no-obsolete -extensions cpp,h ${SOURCE_DIRS} -ts ${copy}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lupdate failed on ${name}: ${err}")
  endif()
  file(READ ${copy} text)
  # Each <message> block; report the source text of the unfinished ones.
  string(REGEX MATCHALL "<message[^>]*>[^<]*<source>[^<]*</source>([^<]|<[^/]|</[^m])*</message>" messages "${text}")
  set(count 0)
  foreach(message ${messages})
    if(message MATCHES "type=\"unfinished\"")
      math(EXPR count "${count} + 1")
      if(message MATCHES "<source>([^<]*)</source>")
        string(APPEND failures "\n  ${name}: \"${CMAKE_MATCH_1}\"")
      endif()
    endif()
  endforeach()
endforeach()
if(NOT failures STREQUAL "")
  message(FATAL_ERROR
    "Untranslated dashboard strings (add them to the .ts files: `ninja update_translations`, "
    "then translate in Qt Linguist or by hand):${failures}")
endif()
