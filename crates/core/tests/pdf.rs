//! The PDF layer, checked the way a reader sees the file: text extracted with poppler's
//! `pdftotext`, page count and size read with `pdfinfo` (package poppler-utils).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use chrono::NaiveDate;
use readyroom_core::pdf::{self, Block, Column, DocInfo, Matrix, MatrixCell, Paper};
use readyroom_core::ErrorCode;

fn info() -> DocInfo {
    DocInfo {
        title: "Readiness report".into(),
        author: "Acme Ltd".into(),
        subject: "SOC 2 readiness".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
    }
}

fn render(paper: Paper, blocks: &[Block]) -> Vec<u8> {
    pdf::render(&info(), paper, "Acme Ltd · Confidential", blocks).unwrap()
}

/// The PDF written to a temporary file, kept alive with its directory.
struct PdfFile {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn write(bytes: &[u8]) -> PdfFile {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).unwrap();
    PdfFile { _dir: dir, path }
}

/// Runs a poppler tool; a missing tool fails the test with a clear message.
fn poppler(tool: &str, args: &[&str], path: &Path) -> String {
    let output = Command::new(tool).args(args).arg(path).arg("-").output().unwrap_or_else(|e| {
        panic!("could not run `{tool}` ({e}); the PDF tests need poppler-utils (apt-get install poppler-utils)")
    });
    assert!(output.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn text(bytes: &[u8]) -> String {
    poppler("pdftotext", &["-layout"], &write(bytes).path)
}

fn raw_text(bytes: &[u8]) -> String {
    poppler("pdftotext", &["-raw"], &write(bytes).path)
}

fn pdfinfo(bytes: &[u8]) -> String {
    let file = write(bytes);
    let output = Command::new("pdfinfo").arg(&file.path).output().unwrap_or_else(|e| {
        panic!("could not run `pdfinfo` ({e}); the PDF tests need poppler-utils (apt-get install poppler-utils)")
    });
    assert!(output.status.success(), "pdfinfo failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn info_field<'a>(info: &'a str, field: &str) -> &'a str {
    info.lines()
        .find_map(|l| l.strip_prefix(field).and_then(|rest| rest.strip_prefix(':')))
        .unwrap_or_else(|| panic!("pdfinfo has no {field}:\n{info}"))
        .trim()
}

fn page_count(bytes: &[u8]) -> usize {
    info_field(&pdfinfo(bytes), "Pages").parse().unwrap()
}

/// "595.276 x 841.89 pts (A4)" as (595.276, 841.89).
fn page_size(bytes: &[u8]) -> (f64, f64) {
    let info = pdfinfo(bytes);
    let size = info_field(&info, "Page size");
    let parts: Vec<&str> = size.split_whitespace().collect();
    (parts[0].parse().unwrap(), parts[2].parse().unwrap())
}

#[test]
fn small_document_text_is_extractable_with_accents_and_symbols() {
    let blocks = vec![
        Block::Title("Readiness report — Acme".into()),
        Block::Subtitle("Prepared for the café committee".into()),
        Block::Heading("Summary".into()),
        Block::Paragraph("Résumé of findings: access reviews → quarterly; naïve controls — replaced.".into()),
        Block::Bullets(vec!["First point".into(), "Second point with ünïcödé".into()]),
        Block::KeyValues(vec![("Owner".into(), "Zoë Ångström".into()), ("Status".into(), "Ready".into())]),
    ];
    let bytes = render(Paper::A4, &blocks);
    assert!(bytes.starts_with(b"%PDF-"));
    let text = text(&bytes);
    for expected in [
        "Readiness report — Acme",
        "café committee",
        "Summary",
        "Résumé of findings: access reviews → quarterly; naïve controls — replaced.",
        "Second point with ünïcödé",
        "Zoë Ångström",
        "Acme Ltd · Confidential",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    assert_eq!(page_count(&bytes), 1);
    let info = pdfinfo(&bytes);
    assert_eq!(info_field(&info, "Title"), "Readiness report");
    assert_eq!(info_field(&info, "Author"), "Acme Ltd");
    assert_eq!(info_field(&info, "Subject"), "SOC 2 readiness");
}

#[test]
fn fonts_are_embedded_subsets() {
    let bytes = render(Paper::A4, &[Block::Paragraph("Hello".into())]);
    let file = write(&bytes);
    let output = Command::new("pdffonts").arg(&file.path).output().unwrap_or_else(|e| {
        panic!("could not run `pdffonts` ({e}); the PDF tests need poppler-utils (apt-get install poppler-utils)")
    });
    let fonts = String::from_utf8(output.stdout).unwrap();
    let line = fonts.lines().find(|l| l.contains("DejaVuSans")).unwrap_or_else(|| panic!("no DejaVu font:\n{fonts}"));
    assert!(line.contains('+'), "not a subset: {line}");
    // emb, sub and uni columns.
    assert!(line.contains("yes yes yes"), "not embedded, subset and mapped to Unicode: {line}");
    // Subsetting keeps the file small (the full font is 740 KiB).
    assert!(bytes.len() < 60_000, "{} bytes", bytes.len());
}

fn long_table(rows: usize) -> Block {
    Block::Table {
        columns: vec![
            Column { header: "Control ID".into(), width: 0.2, chips: false },
            Column { header: "Description".into(), width: 0.55, chips: false },
            Column { header: "Owner".into(), width: 0.25, chips: false },
        ],
        rows: (1..=rows)
            .map(|i| {
                vec![
                    format!("CTRL-{i:04}"),
                    format!("Control number {i} checks that the thing is done on time, every time."),
                    format!("Owner {i}"),
                ]
            })
            .collect(),
    }
}

#[test]
fn a_long_table_spans_pages_and_repeats_its_header() {
    let bytes = render(Paper::A4, &[Block::Title("Controls".into()), long_table(300)]);
    let pages = page_count(&bytes);
    assert!(pages >= 5, "300 two-line rows on {pages} pages");
    let text = text(&bytes);
    assert_eq!(text.matches("Control ID").count(), pages, "the header is not on every page:\n{text}");
    for p in 1..=pages {
        assert!(text.contains(&format!("Page {p} of {pages}")), "no footer on page {p}");
    }
    // Pages are separated by form feeds; each page has its header and some rows.
    for (i, page) in text.split('\x0c').filter(|p| !p.trim().is_empty()).enumerate() {
        assert!(page.contains("Control ID") && page.contains("CTRL-"), "page {} lacks header or rows", i + 1);
    }
    for i in 1..=300 {
        assert!(text.contains(&format!("CTRL-{i:04}")), "row {i} missing");
    }
}

#[test]
fn a_row_taller_than_a_page_is_split_across_pages() {
    let huge = (1..=400).map(|i| format!("line{i:03}")).collect::<Vec<_>>().join("\n");
    let table = Block::Table {
        columns: vec![
            Column { header: "Key".into(), width: 1.0, chips: false },
            Column { header: "Text".into(), width: 3.0, chips: false },
        ],
        rows: vec![vec!["first".into(), "short".into()], vec!["big".into(), huge], vec!["last".into(), "end".into()]],
    };
    let bytes = render(Paper::Letter, &[table]);
    let pages = page_count(&bytes);
    assert!(pages >= 7, "400 lines on {pages} pages");
    let text = text(&bytes);
    assert_eq!(text.matches("Key").count(), pages);
    for i in 1..=400 {
        assert!(text.contains(&format!("line{i:03}")), "line {i} missing");
    }
    assert!(text.contains("last"));
}

#[test]
fn long_text_wraps_within_the_page_and_keeps_every_word() {
    let words: Vec<String> = (1..=600).map(|i| format!("word{i:04}")).collect();
    let long_word = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(6);
    let blocks = vec![
        Block::Paragraph(words.join(" ")),
        Block::Paragraph(long_word.clone()),
        Block::Table {
            columns: vec![
                Column { header: "Narrow".into(), width: 0.15, chips: false },
                Column { header: "Wide".into(), width: 0.85, chips: false },
            ],
            rows: vec![vec![long_word.clone(), words[..80].join(" ")]],
        },
    ];
    let bytes = render(Paper::A4, &blocks);
    let text = raw_text(&bytes);
    for word in &words {
        assert!(text.contains(word.as_str()), "{word} missing");
    }
    // The long word is broken over lines, none of it lost.
    assert!(!text.contains(long_word.as_str()), "the long word was not broken");
    let squeezed: String = text.split_whitespace().collect();
    assert!(squeezed.contains(long_word.as_str()), "pieces of the long word are missing");

    // Every word lies inside the page's 20 mm side margins.
    let file = write(&bytes);
    let bbox = poppler("pdftotext", &["-bbox"], &file.path);
    let (width, _) = page_size(&bytes);
    let margin = 20.0 * 72.0 / 25.4;
    let mut checked = 0;
    for line in bbox.lines().filter(|l| l.trim_start().starts_with("<word ")) {
        let attr = |name: &str| -> f64 {
            let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            let end = start + line[start..].find('"').unwrap();
            line[start..end].parse().unwrap()
        };
        assert!(attr("xMin") >= margin - 1.0, "{line}");
        assert!(attr("xMax") <= width - margin + 1.0, "{line}");
        checked += 1;
    }
    assert!(checked > 600);
    let pages = page_count(&bytes);
    assert!((2..=4).contains(&pages), "{pages} pages");
}

#[test]
fn paper_sizes_are_a4_and_letter() {
    let blocks = [Block::Paragraph("Size check".into())];
    let (w, h) = page_size(&render(Paper::A4, &blocks));
    assert!((w - 595.28).abs() < 0.01 && (h - 841.89).abs() < 0.01, "A4 is {w} x {h}");
    let (w, h) = page_size(&render(Paper::Letter, &blocks));
    assert!((w - 612.0).abs() < 0.01 && (h - 792.0).abs() < 0.01, "Letter is {w} x {h}");
}

fn heatmap() -> Matrix {
    let fill = |score: usize| match score {
        0..=4 => (76, 175, 80),
        5..=9 => (255, 235, 59),
        10..=16 => (255, 152, 0),
        _ => (183, 28, 28),
    };
    Matrix {
        title: "Inherent risk heatmap".into(),
        row_labels: ["Almost certain", "Likely", "Possible", "Unlikely", "Rare"].map(String::from).to_vec(),
        col_labels: ["Negligible", "Minor", "Moderate", "Major", "Severe"].map(String::from).to_vec(),
        cells: (0..5)
            .map(|r| {
                (0..5)
                    .map(|c| {
                        let score = (5 - r) * (c + 1);
                        let text = if score == 25 {
                            "R-001, R-002, R-003, R-004, R-005, R-006, R-007".into()
                        } else {
                            format!("{score}")
                        };
                        MatrixCell { text, fill: fill(score) }
                    })
                    .collect()
            })
            .collect(),
        x_axis: "Impact".into(),
        y_axis: "Likelihood".into(),
    }
}

#[test]
fn two_renders_are_byte_identical() {
    let blocks = vec![
        Block::Title("Same".into()),
        Block::Paragraph("Twice → once".into()),
        long_table(40),
        Block::Matrix(heatmap()),
    ];
    let first = render(Paper::A4, &blocks);
    // Another document in between changes nothing (no process-wide counter reaches the file).
    let _ = render(Paper::Letter, &[Block::Paragraph("Something else".into())]);
    let second = render(Paper::A4, &blocks);
    assert!(first == second, "the two renders differ");
    let other =
        pdf::render(&DocInfo { title: "Other".into(), ..info() }, Paper::A4, "Acme Ltd · Confidential", &blocks)
            .unwrap();
    assert!(first != other);
    // The dates come from the document info.
    let info = pdfinfo(&first);
    assert!(info_field(&info, "CreationDate").contains("2026"), "{info}");
}

#[test]
fn a_matrix_renders_with_extractable_labels() {
    let blocks = vec![Block::Heading("Risk heatmap".into()), Block::Matrix(heatmap())];
    let bytes = render(Paper::Letter, &blocks);
    assert_eq!(page_count(&bytes), 1);
    let text = text(&bytes);
    for label in [
        "Inherent risk heatmap",
        "Almost certain",
        "Likely",
        "Possible",
        "Unlikely",
        "Rare",
        "Negligible",
        "Minor",
        "Moderate",
        "Major",
        "Severe",
        "Impact",
        "R-001,",
        "20",
    ] {
        assert!(text.contains(label), "{label:?} missing from:\n{text}");
    }
    // The vertical axis title is drawn rotated; pdftotext still finds it.
    let raw = raw_text(&bytes);
    assert!(raw.contains("Likelihood"), "{raw}");
}

#[test]
fn inconsistent_blocks_are_internal_errors() {
    let table = Block::Table {
        columns: vec![Column { header: "A".into(), width: 1.0, chips: false }],
        rows: vec![vec!["one".into(), "two".into()]],
    };
    let err = pdf::render(&info(), Paper::A4, "", &[table]).unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    assert!(err.message.contains("row 1 has 2 cells"), "{}", err.message);

    let mut matrix = heatmap();
    matrix.cells.pop();
    let err = pdf::render(&info(), Paper::A4, "", &[Block::Matrix(matrix)]).unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
}

#[test]
fn page_breaks_spacers_and_odd_input_lay_out() {
    let blocks = vec![
        Block::PageBreak,
        Block::Paragraph("Page one\n\nstill page one\twith a tab and a \u{7} bell".into()),
        Block::Spacer(10.0),
        Block::Spacer(f32::NAN),
        Block::PageBreak,
        Block::PageBreak,
        Block::Subheading("Page two".into()),
        Block::Bullets(vec![]),
        Block::KeyValues(vec![]),
        Block::Table { columns: vec![Column { header: "Empty table".into(), width: 0.0, chips: false }], rows: vec![] },
        Block::Paragraph("Unmapped: \u{E000} and emoji \u{1F600}".into()),
    ];
    let bytes = render(Paper::A4, &blocks);
    assert_eq!(page_count(&bytes), 2);
    let text = text(&bytes);
    assert!(text.contains("with a tab and a bell"), "{text}");
    assert!(text.contains("Page 2 of 2") && text.contains("Empty table"));
}

/// Timing for a 60-page table report (printed, not asserted: run with `--release --nocapture`).
#[test]
fn a_sixty_page_table_document_renders() {
    let blocks = vec![Block::Title("Control register".into()), long_table(1_380)];
    let start = Instant::now();
    let bytes = render(Paper::A4, &blocks);
    let elapsed = start.elapsed();
    let pages = page_count(&bytes);
    eprintln!("{pages} pages, {} KiB, rendered in {elapsed:?}", bytes.len() / 1024);
    assert!(pages >= 60, "{pages} pages");
}

#[test]
fn a_character_no_font_can_print_is_named_on_its_page_and_control_characters_never_reach_the_metadata() {
    let blocks = vec![
        Block::Title("Owners".into()),
        Block::Paragraph("Plain Latin on the first page.".into()),
        Block::PageBreak,
        // Code points no font assigns a glyph to: a noncharacter, and unassigned ones.
        Block::Paragraph("Owner: \u{40001}\u{FDD0}; risk \u{40000}".into()),
        Block::PageBreak,
        Block::Paragraph((0x40000u32..0x40000 + 60).filter_map(char::from_u32).collect()),
    ];
    let doc = DocInfo { title: "Risk\u{1b}[31m report\u{7}".into(), author: "Acme\tLtd".into(), ..info() };
    let bytes = pdf::render(&doc, Paper::A4, "Acme Ltd", &blocks).unwrap();
    let pages: Vec<String> = text(&bytes).split('\u{c}').map(str::to_owned).collect();
    // The page with the unprintable characters says so, by code point; the other page does not.
    assert!(!pages[0].contains("can print them"), "{}", pages[0]);
    let note = pages[1].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(note.contains("as no font on this computer can print them: U+FDD0, U+40000, U+40001."), "{note}");
    // More than a line holds: as many as fit, and how many more.
    let note = pages[2].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(note.contains("can print them: U+40000, U+40001,") && note.contains(" more."), "{note}");
    let info = pdfinfo(&bytes);
    assert!(!info.chars().any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\t'), "{info:?}");
    assert_eq!(info_field(&info, "Author"), "Acme Ltd");
    assert_eq!(info_field(&info, "Title"), "Risk[31m report", "{info}");
}

/// pdftotext marks a right-to-left run with U+202B … U+202C; the words inside are in
/// logical order.
fn without_direction_marks(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, '\u{202A}'..='\u{202E}')).collect()
}

#[test]
fn every_script_prints_from_system_fonts_shaped_and_in_logical_order() {
    let blocks = vec![
        Block::Heading("Owners".into()),
        Block::Paragraph("Owner 王小明; vendor شركة الأمل (Riyadh); risk 🔥; שלום עולם; नमस्ते दुनिया".into()),
        Block::table(&["Vendor", "Owner"], &[1.0, 1.0], vec![vec!["شركة".into(), "王小明".into()]]),
    ];
    let bytes = render(Paper::A4, &blocks);
    assert_eq!(bytes, render(Paper::A4, &blocks), "the same input and fonts give the same bytes");
    let text = without_direction_marks(&text(&bytes));
    for written in ["Owner 王小明;", "شركة الأمل", "Riyadh", "risk 🔥", "שלום עולם", "नमस्ते दुनिया", "شركة"]
    {
        assert!(text.contains(written), "{written:?} missing from:\n{text}");
    }
    assert!(!text.contains("can print them") && !text.contains('\u{FFFD}'), "{text}");
}
