// Programs the typed front end must reject. Each case is compiled twice by check.cmake: with
// SQLRITE_ORM_OK defined (the correct line next to it: must compile, so a failure is the rule's,
// not a typo's or a missing header's) and without (must fail with the expected diagnostic).
#include <cstdint>
#include <optional>
#include <string>

#include "orm/orm.h"

struct User {
  std::int64_t id = 0;
  std::string name;
  std::string email;
  std::optional<std::string> bio;
  int age = 0;
  bool admin = false;
  SQLRITE_MODEL(User, "users", (id, key, auto_increment), (name, index), (email, unique), (bio),
                (age), (admin))
};

struct Post {
  std::int64_t id = 0;
  std::string title;
  SQLRITE_MODEL(Post, "posts", (id, key, auto_increment), (title))
};

// A versioned model (Increment must not touch its version) and, for case 18, a UUID field whose
// member is not an orm::Uuid.
struct Doc {
  std::int64_t id = 0;
  std::int64_t hits = 0;
  std::int64_t version = 0;
  SQLRITE_MODEL(Doc, "docs", (id, key, auto_increment), (hits), (version, version))
};

#if CASE == 18
#ifdef SQLRITE_ORM_OK
using TokenKey = sqlrite::orm::Uuid;
#else
using TokenKey = std::string;
#endif
struct Token {
  TokenKey id{};
  SQLRITE_MODEL(Token, "tokens", (id, key, uuid_v4))
};
#endif

// Declared relations (cases 22-29): a parent with a single key, one with a composite key, and
// children whose declarations are right with SQLRITE_ORM_OK and wrong without.
#ifdef SQLRITE_ORM_OK
#define OK_OR(ok, bad) ok
#else
#define OK_OR(ok, bad) bad
#endif
struct Book;
struct Pair {
  std::int64_t a = 0;
  std::int64_t b = 0;
  SQLRITE_MODEL(Pair, "pairs", (a, key), (b, key))
};
struct Shelf {
  std::int64_t id = 0;
  std::vector<Book> books;
  SQLRITE_MODEL(Shelf, "shelves", (id, key, auto_increment))
#if CASE == 24
  SQLRITE_RELATIONS(Shelf, OK_OR((books, has_many, shelf_id), (books, has_many)))
#elif CASE == 29  // a has_one whose member is not a std::optional
  SQLRITE_RELATIONS(Shelf, OK_OR((books, has_many), (books, has_one)))
#else
  SQLRITE_RELATIONS(Shelf, (books, has_many))
#endif
};
struct Book {
  std::int64_t id = 0;
  std::int64_t shelf_id = 0;
  std::string label;
  std::optional<Shelf> shelf;
  std::optional<Pair> pair;
  SQLRITE_MODEL(Book, "books", (id, key, auto_increment), (shelf_id), (label))
#if CASE == 22  // a belongs_to to a model without a single key
  SQLRITE_RELATIONS(Book, OK_OR((shelf, belongs_to), (pair, belongs_to, shelf_id)))
#elif CASE == 23  // a belongs_to whose foreign key has another type than the parent's key
  SQLRITE_RELATIONS(Book, OK_OR((shelf, belongs_to), (shelf, belongs_to, label)))
#elif CASE == 28  // ON DELETE SET NULL of a required foreign key
  SQLRITE_RELATIONS(Book, OK_OR((shelf, belongs_to, shelf_id, cascade),
                                (shelf, belongs_to, shelf_id, set_null)))
#elif CASE == 24  // a has_many with no belongs_to back (Book declares none)
#else
  SQLRITE_RELATIONS(Book, (shelf, belongs_to))
#endif
};

#if CASE == 26
struct Stamp {
  std::int64_t id = 0;
  OK_OR(sqlrite::orm::Timestamp, std::int64_t) at{};
  SQLRITE_MODEL(Stamp, "stamps", (id, key, auto_increment), (at, created_at))
};
#endif

struct Event {
  std::int64_t id = 0;
  sqlrite::orm::Timestamp at{};
  sqlrite::orm::Date day{};
  SQLRITE_MODEL(Event, "events", (id, key, auto_increment), (at), (day))
};

#ifdef SQLRITE_ORM_OK
#define PICK(ok, bad) (ok)
#else
#define PICK(ok, bad) (bad)
#endif

void Case(sqlrite::orm::Db& db, User& u) {
  namespace orm = sqlrite::orm;
  (void)db;
  (void)u;
#if CASE == 1  // a text field compared with a number
  (void)(PICK(User::fields.email == "x", User::fields.email == 5));
#elif CASE == 2                               // a misspelled field
  (void)(PICK(User::fields.email, User::fields.emial));
#elif CASE == 3                               // GetBy on a field that is neither key nor unique
  (void)PICK(User::GetBy(db, User::fields.email, "x"), User::GetBy(db, User::fields.name, "x"));
#elif CASE == 4                               // free GetBy on a non-unique field
  (void)PICK(orm::GetBy(db, User::fields.id, 1), orm::GetBy(db, User::fields.age, 1));
#elif CASE == 5                               // a filter over another model's field
  (void)PICK(User::Filter(User::fields.name == "x"), User::Filter(Post::fields.title == "x"));
#elif CASE == 6                               // IS NULL on a required field
  (void)PICK(User::fields.bio.IsNull(), User::fields.name.IsNull());
#elif CASE == 7                               // Set with a value of the wrong type
  (void)PICK(orm::Update(u).Set(User::fields.age, 3), orm::Update(u).Set(User::fields.age, "3"));
#elif CASE == 8                               // Set of another model's field
  (void)PICK(orm::Update(u).Set(User::fields.name, "t"),
             orm::Update(u).Set(Post::fields.title, "t"));
#elif CASE == 9                               // NULL into a required field
  (void)PICK(orm::Update(u).Set(User::fields.bio, std::nullopt),
             orm::Update(u).Set(User::fields.name, std::nullopt));
#elif CASE == 10                              // StartsWith on a number
  (void)PICK(User::fields.name.StartsWith("a"), User::fields.age.StartsWith("a"));
#elif CASE == 11                              // a bool field compared with an integer
  (void)PICK(User::fields.admin == true, User::fields.admin == 1);
#elif CASE == 12                              // combining expressions of two models
  (void)PICK(User::fields.age > 1 && User::fields.name == "x",
             User::fields.age > 1 && Post::fields.title == "x");
#elif CASE == 13                              // ordering by another model's field
  (void)PICK(User::All().OrderBy(User::fields.id.Asc()),
             User::All().OrderBy(Post::fields.id.Asc()));
#elif CASE == 14                              // an integer field compared with a double
  (void)PICK(User::fields.age == 3, User::fields.age == 3.5);
#elif CASE == 15                              // Increment of a text field
  (void)PICK(orm::Update(u).Increment(User::fields.age, 1),
             orm::Update(u).Increment(User::fields.name, 1));
#elif CASE == 16                              // Increment of a key field
  (void)PICK(User::All().Update().Increment(User::fields.age, 1),
             User::All().Update().Increment(User::fields.id, 1));
#elif CASE == 17                              // Increment of a version field (the ORM owns it)
  (void)PICK(Doc::All().Update().Increment(Doc::fields.hits, 1),
             Doc::All().Update().Increment(Doc::fields.version, 1));
#elif CASE == 18                              // a uuid_v4 field that is not a std::string
  (void)Token::fields;
#elif CASE == 19                              // a projection of another model's field
  (void)PICK(User::All().Select(db, User::fields.name), User::All().Select(db, Post::fields.title));
#elif CASE == 20                              // Increment by a value of the wrong type
  (void)PICK(orm::Update(u).Increment(User::fields.age, 1),
             orm::Update(u).Increment(User::fields.age, "1"));
#elif CASE == 21                              // Set of a version field (the ORM owns it)
  (void)PICK(Doc::All().Update().Set(Doc::fields.hits, 1),
             Doc::All().Update().Set(Doc::fields.version, 1));
#elif CASE == 22 || CASE == 23 || CASE == 28  // declarations checked where the model is built
  (void)Book::OrmModel();
#elif CASE == 24 || CASE == 29                // checked where the relation is used
  std::vector<Shelf> shelves;
  (void)orm::Include(db, shelves, Shelf::rel.books);
#elif CASE == 25                              // Include of another model's relation
  std::vector<Shelf> shelves;
  (void)PICK(orm::Include(db, shelves, Shelf::rel.books),
             orm::Include(db, shelves, Book::rel.shelf));
#elif CASE == 26  // created_at on a member that is not an orm::Timestamp
  (void)Stamp::fields;
#elif CASE == 30  // the accessor of a relation the model does not declare (Book::pair)
  Book book;
  (void)PICK(book.related_shelf(), book.related_pair());
#elif CASE == 31  // a scoped create of another model than the relation's
  Shelf shelf;
  (void)PICK(shelf.related_books().Create(db, Book{}), shelf.related_books().Create(db, Shelf{}));
#elif CASE == 32  // Get of a has_many (a has_many is a query, it has no single row to get)
  Shelf shelf;
  Book book;
  (void)PICK(book.related_shelf().Get(db), shelf.related_books().Get(db));
#elif CASE == 33  // an include path on a query of another model
  (void)PICK(Shelf::All().Include(Shelf::rel.books, Book::rel.shelf),
             Book::All().Include(Shelf::rel.books));
#elif CASE == 27  // a timestamp compared with an integer, a date with a string
  (void)PICK(Event::fields.at < std::chrono::system_clock::now(), Event::fields.at < 1000);
  (void)PICK(Event::fields.day == std::chrono::year_month_day{}, Event::fields.day == "2026-01-01");
#else
#error "unknown CASE"
#endif
}
