# Warning and sanitizer flags shared by every first-party target.
# Targets opt in with placement_target_options(<target>); generated protobuf code
# gets the sanitizer flags but not the warning set (it is not ours to fix).

set(PLACEMENT_WARNING_FLAGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wconversion -Wno-sign-conversion)
# GCC 12 reports false -Wrestrict overlaps inside std::string at -O3
# (GCC bug 105329); the warning finds nothing real in this code base.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND PLACEMENT_WARNING_FLAGS -Wno-restrict)
endif()
if(PLACEMENT_WERROR)
  list(APPEND PLACEMENT_WARNING_FLAGS -Werror)
endif()

if(PLACEMENT_SANITIZER STREQUAL "address")
  set(PLACEMENT_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
elseif(PLACEMENT_SANITIZER STREQUAL "thread")
  set(PLACEMENT_SANITIZER_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
  # Abseil's flag storage (a sequence lock read once at start-up) uses
  # atomic_thread_fence, which GCC warns TSan cannot model.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    list(APPEND PLACEMENT_WARNING_FLAGS -Wno-tsan)
  endif()
elseif(PLACEMENT_SANITIZER STREQUAL "fuzzer")
  # The fuzz preset (fuzz/): every object gets libFuzzer's coverage
  # instrumentation and ASan+UBSan; only the fuzz targets link libFuzzer's
  # main (fuzz/CMakeLists.txt adds -fsanitize=fuzzer to them).
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PLACEMENT_SANITIZER=fuzzer needs clang (libFuzzer), "
                        "not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  set(PLACEMENT_SANITIZER_FLAGS -fsanitize=fuzzer-no-link,address,undefined
      -fno-sanitize-recover=all -fno-omit-frame-pointer)
elseif(PLACEMENT_SANITIZER STREQUAL "none")
  set(PLACEMENT_SANITIZER_FLAGS "")
else()
  message(FATAL_ERROR "PLACEMENT_SANITIZER must be none, address, thread or "
                      "fuzzer, "
                      "not '${PLACEMENT_SANITIZER}'")
endif()

if(PLACEMENT_SANITIZER_FLAGS)
  add_compile_options(${PLACEMENT_SANITIZER_FLAGS})
  add_link_options(${PLACEMENT_SANITIZER_FLAGS})
endif()

function(placement_target_options target)
  target_compile_options(${target} PRIVATE ${PLACEMENT_WARNING_FLAGS})
endfunction()
