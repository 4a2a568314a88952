//! The PDF file itself, written as the pages are laid out: each page's drawing is compressed
//! and appended the moment it is done, so a document of thousands of pages never holds more
//! than one page's drawing at a time. What only the end knows (the page tree, the fonts'
//! subsets and widths, the cross-reference table) is written last.
//!
//! - Fonts are Type 0 (CID) fonts with Identity-H encoding: text is shown as two-byte glyph
//!   numbers of a subset made at the end with the glyphs the pages used (numbered in order
//!   of first use), and a ToUnicode map gives back the characters for copying and search.
//! - TrueType outlines are embedded as FontFile2, CFF ones as an OpenType FontFile3.
//! - The output is a function of the input: object numbers follow the order of writing and
//!   the trailer /ID is a SHA-256 of everything before it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;

use flate2::write::ZlibEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};

use super::fonts::FontFile;
use crate::error::{Error, Result};

const CATALOG: usize = 1;
const PAGES: usize = 2;
const RESOURCES: usize = 3;
const INFO: usize = 4;

/// The document's metadata as the file's Info dictionary holds it.
pub(super) struct Metadata<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub date: chrono::NaiveDate,
}

/// A font the pages draw with, and the glyphs they used from it.
struct UsedFont {
    file: &'static FontFile,
    /// The resource name, which is also the subset tag (six capital letters).
    name: String,
    glyphs: subsetter::GlyphRemapper,
    /// What each glyph (by its number in the subset) stands for, as first drawn.
    text: BTreeMap<u16, String>,
}

/// The fonts of one document.
#[derive(Default)]
pub(super) struct FontSet {
    used: Vec<UsedFont>,
}

impl FontSet {
    /// The resource name of `file`, registering it on first use under `name` (six capital
    /// letters).
    pub fn select(&mut self, file: &'static FontFile, name: impl FnOnce(usize) -> String) -> (usize, &str) {
        let index = match self.used.iter().position(|f| std::ptr::eq(f.file, file)) {
            Some(index) => index,
            None => {
                let name = name(self.used.len());
                self.used.push(UsedFont { file, name, glyphs: subsetter::GlyphRemapper::new(), text: BTreeMap::new() });
                self.used.len() - 1
            }
        };
        (index, self.used[index].name.as_str())
    }

    /// The number in the subset of font `font`'s glyph `gid`, which stands for `text`.
    pub fn glyph(&mut self, font: usize, gid: u16, text: &str) -> u16 {
        let Some(used) = self.used.get_mut(font) else { return 0 };
        let new = used.glyphs.remap(gid);
        if !text.is_empty() {
            used.text.entry(new).or_insert_with(|| text.to_owned());
        }
        new
    }
}

/// A PDF file being written.
pub(super) struct PdfFile {
    out: Vec<u8>,
    /// Where each object starts, by object number (0 is the free list's head).
    offsets: Vec<usize>,
    pages: Vec<usize>,
    media_box: String,
}

impl PdfFile {
    pub fn new(width: f32, height: f32) -> PdfFile {
        let mut out = Vec::with_capacity(64 * 1024);
        // The binary comment tells transfer tools the file is not text.
        out.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        PdfFile {
            out,
            offsets: vec![0; INFO + 1],
            pages: Vec::new(),
            media_box: format!("[0 0 {} {}]", num(width), num(height)),
        }
    }

    fn new_object(&mut self) -> usize {
        self.offsets.push(0);
        self.offsets.len() - 1
    }

    fn begin(&mut self, id: usize) {
        self.offsets[id] = self.out.len();
        self.out.extend_from_slice(format!("{id} 0 obj\n").as_bytes());
    }

    fn object(&mut self, id: usize, body: &str) {
        self.begin(id);
        self.out.extend_from_slice(body.as_bytes());
        self.out.extend_from_slice(b"\nendobj\n");
    }

    /// A stream object, compressed; `dict` holds any entries besides its length and filter.
    fn stream(&mut self, id: usize, dict: &str, data: &[u8]) -> Result<()> {
        let mut encoder = ZlibEncoder::new(Vec::with_capacity(data.len() / 3 + 64), Compression::default());
        encoder.write_all(data).map_err(write_error)?;
        let packed = encoder.finish().map_err(write_error)?;
        self.begin(id);
        let sep = if dict.is_empty() { "" } else { " " };
        self.out.extend_from_slice(
            format!("<< /Length {} /Filter /FlateDecode{sep}{dict} >>\nstream\n", packed.len()).as_bytes(),
        );
        self.out.extend_from_slice(&packed);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
        Ok(())
    }

    /// Appends a page drawn by `content` (PDF drawing operators).
    pub fn page(&mut self, content: &[u8]) -> Result<()> {
        let contents = self.new_object();
        self.stream(contents, "", content)?;
        let page = self.new_object();
        let body = format!(
            "<< /Type /Page /Parent {PAGES} 0 R /MediaBox {} /Resources {RESOURCES} 0 R /Contents {contents} 0 R >>",
            self.media_box
        );
        self.object(page, &body);
        self.pages.push(page);
        Ok(())
    }

    /// Writes the fonts, the page tree, the metadata and the cross-reference table, and
    /// returns the file.
    pub fn finish(mut self, fonts: FontSet, meta: &Metadata<'_>) -> Result<Vec<u8>> {
        let mut resources = String::from("<< /Font <<");
        for font in &fonts.used {
            let id = self.font(font)?;
            let _ = write!(resources, " /{} {id} 0 R", font.name);
        }
        resources.push_str(" >> >>");
        self.object(RESOURCES, &resources);

        let mut kids = String::with_capacity(self.pages.len() * 8);
        for page in &self.pages {
            let _ = write!(kids, "{page} 0 R ");
        }
        let tree = format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.trim_end(), self.pages.len());
        self.object(PAGES, &tree);

        let date = format!("(D:{}000000Z)", meta.date.format("%Y%m%d"));
        let info = format!(
            "<< /Title {} /Author {} /Subject {} /Creator (Readyroom) /Producer (Readyroom) /CreationDate {date} /ModDate {date} >>",
            text_string(meta.title),
            text_string(meta.author),
            text_string(meta.subject),
        );
        self.object(INFO, &info);
        self.object(CATALOG, &format!("<< /Type /Catalog /Pages {PAGES} 0 R >>"));

        let id: String = Sha256::digest(&self.out).iter().take(16).map(|b| format!("{b:02X}")).collect();
        let xref = self.out.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", self.offsets.len());
        for offset in &self.offsets[1..] {
            let _ = writeln!(table, "{offset:010} 00000 n ");
        }
        let _ = write!(
            table,
            "trailer\n<< /Size {} /Root {CATALOG} 0 R /Info {INFO} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len()
        );
        self.out.extend_from_slice(table.as_bytes());
        Ok(self.out)
    }

    /// Writes one font (its subset, descriptor, widths and ToUnicode map); returns the
    /// number of its Type 0 dictionary.
    fn font(&mut self, font: &UsedFont) -> Result<usize> {
        let (data, index) = font.file.program();
        let subset = subsetter::subset(data, index, &font.glyphs)
            .map_err(|e| Error::internal(format!("PDF: could not embed the font {}: {e}", font.file.name)))?;
        let face = font.file.tables();
        let cff = face.raw_face().table(rustybuzz::ttf_parser::Tag::from_bytes(b"CFF ")).is_some();
        let per_em = f32::from(face.units_per_em()).max(1.0);
        let scale = |v: f32| num(v * 1000.0 / per_em);
        let base_name = format!("{}+{}", font.name, postscript_name(face));

        let program = self.new_object();
        let dict = if cff { "/Subtype /OpenType".to_owned() } else { format!("/Length1 {}", subset.len()) };
        self.stream(program, &dict, &subset)?;
        drop(subset);

        let bbox = face.global_bounding_box();
        let descriptor = self.new_object();
        let ascent = f32::from(face.ascender());
        let body = format!(
            "<< /Type /FontDescriptor /FontName /{base_name} /Flags 4 /FontBBox [{} {} {} {}] /ItalicAngle {} /Ascent {} /Descent {} /CapHeight {} /StemV 80 /{} {program} 0 R >>",
            scale(f32::from(bbox.x_min)),
            scale(f32::from(bbox.y_min)),
            scale(f32::from(bbox.x_max)),
            scale(f32::from(bbox.y_max)),
            num(face.italic_angle()),
            scale(ascent),
            scale(f32::from(face.descender())),
            scale(face.capital_height().map_or(ascent, f32::from)),
            if cff { "FontFile3" } else { "FontFile2" },
        );
        self.object(descriptor, &body);

        let mut widths = String::new();
        for gid in font.glyphs.remapped_gids() {
            let _ = write!(widths, "{} ", num(font.file.glyph_advance(gid) * 1000.0));
        }
        let cid_font = self.new_object();
        let body = format!(
            "<< /Type /Font /Subtype /{} /BaseFont /{base_name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /W [0 [{}]]{} >>",
            if cff { "CIDFontType0" } else { "CIDFontType2" },
            widths.trim_end(),
            if cff { "" } else { " /CIDToGIDMap /Identity" },
        );
        self.object(cid_font, &body);

        let to_unicode = self.new_object();
        self.stream(to_unicode, "", to_unicode_cmap(&font.text).as_bytes())?;

        let id = self.new_object();
        let body = format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /{base_name} /Encoding /Identity-H /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>"
        );
        self.object(id, &body);
        Ok(id)
    }
}

fn write_error(e: std::io::Error) -> Error {
    Error::internal(format!("PDF: could not compress a stream: {e}"))
}

/// A number as PDF writes it: at most three decimals, no trailing zeros, never "-0".
pub(super) fn num(v: f32) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let mut s = format!("{v:.3}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    if s == "-0" {
        s = "0".to_owned();
    }
    s
}

/// A text string for the Info dictionary: UTF-16 big-endian with its byte order mark, in hex.
pub(super) fn text_string(text: &str) -> String {
    let mut s = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(s, "{unit:04X}");
    }
    s.push('>');
    s
}

/// The face's PostScript name, kept to the characters a PDF name may hold as they are.
fn postscript_name(face: &rustybuzz::ttf_parser::Face<'_>) -> String {
    let name = face
        .names()
        .into_iter()
        .filter(|n| n.name_id == rustybuzz::ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
        .unwrap_or_default();
    let name: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    if name.is_empty() {
        "Font".to_owned()
    } else {
        name
    }
}

/// The ToUnicode CMap: each glyph number of the subset and the characters it stands for.
fn to_unicode_cmap(text: &BTreeMap<u16, String>) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &String)> = text.iter().collect();
    // At most 100 entries to a section, as the CMap format asks.
    for chunk in entries.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (gid, chars) in chunk {
            let _ = write!(cmap, "<{gid:04X}> <");
            for unit in chars.encode_utf16() {
                let _ = write!(cmap, "{unit:04X}");
            }
            cmap.push_str(">\n");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A font with CFF outlines (an OpenType .otf) is embedded as FontFile3 and reads back.
    /// Nimbus Sans comes with fonts-urw-base35, which scripts/lib.sh installs for the tests.
    #[test]
    fn a_cff_font_is_embedded_as_opentype_and_its_text_reads_back() {
        let path = "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf";
        let data = std::fs::read(path).unwrap_or_else(|e| panic!("{path} (package fonts-urw-base35): {e}"));
        let data: &'static [u8] = Box::leak(data.into_boxed_slice());
        let file: &'static FontFile = Box::leak(Box::new(FontFile::new(data, 0, "Nimbus Sans".into()).unwrap()));
        let mut fonts = FontSet::default();
        let (index, name) = fonts.select(file, |_| "RRXAAA".to_owned());
        let name = name.to_owned();
        let glyphs: Vec<String> = "Cff ok"
            .chars()
            .map(|c| format!("{:04X}", fonts.glyph(index, file.glyph(c).unwrap_or(0), &c.to_string())))
            .collect();
        let mut pdf = PdfFile::new(595.0, 842.0);
        pdf.page(format!("BT /{name} 12 Tf 1 0 0 1 72 700 Tm <{}> Tj ET", glyphs.concat()).as_bytes()).unwrap();
        let meta = Metadata { title: "CFF", author: "", subject: "", date: chrono::NaiveDate::MIN };
        let bytes = pdf.finish(fonts, &meta).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("cff.pdf");
        std::fs::write(&out, &bytes).unwrap();
        let run = |tool: &str, after: &[&str]| {
            let o = std::process::Command::new(tool).arg(&out).args(after).output().unwrap();
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
        };
        let listed = run("pdffonts", &[]);
        let line = listed.lines().find(|l| l.contains("NimbusSans")).unwrap_or_else(|| panic!("{listed}"));
        assert!(line.starts_with("RRXAAA+") && line.contains("CID Type 0C"), "{line}");
        assert!(line.contains("yes yes yes"), "embedded, subset, mapped to Unicode: {line}");
        let text = run("pdftotext", &["-"]);
        assert!(text.contains("Cff ok"), "{text}");
        assert!(!text.contains("Syntax Error"), "{text}");
    }

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(1.23456), "1.235");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(f32::NAN), "0");
    }

    #[test]
    fn text_strings_are_utf16_with_a_byte_order_mark() {
        assert_eq!(text_string("Aé"), "<FEFF004100E9>");
        assert_eq!(text_string("🔥"), "<FEFFD83DDD25>");
    }

    #[test]
    fn the_unicode_map_splits_into_sections_of_a_hundred() {
        let text: BTreeMap<u16, String> = (1..=150u16).map(|g| (g, "a".to_owned())).collect();
        let cmap = to_unicode_cmap(&text);
        assert!(cmap.contains("100 beginbfchar") && cmap.contains("50 beginbfchar"), "{cmap}");
        assert!(cmap.contains("<0001> <0061>"), "{cmap}");
    }
}
