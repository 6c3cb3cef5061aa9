//! The cache file's layout: a fixed header, sections of fixed-width tables and encoded
//! records, and a checksum for every 4 KiB block, so that a reader checks exactly the blocks a
//! question touches and never trusts a byte it has not checked.
//!
//! ```text
//! header (64 bytes)  magic "DGCACHE\0", format, block size, section count, file length,
//!                    data start, block count, block table start, block table checksum,
//!                    header checksum
//! data               section directory (offset, length per section), then the sections
//! block table        XXH3-64 of each block of the data
//! ```
//!
//! A cache is built in memory ([`Writer`]) and read in place ([`Reader`]): from the file,
//! mapped into memory, or from the bytes just built (a first call, or `--no-cache`). The file
//! is written atomically (`load::atomic`): a reader sees the old file or the new one, never
//! half of one. A torn or corrupted file fails its length or a checksum and is rebuilt.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use xxhash_rust::xxh3::xxh3_64;

const MAGIC: &[u8; 8] = b"DGCACHE\0";
/// The layout's version: a change of layout changes it, and older files are rebuilt.
pub const FORMAT: u32 = 12;
/// Bytes per checksummed block.
pub const BLOCK: usize = 4 * 1024;
const HEADER: usize = 64;

/// Why a cache file cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    /// There is none.
    Missing,
    /// A length, checksum or value is wrong: torn, truncated or corrupted; or not a regular
    /// file.
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

impl From<Unusable> for crate::store::Corrupt {
    fn from(_: Unusable) -> crate::store::Corrupt {
        crate::store::Corrupt
    }
}

/// Writes a cache a section at a time to `W` (a file, or bytes in memory), checksumming its
/// blocks as they go.
pub struct Writer<W: Read + Write + Seek> {
    out: BufWriter<W>,
    sections: Vec<(u64, u64)>,
    count: usize,
    block: Vec<u8>,
    hashes: Vec<u64>,
    written: u64,
}

impl<W: Read + Write + Seek> Writer<W> {
    /// Starts a cache of `sections` sections at the start of `out`.
    pub fn new(out: W, sections: usize) -> io::Result<Writer<W>> {
        let mut out = BufWriter::with_capacity(64 << 10, out);
        out.write_all(&[0u8; HEADER])?;
        let mut w = Writer {
            out,
            sections: Vec::with_capacity(sections),
            count: sections,
            block: Vec::with_capacity(BLOCK),
            hashes: Vec::new(),
            written: 0,
        };
        // The directory, filled in once the sections are known.
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

    /// Appends one section, written in pieces by `fill`.
    pub fn section(
        &mut self,
        fill: impl FnOnce(&mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<()>,
    ) -> io::Result<()> {
        let start = self.written + self.block.len() as u64;
        fill(&mut |b: &[u8]| self.put(b))?;
        let end = self.written + self.block.len() as u64;
        self.sections.push((start, end - start));
        Ok(())
    }

    /// Completes the cache (directory, block table, header) and gives back `out`.
    pub fn finish(mut self) -> io::Result<W> {
        if !self.block.is_empty() {
            self.flush_block()?;
        }
        self.sections.resize(self.count, (0, 0));
        let data_len = self.written;
        let table_at = HEADER as u64 + data_len;
        // The directory sits in the first block: written in, and that block hashed again.
        let mut out = self.out.into_inner().map_err(|e| e.into_error())?;
        let first_len = (data_len as usize).min(BLOCK);
        let mut first = vec![0u8; first_len];
        out.seek(SeekFrom::Start(HEADER as u64))?;
        out.read_exact(&mut first)?;
        for (k, (off, len)) in self.sections.iter().enumerate() {
            first[k * 16..k * 16 + 8].copy_from_slice(&off.to_le_bytes());
            first[k * 16 + 8..k * 16 + 16].copy_from_slice(&len.to_le_bytes());
        }
        out.seek(SeekFrom::Start(HEADER as u64))?;
        out.write_all(&first)?;
        if let Some(h) = self.hashes.first_mut() {
            *h = xxh3_64(&first);
        }
        let table: Vec<u8> = self.hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
        out.seek(SeekFrom::Start(table_at))?;
        out.write_all(&table)?;
        let file_len = table_at + table.len() as u64;
        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&FORMAT.to_le_bytes());
        header.extend_from_slice(&(BLOCK as u32).to_le_bytes());
        header.extend_from_slice(&(self.count as u64).to_le_bytes());
        header.extend_from_slice(&file_len.to_le_bytes());
        header.extend_from_slice(&(self.hashes.len() as u64).to_le_bytes());
        header.extend_from_slice(&table_at.to_le_bytes());
        header.extend_from_slice(&xxh3_64(&table).to_le_bytes());
        let h = xxh3_64(&header);
        header.extend_from_slice(&h.to_le_bytes());
        out.seek(SeekFrom::Start(0))?;
        out.write_all(&header)?;
        out.flush()?;
        Ok(out)
    }
}

/// A cache's bytes: its file mapped into memory, or bytes built in this process.
pub enum Bytes {
    /// The file, mapped.
    Mapped(memmap2::Mmap),
    /// Built here.
    Built(Vec<u8>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Built(v) => v,
        }
    }
}

/// Maps the cache file at `path` into memory. It must be a regular file: a FIFO or device at
/// the cache's place is refused before it is opened, and opened without waiting (a FIFO put
/// there in between is not waited on either).
fn map_path(path: &Path) -> Result<memmap2::Mmap, Unusable> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(Unusable::Corrupt);
    }
    map(&crate::load::open_regular(path)?)
}

/// Maps an open cache file into memory.
fn map(file: &File) -> Result<memmap2::Mmap, Unusable> {
    if !file.metadata()?.is_file() {
        return Err(Unusable::Corrupt);
    }
    // SAFETY: the map is only ever read, as bytes whose every block is checked against its
    // checksum before use. dipgraph never writes a cache file in place: a new one is written
    // to another name and renamed over it, which leaves this mapping on the old file. Another
    // program that truncates or rewrites the file in place while it is mapped can make reads
    // fail (SIGBUS) or see bytes change after their check; that risk is documented in
    // docs/performance.md.
    #[allow(unsafe_code)]
    let map = unsafe { memmap2::Mmap::map(file) }?;
    Ok(map)
}

/// The system's page size (4 KiB where it cannot be asked).
fn page_size() -> u64 {
    #[cfg(unix)]
    {
        // SAFETY: sysconf only reads a system value.
        #[allow(unsafe_code)]
        let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        if n > 0 {
            return n as u64;
        }
    }
    4096
}

fn le64(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// A cache's bytes, read in place: header, length and block table checked on open; every other
/// block checked when first read (bytes built in this process are trusted).
pub struct Reader {
    bytes: Bytes,
    data_len: u64,
    /// Where the checksum table starts in the bytes (read in place, 8 bytes a block); `None`
    /// for trusted bytes.
    table_at: Option<usize>,
    /// One bit per block: checked.
    checked: Vec<AtomicU64>,
    sections: Vec<(u64, u64)>,
}

impl Reader {
    /// Opens the cache file at `path`.
    pub fn open(path: &Path) -> Result<Reader, Unusable> {
        Reader::new(Bytes::Mapped(map_path(path)?), false)
    }

    /// Reads a cache this process wrote to `file` (a temporary file of its own).
    pub fn written(file: &File) -> Result<Reader, Unusable> {
        Reader::new(Bytes::Mapped(map(file)?), true)
    }

    /// Reads a cache built in this process.
    pub fn built(bytes: Vec<u8>) -> Result<Reader, Unusable> {
        Reader::new(Bytes::Built(bytes), true)
    }

    fn new(bytes: Bytes, trusted: bool) -> Result<Reader, Unusable> {
        let header = bytes.get(..HEADER).ok_or(Unusable::Corrupt)?;
        if &header[..8] != MAGIC || le64(header, 56) != xxh3_64(&header[..56]) {
            return Err(Unusable::Corrupt);
        }
        let format = u32::from_le_bytes([header[8], header[9], header[10], header[11]]);
        let block = u32::from_le_bytes([header[12], header[13], header[14], header[15]]);
        let sections = le64(header, 16);
        let file_len = le64(header, 24);
        let n_blocks = le64(header, 32);
        let table_at = le64(header, 40);
        let table_hash = le64(header, 48);
        let data_len = table_at
            .checked_sub(HEADER as u64)
            .ok_or(Unusable::Corrupt)?;
        let sane = format == FORMAT
            && block as usize == BLOCK
            && bytes.len() as u64 == file_len
            && n_blocks == data_len.div_ceil(BLOCK as u64)
            && table_at.checked_add(n_blocks * 8) == Some(file_len)
            && sections <= 64;
        if !sane {
            return Err(Unusable::Corrupt);
        }
        let table = &bytes[table_at as usize..];
        if !trusted && xxh3_64(table) != table_hash {
            return Err(Unusable::Corrupt);
        }
        let table_at = (!trusted).then_some(table_at as usize);
        let words = (n_blocks as usize).div_ceil(64);
        let mut r = Reader {
            bytes,
            data_len,
            table_at,
            checked: (0..words).map(|_| AtomicU64::new(0)).collect(),
            sections: Vec::new(),
        };
        let dir = r.data(0..sections * 16)?;
        let sections: Vec<(u64, u64)> = dir
            .chunks_exact(16)
            .map(|c| (le64(c, 0), le64(c, 8)))
            .collect();
        if sections
            .iter()
            .any(|(o, l)| o.checked_add(*l).is_none_or(|end| end > data_len))
        {
            return Err(Unusable::Corrupt);
        }
        r.sections = sections;
        Ok(r)
    }

    /// Whether block `b` matches its checksum (checked once).
    fn check_block(&self, b: u64) -> Result<(), Unusable> {
        let Some(table_at) = self.table_at else {
            return Ok(());
        };
        let (word, bit) = ((b / 64) as usize, 1u64 << (b % 64));
        let w = self.checked.get(word).ok_or(Unusable::Corrupt)?;
        if w.load(Ordering::Relaxed) & bit != 0 {
            return Ok(());
        }
        let start = HEADER as u64 + b * BLOCK as u64;
        let end = (start + BLOCK as u64).min(HEADER as u64 + self.data_len);
        let block = &self.bytes[start as usize..end as usize];
        let at = table_at + b as usize * 8;
        let kept = self.bytes.get(at..at + 8).ok_or(Unusable::Corrupt)?;
        if le64(kept, 0) != xxh3_64(block) {
            return Err(Unusable::Corrupt);
        }
        w.fetch_or(bit, Ordering::Relaxed);
        Ok(())
    }

    /// Checks every block against its checksum (a full check of the file); gives how many
    /// blocks there are.
    pub fn check_all(&self) -> Result<u64, Unusable> {
        let blocks = self.data_len.div_ceil(BLOCK as u64);
        for b in 0..blocks {
            self.check_block(b)?;
        }
        Ok(blocks)
    }

    /// The bytes at `range` of the data, checked.
    fn data(&self, range: Range<u64>) -> Result<&[u8], Unusable> {
        if range.start > range.end || range.end > self.data_len {
            return Err(Unusable::Corrupt);
        }
        if range.start < range.end {
            for b in range.start / BLOCK as u64..=(range.end - 1) / BLOCK as u64 {
                self.check_block(b)?;
            }
        }
        let at = HEADER as u64;
        Ok(&self.bytes[(at + range.start) as usize..(at + range.end) as usize])
    }

    /// The bytes at `range` within section `s`, checked.
    pub fn get(&self, s: usize, range: Range<u64>) -> Result<&[u8], Unusable> {
        let (start, size) = *self.sections.get(s).ok_or(Unusable::Corrupt)?;
        if range.start > range.end || range.end > size {
            return Err(Unusable::Corrupt);
        }
        self.data(start + range.start..start + range.end)
    }

    /// Section `s` whole, checked.
    pub fn section(&self, s: usize) -> Result<&[u8], Unusable> {
        self.get(s, 0..self.section_len(s)?)
    }

    /// Section `s` whole, unchecked: for a reader that checks the parts it uses with
    /// [`Reader::get`] first.
    pub fn section_unchecked(&self, s: usize) -> Result<&[u8], Unusable> {
        let (start, size) = *self.sections.get(s).ok_or(Unusable::Corrupt)?;
        let at = HEADER as u64 + start;
        Ok(&self.bytes[at as usize..(at + size) as usize])
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
        let b = self.get(s, offset..offset + 4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A little-endian `u64` at `offset` of section `s`.
    pub fn u64_at(&self, s: usize, offset: u64) -> Result<u64, Unusable> {
        Ok(le64(self.get(s, offset..offset + 8)?, 0))
    }

    /// Gives back the memory of the first `upto` bytes of section `s` (the pages wholly within
    /// them), which a scan has passed and will not read again: a mapped file's pages leave
    /// this process (the system keeps them in its file cache, and a later read maps them in
    /// again). Bytes built in memory are kept.
    pub fn release_prefix(&self, s: usize, upto: u64) {
        let Bytes::Mapped(map) = &self.bytes else {
            return;
        };
        let Some(&(start, size)) = self.sections.get(s) else {
            return;
        };
        let page = page_size();
        let from = (HEADER as u64 + start).div_ceil(page) * page;
        let to = (HEADER as u64 + start + upto.min(size)) / page * page;
        if to > from {
            // SAFETY: the map is private and read-only, and its file is never changed in place
            // (see `map`): pages dropped here are read again from the same bytes of the file,
            // so nothing borrowed from the map sees other contents.
            #[allow(unsafe_code)]
            let _ = unsafe {
                map.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    from as usize,
                    (to - from) as usize,
                )
            };
        }
    }

    /// The bytes, as built or mapped: for writing a cache built in this process.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let mut w = Writer::new(io::Cursor::new(Vec::new()), 2).expect("writes");
        w.section(|put| put(b"hello")).expect("writes");
        w.section(|put| {
            for i in 0..20_000u32 {
                put(&i.to_le_bytes())?;
            }
            Ok(())
        })
        .expect("writes");
        w.finish().expect("writes").into_inner()
    }

    fn at(dir: &Path, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join("c.bin");
        std::fs::write(&path, bytes).expect("write");
        path
    }

    #[test]
    fn reads_back_what_was_written_from_a_file_or_in_memory() {
        let dir = tempfile::tempdir().expect("tmp");
        let bytes = sample();
        for r in [
            Reader::open(&at(dir.path(), &bytes)).expect("opens"),
            Reader::built(bytes.clone()).expect("reads"),
        ] {
            assert_eq!(r.get(0, 0..5).expect("read"), b"hello");
            assert_eq!(r.u32_at(1, 4 * 12_345).expect("read"), 12_345);
            assert!(r.get(0, 3..8).is_err(), "past the section");
        }
    }

    #[test]
    fn truncated_or_flipped_files_are_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let good = sample();
        let path = at(dir.path(), &good[..good.len() - 1]);
        assert_eq!(Reader::open(&path).err(), Some(Unusable::Corrupt));
        // A flipped byte in the data is caught when its block is read.
        let mut bad = good.clone();
        bad[HEADER + 20_000] ^= 0x40;
        let path = at(dir.path(), &bad);
        let r = Reader::open(&path).expect("header and table are fine");
        assert_eq!(r.u32_at(1, 4 * 4_100).err(), Some(Unusable::Corrupt));
        assert_eq!(
            r.u32_at(1, 4 * 100).ok(),
            Some(100),
            "other blocks still read"
        );
        // A flipped byte in the header or table is caught on open.
        for at_byte in [3, 30, good.len() - 3] {
            let mut bad = good.clone();
            bad[at_byte] ^= 1;
            let path = at(dir.path(), &bad);
            assert_eq!(
                Reader::open(&path).err(),
                Some(Unusable::Corrupt),
                "{at_byte}"
            );
        }
        assert_eq!(
            Reader::open(&dir.path().join("none")).err(),
            Some(Unusable::Missing)
        );
        // A folder where the file should be is refused, not read.
        assert_eq!(Reader::open(dir.path()).err(), Some(Unusable::Corrupt));
    }
}
