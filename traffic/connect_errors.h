// One-line explanations of why a connection failed, shared by the HTTP client and the recording
// proxy's upstream side. httplib reports "connection failed" without the errno; these ask again.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace conform::traffic {

// Why `host:port` could not be reached: "connection refused to 127.0.0.1:9", "connect to h:443
// timed out", "could not resolve host h (...)". `peer` names the other side in the message
// ("upstream" gives "connection refused to upstream 127.0.0.1:9"). Makes one blocking connect
// attempt bounded by `timeout` that sends nothing: call it on the failure path only.
std::string DiagnoseConnect(const std::string& host, int port, std::chrono::milliseconds timeout,
                            std::string_view peer = "");

// The OpenSSL error queue of this thread, joined with "; " and emptied.
std::string OpenSslErrors();

}  // namespace conform::traffic
