// Models, the schema, and the everyday calls: create, get, filter, update, remove.
// Keys are given by the application here, so the example also runs on sqlrited, which has no
// identity columns yet (with `(id, key, auto_increment)` the database would assign them).
#include <cstdio>

#include "orm/examples/example_util.h"

namespace orm = sqlrite::orm;
using example::Check;
using example::Must;

struct Todo {
  std::int64_t id = 0;
  std::string title;
  std::optional<std::string> notes;
  int priority = 0;
  bool done = false;
  SQLRITE_MODEL(Todo, "ex_todos", (id, key), (title, unique), (notes), (priority),
                (done, defaulted))
};

int main(int argc, char** argv) {
  auto db = Must(orm::Db::Open(example::UrlFrom(argc, argv)), "open");
  Must(db.Register<Todo>(), "register");
  (void)db.DropSchema();
  Must(db.PushSchema(), "push schema");

  Must(orm::Create(db, Todo{.id = 1, .title = "write the docs", .priority = 2}), "create");
  Must(orm::CreateMany(db, std::vector<Todo>{{.id = 2, .title = "fix the bug", .priority = 3},
                                             {.id = 3, .title = "lunch", .priority = 1}}),
       "create many");

  const auto& f = Todo::fields;
  Todo bug = Must(Todo::GetBy(db, f.title, "fix the bug"), "get by title");
  Must(orm::Update(bug).Set(f.done, true).Set(f.notes, "off by one").Exec(db), "update");

  auto open =
      Must(Todo::Filter(f.done == false && f.priority >= 2).OrderBy(f.priority.Desc()).Exec(db),
           "filter");
  Check(open.size() == 1 && open[0].title == "write the docs", "one open todo of priority 2+");

  auto dup = orm::Create(db, Todo{.id = 4, .title = "lunch"});
  Check(!dup && dup.error().sqlstate == "23505", "a second 'lunch' is a unique violation");

  Must(orm::Remove(db, Todo{.id = 3}), "remove");
  std::int64_t left = Must(Todo::All().Count(db), "count");
  Check(left == 2, "two todos left");
  for (const Todo& t : Must(Todo::All().OrderBy(f.id.Asc()).Exec(db), "list")) {
    std::printf("%lld %s%s\n", static_cast<long long>(t.id), t.title.c_str(),
                t.done ? " (done)" : "");
  }
  Must(db.DropSchema(), "drop schema");
  return 0;
}
