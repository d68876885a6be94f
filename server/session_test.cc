// The server end to end over loopback, with libpq as the client and a scripted fake engine in
// place of the real one: each statement "name" (split on ';') selects a canned behaviour.

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/bytes.h"
#include "common/sqlstate.h"
#include "engine/binary_format.h"
#include "engine/engine.h"
#include "engine/engine_queue.h"
#include "engine/session_locals.h"
#include "engine/sql/parser.h"
#include "engine/value.h"
#include "server/config.h"
#include "server/server.h"
#include "server/test_certificates.h"
#include "server/tls_context.h"

// ---- The fake engine: just enough of the engine's facade for the server. ----
namespace sqlrite::engine {

uint32_t TypeOid(TypeId id) { return id == TypeId::kInt4 ? oid::kInt4 : oid::kText; }
uint32_t TypeOid(SqlType type) { return TypeOid(type.id); }
int16_t TypeLen(TypeId id) { return id == TypeId::kInt4 ? 4 : -1; }
void AppendText(std::string& out, const Datum& d, TypeId) {
  if (const auto* i = std::get_if<int64_t>(&d)) {
    out += std::to_string(*i);
  } else if (const auto* s = std::get_if<std::string>(&d)) {
    out += *s;
  }
}

std::optional<TypeId> EngineTypeForOid(uint32_t oid) {
  if (oid == oid::kInt4) return TypeId::kInt4;
  if (oid == 0) return TypeId::kUnknown;
  return TypeId::kText;
}
std::optional<SqlType> EngineSqlTypeForOid(uint32_t oid) {
  return SqlType{*EngineTypeForOid(oid), -1};
}
void AppendBinary(std::string& out, const Datum& d, TypeId type) { AppendText(out, d, type); }
Result<Datum> ReceiveBinary(std::string_view bytes, uint32_t) { return Datum(std::string(bytes)); }
Result<Datum> ReceiveText(std::string_view text, uint32_t) { return Datum(std::string(text)); }
// The fake's sessions keep no locals (bytea_output): its AppendText prints every value itself.
std::shared_ptr<SessionLocals> LocalsOf(const SessionState&) { return nullptr; }

namespace sql {
// How long a "slowparse" statement takes to parse: it stands for a string that keeps libpg_query
// busy.
constexpr auto kSlowParse = std::chrono::milliseconds(1500);

Result<std::vector<ParsedStatement>> Parse(std::string_view text) {
  if (text.find("slowparse") != std::string_view::npos) std::this_thread::sleep_for(kSlowParse);
  if (text.find("syntax") != std::string_view::npos) {
    return Fail(Error(sqlstate::kSyntaxError, "syntax error at or near \"syntax\"")
                    .WithPosition(static_cast<int>(text.find("syntax")) + 1));
  }
  std::vector<ParsedStatement> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find(';', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view piece = text.substr(pos, end - pos);
    size_t first = piece.find_first_not_of(' ');
    if (first != std::string_view::npos) {
      ParsedStatement p;
      const std::string_view statement_text = piece.substr(first);
      p.offset = static_cast<int>(pos + first);
      p.length = static_cast<int>(statement_text.size());
      if (statement_text == "unsupported") {
        p.statement = Fail(sqlstate::kFeatureNotSupported, "unsupported");
      } else {
        p.statement = ast::Statement(ast::ShowVariable{std::string(statement_text)});
      }
      out.push_back(std::move(p));
    }
    pos = end + 1;
  }
  return out;
}

bool ParseOnWorker(std::string sql, ParseDone done) {
  std::thread([sql = std::move(sql), done = std::move(done)] { done(Parse(sql)); }).detach();
  return true;
}

bool ParseOnWorker(std::shared_ptr<const void> owner, std::string_view sql, ParseDone done) {
  std::thread([owner = std::move(owner), sql, done = std::move(done)]() mutable {
    Result<std::vector<ParsedStatement>> r = Parse(sql);
    owner.reset();
    done(std::move(r));
  }).detach();
  return true;
}
}  // namespace sql

class FakeState : public SessionState {
 public:
  TxStatus tx_status() const override { return tx; }
  bool in_implicit_block() const override { return implicit; }
  const std::string& database() const override { return db; }
  const std::string& user() const override { return usr; }
  int64_t statement_timeout_ms() const override { return timeout_ms; }
  bool holds_writer() const override { return writer; }
  bool writer = false;    // set by "own": the session acts as the writer's block
  bool implicit = false;  // in an implicit block (FakeCluster::model_implicit_blocks)
  TxStatus tx = TxStatus::kIdle;
  int64_t timeout_ms = 0;
  std::string db;
  std::string usr;
};

class FakeCluster : public Cluster {
 public:
  void SetCancelKey(SessionState&, uint32_t, uint32_t) override {}
  void Cancel(uint32_t, uint32_t) override {}
  Result<Credentials> LookupCredentials(std::string_view user) override {
    Credentials c;
    c.exists = user == "postgres" || user == "regular";
    c.login = c.exists;
    c.mock_secret = "fake";
    return c;
  }
  Result<std::unique_ptr<SessionState>> Connect(std::string_view user, std::string_view database,
                                                const Params&) override {
    EXPECT_TRUE(queue->OnEngineThread());
    if (user != "postgres" && user != "regular") {
      return Fail(sqlstate::kInvalidAuthorizationSpecification,
                  "role \"" + std::string(user) + "\" does not exist");
    }
    auto s = std::make_unique<FakeState>();
    s->db = database;
    s->usr = user;
    s->timeout_ms = statement_timeout_ms;
    ++connects;
    return s;
  }
  void Disconnect(SessionState&) override {
    EXPECT_TRUE(queue->OnEngineThread());
    ++disconnects;
  }
  Result<QueryResult> Execute(SessionState& session, const ast::Statement& statement) override {
    EXPECT_TRUE(queue->OnEngineThread());
    auto& state = static_cast<FakeState&>(session);
    if (const auto* tx = std::get_if<ast::Transaction>(&statement)) {
      QueryResult r = ExecuteTransaction(state, *tx);
      if (r.awaits_sync) {  // Execute's commit is synchronous, as the engine's
        ++inline_commit_syncs;
        if (!SyncCommits()) return Fail(sqlstate::kIoError, "could not fsync the WAL: injected");
        r.awaits_sync = false;
      }
      return r;
    }
    if (!std::holds_alternative<ast::ShowVariable>(statement)) return QueryResult{};
    const std::string& name = std::get<ast::ShowVariable>(statement).name;
    QueryResult r;
    if (name == "rows" || name == "big") {
      r.returns_rows = true;
      r.columns = {{"n", TypeId::kInt4, -1}, {"s", TypeId::kText, -1}};
      int count = name == "big" ? 100000 : 2;
      for (int i = 0; i < count; ++i) {
        Row row;
        row.emplace_back(int64_t{i + 1});
        row.emplace_back(i == 0 ? Datum(std::string("x")) : Datum());
        r.rows.push_back(std::move(row));
      }
      r.command_tag = "SELECT " + std::to_string(count);
    } else if (name == "error") {
      return Fail(
          Error(sqlstate::kUndefinedTable, "relation \"t\" does not exist").WithPosition(2));
    } else if (name == "begin") {
      state.tx = TxStatus::kInTransaction;
      r.command_tag = "BEGIN";
    } else if (name == "own") {
      state.tx = TxStatus::kInTransaction;
      state.writer = true;
      r.command_tag = "UPDATE 1";
    } else if (name == "notice") {
      r.notices.push_back(
          Error(sqlstate::kSuccessfulCompletion, "hello").WithSeverity(Severity::kNotice));
      r.parameter_status.emplace_back("application_name", "changed");
      r.command_tag = "SET";
    } else if (name == "write") {
      r.awaits_sync = true;
      r.command_tag = "UPDATE 1";
    } else if (name == "fail") {
      if (state.tx == TxStatus::kInTransaction) state.tx = TxStatus::kFailed;
      return Fail(sqlstate::kDivisionByZero, "division by zero");
    } else if (name == "rollback") {
      state.tx = TxStatus::kIdle;
      r.command_tag = "ROLLBACK";
    } else if (name == "release") {
      // Wakes every parked statement, as a writer's COMMIT does in the real engine.
      std::vector<Completion> waiting;
      waiting.swap(parked);
      for (Completion& done : waiting) {
        QueryResult woken;
        woken.awaits_sync = true;
        woken.command_tag = "UPDATE 1";
        done(std::move(woken));
      }
      r.command_tag = "RELEASED";
    } else if (name == "sleep") {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      r.command_tag = "SLEPT";
    } else {
      r.command_tag = "OK " + name;
    }
    return r;
  }
  Result<QueryResult> ExecuteInBatch(SessionState& session,
                                     const ast::Statement& statement) override {
    EXPECT_TRUE(queue->OnEngineThread());
    if (const auto* tx = std::get_if<ast::Transaction>(&statement)) {
      return ExecuteTransaction(static_cast<FakeState&>(session), *tx);
    }
    return Execute(session, statement);
  }
  // With model_implicit_blocks, an implicit block's BEGIN opens one and its COMMIT writes (so it
  // awaits a sync); otherwise transaction control does nothing, as the fake always did.
  QueryResult ExecuteTransaction(FakeState& state, const ast::Transaction& tx) {
    QueryResult r;
    if (!model_implicit_blocks) return r;
    if (tx.kind == ast::Transaction::kBegin && tx.implicit != ast::Transaction::Implicit::kNo) {
      state.implicit = true;
      state.tx = TxStatus::kInTransaction;
    } else if (tx.kind == ast::Transaction::kCommit || tx.kind == ast::Transaction::kRollback) {
      r.awaits_sync = state.implicit && tx.kind == ast::Transaction::kCommit;
      state.implicit = false;
      state.tx = TxStatus::kIdle;
    }
    return r;
  }
  void Submit(SessionState& session, const ast::Statement& statement, Completion done) override {
    EXPECT_TRUE(queue->OnEngineThread());
    if (std::get<ast::ShowVariable>(statement).name == "park") {
      parked.push_back(std::move(done));
      return;
    }
    done(Execute(session, statement));
  }
  void SubmitWithParams(SessionState& session, const ast::Statement& statement, ParamContext*,
                        Completion done) override {
    Submit(session, statement, std::move(done));
  }
  Result<Description> Describe(SessionState&, const ast::Statement& statement,
                               std::vector<SqlType> declared) override {
    Description d;
    d.param_types = std::move(declared);
    const auto* show = std::get_if<ast::ShowVariable>(&statement);
    if (show != nullptr && show->name == "rows") {
      d.returns_rows = true;
      d.columns = {{"n", TypeId::kInt4, -1}, {"s", TypeId::kText, -1}};
    }
    return d;
  }
  // Failing a block is the engine's business; e2e_transactions covers it end to end.
  void FailStatement(SessionState&) override {}
  Status SyncCommits() override {
    EXPECT_TRUE(queue->OnEngineThread());
    // Slow enough that a result sent before the epilogue would be seen before `syncs` moves.
    std::this_thread::sleep_for(std::chrono::milliseconds(sync_delay_ms));
    syncs.fetch_add(1);
    if (fail_sync.load()) return Fail(sqlstate::kIoError, "could not fsync the WAL: injected");
    return Ok();
  }
  Params StartupParameters(const SessionState& session) const override {
    return {{"server_version", "15.0"},
            {"client_encoding", "UTF8"},
            {"is_superuser", session.user() == "postgres" ? "on" : "off"}};
  }
  Status Close() override { return Ok(); }

  EngineQueue* queue = nullptr;
  int connects = 0;                // engine thread only
  int disconnects = 0;             // engine thread only
  int failed_statements = 0;       // engine thread only
  std::vector<Completion> parked;  // engine thread only
  std::atomic<int> syncs{0};
  std::atomic<bool> fail_sync{false};
  int sync_delay_ms = 0;               // set before StartServer
  bool model_implicit_blocks = false;  // set before StartServer
  int inline_commit_syncs = 0;         // engine thread only: commits synced inside Execute
  int64_t statement_timeout_ms = 0;    // of new sessions; set before StartServer
};

// The engine's non-virtual overload (error positions as characters); the fake has none to fix.
void Cluster::Submit(SessionState& session, const ast::Statement& statement, std::string_view,
                     Completion done) {
  Submit(session, statement, std::move(done));
}
void Cluster::SubmitWithParams(SessionState& session, const ast::Statement& statement,
                               std::string_view, ParamContext* params, Completion done) {
  SubmitWithParams(session, statement, params, std::move(done));
}
Result<Cluster::Description> Cluster::Describe(SessionState& session,
                                               const ast::Statement& statement,
                                               std::vector<SqlType> declared, std::string_view) {
  return Describe(session, statement, std::move(declared));
}
Result<QueryResult> Cluster::Execute(SessionState& session, const ast::Statement& statement,
                                     std::string_view) {
  return Execute(session, statement);
}

}  // namespace sqlrite::engine

namespace sqlrite::server {
namespace {

class SessionTest : public ::testing::Test {
 protected:
  void StartServer(size_t max_connections = 100, size_t reserved = 3) {
    cluster_.queue = &queue_;
    Config config;
    config.port = 0;
    config.max_connections = max_connections;
    config.superuser_reserved_connections = reserved;
    config.unix_socket_dir = unix_dir_;  // none unless a test asks for one
    config.require_tls = require_tls_;
    server_ = std::make_unique<Server>(io_, config, cluster_, queue_, tls_.get());
    Result<uint16_t> port = server_->Listen();
    ASSERT_TRUE(port.has_value()) << port.error().message;
    port_ = *port;
    server_->Start();
    threads_.emplace_back([this] { io_.Run(); });
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
    for (auto& t : threads_) t.join();
    queue_.Stop();
  }

  PGconn* Connect(const std::string& user = "postgres", const std::string& more = "",
                  const std::string& host = "127.0.0.1") {
    std::string conninfo = "host=" + host + " port=" + std::to_string(port_) + " user=" + user +
                           " dbname=postgres sslmode=prefer connect_timeout=5 " + more;
    PGconn* conn = PQconnectdb(conninfo.c_str());
    conns_.emplace_back(conn, &PQfinish);
    return conn;
  }

  // A raw client: sends bytes, then EOF, and reads until the server closes.
  std::string RawExchange(const std::string& bytes) {
    asio::io_context io;
    asio::ip::tcp::socket s(io);
    asio::error_code ec;
    s.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    EXPECT_FALSE(ec);
    asio::write(s, asio::buffer(bytes), ec);
    // Our EOF lets the server close once it has answered what it got.
    s.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    std::string got;
    char buf[4096];
    for (;;) {
      size_t n = s.read_some(asio::buffer(buf), ec);
      if (ec) break;
      got.append(buf, n);
    }
    return got;
  }

  engine::EngineQueue queue_;
  engine::FakeCluster cluster_;
  IoPool io_{2};
  std::unique_ptr<Server> server_;
  std::vector<std::thread> threads_;
  std::vector<std::unique_ptr<PGconn, void (*)(PGconn*)>> conns_;
  uint16_t port_ = 0;
  std::string unix_dir_;
  bool require_tls_ = false;
  std::unique_ptr<TlsContext> tls_;
};

std::string StartupPacket(const std::string& params) {
  std::string out;
  AppendBE32(out, static_cast<uint32_t>(8 + params.size()));
  AppendBE32(out, 196608);
  return out + params;
}

TEST_F(SessionTest, ConnectReportsParametersAndBackendKey) {
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  EXPECT_STREQ(PQparameterStatus(c, "server_version"), "15.0");
  EXPECT_STREQ(PQparameterStatus(c, "client_encoding"), "UTF8");
  EXPECT_GT(PQbackendPID(c), 0);
  EXPECT_EQ(PQtransactionStatus(c), PQTRANS_IDLE);
}

TEST_F(SessionTest, UnixSocketServesLibpqAndIsRemovedAtShutdown) {
  testing::TempDir dir;
  unix_dir_ = dir.path().string();
  StartServer();
  const std::string socket = unix_dir_ + "/.s.PGSQL." + std::to_string(port_);
  EXPECT_EQ(server_->unix_socket_path(), socket);
  PGconn* c = Connect("postgres", "", unix_dir_);
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  EXPECT_EQ(PQsslInUse(c), 0);
  PGresult* r = PQexec(c, "rows");
  EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQresultErrorMessage(r);
  PQclear(r);
  conns_.clear();
  server_->Shutdown();
  for (auto& t : threads_) t.join();
  threads_.clear();
  server_.reset();
  EXPECT_FALSE(std::filesystem::exists(socket));
  EXPECT_FALSE(std::filesystem::exists(socket + ".lock"));
}

TEST_F(SessionTest, TlsWhenTheServerHasACertificate) {
  testing::ServerFiles files;
  auto tls = TlsContext::Load({files.cert_path, files.key_path, ""});
  ASSERT_TRUE(tls.has_value()) << tls.error().message;
  tls_ = std::move(*tls);
  StartServer();
  PGconn* c = Connect("postgres", "sslmode=verify-full sslrootcert=" + files.ca_path, "localhost");
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  EXPECT_EQ(PQsslInUse(c), 1);
  PGresult* r = PQexec(c, "rows");
  EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQresultErrorMessage(r);
  PQclear(r);
  PGconn* plain = Connect("postgres", "sslmode=disable");
  ASSERT_EQ(PQstatus(plain), CONNECTION_OK) << PQerrorMessage(plain);
  EXPECT_EQ(PQsslInUse(plain), 0);
}

TEST_F(SessionTest, WithoutACertificateSslModeRequireFails) {
  StartServer();
  PGconn* c = Connect("postgres", "sslmode=require");
  EXPECT_EQ(PQstatus(c), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(c)).find("server does not support SSL"), std::string::npos)
      << PQerrorMessage(c);
}

TEST_F(SessionTest, RequireTlsRefusesPlainTcpButNotTheUnixSocket) {
  testing::ServerFiles files;
  tls_ = std::move(*TlsContext::Load({files.cert_path, files.key_path, ""}));
  require_tls_ = true;
  testing::TempDir dir;
  unix_dir_ = dir.path().string();
  StartServer();
  PGconn* plain = Connect("postgres", "sslmode=disable");
  EXPECT_EQ(PQstatus(plain), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(plain))
                .find("FATAL:  no pg_hba.conf entry for host \"127.0.0.1\", user \"postgres\", "
                      "database \"postgres\", no encryption"),
            std::string::npos)
      << PQerrorMessage(plain);
  PGconn* tls = Connect("postgres", "sslmode=require");
  EXPECT_EQ(PQstatus(tls), CONNECTION_OK) << PQerrorMessage(tls);
  PGconn* local = Connect("postgres", "", unix_dir_);
  EXPECT_EQ(PQstatus(local), CONNECTION_OK) << PQerrorMessage(local);
}

TEST_F(SessionTest, RowsWithNullsAndTypes) {
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, "rows");
  ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQresultErrorMessage(r);
  EXPECT_EQ(PQntuples(r), 2);
  EXPECT_EQ(PQnfields(r), 2);
  EXPECT_STREQ(PQfname(r, 0), "n");
  EXPECT_EQ(PQftype(r, 0), 23u);
  EXPECT_EQ(PQftype(r, 1), 25u);
  EXPECT_STREQ(PQgetvalue(r, 0, 0), "1");
  EXPECT_STREQ(PQgetvalue(r, 0, 1), "x");
  EXPECT_TRUE(PQgetisnull(r, 1, 1));
  EXPECT_STREQ(PQcmdStatus(r), "SELECT 2");
  PQclear(r);
}

TEST_F(SessionTest, LargeResultIsStreamed) {
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, "big");
  ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQresultErrorMessage(r);
  EXPECT_EQ(PQntuples(r), 100000);
  EXPECT_STREQ(PQgetvalue(r, 99999, 0), "100000");
  PQclear(r);
}

TEST_F(SessionTest, ErrorsStopTheQueryStringAndKeepTheConnection) {
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  ASSERT_TRUE(PQsendQuery(c, "a; error; b"));
  std::vector<std::string> seen;
  while (PGresult* r = PQgetResult(c)) {
    if (PQresultStatus(r) == PGRES_FATAL_ERROR) {
      seen.push_back(std::string("E:") + PQresultErrorField(r, PG_DIAG_SQLSTATE) + ":" +
                     PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION));
    } else {
      seen.push_back(PQcmdStatus(r));
    }
    PQclear(r);
  }
  // Positions pass through unchanged: the engine reports them in the whole query string.
  EXPECT_EQ(seen, (std::vector<std::string>{"OK a", "E:42P01:2"}));

  PGresult* r = PQexec(c, "syntax here");
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_SQLSTATE), "42601");
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION), "1");
  PQclear(r);
  r = PQexec(c, "x; unsupported");
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_SQLSTATE), "0A000");
  PQclear(r);
  r = PQexec(c, "still");
  EXPECT_STREQ(PQcmdStatus(r), "OK still");
  PQclear(r);
}

TEST_F(SessionTest, EmptyQuery) {
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, " ; ");
  EXPECT_EQ(PQresultStatus(r), PGRES_EMPTY_QUERY);
  PQclear(r);
}

TEST_F(SessionTest, TransactionStatusNoticesAndParameterChanges) {
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, "begin");
  PQclear(r);
  EXPECT_EQ(PQtransactionStatus(c), PQTRANS_INTRANS);
  static std::string notice;
  PQsetNoticeReceiver(
      c,
      [](void*, const PGresult* res) { notice = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY); },
      nullptr);
  r = PQexec(c, "notice");
  PQclear(r);
  EXPECT_EQ(notice, "hello");
  EXPECT_STREQ(PQparameterStatus(c, "application_name"), "changed");
}

TEST_F(SessionTest, ConnectErrorIsFatal) {
  StartServer();
  PGconn* c = Connect("nobody");
  EXPECT_EQ(PQstatus(c), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(c)).find("role \"nobody\" does not exist"),
            std::string::npos)
      << PQerrorMessage(c);
}

TEST_F(SessionTest, TooManyClients) {
  StartServer(1);
  PGconn* a = Connect();
  ASSERT_EQ(PQstatus(a), CONNECTION_OK) << PQerrorMessage(a);
  PGconn* b = Connect();
  EXPECT_EQ(PQstatus(b), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(b)).find("sorry, too many clients already"),
            std::string::npos)
      << PQerrorMessage(b);
}

TEST_F(SessionTest, HalfOpenConnectionsNeitherTakeSlotsNorKeepALoginOut) {
  StartServer(2, 0);  // a startup budget of 10
  asio::io_context io;
  std::vector<asio::ip::tcp::socket> silent;
  for (int i = 0; i < 40; ++i) {
    silent.emplace_back(io);
    asio::error_code ec;
    silent.back().connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    ASSERT_FALSE(ec) << ec.message();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  for (int i = 0; i < 2; ++i) {
    PGconn* c = Connect();
    ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  }
  PGconn* full = Connect();
  EXPECT_EQ(PQstatus(full), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(full)).find("sorry, too many clients already"),
            std::string::npos)
      << PQerrorMessage(full);
  // The oldest silent connections were closed to make room: reading them ends.
  asio::error_code ec;
  char byte;
  silent.front().read_some(asio::buffer(&byte, 1), ec);
  EXPECT_TRUE(ec);
}

TEST_F(SessionTest, FunctionCallIsAnErrorAndTheSessionCarriesOn) {
  StartServer();
  std::string call(1, 'F');
  AppendBE32(call, 4 + 4 + 6);
  AppendBE32(call, 12345);
  call.append(6, '\0');
  std::string got = RawExchange(StartupPacket(std::string("user\0postgres\0\0", 15)) + call +
                                std::string("Q\0\0\0\x0dselect 1\0", 14));
  EXPECT_NE(got.find("function with OID 12345 does not exist"), std::string::npos);
  EXPECT_NE(got.find("C42883"), std::string::npos);
  EXPECT_EQ(got.find("FATAL"), std::string::npos);
  EXPECT_NE(got.find("OK select 1"), std::string::npos) << "the query after it was not answered";
}

TEST_F(SessionTest, LastSlotsAreReservedForSuperusers) {
  StartServer(4, 2);
  for (int i = 0; i < 2; ++i) {
    PGconn* c = Connect("regular");
    ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  }
  PGconn* refused = Connect("regular");
  EXPECT_EQ(PQstatus(refused), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(refused))
                .find("remaining connection slots are reserved for non-replication superuser "
                      "connections"),
            std::string::npos)
      << PQerrorMessage(refused);
  // The refused session gives its slot back once the engine has ended it.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  for (int i = 0; i < 2; ++i) {  // the superuser takes both reserved slots
    PGconn* c = Connect();
    ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  }
  PGconn* full = Connect();
  EXPECT_EQ(PQstatus(full), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(full)).find("sorry, too many clients already"),
            std::string::npos)
      << PQerrorMessage(full);
}

TEST_F(SessionTest, ExtendedProtocolRunsPreparedStatements) {
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexecParams(c, "rows", 0, nullptr, nullptr, nullptr, nullptr, 0);
  EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(c);
  EXPECT_EQ(PQntuples(r), 2);
  PQclear(r);
  r = PQprepare(c, "s1", "rows", 0, nullptr);
  EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQerrorMessage(c);
  PQclear(r);
  r = PQprepare(c, "s1", "rows", 0, nullptr);  // the name is taken
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_SQLSTATE), "42P05");
  PQclear(r);
  for (int i = 0; i < 3; ++i) {
    r = PQexecPrepared(c, "s1", 0, nullptr, nullptr, nullptr, 0);
    EXPECT_EQ(PQntuples(r), 2);
    PQclear(r);
  }
  r = PQexecPrepared(c, "nope", 0, nullptr, nullptr, nullptr, 0);
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_SQLSTATE), "26000");
  PQclear(r);
  r = PQexec(c, "after");
  EXPECT_STREQ(PQcmdStatus(r), "OK after");
  PQclear(r);
}

TEST_F(SessionTest, GarbageGetsFatalProtocolErrorAndServerSurvives) {
  StartServer();
  std::string got = RawExchange(std::string("\0\0\0\x03garbage", 11));
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got[0], 'E');
  EXPECT_NE(got.find("08P01"), std::string::npos);
  EXPECT_NE(got.find("invalid length of startup packet"), std::string::npos);

  // After a good startup, an unknown message type.
  got = RawExchange(StartupPacket(std::string("user\0postgres\0\0", 15)) + "?junk");
  EXPECT_NE(got.find("invalid frontend message type 63"), std::string::npos);
  EXPECT_NE(got.find("SFATAL"), std::string::npos);

  // Oversized message length.
  got = RawExchange(StartupPacket(std::string("user\0postgres\0\0", 15)) +
                    std::string("Q\x7f\xff\xff\xff", 5));
  EXPECT_NE(got.find("invalid message length"), std::string::npos);

  // Protocol 2.0.
  std::string v2;
  AppendBE32(v2, 8);
  AppendBE32(v2, 0x00020000);
  got = RawExchange(v2);
  EXPECT_NE(got.find("unsupported frontend protocol 2.0"), std::string::npos);

  // Truncated input then EOF: closed quietly.
  got = RawExchange(StartupPacket(std::string("user\0postgres\0\0", 15)) + "Q\0\0");
  EXPECT_EQ(got.back(), 'I');  // ends with ReadyForQuery 'I'; nothing after the truncation

  PGconn* c = Connect();
  EXPECT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
}

TEST_F(SessionTest, PipelinedQueriesAreAllAnswered) {
  StartServer();
  std::string in = StartupPacket(std::string("user\0postgres\0\0", 15));
  for (const char* q : {"a", "b"}) {
    in += 'Q';
    AppendBE32(in, static_cast<uint32_t>(4 + std::strlen(q) + 1));
    in.append(q, std::strlen(q) + 1);
  }
  in += std::string("X\0\0\0\x04", 5);
  std::string got = RawExchange(in);
  size_t a = got.find("OK a");
  size_t b = got.find("OK b");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  EXPECT_LT(a, b);
}

TEST_F(SessionTest, ShutdownClosesIdleSessionsAndFinishesBusyOnes) {
  StartServer();
  PGconn* idle = Connect();
  PGconn* busy = Connect();
  ASSERT_EQ(PQstatus(idle), CONNECTION_OK) << PQerrorMessage(idle);
  ASSERT_EQ(PQstatus(busy), CONNECTION_OK) << PQerrorMessage(busy);
  ASSERT_TRUE(PQsendQuery(busy, "sleep"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  server_->Shutdown();
  PGresult* r = PQgetResult(busy);
  EXPECT_STREQ(PQcmdStatus(r), "SLEPT");
  PQclear(r);
  while ((r = PQgetResult(busy)) != nullptr) PQclear(r);
  // The idle one was told why it is being closed.
  r = PQexec(idle, "x");
  EXPECT_NE(
      std::string(PQerrorMessage(idle)).find("terminating connection due to administrator command"),
      std::string::npos)
      << PQerrorMessage(idle);
  PQclear(r);
  for (auto& t : threads_) t.join();  // io_context ran out of work: every session ended
  threads_.clear();
  int disconnects = 0;
  std::promise<int> p;
  queue_.Post([&] { p.set_value(cluster_.disconnects); });
  disconnects = p.get_future().get();
  EXPECT_EQ(disconnects, 2);
}

TEST_F(SessionTest, ResultsAreDeliveredAfterTheBatchEpilogue) {
  queue_.SetBatchEpilogue([this] { return cluster_.SyncCommits(); });
  cluster_.sync_delay_ms = 200;
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  int before = cluster_.syncs.load();
  PGresult* r = PQexec(c, "write");
  EXPECT_STREQ(PQcmdStatus(r), "UPDATE 1");
  PQclear(r);
  // The answer was held back until the (slow) epilogue had finished.
  EXPECT_GT(cluster_.syncs.load(), before);
  before = cluster_.syncs.load();
  r = PQexec(c, "rows");  // reads wait for the epilogue too, to keep the order of results
  EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK);
  PQclear(r);
  EXPECT_GT(cluster_.syncs.load(), before);
}

TEST_F(SessionTest, TheWritersOwnStatementsAreAnsweredWithoutWaitingForTheEpilogue) {
  queue_.SetBatchEpilogue([this] { return cluster_.SyncCommits(); });
  cluster_.sync_delay_ms = 200;
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, "own");  // from here on the session holds the writer slot
  EXPECT_STREQ(PQcmdStatus(r), "UPDATE 1");
  PQclear(r);
  const int before = cluster_.syncs.load();
  r = PQexec(c, "rows");  // the writer's read: no epilogue in its way
  EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK);
  PQclear(r);
  EXPECT_EQ(cluster_.syncs.load(), before);
  r = PQexec(c, "write");  // its commit still waits for one
  EXPECT_STREQ(PQcmdStatus(r), "UPDATE 1");
  PQclear(r);
  EXPECT_GT(cluster_.syncs.load(), before);
  // The same through the extended protocol.
  const int after_write = cluster_.syncs.load();
  r = PQexecParams(c, "rows", 0, nullptr, nullptr, nullptr, nullptr, 0);
  EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(c);
  PQclear(r);
  EXPECT_EQ(cluster_.syncs.load(), after_write);
}

TEST_F(SessionTest, FailedEpilogueTurnsAwaitedCommitsIntoErrors) {
  queue_.SetBatchEpilogue([this] { return cluster_.SyncCommits(); });
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  cluster_.fail_sync = true;
  PGresult* r = PQexec(c, "write");
  EXPECT_EQ(PQresultStatus(r), PGRES_FATAL_ERROR);
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_SQLSTATE), "58030");
  PQclear(r);
  // Nothing after a commit that failed to become durable runs.
  ASSERT_TRUE(PQsendQuery(c, "a; write; b"));
  std::vector<std::string> seen;
  while (PGresult* res = PQgetResult(c)) {
    seen.push_back(PQresultStatus(res) == PGRES_FATAL_ERROR
                       ? std::string("E:") + PQresultErrorField(res, PG_DIAG_SQLSTATE)
                       : std::string(PQcmdStatus(res)));
    PQclear(res);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"OK a", "E:58030"}));
  // Results that were not waiting for durability are unaffected.
  r = PQexec(c, "rows");
  EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK);
  PQclear(r);
  cluster_.fail_sync = false;
  r = PQexec(c, "write; b");
  EXPECT_STREQ(PQcmdStatus(r), "OK b");
  PQclear(r);
}

TEST_F(SessionTest, ImplicitBlocksCommitInTheBatchesGroupCommit) {
  queue_.SetBatchEpilogue([this] { return cluster_.SyncCommits(); });
  cluster_.model_implicit_blocks = true;
  cluster_.sync_delay_ms = 100;
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  auto inline_syncs = [this] {
    std::promise<int> p;
    queue_.Post([&] { p.set_value(cluster_.inline_commit_syncs); });
    return p.get_future().get();
  };
  // A query string of several statements: its implicit COMMIT is answered after the epilogue's
  // sync, and no sync ran on the engine thread inside the commit itself.
  int before = cluster_.syncs.load();
  PGresult* r = PQexec(c, "a; b");
  EXPECT_STREQ(PQcmdStatus(r), "OK b");
  EXPECT_EQ(PQtransactionStatus(c), PQTRANS_IDLE);
  PQclear(r);
  EXPECT_GT(cluster_.syncs.load(), before);
  // A pipeline of two Executes before one Sync: the same for the extended protocol.
  ASSERT_EQ(PQenterPipelineMode(c), 1);
  ASSERT_EQ(PQsendQueryParams(c, "a", 0, nullptr, nullptr, nullptr, nullptr, 0), 1);
  ASSERT_EQ(PQsendQueryParams(c, "b", 0, nullptr, nullptr, nullptr, nullptr, 0), 1);
  ASSERT_EQ(PQpipelineSync(c), 1);
  before = cluster_.syncs.load();
  std::vector<std::string> seen;
  for (int results = 0; results < 3;) {
    PGresult* res = PQgetResult(c);
    if (res == nullptr) continue;  // the end of one query's results
    ++results;
    seen.push_back(PQresultStatus(res) == PGRES_PIPELINE_SYNC ? "SYNC" : PQcmdStatus(res));
    PQclear(res);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"OK a", "OK b", "SYNC"}));
  EXPECT_GT(cluster_.syncs.load(), before);
  ASSERT_EQ(PQexitPipelineMode(c), 1);
  EXPECT_EQ(inline_syncs(), 0);
  // A sync that fails fails the implicit commit, and the client is told.
  cluster_.fail_sync = true;
  r = PQexec(c, "a; b");
  EXPECT_EQ(PQresultStatus(r), PGRES_FATAL_ERROR);
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_SQLSTATE), "58030");
  PQclear(r);
  cluster_.fail_sync = false;
}

TEST_F(SessionTest, ReadyForQueryReportsTransactionStatus) {
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  EXPECT_EQ(PQtransactionStatus(c), PQTRANS_IDLE);
  PQclear(PQexec(c, "begin"));
  EXPECT_EQ(PQtransactionStatus(c), PQTRANS_INTRANS);
  PQclear(PQexec(c, "fail"));
  EXPECT_EQ(PQtransactionStatus(c), PQTRANS_INERROR);
  PQclear(PQexec(c, "rollback"));
  EXPECT_EQ(PQtransactionStatus(c), PQTRANS_IDLE);
  // The same, byte for byte.
  std::string in = StartupPacket(std::string("user\0postgres\0\0", 15));
  for (const char* q : {"begin", "fail"}) {
    in += 'Q';
    AppendBE32(in, static_cast<uint32_t>(4 + std::strlen(q) + 1));
    in.append(q, std::strlen(q) + 1);
  }
  in += std::string("X\0\0\0\x04", 5);
  std::string got = RawExchange(in);
  EXPECT_NE(got.find(std::string("Z\0\0\0\x05T", 6)), std::string::npos);
  EXPECT_NE(got.find(std::string("Z\0\0\0\x05"
                                 "E",
                                 6)),
            std::string::npos);
}

TEST_F(SessionTest, ParkedStatementDoesNotBlockOthersAndCompletesInOrder) {
  queue_.SetBatchEpilogue([this] { return cluster_.SyncCommits(); });
  StartServer();
  PGconn* a = Connect();
  PGconn* b = Connect();
  ASSERT_EQ(PQstatus(a), CONNECTION_OK) << PQerrorMessage(a);
  ASSERT_EQ(PQstatus(b), CONNECTION_OK) << PQerrorMessage(b);
  ASSERT_TRUE(PQsendQuery(a, "x; park; y"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  PGresult* r = PQexec(b, "rows");  // the engine thread is free while a waits
  EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK);
  PQclear(r);
  r = PQexec(b, "release");
  EXPECT_STREQ(PQcmdStatus(r), "RELEASED");
  PQclear(r);
  std::vector<std::string> seen;
  while (PGresult* res = PQgetResult(a)) {
    seen.push_back(PQcmdStatus(res));
    PQclear(res);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"OK x", "UPDATE 1", "OK y"}));
}

TEST_F(SessionTest, SessionWhoseSocketClosesWhileParkedDisconnectsAfterwards) {
  StartServer();
  PGconn* a = Connect();
  PGconn* b = Connect();
  ASSERT_EQ(PQstatus(a), CONNECTION_OK) << PQerrorMessage(a);
  ASSERT_EQ(PQstatus(b), CONNECTION_OK) << PQerrorMessage(b);
  PQclear(PQexec(a, "begin"));
  ASSERT_TRUE(PQsendQuery(a, "park"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  conns_.front().reset();  // a's socket closes mid-statement
  auto disconnects = [this] {
    std::promise<int> p;
    queue_.Post([&] { p.set_value(cluster_.disconnects); });
    return p.get_future().get();
  };
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(disconnects(), 0);  // still parked: the engine owns the statement
  PQclear(PQexec(b, "release"));
  for (int i = 0; i < 100 && disconnects() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(disconnects(), 1);
}

TEST_F(SessionTest, ClientThatVanishesMidResultIsDisconnected) {
  StartServer();
  {
    asio::io_context io;
    asio::ip::tcp::socket s(io);
    asio::error_code ec;
    s.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    ASSERT_FALSE(ec);
    std::string in = StartupPacket(std::string("user\0postgres\0\0", 15));
    in += 'Q';
    AppendBE32(in, 4 + 4);
    in.append("big", 4);
    asio::write(s, asio::buffer(in), ec);
    char buf[1024];
    s.read_some(asio::buffer(buf), ec);  // the startup answer, perhaps some rows
    // Reset, not a polite close: unread data plus linger 0.
    s.set_option(asio::socket_base::linger(true, 0), ec);
    s.close(ec);
  }
  int disconnects = 0;
  for (int i = 0; i < 200 && disconnects == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::promise<int> p;
    queue_.Post([&] { p.set_value(cluster_.disconnects); });
    disconnects = p.get_future().get();
  }
  EXPECT_EQ(disconnects, 1);
}

// The server has two io threads, so two parses that held theirs would stall every other session.
TEST_F(SessionTest, SlowParsesDelayOnlyTheirOwnSessions) {
  StartServer();
  PGconn* slow[2] = {Connect(), Connect()};
  for (PGconn* c : slow) {
    ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
    ASSERT_TRUE(PQsendQuery(c, "slowparse"));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto start = std::chrono::steady_clock::now();
  PGconn* fresh = Connect();
  ASSERT_EQ(PQstatus(fresh), CONNECTION_OK) << PQerrorMessage(fresh);
  PGresult* r = PQexec(fresh, "rows");
  EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(fresh);
  PQclear(r);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(700));
  for (PGconn* c : slow) {  // and the slow ones get their answers in the end
    r = PQgetResult(c);
    EXPECT_STREQ(PQcmdStatus(r), "OK slowparse");
    PQclear(r);
    while ((r = PQgetResult(c)) != nullptr) PQclear(r);
  }
}

TEST_F(SessionTest, StatementTimeoutCountsTheParse) {
  cluster_.statement_timeout_ms = 200;
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  const auto start = std::chrono::steady_clock::now();
  PGresult* r = PQexec(c, "slowparse");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_SQLSTATE), "57014");
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY),
               "canceling statement due to statement timeout");
  PQclear(r);
  // The abandoned parse still runs, and a session parses one query at a time (as a PostgreSQL
  // backend would still be busy with it): a new query waits for it, here past its own timeout.
  r = PQexec(c, "rows");
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_SQLSTATE), "57014");
  PQclear(r);
  std::this_thread::sleep_until(start + engine::sql::kSlowParse + std::chrono::milliseconds(100));
  r = PQexec(c, "rows");  // once it has ended, the session carries on
  EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(c);
  PQclear(r);
}

TEST_F(SessionTest, ShutdownDoesNotWaitForAParse) {
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  ASSERT_TRUE(PQsendQuery(c, "slowparse"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto start = std::chrono::steady_clock::now();
  server_->Shutdown();
  for (auto& t : threads_) t.join();  // every session ended
  threads_.clear();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(700));
  PGresult* r = PQgetResult(c);
  EXPECT_NE(
      std::string(PQerrorMessage(c)).find("terminating connection due to administrator command"),
      std::string::npos)
      << PQerrorMessage(c);
  PQclear(r);
}

TEST_F(SessionTest, ParseOfAClientThatLeftIsAbandoned) {
  StartServer();
  PGconn* c = Connect();
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  ASSERT_TRUE(PQsendQuery(c, "slowparse"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  conns_.front().reset();  // PQfinish: Terminate, then close
  int disconnects = 0;
  for (int i = 0; i < 50 && disconnects == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::promise<int> p;
    queue_.Post([&] { p.set_value(cluster_.disconnects); });
    disconnects = p.get_future().get();
  }
  EXPECT_EQ(disconnects, 1);  // within 0.6 s, while the parse still runs
}

TEST_F(SessionTest, HalfClosedClientStillGetsTheAnswerToASlowParse) {
  StartServer();
  std::string in = StartupPacket(std::string("user\0postgres\0\0", 15));
  in += 'Q';
  AppendBE32(in, 4 + 10);
  in.append("slowparse", 10);
  std::string got = RawExchange(in);  // sends, then shuts its side down while the parse runs
  EXPECT_NE(got.find("OK slowparse"), std::string::npos);
}

TEST_F(SessionTest, InputAfterATimedOutParseIsStillServed) {
  cluster_.statement_timeout_ms = 200;
  StartServer();
  std::string in = StartupPacket(std::string("user\0postgres\0\0", 15));
  // Pipelined: all in the buffer at once. The timed-out parse keeps the buffer it reads; the
  // messages after it must still be decoded from the rest. Each "after" waits for that parse (a
  // session parses one query at a time) until its own timeout; twelve of them outlast it.
  std::vector<const char*> queries = {"slowparse"};
  queries.insert(queries.end(), 12, "after");
  for (const char* q : queries) {
    in += 'Q';
    AppendBE32(in, static_cast<uint32_t>(4 + std::strlen(q) + 1));
    in.append(q, std::strlen(q) + 1);
  }
  in += std::string("X\0\0\0\x04", 5);
  std::string got = RawExchange(in);
  const std::string kTimeout = "canceling statement due to statement timeout";
  size_t first = got.find(kTimeout);
  ASSERT_NE(first, std::string::npos) << got;
  size_t second = got.find(kTimeout, first + 1);
  ASSERT_NE(second, std::string::npos) << got;
  size_t after = got.find("OK after", second);
  EXPECT_NE(after, std::string::npos) << got;
}

}  // namespace
}  // namespace sqlrite::server
