# cmake -DCOMPILER=... -DINCLUDE=... -DSOURCE=... -DCASE=n -DEXPECT=regex [-DPCH_HEADER=h -DPCH=h.gch]
#   -P check.cmake
# Passes when the case compiles with SQLRITE_ORM_OK and fails without it, with a diagnostic
# matching EXPECT.
set(base ${COMPILER} -std=c++20 -fsyntax-only -I${INCLUDE} -DCASE=${CASE})
# The precompiled includes of CMakeLists.txt, when the build has made them (they change only the
# time a case takes).
if(PCH AND EXISTS "${PCH}")
  list(APPEND base -include ${PCH_HEADER})
endif()
list(APPEND base ${SOURCE})
execute_process(COMMAND ${base} -DSQLRITE_ORM_OK RESULT_VARIABLE ok_rc ERROR_VARIABLE ok_err)
if(NOT ok_rc EQUAL 0)
  message(FATAL_ERROR "case ${CASE}: the correct variant does not compile:\n${ok_err}")
endif()
execute_process(COMMAND ${base} RESULT_VARIABLE bad_rc ERROR_VARIABLE bad_err)
if(bad_rc EQUAL 0)
  message(FATAL_ERROR "case ${CASE}: the wrong variant compiles")
endif()
if(NOT bad_err MATCHES "${EXPECT}")
  message(FATAL_ERROR "case ${CASE}: failed, but not with /${EXPECT}/:\n${bad_err}")
endif()
message(STATUS "case ${CASE}: rejected as expected")
