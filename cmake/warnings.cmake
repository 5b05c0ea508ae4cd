# Warnings live in one INTERFACE target that every conform target links PRIVATE (STYLE C3).
add_library(conform_warnings INTERFACE)
target_compile_options(conform_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wold-style-cast
  # g++ 12 warns on every designated initializer that leaves a member to its default,
  # which is exactly how STYLE N3 wants options structs written.
  -Wno-missing-field-initializers
  # g++ 12 at -O2 and above reports std::string's own memcpy in operator+ as overlapping
  # (GCC bug 105329): noise on correct code, never a finding of ours.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
  # A unity build (the CI preset's) compiles several .cc files as one: g++ then takes the
  # anonymous namespaces of all but the first for a header's, and warns on each class using them.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<BOOL:${CMAKE_UNITY_BUILD}>>:-Wno-subobject-linkage>
  $<$<BOOL:${CONFORM_WERROR}>:-Werror>)
