use clap::Parser;

fn main() -> std::process::ExitCode {
    kagu::cli::run(kagu::cli::Cli::parse())
}
