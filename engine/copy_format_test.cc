// The COPY text and CSV formats: records, fields, escapes, quotes, NULL strings, newline styles,
// the end-of-data marker, and the writer's escaping and quoting.

#include "engine/copy_format.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sqlrite::engine {
namespace {

CopyOptions Options(std::vector<ast::CopyOption> list, bool is_from = true) {
  auto options = ProcessCopyOptions(list, is_from);
  EXPECT_TRUE(options.has_value()) << options.error().message;
  return *options;
}

ast::CopyOption Opt(std::string name, std::string value = {},
                    ast::CopyOption::Kind kind = ast::CopyOption::kString) {
  ast::CopyOption o;
  o.name = std::move(name);
  o.kind = value.empty() && kind == ast::CopyOption::kString ? ast::CopyOption::kNone : kind;
  o.value = std::move(value);
  return o;
}

// Every record of input, fed in pieces of `piece` bytes; "ERROR: message" on failure.
std::vector<std::string> Records(const CopyOptions& options, std::string_view input,
                                 size_t piece = 1 << 20) {
  CopyLineReader reader(options);
  std::vector<std::string> out;
  auto drain = [&](bool eof) {
    while (true) {
      auto r = reader.Next(eof);
      if (!r) {
        out.push_back("ERROR: " + r.error().message);
        return false;
      }
      if (!*r) return true;
      out.emplace_back((*r)->text);
    }
  };
  for (size_t i = 0; i < input.size(); i += piece) {
    reader.Feed(input.substr(i, piece));
    if (!drain(false)) return out;
  }
  drain(true);
  return out;
}

std::vector<CopyField> Fields(const CopyOptions& options, std::string_view record) {
  std::vector<CopyField> fields;
  auto s = ParseCopyFields(record, options, &fields);
  EXPECT_TRUE(s.has_value()) << s.error().message;
  return fields;
}

std::string Written(const CopyOptions& options, std::string_view value, bool force = false,
                    bool single = false) {
  std::string out;
  AppendCopyValue(out, value, options, force, single);
  return out;
}

TEST(CopyFormatTest, TextRecordsSplitOnNewlinesWhateverThePieces) {
  CopyOptions text = Options({});
  const std::string input = "1\ta\n2\tb\\\nc\n3\tlast";
  const std::vector<std::string> expected = {"1\ta", "2\tb\\\nc", "3\tlast"};
  for (size_t piece : {1, 2, 3, 100}) EXPECT_EQ(Records(text, input, piece), expected) << piece;
}

TEST(CopyFormatTest, NewlineStyleIsTheFirstLines) {
  CopyOptions text = Options({});
  EXPECT_EQ(Records(text, "a\r\nb\r\n", 1), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Records(text, "a\rb\r"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Records(text, "a\r\nb\n"),
            (std::vector<std::string>{"a", "ERROR: literal newline found in data"}));
  EXPECT_EQ(Records(text, "a\nb\rc\n"),
            (std::vector<std::string>{"a", "ERROR: literal carriage return found in data"}));
}

TEST(CopyFormatTest, EndOfDataMarkerEndsInputAndIgnoresTheRest) {
  CopyOptions text = Options({});
  EXPECT_EQ(Records(text, "a\n\\.\nignored\n", 1), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Records(text, "a\nb\\.\n"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Records(text, "a\n\\.x\n"),
            (std::vector<std::string>{"a", "ERROR: end-of-copy marker corrupt"}));
  CopyOptions csv = Options({Opt("format", "csv")});
  // In CSV only a line of its own is the marker; elsewhere it is data.
  EXPECT_EQ(Records(csv, "a\n\\.\nb\n"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Records(csv, "a\n\\.x\n"), (std::vector<std::string>{"a", "\\.x"}));
}

TEST(CopyFormatTest, CsvQuotedNewlinesStayInTheRecord) {
  CopyOptions csv = Options({Opt("format", "csv")});
  for (size_t piece : {1, 5, 100}) {
    EXPECT_EQ(Records(csv, "1,\"a\nb\"\n2,\"x\"\"\ny\"\n", piece),
              (std::vector<std::string>{"1,\"a\nb\"", "2,\"x\"\"\ny\""}));
  }
}

TEST(CopyFormatTest, TextEscapes) {
  CopyOptions text = Options({});
  auto f = Fields(text, "a\\tb\\\\c\\nd\\x41\\101\\b\\f\\r\\v\\q\tx\\\ty");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(*f[0],
            "a\tb\\c\nd"
            "AA\b\f\r\vq");
  EXPECT_EQ(*f[1], "x\ty");
  EXPECT_EQ(*Fields(text, "\\x")[0], "x");  // no hex digit: the letter itself
  EXPECT_EQ(*Fields(text, "\\x4g")[0], "\x04g");
}

TEST(CopyFormatTest, TextNullIsRecognisedBeforeEscapes) {
  CopyOptions text = Options({});
  auto f = Fields(text, "\\N\t\\\\N\t");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_FALSE(f[0].has_value());
  EXPECT_EQ(*f[1], "\\N");
  EXPECT_EQ(*f[2], "");
  CopyOptions custom = Options({Opt("null", "NIL"), Opt("delimiter", "|")});
  auto g = Fields(custom, "NIL|a\\|b|");
  ASSERT_EQ(g.size(), 3u);
  EXPECT_FALSE(g[0].has_value());
  EXPECT_EQ(*g[1], "a|b");
}

TEST(CopyFormatTest, TextEscapeMakingInvalidUtf8Fails) {
  CopyOptions text = Options({});
  std::vector<CopyField> fields;
  auto s = ParseCopyFields("\\xff", text, &fields);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().sqlstate, "22021");
  EXPECT_EQ(s.error().message, "invalid byte sequence for encoding \"UTF8\": 0xff");
  EXPECT_TRUE(ParseCopyFields("\\xc3\\xb1", text, &fields).has_value());  // ñ
}

TEST(CopyFormatTest, EncodingAndFieldsAreCheckedWhereverTheBytesFall) {
  // The UTF-8 check takes eight ASCII bytes at a time and the field split searches with memchr:
  // a bad byte, a zero byte or a valid multibyte character at any offset, and escapes and
  // escaped delimiters anywhere in long fields, give what a byte-at-a-time reading gives.
  for (size_t at = 0; at < 25; ++at) {
    std::string bad(25, 'a');
    bad[at] = '\xff';
    auto s = CheckCopyUtf8(bad);
    ASSERT_FALSE(s) << at;
    EXPECT_EQ(s.error().message, "invalid byte sequence for encoding \"UTF8\": 0xff") << at;
    std::string zero(25, 'a');
    zero[at] = '\0';
    EXPECT_FALSE(CheckCopyUtf8(zero)) << at;
    if (at + 2 <= 25) {
      std::string good(25, 'a');
      good.replace(at, 2, "\xc3\xb1");  // ñ
      EXPECT_TRUE(CheckCopyUtf8(good)) << at;
    }
  }
  CopyOptions text = Options({});
  std::string record;
  std::vector<std::string> expected;
  for (size_t n = 0; n < 40; ++n) {
    std::string raw;
    std::string value;
    for (size_t k = 0; k < n; ++k) {
      if (k % 7 == 3) {
        raw += "\\t";
        value += '\t';
      } else if (k % 11 == 5) {
        raw += "\\\t";  // an escaped delimiter stays in the field
        value += '\t';
      } else {
        raw += static_cast<char>('a' + k % 26);
        value += static_cast<char>('a' + k % 26);
      }
    }
    record += (n == 0 ? "" : "\t") + raw;
    expected.push_back(value);
  }
  auto f = Fields(text, record);
  ASSERT_EQ(f.size(), expected.size());
  for (size_t n = 0; n < f.size(); ++n) {
    ASSERT_TRUE(f[n]) << n;
    EXPECT_EQ(*f[n], expected[n]) << n;
  }
}

TEST(CopyFormatTest, CsvQuotesDelimitersAndNull) {
  CopyOptions csv = Options({Opt("format", "csv")});
  auto f = Fields(csv, "1,\"a,b\",,\"\",\"say \"\"hi\"\"\",x\"y\"z");
  ASSERT_EQ(f.size(), 6u);
  EXPECT_EQ(*f[1], "a,b");
  EXPECT_FALSE(f[2].has_value());  // unquoted empty: NULL
  EXPECT_EQ(*f[3], "");            // quoted empty: empty string
  EXPECT_EQ(*f[4], "say \"hi\"");
  EXPECT_EQ(*f[5], "xyz");
  std::vector<CopyField> fields;
  auto bad = ParseCopyFields("1,\"open", csv, &fields);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().sqlstate, "22P04");
  EXPECT_EQ(bad.error().message, "unterminated CSV quoted field");
}

TEST(CopyFormatTest, CsvEscapeOtherThanQuote) {
  CopyOptions csv = Options({Opt("format", "csv"), Opt("quote", "'"), Opt("escape", "\\")});
  auto f = Fields(csv, "'it\\'s','a\\\\b','c\\d'");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(*f[0], "it's");
  EXPECT_EQ(*f[1], "a\\b");
  EXPECT_EQ(*f[2], "c\\d");  // an escape before anything else is data
}

TEST(CopyFormatTest, MultibyteDelimitersAndValuesPassThrough) {
  CopyOptions csv = Options({Opt("format", "csv"), Opt("delimiter", ";")});
  auto f = Fields(csv, "ñandú;\"日本;語\"");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(*f[0], "ñandú");
  EXPECT_EQ(*f[1], "日本;語");
  EXPECT_EQ(CopyContextValue(std::string(99, 'a') + "ñ"), std::string(99, 'a') + "...");
}

TEST(CopyFormatTest, WriterEscapesText) {
  CopyOptions text = Options({}, false);
  EXPECT_EQ(Written(text, "a\tb\\c\nd\re\bf\fg\vh"), "a\\tb\\\\c\\nd\\re\\bf\\fg\\vh");
  EXPECT_EQ(Written(text, "\x01x"), "\x01x");
  CopyOptions pipe = Options({Opt("delimiter", "|")}, false);
  EXPECT_EQ(Written(pipe, "a|b"), "a\\|b");
}

TEST(CopyFormatTest, WriterQuotesCsvOnlyWhenNeeded) {
  CopyOptions csv = Options({Opt("format", "csv")}, false);
  EXPECT_EQ(Written(csv, "plain"), "plain");
  EXPECT_EQ(Written(csv, ""), "\"\"");  // would read back as NULL otherwise
  EXPECT_EQ(Written(csv, "a,b"), "\"a,b\"");
  EXPECT_EQ(Written(csv, "say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(Written(csv, "two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(Written(csv, "x", /*force=*/true), "\"x\"");
  EXPECT_EQ(Written(csv, "\\.", false, /*single=*/true), "\"\\.\"");
  EXPECT_EQ(Written(csv, "\\.", false, false), "\\.");
}

TEST(CopyFormatTest, OptionsAreCheckedAsPostgreSQLDoes) {
  auto error = [](std::vector<ast::CopyOption> list, bool from = true) {
    auto r = ProcessCopyOptions(list, from);
    return r ? std::string("ok") : r.error().sqlstate + " " + r.error().message;
  };
  EXPECT_EQ(error({Opt("delimiter", "ab")}),
            "0A000 COPY delimiter must be a single one-byte character");
  EXPECT_EQ(error({Opt("quote", "'")}), "0A000 COPY quote available only in CSV mode");
  EXPECT_EQ(error({Opt("format", "csv"), Opt("force_quote", "", ast::CopyOption::kStar)}),
            "0A000 COPY force quote only available using COPY TO");
  EXPECT_EQ(error({Opt("bogus", "1")}), "42601 option \"bogus\" not recognized");
  EXPECT_EQ(error({Opt("format", "xml")}), "22023 COPY format \"xml\" not recognized");
  EXPECT_EQ(error({Opt("null", "a\tb")}),
            "0A000 COPY delimiter must not appear in the NULL specification");
  EXPECT_EQ(error({Opt("header", "match")}, false),
            "0A000 cannot use \"match\" with HEADER in COPY TO");
  EXPECT_EQ(error({Opt("delimiter", "x")}), "22023 COPY delimiter cannot be \"x\"");
  EXPECT_EQ(error({Opt("format", "csv"), Opt("delimiter", "\"")}),
            "22023 COPY delimiter and quote must be different");
  EXPECT_EQ(error({Opt("encoding", "UTF8")}), "ok");
}

}  // namespace
}  // namespace sqlrite::engine
