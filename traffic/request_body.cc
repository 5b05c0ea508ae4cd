#include "traffic/request_body.h"

#include <httplib.h>

#include <string>
#include <utility>
#include <vector>

namespace conform::traffic {
namespace {

constexpr const char* kSetAsideMethod = "conform:method";
constexpr const char* kSetAsideContentType = "conform:content-type";

// Files every header `from` under `to`, in order. The values are taken out first: a header
// inserted while its name's range is walked may land inside the walk, which then never ends.
void Rename(httplib::Request& request, const char* from, const char* to) {
  auto [first, last] = request.headers.equal_range(from);
  std::vector<std::string> values;
  for (auto it = first; it != last; ++it) {
    values.push_back(std::move(it->second));
  }
  request.headers.erase(first, last);
  for (std::string& value : values) {
    request.headers.emplace(to, std::move(value));
  }
}

}  // namespace

bool DeclaresBody(const httplib::Request& request) {
  if (request.has_header("Transfer-Encoding")) {
    return true;
  }
  return request.has_header("Content-Length") &&
         (request.get_header_value_count("Content-Length") != 1 ||
          request.get_header_value("Content-Length") != "0");
}

void RouteBodyAsPost(httplib::Request& request) {
  if (request.method != "POST") {
    request.headers.emplace(kSetAsideMethod, request.method);
    request.method = "POST";
  }
  Rename(request, "Content-Type", kSetAsideContentType);
}

void RestoreAsSent(httplib::Request& request) {
  if (request.has_header(kSetAsideMethod)) {
    request.method = request.get_header_value(kSetAsideMethod);
    request.headers.erase(kSetAsideMethod);
  }
  Rename(request, kSetAsideContentType, "Content-Type");
}

}  // namespace conform::traffic
