//! What an import reads: a file, or standard input (`-`); plain, or compressed with gzip or
//! zstd, or the one file of a zip archive (GDELT's `*.export.CSV.zip`), told apart by their
//! first bytes, never by their name. It is read as a stream: how many of its bytes have been
//! read is counted for progress, and its checksum (XXH3-64 of the bytes as given) made as it
//! goes, so that a file imported before is known again.
//!
//! An importer that reads its input twice (OpenSanctions: entities first, then what names
//! them) opens it again; standard input, which cannot be read twice, is kept in an unnamed
//! temporary file as it is read the first time.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use xxhash_rust::xxh3::Xxh3;

/// Bytes read ahead from the input at a time.
const BUFFER: usize = 256 << 10;

/// How the input's bytes are packed, by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packing {
    /// As they are.
    Plain,
    /// gzip (`1f 8b`); several members one after another are read as one stream.
    Gzip,
    /// zstd (`28 b5 2f fd`); several frames one after another are read as one stream.
    Zstd,
    /// A zip archive (`50 4b 03 04`) holding one file.
    Zip,
}

impl Packing {
    /// The packing whose magic bytes `head` starts with.
    pub fn of(head: &[u8]) -> Packing {
        if head.starts_with(&[0x1f, 0x8b]) {
            Packing::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Packing::Zstd
        } else if head.starts_with(b"PK\x03\x04") {
            Packing::Zip
        } else {
            Packing::Plain
        }
    }

    /// How it is named in messages.
    pub fn name(self) -> &'static str {
        match self {
            Packing::Plain => "plain",
            Packing::Gzip => "gzip",
            Packing::Zstd => "zstd",
            Packing::Zip => "zip",
        }
    }
}

/// How far a read has come, shared with whoever shows progress.
#[derive(Debug, Clone, Default)]
pub struct Done(Arc<AtomicU64>);

impl Done {
    /// Bytes of the input (as given, before unpacking) read so far.
    pub fn bytes(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// What identifies an input's bytes: their number and checksum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    /// Bytes, as given (before unpacking).
    pub bytes: u64,
    /// Their XXH3-64.
    pub xxh3: u64,
}

/// A file, or standard input, to read once or more.
#[derive(Debug)]
pub struct Input {
    path: PathBuf,
    /// Standard input, as kept the first time it was read.
    spool: Option<File>,
    /// Whether it has been read through once.
    read_once: bool,
    /// Whether it will be read twice (standard input is then kept as it is read).
    twice: bool,
    /// Its size, where known before reading (a regular file).
    total: Option<u64>,
    fingerprint: Option<Fingerprint>,
}

/// Why an input could not be read.
#[derive(Debug)]
pub enum InputError {
    /// It cannot be opened or read.
    Io(io::Error),
    /// It is packed in a way that cannot be read (a zip archive of several files, an
    /// encrypted entry, an unknown method).
    Packing(String),
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::Io(e) => write!(f, "cannot be read: {e}"),
            InputError::Packing(m) => f.write_str(m),
        }
    }
}

impl From<io::Error> for InputError {
    fn from(e: io::Error) -> InputError {
        InputError::Io(e)
    }
}

/// The raw bytes as they are read: counted, hashed, and (for standard input) kept.
struct Raw<R> {
    inner: R,
    done: Done,
    hash: Option<Xxh3>,
    count: u64,
    keep: Option<File>,
}

impl<R: Read> Read for Raw<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let got = &buf[..n];
        if let Some(h) = &mut self.hash {
            h.update(got);
        }
        if let Some(k) = &mut self.keep {
            k.write_all(got)?;
        }
        self.count += n as u64;
        self.done.0.store(self.count, Ordering::Relaxed);
        Ok(n)
    }
}

impl Input {
    /// The input at `path`, or standard input for `-`. A file is opened now, so that one that
    /// cannot be read is known before anything else is done.
    pub fn new(path: &Path) -> Result<Input, InputError> {
        let total = if path == Path::new("-") {
            None
        } else {
            let f = File::open(path)?;
            let meta = f.metadata()?;
            if meta.is_dir() {
                return Err(InputError::Io(io::Error::other("it is a folder")));
            }
            meta.is_file().then_some(meta.len())
        };
        Ok(Input {
            path: path.to_path_buf(),
            spool: None,
            read_once: false,
            twice: false,
            total,
            fingerprint: None,
        })
    }

    /// Says that it will be read twice: standard input (or a pipe given by name) is then kept,
    /// in an unnamed temporary file, as it is read the first time.
    pub fn read_twice(&mut self) {
        self.twice = true;
    }

    /// Whether it is standard input.
    pub fn is_stdin(&self) -> bool {
        self.path == Path::new("-")
    }

    /// Whether it can be read again from its start by opening it again: a regular file (not
    /// standard input, nor a named pipe).
    fn reopens(&self) -> bool {
        self.total.is_some()
    }

    /// Its size in bytes, where known before it is read.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// The number and checksum of its bytes, once it has been read through.
    pub fn fingerprint(&self) -> Option<Fingerprint> {
        self.fingerprint
    }

    /// The fingerprint of a file, read through for it alone (not standard input).
    pub fn fingerprint_now(&mut self) -> Result<Fingerprint, InputError> {
        if let Some(f) = self.fingerprint {
            return Ok(f);
        }
        let mut raw = Raw {
            inner: File::open(&self.path)?,
            done: Done::default(),
            hash: Some(Xxh3::new()),
            count: 0,
            keep: None,
        };
        io::copy(&mut raw, &mut io::sink())?;
        let f = Fingerprint {
            bytes: raw.count,
            xxh3: raw.hash.map_or(0, |h| h.digest()),
        };
        self.fingerprint = Some(f);
        Ok(f)
    }

    /// Reads the input through `read`, unpacked, counting its bytes into `done`. The first
    /// read also makes its fingerprint (and keeps standard input for another read).
    pub fn read<T, E: From<InputError>>(
        &mut self,
        done: &Done,
        read: impl FnOnce(&mut dyn BufRead) -> Result<T, E>,
    ) -> Result<T, E> {
        let first = !self.read_once;
        let source: Box<dyn Read> = match &self.spool {
            Some(spool) => {
                let mut f = spool.try_clone().map_err(InputError::Io)?;
                f.rewind().map_err(InputError::Io)?;
                Box::new(f)
            }
            None if self.is_stdin() => Box::new(io::stdin().lock()),
            None => Box::new(File::open(&self.path).map_err(InputError::Io)?),
        };
        let keep = if first && self.twice && !self.reopens() {
            let spool = tempfile::tempfile().map_err(InputError::Io)?;
            let writer = spool.try_clone().map_err(InputError::Io)?;
            self.spool = Some(spool);
            Some(writer)
        } else {
            None
        };
        let raw = Raw {
            inner: source,
            done: done.clone(),
            hash: first.then(Xxh3::new),
            count: 0,
            keep,
        };
        let mut raw = BufReader::with_capacity(BUFFER, raw);
        let head = head(&mut raw).map_err(InputError::Io)?;
        let packing = Packing::of(&head);
        let mut stream = io::Cursor::new(head).chain(raw);
        let value = match packing {
            Packing::Plain => read(&mut stream)?,
            Packing::Gzip => {
                let gz = flate2::bufread::MultiGzDecoder::new(&mut stream);
                read(&mut BufReader::with_capacity(BUFFER, gz))?
            }
            Packing::Zstd => {
                let zstd = ZstdFrames::new(&mut stream);
                read(&mut BufReader::with_capacity(BUFFER, zstd))?
            }
            Packing::Zip => read_zip(&mut stream, read)?,
        };
        let (_, mut raw) = stream.into_inner();
        // Whatever the reader left unread still counts in the checksum.
        io::copy(&mut raw, &mut io::sink()).map_err(InputError::Io)?;
        let raw = raw.into_inner();
        if let Some(mut k) = raw.keep {
            k.flush().map_err(InputError::Io)?;
        }
        if let Some(h) = raw.hash {
            self.fingerprint = Some(Fingerprint {
                bytes: raw.count,
                xxh3: h.digest(),
            });
        }
        self.read_once = true;
        Ok(value)
    }
}

fn zip_error(e: zip::result::ZipError) -> InputError {
    match e {
        zip::result::ZipError::Io(e) => InputError::Io(e),
        other => InputError::Packing(format!("the zip archive cannot be read: {other}")),
    }
}

/// The one file of a zip archive, read through `read`; the archive must hold no other.
fn read_zip<R: Read, T, E: From<InputError>>(
    archive: &mut R,
    read: impl FnOnce(&mut dyn BufRead) -> Result<T, E>,
) -> Result<T, E> {
    let entry = zip::read::read_zipfile_from_stream(archive)
        .map_err(zip_error)?
        .ok_or_else(|| InputError::Packing("the zip archive holds no file".into()))?;
    if entry.encrypted() {
        let name = entry.name().map_or_else(|_| "?".into(), |n| n.into_owned());
        return Err(
            InputError::Packing(format!("`{name}` in the zip archive is encrypted")).into(),
        );
    }
    let mut unpacked = BufReader::with_capacity(BUFFER, entry);
    let value = read(&mut unpacked)?;
    // The entry is read to its end, where its checksum is checked; then the archive must end.
    io::copy(&mut unpacked, &mut io::sink()).map_err(InputError::Io)?;
    drop(unpacked);
    if let Some(more) = zip::read::read_zipfile_from_stream(archive).map_err(zip_error)? {
        let name = more.name().map_or_else(|_| "?".into(), |n| n.into_owned());
        return Err(InputError::Packing(format!(
            "the zip archive holds more than one file (`{name}` follows the first); give the file to import on its own"
        ))
        .into());
    }
    Ok(value)
}

/// The first four bytes of `r` (fewer when it is shorter), read from it: a pipe may give them a
/// few at a time.
fn head<R: Read>(r: &mut R) -> io::Result<Vec<u8>> {
    let mut head = [0u8; 4];
    let mut got = 0;
    while got < head.len() {
        match r.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(head[..got].to_vec())
}

/// zstd frames one after another, read as one stream.
struct ZstdFrames<R: BufRead> {
    source: Option<R>,
    frame: Option<ruzstd::decoding::StreamingDecoder<R, ruzstd::decoding::FrameDecoder>>,
}

impl<R: BufRead> ZstdFrames<R> {
    fn new(source: R) -> ZstdFrames<R> {
        ZstdFrames {
            source: Some(source),
            frame: None,
        }
    }
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(frame) = &mut self.frame {
                let n = frame.read(buf)?;
                if n > 0 || buf.is_empty() {
                    return Ok(n);
                }
                // This frame is done: another may follow.
                let Some(frame) = self.frame.take() else {
                    return Ok(0);
                };
                self.source = Some(frame.into_inner());
            }
            let Some(mut source) = self.source.take() else {
                return Ok(0);
            };
            if source.fill_buf()?.is_empty() {
                return Ok(0);
            }
            let frame = ruzstd::decoding::StreamingDecoder::new(source)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
            self.frame = Some(frame);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &mut Input) -> Vec<u8> {
        input
            .read(&Done::default(), |r| -> Result<Vec<u8>, InputError> {
                let mut v = Vec::new();
                r.read_to_end(&mut v)?;
                Ok(v)
            })
            .expect("reads")
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).expect("gzip");
        e.finish().expect("gzip")
    }

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        for (name, bytes) in files {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            w.start_file(*name, options).expect("zip");
            w.write_all(bytes).expect("zip");
        }
        w.finish().expect("zip").into_inner()
    }

    const TEXT: &[u8] = b"GLOBALEVENTID,SQLDATE\n1,20200101\n2,20200102\n";

    #[test]
    fn packings_are_told_by_their_first_bytes() {
        assert_eq!(Packing::of(&[0x1f, 0x8b, 8]), Packing::Gzip);
        assert_eq!(Packing::of(&[0x28, 0xb5, 0x2f, 0xfd, 0]), Packing::Zstd);
        assert_eq!(Packing::of(b"PK\x03\x04..."), Packing::Zip);
        assert_eq!(Packing::of(b"GLOBALEVENTID"), Packing::Plain);
        assert_eq!(Packing::of(b""), Packing::Plain);
    }

    #[test]
    fn gzip_and_zip_read_as_the_plain_text_whatever_the_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        // Two gzip members one after another are one stream.
        let mut two = gzip(&TEXT[..20]);
        two.extend(gzip(&TEXT[20..]));
        // Two zstd frames one after another are one stream too.
        let mut frames = ruzstd::encoding::compress_to_vec(
            &TEXT[..20],
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        frames.extend(ruzstd::encoding::compress_to_vec(
            &TEXT[20..],
            ruzstd::encoding::CompressionLevel::Fastest,
        ));
        for (name, bytes) in [
            ("plain.zip", TEXT.to_vec()),
            ("events.gz", frames),
            ("events.csv", two),
            ("events.txt", zip_of(&[("events.CSV", TEXT)])),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).expect("write");
            let mut input = Input::new(&path).expect("opens");
            assert_eq!(input.total(), Some(bytes.len() as u64));
            assert_eq!(read_all(&mut input), TEXT, "{name}");
            // The fingerprint is of the bytes as given, made while reading.
            let f = input.fingerprint().expect("fingerprint");
            assert_eq!(f.bytes, bytes.len() as u64);
            assert_eq!(f.xxh3, xxhash_rust::xxh3::xxh3_64(&bytes));
            assert_eq!(input.fingerprint_now().expect("again"), f);
            // Read again: the same.
            assert_eq!(read_all(&mut input), TEXT, "{name}, again");
        }
    }

    #[test]
    fn bad_archives_are_errors() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("two.zip");
        std::fs::write(&path, zip_of(&[("a.csv", TEXT), ("b.csv", TEXT)])).expect("write");
        let e = Input::new(&path)
            .expect("opens")
            .read(&Done::default(), |r| -> Result<(), InputError> {
                io::copy(r, &mut io::sink())?;
                Ok(())
            })
            .expect_err("two files");
        assert!(e.to_string().contains("more than one file (`b.csv`"), "{e}");
        // A gzip file cut short fails as it is read.
        let cut = gzip(&TEXT.repeat(100));
        std::fs::write(&path, &cut[..cut.len() / 2]).expect("write");
        let e = Input::new(&path)
            .expect("opens")
            .read(&Done::default(), |r| -> Result<(), InputError> {
                io::copy(r, &mut io::sink())?;
                Ok(())
            })
            .expect_err("cut short");
        assert!(matches!(e, InputError::Io(_)), "{e}");
        let e = Input::new(&dir.path().join("none.csv")).expect_err("absent");
        assert!(e.to_string().starts_with("cannot be read"), "{e}");
        assert!(Input::new(dir.path()).is_err(), "a folder");
    }
}
