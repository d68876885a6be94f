// Transactions: commit, rollback, a nested transaction as a savepoint, and an error inside one.
#include <cstdio>

#include "orm/examples/example_util.h"

namespace orm = sqlrite::orm;
using example::Check;
using example::Must;

struct Account {
  std::int64_t id = 0;
  std::string owner;
  std::int64_t balance = 0;
  SQLRITE_MODEL(Account, "ex_accounts", (id, key), (owner, unique), (balance))
};

int main(int argc, char** argv) {
  auto db = Must(orm::Db::Open(example::UrlFrom(argc, argv)), "open");
  Must(db.Register<Account>(), "register");
  (void)db.DropSchema();
  Must(db.PushSchema(), "push schema");
  Must(orm::CreateMany(db, std::vector<Account>{{.id = 1, .owner = "ann", .balance = 100},
                                                {.id = 2, .owner = "bob", .balance = 0}}),
       "create");
  const auto& f = Account::fields;
  {
    auto tx = Must(db.Begin(), "begin");
    Account ann = Must(Account::Get(tx, 1), "get ann");
    Account bob = Must(Account::Get(tx, 2), "get bob");
    Must(orm::Update(ann).Set(f.balance, ann.balance - 30).Exec(tx), "debit");
    Must(orm::Update(bob).Set(f.balance, bob.balance + 30).Exec(tx), "credit");
    {
      auto inner = Must(tx.Begin(), "savepoint");
      auto dup = orm::Create(inner, Account{.id = 3, .owner = "ann"});
      Check(!dup && dup.error().sqlstate == "23505", "a second ann is refused");
      Must(inner.Rollback(), "rollback to savepoint");  // the outer transaction goes on
    }
    Must(tx.Commit(), "commit");
  }
  {
    auto tx = Must(db.Begin(), "begin");
    Must(Account::All().Update().Set(f.balance, 0).Exec(tx), "zero everything");
    Must(tx.Rollback(), "rollback");
  }
  Check(Must(Account::Get(db, 1), "ann").balance == 70, "ann has 70");
  Check(Must(Account::Get(db, 2), "bob").balance == 30, "bob has 30");
  std::printf("ann 70, bob 30\n");
  Must(db.DropSchema(), "drop schema");
  return 0;
}
