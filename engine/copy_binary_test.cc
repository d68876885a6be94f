// COPY's binary format: the header's checks, tuples split across CopyData pieces at every byte,
// NULLs, the trailer and what may follow it, and the framing errors with the field they name.

#include "engine/copy_binary.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/bytes.h"

namespace sqlrite::engine {
namespace {

std::string Header(uint32_t flags = 0, std::string extension = {}) {
  std::string out(kCopyBinarySignature);
  AppendBE32(out, flags);
  AppendBE32(out, static_cast<uint32_t>(extension.size()));
  return out + extension;
}

// A tuple of fields; "\x01NULL" stands for NULL.
std::string Tuple(const std::vector<std::string>& fields) {
  std::string out;
  AppendBE16(out, static_cast<uint16_t>(fields.size()));
  for (const std::string& f : fields) {
    if (f == "\x01NULL") {
      AppendBE32(out, 0xFFFFFFFF);
      continue;
    }
    AppendBE32(out, static_cast<uint32_t>(f.size()));
    out += f;
  }
  return out;
}

std::string Trailer() {
  std::string out;
  AppendCopyBinaryTrailer(out);
  return out;
}

// Every tuple of input, fed in pieces of `piece` bytes, as "a|b|NULL" lines; an error ends the
// list as "ERROR line N: message" (with " @field k" for a tuple's framing error).
std::vector<std::string> Tuples(std::string_view input, size_t fields, size_t piece = 1 << 20) {
  CopyBinaryReader reader(fields);
  std::vector<std::string> out;
  auto drain = [&](bool eof) {
    while (true) {
      auto r = reader.Next(eof);
      if (!r) {
        out.push_back("ERROR line " + std::to_string(reader.header_done() ? reader.line() : 0) +
                      ": " + r.error().message);
        return false;
      }
      if (*r == nullptr) return true;
      std::string line;
      for (size_t i = 0; i < (*r)->fields.size(); ++i) {
        if (i > 0) line += "|";
        line += (*r)->fields[i] ? std::string(*(*r)->fields[i]) : "NULL";
      }
      if ((*r)->error) {
        out.push_back("ERROR line " + std::to_string((*r)->line) + ": " + (*r)->error->message +
                      " @field " + std::to_string((*r)->fields.size()) + " after [" + line + "]");
        return false;
      }
      out.push_back(line);
    }
  };
  for (size_t i = 0; i < input.size(); i += piece) {
    reader.Feed(input.substr(i, piece));
    if (!drain(false)) return out;
  }
  drain(true);
  return out;
}

TEST(CopyBinaryTest, WriterAndReaderAgree) {
  std::string out;
  AppendCopyBinaryHeader(out);
  EXPECT_EQ(out, Header());
  const std::string input = Header() + Tuple({"ab", "\x01NULL", ""}) + Tuple({"x", "y", "z"}) +
                            Trailer();
  const std::vector<std::string> want = {"ab|NULL|", "x|y|z"};
  for (size_t piece : {1, 2, 3, 7, 1 << 20}) {
    EXPECT_EQ(Tuples(input, 3, piece), want) << "piece " << piece;
  }
}

TEST(CopyBinaryTest, HeaderChecks) {
  EXPECT_EQ(Tuples("PGCOPY\n", 1),
            std::vector<std::string>{"ERROR line 0: COPY file signature not recognized"});
  EXPECT_EQ(Tuples("PGCOPX\n\377\r\n\0xxxxxxxxxx", 1),
            std::vector<std::string>{"ERROR line 0: COPY file signature not recognized"});
  EXPECT_EQ(Tuples(std::string(kCopyBinarySignature) + "\0\0", 1),
            std::vector<std::string>{"ERROR line 0: invalid COPY file header (missing flags)"});
  EXPECT_EQ(Tuples(Header(1u << 16), 1),
            std::vector<std::string>{"ERROR line 0: invalid COPY file header (WITH OIDS)"});
  EXPECT_EQ(Tuples(Header(1u << 17), 1),
            std::vector<std::string>{"ERROR line 0: unrecognized critical flags in COPY file header"});
  // Low flag bits and a header extension are skipped.
  EXPECT_EQ(Tuples(Header(0xFFFF, "ext") + Tuple({"v"}), 1), std::vector<std::string>{"v"});
  std::string short_extension = Header(0, "abc");
  short_extension.pop_back();
  EXPECT_EQ(Tuples(short_extension, 1),
            std::vector<std::string>{"ERROR line 0: invalid COPY file header (wrong length)"});
  std::string negative(kCopyBinarySignature);
  AppendBE32(negative, 0);
  AppendBE32(negative, 0xFFFFFFFF);
  EXPECT_EQ(Tuples(negative, 1),
            std::vector<std::string>{"ERROR line 0: invalid COPY file header (missing length)"});
}

TEST(CopyBinaryTest, EndOfInput) {
  // No trailer, or a lone byte where a field count would be: the COPY just ends.
  EXPECT_EQ(Tuples(Header() + Tuple({"a"}), 1), std::vector<std::string>{"a"});
  EXPECT_EQ(Tuples(Header() + Tuple({"a"}) + "\0", 1), std::vector<std::string>{"a"});
  EXPECT_EQ(Tuples(Header() + Trailer() + "x", 1, 1),
            std::vector<std::string>{"ERROR line 1: received copy data after EOF marker"});
  EXPECT_EQ(Tuples(Header() + Tuple({"a"}) + Trailer() + "x", 1),
            (std::vector<std::string>{"a", "ERROR line 2: received copy data after EOF marker"}));
}

TEST(CopyBinaryTest, FramingErrors) {
  EXPECT_EQ(Tuples(Header() + Tuple({"a"}) + Tuple({"a", "b"}), 1),
            (std::vector<std::string>{"a", "ERROR line 2: row field count is 2, expected 1"}));
  std::string bad_size = Header() + Tuple({"a"});
  AppendBE32(bad_size, static_cast<uint32_t>(-2));
  bad_size.insert(kCopyBinarySignature.size() + 8, std::string("\0\2", 2));
  bad_size.erase(kCopyBinarySignature.size() + 10, 2);
  EXPECT_EQ(Tuples(bad_size, 2),
            std::vector<std::string>{"ERROR line 1: invalid field size @field 1 after [a]"});
  std::string cut = Header() + Tuple({"abc", "def"});
  cut.pop_back();
  for (size_t piece : {1, 1 << 20}) {
    EXPECT_EQ(Tuples(cut, 2, piece),
              std::vector<std::string>{"ERROR line 1: unexpected EOF in COPY data @field 1 after [abc]"});
  }
}

}  // namespace
}  // namespace sqlrite::engine
