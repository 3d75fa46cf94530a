//! A page's output buffer with the limits of kagu.toml.

/// A page's output buffer that refuses to grow past a size or a time.
pub(super) struct Limited {
    pub(super) out: Vec<u8>,
    pub(super) max_bytes: usize,
    pub(super) max_time: std::time::Duration,
    pub(super) started: std::time::Instant,
    pub(super) writes: u32,
    /// Which limit stopped the page.
    pub(super) hit: Option<String>,
}

impl std::io::Write for Limited {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writes = self.writes.wrapping_add(1);
        if self.out.len() + buf.len() > self.max_bytes {
            self.hit = Some(format!(
                "the page grew past {} MB (`max_page_mb` in kagu.toml)",
                self.max_bytes >> 20
            ));
        } else if self.writes.is_multiple_of(64) && self.started.elapsed() > self.max_time {
            self.hit = Some(format!(
                "the page took longer than {} s (`max_page_seconds` in kagu.toml)",
                self.max_time.as_secs()
            ));
        }
        if self.hit.is_some() {
            return Err(std::io::Error::other("page limit"));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
