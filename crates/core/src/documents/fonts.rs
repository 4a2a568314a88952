//! The fonts a document is set in, and how a line of text becomes glyphs.
//!
//! - Text is set in the embedded DejaVu Sans. A character it lacks (Chinese, Devanagari, an
//!   emoji) comes from a fallback font found on the system: the folders fontconfig names on
//!   Linux, the platform's font folders elsewhere (through `fontdb`). The fallback is chosen by
//!   a fixed order (family, weight, path), never by the order the folders were read, so the
//!   same fonts give the same document.
//! - A line that only needs DejaVu's own glyphs left to right is drawn as text, as before.
//!   Any other line is ordered with the Unicode bidi algorithm (right-to-left runs such as
//!   Arabic and Hebrew), split into runs of one font, shaped with rustybuzz (Arabic joining,
//!   Indic clusters, marks) and drawn glyph by glyph, inside a span whose /ActualText is the
//!   line in logical order, so copying and searching give back what was written.
//! - A character no font here has is not drawn as a silent box: the page says which (see
//!   `pdf.rs`).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use rustybuzz::{Direction, UnicodeBuffer};
use unicode_bidi::{Level, ParagraphBidiInfo};

/// One font face: the embedded DejaVu Sans (regular or bold) or a fallback from the system.
pub(super) struct FontFile {
    /// Family and path, for messages.
    pub name: String,
    /// The resource name of the embedded faces; fallbacks get theirs per document, in order
    /// of first use.
    pub fixed_id: Option<&'static str>,
    /// Where the face sits in the fallback order (for a stable resource order); embedded: 0.
    pub rank: usize,
    data: &'static [u8],
    index: u32,
    shaper: rustybuzz::Face<'static>,
    units_per_em: f32,
}

/// One glyph of a shaped run, in em of the run's font.
pub(super) struct Glyph {
    pub gid: u16,
    /// The characters it stands for (the whole cluster), for the PDF's ToUnicode map.
    pub text: String,
    pub x: f32,
    pub y: f32,
}

/// A run of glyphs from one font, placed from the start of the line (in em).
pub(super) struct GlyphRun {
    pub font: &'static FontFile,
    pub glyphs: Vec<Glyph>,
}

impl FontFile {
    pub fn new(data: &'static [u8], index: u32, name: String) -> Result<FontFile, String> {
        let shaper =
            rustybuzz::Face::from_slice(data, index).ok_or_else(|| format!("the font {name} could not be read"))?;
        let units_per_em = shaper.units_per_em() as f32;
        if units_per_em <= 0.0 {
            return Err(format!("the font {name} has no units per em"));
        }
        Ok(FontFile { name, fixed_id: None, rank: 0, data, index, shaper, units_per_em })
    }

    /// The font file's bytes and its index in a collection, as the PDF embeds a subset of it.
    pub fn program(&self) -> (&'static [u8], u32) {
        (self.data, self.index)
    }

    /// The face's tables (metrics and names for the PDF's font descriptor).
    pub fn tables(&self) -> &rustybuzz::ttf_parser::Face<'static> {
        &self.shaper
    }

    /// The glyph the face draws `c` with, when it has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.shaper.glyph_index(c).map(|g| g.0).filter(|&g| g != 0)
    }

    /// Advance of glyph `gid` in em.
    pub fn glyph_advance(&self, gid: u16) -> f32 {
        f32::from(self.shaper.glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid)).unwrap_or(0)) / self.units_per_em
    }

    /// Whether the face has a glyph for `c`.
    pub fn has(&self, c: char) -> bool {
        self.shaper.glyph_index(c).is_some_and(|g| g.0 != 0)
    }

    /// Advance of `c` in em, or None when the face lacks it.
    pub fn advance(&self, c: char) -> Option<f32> {
        let gid = self.shaper.glyph_index(c).filter(|g| g.0 != 0)?;
        Some(f32::from(self.shaper.glyph_hor_advance(gid).unwrap_or(0)) / self.units_per_em)
    }

    /// `text` shaped in this face, in visual order; advances and offsets in em.
    fn shape(&self, text: &str, rtl: Option<bool>) -> (Vec<Glyph>, f32) {
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        match rtl {
            Some(true) => buffer.set_direction(Direction::RightToLeft),
            Some(false) => buffer.set_direction(Direction::LeftToRight),
            None => {}
        }
        let shaped = rustybuzz::shape(&self.shaper, &[], buffer);
        let infos = shaped.glyph_infos();
        let positions = shaped.glyph_positions();
        // Cluster starts, to hand each glyph the characters it stands for.
        let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let mut x = 0.0;
        let mut glyphs = Vec::with_capacity(infos.len());
        for (info, pos) in infos.iter().zip(positions) {
            let start = info.cluster as usize;
            let end = starts.iter().copied().find(|&s| s > start).unwrap_or(text.len());
            let cluster = text.get(start..end).unwrap_or_default().to_owned();
            let em = |v: i32| v as f32 / self.units_per_em;
            glyphs.push(Glyph {
                gid: u16::try_from(info.glyph_id).unwrap_or(0),
                text: cluster,
                x: x + em(pos.x_offset),
                y: em(pos.y_offset),
            });
            x += em(pos.x_advance);
        }
        (glyphs, x)
    }
}

/// Characters that need more than one glyph per character left to right: right-to-left and
/// joining scripts, Indic and South-East Asian scripts, combining marks, joiners, variation
/// selectors and directional formatting characters.
pub(super) fn is_complex(c: char) -> bool {
    matches!(u32::from(c),
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x08FF | 0x0900..=0x0DFF | 0x0E00..=0x109F
        | 0x1780..=0x18AF | 0x1A00..=0x1AFF | 0x1B00..=0x1CFF | 0x1DC0..=0x1DFF | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2066..=0x2069 | 0x20D0..=0x20FF | 0xA800..=0xABFF | 0xFB1D..=0xFDFF
        | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F | 0xFE70..=0xFEFF | 0x10A00..=0x10FFF | 0x11000..=0x11FFF
        | 0x1E900..=0x1E95F | 0xE0100..=0xE01EF)
}

/// Characters that draw nothing of their own: joiners, directional marks and isolates,
/// variation selectors, the byte order mark, the soft hyphen. They are never "missing".
pub(super) fn is_invisible(c: char) -> bool {
    matches!(u32::from(c),
        0x00AD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFE00..=0xFE0F | 0xFEFF
        | 0xE0100..=0xE01EF)
}

/// A style's fonts: its embedded face first, then the system's fallbacks.
pub(super) struct Stack {
    pub primary: &'static FontFile,
    bold: bool,
}

impl Stack {
    pub fn new(primary: &'static FontFile, bold: bool) -> Stack {
        Stack { primary, bold }
    }

    /// The face that draws `c`: the embedded one, else the first fallback that has it.
    pub fn face_for(&self, c: char) -> Option<&'static FontFile> {
        if self.primary.has(c) {
            return Some(self.primary);
        }
        fallbacks().for_char(c, self.bold)
    }

    /// Whether `c` is drawn as plain text in the embedded face, left to right.
    pub fn is_simple_char(&self, c: char) -> bool {
        !is_complex(c) && self.primary.has(c)
    }

    /// `text` split into runs of one face, in logical order. A character no face has goes to
    /// the embedded face (the caller has replaced those already).
    fn font_runs<'t>(&self, text: &'t str) -> Vec<(&'static FontFile, &'t str)> {
        let mut runs: Vec<(&'static FontFile, &'t str)> = Vec::new();
        let mut current: Option<(&'static FontFile, usize)> = None;
        for (at, c) in text.char_indices() {
            // Marks and joiners stay with their base; anything else the embedded face has is
            // set in it (the Latin after an emoji is not set in the emoji's font).
            let face = match current {
                Some((face, _)) if is_invisible(c) || is_mark(c) => face,
                Some((face, _)) if !self.primary.has(c) && face.has(c) => face,
                _ => self.face_for(c).unwrap_or(self.primary),
            };
            match current {
                Some((same, _)) if std::ptr::eq(same, face) => {}
                Some((previous, start)) => {
                    runs.push((previous, &text[start..at]));
                    current = Some((face, at));
                }
                None => current = Some((face, at)),
            }
        }
        if let Some((face, start)) = current {
            runs.push((face, &text[start..]));
        }
        runs
    }

    /// Width of `text` in em, shaped.
    pub fn shaped_width(&self, text: &str) -> f32 {
        self.font_runs(text).into_iter().map(|(face, run)| face.shape(run, None).1).sum()
    }

    /// The line as glyph runs in visual order, each glyph placed from the start of the line.
    pub fn visual(&self, line: &str) -> Vec<BidiRun> {
        let bidi = ParagraphBidiInfo::new(line, Some(Level::ltr()));
        let (levels, ranges) = bidi.visual_runs(0..line.len());
        let mut out = Vec::with_capacity(ranges.len());
        let mut x = 0.0;
        for range in ranges {
            let rtl = levels.get(range.start).is_some_and(|l| l.is_rtl());
            let text = &line[range];
            let mut pieces = self.font_runs(text);
            if rtl {
                pieces.reverse();
            }
            let mut runs: Vec<GlyphRun> = Vec::new();
            for (face, piece) in pieces {
                let (glyphs, width) = face.shape(piece, Some(rtl));
                let start = x;
                let glyphs = glyphs.into_iter().map(|g| Glyph {
                    x: g.x + start,
                    // Readers put a right-to-left run back in logical order by reversing
                    // what they read from its glyphs, a ligature's letters included.
                    text: if rtl { g.text.chars().rev().collect() } else { g.text },
                    ..g
                });
                x += width;
                match runs.last_mut() {
                    Some(last) if std::ptr::eq(last.font, face) => last.glyphs.extend(glyphs),
                    _ => runs.push(GlyphRun { font: face, glyphs: glyphs.collect() }),
                }
            }
            // Left to right, the glyphs of a cluster may be drawn out of order (a Devanagari
            // vowel sign before its consonant): the span names the run as written.
            let actual_text = (!rtl).then(|| text.to_owned());
            out.push(BidiRun { actual_text, runs });
        }
        out
    }
}

/// A run of one direction of a line, in visual order.
pub(super) struct BidiRun {
    /// The text as written, for an /ActualText span around the run (left-to-right runs).
    /// Right-to-left runs are read from their glyphs, which readers reverse.
    pub actual_text: Option<String>,
    pub runs: Vec<GlyphRun>,
}

/// Combining marks, drawn on the character before them.
fn is_mark(c: char) -> bool {
    matches!(u32::from(c), 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

// ---------------------------------------------------------------------------------------
// Fallback fonts from the system

struct Candidate {
    id: fontdb::ID,
    family: String,
    weight: u16,
    path: String,
    index: u32,
}

struct Fallbacks {
    db: fontdb::Database,
    /// In the order they are tried.
    candidates: Vec<Candidate>,
    /// Which candidate draws a character, by style (bold or not); None when none does.
    chosen: Mutex<HashMap<(char, bool), Option<usize>>>,
    loaded: Vec<OnceLock<Option<&'static FontFile>>>,
}

/// The system's fonts, read once per process, on the first character DejaVu lacks.
fn fallbacks() -> &'static Fallbacks {
    static FALLBACKS: OnceLock<Fallbacks> = OnceLock::new();
    FALLBACKS.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        Fallbacks::new(db)
    })
}

/// Sans families first (Noto Sans, then DejaVu), serif ones last: the documents are set in a
/// sans.
fn family_rank(family: &str) -> u8 {
    if family.starts_with("Noto Sans") {
        0
    } else if family.starts_with("DejaVu Sans") {
        1
    } else if family.contains("Serif") || family.contains("Mono") {
        3
    } else {
        2
    }
}

impl Fallbacks {
    fn new(db: fontdb::Database) -> Fallbacks {
        let mut candidates: Vec<Candidate> = db
            .faces()
            .filter(|f| f.style == fontdb::Style::Normal && !f.monospaced)
            .filter(|f| {
                // Outlines a PDF can embed (TrueType or CFF); colour bitmap fonts draw nothing.
                db.with_face_data(f.id, |data, index| {
                    ttf_parser_face(data, index).is_some_and(|t| t.tables().glyf.is_some() || t.tables().cff.is_some())
                })
                .unwrap_or(false)
            })
            .map(|f| Candidate {
                id: f.id,
                family: f.families.first().map(|(name, _)| name.clone()).unwrap_or_default(),
                weight: f.weight.0,
                path: match &f.source {
                    fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => path.display().to_string(),
                    fontdb::Source::Binary(_) => String::new(),
                },
                index: f.index,
            })
            .collect();
        candidates.sort_by(|a, b| {
            (family_rank(&a.family), &a.family, a.weight, &a.path, a.index).cmp(&(
                family_rank(&b.family),
                &b.family,
                b.weight,
                &b.path,
                b.index,
            ))
        });
        let loaded = candidates.iter().map(|_| OnceLock::new()).collect();
        Fallbacks { db, candidates, chosen: Mutex::new(HashMap::new()), loaded }
    }

    fn covers(&self, candidate: &Candidate, c: char) -> bool {
        self.db
            .with_face_data(candidate.id, |data, index| {
                ttf_parser_face(data, index).and_then(|f| f.glyph_index(c)).is_some_and(|g| g.0 != 0)
            })
            .unwrap_or(false)
    }

    /// The fallback that draws `c`: of those that have it, the first family in order, and in
    /// it the weight nearest the style's.
    fn for_char(&self, c: char, bold: bool) -> Option<&'static FontFile> {
        let key = (c, bold);
        let known = self.chosen.lock().ok().and_then(|m| m.get(&key).copied());
        let choice = match known {
            Some(choice) => choice,
            None => {
                let want: i32 = if bold { 700 } else { 400 };
                let mut best: Option<(usize, (u8, &str, i32))> = None;
                for (i, candidate) in self.candidates.iter().enumerate() {
                    let rank = (family_rank(&candidate.family), candidate.family.as_str(), 0);
                    if best.as_ref().is_some_and(|(_, b)| (b.0, b.1) < (rank.0, rank.1)) {
                        break;
                    }
                    if !self.covers(candidate, c) {
                        continue;
                    }
                    let rank = (rank.0, rank.1, (i32::from(candidate.weight) - want).abs());
                    if best.as_ref().is_none_or(|(_, b)| rank < *b) {
                        best = Some((i, rank));
                    }
                }
                let choice = best.map(|(i, _)| i);
                if let Ok(mut map) = self.chosen.lock() {
                    map.insert(key, choice);
                }
                choice
            }
        };
        self.load(choice?)
    }

    /// The candidate as a font file, read once per process.
    fn load(&self, i: usize) -> Option<&'static FontFile> {
        let candidate = self.candidates.get(i)?;
        *self.loaded.get(i)?.get_or_init(|| {
            let data = self.db.with_face_data(candidate.id, |data, _| data.to_vec())?;
            // Kept for the life of the process, as the embedded fonts are.
            let data: &'static [u8] = Box::leak(data.into_boxed_slice());
            let name = format!("{} ({})", candidate.family, candidate.path);
            let mut file = FontFile::new(data, candidate.index, name).ok()?;
            file.rank = i + 1;
            Some(&*Box::leak(Box::new(file)))
        })
    }
}

fn ttf_parser_face(data: &[u8], index: u32) -> Option<rustybuzz::ttf_parser::Face<'_>> {
    rustybuzz::ttf_parser::Face::parse(data, index).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regular() -> Stack {
        let data: &'static [u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
        Stack::new(Box::leak(Box::new(FontFile::new(data, 0, "DejaVu Sans".into()).unwrap())), false)
    }

    fn glyphs(runs: &[BidiRun]) -> Vec<(u16, String, f32)> {
        runs.iter().flat_map(|b| &b.runs).flat_map(|r| &r.glyphs).map(|g| (g.gid, g.text.clone(), g.x)).collect()
    }

    #[test]
    fn arabic_is_joined_and_laid_right_to_left() {
        let stack = regular();
        let runs = stack.visual("شركة");
        let drawn = glyphs(&runs);
        let isolated: Vec<u16> =
            "شركة".chars().map(|c| stack.primary.shaper.glyph_index(c).map(|g| g.0).unwrap()).collect();
        assert_eq!(drawn.len(), 4);
        // Drawn right to left: the last letter (teh marbuta) leftmost, in its final form.
        assert_eq!(drawn[0].1, "ة");
        assert_eq!(drawn[3].1, "ش");
        assert!(drawn.windows(2).all(|w| w[0].2 < w[1].2), "placed left to right on the page: {drawn:?}");
        let in_order: Vec<u16> = drawn.iter().rev().map(|g| g.0).collect();
        assert!(in_order.iter().zip(&isolated).all(|(a, b)| a != b), "every letter takes a joining form");
        assert!(runs.iter().all(|r| r.actual_text.is_none()), "readers reverse a right-to-left run themselves");
    }

    #[test]
    fn a_right_to_left_run_sits_between_left_to_right_ones() {
        let stack = regular();
        let runs = stack.visual("ab שלום cd");
        let text: String = glyphs(&runs).iter().map(|g| g.1.clone()).collect();
        assert_eq!(text, "ab םולש cd", "the Hebrew word is drawn reversed, the Latin around it as written");
        assert_eq!(runs.iter().filter_map(|r| r.actual_text.as_deref()).collect::<Vec<_>>(), ["ab ", " cd"]);
    }

    #[test]
    fn marks_and_joiners_are_never_missing_and_are_complex() {
        assert!(is_invisible('\u{200D}') && is_invisible('\u{FE0F}') && is_invisible('\u{202B}'));
        assert!(!is_invisible('a') && !is_invisible('王'));
        assert!(is_complex('\u{0301}') && is_complex('ש') && is_complex('न'));
        assert!(!is_complex('é') && !is_complex('王') && !is_complex('→'));
        let simple = |text: &str| text.chars().all(|c| regular().is_simple_char(c));
        assert!(simple("Zoë Ångström → café") && !simple("王") && !simple("שלום"));
    }
}
