//! A long document is written page by page: the memory it takes beyond its input stays that
//! of the file it produces plus a few pages, however many pages there are (issue 21: the
//! report of a large workspace took 115 KiB a page, 502 MiB for 4,377 pages, when the whole
//! document was built in memory before a byte was written).
//!
//! Counted, not timed: this test binary's allocator records the highest number of bytes
//! live at once. It is its own binary (one file in tests/), so no other test shares it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use readyroom_core::pdf::{self, Block, Column, DocInfo, Paper};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MIB: usize = 1024 * 1024;

fn table(rows: usize) -> Block {
    Block::Table {
        columns: vec![
            Column { header: "Vendor".into(), width: 0.3, chips: false },
            Column { header: "What they do for us".into(), width: 0.5, chips: false },
            Column { header: "Report".into(), width: 0.2, chips: false },
        ],
        rows: (1..=rows)
            .map(|i| {
                vec![
                    format!("Vendor {i:05} Ltd"),
                    format!("Hosts the customer database and the backups of vendor {i}, in two regions."),
                    "Pass".into(),
                ]
            })
            .collect(),
    }
}

/// Bytes allocated at the peak of rendering `blocks` beyond what was live before, and the
/// PDF's size and page count.
fn render_peak(blocks: &[Block]) -> (usize, usize, usize) {
    let info = DocInfo {
        title: "Vendors".into(),
        author: "Acme Ltd".into(),
        subject: "Memory".into(),
        date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    };
    // Fonts load once per process: load them before measuring.
    pdf::render(&info, Paper::A4, "footer", &[Block::Paragraph("warm up".into())]).unwrap();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let bytes = pdf::render(&info, Paper::A4, "Acme Ltd · Confidential", blocks).unwrap();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    (peak, bytes.len(), page_count(&bytes))
}

/// The page count as poppler's `pdfinfo` reads it.
fn page_count(bytes: &[u8]) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdfinfo").arg(&path).output().expect("pdfinfo (poppler-utils) is installed");
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).unwrap_or(0)
}

#[test]
fn a_long_document_takes_the_memory_of_its_file_not_of_its_pages() {
    let small = render_peak(&[table(2_000)]);
    let large = render_peak(&[table(16_000)]);
    for (peak, size, pages) in [small, large] {
        eprintln!("{pages} pages: a {} KiB file, {} KiB at the peak", size / 1024, peak / 1024);
    }
    assert!(large.2 > 7 * small.2 && large.2 > 400, "pages: {} then {}", small.2, large.2);
    // Beyond the finished file (held once, with room to grow), a few MiB whatever the length.
    for (peak, size, pages) in [small, large] {
        assert!(peak < 2 * size + 8 * MIB, "{pages} pages, a {size}-byte file: {} KiB at the peak", peak / 1024);
    }
    // Eight times the pages, nowhere near eight times the memory beyond the file.
    let beyond = |(peak, size, _): (usize, usize, usize)| peak.saturating_sub(2 * size);
    assert!(beyond(large) < beyond(small) + 4 * MIB, "{} KiB then {} KiB", beyond(small) / 1024, beyond(large) / 1024);
}
