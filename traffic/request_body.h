// Reading the body of every request a cpp-httplib 0.11.4 server receives, as it was sent.
// httplib reads no body for GET, HEAD or OPTIONS (the bytes would stay on the connection and
// be parsed as the next request), none sent chunked with DELETE, and parses a multipart body
// into Request::files, leaving Request::body empty. A server that must see every body (the
// reference server counts it against its limit, the recorder forwards and records it) routes
// each request that declares one as a POST with no Content-Type, and puts the request back
// as sent before handling it:
//   server.set_pre_routing_handler([](const httplib::Request& r, httplib::Response&) {
//     auto& request = const_cast<httplib::Request&>(r);  // httplib's own local, not const
//     if (DeclaresBody(request)) RouteBodyAsPost(request);
//     return httplib::Server::HandlerResponse::Unhandled;
//   });
//   server.Post(".*", [](const httplib::Request& r, httplib::Response& response) {
//     RestoreAsSent(const_cast<httplib::Request&>(r)); ... });
#pragma once

namespace httplib {
struct Request;
}  // namespace httplib

namespace conform::traffic {

// Whether the request says a body follows: a Transfer-Encoding, or a Content-Length other
// than 0 (a malformed one included: httplib's body reader refuses it).
bool DeclaresBody(const httplib::Request& request);

// Files the method (unless POST) and the Content-Type under names no client can send (they
// hold a colon), and makes the request a POST, so httplib reads its body as bytes.
void RouteBodyAsPost(httplib::Request& request);

// Undoes RouteBodyAsPost; does nothing to a request it did not touch.
void RestoreAsSent(httplib::Request& request);

}  // namespace conform::traffic
