// The consumer of the installed ORM: a model, its schema, a create, a get by key, a typed filter
// and a preloaded relation, on the database a URL names (default: SQLite in memory). Prints
// "orm_consumer: ok" and exits 0 when every answer is the expected one.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "orm/orm.h"

namespace orm = sqlrite::orm;

struct Note;
struct Owner {
  std::int64_t id = 0;
  std::string name;
  std::vector<Note> notes;
  SQLRITE_MODEL(Owner, "owners", (id, key, auto_increment), (name, unique))
  SQLRITE_RELATIONS(Owner, (notes, has_many, owner_id))
};
struct Note {
  std::int64_t id = 0;
  std::int64_t owner_id = 0;
  std::string text;
  std::optional<std::string> tag;
  SQLRITE_MODEL(Note, "notes", (id, key, auto_increment), (owner_id, index), (text), (tag))
};

int Fail(const char* what, const orm::Error& e) {
  std::fprintf(stderr, "orm_consumer: %s: %s %s\n", what, e.sqlstate.c_str(), e.message.c_str());
  return 1;
}

int main(int argc, char** argv) {
  auto db = orm::Db::Open(argc > 1 ? argv[1] : "sqlite::memory:");
  if (!db) return Fail("open", db.error());
  if (auto s = db->Register<Owner, Note>(); !s) return Fail("register", s.error());
  if (auto s = db->PushSchema(); !s) return Fail("push schema", s.error());
  auto ann = orm::Create(*db, Owner{.name = "Ann"});
  if (!ann) return Fail("create", ann.error());
  auto notes = orm::CreateMany(*db, std::vector<Note>{{.owner_id = ann->id, .text = "alpha"},
                                                      {.owner_id = ann->id, .text = "beta"}});
  if (!notes) return Fail("create many", notes.error());
  auto got = Owner::Get(*db, ann->id);
  if (!got) return Fail("get", got.error());
  auto owners = Owner::Filter(Owner::fields.name.StartsWith("An")).Exec(*db);
  if (!owners) return Fail("filter", owners.error());
  if (auto s = orm::Include(*db, *owners, Owner::rel.notes); !s) {
    return Fail("include", s.error());
  }
  if (got->name != "Ann" || owners->size() != 1 || (*owners)[0].notes.size() != 2 ||
      (*owners)[0].notes[1].text != "beta") {
    std::fprintf(stderr, "orm_consumer: wrong answers\n");
    return 1;
  }
  if (auto s = db->DropSchema(); !s) return Fail("drop schema", s.error());
  std::printf("orm_consumer: ok\n");
  return 0;
}
