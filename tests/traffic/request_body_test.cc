#include "traffic/request_body.h"

#include <httplib.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace conform::traffic {
namespace request_body_test {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs HeadersOf(const httplib::Request& request) {
  return Pairs(request.headers.begin(), request.headers.end());
}

httplib::Request WithHeaders(std::string method, const Pairs& headers) {
  httplib::Request request;
  request.method = std::move(method);
  for (const auto& [name, value] : headers) {
    request.headers.emplace(name, value);
  }
  return request;
}

TEST(RequestBody, DeclaredByATransferEncodingOrANonZeroContentLength) {
  EXPECT_TRUE(DeclaresBody(WithHeaders("GET", {{"Content-Length", "7"}})));
  EXPECT_TRUE(DeclaresBody(WithHeaders("GET", {{"transfer-encoding", "chunked"}})));
  EXPECT_TRUE(DeclaresBody(WithHeaders("GET", {{"Content-Length", "x"}})));
  EXPECT_TRUE(DeclaresBody(WithHeaders("GET", {{"Content-Length", "0"}, {"Content-Length", "0"}})));
  EXPECT_FALSE(DeclaresBody(WithHeaders("GET", {{"Content-Length", "0"}})));
  EXPECT_FALSE(DeclaresBody(WithHeaders("POST", {{"Host", "x"}})));
}

TEST(RequestBody, RoutedAsAPostWithoutContentTypeThenRestoredAsSent) {
  // Names on both sides of the set-aside ones in the map's order, and a repeated
  // Content-Type, whose order must survive.
  const Pairs sent = {{"Accept", "*/*"},
                      {"Content-Type", "multipart/form-data; boundary=b"},
                      {"Content-Type", "second"},
                      {"Host", "example.com"},
                      {"Content-Length", "12"}};
  for (std::string method : {"GET", "HEAD", "OPTIONS", "DELETE", "POST"}) {
    httplib::Request request = WithHeaders(method, sent);
    const Pairs before = HeadersOf(request);
    RouteBodyAsPost(request);
    EXPECT_EQ(request.method, "POST");
    EXPECT_FALSE(request.has_header("Content-Type")) << method;
    EXPECT_FALSE(request.is_multipart_form_data()) << method;
    RestoreAsSent(request);
    EXPECT_EQ(request.method, method);
    EXPECT_EQ(HeadersOf(request), before) << method;
  }
  // Restoring a request that was not touched changes nothing.
  httplib::Request plain = WithHeaders("GET", {{"Zeta", "1"}, {"Content-Type", "a"}});
  RestoreAsSent(plain);
  EXPECT_EQ(plain.method, "GET");
  EXPECT_EQ(HeadersOf(plain), (Pairs{{"Content-Type", "a"}, {"Zeta", "1"}}));
}

}  // namespace
}  // namespace request_body_test
}  // namespace conform::traffic
