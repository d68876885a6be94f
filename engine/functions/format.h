#pragma once
// format(formatstr text [, args "any" ...]) as PostgreSQL 15's text_format: the format string
// copied with each conversion specifier replaced by an argument's text.
//
//   %[argpos$][-...][width | * | *argpos$]type     type: s (as text), I (quote_ident),
//                                                   L (quote_literal); %% is one %
//
// Arguments are taken in turn from the first after the format string; `n$` picks the nth (and
// the next unnumbered one is then n+1). `*` takes the width from an argument (NULL: 0; negative:
// left-aligned, as the - flag). Width counts characters; padding is spaces. A NULL argument is
// empty for %s, NULL for %L and 22004 for %I; a NULL format string gives NULL. Malformed formats
// are 22023 with PostgreSQL's messages and hints ("unterminated format() type specifier",
// "unrecognized format() type specifier "x"", "too few arguments for format()", argument 0,
// "width argument position must be ended by "$""); positions or widths past INT32_MAX are 22003.

#include "common/error.h"
#include "engine/functions/builtin.h"
#include "engine/value.h"

namespace sqlrite::engine::functions {

// REQUIRES: args.values.size() >= 1, argument 0 of type text (or NULL).
Result<Datum> Format(const CallArgs& args);

}  // namespace sqlrite::engine::functions
