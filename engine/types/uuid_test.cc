#include "engine/types/uuid.h"

#include <gtest/gtest.h>

namespace sqlrite::engine::uuid {
namespace {

std::string Text(std::string_view bytes) {
  std::string out;
  AppendText(out, bytes);
  return out;
}

TEST(UuidTest, AcceptsTheFormsPostgresAccepts) {
  const std::string canonical = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
  for (const char* form :
       {"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}",
        "a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11",
        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"}) {
    auto v = Parse(form);
    ASSERT_TRUE(v.has_value()) << form;
    EXPECT_EQ(Text(*v), canonical) << form;
  }
}

TEST(UuidTest, RejectsOtherForms) {
  for (const char* form :
       {"", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11x",
        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc9-99c0b-4ef8-bb6d-6bb9bd380a11",
        " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-",
        "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}) {
    auto v = Parse(form);
    ASSERT_FALSE(v.has_value()) << form;
    EXPECT_EQ(v.error().sqlstate, std::string("22P02"));
    EXPECT_EQ(v.error().message,
              std::string("invalid input syntax for type uuid: \"") + form + "\"");
  }
}

TEST(UuidTest, RandomIsVersion4) {
  auto a = Random();
  auto b = Random();
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(Text(*a)[14], '4');
  EXPECT_EQ((static_cast<unsigned char>((*a)[8]) & 0xC0), 0x80);
}

}  // namespace
}  // namespace sqlrite::engine::uuid
