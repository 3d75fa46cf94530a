//! Bounds on a template's evaluation, whether or not it writes. The page's writer stops a
//! template that writes too much or too long; a template that only computes (a loop that sets a
//! variable, a string doubled again and again) never reaches it, and tera cannot be
//! interrupted. So each render runs under a [`Budget`] that the allocator ([`Guarded`], the
//! binary's global allocator) charges: a render that holds more memory than its budget, or is
//! still allocating past its deadline, is stopped where it is: its thread records why and parks
//! for good, its memory bounded by the budget. The thread is abandoned; whoever waits for the
//! work asks [`stopped`] (and [`overdue`], for a loop that never allocates) and reports it: the
//! build fails with E013, the dev server shows it and rebuilds on a fresh thread pool.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::{Cell, RefCell};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often (in allocations) a render's clock is read.
const CLOCK_EVERY: u32 = 1024;

/// What one render may still use.
#[derive(Clone, Copy)]
struct Left {
    bytes: isize,
    /// The whole budget, in MiB, for the message.
    budget_mb: usize,
    deadline: Instant,
    allocations: u32,
}

thread_local! {
    static LEFT: Cell<Option<Left>> = const { Cell::new(None) };
    static TEMPLATE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A render that was stopped: its template and the limit it passed, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopped {
    /// The template being rendered.
    pub template: String,
    /// Which limit, as E013 says it.
    pub limit: String,
}

static STOPPED: Mutex<Option<Stopped>> = Mutex::new(None);
/// Renders under way: the template, when it started and its time limit.
static ACTIVE: Mutex<Vec<(std::thread::ThreadId, String, Instant, Duration)>> = Mutex::new(Vec::new());

/// The render that was stopped since the last call, if any (taken).
pub fn stopped() -> Option<Stopped> {
    STOPPED.lock().ok()?.take()
}

/// A render still running a second past its time limit without allocating (a loop that
/// computes nothing new): reported as stopped, though its thread cannot be parked.
/// Each is told once (taken).
pub fn overdue() -> Option<Stopped> {
    let mut active = ACTIVE.lock().ok()?;
    let i = active
        .iter()
        .position(|(_, _, started, limit)| started.elapsed() > *limit + Duration::from_secs(1))?;
    let (_, template, _, limit) = active.remove(i);
    Some(Stopped {
        template,
        limit: time_limit(limit),
    })
}

fn time_limit(limit: Duration) -> String {
    format!(
        "the page took longer than {} s (`max_page_seconds` in kagu.toml)",
        limit.as_secs()
    )
}

/// The budget of the render on this thread while it lives.
pub(crate) struct Budget;

impl Budget {
    /// Starts charging this thread's allocations to a render of `template`.
    pub(crate) fn enter(template: &str, bytes: usize, limit: Duration) -> Budget {
        TEMPLATE.with(|t| {
            let mut t = t.borrow_mut();
            t.clear();
            t.push_str(template);
        });
        if let Ok(mut a) = ACTIVE.lock() {
            a.push((
                std::thread::current().id(),
                template.to_string(),
                Instant::now(),
                limit,
            ));
        }
        LEFT.with(|l| {
            l.set(Some(Left {
                bytes: isize::try_from(bytes).unwrap_or(isize::MAX),
                budget_mb: bytes >> 20,
                deadline: Instant::now() + limit,
                allocations: 0,
            }));
        });
        Budget
    }
}

impl Drop for Budget {
    fn drop(&mut self) {
        LEFT.with(|l| l.set(None));
        let me = std::thread::current().id();
        if let Ok(mut a) = ACTIVE.lock() {
            a.retain(|(t, ..)| *t != me);
        }
    }
}

/// Charges `n` bytes to this thread's render, if one is under way; stops it when it is over.
fn charge(n: usize) {
    let Ok(Some(mut left)) = LEFT.try_with(Cell::get) else {
        return;
    };
    left.bytes = left
        .bytes
        .saturating_sub(isize::try_from(n).unwrap_or(isize::MAX));
    left.allocations = left.allocations.wrapping_add(1);
    let out_of_memory = left.bytes < 0;
    let out_of_time = left.allocations.is_multiple_of(CLOCK_EVERY) && Instant::now() > left.deadline;
    if !out_of_memory && !out_of_time {
        LEFT.with(|l| l.set(Some(left)));
        return;
    }
    // From here on this thread allocates freely (recording the stop allocates).
    LEFT.with(|l| l.set(None));
    let limit = if out_of_memory {
        format!(
            "it held more than {} MB while it ran (four times `max_page_mb` in kagu.toml, and at least 256)",
            left.budget_mb
        )
    } else {
        let me = std::thread::current().id();
        let limit = ACTIVE
            .lock()
            .ok()
            .and_then(|a| a.iter().find(|(t, ..)| *t == me).map(|(.., l)| *l))
            .unwrap_or_default();
        time_limit(limit)
    };
    let template = TEMPLATE.with(|t| t.borrow().clone());
    if let Ok(mut s) = STOPPED.lock() {
        s.get_or_insert(Stopped { template, limit });
    }
    // Parked for good: the work that waits for this thread is abandoned by its watcher.
    loop {
        std::thread::park();
    }
}

/// Gives back `n` bytes freed by this thread's render.
fn refund(n: usize) {
    if let Ok(Some(mut left)) = LEFT.try_with(Cell::get) {
        left.bytes = left
            .bytes
            .saturating_add(isize::try_from(n).unwrap_or(isize::MAX));
        LEFT.with(|l| l.set(Some(left)));
    }
}

/// A global allocator that charges each render's [`Budget`]: the binary wraps its allocator
/// in it (`#[global_allocator] static A: Guarded<MiMalloc> = Guarded(MiMalloc);`).
pub struct Guarded<A>(pub A);

// SAFETY: every call is passed on to the wrapped allocator unchanged; the bookkeeping around it
// touches only this thread's own counters and never unwinds.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Guarded<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        charge(layout.size());
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        charge(layout.size());
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        refund(layout.size());
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            charge(new_size - layout.size());
        } else {
            refund(layout.size() - new_size);
        }
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.realloc(ptr, layout, new_size) }
    }
}
