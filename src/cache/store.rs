//! The cache file: a fixed header, sections of fixed-width tables and encoded records, and a
//! checksum for every 4 KiB block, so that a reader checks exactly the blocks a question
//! touches and never trusts a byte it has not checked.
//!
//! ```text
//! header (64 bytes)  magic "DGCACHE\0", format, block size, section count, file length,
//!                    data start, block count, block table start, block table checksum,
//!                    header checksum
//! data               section directory (offset, length per section), then the sections
//! block table        XXH3-64 of each block of the data
//! ```
//!
//! The file is written to a temporary name beside its final one, flushed to disk, then renamed
//! over it: a reader sees the old file or the new one, never half of one. A torn or corrupted
//! file fails its length or a checksum and is rebuilt.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::rc::Rc;

use xxhash_rust::xxh3::xxh3_64;

const MAGIC: &[u8; 8] = b"DGCACHE\0";
/// The layout's version: a change of layout changes it, and older files are rebuilt.
pub const FORMAT: u32 = 5;
/// Bytes per checksummed block.
pub const BLOCK: usize = 4 * 1024;
const HEADER: usize = 64;
/// A checked block: its number and bytes.
type Kept = (u64, Rc<Vec<u8>>);

/// How many checked blocks a reader keeps.
const KEPT_BLOCKS: usize = 64;

/// Why a cache file cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    /// There is none.
    Missing,
    /// A length, checksum or value is wrong: torn, truncated or corrupted.
    Corrupt,
    /// Written for other files, or another version of dipgraph.
    Stale,
}

impl From<io::Error> for Unusable {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::NotFound {
            Unusable::Missing
        } else {
            Unusable::Corrupt
        }
    }
}

/// Writes sections into a cache file, hashing blocks as they go.
pub struct Writer {
    out: BufWriter<File>,
    sections: Vec<(u64, u64)>,
    block: Vec<u8>,
    hashes: Vec<u64>,
    written: u64,
}

impl Writer {
    /// Starts a file in `file` (new, empty, open for reading and writing) with room for
    /// `sections` sections.
    pub fn create(file: File, sections: usize) -> io::Result<Writer> {
        let mut out = BufWriter::with_capacity(1 << 20, file);
        out.write_all(&[0u8; HEADER])?;
        let mut w = Writer {
            out,
            sections: Vec::with_capacity(sections),
            block: Vec::with_capacity(BLOCK),
            hashes: Vec::new(),
            written: 0,
        };
        // The directory, filled in once the sections are known; its block is hashed at the end.
        w.put(&vec![0u8; sections * 16])?;
        Ok(w)
    }

    fn put(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            let room = BLOCK - self.block.len();
            let (now, rest) = bytes.split_at(room.min(bytes.len()));
            self.block.extend_from_slice(now);
            if self.block.len() == BLOCK {
                self.flush_block()?;
            }
            bytes = rest;
        }
        Ok(())
    }

    fn flush_block(&mut self) -> io::Result<()> {
        self.hashes.push(xxh3_64(&self.block));
        self.out.write_all(&self.block)?;
        self.written += self.block.len() as u64;
        self.block.clear();
        Ok(())
    }

    fn position(&self) -> u64 {
        self.written + self.block.len() as u64
    }

    /// Appends one section, written in pieces by `fill`.
    pub fn section(
        &mut self,
        fill: impl FnOnce(&mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<()>,
    ) -> io::Result<()> {
        let start = self.position();
        fill(&mut |b: &[u8]| self.put(b))?;
        self.sections.push((start, self.position() - start));
        Ok(())
    }

    /// Completes the file: block table, directory, header; flushed to disk.
    pub fn finish(mut self) -> io::Result<()> {
        if !self.block.is_empty() {
            self.flush_block()?;
        }
        let data_len = self.written;
        let table_at = HEADER as u64 + data_len;
        // The directory sits in the first block: rewrite it and its block hash.
        let mut dir = Vec::with_capacity(self.sections.len() * 16);
        for (off, len) in &self.sections {
            dir.extend_from_slice(&off.to_le_bytes());
            dir.extend_from_slice(&len.to_le_bytes());
        }
        let mut file = self.out.into_inner().map_err(|e| e.into_error())?;
        let first_len = (data_len as usize).min(BLOCK);
        let mut first = vec![0u8; first_len];
        file.seek(SeekFrom::Start(HEADER as u64))?;
        file.read_exact(&mut first)?;
        first[..dir.len()].copy_from_slice(&dir);
        file.seek(SeekFrom::Start(HEADER as u64))?;
        file.write_all(&first)?;
        if let Some(h) = self.hashes.first_mut() {
            *h = xxh3_64(&first);
        }
        let mut table = Vec::with_capacity(self.hashes.len() * 8);
        for h in &self.hashes {
            table.extend_from_slice(&h.to_le_bytes());
        }
        file.seek(SeekFrom::Start(table_at))?;
        file.write_all(&table)?;
        let file_len = table_at + table.len() as u64;
        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&FORMAT.to_le_bytes());
        header.extend_from_slice(&(BLOCK as u32).to_le_bytes());
        header.extend_from_slice(&(self.sections.len() as u64).to_le_bytes());
        header.extend_from_slice(&file_len.to_le_bytes());
        header.extend_from_slice(&(self.hashes.len() as u64).to_le_bytes());
        header.extend_from_slice(&table_at.to_le_bytes());
        header.extend_from_slice(&xxh3_64(&table).to_le_bytes());
        let h = xxh3_64(&header);
        header.extend_from_slice(&h.to_le_bytes());
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&header)?;
        file.sync_all()
    }
}

/// An open cache file: checked header and block table; every other byte is checked, block by
/// block, when first read.
pub struct Reader {
    file: RefCell<File>,
    data_len: u64,
    hashes: Vec<u64>,
    /// Checked blocks, block `b` in slot `b % KEPT_BLOCKS`: questions read the sections mostly
    /// in order, so a few suffice, and their memory is reused rather than faulted in anew.
    blocks: RefCell<Vec<Option<Kept>>>,
    sections: Vec<(u64, u64)>,
}

/// Fills `buf` from `offset` of `file`: one positioned read where the platform has it.
fn read_at(file: &RefCell<File>, buf: &mut [u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(&*file.borrow(), buf, offset)
    }
    #[cfg(not(unix))]
    {
        let mut f = file.borrow_mut();
        f.seek(SeekFrom::Start(offset))?;
        f.read_exact(buf)
    }
}

fn le64(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

impl Reader {
    /// Opens `path` and checks its header, length and block table.
    pub fn open(path: &Path) -> Result<Reader, Unusable> {
        let mut file = File::open(path)?;
        let mut header = [0u8; HEADER];
        file.read_exact(&mut header)?;
        if &header[..8] != MAGIC || le64(&header, 56) != xxh3_64(&header[..56]) {
            return Err(Unusable::Corrupt);
        }
        let format = u32::from_le_bytes([header[8], header[9], header[10], header[11]]);
        let block = u32::from_le_bytes([header[12], header[13], header[14], header[15]]);
        let sections = le64(&header, 16);
        let file_len = le64(&header, 24);
        let n_blocks = le64(&header, 32);
        let table_at = le64(&header, 40);
        let table_hash = le64(&header, 48);
        let actual_len = file.metadata()?.len();
        let data_len = table_at
            .checked_sub(HEADER as u64)
            .ok_or(Unusable::Corrupt)?;
        let sane = format == FORMAT
            && block as usize == BLOCK
            && actual_len == file_len
            && n_blocks == data_len.div_ceil(BLOCK as u64)
            && table_at.checked_add(n_blocks * 8) == Some(file_len)
            && sections <= 64;
        if !sane {
            return Err(Unusable::Corrupt);
        }
        let mut table = vec![0u8; (n_blocks * 8) as usize];
        file.seek(SeekFrom::Start(table_at))?;
        file.read_exact(&mut table)?;
        if xxh3_64(&table) != table_hash {
            return Err(Unusable::Corrupt);
        }
        let hashes = table.chunks_exact(8).map(|c| le64(c, 0)).collect();
        let mut r = Reader {
            file: RefCell::new(file),
            data_len,
            hashes,
            blocks: RefCell::new(vec![None; KEPT_BLOCKS]),
            sections: Vec::new(),
        };
        let dir = r.read(0, sections * 16)?;
        r.sections = dir
            .chunks_exact(16)
            .map(|c| (le64(c, 0), le64(c, 8)))
            .collect();
        if r.sections
            .iter()
            .any(|(o, l)| o.checked_add(*l).is_none_or(|end| end > data_len))
        {
            return Err(Unusable::Corrupt);
        }
        Ok(r)
    }

    fn block(&self, b: u64) -> Result<Rc<Vec<u8>>, Unusable> {
        let mut kept = self.blocks.borrow_mut();
        let slot = &mut kept[(b % KEPT_BLOCKS as u64) as usize];
        if let Some((k, bytes)) = slot
            && *k == b
        {
            return Ok(Rc::clone(bytes));
        }
        let start = b * BLOCK as u64;
        let len = (self.data_len - start).min(BLOCK as u64) as usize;
        let mut bytes = slot
            .take()
            .and_then(|(_, old)| Rc::try_unwrap(old).ok())
            .unwrap_or_default();
        bytes.resize(len, 0);
        read_at(&self.file, &mut bytes, HEADER as u64 + start)?;
        if self.hashes.get(b as usize) != Some(&xxh3_64(&bytes)) {
            return Err(Unusable::Corrupt);
        }
        let bytes = Rc::new(bytes);
        *slot = Some((b, Rc::clone(&bytes)));
        Ok(bytes)
    }

    /// `len` bytes at `offset` of the data, checked.
    pub fn read(&self, offset: u64, len: u64) -> Result<Vec<u8>, Unusable> {
        let mut out = vec![0u8; usize::try_from(len).map_err(|_| Unusable::Corrupt)?];
        self.read_into(offset, &mut out)?;
        Ok(out)
    }

    /// Fills `out` with the bytes at `offset` of the data, checked.
    fn read_into(&self, offset: u64, out: &mut [u8]) -> Result<(), Unusable> {
        let end = offset
            .checked_add(out.len() as u64)
            .ok_or(Unusable::Corrupt)?;
        if end > self.data_len {
            return Err(Unusable::Corrupt);
        }
        let mut at = offset;
        let mut filled = 0;
        while at < end {
            let b = at / BLOCK as u64;
            let block = self.block(b)?;
            let from = (at - b * BLOCK as u64) as usize;
            let to = ((end - b * BLOCK as u64) as usize).min(block.len());
            out[filled..filled + to - from].copy_from_slice(&block[from..to]);
            filled += to - from;
            at = b * BLOCK as u64 + to as u64;
        }
        Ok(())
    }

    /// `len` bytes at `offset` within section `s`, checked.
    pub fn read_in(&self, s: usize, offset: u64, len: u64) -> Result<Vec<u8>, Unusable> {
        let mut out = vec![0u8; usize::try_from(len).map_err(|_| Unusable::Corrupt)?];
        self.read_in_to(s, offset, &mut out)?;
        Ok(out)
    }

    /// Fills `out` with the bytes at `offset` within section `s`, checked (small fixed-width
    /// reads, without an allocation each).
    pub fn read_in_to(&self, s: usize, offset: u64, out: &mut [u8]) -> Result<(), Unusable> {
        let (start, size) = *self.sections.get(s).ok_or(Unusable::Corrupt)?;
        if offset
            .checked_add(out.len() as u64)
            .is_none_or(|e| e > size)
        {
            return Err(Unusable::Corrupt);
        }
        self.read_into(start + offset, out)
    }

    /// The length of section `s`.
    pub fn section_len(&self, s: usize) -> Result<u64, Unusable> {
        self.sections
            .get(s)
            .map(|(_, l)| *l)
            .ok_or(Unusable::Corrupt)
    }

    /// A little-endian `u32` at `offset` of section `s`.
    pub fn u32_at(&self, s: usize, offset: u64) -> Result<u32, Unusable> {
        let mut b = [0u8; 4];
        self.read_in_to(s, offset, &mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    /// A little-endian `u64` at `offset` of section `s`.
    pub fn u64_at(&self, s: usize, offset: u64) -> Result<u64, Unusable> {
        let mut b = [0u8; 8];
        self.read_in_to(s, offset, &mut b)?;
        Ok(u64::from_le_bytes(b))
    }
}

/// Writes `path` through a temporary file beside it, flushed, then renamed over it
/// ([`crate::load::atomic::write_with`]).
pub fn write_atomically(
    path: &Path,
    sections: usize,
    fill: impl FnOnce(&mut Writer) -> io::Result<()>,
) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    crate::load::atomic::write_with(path, |file| {
        let mut w = Writer::create(file.try_clone()?, sections)?;
        fill(&mut w)?;
        w.finish()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("c.bin");
        write_atomically(&path, 2, |w| {
            w.section(|put| put(b"hello"))?;
            w.section(|put| {
                for i in 0..20_000u32 {
                    put(&i.to_le_bytes())?;
                }
                Ok(())
            })
        })
        .expect("written");
        path
    }

    #[test]
    fn reads_back_what_was_written() {
        let dir = tempfile::tempdir().expect("tmp");
        let r = Reader::open(&sample(dir.path())).expect("opens");
        assert_eq!(r.read_in(0, 0, 5).expect("read"), b"hello");
        assert_eq!(r.u32_at(1, 4 * 12_345).expect("read"), 12_345);
        assert!(r.read_in(0, 3, 5).is_err(), "past the section");
    }

    #[test]
    fn truncated_or_flipped_files_are_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = sample(dir.path());
        let good = std::fs::read(&path).expect("read");
        std::fs::write(&path, &good[..good.len() - 1]).expect("write");
        assert_eq!(Reader::open(&path).err(), Some(Unusable::Corrupt));
        // A flipped byte in the data is caught when its block is read.
        let mut bad = good.clone();
        bad[HEADER + 20_000] ^= 0x40;
        std::fs::write(&path, &bad).expect("write");
        let r = Reader::open(&path).expect("header and table are fine");
        assert_eq!(r.u32_at(1, 4 * 4_100).err(), Some(Unusable::Corrupt));
        assert_eq!(
            r.u32_at(1, 4 * 100).ok(),
            Some(100),
            "other blocks still read"
        );
        // A flipped byte in the header or table is caught on open.
        for at in [3, 30, good.len() - 3] {
            let mut bad = good.clone();
            bad[at] ^= 1;
            std::fs::write(&path, &bad).expect("write");
            assert_eq!(Reader::open(&path).err(), Some(Unusable::Corrupt), "{at}");
        }
        assert_eq!(
            Reader::open(&dir.path().join("none")).err(),
            Some(Unusable::Missing)
        );
    }
}
