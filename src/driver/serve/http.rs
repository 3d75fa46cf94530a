//! HTTP for the dev server: the site's files through tower-http's ServeDir (MIME types, index.html
//! for folders, HEAD and Range requests, no path traversal), the site's 404 page, and the live
//! reload channel (Server-Sent Events). All server state is one [`AppState`] value.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use axum::extract::State;
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Serialize;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::services::ServeDir;

use crate::base::diag::{DiagnosticView, Diagnostics, Severity};
use crate::base::files::Files;

const CLIENT_JS: &str = include_str!("client.js");

/// One diagnostic as the browser overlay shows it (the same view `--message-format json` prints).
pub(crate) type ErrorView = DiagnosticView;

/// The errors of a rebuild, for the overlay.
pub(crate) fn error_views(files: &Files, diags: &Diagnostics) -> Vec<ErrorView> {
    diags
        .items()
        .iter()
        .filter(|d| d.kind.severity() == Severity::Error)
        .map(|d| d.view(files))
        .collect()
}

/// A message to open pages.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum Message {
    Reload,
    Css,
    Errors { errors: Vec<ErrorView> },
    Ok,
}

/// What the last rebuild left: its errors and how many rebuilds there have been.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Status {
    pub builds: u64,
    /// Files the last rebuild wrote (so tests and users can see how incremental it was).
    pub written: usize,
    pub errors: Vec<ErrorView>,
}

#[derive(Clone)]
pub(crate) struct AppState {
    pub messages: broadcast::Sender<Message>,
    pub status: Arc<RwLock<Status>>,
}

impl AppState {
    pub(crate) fn new() -> AppState {
        AppState {
            messages: broadcast::channel(64).0,
            status: Arc::default(),
        }
    }

    /// Records a rebuild's result and tells every open page.
    pub(crate) fn publish(&self, errors: Vec<ErrorView>, written: usize, message: Message) {
        if let Ok(mut s) = self.status.write() {
            s.builds += 1;
            s.written = written;
            s.errors = errors;
        }
        let _ = self.messages.send(message);
    }

    fn current(&self) -> Message {
        match self.status.read() {
            Ok(s) if !s.errors.is_empty() => Message::Errors {
                errors: s.errors.clone(),
            },
            _ => Message::Ok,
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}

fn sse_event(m: &Message) -> Result<Event, Infallible> {
    Ok(Event::default().data(serde_json::to_string(m).unwrap_or_default()))
}

async fn events(State(state): State<AppState>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let first = stream::once(std::future::ready(sse_event(&state.current())));
    let rest = BroadcastStream::new(state.messages.subscribe())
        .filter_map(|m| async move { m.ok().map(|m| sse_event(&m)) });
    Sse::new(first.chain(rest)).keep_alive(KeepAlive::default())
}

async fn status(State(state): State<AppState>) -> Json<Status> {
    Json(state.status.read().map(|s| s.clone()).unwrap_or_default())
}

async fn client() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        CLIENT_JS,
    )
}

/// What a missing file gets: the site's 404 page, or, while the site has not built yet (its
/// first build failed), a page that shows the errors in the overlay and turns into the site as
/// soon as they are fixed.
async fn not_found(out: PathBuf) -> axum::response::Response {
    match tokio::fs::read(out.join("404.html")).await {
        Ok(page) => (
            axum::http::StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page,
        )
            .into_response(),
        Err(_) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            NOT_BUILT_PAGE,
        )
            .into_response(),
    }
}

/// Served while the site has no good build: the live-reload client shows the errors and reloads
/// the page once a build succeeds.
const NOT_BUILT_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>kagu: the site has not built yet</title>\n</head>\n<body>\n<main>\n<h1>The site has not built yet</h1>\n<p>Its first build failed: the errors are shown over this page and in the terminal. Fix them and save; this page turns into the site by itself.</p>\n</main>\n<script src=\"/__kagu/client.js\"></script>\n</body>\n</html>\n";

/// The dev server's routes over the site folder `out`.
pub(crate) fn router(state: AppState, out: PathBuf) -> Router {
    let missing = out.clone();
    let files = ServeDir::new(&out)
        .append_index_html_on_directories(true)
        .not_found_service(tower::service_fn(move |_req: axum::extract::Request| {
            let out = missing.clone();
            async move { Ok::<_, Infallible>(not_found(out).await) }
        }));
    Router::new()
        .route("/__kagu/events", get(events))
        .route("/__kagu/status", get(status))
        .route("/__kagu/client.js", get(client))
        .fallback_service(files)
        .layer(axum::middleware::map_response(no_store))
        .with_state(state)
}

/// Pages change on every edit: tell browsers not to cache them.
async fn no_store(mut r: axum::response::Response) -> axum::response::Response {
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r
}
