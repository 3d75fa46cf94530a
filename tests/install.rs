//! What a user who installs kagu gets besides the builds: shell completions and manual pages.

use std::process::Command;

use crate::harness::kagu;

const COMMANDS: [&str; 7] = ["build", "check", "serve", "new", "init", "completions", "man"];

#[test]
fn completions_name_every_command_and_bash_reads_them() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let r = kagu(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        for c in COMMANDS {
            assert!(r.stdout.contains(c), "{shell} completions lack `{c}`");
        }
        assert!(
            r.stdout.contains("output-dir"),
            "{shell} completions lack build's flags"
        );
    }
    let script = kagu(&["completions", "bash"]).stdout;
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("kagu.bash");
    std::fs::write(&file, &script).expect("write");
    // Loads it and asks for the completions of `kagu bu`, as bash would on Tab.
    let probe = format!(
        "source {}; COMP_WORDS=(kagu bu); COMP_CWORD=1; COMP_LINE='kagu bu'; COMP_POINT=7; _kagu kagu bu kagu; echo \"${{COMPREPLY[@]}}\"",
        file.display()
    );
    let out = Command::new("bash").args(["-c", &probe]).output().expect("bash");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "build", "{out:?}");
    let bad = kagu(&["completions", "tcsh"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("invalid value 'tcsh'"), "{}", bad.stderr);
}

#[test]
fn the_manual_page_documents_every_command() {
    let r = kagu(&["man"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with(".ie \\n(.g .ds Aq \\(aq") || r.stdout.contains(".TH kagu 1"),
        "{}",
        &r.stdout[..200.min(r.stdout.len())]
    );
    for c in COMMANDS {
        assert!(r.stdout.contains(c), "the manual lacks `{c}`");
    }
    let dir = tempfile::tempdir().expect("temp");
    let pages = dir.path().join("man1");
    let r = kagu(&["man", pages.to_str().expect("utf-8")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for c in COMMANDS {
        let page = std::fs::read_to_string(pages.join(format!("kagu-{c}.1")))
            .unwrap_or_else(|e| panic!("kagu-{c}.1: {e}"));
        assert!(page.contains(&format!(".TH kagu-{c} 1")), "{page}");
    }
    let build = std::fs::read_to_string(pages.join("kagu-build.1")).expect("kagu-build.1");
    for flag in [
        "\\-\\-output\\-dir",
        "\\-\\-minify",
        "\\-\\-force",
        "\\-\\-base\\-url",
    ] {
        assert!(build.contains(flag), "kagu-build.1 lacks {flag}:\n{build}");
    }
}

/// `kagu completions bash | head -c1` and `kagu man | true`: a closed pipe is an error, never
/// a panic.
#[test]
fn a_closed_pipe_is_an_error_not_a_panic() {
    for args in [["completions", "bash"].as_slice(), ["man"].as_slice()] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kagu"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn kagu");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: cannot write the "),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_manual_folder_that_cannot_be_made_names_it_and_the_fix() {
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").expect("write");
    let inside = file.join("man1");
    let r = kagu(&["man", inside.to_str().expect("utf-8")]);
    assert_eq!(r.code, 1);
    let first = r.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!(
            "error: cannot write the manual pages into {}: ",
            inside.display()
        )),
        "{}",
        r.stderr
    );
    assert_eq!(
        r.stderr.lines().nth(1),
        Some("hint: name a folder you can write to, e.g. `kagu man ~/.local/share/man/man1`")
    );
}
