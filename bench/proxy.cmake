# The recording proxy's benchmarks (bench/README.md): a fast upstream for wrk, the wrk driver
# script, and a Google Benchmark of what recording costs per exchange. Included from
# bench/CMakeLists.txt:  include(${CMAKE_CURRENT_LIST_DIR}/proxy.cmake)
add_executable(proxy_upstream ${CMAKE_CURRENT_LIST_DIR}/proxy_upstream.cc)
target_include_directories(proxy_upstream PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(proxy_upstream PRIVATE PkgConfig::HTTPLIB nlohmann_json::nlohmann_json
                                             Threads::Threads conform_warnings)

add_executable(proxy_record_bench ${CMAKE_CURRENT_LIST_DIR}/proxy_record_bench.cc)
target_link_libraries(proxy_record_bench PRIVATE conform::recorder benchmark::benchmark
                                                 conform_warnings)

# `cmake --build build/release --target proxy_bench` runs the wrk comparison (needs wrk).
add_custom_target(proxy_bench
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/proxy_bench.sh $<TARGET_FILE:conform>
          $<TARGET_FILE:proxy_upstream>
  DEPENDS conform proxy_upstream
  USES_TERMINAL
  COMMENT "proxy overhead with wrk (bench/README.md)")
