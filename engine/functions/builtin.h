#pragma once
// The registry of built-in scalar functions (PostgreSQL's pg_proc, cut down to what the engine
// implements): each overload with its parameter types, result type and implementation, and the
// resolution of a call by name and argument types under PostgreSQL's rules ("Function Type
// Resolution" in the manual: exact matches, then implicit casts, then preferred types, then the
// string category for unknown literals; a tie is 42725).
//
// Adding a function is one entry in a table (string_functions.cc, math_functions.cc) and its
// implementation beside it; the binder and evaluator never name individual functions. The older
// special cases in engine/expression.cc (lower, upper, length, abs, the rounding family) are
// bound before this registry is consulted and move here as they are touched.

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/types.h"
#include "engine/value.h"

namespace sqlrite::engine::functions {

// A call's evaluated arguments and their types (after the binder's coercions: each fixed
// parameter has exactly its declared type; a variadic "any" argument keeps its own).
struct CallArgs {
  std::span<const Datum> values;
  std::span<const SqlType> types;
};
using Impl = Result<Datum> (*)(const CallArgs& args);

// The rows of a set-returning function's call (generate_series, unnest), one value at a time:
// Next gives true with the next value in out, false at the end. A generator owns what it needs
// of the call's arguments.
class RowGenerator {
 public:
  virtual ~RowGenerator() = default;
  virtual Result<bool> Next(Datum& out) = 0;
};
using SetImpl = Result<std::unique_ptr<RowGenerator>> (*)(const CallArgs& args);

struct Builtin {
  std::string_view name;
  std::array<TypeId, 7> params{};
  uint8_t nparams = 0;
  // After the fixed parameters, any number of arguments of any type (PostgreSQL's
  // `VARIADIC "any"`, as concat and concat_ws declare it); at least min_variadic of them.
  bool variadic_any = false;
  uint8_t min_variadic = 0;
  TypeId result = TypeId::kText;
  int32_t result_typmod = -1;  // a record's shape (engine/record_type.h)
  // result kArray: its element type. Polymorphic entries take kAnyArray / kAnyElement as
  // parameter and result types: the binder resolves them from the arguments (the array
  // argument's element type, else an element argument's type) as PostgreSQL's polymorphism.
  TypeId result_elem = TypeId::kUnknown;
  Impl impl = nullptr;
  // NULL in any argument gives NULL without calling impl (PostgreSQL's proisstrict).
  bool strict = true;
  // Gives a new value on each call or changes something (PostgreSQL's provolatile 'v': random,
  // nextval): never folded into a constant by the binder.
  bool is_volatile = false;
  // Constant arguments give a constant result the binder may fold (PostgreSQL's immutable and
  // the stable functions of a single statement's planning). false: computed each time it is
  // evaluated (now(), which depends on the transaction, and a kept prepared plan outlives it).
  bool foldable = true;
  // Reads the statement's catalog (engine/catalog/system_source.h): binding a call makes the
  // statement build its system source, which its pipeline then keeps.
  bool reads_catalog = false;
  // A set-returning function (PostgreSQL's proretset): its rows come from set_impl, and only a
  // FROM item or a select list may call it (engine/exec/function_scan.h, project_set.h);
  // `result` is each row's type.
  SetImpl set_impl = nullptr;
};

// A registry entry of fixed parameters, strict (the families' tables are lists of these).
Builtin Fn(std::string_view name, std::initializer_list<TypeId> params, TypeId result, Impl impl);

// b as a function that reads the catalog of the statement: never folded (a kept plan outlives the
// moment).
inline Builtin Stable(Builtin b) {
  b.foldable = false;
  b.reads_catalog = true;
  return b;
}

// A set-returning function's entry (set_impl; never folded, refused outside FROM).
Builtin SetFn(std::string_view name, std::initializer_list<TypeId> params, TypeId result,
              SetImpl impl);

// The result of resolving a call: the overload, or none (42883 for the caller), or ambiguous
// (42725 "function f(unknown) is not unique").
struct Resolution {
  const Builtin* fn = nullptr;
  bool ambiguous = false;
};
Resolution Resolve(std::string_view name, std::span<const TypeId> arg_types);

// Whether `from` converts to `to` implicitly (pg_cast's castcontext 'i' among the engine's types).
bool ImplicitlyCastable(TypeId from, TypeId to);

// Every overload, in registration order (tests; a future pg_proc).
const std::vector<Builtin>& AllBuiltins();
// The entries of one name, in registry order (empty: no such function). Thread-safe; the span
// lives as long as the program.
std::span<const Builtin* const> BuiltinsNamed(std::string_view name);

// The tables the registry is built from, one per family of functions.
void AddStringFunctions(std::vector<Builtin>& out);
void AddMathFunctions(std::vector<Builtin>& out);
void AddSequenceFunctions(std::vector<Builtin>& out);
void AddDateTimeFunctions(std::vector<Builtin>& out);
// The array functions (anyarray), and readers of the catalogs' array columns kept as text in
// array output form (array_functions.cc).
void AddArrayFunctions(std::vector<Builtin>& out);
// The POSIX regular expression operators' functions (regex_functions.cc).
void AddRegexFunctions(std::vector<Builtin>& out);
// The system catalog functions (engine/catalog/catalog_functions.cc).
void AddCatalogFunctions(std::vector<Builtin>& out);
// set_config, acldefault, pg_get_viewdef, ... (engine/catalog/dump_functions.cc): last, so that
// the other families' pg_proc oids stay as they were.
void AddDumpFunctions(std::vector<Builtin>& out);
// has_database_privilege, pg_database_size (engine/catalog/database_functions.cc): after the
// dump functions, so that the other families' pg_proc oids stay as they were.
void AddDatabaseFunctions(std::vector<Builtin>& out);
// obj_description and the like (engine/catalog/descriptions.cc), called by AddCatalogFunctions.
void AddDescriptionFunctions(std::vector<Builtin>& out);
// The set-returning functions: generate_series, unnest (set_functions.cc).
void AddSetFunctions(std::vector<Builtin>& out);
// json and jsonb's operators and functions (json_functions.cc).
void AddJsonFunctions(std::vector<Builtin>& out);
// The math operators (^ |/ ||/ @) and the functions of float.c and numeric.c beyond
// AddMathFunctions' (numeric_functions.cc): after the others, so that their pg_proc oids stay.
void AddNumericFunctions(std::vector<Builtin>& out);
// row_to_json (record_functions.cc): after the others, so that their pg_proc oids stay.
void AddRecordFunctions(std::vector<Builtin>& out);
// The families registered last, so that the pg_proc oids of the others stay as they were:
// to_char of the numeric types and to_number (formatting_functions.cc); regexp_matches,
// regexp_split_to_table, regexp_instr, regexp_substr and substring(text, pattern)
// (regex_functions.cc); string_to_table
// and generate_subscripts (text_set_functions.cc); btrim / ltrim / rtrim of bytea, parse_ident,
// unistr, quote_literal(anyelement) (string_more_functions.cc).
void AddFormattingFunctions(std::vector<Builtin>& out);
void AddRegexSetFunctions(std::vector<Builtin>& out);
void AddTextSetFunctions(std::vector<Builtin>& out);
void AddMoreStringFunctions(std::vector<Builtin>& out);
// Registered after all of those: the integer types' shifts << >> (math_functions.cc), and
// setseed and pg_backend_pid, which read or change the session (sequence_functions.cc).
void AddShiftOperators(std::vector<Builtin>& out);
void AddSessionFunctions(std::vector<Builtin>& out);
// bit and bit varying's operators and functions (bit_functions.cc): last of all.
void AddBitFunctions(std::vector<Builtin>& out);

}  // namespace sqlrite::engine::functions
