// The properties of conform fuzz: each is named after the invariant it checks (users pass the
// name to --property) and judges with the shared oracles of validator/list_oracles.h, the same
// functions conform check uses. Every response is also judged on its own (schema, status,
// Content-Type, error shape, no 5xx, no credential in clear).
//   for (const fuzz::PropertyInfo& p : fuzz::AllProperties()) { std::cout << p.name << "\n"; }
//   const fuzz::PropertyInfo* walk = fuzz::FindProperty("walk_matches_reference");
#pragma once

#include <string_view>
#include <vector>

namespace conform::fuzz {

enum class PropertyNeeds {
  kAnyTarget,
  kEmbeddedStore,  // creates and deletes jobs: the embedded reference server only
};

struct PropertyInfo {
  std::string_view name;       // "walk_matches_reference"
  std::string_view invariant;  // one sentence
  std::string_view checks;     // check ids it reports (docs/checks.md), comma-separated
  PropertyNeeds needs = PropertyNeeds::kAnyTarget;
};

// Every property, in the order a run checks them.
const std::vector<PropertyInfo>& AllProperties();
// nullptr for an unknown name.
const PropertyInfo* FindProperty(std::string_view name);

// The check ids every response is judged by, whichever property sent the request.
inline constexpr std::string_view kEveryResponseChecks =
    "response.* (status, Content-Type, body, schema, read mask, error shape), response.no_5xx, "
    "secrets.credential_in_clear";

}  // namespace conform::fuzz
