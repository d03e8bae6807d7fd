//! A fault-injecting HTTP/1.1 proxy in front of a real DynamoDB Local.
//!
//! It listens on `127.0.0.1:0`, forwards every request to the real server and,
//! from a seeded RNG and the configured rates:
//! - answers some requests itself with HTTP 400
//!   `ProvisionedThroughputExceededException` (throttling);
//! - answers some with a server error: HTTP 500 `InternalServerError`, or
//!   HTTP 503 with a body that is not JSON (as a load balancer might);
//! - for `BatchWriteItem`, forwards only a subset of the write requests
//!   (rewriting the JSON body) and returns the rest as `UnprocessedItems`,
//!   merged into the real server's answer.
//!
//! On request it also:
//! - answers chosen requests of one operation (the `n`-th, or every one) with
//!   an error of your choosing ([`FaultProxy::fail`]), e.g. a `ValidationException`;
//! - removes the stored item DynamoDB returns with a
//!   `ConditionalCheckFailedException` ([`FaultProxy::strip_condition_failure_items`]),
//!   as DynamoDB does when the request did not ask for it.
//!
//! Every request received is logged with its operation (from `X-Amz-Target`)
//! and JSON body ([`FaultProxy::requests`], [`FaultProxy::count`]), so a test
//! can prove that nothing was sent, or look at what was.
//!
//! Everything it injects is counted ([`FaultProxy::counts`]). Rewriting a
//! signed body invalidates the SigV4 signature; DynamoDB Local does not check
//! signatures (the partial-processing tests pass through it), so that is fine
//! for a test double in front of it. Only loopback upstreams are accepted, and
//! the proxy (its listener and every connection) stops when dropped.
//!
//! Use from a test file with `#[path = "support/fault_proxy.rs"] mod fault_proxy;`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderValue, TRANSFER_ENCODING};
use hyper::{Request, Response, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

const BATCH_WRITE_TARGET: &str = "DynamoDB_20120810.BatchWriteItem";
const AMZ_JSON: &str = "application/x-amz-json-1.0";

/// What to inject. Rates are probabilities in `0.0..=1.0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaultConfig {
    /// Seed of the RNG that takes every decision.
    pub seed: u64,
    /// Share of requests (any operation) answered with a throttling error.
    pub throttle_rate: f64,
    /// Share of the requests not throttled answered with a 500 or 503.
    pub server_error_rate: f64,
    /// Share of the `BatchWriteItem` requests not throttled that are only
    /// partly processed.
    pub partial_rate: f64,
}

impl FaultConfig {
    /// No faults: a plain forwarder.
    pub fn none(seed: u64) -> Self {
        Self {
            seed,
            throttle_rate: 0.0,
            server_error_rate: 0.0,
            partial_rate: 0.0,
        }
    }
}

/// What the proxy saw and injected so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// Requests received.
    pub requests: u64,
    /// `BatchWriteItem` requests received.
    pub batch_writes: u64,
    /// Requests answered with an injected throttling error.
    pub throttled: u64,
    /// `BatchWriteItem` requests among them.
    pub throttled_batch_writes: u64,
    /// Requests answered with an injected 500 or 503.
    pub server_errors: u64,
    /// `BatchWriteItem` requests among them.
    pub server_error_batch_writes: u64,
    /// `BatchWriteItem` requests answered with injected unprocessed items.
    pub partial_batch_writes: u64,
    /// Write requests returned as unprocessed by the proxy (never forwarded).
    pub unprocessed_injected: u64,
    /// Write requests forwarded to the real server.
    pub writes_forwarded: u64,
    /// Requests the upstream could not be reached for (answered 502).
    pub upstream_errors: u64,
    /// Requests answered with an error set up with [`FaultProxy::fail`].
    pub injected_errors: u64,
    /// `ConditionalCheckFailedException` answers whose `Item` was removed.
    pub items_stripped: u64,
}

/// Which requests of an operation a [`FaultProxy::fail`] rule answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurrence {
    /// The `n`-th request of the operation the proxy receives (1-based,
    /// counted from the proxy's start).
    Nth(u64),
    /// Every request of the operation.
    Every,
}

/// An error answer the proxy sends instead of forwarding a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjectedError {
    /// The HTTP status.
    pub status: u16,
    /// DynamoDB's error type, without the `com.amazonaws...#` prefix.
    pub error_type: String,
    /// The message.
    pub message: String,
}

impl InjectedError {
    /// Any error answer.
    pub fn new(status: u16, error_type: &str, message: &str) -> Self {
        Self {
            status,
            error_type: error_type.to_owned(),
            message: message.to_owned(),
        }
    }

    /// HTTP 400 `ValidationException`: not retryable.
    pub fn validation(message: &str) -> Self {
        Self::new(400, "ValidationException", message)
    }

    /// HTTP 400 `AccessDeniedException` (a policy without the permission).
    pub fn access_denied(message: &str) -> Self {
        Self::new(400, "AccessDeniedException", message)
    }
}

struct FailRule {
    operation: String,
    which: Occurrence,
    error: InjectedError,
}

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    batch_writes: AtomicU64,
    throttled: AtomicU64,
    throttled_batch_writes: AtomicU64,
    server_errors: AtomicU64,
    server_error_batch_writes: AtomicU64,
    partial_batch_writes: AtomicU64,
    unprocessed_injected: AtomicU64,
    writes_forwarded: AtomicU64,
    upstream_errors: AtomicU64,
    injected_errors: AtomicU64,
    items_stripped: AtomicU64,
}

fn bump(c: &AtomicU64, n: u64) {
    c.fetch_add(n, Ordering::Relaxed);
}

struct State {
    upstream: String,
    client: Client<HttpConnector, Full<Bytes>>,
    config: Mutex<(FaultConfig, fastrand::Rng)>,
    counters: Counters,
    log: Mutex<Log>,
    rules: Mutex<Vec<FailRule>>,
    strip_items: AtomicBool,
}

/// Every request received: operation and JSON body (`Null` if not JSON),
/// and how many of each operation.
#[derive(Default)]
struct Log {
    entries: Vec<(String, Value)>,
    per_operation: HashMap<String, u64>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running proxy. Dropping it stops the listener and every connection.
pub struct FaultProxy {
    addr: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        // The accept loop owns the connection tasks' JoinSet: aborting it
        // drops the set, which aborts them.
        self.task.abort();
    }
}

impl FaultProxy {
    /// Starts a proxy to `upstream` (`http://127.0.0.1:PORT`; loopback only).
    pub async fn start(upstream: &str, config: FaultConfig) -> std::io::Result<Self> {
        let authority = upstream
            .strip_prefix("http://")
            .ok_or_else(|| std::io::Error::other(format!("not an http:// endpoint: {upstream}")))?
            .trim_end_matches('/');
        let resolved: Vec<SocketAddr> = tokio::net::lookup_host(authority).await?.collect();
        if resolved.is_empty() || !resolved.iter().all(|a| a.ip().is_loopback()) {
            return Err(std::io::Error::other(format!(
                "the fault proxy only forwards to loopback addresses, not {upstream}"
            )));
        }
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        // Small requests and answers: without TCP_NODELAY, Nagle's algorithm
        // and delayed ACKs add tens of milliseconds to each exchange.
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            upstream: format!("http://{authority}"),
            client: Client::builder(TokioExecutor::new()).build(connector),
            config: Mutex::new((config, fastrand::Rng::with_seed(config.seed))),
            counters: Counters::default(),
            log: Mutex::default(),
            rules: Mutex::new(Vec::new()),
            strip_items: AtomicBool::new(false),
        });
        let task = tokio::spawn(accept_loop(listener, state.clone()));
        Ok(Self { addr, state, task })
    }

    /// The endpoint to give a client: `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Changes the rates (the RNG is re-seeded from the new seed).
    pub fn set_config(&self, config: FaultConfig) {
        let mut guard = self.state.config.lock().unwrap_or_else(|e| e.into_inner());
        *guard = (config, fastrand::Rng::with_seed(config.seed));
    }

    /// The counts so far.
    pub fn counts(&self) -> FaultCounts {
        let c = &self.state.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        FaultCounts {
            requests: get(&c.requests),
            batch_writes: get(&c.batch_writes),
            throttled: get(&c.throttled),
            throttled_batch_writes: get(&c.throttled_batch_writes),
            server_errors: get(&c.server_errors),
            server_error_batch_writes: get(&c.server_error_batch_writes),
            partial_batch_writes: get(&c.partial_batch_writes),
            unprocessed_injected: get(&c.unprocessed_injected),
            writes_forwarded: get(&c.writes_forwarded),
            upstream_errors: get(&c.upstream_errors),
            injected_errors: get(&c.injected_errors),
            items_stripped: get(&c.items_stripped),
        }
    }

    /// Every request received so far, in arrival order: the operation
    /// (`PutItem`, `BatchGetItem`, ...; empty without `X-Amz-Target`) and the
    /// JSON body (`Value::Null` when it is not JSON).
    pub fn requests(&self) -> Vec<(String, Value)> {
        lock(&self.state.log).entries.clone()
    }

    /// The bodies of the requests of one operation received so far.
    pub fn requests_of(&self, operation: &str) -> Vec<Value> {
        lock(&self.state.log)
            .entries
            .iter()
            .filter(|(op, _)| op == operation)
            .map(|(_, body)| body.clone())
            .collect()
    }

    /// How many requests of one operation were received so far.
    pub fn count(&self, operation: &str) -> u64 {
        lock(&self.state.log)
            .per_operation
            .get(operation)
            .copied()
            .unwrap_or(0)
    }

    /// How many requests (any operation) were received so far.
    pub fn total(&self) -> u64 {
        lock(&self.state.log).entries.len() as u64
    }

    /// Answers the chosen requests of `operation` (`"BatchGetItem"`) with
    /// `error` instead of forwarding them. Rules add up; the first that
    /// matches a request answers it.
    pub fn fail(&self, operation: &str, which: Occurrence, error: InjectedError) {
        lock(&self.state.rules).push(FailRule {
            operation: operation.to_owned(),
            which,
            error,
        });
    }

    /// Removes every rule set up with [`fail`](Self::fail).
    pub fn clear_failures(&self) {
        lock(&self.state.rules).clear();
    }

    /// When on, the `Item` DynamoDB returns with a
    /// `ConditionalCheckFailedException` is removed from the answer.
    pub fn strip_condition_failure_items(&self, on: bool) {
        self.state.strip_items.store(on, Ordering::Relaxed);
    }
}

/// The operation named by an `X-Amz-Target` header
/// (`DynamoDB_20120810.PutItem` -> `PutItem`).
fn operation_name(target: Option<&str>) -> String {
    target
        .map(|t| t.rsplit_once('.').map_or(t, |(_, op)| op))
        .unwrap_or_default()
        .to_owned()
}

/// Logs a request and returns the error a rule answers it with, if any.
fn log_and_match(state: &State, operation: &str, body: &Value) -> Option<InjectedError> {
    let nth = {
        let mut log = lock(&state.log);
        log.entries.push((operation.to_owned(), body.clone()));
        let n = log.per_operation.entry(operation.to_owned()).or_default();
        *n += 1;
        *n
    };
    lock(&state.rules)
        .iter()
        .find(|r| {
            r.operation == operation
                && match r.which {
                    Occurrence::Nth(n) => n == nth,
                    Occurrence::Every => true,
                }
        })
        .map(|r| r.error.clone())
}

async fn accept_loop(listener: TcpListener, state: Arc<State>) {
    let mut connections = JoinSet::new();
    loop {
        // Reap finished connections so the set stays small.
        while connections.try_join_next().is_some() {}
        let Ok((stream, peer)) = listener.accept().await else {
            continue;
        };
        if !peer.ip().is_loopback() {
            continue;
        }
        let _ = stream.set_nodelay(true);
        let state = state.clone();
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |req| handle(req, state.clone()));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The decision for one request, taken under the lock so that a seed gives
/// one sequence of decisions.
enum Plan {
    Throttle,
    /// Answer 500 (JSON) or, when `true`, 503 (plain text).
    ServerError(bool),
    /// Hold back these write requests: (table, index in its list).
    Partial(Vec<(String, usize)>),
    Forward,
}

fn plan(state: &State, target: Option<&str>, body: &Value) -> Plan {
    let mut guard = state.config.lock().unwrap_or_else(|e| e.into_inner());
    let (config, rng) = &mut *guard;
    if rng.f64() < config.throttle_rate {
        return Plan::Throttle;
    }
    if rng.f64() < config.server_error_rate {
        return Plan::ServerError(rng.bool());
    }
    if target != Some(BATCH_WRITE_TARGET) || rng.f64() >= config.partial_rate {
        return Plan::Forward;
    }
    let Some(tables) = body.get("RequestItems").and_then(Value::as_object) else {
        return Plan::Forward;
    };
    let all: Vec<(String, usize)> = tables
        .iter()
        .flat_map(|(table, list)| {
            let n = list.as_array().map_or(0, Vec::len);
            (0..n).map(move |i| (table.clone(), i))
        })
        .collect();
    if all.is_empty() {
        return Plan::Forward;
    }
    let mut held: Vec<(String, usize)> = all.iter().filter(|_| rng.bool()).cloned().collect();
    if held.is_empty() {
        held.push(all[rng.usize(..all.len())].clone());
    }
    Plan::Partial(held)
}

fn json_response(status: StatusCode, body: &Value) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(AMZ_JSON));
    headers.insert(
        "x-amzn-requestid",
        HeaderValue::from_static("fault-proxy-injected"),
    );
    response
}

async fn handle(
    req: Request<Incoming>,
    state: Arc<State>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let counters = &state.counters;
    bump(&counters.requests, 1);
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            return Ok(json_response(
                StatusCode::BAD_REQUEST,
                &json!({"message": format!("fault proxy: reading the request failed: {e}")}),
            ));
        }
    };
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let is_batch_write = target.as_deref() == Some(BATCH_WRITE_TARGET);
    if is_batch_write {
        bump(&counters.batch_writes, 1);
    }
    let json: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let operation = operation_name(target.as_deref());
    if let Some(error) = log_and_match(&state, &operation, &json) {
        bump(&counters.injected_errors, 1);
        let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST);
        return Ok(json_response(
            status,
            &json!({
                "__type": format!("com.amazonaws.dynamodb.v20120810#{}", error.error_type),
                "message": error.message,
            }),
        ));
    }

    let (forward_body, held) = match plan(&state, target.as_deref(), &json) {
        Plan::Throttle => {
            bump(&counters.throttled, 1);
            if is_batch_write {
                bump(&counters.throttled_batch_writes, 1);
            }
            return Ok(json_response(
                StatusCode::BAD_REQUEST,
                &json!({
                    "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                    "message": "injected",
                }),
            ));
        }
        Plan::ServerError(unavailable) => {
            bump(&counters.server_errors, 1);
            if is_batch_write {
                bump(&counters.server_error_batch_writes, 1);
            }
            if unavailable {
                let mut response = Response::new(Full::new(Bytes::from_static(
                    b"Service Unavailable (injected)",
                )));
                *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
                response
                    .headers_mut()
                    .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
                return Ok(response);
            }
            return Ok(json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                &json!({
                    "__type": "com.amazonaws.dynamodb.v20120810#InternalServerError",
                    "message": "injected",
                }),
            ));
        }
        Plan::Forward => {
            if is_batch_write {
                bump(&counters.writes_forwarded, count_writes(&json));
            }
            (body, None)
        }
        Plan::Partial(held) => {
            let (kept, held) = split_request(json, &held);
            let forwarded = count_writes(&kept);
            if forwarded == 0 {
                // Nothing left to send: answer as DynamoDB would.
                let n = count_tables(&held);
                bump(&counters.partial_batch_writes, 1);
                bump(&counters.unprocessed_injected, n);
                return Ok(json_response(
                    StatusCode::OK,
                    &json!({ "UnprocessedItems": held }),
                ));
            }
            bump(&counters.writes_forwarded, forwarded);
            (Bytes::from(kept.to_string()), Some(held))
        }
    };

    let mut builder = Request::builder().method(parts.method.clone()).uri(format!(
        "{}{}",
        state.upstream,
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    ));
    for (name, value) in &parts.headers {
        if name != HOST && name != CONTENT_LENGTH && name != TRANSFER_ENCODING {
            builder = builder.header(name, value);
        }
    }
    let Ok(upstream_request) = builder.body(Full::new(forward_body)) else {
        bump(&counters.upstream_errors, 1);
        return Ok(json_response(
            StatusCode::BAD_GATEWAY,
            &json!({"message": "fault proxy: bad request"}),
        ));
    };
    let upstream = match state.client.request(upstream_request).await {
        Ok(r) => r,
        Err(e) => {
            bump(&counters.upstream_errors, 1);
            return Ok(json_response(
                StatusCode::BAD_GATEWAY,
                &json!({"message": format!("fault proxy: upstream failed: {e}")}),
            ));
        }
    };
    let (up_parts, up_body) = upstream.into_parts();
    let up_bytes = match up_body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            bump(&counters.upstream_errors, 1);
            return Ok(json_response(
                StatusCode::BAD_GATEWAY,
                &json!({"message": format!("fault proxy: upstream body failed: {e}")}),
            ));
        }
    };

    let out_body = match held {
        Some(held) if up_parts.status == StatusCode::OK => {
            let mut answer: Value = serde_json::from_slice(&up_bytes).unwrap_or_else(|_| json!({}));
            let n = count_tables(&held);
            merge_unprocessed(&mut answer, held);
            bump(&counters.partial_batch_writes, 1);
            bump(&counters.unprocessed_injected, n);
            Bytes::from(answer.to_string())
        }
        _ if up_parts.status == StatusCode::BAD_REQUEST
            && state.strip_items.load(Ordering::Relaxed) =>
        {
            strip_condition_failure_item(up_bytes, counters)
        }
        _ => up_bytes,
    };
    let rewritten = out_body.len();
    let mut response = Response::new(Full::new(out_body));
    *response.status_mut() = up_parts.status;
    for (name, value) in &up_parts.headers {
        // The body may have been rewritten: drop its length and checksum.
        if name != CONTENT_LENGTH && name != TRANSFER_ENCODING && name.as_str() != "x-amz-crc32" {
            response.headers_mut().append(name, value.clone());
        }
    }
    response
        .headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(rewritten));
    Ok(response)
}

/// Removes `Item` from a `ConditionalCheckFailedException` answer.
fn strip_condition_failure_item(body: Bytes, counters: &Counters) -> Bytes {
    let Ok(mut answer) = serde_json::from_slice::<Value>(&body) else {
        return body;
    };
    let is_condition_failure = answer
        .get("__type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.ends_with("ConditionalCheckFailedException"));
    let removed = is_condition_failure
        && answer
            .as_object_mut()
            .and_then(|o| o.remove("Item"))
            .is_some();
    if !removed {
        return body;
    }
    bump(&counters.items_stripped, 1);
    Bytes::from(answer.to_string())
}

/// Writes in a `BatchWriteItem` body.
fn count_writes(body: &Value) -> u64 {
    body.get("RequestItems")
        .and_then(Value::as_object)
        .map_or(0, count_map)
}

fn count_tables(tables: &Value) -> u64 {
    tables.as_object().map_or(0, count_map)
}

fn count_map(tables: &Map<String, Value>) -> u64 {
    tables
        .values()
        .map(|l| l.as_array().map_or(0, Vec::len) as u64)
        .sum()
}

/// Splits a `BatchWriteItem` body into the one to forward and the held-back
/// write requests, as an `UnprocessedItems` map.
fn split_request(mut body: Value, held: &[(String, usize)]) -> (Value, Value) {
    let mut unprocessed = Map::new();
    if let Some(tables) = body.get_mut("RequestItems").and_then(Value::as_object_mut) {
        for (table, list) in tables.iter_mut() {
            let Some(items) = list.as_array_mut() else {
                continue;
            };
            let mut keep = Vec::new();
            let mut back = Vec::new();
            for (i, write) in std::mem::take(items).into_iter().enumerate() {
                if held.iter().any(|(t, j)| t == table && *j == i) {
                    back.push(write);
                } else {
                    keep.push(write);
                }
            }
            *items = keep;
            if !back.is_empty() {
                unprocessed.insert(table.clone(), Value::Array(back));
            }
        }
        tables.retain(|_, list| list.as_array().is_some_and(|l| !l.is_empty()));
    }
    (body, Value::Object(unprocessed))
}

fn merge_unprocessed(answer: &mut Value, held: Value) {
    let Some(obj) = answer.as_object_mut() else {
        return;
    };
    let slot = obj
        .entry("UnprocessedItems")
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    let (Some(target), Value::Object(held)) = (slot.as_object_mut(), held) else {
        return;
    };
    for (table, list) in held {
        let entry = target
            .entry(table)
            .or_insert_with(|| Value::Array(Vec::new()));
        if let (Some(existing), Value::Array(more)) = (entry.as_array_mut(), list) {
            existing.extend(more);
        }
    }
}
