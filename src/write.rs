//! Write stage: the [`OutputSet`] into a staging folder beside the output folder, then swapped
//! in with renames, so a failed or interrupted build never leaves a half-written site.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::{Output, OutputSet};

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.kagu-{tag}-{}", std::process::id()))
}

fn write_into(dir: &Path, set: &OutputSet) -> std::io::Result<()> {
    let mut dirs: Vec<PathBuf> = set
        .files
        .keys()
        .filter_map(|p| dir.join(p).parent().map(Path::to_path_buf))
        .collect();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d)?;
    }
    set.files.par_iter().try_for_each(|(path, output)| {
        let target = dir.join(path);
        match output {
            Output::Bytes(b) => std::fs::write(&target, b),
            Output::Copy(from) => std::fs::copy(from, &target).map(|_| ()),
        }
    })
}

/// Writes the site to `out`, replacing what was there only once everything is written.
pub fn write(out: &Path, set: &OutputSet) -> std::io::Result<()> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let staging = sibling(out, "staging");
    let old = sibling(out, "old");
    let _ = std::fs::remove_dir_all(&staging);
    if let Err(e) = write_into(&staging, set) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let had_old = out.exists();
    if had_old {
        std::fs::rename(out, &old)?;
    }
    if let Err(e) = std::fs::rename(&staging, out) {
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if had_old {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}
