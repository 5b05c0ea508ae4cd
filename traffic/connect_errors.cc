#include "traffic/connect_errors.h"

#include <netdb.h>
#include <openssl/err.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <system_error>

#include "traffic/url.h"

namespace conform::traffic {

std::string DiagnoseConnect(const std::string& host, int port, std::chrono::milliseconds timeout,
                            std::string_view peer) {
  const std::string who = peer.empty() ? std::string() : std::string(peer) + " ";
  const std::string where = who + HostPort(host, port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int resolved = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (resolved != 0) {
    return "could not resolve " + who + "host " + host + " (" + ::gai_strerror(resolved) + ")";
  }
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> guard(found, ::freeaddrinfo);
  int error = 0;
  for (addrinfo* address = found; address != nullptr; address = address->ai_next) {
    int fd =
        ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
    if (fd < 0) {
      error = errno;
      continue;
    }
    timeval limit{};
    limit.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    limit.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    int connected = ::connect(fd, address->ai_addr, address->ai_addrlen);
    error = connected == 0 ? 0 : errno;
    ::close(fd);
    if (connected == 0) {
      return "could not connect to " + where + " (it accepts connections again)";
    }
  }
  switch (error) {
    case ECONNREFUSED:
      return "connection refused to " + where;
    case ETIMEDOUT:
    case EINPROGRESS:
    case EAGAIN:
      return "connect to " + where + " timed out";
    default:
      return "could not connect to " + where + " (" +
             std::error_code(error, std::generic_category()).message() + ")";
  }
}

std::string OpenSslErrors() {
  std::string out;
  char buffer[256];
  while (unsigned long code = ERR_get_error()) {
    ERR_error_string_n(code, buffer, sizeof buffer);
    out += (out.empty() ? "" : "; ") + std::string(buffer);
  }
  return out;
}

}  // namespace conform::traffic
