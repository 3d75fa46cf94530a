use clap::Parser;

/// jemalloc: a build allocates and frees millions of small strings and template values from
/// two threads; it builds a 10,000-page site ~12 % faster than glibc's allocator.
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read before `main`: freed pages go back to the system after a second
/// rather than ten, which keeps a large build's peak memory where glibc's was.
#[export_name = "_rjem_malloc_conf"]
#[allow(non_upper_case_globals)]
pub static malloc_conf: &[u8] = b"dirty_decay_ms:1000,muzzy_decay_ms:0\0";

fn main() -> std::process::ExitCode {
    kagu::cli::run(kagu::cli::Cli::parse())
}
