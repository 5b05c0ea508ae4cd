# Warnings live in one INTERFACE target that every conform target links PRIVATE (STYLE C3).
add_library(conform_warnings INTERFACE)
target_compile_options(conform_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wold-style-cast
  # g++ 12 warns on every designated initializer that leaves a member to its default,
  # which is exactly how STYLE N3 wants options structs written.
  -Wno-missing-field-initializers
  $<$<BOOL:${CONFORM_WERROR}>:-Werror>)
