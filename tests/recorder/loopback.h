// Helpers for the recorder's loopback tests (STYLE T5): an upstream on 127.0.0.1 port 0 with a
// scope guard, a gate that releases blocked handlers when a test ends, a self-signed TLS
// identity, and a client for the session under test.
//   TestUpstream upstream([](httplib::Server& s) { s.Get("/x", handler); });
//   auto session = recorder::Session::Start({.cassette = path, .upstream = {{.url =
//   upstream.Url()}}});
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace conform::recorder::testing {

class TestUpstream {
 public:
  explicit TestUpstream(const std::function<void(httplib::Server&)>& routes,
                        std::unique_ptr<httplib::Server> server = nullptr)
      : server_(server ? std::move(server) : std::make_unique<httplib::Server>()) {
    routes(*server_);
    // Without it, Nagle + delayed ACK stall each reused connection by ~40 ms.
    server_->set_tcp_nodelay(true);
    server_->set_keep_alive_max_count(1000);
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!server_->is_running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
  }
  ~TestUpstream() {
    server_->stop();
    thread_.join();
  }
  TestUpstream(const TestUpstream&) = delete;
  TestUpstream& operator=(const TestUpstream&) = delete;

  bool Running() const { return server_->is_running() && port_ > 0; }
  int Port() const { return port_; }
  std::string Url(const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_);
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  int port_ = -1;
  std::thread thread_;
};

// Lets a blocked handler go when the test ends, whatever happens in between.
class Gate {
 public:
  ~Gate() { Open(); }
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }
  // Bounded: a handler never outlives a broken test by more than ten seconds.
  void Wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    opened_.wait_for(lock, std::chrono::seconds(10), [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

// A loopback port nothing listens on: bound, then released.
inline int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);  // never listened on: connecting is refused
  return port;
}

// A client for the session under test, with bounded timeouts.
inline std::unique_ptr<httplib::Client> ClientFor(const std::string& url) {
  auto client = std::make_unique<httplib::Client>(url);
  client->set_connection_timeout(std::chrono::seconds(10));
  client->set_read_timeout(std::chrono::seconds(30));
  client->set_tcp_nodelay(true);
  client->set_keep_alive(true);
  client->set_url_encode(false);  // send targets byte for byte, as written in the test
  return client;
}

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A self-signed certificate for 127.0.0.1, written as PEM for --ca-file.
struct SelfSigned {
  explicit SelfSigned(const std::filesystem::path& directory) {
    key = EVP_EC_gen("P-256");
    cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* san =
        X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, "IP:127.0.0.1");
    X509_add_ext(cert, san, -1);
    X509_EXTENSION_free(san);
    X509_sign(cert, key, EVP_sha256());
    pem_path = (directory / "ca.pem").string();
    if (std::FILE* file = std::fopen(pem_path.c_str(), "w")) {
      PEM_write_X509(file, cert);
      std::fclose(file);
    }
  }
  ~SelfSigned() {
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  SelfSigned(const SelfSigned&) = delete;
  SelfSigned& operator=(const SelfSigned&) = delete;

  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  std::string pem_path;
};

}  // namespace conform::recorder::testing
