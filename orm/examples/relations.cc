// Relations declared once in the models (SQLRITE_RELATIONS) and preloaded with Include, one query
// per relation: has_many, belongs_to, has_one. The belongs_to is also a FOREIGN KEY in the schema.
#include <cstdio>

#include "orm/examples/example_util.h"

namespace orm = sqlrite::orm;
using example::Check;
using example::Must;

struct Todo;
struct Settings {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string theme;
  SQLRITE_MODEL(Settings, "ex_settings", (id, key), (user_id, unique), (theme))
};

struct User {
  std::int64_t id = 0;
  std::string name;
  std::vector<Todo> todos;           // has_many
  std::optional<Settings> settings;  // has_one
  SQLRITE_MODEL(User, "ex_users", (id, key), (name))
  // has_many: the foreign key is Todo's belongs_to back; has_one: Settings declares none, so the
  // foreign key is named.
  SQLRITE_RELATIONS(User, (todos, has_many), (settings, has_one, user_id))
};

struct Todo {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string title;
  std::optional<User> user;  // belongs_to
  SQLRITE_MODEL(Todo, "ex_user_todos", (id, key), (user_id), (title))
  SQLRITE_RELATIONS(Todo, (user, belongs_to))  // user_id REFERENCES ex_users (id)
};

int main(int argc, char** argv) {
  auto db = Must(orm::Db::Open(example::UrlFrom(argc, argv)), "open");
  Must(db.Register<User, Todo, Settings>(), "register");
  (void)db.DropSchema();
  Must(db.PushSchema(), "push schema");
  Must(orm::CreateMany(db, std::vector<User>{{.id = 1, .name = "Ann"}, {.id = 2, .name = "Bob"}}),
       "create users");
  Must(orm::CreateMany(db, std::vector<Todo>{{.id = 1, .user_id = 1, .title = "docs"},
                                             {.id = 2, .user_id = 2, .title = "bug"},
                                             {.id = 3, .user_id = 1, .title = "review"}}),
       "create todos");
  Must(orm::Create(db, Settings{.id = 1, .user_id = 2, .theme = "dark"}), "create settings");

  auto users = Must(User::All().OrderBy(User::fields.id.Asc()).Exec(db), "users");
  Must(orm::Include(db, users, User::rel.todos), "include todos");
  Must(orm::Include(db, users, User::rel.settings), "include settings");
  Check(users[0].todos.size() == 2 && !users[0].settings, "Ann: two todos, no settings");
  Check(users[1].todos.size() == 1 && users[1].settings->theme == "dark", "Bob: one, dark");
  for (const User& u : users) {
    std::printf("%s: %zu todos, theme %s\n", u.name.c_str(), u.todos.size(),
                u.settings ? u.settings->theme.c_str() : "default");
  }

  auto todos = Must(Todo::All().OrderBy(Todo::fields.id.Asc()).Exec(db), "todos");
  Must(orm::Include(db, todos, Todo::rel.user), "include users");
  auto orphan = orm::Create(db, Todo{.id = 9, .user_id = 99, .title = "nobody's"});
  Check(!orphan && orphan.error().sqlstate == "23503", "a todo of no user is refused");
  for (const Todo& t : todos) std::printf("%s by %s\n", t.title.c_str(), t.user->name.c_str());
  Check(todos[1].user->name == "Bob", "the bug is Bob's");
  // The accessors: one row's related rows as a query, its parent, a create through it.
  Check(Must(users[0].related_todos().Filter(Todo::fields.title != "docs").Count(db), "count") == 1,
        "one of Ann's todos is not the docs");
  Check(Must(todos[2].related_user().Get(db), "the review's user").name == "Ann",
        "the review is Ann's");
  Must(users[0].related_settings().Create(db, Settings{.id = 2, .theme = "light"}), "settings");
  Check(Must(users[0].related_settings().Get(db), "Ann's settings").value().theme == "light",
        "Ann's settings made through her");
  Must(db.DropSchema(), "drop schema");
  return 0;
}
