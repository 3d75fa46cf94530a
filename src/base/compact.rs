//! Giving back spare capacity for real. What a build keeps to its end (each page's HTML and
//! lists) is grown by pushing, so it holds up to twice what it needs; `shrink_to_fit` does not
//! help with mimalloc, which keeps a block in place when the new size is at least half of it.
//! These copy into a block of the exact size when there is spare room.

/// A value whose spare capacity can be given back.
pub(crate) trait Compact {
    /// Moves the contents into an allocation of exactly their size, if it has room to spare.
    fn compact(&mut self);
}

impl<T> Compact for Vec<T> {
    fn compact(&mut self) {
        if self.capacity() > self.len() {
            let mut exact = Vec::with_capacity(self.len());
            exact.append(self);
            *self = exact;
        }
    }
}

impl Compact for String {
    fn compact(&mut self) {
        if self.capacity() > self.len() {
            let mut exact = String::with_capacity(self.len());
            exact.push_str(self);
            *self = exact;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Compact;

    #[test]
    fn compacting_keeps_the_contents_and_leaves_no_spare_room() {
        let mut v: Vec<u32> = Vec::with_capacity(100);
        v.extend([3, 1, 2]);
        v.compact();
        assert_eq!((v.as_slice(), v.capacity()), (&[3, 1, 2][..], 3));
        let mut s = String::with_capacity(64);
        s.push_str("héllo");
        s.compact();
        assert_eq!((s.as_str(), s.capacity()), ("héllo", 6));
        let mut empty: Vec<String> = Vec::with_capacity(8);
        empty.compact();
        assert_eq!(empty.capacity(), 0);
    }
}
