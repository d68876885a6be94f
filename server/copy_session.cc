// The COPY sub-protocol of a session (declared in server/session.h, kept apart from the rest of
// the session's messages).
//
// COPY FROM STDIN: CopyInResponse; then CopyData messages are handed to the engine in batches
// (every whole CopyData already received, up to kCopyInBatchBytes, per engine task), so input
// of any size passes through about one batch of memory; CopyDone commits ("COPY n" after the
// group-commit epilogue), CopyFail ends it with 57014 "COPY from stdin failed: <msg>". Flush
// and Sync are ignored meanwhile, as PostgreSQL does; any other message is an 08P01 error that
// ends the COPY. After an error the client's remaining CopyData/CopyDone/CopyFail are ignored by
// HandleMessage (PostgreSQL answers ErrorResponse and ReadyForQuery at once).
//
// COPY TO STDOUT: CopyOutResponse, then one CopyData per row, written a chunk (kCopyOutChunk
// bytes of rows, produced by one engine task) at a time, CopyDone, CommandComplete.
//
// Every engine answer comes after the batch's group-commit epilogue (EngineQueue::Defer), as
// statement results do: a row read from another session's commit of this batch is not sent
// before that commit is durable.

#include <spdlog/spdlog.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "common/sqlstate.h"
#include "protocol/decoder.h"
#include "protocol/encoder.h"
#include "server/engine_bridge.h"
#include "server/server.h"
#include "server/session.h"

namespace sqlrite::server {
namespace {

constexpr size_t kCopyInBatchBytes = 1 << 20;
constexpr size_t kCopyOutChunk = 256 * 1024;

// Runs fn on the engine thread and resumes with its result after the batch's epilogue; a failed
// epilogue (fsync) replaces a result that committed.
template <typename R, typename Fn>
asio::awaitable<R> RunDeferred(engine::EngineQueue& queue, Fn fn, bool (*committed)(const R&)) {
  auto task = [&queue, &fn, committed](engine::EngineQueue::Callback<R> done) {
    R result = fn();
    queue.Defer([result = std::move(result), done = std::move(done),
                 committed](const Status& synced) mutable {
      if (!synced && committed(result)) result = R(tl::unexpected<Error>(synced.error()));
      done(std::move(result));
    });
  };
  co_return co_await CompleteOnEngine<R>(queue, std::move(task));
}

template <typename R>
bool NeverCommits(const R&) {
  return false;
}

}  // namespace

asio::awaitable<Session::Next> Session::RunCopy(const engine::CopyStart& start) {
  // The Query message is consumed here, so the COPY's messages can be read behind it; Serve's
  // `in_begin_ += consumed` for the Query lands after the COPY's last message (unsigned wrap).
  copy_failed_ = false;
  const size_t query_bytes = message_end_ - in_begin_;
  in_begin_ = message_end_;
  Next next = start.from ? co_await RunCopyIn(start) : co_await RunCopyOut(start);
  in_begin_ -= query_bytes;
  if (next == Next::kClose) co_return next;
  engine::SessionState& state = *engine_state_;
  auto status = [&state]() -> char { return static_cast<char>(state.tx_status()); };
  tx_status_ = co_await RunOnEngine(server_.queue(), std::move(status));
  co_return Next::kContinue;
}

asio::awaitable<Session::Next> Session::RunCopyIn(const engine::CopyStart& start) {
  engine::Cluster& cluster = server_.cluster();
  engine::EngineQueue& queue = server_.queue();
  engine::SessionState& state = *engine_state_;
  protocol::AppendCopyInResponse(out_, start.binary, start.columns);
  if (!co_await Flush()) co_return Next::kClose;
  std::vector<std::string_view> pieces;
  for (;;) {
    pieces.clear();
    size_t batch_bytes = 0;
    enum class End { kNone, kDone, kFail, kBadMessage } end = End::kNone;
    std::string fail_message;
    char bad_type = 0;
    while (batch_bytes < kCopyInBatchBytes) {
      protocol::FrontendMessage msg;
      Error error;
      protocol::DecodeResult r = protocol::DecodeFrontendMessage(Unread(), msg, error);
      if (r.status == protocol::DecodeStatus::kNeedMore) break;
      if (r.status == protocol::DecodeStatus::kBad ||
          r.status == protocol::DecodeStatus::kMalformed) {
        // During COPY FROM STDIN a message that cannot be read ends the connection: the client's
        // stream of CopyData cannot be told apart from what would follow an ERROR.
        spdlog::warn("session {}: {}", id_, error.message);
        co_await SendFatal(Error(error).WithSeverity(Severity::kFatal));
        co_return Next::kClose;  // Disconnect rolls the COPY back
      }
      // The views stay valid until in_ is next read into, after the engine took them.
      in_begin_ += r.consumed;
      if (const auto* copy = std::get_if<protocol::IgnoredMessage>(&msg)) {
        if (copy->type == 'd') {
          pieces.push_back(copy->body);
          batch_bytes += copy->body.size();
          continue;
        }
        if (copy->type == 'c') {
          end = End::kDone;
        } else {
          end = End::kFail;
          fail_message.assign(copy->body.data(), strnlen(copy->body.data(), copy->body.size()));
        }
        break;
      }
      if (std::holds_alternative<protocol::Flush>(msg) ||
          std::holds_alternative<protocol::Sync>(msg)) {
        continue;
      }
      if (std::holds_alternative<protocol::Terminate>(msg)) co_return Next::kClose;
      end = End::kBadMessage;
      bad_type = in_[in_begin_ - r.consumed];
      break;
    }
    if (!pieces.empty()) {
      auto feed = [&cluster, &state, &pieces]() -> Status {
        return cluster.CopyInData(state, pieces);
      };
      Status fed = co_await RunDeferred<Status>(queue, std::move(feed), &NeverCommits<Status>);
      if (!fed) {
        spdlog::warn("session {}: ERROR {}: {}", id_, fed.error().sqlstate, fed.error().message);
        copy_failed_ = true;
        protocol::AppendErrorResponse(out_, fed.error());
        co_return Next::kContinue;
      }
    }
    if (end == End::kDone) {
      auto done = [&cluster, &state]() -> Result<engine::QueryResult> {
        return cluster.CopyInDone(state);
      };
      Result<engine::QueryResult> result = co_await RunDeferred<Result<engine::QueryResult>>(
          queue, std::move(done),
          +[](const Result<engine::QueryResult>& r) { return r && r->awaits_sync; });
      if (!result) {
        copy_failed_ = true;
        protocol::AppendErrorResponse(out_, result.error());
      } else {
        protocol::AppendCommandComplete(out_, result->command_tag);
      }
      co_return Next::kContinue;
    }
    if (end == End::kFail || end == End::kBadMessage) {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "0x%02X", static_cast<unsigned char>(bad_type));
      Error error =
          end == End::kFail
              ? Error(sqlstate::kQueryCanceled, "COPY from stdin failed: " + fail_message)
              : Error(sqlstate::kProtocolViolation,
                      std::string("unexpected message type ") + hex + " during COPY from stdin");
      auto abort = [&cluster, &state, &error]() -> Error {
        return cluster.CopyAbort(state, std::move(error));
      };
      Error reported = co_await RunOnEngine(queue, std::move(abort));
      copy_failed_ = true;
      protocol::AppendErrorResponse(out_, reported);
      co_return Next::kContinue;
    }
    if (batch_bytes >= kCopyInBatchBytes) continue;    // more whole messages may be buffered
    if (!co_await ReadMore()) co_return Next::kClose;  // Disconnect rolls the COPY back
  }
}

asio::awaitable<Session::Next> Session::RunCopyOut(const engine::CopyStart& start) {
  engine::Cluster& cluster = server_.cluster();
  engine::EngineQueue& queue = server_.queue();
  engine::SessionState& state = *engine_state_;
  protocol::AppendCopyOutResponse(out_, start.binary, start.columns);
  std::string chunk;
  std::vector<size_t> row_ends;
  using Step = Result<std::optional<engine::QueryResult>>;
  for (;;) {
    chunk.clear();
    row_ends.clear();
    auto next = [&]() -> Step {
      return cluster.CopyOutNext(state, kCopyOutChunk, &chunk, &row_ends);
    };
    Step step = co_await RunDeferred<Step>(queue, std::move(next), &NeverCommits<Step>);
    if (!step) {
      copy_failed_ = true;
      protocol::AppendErrorResponse(out_, step.error());
      co_return Next::kContinue;
    }
    size_t from = 0;
    for (size_t end : row_ends) {
      protocol::AppendCopyData(out_, std::string_view(chunk).substr(from, end - from));
      from = end;
    }
    if (*step) {
      protocol::AppendCopyDone(out_);
      protocol::AppendCommandComplete(out_, (*step)->command_tag);
      co_return Next::kContinue;
    }
    if (!co_await Flush()) co_return Next::kClose;  // Disconnect ends the COPY
  }
}

}  // namespace sqlrite::server
