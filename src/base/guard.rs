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
use std::cell::Cell;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The stack size of every thread that parses or renders (the work thread, the rayon pools,
/// the dev server's rebuilds): the limits of `bibscan` and `cslscan` are measured against it.
pub const WORK_STACK: usize = 16 << 20;

/// How often (in allocations) a render's clock is read.
const CLOCK_EVERY: u32 = 1024;

thread_local! {
    /// A render is under way on this thread: the one thing every allocation reads.
    static ON: Cell<bool> = const { Cell::new(false) };
    /// What the render may still hold, in bytes.
    static BYTES: Cell<isize> = const { Cell::new(0) };
    /// Allocations since the render started.
    static COUNT: Cell<u32> = const { Cell::new(0) };
    /// When the render must be done, and its whole budget in MiB (for the message).
    static DEADLINE: Cell<Option<(Instant, usize)>> = const { Cell::new(None) };
}

/// A render that was stopped: its template and the limit it passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopped {
    /// The template being rendered.
    pub template: String,
    /// Which limit, as E013 says it.
    pub limit: String,
}

impl Stopped {
    /// E013, for the site as a whole (the render's page is gone with its thread).
    pub fn diagnostic(self) -> crate::base::diag::Diagnostic {
        crate::base::diag::Diagnostic::global(crate::base::diag::Kind::TemplateLimit {
            template: self.template,
            limit: self.limit,
        })
    }
}

static STOPPED: Mutex<Option<Stopped>> = Mutex::new(None);

/// Each rendering thread's slot: the template, when its render started (None between renders)
/// and its time limit. A slot is kept, so a render allocates nothing here.
type Slot = (std::thread::ThreadId, String, Option<Instant>, Duration);
static ACTIVE: Mutex<Vec<Slot>> = Mutex::new(Vec::new());

/// The render that was stopped since the last call, if any (taken): one its thread parked, or
/// one still running a second past its time limit without allocating (see [`overdue`]).
pub fn stopped() -> Option<Stopped> {
    STOPPED.lock().ok()?.take().or_else(overdue)
}

/// A render still running a second past its time limit without allocating (a loop that
/// computes nothing new): reported as stopped, though its thread cannot be parked. Each is
/// told once (taken).
fn overdue() -> Option<Stopped> {
    let mut active = ACTIVE.lock().ok()?;
    let late = |(_, _, started, limit): &&mut Slot| {
        started.is_some_and(|s| s.elapsed() > *limit + Duration::from_secs(1))
    };
    let (_, template, started, limit) = active.iter_mut().find(late)?;
    *started = None;
    Some(Stopped {
        template: template.clone(),
        limit: time_limit(*limit),
    })
}

fn time_limit(limit: Duration) -> String {
    format!(
        "the page took longer than {} s (`max_page_seconds` in kagu.toml)",
        limit.as_secs()
    )
}

/// This thread's slot in [`ACTIVE`], through `f`.
fn my_slot<T>(f: impl FnOnce(&mut Slot) -> T) -> Option<T> {
    let me = std::thread::current().id();
    let mut active = ACTIVE.lock().ok()?;
    let i = match active.iter().position(|slot| slot.0 == me) {
        Some(i) => i,
        None => {
            active.push((me, String::new(), None, Duration::ZERO));
            active.len() - 1
        }
    };
    Some(f(&mut active[i]))
}

/// The budget of the render on this thread while it lives.
pub(crate) struct Budget;

impl Budget {
    /// Starts charging this thread's allocations to a render of `template`.
    pub(crate) fn enter(template: &str, bytes: usize, limit: Duration) -> Budget {
        my_slot(|slot| {
            slot.1.clear();
            slot.1.push_str(template);
            slot.2 = Some(Instant::now());
            slot.3 = limit;
        });
        BYTES.with(|b| b.set(isize::try_from(bytes).unwrap_or(isize::MAX)));
        COUNT.with(|c| c.set(0));
        DEADLINE.with(|d| d.set(Some((Instant::now() + limit, bytes >> 20))));
        ON.with(|on| on.set(true));
        Budget
    }
}

impl Drop for Budget {
    fn drop(&mut self) {
        ON.with(|on| on.set(false));
        my_slot(|slot| slot.2 = None);
    }
}

/// Charges `n` bytes to this thread's render, if one is under way; stops it when it is over.
#[inline]
fn charge(n: usize) {
    if !ON.try_with(Cell::get).unwrap_or(false) {
        return;
    }
    let left = BYTES.with(|b| {
        let left = b.get().saturating_sub(isize::try_from(n).unwrap_or(isize::MAX));
        b.set(left);
        left
    });
    let count = COUNT.with(|c| {
        let count = c.get().wrapping_add(1);
        c.set(count);
        count
    });
    if left >= 0 && !count.is_multiple_of(CLOCK_EVERY) {
        return;
    }
    over_budget(left < 0);
}

/// The slow path of [`charge`]: past the deadline, or out of memory (`memory`), the render is
/// stopped: its thread records why and parks for good.
#[cold]
fn over_budget(memory: bool) {
    let Some((deadline, budget_mb)) = DEADLINE.with(Cell::get) else {
        return;
    };
    if !memory && Instant::now() <= deadline {
        return;
    }
    // From here on this thread allocates freely (recording the stop allocates).
    ON.with(|on| on.set(false));
    let (template, limit) = my_slot(|slot| {
        slot.2 = None;
        (slot.1.clone(), slot.3)
    })
    .unwrap_or_default();
    let limit = if memory {
        format!(
            "it held more than {budget_mb} MB while it ran (four times `max_page_mb` in kagu.toml, and at least 256)"
        )
    } else {
        time_limit(limit)
    };
    if let Ok(mut s) = STOPPED.lock() {
        s.get_or_insert(Stopped { template, limit });
    }
    // Parked for good: the work that waits for this thread is abandoned by its watcher.
    loop {
        std::thread::park();
    }
}

/// Gives back `n` bytes freed by this thread's render.
#[inline]
fn refund(n: usize) {
    if ON.try_with(Cell::get).unwrap_or(false) {
        BYTES.with(|b| b.set(b.get().saturating_add(isize::try_from(n).unwrap_or(isize::MAX))));
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
