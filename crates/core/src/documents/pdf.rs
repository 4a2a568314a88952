//! PDF documents: a small block layout (titles, paragraphs, lists, tables, a risk matrix) that
//! reports fill in and [`render`] turns into a PDF.
//!
//! - Text is set in DejaVu Sans (regular and bold), embedded as subsets, so it is selectable
//!   and searchable, accents and arrows included. Lines are wrapped by the fonts' own advance
//!   widths; a word longer than a line is broken.
//! - Layout runs twice, in points: once to count the pages, so that "Page N of M" is known,
//!   then to draw them, each page written to the file as soon as it is laid out
//!   (`pdf_file.rs`). Memory stays that of one page however long the document.
//! - The output is a pure function of the input: the dates come from [`DocInfo::date`], the
//!   font resource names are fixed and the trailer `/ID` is a SHA-256 of the file.

use std::sync::OnceLock;

use super::fonts::{is_complex, is_invisible, BidiRun, FontFile, Stack};

use std::fmt::Write as _;

use super::pdf_file::{num, FontSet, Metadata, PdfFile};
use crate::error::{Error, Result};

/// Paper sizes, in millimetres (width, height), portrait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }

    /// Width and height in points (1/72 inch).
    fn size_pt(self) -> (f32, f32) {
        let (w, h) = self.size_mm();
        (mm(w), mm(h))
    }
}

/// The document's metadata; `date` is both its creation and modification date.
#[derive(Debug, Clone, PartialEq)]
pub struct DocInfo {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub date: chrono::NaiveDate,
}

/// One piece of a document, laid out top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Large and bold; the document's title.
    Title(String),
    Subtitle(String),
    /// Bold; kept on the same page as the start of the block after it.
    Heading(String),
    /// Bold, smaller; kept with the next block like a heading.
    Subheading(String),
    /// Wrapped to the text width; `\n` starts a new line.
    Paragraph(String),
    /// A bulleted list; each item wraps with a hanging indent.
    Bullets(Vec<String>),
    /// A numbered list (1., 2., …), laid out as the bulleted one.
    Numbered(Vec<String>),
    /// A two-column label / value list; both columns wrap.
    KeyValues(Vec<(String, String)>),
    /// A table with a shaded, bold header row that repeats on every page the table spans.
    /// Every row must have one cell per column.
    Table {
        columns: Vec<Column>,
        rows: Vec<Vec<String>>,
    },
    /// A coloured grid such as the 5 x 5 risk heatmap, kept on one page.
    Matrix(Matrix),
    /// A tinted box with a bar in the tone's colour: a bold `title` (the verdict, in words)
    /// and wrapped `text`, kept on one page.
    Callout {
        tone: Tone,
        title: String,
        text: String,
    },
    /// Vertical space, in millimetres.
    Spacer(f32),
    /// Starts a new page (nothing happens at the top of a page).
    PageBreak,
}

impl Block {
    /// A table with these column `headers`, each with its share of the width in `widths`.
    pub fn table(headers: &[&str], widths: &[f32], rows: Vec<Vec<String>>) -> Block {
        debug_assert_eq!(headers.len(), widths.len(), "one width per column");
        let columns = headers.iter().zip(widths).map(|(h, w)| Column::new(h, *w)).collect();
        Block::Table { columns, rows }
    }

    /// [`Block::table`] whose columns `chips` (by index) show a known verdict word as a
    /// coloured, labelled chip (see [`Tone::of`]).
    pub fn table_with_chips(headers: &[&str], widths: &[f32], chips: &[usize], rows: Vec<Vec<String>>) -> Block {
        let columns = headers
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (h, w))| Column { chips: chips.contains(&i), ..Column::new(h, *w) })
            .collect();
        Block::Table { columns, rows }
    }

    /// [`Block::table`], or the paragraph `empty` when there are no rows.
    pub fn table_or(empty: &str, headers: &[&str], widths: &[f32], rows: Vec<Vec<String>>) -> Block {
        if rows.is_empty() {
            Block::Paragraph(empty.into())
        } else {
            Block::table(headers, widths, rows)
        }
    }
}

/// A value as a table cell shows it, or a dash when there is none.
pub fn or_dash(value: Option<impl ToString>) -> String {
    value.map(|v| v.to_string()).unwrap_or_else(|| "—".into())
}

/// A table column: its header and its share of the text width. Shares are normalised, so
/// `[1.0, 3.0]` and `[0.25, 0.75]` mean the same.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub width: f32,
    /// Cells holding a verdict word are drawn as chips in its tone's colour.
    pub chips: bool,
}

impl Column {
    pub fn new(header: &str, width: f32) -> Column {
        Column { header: header.into(), width, chips: false }
    }
}

/// What a verdict means, as a colour that always comes with its word (colour is never the
/// only signal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Warning,
    Bad,
    Neutral,
}

impl Tone {
    /// The tone of a verdict word as the documents write it ("Pass", "Due soon", "Fail"…).
    pub fn of(word: &str) -> Option<Tone> {
        match word {
            "Pass" | "Covered" | "Met" => Some(Tone::Good),
            "Due soon" | "Partly covered" => Some(Tone::Warning),
            "Fail" | "Failing" | "Overdue" | "Not covered" | "Missed" => Some(Tone::Bad),
            "Not applicable" => Some(Tone::Neutral),
            _ => None,
        }
    }

    fn color(self) -> Rgb8 {
        match self {
            Tone::Good => (27, 110, 56),
            Tone::Warning => (156, 92, 0),
            Tone::Bad => (176, 32, 32),
            Tone::Neutral => (95, 99, 104),
        }
    }

    /// The tone's colour at about a tenth of its strength, for a background.
    fn tint(self) -> Rgb8 {
        let (r, g, b) = self.color();
        let mix = |c: u8| (255.0 - (255.0 - f32::from(c)) * 0.12) as u8;
        (mix(r), mix(g), mix(b))
    }
}

/// A grid of coloured cells with row labels on the left (top row first), column labels
/// under the grid and an axis title for each direction.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub title: String,
    pub row_labels: Vec<String>,
    pub col_labels: Vec<String>,
    /// `cells[row][col]`; one row per row label, one cell per column label.
    pub cells: Vec<Vec<MatrixCell>>,
    pub x_axis: String,
    pub y_axis: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MatrixCell {
    pub text: String,
    /// Fill colour, RGB 0-255. The text is dark or white, whichever reads better on it.
    pub fill: (u8, u8, u8),
}

/// Lays out `blocks` on `paper`, with `footer` and "Page N of M" at the foot of every page,
/// and returns the PDF file's bytes. The same input always gives the same bytes.
pub fn render(info: &DocInfo, paper: Paper, footer: &str, blocks: &[Block]) -> Result<Vec<u8>> {
    let fonts = fonts()?;
    let mut total = 0;
    lay_out(fonts, paper, blocks, &mut |_| total += 1)?;

    let (width, height) = paper.size_pt();
    let mut file = PdfFile::new(width, height);
    let mut font_set = FontSet::default();
    let mut number = 0;
    let mut written = Ok(());
    lay_out(fonts, paper, blocks, &mut |mut page| {
        number += 1;
        add_footer(fonts, paper, &mut page, footer, number, total);
        let content = page_content(&page, height, fonts, &mut font_set);
        if written.is_ok() {
            written = file.page(&content);
        }
    })?;
    written?;
    let (title, author, subject) = (plain(&info.title), plain(&info.author), plain(&info.subject));
    file.finish(font_set, &Metadata { title: &title, author: &author, subject: &subject, date: info.date })
}

/// Lays out `blocks`, handing each page to `sink` as soon as it is full.
fn lay_out(fonts: &Fonts, paper: Paper, blocks: &[Block], sink: &mut dyn FnMut(PageContent)) -> Result<()> {
    let mut layout = Layout::new(fonts, paper, sink);
    for (index, block) in blocks.iter().enumerate() {
        layout.block(blocks, index, block)?;
    }
    layout.finish();
    Ok(())
}

/// Metadata as plain text: control characters (an escape or a bell pasted into a name) never
/// reach it; a tab or a line break becomes a space.
fn plain(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Fonts and measuring

const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Resource names of the two fonts. Their first six letters become the subset tag
/// ("RRSANS+DejaVuSans"), which the PDF spec wants as six uppercase letters.
const REGULAR_ID: &str = "RRSANS";
const BOLD_ID: &str = "RRBOLD";

/// Advances of the first code points are looked up once; others on demand.
const CACHED_CHARS: usize = 0x300;

/// A style's fonts (the embedded face, then the system's fallbacks) and how text measures
/// and wraps in them.
struct Face {
    stack: Stack,
    /// Advance widths in em for U+0000..CACHED_CHARS in the embedded face; negative when it
    /// lacks the glyph.
    cached: Vec<f32>,
    /// What stands in for a character no font here has.
    replacement: char,
}

impl Face {
    fn load(bytes: &'static [u8], name: &str, id: &'static str, bold: bool) -> std::result::Result<Face, String> {
        let mut file = FontFile::new(bytes, 0, format!("the embedded font {name}"))?;
        file.fixed_id = Some(id);
        let file: &'static FontFile = Box::leak(Box::new(file));
        let cached = (0..CACHED_CHARS as u32)
            .map(|cp| char::from_u32(cp).and_then(|c| file.advance(c)).unwrap_or(-1.0))
            .collect();
        let replacement = if file.has('\u{FFFD}') { '\u{FFFD}' } else { '?' };
        if !file.has(replacement) {
            return Err(format!("the embedded font {name} has no glyph for '?'"));
        }
        Ok(Face { stack: Stack::new(file, bold), cached, replacement })
    }

    /// Advance in em, or None when no font here has a glyph for `c`.
    fn advance(&self, c: char) -> Option<f32> {
        match self.cached.get(c as usize) {
            Some(&w) if w >= 0.0 => Some(w),
            Some(_) if c.is_ascii() => None,
            _ => self.stack.face_for(c).and_then(|f| f.advance(c)),
        }
    }

    /// Whether `text` is drawn as plain text in the embedded face, left to right.
    fn is_simple(&self, text: &str) -> bool {
        text.chars().all(|c| match self.cached.get(c as usize) {
            Some(&w) => w >= 0.0 && !is_complex(c),
            None => self.stack.is_simple_char(c),
        })
    }

    /// Advance in em of `c` as drawn: a character no font has takes the replacement's.
    fn drawn_advance(&self, c: char) -> f32 {
        if is_invisible(c) {
            return 0.0;
        }
        self.advance(c).or_else(|| self.advance(self.replacement)).unwrap_or(0.0)
    }

    /// Width of already-cleaned text at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        if text.chars().any(is_complex) {
            let (text, _) = self.printable(text);
            return self.stack.shaped_width(&text) * size;
        }
        text.chars().map(|c| self.drawn_advance(c)).sum::<f32>() * size
    }

    /// The text as it will be laid out: tabs become spaces and other control characters go.
    /// Keeps `\n`. Characters the font lacks stay (measured as the replacement character) until
    /// the text is placed on its page, which then says which ones it could not print.
    fn clean(&self, text: &str) -> String {
        text.chars()
            .filter_map(|c| match c {
                '\n' => Some('\n'),
                '\t' => Some(' '),
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect()
    }

    /// `text` with each character no font here has replaced, and those characters.
    fn printable(&self, text: &str) -> (String, Vec<char>) {
        let mut missing = Vec::new();
        let out = text
            .chars()
            .map(|c| {
                if is_invisible(c) || self.advance(c).is_some() {
                    c
                } else {
                    missing.push(c);
                    self.replacement
                }
            })
            .collect();
        (out, missing)
    }

    /// Splits `text` into lines no wider than `max_width`. Each `\n` starts a line (an empty
    /// line stays); runs of spaces collapse; words wider than a line are broken.
    fn wrap(&self, text: &str, size: f32, max_width: f32) -> Vec<String> {
        let text = self.clean(text);
        let space = self.width(" ", size);
        let mut lines = Vec::new();
        for hard_line in text.split('\n') {
            let mut line = String::new();
            let mut line_width = 0.0;
            for word in hard_line.split(' ').filter(|w| !w.is_empty()) {
                let word_width = self.width(word, size);
                if !line.is_empty() && line_width + space + word_width <= max_width {
                    line.push(' ');
                    line.push_str(word);
                    line_width += space + word_width;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if word_width <= max_width {
                    line = word.to_owned();
                    line_width = word_width;
                } else {
                    // At the hyphens of a compound word first ("follow-up"); a piece still
                    // wider than the line (a long address) is broken between characters.
                    let mut pieces = Vec::new();
                    let mut piece = String::new();
                    for part in hyphen_parts(word) {
                        if !piece.is_empty() && self.width(&piece, size) + self.width(part, size) > max_width {
                            pieces.push(std::mem::take(&mut piece));
                        }
                        piece.push_str(part);
                    }
                    pieces.push(piece);
                    let mut pieces: Vec<String> = pieces
                        .into_iter()
                        .flat_map(|p| {
                            if self.width(&p, size) <= max_width {
                                vec![p]
                            } else {
                                self.break_word(&p, size, max_width)
                            }
                        })
                        .collect();
                    let last = pieces.pop().unwrap_or_default();
                    line_width = self.width(&last, size);
                    line = last;
                    lines.extend(pieces);
                }
            }
            lines.push(line);
        }
        lines
    }

    /// The width of the widest piece of `text` that wrapping never breaks: a word, or a part of
    /// a compound word between its hyphens. Dates and references ("2026-08-27", "ACT-0001")
    /// are one piece.
    fn unbreakable(&self, text: &str, size: f32) -> f32 {
        self.clean(text).split([' ', '\n']).flat_map(hyphen_parts).map(|p| self.width(p, size)).fold(0.0, f32::max)
    }

    /// Breaks one word into pieces no wider than `max_width` (at least one character each).
    fn break_word(&self, word: &str, size: f32, max_width: f32) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut piece = String::new();
        let mut width = 0.0;
        for c in word.chars() {
            let w = self.drawn_advance(c) * size;
            if !piece.is_empty() && width + w > max_width {
                pieces.push(std::mem::take(&mut piece));
                width = 0.0;
            }
            piece.push(c);
            width += w;
        }
        pieces.push(piece);
        pieces
    }

    /// One line of text, cut with an ellipsis when wider than `max_width`.
    fn fit(&self, text: &str, size: f32, max_width: f32) -> String {
        let text: String = self.clean(text).chars().map(|c| if c == '\n' { ' ' } else { c }).collect();
        if self.width(&text, size) <= max_width {
            return text;
        }
        self.ellipsize(&text, size, max_width)
    }

    /// Cleaned `text` shortened so that it and a trailing ellipsis fit in `max_width`.
    fn ellipsize(&self, text: &str, size: f32, max_width: f32) -> String {
        let ellipsis = if self.advance('\u{2026}').is_some() { '\u{2026}' } else { '.' };
        let budget = max_width - self.advance(ellipsis).unwrap_or(0.0) * size;
        let mut out = String::new();
        let mut width = 0.0;
        for c in text.chars() {
            let w = self.drawn_advance(c) * size;
            if width + w > budget {
                break;
            }
            out.push(c);
            width += w;
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push(ellipsis);
        out
    }
}

struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    fn face(&self, bold: bool) -> &Face {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }
}

/// The fonts are parsed once per process; they are constant data.
fn fonts() -> Result<&'static Fonts> {
    static FONTS: OnceLock<std::result::Result<Fonts, String>> = OnceLock::new();
    let loaded = FONTS.get_or_init(|| {
        Ok(Fonts {
            regular: Face::load(REGULAR_TTF, "DejaVu Sans", REGULAR_ID, false)?,
            bold: Face::load(BOLD_TTF, "DejaVu Sans Bold", BOLD_ID, true)?,
        })
    });
    loaded.as_ref().map_err(|message| Error::internal(format!("PDF: {message}")))
}

// ---------------------------------------------------------------------------------------
// Layout: blocks become positioned text and shapes, page by page. Coordinates are points
// from the top left of the page; `y` of a text is its baseline.

/// Points per millimetre.
fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

type Rgb8 = (u8, u8, u8);

const TEXT: Rgb8 = (26, 26, 26);
const MUTED: Rgb8 = (95, 99, 104);
const ACCENT: Rgb8 = (22, 52, 88);
const RULE: Rgb8 = (160, 160, 160);
const HEADER_FILL: Rgb8 = (228, 231, 235);
const WHITE: Rgb8 = (255, 255, 255);

const BODY: f32 = 10.0;
const BODY_LEADING: f32 = 14.0;
const TABLE_SIZE: f32 = 9.0;
const TABLE_LEADING: f32 = 12.0;
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 3.0;
const FOOTER_SIZE: f32 = 8.0;
/// Columns narrower than this (points) are widened at their neighbours' expense.
const MIN_COLUMN: f32 = 28.0;

struct TextRun {
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    color: Rgb8,
    text: String,
    /// Drawn bottom to top (the matrix's vertical axis title).
    vertical: bool,
    /// The line as shaped glyphs, when it is not plain left-to-right text in the embedded
    /// face (see `fonts.rs`).
    glyphs: Option<Vec<BidiRun>>,
}

impl TextRun {
    /// A line of `text` at `x`, `y` in `style`, with what no font here can print replaced;
    /// returns those characters too.
    fn new(face: &Face, x: f32, y: f32, style: Style, text: &str, vertical: bool) -> (TextRun, Vec<char>) {
        let (text, missing) = face.printable(text);
        let glyphs = (!face.is_simple(&text)).then(|| face.stack.visual(&text));
        let run = TextRun { x, y, size: style.size, bold: style.bold, color: style.color, text, vertical, glyphs };
        (run, missing)
    }
}

enum Shape {
    Fill { x: f32, y: f32, w: f32, h: f32, color: Rgb8 },
    Stroke { x: f32, y: f32, w: f32, h: f32, color: Rgb8, width: f32 },
    Line { x1: f32, y1: f32, x2: f32, y2: f32, color: Rgb8, width: f32 },
}

#[derive(Default)]
struct PageContent {
    shapes: Vec<Shape>,
    texts: Vec<TextRun>,
    /// Characters on the page that no font here can print (drawn as the replacement).
    missing: std::collections::BTreeSet<char>,
}

/// How a run of wrapped text looks.
#[derive(Clone, Copy)]
struct Style {
    size: f32,
    leading: f32,
    bold: bool,
    color: Rgb8,
}

impl Style {
    const fn new(size: f32, leading: f32, bold: bool, color: Rgb8) -> Self {
        Style { size, leading, bold, color }
    }
}

const TITLE: Style = Style::new(22.0, 28.0, true, ACCENT);
const SUBTITLE: Style = Style::new(13.0, 18.0, false, MUTED);
const HEADING: Style = Style::new(15.0, 20.0, true, ACCENT);
const SUBHEADING: Style = Style::new(12.0, 16.0, true, TEXT);
const PARAGRAPH: Style = Style::new(BODY, BODY_LEADING, false, TEXT);
const LABEL: Style = Style::new(BODY, BODY_LEADING, true, TEXT);
const CELL: Style = Style::new(TABLE_SIZE, TABLE_LEADING, false, TEXT);
const HEADER_CELL: Style = Style::new(TABLE_SIZE, TABLE_LEADING, true, TEXT);
const MATRIX_TITLE: Style = Style::new(11.0, 15.0, true, TEXT);
const MATRIX_LABEL: Style = Style::new(TABLE_SIZE, TABLE_LEADING, false, TEXT);
const MATRIX_AXIS: Style = Style::new(TABLE_SIZE, TABLE_LEADING, true, MUTED);

/// Space above and below each kind of block, in points. Space above is dropped at the top
/// of a page.
fn spacing(block: &Block) -> (f32, f32) {
    match block {
        Block::Title(_) => (0.0, 4.0),
        Block::Subtitle(_) => (0.0, 14.0),
        Block::Heading(_) => (14.0, 6.0),
        Block::Subheading(_) => (10.0, 4.0),
        Block::Paragraph(_) | Block::Bullets(_) | Block::Numbered(_) | Block::KeyValues(_) => (0.0, 8.0),
        Block::Table { .. } | Block::Matrix(_) => (4.0, 12.0),
        Block::Callout { .. } => (4.0, 12.0),
        Block::Spacer(_) | Block::PageBreak => (0.0, 0.0),
    }
}

/// Baseline of a line of `size` text in a line box of `leading` whose top is at `top`:
/// capitals sit centred in the box.
fn baseline(top: f32, size: f32, leading: f32) -> f32 {
    top + leading / 2.0 + 0.36 * size
}

struct Layout<'f, 's> {
    fonts: &'f Fonts,
    left: f32,
    width: f32,
    top: f32,
    bottom: f32,
    /// The page being laid out; the full ones went to `sink`.
    page: PageContent,
    sink: &'s mut dyn FnMut(PageContent),
    /// Top of the next line, in points from the top of the page.
    y: f32,
    /// Space owed below the previous block; paid only if more content follows on the page.
    pending_gap: f32,
}

/// The text area of a page: left edge and width, in points.
fn text_area(paper: Paper) -> (f32, f32) {
    let (page_width, _) = paper.size_pt();
    let margin = mm(20.0);
    (margin, page_width - 2.0 * margin)
}

impl<'f, 's> Layout<'f, 's> {
    fn new(fonts: &'f Fonts, paper: Paper, sink: &'s mut dyn FnMut(PageContent)) -> Self {
        let (_, page_height) = paper.size_pt();
        let (left, width) = text_area(paper);
        let top = mm(18.0);
        Layout {
            fonts,
            left,
            width,
            top,
            bottom: page_height - mm(22.0),
            page: PageContent::default(),
            sink,
            y: top,
            pending_gap: 0.0,
        }
    }

    fn page(&mut self) -> &mut PageContent {
        &mut self.page
    }

    fn new_page(&mut self) {
        let full = std::mem::take(&mut self.page);
        (self.sink)(full);
        self.y = self.top;
        self.pending_gap = 0.0;
    }

    fn at_top(&self) -> bool {
        self.y <= self.top + 0.01
    }

    /// Height usable below the top margin of an empty page.
    fn page_room(&self) -> f32 {
        self.bottom - self.top
    }

    /// Room left on this page once the owed gap is paid.
    fn room(&self) -> f32 {
        self.bottom - self.y - if self.at_top() { 0.0 } else { self.pending_gap }
    }

    /// Makes sure `height` fits below the cursor (a new page if not, unless this page is
    /// still empty), then pays the owed gap.
    fn reserve(&mut self, height: f32) {
        if height > self.room() && !self.at_top() {
            self.new_page();
        }
        if !self.at_top() {
            self.y += self.pending_gap;
        }
        self.pending_gap = 0.0;
    }

    fn text(&mut self, x: f32, y: f32, style: Style, text: String) {
        if text.is_empty() {
            return;
        }
        let (run, missing) = TextRun::new(self.fonts.face(style.bold), x, y, style, &text, false);
        let page = self.page();
        page.missing.extend(missing);
        page.texts.push(run);
    }

    fn shape(&mut self, shape: Shape) {
        self.page().shapes.push(shape);
    }

    fn block(&mut self, blocks: &[Block], index: usize, block: &Block) -> Result<()> {
        let (before, after) = spacing(block);
        if !self.at_top() {
            self.pending_gap = self.pending_gap.max(before);
        }
        match block {
            Block::Title(text) => self.keep_with_next(blocks, index, text, TITLE),
            Block::Subtitle(text) => self.keep_with_next(blocks, index, text, SUBTITLE),
            Block::Heading(text) => self.keep_with_next(blocks, index, text, HEADING),
            Block::Subheading(text) => self.keep_with_next(blocks, index, text, SUBHEADING),
            Block::Paragraph(text) => {
                let lines = self.wrap(text, PARAGRAPH, self.width);
                self.lines(&lines, self.left, PARAGRAPH, 2);
            }
            Block::Bullets(items) => self.bullets(items, false),
            Block::Numbered(items) => self.bullets(items, true),
            Block::KeyValues(pairs) => self.key_values(pairs),
            Block::Table { columns, rows } => self.table(columns, rows)?,
            Block::Matrix(matrix) => self.matrix(matrix)?,
            Block::Callout { tone, title, text } => self.callout(*tone, title, text),
            Block::Spacer(size) => {
                let size = if size.is_finite() { mm(size.max(0.0)) } else { 0.0 };
                if !self.at_top() {
                    self.y += self.pending_gap + size;
                    self.pending_gap = 0.0;
                }
            }
            Block::PageBreak => {
                if !self.at_top() {
                    self.new_page();
                }
            }
        }
        if !self.at_top() {
            self.pending_gap = after;
        }
        Ok(())
    }

    fn wrap(&self, text: &str, style: Style, width: f32) -> Vec<String> {
        self.fonts.face(style.bold).wrap(text, style.size, width)
    }

    /// A heading-like block: placed only where the start of what follows fits under it.
    fn keep_with_next(&mut self, blocks: &[Block], index: usize, text: &str, style: Style) {
        let lines = self.wrap(text, style, self.width);
        let own = lines.len() as f32 * style.leading;
        let next = self.lead(blocks, index + 1);
        self.reserve((own + next).min(self.page_room()));
        self.lines(&lines, self.left, style, 1);
    }

    /// Height of the part of block `index` that must follow a heading onto its page: a
    /// heading chain, then two lines of text, a table's header and first row, a whole matrix.
    fn lead(&self, blocks: &[Block], index: usize) -> f32 {
        let Some(block) = blocks.get(index) else { return 0.0 };
        let before = spacing(block).0;
        let lead = match block {
            Block::Title(t) | Block::Subtitle(t) | Block::Heading(t) | Block::Subheading(t) => {
                let style = match block {
                    Block::Title(_) => TITLE,
                    Block::Subtitle(_) => SUBTITLE,
                    Block::Heading(_) => HEADING,
                    _ => SUBHEADING,
                };
                let own = self.wrap(t, style, self.width).len() as f32 * style.leading;
                own + spacing(block).1 + self.lead(blocks, index + 1)
            }
            Block::Paragraph(text) => self.wrap(text, PARAGRAPH, self.width).len().min(2) as f32 * BODY_LEADING,
            Block::Bullets(items) | Block::Numbered(items) if !items.is_empty() => BODY_LEADING,
            Block::KeyValues(pairs) if !pairs.is_empty() => BODY_LEADING,
            Block::Table { columns, rows } => match self.table_widths(columns, rows) {
                Ok(widths) => {
                    let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
                    let header = self.row_height(&self.cell_lines(&headers, &widths, HEADER_CELL));
                    let first = rows.first().map_or(0.0, |row| {
                        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
                        self.row_height(&self.cell_lines(&cells, &widths, CELL))
                    });
                    header + first
                }
                Err(_) => 0.0,
            },
            Block::Matrix(matrix) => self.matrix_geometry(matrix).map_or(0.0, |g| g.height),
            Block::Callout { title, .. } => self.wrap(title, SUBHEADING, self.width).len() as f32 * 16.0 + 16.0,
            _ => 0.0,
        };
        before + lead
    }

    /// A tinted box with a bar in the tone's colour, its title and text wrapped inside; it
    /// starts a new page rather than split.
    fn callout(&mut self, tone: Tone, title: &str, text: &str) {
        let (bar, pad) = (4.0, 8.0);
        let inner = self.width - bar - 2.0 * pad;
        let title_style = Style { color: tone.color(), ..SUBHEADING };
        let title_lines = self.wrap(title, title_style, inner);
        let text_lines = if text.is_empty() { Vec::new() } else { self.wrap(text, PARAGRAPH, inner) };
        let height = title_lines.len() as f32 * title_style.leading
            + text_lines.len() as f32 * PARAGRAPH.leading
            + 2.0 * pad
            + if text_lines.is_empty() { 0.0 } else { 3.0 };
        self.reserve(height.min(self.page_room()));
        let (top, left) = (self.y, self.left);
        self.shape(Shape::Fill { x: left, y: top, w: self.width, h: height, color: tone.tint() });
        self.shape(Shape::Fill { x: left, y: top, w: bar, h: height, color: tone.color() });
        let x = left + bar + pad;
        let mut y = top + pad;
        for line in title_lines {
            self.text(x, baseline(y, title_style.size, title_style.leading), title_style, line);
            y += title_style.leading;
        }
        y += 3.0;
        for line in text_lines {
            self.text(x, baseline(y, PARAGRAPH.size, PARAGRAPH.leading), PARAGRAPH, line);
            y += PARAGRAPH.leading;
        }
        self.y = top + height;
    }

    /// Places wrapped lines at `x`, continuing on new pages. `keep` lines at least go together.
    fn lines(&mut self, lines: &[String], x: f32, style: Style, keep: usize) {
        let first = lines.len().clamp(1, keep.max(1)) as f32 * style.leading;
        self.reserve(first.min(self.page_room()));
        for line in lines {
            if self.y + style.leading > self.bottom + 0.01 && !self.at_top() {
                self.new_page();
            }
            let y = baseline(self.y, style.size, style.leading);
            self.text(x, y, style, line.clone());
            self.y += style.leading;
        }
    }

    fn bullets(&mut self, items: &[String], numbered: bool) {
        let indent = if numbered { 18.0 } else { 14.0 };
        for (i, item) in items.iter().enumerate() {
            let lines = self.wrap(item, PARAGRAPH, self.width - indent);
            if i > 0 {
                self.pending_gap = 3.0;
            }
            self.reserve(BODY_LEADING);
            let bullet_y = baseline(self.y, BODY, BODY_LEADING);
            let marker = if numbered { format!("{}.", i + 1) } else { "\u{2022}".to_owned() };
            self.text(self.left + 3.0, bullet_y, PARAGRAPH, marker);
            self.lines(&lines, self.left + indent, PARAGRAPH, 1);
        }
    }

    fn key_values(&mut self, pairs: &[(String, String)]) {
        let fonts = self.fonts;
        let label_face = fonts.face(true);
        let widest = pairs
            .iter()
            .flat_map(|(label, _)| {
                label_face.clean(label).split('\n').map(|l| label_face.width(l, BODY)).collect::<Vec<_>>()
            })
            .fold(0.0_f32, f32::max);
        let label_width = widest.min(self.width * 0.35).max(MIN_COLUMN);
        let gap = 12.0;
        let value_x = self.left + label_width + gap;
        let value_width = self.width - label_width - gap;
        for (i, (label, value)) in pairs.iter().enumerate() {
            let labels = self.wrap(label, LABEL, label_width);
            let values = self.wrap(value, PARAGRAPH, value_width);
            if i > 0 {
                self.pending_gap = 4.0;
            }
            let rows = labels.len().max(values.len());
            self.reserve((rows.min(2) as f32 * BODY_LEADING).min(self.page_room()));
            for k in 0..rows {
                if self.y + BODY_LEADING > self.bottom + 0.01 && !self.at_top() {
                    self.new_page();
                }
                let y = baseline(self.y, BODY, BODY_LEADING);
                if let Some(l) = labels.get(k) {
                    self.text(self.left, y, LABEL, l.clone());
                }
                if let Some(v) = values.get(k) {
                    self.text(value_x, y, PARAGRAPH, v.clone());
                }
                self.y += BODY_LEADING;
            }
        }
    }

    // --- Tables

    fn cell_lines(&self, cells: &[&str], widths: &[f32], style: Style) -> Vec<Vec<String>> {
        cells.iter().zip(widths).map(|(cell, w)| self.wrap(cell, style, w - 2.0 * CELL_PAD_X)).collect()
    }

    fn row_height(&self, cells: &[Vec<String>]) -> f32 {
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        lines as f32 * TABLE_LEADING + 2.0 * CELL_PAD_Y
    }

    /// Draws lines `from..to` of each cell as one band of a row, `height` tall, at the cursor.
    fn table_band(
        &mut self,
        cells: &[Vec<String>],
        widths: &[f32],
        style: Style,
        fill: Option<Rgb8>,
        range: (usize, usize),
    ) {
        self.table_band_with(cells, widths, &[], style, fill, range)
    }

    /// [`Self::table_band`]; a cell of a `chips` column that holds one known verdict word is
    /// drawn as a chip: the word in white on its tone's colour.
    fn table_band_with(
        &mut self,
        cells: &[Vec<String>],
        widths: &[f32],
        chips: &[bool],
        style: Style,
        fill: Option<Rgb8>,
        range: (usize, usize),
    ) {
        let lines = range.1.saturating_sub(range.0).max(1);
        let height = lines as f32 * TABLE_LEADING + 2.0 * CELL_PAD_Y;
        let top = self.y;
        let mut x = self.left;
        for (i, (cell, &w)) in cells.iter().zip(widths).enumerate() {
            if let Some(color) = fill {
                self.shape(Shape::Fill { x, y: top, w, h: height, color });
            }
            self.shape(Shape::Stroke { x, y: top, w, h: height, color: RULE, width: 0.5 });
            let end = range.1.min(cell.len());
            let start = range.0.min(end);
            let chip = chips.get(i).copied().unwrap_or(false) && start == 0;
            if let (true, Some(tone)) = (chip, Tone::of(&cell.join(" "))) {
                let word = cell.join(" ");
                let bold = Style { bold: true, color: WHITE, ..style };
                let text_w = self.fonts.face(true).width(&word, style.size);
                let chip_w = (text_w + 6.0).min(w - 2.0 * CELL_PAD_X + 6.0);
                self.shape(Shape::Fill {
                    x: x + CELL_PAD_X - 3.0,
                    y: top + CELL_PAD_Y,
                    w: chip_w,
                    h: TABLE_LEADING,
                    color: tone.color(),
                });
                self.text(x + CELL_PAD_X, baseline(top + CELL_PAD_Y, style.size, TABLE_LEADING), bold, word);
                x += w;
                continue;
            }
            for (k, line) in cell[start..end].iter().enumerate() {
                let y = baseline(top + CELL_PAD_Y + k as f32 * TABLE_LEADING, style.size, TABLE_LEADING);
                self.text(x + CELL_PAD_X, y, style, line.clone());
            }
            x += w;
        }
        self.y += height;
    }

    /// The table's column widths, fitted to what its cells hold (see [`fitted_widths`]).
    fn table_widths(&self, columns: &[Column], rows: &[Vec<String>]) -> Result<Vec<f32>> {
        let (regular, bold) = (self.fonts.face(false), self.fonts.face(true));
        let needs: Vec<f32> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let header = bold.unbreakable(&c.header, HEADER_CELL.size);
                // A chip is never wrapped: its whole word counts.
                let need = |t: &String| match (c.chips, Tone::of(t)) {
                    (true, Some(_)) => bold.width(t, CELL.size),
                    _ => regular.unbreakable(t, CELL.size),
                };
                let cells = rows.iter().filter_map(|r| r.get(i)).map(need).fold(0.0, f32::max);
                header.max(cells + if c.chips { 6.0 } else { 0.0 }) + 2.0 * CELL_PAD_X + 0.5
            })
            .collect();
        fitted_widths(columns, &needs, self.width)
    }

    fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) -> Result<()> {
        let widths = self.table_widths(columns, rows)?;
        for (i, row) in rows.iter().enumerate() {
            if row.len() != columns.len() {
                return Err(Error::internal(format!(
                    "PDF: table row {} has {} cells but the table has {} columns",
                    i + 1,
                    row.len(),
                    columns.len()
                )));
            }
        }
        let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
        let header = self.cell_lines(&headers, &widths, HEADER_CELL);
        let header_height = self.row_height(&header);
        let one_line = TABLE_LEADING + 2.0 * CELL_PAD_Y;
        if header_height + one_line > self.page_room() {
            return Err(Error::internal("PDF: a table header is taller than a page"));
        }

        let first = rows.first().map_or(0.0, |row| {
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            self.row_height(&self.cell_lines(&cells, &widths, CELL))
        });
        self.reserve((header_height + first).min(self.page_room()));
        let header_lines = header.iter().map(Vec::len).max().unwrap_or(1);
        self.table_band(&header, &widths, HEADER_CELL, Some(HEADER_FILL), (0, header_lines));

        for row in rows {
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            let lines = self.cell_lines(&cells, &widths, CELL);
            let total = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let height = total as f32 * TABLE_LEADING + 2.0 * CELL_PAD_Y;
            let fits_fresh_page = header_height + height <= self.page_room();
            if height > self.bottom - self.y && fits_fresh_page {
                self.new_page();
                self.table_band(&header, &widths, HEADER_CELL, Some(HEADER_FILL), (0, header_lines));
            }
            // A row taller than a page is split into bands, the header repeating above each.
            let mut done = 0;
            while done < total {
                let room = self.bottom - self.y - 2.0 * CELL_PAD_Y;
                let fit = ((room + 0.01) / TABLE_LEADING).floor().max(0.0) as usize;
                if fit == 0 {
                    self.new_page();
                    self.table_band(&header, &widths, HEADER_CELL, Some(HEADER_FILL), (0, header_lines));
                    continue;
                }
                let end = (done + fit).min(total);
                let chips: Vec<bool> = columns.iter().map(|c| c.chips).collect();
                self.table_band_with(&lines, &widths, &chips, CELL, None, (done, end));
                done = end;
            }
        }
        Ok(())
    }

    // --- Matrix

    fn matrix_geometry(&self, m: &Matrix) -> Result<MatrixGeometry> {
        let rows = m.row_labels.len();
        let cols = m.col_labels.len();
        if rows == 0 || cols == 0 {
            return Err(Error::internal("PDF: a matrix needs at least one row and one column"));
        }
        if m.cells.len() != rows || m.cells.iter().any(|r| r.len() != cols) {
            return Err(Error::internal(format!(
                "PDF: a {rows} x {cols} matrix needs {rows} rows of {cols} cells (row labels x column labels)"
            )));
        }
        let label_face = self.fonts.face(false);
        let axis_width = if m.y_axis.trim().is_empty() { 0.0 } else { MATRIX_AXIS.leading + 4.0 };
        let widest = m
            .row_labels
            .iter()
            .flat_map(|l| label_face.clean(l).split('\n').map(|s| label_face.width(s, TABLE_SIZE)).collect::<Vec<_>>())
            .fold(0.0_f32, f32::max);
        let label_width = (widest + 8.0).clamp(MIN_COLUMN, self.width * 0.25);
        let cell_width = ((self.width - axis_width - label_width) / cols as f32).min(96.0);
        if cell_width < 12.0 {
            return Err(Error::internal(format!("PDF: a matrix with {cols} columns does not fit the page width")));
        }

        let title_height = if m.title.trim().is_empty() {
            0.0
        } else {
            self.wrap(&m.title, MATRIX_TITLE, self.width).len() as f32 * MATRIX_TITLE.leading + 4.0
        };
        let col_labels: Vec<Vec<String>> =
            m.col_labels.iter().map(|l| self.wrap(l, MATRIX_LABEL, cell_width - 4.0)).collect();
        let col_label_height = col_labels.iter().map(Vec::len).max().unwrap_or(1) as f32 * MATRIX_LABEL.leading + 4.0;
        let x_axis_height = if m.x_axis.trim().is_empty() { 0.0 } else { MATRIX_AXIS.leading + 2.0 };
        let chrome = title_height + col_label_height + x_axis_height;
        let cell_text: Vec<Vec<Vec<String>>> = m
            .cells
            .iter()
            .map(|row| row.iter().map(|c| self.wrap(&c.text, MATRIX_LABEL, cell_width - 6.0)).collect())
            .collect();
        let row_labels: Vec<Vec<String>> =
            m.row_labels.iter().map(|l| self.wrap(l, MATRIX_LABEL, label_width - 6.0)).collect();
        let base = (cell_width * 0.55).clamp(24.0, 48.0);
        let mut row_heights: Vec<f32> = cell_text
            .iter()
            .zip(&row_labels)
            .map(|(row, label)| {
                let lines = row.iter().map(Vec::len).chain([label.len()]).max().unwrap_or(1);
                base.max(lines as f32 * MATRIX_LABEL.leading + 6.0)
            })
            .collect();
        let grid_room = self.page_room() - chrome;
        if grid_room < rows as f32 * (MATRIX_LABEL.leading + 4.0) {
            return Err(Error::internal(format!("PDF: a matrix with {rows} rows does not fit the page height")));
        }
        if row_heights.iter().sum::<f32>() > grid_room {
            row_heights = vec![grid_room / rows as f32; rows];
        }
        let height = chrome + row_heights.iter().sum::<f32>();
        Ok(MatrixGeometry {
            axis_width,
            label_width,
            cell_width,
            title_height,
            col_labels,
            col_label_height,
            cell_text,
            row_labels,
            row_heights,
            height,
        })
    }

    fn matrix(&mut self, m: &Matrix) -> Result<()> {
        let g = self.matrix_geometry(m)?;
        self.reserve(g.height);
        let top = self.y;
        if g.title_height > 0.0 {
            let lines = self.wrap(&m.title, MATRIX_TITLE, self.width);
            for (k, line) in lines.into_iter().enumerate() {
                let y = baseline(top + k as f32 * MATRIX_TITLE.leading, MATRIX_TITLE.size, MATRIX_TITLE.leading);
                self.text(self.left, y, MATRIX_TITLE, line);
            }
        }
        let grid_left = self.left + g.axis_width + g.label_width;
        let grid_top = top + g.title_height;
        let grid_width = g.cell_width * m.col_labels.len() as f32;
        let grid_height: f32 = g.row_heights.iter().sum();
        let fonts = self.fonts;
        let regular = fonts.face(false);

        let mut y = grid_top;
        for (r, row) in m.cells.iter().enumerate() {
            let h = g.row_heights.get(r).copied().unwrap_or(0.0);
            // Row label: right-aligned, centred on the row.
            let label = g.row_labels.get(r).map(Vec::as_slice).unwrap_or_default();
            self.centred_lines(label, grid_left - 6.0, y, h, MATRIX_LABEL, Align::Right);
            for (c, cell) in row.iter().enumerate() {
                let x = grid_left + c as f32 * g.cell_width;
                self.shape(Shape::Fill { x, y, w: g.cell_width, h, color: cell.fill });
                self.shape(Shape::Stroke { x, y, w: g.cell_width, h, color: WHITE, width: 1.0 });
                let style = Style { color: contrast(cell.fill), ..MATRIX_LABEL };
                let lines = g.cell_text.get(r).and_then(|row| row.get(c)).map(Vec::as_slice).unwrap_or_default();
                let lines = clip_lines(regular, lines, h - 4.0, style, g.cell_width - 6.0);
                self.centred_lines(&lines, x + g.cell_width / 2.0, y, h, style, Align::Centre);
            }
            y += h;
        }

        // Column labels under the grid, then the axis titles.
        let labels_top = grid_top + grid_height + 2.0;
        for (c, label) in g.col_labels.iter().enumerate() {
            let x = grid_left + (c as f32 + 0.5) * g.cell_width;
            for (k, line) in label.iter().enumerate() {
                let w = regular.width(line, MATRIX_LABEL.size);
                let y = baseline(labels_top + k as f32 * MATRIX_LABEL.leading, MATRIX_LABEL.size, MATRIX_LABEL.leading);
                self.text(x - w / 2.0, y, MATRIX_LABEL, line.clone());
            }
        }
        let bold = fonts.face(true);
        if !m.x_axis.trim().is_empty() {
            let text = bold.fit(&m.x_axis, MATRIX_AXIS.size, grid_width);
            let w = bold.width(&text, MATRIX_AXIS.size);
            let y = baseline(labels_top + g.col_label_height, MATRIX_AXIS.size, MATRIX_AXIS.leading);
            self.text(grid_left + (grid_width - w) / 2.0, y, MATRIX_AXIS, text);
        }
        if !m.y_axis.trim().is_empty() {
            let text = bold.fit(&m.y_axis, MATRIX_AXIS.size, grid_height);
            let w = bold.width(&text, MATRIX_AXIS.size);
            // Rotated a quarter turn: the baseline runs up the page at this x.
            let x = self.left + MATRIX_AXIS.leading / 2.0 + 0.36 * MATRIX_AXIS.size;
            let y = grid_top + (grid_height + w) / 2.0;
            let (run, missing) = TextRun::new(bold, x, y, MATRIX_AXIS, &text, true);
            let page = self.page();
            page.missing.extend(missing);
            page.texts.push(run);
        }
        self.y = top + g.height;
        Ok(())
    }

    /// Lines centred vertically in the box `top..top + height`, aligned on `x`.
    fn centred_lines(&mut self, lines: &[String], x: f32, top: f32, height: f32, style: Style, align: Align) {
        let fonts = self.fonts;
        let face = fonts.face(style.bold);
        let block = lines.len() as f32 * style.leading;
        let first = top + (height - block) / 2.0;
        for (k, line) in lines.iter().enumerate() {
            let w = face.width(line, style.size);
            let left = match align {
                Align::Right => x - w,
                Align::Centre => x - w / 2.0,
            };
            let y = baseline(first + k as f32 * style.leading, style.size, style.leading);
            self.text(left, y, style, line.clone());
        }
    }

    /// Hands the last page to the sink.
    fn finish(mut self) {
        let last = std::mem::take(&mut self.page);
        (self.sink)(last);
    }
}

/// Adds the footer, "Page `number` of `total`" and, when some characters could not be
/// printed, the line that names them.
fn add_footer(fonts: &Fonts, paper: Paper, page: &mut PageContent, footer: &str, number: usize, total: usize) {
    let face = fonts.face(false);
    let (_, page_height) = paper.size_pt();
    let (left, width) = text_area(paper);
    let rule_y = page_height - mm(16.0);
    let y = page_height - mm(11.0);
    let style = Style::new(FOOTER_SIZE, FOOTER_SIZE, false, MUTED);
    let number = format!("Page {number} of {total}");
    let number_width = face.width(&number, FOOTER_SIZE);
    page.shapes.push(Shape::Line { x1: left, y1: rule_y, x2: left + width, y2: rule_y, color: RULE, width: 0.5 });
    let footer = face.fit(footer, FOOTER_SIZE, (width - number_width - 16.0).max(0.0));
    let (footer_run, missing) = TextRun::new(face, left, y, style, &footer, false);
    page.missing.extend(missing);
    // Never a silent replacement: the page says which characters it could not print.
    if !page.missing.is_empty() {
        let list: Vec<String> = page.missing.iter().map(|c| format!("U+{:04X}", u32::from(*c))).collect();
        // As many code points as the line holds, then how many more.
        let mut note = format!("Shown as {} here, as no font on this computer can print them:", face.replacement);
        for (i, cp) in list.iter().enumerate() {
            let rest = list.len() - i - 1;
            let tail = if rest > 0 { format!(" and {rest} more.") } else { ".".to_owned() };
            let sep = if i == 0 { " " } else { ", " };
            if i > 0 && face.width(&format!("{note}{sep}{cp}{tail}"), FOOTER_SIZE) > width {
                note.push_str(&format!(" and {} more.", list.len() - i));
                break;
            }
            note.push_str(sep);
            note.push_str(cp);
            if rest == 0 {
                note.push('.');
            }
        }
        let text = face.fit(&note, FOOTER_SIZE, width);
        page.texts.push(TextRun::new(face, left, rule_y - 4.0, style, &text, false).0);
    }
    if !footer_run.text.is_empty() {
        page.texts.push(footer_run);
    }
    page.texts.push(TextRun::new(face, left + width - number_width, y, style, &number, false).0);
}

#[derive(Clone, Copy)]
enum Align {
    Right,
    Centre,
}

struct MatrixGeometry {
    axis_width: f32,
    label_width: f32,
    cell_width: f32,
    title_height: f32,
    col_labels: Vec<Vec<String>>,
    col_label_height: f32,
    cell_text: Vec<Vec<Vec<String>>>,
    row_labels: Vec<Vec<String>>,
    row_heights: Vec<f32>,
    height: f32,
}

/// The lines that fit in `height`; when some are left out the last one kept ends in "…".
fn clip_lines(face: &Face, lines: &[String], height: f32, style: Style, width: f32) -> Vec<String> {
    let room = ((height / style.leading).floor().max(1.0)) as usize;
    if lines.len() <= room {
        return lines.to_vec();
    }
    let mut kept = lines[..room].to_vec();
    if let Some(last) = kept.last_mut() {
        *last = face.ellipsize(last, style.size, width);
    }
    kept
}

/// Dark text on light fills, white on dark ones (by relative luminance).
fn contrast(fill: Rgb8) -> Rgb8 {
    let luminance = 0.2126 * f32::from(fill.0) + 0.7152 * f32::from(fill.1) + 0.0722 * f32::from(fill.2);
    if luminance < 140.0 {
        WHITE
    } else {
        TEXT
    }
}

/// Column widths in points: shares normalised to `total`, none narrower than [`MIN_COLUMN`].
/// A word cut after each hyphen that joins two letters ("follow-" "up"); a date, a reference
/// or a number ("2026-08-27", "ACT-0001", "-5") stays whole.
fn hyphen_parts(word: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    for k in 1..chars.len().saturating_sub(1) {
        let (at, c) = chars[k];
        if c == '-' && chars[k - 1].1.is_alphabetic() && chars[k + 1].1.is_alphabetic() {
            let end = at + c.len_utf8();
            parts.push(&word[start..end]);
            start = end;
        }
    }
    parts.push(&word[start..]);
    parts
}

/// Column widths for a table: each column at least as wide as the widest piece of text it
/// holds that wrapping never breaks (`needs`), the rest shared as the columns' shares say.
/// One piece may widen its column to half the width, or a third in a table of four columns or
/// more: a longer piece (a web address in a response) breaks instead of squeezing the columns
/// beside it to a word a line. Only when the needs alone overflow the width do they shrink, in
/// proportion.
fn fitted_widths(columns: &[Column], needs: &[f32], total: f32) -> Result<Vec<f32>> {
    let mut widths = column_widths(columns, total)?;
    let cap = if columns.len() >= 4 { total / 3.0 } else { total / 2.0 };
    let mut needs: Vec<f32> = needs.iter().map(|n| n.min(cap).max(MIN_COLUMN)).collect();
    if needs.iter().sum::<f32>() > total {
        // Too much to keep whole: the widest needs give way first (a long address breaks), so
        // the short words of the narrow columns stay whole. `level` caps every need so that
        // the capped needs fill the width exactly.
        let (mut low, mut high) = (MIN_COLUMN, total);
        for _ in 0..40 {
            let level = (low + high) / 2.0;
            if needs.iter().map(|n| n.min(level)).sum::<f32>() > total {
                high = level;
            } else {
                low = level;
            }
        }
        for n in &mut needs {
            *n = n.min(low);
        }
        let sum: f32 = needs.iter().sum();
        return Ok(needs.iter().map(|n| n / sum * total).collect());
    }
    // Raise the columns below their need, taking the room from the others' slack in proportion.
    loop {
        let short: f32 = widths.iter().zip(&needs).map(|(w, n)| (n - w).max(0.0)).sum();
        if short <= 0.01 {
            break;
        }
        let slack: f32 = widths.iter().zip(&needs).map(|(w, n)| (w - n).max(0.0)).sum();
        let scale = if slack > 0.0 { ((slack - short) / slack).max(0.0) } else { 0.0 };
        for (w, n) in widths.iter_mut().zip(&needs) {
            *w = if *w <= *n { *n } else { n + (*w - n) * scale };
        }
    }
    Ok(widths)
}

fn column_widths(columns: &[Column], total: f32) -> Result<Vec<f32>> {
    if columns.is_empty() {
        return Err(Error::internal("PDF: a table needs at least one column"));
    }
    if columns.len() as f32 * MIN_COLUMN > total {
        return Err(Error::internal(format!(
            "PDF: a table with {} columns does not fit the page width",
            columns.len()
        )));
    }
    let shares: Vec<f32> =
        columns.iter().map(|c| if c.width.is_finite() && c.width > 0.0 { c.width } else { 0.0 }).collect();
    let sum: f32 = shares.iter().sum();
    let mut widths: Vec<f32> = if sum > 0.0 {
        shares.iter().map(|s| s / sum * total).collect()
    } else {
        vec![total / columns.len() as f32; columns.len()]
    };
    // Widen narrow columns to the minimum, taking the room from the others in proportion.
    loop {
        let narrow: f32 = widths.iter().filter(|w| **w < MIN_COLUMN).map(|w| MIN_COLUMN - w).sum();
        if narrow <= 0.001 {
            break;
        }
        let spare: f32 = widths.iter().filter(|w| **w > MIN_COLUMN).map(|w| w - MIN_COLUMN).sum();
        let scale = if spare > 0.0 { ((spare - narrow) / spare).max(0.0) } else { 0.0 };
        for w in &mut widths {
            *w = if *w <= MIN_COLUMN { MIN_COLUMN } else { MIN_COLUMN + (*w - MIN_COLUMN) * scale };
        }
    }
    Ok(widths)
}

// ---------------------------------------------------------------------------------------
// Drawing and writing

/// A colour as PDF operands: three components from 0 to 1.
fn rgb(c: Rgb8) -> String {
    let part = |v: u8| num(f32::from(v) / 255.0);
    format!("{} {} {}", part(c.0), part(c.1), part(c.2))
}

/// Two-byte glyph numbers in hex, as a string operand for Identity-H fonts.
fn glyph_string(out: &mut String, glyphs: impl IntoIterator<Item = u16>) {
    out.push('<');
    for gid in glyphs {
        let _ = write!(out, "{gid:04X}");
    }
    out.push('>');
}

/// The resource name of a font: the embedded ones fixed, each fallback "RRX" and three
/// letters in order of first use, so the same input gives the same names.
fn font_name(font: &FontFile, used: usize) -> String {
    if let Some(id) = font.fixed_id {
        return id.to_owned();
    }
    let letter = |k: usize| char::from(b'A' + u8::try_from(k % 26).unwrap_or(0));
    format!("RRX{}{}{}", letter(used / 676), letter(used / 26), letter(used))
}

/// The page's drawing operators. Coordinates turn from the layout's (from the top) to PDF's
/// (from the bottom).
fn page_content(page: &PageContent, page_height: f32, faces: &Fonts, fonts: &mut FontSet) -> Vec<u8> {
    let mut ops = String::with_capacity(page.shapes.len() * 40 + page.texts.len() * 80 + 64);
    let mut fill: Option<Rgb8> = None;
    let mut stroke: Option<(Rgb8, f32)> = None;
    let set_fill = |ops: &mut String, fill: &mut Option<Rgb8>, c: Rgb8| {
        if *fill != Some(c) {
            let _ = writeln!(ops, "{} rg", rgb(c));
            *fill = Some(c);
        }
    };
    for shape in &page.shapes {
        match *shape {
            Shape::Fill { x, y, w, h, color } => {
                set_fill(&mut ops, &mut fill, color);
                let _ = writeln!(ops, "{} {} {} {} re f", num(x), num(page_height - y - h), num(w), num(h));
            }
            Shape::Stroke { x, y, w, h, color, width } | Shape::Line { x1: x, y1: y, x2: w, y2: h, color, width } => {
                if stroke != Some((color, width)) {
                    let _ = writeln!(ops, "{} RG {} w", rgb(color), num(width));
                    stroke = Some((color, width));
                }
                if matches!(shape, Shape::Line { .. }) {
                    let (x2, y2) = (w, h);
                    let _ = writeln!(
                        ops,
                        "{} {} m {} {} l S",
                        num(x),
                        num(page_height - y),
                        num(x2),
                        num(page_height - y2)
                    );
                } else {
                    let _ = writeln!(ops, "{} {} {} {} re S", num(x), num(page_height - y - h), num(w), num(h));
                }
            }
        }
    }
    if !page.texts.is_empty() {
        ops.push_str("BT\n");
        let mut current: Option<(usize, f32)> = None;
        let set_font = |ops: &mut String,
                        fonts: &mut FontSet,
                        current: &mut Option<(usize, f32)>,
                        font: &'static FontFile,
                        size: f32|
         -> usize {
            let (index, name) = fonts.select(font, |used| font_name(font, used));
            if *current != Some((index, size)) {
                let _ = writeln!(ops, "/{name} {} Tf", num(size));
                *current = Some((index, size));
            }
            index
        };
        for run in &page.texts {
            set_fill(&mut ops, &mut fill, run.color);
            let (x, y) = (run.x, page_height - run.y);
            // The text matrix that puts a point `dx` along the baseline and `dy` above it.
            let at = |dx: f32, dy: f32| {
                if run.vertical {
                    format!("0 1 -1 0 {} {} Tm", num(x - dy), num(y + dx))
                } else {
                    format!("1 0 0 1 {} {} Tm", num(x + dx), num(y + dy))
                }
            };
            let Some(bidi_runs) = &run.glyphs else {
                let font = faces.face(run.bold).stack.primary;
                let index = set_font(&mut ops, fonts, &mut current, font, run.size);
                let glyphs: Vec<u16> = run
                    .text
                    .chars()
                    .map(|c| {
                        let mut buf = [0u8; 4];
                        fonts.glyph(index, font.glyph(c).unwrap_or(0), c.encode_utf8(&mut buf))
                    })
                    .collect();
                ops.push_str(&at(0.0, 0.0));
                ops.push(' ');
                glyph_string(&mut ops, glyphs);
                ops.push_str(" Tj\n");
                continue;
            };
            // Glyph by glyph, each where the shaper placed it.
            for bidi_run in bidi_runs {
                if let Some(text) = &bidi_run.actual_text {
                    let _ = writeln!(ops, "/Span << /ActualText {} >> BDC", super::pdf_file::text_string(text));
                }
                for glyph_run in &bidi_run.runs {
                    let index = set_font(&mut ops, fonts, &mut current, glyph_run.font, run.size);
                    for glyph in &glyph_run.glyphs {
                        let gid = fonts.glyph(index, glyph.gid, &glyph.text);
                        ops.push_str(&at(glyph.x * run.size, glyph.y * run.size));
                        ops.push(' ');
                        glyph_string(&mut ops, [gid]);
                        ops.push_str(" Tj\n");
                    }
                }
                if bidi_run.actual_text.is_some() {
                    ops.push_str("EMC\n");
                }
            }
        }
        ops.push_str("ET\n");
    }
    ops.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> &'static Fonts {
        super::fonts().unwrap()
    }

    /// Every text run of every page, as (page index, text, left x, right x).
    fn runs(blocks: &[Block]) -> Vec<(usize, String, f32, f32)> {
        let mut pages = Vec::new();
        lay_out(fonts(), Paper::A4, blocks, &mut |page| pages.push(page)).unwrap();
        let mut out = Vec::new();
        for (p, page) in pages.iter().enumerate() {
            for run in &page.texts {
                let w = fonts().face(run.bold).width(&run.text, run.size);
                out.push((p, run.text.clone(), run.x, run.x + w));
            }
        }
        out
    }

    #[test]
    fn wrapping_respects_width_and_breaks_long_words() {
        let face = &fonts().regular;
        let text = format!("short words then {} and more", "x".repeat(300));
        let lines = face.wrap(&text, 10.0, 100.0);
        assert!(lines.len() > 3);
        for line in &lines {
            assert!(face.width(line, 10.0) <= 100.0 + 0.01, "{line:?} is too wide");
        }
        let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
        assert_eq!(joined, text.replace(' ', ""));
    }

    #[test]
    fn headings_stay_with_what_follows() {
        // Push a heading towards the page bottom with more and more filler lines: it must
        // always land on the same page as the first line of the paragraph after it.
        for filler in 40..60 {
            let mut blocks = vec![Block::Paragraph(vec!["filler"; filler].join("\n"))];
            blocks.push(Block::Heading("The heading".into()));
            blocks.push(Block::Paragraph("First line after the heading.".into()));
            let runs = runs(&blocks);
            let heading = runs.iter().find(|r| r.1 == "The heading").unwrap().0;
            let next = runs.iter().find(|r| r.1.starts_with("First line")).unwrap().0;
            assert_eq!(heading, next, "with {filler} filler lines");
        }
    }

    #[test]
    fn nothing_runs_past_the_right_margin() {
        let mut sink = |_: PageContent| {};
        let layout = Layout::new(fonts(), Paper::A4, &mut sink);
        let right = layout.left + layout.width + 0.01;
        let long = "word ".repeat(200) + &"y".repeat(500);
        let blocks = vec![
            Block::Paragraph(long.clone()),
            Block::Bullets(vec![long.clone()]),
            Block::KeyValues(vec![("A label that is rather long indeed".into(), long.clone())]),
            Block::Table {
                columns: vec![
                    Column { header: "A".into(), width: 0.2, chips: false },
                    Column { header: "B".into(), width: 0.8, chips: false },
                ],
                rows: vec![vec![long.clone(), long]],
            },
        ];
        for (_, text, _, end) in runs(&blocks) {
            assert!(end <= right, "{text:?} ends at {end}, past {right}");
        }
    }

    #[test]
    fn column_widths_fill_the_text_width_with_a_minimum() {
        let cols = |shares: &[f32]| -> Vec<Column> {
            shares.iter().map(|w| Column { header: String::new(), width: *w, chips: false }).collect()
        };
        let widths = column_widths(&cols(&[0.01, 1.0, f32::NAN, -2.0]), 480.0).unwrap();
        assert!((widths.iter().sum::<f32>() - 480.0).abs() < 0.01);
        assert!(widths.iter().all(|w| *w >= MIN_COLUMN - 0.001));
        let equal = column_widths(&cols(&[0.0, 0.0]), 480.0).unwrap();
        assert_eq!(equal, vec![240.0, 240.0]);
        assert!(column_widths(&[], 480.0).is_err());
    }

    #[test]
    fn hyphens_break_compound_words_but_never_dates_or_references() {
        assert_eq!(hyphen_parts("follow-up"), ["follow-", "up"]);
        assert_eq!(hyphen_parts("2026-08-27"), ["2026-08-27"]);
        assert_eq!(hyphen_parts("ACT-0001"), ["ACT-0001"]);
        assert_eq!(hyphen_parts("-"), ["-"]);
        assert_eq!(hyphen_parts("well-known-thing"), ["well-", "known-", "thing"]);
        let face = &fonts().regular;
        // A line too narrow for the compound word breaks it at its hyphen, not inside a part.
        let narrow = face.width("management-", 9.0) + 1.0;
        assert_eq!(face.wrap("management-approved", 9.0, narrow), ["management-", "approved"]);
        // The widest unbreakable piece of a date is the whole date.
        assert_eq!(face.unbreakable("due 2026-08-27", 9.0), face.width("2026-08-27", 9.0));
    }

    #[test]
    fn table_columns_are_widened_to_their_widest_word_and_dates_stay_whole() {
        let mut sink = |_: PageContent| {};
        let layout = Layout::new(fonts(), Paper::A4, &mut sink);
        let columns = vec![
            Column { header: "Severity".into(), width: 0.05, chips: false },
            Column { header: "Due".into(), width: 0.05, chips: false },
            Column { header: "What".into(), width: 0.9, chips: false },
        ];
        let rows = vec![vec!["management".to_owned(), "2026-08-27".to_owned(), "word ".repeat(80)]];
        let widths = layout.table_widths(&columns, &rows).unwrap();
        assert!((widths.iter().sum::<f32>() - layout.width).abs() < 0.1, "{widths:?}");
        let lines = layout.cell_lines(&["management", "2026-08-27"], &widths, CELL);
        assert_eq!(lines, [vec!["management".to_owned()], vec!["2026-08-27".to_owned()]]);
        let header = layout.cell_lines(&["Severity"], &widths, HEADER_CELL);
        assert_eq!(header, [vec!["Severity".to_owned()]]);
        // A long address widens its column to a third of a five-column table at most: the
        // wide column beside it keeps room for sentences.
        let five: Vec<Column> =
            [1.5, 1.2, 1.2, 2.6, 2.4].iter().map(|w| Column { header: "H".into(), width: *w, chips: false }).collect();
        let address = layout.width * 0.45;
        let fitted = fitted_widths(&five, &[60.0, 60.0, 60.0, 60.0, address], layout.width).unwrap();
        assert!((fitted[4] - layout.width / 3.0).abs() < 0.5, "{fitted:?}");
        assert!(fitted[3] > layout.width * 0.2, "{fitted:?}");
        assert!((fitted.iter().sum::<f32>() - layout.width).abs() < 0.1, "{fitted:?}");
        // Needs wider than the page shrink in proportion and still fill it exactly.
        let wide = fitted_widths(&columns, &[400.0, 400.0, 400.0], 480.0).unwrap();
        assert!((wide.iter().sum::<f32>() - 480.0).abs() < 0.1, "{wide:?}");
    }
}
