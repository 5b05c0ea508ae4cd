// httplib's clients read a response's status line, headers and chunk-size lines with no limit
// on their length: a server that sends header bytes without end grew conform's memory by
// gigabytes before any deadline ended the request. A capped client reads its socket (plain or
// TLS) through a stream that counts the bytes of each response and fails the read past a cap,
// which httplib reports as a read error; the caller then asks which cap was met.
//   auto client = NewCappedClient(/*tls=*/false, "127.0.0.1", 8080, {});
//   ResponseBudget& budget = BudgetOf(*client);
//   budget.Start();
//   request.response_handler = [&](const httplib::Response&) { budget.HeadComplete(); ... };
//   if (!client->send(request) && budget.met() == CapMet::kHead) { /* headers too large */ }
#pragma once

#include <httplib.h>

#include <cstddef>
#include <memory>
#include <string>

namespace conform::traffic::internal {

struct ReadCaps {
  size_t head_bytes = size_t{256} << 10;     // status line and headers, interim responses included
  size_t response_bytes = size_t{64} << 20;  // the whole response with its framing
};

enum class CapMet { kNone, kHead, kResponse };

// What the current response has read so far, against the caps. Used by the thread sending,
// one request at a time, like the client that owns it.
class ResponseBudget {
 public:
  explicit ResponseBudget(ReadCaps caps) : caps_(caps) {}
  // Before each request.
  void Start();
  // From the response handler: the final status line and headers are in.
  void HeadComplete() { head_complete_ = true; }
  // How many more bytes may be read; 0 records which cap was met.
  size_t Room();
  // Counts `bytes` just received at `data`.
  void Count(const char* data, size_t bytes);
  CapMet met() const { return met_; }
  size_t received() const { return received_; }
  // The response's first bytes (up to 32), to say what a server that is not HTTP sent.
  const std::string& first_bytes() const { return first_bytes_; }
  const ReadCaps& caps() const { return caps_; }

 private:
  ReadCaps caps_;
  size_t received_ = 0;
  std::string first_bytes_;
  bool head_complete_ = false;
  CapMet met_ = CapMet::kNone;
};

// An httplib client (SSLClient when `tls`) whose responses are read within `caps`.
std::unique_ptr<httplib::ClientImpl> NewCappedClient(bool tls, const std::string& host, int port,
                                                     ReadCaps caps);

// The budget of a client NewCappedClient made.
ResponseBudget& BudgetOf(httplib::ClientImpl& client);

}  // namespace conform::traffic::internal
