//! One web address, asked for as a polite client does: HEAD first, GET where HEAD is refused,
//! redirects followed one by one (so that a permanent one is told apart and a loop is caught),
//! `429 Too Many Requests` waited out as its `Retry-After` says, a server error or a timeout
//! tried again after a pause that doubles. Addresses are checked a few hosts at a time, each
//! host by at most `per_host` requests at once with a pause between them.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What asking for an address came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub(crate) enum Outcome {
    /// It answers (2xx), at the address or after temporary redirects.
    Fine,
    /// It answers after a permanent redirect (301 or 308) to `to`.
    Moved { to: String },
    /// It answers with this error status (after any redirects).
    Status { code: u16 },
    /// No server has that name.
    NoSuchHost,
    /// Nothing listens there (refused or unreachable).
    Refused,
    /// No answer within the time allowed.
    Timeout,
    /// The secure connection failed.
    Tls { why: String },
    /// Its redirects lead back to an address they passed.
    RedirectLoop,
    /// More than [`MAX_REDIRECTS`] redirects.
    TooManyRedirects,
    /// Anything else: what the client said.
    Failed { why: String },
}

impl Outcome {
    /// Does the address work (possibly moved)?
    pub(crate) fn works(&self) -> bool {
        matches!(self, Outcome::Fine | Outcome::Moved { .. })
    }
}

/// Redirects followed before giving up.
const MAX_REDIRECTS: usize = 10;
/// Tries after a server error or a timeout, and after a 429.
const RETRIES: u32 = 2;
/// The longest `Retry-After` waited for; a longer one counts as the status.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// How to ask.
#[derive(Debug, Clone)]
pub(crate) struct Manner {
    pub timeout: Duration,
    /// Requests at once to one host.
    pub per_host: usize,
    /// The pause between two requests to one host, from one worker.
    pub delay: Duration,
    /// Hosts checked at once.
    pub hosts_at_once: usize,
    /// The first pause before a retry (doubled each time).
    pub backoff: Duration,
}

fn agent(manner: &Manner) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(manner.timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(format!(
            "kagu/{} (link check; +https://github.com/kagu-ssg/kagu)",
            env!("CARGO_PKG_VERSION")
        ))
        .build();
    ureq::Agent::new_with_config(config)
}

/// One request's answer: the status and the `Location` and `Retry-After` headers.
struct Answer {
    status: u16,
    location: Option<String>,
    retry_after: Option<Duration>,
}

fn ask(agent: &ureq::Agent, method: &str, url: &str) -> Result<Answer, Outcome> {
    let sent = match method {
        "HEAD" => agent.head(url).call(),
        _ => agent.get(url).call(),
    };
    match sent {
        Ok(r) => {
            let header = |name: &str| {
                r.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            Ok(Answer {
                status: r.status().as_u16(),
                location: header("location"),
                retry_after: header("retry-after")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs),
            })
        }
        Err(e) => Err(failure(&e)),
    }
}

/// Is this error rustls's (a failed handshake)?
fn is_tls(e: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    e.is::<rustls::Error>()
}

/// What a client error means for the reader.
fn failure(e: &ureq::Error) -> Outcome {
    use std::io::ErrorKind;
    match e {
        ureq::Error::Timeout(_) => Outcome::Timeout,
        ureq::Error::HostNotFound => Outcome::NoSuchHost,
        ureq::Error::ConnectionFailed => Outcome::Refused,
        // A failed handshake comes as an I/O error holding rustls's.
        ureq::Error::Io(io) if io.get_ref().is_some_and(is_tls) => Outcome::Tls {
            why: io.get_ref().map(ToString::to_string).unwrap_or_default(),
        },
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused | ErrorKind::ConnectionReset | ErrorKind::NotConnected => {
                Outcome::Refused
            }
            ErrorKind::TimedOut | ErrorKind::WouldBlock => Outcome::Timeout,
            // The resolver's answer comes as an I/O error with its own words.
            _ if io.to_string().contains("lookup address") => Outcome::NoSuchHost,
            _ => Outcome::Failed { why: io.to_string() },
        },
        ureq::Error::Tls(why) => Outcome::Tls {
            why: (*why).to_string(),
        },
        ureq::Error::Rustls(why) => Outcome::Tls { why: why.to_string() },
        other => Outcome::Failed {
            why: other.to_string(),
        },
    }
}

/// One hop: HEAD, then GET when HEAD is refused; a 429, a server error or a timeout tried again.
fn hop(agent: &ureq::Agent, url: &str, manner: &Manner) -> Result<Answer, Outcome> {
    let mut pause = manner.backoff;
    let mut tries = 0;
    loop {
        let mut answer = ask(agent, "HEAD", url);
        // Servers that refuse HEAD (405, 501, or any error but 429) are asked with GET.
        if matches!(&answer, Ok(a) if a.status >= 400 && a.status != 429) {
            answer = ask(agent, "GET", url);
        }
        let again = match &answer {
            Ok(a) if a.status == 429 => match a.retry_after {
                Some(wait) if wait <= MAX_RETRY_AFTER => Some(wait),
                Some(_) => None,
                None => Some(pause),
            },
            Ok(a) if a.status >= 500 => Some(pause),
            Err(Outcome::Timeout) => Some(pause),
            _ => None,
        };
        match again {
            Some(wait) if tries < RETRIES => {
                std::thread::sleep(wait);
                pause *= 2;
                tries += 1;
            }
            _ => return answer,
        }
    }
}

/// Checks one address, following its redirects.
pub(crate) fn check(agent: &ureq::Agent, url: &str, manner: &Manner) -> Outcome {
    let mut current = url.to_string();
    let mut seen = HashSet::from([current.clone()]);
    let mut permanent = false;
    for _ in 0..=MAX_REDIRECTS {
        let answer = match hop(agent, &current, manner) {
            Ok(a) => a,
            Err(outcome) => return outcome,
        };
        match answer.status {
            200..=299 if permanent => return Outcome::Moved { to: current },
            200..=299 => return Outcome::Fine,
            300..=399 => {
                let Some(next) = answer
                    .location
                    .and_then(|l| url::Url::parse(&current).ok()?.join(&l).ok())
                else {
                    return Outcome::Status { code: answer.status };
                };
                permanent |= matches!(answer.status, 301 | 308);
                current = next.to_string();
                if !seen.insert(current.clone()) {
                    return Outcome::RedirectLoop;
                }
            }
            code => return Outcome::Status { code },
        }
    }
    Outcome::TooManyRedirects
}

/// The host of an address (its whole text when it has none).
fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))
        })
        .unwrap_or_else(|| url.to_string())
}

/// Checks every address: `hosts_at_once` hosts at a time, each by `per_host` workers, with a
/// pause between one worker's requests. The outcomes come back by address.
pub(crate) fn check_all(urls: &[String], manner: &Manner) -> BTreeMap<String, Outcome> {
    let mut by_host: BTreeMap<String, VecDeque<String>> = BTreeMap::new();
    for u in urls {
        by_host.entry(host_of(u)).or_default().push_back(u.clone());
    }
    let agent = agent(manner);
    let done = Mutex::new(BTreeMap::new());
    let hosts = Mutex::new(by_host.into_values().collect::<VecDeque<_>>());
    std::thread::scope(|scope| {
        for _ in 0..manner.hosts_at_once.max(1) {
            scope.spawn(|| loop {
                // (Taken in a statement of its own: a lock in a `while let` would be held
                // through the loop's body, and the workers would take turns.)
                let next = relock(&hosts).pop_front();
                let Some(queue) = next else { break };
                let queue = Mutex::new(queue);
                std::thread::scope(|inner| {
                    for _ in 0..manner.per_host.max(1) {
                        inner.spawn(|| loop {
                            let next = relock(&queue).pop_front();
                            let Some(url) = next else { break };
                            let outcome = check(&agent, &url, manner);
                            relock(&done).insert(url, outcome);
                            std::thread::sleep(manner.delay);
                        });
                    }
                });
            });
        }
    });
    done.into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A lock, whatever a panicking holder left (the data stays usable: whole values only).
fn relock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
