// ProcessCopyOptions after PostgreSQL 15's commands/copy.c: options first, one by one (a repeat
// is "conflicting or redundant options"), then the checks across them, in PostgreSQL's order.

#include "engine/copy_options.h"

#include <algorithm>
#include <cstring>

namespace sqlrite::engine {
namespace {

tl::unexpected<Error> Redundant(const ast::CopyOption& option) {
  return Fail(Error(sqlstate::kSyntaxError, "conflicting or redundant options")
                  .WithPosition(option.location >= 0 ? option.location + 1 : 0));
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// defGetString: the option's value as text; a missing value is an error.
Result<std::string> StringValue(const ast::CopyOption& option) {
  switch (option.kind) {
    case ast::CopyOption::kString:
    case ast::CopyOption::kNumber:
    case ast::CopyOption::kBoolean:
      return option.value;
    case ast::CopyOption::kStar:
      return std::string("*");
    case ast::CopyOption::kNone:
    case ast::CopyOption::kList:
      break;
  }
  return Fail(sqlstate::kSyntaxError, option.name + " requires a parameter");
}

// defGetCopyHeaderChoice.
Result<CopyOptions::Header> HeaderChoice(const ast::CopyOption& option, bool is_from) {
  if (option.kind == ast::CopyOption::kNone) return CopyOptions::Header::kPresent;
  if (option.kind == ast::CopyOption::kNumber) {
    if (option.value == "0") return CopyOptions::Header::kNone;
    if (option.value == "1") return CopyOptions::Header::kPresent;
  } else if (option.kind == ast::CopyOption::kBoolean || option.kind == ast::CopyOption::kString) {
    const std::string v = Lower(option.value);
    if (v == "true" || v == "on") return CopyOptions::Header::kPresent;
    if (v == "false" || v == "off") return CopyOptions::Header::kNone;
    if (v == "match") {
      if (!is_from) {
        return Fail(sqlstate::kFeatureNotSupported,
                    "cannot use \"" + option.value + "\" with HEADER in COPY TO");
      }
      return CopyOptions::Header::kMatch;
    }
  }
  return Fail(sqlstate::kInvalidParameterValue,
              option.name + " requires a Boolean value or \"match\"");
}

Result<std::vector<std::string>> ColumnList(const ast::CopyOption& option) {
  if (option.kind == ast::CopyOption::kList) return option.list;
  return Fail(sqlstate::kSyntaxError,
              "argument to option \"" + option.name + "\" must be a list of column names");
}

bool IsUtf8Name(const std::string& name) {
  std::string n;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return n == "utf8" || n == "unicode";
}

}  // namespace

Result<CopyOptions> ProcessCopyOptions(const std::vector<ast::CopyOption>& options, bool is_from) {
  CopyOptions out;
  bool format_seen = false, header_seen = false, freeze_seen = false;
  bool have_delimiter = false, have_null = false, have_quote = false, have_escape = false;
  bool have_force_quote = false, have_force_not_null = false, have_force_null = false;
  bool have_encoding = false;
  std::string delimiter, null_string, quote, escape;
  for (const ast::CopyOption& option : options) {
    const std::string& name = option.name;
    if (name == "format") {
      if (format_seen) return Redundant(option);
      format_seen = true;
      SQLRITE_ASSIGN_OR_RETURN(std::string format, StringValue(option));
      if (format == "csv") {
        out.csv = true;
      } else if (format == "binary") {
        out.binary = true;
      } else if (format != "text") {
        return Fail(
            Error(sqlstate::kInvalidParameterValue, "COPY format \"" + format + "\" not recognized")
                .WithPosition(option.location + 1));
      }
    } else if (name == "freeze") {
      if (freeze_seen) return Redundant(option);
      freeze_seen = true;
    } else if (name == "delimiter") {
      if (have_delimiter) return Redundant(option);
      have_delimiter = true;
      SQLRITE_ASSIGN_OR_RETURN(delimiter, StringValue(option));
    } else if (name == "null") {
      if (have_null) return Redundant(option);
      have_null = true;
      SQLRITE_ASSIGN_OR_RETURN(null_string, StringValue(option));
    } else if (name == "header") {
      if (header_seen) return Redundant(option);
      header_seen = true;
      SQLRITE_ASSIGN_OR_RETURN(out.header, HeaderChoice(option, is_from));
    } else if (name == "quote") {
      if (have_quote) return Redundant(option);
      have_quote = true;
      SQLRITE_ASSIGN_OR_RETURN(quote, StringValue(option));
    } else if (name == "escape") {
      if (have_escape) return Redundant(option);
      have_escape = true;
      SQLRITE_ASSIGN_OR_RETURN(escape, StringValue(option));
    } else if (name == "force_quote") {
      if (have_force_quote) return Redundant(option);
      have_force_quote = true;
      if (option.kind == ast::CopyOption::kStar) {
        out.force_quote_all = true;
      } else {
        SQLRITE_ASSIGN_OR_RETURN(out.force_quote, ColumnList(option));
      }
    } else if (name == "force_not_null") {
      if (have_force_not_null) return Redundant(option);
      have_force_not_null = true;
      SQLRITE_ASSIGN_OR_RETURN(out.force_not_null, ColumnList(option));
    } else if (name == "force_null") {
      if (have_force_null) return Redundant(option);
      have_force_null = true;
      SQLRITE_ASSIGN_OR_RETURN(out.force_null, ColumnList(option));
    } else if (name == "convert_selectively") {
      SQLRITE_TRY(ColumnList(option));
    } else if (name == "encoding") {
      if (have_encoding) return Redundant(option);
      have_encoding = true;
      SQLRITE_ASSIGN_OR_RETURN(std::string encoding, StringValue(option));
      if (!IsUtf8Name(encoding)) {
        // The server and client encodings are UTF8 only: no conversion to offer.
        return Fail(Error(sqlstate::kFeatureNotSupported,
                          "COPY ENCODING \"" + encoding + "\" is not supported: only UTF8")
                        .WithPosition(option.location + 1));
      }
    } else {
      return Fail(Error(sqlstate::kSyntaxError, "option \"" + name + "\" not recognized")
                      .WithPosition(option.location >= 0 ? option.location + 1 : 0));
    }
  }

  if (out.binary && have_delimiter) {
    return Fail(sqlstate::kSyntaxError, "cannot specify DELIMITER in BINARY mode");
  }
  if (out.binary && have_null) {
    return Fail(sqlstate::kSyntaxError, "cannot specify NULL in BINARY mode");
  }
  if (!have_delimiter) delimiter = out.csv ? "," : "\t";
  if (!have_null) null_string = out.csv ? "" : "\\N";
  if (out.csv) {
    if (!have_quote) quote = "\"";
    if (!have_escape) escape = quote;
  }
  if (delimiter.size() != 1) {
    return Fail(sqlstate::kFeatureNotSupported,
                "COPY delimiter must be a single one-byte character");
  }
  if (delimiter[0] == '\r' || delimiter[0] == '\n') {
    return Fail(sqlstate::kInvalidParameterValue,
                "COPY delimiter cannot be newline or carriage return");
  }
  if (null_string.find_first_of("\r\n") != std::string::npos) {
    return Fail(sqlstate::kInvalidParameterValue,
                "COPY null representation cannot use newline or carriage return");
  }
  if (!out.csv && std::strchr("\\.abcdefghijklmnopqrstuvwxyz0123456789", delimiter[0]) != nullptr &&
      delimiter[0] != '\0') {
    return Fail(sqlstate::kInvalidParameterValue, "COPY delimiter cannot be \"" + delimiter + "\"");
  }
  if (out.binary && out.header != CopyOptions::Header::kNone) {
    return Fail(sqlstate::kFeatureNotSupported, "cannot specify HEADER in BINARY mode");
  }
  if (!out.csv && have_quote) {
    return Fail(sqlstate::kFeatureNotSupported, "COPY quote available only in CSV mode");
  }
  if (out.csv && quote.size() != 1) {
    return Fail(sqlstate::kFeatureNotSupported, "COPY quote must be a single one-byte character");
  }
  if (out.csv && delimiter[0] == quote[0]) {
    return Fail(sqlstate::kInvalidParameterValue, "COPY delimiter and quote must be different");
  }
  if (!out.csv && have_escape) {
    return Fail(sqlstate::kFeatureNotSupported, "COPY escape available only in CSV mode");
  }
  if (out.csv && escape.size() != 1) {
    return Fail(sqlstate::kFeatureNotSupported, "COPY escape must be a single one-byte character");
  }
  if (!out.csv && have_force_quote) {
    return Fail(sqlstate::kFeatureNotSupported, "COPY force quote available only in CSV mode");
  }
  if (have_force_quote && is_from) {
    return Fail(sqlstate::kFeatureNotSupported, "COPY force quote only available using COPY TO");
  }
  if (!out.csv && have_force_not_null) {
    return Fail(sqlstate::kFeatureNotSupported, "COPY force not null available only in CSV mode");
  }
  if (have_force_not_null && !is_from) {
    return Fail(sqlstate::kFeatureNotSupported,
                "COPY force not null only available using COPY FROM");
  }
  if (!out.csv && have_force_null) {
    return Fail(sqlstate::kFeatureNotSupported, "COPY force null available only in CSV mode");
  }
  if (have_force_null && !is_from) {
    return Fail(sqlstate::kFeatureNotSupported, "COPY force null only available using COPY FROM");
  }
  if (null_string.find(delimiter[0]) != std::string::npos) {
    return Fail(sqlstate::kFeatureNotSupported,
                "COPY delimiter must not appear in the NULL specification");
  }
  if (out.csv && null_string.find(quote[0]) != std::string::npos) {
    return Fail(sqlstate::kFeatureNotSupported,
                "CSV quote character must not appear in the NULL specification");
  }
  out.delimiter = delimiter[0];
  out.null_string = std::move(null_string);
  if (out.csv) {
    out.quote = quote[0];
    out.escape = escape[0];
  }
  return out;
}

}  // namespace sqlrite::engine
