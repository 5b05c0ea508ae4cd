// proxy_upstream PORT [JOBS]: the fast upstream of bench/proxy_bench.sh. Serves one
// pre-built ListDpoJobs page (bench/proxy_jobs.h) for every GET on 127.0.0.1:PORT with
// cpp-httplib, keep-alive without a request cap, TCP_NODELAY. Runs until killed.
//   proxy_upstream 18080 50 &
//   wrk -c10 http://127.0.0.1:18080/v1/accounts/acme/dpoJobs?pageSize=50
#include <httplib.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/proxy_jobs.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: proxy_upstream PORT [JOBS]\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const int jobs = argc > 2 ? std::atoi(argv[2]) : 50;
  const std::string body = conform::bench::DpoJobsPage(jobs, 1);
  httplib::Server server;
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1'000'000);
  // SO_REUSEADDR only: httplib's default SO_REUSEPORT would let a stale instance share the port.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server.Get(".*", [&body](const httplib::Request&, httplib::Response& res) {
    res.set_content(body, "application/json");
  });
  std::fprintf(stdout, "proxy_upstream: %zu-byte page of %d jobs on http://127.0.0.1:%d\n",
               body.size(), jobs, port);
  std::fflush(stdout);
  if (!server.listen("127.0.0.1", port)) {
    std::fprintf(stderr, "proxy_upstream: cannot listen on 127.0.0.1:%d\n", port);
    return 3;
  }
  return 0;
}
