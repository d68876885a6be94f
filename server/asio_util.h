#pragma once
// Asio glue shared by the server files: I/O completions as (error_code, value...) tuples so that
// network errors are values, never exceptions.

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>

namespace sqlrite::server {

inline constexpr auto kAsTuple = asio::experimental::as_tuple(asio::use_awaitable);

}  // namespace sqlrite::server
