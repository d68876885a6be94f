// A todo app: users, their todos, tags on todos. Shows the model features together: UUID v7
// keys (uuid columns), created_at / updated_at (timestamptz), relations declared once in the
// models (foreign keys with ON DELETE in the schema) and their accessors (user.related_todos()),
// a version field, nested and scoped creates, include paths, relation paths in filters,
// Increment, cursor pagination, a time-of-day column and a cascading delete done by the database.
// Runs unchanged on every backend: `orm_example_todo sqlite::memory:`,
// `orm_example_todo postgresql://postgres@127.0.0.1:5432/postgres`, `orm_example_todo
// sqlrite://sqlrite@127.0.0.1:5432/sqlrite`.
#include <cstdio>

#include "orm/examples/example_util.h"

namespace orm = sqlrite::orm;
using example::Check;
using example::Must;

struct Todo;
struct User {
  orm::Uuid id;  // a UUID v4, made on create
  std::string email;
  std::string name;
  std::int64_t logins = 0;
  orm::Time standup{};  // a time of day (`time`; ISO text on SQLite)
  std::vector<Todo> todos;
  SQLRITE_MODEL(User, "ex_app_users", (id, key, uuid_v4), (email, unique), (name), (logins),
                (standup))
  SQLRITE_RELATIONS(User, (todos, has_many))  // through Todo's belongs_to
};

struct Tag;
struct Todo {
  orm::Uuid id;                      // a UUID v7, made on create
  std::optional<orm::Uuid> user_id;  // optional: a user's todos outlive the user, unassigned
  std::string title;
  int priority = 0;
  bool done = false;
  std::int64_t version = 0;  // optimistic concurrency
  orm::Timestamp created{};
  orm::Timestamp updated{};
  std::optional<User> user;
  std::vector<Tag> tags;
  SQLRITE_MODEL(Todo, "ex_app_todos", (id, key, uuid_v7), (user_id, index), (title), (priority),
                (done, defaulted), (version, version), (created, created_at), (updated, updated_at))
  // REFERENCES ex_app_users ON DELETE SET NULL (the foreign key is optional).
  SQLRITE_RELATIONS(Todo, (user, belongs_to), (tags, has_many))
};

struct Tag {
  std::int64_t id = 0;
  orm::Uuid todo_id;  // required: a todo's tags go with it (ON DELETE CASCADE)
  std::string label;
  std::optional<Todo> todo;
  SQLRITE_MODEL(Tag, "ex_app_tags", (id, key, auto_increment), (todo_id, index), (label))
  SQLRITE_RELATIONS(Tag, (todo, belongs_to))
};

int main(int argc, char** argv) {
  auto db = Must(orm::Db::Open(example::UrlFrom(argc, argv)), "open");
  Must(db.Register<Tag, Todo, User>(), "register");  // PushSchema puts parents first
  (void)db.DropSchema();
  Must(db.PushSchema(), "push schema");
  const auto& tf = Todo::fields;

  // A user and her first todos in one transaction; then todos created through her (scoped).
  using namespace std::chrono_literals;
  User ann = Must(orm::CreateWith(db,
                                  User{.email = "ann@example.com",
                                       .name = "Ann",
                                       .standup = orm::Time(9h, 30min),
                                       .todos = {{.title = "write the docs", .priority = 2},
                                                 {.title = "fix the bug", .priority = 3}}},
                                  User::rel.todos),
                  "create a user with todos");
  for (int i = 0; i < 5; ++i) {
    Must(ann.related_todos().Create(db, Todo{.title = "chore " + std::to_string(i), .priority = 1}),
         "scoped create");
  }
  auto found = Must(ann.related_todos().Filter(tf.title == "fix the bug").First(db), "find");
  Check(found.has_value(), "Ann's bug todo");
  Todo bug = *found;
  for (const char* label : {"urgent", "backend"}) {
    Must(bug.related_tags().Create(db, Tag{.label = label}), "tag");
  }
  Check(Must(bug.related_user().Get(db), "the todo's user").value().name == "Ann", "bug is Ann's");
  Check(Must(ann.related_todos().Count(db), "count") == 7, "Ann has seven todos");
  auto early = Must(User::Filter(User::fields.standup < orm::Time(10h, 0min)).Count(db), "times");
  Check(early == 1, "one stand-up before ten");
  Must(User::Filter(User::fields.email == "ann@example.com")
           .Update()
           .Increment(User::fields.logins, 1)
           .Exec(db),
       "count a login");

  // Two tabs edit the same todo: the second save is refused, not lost.
  Todo tab1 = bug, tab2 = bug;
  tab1.done = true;
  Must(orm::Save(db, tab1), "save in tab 1");
  tab2.priority = 5;
  auto stale = orm::Save(db, tab2);
  Check(!stale && stale.error().sqlstate == "40001", "tab 2's save is stale");

  // Users with an urgent todo, with their todos and those todos' tags, in three queries.
  auto urgent = Must(User::Filter(orm::Any(User::rel.todos,
                                           orm::Any(Todo::rel.tags, Tag::fields.label == "urgent")))
                         .Include(User::rel.todos, Todo::rel.tags)
                         .Exec(db),
                     "users with urgent todos");
  Check(urgent.size() == 1 && urgent[0].todos.size() == 7, "Ann and her seven todos");
  for (const Todo& t : urgent[0].todos) {
    std::printf("%s %s%s (%zu tags, created %s)\n", orm::FormatUuid(t.id).c_str(), t.title.c_str(),
                t.done ? " [done]" : "", t.tags.size(), orm::FormatTimestamp(t.created).c_str());
  }

  // The open todos, three per page, most important first.
  auto page = Must(Todo::Filter(tf.done == false).OrderBy(tf.priority.Desc()).Paginate(db, 3),
                   "first page");
  int pages = 1, seen = static_cast<int>(page.items.size());
  while (page.has_next()) {
    page = Must(page.Next(db), "next page");
    ++pages;
    seen += static_cast<int>(page.items.size());
  }
  Check(pages == 2 && seen == 6, "six open todos on two pages");

  // The todos of the last hour, oldest first (timestamptz comparisons on every backend).
  auto recent =
      Must(Todo::Filter(tf.created > std::chrono::system_clock::now() - std::chrono::hours(1))
               .OrderBy(tf.created.Asc(), tf.id.Asc())
               .Count(db),
           "recent todos");
  Check(recent == 7, "seven todos made in the last hour");

  // Ann leaves: her todos stay, unassigned (ON DELETE SET NULL: an optional foreign key).
  Must(orm::Remove(db, ann), "remove the user");
  Check(Must(Todo::Filter(tf.user_id.IsNull()).Count(db), "count") == 7, "seven todos unassigned");
  // Removing a todo takes its tags (ON DELETE CASCADE: a required foreign key).
  Todo done = Must(Todo::Get(db, bug.id), "re-read");
  Must(orm::Remove(db, done), "remove a todo");
  Check(Must(Tag::All().Count(db), "count tags") == 0, "its tags went with it");

  Must(db.DropSchema(), "drop schema");
  std::printf("todo app: ok\n");
  return 0;
}
