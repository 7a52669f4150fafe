#include "web/gateway.h"

#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "engine/mutex.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "placement/v1/account_service.grpc.pb.h"
#include "placement/v1/admin_service.grpc.pb.h"
#include "placement/v1/rematch_service.grpc.pb.h"
#include "web/connect.h"
#include "web/sessions.h"
#include "web/static_files.h"

namespace placement::web {
namespace {

constexpr char kCookieName[] = "placement_session";
constexpr char kApiPackage[] = "placement.v1.";
constexpr int kMaxReceiveBytes = 16 * 1024 * 1024;

constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' "
    "data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri "
    "'none'; form-action 'self'; frame-ancestors 'none'";

// When the request being served on this thread started, for the log line
// (httplib serves a request from routing to logging on one thread).
thread_local std::chrono::steady_clock::time_point request_started;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool IsApiPath(absl::string_view path) {
  return absl::StartsWith(path, "/api/") ||
         absl::StartsWith(path, "/placement.");
}

// httplib compresses every text-like answer with the best encoding the
// client accepts, preferring brotli at its slowest quality (0.5 s for a
// 200 KB script on this project's machines), on every request. So:
// answers of the API are never compressed (secrets and text others wrote in
// one compressed TLS record is what the BREACH attack reads; and they are
// small), and files are compressed with gzip at most. httplib offers no
// setting for this, so the request's Accept-Encoding is narrowed before
// routing; httplib's Request is its own mutable local, handed to the hook
// as const.
void LimitCompression(const httplib::Request& const_req) {
  auto& headers = const_cast<httplib::Request&>(const_req).headers;
  const bool gzip =
      absl::StrContains(const_req.get_header_value("Accept-Encoding"), "gzip");
  headers.erase("Accept-Encoding");
  if (gzip && !IsApiPath(const_req.path)) {
    headers.emplace("Accept-Encoding", "gzip");
  }
}

std::string BufferToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

// Finishes a server-streaming call: cancels it if it is still running and
// reads it to its end, as gRPC requires before the reader goes.
// `untrack`, when set, runs last, while the context still exists.
template <typename Message>
struct StreamCall {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<Message>> reader;
  bool finished = false;
  std::function<void()> untrack;

  grpc::Status Finish() {
    finished = true;
    return reader->Finish();
  }
  ~StreamCall() {
    if (reader != nullptr && !finished) {
      context.TryCancel();
      Message ignored;
      while (reader->Read(&ignored)) {
      }
      reader->Finish();
    }
    if (untrack) untrack();
  }
};

// The routes and their handlers over one httplib server, the server's gRPC
// channel and the sessions. Thread-safe: httplib runs the handlers on its
// pool; the sessions, the throttle and the stream registry lock themselves.
class Gateway {
 public:
  Gateway(const GatewayOptions& options, std::shared_ptr<grpc::Channel> channel,
          std::unique_ptr<httplib::Server> http, bool tls)
      : options_(options),
        channel_(std::move(channel)),
        generic_(channel_),
        accounts_(v1::AccountService::NewStub(channel_)),
        admin_(v1::AdminService::NewStub(channel_)),
        rematch_(v1::RematchService::NewStub(channel_)),
        http_(std::move(http)),
        tls_(tls),
        sessions_(options.session_idle),
        throttle_({.free_failures = options.sign_in_free_failures}) {
    Routes();
  }

  httplib::Server& http() { return *http_; }

  // Stops taking requests and cancels the progress streams and downloads
  // that are running, so that stopping does not wait for a run to end.
  void Stop() ABSL_LOCKS_EXCLUDED(streams_mutex_) {
    {
      MutexLock lock(&streams_mutex_);
      stopping_ = true;
      for (grpc::ClientContext* context : streams_) context->TryCancel();
    }
    http_->stop();
  }

 private:
  // Registers a streaming call so that Stop can cancel it, until the call
  // goes; cancels it at once when stopping has begun.
  template <typename Message>
  void Track(StreamCall<Message>& call) ABSL_LOCKS_EXCLUDED(streams_mutex_) {
    grpc::ClientContext* context = &call.context;
    {
      MutexLock lock(&streams_mutex_);
      if (stopping_) context->TryCancel();
      streams_.insert(context);
    }
    call.untrack = [this, context] {
      MutexLock lock(&streams_mutex_);
      streams_.erase(context);
    };
  }

  void Routes();

  // The most bytes a request body to `path` may have.
  size_t BodyLimit(const std::string& path) const {
    return path == kImportPath ? options_.max_import_body_bytes
                               : options_.max_body_bytes;
  }
  static std::string TooLarge(size_t limit) {
    return absl::StrCat("request body above the limit of ", limit,
                        " bytes for this path");
  }
  // A handler that gets the request with its body read, bounded by the
  // path's limit: a longer body is read to its end (so the connection stays
  // usable) but not kept, and is answered 413. httplib's own limit is the
  // largest of all; this is the per-path one.
  httplib::Server::HandlerWithContentReader WithBody(
      std::function<void(const httplib::Request&, httplib::Response&)> handler);

  // Responses.
  static void SendJson(httplib::Response& res, int status,
                       const std::string& body) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(body, "application/json");
  }
  static void SendError(httplib::Response& res, const ConnectError& error) {
    SendJson(res, error.http_status, error.body);
  }
  static void SendError(httplib::Response& res, grpc::StatusCode code,
                        const std::string& message) {
    SendError(res, ConnectErrorOf(grpc::Status(code, message)));
  }

  // The checks every POST passes: the Connect header (the CSRF guard) and a
  // JSON body. False when it answered the request with the refusal.
  static bool CheckConnectPost(const httplib::Request& req,
                               httplib::Response& res);
  // The live session of the request's cookie; answers 401 when none.
  std::optional<Session> SessionOrRefuse(const httplib::Request& req,
                                         httplib::Response& res);
  static std::string CookieSessionId(const httplib::Request& req);
  std::string SessionCookie(const std::string& id) const;
  std::string ClearedSessionCookie() const;
  std::unique_ptr<grpc::ClientContext> CallContext(
      const std::string& token, std::optional<absl::Duration> timeout) const;

  void SignIn(const httplib::Request& req, httplib::Response& res);
  void CurrentSession(const httplib::Request& req, httplib::Response& res);
  void SignOut(const httplib::Request& req, httplib::Response& res);
  void Unary(const httplib::Request& req, httplib::Response& res);
  void WatchRun(const httplib::Request& req, httplib::Response& res);
  void Export(const httplib::Request& req, httplib::Response& res);
  void StaticFile(const httplib::Request& req, httplib::Response& res);

  const GatewayOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  grpc::GenericStub generic_;
  std::unique_ptr<v1::AccountService::Stub> accounts_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<v1::RematchService::Stub> rematch_;
  std::unique_ptr<httplib::Server> http_;
  const bool tls_;
  SessionStore sessions_;
  SignInThrottle throttle_;
  Mutex streams_mutex_;
  bool stopping_ ABSL_GUARDED_BY(streams_mutex_) = false;
  absl::flat_hash_set<grpc::ClientContext*> streams_
      ABSL_GUARDED_BY(streams_mutex_);
};

bool Gateway::CheckConnectPost(const httplib::Request& req,
                               httplib::Response& res) {
  if (req.get_header_value(kConnectProtocolHeader) != kConnectProtocolVersion) {
    SendError(res, grpc::StatusCode::INVALID_ARGUMENT,
              absl::StrCat("missing header ", kConnectProtocolHeader, ": ",
                           kConnectProtocolVersion));
    return false;
  }
  if (!req.body.empty()) {
    const std::string header = req.get_header_value("Content-Type");
    const std::string type = absl::AsciiStrToLower(absl::StripAsciiWhitespace(
        absl::string_view(header).substr(0, header.find(';'))));
    if (type != "application/json") {
      SendError(res, ConnectErrorOf(grpc::Status(
                         grpc::StatusCode::INVALID_ARGUMENT,
                         "Content-Type must be application/json (the Connect "
                         "protocol's JSON codec)")));
      res.status = 415;
      return false;
    }
  }
  return true;
}

std::string Gateway::CookieSessionId(const httplib::Request& req) {
  const std::string prefix = absl::StrCat(kCookieName, "=");
  for (size_t i = 0, n = req.get_header_value_count("Cookie"); i < n; ++i) {
    for (absl::string_view part :
         absl::StrSplit(req.get_header_value("Cookie", i), ';')) {
      part = absl::StripAsciiWhitespace(part);
      if (absl::ConsumePrefix(&part, prefix)) return std::string(part);
    }
  }
  return "";
}

std::optional<Session> Gateway::SessionOrRefuse(const httplib::Request& req,
                                                httplib::Response& res) {
  std::optional<Session> session = sessions_.Find(CookieSessionId(req));
  if (!session.has_value()) {
    SendError(res, grpc::StatusCode::UNAUTHENTICATED,
              "not signed in, or the session has ended: sign in again");
  }
  return session;
}

std::string Gateway::SessionCookie(const std::string& id) const {
  return absl::StrCat(kCookieName, "=", id, "; HttpOnly; SameSite=Strict; ",
                      "Path=/", tls_ ? "; Secure" : "");
}

std::string Gateway::ClearedSessionCookie() const {
  return absl::StrCat(kCookieName, "=; Max-Age=0; HttpOnly; SameSite=Strict; ",
                      "Path=/", tls_ ? "; Secure" : "");
}

std::unique_ptr<grpc::ClientContext> Gateway::CallContext(
    const std::string& token, std::optional<absl::Duration> timeout) const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (timeout.has_value()) {
    context->set_deadline(std::chrono::system_clock::now() +
                          absl::ToChronoMilliseconds(*timeout));
  }
  context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  return context;
}

void Gateway::SignIn(const httplib::Request& req, httplib::Response& res) {
  if (!CheckConnectPost(req, res)) return;
  const std::string& address = req.remote_addr;
  const absl::Duration wait = throttle_.RetryAfter(address);
  if (wait > absl::ZeroDuration()) {
    const int64_t seconds =
        static_cast<int64_t>(std::ceil(absl::ToDoubleSeconds(wait)));
    res.set_header("Retry-After", std::to_string(seconds));
    SendError(res, grpc::StatusCode::RESOURCE_EXHAUSTED,
              absl::StrCat("too many failed sign-ins from this address; try "
                           "again in ",
                           seconds, " s"));
    return;
  }
  google::protobuf::Struct body;
  if (absl::Status s = JsonToMessage(req.body, body); !s.ok()) {
    SendError(res, ConnectErrorOf(s));
    return;
  }
  const auto token_field = body.fields().find("token");
  if (token_field == body.fields().end() ||
      !token_field->second.has_string_value() ||
      token_field->second.string_value().empty()) {
    SendError(res, grpc::StatusCode::INVALID_ARGUMENT,
              "token: required, a string (the sign-in token)");
    return;
  }
  const std::string& token = token_field->second.string_value();
  v1::WhoAmIResponse who;
  const grpc::Status status =
      accounts_->WhoAmI(CallContext(token, options_.call_timeout).get(),
                        v1::WhoAmIRequest(), &who);
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    throttle_.RecordFailure(address);
    SendError(res, grpc::StatusCode::UNAUTHENTICATED,
              "sign-in refused: the token is not valid");
    return;
  }
  if (!status.ok()) {
    SendError(res, ConnectErrorOf(status));
    return;
  }
  throttle_.RecordSuccess(address);
  sessions_.End(CookieSessionId(req));
  const std::string id = sessions_.Create(
      {.token = token, .principal_id = who.principal_id(), .role = who.role()});
  res.set_header("Set-Cookie", SessionCookie(id));
  SendJson(res, 200,
           absl::StrCat("{\"principalId\":", JsonQuote(who.principal_id()),
                        ",\"role\":", JsonQuote(who.role()), "}"));
}

void Gateway::CurrentSession(const httplib::Request& req,
                             httplib::Response& res) {
  const std::optional<Session> session = SessionOrRefuse(req, res);
  if (!session.has_value()) return;
  SendJson(res, 200,
           absl::StrCat("{\"principalId\":", JsonQuote(session->principal_id),
                        ",\"role\":", JsonQuote(session->role), "}"));
}

void Gateway::SignOut(const httplib::Request& req, httplib::Response& res) {
  if (!CheckConnectPost(req, res)) return;
  sessions_.End(CookieSessionId(req));
  res.set_header("Set-Cookie", ClearedSessionCookie());
  res.set_header("Cache-Control", "no-store");
  res.status = 204;
}

void Gateway::Unary(const httplib::Request& req, httplib::Response& res) {
  if (!CheckConnectPost(req, res)) return;
  const std::string service = req.matches[1];
  const std::string method_name = req.matches[2];
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          absl::StrCat(kApiPackage, service, ".", method_name));
  if (method == nullptr || method->client_streaming() ||
      method->server_streaming()) {
    SendError(res, grpc::StatusCode::NOT_FOUND,
              absl::StrCat("no unary method ", kApiPackage, service, "/",
                           method_name));
    return;
  }
  const std::optional<Session> session = SessionOrRefuse(req, res);
  if (!session.has_value()) return;

  google::protobuf::MessageFactory* factory =
      google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<google::protobuf::Message> request(
      factory->GetPrototype(method->input_type())->New());
  if (absl::Status s = JsonToMessage(req.body, *request); !s.ok()) {
    SendError(res, ConnectErrorOf(s));
    return;
  }
  const std::string bytes = request->SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  // The client's own deadline (the Connect protocol's timeout header: up to
  // 10 digits of milliseconds) when shorter than the gateway's.
  absl::Duration timeout = options_.call_timeout;
  if (req.has_header("Connect-Timeout-Ms")) {
    const std::string value = req.get_header_value("Connect-Timeout-Ms");
    int64_t ms = 0;
    if (value.empty() || value.size() > 10 ||
        !std::all_of(value.begin(), value.end(), absl::ascii_isdigit) ||
        !absl::SimpleAtoi(value, &ms) || ms < 1) {
      SendError(res, grpc::StatusCode::INVALID_ARGUMENT,
                absl::StrCat("Connect-Timeout-Ms: \"", value,
                             "\" is not a number of milliseconds (1 to 10 "
                             "digits)"));
      return;
    }
    timeout = std::min(timeout, absl::Milliseconds(ms));
  }
  std::unique_ptr<grpc::ClientContext> context =
      CallContext(session->token, timeout);
  std::promise<grpc::Status> done;
  generic_.UnaryCall(
      context.get(),
      absl::StrCat("/", method->service()->full_name(), "/", method->name()),
      grpc::StubOptions(), &request_buffer, &response_buffer,
      [&done](grpc::Status status) { done.set_value(std::move(status)); });
  const grpc::Status status = done.get_future().get();
  if (!status.ok()) {
    // The server no longer knows the token (its credentials changed): the
    // session is of no more use.
    if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
      sessions_.End(CookieSessionId(req));
    }
    SendError(res, ConnectErrorOf(status));
    return;
  }
  std::unique_ptr<google::protobuf::Message> response(
      factory->GetPrototype(method->output_type())->New());
  if (!response->ParseFromString(BufferToString(response_buffer))) {
    SendError(res, grpc::StatusCode::INTERNAL,
              absl::StrCat("the server's answer is not a ",
                           method->output_type()->full_name()));
    return;
  }
  SendJson(res, 200, MessageToJson(*response));
}

void Gateway::WatchRun(const httplib::Request& req, httplib::Response& res) {
  const std::optional<Session> session = SessionOrRefuse(req, res);
  if (!session.has_value()) return;
  v1::WatchRunRequest request;
  request.set_run_id(req.matches[1]);
  auto call = std::make_shared<StreamCall<v1::RunProgress>>();
  call->context.AddMetadata("authorization",
                            absl::StrCat("Bearer ", session->token));
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream",
      [this, call, request](size_t /*offset*/, httplib::DataSink& sink) {
        Track(*call);
        call->reader = rematch_->WatchRun(&call->context, request);
        v1::RunProgress progress;
        bool written = true;
        while (written && call->reader->Read(&progress)) {
          const std::string event = absl::StrCat(
              "event: progress\ndata: ", MessageToJson(progress), "\n\n");
          written = sink.write(event.data(), event.size());
        }
        if (!written) call->context.TryCancel();
        const grpc::Status status = call->Finish();
        if (!written) return false;
        std::string last = "event: end\ndata: {}\n\n";
        if (!status.ok()) {
          last = absl::StrCat(
              "event: error\ndata: ", ConnectErrorOf(status).body, "\n\n");
        }
        if (!sink.write(last.data(), last.size())) return false;
        sink.done();
        return true;
      });
}

void Gateway::Export(const httplib::Request& req, httplib::Response& res) {
  const std::optional<Session> session = SessionOrRefuse(req, res);
  if (!session.has_value()) return;
  const std::string kind_text = req.get_param_value("kind");
  v1::ExportRequest request;
  std::string file_name;
  if (kind_text == "participants" || kind_text == "DATA_KIND_PARTICIPANTS") {
    request.set_kind(v1::DATA_KIND_PARTICIPANTS);
    file_name = "participants.csv";
  } else if (kind_text == "openings" || kind_text == "DATA_KIND_OPENINGS") {
    request.set_kind(v1::DATA_KIND_OPENINGS);
    file_name = "openings.csv";
  } else {
    SendError(res, grpc::StatusCode::INVALID_ARGUMENT,
              absl::StrCat("kind: \"", kind_text,
                           "\" is not participants or openings"));
    return;
  }
  auto call = std::make_shared<StreamCall<v1::ExportChunk>>();
  call->context.AddMetadata("authorization",
                            absl::StrCat("Bearer ", session->token));
  Track(*call);
  call->reader = admin_->ExportData(&call->context, request);
  // The first chunk is read before answering, so that a refusal (not an
  // admin, store unavailable) is an error response, not a broken download.
  auto first = std::make_shared<v1::ExportChunk>();
  if (!call->reader->Read(first.get())) {
    const grpc::Status status = call->Finish();
    if (!status.ok()) {
      SendError(res, ConnectErrorOf(status));
      return;
    }
  }
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Disposition",
                 absl::StrCat("attachment; filename=\"", file_name, "\""));
  res.set_chunked_content_provider(
      "text/csv; charset=utf-8",
      [call, first](size_t /*offset*/, httplib::DataSink& sink) {
        if (!call->finished) {
          bool written =
              sink.write(first->content().data(), first->content().size());
          v1::ExportChunk chunk;
          while (written && call->reader->Read(&chunk)) {
            written =
                sink.write(chunk.content().data(), chunk.content().size());
          }
          if (!written) call->context.TryCancel();
          const grpc::Status status = call->Finish();
          // An export that fails half-way must not look complete: the
          // connection is dropped instead of ending the body.
          if (!written || !status.ok()) return false;
        }
        sink.done();
        return true;
      });
}

void Gateway::StaticFile(const httplib::Request& req, httplib::Response& res) {
  if (IsApiPath(req.path)) {
    SendError(res, grpc::StatusCode::NOT_FOUND,
              absl::StrCat("no such API path: ", req.path));
    return;
  }
  const std::optional<std::filesystem::path> file =
      ResolveStaticFile(options_.console_dir, req.path);
  if (!file.has_value()) {
    res.status = 404;
    res.set_content(
        req.path == "/"
            ? absl::StrCat("The console is not built: no index.html in ",
                           options_.console_dir,
                           " (npm ci && npm run build in web/console, or "
                           "scripts/run)\n")
            : "Not found\n",
        "text/plain; charset=utf-8");
    return;
  }
  res.set_header("Cache-Control", "no-cache");
  res.set_content(ReadFile(file->string()),
                  std::string(ContentTypeFor(*file)).c_str());
}

httplib::Server::HandlerWithContentReader Gateway::WithBody(
    std::function<void(const httplib::Request&, httplib::Response&)> handler) {
  return [this, handler = std::move(handler)](
             const httplib::Request& req, httplib::Response& res,
             const httplib::ContentReader& content_reader) {
    const size_t limit = BodyLimit(req.path);
    std::string body;
    bool too_large = false;
    const auto receive = [&](const char* data, size_t length) {
      if (too_large) return true;
      if (length > limit - body.size()) {
        too_large = true;
        std::string().swap(body);
      } else {
        body.append(data, length);
      }
      return true;
    };
    const bool read =
        req.is_multipart_form_data()
            ? content_reader(
                  [](const httplib::MultipartFormData&) { return true; },
                  receive)
            : content_reader(receive);
    // httplib sets 413 itself when Content-Length is above its own limit.
    if (too_large || res.status == 413) {
      SendError(res, grpc::StatusCode::RESOURCE_EXHAUSTED, TooLarge(limit));
      res.status = 413;
      return;
    }
    if (!read) {
      SendError(res, grpc::StatusCode::INVALID_ARGUMENT,
                "the request body could not be read");
      return;
    }
    httplib::Request with_body = req;
    with_body.body = std::move(body);
    handler(with_body, res);
  };
}

void Gateway::Routes() {
  httplib::Headers headers = {
      {"Content-Security-Policy", kContentSecurityPolicy},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
  };
  if (tls_) {
    headers.emplace("Strict-Transport-Security", "max-age=31536000");
  }
  http_->set_default_headers(std::move(headers));
  http_->set_payload_max_length(
      std::max(options_.max_body_bytes, options_.max_import_body_bytes));
  // Answers go out at once rather than wait for the client's ACK (Nagle's
  // algorithm with delayed ACKs costs 40 ms a call on keep-alive).
  http_->set_tcp_nodelay(true);
  http_->new_task_queue = [threads = options_.threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  http_->set_pre_routing_handler(
      [](const httplib::Request& req, httplib::Response&) {
        request_started = std::chrono::steady_clock::now();
        LimitCompression(req);
        return httplib::Server::HandlerResponse::Unhandled;
      });
  // Errors httplib answers itself (413 body too large, 400 malformed
  // request, 404 for other methods) get a Connect error body.
  http_->set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty())
          return httplib::Server::HandlerResponse::Unhandled;
        grpc::StatusCode code = grpc::StatusCode::INVALID_ARGUMENT;
        std::string message = "bad request";
        if (res.status == 413) {
          code = grpc::StatusCode::RESOURCE_EXHAUSTED;
          message = TooLarge(BodyLimit(req.path));
        } else if (res.status == 404 || res.status == 405) {
          code = grpc::StatusCode::NOT_FOUND;
          message = absl::StrCat("no ", req.method, " ", req.path);
        }
        const int status = res.status;
        SendError(res, ConnectErrorOf(grpc::Status(code, message)));
        res.status = status;
        return httplib::Server::HandlerResponse::Handled;
      }));
  // One line per request: who (address), what (method and path, never the
  // query, a body or a cookie), the outcome and how long it took.
  http_->set_logger([](const httplib::Request& req,
                       const httplib::Response& res) {
    const auto now = std::chrono::steady_clock::now();
    const double ms =
        request_started.time_since_epoch().count() == 0
            ? 0.0
            : std::chrono::duration<double, std::milli>(now - request_started)
                  .count();
    request_started = {};
    std::printf("%s %s %s %d %zu %.1fms\n", req.remote_addr.c_str(),
                req.method.c_str(), req.path.c_str(), res.status,
                res.body.size(), ms);
    std::fflush(stdout);
  });

  http_->Post("/api/session",
              WithBody([this](const httplib::Request& req,
                              httplib::Response& res) { SignIn(req, res); }));
  http_->Get("/api/session",
             [this](const httplib::Request& req, httplib::Response& res) {
               CurrentSession(req, res);
             });
  http_->Post("/api/session/end",
              WithBody([this](const httplib::Request& req,
                              httplib::Response& res) { SignOut(req, res); }));
  http_->Get(R"(/api/runs/([A-Za-z0-9_.-]+)/progress)",
             [this](const httplib::Request& req, httplib::Response& res) {
               WatchRun(req, res);
             });
  http_->Get("/api/export",
             [this](const httplib::Request& req, httplib::Response& res) {
               Export(req, res);
             });
  http_->Post(
      R"(/placement\.v1\.([A-Za-z][A-Za-z0-9]*)/([A-Za-z][A-Za-z0-9]*))",
      WithBody([this](const httplib::Request& req, httplib::Response& res) {
        Unary(req, res);
      }));
  const auto no_such_path = [](const httplib::Request& req,
                               httplib::Response& res) {
    SendError(res, grpc::StatusCode::NOT_FOUND,
              absl::StrCat("no such API path: ", req.path));
  };
  http_->Post(R"(/.*)", WithBody(no_such_path));
  // Other methods with a body are read under the same bound, then refused.
  http_->Put(R"(/.*)", WithBody(no_such_path));
  http_->Patch(R"(/.*)", WithBody(no_such_path));
  http_->Delete(R"(/.*)", WithBody(no_such_path));
  http_->Get(R"(/.*)",
             [this](const httplib::Request& req, httplib::Response& res) {
               StaticFile(req, res);
             });
}

std::shared_ptr<grpc::ChannelCredentials> ServerCredentials(
    const GatewayOptions& options, absl::Status& status) {
  if (options.server_ca_path.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = ReadFile(options.server_ca_path);
  if (tls.pem_root_certs.find("-----BEGIN CERTIFICATE-----") ==
      std::string::npos) {
    status = absl::InvalidArgumentError(
        absl::StrCat("--server_ca=", options.server_ca_path,
                     ": not a readable PEM file of CA certificates"));
    return nullptr;
  }
  return grpc::SslCredentials(tls);
}

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  absl::string_view h = host;
  if (absl::ConsumePrefix(&h, "[")) absl::ConsumeSuffix(&h, "]");
  return absl::StartsWith(h, "127.") || h == "::1" || h == "localhost";
}

absl::Status SplitHostPort(const std::string& address, const std::string& flag,
                           std::string& host, int& port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, "=", address, ": expected host:port, e.g. 127.0.0.1:8080"));
  }
  host = address.substr(0, colon);
  if (absl::StartsWith(host, "[") && absl::EndsWith(host, "]")) {
    host = host.substr(1, host.size() - 2);
  }
  return absl::OkStatus();
}

absl::Status RunGateway(const GatewayOptions& options) {
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGTERM);
  sigaddset(&shutdown_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);

  std::string host;
  int port = 0;
  if (absl::Status s = SplitHostPort(options.listen, "listen", host, port);
      !s.ok()) {
    return s;
  }
  const bool tls =
      !options.tls_cert_path.empty() || !options.tls_key_path.empty();
  if (tls && (options.tls_cert_path.empty() || options.tls_key_path.empty())) {
    return absl::InvalidArgumentError(
        "--tls_cert and --tls_key go together: give both or neither");
  }
  if (!tls && !IsLoopbackHost(host)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen=", options.listen,
        ": plain HTTP is allowed on loopback only (127.0.0.1, [::1] or "
        "localhost); HTTPS (--tls_cert and --tls_key) is needed for any other "
        "address"));
  }
  if (options.session_idle <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--session_idle_minutes must be above 0");
  }
  if (options.threads < 2) {
    return absl::InvalidArgumentError("--threads must be at least 2");
  }
  absl::Status credentials_status;
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      ServerCredentials(options, credentials_status);
  if (!credentials_status.ok()) return credentials_status;
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(options.server, credentials, arguments);

  std::unique_ptr<httplib::Server> http;
  if (tls) {
    auto https = std::make_unique<httplib::SSLServer>(
        options.tls_cert_path.c_str(), options.tls_key_path.c_str());
    if (!https->is_valid()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--tls_cert=", options.tls_cert_path,
          " --tls_key=", options.tls_key_path,
          ": cannot load the certificate chain and key (PEM files, the key "
          "matching the certificate)"));
    }
    http = std::move(https);
  } else {
    http = std::make_unique<httplib::Server>();
  }
  Gateway gateway(options, channel, std::move(http), tls);
  const int bound = port == 0
                        ? gateway.http().bind_to_any_port(host)
                        : (gateway.http().bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen,
                     " (is another process using it?)"));
  }
  std::thread serving([&gateway] { gateway.http().listen_after_bind(); });
  if (!options.port_file.empty()) {
    std::ofstream(options.port_file, std::ios::trunc) << bound << "\n";
  }
  std::error_code error;
  const bool console_built = std::filesystem::exists(
      std::filesystem::path(options.console_dir) / "index.html", error);
  const std::string shown_host =
      host.find(':') != std::string::npos ? absl::StrCat("[", host, "]") : host;
  std::printf(
      "placement-web listening on %s://%s:%d (server %s over %s; console %s%s; "
      "sessions end after %s idle)\n",
      tls ? "https" : "http", shown_host.c_str(), bound, options.server.c_str(),
      options.server_ca_path.empty() ? "plain text" : "TLS",
      options.console_dir.c_str(), console_built ? "" : " (not built yet)",
      absl::FormatDuration(options.session_idle).c_str());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&shutdown_signals, &signal_number);
  std::printf("Received %s: stopping\n",
              signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  std::fflush(stdout);
  gateway.Stop();
  serving.join();
  std::printf("Stopped\n");
  return absl::OkStatus();
}

}  // namespace placement::web
