use clap::Parser;

/// mimalloc: the build allocates many small strings and tera values on every thread; the system
/// allocator spent a fifth of a 10,000-page build in malloc/free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kagu::cli::run(kagu::cli::Cli::parse())
}
