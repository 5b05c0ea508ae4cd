// CONFORM_CHECK(cond): an invariant of our own code. It aborts with file:line when broken and
// must never fire on input, however bad: input errors are Result values (STYLE E1c).
//   CONFORM_CHECK(!pages.empty());
#pragma once

#include <cstdio>
#include <cstdlib>

#define CONFORM_CHECK(cond)                                                             \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "conform: internal invariant broken at %s:%d: %s\n", __FILE__, \
                   __LINE__, #cond);                                                    \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)
