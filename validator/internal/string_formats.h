// The string formats of JSON Schema (draft 7 / 2020-12 "Defined Formats") and OpenAPI that
// conform asserts besides date-time and date: each takes the value as its RFC writes it, no
// normalisation, no lookup.
//   IsUuid("3f2c9a1e-8b7d-4c2a-9e1f-0a1b2c3d4e5f");   // true
//   IsUri("developer.github.com");                     // false: no scheme
#pragma once

#include <string_view>

namespace conform::validator::internal {

// RFC 4122 (9562) text: 8-4-4-4-12 hex digits, either case; "urn:uuid:" before it too.
bool IsUuid(std::string_view value);

// RFC 5321 Mailbox in its common ASCII form: a dot-atom or quoted local part (at most 64
// octets), '@', then a hostname (IsHostname) or an address literal ("[192.0.2.1]",
// "[IPv6:2001:db8::1]").
bool IsEmail(std::string_view value);

// RFC 1123 hostname: dot-separated labels of 1-63 letters, digits and hyphens, no label starting
// or ending with a hyphen, at most 253 characters in all (one trailing dot allowed).
bool IsHostname(std::string_view value);

// RFC 791 dotted quad: four decimal numbers 0-255 without leading zeros.
bool IsIpv4(std::string_view value);

// RFC 4291 text form (compressed "::", embedded IPv4 tail); no zone id.
bool IsIpv6(std::string_view value);

// RFC 3986 URI: a scheme, ':', then only characters a URI may hold (unreserved, reserved,
// '%' with two hex digits).
bool IsUri(std::string_view value);

// RFC 3986 URI-reference: a URI or a relative reference (the same characters; a first
// segment holding ':' would be read as a scheme, so it must be a valid one).
bool IsUriReference(std::string_view value);

// RFC 4648 base64 ("byte" in OpenAPI): groups of four of A-Z a-z 0-9 + /, '=' padding only at
// the end.
bool IsBase64(std::string_view value);

// RFC 3339 Appendix A duration as JSON Schema (2019-09 on) takes it: "P", then years, months,
// days in that order, then "T" and hours, minutes, seconds; or weeks alone. Each component is
// whole digits and optional, but at least one is given and "T" is followed by one. As
// ajv-formats, components may be skipped ("P1Y1D"); no fractions ("PT0.5S").
bool IsDuration(std::string_view value);

// RFC 6901 JSON Pointer: empty, or '/'-prefixed tokens where '~' is only "~0" or "~1".
bool IsJsonPointer(std::string_view value);

// Relative JSON Pointer (draft-bhutton-relative-json-pointer-00): a non-negative integer
// without leading zeros, an optional "+N" or "-N" index shift, then '#' or a JSON Pointer.
bool IsRelativeJsonPointer(std::string_view value);

// RFC 6570 URI Template: literals (no space, quotes, '<', '>', '\', '^', '`', '|', '%' only
// as %XX) and expressions "{" [operator] varname [":" 1-9999 | "*"] *("," ...) "}".
bool IsUriTemplate(std::string_view value);

}  // namespace conform::validator::internal
