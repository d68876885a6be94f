#include "engine/functions/number_format.h"

#include <cctype>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "common/sqlstate.h"

namespace sqlrite::engine::functions {
namespace {

// The template's keywords (formatting.c's NUM_keywords), in its search order: the first whose
// text starts at the current position wins.
enum class Key : uint8_t {
  kComma,
  kDec,
  k0,
  k9,
  kB,
  kC,
  kD,
  kE,
  kFM,
  kG,
  kL,
  kMI,
  kPL,
  kPR,
  kRN,
  kSG,
  kSP,
  kS,
  kTH,
  kV,
  kRnLower,
  kThLower,
};
struct Keyword {
  std::string_view text;
  Key key;
};
constexpr Keyword kKeywords[] = {
    {",", Key::kComma}, {".", Key::kDec}, {"0", Key::k0},        {"9", Key::k9},
    {"B", Key::kB},     {"C", Key::kC},   {"D", Key::kD},        {"EEEE", Key::kE},
    {"FM", Key::kFM},   {"G", Key::kG},   {"L", Key::kL},        {"MI", Key::kMI},
    {"PL", Key::kPL},   {"PR", Key::kPR}, {"RN", Key::kRN},      {"SG", Key::kSG},
    {"SP", Key::kSP},   {"S", Key::kS},   {"TH", Key::kTH},      {"V", Key::kV},
    {"b", Key::kB},     {"c", Key::kC},   {"d", Key::kD},        {"eeee", Key::kE},
    {"fm", Key::kFM},   {"g", Key::kG},   {"l", Key::kL},        {"mi", Key::kMI},
    {"pl", Key::kPL},   {"pr", Key::kPR}, {"rn", Key::kRnLower}, {"sg", Key::kSG},
    {"sp", Key::kSP},   {"s", Key::kS},   {"th", Key::kThLower}, {"v", Key::kV},
};

struct Node {
  bool action = false;
  Key key = Key::kComma;
  std::string text;  // a literal character (its bytes)
};

// NUMDesc: what the template asks for.
enum Flag : uint32_t {
  kDecimal = 1 << 1,
  kLDecimal = 1 << 2,
  kZero = 1 << 3,
  kBlank = 1 << 4,
  kFillMode = 1 << 5,
  kLSign = 1 << 6,
  kBracket = 1 << 7,
  kMinus = 1 << 8,
  kPlus = 1 << 9,
  kRoman = 1 << 10,
  kMulti = 1 << 11,
  kPlusPost = 1 << 12,
  kMinusPost = 1 << 13,
  kEeee = 1 << 14,
};
enum class LSign : uint8_t { kNone, kPre, kPost };

struct Desc {
  int pre = 0, post = 0;
  LSign lsign = LSign::kNone;
  uint32_t flag = 0;
  int pre_lsign_num = 0, multi = 0, zero_start = 0, zero_end = 0;
  bool Has(uint32_t f) const { return (flag & f) != 0; }
};

Error Syntax(std::string message) { return Error(sqlstate::kSyntaxError, std::move(message)); }

// NUMDesc_prepare: one keyword's effect on the description, and the combinations refused.
Status Prepare(Desc& num, Key key) {
  if (num.Has(kEeee) && key != Key::kE)
    return Fail(Syntax("\"EEEE\" must be the last pattern used"));
  switch (key) {
    case Key::k9:
      if (num.Has(kBracket)) return Fail(Syntax("\"9\" must be ahead of \"PR\""));
      if (num.Has(kMulti)) {
        ++num.multi;
        break;
      }
      if (num.Has(kDecimal)) {
        ++num.post;
      } else {
        ++num.pre;
      }
      break;
    case Key::k0:
      if (num.Has(kBracket)) return Fail(Syntax("\"0\" must be ahead of \"PR\""));
      if (!num.Has(kZero) && !num.Has(kDecimal)) {
        num.flag |= kZero;
        num.zero_start = num.pre + 1;
      }
      if (!num.Has(kDecimal)) {
        ++num.pre;
      } else {
        ++num.post;
      }
      num.zero_end = num.pre + num.post;
      break;
    case Key::kB:
      if (num.pre == 0 && num.post == 0 && !num.Has(kZero)) num.flag |= kBlank;
      break;
    case Key::kD:
      num.flag |= kLDecimal;
      [[fallthrough]];
    case Key::kDec:
      if (num.Has(kDecimal)) return Fail(Syntax("multiple decimal points"));
      if (num.Has(kMulti)) return Fail(Syntax("cannot use \"V\" and decimal point together"));
      num.flag |= kDecimal;
      break;
    case Key::kFM:
      num.flag |= kFillMode;
      break;
    case Key::kS:
      if (num.Has(kLSign)) return Fail(Syntax("cannot use \"S\" twice"));
      if (num.Has(kPlus) || num.Has(kMinus) || num.Has(kBracket)) {
        return Fail(Syntax("cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together"));
      }
      if (!num.Has(kDecimal)) {
        num.lsign = LSign::kPre;
        num.pre_lsign_num = num.pre;
        num.flag |= kLSign;
      } else if (num.lsign == LSign::kNone) {
        num.lsign = LSign::kPost;
        num.flag |= kLSign;
      }
      break;
    case Key::kMI:
      if (num.Has(kLSign)) return Fail(Syntax("cannot use \"S\" and \"MI\" together"));
      num.flag |= kMinus;
      if (num.Has(kDecimal)) num.flag |= kMinusPost;
      break;
    case Key::kPL:
      if (num.Has(kLSign)) return Fail(Syntax("cannot use \"S\" and \"PL\" together"));
      num.flag |= kPlus;
      if (num.Has(kDecimal)) num.flag |= kPlusPost;
      break;
    case Key::kSG:
      if (num.Has(kLSign)) return Fail(Syntax("cannot use \"S\" and \"SG\" together"));
      num.flag |= kMinus | kPlus;
      break;
    case Key::kPR:
      if (num.Has(kLSign) || num.Has(kPlus) || num.Has(kMinus)) {
        return Fail(Syntax("cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together"));
      }
      num.flag |= kBracket;
      break;
    case Key::kRN:
    case Key::kRnLower:
      num.flag |= kRoman;
      break;
    case Key::kV:
      if (num.Has(kDecimal)) return Fail(Syntax("cannot use \"V\" and decimal point together"));
      num.flag |= kMulti;
      break;
    case Key::kE:
      if (num.Has(kEeee)) return Fail(Syntax("cannot use \"EEEE\" twice"));
      if (num.Has(kBlank) || num.Has(kFillMode) || num.Has(kLSign) || num.Has(kBracket) ||
          num.Has(kMinus) || num.Has(kPlus) || num.Has(kRoman) || num.Has(kMulti)) {
        return Fail(Syntax("\"EEEE\" is incompatible with other formats")
                        .WithDetail("\"EEEE\" may only be used together with digit and decimal "
                                    "point patterns."));
      }
      num.flag |= kEeee;
      break;
    default:
      break;
  }
  return Ok();
}

size_t CharLen(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  return std::min(n, s.size() - i);
}

// parse_format (NUM_FLAG): keywords, "quoted text", and other characters one at a time (a
// backslash before a double quote makes the quote literal).
Result<std::vector<Node>> ParseFormat(std::string_view fmt, Desc& num) {
  std::vector<Node> nodes;
  size_t i = 0;
  while (i < fmt.size()) {
    const Keyword* kw = nullptr;
    if (static_cast<unsigned char>(fmt[i]) > 32 && static_cast<unsigned char>(fmt[i]) < 127) {
      for (const Keyword& k : kKeywords) {
        if (fmt.substr(i, k.text.size()) == k.text) {
          kw = &k;
          break;
        }
      }
    }
    if (kw != nullptr) {
      Node n;
      n.action = true;
      n.key = kw->key;
      SQLRITE_TRY(Prepare(num, n.key));
      nodes.push_back(std::move(n));
      i += kw->text.size();
      continue;
    }
    if (fmt[i] == '"') {
      ++i;
      while (i < fmt.size()) {
        if (fmt[i] == '"') {
          ++i;
          break;
        }
        if (fmt[i] == '\\' && i + 1 < fmt.size()) ++i;
        const size_t len = CharLen(fmt, i);
        nodes.push_back(Node{false, Key::kComma, std::string(fmt.substr(i, len))});
        i += len;
      }
      continue;
    }
    if (fmt[i] == '\\' && i + 1 < fmt.size() && fmt[i + 1] == '"') ++i;
    const size_t len = CharLen(fmt, i);
    nodes.push_back(Node{false, Key::kComma, std::string(fmt.substr(i, len))});
    i += len;
  }
  return nodes;
}

// The C locale's symbols (NUM_prepare_locale with an empty lconv).
constexpr std::string_view kNegativeSign = "-";
constexpr std::string_view kPositiveSign = "+";
constexpr std::string_view kThousandsSep = ",";
constexpr std::string_view kCurrencySymbol = " ";
constexpr std::string_view kDecimalPoint = ".";

// The state of NUM_processor, writing (to_char) or reading (to_number).
struct Processor {
  Desc* num = nullptr;
  bool to_char = true;
  char sign = 0;
  bool sign_wrote = false;
  int num_count = 0, num_in = 0, num_curr = 0, out_pre_spaces = 0;
  int read_post = 0, read_pre = 0;
  bool read_dec = false;
  std::string number;  // to_char: the digits to print; to_number: what was read
  size_t number_p = 0;
  // The last significant character of number under FM (npos: none).
  size_t last_relevant = std::string::npos;
  std::string out;         // to_char's output
  std::string_view input;  // to_number's input
  size_t inout_p = 0;      // to_number's position in input
  std::string_view decimal = kDecimalPoint;

  char NumAt(size_t i) const { return i < number.size() ? number[i] : '\0'; }
  char In(size_t i) const { return i < input.size() ? input[i] : '\0'; }
  bool PredecSpace() const {
    return !num->Has(kZero) && number_p == 0 && NumAt(0) == '0' && num->post != 0;
  }
  bool LastRelevantIsDot() const {
    return last_relevant != std::string::npos && NumAt(last_relevant) == '.';
  }
  bool Overload() const { return inout_p >= input.size(); }
  bool Amount(size_t s) const { return inout_p + s <= input.size(); }
  bool InputStarts(std::string_view s) const { return input.substr(inout_p, s.size()) == s; }
};

size_t LastRelevantDecimal(const std::string& num) {
  const size_t dot = num.find('.');
  if (dot == std::string::npos) return std::string::npos;
  size_t result = dot;
  for (size_t i = dot + 1; i < num.size(); ++i) {
    if (num[i] != '0') result = i;
  }
  return result;
}

// NUM_numpart_to_char.
void NumpartToChar(Processor& np, Key id) {
  Desc& num = *np.num;
  if (num.Has(kRoman)) return;
  np.num_in = 0;
  if (!np.sign_wrote &&
      (np.num_curr >= np.out_pre_spaces || (num.Has(kZero) && num.zero_start == np.num_curr)) &&
      (!np.PredecSpace() || np.LastRelevantIsDot())) {
    if (num.Has(kLSign)) {
      if (num.lsign == LSign::kPre) {
        np.out += np.sign == '-' ? kNegativeSign : kPositiveSign;
        np.sign_wrote = true;
      }
    } else if (num.Has(kBracket)) {
      np.out += np.sign == '+' ? ' ' : '<';
      np.sign_wrote = true;
    } else if (np.sign == '+') {
      if (!num.Has(kFillMode)) np.out += ' ';
      np.sign_wrote = true;
    } else if (np.sign == '-') {
      np.out += '-';
      np.sign_wrote = true;
    }
  }
  if (id == Key::k9 || id == Key::k0 || id == Key::kD || id == Key::kDec) {
    if (np.num_curr < np.out_pre_spaces && (num.zero_start > np.num_curr || !num.Has(kZero))) {
      if (!num.Has(kFillMode)) np.out += ' ';
    } else if (num.Has(kZero) && np.num_curr < np.out_pre_spaces && num.zero_start <= np.num_curr) {
      np.out += '0';
      np.num_in = 1;
    } else {
      if (np.NumAt(np.number_p) == '.') {
        if (!np.LastRelevantIsDot()) {
          np.out += np.decimal;
        } else if (num.Has(kFillMode) && np.LastRelevantIsDot()) {
          np.out += np.decimal;  // Oracle's FM9.9 -> "n."
        }
      } else {
        if (np.last_relevant != std::string::npos && np.number_p > np.last_relevant &&
            id != Key::k0) {
          // a trailing zero FM drops
        } else if (np.PredecSpace()) {
          if (!num.Has(kFillMode)) {
            np.out += ' ';
          } else if (np.LastRelevantIsDot()) {
            np.out += '0';
          }
        } else {
          np.out += np.NumAt(np.number_p);
          np.num_in = 1;
        }
      }
      if (np.NumAt(np.number_p) != '\0') ++np.number_p;
    }
    int end = np.num_count + (np.out_pre_spaces ? 1 : 0) + (num.Has(kDecimal) ? 1 : 0);
    if (np.last_relevant != std::string::npos && np.last_relevant == np.number_p) {
      end = np.num_curr;
    }
    if (np.num_curr + 1 == end) {
      if (np.sign_wrote && num.Has(kBracket)) {
        np.out += np.sign == '+' ? ' ' : '>';
      } else if (num.Has(kLSign) && num.lsign == LSign::kPost) {
        np.out += np.sign == '-' ? kNegativeSign : kPositiveSign;
      }
    }
  }
  ++np.num_curr;
}

// NUM_numpart_from_char.
void NumpartFromChar(Processor& np, Key id) {
  Desc& num = *np.num;
  bool isread = false;
  if (np.Overload()) return;
  if (np.In(np.inout_p) == ' ') ++np.inout_p;
  if (np.Overload()) return;
  if (np.number[0] == ' ' && (id == Key::k0 || id == Key::k9) && np.read_pre + np.read_post == 0) {
    if (num.Has(kLSign) && num.lsign == LSign::kPre) {
      if (np.Amount(kNegativeSign.size()) && np.InputStarts(kNegativeSign)) {
        np.inout_p += kNegativeSign.size();
        np.number[0] = '-';
      } else if (np.Amount(kPositiveSign.size()) && np.InputStarts(kPositiveSign)) {
        np.inout_p += kPositiveSign.size();
        np.number[0] = '+';
      }
    } else {
      const char c = np.In(np.inout_p);
      if (c == '-' || (num.Has(kBracket) && c == '<')) {
        np.number[0] = '-';
        ++np.inout_p;
      } else if (c == '+') {
        np.number[0] = '+';
        ++np.inout_p;
      }
    }
  }
  if (np.Overload()) return;
  if (std::isdigit(static_cast<unsigned char>(np.In(np.inout_p)))) {
    if (np.read_dec && np.read_post == num.post) return;
    np.number += np.In(np.inout_p);
    if (np.read_dec) {
      ++np.read_post;
    } else {
      ++np.read_pre;
    }
    isread = true;
  } else if (num.Has(kDecimal) && !np.read_dec) {
    const size_t x = np.decimal.size();
    if (np.Amount(x) && np.InputStarts(np.decimal)) {
      np.inout_p += x - 1;
      np.number += '.';
      np.read_dec = true;
      isread = true;
    }
  }
  if (np.Overload()) return;
  if (np.number[0] == ' ' && np.read_pre + np.read_post > 0) {
    if (num.Has(kLSign) && isread && np.inout_p + 1 < np.input.size() &&
        !std::isdigit(static_cast<unsigned char>(np.In(np.inout_p + 1)))) {
      const size_t tmp = np.inout_p++;
      if (np.Amount(kNegativeSign.size()) && np.InputStarts(kNegativeSign)) {
        np.inout_p += kNegativeSign.size() - 1;
        np.number[0] = '-';
      } else if (np.Amount(kPositiveSign.size()) && np.InputStarts(kPositiveSign)) {
        np.inout_p += kPositiveSign.size() - 1;
        np.number[0] = '+';
      }
      if (np.number[0] == ' ') np.inout_p = tmp;
    } else if (!isread && !num.Has(kLSign) && (num.Has(kPlus) || num.Has(kMinus))) {
      const char c = np.In(np.inout_p);
      if (c == '-' || c == '+') np.number[0] = c;
    }
  }
}

// NUM_eat_non_data_chars: skips up to n input characters, stopping at one that could be part of
// the number (a digit, '.', ',', '+' or '-').
void EatNonData(Processor& np, int n) {
  while (n-- > 0) {
    if (np.Overload()) break;
    if (std::string_view("0123456789.,+-").find(np.In(np.inout_p)) != std::string_view::npos) {
      break;
    }
    np.inout_p += CharLen(np.input, np.inout_p);
  }
}

const char* Suffix(const std::string& num, bool upper) {
  const char last = num.back();
  const bool teen = num.size() > 1 && num[num.size() - 2] == '1';
  const char* s = "th";
  if (!teen && last == '1') s = "st";
  if (!teen && last == '2') s = "nd";
  if (!teen && last == '3') s = "rd";
  if (!upper) return s;
  if (s[0] == 's') return "ST";
  if (s[0] == 'n') return "ND";
  if (s[0] == 'r') return "RD";
  return "TH";
}

// NUM_processor. to_char: number is the value's digits (without sign), sign '+' or '-';
// to_number: reads np.input into np.number.
Result<std::string> Process(const std::vector<Node>& nodes, Desc& num, Processor& np) {
  np.num = &num;
  if (num.zero_start) --num.zero_start;
  if (num.Has(kEeee)) {
    if (!np.to_char) {
      return Fail(sqlstate::kFeatureNotSupported, "\"EEEE\" not supported for input");
    }
    return np.number;
  }
  if (num.Has(kRoman)) {
    if (!np.to_char) return Fail(sqlstate::kFeatureNotSupported, "\"RN\" not supported for input");
    num.lsign = LSign::kNone;
    num.pre_lsign_num = num.post = num.pre = 0;
    np.out_pre_spaces = 0;
    np.sign = 0;
    num.flag = (num.Has(kFillMode) ? uint32_t{kFillMode} : 0u) | kRoman;
  }
  if (np.to_char) {
    if (num.Has(kPlus) || num.Has(kMinus)) {
      np.sign_wrote = !(num.Has(kPlus) && !num.Has(kMinus));
    } else {
      if (np.sign != '-' && num.Has(kFillMode)) num.flag &= ~static_cast<uint32_t>(kBracket);
      np.sign_wrote = np.sign == '+' && num.Has(kFillMode) && !num.Has(kLSign);
      if (num.lsign == LSign::kPre && num.pre == num.pre_lsign_num) num.lsign = LSign::kPost;
    }
  } else {
    np.sign = 0;
  }
  np.num_count = num.post + num.pre - 1;
  if (np.to_char) {
    if (num.Has(kFillMode) && num.Has(kDecimal)) {
      np.last_relevant = LastRelevantDecimal(np.number);
      if (np.last_relevant != std::string::npos && num.zero_end > np.out_pre_spaces) {
        size_t last_zero = np.number.size() - 1;
        last_zero = std::min(last_zero, static_cast<size_t>(num.zero_end - np.out_pre_spaces));
        if (np.last_relevant < last_zero) np.last_relevant = last_zero;
      }
    }
    if (!np.sign_wrote && np.out_pre_spaces == 0) ++np.num_count;
  } else {
    np.out_pre_spaces = 0;
    np.number = " ";  // the sign's place
  }
  np.num_in = 0;
  np.num_curr = 0;
  np.decimal = num.Has(kLDecimal) ? kDecimalPoint : std::string_view(".");
  np.number_p = 0;

  for (const Node& n : nodes) {
    if (!np.to_char && np.Overload()) break;
    if (!n.action) {
      if (np.to_char) {
        np.out += n.text;
      } else {
        np.inout_p += CharLen(np.input, np.inout_p);
      }
      continue;
    }
    switch (n.key) {
      case Key::k9:
      case Key::k0:
      case Key::kDec:
      case Key::kD:
        if (np.to_char) {
          NumpartToChar(np, n.key);
          continue;
        }
        NumpartFromChar(np, n.key);
        break;
      case Key::kComma:
      case Key::kG:
        if (np.to_char) {
          if (!np.num_in) {
            if (num.Has(kFillMode)) continue;
            np.out += ' ';
          } else {
            np.out += kThousandsSep;
          }
          continue;
        }
        if (!np.num_in && num.Has(kFillMode)) continue;
        if (n.key == Key::kComma) {
          if (np.In(np.inout_p) != ',') continue;
        } else {
          if (np.Amount(kThousandsSep.size()) && np.InputStarts(kThousandsSep)) {
            np.inout_p += kThousandsSep.size() - 1;
          } else {
            continue;
          }
        }
        break;
      case Key::kL:
        if (np.to_char) {
          np.out += kCurrencySymbol;
          continue;
        }
        EatNonData(np, 1);  // the currency symbol's length in characters
        continue;
      case Key::kRN:
      case Key::kRnLower: {
        std::string r = np.number;
        if (n.key == Key::kRnLower) {
          for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (!num.Has(kFillMode) && r.size() < 15) r.insert(0, 15 - r.size(), ' ');
        np.out += r;
        continue;
      }
      case Key::kTH:
      case Key::kThLower:
        if (num.Has(kRoman) || np.NumAt(0) == '#' || np.sign == '-' || num.Has(kDecimal)) continue;
        if (np.to_char) {
          if (np.number.empty() || !std::isdigit(static_cast<unsigned char>(np.number.back()))) {
            return Fail(sqlstate::kInvalidTextRepresentation,
                        "\"" + np.number + "\" is not a number");
          }
          np.out += Suffix(np.number, n.key == Key::kTH);
          continue;
        }
        EatNonData(np, 2);  // every variant of TH is 2 characters
        continue;
      case Key::kMI:
        if (np.to_char) {
          if (np.sign == '-') {
            np.out += '-';
          } else if (!num.Has(kFillMode)) {
            np.out += ' ';
          }
          continue;
        }
        if (np.In(np.inout_p) != '-') {
          EatNonData(np, 1);
          continue;
        }
        np.number[0] = '-';
        break;
      case Key::kPL:
        if (np.to_char) {
          if (np.sign == '+') {
            np.out += '+';
          } else if (!num.Has(kFillMode)) {
            np.out += ' ';
          }
          continue;
        }
        if (np.In(np.inout_p) != '+') {
          EatNonData(np, 1);
          continue;
        }
        np.number[0] = '+';
        break;
      case Key::kSG:
        if (np.to_char) {
          np.out += np.sign;
          continue;
        }
        if (np.In(np.inout_p) == '-') {
          np.number[0] = '-';
        } else if (np.In(np.inout_p) == '+') {
          np.number[0] = '+';
        } else {
          EatNonData(np, 1);
          continue;
        }
        break;
      default:
        continue;
    }
    ++np.inout_p;  // to_number: the character the action read
  }
  if (np.to_char) {
    // SG of a roman numeral writes its sign, a NUL, where PostgreSQL's C string then ends.
    const size_t nul = np.out.find('\0');
    if (nul != std::string::npos) np.out.resize(nul);
    return np.out;
  }
  if (np.number.size() > 1 && np.number.back() == '.') np.number.pop_back();
  num.post = np.read_post;
  return np.number;
}

// int_to_roman: 1..3999, else 15 '#'.
std::string Roman(int64_t number) {
  if (number > 3999 || number < 1) return std::string(15, '#');
  static constexpr const char* kOnes[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
  static constexpr const char* kTens[] = {"X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"};
  static constexpr const char* kHundreds[] = {"C",  "CC",  "CCC",  "CD", "D",
                                              "DC", "DCC", "DCCC", "CM"};
  std::string out;
  const std::string digits = std::to_string(number);
  size_t len = digits.size();
  for (char c : digits) {
    const int d = c - '1';
    if (d >= 0) {
      if (len > 3) {
        out.append(static_cast<size_t>(d + 1), 'M');
      } else if (len == 3) {
        out += kHundreds[d];
      } else if (len == 2) {
        out += kTens[d];
      } else {
        out += kOnes[d];
      }
    }
    --len;
  }
  return out;
}

// The '#' of a value too wide for the pattern: pre + post + 1 of them, '.' at pre.
std::string Overflowed(const Desc& num) {
  std::string s(static_cast<size_t>(num.pre + num.post + 1), '#');
  s[static_cast<size_t>(num.pre)] = '.';
  return s;
}

// EEEE of a NaN or infinity: '#' with a blank for the sign and the point after pre.
std::string OverflowedEeee(const Desc& num) {
  std::string s(static_cast<size_t>(num.pre + num.post + 6), '#');
  s[0] = ' ';
  s[static_cast<size_t>(num.pre + 1)] = '.';
  return s;
}

std::string Printf(const char* fmt, int precision, double v) {
  const int n = std::snprintf(nullptr, 0, fmt, precision, v);
  std::string s(static_cast<size_t>(n), '\0');
  std::snprintf(s.data(), s.size() + 1, fmt, precision, v);
  return s;
}

std::string SciOfDouble(int post, double v) {
  std::string s = Printf("%+.*e", post, v);
  if (s[0] == '+') s[0] = ' ';
  return s;
}

// Splits numeric_out-style text into the processor's sign and digits, and pads or overflows.
void Prepared(Processor& np, const Desc& num, std::string text) {
  if (!text.empty() && text[0] == '-') {
    np.sign = '-';
    text.erase(0, 1);
  } else {
    np.sign = '+';
  }
  const size_t dot = text.find('.');
  const int pre_len = static_cast<int>(dot == std::string::npos ? text.size() : dot);
  if (pre_len < num.pre) {
    np.out_pre_spaces = num.pre - pre_len;
    np.number = std::move(text);
  } else if (pre_len > num.pre) {
    np.number = Overflowed(num);
  } else {
    np.number = std::move(text);
  }
}

struct Parsed {
  Desc num;
  std::vector<Node> nodes;
};
Result<Parsed> Parse(std::string_view format) {
  Parsed p;
  SQLRITE_ASSIGN_OR_RETURN(p.nodes, ParseFormat(format, p.num));
  return p;
}

// numeric_out_sci: d.ddd...e+XX with `scale` digits after the point.
Result<std::string> NumericSci(const Numeric& value, int scale) {
  if (value.is_nan()) return std::string("NaN");
  if (value.is_infinite()) return std::string(value.is_negative() ? "-Infinity" : "Infinity");
  std::string text = value.Abs().ToString();
  const size_t dot = text.find('.');
  std::string digits = text;
  if (dot != std::string::npos) digits.erase(dot, 1);
  const int int_digits = static_cast<int>(dot == std::string::npos ? text.size() : dot);
  const size_t first = digits.find_first_not_of('0');
  int exponent = 0;
  std::string sig = "0";
  if (first != std::string::npos) {
    exponent = int_digits - 1 - static_cast<int>(first);
    sig = digits.substr(first, 1) + "." + digits.substr(first + 1);
  }
  SQLRITE_ASSIGN_OR_RETURN(Numeric s, Numeric::Parse(sig));
  SQLRITE_ASSIGN_OR_RETURN(s, s.Round(scale));
  std::string out = value.is_negative() ? "-" : "";
  out += s.ToString();
  char exp[16];
  std::snprintf(exp, sizeof(exp), "e%+03d", exponent);
  return out + exp;
}

}  // namespace

Result<std::string> NumericToChar(const Numeric& value, std::string_view format) {
  if (format.empty()) return std::string();
  SQLRITE_ASSIGN_OR_RETURN(Parsed p, Parse(format));
  Desc& num = p.num;
  Processor np;
  if (num.Has(kRoman)) {
    SQLRITE_ASSIGN_OR_RETURN(Numeric r, value.Round(0));
    auto i = r.ToInt64();
    if (!i || *i < INT32_MIN || *i > INT32_MAX) {
      return Fail(sqlstate::kNumericValueOutOfRange, "integer out of range");
    }
    np.number = Roman(*i);
  } else if (num.Has(kEeee)) {
    SQLRITE_ASSIGN_OR_RETURN(std::string s, NumericSci(value, num.post));
    if (s == "NaN" || s == "Infinity" || s == "-Infinity") {
      np.number = OverflowedEeee(num);
    } else if (s[0] != '-') {
      np.number = " " + s;
    } else {
      np.number = s;
    }
  } else {
    Numeric v = value;
    if (num.Has(kMulti)) {
      SQLRITE_ASSIGN_OR_RETURN(
          Numeric scale, Numeric::Power(Numeric::FromInt64(10), Numeric::FromInt64(num.multi)));
      SQLRITE_ASSIGN_OR_RETURN(v, Numeric::Mul(v, scale));
      num.pre += num.multi;
    }
    SQLRITE_ASSIGN_OR_RETURN(Numeric rounded, v.Round(num.post));
    Prepared(np, num, rounded.ToString());
  }
  return Process(p.nodes, num, np);
}

Result<std::string> IntegerToChar(int64_t value, bool int8, std::string_view format) {
  if (format.empty()) return std::string();
  SQLRITE_ASSIGN_OR_RETURN(Parsed p, Parse(format));
  Desc& num = p.num;
  Processor np;
  if (num.Has(kRoman)) {
    if (value < INT32_MIN || value > INT32_MAX) {
      return Fail(sqlstate::kNumericValueOutOfRange, "integer out of range");
    }
    np.number = Roman(value);
  } else if (num.Has(kEeee)) {
    np.number = SciOfDouble(num.post, static_cast<double>(value));
  } else {
    int64_t v = value;
    if (num.Has(kMulti)) {
      const auto factor = static_cast<int64_t>(std::pow(10.0, num.multi));
      if (int8) {
        if (__builtin_mul_overflow(value, factor, &v)) {
          return Fail(sqlstate::kNumericValueOutOfRange, "bigint out of range");
        }
      } else {
        // int4's V multiplies in int32 and wraps, as PostgreSQL's C does.
        v = static_cast<int32_t>(static_cast<uint32_t>(static_cast<int32_t>(value)) *
                                 static_cast<uint32_t>(static_cast<int32_t>(factor)));
      }
      num.pre += num.multi;
    }
    std::string text = std::to_string(v);
    if (num.post > 0) text += "." + std::string(static_cast<size_t>(num.post), '0');
    Prepared(np, num, std::move(text));
  }
  return Process(p.nodes, num, np);
}

Result<std::string> FloatToChar(double value, bool float4, std::string_view format) {
  if (format.empty()) return std::string();
  SQLRITE_ASSIGN_OR_RETURN(Parsed p, Parse(format));
  Desc& num = p.num;
  Processor np;
  if (num.Has(kRoman)) {
    // (int) rint(value) of a value out of int's range is INT_MIN on PostgreSQL's platforms.
    const double r = std::rint(value);
    np.number = Roman(r >= INT32_MIN && r <= INT32_MAX ? static_cast<int64_t>(r) : INT32_MIN);
  } else if (num.Has(kEeee)) {
    if (std::isnan(value) || std::isinf(value)) {
      np.number = OverflowedEeee(num);
    } else {
      np.number = SciOfDouble(num.post, value);
    }
  } else {
    double v = value;
    if (num.Has(kMulti)) {
      if (float4) {
        v = static_cast<float>(value) * static_cast<float>(std::pow(10.0, num.multi));
      } else {
        v = value * std::pow(10.0, num.multi);
      }
      num.pre += num.multi;
    }
    const int digits = float4 ? FLT_DIG : DBL_DIG;
    const int pre_len = static_cast<int>(Printf("%.*f", 0, std::fabs(v)).size());
    if (pre_len >= digits) {
      num.post = 0;
    } else if (pre_len + num.post > digits) {
      num.post = digits - pre_len;
    }
    Prepared(np, num, Printf("%.*f", num.post, v));
  }
  return Process(p.nodes, num, np);
}

Result<std::optional<Numeric>> ToNumber(std::string_view input, std::string_view format) {
  if (format.empty()) return std::optional<Numeric>();
  SQLRITE_ASSIGN_OR_RETURN(Parsed p, Parse(format));
  Desc& num = p.num;
  Processor np;
  np.to_char = false;
  np.input = input;
  SQLRITE_ASSIGN_OR_RETURN(std::string text, Process(p.nodes, num, np));
  const int scale = num.post;
  const int precision = num.pre + num.multi + scale;
  SQLRITE_ASSIGN_OR_RETURN(Numeric result,
                           Numeric::Parse(text, Numeric::MakeTypmod(precision, scale)));
  if (num.Has(kMulti)) {
    SQLRITE_ASSIGN_OR_RETURN(
        Numeric x, Numeric::Power(Numeric::FromInt64(10), Numeric::FromInt64(-num.multi)));
    SQLRITE_ASSIGN_OR_RETURN(result, Numeric::Mul(result, x));
  }
  return std::optional<Numeric>(std::move(result));
}

}  // namespace sqlrite::engine::functions
