# Script mode: writes OUT, a .cc that defines conform::embedded::SYMBOL as the bytes of IN.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE ${OUT} "// Generated from ${IN} by cmake/embed_file.cmake. Do not edit.\n"
  "#include <string_view>\n"
  "namespace conform::embedded {\n"
  "namespace { constexpr char kBytes[] = {${bytes} '\\0'}; }\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL}(kBytes, ${size});\n"
  "}  // namespace conform::embedded\n")
