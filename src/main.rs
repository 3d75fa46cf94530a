//! The `kagu` command: the allocator, then [`kagu::driver::cli::run`] over the library.

use clap::Parser;

/// mimalloc (v2, which was faster here than v3): a build allocates and frees millions of small
/// strings and template values from several threads, which mimalloc does as fast as jemalloc did
/// (CONTRIBUTING.md, Dependencies), and its C part is one file that compiles in seconds.
/// Wrapped so that a template's evaluation is bounded in memory and time (`kagu::guard`).
#[global_allocator]
static ALLOC: kagu::base::guard::Guarded<mimalloc::MiMalloc> = kagu::base::guard::Guarded(mimalloc::MiMalloc);

/// mimalloc's `mi_option_purge_delay` (its v2 enum's 16th entry, which the sys crate names
/// no constant for).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    #[cfg(debug_assertions)]
    kagu::driver::serve::before_rebuild(fault);
    let cli = kagu::driver::cli::Cli::parse();
    if cli.one_shot() {
        // A build or check ends within seconds: returning freed memory to the system only to
        // fault it back in (the kernel zeroing each page again) cost 17% of its CPU at 10,000
        // pages. The dev server, which lives on, keeps mimalloc's default.
        // SAFETY: sets one of mimalloc's options; called before any other thread starts.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
        // No transparent huge pages either: a build touches each page of its ~200 MB once, and
        // where memory comes fresh from the host (a VM, as CI runners are) a 2 MiB page costs
        // more to fault in than its TLB entries save. At 10,000 pages, paired: 13-20% less CPU
        // and wall time run after an idle pause or after another program, 7-13% more run back
        // to back (CONTRIBUTING.md, Benchmark). The call fails harmlessly on an old kernel.
        #[cfg(target_os = "linux")]
        // SAFETY: a prctl that sets a flag of this process; no pointers.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0)
        };
    }
    kagu::driver::cli::run(cli)
}

/// Fault injection for the dev server's panic test (debug builds only): a rebuild for an edit
/// of a content file whose path holds `KAGU_FAULT_PANIC`'s text panics, as a bug would.
#[cfg(debug_assertions)]
fn fault(pages: &[&str]) {
    if let Some(needle) = std::env::var_os("KAGU_FAULT_PANIC") {
        let needle = needle.to_string_lossy();
        if pages.iter().any(|p| p.contains(needle.as_ref())) {
            panic!("fault injected for {needle}");
        }
    }
}
