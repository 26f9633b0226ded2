# run-cli.cmake - runs one `likeletter` command line and checks its exit status, its output and
# optionally a PNG it should write. Usage:
#   cmake -DEXPECT_STATUS=zero|nonzero [-DMATCH_1=regex ... -DMATCH_9=regex]
#         [-DEXPECT_PNG=path] [-DEXPECT_NO_PNG=path] -P run-cli.cmake -- program args...
# Every MATCH_n must match stdout+stderr. EXPECT_PNG is removed first, then must exist afterwards
# with the PNG signature and an IHDR of non-zero width and height; EXPECT_NO_PNG must not exist
# afterwards (a failed command leaves nothing behind).

set(cmd)
set(after_dashes OFF)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 1 ${last})
  if(after_dashes)
    list(APPEND cmd "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(after_dashes ON)
  endif()
endforeach()
if(NOT cmd)
  message(FATAL_ERROR "run-cli.cmake: no command after --")
endif()

if(DEFINED EXPECT_PNG)
  file(REMOVE "${EXPECT_PNG}")
endif()
if(DEFINED EXPECT_NO_PNG)
  file(REMOVE "${EXPECT_NO_PNG}")
endif()

execute_process(COMMAND ${cmd} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
string(REPLACE ";" " " shown "${cmd}")
message(STATUS "ran: ${shown}\nexit status: ${status}\noutput:\n${all}")

if(EXPECT_STATUS STREQUAL "zero" AND NOT status STREQUAL "0")
  message(FATAL_ERROR "expected exit status 0, got ${status}")
elseif(EXPECT_STATUS STREQUAL "nonzero" AND (status STREQUAL "0" OR NOT status MATCHES "^[0-9]+$"))
  # A signal (crash) shows as a text status: that is not a clean refusal either.
  message(FATAL_ERROR "expected a non-zero exit status (a clean failure), got '${status}'")
endif()

foreach(n RANGE 1 9)
  if(DEFINED MATCH_${n} AND NOT all MATCHES "${MATCH_${n}}")
    message(FATAL_ERROR "expected the output to match '${MATCH_${n}}', it does not")
  endif()
endforeach()

if(DEFINED EXPECT_NO_PNG AND EXISTS "${EXPECT_NO_PNG}")
  message(FATAL_ERROR "expected no ${EXPECT_NO_PNG} after a failure, it exists")
endif()

if(DEFINED EXPECT_PNG)
  if(NOT EXISTS "${EXPECT_PNG}")
    message(FATAL_ERROR "expected ${EXPECT_PNG} to be written, it does not exist")
  endif()
  file(SIZE "${EXPECT_PNG}" size)
  file(READ "${EXPECT_PNG}" head LIMIT 24 HEX)
  string(SUBSTRING "${head}" 0 16 magic)
  if(NOT magic STREQUAL "89504e470d0a1a0a")
    message(FATAL_ERROR "${EXPECT_PNG}: expected the PNG signature 89504e470d0a1a0a, got ${magic}")
  endif()
  string(SUBSTRING "${head}" 24 8 chunk)
  string(SUBSTRING "${head}" 32 8 width_hex)
  string(SUBSTRING "${head}" 40 8 height_hex)
  if(NOT chunk STREQUAL "49484452")
    message(FATAL_ERROR "${EXPECT_PNG}: expected the IHDR chunk first, got ${chunk}")
  endif()
  math(EXPR width "0x${width_hex}")
  math(EXPR height "0x${height_hex}")
  if(width LESS 1 OR height LESS 1 OR size LESS 100)
    message(FATAL_ERROR "${EXPECT_PNG}: expected a non-empty image, got ${width}x${height} in ${size} bytes")
  endif()
  message(STATUS "${EXPECT_PNG}: PNG ${width}x${height}, ${size} bytes")
endif()
