//! The command line: parses arguments, runs the library, prints diagnostics once and picks the
//! exit code.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::base::diag::Files;
use crate::base::diag::{emit, MessageFormat};
use crate::driver::build::build;
use crate::driver::site::{Destination, Report};
use crate::project::options::BuildOptions;

#[derive(Parser)]
#[command(
    name = "kagu",
    version,
    about = "Static explainer sites: Markdown sections and their sources in, a cross-linked, cited site out."
)]
/// The command line.
pub struct Cli {
    #[command(subcommand)]
    /// What to do.
    pub command: Command,
}

#[derive(Args, Clone)]
/// Options every command that reads a site takes.
pub struct Common {
    /// The site's folder (holding kagu.toml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Overrides base_url from kagu.toml (for preview deploys).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// How to print errors and warnings.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

#[derive(Subcommand)]
/// kagu's commands.
pub enum Command {
    /// Build the site into the output folder.
    Build {
        /// The site and how to read it.
        #[command(flatten)]
        common: Common,
        /// Output folder (default: public/ under the root).
        #[arg(long)]
        output_dir: Option<PathBuf>,
        /// Minify HTML, CSS and JS.
        #[arg(long)]
        minify: bool,
        /// Replace the output folder even if kagu did not make it (it never replaces the
        /// project, a folder holding it, or content/, templates/, static/, themes/).
        #[arg(long)]
        force: bool,
    },
    /// Run every check that build runs, and write nothing.
    Check {
        /// The site and how to read it.
        #[command(flatten)]
        common: Common,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Check every web address the site publishes too (its sources' and its pages'): the
        /// only command that makes a network request.
        #[arg(long)]
        external: bool,
    },
    /// Build the site, serve it on 127.0.0.1 and rebuild it as files change, reloading open pages.
    Serve {
        /// The site's folder (holding kagu.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// The port (the next free one is used when it is taken; 0 picks any).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Create a page (`background/history.md`) or a section (`background/`) with its front
    /// matter, placed after its siblings.
    New {
        /// The site's folder (holding kagu.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The page's path under content/.
        path: String,
    },
    /// Create a new explainer site in DIR.
    Init {
        /// The folder to create the site in.
        dir: PathBuf,
    },
    /// Print the completion script for a shell (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell to complete kagu's commands and flags in.
        shell: clap_complete::Shell,
    },
    /// Print kagu's manual page (roff), or write it and one page per command into DIR.
    Man {
        /// A folder to write kagu.1, kagu-build.1, ... into.
        dir: Option<PathBuf>,
    },
}

impl Common {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            minify: false,
            force: false,
            external: false,
        }
    }
}

/// A progress bar on stderr, shown only on an interactive terminal, without NO_COLOR, and only
/// once a build has taken more than a moment.
struct ProgressBar {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
    allowed: bool,
}

impl ProgressBar {
    fn new() -> Self {
        ProgressBar {
            bar: indicatif::ProgressBar::hidden(),
            started: std::time::Instant::now(),
            shown: std::sync::atomic::AtomicBool::new(false),
            allowed: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn update(&self, done: usize, total: usize) {
        use std::sync::atomic::Ordering;
        if !self.allowed || self.started.elapsed() < std::time::Duration::from_millis(300) {
            return;
        }
        if !self.shown.swap(true, Ordering::Relaxed) {
            self.bar.set_length(total as u64);
            self.bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        self.bar.set_position(done as u64);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Colour only on a terminal, and never with NO_COLOR.
fn color_choice() -> ColorChoice {
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    }
}

/// Whether warnings fail the run (`kagu check --deny-warnings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Warnings {
    Allowed,
    Fail,
}

/// Human diagnostics go to stderr; JSON lines and GitHub annotations, which tools read, go to
/// stdout. The summary, in every format, is the last line on stderr, and says when the run failed.
fn report((r, files): &(Report, Files), format: MessageFormat, what: &str, warnings: Warnings) {
    let mut err = StandardStream::stderr(color_choice());
    if format == MessageFormat::Human {
        let _ = emit(&mut err, files, &r.diagnostics, format);
    } else {
        let mut out = StandardStream::stdout(ColorChoice::Never);
        let _ = emit(&mut out, files, &r.diagnostics, format);
    }
    // `--external`: the sources that cannot be verified, and how many addresses were checked.
    let mut web = String::new();
    if let Some((checked, asked, unverifiable)) = &r.external {
        if !unverifiable.is_empty() {
            let _ = writeln!(err, "sources whose address fails, and the pages that cite them:");
            for line in unverifiable {
                let _ = writeln!(err, "{line}");
            }
        }
        web = format!(
            ", {checked} web address(es) checked ({} from the cache)",
            checked - asked
        );
    }
    let (e, w) = (r.diagnostics.errors(), r.diagnostics.warnings());
    let _ = if e == 0 && w > 0 && warnings == Warnings::Fail {
        writeln!(
            err,
            "{what} failed: 0 error(s), {w} warning(s), and --deny-warnings makes warnings fail"
        )
    } else if e > 0 && r.figures.written > 0 && what == "build" {
        writeln!(
            err,
            "{what} finished with {e} error(s), {w} warning(s); the new site was written"
        )
    } else if e > 0 {
        writeln!(
            err,
            "{what} failed: {e} error(s), {w} warning(s){web}; nothing was written"
        )
    } else {
        writeln!(
            err,
            "{what}: {} pages, {} sources, {} internal links checked{web}, {w} warning(s) in {} ms",
            r.figures.pages,
            r.figures.sources,
            r.figures.links,
            r.figures.elapsed.as_millis()
        )
    };
}

impl Cli {
    /// A command that runs once and ends (a build or a check), not the dev server.
    pub fn one_shot(&self) -> bool {
        matches!(self.command, Command::Build { .. } | Command::Check { .. })
    }
}

/// Runs a command; the exit code is 1 when it found errors (or, asked to, warnings).
pub fn run(cli: Cli) -> ExitCode {
    // Parsing and rendering recurse over what they read: the work runs on threads whose stack
    // is known, not the main thread's (whatever `ulimit -s` says) nor rayon's 2 MiB default.
    // The depth limits of bibscan and cslscan are measured against this size.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(crate::base::guard::WORK_STACK)
        .build_global();
    // A build or check whose template render is stopped (crate::base::guard) fails here with E013:
    // the render's thread is parked for good and the work that waits for it is abandoned.
    let watched = match &cli.command {
        Command::Build { common, .. } => Some((common.message_format, "build")),
        Command::Check { common, .. } => Some((common.message_format, "check")),
        _ => None,
    };
    let (done, result) = std::sync::mpsc::channel();
    let work = std::thread::Builder::new()
        .name("kagu".into())
        .stack_size(crate::base::guard::WORK_STACK)
        .spawn(move || {
            let code = run_command(cli);
            let _ = done.send(code);
        });
    if let Err(e) = work {
        eprintln!("error: cannot start: {e}");
        return ExitCode::from(1);
    }
    loop {
        match result.recv_timeout(std::time::Duration::from_millis(50)) {
            Ok(code) => return code,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                eprintln!("error: kagu failed (a panic); please report it");
                return ExitCode::from(1);
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        let Some((format, what)) = watched else { continue };
        if let Some(s) = crate::base::guard::stopped() {
            let mut r = Report::default();
            r.diagnostics.push(s.diagnostic());
            report(&(r, Files::default()), format, what, Warnings::Allowed);
            return ExitCode::from(1);
        }
    }
}

fn run_command(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build {
            common,
            output_dir,
            minify,
            force,
        } => {
            let out = output_dir.unwrap_or_else(|| common.root.join("public"));
            let opts = BuildOptions {
                minify,
                force,
                ..common.options()
            };
            let bar = ProgressBar::new();
            let r = build(&opts, Destination::Replace(&out), &|done, total| {
                bar.update(done, total);
            });
            bar.finish();
            report(&r, common.message_format, "build", Warnings::Allowed);
            if r.0.diagnostics.has_errors() {
                return ExitCode::from(1);
            }
        }
        Command::Check {
            common,
            deny_warnings,
            external,
        } => {
            let bar = ProgressBar::new();
            let opts = BuildOptions {
                external,
                ..common.options()
            };
            let r = build(&opts, Destination::Check, &|done, total| {
                bar.update(done, total);
            });
            bar.finish();
            let warnings = if deny_warnings {
                Warnings::Fail
            } else {
                Warnings::Allowed
            };
            report(&r, common.message_format, "check", warnings);
            if r.0.diagnostics.has_errors() || (deny_warnings && r.0.diagnostics.warnings() > 0) {
                return ExitCode::from(1);
            }
        }
        Command::Serve {
            root,
            interface,
            port,
            open,
            drafts,
        } => {
            let options = crate::driver::serve::ServeOptions {
                build: BuildOptions {
                    root,
                    base_url: None,
                    drafts,
                    minify: false,
                    force: false,
                    external: false,
                },
                interface,
                port,
                open,
                color: color_choice(),
            };
            if let Err(e) = crate::driver::serve::run(options) {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
        Command::New { root, path } => match crate::driver::new::new_page(&root, &path) {
            Ok(c) => println!(
                "created {}; with `kagu serve` running it is at {}",
                c.file.display(),
                c.url
            ),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        },
        Command::Init { dir } => {
            if let Err(e) = crate::driver::init::init(&dir) {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
            println!(
                "created a new explainer in {0}\nnext: set base_url in {0}/kagu.toml to the address the site will have, then preview it with `kagu serve --root {0}`",
                dir.display()
            );
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "kagu", &mut script);
            if let Err(e) = std::io::stdout().write_all(&script) {
                eprintln!("error: cannot write the completions: {e}");
                return ExitCode::from(1);
            }
        }
        Command::Man { dir } => {
            if let Err(e) = man(dir.as_deref()) {
                match &dir {
                    Some(d) => eprintln!(
                        "error: cannot write the manual pages into {}: {e}\nhint: name a folder you can write to, e.g. `kagu man ~/.local/share/man/man1`",
                        d.display()
                    ),
                    None => eprintln!("error: cannot write the manual: {e}"),
                }
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::SUCCESS
}

/// `kagu man`: the top page on standard output, or every page into `dir`.
fn man(dir: Option<&std::path::Path>) -> std::io::Result<()> {
    let cmd = Cli::command();
    match dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            // Made aside, then each page renamed into place: a page's name that is a link is
            // refused, never written through (rename would replace the link, not its target,
            // but a link there is not kagu's to replace).
            let made = tempfile::tempdir_in(dir)?;
            clap_mangen::generate_to(cmd, made.path())?;
            let mut pages: Vec<_> = std::fs::read_dir(made.path())?.collect::<Result<_, _>>()?;
            pages.sort_by_key(std::fs::DirEntry::file_name);
            for page in &pages {
                let to = dir.join(page.file_name());
                if std::fs::symlink_metadata(&to).is_ok_and(|m| !m.is_file()) {
                    return Err(std::io::Error::other(format!(
                        "{} is not a regular file (a link or a folder); kagu does not write through it",
                        to.display()
                    )));
                }
            }
            for page in pages {
                std::fs::rename(page.path(), dir.join(page.file_name()))?;
            }
            Ok(())
        }
        None => {
            // Rendered first, so a closed pipe is an error to report, not a panic mid-write.
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut page)?;
            std::io::stdout().write_all(&page)
        }
    }
}
