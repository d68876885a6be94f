#include "engine/session.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <optional>
#include <vector>

#include "common/assert.h"
#include "engine/types/interval.h"
#include "engine/types/time_zone.h"

namespace sqlrite::engine {
namespace {

struct Param {
  const char* name;  // canonical spelling, as SHOW titles its column
  const char* default_value;
  bool read_only;
  bool reported;  // sent as ParameterStatus when changed (GUC_REPORT)
};

constexpr Param kParams[] = {
    {"application_name", "", false, true},
    // How bytea prints as text (engine/types/bytea.h): hex or escape.
    {"bytea_output", "hex", false, false},
    // check_function_bodies, client_min_messages, default_table_access_method,
    // default_tablespace and xmloption are what a restore of pg_dump's output sets: kept and
    // shown, with nothing of the engine's depending on them (no function bodies, no XML, one
    // access method and no tablespaces; NOTICEs go to the client whatever client_min_messages
    // says).
    {"check_function_bodies", "on", false, false},
    {"client_encoding", "UTF8", false, true},
    {"client_min_messages", "notice", false, false},
    {"DateStyle", "ISO, MDY", false, true},
    {"default_table_access_method", "heap", false, false},
    {"default_tablespace", "", false, false},
    {"default_transaction_deferrable", "off", false, false},
    {"default_transaction_isolation", "read committed", false, false},
    {"default_transaction_read_only", "off", false, true},
    {"extra_float_digits", "1", false, false},
    {"hash_mem_multiplier", "2", false, false},
    {"idle_in_transaction_session_timeout", "0", false, false},
    {"in_hot_standby", "off", true, true},
    {"integer_datetimes", "on", true, true},
    {"IntervalStyle", "postgres", false, true},
    {"is_superuser", "on", true, true},
    {"lock_timeout", "0", false, false},
    {"maintenance_work_mem", "64MB", false, false},
    {"max_connections", "100", true, false},
    // Compile-time limits of PostgreSQL's build that drivers read (pgjdbc's getMaxIndexKeys).
    {"max_identifier_length", "63", true, false},
    {"max_index_keys", "32", true, false},
    // pg_dump turns row_security and synchronize_seqscans off; the engine has neither row
    // security nor synchronized scans, so either value changes nothing.
    {"row_security", "on", false, false},
    {"search_path", "\"$user\", public", false, false},
    {"server_encoding", "UTF8", true, true},
    {"server_version", "15.0", true, true},
    {"server_version_num", "150000", true, false},
    {"session_authorization", "", true, true},
    {"standard_conforming_strings", "on", false, true},
    {"statement_timeout", "0", false, false},
    {"synchronize_seqscans", "on", false, false},
    {"temp_file_limit", "-1", false, false},
    {"TimeZone", "Etc/UTC", false, true},
    {"transaction_deferrable", "off", false, false},
    {"transaction_isolation", "read committed", false, false},
    {"transaction_read_only", "off", false, false},
    {"work_mem", "4MB", false, false},
    {"xmloption", "content", false, false},
};

// The parameters of the current transaction: outside a block they read as their default_
// parameter (the next transaction's), and RESET ALL leaves them alone (GUC_NO_RESET_ALL).
bool IsTransactionParameter(std::string_view lower) {
  return lower == "transaction_isolation" || lower == "transaction_read_only" ||
         lower == "transaction_deferrable";
}

// PostgreSQL's parse_bool: on/off, true/false, yes/no, 1/0 and unique prefixes of them.
std::optional<bool> ParseBool(std::string_view lower) {
  if (lower.empty()) return std::nullopt;
  auto prefix_of = [&](std::string_view word, size_t min_len) {
    return lower.size() >= min_len && word.substr(0, lower.size()) == lower;
  };
  if (prefix_of("true", 1) || prefix_of("yes", 1) || lower == "1" || prefix_of("on", 2)) {
    return true;
  }
  if (prefix_of("false", 1) || prefix_of("no", 1) || lower == "0" || prefix_of("off", 2)) {
    return false;
  }
  return std::nullopt;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Looked up by every SET, and by BEGIN and COMMIT through them: no copies of the name.
const Param* FindParam(std::string_view name) {
  for (const Param& p : kParams) {
    if (EqualsIgnoringCase(p.name, name)) return &p;
  }
  return nullptr;
}

// kParams' names in lower case (values_' keys), by index into kParams.
const std::vector<std::string>& LowerNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> out;
    for (const Param& p : kParams) out.push_back(Lower(p.name));
    return out;
  }();
  return kNames;
}

const std::string& LowerName(const Param& p) {
  return LowerNames()[static_cast<size_t>(&p - kParams)];
}

tl::unexpected<Error> Unrecognized(std::string_view name) {
  return Fail(sqlstate::kUndefinedObject,
              "unrecognized configuration parameter \"" + std::string(name) + "\"");
}

tl::unexpected<Error> InvalidValue(std::string_view name, std::string_view value) {
  return Fail(
      sqlstate::kInvalidParameterValue,
      "invalid value for parameter \"" + std::string(name) + "\": \"" + std::string(value) + "\"");
}

bool IsInteger(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// PostgreSQL's parse_int for a setting in kB (work_mem, temp_file_limit): an integer (any base
// strtol reads) or a decimal number, rounded, with an optional unit among B, kB, MB, GB, TB
// (case-sensitive, blanks allowed before it). nullopt with *hint set or empty as guc.c words it.
std::optional<double> ParseKilobytes(std::string_view value, std::string* hint) {
  const std::string text(value);
  const char* start = text.c_str();
  char* end = nullptr;
  errno = 0;
  auto v = static_cast<double>(std::strtol(start, &end, 0));
  if (*end == '.' || *end == 'e' || *end == 'E' || errno == ERANGE) {
    errno = 0;
    v = std::strtod(start, &end);
  }
  if (end == start || errno == ERANGE || std::isnan(v)) return std::nullopt;
  while (std::isspace(static_cast<unsigned char>(*end))) ++end;
  if (*end != '\0') {
    std::string unit(end);
    while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.back()))) unit.pop_back();
    // The units and their sizes in kB; a fractional amount rounds to the next smaller unit.
    static constexpr struct {
      const char* unit;
      double kb;
    } kUnits[] = {{"TB", 1024.0 * 1024 * 1024},
                  {"GB", 1024.0 * 1024},
                  {"MB", 1024.0},
                  {"kB", 1.0},
                  {"B", 1.0 / 1024}};
    bool found = false;
    for (size_t i = 0; i < std::size(kUnits); ++i) {
      if (unit != kUnits[i].unit) continue;
      v *= kUnits[i].kb;
      if (i + 1 < std::size(kUnits)) v = std::rint(v / kUnits[i + 1].kb) * kUnits[i + 1].kb;
      found = true;
      break;
    }
    if (!found) {
      *hint = R"(Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".)";
      return std::nullopt;
    }
  }
  v = std::rint(v);
  if (v > std::numeric_limits<int32_t>::max() || v < std::numeric_limits<int32_t>::min()) {
    *hint = "Value exceeds integer range.";
    return std::nullopt;
  }
  return v;
}

// How PostgreSQL shows a kB setting: in the largest unit that divides it ("4MB", "1536kB").
std::string ShowKilobytes(int64_t kb) {
  if (kb <= 0) return std::to_string(kb);
  static constexpr struct {
    const char* unit;
    int64_t kb;
  } kUnits[] = {{"TB", int64_t{1} << 30}, {"GB", int64_t{1} << 20}, {"MB", 1024}, {"kB", 1}};
  for (const auto& u : kUnits) {
    if (kb % u.kb == 0) return std::to_string(kb / u.kb) + u.unit;
  }
  return std::to_string(kb) + "kB";
}

// "%g", as PostgreSQL shows a real setting.
std::string ShowReal(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// Validates and normalises value for p.
// DateStyle as PostgreSQL's check_datestyle reads it: comma- or space-separated key words, an
// output style (ISO, Postgres, SQL, German) and an input order (YMD, DMY or EURO[PEAN], MDY or
// US or NONEURO[PEAN]), either of which may be left out (the current one stays; German alone
// also means DMY), DEFAULT for the boot value's; shown as "Style, ORDER".
Result<std::string> NormalizeDateStyle(std::string_view value, std::string_view current) {
  auto invalid = [&](std::string detail) -> Result<std::string> {
    return Fail(Error(sqlstate::kInvalidParameterValue,
                      R"(invalid value for parameter "DateStyle": ")" + std::string(value) + "\"")
                    .WithDetail(std::move(detail)));
  };
  const size_t comma = current.find(',');
  std::string style(current.substr(0, comma));
  std::string order(comma == std::string_view::npos ? "MDY" : current.substr(comma + 2));
  bool have_style = false;
  bool have_order = false;
  const std::string conflict = "Conflicting \"datestyle\" specifications.";
  size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() &&
           (value[i] == ',' || std::isspace(static_cast<unsigned char>(value[i]))))
      ++i;
    size_t end = i;
    while (end < value.size() && value[end] != ',' &&
           !std::isspace(static_cast<unsigned char>(value[end])))
      ++end;
    if (end == i) break;
    const std::string word(value.substr(i, end - i));
    const std::string tok = Lower(word);
    i = end;
    auto set_style = [&](const char* s) {
      if (have_style && style != s) return false;
      style = s;
      have_style = true;
      return true;
    };
    auto set_order = [&](const char* o) {
      if (have_order && order != o) return false;
      order = o;
      have_order = true;
      return true;
    };
    bool ok = true;
    if (tok == "iso") {
      ok = set_style("ISO");
    } else if (tok == "sql") {
      ok = set_style("SQL");
    } else if (tok.rfind("postgres", 0) == 0) {
      ok = set_style("Postgres");
    } else if (tok == "german") {
      ok = set_style("German");
      if (!have_order) order = "DMY";
    } else if (tok == "ymd") {
      ok = set_order("YMD");
    } else if (tok == "dmy" || tok.rfind("euro", 0) == 0) {
      ok = set_order("DMY");
    } else if (tok == "mdy" || tok == "us" || tok.rfind("noneuro", 0) == 0) {
      ok = set_order("MDY");
    } else if (tok == "default") {
      if (!have_style) style = "ISO";
      if (!have_order) order = "MDY";
    } else {
      return invalid("Unrecognized key word: \"" + word + "\".");
    }
    if (!ok) return invalid(conflict);
  }
  return style + ", " + order;
}

Result<std::string> Normalize(const Param& p, std::string_view value) {
  const std::string& name = LowerName(p);
  std::string lower = Lower(value);
  if (name == "work_mem" || name == "temp_file_limit" || name == "maintenance_work_mem") {
    std::string hint;
    std::optional<double> kb = ParseKilobytes(value, &hint);
    if (!kb) {
      Error e = InvalidValue(p.name, value).value();
      if (!hint.empty()) e.hint = hint;
      return Fail(std::move(e));
    }
    const int64_t min = name == "work_mem" ? 64 : name == "maintenance_work_mem" ? 1024 : -1;
    const int64_t max = std::numeric_limits<int32_t>::max();
    const auto v = static_cast<int64_t>(*kb);
    if (v < min || v > max) {
      return Fail(sqlstate::kInvalidParameterValue,
                  std::to_string(v) + " kB is outside the valid range for parameter \"" + name +
                      "\" (" + std::to_string(min) + " .. " + std::to_string(max) + ")");
    }
    return ShowKilobytes(v);
  }
  if (name == "hash_mem_multiplier") {
    // parse_real: a number strtod reads, blanks around it, no unit.
    const std::string text(value);
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    while (end != nullptr && std::isspace(static_cast<unsigned char>(*end))) ++end;
    if (end == text.c_str() || errno == ERANGE || *end != '\0' || std::isnan(v)) {
      return InvalidValue(p.name, value);
    }
    if (v < 1.0 || v > 1000.0) {
      return Fail(
          sqlstate::kInvalidParameterValue,
          ShowReal(v) + " is outside the valid range for parameter \"" + name + "\" (1 .. 1000)");
    }
    return ShowReal(v);
  }
  if (name == "client_encoding") {
    if (lower == "utf8" || lower == "utf-8" || lower == "unicode") return std::string("UTF8");
    return InvalidValue(p.name, value);
  }
  if (name == "extra_float_digits") {
    if (!IsInteger(value)) {
      return Fail(
          sqlstate::kInvalidParameterValue,
          R"(invalid value for parameter "extra_float_digits": ")" + std::string(value) + "\"");
    }
    return std::string(value);
  }
  if (name == "statement_timeout" || name == "lock_timeout" ||
      name == "idle_in_transaction_session_timeout") {
    std::string_view digits = value;
    while (!digits.empty() && std::isalpha(static_cast<unsigned char>(digits.back()))) {
      digits.remove_suffix(1);
    }
    std::string unit = Lower(value.substr(digits.size()));
    while (!digits.empty() && digits.back() == ' ') digits.remove_suffix(1);
    if (!IsInteger(digits) || digits[0] == '-') return InvalidValue(p.name, value);
    if (!unit.empty() && unit != "us" && unit != "ms" && unit != "s" && unit != "min" &&
        unit != "h" && unit != "d") {
      Error e = InvalidValue(p.name, value).value();
      e.hint =
          "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", "
          "and \"d\".";
      return Fail(std::move(e));
    }
    return std::string(value);
  }
  if (name == "transaction_isolation" || name == "default_transaction_isolation") {
    if (lower == "serializable" || lower == "repeatable read" || lower == "read committed" ||
        lower == "read uncommitted") {
      return lower;
    }
    Error e = InvalidValue(p.name, value).value();
    e.hint = "Available values: serializable, repeatable read, read committed, read uncommitted.";
    return Fail(std::move(e));
  }
  if (name == "transaction_read_only" || name == "default_transaction_read_only" ||
      name == "transaction_deferrable" || name == "default_transaction_deferrable" ||
      name == "row_security" || name == "synchronize_seqscans" || name == "check_function_bodies") {
    std::optional<bool> b = ParseBool(lower);
    if (!b) {
      return Fail(sqlstate::kInvalidParameterValue,
                  "parameter \"" + std::string(p.name) + "\" requires a Boolean value");
    }
    return std::string(*b ? "on" : "off");
  }
  if (name == "standard_conforming_strings") {
    if (lower == "on" || lower == "true" || lower == "1") return std::string("on");
    if (lower == "off" || lower == "false" || lower == "0") {
      return Fail(sqlstate::kFeatureNotSupported, "non-standard string literals are not supported");
    }
    return Fail(sqlstate::kInvalidParameterValue,
                "parameter \"standard_conforming_strings\" requires a Boolean value");
  }
  if (name == "bytea_output") {
    // An enum setting: its values in any case, shown in lower case.
    if (lower == "hex" || lower == "escape") return lower;
    Error e = InvalidValue(p.name, value).value();
    e.hint = "Available values: escape, hex.";
    return Fail(std::move(e));
  }
  if (name == "client_min_messages" || name == "xmloption") {
    static constexpr std::string_view kLevels[] = {
        "debug5", "debug4", "debug3", "debug2", "debug1", "log", "notice", "warning", "error"};
    static constexpr std::string_view kXml[] = {"content", "document"};
    const bool levels = name == "client_min_messages";
    const auto begin = levels ? std::begin(kLevels) : std::begin(kXml);
    const auto end = levels ? std::end(kLevels) : std::end(kXml);
    if (std::find(begin, end, lower) != end) return lower;
    Error e = InvalidValue(p.name, value).value();
    e.hint = levels ? "Available values: debug5, debug4, debug3, debug2, debug1, log, notice, "
                      "warning, error."
                    : "Available values: content, document.";
    return Fail(std::move(e));
  }
  if (name == "default_table_access_method") {
    if (value == "heap") return std::string(value);
    Error e = InvalidValue(p.name, value).value();
    e.detail = "Table access method \"" + std::string(value) + "\" does not exist.";
    return Fail(std::move(e));
  }
  if (name == "default_tablespace") {
    if (value.empty() || value == "pg_default") return std::string(value);
    Error e = InvalidValue(p.name, value).value();
    e.detail = "Tablespace \"" + std::string(value) + "\" does not exist.";
    return Fail(std::move(e));
  }
  if (name == "timezone") {
    // A tzdata name (spelled as its file is), UTC/GMT, a number of hours east, or a POSIX
    // zone without DST ('UTC+3'); SHOW prints the zone's own name.
    std::string hours;  // INTERVAL '...' (SET TIME ZONE INTERVAL): that many hours east
    if (lower.rfind("interval", 0) == 0) {
      const size_t open = value.find('\'');
      const size_t close = value.rfind('\'');
      if (open == std::string_view::npos || close <= open) return InvalidValue(p.name, value);
      Result<Interval> iv = interval::Parse(value.substr(open + 1, close - open - 1));
      if (!iv) return Fail(std::move(iv.error()));
      if (iv->month != 0 || iv->day != 0) {
        // PostgreSQL names the value as its flattening printed it (interval_out).
        std::string shown = "INTERVAL '";
        interval::AppendText(shown, *iv);
        Error error = InvalidValue(p.name, shown + "'").value();
        error.detail = std::string("Cannot specify ") + (iv->month != 0 ? "months" : "days") +
                       " in time zone interval.";
        return Fail(std::move(error));
      }
      const int64_t whole_seconds = iv->time / 1000000;  // whole seconds, as before
      hours = std::to_string(static_cast<double>(whole_seconds) / 3600.0);
      value = hours;
    }
    std::shared_ptr<const tz::TimeZone> zone = tz::Find(value);
    if (!zone) return InvalidValue(p.name, value);
    return zone->name();
  }
  return std::string(value);
}

}  // namespace

Session::Session(std::string user, Database& db) : user_(std::move(user)), db_(&db) {
  for (const Param& p : kParams) values_.emplace(Lower(p.name), p.default_value);
  values_["session_authorization"] = user_;
  auto node = [this](std::string_view name) {
    auto it = values_.find(name);
    SQLRITE_ASSERT(it != values_.end());
    return it;
  };
  for (std::string_view name :
       {"search_path", "lock_timeout", "statement_timeout", "default_transaction_read_only",
        "default_transaction_isolation", "default_transaction_deferrable", "work_mem",
        "temp_file_limit", "hash_mem_multiplier"}) {
    auto it = node(name);
    hot_.push_back({it->first, &it->second});
  }
  for (std::string_view mode :
       {"transaction_read_only", "transaction_isolation", "transaction_deferrable"}) {
    auto it = node(mode);
    hot_.push_back(
        {it->first, &it->second, &node(std::string("default_") + std::string(mode))->second});
  }
  SyncTimeZone();
  datetime_.transaction_start = datetime_.statement_start = ClockTimestamp();
}

void Session::SyncTimeZone() {
  auto it = values_.find("timezone");
  std::shared_ptr<const tz::TimeZone> zone = it == values_.end() ? nullptr : tz::Find(it->second);
  datetime_.zone = zone ? std::move(zone) : tz::Utc();
}

void Session::SyncByteaOutput() {
  locals_->bytea_output_escape.store(View("bytea_output") == "escape", std::memory_order_relaxed);
}

std::shared_ptr<SessionLocals> LocalsOf(const SessionState& state) {
  const auto* session = dynamic_cast<const Session*>(&state);
  return session != nullptr ? session->locals() : nullptr;
}

void Session::BeginStatement() {
  datetime_.statement_start = ClockTimestamp();
  if (!tx_.in_block) datetime_.transaction_start = datetime_.statement_start;
}

const Session::HotSetting* Session::FindHot(std::string_view name) const {
  for (const HotSetting& h : hot_) {
    if (h.name.size() == name.size() && h.name == name) return &h;
  }
  return nullptr;
}

const std::string* Session::SearchPathSetting() const { return FindHot("search_path")->value; }

std::string_view Session::View(std::string_view name) const {
  if (const HotSetting* hot = FindHot(name)) {
    // A hot name is lower case already; outside a block the modes of the next transaction are
    // the default ones (as below).
    if (!tx_.in_block && hot->outside_block != nullptr) return *hot->outside_block;
    return *hot->value;
  }
  // Asked several times per transaction (transaction_read_only before each write): callers
  // mostly pass the lower-case spelling, which is looked up without a copy.
  std::string lowered;
  std::string_view key = name;
  if (std::any_of(name.begin(), name.end(),
                  [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; })) {
    lowered = Lower(name);
    key = lowered;
  }
  // Outside a block the modes of the next transaction are the default ones.
  if (!tx_.in_block) {
    if (key == "transaction_isolation") key = "default_transaction_isolation";
    if (key == "transaction_read_only") key = "default_transaction_read_only";
    if (key == "transaction_deferrable") key = "default_transaction_deferrable";
  }
  auto it = values_.find(key);
  return it == values_.end() ? std::string_view() : std::string_view(it->second);
}

int64_t Session::SettingKb(std::string_view name) const {
  // The stored value is ShowKilobytes' form, or "-1". Asked before every statement (the spill
  // settings): the last text parsed answers while the setting still holds it.
  ParsedSetting* cache = name == "work_mem"          ? &parsed_work_mem_
                         : name == "temp_file_limit" ? &parsed_temp_file_limit_
                                                     : nullptr;
  const std::string_view text = View(name);
  if (cache != nullptr && cache->valid && cache->text == text) {
    return static_cast<int64_t>(cache->value);
  }
  std::string hint;
  std::optional<double> kb = ParseKilobytes(text, &hint);
  const int64_t result = kb ? static_cast<int64_t>(*kb) : -1;
  if (cache != nullptr) *cache = {std::string(text), static_cast<double>(result), true};
  return result;
}

double Session::hash_mem_multiplier() const {
  const std::string_view text = View("hash_mem_multiplier");
  if (parsed_hash_mem_multiplier_.valid && parsed_hash_mem_multiplier_.text == text) {
    return parsed_hash_mem_multiplier_.value;
  }
  const std::string value(text);
  double v = std::strtod(value.c_str(), nullptr);
  v = v >= 1.0 ? v : 1.0;
  parsed_hash_mem_multiplier_ = {value, v, true};
  return v;
}

int64_t Session::TimeoutMs(std::string_view name) const {
  // Asked twice per statement: no copy of the name or the value (callers name these settings in
  // their lower-case spelling, which is how values_ keys them), and "0" (none) answers at once.
  const std::string* found = nullptr;
  if (const HotSetting* hot = FindHot(name)) {
    found = hot->value;
  } else if (auto it = values_.find(name); it != values_.end()) {
    found = &it->second;
  }
  if (found == nullptr || *found == "0") return 0;
  const std::string& value = *found;
  size_t i = 0;
  int64_t amount = 0;
  while (i < value.size() && std::isdigit(static_cast<unsigned char>(value[i]))) {
    amount = amount * 10 + (value[i] - '0');
    if (amount > (int64_t{1} << 40)) return int64_t{1} << 40;
    ++i;
  }
  while (i < value.size() && value[i] == ' ') ++i;
  std::string unit = Lower(std::string_view(value).substr(i));
  if (unit.empty() || unit == "ms") return amount;
  if (unit == "us") return amount / 1000;
  if (unit == "s") return amount * 1000;
  if (unit == "min") return amount * 60 * 1000;
  if (unit == "h") return amount * 60 * 60 * 1000;
  if (unit == "d") return amount * 24 * 60 * 60 * 1000;
  return amount;
}

Status Session::Set(std::string_view name, std::string_view value, QueryResult* result) {
  const Param* p = FindParam(name);
  if (p == nullptr) return Unrecognized(name);
  if (p->read_only) {
    if (LowerName(*p) == "max_connections") {
      return Fail(sqlstate::kCantChangeRuntimeParam,
                  "parameter \"max_connections\" cannot be changed without restarting "
                  "the server");
    }
    return Fail(sqlstate::kCantChangeRuntimeParam,
                "parameter \"" + std::string(p->name) + "\" cannot be changed");
  }
  if (LowerName(*p) == "temp_file_limit" && View("is_superuser") != "on") {
    // PGC_SUSET: only a superuser changes it.
    return Fail(sqlstate::kInsufficientPrivilege,
                "permission denied to set parameter \"temp_file_limit\"");
  }
  SQLRITE_ASSIGN_OR_RETURN(std::string normalized, Validate(p->name, value));
  values_[LowerName(*p)] = normalized;
  ++settings_version_;
  if (LowerName(*p) == "timezone") SyncTimeZone();
  if (LowerName(*p) == "bytea_output") SyncByteaOutput();
  if (result != nullptr && p->reported) {
    result->parameter_status.emplace_back(p->name, std::move(normalized));
  }
  return Ok();
}

Result<std::string> Session::Validate(std::string_view name, std::string_view value) const {
  const Param* p = FindParam(name);
  if (p == nullptr) return Unrecognized(name);
  if (LowerName(*p) == "datestyle") return NormalizeDateStyle(value, View("datestyle"));
  return Normalize(*p, value);
}

void Session::BeginTransactionModes() {
  // Set() of each default: stored defaults are normalized already, and none of these three is
  // reported, so a plain copy is the same (and allocates nothing once the strings have grown).
  static constexpr std::string_view kModes[][2] = {
      {"transaction_isolation", "default_transaction_isolation"},
      {"transaction_read_only", "default_transaction_read_only"},
      {"transaction_deferrable", "default_transaction_deferrable"}};
  for (const auto& [mode, default_mode] : kModes) {
    auto to = values_.find(mode);
    auto from = values_.find(default_mode);
    SQLRITE_ASSERT(to != values_.end() && from != values_.end());
    if (to->second == from->second) continue;
    to->second = from->second;
    ++settings_version_;
  }
}

void Session::RestoreSettings(const Settings& saved, QueryResult* result) {
  for (const Param& p : kParams) {
    const std::string& lower = LowerName(p);
    auto before = saved.find(lower);
    auto now = values_.find(lower);
    if (before == saved.end() || now == values_.end() || before->second == now->second) continue;
    now->second = before->second;
    ++settings_version_;
    if (result != nullptr && p.reported) result->parameter_status.emplace_back(p.name, now->second);
    if (lower == "timezone") SyncTimeZone();
    if (lower == "bytea_output") SyncByteaOutput();
  }
}

Status Session::Reset(std::string_view name, QueryResult* result) {
  if (Lower(name) == "all") {
    for (const Param& p : kParams) {
      if (!p.read_only && !IsTransactionParameter(Lower(p.name))) {
        // PostgreSQL reports only the values that change (ReportGUCOption).
        const bool changes = Get(p.name) != p.default_value;
        SQLRITE_TRY(Set(p.name, p.default_value, changes ? result : nullptr));
      }
    }
    return Ok();
  }
  const Param* p = FindParam(name);
  if (p == nullptr) return Unrecognized(name);
  return Set(p->name, p->default_value, result);
}

Result<QueryResult> Session::Show(std::string_view name) const {
  QueryResult r;
  r.returns_rows = true;
  r.command_tag = "SHOW";
  if (Lower(name) == "all") {
    r.columns = {{"name", TypeId::kText, -1},
                 {"setting", TypeId::kText, -1},
                 {"description", TypeId::kText, -1}};
    for (const Param& p : kParams) {
      r.rows.push_back({Datum(std::string(p.name)), Datum(Get(p.name)), Datum(std::string())});
    }
    return r;
  }
  const Param* p = FindParam(name);
  if (p == nullptr) return Unrecognized(name);
  r.columns = {{p->name, TypeId::kText, -1}};
  r.rows.push_back({Datum(Get(p->name))});
  return r;
}

namespace {

// PostgreSQL's check hooks of the transaction parameters (check_XactIsoLevel,
// check_transaction_read_only, check_transaction_deferrable), inside a block: a mode that
// could change what earlier statements saw, or a subtransaction's, is refused with 25001.
Status CheckTransactionMode(Session& session, std::string_view name, const std::string& value) {
  const TransactionState& tx = session.tx();
  if (!tx.in_block) return Ok();
  const bool subtransaction = !tx.savepoints.empty();
  if (name == "transaction_isolation") {
    if (value == session.Get(name)) return Ok();
    if (tx.snapshot_taken) {
      return Fail(sqlstate::kActiveSqlTransaction,
                  "SET TRANSACTION ISOLATION LEVEL must be called before any query");
    }
    if (subtransaction) {
      return Fail(sqlstate::kActiveSqlTransaction,
                  "SET TRANSACTION ISOLATION LEVEL must not be called in a subtransaction");
    }
  } else if (name == "transaction_read_only") {
    if (value != "off" || session.View("transaction_read_only") != "on") return Ok();
    if (subtransaction) {
      return Fail(sqlstate::kActiveSqlTransaction,
                  "cannot set transaction read-write mode inside a read-only transaction");
    }
    if (tx.snapshot_taken) {
      return Fail(sqlstate::kActiveSqlTransaction,
                  "transaction read-write mode must be set before any query");
    }
  } else if (name == "transaction_deferrable") {
    if (subtransaction) {
      return Fail(sqlstate::kActiveSqlTransaction,
                  "SET TRANSACTION [NOT] DEFERRABLE cannot be called within a subtransaction");
    }
    if (tx.snapshot_taken) {
      return Fail(sqlstate::kActiveSqlTransaction,
                  "SET TRANSACTION [NOT] DEFERRABLE must be called before any query");
    }
  }
  return Ok();
}

}  // namespace

Status Session::SetParameter(const std::string& name, const std::string& value, bool reset,
                             QueryResult* result) {
  if (IsTransactionParameter(name)) {
    std::string normalized = value;
    if (reset) {
      // RESET sets the boot value (PostgreSQL 15), through the same checks.
      normalized = name == "transaction_isolation" ? "read committed" : "off";
    } else {
      // Validate the value before the check, as PostgreSQL does (22023 first).
      SQLRITE_ASSIGN_OR_RETURN(normalized, Validate(name, value));
    }
    SQLRITE_TRY(CheckTransactionMode(*this, name, normalized));
    return Set(name, normalized, result);
  }
  if (reset) return Reset(name, result);
  return Set(name, value, result);
}

}  // namespace sqlrite::engine
